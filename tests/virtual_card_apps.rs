//! The virtual card's card-info input helper and card-face applications, and CHANGE REFERENCE
//! DATA, asserted on status words: which code opens which file, tries and blocking, PIN change.

mod common;

use common::*;
use mynumbercard::access_code::{AccessCodeB, MyNumber};
use mynumbercard::calendar::CalendarDate;
use mynumbercard::virtual_card::{Holder, VirtualCard};
use mynumbercard::PinKind;

#[test]
fn access_code_a_opens_the_my_number_and_b_the_attributes() {
    let mut card = VirtualCard::new();
    assert_eq!(select_aid(&mut card, &CARD_INFO), OK);
    assert_eq!(read_status(&mut card, 0x0001), DENIED);
    assert_eq!(read_status(&mut card, 0x0002), DENIED);
    assert_eq!(read_status(&mut card, 0x0003), DENIED);
    assert_eq!(read_status(&mut card, 0x0004), OK, "free");
    assert_eq!(read_status(&mut card, 0x0005), OK, "free");

    assert_eq!(verify_on(&mut card, 0x0014, CODE_A), OK);
    assert_eq!(read_status(&mut card, 0x0001), OK);
    assert_eq!(
        read_status(&mut card, 0x0002),
        DENIED,
        "A does not open 0002"
    );
    assert_eq!(read_status(&mut card, 0x0003), OK);

    let mut card = VirtualCard::new();
    assert_eq!(select_aid(&mut card, &CARD_INFO), OK);
    assert_eq!(verify_on(&mut card, 0x0015, CODE_B), OK);
    assert_eq!(read_status(&mut card, 0x0002), OK);
    assert_eq!(
        read_status(&mut card, 0x0001),
        DENIED,
        "B does not open 0001"
    );
    assert_eq!(read_status(&mut card, 0x0003), OK);

    let mut card = VirtualCard::new();
    assert_eq!(select_aid(&mut card, &CARD_INFO), OK);
    assert_eq!(verify_on(&mut card, 0x0011, b"1234"), OK);
    for fid in 1..=5 {
        assert_eq!(read_status(&mut card, fid), OK, "the PIN opens {fid:04X}");
    }
    assert_eq!(
        read_status(&mut card, 0x0011),
        [0x69, 0x81],
        "a PIN is never readable"
    );
    assert_eq!(select_ef(&mut card, 0x0006), [0x6A, 0x82]);

    // Another application's selection clears it.
    assert_eq!(select_aid(&mut card, &JPKI), OK);
    assert_eq!(select_aid(&mut card, &CARD_INFO), OK);
    assert_eq!(read_status(&mut card, 0x0001), DENIED);
}

#[test]
fn card_face_opens_with_either_code_and_the_my_number_image_with_a_only() {
    let mut card = VirtualCard::new();
    assert_eq!(select_aid(&mut card, &CARD_FACE), OK);
    assert_eq!(read_status(&mut card, 0x0002), DENIED);
    assert_eq!(read_status(&mut card, 0x0005), DENIED);
    assert_eq!(read_status(&mut card, 0x0001), DENIED);
    assert_eq!(read_status(&mut card, 0x0003), OK, "free");
    assert_eq!(read_status(&mut card, 0x0004), OK, "free");

    assert_eq!(verify_on(&mut card, 0x0012, CODE_B), OK);
    assert_eq!(read_status(&mut card, 0x0002), OK);
    assert_eq!(
        read_status(&mut card, 0x0005),
        DENIED,
        "B does not open 0005"
    );
    assert_eq!(read_status(&mut card, 0x0001), DENIED);

    let mut card = VirtualCard::new();
    assert_eq!(select_aid(&mut card, &CARD_FACE), OK);
    assert_eq!(verify_on(&mut card, 0x0013, CODE_A), OK);
    assert_eq!(read_status(&mut card, 0x0002), OK);
    assert_eq!(read_status(&mut card, 0x0005), OK);

    let mut card = VirtualCard::new();
    assert_eq!(select_aid(&mut card, &CARD_FACE), OK);
    assert_eq!(
        verify_on(&mut card, 0x0011, b"020101"),
        OK,
        "birth date key"
    );
    assert_eq!(read_status(&mut card, 0x0001), OK);
    assert_eq!(read_status(&mut card, 0x0002), DENIED);
}

