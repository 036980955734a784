//! Signatures whose algorithm comes from the key's certificate (RSA-2048 today, ECDSA P-384
//! with SHA-384 next), and signed documents: detached CMS SignedData made with the signature
//! key, and their verification (a self-check, not a certified verification under
//! 公的個人認証法).

use std::time::SystemTime;

use mynumbercard::cms::{self, DocumentCheck};
use mynumbercard::trust::{AnchorOrigin, TrustAnchors};
use mynumbercard::{AuthPin, SignPin};

use crate::card::{text, MyNumberCard};
use crate::error::CardError;
use crate::secret::Secret;
use crate::types::{CertificateInfo, DigestAlgorithm, KeyKind, LastTry};

/// The algorithm of a card's key, from its certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum KeyAlgorithm {
    /// RSA PKCS#1 v1.5 with SHA-256 (today's cards: 2048 bits).
    Rsa {
        /// Modulus size.
        bits: u32,
    },
    /// ECDSA on P-384 with SHA-384 (the next-generation card, per one public task-force
    /// summary).
    EcdsaP384,
}

impl KeyAlgorithm {
    pub(crate) fn from_core(algorithm: mynumbercard::KeyAlgorithm) -> Option<Self> {
        match algorithm {
            mynumbercard::KeyAlgorithm::Rsa { bits } => Some(KeyAlgorithm::Rsa {
                bits: u32::try_from(bits).unwrap_or(u32::MAX),
            }),
            mynumbercard::KeyAlgorithm::EcdsaP384 => Some(KeyAlgorithm::EcdsaP384),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

/// A signature made by the card, already checked against the key's certificate.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Signature {
    /// The key's algorithm, from its certificate.
    pub algorithm: KeyAlgorithm,
    /// As X.509, CMS and `java.security.Signature` take it: the RSA signature, or the ECDSA
    /// signature as DER.
    pub der: Vec<u8>,
    /// As the card answers: the RSA signature, or the ECDSA `r‖s` (96 bytes for P-384; what
    /// JWS and WebCrypto take).
    pub raw: Vec<u8>,
    /// The key's certificate (DER).
    pub certificate: Vec<u8>,
}

/// A document signature that checked out (see [`verify_document`]).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct VerifiedDocument {
    /// The signer's signature certificate (its holder attributes are personal data).
    pub signer: CertificateInfo,
    /// The signer's key algorithm.
    pub key_algorithm: KeyAlgorithm,
    /// The document digest's hash.
    pub digest_algorithm: DigestAlgorithm,
    /// The signing-time attribute: the signer's clock, not a trusted time.
    pub signing_time: Option<SystemTime>,
    /// The J-LIS root's generation (None: a root the caller added).
    pub root_generation: Option<u16>,
    /// Whether the root is a J-LIS test root (test cards).
    pub test_root: bool,
    /// Whether an ESS signing-certificate-v2 attribute bound the signature to the
    /// certificate (CAdES-BES).
    pub signing_certificate_bound: bool,
}

/// Why a document signature was not accepted. No message carries personal data.
#[derive(Debug, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum DocumentError {
    /// The document's digest is not the one signed: the document was changed (or is another).
    #[error("the document does not match the signature")]
    DigestMismatch,
    /// The signature does not verify with the signer's certificate.
    #[error("the signature does not verify")]
    BadSignature,
    /// Signed with a certificate that is not a signature certificate (署名用): the
    /// user-authentication key makes no document signature.
    #[error("not a document signature: the signer's certificate is not a signature certificate")]
    NotASignatureCertificate,
    /// The signer's certificate does not chain to a trusted root at the given time.
    #[error("untrusted: {reason}")]
    Untrusted {
        /// Why, for a log.
        reason: String,
    },
    /// Not a detached CMS signature the library reads, or an algorithm it does not check.
    #[error("malformed or unsupported signature: {reason}")]
    Malformed {
        /// What, for a log.
        reason: String,
    },
}

impl From<DocumentCheck> for DocumentError {
    fn from(check: DocumentCheck) -> Self {
        match check {
            DocumentCheck::DigestMismatch => DocumentError::DigestMismatch,
            DocumentCheck::BadSignature | DocumentCheck::SigningCertificateMismatch => {
                DocumentError::BadSignature
            }
            DocumentCheck::NotASignatureCertificate { .. } => {
                DocumentError::NotASignatureCertificate
            }
            DocumentCheck::Untrusted(reason) => DocumentError::Untrusted {
                reason: reason.to_string(),
            },
            other => DocumentError::Malformed {
                reason: other.to_string(),
            },
        }
    }
}

