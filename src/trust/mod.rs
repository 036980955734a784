//! Trust anchors and chain checks: the J-LIS roots compiled in, and whether a user
//! certificate chains to one of them at a given time.
//!
//! **A self-check, not a verification service.** Relying on JPKI signatures as a business
//! (署名検証者 / 利用者証明検証者) needs certification by the Minister under the Act on
//! Certification Services of J-LIS (公的個人認証法, 電子署名等に係る地方公共団体情報システム機構の
//! 認証業務に関する法律); certified verifiers also get J-LIS's revocation service, which this
//! library does not consult. What this module answers is narrower: was this certificate issued
//! by a J-LIS root the library carries, signed correctly, within its validity at the given
//! time, and for the right key usage.
//!
//! The JPKI chain is two certificates long: the user certificate is issued directly by a
//! self-signed root (one per kind and generation). A CA certificate read from a card is only
//! ever compared with the bundled anchor ([`TrustAnchors::check_ca_certificate`]), never
//! trusted on its own. J-LIS test roots (`O=JPKI-TEST`) are trusted only by
//! [`TrustAnchors::jlis_with_test_roots`].

pub mod roots;
mod signature;
mod verdict;

use std::sync::OnceLock;
use std::time::SystemTime;

use der::asn1::ObjectIdentifier;

use crate::certificate::CertificateKind;
use crate::certificate::{same_name, JpkiCertificate};
use crate::error::{Error, Result};

pub use verdict::{Trusted, Untrusted};

/// Where an anchor comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AnchorOrigin {
    /// A bundled J-LIS production root.
    Jlis,
    /// A bundled J-LIS test root (`O=JPKI-TEST`).
    JlisTest,
    /// A root the caller added with [`TrustAnchors::with_root`].
    Caller,
}

/// A trusted root certificate.
#[derive(Clone, Debug)]
pub struct Anchor {
    certificate: JpkiCertificate,
    origin: AnchorOrigin,
    generation: Option<u16>,
}

impl Anchor {
    /// The root certificate.
    pub fn certificate(&self) -> &JpkiCertificate {
        &self.certificate
    }

    /// Where it comes from.
    pub fn origin(&self) -> AnchorOrigin {
        self.origin
    }

    /// The J-LIS generation (2015, 2019, 2023; a test root's year); `None` for a caller's root.
    pub fn generation(&self) -> Option<u16> {
        self.generation
    }

    /// [`CertificateKind::AuthCa`] or [`CertificateKind::SignCa`], from the root's `OU`.
    pub fn kind(&self) -> Option<CertificateKind> {
        self.certificate.kind()
    }
}

/// Extensions the check understands (RFC 5280 §4.2: a certificate with any other critical
/// extension is refused). certificatePolicies is known but not processed: JPKI marks it
/// critical, and the root already fixes the policy.
const KNOWN_EXTENSIONS: [ObjectIdentifier; 10] = [
    ObjectIdentifier::new_unwrap("2.5.29.14"), // subjectKeyIdentifier
    ObjectIdentifier::new_unwrap("2.5.29.15"), // keyUsage
    ObjectIdentifier::new_unwrap("2.5.29.17"), // subjectAltName
    ObjectIdentifier::new_unwrap("2.5.29.18"), // issuerAltName
    ObjectIdentifier::new_unwrap("2.5.29.19"), // basicConstraints
    ObjectIdentifier::new_unwrap("2.5.29.31"), // cRLDistributionPoints
    ObjectIdentifier::new_unwrap("2.5.29.32"), // certificatePolicies
    ObjectIdentifier::new_unwrap("2.5.29.35"), // authorityKeyIdentifier
    ObjectIdentifier::new_unwrap("2.5.29.37"), // extKeyUsage
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1"), // authorityInfoAccess
];

