//! Issuing the virtual card's JPKI-shaped certificates (CA, authentication, signature).
//!
//! Used by `tools/gen_fixtures.rs` to write the committed fixtures, and by
//! [`VirtualCardBuilder::build`](super::VirtualCardBuilder::build) to issue a fresh signature
//! certificate for a non-default [`Holder`]. Everything here is deterministic: PKCS#1 v1.5
//! signing needs no randomness, and dates and serials are fixed.
//!
//! Shapes copied from the real J-LIS certificates (the CA certificates J-LIS publishes, 2023
//! generation, and the JPKI-TEST roots myna-card carries, dumped with `openssl`): `C` as
//! PrintableString and the other name attributes as UTF8String; CA keyUsage
//! keyCertSign+cRLSign (critical) and basicConstraints CA:TRUE (critical); user keyUsage
//! critical, digitalSignature for the authentication certificate and
//! digitalSignature+nonRepudiation for the signature certificate (user certificates are not
//! published: only a blog dump of real ones shows this). The organisation is
//! `JPKI-VIRTUAL-TEST`, so that no certificate here can pass for a real (`JPKI`) or J-LIS test
//! (`JPKI-TEST`) card.
//!
//! The certificates carry the extensions real ones carry, so that they have a real card's sizes
//! (a 2025 JPKI test card: auth certificate 1,590 bytes, sign certificate 1,758; the CA
//! certificates J-LIS publishes and the JPKI-TEST roots: 1,301–1,333), and a read of them takes
//! as many APDUs as on a real card:
//!
//! - CA certificates, as the published ones: subjectAltName with a directory name in Japanese
//!   (`C=JP, O=公的個人認証サービス, OU=公的個人認証サービス利用者証明用 (or 署名用),
//!   OU=地方公共団体情報システム機構`) and cRLDistributionPoints naming the CA's directory entry.
//! - User certificates: issuerAltName `C=JP, O=公的個人認証サービス` (a blog's openssl dump of
//!   real user certificates shows it on both), certificatePolicies (critical) with a policy OID
//!   in the JPKI arc `1.2.392.200149.8.5.1` and a CPS pointer (jsrsasign's JPKI OID table names
//!   the arc: `.1.1.20` signature, `.1.3.30` authentication; a public write-up of a JPKI test
//!   card shows its policy as `.1.0.20`, one digit off production), cRLDistributionPoints and
//!   authorityInfoAccess (OCSP).
//!
//! Choices, marked as virtual so that nothing here points at J-LIS's services: the names say
//! 仮想試験用 (virtual test), the URIs are under `jpki-virtual-test.invalid` (RFC 2606 keeps
//! `.invalid` unresolvable), the policy OIDs are the test arc's (`.1.0.30` for authentication,
//! by analogy with the test card's `.1.0.20`), and the policy carries a user notice saying what
//! the certificate is.

use der::asn1::{
    Any, BitString, Ia5String, OctetString, PrintableStringRef, SetOfVec, UtcTime, Utf8StringRef,
};
use der::oid::{AssociatedOid, ObjectIdentifier};
use der::{DateTime, Encode};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::EncodePublicKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::certificate::{TbsCertificate, Version};
use x509_cert::ext::pkix::certpolicy::{PolicyInformation, PolicyQualifierInfo};
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::DistributionPointName;
use x509_cert::ext::pkix::name::{GeneralName, OtherName};
use x509_cert::ext::pkix::{
    AccessDescription, AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints,
    CertificatePolicies, CrlDistributionPoints, IssuerAltName, KeyUsage, KeyUsages, SubjectAltName,
    SubjectKeyIdentifier,
};
use x509_cert::ext::Extension;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};
use x509_cert::Certificate;

use super::files::Pair;
use super::holder::Holder;
use crate::jpki::KeyKind;

/// Why a certificate could not be issued.
pub type IssueError = Box<dyn std::error::Error + Send + Sync>;

