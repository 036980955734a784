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

#[cfg(feature = "cms")]
#[test]
fn cms_verification_seeds() {
    replay("cms_verification", mynumbercard::fuzzing::cms_verification);
    // The two made by the virtual card still verify (regenerate them when its fixtures change).
    use mynumbercard::virtual_card::fixtures;
    let anchors = mynumbercard::trust::TrustAnchors::empty()
        .with_root(fixtures::SIGN_CA_CERT)
        .and_then(|a| a.with_root(fixtures::p384::SIGN_CA_CERT))
        .unwrap();
    let at = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_772_323_200);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/cms_verification");
    for name in ["rsa", "p384"] {
        let p7s = fs::read(dir.join(name)).unwrap();
        let verified = mynumbercard::cms::verify_detached(
            &p7s,
            mynumbercard::fuzzing::CMS_DOCUMENT,
            &anchors,
            at,
        );
        assert!(verified.is_ok(), "seed {name}: {verified:?}");
    }
}

/// Writes the CMS verification seeds: signatures over the fuzz document by both credentials
/// (RSA, P-384) and by the auth key, cut and widened ones. Deterministic (PKCS#1 v1.5, RFC 6979,
/// a fixed signing time): `cargo test --features cms --test fuzz_seeds -- --ignored
/// write_cms_seeds`.
#[cfg(feature = "cms")]
#[test]
#[ignore]
fn write_cms_seeds() {
    use mynumbercard::fuzzing::CMS_DOCUMENT;
    use mynumbercard::{Card, KeyKind, LastTry, SignPin, VirtualCard};
    use std::time::{Duration, SystemTime};

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/cms_verification");
    fs::create_dir_all(&dir).unwrap();
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_323_200);
    let sign = |vc: VirtualCard| {
        let mut card = Card::new(vc);
        let pin = SignPin::new(VirtualCard::DEFAULT_SIGN_PIN).unwrap();
        card.jpki()
            .sign_document(&pin, CMS_DOCUMENT, at, LastTry::Refuse)
            .unwrap()
    };
    let rsa = sign(VirtualCard::new());
    let p384 = sign(VirtualCard::builder().ecdsa_p384().build());
    fs::write(dir.join("rsa"), &rsa).unwrap();
    fs::write(dir.join("p384"), &p384).unwrap();
    fs::write(dir.join("rsa_truncated"), &rsa[..rsa.len() / 2]).unwrap();
    let mut flipped = p384.clone();
    let last = flipped.len() - 10;
    flipped[last] ^= 0x01;
    fs::write(dir.join("p384_bad_signature"), flipped).unwrap();
    // The user-authentication key's signature over the same document, through the library's
    // signer and the cms crate's builder, as another tool would make it.
    let mut card = Card::new(VirtualCard::new());
    let mut jpki = card.jpki();
    jpki.verify_pin(&mynumbercard::AuthPin::new("1234").unwrap())
        .unwrap();
    let signer = jpki.signer(KeyKind::Auth).unwrap();
    let auth = auth_signed(&signer, CMS_DOCUMENT);
    fs::write(dir.join("auth_key"), auth).unwrap();
    // A SET OF 65 NULLs and 40 nested SEQUENCEs: past the shape walk's bounds.
    let mut wide = vec![0x31, 0x81, 130];
    wide.extend(std::iter::repeat_n([0x05, 0x00], 65).flatten());
    fs::write(dir.join("wide_set"), wide).unwrap();
    let mut deep = Vec::new();
    for _ in 0..40 {
        let mut outer = vec![0x30, deep.len() as u8];
        outer.extend_from_slice(&deep);
        deep = outer;
    }
    fs::write(dir.join("deep"), deep).unwrap();
}

