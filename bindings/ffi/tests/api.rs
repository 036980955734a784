//! The bindings' API from Rust, over a Rust implementation of the foreign transport trait
//! that wraps the exported virtual card (as the Kotlin and Python tests do in their
//! languages): every call, the errors, the guard, a lost tag, threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use mynumbercard_ffi::{
    access_code_b, CalendarDate, CardError, CardFaceSecret, CardInfoSecret, CardInterface,
    CardKind, CardTransport, CertificateKind, ChangeablePin, DigestAlgorithm, KeyInfo, KeyKind,
    LastTry, MyNumberCard, Secret, SecretKind, SecretName, SecretStatus, Sex, SignInput,
    TransportCapabilities, TransportError, VirtualCard, VirtualCardConfig,
};
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};

type Rule = Box<dyn Fn(&[u8]) -> bool + Send + Sync>;

/// A "foreign" transport: forwards to the virtual card unless a rule says the tag is lost
/// (before the command reaches the card), and counts what it forwards.
struct Wrapped {
    card: Arc<VirtualCard>,
    lose_when: Mutex<Option<Rule>>,
    forwarded: AtomicUsize,
    closed_with: Mutex<Option<bool>>,
}

impl Wrapped {
    fn new(card: Arc<VirtualCard>) -> Arc<Self> {
        Arc::new(Self {
            card,
            lose_when: Mutex::new(None),
            forwarded: AtomicUsize::new(0),
            closed_with: Mutex::new(None),
        })
    }

    fn lose_when(&self, rule: impl Fn(&[u8]) -> bool + Send + Sync + 'static) {
        *self.lose_when.lock().unwrap() = Some(Box::new(rule));
    }
}

impl CardTransport for Wrapped {
    fn transceive(&self, command: Vec<u8>) -> Result<Vec<u8>, TransportError> {
        if let Some(rule) = self.lose_when.lock().unwrap().as_ref() {
            if rule(&command) {
                return Err(TransportError::TagLost);
            }
        }
        self.forwarded.fetch_add(1, Ordering::SeqCst);
        self.card.transceive(command)
    }

    fn capabilities(&self) -> TransportCapabilities {
        TransportCapabilities {
            interface: CardInterface::Contactless,
            ..TransportCapabilities::default()
        }
    }

    fn close(&self, unpower: bool) -> Result<(), TransportError> {
        *self.closed_with.lock().unwrap() = Some(unpower);
        self.card.close(unpower)
    }
}

fn secret(s: &str) -> Secret {
    Secret::new(s.as_bytes().to_vec())
}

fn setup(config: VirtualCardConfig) -> (Arc<VirtualCard>, Arc<Wrapped>, Arc<MyNumberCard>) {
    let card = VirtualCard::with_config(config);
    let transport = Wrapped::new(card.clone());
    let session = MyNumberCard::new(transport.clone());
    (card, transport, session)
}

fn is_verify_with_data(command: &[u8]) -> bool {
    command.get(1) == Some(&0x20) && command.len() > 5
}

fn is_sign(command: &[u8]) -> bool {
    command.get(1) == Some(&0x2A)
}

fn verifies_sent(card: &VirtualCard) -> usize {
    card.apdu_log()
        .iter()
        .filter(|c| is_verify_with_data(c))
        .count()
}

fn public_key(der: &[u8]) -> RsaPublicKey {
    use rsa::pkcs8::DecodePublicKey;
    use x509_cert::der::{Decode, Encode};
    let cert = x509_cert::Certificate::from_der(der).unwrap();
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .unwrap();
    RsaPublicKey::from_public_key_der(&spki).unwrap()
}

