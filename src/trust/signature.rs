//! Checking a certificate's signature with its issuer's key: RSA PKCS#1 v1.5 with SHA-256
//! (every JPKI certificate so far) and ECDSA with SHA-256 or SHA-384 on P-256 or P-384.

use der::asn1::ObjectIdentifier;
use der::{Decode, Header, Reader, SliceReader, Tag, Tagged};
use ecdsa::signature::hazmat::PrehashVerifier;
use rsa::signature::Verifier;
use sha2::{Digest, Sha256, Sha384};
use x509_cert::spki::SubjectPublicKeyInfoOwned;

use super::Untrusted;
use crate::certificate::{JpkiCertificate, PublicKey};

/// sha256WithRSAEncryption (RFC 8017 A.2.4).
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// ecdsa-with-SHA256 (RFC 5758 §3.2).
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
/// ecdsa-with-SHA384 (RFC 5758 §3.2).
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");

/// Checks `subject`'s signature with `issuer_spki` (already known to be `issuer_key`).
pub(crate) fn verify(
    subject: &JpkiCertificate,
    issuer_spki: &SubjectPublicKeyInfoOwned,
    issuer_key: &PublicKey,
) -> Result<(), Untrusted> {
    let certificate = subject.certificate();
    let algorithm = &certificate.signature_algorithm;
    if *algorithm != certificate.tbs_certificate.signature {
        return Err(Untrusted::Malformed(
            "signature algorithm differs inside and outside the signed part",
        ));
    }
    let signature = certificate
        .signature
        .as_bytes()
        .ok_or(Untrusted::Malformed("signature bit string has unused bits"))?;
    let tbs = signed_part(subject.der())
        .map_err(|_| Untrusted::Malformed("cannot locate the signed part"))?;
    let key_bytes = issuer_spki
        .subject_public_key
        .as_bytes()
        .ok_or(Untrusted::Malformed(
            "issuer key bit string has unused bits",
        ))?;
    match (algorithm.oid, issuer_key) {
        (SHA256_WITH_RSA, PublicKey::Rsa { .. }) => {
            // RFC 4055 §5: the parameters are NULL (or, tolerated, absent).
            if let Some(parameters) = &algorithm.parameters {
                if parameters.tag() != Tag::Null || !parameters.value().is_empty() {
                    return Err(Untrusted::Malformed(
                        "RSA signature parameters are not NULL",
                    ));
                }
            }
            use rsa::pkcs1::DecodeRsaPublicKey;
            let key = rsa::RsaPublicKey::from_pkcs1_der(key_bytes)
                .map_err(|_| Untrusted::UnsupportedAlgorithm)?;
            let signature = rsa::pkcs1v15::Signature::try_from(signature)
                .map_err(|_| Untrusted::BadSignature)?;
            rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key)
                .verify(tbs, &signature)
                .map_err(|_| Untrusted::BadSignature)
        }
        (ECDSA_WITH_SHA256 | ECDSA_WITH_SHA384, PublicKey::EcP256 | PublicKey::EcP384) => {
            // RFC 5758 §3.2: the parameters are absent.
            if algorithm.parameters.is_some() {
                return Err(Untrusted::Malformed("ECDSA signature has parameters"));
            }
            let digest = if algorithm.oid == ECDSA_WITH_SHA256 {
                Sha256::digest(tbs).to_vec()
            } else {
                Sha384::digest(tbs).to_vec()
            };
            let ok = if *issuer_key == PublicKey::EcP256 {
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes)
                    .map_err(|_| Untrusted::Malformed("issuer P-256 key is not a curve point"))?;
                let signature = p256::ecdsa::DerSignature::from_bytes(signature)
                    .map_err(|_| Untrusted::BadSignature)?;
                key.verify_prehash(&digest, &signature).is_ok()
            } else {
                let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes)
                    .map_err(|_| Untrusted::Malformed("issuer P-384 key is not a curve point"))?;
                let signature = p384::ecdsa::DerSignature::from_bytes(signature)
                    .map_err(|_| Untrusted::BadSignature)?;
                key.verify_prehash(&digest, &signature).is_ok()
            };
            ok.then_some(()).ok_or(Untrusted::BadSignature)
        }
        _ => Err(Untrusted::UnsupportedAlgorithm),
    }
}

/// The TBSCertificate's bytes exactly as signed: the first element of the outer SEQUENCE.
fn signed_part(der: &[u8]) -> der::Result<&[u8]> {
    let mut reader = SliceReader::new(der)?;
    let header = Header::decode(&mut reader)?;
    header.tag.assert_eq(Tag::Sequence)?;
    reader.tlv_bytes()
}