#[test]
fn wrong_codes_count_down_then_block() {
    let mut card = VirtualCard::new();
    assert_eq!(select_aid(&mut card, &CARD_INFO), OK);
    for fid in [0x0011, 0x0014, 0x0015] {
        assert_eq!(verify_on(&mut card, fid, b""), [0x63, 0xC3], "{fid:04X}");
    }
    assert_eq!(
        verify_on(&mut card, 0x0015, b"02010120359999"),
        [0x63, 0xC2]
    );
    assert_eq!(
        verify_on(&mut card, 0x0015, b"02010120359999"),
        [0x63, 0xC1]
    );
    assert_eq!(
        verify_on(&mut card, 0x0015, b"02010120359999"),
        [0x63, 0xC0]
    );
    assert_eq!(
        verify_on(&mut card, 0x0015, CODE_B),
        [0x69, 0x84],
        "blocked"
    );
    assert_eq!(verify_on(&mut card, 0x0015, b""), [0x69, 0x84]);
    assert_eq!(read_status(&mut card, 0x0002), DENIED);
    assert_eq!(
        verify_on(&mut card, 0x0014, b""),
        [0x63, 0xC3],
        "A has its own counter"
    );

    let mut card = VirtualCard::builder()
        .card_info_pin("9876")
        .card_info_pin_tries_left(1)
        .access_code_a_tries_left(2)
        .access_code_b_tries_left(0)
        .build();
    assert_eq!(select_aid(&mut card, &CARD_INFO), OK);
    assert_eq!(verify_on(&mut card, 0x0011, b""), [0x63, 0xC1]);
    assert_eq!(verify_on(&mut card, 0x0011, b"9876"), OK);
    assert_eq!(verify_on(&mut card, 0x0011, b""), OK, "verified");
    assert_eq!(verify_on(&mut card, 0x0014, b"000000000000"), [0x63, 0xC1]);
    assert_eq!(verify_on(&mut card, 0x0015, CODE_B), [0x69, 0x84]);
    assert_eq!(select_aid(&mut card, &CARD_FACE), OK);
    assert_eq!(
        verify_on(&mut card, 0x0013, b""),
        [0x63, 0xC2],
        "A tries apply to both APs"
    );
    assert_eq!(verify_on(&mut card, 0x0012, b""), [0x69, 0x84]);
}

#[test]
fn defaults_follow_the_documented_holder() {
    let holder = Holder::default();
    assert!(MyNumber::new(&holder.my_number).is_ok());
    assert_eq!(holder.my_number.as_bytes(), CODE_A);
    let code_b = std::str::from_utf8(CODE_B).unwrap();
    assert_eq!(
        holder.access_code_b().as_deref().map(String::as_str),
        Some(code_b)
    );
    // The test card myna-card documents: born 1980-02-17 (昭和55), expiry 2035, code 2285.
    assert_eq!(
        AccessCodeB::from_parts(CalendarDate::new(1980, 2, 17).unwrap(), 2035, "2285"),
        AccessCodeB::new("55021720352285")
    );
    let debug = format!("{:?}", VirtualCard::builder().card_info_pin("4321"));
    assert!(
        !debug.contains("4321") && !debug.contains("123456789018"),
        "{debug}"
    );
}

