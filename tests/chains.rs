//! Chain verification against roots the test builds: valid, expired, not yet valid, wrong
//! root, tampered, wrong key usage, test roots refused by default, ECDSA.

mod support;

use der::asn1::ObjectIdentifier;
use mynumbercard::certificate::JpkiCertificate;
use mynumbercard::trust::{roots, AnchorOrigin, TrustAnchors, Untrusted};
use mynumbercard::{CertificateKind, Error};
use support::*;
use x509_cert::ext::pkix::{KeyUsage, KeyUsages};

fn anchors(unit: &str) -> TrustAnchors {
    TrustAnchors::empty().with_root(&root(unit)).unwrap()
}

fn view(der: &[u8]) -> JpkiCertificate {
    JpkiCertificate::from_der(der).unwrap()
}

fn verify(anchors: &TrustAnchors, der: &[u8], at: (u16, u8, u8)) -> Result<(), Untrusted> {
    anchors
        .verify(&view(der), system_time(at.0, at.1, at.2))
        .map(|_| ())
}

#[test]
fn a_valid_authentication_certificate_is_trusted() {
    let anchors = anchors(OU_AUTH);
    let der = Profile::auth_user().issue(root_key());
    let trusted = anchors
        .verify(&view(&der), system_time(2027, 6, 1))
        .unwrap();
    assert_eq!(trusted.kind, Some(CertificateKind::Auth));
    assert_eq!(trusted.root_origin, AnchorOrigin::Caller);
    assert_eq!(trusted.root_generation, None);
    assert_eq!(
        trusted.root_fingerprint,
        anchors.anchors()[0].certificate().fingerprint()
    );
    // Validity is inclusive at both ends.
    assert_eq!(verify(&anchors, &der, (2025, 1, 1)), Ok(()));
    assert_eq!(verify(&anchors, &der, (2030, 1, 1)), Ok(()));
}

#[test]
fn a_valid_signature_certificate_is_trusted() {
    let anchors = anchors(OU_SIGN);
    let der = Profile::sign_user().issue(root_key());
    let trusted = anchors.verify(&view(&der), system_time(2027, 6, 1));
    assert_eq!(trusted.unwrap().kind, Some(CertificateKind::Sign));
}

#[test]
fn expired_and_not_yet_valid_certificates_are_refused() {
    let anchors = anchors(OU_AUTH);
    let der = Profile::auth_user().issue(root_key());
    assert_eq!(
        verify(&anchors, &der, (2030, 1, 2)),
        Err(Untrusted::Expired)
    );
    assert_eq!(
        verify(&anchors, &der, (2024, 12, 31)),
        Err(Untrusted::NotYetValid)
    );
}

#[test]
fn the_root_must_be_valid_at_the_time_too() {
    let anchors = anchors(OU_AUTH);
    let der = Profile {
        not_before: time(2015, 1, 1),
        not_after: time(2045, 1, 1),
        ..Profile::auth_user()
    }
    .issue(root_key());
    assert_eq!(
        verify(&anchors, &der, (2041, 1, 1)),
        Err(Untrusted::RootExpired)
    );
    assert_eq!(
        verify(&anchors, &der, (2019, 1, 1)),
        Err(Untrusted::RootNotYetValid)
    );
}

#[test]
fn a_certificate_from_another_root_is_refused() {
    let anchors = anchors(OU_AUTH);
    // Issuer name no anchor has.
    let stranger = Profile {
        issuer: ca_name("SOMEONE-ELSE", OU_AUTH),
        ..Profile::auth_user()
    }
    .issue(root_key());
    assert_eq!(
        verify(&anchors, &stranger, (2027, 1, 1)),
        Err(Untrusted::UnknownIssuer)
    );
    // Same issuer name, another key, its key identifier: no anchor has that key.
    let impostor = Profile {
        authority_key_id: Some(other_key().key_id()),
        ..Profile::auth_user()
    }
    .issue(other_key());
    assert_eq!(
        verify(&anchors, &impostor, (2027, 1, 1)),
        Err(Untrusted::UnknownIssuer)
    );
    // Same name, no key identifier to tell: the signature decides.
    let unmarked = Profile {
        authority_key_id: None,
        ..Profile::auth_user()
    }
    .issue(other_key());
    assert_eq!(
        verify(&anchors, &unmarked, (2027, 1, 1)),
        Err(Untrusted::BadSignature)
    );
    // And the genuine root's certificate without a key identifier still verifies.
    let genuine = Profile {
        authority_key_id: None,
        ..Profile::auth_user()
    }
    .issue(root_key());
    assert_eq!(verify(&anchors, &genuine, (2027, 1, 1)), Ok(()));
}

