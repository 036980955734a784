//! A small test PKI built in the tests: a root and user certificates shaped like JPKI's,
//! signed with keys generated once per test binary from a fixed seed.
#![allow(dead_code)]

use std::sync::OnceLock;

use der::asn1::{Any, BitString, ObjectIdentifier, OctetString, PrintableStringRef, SetOfVec};
use der::asn1::{UtcTime, Utf8StringRef};
use der::oid::AssociatedOid;
use der::{DateTime, Encode};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rsa::pkcs8::EncodePublicKey;
use rsa::signature::{SignatureEncoding, Signer};
use sha2::{Digest, Sha256};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::certificate::{TbsCertificate, Version};
use x509_cert::ext::pkix::name::{GeneralName, OtherName};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectAltName,
    SubjectKeyIdentifier,
};
use x509_cert::ext::Extension;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};
use x509_cert::Certificate;

pub const OU_AUTH: &str = "JPKI for user authentication";
pub const OU_SIGN: &str = "JPKI for digital signature";
pub const AGENCY: &str = "Japan Agency for Local Authority Information Systems";

/// An issuing key.
pub enum Key {
    Rsa(rsa::RsaPrivateKey),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
}

fn rsa_key(seed: u64) -> rsa::RsaPrivateKey {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    rsa::RsaPrivateKey::new(&mut rng, 2048).expect("RSA key generation")
}

/// The test root's key (RSA-2048), generated once.
pub fn root_key() -> &'static Key {
    static KEY: OnceLock<Key> = OnceLock::new();
    KEY.get_or_init(|| Key::Rsa(rsa_key(1)))
}

/// Another RSA-2048 key: an impostor root with the same name.
pub fn other_key() -> &'static Key {
    static KEY: OnceLock<Key> = OnceLock::new();
    KEY.get_or_init(|| Key::Rsa(rsa_key(2)))
}

pub fn p256_key() -> Key {
    Key::P256(p256::ecdsa::SigningKey::from_slice(&[0x11; 32]).unwrap())
}

pub fn p384_key() -> Key {
    Key::P384(p384::ecdsa::SigningKey::from_slice(&[0x22; 48]).unwrap())
}

impl Key {
    pub fn spki(&self) -> SubjectPublicKeyInfoOwned {
        // EC keys as RFC 5480 writes them: id-ecPublicKey, the curve's OID, the uncompressed
        // point (by hand: the library builds p256 and p384 without their `pkcs8` feature).
        let ec = |curve: &str, point: &[u8]| SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: ObjectIdentifier::new_unwrap("1.2.840.10045.2.1"),
                parameters: Some(Any::from(ObjectIdentifier::new_unwrap(curve))),
            },
            subject_public_key: BitString::from_bytes(point).unwrap(),
        };
        match self {
            Key::Rsa(k) => {
                der::Decode::from_der(&k.to_public_key().to_public_key_der().unwrap().into_vec())
                    .unwrap()
            }
            Key::P256(k) => ec(
                "1.2.840.10045.3.1.7",
                k.verifying_key().to_encoded_point(false).as_bytes(),
            ),
            Key::P384(k) => ec(
                "1.3.132.0.34",
                k.verifying_key().to_encoded_point(false).as_bytes(),
            ),
        }
    }

    fn algorithm(&self) -> AlgorithmIdentifierOwned {
        let (oid, parameters) = match self {
            Key::Rsa(_) => ("1.2.840.113549.1.1.11", Some(Any::null())),
            Key::P256(_) => ("1.2.840.10045.4.3.2", None),
            Key::P384(_) => ("1.2.840.10045.4.3.3", None),
        };
        AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap(oid),
            parameters,
        }
    }

    fn sign(&self, message: &[u8]) -> Vec<u8> {
        match self {
            Key::Rsa(k) => rsa::pkcs1v15::SigningKey::<Sha256>::new(k.clone())
                .sign(message)
                .to_vec(),
            Key::P256(k) => {
                let s: p256::ecdsa::DerSignature = k.sign(message);
                s.to_vec()
            }
            Key::P384(k) => {
                let s: p384::ecdsa::DerSignature = k.sign(message);
                s.to_vec()
            }
        }
    }

    /// RFC 7093 method 1 key identifier over the public key bits.
    pub fn key_id(&self) -> Vec<u8> {
        let digest = Sha256::digest(self.spki().subject_public_key.raw_bytes());
        digest[..20].to_vec()
    }
}

/// A DN with one attribute per RDN, C as PrintableString and the rest as UTF8String.
pub fn name(attributes: &[(&str, &str)]) -> Name {
    let rdns = attributes
        .iter()
        .map(|&(oid, value)| {
            let oid = ObjectIdentifier::new_unwrap(oid);
            let value = if oid.to_string() == "2.5.4.6" {
                Any::encode_from(&PrintableStringRef::new(value).unwrap()).unwrap()
            } else {
                Any::encode_from(&Utf8StringRef::new(value).unwrap()).unwrap()
            };
            RelativeDistinguishedName(
                SetOfVec::try_from(vec![AttributeTypeAndValue { oid, value }]).unwrap(),
            )
        })
        .collect();
    RdnSequence(rdns)
}