/// A CA key that signs certificates: RSA-2048 with SHA-256 here, ECDSA P-384 with SHA-384 in
/// `ecdsa`.
pub trait IssuerKey {
    /// The CA's own public key.
    fn spki(&self) -> Result<SubjectPublicKeyInfoOwned, IssueError>;
    /// The signature algorithm of the certificates it signs.
    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned;
    /// Signs a TBSCertificate's DER.
    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, IssueError>;
    /// The serial of a certificate this key issues, from `base`: the same by default; the
    /// P-384 CAs mark theirs, as the CAs have the RSA ones' names.
    fn serial(&self, base: &[u8]) -> Vec<u8> {
        base.to_vec()
    }
}

/// A key a certificate certifies.
pub trait SubjectKey {
    /// The key as a SubjectPublicKeyInfo.
    fn spki(&self) -> Result<SubjectPublicKeyInfoOwned, IssueError>;
}

impl IssuerKey for RsaPrivateKey {
    fn spki(&self) -> Result<SubjectPublicKeyInfoOwned, IssueError> {
        spki(&self.to_public_key())
    }

    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        sha256_with_rsa()
    }

    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, IssueError> {
        let signer = SigningKey::<Sha256>::new(self.clone());
        Ok(signer.try_sign(tbs)?.to_vec())
    }
}

impl SubjectKey for RsaPublicKey {
    fn spki(&self) -> Result<SubjectPublicKeyInfoOwned, IssueError> {
        spki(self)
    }
}

/// The organisation of every virtual certificate; never `JPKI` or `JPKI-TEST`.
pub const ORGANISATION: &str = "JPKI-VIRTUAL-TEST";
/// The issuing agency's unit, as in the real DNs.
const AGENCY: &str = "Japan Agency for Local Authority Information Systems";

const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const AT_COUNTRY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");
const AT_ORGANISATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
const AT_UNIT: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.11");
const AT_COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");

/// The JPKI personal-data arc of the signature certificate's subjectAltName otherNames.
pub const JPKI_PERSONAL_DATA_ARC: &str = "1.2.392.200149.8.5.5";
const OID_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.1");
const OID_NAME_SUBSTITUTE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.2");
const OID_SEX: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.3");
const OID_BIRTH_DATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.4");
const OID_ADDRESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.5");
const OID_ADDRESS_SUBSTITUTE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.5.6");

/// The service's name in Japanese, as real JPKI certificates carry it in their alternative
/// names (公的個人認証サービス), marked as the virtual test one.
const SERVICE_JA: &str = "公的個人認証サービス（仮想）";
/// The agency's name in Japanese (地方公共団体情報システム機構).
const AGENCY_JA: &str = "地方公共団体情報システム機構";
/// Where the virtual certificates' CPS, CRLs and OCSP responder would be: nowhere (`.invalid`).
const URI_BASE: &str = "http://jpki-virtual-test.invalid";

const OID_CPS_QUALIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.2.1");
const OID_USER_NOTICE_QUALIFIER: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.2.2");
const OID_OCSP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");
/// The JPKI test arc's policies (see the module docs): signature `.1.0.20`, authentication
/// `.1.0.30`.
const POLICY_SIGN_TEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.1.0.20");
const POLICY_AUTH_TEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.392.200149.8.5.1.0.30");

/// Each user certificate's notice: "this certificate is for testing with a virtual My Number
/// Card".
const NOTICE: &str = "本証明書は仮想マイナンバーカードの試験用です";

/// The CA's distinguished name for `kind`'s certificates.
fn ca_name(pair: Pair) -> Result<Name, IssueError> {
    let unit = match pair {
        Pair::Auth => "JPKI for user authentication",
        Pair::Sign => "JPKI for digital signature",
    };
    name(&[
        (AT_COUNTRY, "JP"),
        (AT_ORGANISATION, ORGANISATION),
        (AT_UNIT, unit),
        (AT_UNIT, AGENCY),
    ])
}

