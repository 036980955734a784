//! The JPKI operations asserted on the virtual card's recorded APDU log.

mod flow_support;

use std::sync::{Arc, Mutex};

use flow_support::{
    log, reads, secrets_sent, select_ef, status_sfi, verify_sfi, Wire, EMPTY_VERIFY, SELECT_JPKI,
};
use mynumbercard::transport::{self, Transport};
use mynumbercard::virtual_card::Reader;
use mynumbercard::{
    AuthPin, Card, CardKind, CertificateKind, Error, KeyKind, LastTry, PinKind, PinStatus, SignPin,
    VirtualCard,
};
use sha2::{Digest, Sha256};

/// VERIFY with "1234", as the card receives it.
const VERIFY_1234: &str = "002000800431323334";

/// The commands that read certificate EF `fid` (the application selected) behind `reader`:
/// one READ BINARY by its short file identifier asking for the 16 KiB cap (`00 40 00`), or a
/// SELECT of the EF and one READ BINARY per 256 bytes.
fn certificate_reads(reader: Reader, fid: u16, len: usize) -> Vec<String> {
    match reader {
        Reader::Extended => vec![format!("00B0{:02X}00004000", 0x80 | fid)],
        _ => {
            let mut sent = vec![select_ef(fid)];
            sent.extend(reads(len));
            sent
        }
    }
}

#[test]
fn reading_a_certificate_sends_one_extended_read_or_select_and_one_read_per_256_bytes() {
    for reader in Reader::ALL {
        for (kind, fid) in [
            (CertificateKind::Auth, 0x000A),
            (CertificateKind::AuthCa, 0x000B),
            (CertificateKind::SignCa, 0x0002),
        ] {
            let mut vc = VirtualCard::builder().reader(reader).build();
            let expected_der = vc.certificate_der(kind).to_vec();
            let mut card = Card::new(&mut vc);
            let der = card.jpki().read_certificate_der(kind).unwrap();
            assert_eq!(der, expected_der, "{kind:?}");
            let mut expected = vec![SELECT_JPKI.to_owned()];
            expected.extend(certificate_reads(reader, fid, der.len()));
            assert_eq!(log(&card), expected, "{kind:?} behind {reader:?}");
        }
    }
}

#[test]
fn the_sign_certificate_needs_the_sign_pin() {
    for reader in Reader::ALL {
        sign_certificate_behind(reader);
    }
}

fn sign_certificate_behind(reader: Reader) {
    let mut vc = VirtualCard::builder().reader(reader).build();
    let expected_der = vc.certificate_der(CertificateKind::Sign).to_vec();
    let mut card = Card::new(&mut vc);
    let mut jpki = card.jpki();
    assert!(matches!(
        jpki.read_certificate_der(CertificateKind::Sign),
        Err(Error::SecurityStatusNotSatisfied)
    ));
    jpki.verify_pin(&SignPin::new("abc123").unwrap()).unwrap();
    card.transport_mut().clear_log();
    let der = card
        .jpki()
        .read_certificate_der(CertificateKind::Sign)
        .unwrap();
    assert_eq!(der, expected_der);
    let expected = certificate_reads(reader, 0x0001, der.len());
    assert_eq!(
        log(&card),
        expected,
        "the JPKI AP stays selected ({reader:?})"
    );
}

#[test]
fn parsed_certificates_are_the_virtual_cards() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let cert = card
        .jpki()
        .read_certificate(CertificateKind::AuthCa)
        .unwrap();
    let issuer = cert.tbs_certificate.issuer.to_string();
    assert!(issuer.contains("JPKI-VIRTUAL-TEST"), "{issuer}");
}

#[test]
fn pin_status_sends_select_and_an_empty_verify_by_short_file_identifier() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    assert_eq!(
        card.jpki().pin_status(PinKind::Auth).unwrap(),
        PinStatus::Remaining(3)
    );
    // `00 20 00 98`: EF 0018 named by its short file identifier, no SELECT of the EF.
    assert_eq!(log(&card), [SELECT_JPKI.to_owned(), status_sfi(0x0018)]);
    assert_eq!(status_sfi(0x0018), "00200098");
    card.transport_mut().clear_log();
    assert_eq!(
        card.jpki().pin_status(PinKind::Sign).unwrap(),
        PinStatus::Remaining(5)
    );
    assert_eq!(
        log(&card),
        ["0020009B"],
        "no second SELECT of the application"
    );
}

