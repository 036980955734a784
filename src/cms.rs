//! Signed documents: detached CMS SignedData (RFC 5652) made with the card's signature key,
//! and their verification. Feature `cms`.
//!
//! [`Jpki::sign_document`] verifies the signature PIN and signs a document in one
//! transaction; [`sign_detached`] does the same with a [`JpkiSigner`] the caller holds. Both
//! give the DER of a `ContentInfo` holding a `SignedData` without the document (detached, as
//! a `.p7s` beside the file), built by the RustCrypto `cms` crate's builder with the card's
//! signer, whose one `SignerInfo` carries the CAdES-BES signed attributes (ETSI EN 319 122-1):
//! content-type (id-data), message-digest, signing-time and ESS signing-certificate-v2
//! (RFC 5035: SHA-256 of the signer's certificate, with its issuer and serial). The
//! certificate set holds the signature certificate and its CA certificate, as read from the
//! card. The key's algorithm comes from its certificate: RSA PKCS#1 v1.5 with SHA-256 on
//! today's cards, ECDSA P-384 with SHA-384 where the certificate holds such a key; the
//! document's digest uses the same hash. OpenSSL (`openssl cms -verify -binary -content FILE
//! -inform DER -in FILE.p7s -CAfile ROOT`) accepts the result (the crate's tests check it).
//!
//! [`verify_detached`] checks such a signature against the document: the structure (bounded:
//! the input is hostile), the message digest, the signature with the signer certificate's
//! key, the signing-certificate attribute, that the certificate is a **signature**
//! certificate (署名用電子証明書: a signature by the user-authentication key, which certifies
//! who logs in and not what a document says, is refused), and its chain to the
//! [`TrustAnchors`] at a given time.
//!
//! **A self-check, not a verification service.** Relying on JPKI signatures as a business
//! (署名検証者) needs certification by the Minister under the Act on Certification Services of
//! J-LIS (公的個人認証法, 電子署名等に係る地方公共団体情報システム機構の認証業務に関する法律);
//! certified verifiers also get J-LIS's revocation service, which this library does not
//! consult. What [`verify_detached`] answers is narrower: was this document signed by the key
//! of a signature certificate issued by a J-LIS root the library carries, signed correctly,
//! within the certificate's validity at the given time. CAdES-BES has no trusted time: the
//! signing-time attribute is what the signer's computer said.
//!
//! ```
//! # #[cfg(feature = "virtual-card")] {
//! use std::time::SystemTime;
//! use mynumbercard::cms::{self, DocumentCheck};
//! use mynumbercard::trust::TrustAnchors;
//! use mynumbercard::virtual_card::fixtures;
//! use mynumbercard::{Card, LastTry, SignPin, VirtualCard};
//!
//! let document = b"contract text";
//! let mut card = Card::new(VirtualCard::default());
//! let pin = SignPin::new("ABC123")?;
//! let p7s = card.jpki().sign_document(&pin, document, SystemTime::now(), LastTry::Refuse)?;
//! card.close()?;
//!
//! // The virtual card's CA is a test root: trust it explicitly.
//! let anchors = TrustAnchors::empty().with_root(fixtures::SIGN_CA_CERT)?;
//! let verified = cms::verify_detached(&p7s, document, &anchors, SystemTime::now())?;
//! assert!(verified.signing_time.is_some());
//! assert_eq!(
//!     cms::verify_detached(&p7s, b"contract text!", &anchors, SystemTime::now()).err(),
//!     Some(DocumentCheck::DigestMismatch)
//! );
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::Mutex;
use std::time::SystemTime;

use ::cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use ::cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use ::cms::content_info::ContentInfo;
use ::cms::signed_data::{
    EncapsulatedContentInfo, SignedAttributes, SignedData, SignerIdentifier, SignerInfo,
};
use der::asn1::{Any, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode, Sequence, Tagged};
use sha2::{Digest, Sha256};
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::certpolicy::PolicyInformation;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_cert::time::Time;
use x509_cert::Certificate;

