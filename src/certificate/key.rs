//! The kind and size of a certificate's public key: RSA (today's cards), ECDSA P-256 and
//! P-384 (phone credentials and the next-generation card).

use der::asn1::ObjectIdentifier;
use der::Decode;
use x509_cert::spki::SubjectPublicKeyInfoOwned;

/// rsaEncryption (RFC 8017 A.1).
pub(crate) const RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// id-ecPublicKey (RFC 5480 §2.1.1).
pub(crate) const EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// secp256r1 / prime256v1 (RFC 5480 §2.1.1.1).
pub(crate) const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// secp384r1 (RFC 5480 §2.1.1.1).
pub(crate) const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// A certificate's public key, as far as the library recognises it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PublicKey {
    /// RSA with a modulus of `bits` bits (2048 on every JPKI card so far).
    Rsa {
        /// Modulus size in bits.
        bits: usize,
    },
    /// ECDSA on NIST P-256.
    EcP256,
    /// ECDSA on NIST P-384 (the next-generation card, per public task-force summaries).
    EcP384,
    /// An elliptic-curve key on another named curve.
    Ec {
        /// The curve's OID.
        curve: ObjectIdentifier,
    },
    /// Another algorithm.
    Other {
        /// The algorithm's OID.
        algorithm: ObjectIdentifier,
    },
}

/// Why a public key could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BadKey(pub(crate) &'static str);

impl PublicKey {
    /// Reads a SubjectPublicKeyInfo. RSA keys must be a valid PKCS#1 `RSAPublicKey`, EC keys
    /// must name their curve; other algorithms are reported, not parsed.
    pub(crate) fn from_spki(spki: &SubjectPublicKeyInfoOwned) -> Result<Self, BadKey> {
        let algorithm = spki.algorithm.oid;
        if algorithm == RSA_ENCRYPTION {
            let bytes = spki
                .subject_public_key
                .as_bytes()
                .ok_or(BadKey("RSA key bit string has unused bits"))?;
            let key = rsa::pkcs1::RsaPublicKey::from_der(bytes)
                .map_err(|_| BadKey("RSA key is not a PKCS#1 RSAPublicKey"))?;
            let modulus = key.modulus.as_bytes();
            let bits = match modulus.iter().position(|&b| b != 0) {
                Some(first) => {
                    let top = modulus.get(first).copied().unwrap_or_default();
                    (modulus.len() - first - 1) * 8 + (8 - top.leading_zeros() as usize)
                }
                None => return Err(BadKey("RSA modulus is zero")),
            };
            Ok(PublicKey::Rsa { bits })
        } else if algorithm == EC_PUBLIC_KEY {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
                .ok_or(BadKey("EC key does not name its curve"))?;
            Ok(match curve {
                SECP256R1 => PublicKey::EcP256,
                SECP384R1 => PublicKey::EcP384,
                curve => PublicKey::Ec { curve },
            })
        } else {
            Ok(PublicKey::Other { algorithm })
        }
    }
}