#[test]
fn a_tampered_certificate_is_refused() {
    let anchors = anchors(OU_AUTH);
    let der = Profile::auth_user().issue(root_key());
    // Last byte: inside the signature.
    let mut signature_flipped = der.clone();
    *signature_flipped.last_mut().unwrap() ^= 0x01;
    assert_eq!(
        verify(&anchors, &signature_flipped, (2027, 1, 1)),
        Err(Untrusted::BadSignature)
    );
    // Inside the signed part: the serial's last byte (0x23 → 0x24).
    let position = der.windows(2).position(|w| w == [0x01, 0x23]).unwrap() + 1;
    let mut tbs_changed = der.clone();
    tbs_changed[position] = 0x24;
    assert_eq!(view(&tbs_changed).serial(), [0x01, 0x24]);
    assert_eq!(
        verify(&anchors, &tbs_changed, (2027, 1, 1)),
        Err(Untrusted::BadSignature)
    );
}

#[test]
fn wrong_key_usage_is_refused() {
    let auth = anchors(OU_AUTH);
    let sign = anchors(OU_SIGN);
    let cases = [
        (None, &auth),
        (Some(KeyUsage(KeyUsages::KeyEncipherment.into())), &auth),
        (
            Some(KeyUsage(
                KeyUsages::DigitalSignature | KeyUsages::KeyCertSign,
            )),
            &auth,
        ),
        // The signature certificate needs nonRepudiation too.
        (Some(KeyUsage(KeyUsages::DigitalSignature.into())), &sign),
    ];
    for (key_usage, anchors) in cases {
        let unit = if std::ptr::eq(anchors, &sign) {
            OU_SIGN
        } else {
            OU_AUTH
        };
        let der = Profile {
            issuer: ca_name("JPKI-UNITTEST", unit),
            key_usage,
            ..Profile::auth_user()
        }
        .issue(root_key());
        assert_eq!(
            verify(anchors, &der, (2027, 1, 1)),
            Err(Untrusted::WrongKeyUsage),
            "{key_usage:?}"
        );
    }
    // A CA certificate is not a user certificate.
    let sub_ca = Profile {
        ca: true,
        ..Profile::auth_user()
    }
    .issue(root_key());
    assert_eq!(
        verify(&auth, &sub_ca, (2027, 1, 1)),
        Err(Untrusted::WrongKeyUsage)
    );
}

#[test]
fn an_unknown_critical_extension_is_refused() {
    let anchors = anchors(OU_AUTH);
    let oid = ObjectIdentifier::new_unwrap("1.2.3.4.5");
    let der = Profile {
        extensions: vec![extension(oid, true, &der::asn1::Null)],
        ..Profile::auth_user()
    }
    .issue(root_key());
    assert_eq!(
        verify(&anchors, &der, (2027, 1, 1)),
        Err(Untrusted::UnhandledCriticalExtension(oid))
    );
}

#[test]
fn test_roots_are_refused_unless_asked_for() {
    // Issued in the name of the J-LIS test root (we do not have its key).
    let test_root = view(roots::TEST_AUTH_CA_2023);
    let der = Profile {
        issuer: test_root.certificate().tbs_certificate.subject.clone(),
        authority_key_id: test_root.subject_key_id().map(<[u8]>::to_vec),
        ..Profile::auth_user()
    }
    .issue(root_key());
    let at = (2027, 1, 1);
    assert_eq!(
        verify(&TrustAnchors::jlis(), &der, at),
        Err(Untrusted::TestRootNotAccepted)
    );
    // With test roots, the name and key id match and the signature is checked (and fails).
    assert_eq!(
        verify(&TrustAnchors::jlis_with_test_roots(), &der, at),
        Err(Untrusted::BadSignature)
    );
    // A caller's own set refuses J-LIS test names too.
    assert_eq!(
        verify(&anchors(OU_AUTH), &der, at),
        Err(Untrusted::TestRootNotAccepted)
    );
    // The view still names the root it claims.
    assert_eq!(
        mynumbercard::trust::root_generation(&view(&der)),
        Some(2023)
    );
}

