//! The card-info input helper application, asserted on the virtual card's recorded APDU log.

mod flow_support;

use std::sync::{Arc, Mutex};

use flow_support::*;
use mynumbercard::access_code::{AccessCodeB, CardInfoPin, MyNumber};
use mynumbercard::calendar::CalendarDate;
use mynumbercard::card_info::CardInfoKey;
use mynumbercard::certificate::Sex;
use mynumbercard::virtual_card::Reader;
use mynumbercard::Secret;
use mynumbercard::{Card, Error, LastTry, PinFormatError, PinStatus, VirtualCard};

fn pin() -> CardInfoPin {
    CardInfoPin::new("1234").unwrap()
}

fn code_a() -> MyNumber {
    MyNumber::new("123456789018").unwrap()
}

fn code_b() -> AccessCodeB {
    AccessCodeB::new("02010120351234").unwrap()
}

#[test]
fn the_pin_opens_both_files_and_each_is_checked_against_the_integrity_record() {
    for reader in Reader::ALL {
        pin_opens_both_files_behind(reader);
    }
}

fn pin_opens_both_files_behind(reader: Reader) {
    let mut vc = VirtualCard::builder().reader(reader).build();
    let mut card = Card::new(&mut vc);
    let mut info = card.card_info();
    info.verify_pin(&pin()).unwrap();
    let data = info.read_all().unwrap();
    assert_eq!(data.my_number.reveal(), "123456789018");
    assert_eq!(format!("{:?}", data.my_number), "MyNumber(********9018)");
    let a = &data.attributes;
    assert_eq!(a.name, "仮想\u{3000}太郎");
    assert_eq!(a.address, "東京都仮想区試験町１丁目２番３号");
    assert_eq!(a.birth_date, CalendarDate::new(1990, 1, 1).unwrap());
    assert_eq!(a.sex, Sex::Male);
    let debug = format!("{data:?}");
    assert!(!debug.contains("123456789018"), "{debug}");

    // The PIN (EF 0011) named by its short file identifier: `00 20 00 91`. The my number (a
    // 17-byte file, capped at 64) is read after its SELECT in one short READ BINARY.
    let mut expected = vec![
        SELECT_CARD_INFO.to_owned(),
        status_sfi(0x0011),
        verify_sfi(0x0011, b"1234"),
        select_ef(0x0001),
        "00B0000000".to_owned(),
    ];
    match reader {
        // The attributes (cap 4 KiB) and the integrity record (cap 2 KiB) each in one
        // extended READ BINARY by short file identifier (P1 = 82, 83).
        Reader::Extended => {
            expected.extend(["00B08200001000".to_owned(), "00B08300000800".to_owned()])
        }
        // Behind a short-APDU reader: SELECT and 256-byte reads; the integrity record,
        // FF30 { DF31, DF32, DF33 (256-byte signature) }, is 336 bytes.
        _ => {
            expected.extend([
                select_ef(0x0002),
                "00B0000000".to_owned(),
                select_ef(0x0003),
            ]);
            expected.extend(reads(336));
        }
    }
    assert_eq!(log(&card), expected, "{reader:?}");
}

#[test]
fn access_code_a_opens_the_my_number_not_the_attributes() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let mut info = card.card_info();
    info.verify_access_code_a(&code_a()).unwrap();
    assert_eq!(info.read_my_number().unwrap(), code_a());
    assert!(matches!(
        info.read_attributes(),
        Err(Error::SecurityStatusNotSatisfied)
    ));
    let sent = log(&card);
    assert_eq!(
        sent[..3],
        [
            SELECT_CARD_INFO.to_owned(),
            status_sfi(0x0014),
            verify_sfi(0x0014, b"123456789018"),
        ]
    );
    // The attributes read stops at the first READ BINARY, refused: the extended one by short
    // file identifier (`6982` is no refusal of the form, so nothing is tried after it).
    assert_eq!(sent.last().unwrap(), "00B08200001000");
    assert_eq!(
        sent[sent.len() - 2],
        "00B08300000800",
        "the integrity record, read to check the my number"
    );
}

#[test]
fn access_code_b_opens_the_attributes_not_the_my_number() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let mut info = card.card_info();
    info.verify_access_code_b(&code_b()).unwrap();
    assert_eq!(info.read_attributes().unwrap().sex, Sex::Male);
    assert!(matches!(
        info.read_my_number(),
        Err(Error::SecurityStatusNotSatisfied)
    ));
    assert_eq!(secrets_sent(&log(&card)), 1);
    assert_eq!(log(&card)[1], status_sfi(0x0015));
    assert_eq!(log(&card)[2], verify_sfi(0x0015, b"02010120351234"));
}

