//! Fuzz bodies for the parsers of card data: the flat TLV reader, the certificate view with
//! its JPKI attributes and the trust check, and the card-info and card-face records.

use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use crate::card_info::IntegrityRecord;
use crate::card_info::{check_attributes_and_parse, parse_integrity, parse_my_number};
use crate::certificate::{BirthDate, JpkiCertificate, Sex, SubstituteFlags};
use crate::record::Record;
use crate::tlv;
use crate::trust::TrustAnchors;

/// Any bytes through the flat TLV reader: `header`, `total_len`, `read`, `objects` and `find`
/// never panic; `read` splits the input exactly (header + value + rest); `objects` yields at
/// most one object per two bytes and stops after an error; `total_len` keeps to its cap.
pub fn tlv(data: &[u8]) {
    if let Ok((_, header_len, value_len)) = tlv::header(data) {
        assert!(
            (2..=7).contains(&header_len),
            "header of {header_len} bytes"
        );
        assert!(header_len <= data.len());
        if let Ok(total) = tlv::total_len(data, usize::MAX) {
            assert_eq!(total, header_len + value_len);
        }
    }
    for max in [0, 17, 4096, 32_768] {
        if let Ok(total) = tlv::total_len(data, max) {
            assert!(total <= max);
        }
    }
    if let Ok((object, rest)) = tlv::read(data) {
        let header_len = data.len() - object.value.len() - rest.len();
        assert!((2..=7).contains(&header_len));
        assert_eq!(
            data.get(header_len..header_len + object.value.len()),
            Some(object.value)
        );
    }
    let mut count = 0;
    let mut errored = false;
    for object in tlv::objects(data) {
        assert!(!errored, "an object after an error");
        count += 1;
        errored = object.is_err();
    }
    assert!(
        count <= data.len() / 2 + 1,
        "{count} objects in {} bytes",
        data.len()
    );
    if let Some(&tag) = data.first() {
        let _ = tlv::find(data, 0xDF00 | u32::from(tag));
    }
}

/// A fixed time for the trust checks, within the bundled roots' validity (2026-01-01).
fn check_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600)
}

/// Any bytes as a certificate: [`JpkiCertificate::from_der`] and every accessor, the JPKI
/// attributes, and [`TrustAnchors`] (verify, the card-CA check, as a caller's root) never
/// panic. The attribute text parsers get the input as text too.
pub fn certificate_view(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = (BirthDate::parse(&text), SubstituteFlags::parse(&text));
    let _ = Sex::from_code(&text);
    let Ok(view) = JpkiCertificate::from_der(data) else {
        return;
    };
    assert_eq!(view.der(), data, "the view keeps the bytes it was given");
    let _ = (
        view.kind(),
        view.issuer_organization(),
        view.subject_common_name(),
    );
    let _ = (
        view.serial_hex(),
        view.not_before(),
        view.not_after(),
        view.key(),
    );
    let _ = (
        crate::trust::root_generation(&view),
        view.is_ca(),
        view.is_self_issued(),
    );
    let _ = (
        view.key_usage(),
        view.subject_key_id(),
        view.authority_key_id(),
    );
    let _ = view.fingerprint();
    if let Some(attributes) = view.attributes() {
        let _ = format!("{attributes:?}");
    }
    let now = check_time();
    let _ = view.is_valid_at(now);
    let anchors = TrustAnchors::jlis_with_test_roots();
    let _ = anchors.verify(&view, now);
    let _ = anchors.check_ca_certificate(&view);
    let _ = anchors.verify_with_card_ca(&view, &view, now);
    if let Ok(own) = TrustAnchors::empty().with_root(data) {
        assert_eq!(own.anchors().len(), 1);
        let _ = own.verify(&view, now);
    }
}

