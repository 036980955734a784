//! Fewer APDUs where the card and the transport allow: short file identifiers in the guard's
//! VERIFYs (the empty status VERIFY `00 20 00 80|SFI` is the probe) and in COMPUTE DIGITAL
//! SIGNATURE, and one extended-length READ BINARY per file where the transport declares
//! extended length; each falling back to SELECT and 256-byte reads when the card refuses,
//! remembered for the session. Asserted on the wire log of a [`Wire`] around the virtual card,
//! which refuses what a card of another kind would, or serves extended reads (answering short
//! where asked), each form chosen apart.

mod flow_support;

use flow_support::{
    reads, select_ef, status_sfi, verify, verify_sfi, Extended, Wire, EMPTY_VERIFY,
    SELECT_CARD_FACE, SELECT_CARD_INFO, SELECT_JPKI,
};
use mynumbercard::access_code::{AccessCodeB, CardInfoPin};
use mynumbercard::card_info::CardInfoKey;
use mynumbercard::testing::{Fault, Hostile};
use mynumbercard::{
    AuthPin, Card, CertificateKind, Error, KeyKind, LastTry, PinKind, PinStatus, SignPin,
    VirtualCard,
};
use sha2::{Digest, Sha256};

/// The whole-file Le the library asks for a certificate: its cap, 16 KiB (`00 40 00`).
const CERT_LE: &str = "004000";

/// An extended READ BINARY of EF `fid` by its short file identifier, offset 0, Le `le`.
fn read_sfi(fid: u16, le: &str) -> String {
    format!("00B0{:02X}00{le}", 0x80 | (fid & 0x1F))
}

/// COMPUTE DIGITAL SIGNATURE of SHA-256 `digest` with P2 `p2`.
fn sign(p2: u8, digest: &[u8]) -> String {
    format!(
        "802A00{p2:02X}33{}{}00",
        "3031300D060960864801650304020105000420",
        hex::encode_upper(digest)
    )
}

fn der(kind: CertificateKind) -> Vec<u8> {
    VirtualCard::new().certificate_der(kind).to_vec()
}

fn extended() -> Wire {
    Wire::new(VirtualCard::new()).extended(Extended::Answered { limit: 65_536 })
}

// (a) The probe and its fallback.

#[test]
fn a_card_refusing_short_file_identifiers_costs_one_probe_per_session() {
    let mut card = Card::new(Wire::refusing_sfi(VirtualCard::new()));
    card.jpki()
        .verify_pin(&AuthPin::new("1234").unwrap())
        .unwrap();
    assert_eq!(
        card.transport().log(),
        [
            SELECT_JPKI.to_owned(),
            "00200098".to_owned(),
            select_ef(0x0018),
            EMPTY_VERIFY.to_owned(),
            verify(b"1234"),
        ],
        "one refused probe, then SELECT EF and the VERIFY of the current EF"
    );

    // A second operation, and one on another application: no probe again.
    card.transport_mut().clear_log();
    assert_eq!(
        card.jpki().pin_status(PinKind::Sign).unwrap(),
        PinStatus::Remaining(5)
    );
    card.card_info()
        .verify_pin(&CardInfoPin::new("1234").unwrap())
        .unwrap();
    assert_eq!(
        card.transport().log(),
        [
            select_ef(0x001B),
            EMPTY_VERIFY.to_owned(),
            SELECT_CARD_INFO.to_owned(),
            select_ef(0x0011),
            EMPTY_VERIFY.to_owned(),
            verify(b"1234"),
        ]
    );

    // A new session asks again.
    let wire = card.into_transport();
    let mut card = Card::new(wire);
    card.transport_mut().clear_log();
    card.jpki().pin_status(PinKind::Auth).unwrap();
    assert_eq!(
        card.transport().log(),
        [
            SELECT_JPKI.to_owned(),
            "00200098".to_owned(),
            select_ef(0x0018),
            EMPTY_VERIFY.to_owned(),
        ]
    );
}