#[test]
fn identify_and_certificates() {
    let (card, _, session) = setup(VirtualCardConfig::default());
    assert_eq!(session.identify().unwrap(), CardKind::MyNumberCard);
    let reference = MyNumberCard::over_virtual_card(VirtualCard::new());
    reference.identify().unwrap();
    assert_eq!(card.apdu_count(), reference.apdus_sent().unwrap());

    let auth = session
        .read_certificate(CertificateKind::Auth, None, LastTry::Refuse)
        .unwrap();
    assert_eq!(auth.kind, Some(CertificateKind::Auth));
    assert_eq!(auth.der, card.certificate_der(CertificateKind::Auth));
    assert!(auth.issuer.contains("JPKI-VIRTUAL-TEST"), "{}", auth.issuer);
    assert_eq!(auth.key, KeyInfo::Rsa { bits: 2048 });
    assert!(auth.holder.is_none());
    assert!(auth.not_before < auth.not_after);
    assert_eq!(
        auth.fingerprint_sha256,
        Sha256::digest(&auth.der).as_slice().to_vec()
    );

    for kind in [CertificateKind::AuthCa, CertificateKind::SignCa] {
        let ca = session
            .read_certificate(kind, None, LastTry::Refuse)
            .unwrap();
        assert_eq!(ca.kind, Some(kind));
    }

    // The signature certificate needs the PIN, and says so before sending anything.
    let before = card.apdu_count();
    assert!(matches!(
        session.read_certificate(CertificateKind::Sign, None, LastTry::Refuse),
        Err(CardError::InvalidFormat { .. })
    ));
    assert_eq!(card.apdu_count(), before);
    let sign = session
        .read_certificate(
            CertificateKind::Sign,
            Some(secret("abc123")),
            LastTry::Refuse,
        )
        .unwrap();
    let holder = sign
        .holder
        .expect("the signature certificate names the holder");
    assert_eq!(holder.name.as_deref(), Some("仮想　太郎"));
    assert_eq!(holder.sex, Some(Sex::Male));
    assert_eq!(
        holder.birth_date,
        Some(CalendarDate {
            year: 1990,
            month: 1,
            day: 1
        })
    );
    assert!(holder.address.unwrap().starts_with("東京都"));
}

#[test]
fn statuses_of_every_secret() {
    let (card, _, session) = setup(VirtualCardConfig {
        sign_tries_left: Some(2),
        ..Default::default()
    });
    let all = session.secret_statuses().unwrap();
    assert_eq!(all.auth_pin, SecretStatus::Remaining { tries: 3 });
    assert_eq!(all.sign_pin, SecretStatus::Remaining { tries: 2 });
    assert_eq!(all.card_info_pin, SecretStatus::Remaining { tries: 3 });
    assert_eq!(
        all.card_info_access_code_a,
        SecretStatus::Remaining { tries: 3 }
    );
    assert_eq!(
        all.card_info_access_code_b,
        SecretStatus::Remaining { tries: 3 }
    );
    assert_eq!(
        all.card_face_access_code_a,
        SecretStatus::Remaining { tries: 3 }
    );
    assert_eq!(
        all.card_face_access_code_b,
        SecretStatus::Remaining { tries: 3 }
    );
    assert_eq!(verifies_sent(&card), 0, "statuses spend no try");
    assert_eq!(
        session.secret_status(SecretKind::SignPin).unwrap(),
        SecretStatus::Remaining { tries: 2 }
    );
}

#[test]
fn verify_and_sign_both_keys_and_digests() {
    let (card, _, session) = setup(VirtualCardConfig::default());
    let message = b"challenge".to_vec();
    let signature = session
        .verify_and_sign(
            KeyKind::Auth,
            secret("1234"),
            SignInput::Message {
                message: message.clone(),
            },
            LastTry::Refuse,
        )
        .unwrap();
    let key = public_key(&card.certificate_der(CertificateKind::Auth));
    key.verify(
        Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(&message),
        &signature,
    )
    .unwrap();
    assert_eq!(verifies_sent(&card), 1);

    let digest = sha2::Sha512::digest(b"document").to_vec();
    let signature = session
        .verify_and_sign(
            KeyKind::Sign,
            secret("ABC123"),
            SignInput::Digest {
                algorithm: DigestAlgorithm::Sha512,
                digest: digest.clone(),
            },
            LastTry::Refuse,
        )
        .unwrap();
    let key = public_key(&card.certificate_der(CertificateKind::Sign));
    key.verify(Pkcs1v15Sign::new::<sha2::Sha512>(), &digest, &signature)
        .unwrap();

    let before = card.apdu_count();
    let short = session.verify_and_sign(
        KeyKind::Sign,
        secret("ABC123"),
        SignInput::Digest {
            algorithm: DigestAlgorithm::Sha256,
            digest: vec![0; 31],
        },
        LastTry::Refuse,
    );
    assert!(
        matches!(short, Err(CardError::InvalidFormat { .. })),
        "{short:?}"
    );
    assert_eq!(verifies_sent(&card), 2, "a bad digest sends no PIN");
    assert!(card.apdu_count() >= before);
}