#[cfg(feature = "cms")]
fn auth_signed<T: mynumbercard::Transport>(
    signer: &mynumbercard::JpkiSigner<'_, T>,
    document: &[u8],
) -> Vec<u8> {
    use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
    use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
    use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
    use der::{Decode, Encode};
    let certificate = x509_cert::Certificate::from_der(signer.certificate_der()).unwrap();
    let content = EncapsulatedContentInfo {
        econtent_type: "1.2.840.113549.1.7.1".parse().unwrap(),
        econtent: None,
    };
    let digest = mynumbercard::HashAlgorithm::Sha256.hash(document);
    let sha256 = x509_cert::spki::AlgorithmIdentifierOwned {
        oid: "2.16.840.1.101.3.4.2.1".parse().unwrap(),
        parameters: None,
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: certificate.tbs_certificate.issuer.clone(),
        serial_number: certificate.tbs_certificate.serial_number.clone(),
    });
    let info =
        SignerInfoBuilder::new(signer, sid, sha256.clone(), &content, Some(&digest)).unwrap();
    let mut builder = SignedDataBuilder::new(&content);
    builder
        .add_digest_algorithm(sha256)
        .unwrap()
        .add_certificate(CertificateChoices::Certificate(certificate))
        .unwrap()
        .add_signer_info::<_, mynumbercard::JpkiSignature>(info)
        .unwrap();
    builder.build().unwrap().to_der().unwrap()
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

/// The seeds of the card-verifiable certificate, age-record and signed-record targets, taken
/// from the virtual card: `cargo test --test fuzz_seeds -- --ignored write_genuineness_seeds`.
#[test]
#[ignore]
fn write_genuineness_seeds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let write = |target: &str, name: &str, data: &[u8]| {
        fs::create_dir_all(dir.join(target)).unwrap();
        fs::write(dir.join(target).join(name), data).unwrap();
    };
    let birth = &b"020101"[..];
    let cert = read_file(CARD_FACE, 0x0011, birth, 0x0004);
    write("cv_certificate", "card_face_ef0004", &cert);
    write("cv_certificate", "without_template", &cert[5..]);
    write("cv_certificate", "truncated", &cert[..300]);
    let mut claims = cert.clone();
    claims[7..10].copy_from_slice(&[0x82, 0xFF, 0xFF]);
    write("cv_certificate", "body_claims_too_much", &claims);
    write(
        "cv_certificate",
        "padded",
        &[&cert[..], &[0xFF; 40]].concat(),
    );
    let info = read_file(CARD_INFO, 0x0011, b"1234", 0x0004);
    write("cv_certificate", "card_info_ef0004", &info);
    let mut vc = mynumbercard::VirtualCard::new();
    let upper = vc.handle(&[0x00, 0xCA, 0x00, 0xF8, 0x00, 0x10, 0x00]);
    write(
        "cv_certificate",
        "master_file_00f8",
        &upper[..upper.len() - 2],
    );

    let age = read_file(CARD_FACE, 0x0011, birth, 0x0001);
    write("age_record", "age_record", &age);
    write("age_record", "truncated", &age[..age.len() - 10]);
    let at = age.windows(8).position(|w| w == b"19900101").unwrap();
    let with_date = |date: &[u8]| {
        let mut record = age.clone();
        record[at..at + 8].copy_from_slice(date);
        record
    };
    write("age_record", "born_29_february", &with_date(b"20000229"));
    write("age_record", "month_13", &with_date(b"19901301"));
    write("age_record", "padded", &[&age[..], &[0xFF; 8][..]].concat());

    let code_a = &b"123456789018"[..];
    let face = read_file(CARD_FACE, 0x0013, code_a, 0x0002);
    write("signed_record", "card_face", &[&[0][..], &face].concat());
    let image = read_file(CARD_FACE, 0x0013, code_a, 0x0005);
    write(
        "signed_record",
        "my_number_image",
        &[&[1][..], &image].concat(),
    );
    write(
        "signed_record",
        "my_number_image_truncated",
        &[&[1][..], &image[..image.len() - 1]].concat(),
    );
    let integrity = read_file(CARD_INFO, 0x0011, b"1234", 0x0003);
    write(
        "signed_record",
        "integrity",
        &[&[2][..], &integrity].concat(),
    );
    write(
        "signed_record",
        "age_record_generic",
        &[&[3][..], &age].concat(),
    );
    write(
        "signed_record",
        "empty_signature",
        &[3, 0xFF, 0x10, 0x03, 0xDF, 0x13, 0x00],
    );
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
fn cv_certificate_seeds() {
    replay("cv_certificate", mynumbercard::fuzzing::cv_certificate);
}

#[test]
fn age_record_seeds() {
    replay("age_record", mynumbercard::fuzzing::age_record);
}

#[test]
fn signed_record_seeds() {
    replay("signed_record", mynumbercard::fuzzing::signed_record);
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
