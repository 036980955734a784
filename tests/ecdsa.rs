//! The key algorithm as data: the virtual card's ECDSA P-384 credential through the signer,
//! the checked signing and the eligibility check, beside today's RSA-2048, asserted on the
//! recorded APDUs (a bare SHA-384 hash to the card, `r‖s` back, DER out).

use der::{Decode, Encode};
use mynumbercard::algorithm::{ecdsa_der_to_raw, ecdsa_raw_to_der};
use mynumbercard::certificate::{JpkiCertificate, PublicKey};
use mynumbercard::eligibility::{Confirmation, Confirmed};
use mynumbercard::signature::hazmat::PrehashSigner;
use mynumbercard::signature::{Keypair, Signer, Verifier};
use mynumbercard::trust::TrustAnchors;
use mynumbercard::virtual_card::fixtures::p384;
use mynumbercard::{
    AuthPin, Card, CertificateKind, Error, HashAlgorithm, JpkiSignature, JpkiVerifyingKey,
    KeyAlgorithm, KeyKind, LastTry, SignPin, VirtualCard,
};
use x509_cert::builder::{Builder, RequestBuilder};

fn ecdsa_card() -> VirtualCard {
    VirtualCard::builder().ecdsa_p384().build()
}

/// The COMPUTE DIGITAL SIGNATURE commands sent, and the card's answers are not logged: the
/// commands' data.
fn signed_inputs(card: &VirtualCard) -> Vec<Vec<u8>> {
    card.log()
        .iter()
        .filter(|c| c.starts_with(&[0x80, 0x2A]))
        .map(|c| c.get(5..5 + usize::from(c[4])).unwrap().to_vec())
        .collect()
}

#[test]
fn the_credential_holds_p384_keys_that_chain_to_its_roots() {
    let vc = ecdsa_card();
    assert!(vc.is_ecdsa_p384());
    let at = {
        let auth = JpkiCertificate::from_der(p384::AUTH_CERT).unwrap();
        auth.not_before() + std::time::Duration::from_secs(86_400)
    };
    for (kind, root) in [
        (CertificateKind::Auth, p384::AUTH_CA_CERT),
        (CertificateKind::Sign, p384::SIGN_CA_CERT),
    ] {
        let cert = JpkiCertificate::from_der(vc.certificate_der(kind)).unwrap();
        assert_eq!(cert.key(), &PublicKey::EcP384);
        assert_eq!(cert.kind(), Some(kind));
        let anchors = TrustAnchors::empty().with_root(root).unwrap();
        let trusted = anchors.verify(&cert, at).unwrap();
        assert_eq!(trusted.kind, Some(kind));
    }
    // The RSA card's roots do not vouch for them, though the names are the same.
    let rsa_root = mynumbercard::virtual_card::fixtures::SIGN_CA_CERT;
    let anchors = TrustAnchors::empty().with_root(rsa_root).unwrap();
    let sign = JpkiCertificate::from_der(vc.certificate_der(CertificateKind::Sign)).unwrap();
    assert!(anchors.verify(&sign, at).is_err());
}

#[test]
fn the_signer_sends_the_bare_hash_and_returns_der() {
    let mut vc = ecdsa_card();
    let mut card = Card::new(&mut vc);
    let mut jpki = card.jpki();
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    let signer = jpki.signer(KeyKind::Auth).unwrap();
    assert_eq!(signer.algorithm(), KeyAlgorithm::EcdsaP384);
    let signature = signer.try_sign(b"hello").unwrap();
    assert_eq!(signature.algorithm(), KeyAlgorithm::EcdsaP384);
    assert_eq!(signature.as_bytes().first(), Some(&0x30), "DER");
    assert_eq!(signature.to_raw().len(), 96, "r‖s");
    assert_eq!(
        ecdsa_der_to_raw(signature.as_bytes()).unwrap(),
        signature.to_raw()
    );
    signer.verifying_key().verify(b"hello", &signature).unwrap();
    assert!(signer.verifying_key().verify(b"hellO", &signature).is_err());
    // SHA-384 prehashes: 48 bytes; a SHA-256 one is refused before the card.
    let prehash = HashAlgorithm::Sha384.hash(b"hello");
    assert_eq!(
        signer.sign_prehash(&prehash).unwrap(),
        signature,
        "RFC 6979"
    );
    assert!(signer
        .sign_prehash(&HashAlgorithm::Sha256.hash(b"hello"))
        .is_err());
    drop(signer);
    assert_eq!(
        signed_inputs(card.transport()),
        vec![prehash.clone(), prehash]
    );
}

