//! The bundled J-LIS roots: the right bytes, parse, verify their own signatures, and read as
//! what they are.

use mynumbercard::certificate::{IssuerOrganization, JpkiCertificate, PublicKey};
use mynumbercard::trust::{roots, AnchorOrigin, TrustAnchors, Untrusted};
use mynumbercard::CertificateKind;
use sha2::{Digest, Sha256};

struct Root {
    der: &'static [u8],
    sha256: &'static str,
    kind: CertificateKind,
    generation: u16,
    test: bool,
    serial: &'static str,
}

/// SHA-256 digests of J-LIS's root certificates as J-LIS publishes them
/// (https://www.jpki.go.jp/ca/index.html), and their serials; the test roots' (read off JPKI
/// test cards) from `openssl x509 -serial`.
#[rustfmt::skip]
const ROOTS: [Root; 10] = [
    root(roots::AUTH_CA_2015, "4dcfc4ca0aaf9fb2a3081b3f0c991c320b3acc008667a341eeaec5af1d58ca7d", CertificateKind::AuthCa, 2015, false, "01"),
    root(roots::AUTH_CA_2019, "0d98de47fc11b7f67126874b7028b6026a803d2638d6edfe53176953961fade6", CertificateKind::AuthCa, 2019, false, "0133C349"),
    root(roots::AUTH_CA_2023, "64114f29620c24ed2631d46476a040e7ee740d956089c00b036a6a8118c322b5", CertificateKind::AuthCa, 2023, false, "06D18006"),
    root(roots::SIGN_CA_2015, "19645405a1fe14377434bd55957628ac4038557c542403a2243f21c706fc9355", CertificateKind::SignCa, 2015, false, "01"),
    root(roots::SIGN_CA_2019, "79679c33e4cc9319440f1ad120a597ff1844e2ef217063adb176966fd5e6fbeb", CertificateKind::SignCa, 2019, false, "0132C4AB"),
    root(roots::SIGN_CA_2023, "d227f6cde11d35c5252178f106f843d24651944975413b539fa2fb68dbfa365f", CertificateKind::SignCa, 2023, false, "067C6A21"),
    root(roots::TEST_AUTH_CA_2019, "b6de0ff5a384f5af0242a6ca854dee57ee2cad97b341f18b914948fd8e638706", CertificateKind::AuthCa, 2019, true, "00BFCD"),
    root(roots::TEST_AUTH_CA_2023, "5a0e7d690c718fadebc7fb6eff66a6dd623458debc1aa6fb1778bfe157cbeb25", CertificateKind::AuthCa, 2023, true, "218887"),
    root(roots::TEST_SIGN_CA_2019, "7bdbdf2652a15e6d458efc143b7201242e1162416251d0903060fa7c642465cc", CertificateKind::SignCa, 2019, true, "00C139"),
    root(roots::TEST_SIGN_CA_2024, "8126df7dd2db230bd8ee48caa40fc3417dde3607050ed34973d8d3cf267fe723", CertificateKind::SignCa, 2024, true, "1EA8A8"),
];

const fn root(
    der: &'static [u8],
    sha256: &'static str,
    kind: CertificateKind,
    generation: u16,
    test: bool,
    serial: &'static str,
) -> Root {
    Root {
        der,
        sha256,
        kind,
        generation,
        test,
        serial,
    }
}

#[test]
fn the_bundled_files_are_the_published_ones() {
    for root in &ROOTS {
        assert_eq!(hex::encode(Sha256::digest(root.der)), root.sha256);
    }
}

