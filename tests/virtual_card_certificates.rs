//! The virtual card's fixtures and certificates: shapes, the chain, the holder in the
//! signature certificate, and the library driving the card end to end.

use der::asn1::Utf8StringRef;
use der::{Decode, Encode};
use mynumbercard::calendar::CalendarDate;
use mynumbercard::certificate::Sex;
use mynumbercard::virtual_card::{fixtures, issue, Holder, VirtualCard};
use mynumbercard::{AuthPin, Card, CardKind, CertificateKind, KeyKind, PinKind, SignPin};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use rsa::RsaPublicKey;
use sha2::{Digest, Sha256};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::Certificate;

fn parse(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

fn key_of(cert: &Certificate) -> RsaPublicKey {
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .unwrap();
    RsaPublicKey::from_public_key_der(&spki).unwrap()
}

/// Checks `cert`'s signature with `issuer`'s key (sha256WithRSAEncryption).
fn signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    let tbs = cert.tbs_certificate.to_der().unwrap();
    let signature = Signature::try_from(cert.signature.raw_bytes()).unwrap();
    VerifyingKey::<Sha256>::new(key_of(issuer))
        .verify(&tbs, &signature)
        .is_ok()
}

/// The subjectAltName otherNames as (OID, UTF8String value).
fn jpki_attributes(cert: &Certificate) -> Vec<(String, String)> {
    let (_, san) = cert
        .tbs_certificate
        .get::<SubjectAltName>()
        .unwrap()
        .expect("a subjectAltName");
    san.0
        .iter()
        .map(|name| match name {
            GeneralName::OtherName(other) => (
                other.type_id.to_string(),
                other
                    .value
                    .decode_as::<Utf8StringRef<'_>>()
                    .unwrap()
                    .to_string(),
            ),
            other => panic!("unexpected general name {other:?}"),
        })
        .collect()
}

#[test]
fn certificates_are_jpki_shaped_and_chain_to_their_cas() {
    let card = VirtualCard::new();
    let auth = parse(card.certificate_der(CertificateKind::Auth));
    let auth_ca = parse(card.certificate_der(CertificateKind::AuthCa));
    let sign = parse(card.certificate_der(CertificateKind::Sign));
    let sign_ca = parse(card.certificate_der(CertificateKind::SignCa));

    assert_eq!(
        auth_ca.tbs_certificate.subject.to_string(),
        // RFC 4514 order: last RDN first (encoded C, O, OU, OU as the real CAs are).
        "OU=Japan Agency for Local Authority Information Systems,\
         OU=JPKI for user authentication,O=JPKI-VIRTUAL-TEST,C=JP"
    );
    assert_eq!(
        sign_ca.tbs_certificate.issuer.to_string(),
        "OU=Japan Agency for Local Authority Information Systems,\
         OU=JPKI for digital signature,O=JPKI-VIRTUAL-TEST,C=JP"
    );
    assert!(signed_by(&auth_ca, &auth_ca) && signed_by(&sign_ca, &sign_ca));
    assert!(signed_by(&auth, &auth_ca) && signed_by(&sign, &sign_ca));
    assert!(!signed_by(&sign, &auth_ca));
    assert_eq!(auth.tbs_certificate.issuer, auth_ca.tbs_certificate.subject);
    assert_eq!(sign.tbs_certificate.issuer, sign_ca.tbs_certificate.subject);
    for cert in [&auth, &auth_ca, &sign, &sign_ca] {
        assert_eq!(
            cert.signature_algorithm.oid.to_string(),
            "1.2.840.113549.1.1.11"
        );
        let key = key_of(cert);
        assert_eq!(rsa::traits::PublicKeyParts::size(&key), 256);
        assert_eq!(
            rsa::traits::PublicKeyParts::e(&key),
            &rsa::BigUint::from(65537u32)
        );
    }
    // The authentication certificate carries no personal data.
    assert!(auth
        .tbs_certificate
        .get::<SubjectAltName>()
        .unwrap()
        .is_none());
    // Every certificate starts with 30 82 LL LL, as the library's header read expects.
    for kind in CertificateKind::ALL {
        assert_eq!(card.certificate_der(kind)[..2], [0x30, 0x82]);
    }
}

#[test]
fn fixtures_are_what_the_library_issues_from_the_fixture_keys() {
    let auth_ca_key = fixtures::ca_key(KeyKind::Auth).unwrap();
    let sign_ca_key = fixtures::ca_key(KeyKind::Sign).unwrap();
    let auth_key = fixtures::user_key(KeyKind::Auth).unwrap();
    let sign_key = fixtures::user_key(KeyKind::Sign).unwrap();
    assert_eq!(
        issue::ca_certificate(KeyKind::Auth, &auth_ca_key).unwrap(),
        fixtures::AUTH_CA_CERT
    );
    assert_eq!(
        issue::auth_certificate(&auth_key.to_public_key(), &auth_ca_key).unwrap(),
        fixtures::AUTH_CERT
    );
    assert_eq!(
        issue::sign_certificate(&Holder::default(), &sign_key.to_public_key(), &sign_ca_key)
            .unwrap(),
        fixtures::SIGN_CERT
    );
    let card = VirtualCard::new();
    assert_eq!(card.public_key(KeyKind::Auth), auth_key.to_public_key());
    assert_eq!(card.public_key(KeyKind::Sign), sign_key.to_public_key());
    assert_ne!(
        card.public_key(KeyKind::Auth),
        card.public_key(KeyKind::Sign)
    );
}