#[test]
fn a_forgery_in_a_production_roots_name_fails_the_signature() {
    let real = view(roots::SIGN_CA_2023);
    let der = Profile {
        issuer: real.certificate().tbs_certificate.subject.clone(),
        authority_key_id: real.subject_key_id().map(<[u8]>::to_vec),
        ..Profile::sign_user()
    }
    .issue(root_key());
    assert_eq!(
        verify(&TrustAnchors::jlis(), &der, (2027, 1, 1)),
        Err(Untrusted::BadSignature)
    );
    assert_eq!(view(&der).kind(), Some(CertificateKind::Sign));
}

#[test]
fn ecdsa_roots_on_p256_and_p384_verify() {
    for key in [p256_key(), p384_key()] {
        let root_der = Profile::root(OU_AUTH, &key).issue(&key);
        let anchors = TrustAnchors::empty().with_root(&root_der).unwrap();
        let der = Profile {
            authority_key_id: Some(key.key_id()),
            ..Profile::auth_user()
        }
        .issue(&key);
        assert_eq!(verify(&anchors, &der, (2027, 1, 1)), Ok(()));
        let mut tampered = der.clone();
        let len = tampered.len();
        tampered[len - 10] ^= 0x40;
        assert_eq!(
            verify(&anchors, &tampered, (2027, 1, 1)),
            Err(Untrusted::BadSignature)
        );
    }
}

#[test]
fn with_root_refuses_what_is_not_a_self_signed_ca() {
    let user = Profile::auth_user().issue(root_key());
    assert!(matches!(
        TrustAnchors::empty().with_root(&user),
        Err(Error::InvalidTrustAnchor(_))
    ));
    // Self-issued CA, but signed by another key.
    let forged = Profile::root(OU_AUTH, root_key()).issue(other_key());
    assert!(matches!(
        TrustAnchors::empty().with_root(&forged),
        Err(Error::InvalidTrustAnchor(_))
    ));
    assert!(matches!(
        TrustAnchors::empty().with_root(b"not DER"),
        Err(Error::InvalidCertificate { .. })
    ));
}

#[test]
fn a_card_ca_is_compared_with_the_anchor() {
    let anchors = anchors(OU_AUTH);
    let root_der = root(OU_AUTH);
    let card_ca = view(&root_der);
    let user = view(&Profile::auth_user().issue(root_key()));
    let at = system_time(2027, 1, 1);
    assert!(anchors.check_ca_certificate(&card_ca).is_ok());
    assert!(anchors.verify_with_card_ca(&user, &card_ca, at).is_ok());
    // Same name, other key (and so other bytes): a mismatch, even though it is self-signed.
    let impostor = view(&Profile::root(OU_AUTH, other_key()).issue(other_key()));
    assert_eq!(
        anchors.check_ca_certificate(&impostor).err(),
        Some(Untrusted::CaMismatch)
    );
    assert_eq!(
        anchors.verify_with_card_ca(&user, &impostor, at).err(),
        Some(Untrusted::CaMismatch)
    );
    // A bundled root the set does not hold.
    assert_eq!(
        anchors
            .check_ca_certificate(&view(roots::AUTH_CA_2023))
            .err(),
        Some(Untrusted::UnknownIssuer)
    );
    // Two anchors, the card's CA is the other one: refused.
    let both = anchors.clone().with_root(&root(OU_SIGN)).unwrap();
    let sign_ca = view(&root(OU_SIGN));
    assert_eq!(
        both.verify_with_card_ca(&user, &sign_ca, at).err(),
        Some(Untrusted::CaMismatch)
    );
}
