//! Signed documents (feature `cms`): detached CMS SignedData made by the virtual card's
//! signature key, RSA-2048 and ECDSA P-384, checked by the library and (ignored unless asked,
//! CI runs it) by `openssl cms -verify`.
#![cfg(feature = "cms")]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier};
use der::{Decode, Encode};
use mynumbercard::cms::{self as document, DocumentCheck, VerifiedDocument, MAX_SIGNATURE_LEN};
use mynumbercard::trust::{AnchorOrigin, TrustAnchors, Untrusted};
use mynumbercard::virtual_card::fixtures::{self, p384};
use mynumbercard::{
    AuthPin, Card, CertificateKind, Error, HashAlgorithm, KeyAlgorithm, KeyKind, LastTry, SignPin,
    VirtualCard,
};
use x509_cert::Certificate;

const DOCUMENT: &[u8] = b"\xE5\xA5\x91\xE7\xB4\x84\xE6\x9B\xB8: the parties agree.\n";

/// 2026-03-01 00:00:00 UTC, inside the virtual certificates' validity.
fn when() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_772_323_200)
}

fn rsa_anchors() -> TrustAnchors {
    TrustAnchors::empty()
        .with_root(fixtures::SIGN_CA_CERT)
        .unwrap()
}

fn p384_anchors() -> TrustAnchors {
    TrustAnchors::empty().with_root(p384::SIGN_CA_CERT).unwrap()
}

/// Both virtual roots of both credentials: the refusals below are not about trust.
fn all_virtual_anchors() -> TrustAnchors {
    [
        fixtures::AUTH_CA_CERT,
        fixtures::SIGN_CA_CERT,
        p384::AUTH_CA_CERT,
        p384::SIGN_CA_CERT,
    ]
    .iter()
    .fold(TrustAnchors::empty(), |anchors, root| {
        anchors.with_root(root).unwrap()
    })
}

fn compute_signatures(card: &VirtualCard) -> Vec<Vec<u8>> {
    card.log()
        .iter()
        .filter(|c| c.starts_with(&[0x80, 0x2A]))
        .cloned()
        .collect()
}

/// A document signed on `vc`, with the APDUs it sent.
fn sign_on(vc: &mut VirtualCard) -> Vec<u8> {
    let mut card = Card::new(&mut *vc);
    let pin = SignPin::new(VirtualCard::DEFAULT_SIGN_PIN).unwrap();
    let p7s = card
        .jpki()
        .sign_document(&pin, DOCUMENT, when(), LastTry::Refuse)
        .unwrap();
    card.close().unwrap();
    p7s
}

fn verify(
    p7s: &[u8],
    document: &[u8],
    anchors: &TrustAnchors,
) -> Result<VerifiedDocument, DocumentCheck> {
    document::verify_detached(p7s, document, anchors, when())
}

#[test]
fn an_rsa_document_signature_verifies_with_its_attributes() {
    let mut vc = VirtualCard::new();
    let p7s = sign_on(&mut vc);
    let verified = verify(&p7s, DOCUMENT, &rsa_anchors()).unwrap();
    assert_eq!(verified.key_algorithm, KeyAlgorithm::Rsa { bits: 2048 });
    assert_eq!(verified.digest_algorithm, HashAlgorithm::Sha256);
    assert_eq!(verified.signing_time, Some(when()));
    assert!(verified.signing_certificate_bound);
    assert_eq!(verified.trusted.kind, Some(CertificateKind::Sign));
    assert_eq!(verified.trusted.root_origin, AnchorOrigin::Caller);
    assert_eq!(
        verified.signer.der(),
        vc.certificate_der(CertificateKind::Sign)
    );

    // One signature, over a SHA-256 DigestInfo (51 bytes), and one PIN sent, behind the guard.
    let signatures = compute_signatures(&vc);
    assert_eq!(signatures.len(), 1);
    assert_eq!(signatures[0][4], 51, "Lc of the DigestInfo");
    let pin_verifies = vc
        .log()
        .iter()
        .filter(|c| c.starts_with(&[0x00, 0x20]) && c.len() > 4)
        .count();
    assert_eq!(pin_verifies, 1);
    assert_eq!(vc.tries_left(mynumbercard::PinKind::Sign), 5);
    // Besides the two certificates' reads: SELECT AP, the two VERIFYs, the signature, and at
    // most a SELECT of each certificate, the PIN and the key file (with short file
    // identifiers, fewer).
    let reads = vc.log().iter().filter(|c| c[1] == 0xB0).count();
    let others = vc.log().len() - reads;
    assert!(
        (4..=8).contains(&others),
        "{others} APDUs besides {reads} reads"
    );
}