/// A set of trusted roots.
///
/// ```
/// use mynumbercard::trust::{TrustAnchors, Untrusted};
/// use mynumbercard::certificate::JpkiCertificate;
///
/// let anchors = TrustAnchors::jlis();
/// assert_eq!(anchors.anchors().len(), 6);
/// // A test card's CA certificate is refused unless test cards are asked for.
/// let test_ca = JpkiCertificate::from_der(mynumbercard::trust::roots::TEST_AUTH_CA_2023)?;
/// assert_eq!(
///     anchors.check_ca_certificate(&test_ca).err(),
///     Some(Untrusted::TestRootNotAccepted)
/// );
/// assert!(TrustAnchors::jlis_with_test_roots().check_ca_certificate(&test_ca).is_ok());
/// # Ok::<(), mynumbercard::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct TrustAnchors {
    anchors: Vec<Anchor>,
    test_roots: bool,
}

fn bundled(origin: AnchorOrigin) -> &'static [Anchor] {
    static PRODUCTION: OnceLock<Vec<Anchor>> = OnceLock::new();
    static TEST: OnceLock<Vec<Anchor>> = OnceLock::new();
    let (cell, list): (_, &[roots::Bundled]) = match origin {
        AnchorOrigin::JlisTest => (&TEST, &roots::TEST),
        _ => (&PRODUCTION, &roots::PRODUCTION),
    };
    cell.get_or_init(|| {
        // The bundled files are checked by the tests; one that failed to parse is left out.
        list.iter()
            .filter_map(|root| {
                let certificate = JpkiCertificate::from_der(root.der).ok()?;
                (certificate.kind() == Some(root.kind)).then_some(Anchor {
                    certificate,
                    origin,
                    generation: Some(root.generation),
                })
            })
            .collect()
    })
}

/// The generation (2015, 2019, 2023, or a test root's year) of the bundled J-LIS root that
/// issued `certificate`, or of the bundled root it is; `None` when no bundled root matches.
/// Test roots count here: this reads what the certificate claims, and trust is
/// [`TrustAnchors::verify`]'s business.
///
/// ```
/// use mynumbercard::certificate::JpkiCertificate;
/// use mynumbercard::trust::{root_generation, roots};
/// let root = JpkiCertificate::from_der(roots::SIGN_CA_2019)?;
/// assert_eq!(root_generation(&root), Some(2019));
/// # Ok::<(), mynumbercard::Error>(())
/// ```
pub fn root_generation(certificate: &JpkiCertificate) -> Option<u16> {
    bundled_issuer(certificate).and_then(Anchor::generation)
}

/// The bundled root (production or test) that `certificate` is, or that it names as its
/// issuer: by name and key identifier when the certificate carries one, by signature
/// otherwise. What the certificate claims, for the view; trust is [`TrustAnchors::verify`]'s.
pub(crate) fn bundled_issuer(certificate: &JpkiCertificate) -> Option<&'static Anchor> {
    let all = || {
        bundled(AnchorOrigin::Jlis)
            .iter()
            .chain(bundled(AnchorOrigin::JlisTest))
    };
    if let Some(itself) = all().find(|anchor| anchor.certificate.der() == certificate.der()) {
        return Some(itself);
    }
    if certificate.authority_key_id().is_some() {
        let mut named = candidates(all(), certificate);
        if let (Some(only), None) = (named.next(), named.next()) {
            return Some(only);
        }
    }
    issuer_among(all(), certificate).ok()
}

/// The anchors with the certificate's issuer name and, when both carry one, its key identifier.
fn candidates<'a, 'c>(
    anchors: impl Iterator<Item = &'a Anchor> + 'c,
    certificate: &'c JpkiCertificate,
) -> impl Iterator<Item = &'a Anchor> + 'c
where
    'a: 'c,
{
    let issuer = &certificate.certificate().tbs_certificate.issuer;
    anchors.filter(move |anchor| {
        let root = &anchor.certificate;
        same_name(&root.certificate().tbs_certificate.subject, issuer)
            && match (certificate.authority_key_id(), root.subject_key_id()) {
                (Some(wanted), Some(have)) => wanted == have,
                _ => true,
            }
    })
}

