//! The virtual card's common and resident-registry applications, master-file objects, EF 0008
//! and kinds of credential, driven with raw APDUs (no library code in the way).

#![cfg(feature = "virtual-card")]

mod common;

use common::{select_aid, select_ef, verify_on, with_data, DENIED, JPKI, OK};
use mynumbercard::virtual_card::VirtualCard;

const COMMON: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00];
const JUKI: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x01];
const RECORD: &[u8] = b"\x01\x1c9000000000000011399920350101";

fn ok(data: &[u8]) -> Vec<u8> {
    [data, &OK[..]].concat()
}

#[test]
fn the_common_record_answers_read_record_by_short_identifier_or_after_select() {
    let mut card = VirtualCard::new();
    assert_eq!(select_aid(&mut card, &COMMON), OK);
    // jpki/myna: record 1 of SFI 1, no SELECT EF.
    assert_eq!(card.handle(&[0x00, 0xB2, 0x01, 0x0C, 0x00]), ok(RECORD));
    // That EF became the current one.
    assert_eq!(card.handle(&[0x00, 0xB2, 0x01, 0x04, 0x00]), ok(RECORD));
    // myna-card: SELECT EF 0001, then record 1 of the current EF.
    let mut card = VirtualCard::new();
    assert_eq!(select_aid(&mut card, &COMMON), OK);
    assert_eq!(
        card.handle(&[0x00, 0xB2, 0x01, 0x04, 0x00]),
        [0x69, 0x86],
        "no current EF"
    );
    assert_eq!(select_ef(&mut card, 0x0001), OK);
    assert_eq!(card.handle(&[0x00, 0xB2, 0x01, 0x04, 0x00]), ok(RECORD));
    assert_eq!(
        card.handle(&[0x00, 0xB2, 0x02, 0x04, 0x00]),
        [0x6A, 0x83],
        "record 2"
    );
    assert_eq!(
        card.handle(&[0x00, 0xB2, 0x01, 0x05, 0x00]),
        [0x6A, 0x86],
        "P2 05"
    );
    assert_eq!(
        card.handle(&[0x00, 0xB2, 0x01, 0x04, 0x10]),
        [0x6C, 0x1E],
        "Le short"
    );
    assert_eq!(
        card.handle(&[0x00, 0xB2, 0x01, 0x04]),
        [0x67, 0x00],
        "no Le"
    );
    assert_eq!(
        card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x00]),
        [0x69, 0x81],
        "READ BINARY"
    );
    assert_eq!(
        card.handle(&[0x00, 0xB2, 0x01, 0x14, 0x00]),
        [0x6A, 0x82],
        "SFI 2"
    );
    assert_eq!(select_ef(&mut card, 0x0002), [0x6A, 0x82], "not modelled");
    // A transparent file does not answer READ RECORD.
    assert_eq!(select_aid(&mut card, &JPKI), OK);
    assert_eq!(select_ef(&mut card, 0x0006), OK);
    assert_eq!(card.handle(&[0x00, 0xB2, 0x01, 0x04, 0x00]), [0x69, 0x81]);
}

#[test]
fn the_common_and_resident_registry_pins_are_separate() {
    let mut card = VirtualCard::new();
    assert_eq!(select_aid(&mut card, &COMMON), OK);
    assert_eq!(select_ef(&mut card, 0x001C), OK);
    assert_eq!(card.handle(&[0x00, 0x20, 0x00, 0x80]), [0x63, 0xC3]);
    assert_eq!(verify_on(&mut card, 0x001C, b"9999"), [0x63, 0xC2]);
    assert_eq!(card.common_pin_tries_left(), 2);
    assert_eq!(
        card.juki_pin_tries_left(),
        3,
        "the other PIN keeps its tries"
    );
    assert_eq!(
        card.handle(&[0x00, 0x20, 0x00, 0x9C]),
        [0x63, 0xC2],
        "by SFI"
    );
    assert_eq!(verify_on(&mut card, 0x001C, b"1234"), OK);
    assert_eq!(card.handle(&[0x00, 0x20, 0x00, 0x80]), OK, "verified");
    assert_eq!(card.common_pin_tries_left(), 3);
    assert_eq!(card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x00]), [0x69, 0x81]);
    assert_eq!(
        card.handle(&with_data([0x00, 0x24, 0x01, 0x80], b"5678")),
        [0x6A, 0x88],
        "CHANGE REFERENCE DATA is not how these PINs change (myna-card: CHANGE KEY)"
    );
    assert_eq!(select_aid(&mut card, &JUKI), OK);
    assert_eq!(select_ef(&mut card, 0x001C), OK);
    assert_eq!(card.handle(&[0x00, 0x20, 0x00, 0x80]), [0x63, 0xC3]);
    assert_eq!(select_ef(&mut card, 0x0001), [0x6A, 0x82]);
    // Selecting another application cleared the common PIN.
    assert_eq!(select_aid(&mut card, &COMMON), OK);
    assert_eq!(select_ef(&mut card, 0x001C), OK);
    assert_eq!(card.handle(&[0x00, 0x20, 0x00, 0x80]), [0x63, 0xC3]);

    let mut blocked = VirtualCard::builder().juki_pin_tries_left(0).build();
    assert_eq!(select_aid(&mut blocked, &JUKI), OK);
    assert_eq!(select_ef(&mut blocked, 0x001C), OK);
    assert_eq!(blocked.handle(&[0x00, 0x20, 0x00, 0x80]), [0x69, 0x84]);
}