/// The CA's names in Japanese, the directory name its subjectAltName carries.
fn ca_name_ja(pair: Pair) -> Result<Name, IssueError> {
    let unit = match pair {
        Pair::Auth => "公的個人認証サービス利用者証明用",
        Pair::Sign => "公的個人認証サービス署名用",
    };
    name(&[
        (AT_COUNTRY, "JP"),
        (AT_ORGANISATION, SERVICE_JA),
        (AT_UNIT, unit),
        (AT_UNIT, AGENCY_JA),
    ])
}

/// A URI general name under [`URI_BASE`].
fn uri(path: &str) -> Result<GeneralName, IssueError> {
    Ok(GeneralName::UniformResourceIdentifier(Ia5String::new(
        &format!("{URI_BASE}/{path}"),
    )?))
}

/// cRLDistributionPoints: the directory entry `entry`, and, for a user certificate, the same
/// CRL over HTTP at `path`.
fn crl_distribution_points(entry: Name, path: Option<&str>) -> Result<Extension, IssueError> {
    let mut names = vec![GeneralName::DirectoryName(entry)];
    if let Some(path) = path {
        names.push(uri(path)?);
    }
    extension(
        CrlDistributionPoints::OID,
        false,
        &CrlDistributionPoints(vec![DistributionPoint {
            distribution_point: Some(DistributionPointName::FullName(names)),
            reasons: None,
            crl_issuer: None,
        }]),
    )
}

/// The extensions a user certificate carries beyond key usage and key identifiers (see the
/// module docs).
fn user_extensions(pair: Pair) -> Result<Vec<Extension>, IssueError> {
    let (policy, which) = match pair {
        Pair::Auth => (POLICY_AUTH_TEST, "auth"),
        Pair::Sign => (POLICY_SIGN_TEST, "sign"),
    };
    let notice = {
        // UserNotice ::= SEQUENCE { explicitText UTF8String } (RFC 5280 §4.2.1.4).
        let text = Utf8StringRef::new(NOTICE)?.to_der()?;
        let mut sequence =
            der::Header::new(der::Tag::Sequence, der::Length::try_from(text.len())?)?.to_der()?;
        sequence.extend_from_slice(&text);
        <Any as der::Decode>::from_der(&sequence)?
    };
    let policies = CertificatePolicies(vec![PolicyInformation {
        policy_identifier: policy,
        policy_qualifiers: Some(vec![
            PolicyQualifierInfo {
                policy_qualifier_id: OID_CPS_QUALIFIER,
                qualifier: Some(Any::encode_from(&Ia5String::new(&format!(
                    "{URI_BASE}/cps/{which}.html"
                ))?)?),
            },
            PolicyQualifierInfo {
                policy_qualifier_id: OID_USER_NOTICE_QUALIFIER,
                qualifier: Some(notice),
            },
        ]),
    }]);
    // The CRL partition the certificate's revocation is listed in: a choice of name.
    let mut crl_entry = ca_name(pair)?;
    crl_entry.0.extend(
        name(&[
            (AT_UNIT, "CRL Distribution Points"),
            (AT_COMMON_NAME, "CRL-PARTITION-0001"),
        ])?
        .0,
    );
    let ocsp = AuthorityInfoAccessSyntax(vec![AccessDescription {
        access_method: OID_OCSP,
        access_location: uri(&format!("ocsp/{which}"))?,
    }]);
    Ok(vec![
        extension(
            IssuerAltName::OID,
            false,
            &IssuerAltName(vec![GeneralName::DirectoryName(name(&[
                (AT_COUNTRY, "JP"),
                (AT_ORGANISATION, SERVICE_JA),
            ])?)]),
        )?,
        extension(CertificatePolicies::OID, true, &policies)?,
        crl_distribution_points(crl_entry, Some(&format!("crl/{which}/0001.crl")))?,
        extension(AuthorityInfoAccessSyntax::OID, false, &ocsp)?,
    ])
}