/// Any bytes as a card-info file, chosen by the first byte (mod 3): the my number file, the
/// integrity record, or the attributes record (checked against a digest of its own bytes, so
/// that parsing goes past the integrity check). Never panics; a parsed my number has 12
/// digits.
pub fn card_info_record(data: &[u8]) {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    match pick % 3 {
        0 => {
            if let Ok(number) = parse_my_number(file) {
                assert_eq!(number.reveal().len(), 12);
            }
        }
        1 => {
            if let Ok(record) = parse_integrity(file) {
                assert!(record.signature.len() <= file.len());
            }
        }
        _ => {
            let after_table = Record::parse(file, 0xFF20, 0xDF21)
                .map(|r| r.after_table())
                .unwrap_or_default();
            let integrity = IntegrityRecord {
                my_number_sha256: [0; 32],
                attributes_sha256: Sha256::digest(after_table).into(),
                signature: Vec::new(),
                signed_sha256: [0; 32],
            };
            if let Ok(attributes) = check_attributes_and_parse(&integrity, file) {
                assert!(attributes.name.len() + attributes.address.len() <= file.len());
            }
        }
    }
}

/// Any bytes as the card-face record (EF 0002): never panics; what it returns lies within the
/// input (no length taken from the offset table).
pub fn card_face_record(data: &[u8]) {
    if let Ok(record) = crate::card_face::parse_record(data) {
        let parts = [
            &record.name_image,
            &record.address_image,
            &record.face_photo,
            &record.security_code_image,
            &record.public_key,
            &record.signature,
        ];
        let total: usize = parts.iter().map(|p| p.len()).sum();
        assert!(total <= data.len());
        let _ = format!("{record:?}");
    }
}

/// Any bytes as a card-verifiable certificate (with or without its template): parsing never
/// panics; a parsed certificate's signature is at most the input's length, and checking it
/// against the bundled CA keys for each role, and as a chain of two, never panics.
pub fn cv_certificate(data: &[u8]) {
    use crate::card_verifiable::{CvCertificate, CvRole, CvTrust};
    let Ok(certificate) = CvCertificate::parse(data) else {
        return;
    };
    assert!(certificate.signature().len() <= data.len());
    let _ = format!("{certificate:?} {}", certificate.issuer_key_id());
    for trust in [CvTrust::jlis(), CvTrust::jlis_with_test_keys()] {
        for role in [CvRole::MasterFile, CvRole::CardFace, CvRole::CardInfo] {
            let _ = trust.certify(&certificate, role);
        }
        let _ = trust.certify_chain(
            &[certificate.clone(), certificate.clone()],
            CvRole::MasterFile,
        );
    }
}

/// Any bytes as the age-verification record (card-face EF 0001): parsing never panics; a
/// parsed record's ages are consistent (never older on an earlier date), `Debug` never shows
/// the birth date, and its signature checked with its own card key never panics.
pub fn age_record(data: &[u8]) {
    use crate::calendar::CalendarDate;
    use crate::card_face::AgeRecord;
    let Ok(record) = AgeRecord::parse(data) else {
        return;
    };
    assert!(record.signature().len() <= data.len());
    let birth = record.birth_date;
    assert!(!format!("{record:?}").contains(&birth.to_string()));
    assert_eq!(record.age_on(birth), Some(0));
    let mut last = 0;
    for year in [birth.year(), birth.year().saturating_add(1), 2026, 9999] {
        if let Some(date) = CalendarDate::new(year, 12, 31) {
            if let Some(age) = record.age_on(date) {
                assert!(age >= last, "older on an earlier date");
                last = age;
            }
        }
    }
    let _ = record.signed_with(&record.card_key().clone());
}

/// Any bytes as a signed record, chosen by the first byte (mod 4): the card face (EF 0002),
/// the my-number image record (EF 0005), the card-info integrity record (EF 0003), or a
/// generic signed record `FF10` { …, `DF13` }. Never panics; what a parse returns lies within
/// the input, and checking a signature with the record's own card key never panics.
pub fn signed_record(data: &[u8]) {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    match pick % 4 {
        0 => {
            if let Ok(record) = crate::card_face::parse_record(file) {
                let _ = record.signed_with(&record.card_key().clone());
            }
        }
        1 => {
            if let Ok(record) = crate::card_face::MyNumberImageRecord::parse(file) {
                assert!(record.image.len() + record.signature().len() <= file.len());
            }
        }
        2 => {
            if let Ok(record) = parse_integrity(file) {
                assert!(record.signature.len() <= file.len());
            }
        }
        _ => {
            if let Ok(record) = crate::record::Signed::parse(file, 0xFF10, 0xDF13) {
                assert!(record.signed().len() + record.signature().len() <= file.len());
            }
        }
    }
}

