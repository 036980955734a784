//! The algorithm of a JPKI key, as data: what the library sends the card to sign and what it
//! expects back follow from it, and it comes from the key's certificate
//! ([`certificate::PublicKey`](crate::certificate::PublicKey)), never from an assumption.
//!
//! - **RSA** (every card so far: 2048-bit keys): the host hashes, builds the DER DigestInfo
//!   (RFC 8017 §9.2), the card pads (PKCS#1 v1.5 type 1) and signs; the signature is as long as
//!   the modulus (256 bytes for RSA-2048). SHA-256 by default.
//! - **ECDSA on P-384 with SHA-384** (the next-generation card, as one public task-force
//!   summary describes it): the card signs the bare hash, no DigestInfo. Cards and ISO 7816-8 commonly
//!   answer the plain `r‖s` form (96 bytes for P-384); X.509, CMS and most verifiers want the
//!   DER `ECDSA-Sig-Value` (RFC 5480 / RFC 3279), so the library accepts either answer and
//!   hands back DER ([`ecdsa_raw_to_der`] and [`ecdsa_der_to_raw`] convert).
//!
//! Nothing else of the next-generation card is assumed here: no AID, file, command form or
//! PIN of it is public, and none is guessed.

use der::asn1::ObjectIdentifier;
use x509_cert::spki::AlgorithmIdentifierOwned;

use crate::certificate::PublicKey;
use crate::digest_info::HashAlgorithm;
use crate::error::{Error, Result};

/// sha256WithRSAEncryption (RFC 8017 A.2.4).
pub(crate) const SHA256_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// sha384WithRSAEncryption (RFC 8017 A.2.4).
pub(crate) const SHA384_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
/// sha512WithRSAEncryption (RFC 8017 A.2.4).
pub(crate) const SHA512_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
/// ecdsa-with-SHA256 (RFC 5758 §3.2).
pub(crate) const ECDSA_WITH_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
/// ecdsa-with-SHA384 (RFC 5758 §3.2).
pub(crate) const ECDSA_WITH_SHA384: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
/// ecdsa-with-SHA512 (RFC 5758 §3.2).
pub(crate) const ECDSA_WITH_SHA512: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");

/// The smallest and largest RSA modulus the library signs with: JPKI keys are 2048 bits; the
/// bounds only keep a hostile certificate's key size from sizing anything.
const RSA_BITS: std::ops::RangeInclusive<usize> = 1024..=4096;

/// The length of one P-384 scalar (`r` or `s`).
const P384_SCALAR_LEN: usize = 48;

/// The algorithm of a JPKI key.
///
/// ```
/// use mynumbercard::certificate::{JpkiCertificate, PublicKey};
/// use mynumbercard::{HashAlgorithm, KeyAlgorithm};
///
/// let rsa = KeyAlgorithm::of_key(&PublicKey::Rsa { bits: 2048 })?;
/// assert_eq!(rsa, KeyAlgorithm::Rsa { bits: 2048 });
/// assert_eq!((rsa.hash(), rsa.card_signature_len()), (HashAlgorithm::Sha256, 256));
/// let next = KeyAlgorithm::of_key(&PublicKey::EcP384)?;
/// assert_eq!((next.hash(), next.card_signature_len()), (HashAlgorithm::Sha384, 96));
/// assert!(KeyAlgorithm::of_key(&PublicKey::EcP256).is_err());
/// # Ok::<(), mynumbercard::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// RSA, PKCS#1 v1.5 signatures, with a modulus of `bits` bits (2048 on every JPKI card so
    /// far).
    Rsa {
        /// Modulus size in bits.
        bits: usize,
    },
    /// ECDSA on NIST P-384 (the next-generation card, per one public task-force summary).
    EcdsaP384,
}

impl KeyAlgorithm {
    /// The algorithm of a certificate's key; [`Error::UnsupportedKey`] for a key the library
    /// does not sign with (P-256, other curves and algorithms, RSA outside 1024–4096 bits).
    pub fn of_key(key: &PublicKey) -> Result<Self> {
        match key {
            PublicKey::Rsa { bits } if RSA_BITS.contains(bits) => {
                Ok(KeyAlgorithm::Rsa { bits: *bits })
            }
            PublicKey::EcP384 => Ok(KeyAlgorithm::EcdsaP384),
            other => Err(Error::UnsupportedKey {
                key: describe(other),
            }),
        }
    }

    /// The hash the library uses with this key: SHA-256 for RSA (what JPKI applications use),
    /// SHA-384 for P-384 (the pairing the task-force summary gives).
    pub const fn hash(self) -> HashAlgorithm {
        match self {
            KeyAlgorithm::Rsa { .. } => HashAlgorithm::Sha256,
            KeyAlgorithm::EcdsaP384 => HashAlgorithm::Sha384,
        }
    }