#[test]
fn tries_for_each_key_without_spending_one() {
    let mut vc = VirtualCard::builder().access_code_b_tries_left(2).build();
    let mut card = Card::new(&mut vc);
    let mut info = card.card_info();
    assert_eq!(
        info.pin_status(CardInfoKey::Pin).unwrap(),
        PinStatus::Remaining(3)
    );
    assert_eq!(
        info.pin_status(CardInfoKey::AccessCodeA).unwrap(),
        PinStatus::Remaining(3)
    );
    assert_eq!(
        info.pin_status(CardInfoKey::AccessCodeB).unwrap(),
        PinStatus::Remaining(2)
    );
    // One SELECT of the application, then each key's empty VERIFY by short file identifier.
    assert_eq!(
        log(&card),
        [
            SELECT_CARD_INFO.to_owned(),
            "00200091".to_owned(),
            "00200094".to_owned(),
            "00200095".to_owned(),
        ]
    );
}

#[test]
fn tries_for_each_key_on_a_card_refusing_short_file_identifiers() {
    let mut card = Card::new(Wire::refusing_sfi(
        VirtualCard::builder().access_code_b_tries_left(2).build(),
    ));
    let mut info = card.card_info();
    assert_eq!(
        info.pin_status(CardInfoKey::Pin).unwrap(),
        PinStatus::Remaining(3)
    );
    assert_eq!(
        info.pin_status(CardInfoKey::AccessCodeA).unwrap(),
        PinStatus::Remaining(3)
    );
    assert_eq!(
        info.pin_status(CardInfoKey::AccessCodeB).unwrap(),
        PinStatus::Remaining(2)
    );
    // One refused probe for the session, then SELECT EF and the empty VERIFY for each.
    assert_eq!(
        card.transport().log(),
        [
            SELECT_CARD_INFO.to_owned(),
            "00200091".to_owned(),
            select_ef(0x0011),
            EMPTY_VERIFY.to_owned(),
            select_ef(0x0014),
            EMPTY_VERIFY.to_owned(),
            select_ef(0x0015),
            EMPTY_VERIFY.to_owned(),
        ]
    );
}

