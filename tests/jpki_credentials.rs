//! Kinds of JPKI credential: the token information file in both sizes, a card without a
//! signature certificate (EF 0008), and the Android smartphone credential whose
//! user-authentication certificate needs the auth PIN. Asserted on the recorded APDU log.

#![cfg(feature = "virtual-card")]

mod flow_support;

use std::sync::{Arc, Mutex};

use flow_support::{
    edited, log, reads, secrets_sent, select_ef, shared_log, status_sfi, strict, verify_sfi,
    SELECT_CARD_FACE, SELECT_JPKI,
};
use mynumbercard::access_code::AccessCodeB;
use mynumbercard::eligibility::Confirmation;
use mynumbercard::jpki::Presence;
use mynumbercard::virtual_card::{Reader, VirtualCardBuilder};
use mynumbercard::{
    AuthPin, Card, CardKind, CertificateKind, Error, KeyKind, LastTry, PinKind, SignPin,
    VirtualCard,
};

const READ_LABEL: &str = "00B0000020";
const READ_WHOLE: &str = "00B0000000";
const READ_AVAILABILITY: &str = "00B0000003";
const SIGN_PIN: &str = "ABC123";

fn sign_pin() -> SignPin {
    SignPin::new(SIGN_PIN).unwrap()
}

fn auth_pin() -> AuthPin {
    AuthPin::new("1234").unwrap()
}

#[test]
fn the_availability_file_is_three_bytes_after_two_selects() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let availability = card.jpki().certificate_availability().unwrap();
    assert_eq!(availability.raw(), [0x8F, 0x8F, 0x00]);
    assert!(availability.holds_sign_certificate() && availability.holds_auth_certificate());
    assert_eq!(
        log(&card),
        [SELECT_JPKI, &select_ef(0x0008), READ_AVAILABILITY]
    );
}

#[test]
fn a_card_without_a_signature_certificate_says_so_and_spends_no_try() {
    let mut vc = VirtualCard::builder()
        .without_signature_certificate()
        .build();
    let tries = vc.all_tries_left();
    let mut card = Card::new(&mut vc);
    let availability = card.jpki().certificate_availability().unwrap();
    assert_eq!(availability.sign(), Presence::Absent);
    assert!(availability.holds_auth_certificate());
    card.transport_mut().clear_log();

    let no_certificate = |result: Result<(), Error>| {
        assert!(
            matches!(result, Err(Error::NoSignatureCertificate)),
            "{result:?}"
        );
    };
    no_certificate(card.jpki().verify_pin(&sign_pin()));
    assert_eq!(
        log(&card),
        [
            SELECT_JPKI,
            &status_sfi(0x001B),
            &select_ef(0x001B),
            &select_ef(0x0008),
            READ_AVAILABILITY
        ],
        "the PIN file is found neither by short identifier nor by SELECT; EF 0008 tells why"
    );
    // A missing file is no refusal of short file identifiers: the auth PIN is still asked so.
    card.transport_mut().clear_log();
    card.jpki().pin_status(PinKind::Auth).unwrap();
    assert_eq!(log(&card), [status_sfi(0x0018)]);
    card.transport_mut().clear_log();
    no_certificate(card.jpki().pin_status(PinKind::Sign).map(drop));
    no_certificate(
        card.jpki()
            .read_certificate_der(CertificateKind::Sign)
            .map(drop),
    );
    no_certificate(
        card.jpki()
            .sign_sha256_with_pin(&sign_pin(), &[0x5A; 32], LastTry::Refuse)
            .map(drop),
    );
    no_certificate(
        card.jpki()
            .sign_sha256(KeyKind::Sign, &[0x5A; 32])
            .map(drop),
    );
    assert_eq!(secrets_sent(&log(&card)), 0);
    // The auth side works as on any card.
    card.jpki()
        .sign_sha256_with_pin(&auth_pin(), &[0x5A; 32], LastTry::Refuse)
        .unwrap();
    card.jpki()
        .read_certificate_der(CertificateKind::SignCa)
        .unwrap();
    drop(card);
    assert_eq!(vc.all_tries_left(), tries);
    assert!(Error::NoSignatureCertificate
        .to_string()
        .contains("under 15"));
}

#[test]
fn a_missing_file_on_a_card_that_shows_the_certificate_stays_a_missing_file() {
    let vc = Arc::new(Mutex::new(VirtualCard::new()));
    let missing = edited(vc.clone(), |command, _, response| match command {
        [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x1B] | [0x00, 0x20, 0x00, 0x9B, ..] => {
            vec![0x6A, 0x82]
        }
        _ => response,
    });
    let mut card = Card::new(missing);
    assert!(matches!(
        card.jpki().verify_pin(&sign_pin()),
        Err(Error::FileNotFound { .. })
    ));
    assert_eq!(
        shared_log(&vc),
        [
            SELECT_JPKI,
            &status_sfi(0x001B),
            &select_ef(0x001B),
            &select_ef(0x0008),
            READ_AVAILABILITY
        ]
    );
}