    /// The length of the card's plain answer: the modulus length for RSA, `r‖s` (96 bytes)
    /// for P-384.
    pub const fn card_signature_len(self) -> usize {
        match self {
            KeyAlgorithm::Rsa { bits } => bits.div_ceil(8),
            KeyAlgorithm::EcdsaP384 => 2 * P384_SCALAR_LEN,
        }
    }

    /// Whether this is an ECDSA key.
    pub const fn is_ecdsa(self) -> bool {
        matches!(self, KeyAlgorithm::EcdsaP384)
    }

    /// The X.509 / CMS signature algorithm of this key with `hash`: sha*WithRSAEncryption
    /// (parameters NULL, RFC 4055 §5) or ecdsa-with-SHA* (no parameters, RFC 5758 §3.2).
    /// SHA-1 and SHA-224 have none here ([`Error::UnsupportedKey`] is not the answer: `None`).
    pub fn signature_algorithm(self, hash: HashAlgorithm) -> Option<AlgorithmIdentifierOwned> {
        let oid = match (self, hash) {
            (KeyAlgorithm::Rsa { .. }, HashAlgorithm::Sha256) => SHA256_WITH_RSA,
            (KeyAlgorithm::Rsa { .. }, HashAlgorithm::Sha384) => SHA384_WITH_RSA,
            (KeyAlgorithm::Rsa { .. }, HashAlgorithm::Sha512) => SHA512_WITH_RSA,
            (KeyAlgorithm::EcdsaP384, HashAlgorithm::Sha256) => ECDSA_WITH_SHA256,
            (KeyAlgorithm::EcdsaP384, HashAlgorithm::Sha384) => ECDSA_WITH_SHA384,
            (KeyAlgorithm::EcdsaP384, HashAlgorithm::Sha512) => ECDSA_WITH_SHA512,
            _ => return None,
        };
        let parameters = match self {
            KeyAlgorithm::Rsa { .. } => Some(der::asn1::Any::null()),
            KeyAlgorithm::EcdsaP384 => None,
        };
        Some(AlgorithmIdentifierOwned { oid, parameters })
    }

    /// What the card signs for `digest`, a hash made with `hash`: the DigestInfo for RSA, the
    /// bare hash for ECDSA. [`Error::InvalidDigestLength`] when the digest is not `hash`'s.
    pub(crate) fn card_input(self, hash: HashAlgorithm, digest: &[u8]) -> Result<Vec<u8>> {
        if digest.len() != hash.output_len() {
            return Err(Error::InvalidDigestLength {
                expected: hash.output_len(),
                len: digest.len(),
            });
        }
        Ok(match self {
            KeyAlgorithm::Rsa { .. } => {
                hash.digest_info(digest).ok_or(Error::InvalidDigestLength {
                    expected: hash.output_len(),
                    len: digest.len(),
                })?
            }
            KeyAlgorithm::EcdsaP384 => digest.to_vec(),
        })
    }

    /// The card's answer in the form the API returns: an RSA signature of exactly the
    /// modulus length; an ECDSA signature as DER, from `r‖s` or from DER (checked and
    /// re-encoded). [`Error::MalformedResponse`] otherwise.
    pub(crate) fn signature_from_card(self, answer: Vec<u8>) -> Result<Vec<u8>> {
        match self {
            KeyAlgorithm::Rsa { .. } if answer.len() == self.card_signature_len() => Ok(answer),
            KeyAlgorithm::Rsa { .. } => Err(Error::MalformedResponse(
                "RSA signature is not as long as the key's modulus",
            )),
            KeyAlgorithm::EcdsaP384 if answer.len() == self.card_signature_len() => {
                ecdsa_raw_to_der(&answer)
            }
            KeyAlgorithm::EcdsaP384 => {
                // Round trip: a DER answer is accepted only in its one valid encoding.
                ecdsa_raw_to_der(&ecdsa_der_to_raw(&answer)?)
            }
        }
    }
}

/// A key the library does not sign with, in words.
fn describe(key: &PublicKey) -> String {
    match key {
        PublicKey::Rsa { bits } => format!("RSA-{bits}"),
        PublicKey::EcP256 => "ECDSA P-256".to_owned(),
        PublicKey::EcP384 => "ECDSA P-384".to_owned(),
        PublicKey::Ec { curve } => format!("EC curve {curve}"),
        PublicKey::Other { algorithm } => format!("algorithm {algorithm}"),
    }
}

impl std::fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyAlgorithm::Rsa { bits } => write!(f, "RSA-{bits}"),
            KeyAlgorithm::EcdsaP384 => f.write_str("ECDSA P-384"),
        }
    }
}