/// A JPKI-shaped CA name: `C=JP, O=<organisation>, OU=<unit>, OU=<agency>`.
pub fn ca_name(organisation: &str, unit: &str) -> Name {
    name(&[
        ("2.5.4.6", "JP"),
        ("2.5.4.10", organisation),
        ("2.5.4.11", unit),
        ("2.5.4.11", AGENCY),
    ])
}

pub fn time(year: u16, month: u8, day: u8) -> Time {
    Time::UtcTime(
        UtcTime::from_date_time(DateTime::new(year, month, day, 0, 0, 0).unwrap()).unwrap(),
    )
}

pub fn system_time(year: u16, month: u8, day: u8) -> std::time::SystemTime {
    time(year, month, day).to_system_time()
}

pub fn extension(oid: ObjectIdentifier, critical: bool, value: &impl Encode) -> Extension {
    Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value.to_der().unwrap()).unwrap(),
    }
}

/// A subjectAltName of otherNames `(oid, value)`.
pub fn san(entries: Vec<(&str, Any)>) -> Extension {
    let names = entries
        .into_iter()
        .map(|(oid, value)| {
            GeneralName::OtherName(OtherName {
                type_id: ObjectIdentifier::new_unwrap(oid),
                value,
            })
        })
        .collect();
    extension(SubjectAltName::OID, false, &SubjectAltName(names))
}

pub fn utf8(value: &str) -> Any {
    Any::encode_from(&Utf8StringRef::new(value).unwrap()).unwrap()
}

/// What to put in a certificate.
pub struct Profile {
    pub issuer: Name,
    pub subject: Name,
    pub serial: Vec<u8>,
    pub not_before: Time,
    pub not_after: Time,
    pub key_usage: Option<KeyUsage>,
    pub ca: bool,
    pub authority_key_id: Option<Vec<u8>>,
    pub extensions: Vec<Extension>,
    pub subject_key: SubjectPublicKeyInfoOwned,
}

impl Profile {
    /// A user-authentication certificate from the test root (`O=JPKI-UNITTEST`).
    pub fn auth_user() -> Self {
        Profile {
            issuer: ca_name("JPKI-UNITTEST", OU_AUTH),
            subject: name(&[("2.5.4.6", "JP"), ("2.5.4.3", "UNITTEST0AUTH0001")]),
            serial: vec![0x01, 0x23],
            not_before: time(2025, 1, 1),
            not_after: time(2030, 1, 1),
            key_usage: Some(KeyUsage(KeyUsages::DigitalSignature.into())),
            ca: false,
            authority_key_id: Some(root_key().key_id()),
            extensions: Vec::new(),
            subject_key: p256_key().spki(),
        }
    }

    /// A signature certificate from the test signature root.
    pub fn sign_user() -> Self {
        Profile {
            issuer: ca_name("JPKI-UNITTEST", OU_SIGN),
            key_usage: Some(KeyUsage(
                KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
            )),
            ..Self::auth_user()
        }
    }

    /// A self-signed root for `unit`, valid 2020–2040.
    pub fn root(unit: &str, key: &Key) -> Self {
        let name = ca_name("JPKI-UNITTEST", unit);
        Profile {
            issuer: name.clone(),
            subject: name,
            serial: vec![0x7F],
            not_before: time(2020, 1, 1),
            not_after: time(2040, 1, 1),
            key_usage: Some(KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)),
            ca: true,
            authority_key_id: None,
            extensions: Vec::new(),
            subject_key: key.spki(),
        }
    }

    /// Signs the certificate with `key` and returns its DER.
    pub fn issue(self, key: &Key) -> Vec<u8> {
        let mut extensions = Vec::new();
        if let Some(ku) = &self.key_usage {
            extensions.push(extension(KeyUsage::OID, true, ku));
        }
        if self.ca {
            let bc = BasicConstraints {
                ca: true,
                path_len_constraint: None,
            };
            extensions.push(extension(BasicConstraints::OID, true, &bc));
            let ski = SubjectKeyIdentifier(OctetString::new(key.key_id()).unwrap());
            extensions.push(extension(SubjectKeyIdentifier::OID, false, &ski));
        }
        if let Some(id) = self.authority_key_id {
            let aki = AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(id).unwrap()),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            };
            extensions.push(extension(AuthorityKeyIdentifier::OID, false, &aki));
        }
        extensions.extend(self.extensions);
        let tbs = TbsCertificate {
            version: Version::V3,
            serial_number: SerialNumber::new(&self.serial).unwrap(),
            signature: key.algorithm(),
            issuer: self.issuer,
            validity: Validity {
                not_before: self.not_before,
                not_after: self.not_after,
            },
            subject: self.subject,
            subject_public_key_info: self.subject_key,
            issuer_unique_id: None,
            subject_unique_id: None,
            extensions: Some(extensions),
        };
        let signature = key.sign(&tbs.to_der().unwrap());
        Certificate {
            tbs_certificate: tbs,
            signature_algorithm: key.algorithm(),
            signature: BitString::from_bytes(&signature).unwrap(),
        }
        .to_der()
        .unwrap()
    }
}

/// The test root for `unit`, signed by [`root_key`].
pub fn root(unit: &str) -> Vec<u8> {
    Profile::root(unit, root_key()).issue(root_key())
}