#[test]
fn wrong_pin_then_the_guard_refuses_the_last_try() {
    let (card, _, session) = setup(VirtualCardConfig {
        auth_tries_left: Some(2),
        ..Default::default()
    });
    let sign = |pin: &str, last_try| {
        session.verify_and_sign(
            KeyKind::Auth,
            secret(pin),
            SignInput::Message {
                message: b"m".to_vec(),
            },
            last_try,
        )
    };
    assert_eq!(
        sign("9999", LastTry::Refuse),
        Err(CardError::WrongPin { tries_left: 1 })
    );
    assert_eq!(card.tries_left(SecretKind::AuthPin), 1);
    assert_eq!(verifies_sent(&card), 1);
    // One try left: refused, the PIN not sent, even the right one.
    assert_eq!(
        sign("1234", LastTry::Refuse),
        Err(CardError::LastTryRefused {
            secret: SecretName::AuthPin
        })
    );
    assert_eq!(verifies_sent(&card), 1);
    assert_eq!(card.tries_left(SecretKind::AuthPin), 1);
    // Allowed explicitly, the right PIN goes through and the tries come back.
    assert!(sign("1234", LastTry::Allow).is_ok());
    assert_eq!(card.tries_left(SecretKind::AuthPin), 3);

    // A wrong PIN on an allowed last try blocks it, and says this attempt did.
    let (card, _, session) = setup(VirtualCardConfig {
        auth_tries_left: Some(1),
        ..Default::default()
    });
    assert_eq!(
        session.verify_and_sign(
            KeyKind::Auth,
            secret("9999"),
            SignInput::Message { message: vec![] },
            LastTry::Allow
        ),
        Err(CardError::BlockedByThisAttempt {
            secret: SecretName::AuthPin
        })
    );
    assert_eq!(card.tries_left(SecretKind::AuthPin), 0);
}

#[test]
fn blocked_and_invalid_format_send_nothing() {
    let (card, _, session) = setup(VirtualCardConfig {
        auth_tries_left: Some(0),
        ..Default::default()
    });
    let result = session.verify_and_sign(
        KeyKind::Auth,
        secret("1234"),
        SignInput::Message { message: vec![] },
        LastTry::Allow,
    );
    assert_eq!(
        result,
        Err(CardError::Blocked {
            secret: SecretName::AuthPin
        })
    );
    assert_eq!(verifies_sent(&card), 0);

    let before = card.apdu_count();
    for (key, pin) in [
        (KeyKind::Auth, "123"),
        (KeyKind::Auth, "12a4"),
        (KeyKind::Sign, "abc"),
        (KeyKind::Sign, "ABC-123"),
    ] {
        let result = session.verify_and_sign(
            key,
            secret(pin),
            SignInput::Message { message: vec![] },
            LastTry::Allow,
        );
        match result {
            Err(CardError::InvalidFormat { reason }) => {
                assert!(!reason.contains(pin), "{reason} names the PIN")
            }
            other => panic!("{other:?}"),
        }
    }
    let not_utf8 = session.verify_and_sign(
        KeyKind::Auth,
        Secret::new(vec![0xFF, 0xFE, 0x31, 0x32]),
        SignInput::Message { message: vec![] },
        LastTry::Allow,
    );
    assert!(matches!(not_utf8, Err(CardError::InvalidFormat { .. })));
    assert_eq!(
        card.apdu_count(),
        before,
        "nothing sent for a malformed PIN"
    );
}