#[test]
fn a_card_answering_short_file_identifiers_is_asked_by_them_for_every_secret() {
    let mut card = Card::new(Wire::new(VirtualCard::new()));
    card.jpki()
        .verify_pin(&AuthPin::new("1234").unwrap())
        .unwrap();
    card.card_info()
        .verify_pin(&CardInfoPin::new("1234").unwrap())
        .unwrap();
    assert_eq!(
        card.transport().log(),
        [
            SELECT_JPKI.to_owned(),
            status_sfi(0x0018),
            verify_sfi(0x0018, b"1234"),
            SELECT_CARD_INFO.to_owned(),
            status_sfi(0x0011),
            verify_sfi(0x0011, b"1234"),
        ]
    );
}

#[test]
fn the_guard_refuses_the_last_try_by_short_file_identifier_too() {
    let mut card = Card::new(Wire::new(
        VirtualCard::builder().card_info_pin_tries_left(1).build(),
    ));
    let err = card
        .card_info()
        .verify_pin(&CardInfoPin::new("1234").unwrap())
        .unwrap_err();
    assert!(matches!(err, Error::LastTryRefused { .. }), "{err:?}");
    assert_eq!(
        card.transport().log(),
        [SELECT_CARD_INFO.to_owned(), status_sfi(0x0011)]
    );
    // Allowed, the VERIFY goes in the form the status was answered in.
    card.card_info()
        .verify_pin_with(&CardInfoPin::new("1234").unwrap(), LastTry::Allow)
        .unwrap();
    assert_eq!(
        card.card_info().pin_status(CardInfoKey::Pin).unwrap(),
        PinStatus::Verified
    );
    assert!(card
        .transport()
        .log()
        .contains(&verify_sfi(0x0011, b"1234")));
}

#[test]
fn a_pin_change_keeps_to_select_ef() {
    // CHANGE REFERENCE DATA acts on the current EF: the guard selects it, whatever the card
    // takes, and the VERIFY before it goes to the current EF.
    let mut card = Card::new(Wire::new(VirtualCard::new()));
    let (old, new) = (AuthPin::new("1234").unwrap(), AuthPin::new("4321").unwrap());
    card.jpki().change_pin(&old, &new, LastTry::Refuse).unwrap();
    assert_eq!(
        card.transport().log(),
        [
            SELECT_JPKI.to_owned(),
            select_ef(0x0018),
            EMPTY_VERIFY.to_owned(),
            verify(b"1234"),
            "002401800434333231".to_owned(),
        ]
    );
    card.jpki().verify_pin(&new).unwrap();
}

// (b) Extended-length reads.

#[test]
fn a_virtual_card_of_the_refusing_kind_refuses_extended_length() {
    let mut vc = VirtualCard::builder()
        .profile(mynumbercard::virtual_card::Profile::RefusesExtendedLength)
        .reader(mynumbercard::virtual_card::Reader::ShortOnly)
        .build();
    let select = hex::decode(SELECT_JPKI).unwrap();
    assert_eq!(vc.handle(&select), [0x90, 0x00]);
    let read = hex::decode(read_sfi(0x000A, CERT_LE)).unwrap();
    assert_eq!(vc.handle(&read), [0x67, 0x00]);
    assert!(!mynumbercard::Transport::capabilities(&vc).extended_length);
}

#[test]
fn a_certificate_in_one_extended_read_by_short_file_identifier() {
    let mut card = Card::new(extended());
    let auth = card
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .unwrap();
    assert_eq!(auth, der(CertificateKind::Auth));
    // `00 B0 8A 00 00 40 00`: EF 000A by its short file identifier, Le the 16 KiB cap.
    assert_eq!(
        card.transport().log(),
        [SELECT_JPKI.to_owned(), read_sfi(0x000A, CERT_LE)]
    );
    assert_eq!(read_sfi(0x000A, CERT_LE), "00B08A00004000");

    // The next one: one APDU (the application stays selected on this exclusive transport).
    card.transport_mut().clear_log();
    let ca = card
        .jpki()
        .read_certificate_der(CertificateKind::AuthCa)
        .unwrap();
    assert_eq!(ca, der(CertificateKind::AuthCa));
    assert_eq!(card.transport().log(), [read_sfi(0x000B, CERT_LE)]);
}