#[test]
fn the_rsa_signer_still_sends_a_digest_info() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let mut jpki = card.jpki();
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    let signer = jpki.signer(KeyKind::Auth).unwrap();
    assert_eq!(signer.algorithm(), KeyAlgorithm::Rsa { bits: 2048 });
    let signature = signer.try_sign(b"hello").unwrap();
    assert_eq!(signature.as_bytes().len(), 256);
    assert_eq!(signature.to_raw(), signature.as_bytes());
    drop(signer);
    let sent = signed_inputs(card.transport());
    assert_eq!(
        sent,
        vec![HashAlgorithm::Sha256
            .digest_info(&HashAlgorithm::Sha256.hash(b"hello"))
            .unwrap()]
    );
}

#[test]
fn checked_signing_follows_the_certificate_and_catches_the_wrong_key() {
    let mut vc = ecdsa_card();
    let auth = vc.certificate_der(CertificateKind::Auth).to_vec();
    let sign = vc.certificate_der(CertificateKind::Sign).to_vec();
    let mut card = Card::new(&mut vc);
    let mut jpki = card.jpki();
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    let digest = HashAlgorithm::Sha384.hash(b"challenge");
    let der = jpki
        .sign_digest_checked(KeyKind::Auth, HashAlgorithm::Sha384, &digest, &auth)
        .unwrap();
    let key = JpkiVerifyingKey::from_certificate(&auth).unwrap();
    key.verify_digest(HashAlgorithm::Sha384, &digest, &der)
        .unwrap();
    let wrong = jpki.sign_digest_checked(KeyKind::Auth, HashAlgorithm::Sha384, &digest, &sign);
    assert!(matches!(wrong, Err(Error::SignatureMismatch)), "{wrong:?}");
    // The RSA-only call sends a DigestInfo, which the ECDSA card refuses.
    let refused = jpki.sign_digest(KeyKind::Auth, HashAlgorithm::Sha384, &digest);
    assert!(
        matches!(refused, Err(Error::UnexpectedStatus { status, .. }) if status.to_u16() == 0x6700),
        "{refused:?}"
    );
}

#[test]
fn the_eligibility_check_signs_the_challenge_with_sha384() {
    let mut vc = ecdsa_card();
    let mut card = Card::new(&mut vc);
    let pin = AuthPin::new("1234").unwrap();
    let challenge = b"nonce from the eligibility service";
    let evidence = card
        .eligibility_check(Confirmation::Pin {
            pin: &pin,
            challenge,
            last_try: LastTry::Refuse,
        })
        .unwrap();
    assert_eq!(evidence.key_algorithm(), Some(KeyAlgorithm::EcdsaP384));
    assert!(matches!(evidence.confirmed, Confirmed::Pin { .. }));
    let signature = evidence.signature().unwrap();
    let key = JpkiVerifyingKey::from_certificate(evidence.certificate_der()).unwrap();
    key.verify_digest(
        HashAlgorithm::Sha384,
        &HashAlgorithm::Sha384.hash(challenge),
        signature,
    )
    .unwrap();
    // Any verifier: the signature over the challenge itself, hashed with the key's hash.
    let signature = JpkiSignature::new(KeyAlgorithm::EcdsaP384, signature).unwrap();
    key.verify(challenge, &signature).unwrap();
    // The same APDUs as with an RSA key: a P-384 certificate is shorter, so fewer reads.
    card.close().unwrap();
    // The same APDUs as with an RSA key, but for the certificate's reads.
    let mut rsa = VirtualCard::new();
    let mut rsa_card = Card::new(&mut rsa);
    rsa_card
        .eligibility_check(Confirmation::Pin {
            pin: &pin,
            challenge,
            last_try: LastTry::Refuse,
        })
        .unwrap();
    rsa_card.close().unwrap();
    let others = |card: &VirtualCard| -> Vec<Vec<u8>> {
        card.log()
            .iter()
            .filter(|c| !c.starts_with(&[0x00, 0xB0]) && !c.starts_with(&[0x80, 0x2A]))
            .cloned()
            .collect()
    };
    assert_eq!(others(&vc), others(&rsa));
    assert_eq!(
        signed_inputs(&vc),
        vec![HashAlgorithm::Sha384.hash(challenge)]
    );
}

#[test]
fn a_certificate_request_signed_by_the_p384_key_verifies() {
    let mut vc = ecdsa_card();
    let mut card = Card::new(&mut vc);
    let mut jpki = card.jpki();
    jpki.verify_pin(&SignPin::new("ABC123").unwrap()).unwrap();
    let signer = jpki.signer(KeyKind::Sign).unwrap();
    let subject: x509_cert::name::Name = "CN=test,C=JP".parse().unwrap();
    let request = RequestBuilder::new(subject, &signer)
        .unwrap()
        .build::<JpkiSignature>()
        .unwrap();
    let der = request.to_der().unwrap();
    let parsed = x509_cert::request::CertReq::from_der(&der).unwrap();
    assert_eq!(parsed.algorithm.oid.to_string(), "1.2.840.10045.4.3.3");
    assert!(parsed.algorithm.parameters.is_none());
    let signature = JpkiSignature::new(signer.algorithm(), parsed.signature.raw_bytes()).unwrap();
    signer
        .verifying_key()
        .verify(&parsed.info.to_der().unwrap(), &signature)
        .unwrap();
    // The request's key is the certificate's.
    let key = JpkiVerifyingKey::from_spki(&parsed.info.public_key).unwrap();
    assert_eq!(key, signer.verifying_key());
}

