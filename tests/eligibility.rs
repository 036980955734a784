//! The eligibility check, both modes, asserted on the virtual card's recorded APDU log.

mod flow_support;

use flow_support::*;
use mynumbercard::access_code::AccessCodeB;
use mynumbercard::eligibility::{Confirmation, Confirmed};
use mynumbercard::virtual_card::Reader;
use mynumbercard::{AuthPin, Card, CertificateKind, Error, KeyKind, LastTry, VirtualCard};
use sha2::{Digest, Sha256};

const CHALLENGE: &[u8] = b"nonce from the eligibility service";

fn pin_mode(pin: &AuthPin) -> Confirmation<'_> {
    Confirmation::Pin {
        pin,
        challenge: CHALLENGE,
        last_try: LastTry::Refuse,
    }
}

/// The commands that read the auth certificate behind `reader` (the application selected):
/// one extended READ BINARY of EF 000A by its short file identifier asking for the 16 KiB cap,
/// or SELECT EF and 256-byte reads.
fn certificate_reads(reader: Reader, cert_len: usize) -> Vec<String> {
    match reader {
        Reader::Extended => vec!["00B08A00004000".to_owned()],
        _ => {
            let mut sent = vec![select_ef(0x000A)];
            sent.extend(reads(cert_len));
            sent
        }
    }
}

#[test]
fn pin_mode_costs_the_certificate_reads_plus_four_apdus() {
    for reader in Reader::ALL {
        pin_mode_behind(reader);
    }
}

fn pin_mode_behind(reader: Reader) {
    let mut vc = VirtualCard::builder().reader(reader).build();
    let cert = vc.certificate_der(CertificateKind::Auth).to_vec();
    let key = vc.public_key(KeyKind::Auth);
    let mut card = Card::new(&mut vc);
    let pin = AuthPin::new("1234").unwrap();
    let evidence = card.eligibility_check(pin_mode(&pin)).unwrap();
    assert_eq!(evidence.certificate_der(), cert);
    assert_eq!(evidence.certificate.kind(), Some(CertificateKind::Auth));
    let signature = evidence.signature().unwrap();
    // Independently: RSA PKCS#1 v1.5 with SHA-256 over the challenge bytes.
    key.verify(
        rsa::Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(CHALLENGE),
        signature,
    )
    .unwrap();

    // The application selected once in the check's transaction; the PIN (EF 0018) and the
    // key (EF 0017) named by their short file identifiers.
    let mut expected = vec![SELECT_JPKI.to_owned()];
    let reads = certificate_reads(reader, cert.len());
    let certificate_apdus = reads.len();
    expected.extend(reads);
    expected.extend([
        status_sfi(0x0018),
        verify_sfi(0x0018, b"1234"),
        format!(
            "802A009733{}{}00",
            "3031300D060960864801650304020105000420",
            hex::encode_upper(Sha256::digest(CHALLENGE))
        ),
    ]);
    let sent = log(&card);
    assert_eq!(sent, expected, "{reader:?}");
    assert_eq!(sent.len(), certificate_apdus + 4);
    match reader {
        Reader::Extended => assert_eq!(sent.len(), 5, "the certificate in one READ BINARY"),
        _ => assert_eq!(certificate_apdus, 1 + cert.len().div_ceil(256)),
    }
    assert!(card.pin_verified(), "the session will end by unpowering");
}

#[test]
fn pin_mode_on_a_card_refusing_short_file_identifiers_costs_seven_and_one_probe() {
    let vc = VirtualCard::new();
    let cert_len = vc.certificate_der(CertificateKind::Auth).len();
    let mut card = Card::new(Wire::refusing_sfi(vc));
    let pin = AuthPin::new("1234").unwrap();
    card.eligibility_check(pin_mode(&pin)).unwrap();
    let mut expected = vec![SELECT_JPKI.to_owned(), select_ef(0x000A)];
    expected.extend(reads(cert_len));
    expected.extend([
        "00200098".to_owned(),
        select_ef(0x0018),
        EMPTY_VERIFY.to_owned(),
        verify(b"1234"),
        select_ef(0x0017),
        format!(
            "802A008033{}{}00",
            "3031300D060960864801650304020105000420",
            hex::encode_upper(Sha256::digest(CHALLENGE))
        ),
    ]);
    assert_eq!(card.transport().log(), expected);
    assert_eq!(expected.len(), cert_len.div_ceil(256) + 7 + 1);
}

#[test]
fn pin_mode_with_a_wrong_pin_signs_nothing() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let pin = AuthPin::new("9999").unwrap();
    let err = card.eligibility_check(pin_mode(&pin)).unwrap_err();
    assert!(matches!(err, Error::WrongPin { tries_left: 2 }), "{err:?}");
    let sent = log(&card);
    assert_eq!(secrets_sent(&sent), 1);
    assert!(
        !sent.iter().any(|c| c.starts_with("802A")),
        "no signature asked"
    );
}

