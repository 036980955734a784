//! Replays the committed fuzz seeds (`fuzz/seeds/<target>/`) through the fuzz target bodies,
//! so that `cargo test` checks every invariant the fuzzers check, on every seed.

use std::fs;
use std::path::Path;

/// Runs every file of `fuzz/seeds/<target>` through `body`; fails if there are none.
fn replay(target: &str, body: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut count = 0;
    for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = fs::read(&path).unwrap();
        let result = std::panic::catch_unwind(|| body(&data));
        assert!(result.is_ok(), "seed {} failed", path.display());
        count += 1;
    }
    assert!(count >= 5, "{}: only {count} seeds", dir.display());
}

#[test]
fn response_seeds() {
    replay("response", mynumbercard::fuzzing::response);
}

#[test]
fn command_round_trip_seeds() {
    replay(
        "command_round_trip",
        mynumbercard::fuzzing::command_round_trip,
    );
}

#[test]
fn der_header_seeds() {
    replay("der_header", mynumbercard::fuzzing::der_header);
}

#[test]
fn exchange_seeds() {
    replay("exchange", mynumbercard::fuzzing::exchange);
}

#[test]
fn tlv_seeds() {
    replay("tlv", mynumbercard::fuzzing::tlv);
}

#[test]
fn certificate_view_seeds() {
    replay("certificate_view", mynumbercard::fuzzing::certificate_view);
}

#[test]
fn card_info_record_seeds() {
    replay("card_info_record", mynumbercard::fuzzing::card_info_record);
}

#[test]
fn card_face_record_seeds() {
    replay("card_face_record", mynumbercard::fuzzing::card_face_record);
}

#[test]
fn virtual_card_seeds() {
    replay("virtual_card", mynumbercard::fuzzing::virtual_card);
}

#[test]
fn operations_seeds() {
    replay("operations", mynumbercard::fuzzing::operations);
}

/// Writes the seeds taken from the virtual card and the bundled roots (the hand-written ones
/// are committed as they are). Run after the virtual card's files change:
/// `cargo test --test fuzz_seeds -- --ignored write_card_seeds`.
#[test]
#[ignore]
fn write_card_seeds() {
    use mynumbercard::trust::roots;
    use mynumbercard::{CertificateKind, VirtualCard};

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let write = |target: &str, name: &str, data: &[u8]| {
        fs::create_dir_all(dir.join(target)).unwrap();
        fs::write(dir.join(target).join(name), data).unwrap();
    };
    let vc = VirtualCard::new();
    for (kind, name) in CertificateKind::ALL
        .iter()
        .zip(["auth", "sign", "auth_ca", "sign_ca"])
    {
        write(
            "certificate_view",
            &format!("virtual_{name}"),
            vc.certificate_der(*kind),
        );
    }
    for (der, name) in [
        (roots::AUTH_CA_2015, "jlis_auth_ca_2015"),
        (roots::AUTH_CA_2023, "jlis_auth_ca_2023"),
        (roots::SIGN_CA_2019, "jlis_sign_ca_2019"),
        (roots::TEST_SIGN_CA_2024, "jlis_test_sign_ca_2024"),
    ] {
        write("certificate_view", name, der);
    }
    let sign = vc.certificate_der(CertificateKind::Sign);
    write(
        "certificate_view",
        "truncated_sign",
        &sign[..sign.len() / 2],
    );

    // The card-info and card-face files, read off the virtual card.
    let files = [
        (CARD_INFO, 0x0011, &b"1234"[..], 0x0001, "my_number"),
        (CARD_INFO, 0x0011, &b"1234"[..], 0x0002, "attributes"),
        (CARD_INFO, 0x0011, &b"1234"[..], 0x0003, "integrity"),
        (CARD_FACE, 0x0013, &b"123456789018"[..], 0x0002, "card_face"),
        (
            CARD_FACE,
            0x0013,
            &b"123456789018"[..],
            0x0005,
            "my_number_image",
        ),
    ];
    for (aid, key, secret, fid, name) in files {
        let file = read_file(aid, key, secret, fid);
        write("tlv", name, &file);
        match name {
            "my_number" => write("card_info_record", name, &[&[0][..], &file].concat()),
            "integrity" => write("card_info_record", name, &[&[1][..], &file].concat()),
            "attributes" => {
                write("card_info_record", name, &[&[2][..], &file].concat());
                let mut wrong_offset = file.clone();
                wrong_offset[6] ^= 1;
                write(
                    "card_info_record",
                    "attributes_wrong_offset",
                    &[&[2][..], &wrong_offset].concat(),
                );
                write(
                    "card_info_record",
                    "attributes_truncated",
                    &[&[2][..], &file[..file.len() - 3]].concat(),
                );
            }
            "card_face" => {
                write("card_face_record", name, &file);
                let mut wrong_offset = file.clone();
                wrong_offset[7] ^= 1;
                write("card_face_record", "card_face_wrong_offset", &wrong_offset);
                write(
                    "card_face_record",
                    "card_face_truncated",
                    &file[..file.len() / 2],
                );
            }
            _ => write("card_face_record", name, &file),
        }
    }
}

const JPKI: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
const CARD_INFO: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];
const CARD_FACE: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02];