#[test]
fn pin_status_on_a_card_refusing_short_file_identifiers_selects_the_pin_file() {
    let mut card = Card::new(Wire::refusing_sfi(VirtualCard::new()));
    assert_eq!(
        card.jpki().pin_status(PinKind::Auth).unwrap(),
        PinStatus::Remaining(3)
    );
    // One probe, refused; then SELECT EF and the empty VERIFY of the current EF.
    assert_eq!(
        card.transport().log(),
        [
            SELECT_JPKI.to_owned(),
            "00200098".to_owned(),
            select_ef(0x0018),
            EMPTY_VERIFY.to_owned()
        ]
    );
    card.transport_mut().clear_log();
    assert_eq!(
        card.jpki().pin_status(PinKind::Sign).unwrap(),
        PinStatus::Remaining(5)
    );
    assert_eq!(
        card.transport().log(),
        [select_ef(0x001B), EMPTY_VERIFY.to_owned()],
        "no second probe and no second SELECT of the application"
    );
}

#[test]
fn signing_sends_each_command_once_and_the_signature_verifies() {
    let mut vc = VirtualCard::new();
    let public_key = vc.public_key(KeyKind::Auth).clone();
    let mut card = Card::new(&mut vc);
    let digest: [u8; 32] = Sha256::digest(b"eligibility challenge").into();
    let mut jpki = card.jpki();
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    let signature = jpki.sign_sha256(KeyKind::Auth, &digest).unwrap();
    assert_eq!(signature.len(), 256);
    public_key
        .verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, &signature)
        .expect("the card's signature verifies with the auth key");

    let sent = log(&card);
    // The card answered a short file identifier in VERIFY: the key is named the same way
    // (`80 2A 00 97`, EF 0017), no SELECT of it.
    let sign = format!(
        "802A009733{}{}00",
        "3031300D060960864801650304020105000420",
        hex::encode_upper(digest)
    );
    assert_eq!(
        sent,
        [
            SELECT_JPKI.to_owned(),
            status_sfi(0x0018),
            verify_sfi(0x0018, b"1234"),
            sign,
        ]
    );
    let mut unique = sent.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), sent.len(), "no command sent twice");
}

#[test]
fn signing_on_a_card_refusing_short_file_identifiers_selects_the_pin_and_the_key() {
    let mut card = Card::new(Wire::refusing_sfi(VirtualCard::new()));
    let public_key = card.transport().card().public_key(KeyKind::Auth).clone();
    let digest: [u8; 32] = Sha256::digest(b"eligibility challenge").into();
    let mut jpki = card.jpki();
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    let signature = jpki.sign_sha256(KeyKind::Auth, &digest).unwrap();
    public_key
        .verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, &signature)
        .expect("the card's signature verifies with the auth key");
    let sign = format!(
        "802A008033{}{}00",
        "3031300D060960864801650304020105000420",
        hex::encode_upper(digest)
    );
    // The refused probe, then the SELECT path; no short file identifier tried in signing,
    // since VERIFY refused it.
    assert_eq!(
        card.transport().log(),
        [
            SELECT_JPKI.to_owned(),
            "00200098".to_owned(),
            select_ef(0x0018),
            EMPTY_VERIFY.to_owned(),
            VERIFY_1234.to_owned(),
            select_ef(0x0017),
            sign,
        ]
    );
}

#[test]
fn signing_without_the_pin_is_refused_and_the_session_stays_usable() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let mut jpki = card.jpki();
    let digest = [7u8; 32];
    assert!(matches!(
        jpki.sign_sha256(KeyKind::Sign, &digest),
        Err(Error::SecurityStatusNotSatisfied)
    ));
    jpki.verify_pin(&SignPin::new("ABC123").unwrap()).unwrap();
    assert_eq!(jpki.sign_sha256(KeyKind::Sign, &digest).unwrap().len(), 256);
}

#[test]
fn a_wrong_pin_costs_exactly_one_try() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let err = card
        .jpki()
        .verify_pin(&AuthPin::new("9999").unwrap())
        .unwrap_err();
    assert!(matches!(err, Error::WrongPin { tries_left: 2 }), "{err:?}");
    assert_eq!(secrets_sent(&log(&card)), 1);
    assert_eq!(card.transport().tries_left(PinKind::Auth), 2);

    // The session stays usable after the error.
    let der = card
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .unwrap();
    assert_eq!(der, card.transport().certificate_der(CertificateKind::Auth));
    card.jpki()
        .verify_pin(&AuthPin::new("1234").unwrap())
        .unwrap();
    assert_eq!(
        card.transport().tries_left(PinKind::Auth),
        3,
        "a right PIN resets the counter"
    );
}