#[test]
fn change_reference_data_needs_a_verify_and_the_pin_format() {
    let mut card = VirtualCard::new();
    assert_eq!(select_aid(&mut card, &JPKI), OK);
    assert_eq!(select_ef(&mut card, 0x0018), OK);
    assert_eq!(change(&mut card, b"5678"), DENIED, "no VERIFY yet");
    assert_eq!(verify_on(&mut card, 0x0018, b"1234"), OK);
    assert_eq!(change(&mut card, b"567"), [0x6A, 0x80]);
    assert_eq!(change(&mut card, b"56a8"), [0x6A, 0x80]);
    assert_eq!(change(&mut card, b""), [0x67, 0x00]);
    assert_eq!(
        card.handle(&[0x00, 0x24, 0x00, 0x80, 0x04, b'5', b'6', b'7', b'8']),
        [0x6A, 0x86]
    );
    assert_eq!(change(&mut card, b"5678"), OK);
    assert!(card.is_verified(PinKind::Auth));
    card.power_off();
    card.power_on();
    assert_eq!(select_aid(&mut card, &JPKI), OK);
    assert_eq!(
        verify_on(&mut card, 0x0018, b"1234"),
        [0x63, 0xC2],
        "the old PIN is gone"
    );
    assert_eq!(verify_on(&mut card, 0x0018, b"5678"), OK);
    assert_eq!(card.tries_left(PinKind::Auth), 3);

    assert_eq!(verify_on(&mut card, 0x001B, b"ABC123"), OK);
    assert_eq!(
        change(&mut card, b"abc123"),
        [0x6A, 0x80],
        "upper case only"
    );
    assert_eq!(change(&mut card, b"ABC12"), [0x6A, 0x80]);
    assert_eq!(change(&mut card, b"NEWPIN2025"), OK);
    assert_eq!(verify_on(&mut card, 0x001B, b"NEWPIN2025"), OK);
    assert_eq!(select_ef(&mut card, 0x000A), OK);
    assert_eq!(change(&mut card, b"1234"), [0x6A, 0x88], "not a PIN");

    assert_eq!(select_aid(&mut card, &CARD_INFO), OK);
    assert_eq!(select_ef(&mut card, 0x0011), OK);
    assert_eq!(change(&mut card, b"2468"), DENIED);
    assert_eq!(verify_on(&mut card, 0x0011, b"1234"), OK);
    assert_eq!(change(&mut card, b"2468"), OK);
    assert_eq!(verify_on(&mut card, 0x0014, CODE_A), OK);
    assert_eq!(
        change(&mut card, b"123456789012"),
        [0x69, 0x85],
        "access codes stay"
    );
    card.power_off();
    card.power_on();
    assert_eq!(select_aid(&mut card, &CARD_INFO), OK);
    assert_eq!(verify_on(&mut card, 0x0011, b"2468"), OK);
    assert_eq!(card.handle(&[0x00, 0x24, 0x01, 0x80]), [0x67, 0x00]);
}

/// The card converts dates to eras with its own code; the library with its. Both must agree
/// on every day around each change of era, and on the codes and forms built from them.
#[test]
fn the_cards_era_conversion_agrees_with_the_librarys() {
    use mynumbercard::certificate::{BirthDate, Sex};
    // The last day of each era and the first of the next (明治 from 1868-01-25).
    let mut days: Vec<CalendarDate> = [
        (1868, 1, 24),
        (1868, 1, 25),
        (1912, 7, 29),
        (1912, 7, 30),
        (1926, 12, 24),
        (1926, 12, 25),
        (1989, 1, 7),
        (1989, 1, 8),
        (2019, 4, 30),
        (2019, 5, 1),
    ]
    .into_iter()
    .map(|(y, m, d)| CalendarDate::new(y, m, d).unwrap())
    .collect();
    days.extend([
        CalendarDate::new(1850, 1, 1).unwrap(),
        CalendarDate::new(1990, 1, 1).unwrap(),
        CalendarDate::new(2117, 12, 31).unwrap(),
        CalendarDate::new(2118, 1, 1).unwrap(),
    ]);
    for date in days {
        let holder = Holder::default().with_birth_date(date);
        let card = holder
            .access_code_b()
            .map(|code| AccessCodeB::new(&code).unwrap());
        let library = AccessCodeB::from_parts(date, holder.card_expiry_year, &holder.security_code);
        assert_eq!(card, library.ok(), "{date}");
        assert_eq!(
            holder.birth_date_jpki(),
            BirthDate::from_date(date).to_string(),
            "{date}"
        );
    }
    for sex in [Sex::Male, Sex::Female, Sex::Unknown, Sex::NotApplicable] {
        let holder = Holder::default().with_sex(sex.clone());
        assert_eq!(Sex::from_code(holder.certificate_sex_code()), sex);
    }
}
