//! The JPKI subjectAltName attributes: every field, every accepted string type, and the
//! malformed values, which keep their raw form and fail nothing else.

mod support;

use der::asn1::{Any, BmpString, Ia5StringRef, PrintableStringRef};
use der::Encode;
use der::Tag;
use mynumbercard::certificate::{
    Attribute, BirthDate, CalendarDate, Era, JpkiCertificate, Sex, SubstituteFlags,
};
use mynumbercard::trust::TrustAnchors;
use mynumbercard::{CertificateKind, Error};
use support::*;

const NAME: &str = "1.2.392.200149.8.5.5.1";
const NAME_FLAGS: &str = "1.2.392.200149.8.5.5.2";
const SEX: &str = "1.2.392.200149.8.5.5.3";
const BIRTH: &str = "1.2.392.200149.8.5.5.4";
const ADDRESS: &str = "1.2.392.200149.8.5.5.5";
const ADDRESS_FLAGS: &str = "1.2.392.200149.8.5.5.6";

fn with_san(entries: Vec<(&str, Any)>) -> Result<JpkiCertificate, Error> {
    let der = Profile {
        extensions: vec![san(entries)],
        ..Profile::sign_user()
    }
    .issue(&p256_key());
    JpkiCertificate::from_der(&der)
}

#[test]
fn every_field_is_decoded_in_the_order_real_certificates_use() {
    let view = with_san(vec![
        (NAME, utf8("試験　花子")),
        (BIRTH, utf8("319800217")),
        (SEX, utf8("2")),
        (ADDRESS, utf8("東京都千代田区霞が関２－１－２")),
        (NAME_FLAGS, utf8("00100")),
        (ADDRESS_FLAGS, utf8("000000000000000")),
    ])
    .unwrap();
    let a = view.attributes().unwrap();
    assert_eq!(a.name(), Some("試験　花子"));
    assert_eq!(a.sex(), Some(&Sex::Female));
    let birth = a.birth_date().unwrap();
    assert_eq!(birth.era(), Era::Showa);
    assert_eq!(birth.date(), CalendarDate::new(1980, 2, 17).unwrap());
    assert_eq!(birth.era_year(), Some(55));
    assert_eq!(a.address(), Some("東京都千代田区霞が関２－１－２"));
    let name_flags = a.name_substitutes().unwrap();
    assert_eq!(name_flags.positions(), [2]);
    assert!(name_flags.any() && name_flags.describes(a.name().unwrap()));
    let address_flags = a.address_substitutes().unwrap();
    assert!(!address_flags.any());
    assert!(address_flags.describes(a.address().unwrap()));
}

#[test]
fn other_string_types_are_read() {
    let view = with_san(vec![
        (
            NAME,
            Any::encode_from(&BmpString::from_utf8("髙橋　一郎").unwrap()).unwrap(),
        ),
        (
            SEX,
            Any::encode_from(&PrintableStringRef::new("1").unwrap()).unwrap(),
        ),
        (
            BIRTH,
            Any::encode_from(&Ia5StringRef::new("520190501").unwrap()).unwrap(),
        ),
        (
            ADDRESS,
            Any::new(Tag::TeletexString, b"Tokyo".to_vec()).unwrap(),
        ),
    ])
    .unwrap();
    let a = view.attributes().unwrap();
    assert_eq!(a.name(), Some("髙橋　一郎"));
    assert_eq!(a.sex(), Some(&Sex::Male));
    assert_eq!(a.birth_date().unwrap().era(), Era::Reiwa);
    assert_eq!(a.address(), Some("Tokyo"));
    assert_eq!(a.name_substitutes(), None);
}

#[test]
fn a_certificate_without_jpki_entries_has_no_attributes() {
    let other = with_san(vec![("1.2.3.4", utf8("x"))]).unwrap();
    assert!(other.attributes().is_none());
    let none = JpkiCertificate::from_der(&Profile::auth_user().issue(&p256_key())).unwrap();
    assert!(none.attributes().is_none());
}

#[test]
fn a_malformed_field_keeps_its_raw_value_and_fails_nothing_else() {
    // The entries, and the text each keeps (None: not a string).
    type Case<'a> = (Vec<(&'a str, Any)>, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (vec![(BIRTH, utf8("419900230"))], Some("419900230")), // 30 February
        (vec![(BIRTH, utf8("419901301"))], Some("419901301")), // month 13
        (vec![(BIRTH, utf8("61990010"))], Some("61990010")),   // too short
        (vec![(NAME_FLAGS, utf8("0021"))], Some("0021")),      // not 0/1
        (vec![(SEX, Any::new(Tag::Integer, vec![1]).unwrap())], None), // not a string
        (
            vec![(ADDRESS, Any::new(Tag::Utf8String, vec![0xC3]).unwrap())],
            None,
        ), // bad UTF-8
    ];
    for (entries, text) in cases {
        let described = format!("{entries:?}");
        let oid = entries[0].0;
        let der = entries[0].1.to_der().unwrap();
        let der_cert = Profile {
            extensions: vec![san(entries)],
            ..Profile::sign_user()
        }
        .issue(root_key());
        let view = JpkiCertificate::from_der(&der_cert).unwrap();
        // The chain check is not disturbed by the field.
        let anchors = TrustAnchors::empty().with_root(&root(OU_SIGN)).unwrap();
        let trusted = anchors.verify(&view, system_time(2027, 6, 1)).unwrap();
        assert_eq!(trusted.kind, Some(CertificateKind::Sign), "{described}");
        let a = view.attributes().expect(&described);
        let (raw, typed) = match oid {
            BIRTH => (a.birth_date.as_ref().map(raw), a.birth_date().is_some()),
            NAME_FLAGS => (
                a.name_substitutes.as_ref().map(raw),
                a.name_substitutes().is_some(),
            ),
            SEX => (a.sex.as_ref().map(raw), a.sex().is_some()),
            ADDRESS => (a.address.as_ref().map(raw), a.address().is_some()),
            _ => unreachable!(),
        };
        let (raw_der, raw_text) = raw.expect(&described);
        assert_eq!(raw_der, der, "{described}");
        assert_eq!(raw_text.as_deref(), text, "{described}");
        assert!(!typed, "{described}");
    }
}