use crate::algorithm::KeyAlgorithm;
use crate::card::OnReset;
use crate::certificate::{CertificateKind, JpkiCertificate};
use crate::digest_info::HashAlgorithm;
use crate::error::{Error, Result};
use crate::jpki::{Jpki, KeyKind};
use crate::pin::{LastTry, SignPin};
use crate::signer::{JpkiSignature, JpkiSigner, JpkiVerifyingKey};
use crate::transport::Transport;
use crate::trust::{TrustAnchors, Trusted, Untrusted};
use rsa::signature::{self, Keypair, Signer};
use x509_cert::spki::DynSignatureAlgorithmIdentifier;

/// id-data (RFC 5652 §4).
const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
/// id-signedData (RFC 5652 §5.1).
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
/// id-contentType (RFC 5652 §11.1).
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
/// id-messageDigest (RFC 5652 §11.2).
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
/// id-signingTime (RFC 5652 §11.3).
const ID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
/// id-aa-signingCertificateV2 (RFC 5035 §3).
const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// rsaEncryption, which RFC 3370 §3.2 allows as a CMS signature algorithm.
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// id-sha256, id-sha384, id-sha512 (RFC 5754 §2).
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const ID_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// The longest signature [`verify_detached`] reads: 64 KiB. One made by this crate, with two
/// certificates, is about 3 KB.
pub const MAX_SIGNATURE_LEN: usize = 64 * 1024;
/// The most elements one constructed DER element of the signature may hold, and the most
/// certificates: bounds the `der` crate's sorting of SET OF (quadratic in the count).
const MAX_CHILDREN: usize = 64;
/// The deepest nesting of DER elements [`verify_detached`] reads (a certificate nests about 8).
const MAX_DEPTH: usize = 32;
/// The most DER elements in all (a signature made by this crate has about 300).
const MAX_ELEMENTS: usize = 4096;

impl<T: Transport> Jpki<'_, T> {
    /// Signs `document` with the signature key as a detached CMS SignedData (DER), in one
    /// transaction: the signature PIN behind the lockout guard (`last_try` says whether its
    /// last try may be spent), the signature CA certificate (EF 0002) and the signature
    /// certificate (EF 0001) read, SHA-256 (SHA-384 for a P-384 key) of the document computed
    /// on the host, one COMPUTE DIGITAL SIGNATURE over the signed attributes, the signature
    /// verified against the certificate. `signing_time` goes into the signing-time attribute.
    ///
    /// APDUs: what [`Jpki::verify_pin_with`] sends (the empty VERIFY and the VERIFY), what
    /// [`Jpki::read_certificate_der`] sends for each certificate, and what
    /// [`Jpki::sign_digest_info`] sends (one COMPUTE DIGITAL SIGNATURE), with the session's
    /// addressing (a SELECT of the PIN and key files unless the card takes short file
    /// identifiers). On the virtual card behind a short-APDU reader: SELECT AP, 2 VERIFY, SELECT
    /// and 4 READ BINARY of the CA certificate, SELECT and 5 READ BINARY of the signature
    /// certificate, COMPUTE DIGITAL SIGNATURE: 15 APDUs (13 for the P-384 credential, whose
    /// certificates are shorter).
    pub fn sign_document(
        &mut self,
        pin: &SignPin,
        document: &[u8],
        signing_time: SystemTime,
        last_try: LastTry,
    ) -> Result<Vec<u8>> {
        self.card().operation(OnReset::Fail, |card| {
            let mut jpki = Jpki::new(card);
            jpki.verify_pin_with(pin, last_try)?;
            let ca = jpki.read_certificate_der(CertificateKind::SignCa)?;
            let signer = jpki.signer(KeyKind::Sign)?;
            sign_detached(&signer, &ca, document, signing_time)
        })
    }
}