#[test]
fn the_signature_certificate_and_the_card_face_in_one_read_each() {
    let mut card = Card::new(extended());
    card.jpki()
        .verify_pin(&SignPin::new("ABC123").unwrap())
        .unwrap();
    card.transport_mut().clear_log();
    let sign = card
        .jpki()
        .read_certificate_der(CertificateKind::Sign)
        .unwrap();
    assert_eq!(sign, der(CertificateKind::Sign));
    assert_eq!(card.transport().log(), [read_sfi(0x0001, CERT_LE)]);

    // Visual mode with access code B: the auth certificate, the code, the card face (4,814
    // bytes) in one read: 6 APDUs.
    let mut card = Card::new(extended());
    let code = AccessCodeB::new("02010120351234").unwrap();
    let evidence = card
        .eligibility_check(mynumbercard::eligibility::Confirmation::Visual {
            access_code_b: Some(&code),
        })
        .unwrap();
    assert!(evidence.face_photo().is_some());
    let log = card.transport().log();
    assert_eq!(log.len(), 6, "{log:?}");
    assert_eq!(
        log[..5],
        [
            SELECT_JPKI.to_owned(),
            read_sfi(0x000A, CERT_LE),
            SELECT_CARD_FACE.to_owned(),
            status_sfi(0x0012),
            verify_sfi(0x0012, b"02010120351234"),
        ]
    );
    assert!(log[5].starts_with("00B08200"), "{}", log[5]);
}

#[test]
fn a_refused_extended_read_falls_back_to_256_byte_reads_once_per_session() {
    let mut card = Card::new(Wire::new(VirtualCard::new()).extended(Extended::Refused));
    let auth = card
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .unwrap();
    assert_eq!(auth, der(CertificateKind::Auth));
    let mut expected = vec![
        SELECT_JPKI.to_owned(),
        read_sfi(0x000A, CERT_LE),
        select_ef(0x000A),
    ];
    expected.extend(reads(auth.len()));
    assert_eq!(card.transport().log(), expected, "one refused probe (6700)");

    // No second probe: neither an extended read nor (the probe's refusal counts for every
    // form still unknown) a short file identifier in VERIFY.
    card.transport_mut().clear_log();
    let ca = card
        .jpki()
        .read_certificate_der(CertificateKind::AuthCa)
        .unwrap();
    card.jpki()
        .verify_pin(&AuthPin::new("1234").unwrap())
        .unwrap();
    let mut expected = vec![select_ef(0x000B)];
    expected.extend(reads(ca.len()));
    expected.extend([
        SELECT_JPKI.to_owned(),
        select_ef(0x0018),
        EMPTY_VERIFY.to_owned(),
        verify(b"1234"),
    ]);
    assert_eq!(card.transport().log(), expected);
}

#[test]
fn a_short_extended_answer_reads_on_from_where_it_stopped() {
    // The card answers 9000 with at most 1,000 bytes: the sign certificate (1,765 bytes) goes
    // on from offset 1000 (03E8) after a SELECT of its EF, in 256-byte reads for the 765 left.
    let mut card =
        Card::new(Wire::new(VirtualCard::new()).extended(Extended::Answered { limit: 1000 }));
    card.jpki()
        .verify_pin(&SignPin::new("ABC123").unwrap())
        .unwrap();
    card.transport_mut().clear_log();
    let sign = card
        .jpki()
        .read_certificate_der(CertificateKind::Sign)
        .unwrap();
    assert_eq!(sign, der(CertificateKind::Sign));
    assert_eq!(sign.len(), 1765);
    assert_eq!(
        card.transport().log(),
        [
            read_sfi(0x0001, CERT_LE),
            select_ef(0x0001),
            "00B003E800".to_owned(),
            "00B004E800".to_owned(),
            "00B005E8FD".to_owned(),
        ]
    );

    // Remembered: the next file is read in 256-byte reads, no extended read tried.
    card.transport_mut().clear_log();
    let ca = card
        .jpki()
        .read_certificate_der(CertificateKind::SignCa)
        .unwrap();
    let mut expected = vec![select_ef(0x0002)];
    expected.extend(reads(ca.len()));
    assert_eq!(card.transport().log(), expected);
}

