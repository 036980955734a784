//! A JPKI view of an X.509 certificate: which certificate it is, its serial, validity, key,
//! issuing J-LIS root and, for the signature certificate, the holder's attributes.
//!
//! Everything the view reports is read and checked once, in [`JpkiCertificate::from_der`]: a
//! certificate from a card is hostile input, so a malformed extension the view needs is an
//! error there, never a panic or a silent `None` later.

mod attributes;
mod key;
mod kind;
mod strings;

use std::collections::HashSet;
use std::time::SystemTime;

use der::asn1::ObjectIdentifier;
use der::oid::AssociatedOid;
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::Certificate;

pub use crate::calendar::{CalendarDate, Era};
pub use attributes::{
    Attribute, BirthDate, JpkiAttributes, Sex, SubstituteFlags, OID_ADDRESS,
    OID_ADDRESS_SUBSTITUTES, OID_BIRTH_DATE, OID_NAME, OID_NAME_SUBSTITUTES, OID_SEX,
    PERSONAL_DATA_ARC,
};
pub use key::PublicKey;
pub use kind::{CertificateKind, ParseKindError};

use crate::error::{Error, Result};

const AT_COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const AT_ORGANIZATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
const AT_ORGANIZATIONAL_UNIT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.11");

/// The longest certificate the view reads: 64 KiB. JPKI certificates are about 1.5–2 KB
/// (the card's files are capped at [`MAX_CERTIFICATE_LEN`](crate::jpki::MAX_CERTIFICATE_LEN));
/// the cap bounds the work on a hostile one.
pub const MAX_DER_LEN: usize = 64 * 1024;

/// The most extensions a certificate may carry: JPKI certificates carry fewer than 10.
pub const MAX_EXTENSIONS: usize = 64;

/// Issuer OU of the user-authentication CA (the bundled roots).
pub const OU_AUTH: &str = "JPKI for user authentication";
/// Issuer OU of the signature CA (the bundled roots).
pub const OU_SIGN: &str = "JPKI for digital signature";

/// The organisation that issued a certificate, from the issuer's `O`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IssuerOrganization {
    /// `O=JPKI`: J-LIS production.
    Jpki,
    /// `O=JPKI-TEST`: J-LIS test cards.
    JpkiTest,
    /// Anything else (the virtual card's `JPKI-VIRTUAL-TEST`, another PKI), or no `O`.
    Other(Option<String>),
}

/// A parsed certificate with its JPKI reading.
///
/// ```
/// use mynumbercard::certificate::{JpkiCertificate, PublicKey};
/// use mynumbercard::trust::roots;
/// use mynumbercard::CertificateKind;
///
/// let root = JpkiCertificate::from_der(roots::AUTH_CA_2023)?;
/// assert_eq!(root.kind(), Some(CertificateKind::AuthCa));
/// assert_eq!(root.key(), &PublicKey::Rsa { bits: 2048 });
/// assert_eq!(mynumbercard::trust::root_generation(&root), Some(2023));
/// assert!(root.attributes().is_none());
/// # Ok::<(), mynumbercard::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct JpkiCertificate {
    certificate: Certificate,
    der: Vec<u8>,
    key: PublicKey,
    key_usage: Option<KeyUsage>,
    basic_constraints: Option<BasicConstraints>,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    attributes: Option<JpkiAttributes>,
}

fn invalid(what: &'static str) -> Error {
    Error::InvalidCertificate { what, source: None }
}

fn invalid_der(what: &'static str) -> impl FnOnce(der::Error) -> Error {
    move |source| Error::InvalidCertificate {
        what,
        source: Some(source),
    }
}