#[test]
fn token_info_reads_the_label_or_the_whole_pkcs11_record_in_one_read() {
    type Builder = fn() -> VirtualCardBuilder;
    let builders: [(Builder, CardKind, &str); 3] = [
        (
            VirtualCard::builder,
            CardKind::MyNumberCard,
            "JPKIAPICCTOKEN2",
        ),
        (
            || VirtualCard::builder().android_credential(),
            CardKind::AndroidToken,
            "JPKIAPGPSETOKEN",
        ),
        (
            || VirtualCard::builder().iphone_credential(),
            CardKind::IphoneToken,
            "JPKIAPIOSTOKEN",
        ),
    ];
    for (builder, kind, label) in builders {
        for whole_record in [false, true] {
            let mut vc = builder().token_record(whole_record).build();
            let mut card = Card::new(&mut vc);
            let info = card.jpki().token_info().unwrap();
            assert_eq!((&info.kind, info.label.as_str()), (&kind, label));
            assert_eq!(info.raw.len(), if whole_record { 160 } else { 32 });
            assert_eq!(info.record.is_some(), whole_record);
            assert_eq!(log(&card), [SELECT_JPKI, &select_ef(0x0006), READ_WHOLE]);
            card.transport_mut().clear_log();
            assert_eq!(
                card.jpki().identify().unwrap(),
                kind,
                "identify reads 32 bytes"
            );
            assert_eq!(log(&card), [READ_LABEL]);
        }
    }
    let mut vc = VirtualCard::builder().token_record(true).build();
    let record = Card::new(&mut vc)
        .jpki()
        .token_info()
        .unwrap()
        .record
        .unwrap();
    assert_eq!(record.manufacturer_id, "VIRTUAL CARD");
    assert_eq!((record.min_pin_len, record.max_pin_len), (4, 16));
}

#[test]
fn a_strict_card_is_asked_for_the_label_alone() {
    let vc = Arc::new(Mutex::new(VirtualCard::new()));
    let mut card = Card::new(strict(vc.clone()));
    let info = card.jpki().token_info().unwrap();
    assert_eq!(info.kind, CardKind::MyNumberCard);
    assert_eq!(
        shared_log(&vc),
        [SELECT_JPKI, &select_ef(0x0006), READ_WHOLE, READ_LABEL]
    );
}

#[test]
fn nul_padding_is_trimmed_like_spaces() {
    let vc = Arc::new(Mutex::new(VirtualCard::new()));
    let nul_padded = edited(vc, |command, selected, response| {
        match (command, selected) {
            ([0x00, 0xB0, ..], Some(0x0006)) => {
                let mut label = b"JPKIAPGPSETOKEN".to_vec();
                label.resize(32, 0x00);
                label.extend_from_slice(&[0x90, 0x00]);
                label
            }
            _ => response,
        }
    });
    let mut card = Card::new(nul_padded);
    assert_eq!(card.jpki().identify().unwrap(), CardKind::AndroidToken);
    assert_eq!(card.jpki().token_info().unwrap().label, "JPKIAPGPSETOKEN");
}

/// The commands that read the auth certificate (EF 000A, the application selected) behind
/// `reader`: one READ BINARY by short file identifier asking for the 16 KiB cap, or SELECT EF
/// and one READ BINARY per 256 bytes.
fn auth_certificate_reads(reader: Reader, len: usize) -> Vec<String> {
    match reader {
        Reader::Extended => vec!["00B08A00004000".to_owned()],
        _ => {
            let mut sent = vec![select_ef(0x000A)];
            sent.extend(reads(len));
            sent
        }
    }
}

/// The first of those, which the Android credential refuses (`6982`) before the auth PIN.
fn refused_auth_certificate_read(reader: Reader) -> Vec<String> {
    let mut sent = auth_certificate_reads(reader, 256);
    sent.truncate(if reader == Reader::Extended { 1 } else { 2 });
    sent
}

fn android(reader: Reader) -> VirtualCard {
    VirtualCard::builder()
        .android_credential()
        .reader(reader)
        .build()
}

#[test]
fn the_android_credentials_auth_certificate_needs_the_pin_and_says_so() {
    for reader in Reader::ALL {
        let mut vc = android(reader);
        let der = vc.certificate_der(CertificateKind::Auth).to_vec();
        let mut card = Card::new(&mut vc);
        let needs_pin = |result: Result<Vec<u8>, Error>| {
            assert!(
                matches!(result, Err(Error::AuthCertificateNeedsPin)),
                "{result:?}"
            );
        };
        needs_pin(card.jpki().read_certificate_der(CertificateKind::Auth));
        let mut expected = vec![SELECT_JPKI.to_owned()];
        expected.extend(refused_auth_certificate_read(reader));
        expected.extend([select_ef(0x0006), READ_LABEL.to_owned()]);
        assert_eq!(
            log(&card),
            expected,
            "the refused read, then the label once, {reader:?}"
        );
        card.transport_mut().clear_log();
        needs_pin(card.jpki().read_certificate_der(CertificateKind::Auth));
        assert!(log(&card).is_empty(), "known for the session: nothing sent");
        // The CA certificates are free, as on the plastic card.
        card.jpki()
            .read_certificate_der(CertificateKind::AuthCa)
            .unwrap();
        card.jpki().verify_pin(&auth_pin()).unwrap();
        card.transport_mut().clear_log();
        assert_eq!(
            card.jpki()
                .read_certificate_der(CertificateKind::Auth)
                .unwrap(),
            der
        );
        assert_eq!(log(&card), auth_certificate_reads(reader, der.len()));
    }
    assert!(Error::AuthCertificateNeedsPin
        .to_string()
        .contains("auth PIN"));
}

