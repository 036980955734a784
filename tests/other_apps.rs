//! The common and resident-registry applications and the master file's data objects, asserted
//! on the virtual card's recorded APDU log.

#![cfg(feature = "virtual-card")]

mod flow_support;

use std::sync::{Arc, Mutex};

use flow_support::{
    edited, log, select_ef, shared_log, status_sfi, Wire, EMPTY_VERIFY, SELECT_JPKI,
};
use mynumbercard::apdu::StatusWord;
use mynumbercard::calendar::CalendarDate;
use mynumbercard::master_file::DataObject;
use mynumbercard::transport::{self, Capabilities, Transport, TransportError};
use mynumbercard::virtual_card::Reader;
use mynumbercard::{Card, Error, PinStatus, VirtualCard};

const SELECT_COMMON: &str = "00A4040C0AD3921000310001010100";
const SELECT_JUKI: &str = "00A4040C0AD3921000310001010401";
/// jpki/myna's READ RECORD of record 1 of EF 0001 by short file identifier.
const READ_RECORD_SFI: &str = "00B2010C00";
/// myna-card's READ RECORD of record 1 of the current EF.
const READ_RECORD_CURRENT: &str = "00B2010400";

#[test]
fn the_common_record_is_one_select_and_one_read_record() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let record = card.common().read_card_record().unwrap();
    assert_eq!(log(&card), [SELECT_COMMON, READ_RECORD_SFI]);
    assert_eq!(record.raw, b"\x01\x1c9000000000000011399920350101");
    assert_eq!(record.serial_number.as_deref(), Some("900000000000001"));
    assert_eq!(
        record.municipality_code.map(|c| c.to_string()).as_deref(),
        Some("13999")
    );
    assert_eq!(record.prefecture_code(), Some(13));
    assert_eq!(record.expiry, CalendarDate::new(2035, 1, 1));
    // The application stays selected on an exclusive transport.
    card.transport_mut().clear_log();
    card.common().read_card_record().unwrap();
    assert_eq!(log(&card), [READ_RECORD_SFI]);
}

#[test]
fn a_card_refusing_the_short_identifier_is_read_after_select_once_per_session() {
    let vc = Arc::new(Mutex::new(VirtualCard::new()));
    let refusing = edited(vc.clone(), |command, _, response| match command {
        [0x00, 0xB2, _, p2, ..] if *p2 != 0x04 => vec![0x6A, 0x86],
        _ => response,
    });
    let mut card = Card::new(refusing);
    let record = card.common().read_card_record().unwrap();
    assert_eq!(record.prefecture_code(), Some(13));
    assert_eq!(
        shared_log(&vc),
        [
            SELECT_COMMON,
            READ_RECORD_SFI,
            &select_ef(0x0001),
            READ_RECORD_CURRENT
        ]
    );
    vc.lock().unwrap().clear_log();
    card.common().read_card_record().unwrap();
    assert_eq!(
        shared_log(&vc),
        [SELECT_COMMON, &select_ef(0x0001), READ_RECORD_CURRENT],
        "no short identifier again; the edited transport is shared, so the session selects again"
    );
}

#[test]
fn a_record_of_another_layout_is_kept_whole() {
    let vc = Arc::new(Mutex::new(VirtualCard::new()));
    let other = edited(vc, |command, _, response| match command {
        [0x00, 0xB2, ..] => b"\x30\x0FAB1234567890123\x90\x00".to_vec(),
        _ => response,
    });
    let mut card = Card::new(other);
    let record = card.common().read_card_record().unwrap();
    assert_eq!(record.raw, b"\x30\x0FAB1234567890123");
    assert_eq!(record.serial_number, None);
    assert_eq!(record.expiry, None);
    assert!(!format!("{record:?}").contains("1234567890123"));
}