/// The self-signed CA certificate that issues `kind`'s user certificates (EF 000B or 0002).
pub fn ca_certificate(kind: KeyKind, ca_key: &impl IssuerKey) -> Result<Vec<u8>, IssueError> {
    let pair = super::key_pair(kind);
    let subject = ca_name(pair)?;
    let spki = ca_key.spki()?;
    let extensions = vec![
        extension(
            KeyUsage::OID,
            true,
            &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
        )?,
        extension(
            SubjectAltName::OID,
            false,
            &SubjectAltName(vec![GeneralName::DirectoryName(ca_name_ja(pair)?)]),
        )?,
        extension(
            BasicConstraints::OID,
            true,
            &BasicConstraints {
                ca: true,
                path_len_constraint: None,
            },
        )?,
        crl_distribution_points(ca_name(pair)?, None)?,
        extension(
            SubjectKeyIdentifier::OID,
            false,
            &SubjectKeyIdentifier(key_identifier(&spki)?),
        )?,
    ];
    let serial = match pair {
        Pair::Auth => [0x7A, 0x00, 0x01],
        Pair::Sign => [0x7A, 0x00, 0x02],
    };
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&ca_key.serial(&serial))?,
        signature: ca_key.signature_algorithm(),
        issuer: subject.clone(),
        validity: validity((2023, 1, 1), (2043, 1, 1))?,
        subject,
        subject_public_key_info: spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(extensions),
    };
    sign(tbs, ca_key)
}

/// The user-authentication certificate (EF 000A): an opaque CN, no personal data.
pub fn auth_certificate(
    user_key: &impl SubjectKey,
    ca_key: &impl IssuerKey,
) -> Result<Vec<u8>, IssueError> {
    let subject = name(&[
        (AT_COUNTRY, "JP"),
        (AT_COMMON_NAME, "VIRTUAL0AUTH0000000000000001"),
    ])?;
    user_certificate(
        Pair::Auth,
        subject,
        &[0x01, 0x00, 0x01],
        KeyUsage(KeyUsages::DigitalSignature.into()),
        Vec::new(),
        user_key,
        ca_key,
    )
}

/// The signature certificate (EF 0001) for `holder`, with the JPKI subjectAltName otherNames
/// in the order a real certificate lists them: name, birth date, sex, address, name flags,
/// address flags (the order of the one real certificate a blog dumps). Each value is a
/// UTF8String (a public verifier says so of the name, "ASN.1 UTF8String", and only of the name:
/// the others are assumed to be the same).
///
/// The serial is derived from the subjectAltName, so certificates for different holders differ.
pub fn sign_certificate(
    holder: &Holder,
    user_key: &impl SubjectKey,
    ca_key: &impl IssuerKey,
) -> Result<Vec<u8>, IssueError> {
    let birth_date = holder.birth_date_jpki();
    let sex = holder.certificate_sex_code();
    let name_flags = holder.name_substitute_flags();
    let address_flags = holder.address_substitute_flags();
    let entries = [
        (OID_NAME, holder.name.as_str()),
        (OID_BIRTH_DATE, birth_date.as_str()),
        (OID_SEX, sex),
        (OID_ADDRESS, holder.address.as_str()),
        (OID_NAME_SUBSTITUTE, name_flags.as_str()),
        (OID_ADDRESS_SUBSTITUTE, address_flags.as_str()),
    ];
    let mut names = Vec::with_capacity(entries.len());
    for (type_id, value) in entries {
        names.push(GeneralName::OtherName(OtherName {
            type_id,
            value: Any::encode_from(&Utf8StringRef::new(value)?)?,
        }));
    }
    let san = SubjectAltName(names);
    let san_der = san.to_der()?;
    // Serial: 0x02 followed by the first 8 bytes of SHA-256 over the SAN (positive, non-zero).
    let digest = Sha256::digest(&san_der);
    let mut serial = vec![0x02];
    serial.extend_from_slice(digest.get(..8).unwrap_or_default());
    let subject = name(&[
        (AT_COUNTRY, "JP"),
        (AT_COMMON_NAME, "VIRTUAL0SIGN0000000000000001"),
    ])?;
    let san_extension = Extension {
        extn_id: SubjectAltName::OID,
        critical: false,
        extn_value: OctetString::new(san_der)?,
    };
    user_certificate(
        Pair::Sign,
        subject,
        &serial,
        KeyUsage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation),
        vec![san_extension],
        user_key,
        ca_key,
    )
}