#[test]
fn the_guard_refuses_the_last_try_without_sending_a_verify() {
    let mut vc = VirtualCard::builder().auth_tries_left(1).build();
    let mut card = Card::new(&mut vc);
    let err = card
        .jpki()
        .verify_pin(&AuthPin::new("1234").unwrap())
        .unwrap_err();
    assert!(matches!(err, Error::LastTryRefused { .. }), "{err:?}");
    assert_eq!(log(&card), [SELECT_JPKI.to_owned(), status_sfi(0x0018)]);
    assert_eq!(card.transport().tries_left(PinKind::Auth), 1);

    // Explicitly allowed, the last try is spent; a wrong PIN blocks.
    let err = card
        .jpki()
        .verify_pin_with(&AuthPin::new("0000").unwrap(), LastTry::Allow)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::BlockedByThisAttempt {
                secret: mynumbercard::Secret::AuthPin
            }
        ),
        "{err:?}"
    );
    assert_eq!(card.transport().tries_left(PinKind::Auth), 0);
    assert_eq!(
        card.jpki().pin_status(PinKind::Auth).unwrap(),
        PinStatus::Blocked
    );
}

#[test]
fn the_last_try_allowed_with_the_right_pin_restores_the_counter() {
    let mut vc = VirtualCard::builder().sign_tries_left(1).build();
    let mut card = Card::new(&mut vc);
    let pin = SignPin::new("ABC123").unwrap();
    assert!(matches!(
        card.jpki().verify_pin(&pin),
        Err(Error::LastTryRefused { .. })
    ));
    card.jpki().verify_pin_with(&pin, LastTry::Allow).unwrap();
    assert_eq!(card.transport().tries_left(PinKind::Sign), 5);
}

#[test]
fn a_blocked_pin_reports_blocked_and_is_never_sent() {
    let mut vc = VirtualCard::builder().auth_tries_left(0).build();
    let mut card = Card::new(&mut vc);
    assert_eq!(
        card.jpki().pin_status(PinKind::Auth).unwrap(),
        PinStatus::Blocked
    );
    for last_try in [LastTry::Refuse, LastTry::Allow] {
        let err = card
            .jpki()
            .verify_pin_with(&AuthPin::new("1234").unwrap(), last_try)
            .unwrap_err();
        assert!(matches!(err, Error::Blocked { .. }), "{err:?}");
    }
    assert_eq!(secrets_sent(&log(&card)), 0);
}

#[test]
fn identify_reads_the_token_file() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    assert_eq!(card.jpki().identify().unwrap(), CardKind::MyNumberCard);
    assert_eq!(
        log(&card),
        [
            SELECT_JPKI.to_owned(),
            select_ef(0x0006),
            "00B0000020".to_owned()
        ]
    );

    let mut phone = VirtualCard::builder()
        .token_label(b"JPKIAPGPSETOKEN")
        .build();
    assert_eq!(
        Card::new(&mut phone).jpki().identify().unwrap(),
        CardKind::AndroidToken
    );
}

#[test]
fn a_card_without_the_jpki_application_is_not_a_jpki_card() {
    let no_jpki = transport::from_fn(|_: &[u8]| Ok(vec![0x6A, 0x82]));
    let mut card = Card::new(no_jpki);
    assert_eq!(card.jpki().identify().unwrap(), CardKind::NotJpki);
    assert!(matches!(
        card.jpki().read_certificate_der(CertificateKind::Auth),
        Err(Error::NotJpkiCard)
    ));
}

#[test]
fn traces_mask_the_pin() {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    card.set_tracer(move |line| sink.lock().unwrap().push(line.to_string()));
    card.jpki()
        .verify_pin(&AuthPin::new("1234").unwrap())
        .unwrap();
    let lines = lines.lock().unwrap();
    assert!(
        lines.contains(&"> 0020009804********".to_owned()),
        "{lines:?}"
    );
    assert!(lines.contains(&"< 9000".to_owned()), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("31323334")), "{lines:?}");
}

#[test]
fn traces_mask_the_signature_certificate_not_the_others() {
    for reader in Reader::ALL {
        traces_behind(reader);
    }
}

