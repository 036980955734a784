//! The virtual card's card-info input helper and card-face applications, and CHANGE REFERENCE
//! DATA, asserted on status words and bytes: access rules, tries, file layouts, digests and
//! signatures, images.

use mynumbercard::virtual_card::{
    access_code_b, fixtures, is_valid_my_number, BirthDate, Holder, VirtualCard,
};
use mynumbercard::PinKind;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};

const JPKI: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
const CARD_INFO: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];
const CARD_FACE: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02];
const OK: [u8; 2] = [0x90, 0x00];
const DENIED: [u8; 2] = [0x69, 0x82];
const CODE_A: &[u8] = b"123456789018";
const CODE_B: &[u8] = b"02010120351234";

fn select_aid(card: &mut VirtualCard, aid: &[u8]) -> Vec<u8> {
    let mut apdu = vec![0x00, 0xA4, 0x04, 0x0C, aid.len() as u8];
    apdu.extend_from_slice(aid);
    card.handle(&apdu)
}

fn select_ef(card: &mut VirtualCard, fid: u16) -> Vec<u8> {
    let [hi, lo] = fid.to_be_bytes();
    card.handle(&[0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo])
}

fn with_data(header: [u8; 4], data: &[u8]) -> Vec<u8> {
    let mut apdu = header.to_vec();
    if !data.is_empty() {
        apdu.push(data.len() as u8);
        apdu.extend_from_slice(data);
    }
    apdu
}

/// SELECT the key EF `fid` of the current application and VERIFY `value` on it.
fn verify_on(card: &mut VirtualCard, fid: u16, value: &[u8]) -> Vec<u8> {
    assert_eq!(select_ef(card, fid), OK);
    card.handle(&with_data([0x00, 0x20, 0x00, 0x80], value))
}

fn change(card: &mut VirtualCard, new_pin: &[u8]) -> Vec<u8> {
    card.handle(&with_data([0x00, 0x24, 0x01, 0x80], new_pin))
}

/// SELECT `fid` and READ BINARY the first 256 bytes: the status word only.
fn read_status(card: &mut VirtualCard, fid: u16) -> Vec<u8> {
    assert_eq!(select_ef(card, fid), OK);
    let response = card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x00]);
    response[response.len() - 2..].to_vec()
}

/// SELECT `fid` and read it whole in 256-byte chunks, until a short chunk or `6B00`.
fn read_file(card: &mut VirtualCard, fid: u16) -> Vec<u8> {
    assert_eq!(select_ef(card, fid), OK);
    let mut file = Vec::new();
    for _ in 0..128 {
        let [p1, p2] = (file.len() as u16).to_be_bytes();
        let response = card.handle(&[0x00, 0xB0, p1, p2, 0x00]);
        let (data, sw) = response.split_at(response.len() - 2);
        if sw == [0x6B, 0x00] {
            break;
        }
        assert_eq!(sw, OK, "reading {fid:04X} at {}", file.len());
        file.extend_from_slice(data);
        if data.len() < 256 {
            break;
        }
    }
    file
}

/// A parsed BER object: tag, value, and its offset in the buffer parsed.
struct Tlv<'a> {
    tag: u16,
    value: &'a [u8],
    offset: usize,
    raw: &'a [u8],
}

/// Parses consecutive two-byte-tag objects starting at `start` of `buf` until `end`.
fn children(buf: &[u8], start: usize, end: usize) -> Vec<Tlv<'_>> {
    let mut out = Vec::new();
    let mut at = start;
    while at < end {
        let (tag, value_at, len) = header(buf, at);
        out.push(Tlv {
            tag,
            value: &buf[value_at..value_at + len],
            offset: at,
            raw: &buf[at..value_at + len],
        });
        at = value_at + len;
    }
    assert_eq!(at, end, "objects end where the parent does");
    out
}

/// (tag, value offset, value length) of the object at `at`.
fn header(buf: &[u8], at: usize) -> (u16, usize, usize) {
    let tag = u16::from_be_bytes([buf[at], buf[at + 1]]);
    let (len, len_len) = match buf[at + 2] {
        0x81 => (usize::from(buf[at + 3]), 2),
        0x82 => (
            usize::from(u16::from_be_bytes([buf[at + 3], buf[at + 4]])),
            3,
        ),
        short => (usize::from(short), 1),
    };
    (tag, at + 2 + len_len, len)
}

/// The children of the file's outer object, checking its tag and that it fills the file
/// (apart from `filler` trailing bytes).
fn parse(file: &[u8], outer: u16, filler: usize) -> Vec<Tlv<'_>> {
    let (tag, value_at, len) = header(file, 0);
    assert_eq!(tag, outer);
    assert_eq!(value_at + len + filler, file.len());
    children(file, value_at, value_at + len)
}