#[test]
fn every_root_parses_and_reads_as_what_it_is() {
    for root in &ROOTS {
        let view = JpkiCertificate::from_der(root.der).unwrap();
        assert_eq!(view.kind(), Some(root.kind), "{}", root.sha256);
        assert_eq!(
            mynumbercard::trust::root_generation(&view),
            Some(root.generation),
            "{}",
            root.sha256
        );
        assert_eq!(view.key(), &PublicKey::Rsa { bits: 2048 });
        assert!(view.is_ca() && view.is_self_issued());
        assert!(view.key_usage().unwrap().key_cert_sign());
        assert!(view.attributes().is_none());
        assert!(view.subject_key_id().is_some());
        let organisation = if root.test {
            IssuerOrganization::JpkiTest
        } else {
            IssuerOrganization::Jpki
        };
        assert_eq!(view.issuer_organization(), organisation);
        assert_eq!(view.serial_hex(), root.serial);
        assert!(view.not_before() < view.not_after());
    }
}

#[test]
fn every_root_verifies_its_own_signature() {
    for root in &ROOTS {
        // with_root refuses a root whose self-signature does not verify.
        let anchors = TrustAnchors::empty().with_root(root.der).unwrap();
        assert_eq!(anchors.anchors().len(), 1);
        // One flipped bit in the signature and it no longer does.
        let mut tampered = root.der.to_vec();
        *tampered.last_mut().unwrap() ^= 0x80;
        let refused = TrustAnchors::empty().with_root(&tampered).map(drop);
        assert!(
            matches!(
                refused,
                Err(mynumbercard::Error::InvalidTrustAnchor(
                    "self-signature does not verify"
                ))
            ),
            "{refused:?}"
        );
    }
}

#[test]
fn the_production_set_holds_six_roots_and_test_roots_only_on_request() {
    let production = TrustAnchors::jlis();
    assert_eq!(production.anchors().len(), 6);
    assert!(!production.accepts_test_roots());
    assert!(production
        .anchors()
        .iter()
        .all(|a| a.origin() == AnchorOrigin::Jlis));
    let mut generations: Vec<_> = production
        .anchors()
        .iter()
        .map(|a| {
            (
                a.kind().unwrap() == CertificateKind::AuthCa,
                a.generation().unwrap(),
            )
        })
        .collect();
    generations.sort();
    assert_eq!(
        generations,
        [
            (false, 2015),
            (false, 2019),
            (false, 2023),
            (true, 2015),
            (true, 2019),
            (true, 2023)
        ]
    );
    let with_test = TrustAnchors::jlis_with_test_roots();
    assert_eq!(with_test.anchors().len(), 10);
    assert!(with_test.accepts_test_roots());
    let test_count = with_test
        .anchors()
        .iter()
        .filter(|a| a.origin() == AnchorOrigin::JlisTest)
        .count();
    assert_eq!(test_count, 4);
}

#[test]
fn card_ca_certificates_are_compared_with_the_bundled_roots() {
    let production = TrustAnchors::jlis();
    let with_test = TrustAnchors::jlis_with_test_roots();
    for root in &ROOTS {
        let ca = JpkiCertificate::from_der(root.der).unwrap();
        let found = with_test.check_ca_certificate(&ca).unwrap();
        assert_eq!(found.generation(), Some(root.generation));
        let verdict = production.check_ca_certificate(&ca).map(|a| a.generation());
        if root.test {
            assert_eq!(verdict, Err(Untrusted::TestRootNotAccepted));
        } else {
            assert_eq!(verdict, Ok(Some(root.generation)));
        }
    }
}

#[test]
fn a_root_is_not_a_user_certificate() {
    let anchors = TrustAnchors::jlis();
    let root = JpkiCertificate::from_der(roots::AUTH_CA_2023).unwrap();
    let at = root.not_before() + std::time::Duration::from_secs(86_400);
    assert_eq!(anchors.verify(&root, at), Err(Untrusted::WrongKeyUsage));
    // And the 2015 roots have expired (2025-10-19): checking at a later time says so.
    let old = JpkiCertificate::from_der(roots::AUTH_CA_2015).unwrap();
    let later = old.not_after() + std::time::Duration::from_secs(1);
    assert_eq!(anchors.verify(&old, later), Err(Untrusted::RootExpired));
}
