//! The virtual card's card-info and card-face files, asserted on bytes: layouts and offset
//! tables, integrity digests, signatures, images, sizes.

mod common;

use common::*;
use mynumbercard::calendar::CalendarDate;
use mynumbercard::virtual_card::{Holder, VirtualCard};
use rsa::Pkcs1v15Sign;
use sha2::{Digest, Sha256};

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
    // About the 3,070 bytes of a 2025 test card's record.
    assert!((2_900..3_072).contains(&face.len()), "{} bytes", face.len());
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
    assert!(
        (512..=2048).contains(&objects[6].value.len()),
        "a photo of about 1 KB"
    );
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
    // The AlgorithmIdentifier of SHA-256's DigestInfo prefix (`30 0D 06 09 <oid> 05 00`).
    digest_info.extend_from_slice(&mynumbercard::HashAlgorithm::Sha256.digest_info_prefix()[2..17]);
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
    let holder = Holder::default()
        .with_name("試験\u{3000}花子")
        .with_birth_date(CalendarDate::new(1980, 2, 17).unwrap())
        .with_sex(mynumbercard::certificate::Sex::Female)
        .with_my_number("537686677188")
        .with_security_code("2285");
    assert_eq!(
        holder.access_code_b().as_deref().map(String::as_str),
        Some("55021720352285")
    );
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

/// The card writes its files with its own TLV code; the library reads them with its own
/// reader. Every card-info and card-face file, in all three length forms (short, `81`, `82`),
/// must read back whole, and each offset of a `DF21` table must land on an object the
/// library's reader reads.
#[test]
fn the_librarys_tlv_reader_reads_every_file_the_card_writes() {
    use mynumbercard::tlv;
    let mut card = VirtualCard::new();
    let mut files = Vec::new();
    assert_eq!(select_aid(&mut card, &CARD_INFO), OK);
    assert_eq!(verify_on(&mut card, 0x0011, b"1234"), OK);
    for fid in 1..=5 {
        files.push((0x0100 | fid, read_file(&mut card, fid)));
    }
    assert_eq!(select_aid(&mut card, &CARD_FACE), OK);
    assert_eq!(verify_on(&mut card, 0x0011, b"020101"), OK);
    assert_eq!(verify_on(&mut card, 0x0013, CODE_A), OK);
    for fid in 1..=5 {
        files.push((0x0200 | fid, read_file(&mut card, fid)));
    }
    let mut forms = [false; 3];
    for (id, file) in &files {
        let (outer, rest) = tlv::read(file).unwrap_or_else(|e| panic!("{id:04X}: {e:?}"));
        if *id == 0x0101 {
            // The my number: `FF 10` holds the digits themselves, then two filler bytes.
            assert_eq!((outer.value, rest), (CODE_A, &[0xFF, 0xFF][..]));
            continue;
        }
        assert!(rest.is_empty(), "{id:04X}");
        for object in tlv::objects(outer.value) {
            let object = object.unwrap_or_else(|e| panic!("{id:04X}: {e:?}"));
            let form = match object.value.len() {
                0..=0x7F => 0,
                0x80..=0xFF => 1,
                _ => 2,
            };
            forms[form] = true;
        }
        if let Some(table) = tlv::find(outer.value, 0xDF21).unwrap() {
            for pair in table.chunks(2) {
                let at = usize::from(u16::from_be_bytes([pair[0], pair[1]]));
                let (object, _) = tlv::read(&file[at..]).unwrap();
                assert!(
                    (0xDF22..=0xDF2A).contains(&object.tag),
                    "{id:04X} offset {at}"
                );
            }
        }
    }
    assert_eq!(forms, [true; 3], "every length form appears");
}