#[test]
fn a_tag_lost_in_verify_and_sign_costs_no_try() {
    // Lost at the VERIFY that carries the PIN: it never reached the card.
    let (card, transport, session) = setup(VirtualCardConfig::default());
    transport.lose_when(is_verify_with_data);
    let result = session.verify_and_sign(
        KeyKind::Auth,
        secret("9999"),
        SignInput::Message { message: vec![] },
        LastTry::Refuse,
    );
    assert_eq!(result, Err(CardError::CardRemoved));
    assert_eq!(card.tries_left(SecretKind::AuthPin), 3);
    assert_eq!(verifies_sent(&card), 0);

    // Lost at the signature, after the right PIN: no try spent, no signature returned; the
    // next call (the card back in the field) starts over and succeeds.
    transport.lose_when(is_sign);
    let result = session.verify_and_sign(
        KeyKind::Auth,
        secret("1234"),
        SignInput::Message { message: vec![] },
        LastTry::Refuse,
    );
    assert_eq!(result, Err(CardError::CardRemoved));
    assert_eq!(card.tries_left(SecretKind::AuthPin), 3);
    transport.lose_when(|_| false);
    card.power_cycle();
    let signature = session
        .verify_and_sign(
            KeyKind::Auth,
            secret("1234"),
            SignInput::Message { message: vec![] },
            LastTry::Refuse,
        )
        .unwrap();
    assert_eq!(signature.len(), 256);
}

#[test]
fn eligibility_check_both_modes() {
    let (card, _, session) = setup(VirtualCardConfig::default());
    let challenge = b"nonce from the eligibility service".to_vec();
    let evidence = session
        .eligibility_check_pin(secret("1234"), challenge.clone(), LastTry::Refuse)
        .unwrap();
    assert_eq!(evidence.certificate.kind, Some(CertificateKind::Auth));
    let signature = evidence.signature.unwrap();
    public_key(&evidence.certificate.der)
        .verify(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(&challenge),
            &signature,
        )
        .unwrap();
    assert!(evidence.card_face.is_none());
    // The foreign transport adds no APDU: as many as the Rust-only path sends (the wrapped
    // transport declares a short-only reader, so the reference card sits behind one too).
    let reference = MyNumberCard::over_virtual_card(VirtualCard::with_config(VirtualCardConfig {
        short_only_reader: true,
        ..VirtualCardConfig::default()
    }));
    reference
        .eligibility_check_pin(secret("1234"), challenge.clone(), LastTry::Refuse)
        .unwrap();
    assert_eq!(card.apdu_count(), reference.apdus_sent().unwrap());

    let visual = session.eligibility_check_visual(None).unwrap();
    assert!(visual.signature.is_none() && visual.card_face.is_none());

    let code = access_code_b(
        CalendarDate {
            year: 1990,
            month: 1,
            day: 1,
        },
        2035,
        secret("1234"),
    )
    .unwrap();
    assert_eq!(code, b"02010120351234");
    let visual = session
        .eligibility_check_visual(Some(Secret::new(code)))
        .unwrap();
    let face = visual.card_face.unwrap();
    assert!(face.face_photo.starts_with(&[0, 0, 0, 0x0C, b'j', b'P']));
    assert_eq!(face.expiry.year, 2035);
    assert_eq!(face.sex, Sex::Male);
    assert!(face.my_number_image.is_none());
}