impl JpkiCertificate {
    /// Parses a DER certificate (no trailing bytes) and the extensions the view reads.
    /// Refused above [`MAX_DER_LEN`] bytes or [`MAX_EXTENSIONS`] extensions; the work is
    /// linear in the certificate's length.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        if der.len() > MAX_DER_LEN {
            return Err(invalid("certificate longer than 64 KiB"));
        }
        let certificate =
            Certificate::from_der(der).map_err(invalid_der("not a DER X.509 certificate"))?;
        Self::build(certificate, der.to_vec())
    }

    /// Reads an already parsed certificate (as [`Jpki::read_certificate`] returns).
    ///
    /// [`Jpki::read_certificate`]: crate::jpki::Jpki::read_certificate
    /// The same caps as [`JpkiCertificate::from_der`] apply.
    pub fn from_certificate(certificate: Certificate) -> Result<Self> {
        let der = certificate
            .to_der()
            .map_err(invalid_der("certificate cannot be encoded"))?;
        if der.len() > MAX_DER_LEN {
            return Err(invalid("certificate longer than 64 KiB"));
        }
        Self::build(certificate, der)
    }

    fn build(certificate: Certificate, der: Vec<u8>) -> Result<Self> {
        let tbs = &certificate.tbs_certificate;
        let key = PublicKey::from_spki(&tbs.subject_public_key_info).map_err(|e| invalid(e.0))?;
        let extensions = tbs.extensions.as_deref().unwrap_or_default();
        if extensions.len() > MAX_EXTENSIONS {
            return Err(invalid("more extensions than a certificate has"));
        }
        let mut seen = HashSet::with_capacity(extensions.len());
        if !extensions.iter().all(|e| seen.insert(e.extn_id)) {
            return Err(invalid("an extension appears twice"));
        }
        let value = |oid| {
            extensions
                .iter()
                .find(|e: &&Extension| e.extn_id == oid)
                .map(|e| e.extn_value.as_bytes())
        };
        let key_usage = value(KeyUsage::OID)
            .map(KeyUsage::from_der)
            .transpose()
            .map_err(invalid_der("malformed keyUsage"))?;
        let basic_constraints = value(BasicConstraints::OID)
            .map(BasicConstraints::from_der)
            .transpose()
            .map_err(invalid_der("malformed basicConstraints"))?;
        let subject_key_id = value(SubjectKeyIdentifier::OID)
            .map(SubjectKeyIdentifier::from_der)
            .transpose()
            .map_err(invalid_der("malformed subjectKeyIdentifier"))?
            .map(|ski| ski.0.as_bytes().to_vec());
        let authority_key_id = value(AuthorityKeyIdentifier::OID)
            .map(AuthorityKeyIdentifier::from_der)
            .transpose()
            .map_err(invalid_der("malformed authorityKeyIdentifier"))?
            .and_then(|aki| aki.key_identifier)
            .map(|id| id.as_bytes().to_vec());
        let attributes = match value(SubjectAltName::OID) {
            None => None,
            Some(bytes) => {
                let san = SubjectAltName::from_der(bytes)
                    .map_err(invalid_der("malformed subjectAltName"))?;
                let others = san.0.iter().filter_map(|name| match name {
                    GeneralName::OtherName(other) => Some((&other.type_id, &other.value)),
                    _ => None,
                });
                let found = attributes::collect(others);
                (!found.is_empty()).then_some(found)
            }
        };
        Ok(Self {
            certificate,
            der,
            key,
            key_usage,
            basic_constraints,
            subject_key_id,
            authority_key_id,
            attributes,
        })
    }

    /// The parsed X.509 certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The certificate's DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// SHA-256 over the DER: a name for the certificate that discloses nothing.
    pub fn fingerprint(&self) -> [u8; 32] {
        Sha256::digest(&self.der).into()
    }

    /// Which JPKI certificate this is, from the issuer's `OU` (`JPKI for user
    /// authentication` or `JPKI for digital signature`) and whether it is a self-issued CA;
    /// `None` for a certificate without either unit.
    pub fn kind(&self) -> Option<CertificateKind> {
        let units = attribute_values(
            &self.certificate.tbs_certificate.issuer,
            AT_ORGANIZATIONAL_UNIT,
        );
        let auth = units.iter().any(|u| u == OU_AUTH);
        let sign = units.iter().any(|u| u == OU_SIGN);
        let ca = self.is_ca() && self.is_self_issued();
        match (auth, sign, ca) {
            (true, false, false) => Some(CertificateKind::Auth),
            (true, false, true) => Some(CertificateKind::AuthCa),
            (false, true, false) => Some(CertificateKind::Sign),
            (false, true, true) => Some(CertificateKind::SignCa),
            _ => None,
        }
    }

    /// The issuer's organisation (`O`).
    pub fn issuer_organization(&self) -> IssuerOrganization {
        let mut values =
            attribute_values(&self.certificate.tbs_certificate.issuer, AT_ORGANIZATION);
        match values.pop() {
            Some(o) if values.is_empty() && o == "JPKI" => IssuerOrganization::Jpki,
            Some(o) if values.is_empty() && o == "JPKI-TEST" => IssuerOrganization::JpkiTest,
            other => IssuerOrganization::Other(other),
        }
    }

    /// The subject's common name (an opaque id on JPKI user certificates), if it has exactly
    /// one readable `CN`.
    pub fn subject_common_name(&self) -> Option<String> {
        let mut values =
            attribute_values(&self.certificate.tbs_certificate.subject, AT_COMMON_NAME);
        match (values.pop(), values.is_empty()) {
            (Some(cn), true) => Some(cn),
            _ => None,
        }
    }

    /// The serial number's big-endian bytes, as encoded.
    pub fn serial(&self) -> &[u8] {
        self.certificate.tbs_certificate.serial_number.as_bytes()
    }

    /// The serial number in upper-case hex.
    pub fn serial_hex(&self) -> String {
        hex::encode_upper(self.serial())
    }

    /// Start of the validity period.
    pub fn not_before(&self) -> SystemTime {
        self.certificate
            .tbs_certificate
            .validity
            .not_before
            .to_system_time()
    }

    /// End of the validity period (inclusive).
    pub fn not_after(&self) -> SystemTime {
        self.certificate
            .tbs_certificate
            .validity
            .not_after
            .to_system_time()
    }

    /// Whether `at` falls within the validity period (both ends inclusive, RFC 5280 §4.1.2.5).
    pub fn is_valid_at(&self, at: SystemTime) -> bool {
        self.not_before() <= at && at <= self.not_after()
    }

    /// The subject's public key.
    pub fn key(&self) -> &PublicKey {
        &self.key
    }

    /// The holder's attributes from the subjectAltName: `Some` only for a certificate that
    /// carries at least one JPKI personal-data entry (the signature certificate).
    pub fn attributes(&self) -> Option<&JpkiAttributes> {
        self.attributes.as_ref()
    }

    /// Whether basicConstraints says CA.
    pub fn is_ca(&self) -> bool {
        self.basic_constraints.as_ref().is_some_and(|bc| bc.ca)
    }

    /// Whether issuer and subject are the same name.
    pub fn is_self_issued(&self) -> bool {
        let tbs = &self.certificate.tbs_certificate;
        same_name(&tbs.issuer, &tbs.subject)
    }

    /// The keyUsage extension, if present.
    pub fn key_usage(&self) -> Option<&KeyUsage> {
        self.key_usage.as_ref()
    }

    /// The subjectKeyIdentifier, if present.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.subject_key_id.as_deref()
    }

    /// The authorityKeyIdentifier's key identifier, if present.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.authority_key_id.as_deref()
    }
}