/// Signs `document` with `signer` (the signature key, its PIN verified) as a detached CMS
/// SignedData (DER), with the signer's certificate and `ca_certificate_der` (the signature CA
/// certificate, EF 0002) in the certificate set. Sends one COMPUTE DIGITAL SIGNATURE.
///
/// A signer of the user-authentication key is refused before the card
/// ([`Error::NotTheSignatureKey`]): a document signature is the signature key's.
pub fn sign_detached<T: Transport>(
    signer: &JpkiSigner<'_, T>,
    ca_certificate_der: &[u8],
    document: &[u8],
    signing_time: SystemTime,
) -> Result<Vec<u8>> {
    if signer.key() != KeyKind::Sign {
        return Err(Error::NotTheSignatureKey);
    }
    let invalid = |what: &'static str| {
        move |source: der::Error| Error::InvalidCertificate {
            what,
            source: Some(source),
        }
    };
    let certificate = Certificate::from_der(signer.certificate_der())
        .map_err(invalid("signature certificate is not valid DER"))?;
    let ca = Certificate::from_der(ca_certificate_der)
        .map_err(invalid("CA certificate is not valid DER"))?;
    let hash = signer.algorithm().hash();
    let digest = hash.hash(document);
    let attributes = [
        signing_time_attribute(signing_time),
        signing_certificate_attribute(&certificate, signer.certificate_der()),
    ];
    let content = EncapsulatedContentInfo {
        econtent_type: ID_DATA,
        econtent: None,
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: certificate.tbs_certificate.issuer.clone(),
        serial_number: certificate.tbs_certificate.serial_number.clone(),
    });
    let build = |e: ::cms::builder::Error| Error::CmsBuild(e.to_string());
    let digest_algorithm = digest_algorithm(hash)
        .ok_or(Error::CmsBuild(format!("no digest algorithm for {hash:?}")))?;
    let signer = Capturing {
        signer,
        error: Mutex::new(None),
    };
    let mut signer_info = SignerInfoBuilder::new(
        &signer,
        sid,
        digest_algorithm.clone(),
        &content,
        Some(&digest),
    )
    .map_err(build)?;
    for attribute in attributes {
        signer_info
            .add_signed_attribute(attribute.map_err(|e| Error::CmsBuild(e.to_string()))?)
            .map_err(build)?;
    }
    let mut builder = SignedDataBuilder::new(&content);
    builder
        .add_digest_algorithm(digest_algorithm)
        .map_err(build)?
        .add_certificate(CertificateChoices::Certificate(certificate))
        .map_err(build)?
        .add_certificate(CertificateChoices::Certificate(ca))
        .map_err(build)?;
    let signed = builder.add_signer_info(signer_info);
    if let Err(e) = signed {
        let card_error = signer.error.lock().ok().and_then(|mut e| e.take());
        return Err(card_error.unwrap_or(Error::CmsBuild(e.to_string())));
    }
    let content_info = builder.build().map_err(build)?;
    content_info
        .to_der()
        .map_err(|e| Error::CmsBuild(e.to_string()))
}

/// A [`JpkiSigner`] that keeps the card's error: the `cms` builder replaces a signer's error
/// with its own.
struct Capturing<'s, 'a, T> {
    signer: &'s JpkiSigner<'a, T>,
    error: Mutex<Option<Error>>,
}

impl<T: Transport> Signer<JpkiSignature> for Capturing<'_, '_, T> {
    fn try_sign(&self, message: &[u8]) -> std::result::Result<JpkiSignature, signature::Error> {
        self.signer.sign_message(message).map_err(|e| {
            if let Ok(mut slot) = self.error.lock() {
                *slot = Some(e);
            }
            signature::Error::new()
        })
    }
}

impl<T> Keypair for Capturing<'_, '_, T> {
    type VerifyingKey = JpkiVerifyingKey;