#[test]
fn card_info_with_each_secret() {
    let (card, _, session) = setup(VirtualCardConfig::default());
    let all = session
        .read_card_info(CardInfoSecret::Pin, secret("1234"), LastTry::Refuse)
        .unwrap();
    assert_eq!(all.my_number.as_deref(), Some(&b"123456789018"[..]));
    let attributes = all.attributes.unwrap();
    assert_eq!(attributes.name, "仮想　太郎");
    assert_eq!(attributes.birth_date.year, 1990);

    let a = session
        .read_card_info(
            CardInfoSecret::AccessCodeA,
            secret("123456789018"),
            LastTry::Refuse,
        )
        .unwrap();
    assert!(a.my_number.is_some() && a.attributes.is_none());
    let b = session
        .read_card_info(
            CardInfoSecret::AccessCodeB,
            secret("02010120351234"),
            LastTry::Refuse,
        )
        .unwrap();
    assert!(b.my_number.is_none() && b.attributes.is_some());

    // A my number with a wrong check digit is refused before it is sent.
    let before = card.apdu_count();
    assert!(matches!(
        session.read_card_info(
            CardInfoSecret::AccessCodeA,
            secret("123456789010"),
            LastTry::Refuse
        ),
        Err(CardError::InvalidFormat { .. })
    ));
    assert_eq!(card.apdu_count(), before);
    assert_eq!(
        session.read_card_info(
            CardInfoSecret::AccessCodeB,
            secret("02010120359999"),
            LastTry::Refuse
        ),
        Err(CardError::WrongAccessCode {
            secret: SecretName::AccessCodeB,
            tries_left: 2
        })
    );
}

