//! Signatures by the key's algorithm and signed documents (CMS) through the bindings' API,
//! over the exported virtual card, RSA-2048 and ECDSA P-384.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mynumbercard_ffi::{
    verify_document, CertificateKind, DigestAlgorithm, DocumentError, KeyAlgorithm, KeyKind,
    LastTry, MyNumberCard, Secret, VirtualCard, VirtualCardConfig,
};

fn secret(s: &str) -> Secret {
    Secret::new(s.as_bytes().to_vec())
}

fn card(ecdsa: bool) -> (Arc<VirtualCard>, Arc<MyNumberCard>) {
    let card = VirtualCard::with_config(VirtualCardConfig {
        ecdsa_p384: Some(ecdsa),
        ..VirtualCardConfig::default()
    });
    let session = MyNumberCard::over_virtual_card(card.clone());
    (card, session)
}

/// 2026-03-01, inside the virtual certificates' validity.
fn when() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_772_323_200)
}

#[test]
fn sign_message_follows_the_key() {
    for (ecdsa, algorithm, raw_len) in [
        (false, KeyAlgorithm::Rsa { bits: 2048 }, 256),
        (true, KeyAlgorithm::EcdsaP384, 96),
    ] {
        let (card, session) = card(ecdsa);
        let signature = session
            .sign_message(
                KeyKind::Auth,
                secret("1234"),
                b"m".to_vec(),
                LastTry::Refuse,
            )
            .unwrap();
        assert_eq!(signature.algorithm, algorithm);
        assert_eq!(signature.raw.len(), raw_len);
        assert_eq!(signature.der.len() == raw_len, !ecdsa, "DER for ECDSA only");
        assert_eq!(
            signature.certificate,
            card.certificate_der(CertificateKind::Auth)
        );
    }
}

#[test]
fn documents_sign_and_verify_with_both_credentials() {
    for (ecdsa, algorithm, digest) in [
        (
            false,
            KeyAlgorithm::Rsa { bits: 2048 },
            DigestAlgorithm::Sha256,
        ),
        (true, KeyAlgorithm::EcdsaP384, DigestAlgorithm::Sha384),
    ] {
        let (card, session) = card(ecdsa);
        let document = b"contract".to_vec();
        let p7s = session
            .sign_document(
                secret("ABC123"),
                document.clone(),
                Some(when()),
                LastTry::Refuse,
            )
            .unwrap();
        let root = card.certificate_der(CertificateKind::SignCa);
        let verified = verify_document(
            p7s.clone(),
            document,
            false,
            vec![root.clone()],
            Some(when()),
        )
        .unwrap();
        assert_eq!(verified.key_algorithm, algorithm);
        assert_eq!(verified.digest_algorithm, digest);
        assert_eq!(verified.signing_time, Some(when()));
        assert_eq!(verified.signer.kind, Some(CertificateKind::Sign));
        assert!(verified.signing_certificate_bound && !verified.test_root);
        assert_eq!(
            verify_document(
                p7s.clone(),
                b"Contract".to_vec(),
                false,
                vec![root],
                Some(when())
            ),
            Err(DocumentError::DigestMismatch)
        );
        assert!(matches!(
            verify_document(p7s, b"contract".to_vec(), true, vec![], Some(when())),
            Err(DocumentError::Untrusted { .. })
        ));
    }
}

#[test]
fn the_eligibility_check_reports_the_key_algorithm() {
    let (_, session) = card(true);
    let evidence = session
        .eligibility_check_pin(secret("1234"), b"challenge".to_vec(), LastTry::Refuse)
        .unwrap();
    assert_eq!(evidence.key_algorithm, Some(KeyAlgorithm::EcdsaP384));
    assert!(evidence.signature.is_some());
}
