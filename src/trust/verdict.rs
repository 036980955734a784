//! The verdicts of a chain check: [`Trusted`] with what the chain rests on, or [`Untrusted`]
//! with a reason a caller can match on.

use der::asn1::ObjectIdentifier;

use super::AnchorOrigin;
use crate::certificate::CertificateKind;

/// Why a certificate is not trusted. Each is a verdict a caller can act on, not a failure of
/// the library.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Untrusted {
    /// The certificate's validity ended before the given time.
    #[error("the certificate has expired")]
    Expired,
    /// The certificate's validity starts after the given time.
    #[error("the certificate is not yet valid")]
    NotYetValid,
    /// The issuing root's validity ended before the given time.
    #[error("the issuing root has expired")]
    RootExpired,
    /// The issuing root's validity starts after the given time.
    #[error("the issuing root is not yet valid")]
    RootNotYetValid,
    /// No trusted root has the issuer's name and key identifier.
    #[error("the issuer is not a trusted root")]
    UnknownIssuer,
    /// The issuer is a J-LIS test root, and test cards were not accepted. Reported from the
    /// issuer's name alone, before any signature check (the test roots' keys sign nothing the
    /// library can see).
    #[error("issued by a J-LIS test root; test cards are not accepted")]
    TestRootNotAccepted,
    /// The signature does not verify with the root's key.
    #[error("the signature does not verify")]
    BadSignature,
    /// The signature algorithm or key is not one the library checks.
    #[error("unsupported signature algorithm or key")]
    UnsupportedAlgorithm,
    /// The key usage does not allow the use: missing keyUsage, a missing bit
    /// (digitalSignature; nonRepudiation too for the signature certificate), or a CA bit.
    #[error("wrong key usage")]
    WrongKeyUsage,
    /// The root is not a CA (basicConstraints or keyUsage).
    #[error("the root is not a CA")]
    RootNotCa,
    /// A CA certificate from the card is not the bundled anchor of the same name.
    #[error("the card's CA certificate differs from the bundled anchor")]
    CaMismatch,
    /// A critical extension the library does not understand.
    #[error("unhandled critical extension {0}")]
    UnhandledCriticalExtension(ObjectIdentifier),
    /// A structural fault found while checking.
    #[error("malformed certificate: {0}")]
    Malformed(&'static str),
}

/// A chain that checked out.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Trusted {
    /// The user certificate's kind, from its issuer.
    pub kind: Option<CertificateKind>,
    /// The root's generation (`None` for a caller's root).
    pub root_generation: Option<u16>,
    /// Where the root comes from.
    pub root_origin: AnchorOrigin,
    /// SHA-256 of the root certificate's DER.
    pub root_fingerprint: [u8; 32],
}