#[test]
fn card_face_with_each_code() {
    let (_, _, session) = setup(VirtualCardConfig::default());
    let face = session
        .read_card_face(
            CardFaceSecret::AccessCodeA,
            secret("123456789018"),
            true,
            LastTry::Refuse,
        )
        .unwrap();
    assert!(face
        .my_number_image
        .unwrap()
        .starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(face.name_image.starts_with(b"\x89PNG"));
    let face = session
        .read_card_face(
            CardFaceSecret::AccessCodeB,
            secret("02010120351234"),
            false,
            LastTry::Refuse,
        )
        .unwrap();
    assert!(face.my_number_image.is_none());
    assert!(matches!(
        session.read_card_face(
            CardFaceSecret::AccessCodeB,
            secret("02010120351234"),
            true,
            LastTry::Refuse
        ),
        Err(CardError::InvalidFormat { .. })
    ));
}

#[test]
fn change_pins() {
    let (card, _, session) = setup(VirtualCardConfig::default());
    session
        .change_pin(
            ChangeablePin::Auth,
            secret("1234"),
            secret("4321"),
            LastTry::Refuse,
        )
        .unwrap();
    session
        .change_pin(
            ChangeablePin::Sign,
            secret("ABC123"),
            secret("NEWPIN99"),
            LastTry::Refuse,
        )
        .unwrap();
    session
        .change_pin(
            ChangeablePin::CardInfo,
            secret("1234"),
            secret("0000"),
            LastTry::Refuse,
        )
        .unwrap();
    assert!(matches!(
        session.change_pin(
            ChangeablePin::Auth,
            secret("4321"),
            secret("12"),
            LastTry::Refuse
        ),
        Err(CardError::InvalidFormat { .. })
    ));
    card.power_cycle();
    let signature = session.verify_and_sign(
        KeyKind::Auth,
        secret("4321"),
        SignInput::Message { message: vec![] },
        LastTry::Refuse,
    );
    assert!(signature.is_ok(), "{signature:?}");
    assert_eq!(
        session.verify_and_sign(
            KeyKind::Sign,
            secret("ABC123"),
            SignInput::Message { message: vec![] },
            LastTry::Refuse
        ),
        Err(CardError::WrongPin { tries_left: 4 })
    );
}

#[test]
fn close_unpowers_after_a_pin_and_ends_the_session() {
    let (card, transport, session) = setup(VirtualCardConfig::default());
    session.identify().unwrap();
    session.end_session().unwrap();
    assert_eq!(*transport.closed_with.lock().unwrap(), Some(false));
    assert_eq!(session.identify(), Err(CardError::Closed));
    session.end_session().unwrap();

    let session = MyNumberCard::new(transport.clone());
    session
        .eligibility_check_pin(secret("1234"), b"c".to_vec(), LastTry::Refuse)
        .unwrap();
    session.end_session().unwrap();
    assert_eq!(*transport.closed_with.lock().unwrap(), Some(true));
    assert!(card.is_powered());

    // Dropping the object ends an open session.
    *transport.closed_with.lock().unwrap() = None;
    let session = MyNumberCard::new(transport.clone());
    session
        .verify_and_sign(
            KeyKind::Sign,
            secret("ABC123"),
            SignInput::Message { message: vec![] },
            LastTry::Refuse,
        )
        .unwrap();
    drop(session);
    assert_eq!(*transport.closed_with.lock().unwrap(), Some(true));
}

#[test]
fn not_a_my_number_card() {
    struct Empty;
    impl CardTransport for Empty {
        fn transceive(&self, _: Vec<u8>) -> Result<Vec<u8>, TransportError> {
            Ok(vec![0x6A, 0x82])
        }
        fn capabilities(&self) -> TransportCapabilities {
            TransportCapabilities::default()
        }
        fn close(&self, _: bool) -> Result<(), TransportError> {
            Ok(())
        }
    }
    let session = MyNumberCard::new(Arc::new(Empty));
    assert_eq!(session.identify(), Ok(CardKind::NotMyNumberCard));
    assert_eq!(
        session.read_certificate(CertificateKind::Auth, None, LastTry::Refuse),
        Err(CardError::NotMyNumberCard)
    );
    assert!(matches!(
        session.read_card_info(CardInfoSecret::Pin, secret("1234"), LastTry::Refuse),
        Err(CardError::NotFound { .. })
    ));
}

#[test]
fn transport_errors_map() {
    struct Failing(TransportError);
    impl CardTransport for Failing {
        fn transceive(&self, _: Vec<u8>) -> Result<Vec<u8>, TransportError> {
            Err(match &self.0 {
                TransportError::TagLost => TransportError::TagLost,
                TransportError::Timeout => TransportError::Timeout,
                TransportError::Other { reason } => TransportError::Other {
                    reason: reason.clone(),
                },
            })
        }
        fn capabilities(&self) -> TransportCapabilities {
            TransportCapabilities::default()
        }
        fn close(&self, _: bool) -> Result<(), TransportError> {
            Ok(())
        }
    }
    let run = |e| MyNumberCard::new(Arc::new(Failing(e))).identify();
    assert_eq!(run(TransportError::TagLost), Err(CardError::CardRemoved));
    assert_eq!(run(TransportError::Timeout), Err(CardError::Timeout));
    assert_eq!(
        run(TransportError::Other {
            reason: "nfc off".into()
        }),
        Err(CardError::Transport {
            reason: "nfc off".into()
        })
    );
}

#[test]
fn calls_from_several_threads_are_serialized() {
    let (card, _, session) = setup(VirtualCardConfig::default());
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let session = session.clone();
            std::thread::spawn(move || {
                for _ in 0..5 {
                    if i % 2 == 0 {
                        let signature = session
                            .verify_and_sign(
                                KeyKind::Auth,
                                secret("1234"),
                                SignInput::Message {
                                    message: vec![i as u8],
                                },
                                LastTry::Refuse,
                            )
                            .unwrap();
                        assert_eq!(signature.len(), 256);
                    } else {
                        let cert = session
                            .read_certificate(CertificateKind::Auth, None, LastTry::Refuse)
                            .unwrap();
                        assert_eq!(cert.kind, Some(CertificateKind::Auth));
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(card.tries_left(SecretKind::AuthPin), 3);
    assert_eq!(verifies_sent(&card), 10);
}

#[test]
fn the_rust_only_path() {
    let card = VirtualCard::new();
    let session = MyNumberCard::over_virtual_card(card.clone());
    assert_eq!(session.identify().unwrap(), CardKind::MyNumberCard);
    assert_eq!(session.apdus_sent().unwrap(), card.apdu_count());
    assert!((2..=3).contains(&card.apdu_count()));
}