    fn verifying_key(&self) -> JpkiVerifyingKey {
        self.signer.verifying_key()
    }
}

impl<T> DynSignatureAlgorithmIdentifier for Capturing<'_, '_, T> {
    fn signature_algorithm_identifier(&self) -> x509_cert::spki::Result<AlgorithmIdentifierOwned> {
        self.signer.signature_algorithm_identifier()
    }
}

/// The DigestAlgorithmIdentifier of `hash` (parameters absent, RFC 5754 §2).
fn digest_algorithm(hash: HashAlgorithm) -> Option<AlgorithmIdentifierOwned> {
    let oid = match hash {
        HashAlgorithm::Sha256 => ID_SHA256,
        HashAlgorithm::Sha384 => ID_SHA384,
        HashAlgorithm::Sha512 => ID_SHA512,
        _ => return None,
    };
    Some(AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    })
}

/// The hash a DigestAlgorithmIdentifier names (parameters absent or NULL).
fn hash_of(algorithm: &AlgorithmIdentifierOwned) -> Option<HashAlgorithm> {
    let null_or_absent = algorithm
        .parameters
        .as_ref()
        .is_none_or(|p| p.tag() == der::Tag::Null && p.value().is_empty());
    if !null_or_absent {
        return None;
    }
    match algorithm.oid {
        ID_SHA256 => Some(HashAlgorithm::Sha256),
        ID_SHA384 => Some(HashAlgorithm::Sha384),
        ID_SHA512 => Some(HashAlgorithm::Sha512),
        _ => None,
    }
}

/// An attribute with one value.
fn attribute(oid: ObjectIdentifier, value: Any) -> der::Result<Attribute> {
    let mut values = SetOfVec::new();
    values.insert(value)?;
    Ok(Attribute { oid, values })
}

/// signing-time (RFC 5652 §11.3): UTCTime from 1950 to 2049, GeneralizedTime otherwise.
fn signing_time_attribute(at: SystemTime) -> der::Result<Attribute> {
    let when = der::DateTime::from_system_time(at)?;
    let time = if (1950..2050).contains(&when.year()) {
        Time::UtcTime(der::asn1::UtcTime::from_date_time(when)?)
    } else {
        Time::GeneralTime(der::asn1::GeneralizedTime::from_date_time(when))
    };
    attribute(ID_SIGNING_TIME, Any::encode_from(&time)?)
}

/// ESS signing-certificate-v2 (RFC 5035 §3): the certificate's SHA-256 (the default hash, so
/// no hashAlgorithm), with its issuer and serial.
fn signing_certificate_attribute(
    certificate: &Certificate,
    certificate_der: &[u8],
) -> der::Result<Attribute> {
    let value = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(Sha256::digest(certificate_der).to_vec())?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    certificate.tbs_certificate.issuer.clone(),
                )],
                serial_number: certificate.tbs_certificate.serial_number.clone(),
            }),
        }],
        policies: None,
    };
    attribute(ID_SIGNING_CERTIFICATE_V2, Any::encode_from(&value)?)
}

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies SEQUENCE OF
/// PolicyInformation OPTIONAL }` (RFC 5035 §3).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<Vec<PolicyInformation>>,
}

/// `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT {algorithm
/// id-sha256}, certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }` (RFC 5035 §4).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// A document signature that checked out: who signed, with what, when they said, and what
/// the chain rests on. See the module docs: a self-check, not a certified verification.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct VerifiedDocument {
    /// The signer's certificate (a signature certificate, 署名用電子証明書). Its attributes
    /// are the holder's personal data: show them only to whom they concern.
    pub signer: JpkiCertificate,
    /// The chain check's verdict.
    pub trusted: Trusted,
    /// The signing-time attribute, as the signer's computer gave it; `None` when absent.
    pub signing_time: Option<SystemTime>,
    /// The hash of the document's digest.
    pub digest_algorithm: HashAlgorithm,
    /// The signer's key algorithm.
    pub key_algorithm: KeyAlgorithm,
    /// Whether an ESS signing-certificate(-v2) attribute bound the signature to the
    /// certificate (it matched: a mismatch is an error).
    pub signing_certificate_bound: bool,
}

