//! Golden APDU transcripts for the common and resident-registry applications, the master
//! file's objects and the JPKI token files: the commands jpki/myna (Rust, `src/unknown.rs`,
//! `src/reader.rs`) and soltia48/myna-card (`src/ap/common.rs`, `src/ap/juki.rs`,
//! `src/ap/jpki.rs`, `src/card.rs`) send, written out as literal hex from reading their code,
//! checked against the virtual card (each command as is) and against the library (the
//! equivalent operation records the literal sequence, or its own where it differs on
//! purpose, the difference said).

#![cfg(feature = "virtual-card")]

use mynumbercard::{Card, CardKind, PinStatus, Transport, VirtualCard};

fn bytes(hex_text: &str) -> Vec<u8> {
    hex::decode(hex_text.replace(' ', "")).expect("literal hex")
}

/// Sends each command and checks its whole answer (data and status word, as hex).
fn play(card: &mut VirtualCard, name: &str, steps: &[(&str, &str)]) {
    for (i, (command, answer)) in steps.iter().enumerate() {
        let response = card.transmit(&bytes(command)).expect("answers");
        assert_eq!(
            hex::encode_upper(response),
            answer.replace(' ', ""),
            "{name} step {i}: {command}"
        );
    }
}

fn library_log(card: &Card<&mut VirtualCard>) -> Vec<String> {
    card.transport()
        .log()
        .iter()
        .map(hex::encode_upper)
        .collect()
}

const SELECT_COMMON: &str = "00A4040C0AD3921000310001010100";
const SELECT_JUKI: &str = "00A4040C0AD3921000310001010401";
const SELECT_JPKI: &str = "00A4040C0AD392F000260100000001";
/// `01 1C` + serial `900000000000001` + municipality `13999` + expiry `20350101`.
const RECORD: &str = "011C 393030303030303030303030303031 3133393939 3230333530313031";

#[test]
fn jpki_myna_reads_the_common_record_by_short_identifier() {
    // unknown_ap(): select_df(UNKNOWN_AID); read_number(): read_record(1, 1), P2 = 1 << 3 | 4.
    let steps = [
        (SELECT_COMMON, "9000"),
        ("00B2010C00", &format!("{RECORD} 9000")[..]),
    ];
    play(&mut VirtualCard::new(), "jpki/myna", &steps);
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    card.common().read_card_record().unwrap();
    assert_eq!(library_log(&card), steps.map(|(command, _)| command));
}

#[test]
fn myna_card_reads_the_common_record_after_select() {
    // CommonAp::read_card_info: select_df, select_ef(0001), read_record(1): P2 = 04, Le 256.
    play(
        &mut VirtualCard::new(),
        "myna-card",
        &[
            (SELECT_COMMON, "9000"),
            ("00A4020C020001", "9000"),
            ("00B2010400", &format!("{RECORD} 9000")),
        ],
    );
    // The library reads it as jpki/myna does, one APDU fewer (no SELECT EF).
}

#[test]
fn myna_card_asks_both_pins_tries() {
    // CommonAp::pin_retries / JukiAp::pin_retries: select_df, select_ef(001C), VERIFY no data.
    let common = [
        (SELECT_COMMON, "9000"),
        ("00A4020C02001C", "9000"),
        ("00200080", "63C3"),
    ];
    let juki = [
        (SELECT_JUKI, "9000"),
        ("00A4020C02001C", "9000"),
        ("00200080", "63C3"),
    ];
    play(&mut VirtualCard::new(), "myna-card common", &common);
    play(&mut VirtualCard::new(), "myna-card juki", &juki);
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    assert_eq!(card.common().pin_status().unwrap(), PinStatus::Remaining(3));
    assert_eq!(card.juki().pin_status().unwrap(), PinStatus::Remaining(3));
    // The library names the PIN file by its short file identifier (`00 20 00 9C`, as jsapdu
    // and myna-card address the JPKI PINs), one SELECT fewer each.
    assert_eq!(
        library_log(&card),
        [SELECT_COMMON, "0020009C", SELECT_JUKI, "0020009C"]
    );
    play(
        &mut VirtualCard::new(),
        "the library's",
        &[(SELECT_COMMON, "9000"), ("0020009C", "63C3")],
    );
}

#[test]
fn myna_card_gets_the_master_file_objects_with_a_short_le_first() {
    // MasterFile::data_object → Card::get_data: Le 256 (`00`); on 6700, Le 65,536.
    let steps = [
        ("00CA004500", "5649525455414C43415244303030303190 00"),
        ("00CA00F000", "3133393939 9000"),
        ("00CA00F200", "3230333530313031 9000"),
    ];
    play(&mut VirtualCard::new(), "myna-card", &steps);
    // On a card wanting the extended Le, myna-card's retry asks for 65,536 bytes.
    play(
        &mut VirtualCard::builder()
            .master_file_needs_extended_le()
            .build(),
        "myna-card extended",
        &[
            ("00CA00F000", "6700"),
            ("00CA00F0000000", "3133393939 9000"),
        ],
    );
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    card.master_file().read_card_data().unwrap();
    assert_eq!(library_log(&card), steps.map(|(command, _)| command));
}

#[test]
fn myna_card_reads_the_token_record_and_ef_0008_whole() {
    // JpkiAp::read_token_info / read_certificate_availability: select_ef, read_binary_physical
    // (256-byte reads until a short one).
    let mut vc = VirtualCard::builder().token_record(true).build();
    play(
        &mut vc,
        "myna-card",
        &[(SELECT_JPKI, "9000"), ("00A4020C020006", "9000")],
    );
    let record = vc.transmit(&bytes("00B0000000")).unwrap();
    assert_eq!(record.len(), 160 + 2);
    assert!(record.starts_with(b"JPKIAPICCTOKEN2 "));
    play(
        &mut vc,
        "myna-card",
        &[("00A4020C020008", "9000"), ("00B0000000", "8F8F00 9000")],
    );
    // The library's token_info sends the same read; its EF 0008 read asks for the 3 bytes.
    let mut vc = VirtualCard::builder().token_record(true).build();
    let mut card = Card::new(&mut vc);
    assert_eq!(
        card.jpki().token_info().unwrap().kind,
        CardKind::MyNumberCard
    );
    card.jpki().certificate_availability().unwrap();
    assert_eq!(
        library_log(&card),
        [
            SELECT_JPKI,
            "00A4020C020006",
            "00B0000000",
            "00A4020C020008",
            "00B0000003"
        ]
    );
}