/// The candidate anchor whose key verifies the certificate's signature.
fn issuer_among<'a>(
    anchors: impl Iterator<Item = &'a Anchor>,
    certificate: &JpkiCertificate,
) -> std::result::Result<&'a Anchor, Untrusted> {
    let mut verdict = Untrusted::UnknownIssuer;
    for anchor in candidates(anchors, certificate) {
        let root = &anchor.certificate;
        let spki = &root.certificate().tbs_certificate.subject_public_key_info;
        match signature::verify(certificate, spki, root.key()) {
            Ok(()) => return Ok(anchor),
            Err(e) => verdict = e,
        }
    }
    Err(verdict)
}

impl TrustAnchors {
    /// No anchors: trusts nothing until [`TrustAnchors::with_root`].
    pub fn empty() -> Self {
        Self::default()
    }

    /// The six J-LIS production roots (2015, 2019, 2023; authentication and signature).
    pub fn jlis() -> Self {
        Self {
            anchors: bundled(AnchorOrigin::Jlis).to_vec(),
            test_roots: false,
        }
    }

    /// The production roots and the J-LIS test roots: only for callers that accept test cards.
    pub fn jlis_with_test_roots() -> Self {
        let mut anchors = Self::jlis();
        anchors
            .anchors
            .extend_from_slice(bundled(AnchorOrigin::JlisTest));
        anchors.test_roots = true;
        anchors
    }

    /// Adds a root of the caller's (DER): it must be a self-issued CA whose signature
    /// verifies with its own key ([`Error::InvalidTrustAnchor`] otherwise).
    pub fn with_root(mut self, der: &[u8]) -> Result<Self> {
        let certificate = JpkiCertificate::from_der(der)?;
        if !certificate.is_ca() || !certificate.is_self_issued() {
            return Err(Error::InvalidTrustAnchor(
                "not a self-issued CA certificate",
            ));
        }
        if certificate
            .key_usage()
            .is_some_and(|ku| !ku.key_cert_sign())
        {
            return Err(Error::InvalidTrustAnchor("keyUsage lacks keyCertSign"));
        }
        let spki = &certificate
            .certificate()
            .tbs_certificate
            .subject_public_key_info;
        signature::verify(&certificate, spki, certificate.key())
            .map_err(|_| Error::InvalidTrustAnchor("self-signature does not verify"))?;
        self.anchors.push(Anchor {
            certificate,
            origin: AnchorOrigin::Caller,
            generation: None,
        });
        Ok(self)
    }

    /// The anchors.
    pub fn anchors(&self) -> &[Anchor] {
        &self.anchors
    }

    /// Whether the J-LIS test roots are included.
    pub fn accepts_test_roots(&self) -> bool {
        self.test_roots
    }