/// Reads EF `fid` of application `aid` whole off a default virtual card, after VERIFY of
/// `secret` in key EF `key`.
fn read_file(aid: [u8; 10], key: u16, secret: &[u8], fid: u16) -> Vec<u8> {
    let mut vc = mynumbercard::VirtualCard::new();
    let ok = |answer: Vec<u8>| assert_eq!(answer[answer.len() - 2..], [0x90, 0x00]);
    ok(vc.handle(&[&[0x00, 0xA4, 0x04, 0x0C, 0x0A][..], &aid].concat()));
    ok(vc.handle(&[0x00, 0xA4, 0x02, 0x0C, 0x02, (key >> 8) as u8, key as u8]));
    ok(vc.handle(&[&[0x00, 0x20, 0x00, 0x80, secret.len() as u8][..], secret].concat()));
    ok(vc.handle(&[0x00, 0xA4, 0x02, 0x0C, 0x02, (fid >> 8) as u8, fid as u8]));
    let mut file = Vec::new();
    loop {
        let offset = file.len();
        let answer = vc.handle(&[0x00, 0xB0, (offset >> 8) as u8, offset as u8, 0x00]);
        let (data, sw) = answer.split_at(answer.len() - 2);
        if sw != [0x90, 0x00] || data.is_empty() {
            break;
        }
        file.extend_from_slice(data);
    }
    // Up to the object's end (the rest is filler).
    let len = mynumbercard::tlv::total_len(&file, file.len()).unwrap();
    file.truncate(len);
    file
}

/// The virtual card's APDUs as `LEN APDU` seeds: the JPKI, card-info and card-face flows.
#[test]
#[ignore]
fn write_virtual_card_seeds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/virtual_card");
    fs::create_dir_all(&dir).unwrap();
    let seq = |apdus: &[Vec<u8>]| -> Vec<u8> {
        apdus
            .iter()
            .flat_map(|a| {
                let mut v = vec![a.len() as u8];
                v.extend_from_slice(a);
                v
            })
            .collect()
    };
    let select = |aid: [u8; 10]| [&[0x00, 0xA4, 0x04, 0x0C, 0x0A][..], &aid].concat();
    let ef = |fid: u8| vec![0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, fid];
    let verify = |s: &[u8]| [&[0x00, 0x20, 0x00, 0x80, s.len() as u8][..], s].concat();
    let read = |hi: u8| vec![0x00, 0xB0, hi, 0x00, 0x00];
    let mut digest_info = vec![
        0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    digest_info.extend_from_slice(&[0x5A; 32]);
    let sign = [
        &[0x80, 0x2A, 0x00, 0x80, digest_info.len() as u8][..],
        &digest_info,
        &[0],
    ]
    .concat();
    let seeds: [(&str, Vec<u8>); 7] = [
        (
            "jpki_read_auth_cert",
            seq(&[select(JPKI), ef(0x0A), read(0), read(1), read(2), read(9)]),
        ),
        (
            "jpki_verify_and_sign",
            seq(&[
                select(JPKI),
                ef(0x18),
                verify(b""),
                verify(b"1234"),
                ef(0x17),
                sign,
            ]),
        ),
        (
            "jpki_wrong_pins_block",
            seq(&[
                select(JPKI),
                ef(0x18),
                verify(b"9999"),
                verify(b"9999"),
                verify(b"9999"),
                verify(b""),
                verify(b"1234"),
            ]),
        ),
        (
            "jpki_change_pin",
            seq(&[
                select(JPKI),
                ef(0x1B),
                verify(b"ABC123"),
                [&[0x00, 0x24, 0x01, 0x80, 6][..], b"XYZ789"].concat(),
                verify(b"XYZ789"),
            ]),
        ),
        (
            "card_info_read",
            seq(&[
                select(CARD_INFO),
                ef(0x11),
                verify(b"1234"),
                ef(0x01),
                read(0),
                ef(0x02),
                read(0),
                read(1),
            ]),
        ),
        (
            "card_face_read_with_reset",
            [
                seq(&[
                    select(CARD_FACE),
                    ef(0x12),
                    verify(b"02010120351234"),
                    ef(0x02),
                    read(0),
                    read(1),
                ]),
                vec![0xFF],
                seq(&[read(2), ef(0x02), read(3)]),
            ]
            .concat(),
        ),
        (
            "power_cycle",
            [
                seq(&[select(JPKI), ef(0x18), verify(b"1234")]),
                vec![0xFE],
                seq(&[verify(b"")]),
                vec![0xFD],
                seq(&[select(JPKI)]),
            ]
            .concat(),
        ),
    ];
    for (name, mut data) in seeds {
        if name.contains("sign") {
            // The target signs only in inputs of a multiple of 16 bytes: pad with empty APDUs.
            data.resize(data.len().next_multiple_of(16), 0);
        }
        fs::write(dir.join(name), data).unwrap();
    }
}

#[test]
fn common_record_seeds() {
    replay("common_record", mynumbercard::fuzzing::common_record);
}

#[test]
fn master_file_objects_seeds() {
    replay(
        "master_file_objects",
        mynumbercard::fuzzing::master_file_objects,
    );
}

#[test]
fn token_info_seeds() {
    replay("token_info", mynumbercard::fuzzing::token_info);
}
