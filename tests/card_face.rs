//! The card-face application, asserted on the virtual card's recorded APDU log.

mod flow_support;

use flow_support::*;
use mynumbercard::access_code::{AccessCodeB, MyNumber};
use mynumbercard::calendar::CalendarDate;
use mynumbercard::card_face::CardFaceKey;
use mynumbercard::certificate::Sex;
use mynumbercard::virtual_card::Reader;
use mynumbercard::PinFormatError;
use mynumbercard::{Card, Error, LastTry, PinStatus, VirtualCard};

const PNG: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

fn code_b() -> AccessCodeB {
    let born = CalendarDate::new(1990, 1, 1).unwrap();
    AccessCodeB::from_parts(born, 2035, "1234").unwrap()
}

#[test]
fn access_code_b_opens_the_card_face_not_the_my_number_image() {
    // Behind a short-APDU reader: the record in 256-byte reads after a SELECT of its EF.
    let mut vc = VirtualCard::builder().reader(Reader::ShortOnly).build();
    let record_len = vc
        .record_len(mynumbercard::card_face::APPLICATION.aid(), 0x0002)
        .unwrap();
    let mut card = Card::new(&mut vc);
    let mut face = card.card_face();
    face.verify_access_code_b(&code_b()).unwrap();
    let record = face.read_record().unwrap();
    assert_eq!(record.birth_date, CalendarDate::new(1990, 1, 1).unwrap());
    assert_eq!(record.sex, Sex::Male);
    assert_eq!(record.expiry, CalendarDate::new(2035, 1, 1).unwrap());
    assert!(is_jp2(&record.face_photo));
    for image in [
        &record.name_image,
        &record.address_image,
        &record.security_code_image,
    ] {
        assert!(image.starts_with(&PNG));
    }
    assert_eq!(record.signature.len(), 256);
    let debug = format!("{record:?}");
    assert!(
        debug.contains("face_photo: \"") && debug.len() < 400,
        "{debug}"
    );
    assert!(matches!(
        face.read_my_number_image(),
        Err(Error::SecurityStatusNotSatisfied)
    ));

    let sent = log(&card);
    let face_reads = sent
        .iter()
        .skip(4)
        .take_while(|c| c.starts_with("00B0"))
        .count();
    assert_eq!(
        face_reads,
        record_len.div_ceil(256),
        "a card face of {record_len} bytes"
    );
    // Access code B (EF 0012) named by its short file identifier: `00 20 00 92`.
    let mut expected = vec![
        SELECT_CARD_FACE.to_owned(),
        status_sfi(0x0012),
        verify_sfi(0x0012, b"02010120351234"),
        select_ef(0x0002),
    ];
    expected.extend(sent[4..4 + face_reads].iter().cloned());
    expected.extend([select_ef(0x0005), "00B0000000".to_owned()]);
    assert_eq!(sent, expected);
    // Every read but the last asks for 256 bytes at the next offset.
    for (i, read) in sent[4..4 + face_reads - 1].iter().enumerate() {
        assert_eq!(read, &format!("00B0{:04X}00", i * 256));
    }
}

#[test]
fn the_card_face_record_is_one_extended_read_by_short_file_identifier() {
    // The default card and reader: SELECT AP, the guard's two VERIFYs by short file
    // identifier (access code B, EF 0012: P2 = 92), one READ BINARY of EF 0002 by its short
    // file identifier (P1 = 82) asking for the whole file.
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let mut face = card.card_face();
    face.verify_access_code_b(&code_b()).unwrap();
    let record = face.read_record().unwrap();
    assert!(is_jp2(&record.face_photo));
    let sent = log(&card);
    assert_eq!(
        sent[..3],
        [
            SELECT_CARD_FACE.to_owned(),
            status_sfi(0x0012),
            verify_sfi(0x0012, b"02010120351234")
        ]
    );
    assert_eq!(sent.len(), 4, "{sent:?}");
    assert!(sent[3].starts_with("00B08200"), "{}", sent[3]);
    assert_eq!(sent[3].len(), 14, "extended Le: {}", sent[3]);
}

#[test]
fn access_code_a_opens_the_card_face_and_the_my_number_image() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let mut face = card.card_face();
    // The check digit is validated before anything is sent.
    assert_eq!(
        MyNumber::new("123456789010").map(drop),
        Err(PinFormatError::CheckDigit)
    );
    face.verify_access_code_a(&MyNumber::new("123456789018").unwrap())
        .unwrap();
    assert!(face.read_my_number_image().unwrap().starts_with(&PNG));
    assert!(is_jp2(&face.read_record().unwrap().face_photo));
    let sent = log(&card);
    assert_eq!(sent[1], status_sfi(0x0013));
    assert_eq!(sent[2], verify_sfi(0x0013, b"123456789018"));
    assert_eq!(secrets_sent(&sent), 1);
}

#[test]
fn tries_wrong_codes_and_a_blocked_code() {
    let mut vc = VirtualCard::builder().access_code_a_tries_left(0).build();
    let mut card = Card::new(&mut vc);
    let mut face = card.card_face();
    assert_eq!(
        face.code_status(CardFaceKey::AccessCodeA).unwrap(),
        PinStatus::Blocked
    );
    assert_eq!(
        face.code_status(CardFaceKey::AccessCodeB).unwrap(),
        PinStatus::Remaining(3)
    );
    let err = face
        .verify_access_code_a_with(&MyNumber::new("123456789018").unwrap(), LastTry::Allow)
        .unwrap_err();
    assert!(matches!(err, Error::Blocked { .. }), "{err:?}");
    assert_eq!(secrets_sent(&log(&card)), 0, "a blocked code is never sent");

    let wrong = AccessCodeB::new("02010120359999").unwrap();
    let mut face = card.card_face();
    let err = face.verify_access_code_b(&wrong).unwrap_err();
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
    assert!(matches!(
        face.read_record(),
        Err(Error::SecurityStatusNotSatisfied)
    ));
    assert_eq!(secrets_sent(&log(&card)), 1);
}

#[test]
fn the_last_try_of_access_code_b_is_refused() {
    let mut vc = VirtualCard::builder().access_code_b_tries_left(1).build();
    let mut card = Card::new(&mut vc);
    let err = card
        .card_face()
        .verify_access_code_b(&code_b())
        .unwrap_err();
    assert!(matches!(err, Error::LastTryRefused { .. }), "{err:?}");
    assert_eq!(
        log(&card),
        [SELECT_CARD_FACE.to_owned(), status_sfi(0x0012)]
    );
}

#[test]
fn the_last_try_of_access_code_b_is_refused_on_a_card_refusing_short_file_identifiers() {
    let mut card = Card::new(Wire::refusing_sfi(
        VirtualCard::builder().access_code_b_tries_left(1).build(),
    ));
    let err = card
        .card_face()
        .verify_access_code_b(&code_b())
        .unwrap_err();
    assert!(matches!(err, Error::LastTryRefused { .. }), "{err:?}");
    assert_eq!(
        card.transport().log(),
        [
            SELECT_CARD_FACE.to_owned(),
            "00200092".to_owned(),
            select_ef(0x0012),
            EMPTY_VERIFY.to_owned()
        ]
    );
    assert_eq!(card.transport().card().all_tries_left()[7], 1);
}