#[test]
fn the_signature_holds_both_certificates_and_the_cades_attributes() {
    let p7s = sign_on(&mut VirtualCard::new());
    let info = ContentInfo::from_der(&p7s).unwrap();
    assert_eq!(info.content_type.to_string(), "1.2.840.113549.1.7.2");
    let signed: SignedData = info.content.decode_as().unwrap();
    assert!(signed.encap_content_info.econtent.is_none(), "detached");
    let certificates: Vec<Vec<u8>> = signed
        .certificates
        .unwrap()
        .0
        .iter()
        .map(|c| c.to_der().unwrap())
        .collect();
    let signer = &signed.signer_infos.0.as_slice()[0];
    let attributes: Vec<String> = signer
        .signed_attrs
        .as_ref()
        .unwrap()
        .iter()
        .map(|a| a.oid.to_string())
        .collect();
    let digest = signer.digest_alg.oid.to_string();
    let expected: Vec<Vec<u8>> = vec![
        fixtures::SIGN_CERT.to_vec(),
        fixtures::SIGN_CA_CERT.to_vec(),
    ];
    for der in &expected {
        assert!(certificates.contains(der), "certificate missing");
    }
    assert_eq!(certificates.len(), 2);
    for oid in [
        "1.2.840.113549.1.9.3",       // content-type
        "1.2.840.113549.1.9.4",       // message-digest
        "1.2.840.113549.1.9.5",       // signing-time
        "1.2.840.113549.1.9.16.2.47", // signing-certificate-v2
    ] {
        assert!(
            attributes.contains(&oid.to_owned()),
            "{oid} missing: {attributes:?}"
        );
    }
    assert_eq!(attributes.len(), 4);
    assert_eq!(digest, "2.16.840.1.101.3.4.2.1", "SHA-256");
}

#[test]
fn a_changed_byte_of_the_document_fails() {
    let p7s = sign_on(&mut VirtualCard::new());
    let anchors = rsa_anchors();
    for i in [0, DOCUMENT.len() / 2, DOCUMENT.len() - 1] {
        let mut changed = DOCUMENT.to_vec();
        changed[i] ^= 0x01;
        assert_eq!(
            verify(&p7s, &changed, &anchors).err(),
            Some(DocumentCheck::DigestMismatch),
            "byte {i}"
        );
    }
    let mut longer = DOCUMENT.to_vec();
    longer.push(b'\n');
    assert_eq!(
        verify(&p7s, &longer, &anchors).err(),
        Some(DocumentCheck::DigestMismatch)
    );
    assert_eq!(
        verify(&p7s, b"", &anchors).err(),
        Some(DocumentCheck::DigestMismatch)
    );
}

#[test]
fn a_changed_signature_value_fails() {
    let p7s = sign_on(&mut VirtualCard::new());
    // The signature value is the last OCTET STRING: its 256 bytes end the file.
    let mut changed = p7s.clone();
    let last = changed.len() - 1;
    changed[last - 100] ^= 0x80;
    assert_eq!(
        verify(&changed, DOCUMENT, &rsa_anchors()).err(),
        Some(DocumentCheck::BadSignature)
    );
}

#[test]
fn the_chain_must_reach_a_trusted_root() {
    let p7s = sign_on(&mut VirtualCard::new());
    // The J-LIS roots do not know the virtual card; nor do the P-384 virtual roots.
    assert_eq!(
        verify(&p7s, DOCUMENT, &TrustAnchors::jlis_with_test_roots()).err(),
        Some(DocumentCheck::Untrusted(Untrusted::UnknownIssuer))
    );
    assert_eq!(
        verify(&p7s, DOCUMENT, &p384_anchors()).err(),
        Some(DocumentCheck::Untrusted(Untrusted::UnknownIssuer))
    );
    // After the certificates' validity.
    let late = UNIX_EPOCH + Duration::from_secs(1_900_000_000);
    assert_eq!(
        document::verify_detached(&p7s, DOCUMENT, &rsa_anchors(), late).err(),
        Some(DocumentCheck::Untrusted(Untrusted::Expired))
    );
}