fn raw<T>(a: &Attribute<T>) -> (Vec<u8>, Option<String>) {
    assert!(a.value().is_none() && !a.is_repeated());
    (a.der().to_vec(), a.text().map(str::to_owned))
}

#[test]
fn a_repeated_field_has_no_typed_reading() {
    let view = with_san(vec![(NAME, utf8("a")), (SEX, utf8("1")), (NAME, utf8("b"))]).unwrap();
    let a = view.attributes().unwrap();
    let name = a.name.as_ref().unwrap();
    assert!(name.is_repeated());
    assert_eq!(name.text(), Some("a"));
    assert_eq!(a.name(), None);
    assert_eq!(a.sex(), Some(&Sex::Male));
}

#[test]
fn debug_shows_no_personal_data() {
    let view = with_san(vec![(NAME, utf8("試験　花子")), (BIRTH, utf8("319800217"))]).unwrap();
    let shown = format!("{:?}", view.attributes().unwrap());
    assert!(
        !shown.contains("試験") && !shown.contains("1980"),
        "{shown}"
    );
}

#[test]
fn birth_dates_read_the_era_digit_and_the_gregorian_date() {
    let cases = [
        ("018500101", Era::Unknown, (1850, 1, 1), None),
        ("119000101", Era::Meiji, (1900, 1, 1), Some(33)),
        ("219261224", Era::Taisho, (1926, 12, 24), Some(15)),
        ("319890107", Era::Showa, (1989, 1, 7), Some(64)),
        ("419890108", Era::Heisei, (1989, 1, 8), Some(1)),
        ("420000229", Era::Heisei, (2000, 2, 29), Some(12)),
        ("520190501", Era::Reiwa, (2019, 5, 1), Some(1)),
    ];
    for (text, era, (y, m, d), era_year) in cases {
        let birth = BirthDate::parse(text).unwrap();
        assert_eq!(birth.era(), era, "{text}");
        assert_eq!(birth.date(), CalendarDate::new(y, m, d).unwrap(), "{text}");
        assert_eq!(birth.era_year(), era_year, "{text}");
        assert!(birth.era_matches_date(), "{text}");
        assert_eq!(birth.to_string(), text);
    }
    assert_eq!(
        BirthDate::parse("419900101").unwrap().date().to_string(),
        "1990-01-01"
    );
    // The digit is what the issuer wrote; a mismatch is reported, not corrected.
    let odd = BirthDate::parse("519900101").unwrap();
    assert!(!odd.era_matches_date());
    assert_eq!(odd.era_year(), None);
    // A later era, not yet named: read, not refused.
    let next = BirthDate::parse("620400101").unwrap();
    assert_eq!(next.era(), Era::Unnamed(6));
    assert_eq!(next.era_year(), None);
    assert!(next.era_matches_date());
    assert_eq!(next.to_string(), "620400101");
    assert!(!BirthDate::parse("619900101").unwrap().era_matches_date());
    assert_eq!(
        BirthDate::parse("919900101").unwrap().era(),
        Era::Unnamed(9)
    );
    for bad in [
        "",
        "41990010",
        "4199001010",
        "419001301",
        "419000100",
        "419000229",
        "４19900101",
        "41990010a",
        "a19900101",
    ] {
        assert_eq!(BirthDate::parse(bad), None, "{bad}");
    }
}

#[test]
fn era_digits_names_and_first_days() {
    let eras = [
        Era::Unknown,
        Era::Meiji,
        Era::Taisho,
        Era::Showa,
        Era::Heisei,
        Era::Reiwa,
    ];
    for (i, era) in eras.into_iter().enumerate() {
        let digit = b'0' + i as u8;
        assert_eq!(Era::from_digit(digit), Some(era));
        assert_eq!(era.digit(), digit as char);
    }
    assert_eq!(Era::Showa.name_ja(), Some("昭和"));
    assert_eq!(Era::Unknown.name_ja(), None);
    assert_eq!(Era::Reiwa.first_day().unwrap().to_string(), "2019-05-01");
    assert_eq!(Era::from_digit(b'6'), Some(Era::Unnamed(6)));
    assert_eq!(Era::Unnamed(6).digit(), '6');
    assert_eq!(Era::Unnamed(6).name_ja(), None);
    assert_eq!(Era::Unnamed(6).first_day(), None);
    assert!(Era::Unnamed(6) > Era::Reiwa);
    assert_eq!(Era::from_digit(b'a'), None);
}

#[test]
fn sex_codes() {
    assert_eq!(Sex::from_code("1"), Sex::Male);
    assert_eq!(Sex::from_code("2"), Sex::Female);
    assert_eq!(Sex::from_code("3"), Sex::Unknown);
    assert_eq!(Sex::from_code("9"), Sex::NotApplicable);
    assert_eq!(Sex::from_code("x"), Sex::Other("x".into()));
}

#[test]
fn substitute_flags() {
    let flags = SubstituteFlags::parse("0101").unwrap();
    assert_eq!(flags.as_str(), "0101");
    assert_eq!(flags.positions(), [1, 3]);
    assert!(flags.describes("仮想太郎") && !flags.describes("仮想"));
    assert!(SubstituteFlags::parse("").is_some());
    assert!(SubstituteFlags::parse("01２").is_none());
}