#[uniffi::export]
impl MyNumberCard {
    /// Verifies the key's PIN and signs `message`, in one transaction, with the key's
    /// algorithm from its certificate (RSA PKCS#1 v1.5 with SHA-256; ECDSA P-384 with
    /// SHA-384): the tries first, the PIN sent once behind the guard, the key's certificate
    /// read, the signature checked against it.
    pub fn sign_message(
        &self,
        key: KeyKind,
        pin: Secret,
        message: Vec<u8>,
        last_try: LastTry,
    ) -> Result<Signature, CardError> {
        let last_try = last_try.to_core();
        let (signature, certificate) = match key {
            KeyKind::Auth => {
                let pin = AuthPin::new(text(&pin)?)?;
                self.with(|card| {
                    Ok(card
                        .jpki()
                        .sign_message_with_pin(&pin, &message, last_try)?)
                })?
            }
            KeyKind::Sign => {
                let pin = SignPin::new(text(&pin)?)?;
                self.with(|card| {
                    Ok(card
                        .jpki()
                        .sign_message_with_pin(&pin, &message, last_try)?)
                })?
            }
        };
        let algorithm =
            KeyAlgorithm::from_core(signature.algorithm()).ok_or(CardError::CardFailure {
                reason: "a key algorithm the bindings do not name".into(),
            })?;
        Ok(Signature {
            algorithm,
            der: signature.to_vec(),
            raw: signature.to_raw(),
            certificate,
        })
    }

    /// Signs `document` with the signature key as a detached CMS SignedData (DER, a `.p7s`),
    /// in one transaction: the signature PIN behind the guard, the signature CA and signature
    /// certificates read, one signature over the CAdES-BES signed attributes (content-type,
    /// message-digest, signing-time, ESS signing-certificate-v2). `signing_time`: None for
    /// now.
    pub fn sign_document(
        &self,
        pin: Secret,
        document: Vec<u8>,
        signing_time: Option<SystemTime>,
        last_try: LastTry,
    ) -> Result<Vec<u8>, CardError> {
        let pin = SignPin::new(text(&pin)?)?;
        let at = signing_time.unwrap_or_else(SystemTime::now);
        self.with(|card| {
            Ok(card
                .jpki()
                .sign_document(&pin, &document, at, last_try.to_core())?)
        })
    }
}

/// Checks a detached CMS signature over `document`: the digest, the signature, that the
/// signer's certificate is a signature certificate, and its chain to the J-LIS roots
/// (`accept_test_roots`: also the J-LIS test roots; `extra_roots`: DER roots of the caller's,
/// e.g. the virtual card's signature CA in tests) at `at` (None: now). A self-check, not a
/// verification service: a business relying on JPKI signatures needs certification under
/// 公的個人認証法, and revocation is not checked.
#[uniffi::export]
pub fn verify_document(
    signature: Vec<u8>,
    document: Vec<u8>,
    accept_test_roots: bool,
    extra_roots: Vec<Vec<u8>>,
    at: Option<SystemTime>,
) -> Result<VerifiedDocument, DocumentError> {
    let mut anchors = if accept_test_roots {
        TrustAnchors::jlis_with_test_roots()
    } else {
        TrustAnchors::jlis()
    };
    for root in &extra_roots {
        anchors = anchors
            .with_root(root)
            .map_err(|e| DocumentError::Untrusted {
                reason: e.to_string(),
            })?;
    }
    let verified = cms::verify_detached(
        &signature,
        &document,
        &anchors,
        at.unwrap_or_else(SystemTime::now),
    )?;
    let malformed = |what: &str| DocumentError::Malformed {
        reason: what.to_owned(),
    };
    Ok(VerifiedDocument {
        signer: (&verified.signer).into(),
        key_algorithm: KeyAlgorithm::from_core(verified.key_algorithm)
            .ok_or_else(|| malformed("a key algorithm the bindings do not name"))?,
        digest_algorithm: DigestAlgorithm::from_core(verified.digest_algorithm)
            .ok_or_else(|| malformed("a digest the bindings do not name"))?,
        signing_time: verified.signing_time,
        root_generation: verified.trusted.root_generation,
        test_root: verified.trusted.root_origin == AnchorOrigin::JlisTest,
        signing_certificate_bound: verified.signing_certificate_bound,
    })
}