#[test]
fn a_certificate_is_whole_or_not_at_all_when_the_rest_of_a_short_answer_fails() {
    // After the VERIFY (calls 0-2): the extended read (1,000 of 1,765 bytes, call 3), SELECT EF
    // (4), the first read of the rest (5): the card is removed at each.
    for at in 3..=5 {
        let hostile = Hostile::new(VirtualCard::new())
            .with_extended_reads(1000)
            .with_exclusive(true);
        let mut card = Card::new(hostile);
        card.jpki()
            .verify_pin(&SignPin::new("ABC123").unwrap())
            .unwrap();
        let verify_calls = card.transport().calls();
        assert_eq!(verify_calls, 3);
        card.transport_mut().add_fault(at, Fault::Removed);
        let result = card.jpki().read_certificate_der(CertificateKind::Sign);
        assert!(
            matches!(result, Err(Error::CardRemoved)),
            "{at}: {:?}",
            result.map(|der| der.len())
        );
    }

    // A card whose continuation read answers an error: an error, not 1,000 bytes.
    let hostile = Hostile::new(VirtualCard::new())
        .with_extended_reads(1000)
        .with_fault(5, Fault::Status(0x6A82));
    let mut card = Card::new(hostile);
    card.jpki()
        .verify_pin(&SignPin::new("ABC123").unwrap())
        .unwrap();
    let result = card.jpki().read_certificate_der(CertificateKind::Sign);
    assert!(
        matches!(result, Err(Error::FileNotFound { .. })),
        "{:?}",
        result.map(|der| der.len())
    );
}

// (c) Signing by short file identifier.

#[test]
fn signing_names_the_key_by_its_short_file_identifier() {
    let digest: [u8; 32] = Sha256::digest(b"challenge").into();
    let mut card = Card::new(Wire::new(VirtualCard::new()));
    let signature = card
        .jpki()
        .sign_sha256_with_pin(&AuthPin::new("1234").unwrap(), &digest, LastTry::Refuse)
        .unwrap();
    card.transport()
        .card()
        .public_key(KeyKind::Auth)
        .verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, &signature)
        .unwrap();
    assert_eq!(
        card.transport().log(),
        [
            SELECT_JPKI.to_owned(),
            status_sfi(0x0018),
            verify_sfi(0x0018, b"1234"),
            sign(0x97, &digest),
        ],
        "4 APDUs"
    );
}

#[test]
fn a_card_refusing_a_short_file_identifier_in_signing_falls_back_once_per_session() {
    let digest: [u8; 32] = Sha256::digest(b"challenge").into();
    let mut card = Card::new(Wire::new(VirtualCard::new()).refuse_sign_sfi());
    let mut jpki = card.jpki();
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    let first = jpki.sign_sha256(KeyKind::Auth, &digest).unwrap();
    let second = jpki.sign_sha256(KeyKind::Auth, &digest).unwrap();
    assert_eq!(first, second);
    jpki.verify_pin(&SignPin::new("ABC123").unwrap()).unwrap();
    jpki.sign_sha256(KeyKind::Sign, &digest).unwrap();
    assert_eq!(
        card.transport().log(),
        [
            SELECT_JPKI.to_owned(),
            status_sfi(0x0018),
            verify_sfi(0x0018, b"1234"),
            sign(0x97, &digest),
            select_ef(0x0017),
            sign(0x80, &digest),
            // Remembered: the key EF is still selected, no second try by SFI.
            sign(0x80, &digest),
            SELECT_JPKI.to_owned(),
            status_sfi(0x001B),
            verify_sfi(0x001B, b"ABC123"),
            select_ef(0x001A),
            sign(0x80, &digest),
        ]
    );
}

#[test]
fn a_card_taking_short_file_identifiers_in_reads_but_not_in_verify_is_probed_once() {
    // Extended reads by short file identifier answered; VERIFY by short file identifier
    // refused: the refusal is remembered apart, so later VERIFYs send no probe, and signing
    // keeps to SELECT (it is tried by short file identifier only once VERIFY answered one).
    let digest = [0x5A; 32];
    let mut card = Card::new(extended().refuse_verify_sfi());
    card.jpki()
        .read_certificate_der(CertificateKind::Auth)
        .unwrap();
    for _ in 0..2 {
        card.jpki()
            .sign_sha256_with_pin(&AuthPin::new("1234").unwrap(), &digest, LastTry::Refuse)
            .unwrap();
    }
    card.jpki()
        .read_certificate_der(CertificateKind::AuthCa)
        .unwrap();
    let guarded_sign = [
        SELECT_JPKI.to_owned(),
        select_ef(0x0018),
        EMPTY_VERIFY.to_owned(),
        verify(b"1234"),
        select_ef(0x0017),
        sign(0x80, &digest),
    ];
    let mut expected = vec![
        SELECT_JPKI.to_owned(),
        read_sfi(0x000A, CERT_LE),
        SELECT_JPKI.to_owned(),
        status_sfi(0x0018),
        select_ef(0x0018),
        EMPTY_VERIFY.to_owned(),
        verify(b"1234"),
        select_ef(0x0017),
        sign(0x80, &digest),
    ];
    expected.extend(guarded_sign);
    expected.push(read_sfi(0x000B, CERT_LE));
    assert_eq!(card.transport().log(), expected);
}