    /// Checks a user certificate at time `at`: issued by an anchor (name, key identifier,
    /// signature), the anchor a CA valid at `at`, the certificate valid at `at`, its key usage
    /// right for its kind, and no unknown critical extension. Revocation is not checked.
    pub fn verify(
        &self,
        certificate: &JpkiCertificate,
        at: SystemTime,
    ) -> std::result::Result<Trusted, Untrusted> {
        let anchor = match issuer_among(self.anchors.iter(), certificate) {
            Err(Untrusted::UnknownIssuer) if self.is_refused_test_name(certificate, true) => {
                return Err(Untrusted::TestRootNotAccepted)
            }
            other => other?,
        };
        let root = &anchor.certificate;
        if !root.is_ca() || root.key_usage().is_some_and(|ku| !ku.key_cert_sign()) {
            return Err(Untrusted::RootNotCa);
        }
        if at < root.not_before() {
            return Err(Untrusted::RootNotYetValid);
        }
        if at > root.not_after() {
            return Err(Untrusted::RootExpired);
        }
        if at < certificate.not_before() {
            return Err(Untrusted::NotYetValid);
        }
        if at > certificate.not_after() {
            return Err(Untrusted::Expired);
        }
        // Real user certificates: keyUsage critical, digitalSignature (authentication) or
        // digitalSignature + nonRepudiation (signature). One source shows it: `openssl x509
        // -ext keyUsage` on real certificates in a public write-up, which cites the J-LIS
        // profile specification 公的個人認証サービス プロファイル仕様書 2.2.
        let usage = certificate.key_usage().ok_or(Untrusted::WrongKeyUsage)?;
        let needs_non_repudiation = anchor.kind() == Some(CertificateKind::SignCa);
        if certificate.is_ca()
            || usage.key_cert_sign()
            || usage.crl_sign()
            || !usage.digital_signature()
            || (needs_non_repudiation && !usage.non_repudiation())
        {
            return Err(Untrusted::WrongKeyUsage);
        }
        let extensions = certificate
            .certificate()
            .tbs_certificate
            .extensions
            .as_deref();
        if let Some(unknown) = extensions
            .unwrap_or_default()
            .iter()
            .find(|e| e.critical && !KNOWN_EXTENSIONS.contains(&e.extn_id))
        {
            return Err(Untrusted::UnhandledCriticalExtension(unknown.extn_id));
        }
        Ok(Trusted {
            kind: certificate.kind(),
            root_generation: anchor.generation,
            root_origin: anchor.origin,
            root_fingerprint: root.fingerprint(),
        })
    }

    /// Compares a CA certificate read from a card with the anchors: `Ok` with the anchor when
    /// it is byte-for-byte a trusted root; [`Untrusted::CaMismatch`] when a trusted root has
    /// its name but other bytes; [`Untrusted::TestRootNotAccepted`] for a J-LIS test root
    /// when test cards are not accepted; [`Untrusted::UnknownIssuer`] otherwise.
    pub fn check_ca_certificate(
        &self,
        ca: &JpkiCertificate,
    ) -> std::result::Result<&Anchor, Untrusted> {
        if let Some(anchor) = self
            .anchors
            .iter()
            .find(|anchor| anchor.certificate.der() == ca.der())
        {
            return Ok(anchor);
        }
        let subject = &ca.certificate().tbs_certificate.subject;
        if self.anchors.iter().any(|a| {
            same_name(
                &a.certificate.certificate().tbs_certificate.subject,
                subject,
            )
        }) {
            return Err(Untrusted::CaMismatch);
        }
        if self.is_refused_test_name(ca, false) {
            return Err(Untrusted::TestRootNotAccepted);
        }
        Err(Untrusted::UnknownIssuer)
    }

    /// Checks a user certificate together with the CA certificate the same card holds: the
    /// card's CA must be a trusted root ([`TrustAnchors::check_ca_certificate`]) and the one
    /// that issued the user certificate ([`Untrusted::CaMismatch`] otherwise).
    pub fn verify_with_card_ca(
        &self,
        certificate: &JpkiCertificate,
        card_ca: &JpkiCertificate,
        at: SystemTime,
    ) -> std::result::Result<Trusted, Untrusted> {
        let anchor = self.check_ca_certificate(card_ca)?;
        let trusted = self.verify(certificate, at)?;
        if trusted.root_fingerprint != anchor.certificate.fingerprint() {
            return Err(Untrusted::CaMismatch);
        }
        Ok(trusted)
    }

    /// Whether the certificate's issuer (or subject) names a J-LIS test root that this set
    /// does not accept.
    fn is_refused_test_name(&self, certificate: &JpkiCertificate, issuer: bool) -> bool {
        let tbs = &certificate.certificate().tbs_certificate;
        let name = if issuer { &tbs.issuer } else { &tbs.subject };
        !self.test_roots
            && bundled(AnchorOrigin::JlisTest).iter().any(|test| {
                same_name(
                    &test.certificate.certificate().tbs_certificate.subject,
                    name,
                )
            })
    }
}