/// A CMS signature made with the user-authentication key, as another tool could make it: the
/// same builder, the auth certificate and CA.
fn signed_with_the_auth_key(vc: &mut VirtualCard) -> Vec<u8> {
    let mut card = Card::new(&mut *vc);
    let mut jpki = card.jpki();
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    let signer = jpki.signer(KeyKind::Auth).unwrap();
    let certificate = Certificate::from_der(signer.certificate_der()).unwrap();
    let ca = Certificate::from_der(fixtures::AUTH_CA_CERT).unwrap();
    let content = EncapsulatedContentInfo {
        econtent_type: "1.2.840.113549.1.7.1".parse().unwrap(),
        econtent: None,
    };
    let digest = HashAlgorithm::Sha256.hash(DOCUMENT);
    let sha256 = x509_cert::spki::AlgorithmIdentifierOwned {
        oid: "2.16.840.1.101.3.4.2.1".parse().unwrap(),
        parameters: None,
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: certificate.tbs_certificate.issuer.clone(),
        serial_number: certificate.tbs_certificate.serial_number.clone(),
    });
    let signer_info =
        SignerInfoBuilder::new(&signer, sid, sha256.clone(), &content, Some(&digest)).unwrap();
    let mut builder = SignedDataBuilder::new(&content);
    builder
        .add_digest_algorithm(sha256)
        .unwrap()
        .add_certificate(CertificateChoices::Certificate(certificate))
        .unwrap()
        .add_certificate(CertificateChoices::Certificate(ca))
        .unwrap()
        .add_signer_info::<_, mynumbercard::JpkiSignature>(signer_info)
        .unwrap();
    builder.build().unwrap().to_der().unwrap()
}

#[test]
fn a_signature_by_the_auth_key_is_refused_as_a_document_signature() {
    let p7s = signed_with_the_auth_key(&mut VirtualCard::new());
    // Its signature and chain are fine; what it signs is not a document.
    for anchors in [all_virtual_anchors(), TrustAnchors::empty()] {
        assert_eq!(
            verify(&p7s, DOCUMENT, &anchors).err(),
            Some(DocumentCheck::NotASignatureCertificate {
                kind: Some(CertificateKind::Auth)
            })
        );
    }
    // And the library makes none: the auth signer is refused before the card.
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let mut jpki = card.jpki();
    jpki.verify_pin(&AuthPin::new("1234").unwrap()).unwrap();
    let signer = jpki.signer(KeyKind::Auth).unwrap();
    let refused = document::sign_detached(&signer, fixtures::AUTH_CA_CERT, DOCUMENT, when());
    assert!(
        matches!(refused, Err(Error::NotTheSignatureKey)),
        "{refused:?}"
    );
    drop(signer);
    assert!(compute_signatures(card.transport()).is_empty());
}

#[test]
fn the_ecdsa_p384_credentials_document_signature_verifies() {
    let mut vc = VirtualCard::builder().ecdsa_p384().build();
    let p7s = sign_on(&mut vc);
    let verified = verify(&p7s, DOCUMENT, &p384_anchors()).unwrap();
    assert_eq!(verified.key_algorithm, KeyAlgorithm::EcdsaP384);
    assert_eq!(verified.digest_algorithm, HashAlgorithm::Sha384);
    assert!(verified.signing_certificate_bound);
    assert_eq!(verified.signer.der(), p384::SIGN_CERT);
    // The card got the bare SHA-384 of the signed attributes (48 bytes), no DigestInfo.
    let signatures = compute_signatures(&vc);
    assert_eq!(signatures.len(), 1);
    assert_eq!(signatures[0][4], 48);
    assert_eq!(signatures[0].len(), 5 + 48 + 1);
    // Another key's roots do not trust it; a changed document fails.
    assert_eq!(
        verify(&p7s, DOCUMENT, &rsa_anchors()).err(),
        Some(DocumentCheck::Untrusted(Untrusted::UnknownIssuer))
    );
    assert_eq!(
        verify(&p7s, b"other", &p384_anchors()).err(),
        Some(DocumentCheck::DigestMismatch)
    );
}