#[test]
fn pin_mode_refuses_the_last_try_without_sending_the_pin() {
    let mut vc = VirtualCard::builder().auth_tries_left(1).build();
    let mut card = Card::new(&mut vc);
    let pin = AuthPin::new("1234").unwrap();
    let err = card.eligibility_check(pin_mode(&pin)).unwrap_err();
    assert!(matches!(err, Error::LastTryRefused { .. }), "{err:?}");
    let sent = log(&card);
    assert_eq!(secrets_sent(&sent), 0);
    assert_eq!(sent.last().unwrap(), &status_sfi(0x0018));
    assert_eq!(card.transport().tries_left(mynumbercard::PinKind::Auth), 1);
}

#[test]
fn pin_mode_on_a_blocked_pin_sends_nothing_secret() {
    let mut vc = VirtualCard::builder().auth_tries_left(0).build();
    let mut card = Card::new(&mut vc);
    let pin = AuthPin::new("1234").unwrap();
    let confirmation = Confirmation::Pin {
        pin: &pin,
        challenge: CHALLENGE,
        last_try: LastTry::Allow,
    };
    let err = card.eligibility_check(confirmation).unwrap_err();
    assert!(matches!(err, Error::Blocked { .. }), "{err:?}");
    assert_eq!(secrets_sent(&log(&card)), 0);
}

#[test]
fn visual_mode_without_a_code_reads_only_the_certificate() {
    for reader in Reader::ALL {
        let mut vc = VirtualCard::builder().reader(reader).build();
        let cert_len = vc.certificate_der(CertificateKind::Auth).len();
        let mut card = Card::new(&mut vc);
        let evidence = card
            .eligibility_check(Confirmation::Visual {
                access_code_b: None,
            })
            .unwrap();
        assert!(matches!(
            evidence.confirmed,
            Confirmed::Visual { card_face: None }
        ));
        let mut expected = vec![SELECT_JPKI.to_owned()];
        expected.extend(certificate_reads(reader, cert_len));
        assert_eq!(log(&card), expected, "{reader:?}");
        assert!(!card.pin_verified());
    }
}

#[test]
fn visual_mode_with_access_code_b_gives_the_photo_and_the_card_face() {
    for reader in Reader::ALL {
        visual_mode_with_code_behind(reader);
    }
}

fn visual_mode_with_code_behind(reader: Reader) {
    let mut vc = VirtualCard::builder().reader(reader).build();
    let cert_len = vc.certificate_der(CertificateKind::Auth).len();
    let face_len = vc
        .record_len(mynumbercard::card_face::APPLICATION.aid(), 0x0002)
        .unwrap();
    let mut card = Card::new(&mut vc);
    let code = AccessCodeB::new("02010120351234").unwrap();
    let evidence = card
        .eligibility_check(Confirmation::Visual {
            access_code_b: Some(&code),
        })
        .unwrap();
    let face = evidence.card_face().unwrap();
    assert_eq!(face.birth_date.to_string(), "1990-01-01");
    assert_eq!(face.expiry.year(), 2035);
    let photo = evidence.face_photo().unwrap();
    assert!(is_jp2(photo));

    let sent = log(&card);
    let mut expected = vec![SELECT_JPKI.to_owned()];
    expected.extend(certificate_reads(reader, cert_len));
    expected.extend([
        SELECT_CARD_FACE.to_owned(),
        status_sfi(0x0012),
        verify_sfi(0x0012, b"02010120351234"),
    ]);
    match reader {
        // The card-face record in one READ BINARY of EF 0002 by its short file identifier,
        // Le the 32 KiB cap: 6 APDUs in all.
        Reader::Extended => {
            expected.push("00B08200008000".to_owned());
            assert_eq!(expected.len(), 6);
        }
        _ => {
            expected.push(select_ef(0x0002));
            expected.extend(reads(face_len));
        }
    }
    assert_eq!(sent, expected, "{reader:?}");
    println!(
        "visual mode with access code B behind {reader:?}: {} APDUs",
        sent.len()
    );

    // The photo as a file: the JP2 signature box, and it decodes where OpenJPEG is installed.
    let dir = std::env::temp_dir().join(format!("mynumbercard-photo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("face.jp2");
    std::fs::write(&path, photo).unwrap();
    assert!(is_jp2(&std::fs::read(&path).unwrap()));
    match opj_decodes(&path) {
        Some(decoded) => assert!(decoded, "opj_decompress decodes the photo"),
        None => eprintln!("opj_decompress not installed: decoding not checked"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn visual_mode_with_a_wrong_code_is_an_error_with_the_tries_left() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let code = AccessCodeB::new("02010120350000").unwrap();
    let err = card
        .eligibility_check(Confirmation::Visual {
            access_code_b: Some(&code),
        })
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::WrongAccessCode {
                secret: mynumbercard::Secret::AccessCodeB,
                tries_left: 2
            }
        ),
        "{err:?}"
    );
    assert_eq!(secrets_sent(&log(&card)), 1);
}

#[test]
fn selecting_another_application_drops_the_jpki_pin_so_the_flows_never_rely_on_it() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    card.jpki()
        .verify_pin(&AuthPin::new("1234").unwrap())
        .unwrap();
    card.card_face()
        .code_status(mynumbercard::card_face::CardFaceKey::AccessCodeB)
        .unwrap();
    assert!(matches!(
        card.jpki().sign_sha256(KeyKind::Auth, &[0; 32]),
        Err(Error::SecurityStatusNotSatisfied)
    ));
}