#[test]
fn the_master_file_objects_answer_only_with_no_application_selected() {
    let mut card = VirtualCard::new();
    assert_eq!(card.handle(&[0x00, 0xCA, 0x00, 0xF0, 0x00]), ok(b"13999"));
    assert_eq!(
        card.handle(&[0x00, 0xCA, 0x00, 0xF2, 0x00]),
        ok(b"20350101")
    );
    assert_eq!(
        card.handle(&[0x00, 0xCA, 0x00, 0x45, 0x00]),
        ok(b"VIRTUALCARD00001")
    );
    assert_eq!(
        card.handle(&[0x00, 0xCA, 0x00, 0xF2, 0x00, 0x01, 0x00]),
        ok(b"20350101")
    );
    assert_eq!(
        card.handle(&[0x00, 0xCA, 0x00, 0xF2, 0x04]),
        [0x67, 0x00],
        "Le short"
    );
    assert_eq!(card.handle(&[0x00, 0xCA, 0x00, 0x42, 0x00]), [0x6A, 0x88]);
    assert_eq!(
        card.handle(&[0x00, 0xCA, 0x00, 0xF0]),
        [0x67, 0x00],
        "no Le"
    );
    assert_eq!(select_aid(&mut card, &COMMON), OK);
    assert_eq!(card.handle(&[0x00, 0xCA, 0x00, 0xF0, 0x00]), [0x6A, 0x88]);
    card.reset();
    assert_eq!(card.handle(&[0x00, 0xCA, 0x00, 0xF0, 0x00]), ok(b"13999"));

    let mut extended = VirtualCard::builder()
        .master_file_needs_extended_le()
        .build();
    assert_eq!(
        extended.handle(&[0x00, 0xCA, 0x00, 0xF0, 0x00]),
        [0x67, 0x00]
    );
    assert_eq!(
        extended.handle(&[0x00, 0xCA, 0x00, 0xF0, 0x00, 0x10, 0x00]),
        ok(b"13999")
    );
}

#[test]
fn ef_0008_says_which_certificates_the_card_holds() {
    let read = |card: &mut VirtualCard| {
        assert_eq!(select_aid(card, &JPKI), OK);
        assert_eq!(select_ef(card, 0x0008), OK);
        card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x00])
    };
    assert_eq!(read(&mut VirtualCard::new()), ok(&[0x8F, 0x8F, 0x00]));
    let mut under_15 = VirtualCard::builder()
        .without_signature_certificate()
        .build();
    assert_eq!(read(&mut under_15), ok(&[0x00, 0x8F, 0x00]));
    for fid in [0x0001, 0x001A, 0x001B] {
        assert_eq!(select_ef(&mut under_15, fid), [0x6A, 0x82], "{fid:04X}");
    }
    assert_eq!(
        under_15.handle(&[0x00, 0xB0, 0x81, 0x00, 0x00]),
        [0x6A, 0x82],
        "by SFI"
    );
    assert_eq!(
        under_15.handle(&[0x00, 0x20, 0x00, 0x9B]),
        [0x6A, 0x88],
        "sign PIN by SFI"
    );
    for fid in [0x0002, 0x000A, 0x000B, 0x0017, 0x0018] {
        assert_eq!(select_ef(&mut under_15, fid), OK, "{fid:04X}");
    }
}

#[test]
fn the_android_credential_gives_its_auth_certificate_after_the_auth_pin() {
    let mut card = VirtualCard::builder().android_credential().build();
    assert_eq!(select_aid(&mut card, &JPKI), OK);
    assert_eq!(select_ef(&mut card, 0x0006), OK);
    let mut label = b"JPKIAPGPSETOKEN".to_vec();
    label.resize(32, b' ');
    assert_eq!(card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x00]), ok(&label));
    assert_eq!(select_ef(&mut card, 0x000A), OK);
    assert_eq!(card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x10]), DENIED);
    assert_eq!(select_ef(&mut card, 0x000B), OK);
    assert_eq!(
        card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x02]),
        ok(&[0x30, 0x82]),
        "CA free"
    );
    assert_eq!(verify_on(&mut card, 0x0018, b"1234"), OK);
    assert_eq!(select_ef(&mut card, 0x000A), OK);
    assert_eq!(
        card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x02]),
        ok(&[0x30, 0x82])
    );
    // The plastic card's is free.
    let mut plastic = VirtualCard::new();
    assert_eq!(select_aid(&mut plastic, &JPKI), OK);
    assert_eq!(select_ef(&mut plastic, 0x000A), OK);
    assert_eq!(
        plastic.handle(&[0x00, 0xB0, 0x00, 0x00, 0x02]),
        ok(&[0x30, 0x82])
    );
}

#[test]
fn the_token_file_can_be_the_160_byte_record() {
    let mut card = VirtualCard::builder().token_record(true).build();
    assert_eq!(select_aid(&mut card, &JPKI), OK);
    assert_eq!(select_ef(&mut card, 0x0006), OK);
    let file = card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x00]);
    assert_eq!(file.len(), 160 + 2);
    assert_eq!(&file[..15], b"JPKIAPICCTOKEN2");
    assert_eq!(&file[160..], &OK);
    assert_eq!(card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x20]).len(), 32 + 2);
    assert_eq!(card.handle(&[0x00, 0xB0, 0x00, 0xA0, 0x01]), [0x6B, 0x00]);
}