/// Checks the `DF21` offset table against where the later objects start.
fn check_offsets(objects: &[Tlv<'_>]) {
    assert_eq!(objects[0].tag, 0xDF21);
    let table = objects[0].value;
    assert_eq!(table.len(), (objects.len() - 1) * 2);
    for (pair, object) in table.chunks(2).zip(&objects[1..]) {
        assert_eq!(
            usize::from(u16::from_be_bytes([pair[0], pair[1]])),
            object.offset
        );
    }
}

fn tags(objects: &[Tlv<'_>]) -> Vec<u16> {
    objects.iter().map(|o| o.tag).collect()
}

fn issuer_key() -> RsaPublicKey {
    RsaPublicKey::from(&fixtures::card_ap_issuer_key().unwrap())
}

fn card_key_object() -> Vec<u8> {
    use rsa::traits::PublicKeyParts;
    let key = RsaPublicKey::from(&fixtures::card_ap_key().unwrap());
    let mut out = vec![0x90, 0x03, 0x01, 0x00, 0x01, 0x91, 0x82, 0x01, 0x00];
    out.extend_from_slice(&key.n().to_bytes_be());
    out
}

fn verify_sha256(message: &[u8], signature: &[u8]) {
    let key = VerifyingKey::<Sha256>::new(issuer_key());
    key.verify(message, &Signature::try_from(signature).unwrap())
        .expect("the issuer key's signature verifies");
}

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
fn card_info_files_have_the_documented_layouts_and_integrity_record() {
    let mut card = VirtualCard::new();
    assert_eq!(select_aid(&mut card, &CARD_INFO), OK);
    assert_eq!(verify_on(&mut card, 0x0011, b"1234"), OK);

    let my_number = read_file(&mut card, 0x0001);
    assert_eq!(my_number.len(), 17);
    assert_eq!(&my_number[..3], &[0xFF, 0x10, 0x0C]);
    assert_eq!(&my_number[3..15], CODE_A);
    assert_eq!(&my_number[15..], &[0xFF, 0xFF]);

    let attributes = read_file(&mut card, 0x0002);
    let objects = parse(&attributes, 0xFF20, 0);
    assert_eq!(tags(&objects), [0xDF21, 0xDF22, 0xDF23, 0xDF24, 0xDF25]);
    check_offsets(&objects);
    assert_eq!(objects[1].value, "仮想\u{3000}太郎".as_bytes());
    assert_eq!(
        objects[2].value,
        "東京都仮想区試験町１丁目２番３号".as_bytes()
    );
    assert_eq!(objects[3].value, b"19900101");
    assert_eq!(objects[4].value, b"1");

    let integrity = read_file(&mut card, 0x0003);
    let record = parse(&integrity, 0xFF30, 0);
    assert_eq!(tags(&record), [0xDF31, 0xDF32, 0xDF33]);
    assert_eq!(record[0].value, Sha256::digest(&my_number).as_slice());
    let from_name = &attributes[objects[1].offset..];
    assert_eq!(record[1].value, Sha256::digest(from_name).as_slice());
    assert_eq!(record[2].value.len(), 256);
    verify_sha256(&[record[0].raw, record[1].raw].concat(), record[2].value);

    let certificate = read_file(&mut card, 0x0004);
    let cv = parse(&certificate, 0x7F21, 0);
    assert_eq!(tags(&cv), [0x5F4E, 0x5F37]);
    assert_eq!(cv[0].value.len(), 297, "16 + 16 + a 265-byte RSA-2048 key");
    verify_sha256(cv[0].value, cv[1].value);

    let ap_info = read_file(&mut card, 0x0005);
    let info = parse(&ap_info, 0xFF40, 0);
    assert_eq!(tags(&info), [0xDF41, 0xDF42, 0xDF43]);
    assert_eq!(info[0].value, [0x01, 0x03, 0x0E, 0x01]);
    assert_eq!(info[1].value.len(), 16);
    assert_eq!(info[2].value.len(), 128);
}

#[test]
fn card_face_files_carry_signed_images_and_dates() {
    let mut card = VirtualCard::new();
    assert_eq!(select_aid(&mut card, &CARD_FACE), OK);
    assert_eq!(verify_on(&mut card, 0x0013, CODE_A), OK);

    let face = read_file(&mut card, 0x0002);
    assert!(
        (4096..32 * 1024).contains(&face.len()),
        "{} bytes",
        face.len()
    );
    let objects = parse(&face, 0xFF20, 0);
    assert_eq!(
        tags(&objects),
        [0xDF21, 0xDF22, 0xDF23, 0xDF24, 0xDF25, 0xDF26, 0xDF27, 0xDF28, 0xDF29, 0xDF2A]
    );
    check_offsets(&objects);
    assert_eq!(objects[1].value, b"19900101");
    assert_eq!(objects[2].value, b"1");
    assert_eq!(objects[3].value, card_key_object().as_slice());
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    const JP2: [u8; 12] = [
        0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A,
    ];
    for png in [objects[4].value, objects[5].value, objects[9].value] {
        assert!(png.starts_with(PNG));
    }
    assert!(objects[6].value.starts_with(&JP2));
    assert!((2000..=4096).contains(&objects[6].value.len()));
    assert_eq!(
        objects[8].value, b"20350101",
        "expiry: the birthday in 2035"
    );

    // DF28: one DigestInfo of three SHA-256 digests, over DF22–DF24, DF25–DF26 and DF27.
    let mut digests = Vec::new();
    digests.extend(Sha256::digest(
        [objects[1].raw, objects[2].raw, objects[3].raw].concat(),
    ));
    digests.extend(Sha256::digest([objects[4].raw, objects[5].raw].concat()));
    digests.extend(Sha256::digest(objects[6].raw));
    let mut digest_info = vec![0x30, 0x71];
    digest_info.extend_from_slice(&mynumbercard::jpki::SHA256_DIGEST_INFO_PREFIX[2..17]);
    digest_info.extend_from_slice(&[0x04, 0x60]);
    digest_info.extend_from_slice(&digests);
    issuer_key()
        .verify(
            Pkcs1v15Sign::new_unprefixed(),
            &digest_info,
            objects[7].value,
        )
        .expect("the card-face signature verifies");

    let image = read_file(&mut card, 0x0005);
    let record = parse(&image, 0xFF40, 0);
    assert_eq!(tags(&record), [0xDF41, 0xDF42, 0xDF43]);
    assert!(record[0].value.starts_with(PNG));
    assert_eq!(record[1].value, card_key_object().as_slice());
    verify_sha256(&[record[0].raw, record[1].raw].concat(), record[2].value);

    let ap_info = read_file(&mut card, 0x0003);
    let info = parse(&ap_info, 0xFF30, 0);
    assert_eq!(tags(&info), [0xDF31, 0xDF32, 0xDF33, 0xDF34, 0xDF35]);
    assert_eq!(info[4].value.len(), 16 + 256);
    let certificate = read_file(&mut card, 0x0004);
    let cv = parse(&certificate, 0x7F21, 0);
    verify_sha256(cv[0].value, cv[1].value);
}

#[test]
fn a_custom_holder_gets_its_own_files_and_codes() {
    let holder = Holder {
        name: "試験\u{3000}花子".into(),
        birth_date: BirthDate::new(1980, 2, 17),
        sex: mynumbercard::virtual_card::Sex::Female,
        my_number: "537686677188".into(),
        security_code: "2285".into(),
        ..Holder::default()
    };
    assert_eq!(holder.access_code_b().as_deref(), Some("55021720352285"));
    let mut card = VirtualCard::builder().holder(holder).build();
    assert_eq!(select_aid(&mut card, &CARD_INFO), OK);
    assert_eq!(verify_on(&mut card, 0x0014, CODE_A), [0x63, 0xC2]);
    assert_eq!(verify_on(&mut card, 0x0014, b"537686677188"), OK);
    assert_eq!(&read_file(&mut card, 0x0001)[3..15], b"537686677188");
    assert_eq!(verify_on(&mut card, 0x0015, b"55021720352285"), OK);
    let attributes = read_file(&mut card, 0x0002);
    let objects = parse(&attributes, 0xFF20, 0);
    check_offsets(&objects);
    assert_eq!(objects[3].value, b"19800217");
    assert_eq!(objects[4].value, b"2");
}

#[test]
fn defaults_follow_the_documented_holder() {
    let holder = Holder::default();
    assert!(is_valid_my_number(&holder.my_number));
    assert_eq!(holder.my_number.as_bytes(), CODE_A);
    assert_eq!(holder.access_code_b().unwrap().as_bytes(), CODE_B);
    // PROTOCOL.md's test card: born 1980-02-17 (昭和55), expiry 2035, code 2285.
    assert_eq!(
        access_code_b(BirthDate::new(1980, 2, 17), 2035, "2285").as_deref(),
        Some("55021720352285")
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

#[test]
fn every_data_file_fits_a_15_bit_offset() {
    let mut card = VirtualCard::new();
    for (aid, code_fid) in [(CARD_INFO, 0x0011), (CARD_FACE, 0x0013)] {
        assert_eq!(select_aid(&mut card, &aid), OK);
        let code: &[u8] = if code_fid == 0x0011 { b"1234" } else { CODE_A };
        assert_eq!(verify_on(&mut card, code_fid, code), OK);
        for fid in 2..=5 {
            let file = read_file(&mut card, fid);
            assert!(!file.is_empty() && file.len() < 0x8000, "{fid:04X}");
            let [p1, p2] = (file.len() as u16).to_be_bytes();
            assert_eq!(card.handle(&[0x00, 0xB0, p1, p2, 0x01]), [0x6B, 0x00]);
        }
    }
}
