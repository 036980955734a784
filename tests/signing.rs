//! Signing: every DigestInfo hash, the checked variant, and the RustCrypto signer (a CSR
//! checked by openssl where it is installed).

use std::str::FromStr;

use der::{Decode, Encode};
use mynumbercard::{
    AuthPin, Card, CertificateKind, Error, HashAlgorithm, JpkiSignature, KeyKind, SignPin,
    VirtualCard,
};
use rsa::signature::{hazmat::PrehashSigner, Keypair, Signer, Verifier};
use x509_cert::builder::{Builder, RequestBuilder};
use x509_cert::request::CertReq;

fn sent_signatures(vc: &VirtualCard) -> usize {
    vc.log()
        .iter()
        .filter(|c| c.starts_with(&[0x80, 0x2A]))
        .count()
}

#[test]
fn every_hash_signs_and_verifies() {
    let mut vc = VirtualCard::new();
    let public_key = vc.public_key(KeyKind::Sign).clone();
    let mut card = Card::new(&mut vc);
    let mut jpki = card.jpki();
    jpki.verify_pin(&SignPin::new("ABC123").unwrap()).unwrap();
    for alg in HashAlgorithm::ALL {
        let signature = jpki.sign_message(KeyKind::Sign, alg, b"document").unwrap();
        public_key
            .verify(alg.pkcs1v15(), &alg.hash(b"document"), &signature)
            .unwrap_or_else(|e| panic!("{alg:?}: {e}"));
    }
}

#[test]
fn a_digest_of_the_wrong_length_is_refused_before_the_card() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let err = card
        .jpki()
        .sign_digest(KeyKind::Auth, HashAlgorithm::Sha384, &[0; 32])
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidDigestLength {
                expected: 48,
                len: 32
            }
        ),
        "{err:?}"
    );
    assert!(card.transport().log().is_empty());
}

#[test]
fn checked_signing_catches_a_signature_from_the_wrong_key() {
    let mut vc = VirtualCard::new();
    let auth_cert = vc.certificate_der(CertificateKind::Auth).to_vec();
    let sign_cert = vc.certificate_der(CertificateKind::Sign).to_vec();
    let mut card = Card::new(&mut vc);
    let mut jpki = card.jpki();
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    let digest = HashAlgorithm::Sha256.hash(b"challenge");
    let ok = jpki.sign_digest_checked(KeyKind::Auth, HashAlgorithm::Sha256, &digest, &auth_cert);
    assert_eq!(ok.unwrap().len(), 256);
    let wrong = jpki.sign_digest_checked(KeyKind::Auth, HashAlgorithm::Sha256, &digest, &sign_cert);
    assert!(matches!(wrong, Err(Error::SignatureMismatch)), "{wrong:?}");
}

#[test]
fn the_signer_signs_messages_and_prehashes() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let mut jpki = card.jpki();
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    let signer = jpki.signer(KeyKind::Auth).unwrap();
    let signature = signer.try_sign(b"hello").unwrap();
    signer.verifying_key().verify(b"hello", &signature).unwrap();
    // The `signature` crate's error is opaque by design (it says nothing of why a signature
    // failed, against side channels): there is no variant to assert.
    assert!(signer.verifying_key().verify(b"other", &signature).is_err());
    let prehash = HashAlgorithm::Sha256.hash(b"hello");
    assert_eq!(signer.sign_prehash(&prehash).unwrap(), signature);
    // Refused before the card (no card error inside), as the count of signatures shows below.
    let refused = signer.sign_prehash(&prehash[..20]).unwrap_err();
    assert!(std::error::Error::source(&refused).is_none(), "{refused:?}");
    drop(signer);
    assert_eq!(
        sent_signatures(card.transport()),
        2,
        "the short prehash never reached the card"
    );
}

#[test]
fn the_signer_needs_the_pin() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let signer = card.jpki().signer(KeyKind::Auth).unwrap();
    let refused = signer.try_sign(b"hello").unwrap_err();
    let cause = std::error::Error::source(&refused).and_then(|e| e.downcast_ref::<Error>());
    assert!(
        matches!(cause, Some(Error::SecurityStatusNotSatisfied)),
        "{refused:?}"
    );
}

/// A certificate request signed with the card's signature key, checked in Rust against the
/// signer's verifying key.
fn signed_request() -> Vec<u8> {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let mut jpki = card.jpki();
    jpki.verify_pin(&SignPin::new("ABC123").unwrap()).unwrap();
    let signer = jpki.signer(KeyKind::Sign).unwrap();
    let subject = x509_cert::name::Name::from_str("CN=test,C=JP").unwrap();
    let request = RequestBuilder::new(subject, &signer)
        .unwrap()
        .build()
        .unwrap();
    let der = request.to_der().unwrap();
    let parsed = CertReq::from_der(&der).unwrap();
    let signature = JpkiSignature::new(signer.algorithm(), parsed.signature.raw_bytes()).unwrap();
    signer
        .verifying_key()
        .verify(&parsed.info.to_der().unwrap(), &signature)
        .unwrap();
    der
}

#[test]
fn a_csr_signed_by_the_card_verifies_in_rust() {
    let der = signed_request();
    assert_eq!(der.first(), Some(&0x30));
}

/// openssl, an independent verifier. Needs `openssl` on the PATH: CI runs it with
/// `--ignored`.
#[test]
#[ignore = "needs openssl: cargo test --test signing -- --ignored"]
fn a_csr_signed_by_the_card_verifies_in_openssl() {
    let der = signed_request();
    let dir = std::env::temp_dir().join(format!("mynumbercard-csr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("req.pem");
    let pem = pem_rfc7468::encode_string("CERTIFICATE REQUEST", pem_rfc7468::LineEnding::LF, &der);
    std::fs::write(&path, pem.unwrap()).unwrap();
    let out = std::process::Command::new("openssl")
        .args(["req", "-verify", "-noout", "-in"])
        .arg(&path)
        .output()
        .expect("openssl runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "openssl refused the CSR: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