#[test]
fn a_wrong_pin_costs_one_try_and_the_last_try_is_refused() {
    let mut vc = VirtualCard::builder().card_info_pin_tries_left(2).build();
    let mut card = Card::new(&mut vc);
    let err = card
        .card_info()
        .verify_pin(&CardInfoPin::new("9999").unwrap())
        .unwrap_err();
    assert!(matches!(err, Error::WrongPin { tries_left: 1 }), "{err:?}");
    assert_eq!(secrets_sent(&log(&card)), 1);

    card.transport_mut().clear_log();
    let err = card.card_info().verify_pin(&pin()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::LastTryRefused {
                secret: Secret::CardInfoPin
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        log(&card),
        [SELECT_CARD_INFO.to_owned(), status_sfi(0x0011)],
        "the guard selects the application itself in each transaction"
    );

    // Allowed explicitly, the right PIN restores the tries.
    card.card_info()
        .verify_pin_with(&pin(), LastTry::Allow)
        .unwrap();
    assert_eq!(
        card.card_info().pin_status(CardInfoKey::Pin).unwrap(),
        PinStatus::Verified
    );
}

#[test]
fn a_blocked_code_is_never_sent() {
    let mut vc = VirtualCard::builder().access_code_a_tries_left(0).build();
    let mut card = Card::new(&mut vc);
    let err = card
        .card_info()
        .verify_access_code_a_with(&code_a(), LastTry::Allow)
        .unwrap_err();
    assert!(matches!(err, Error::Blocked { .. }), "{err:?}");
    assert_eq!(
        log(&card),
        [SELECT_CARD_INFO.to_owned(), status_sfi(0x0014)]
    );
}

#[test]
fn on_a_card_refusing_short_file_identifiers_the_guard_selects_the_pin_in_each_transaction() {
    let mut card = Card::new(Wire::refusing_sfi(
        VirtualCard::builder().card_info_pin_tries_left(2).build(),
    ));
    let err = card
        .card_info()
        .verify_pin(&CardInfoPin::new("9999").unwrap())
        .unwrap_err();
    assert!(matches!(err, Error::WrongPin { tries_left: 1 }), "{err:?}");
    assert_eq!(
        card.transport().log(),
        [
            SELECT_CARD_INFO.to_owned(),
            "00200091".to_owned(),
            select_ef(0x0011),
            EMPTY_VERIFY.to_owned(),
            verify(b"9999"),
        ]
    );
    card.transport_mut().clear_log();
    let err = card.card_info().verify_pin(&pin()).unwrap_err();
    assert!(matches!(err, Error::LastTryRefused { .. }), "{err:?}");
    // An exclusive transport, yet the guard selects the application and the PIN again in
    // its own transaction; the refused probe is not sent again.
    assert_eq!(
        card.transport().log(),
        [
            SELECT_CARD_INFO.to_owned(),
            select_ef(0x0011),
            EMPTY_VERIFY.to_owned()
        ]
    );
    assert_eq!(card.transport().card().all_tries_left()[2], 1);
}

#[test]
fn a_wrong_access_code_b_costs_one_try() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let wrong = AccessCodeB::new("02010120359999").unwrap();
    let err = card.card_info().verify_access_code_b(&wrong).unwrap_err();
    assert!(
        matches!(
            err,
            Error::WrongAccessCode {
                secret: Secret::AccessCodeB,
                tries_left: 2
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "wrong access code B: 2 tries left");
    assert_eq!(secrets_sent(&log(&card)), 1);
}

#[test]
fn an_access_code_b_with_an_impossible_date_is_refused_before_anything_is_sent() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    // As an app does: parse what the person typed (born in month 13), then verify.
    let result = "02130120351234"
        .parse::<AccessCodeB>()
        .map_err(Error::from)
        .and_then(|code| card.card_info().verify_access_code_b(&code));
    assert!(
        matches!(
            result,
            Err(Error::InvalidPin(PinFormatError::Invalid {
                what: "birth date: month outside 01-12"
            }))
        ),
        "{result:?}"
    );
    assert!(log(&card).is_empty());
    assert_eq!(
        card.card_info()
            .pin_status(CardInfoKey::AccessCodeB)
            .unwrap(),
        PinStatus::Remaining(3)
    );
}

#[test]
fn card_info_reads_are_masked_in_traces() {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    card.set_tracer(move |line| sink.lock().unwrap().push(line.to_string()));
    let mut info = card.card_info();
    info.verify_pin(&pin()).unwrap();
    info.read_all().unwrap();
    let lines = lines.lock().unwrap();
    let number = hex::encode_upper(b"123456789018");
    assert!(!lines.iter().any(|l| l.contains(&number)), "{lines:?}");
    assert!(
        lines.contains(&"< <17 bytes of personal data>9000".to_owned()),
        "{lines:?}"
    );
}

#[test]
fn a_changed_attribute_fails_the_integrity_check() {
    let vc = Arc::new(Mutex::new(VirtualCard::new()));
    // The sex, the attributes file's last byte, turned from 1 to 2.
    let transport = edited(Arc::clone(&vc), |command, selected, mut response| {
        if command.get(1) == Some(&0xB0) && selected == Some(0x0002) && response.len() > 2 {
            let last = response.len() - 3;
            response[last] = b'2';
        }
        response
    });
    let mut card = Card::new(transport);
    card.card_info().verify_pin(&pin()).unwrap();
    let err = card.card_info().read_attributes().unwrap_err();
    assert!(
        matches!(err, Error::IntegrityMismatch { file: 2 }),
        "{err:?}"
    );
}

#[test]
fn the_offset_table_is_checked_not_trusted() {
    let vc = Arc::new(Mutex::new(VirtualCard::new()));
    // FF 20 LL DF 21 08 <o1 o1> …: the first offset's low byte moved by one.
    let transport = edited(Arc::clone(&vc), |command, selected, mut response| {
        if command.get(1) == Some(&0xB0) && selected == Some(0x0002) && response.len() > 8 {
            response[7] = response[7].wrapping_add(1);
        }
        response
    });
    let mut card = Card::new(transport);
    card.card_info().verify_pin(&pin()).unwrap();
    let err = card.card_info().read_attributes().unwrap_err();
    assert!(
        matches!(
            err,
            Error::MalformedResponse("offset table does not match the objects")
        ),
        "{err:?}"
    );
}

#[test]
fn a_strict_card_that_refuses_reading_past_the_end_is_read_by_its_header() {
    let vc = Arc::new(Mutex::new(VirtualCard::new()));
    let mut card = Card::new(strict(Arc::clone(&vc)));
    card.card_info().verify_pin(&pin()).unwrap();
    vc.lock().unwrap().clear_log();
    assert_eq!(card.card_info().read_my_number().unwrap(), code_a());
    let sent = shared_log(&vc);
    // The strict card's transport declares nothing, so it is shared: the read selects the
    // application again. 0001 holds FF 10 0C + 12 digits (15 bytes) + FF FF: 256 refused,
    // 7 bytes of header, then the 8 left. The integrity digest covers the filler, which the
    // strict card never sent: the check pads with FF to the documented 17 bytes.
    assert_eq!(
        sent[..5],
        [
            SELECT_CARD_INFO.to_owned(),
            select_ef(0x0001),
            "00B0000000".to_owned(),
            "00B0000007".to_owned(),
            "00B0000708".to_owned(),
        ]
    );
    assert_eq!(sent[5], select_ef(0x0003));
    assert_eq!(
        sent[6..],
        reads(336),
        "the integrity record is longer than 256 bytes"
    );
}
