//! The virtual card's certificates through the JPKI view and the chain check: they chain to
//! the virtual test root only when a caller adds it, and never to the J-LIS sets. Also a
//! seeded mutation run: the view never panics on damaged certificates.
#![cfg(feature = "virtual-card")]

use std::time::SystemTime;

use mynumbercard::certificate::{
    CalendarDate, Era, IssuerOrganization, JpkiCertificate, PublicKey, Sex,
};
use mynumbercard::trust::{roots, AnchorOrigin, TrustAnchors, Untrusted};
use mynumbercard::virtual_card::{fixtures, Holder, VirtualCard};
use mynumbercard::{Card, CertificateKind};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

fn view(der: &[u8]) -> JpkiCertificate {
    JpkiCertificate::from_der(der).unwrap()
}

/// A time inside the virtual user certificates' validity.
fn during_validity() -> SystemTime {
    let auth = view(fixtures::AUTH_CERT);
    auth.not_before() + (auth.not_after().duration_since(auth.not_before()).unwrap() / 2)
}

fn virtual_roots() -> TrustAnchors {
    TrustAnchors::empty()
        .with_root(fixtures::AUTH_CA_CERT)
        .unwrap()
        .with_root(fixtures::SIGN_CA_CERT)
        .unwrap()
}

#[test]
fn the_virtual_certificates_read_as_jpki_certificates() {
    let auth = view(fixtures::AUTH_CERT);
    assert_eq!(auth.kind(), Some(CertificateKind::Auth));
    assert_eq!(auth.key(), &PublicKey::Rsa { bits: 2048 });
    assert!(auth.attributes().is_none());
    assert_eq!(
        auth.issuer_organization(),
        IssuerOrganization::Other(Some("JPKI-VIRTUAL-TEST".into()))
    );
    assert_eq!(mynumbercard::trust::root_generation(&auth), None);
    assert_eq!(
        view(fixtures::AUTH_CA_CERT).kind(),
        Some(CertificateKind::AuthCa)
    );
    assert_eq!(
        view(fixtures::SIGN_CA_CERT).kind(),
        Some(CertificateKind::SignCa)
    );

    let sign = view(fixtures::SIGN_CERT);
    assert_eq!(sign.kind(), Some(CertificateKind::Sign));
    let holder = Holder::default();
    let a = sign.attributes().unwrap();
    assert_eq!(a.name(), Some(holder.name.as_str()));
    assert_eq!(a.address(), Some(holder.address.as_str()));
    assert_eq!(a.sex(), Some(&Sex::Male));
    let birth = a.birth_date().unwrap();
    assert_eq!(birth.era(), Era::Heisei);
    assert_eq!(birth.date(), CalendarDate::new(1990, 1, 1).unwrap());
    let flags = a.name_substitutes().unwrap();
    assert!(!flags.any() && flags.describes(&holder.name));
    assert!(a.address_substitutes().unwrap().describes(&holder.address));
}

#[test]
fn a_custom_holder_reads_back_from_the_card() {
    let holder = Holder::default()
        .with_name("試験　花子")
        .with_name_substitute(Some("01000".into()))
        .with_sex(Sex::Female)
        .with_birth_date(CalendarDate::new(2019, 5, 1).unwrap())
        .with_address("大阪府試験市１")
        .with_address_substitute(None);
    let mut card = Card::new(VirtualCard::builder().holder(holder).build());
    let mut jpki = card.jpki();
    jpki.verify_pin(&mynumbercard::SignPin::new(VirtualCard::DEFAULT_SIGN_PIN).unwrap())
        .unwrap();
    let certificate = jpki.read_certificate(CertificateKind::Sign).unwrap();
    let sign = JpkiCertificate::from_certificate(certificate).unwrap();
    let a = sign.attributes().unwrap();
    assert_eq!(a.name(), Some("試験　花子"));
    assert_eq!(a.name_substitutes().unwrap().positions(), [1]);
    assert_eq!(a.sex(), Some(&Sex::Female));
    assert_eq!(a.birth_date().unwrap().era(), Era::Reiwa);
    assert_eq!(a.birth_date().unwrap().era_year(), Some(1));
    assert_eq!(
        virtual_roots()
            .verify(&sign, during_validity())
            .unwrap()
            .kind,
        Some(CertificateKind::Sign)
    );
}

#[test]
fn the_virtual_chain_is_trusted_only_with_the_virtual_root() {
    let at = during_validity();
    let anchors = virtual_roots();
    for (user, ca, kind) in [
        (
            fixtures::AUTH_CERT,
            fixtures::AUTH_CA_CERT,
            CertificateKind::Auth,
        ),
        (
            fixtures::SIGN_CERT,
            fixtures::SIGN_CA_CERT,
            CertificateKind::Sign,
        ),
    ] {
        let trusted = anchors
            .verify_with_card_ca(&view(user), &view(ca), at)
            .unwrap();
        assert_eq!(trusted.kind, Some(kind));
        assert_eq!(trusted.root_origin, AnchorOrigin::Caller);
        for jlis in [TrustAnchors::jlis(), TrustAnchors::jlis_with_test_roots()] {
            assert_eq!(jlis.verify(&view(user), at), Err(Untrusted::UnknownIssuer));
            assert_eq!(
                jlis.check_ca_certificate(&view(ca)).err(),
                Some(Untrusted::UnknownIssuer)
            );
        }
    }
    // The signature CA does not vouch for the authentication certificate.
    let sign_only = TrustAnchors::empty()
        .with_root(fixtures::SIGN_CA_CERT)
        .unwrap();
    assert_eq!(
        sign_only.verify(&view(fixtures::AUTH_CERT), at),
        Err(Untrusted::UnknownIssuer)
    );
}

#[test]
fn damaged_certificates_never_panic_the_view() {
    let seeds: [&[u8]; 5] = [
        fixtures::AUTH_CERT,
        fixtures::SIGN_CERT,
        fixtures::SIGN_CA_CERT,
        roots::SIGN_CA_2023,
        roots::TEST_AUTH_CA_2019,
    ];
    let anchors = virtual_roots().with_root(roots::SIGN_CA_2023).unwrap();
    let at = during_validity();
    let mut rng = ChaCha20Rng::seed_from_u64(0x4a504b49);
    let mut parsed = 0;
    for i in 0..3000 {
        let mut der = seeds[i % seeds.len()].to_vec();
        for _ in 0..=(rng.next_u32() % 4) {
            let position = rng.next_u32() as usize % der.len();
            match rng.next_u32() % 4 {
                0 => der[position] ^= 1 << (rng.next_u32() % 8),
                1 => der[position] = rng.next_u32() as u8,
                2 => der.truncate(position.max(1)),
                _ => der.insert(position, rng.next_u32() as u8),
            }
        }
        if let Ok(certificate) = JpkiCertificate::from_der(&der) {
            parsed += 1;
            let _ = (
                certificate.kind(),
                mynumbercard::trust::root_generation(&certificate),
                certificate.attributes(),
            );
            let _ = (certificate.serial_hex(), certificate.is_valid_at(at));
            let _ = anchors.verify(&certificate, at);
            let _ = anchors.check_ca_certificate(&certificate);
        }
    }
    // Some mutations land in values that still parse, so the checks above ran on them.
    assert!(parsed > 100, "only {parsed} mutants parsed");
}