fn user_certificate(
    pair: Pair,
    subject: Name,
    serial: &[u8],
    key_usage: KeyUsage,
    more: Vec<Extension>,
    user_key: &impl SubjectKey,
    ca_key: &impl IssuerKey,
) -> Result<Vec<u8>, IssueError> {
    let spki = user_key.spki()?;
    let ca_spki = ca_key.spki()?;
    let mut extensions = vec![
        extension(KeyUsage::OID, true, &key_usage)?,
        extension(
            AuthorityKeyIdentifier::OID,
            false,
            &AuthorityKeyIdentifier {
                key_identifier: Some(key_identifier(&ca_spki)?),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
        )?,
        extension(
            SubjectKeyIdentifier::OID,
            false,
            &SubjectKeyIdentifier(key_identifier(&spki)?),
        )?,
    ];
    extensions.extend(more);
    extensions.extend(user_extensions(pair)?);
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&ca_key.serial(serial))?,
        signature: ca_key.signature_algorithm(),
        issuer: ca_name(pair)?,
        validity: validity((2025, 1, 1), (2030, 1, 1))?,
        subject,
        subject_public_key_info: spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(extensions),
    };
    sign(tbs, ca_key)
}

fn sign(tbs: TbsCertificate, ca_key: &impl IssuerKey) -> Result<Vec<u8>, IssueError> {
    let signature = ca_key.sign(&tbs.to_der()?)?;
    let certificate = Certificate {
        tbs_certificate: tbs,
        signature_algorithm: ca_key.signature_algorithm(),
        signature: BitString::from_bytes(&signature)?,
    };
    Ok(certificate.to_der()?)
}

fn sha256_with_rsa() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: SHA256_WITH_RSA,
        parameters: Some(Any::null()),
    }
}

fn spki(key: &RsaPublicKey) -> Result<SubjectPublicKeyInfoOwned, IssueError> {
    use der::Decode;
    let der = key.to_public_key_der()?;
    Ok(SubjectPublicKeyInfoOwned::from_der(der.as_bytes())?)
}

/// Key identifier: the leftmost 160 bits of SHA-256 over the subjectPublicKey bits
/// (RFC 7093 §2 method 1; real J-LIS certificates use SHA-1, which this crate does not carry).
fn key_identifier(spki: &SubjectPublicKeyInfoOwned) -> Result<OctetString, IssueError> {
    let digest = Sha256::digest(spki.subject_public_key.raw_bytes());
    Ok(OctetString::new(digest.get(..20).unwrap_or_default())?)
}

fn extension(
    extn_id: ObjectIdentifier,
    critical: bool,
    value: &impl Encode,
) -> Result<Extension, IssueError> {
    Ok(Extension {
        extn_id,
        critical,
        extn_value: OctetString::new(value.to_der()?)?,
    })
}

/// A DN with one attribute per RDN; `C` as PrintableString, the rest as UTF8String.
fn name(attributes: &[(ObjectIdentifier, &str)]) -> Result<Name, IssueError> {
    let mut rdns = Vec::with_capacity(attributes.len());
    for &(oid, value) in attributes {
        let value = if oid == AT_COUNTRY {
            Any::encode_from(&PrintableStringRef::new(value)?)?
        } else {
            Any::encode_from(&Utf8StringRef::new(value)?)?
        };
        let set = SetOfVec::try_from(vec![AttributeTypeAndValue { oid, value }])?;
        rdns.push(RelativeDistinguishedName(set));
    }
    Ok(RdnSequence(rdns))
}

fn validity(from: (u16, u8, u8), to: (u16, u8, u8)) -> Result<Validity, IssueError> {
    let time = |(y, m, d): (u16, u8, u8)| -> Result<Time, IssueError> {
        Ok(Time::UtcTime(UtcTime::from_date_time(DateTime::new(
            y, m, d, 0, 0, 0,
        )?)?))
    };
    Ok(Validity {
        not_before: time(from)?,
        not_after: time(to)?,
    })
}