#[test]
fn raw_and_der_convert_both_ways() {
    let mut vc = ecdsa_card();
    let mut card = Card::new(&mut vc);
    let mut jpki = card.jpki();
    jpki.verify_pin(&SignPin::new("ABC123").unwrap()).unwrap();
    let der = jpki
        .sign_digest_as(
            KeyKind::Sign,
            KeyAlgorithm::EcdsaP384,
            HashAlgorithm::Sha384,
            &[7; 48],
        )
        .unwrap();
    let raw = ecdsa_der_to_raw(&der).unwrap();
    assert_eq!(raw.len(), 96);
    assert_eq!(ecdsa_raw_to_der(&raw).unwrap(), der);
    assert!(matches!(
        ecdsa_raw_to_der(&raw[..95]),
        Err(Error::MalformedResponse(_))
    ));
    // The wrong digest length for the hash is refused before the card.
    let before = card.transport().log().len();
    let refused = card.jpki().sign_digest_as(
        KeyKind::Sign,
        KeyAlgorithm::EcdsaP384,
        HashAlgorithm::Sha384,
        &[7; 32],
    );
    assert!(matches!(
        refused,
        Err(Error::InvalidDigestLength {
            expected: 48,
            len: 32
        })
    ));
    assert_eq!(card.transport().log().len(), before);
}

#[test]
fn the_committed_p384_certificates_are_what_their_keys_issue() {
    use mynumbercard::virtual_card::{issue, Holder};
    let key = |der| p384::key(der).unwrap();
    let (auth_ca, sign_ca) = (key(p384::AUTH_CA_KEY), key(p384::SIGN_CA_KEY));
    assert_eq!(
        issue::ca_certificate(KeyKind::Auth, &auth_ca).unwrap(),
        p384::AUTH_CA_CERT
    );
    assert_eq!(
        issue::ca_certificate(KeyKind::Sign, &sign_ca).unwrap(),
        p384::SIGN_CA_CERT
    );
    let auth = key(p384::AUTH_KEY);
    assert_eq!(
        issue::auth_certificate(auth.verifying_key(), &auth_ca).unwrap(),
        p384::AUTH_CERT
    );
    let sign = key(p384::SIGN_KEY);
    assert_eq!(
        issue::sign_certificate(&Holder::default(), sign.verifying_key(), &sign_ca).unwrap(),
        p384::SIGN_CERT
    );
    // A custom holder gets a fresh P-384 signature certificate from the same CA.
    let holder = Holder::default().with_name("試験　次郎");
    let vc = VirtualCard::builder().holder(holder).ecdsa_p384().build();
    let cert = JpkiCertificate::from_der(vc.certificate_der(CertificateKind::Sign)).unwrap();
    assert_eq!(cert.key(), &PublicKey::EcP384);
    assert_eq!(cert.attributes().unwrap().name(), Some("試験　次郎"));
    let anchors = TrustAnchors::empty().with_root(p384::SIGN_CA_CERT).unwrap();
    let at = cert.not_before() + std::time::Duration::from_secs(86_400);
    assert!(anchors.verify(&cert, at).is_ok());
}

#[test]
fn sign_message_with_pin_follows_the_key_in_one_transaction() {
    for (vc, algorithm) in [
        (VirtualCard::new(), KeyAlgorithm::Rsa { bits: 2048 }),
        (ecdsa_card(), KeyAlgorithm::EcdsaP384),
    ] {
        let mut card = Card::new(mynumbercard::testing::Hostile::new(vc));
        let (signature, certificate) = card
            .jpki()
            .sign_message_with_pin(&SignPin::new("ABC123").unwrap(), b"doc", LastTry::Refuse)
            .unwrap();
        assert_eq!(signature.algorithm(), algorithm);
        assert_eq!(
            certificate,
            card.transport()
                .card()
                .certificate_der(CertificateKind::Sign)
        );
        let key = JpkiVerifyingKey::from_certificate(&certificate).unwrap();
        key.verify(b"doc", &signature).unwrap();
        let records = card.transport().records();
        assert_eq!(mynumbercard::testing::pin_verifies(records), 1);
        mynumbercard::testing::check_guard(records, LastTry::Refuse).unwrap();
        assert_eq!(card.transport().transactions(), 1, "{algorithm}");
    }
}