/// Whether two names have the same DER encoding.
pub(crate) fn same_name(a: &Name, b: &Name) -> bool {
    match (a.to_der(), b.to_der()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The readable values of every attribute `oid` in `name`.
fn attribute_values(name: &Name, oid: ObjectIdentifier) -> Vec<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == oid)
        .filter_map(|atv| strings::decode(&atv.value).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::asn1::OctetString;

    fn with_extensions(extra: impl IntoIterator<Item = ObjectIdentifier>) -> Certificate {
        let mut certificate = Certificate::from_der(crate::trust::roots::AUTH_CA_2023).unwrap();
        let value = OctetString::new(vec![0x05, 0x00]).unwrap();
        let extensions = certificate
            .tbs_certificate
            .extensions
            .get_or_insert_with(Vec::new);
        for extn_id in extra {
            extensions.push(Extension {
                extn_id,
                critical: false,
                extn_value: value.clone(),
            });
        }
        certificate
    }

    fn oid(n: usize) -> ObjectIdentifier {
        ObjectIdentifier::new(&format!("1.2.3.{n}")).unwrap()
    }

    fn what(result: Result<JpkiCertificate>) -> &'static str {
        match result {
            Err(Error::InvalidCertificate { what, .. }) => what,
            other => panic!("expected an invalid certificate, got {other:?}"),
        }
    }

    #[test]
    fn extension_counts_and_duplicates() {
        let present = Certificate::from_der(crate::trust::roots::AUTH_CA_2023)
            .unwrap()
            .tbs_certificate
            .extensions
            .map_or(0, |e| e.len());
        let full = with_extensions((0..MAX_EXTENSIONS - present).map(oid));
        assert!(JpkiCertificate::from_certificate(full).is_ok());
        let over = with_extensions((0..=MAX_EXTENSIONS - present).map(oid));
        assert_eq!(
            what(JpkiCertificate::from_certificate(over)),
            "more extensions than a certificate has"
        );
        let twice = with_extensions([oid(1), oid(2), oid(1)]);
        assert_eq!(
            what(JpkiCertificate::from_certificate(twice)),
            "an extension appears twice"
        );
    }

    #[test]
    fn the_length_is_capped_before_parsing() {
        let mut der = crate::trust::roots::AUTH_CA_2023.to_vec();
        der.resize(MAX_DER_LEN + 1, 0);
        assert_eq!(
            what(JpkiCertificate::from_der(&der)),
            "certificate longer than 64 KiB"
        );
        let big = with_extensions((0..7000).map(oid));
        assert_eq!(
            what(JpkiCertificate::from_certificate(big)),
            "certificate longer than 64 KiB"
        );
    }
}