#[test]
fn visual_mode_on_the_android_credential_is_a_distinct_error_and_sends_no_code() {
    for reader in Reader::ALL {
        let mut vc = android(reader);
        let tries = vc.all_tries_left();
        let mut card = Card::new(&mut vc);
        let code = AccessCodeB::new("02010120351234").unwrap();
        for access_code_b in [None, Some(&code)] {
            assert!(matches!(
                card.eligibility_check(Confirmation::Visual { access_code_b }),
                Err(Error::AuthCertificateNeedsPin)
            ));
        }
        let mut expected = vec![SELECT_JPKI.to_owned()];
        expected.extend(refused_auth_certificate_read(reader));
        expected.extend([select_ef(0x0006), READ_LABEL.to_owned()]);
        assert_eq!(log(&card), expected, "the second check sends nothing");
        assert!(!log(&card).iter().any(|c| c == SELECT_CARD_FACE));
        drop(card);
        assert_eq!(vc.all_tries_left(), tries);
    }
}

/// The APDUs of one PIN-mode check on a fresh plastic virtual card behind `reader`.
fn plastic_pin_mode_apdus(reader: Reader) -> usize {
    let mut vc = VirtualCard::builder().reader(reader).build();
    let mut card = Card::new(&mut vc);
    let pin = auth_pin();
    card.eligibility_check(Confirmation::Pin {
        pin: &pin,
        challenge: b"nonce",
        last_try: LastTry::Refuse,
    })
    .unwrap();
    log(&card).len()
}

#[test]
fn pin_mode_on_the_android_credential_verifies_the_pin_before_reading_the_certificate() {
    for reader in Reader::ALL {
        let mut vc = android(reader);
        let der = vc.certificate_der(CertificateKind::Auth).to_vec();
        let mut card = Card::new(&mut vc);
        let pin = auth_pin();
        let check = |card: &mut Card<&mut VirtualCard>| {
            card.eligibility_check(Confirmation::Pin {
                pin: &pin,
                challenge: b"nonce",
                last_try: LastTry::Refuse,
            })
            .unwrap()
        };
        let evidence = check(&mut card);
        assert_eq!(evidence.certificate_der(), der);
        assert_eq!(evidence.signature().map(<[u8]>::len), Some(256));
        // The PIN (by short file identifier), then the certificate, then the signature.
        let mut pin_then_read = vec![status_sfi(0x0018), verify_sfi(0x0018, b"1234")];
        pin_then_read.extend(auth_certificate_reads(reader, der.len()));
        let refused = refused_auth_certificate_read(reader);
        let mut first = vec![SELECT_JPKI.to_owned()];
        first.extend(refused.clone());
        first.extend(pin_then_read.clone());
        let sent = log(&card);
        assert_eq!(
            sent[..sent.len() - 1],
            first[..],
            "no label read, {reader:?}"
        );
        assert!(sent[sent.len() - 1].starts_with("802A00"));
        assert_eq!(
            sent.len(),
            plastic_pin_mode_apdus(reader) + refused.len(),
            "the refused read is the only extra"
        );
        assert_eq!(secrets_sent(&sent), 1);

        // The session knows now: the next check verifies first, at the plastic card's cost
        // (the guard selects the application in its own transaction).
        card.transport_mut().clear_log();
        check(&mut card);
        let sent = log(&card);
        pin_then_read.insert(0, SELECT_JPKI.to_owned());
        assert_eq!(sent[..sent.len() - 1], pin_then_read[..]);
        assert_eq!(
            sent.len(),
            plastic_pin_mode_apdus(reader),
            "the plastic card's count"
        );
    }
}

#[test]
fn after_identify_pin_mode_wastes_nothing_on_the_android_credential() {
    for reader in Reader::ALL {
        let mut vc = android(reader);
        let mut card = Card::new(&mut vc);
        assert_eq!(card.jpki().identify().unwrap(), CardKind::AndroidToken);
        card.transport_mut().clear_log();
        let pin = auth_pin();
        card.eligibility_check(Confirmation::Pin {
            pin: &pin,
            challenge: b"nonce",
            last_try: LastTry::Refuse,
        })
        .unwrap();
        let sent = log(&card);
        assert_eq!(sent[..2], [SELECT_JPKI.to_owned(), status_sfi(0x0018)]);
        assert_eq!(
            sent.len(),
            plastic_pin_mode_apdus(reader),
            "the plastic card's count"
        );
    }
}