#[test]
fn the_pins_of_the_common_and_resident_registry_applications_report_their_tries() {
    let mut vc = VirtualCard::builder()
        .common_pin_tries_left(1)
        .juki_pin_tries_left(0)
        .build();
    let before = (vc.all_tries_left(), vc.common_pin_tries_left());
    let mut card = Card::new(&mut vc);
    assert_eq!(card.common().pin_status().unwrap(), PinStatus::Remaining(1));
    assert_eq!(card.juki().pin_status().unwrap(), PinStatus::Blocked);
    // `00 20 00 9C`: EF 001C named by its short file identifier, no SELECT of the EF.
    assert_eq!(
        log(&card),
        [
            SELECT_COMMON,
            &status_sfi(0x001C),
            SELECT_JUKI,
            &status_sfi(0x001C)
        ]
    );
    drop(card);
    assert_eq!((vc.all_tries_left(), vc.common_pin_tries_left()), before);
    assert_eq!(vc.juki_pin_tries_left(), 0);

    let mut fresh = VirtualCard::new();
    let mut card = Card::new(&mut fresh);
    assert_eq!(card.juki().pin_status().unwrap(), PinStatus::Remaining(3));
    assert_eq!(card.common().pin_status().unwrap(), PinStatus::Remaining(3));
}

#[test]
fn on_a_card_refusing_short_file_identifiers_the_pin_files_are_selected() {
    let mut card = Card::new(Wire::refusing_sfi(VirtualCard::new()));
    assert_eq!(card.common().pin_status().unwrap(), PinStatus::Remaining(3));
    assert_eq!(card.juki().pin_status().unwrap(), PinStatus::Remaining(3));
    // One probe per session, then SELECT EF and the empty VERIFY of the current EF.
    assert_eq!(
        card.transport().log(),
        [
            SELECT_COMMON.to_owned(),
            status_sfi(0x001C),
            select_ef(0x001C),
            EMPTY_VERIFY.to_owned(),
            SELECT_JUKI.to_owned(),
            select_ef(0x001C),
            EMPTY_VERIFY.to_owned()
        ]
    );
    // READ RECORD is not asked by short file identifier either.
    card.transport_mut().clear_log();
    card.common().read_card_record().unwrap();
    assert_eq!(
        card.transport().log(),
        [
            SELECT_COMMON.to_owned(),
            select_ef(0x0001),
            READ_RECORD_CURRENT.to_owned()
        ]
    );
}

#[test]
fn the_master_file_objects_are_three_get_data_before_any_selection() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let data = card.master_file().read_card_data().unwrap();
    assert_eq!(log(&card), ["00CA004500", "00CA00F000", "00CA00F200"]);
    assert_eq!(data.card_identification_number(), Some("VIRTUALCARD00001"));
    assert_eq!(
        data.municipality_code().map(|c| c.prefecture_code()),
        Some(13)
    );
    assert_eq!(data.expiry(), CalendarDate::new(2035, 1, 1));
    assert!(!data.needs_extended_length());
    assert!(!format!("{data:?}").contains("VIRTUALCARD"));
}

#[test]
fn with_an_application_selected_the_objects_are_not_available() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    card.jpki().select().unwrap();
    let data = card.master_file().read_card_data().unwrap();
    let missing = DataObject::NotAvailable(StatusWord::REFERENCED_DATA_NOT_FOUND);
    assert_eq!(data.card_identification_number, missing);
    assert_eq!(data.municipality_code, missing);
    assert_eq!(data.expiry, missing);
    assert_eq!(data.expiry(), None);
    assert_eq!(log(&card).len(), 4);
    assert_eq!(log(&card)[0], SELECT_JPKI);
}

#[test]
fn a_short_only_transport_reports_the_objects_need_an_extended_le() {
    let mut vc = VirtualCard::builder()
        .master_file_needs_extended_le()
        .reader(Reader::ShortOnly)
        .build();
    let mut card = Card::new(&mut vc);
    let data = card.master_file().read_card_data().unwrap();
    assert!(data.needs_extended_length());
    assert_eq!(data.municipality_code, DataObject::NeedsExtendedLength);
    assert_eq!(
        log(&card),
        ["00CA004500", "00CA00F000", "00CA00F200"],
        "no extended APDU over a transport that cannot carry one"
    );
}

/// The virtual card behind a transport declaring extended-length APDUs.
fn extended(card: Arc<Mutex<VirtualCard>>) -> impl Transport {
    transport::from_fn(move |command: &[u8]| -> Result<Vec<u8>, TransportError> {
        Ok(card.lock().expect("card").handle(command))
    })
    .with_capabilities(
        Capabilities::default()
            .with_max_command_len(65_544)
            .with_max_response_len(65_538)
            .with_extended_length(true)
            .with_exclusive(true),
    )
}