/// Why a document signature was not accepted. None of these carries personal data.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentCheck {
    /// The signature is longer than [`MAX_SIGNATURE_LEN`], or nests or counts more elements
    /// than the library reads.
    #[error("the signature file is larger or deeper than the library reads")]
    TooLarge,
    /// Not the DER of a CMS ContentInfo holding a detached SignedData with one signer.
    #[error("malformed signature: {0}")]
    Malformed(&'static str),
    /// A digest or signature algorithm the library does not check.
    #[error("unsupported algorithm: {0}")]
    Unsupported(&'static str),
    /// The document's digest is not the one signed: the document was changed (or is another).
    #[error("the document does not match the signature (its digest differs)")]
    DigestMismatch,
    /// The signature does not verify with the signer certificate's key.
    #[error("the signature does not verify with the signer's certificate")]
    BadSignature,
    /// The signature names a signer whose certificate is not in it.
    #[error("the signer's certificate is not in the signature")]
    SignerCertificateMissing,
    /// The signing-certificate attribute names another certificate than the signer's.
    #[error("the signing-certificate attribute does not match the signer's certificate")]
    SigningCertificateMismatch,
    /// The signer's certificate is not a signature certificate: the user-authentication key
    /// (利用者証明用電子証明書) proves who logs in and makes no document signature.
    #[error(
        "signed with a {}, not a signature certificate: not a document signature",
        match .kind { Some(CertificateKind::Auth) => "user-authentication certificate",
                      _ => "certificate of another kind" }
    )]
    NotASignatureCertificate {
        /// The certificate's kind, from its issuer.
        kind: Option<CertificateKind>,
    },
    /// The signer's certificate does not chain to a trusted root at the given time.
    #[error("the signer's certificate is not trusted: {0}")]
    Untrusted(#[from] Untrusted),
}