/// A P-384 ECDSA signature in the plain form `r‖s` (96 bytes, as cards answer) as the DER
/// `ECDSA-Sig-Value` X.509 and CMS carry. [`Error::MalformedResponse`] unless both halves are
/// scalars in 1..n.
///
/// ```
/// use mynumbercard::algorithm::{ecdsa_der_to_raw, ecdsa_raw_to_der};
/// let mut raw = [0u8; 96];
/// raw[47] = 1; // r = 1
/// raw[95] = 2; // s = 2
/// let der = ecdsa_raw_to_der(&raw)?;
/// assert_eq!(der, [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]);
/// assert_eq!(ecdsa_der_to_raw(&der)?, raw);
/// # Ok::<(), mynumbercard::Error>(())
/// ```
pub fn ecdsa_raw_to_der(raw: &[u8]) -> Result<Vec<u8>> {
    let signature = p384::ecdsa::Signature::from_slice(raw)
        .map_err(|_| Error::MalformedResponse("ECDSA signature is not a valid P-384 r‖s"))?;
    Ok(signature.to_der().as_bytes().to_vec())
}

/// A DER `ECDSA-Sig-Value` on P-384 as the plain `r‖s` (96 bytes).
/// [`Error::MalformedResponse`] unless it is DER with both integers scalars in 1..n.
pub fn ecdsa_der_to_raw(der: &[u8]) -> Result<Vec<u8>> {
    let signature = p384::ecdsa::Signature::from_der(der)
        .map_err(|_| Error::MalformedResponse("ECDSA signature is not a valid P-384 DER"))?;
    Ok(signature.to_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rsa_takes_a_digest_info_and_ecdsa_the_bare_hash() {
        let digest = HashAlgorithm::Sha384.hash(b"abc");
        let rsa = KeyAlgorithm::Rsa { bits: 2048 };
        let input = rsa.card_input(HashAlgorithm::Sha384, &digest).unwrap();
        assert_eq!(input.len(), 19 + 48);
        assert!(input.ends_with(&digest));
        let ecdsa = KeyAlgorithm::EcdsaP384;
        assert_eq!(
            ecdsa.card_input(HashAlgorithm::Sha384, &digest).unwrap(),
            digest
        );
        assert!(matches!(
            ecdsa.card_input(HashAlgorithm::Sha256, &digest),
            Err(Error::InvalidDigestLength {
                expected: 32,
                len: 48
            })
        ));
    }

    #[test]
    fn the_card_answer_is_checked_for_its_algorithm() {
        let rsa = KeyAlgorithm::Rsa { bits: 2048 };
        assert_eq!(rsa.signature_from_card(vec![7; 256]).unwrap(), vec![7; 256]);
        for len in [0, 255, 257, 512] {
            assert!(matches!(
                rsa.signature_from_card(vec![7; len]),
                Err(Error::MalformedResponse(_))
            ));
        }
        let ecdsa = KeyAlgorithm::EcdsaP384;
        let mut raw = vec![0x11; 96];
        raw[0] = 0x7F; // r below the order
        raw[48] = 0x7F;
        let der = ecdsa.signature_from_card(raw.clone()).unwrap();
        assert_eq!(der.first(), Some(&0x30));
        assert_eq!(ecdsa_der_to_raw(&der).unwrap(), raw);
        // A DER answer passes through; zero scalars, junk and trailing bytes do not.
        assert_eq!(ecdsa.signature_from_card(der.clone()).unwrap(), der);
        assert!(ecdsa.signature_from_card(vec![0; 96]).is_err());
        assert!(ecdsa.signature_from_card(vec![0x30; 40]).is_err());
        let mut trailing = der.clone();
        trailing.push(0);
        assert!(ecdsa.signature_from_card(trailing).is_err());
    }

    #[test]
    fn signature_algorithms_carry_the_parameters_their_rfcs_want() {
        let rsa = KeyAlgorithm::Rsa { bits: 2048 }
            .signature_algorithm(HashAlgorithm::Sha256)
            .unwrap();
        assert_eq!(rsa.oid, SHA256_WITH_RSA);
        assert_eq!(rsa.parameters, Some(der::asn1::Any::null()));
        let ecdsa = KeyAlgorithm::EcdsaP384
            .signature_algorithm(HashAlgorithm::Sha384)
            .unwrap();
        assert_eq!((ecdsa.oid, ecdsa.parameters), (ECDSA_WITH_SHA384, None));
        assert!(KeyAlgorithm::EcdsaP384
            .signature_algorithm(HashAlgorithm::Sha1)
            .is_none());
        assert_eq!(KeyAlgorithm::EcdsaP384.to_string(), "ECDSA P-384");
        assert_eq!(KeyAlgorithm::Rsa { bits: 2048 }.to_string(), "RSA-2048");
    }

    #[test]
    fn only_keys_the_library_signs_with_have_an_algorithm() {
        for (key, text) in [
            (PublicKey::EcP256, "ECDSA P-256"),
            (PublicKey::Rsa { bits: 512 }, "RSA-512"),
            (PublicKey::Rsa { bits: 8192 }, "RSA-8192"),
        ] {
            assert!(matches!(
                KeyAlgorithm::of_key(&key),
                Err(Error::UnsupportedKey { key }) if key == text
            ));
        }
    }
}