#[test]
fn a_wrong_pin_signs_nothing() {
    let mut vc = VirtualCard::new();
    let mut card = Card::new(&mut vc);
    let wrong = SignPin::new("WRONG1").unwrap();
    let err = card
        .jpki()
        .sign_document(&wrong, DOCUMENT, when(), LastTry::Refuse)
        .unwrap_err();
    assert!(matches!(err, Error::WrongPin { tries_left: 4 }), "{err:?}");
    drop(card);
    assert!(compute_signatures(&vc).is_empty());

    let mut vc = VirtualCard::builder().sign_tries_left(1).build();
    let mut card = Card::new(&mut vc);
    let pin = SignPin::new(VirtualCard::DEFAULT_SIGN_PIN).unwrap();
    let err = card
        .jpki()
        .sign_document(&pin, DOCUMENT, when(), LastTry::Refuse)
        .unwrap_err();
    assert!(matches!(err, Error::LastTryRefused { .. }), "{err:?}");
    drop(card);
    assert_eq!(vc.tries_left(mynumbercard::PinKind::Sign), 1);
}

#[test]
fn hostile_signature_files_are_refused_before_decoding() {
    let anchors = rsa_anchors();
    let check = |bytes: &[u8]| verify(bytes, DOCUMENT, &anchors).err();
    assert_eq!(
        check(&vec![0u8; MAX_SIGNATURE_LEN + 1]),
        Some(DocumentCheck::TooLarge)
    );
    // A SET of 65 NULLs: more elements than any constructed one may hold.
    let mut wide = vec![0x31, 0x81, 130];
    wide.extend(std::iter::repeat_n([0x05, 0x00], 65).flatten());
    assert_eq!(check(&wide), Some(DocumentCheck::TooLarge));
    // 40 nested SEQUENCEs.
    let mut deep = Vec::new();
    for _ in 0..40 {
        let mut outer = vec![0x30, deep.len() as u8];
        outer.extend_from_slice(&deep);
        deep = outer;
    }
    assert_eq!(check(&deep), Some(DocumentCheck::TooLarge));
    for bytes in [
        &b""[..],
        b"\x30",
        b"\x30\x80\x00\x00",
        b"\x30\x05\x01",
        b"\x30\x00\x00",
    ] {
        assert!(
            matches!(check(bytes), Some(DocumentCheck::Malformed(_))),
            "{bytes:02X?}: {:?}",
            check(bytes)
        );
    }
    // A real signature with its document embedded is not detached.
    let p7s = sign_on(&mut VirtualCard::new());
    assert!(verify(&p7s[..p7s.len() - 1], DOCUMENT, &anchors).is_err());
}

/// openssl, an independent verifier, with the virtual sign CA as the only trust anchor: it
/// accepts both credentials' signatures over the document, and refuses a changed document.
#[test]
#[ignore = "needs openssl: cargo test --features cms --test cms -- --ignored"]
fn openssl_cms_verify_accepts_the_signatures() {
    let dir = std::env::temp_dir().join(format!("mynumbercard-cms-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let document = dir.join("document.txt");
    std::fs::write(&document, DOCUMENT).unwrap();
    let changed = dir.join("changed.txt");
    std::fs::write(&changed, b"another text").unwrap();
    for (name, mut vc, ca) in [
        ("rsa", VirtualCard::new(), fixtures::SIGN_CA_CERT),
        (
            "p384",
            VirtualCard::builder().ecdsa_p384().build(),
            p384::SIGN_CA_CERT,
        ),
    ] {
        let p7s = dir.join(format!("{name}.p7s"));
        // Signed now: openssl checks the chain at the present time.
        let mut card = Card::new(&mut vc);
        let pin = SignPin::new(VirtualCard::DEFAULT_SIGN_PIN).unwrap();
        let der = card
            .jpki()
            .sign_document(&pin, DOCUMENT, SystemTime::now(), LastTry::Refuse)
            .unwrap();
        std::fs::write(&p7s, der).unwrap();
        let root = dir.join(format!("{name}-ca.pem"));
        let pem = pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, ca);
        std::fs::write(&root, pem.unwrap()).unwrap();
        let run = |content: &std::path::Path| {
            std::process::Command::new("openssl")
                .args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
                .arg(&p7s)
                .arg("-content")
                .arg(content)
                .arg("-CAfile")
                .arg(&root)
                .args(["-out", "/dev/null"])
                .output()
                .expect("openssl runs")
        };
        let ok = run(&document);
        assert!(
            ok.status.success(),
            "openssl refused the {name} signature: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
        assert!(
            !run(&changed).status.success(),
            "{name}: a changed document passed"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