#[test]
fn default_sign_certificate_names_the_default_holder() {
    let card = VirtualCard::new();
    let attributes = jpki_attributes(&parse(card.certificate_der(CertificateKind::Sign)));
    let expected = [
        ("1.2.392.200149.8.5.5.1", "仮想\u{3000}太郎"),
        ("1.2.392.200149.8.5.5.4", "419900101"),
        ("1.2.392.200149.8.5.5.3", "1"),
        ("1.2.392.200149.8.5.5.5", "東京都仮想区試験町１丁目２番３号"),
        ("1.2.392.200149.8.5.5.2", "00000"),
        ("1.2.392.200149.8.5.5.6", "0000000000000000"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(oid, value)| (oid.to_string(), value.to_string()))
        .collect();
    assert_eq!(attributes, expected);
}

#[test]
fn a_custom_holder_gets_a_fresh_sign_certificate() {
    let holder = Holder::default()
        .with_name("試験\u{3000}花子")
        .with_name_substitute(None)
        .with_sex(Sex::Female)
        .with_birth_date(CalendarDate::new(1975, 6, 30).unwrap())
        .with_address("大阪府仮想市試験町４丁目５番６号")
        .with_address_substitute(Some("0000001000000000".into()));
    let card = VirtualCard::builder().holder(holder.clone()).build();
    assert_eq!(card.holder(), &holder);
    let der = card.certificate_der(CertificateKind::Sign);
    assert_ne!(der, fixtures::SIGN_CERT);
    let cert = parse(der);
    let attributes = jpki_attributes(&cert);
    let value = |oid: &str| {
        attributes
            .iter()
            .find(|(o, _)| o == oid)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(value("1.2.392.200149.8.5.5.1"), Some("試験\u{3000}花子"));
    assert_eq!(value("1.2.392.200149.8.5.5.3"), Some("2"));
    assert_eq!(value("1.2.392.200149.8.5.5.4"), Some("319750630"));
    assert_eq!(
        value("1.2.392.200149.8.5.5.5"),
        Some(holder.address.as_str())
    );
    assert_eq!(value("1.2.392.200149.8.5.5.6"), Some("0000001000000000"));
    assert!(signed_by(&cert, &parse(fixtures::SIGN_CA_CERT)));
    // Same key: the holder changes the certificate, not the card's signing key.
    assert_eq!(key_of(&cert), card.public_key(KeyKind::Sign));
    assert_ne!(
        cert.tbs_certificate.serial_number,
        parse(fixtures::SIGN_CERT).tbs_certificate.serial_number
    );
}

#[test]
fn the_library_drives_the_virtual_card_end_to_end() {
    let mut card = Card::new(VirtualCard::new());
    assert_eq!(card.jpki().identify().unwrap(), CardKind::MyNumberCard);
    let auth = card
        .jpki()
        .read_certificate_der(CertificateKind::Auth)
        .unwrap();
    assert_eq!(auth, fixtures::AUTH_CERT);
    card.jpki()
        .verify_pin(&AuthPin::new("1234").unwrap())
        .unwrap();
    let digest: [u8; 32] = Sha256::digest(b"message").into();
    let signature = card.jpki().sign_sha256(KeyKind::Auth, &digest).unwrap();
    let key = VerifyingKey::<Sha256>::new(card.transport().public_key(KeyKind::Auth));
    key.verify(
        b"message",
        &Signature::try_from(signature.as_slice()).unwrap(),
    )
    .unwrap();
    card.jpki()
        .verify_pin(&SignPin::new("ABC123").unwrap())
        .unwrap();
    let sign = card
        .jpki()
        .read_certificate_der(CertificateKind::Sign)
        .unwrap();
    assert_eq!(sign, fixtures::SIGN_CERT);
    assert_eq!(card.transport().tries_left(PinKind::Sign), 5);

    let mut phone = Card::new(
        VirtualCard::builder()
            .token_label(b"JPKIAPIOSTOKEN")
            .build(),
    );
    assert_eq!(phone.jpki().identify().unwrap(), CardKind::IphoneToken);
}

#[test]
fn debug_output_never_shows_pins() {
    let builder = VirtualCard::builder().auth_pin("4321").sign_pin("SECRET99");
    let text = format!("{builder:?}");
    assert!(
        !text.contains("4321") && !text.contains("SECRET99"),
        "{text}"
    );
    let mut card = builder.build();
    card.handle(&[0x00, 0xA4, 0x04, 0x0C, 0x01, 0xD3]);
    let text = format!("{card:?}");
    assert!(
        !text.contains("4321") && !text.contains("SECRET99"),
        "{text}"
    );
    assert!(text.contains("REDACTED"));
}

#[test]
fn the_card_is_send_and_has_a_well_formed_atr() {
    fn assert_send<T: Send>() {}
    assert_send::<VirtualCard>();
    let card = VirtualCard::new();
    let atr = card.atr();
    assert_eq!(atr.first(), Some(&0x3B));
    // TCK: the XOR of every byte after TS is zero.
    assert_eq!(atr[1..].iter().fold(0, |acc, b| acc ^ b), 0);
    let custom = VirtualCard::builder().atr(vec![0x3B, 0x00]).build();
    assert_eq!(custom.atr(), [0x3B, 0x00]);
}