/// Any bytes as record 1 of the common application's EF 0001: never panics; keeps the bytes;
/// reads the fields only from tag `01`, length 28 and 28 digits (the serial number 15 of them, the
/// municipality code 5); `Debug` never shows the serial number.
pub fn common_record(data: &[u8]) {
    let record = crate::common::CommonRecord::parse(data);
    assert_eq!(record.raw, data);
    if let Some(serial) = &record.serial_number {
        // Tag 01, a length of 28 in the short or the three-byte form, 28 digits.
        assert!(
            data.get(..2) == Some(&[0x01, 0x1C][..]) && data.len() == 30
                || data.get(..4) == Some(&[0x01, 0xFF, 0x00, 0x1C][..]) && data.len() == 32
        );
        assert_eq!(serial.len(), 15);
        assert!(serial.bytes().all(|b| b.is_ascii_digit()));
        assert!(record.municipality_code.is_some());
        assert!(!format!("{record:?}").contains(serial.as_str()));
    } else {
        assert!(record.municipality_code.is_none() && record.expiry.is_none());
    }
    if let Some(code) = record.municipality_code {
        assert_eq!(code.with_check_digit().len(), 6);
        assert!(code.prefecture_code() <= 99);
    }
    let _ = crate::common::simple_tlv(data);
}

/// Any bytes as the master file's objects. Layout: `L1 L2 BYTES…`: the first L1 bytes are
/// the card identification number, the next L2 the municipality code, the rest the expiry.
/// Never panics; each typed reading has its form (printable ASCII, five digits, a date).
pub fn master_file_objects(data: &[u8]) {
    use crate::master_file::{DataObject, MasterFileData};
    let Some((&[l1, l2], rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let (cin, rest) = rest.split_at(usize::from(l1).min(rest.len()));
    let (code, expiry) = rest.split_at(usize::from(l2).min(rest.len()));
    let objects = MasterFileData::from_values(
        DataObject::Read(cin.to_vec()),
        DataObject::Read(code.to_vec()),
        DataObject::Read(expiry.to_vec()),
    );
    if let Some(text) = objects.card_identification_number() {
        assert!(!text.is_empty() && text.len() <= cin.len());
        assert!(text.bytes().all(|b| b.is_ascii_graphic() || b == b' '));
    }
    if let Some(parsed) = objects.municipality_code() {
        assert_eq!(parsed.as_str().as_bytes(), code);
    }
    if objects.expiry().is_some() {
        assert_eq!(expiry.len(), 8);
    }
    assert!(!objects.needs_extended_length());
    let _ = format!("{objects:?}");
}

/// Any bytes as the JPKI token file (EF 0006) and as EF 0008: never panics; keeps the bytes;
/// the label comes from the first 32 bytes, the PKCS #11 record only from 160 or more; EF
/// 0008 is exactly 3 bytes.
pub fn token_info(data: &[u8]) {
    use crate::jpki::{CardKind, CertificateAvailability, TokenInfo};
    let info = TokenInfo::parse(data);
    assert_eq!(info.raw, data);
    assert!(info.label.len() <= 32);
    assert_eq!(info.record.is_some(), data.len() >= 160);
    if info.kind == CardKind::AndroidToken {
        assert_eq!(info.label, "JPKIAPGPSETOKEN");
    }
    let _ = format!("{info:?}");
    let availability = CertificateAvailability::parse(data);
    assert_eq!(availability.is_some(), data.len() == 3);
    if let Some(availability) = availability {
        assert_eq!(availability.raw(), data);
        let _ = (availability.sign(), availability.auth());
    }
}