// (d) A card refusing both forms.

/// One operation on a card.
type Run = fn(&mut Card<Wire>);

/// The operations of the APDU budget, each from a fresh session, with their counts before
/// short file identifiers and extended reads (SELECT of every EF, 256-byte reads).
fn select_path_counts() -> Vec<(&'static str, u64, Run)> {
    let card = VirtualCard::new();
    let cert = |kind| (card.certificate_der(kind).len().div_ceil(256)) as u64;
    let (auth, sign_cert) = (cert(CertificateKind::Auth), cert(CertificateKind::Sign));
    vec![
        ("identify", 3, |c| {
            c.jpki().identify().unwrap();
        }),
        ("read auth certificate", 2 + auth, |c| {
            c.jpki()
                .read_certificate_der(CertificateKind::Auth)
                .unwrap();
        }),
        ("pin status", 3, |c| {
            c.jpki().pin_status(PinKind::Auth).unwrap();
        }),
        ("verify", 4, |c| {
            c.jpki().verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
        }),
        ("verify + read sign certificate", 4 + 1 + sign_cert, |c| {
            let mut jpki = c.jpki();
            jpki.verify_pin(&SignPin::new("ABC123").unwrap()).unwrap();
            jpki.read_certificate_der(CertificateKind::Sign).unwrap();
        }),
        ("verify and sign", 6, |c| {
            c.jpki()
                .sign_sha256_with_pin(&AuthPin::new("1234").unwrap(), &[1; 32], LastTry::Refuse)
                .unwrap();
        }),
        ("eligibility, PIN mode", auth + 7, |c| {
            let pin = AuthPin::new("1234").unwrap();
            c.eligibility_check(mynumbercard::eligibility::Confirmation::Pin {
                pin: &pin,
                challenge: b"nonce",
                last_try: LastTry::Refuse,
            })
            .unwrap();
        }),
    ]
}

#[test]
fn a_card_refusing_both_forms_costs_the_select_path_plus_one_probe_per_session() {
    for (name, old, op) in select_path_counts() {
        for (transport, what) in [
            (
                Wire::refusing_sfi(VirtualCard::new()).extended(Extended::Refused),
                "extended declared, refused",
            ),
            (
                Wire::refusing_sfi(VirtualCard::new()),
                "short APDUs, SFI refused",
            ),
        ] {
            let mut card = Card::new(transport);
            op(&mut card);
            let sent = card.transport().log().len() as u64;
            // Identify reads 32 bytes: no extended read, no VERIFY: nothing to probe. A read
            // on a short-APDU transport probes nothing either.
            let probes = match (name, what) {
                ("identify", _) => 0,
                ("read auth certificate", "short APDUs, SFI refused") => 0,
                _ => 1,
            };
            assert_eq!(
                sent,
                old + probes,
                "{name} ({what}): {:?}",
                card.transport().log()
            );
        }
    }

    // All of them in one session: one probe in all.
    let mut card = Card::new(Wire::refusing_sfi(VirtualCard::new()).extended(Extended::Refused));
    let mut total = 0;
    for (_, old, op) in select_path_counts() {
        op(&mut card);
        total += old;
    }
    let probes = card
        .transport()
        .log()
        .iter()
        .filter(|c| *c == "00200098" || c.starts_with("00B08") || c.starts_with("802A0097"))
        .count();
    assert_eq!(probes, 1, "{:?}", card.transport().log());
    // Fewer than the fresh-session counts' sum: later operations reuse the selection.
    assert!((card.transport().log().len() as u64) < total + 1);
}