/// Checks a detached CMS signature (`signature_der`, a ContentInfo of SignedData) over
/// `document`: see the module docs for what is checked, and what a self-check is not.
/// `at` is the time the chain is checked at (usually now).
pub fn verify_detached(
    signature_der: &[u8],
    document: &[u8],
    anchors: &TrustAnchors,
    at: SystemTime,
) -> std::result::Result<VerifiedDocument, DocumentCheck> {
    use DocumentCheck::{Malformed, Unsupported};
    check_shape(signature_der)?;
    let content_info =
        ContentInfo::from_der(signature_der).map_err(|_| Malformed("not a CMS ContentInfo"))?;
    if content_info.content_type != ID_SIGNED_DATA {
        return Err(Malformed("not a SignedData"));
    }
    let signed_data: SignedData = content_info
        .content
        .decode_as()
        .map_err(|_| Malformed("SignedData does not parse"))?;
    let content = &signed_data.encap_content_info;
    if content.econtent_type != ID_DATA {
        return Err(Unsupported("signed content of a type other than data"));
    }
    if content.econtent.is_some() {
        return Err(Malformed("not detached: the signature holds content"));
    }
    let signer_info = match signed_data.signer_infos.0.as_slice() {
        [one] => one,
        [] => return Err(Malformed("no signer")),
        _ => return Err(Unsupported("more than one signer")),
    };
    let digest_algorithm =
        hash_of(&signer_info.digest_alg).ok_or(Unsupported("digest algorithm"))?;
    let attributes = SignedAttrs::read(signer_info)?;
    if attributes.content_type != ID_DATA {
        return Err(Malformed("content-type attribute is not id-data"));
    }
    if attributes.message_digest.as_slice() != digest_algorithm.hash(document).as_slice() {
        return Err(DocumentCheck::DigestMismatch);
    }
    let certificates: Vec<&Certificate> = signed_data
        .certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|choice| match choice {
                    CertificateChoices::Certificate(c) => Some(c),
                    CertificateChoices::Other(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let certificate = certificates
        .into_iter()
        .find(|c| names_signer(c, &signer_info.sid))
        .ok_or(DocumentCheck::SignerCertificateMissing)?;
    let certificate_der = certificate
        .to_der()
        .map_err(|_| Malformed("signer certificate does not encode"))?;
    let key = JpkiVerifyingKey::from_spki(&certificate.tbs_certificate.subject_public_key_info)
        .map_err(|_| Unsupported("the signer's key"))?;
    let key_algorithm = key.algorithm();
    check_signature_algorithm(
        &signer_info.signature_algorithm,
        key_algorithm,
        digest_algorithm,
    )?;
    let signed = attributes.der;
    key.verify_digest(
        digest_algorithm,
        &digest_algorithm.hash(&signed),
        signer_info.signature.as_bytes(),
    )
    .map_err(|_| DocumentCheck::BadSignature)?;
    let signing_certificate_bound = match &attributes.signing_certificate {
        Some(value) => {
            check_signing_certificate(value, certificate, &certificate_der)?;
            true
        }
        None => false,
    };
    let signer = JpkiCertificate::from_der(&certificate_der)
        .map_err(|_| Malformed("signer certificate is not a JPKI-readable certificate"))?;
    // The kind before the chain: an authentication certificate is refused whatever the
    // anchors.
    let kind = signer.kind();
    let non_repudiation = signer.key_usage().is_some_and(|ku| ku.non_repudiation());
    if kind != Some(CertificateKind::Sign) || !non_repudiation {
        return Err(DocumentCheck::NotASignatureCertificate { kind });
    }
    let trusted = anchors.verify(&signer, at)?;
    if trusted.kind != Some(CertificateKind::Sign) {
        return Err(DocumentCheck::NotASignatureCertificate { kind: trusted.kind });
    }
    Ok(VerifiedDocument {
        signer,
        trusted,
        signing_time: attributes.signing_time,
        digest_algorithm,
        key_algorithm,
        signing_certificate_bound,
    })
}

/// The signed attributes the check reads, with their DER as signed (a SET OF, RFC 5652 §5.4).
struct SignedAttrs {
    der: Vec<u8>,
    content_type: ObjectIdentifier,
    message_digest: Vec<u8>,
    signing_time: Option<SystemTime>,
    signing_certificate: Option<Any>,
}

impl SignedAttrs {
    fn read(signer_info: &SignerInfo) -> std::result::Result<Self, DocumentCheck> {
        use DocumentCheck::Malformed;
        let attributes: &SignedAttributes = signer_info
            .signed_attrs
            .as_ref()
            .ok_or(Malformed("no signed attributes"))?;
        // One value per attribute (RFC 5652 §11: each of these is single-valued); the SET OF
        // already refused duplicate attributes of the same type and value; refuse the same type
        // twice.
        let mut seen: Vec<ObjectIdentifier> = Vec::with_capacity(attributes.len());
        let mut content_type = None;
        let mut message_digest = None;
        let mut signing_time = None;
        let mut signing_certificate = None;
        for attribute in attributes.iter() {
            if seen.contains(&attribute.oid) {
                return Err(Malformed("an attribute appears twice"));
            }
            seen.push(attribute.oid);
            let value = match attribute.values.as_slice() {
                [one] => one,
                _ => return Err(Malformed("an attribute without exactly one value")),
            };
            match attribute.oid {
                ID_CONTENT_TYPE => {
                    content_type = Some(
                        value
                            .decode_as::<ObjectIdentifier>()
                            .map_err(|_| Malformed("content-type attribute"))?,
                    )
                }
                ID_MESSAGE_DIGEST => {
                    message_digest = Some(
                        value
                            .decode_as::<OctetString>()
                            .map_err(|_| Malformed("message-digest attribute"))?
                            .into_bytes(),
                    )
                }
                ID_SIGNING_TIME => {
                    signing_time = Some(
                        value
                            .to_der()
                            .and_then(|der| Time::from_der(&der))
                            .map_err(|_| Malformed("signing-time attribute"))?
                            .to_system_time(),
                    )
                }
                ID_SIGNING_CERTIFICATE_V2 => signing_certificate = Some(value.clone()),
                _ => {}
            }
        }
        let der = attributes
            .to_der()
            .map_err(|_| Malformed("signed attributes do not encode"))?;
        Ok(Self {
            der,
            content_type: content_type.ok_or(Malformed("no content-type attribute"))?,
            message_digest: message_digest.ok_or(Malformed("no message-digest attribute"))?,
            signing_time,
            signing_certificate,
        })
    }
}

/// Whether `certificate` is the one `sid` names.
fn names_signer(certificate: &Certificate, sid: &SignerIdentifier) -> bool {
    let tbs = &certificate.tbs_certificate;
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(named) => {
            crate::certificate::same_name(&named.issuer, &tbs.issuer)
                && named.serial_number == tbs.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            JpkiCertificate::from_der(&certificate.to_der().unwrap_or_default())
                .ok()
                .and_then(|c| c.subject_key_id().map(<[u8]>::to_vec))
                .is_some_and(|id| id == ski.0.as_bytes())
        }
    }
}

/// The SignerInfo's signature algorithm must be the key's, with the digest's hash:
/// sha*WithRSAEncryption or rsaEncryption (RFC 3370 §3.2) for RSA, ecdsa-with-SHA* for
/// ECDSA (RFC 5753 §2.1.1).
fn check_signature_algorithm(
    algorithm: &AlgorithmIdentifierOwned,
    key: KeyAlgorithm,
    digest: HashAlgorithm,
) -> std::result::Result<(), DocumentCheck> {
    let expected = key.signature_algorithm(digest);
    let ok = match (key, algorithm.oid) {
        (KeyAlgorithm::Rsa { .. }, RSA_ENCRYPTION) => true,
        (KeyAlgorithm::Rsa { .. }, oid) => expected.is_some_and(|e| e.oid == oid),
        (_, oid) => expected.is_some_and(|e| e.oid == oid) && algorithm.parameters.is_none(),
    };
    ok.then_some(()).ok_or(DocumentCheck::Unsupported(
        "signature algorithm for the key and digest",
    ))
}

/// The ESS signing-certificate-v2 attribute must name `certificate`: its first ESSCertIDv2's
/// hash (SHA-256 by default, or SHA-384 / SHA-512) of the certificate and, when present, its
/// issuer and serial.
fn check_signing_certificate(
    value: &Any,
    certificate: &Certificate,
    certificate_der: &[u8],
) -> std::result::Result<(), DocumentCheck> {
    use DocumentCheck::{Malformed, SigningCertificateMismatch};
    let attribute: SigningCertificateV2 = value
        .decode_as()
        .map_err(|_| Malformed("signing-certificate-v2 attribute"))?;
    let first = attribute
        .certs
        .first()
        .ok_or(Malformed("signing-certificate-v2 names no certificate"))?;
    let hash = match &first.hash_algorithm {
        None => HashAlgorithm::Sha256,
        Some(algorithm) => {
            hash_of(algorithm).ok_or(DocumentCheck::Unsupported("ESS certificate hash"))?
        }
    };
    if first.cert_hash.as_bytes() != hash.hash(certificate_der).as_slice() {
        return Err(SigningCertificateMismatch);
    }
    if let Some(issuer_serial) = &first.issuer_serial {
        let tbs = &certificate.tbs_certificate;
        let issuer_named = issuer_serial.issuer.iter().any(|name| {
            matches!(name, GeneralName::DirectoryName(n) if crate::certificate::same_name(n, &tbs.issuer))
        });
        if !issuer_named || issuer_serial.serial_number != tbs.serial_number {
            return Err(SigningCertificateMismatch);
        }
    }
    Ok(())
}

/// Walks the DER once, before any decoding: definite lengths that fit, at most
/// [`MAX_DEPTH`] levels, [`MAX_CHILDREN`] elements in any constructed one and
/// [`MAX_ELEMENTS`] in all. Linear in the input; what follows decodes a bounded tree.
fn check_shape(der: &[u8]) -> std::result::Result<(), DocumentCheck> {
    use DocumentCheck::{Malformed, TooLarge};
    if der.len() > MAX_SIGNATURE_LEN {
        return Err(TooLarge);
    }
    // Each level: the end of its content and the children counted so far.
    let mut stack: Vec<(usize, usize)> = Vec::with_capacity(MAX_DEPTH);
    stack.push((der.len(), 0));
    let mut at = 0usize;
    let mut elements = 0usize;
    loop {
        // Close the levels whose content ends here.
        while let Some(&(end, _)) = stack.last() {
            if at < end {
                break;
            }
            if at > end {
                return Err(Malformed("an element runs past its parent"));
            }
            stack.pop();
            if stack.is_empty() {
                return if at == der.len() {
                    Ok(())
                } else {
                    Err(Malformed("bytes after the signature"))
                };
            }
        }
        let Some(level) = stack.last_mut() else {
            return Ok(());
        };
        level.1 += 1;
        elements += 1;
        if level.1 > MAX_CHILDREN || elements > MAX_ELEMENTS {
            return Err(TooLarge);
        }
        let (constructed, header, len) = read_header(der.get(at..).unwrap_or_default())?;
        let start = at + header;
        let end = start.checked_add(len).ok_or(Malformed("length overflow"))?;
        if end > der.len() {
            return Err(Malformed("an element runs past the end"));
        }
        if constructed && len > 0 {
            if stack.len() >= MAX_DEPTH {
                return Err(TooLarge);
            }
            stack.push((end, 0));
            at = start;
        } else {
            at = end;
        }
    }
}

/// The constructed bit, header length and content length of the element at the start of
/// `bytes`: low tag numbers only (X.509 and CMS use no others), definite lengths of at most
/// 4 bytes.
fn read_header(bytes: &[u8]) -> std::result::Result<(bool, usize, usize), DocumentCheck> {
    use DocumentCheck::Malformed;
    let (&tag, rest) = bytes.split_first().ok_or(Malformed("truncated"))?;
    if tag & 0x1F == 0x1F {
        return Err(Malformed("high tag number"));
    }
    let (&first, rest) = rest.split_first().ok_or(Malformed("truncated"))?;
    if first < 0x80 {
        return Ok((tag & 0x20 != 0, 2, usize::from(first)));
    }
    let count = usize::from(first & 0x7F);
    if count == 0 || count > 4 {
        return Err(Malformed("indefinite or oversized length"));
    }
    let digits = rest.get(..count).ok_or(Malformed("truncated"))?;
    let len = digits
        .iter()
        .fold(0usize, |len, &digit| (len << 8) | usize::from(digit));
    Ok((tag & 0x20 != 0, 2 + count, len))
}

/// For the fuzz target: [`verify_detached`] over any bytes, against a fixed document and the
/// given anchors, and the shape walk alone.
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_verify(data: &[u8], document: &[u8], anchors: &TrustAnchors, at: SystemTime) {
    let shape = check_shape(data);
    let verdict = verify_detached(data, document, anchors, at);
    if shape.is_err() {
        assert_eq!(verdict.err(), shape.err(), "the shape check decides first");
    }
    let _ = crate::algorithm::ecdsa_der_to_raw(data);
}