fn traces_behind(reader: Reader) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let mut vc = VirtualCard::builder().reader(reader).build();
    let name_hex = hex::encode_upper(vc.holder().name.as_bytes());
    let mut card = Card::new(&mut vc);
    card.set_tracer(move |line| sink.lock().unwrap().push(line.to_string()));
    card.jpki()
        .verify_pin(&SignPin::new(VirtualCard::DEFAULT_SIGN_PIN).unwrap())
        .unwrap();
    let sign = card
        .jpki()
        .read_certificate_der(CertificateKind::Sign)
        .unwrap();
    let traced = std::mem::take(&mut *lines.lock().unwrap());
    // The name is in the certificate, not in its trace.
    assert!(hex::encode_upper(&sign).contains(&name_hex));
    assert!(!traced.iter().any(|l| l.contains(&name_hex)), "{traced:?}");
    let reads: Vec<_> = traced
        .iter()
        .skip_while(|l| !l.starts_with("> 00B0"))
        .filter(|l| l.starts_with("< "))
        .collect();
    let expected_reads = match reader {
        Reader::Extended => 1,
        _ => sign.len().div_ceil(256),
    };
    assert_eq!(reads.len(), expected_reads, "{reader:?}");
    for line in &reads {
        assert!(
            line.starts_with("< <") && line.ends_with(" of personal data>9000"),
            "{line}"
        );
    }

    // The user-authentication certificate holds no personal data: shown in full.
    let auth = card
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .unwrap();
    let traced = lines.lock().unwrap();
    let first = format!("< {}", hex::encode_upper(&auth[..256]));
    assert!(traced.iter().any(|l| l.starts_with(&first)), "{traced:?}");
    assert!(
        !traced.iter().any(|l| l.contains("personal data")),
        "{traced:?}"
    );
}

#[test]
fn pins_are_checked_before_the_card_and_never_shown() {
    let err = AuthPin::new("98765").unwrap_err();
    assert!(!err.to_string().contains("98765"), "{err}");
    let err = SignPin::new("SECRET!").unwrap_err();
    assert!(!err.to_string().contains("SECRET"), "{err}");
    let pin = SignPin::new("SECRET1").unwrap();
    assert!(!format!("{pin:?}").contains("SECRET"));
    let err: Error = AuthPin::new("12a4").unwrap_err().into();
    assert!(!err.to_string().contains("12a4"), "{err}");
}

#[test]
fn the_types_an_app_moves_to_a_worker_thread_are_send() {
    fn is_send<T: Send>() {}
    is_send::<Card<VirtualCard>>();
    is_send::<Card<Box<dyn Transport + Send>>>();
    is_send::<AuthPin>();
    is_send::<SignPin>();
    is_send::<Error>();
}

#[test]
fn changing_a_pin_verifies_then_sends_change_reference_data_once() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let old = AuthPin::new("1234").unwrap();
    let new = AuthPin::new("4321").unwrap();
    card.jpki().change_pin(&old, &new, LastTry::Refuse).unwrap();
    assert_eq!(
        log(&card),
        [
            SELECT_JPKI.to_owned(),
            select_ef(0x0018),
            EMPTY_VERIFY.to_owned(),
            VERIFY_1234.to_owned(),
            "002401800434333231".to_owned(),
        ]
    );
    // The old PIN is now wrong; the new one works.
    assert!(matches!(
        card.jpki().verify_pin(&old),
        Err(Error::WrongPin { tries_left: 2 })
    ));
    card.jpki().verify_pin(&new).unwrap();
}

#[test]
fn changing_a_pin_with_a_wrong_current_pin_sends_no_change() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let wrong = SignPin::new("WRONG1").unwrap();
    let new = SignPin::new("NEWPIN99").unwrap();
    let err = card
        .jpki()
        .change_pin(&wrong, &new, LastTry::Refuse)
        .unwrap_err();
    assert!(matches!(err, Error::WrongPin { tries_left: 4 }), "{err:?}");
    assert!(!log(&card).iter().any(|c| c.starts_with("00240180")));
    card.jpki()
        .verify_pin(&SignPin::new("ABC123").unwrap())
        .unwrap();
}

#[test]
fn changing_a_pin_at_one_try_left_is_refused_by_the_guard() {
    let mut vc = VirtualCard::builder().auth_tries_left(1).build();
    let mut card = Card::new(&mut vc);
    let pin = AuthPin::new("1234").unwrap();
    let err = card
        .jpki()
        .change_pin(&pin, &pin, LastTry::Refuse)
        .unwrap_err();
    assert!(matches!(err, Error::LastTryRefused { .. }), "{err:?}");
    assert_eq!(secrets_sent(&log(&card)), 0);
    assert!(!log(&card).iter().any(|c| c.starts_with("00240180")));
}