#[test]
fn a_6700_is_retried_with_an_extended_le_where_the_transport_carries_it_then_remembered() {
    let vc = Arc::new(Mutex::new(
        VirtualCard::builder()
            .master_file_needs_extended_le()
            .build(),
    ));
    let mut card = Card::new(extended(vc.clone()));
    let data = card.master_file().read_card_data().unwrap();
    assert_eq!(
        data.municipality_code().map(|c| c.to_string()).as_deref(),
        Some("13999")
    );
    assert_eq!(data.expiry(), CalendarDate::new(2035, 1, 1));
    assert_eq!(
        shared_log(&vc),
        [
            "00CA004500",
            "00CA0045001000",
            "00CA00F0001000",
            "00CA00F2001000"
        ],
        "after one retry the session asks with the extended Le first"
    );
    // A card answering only the short Le gets no extended APDU.
    let plain = Arc::new(Mutex::new(VirtualCard::new()));
    let mut card = Card::new(extended(plain.clone()));
    card.master_file().read_card_data().unwrap();
    assert_eq!(shared_log(&plain).len(), 3);
}

#[test]
fn a_card_refusing_the_extended_le_too_needs_one_the_transport_cannot_give() {
    let vc = Arc::new(Mutex::new(VirtualCard::new()));
    let inner = vc.clone();
    let refusing = transport::from_fn(move |command: &[u8]| -> Result<Vec<u8>, TransportError> {
        let response = inner.lock().expect("card").handle(command);
        Ok(match command {
            [0x00, 0xCA, ..] => vec![0x67, 0x00],
            _ => response,
        })
    })
    .with_capabilities(
        Capabilities::default()
            .with_extended_length(true)
            .with_max_response_len(65_538),
    );
    let mut card = Card::new(refusing);
    assert_eq!(
        card.master_file()
            .read_data_object(mynumbercard::master_file::tag::EXPIRY)
            .unwrap(),
        DataObject::NeedsExtendedLength
    );
    assert_eq!(card.stats().commands, 2);
}

#[test]
fn a_get_data_status_no_one_expects_is_an_error() {
    let vc = Arc::new(Mutex::new(VirtualCard::new()));
    let odd = edited(vc, |command, _, response| match command {
        [0x00, 0xCA, ..] => vec![0x69, 0x85],
        _ => response,
    });
    let mut card = Card::new(odd);
    assert!(matches!(
        card.master_file().read_card_data(),
        Err(Error::UnexpectedStatus { status, .. }) if status.to_u16() == 0x6985
    ));
}

#[test]
fn an_object_refusing_the_extended_le_is_asked_with_the_short_one_again() {
    // The identification number wants an extended Le; the other two refuse one.
    let vc = Arc::new(Mutex::new(VirtualCard::new()));
    let inner = vc.clone();
    let mixed = transport::from_fn(move |command: &[u8]| -> Result<Vec<u8>, TransportError> {
        let response = inner.lock().expect("card").handle(command);
        Ok(match command {
            [0x00, 0xCA, 0x00, 0x45, 0x00] => vec![0x67, 0x00],
            [0x00, 0xCA, 0x00, 0xF0 | 0xF2, 0x00, _, _] => vec![0x67, 0x00],
            _ => response,
        })
    })
    .with_capabilities(
        Capabilities::default()
            .with_extended_length(true)
            .with_max_response_len(65_538),
    );
    let mut card = Card::new(mixed);
    let data = card.master_file().read_card_data().unwrap();
    assert_eq!(data.card_identification_number(), Some("VIRTUALCARD00001"));
    assert_eq!(data.expiry(), CalendarDate::new(2035, 1, 1));
    assert_eq!(card.stats().commands, 6, "2 + 2 + 2");
}

#[test]
fn traces_show_the_serial_number_and_the_identification_number_as_lengths() {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    card.set_tracer(move |line| sink.lock().unwrap().push(line.to_string()));
    card.master_file().read_card_data().unwrap();
    card.common().read_card_record().unwrap();
    let lines = lines.lock().unwrap().clone();
    assert_eq!(
        lines,
        [
            "> 00CA004500",
            "< <16 bytes of personal data>9000",
            "> 00CA00F000",
            "< 31333939399000",
            "> 00CA00F200",
            "< 32303335303130319000",
            &format!("> {SELECT_COMMON}"),
            "< 9000",
            "> 00B2010C00",
            "< <30 bytes of personal data>9000",
        ]
    );
}
