//! Card-verifiable certificates and the signatures of the card's own records: what makes the
//! card-info and card-face data authentic rather than only consistent, and the card itself
//! genuine rather than a copy.
//!
//! The card-info (券面事項入力補助AP) and card-face (券面事項確認AP) applications each keep a
//! card-verifiable certificate in EF 0004 (tag `7F21`), and the master file holds a chain of
//! them as the GET DATA objects `00F8` and `7F21`. Such a certificate certifies an RSA key under
//! a 16-byte key id (被証明者鍵ID) and names the CA key that signed it (証明者鍵ID), which is not
//! on the card: the verifier holds the CA keys ([`CvTrust`]; J-LIS's are compiled in). The key
//! an application's certificate certifies signs that application's records; each card-face
//! record also carries the card's own key, which answers a challenge without any credential.
//! The layouts and what each signature covers are as myna-card describes them, checked against
//! the records of a real JPKI test card.
//!
//! So a card is shown genuine in three links: certificate → CA key (this module's
//! [`CvTrust::certify`]), record → certified key (the records' `verify` methods in
//! [`card_face`](crate::card_face) and [`card_info`](crate::card_info)), challenge → the card key
//! inside a record whose signature verified ([`Card::check_genuine`](crate::Card::check_genuine)).
//! A record checked against a key from the same card alone proves nothing; an unknown CA key
//! means the certificate *cannot be verified* here, never that it is forged.
//!
//! **A self-check, not a verification service.** As for the JPKI chain
//! ([`trust`](crate::trust)): relying on the card's authenticity as a business is regulated
//! (the Act on Certification Services of J-LIS, 公的個人認証法, for JPKI verifiers), and J-LIS's
//! own services are what such a business relies on. What this module answers is narrower: do
//! the card's certificates and records verify with the CA keys this library carries (or the
//! caller adds), and does the card hold the key its records name. Revocation is not checked:
//! there is no public revocation service for these keys.

mod certificate;
mod keys;
mod signature;
mod trust;
mod verdict;

use std::fmt;

use rsa::RsaPublicKey;

pub use certificate::CvCertificate;
pub use signature::{card_face_digest_info, challenge_digest_info};
pub(crate) use signature::{parse_rsa_key, verify_challenge, verify_digest_info, verify_sha256};
pub use trust::{CertifiedKey, CvTrust};
pub use verdict::{NotProven, SignedRecord};

/// A 16-byte key id (証明者鍵ID or 被証明者鍵ID): seven ASCII digits, `08 05`, a three-digit
/// group, four more bytes (`"5000023" 08 05 "001" 00 00 00 00`), as myna-card reads them. The
/// first digit tells the hierarchy: `5` production, `6` J-LIS test cards. All 16 bytes count:
/// the master-file CA keys end in `A8`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId([u8; 16]);

impl KeyId {
    /// A key id from its bytes.
    pub const fn new(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The 16 bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The seven-digit number that names the key (`"5000023"`), if the id has that shape.
    pub fn number(&self) -> Option<&str> {
        let digits = self.0.get(..7)?;
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| std::str::from_utf8(digits).ok())
            .flatten()
    }

    /// The three-digit group after the number (`"001"`), if the id has that shape.
    pub fn group(&self) -> Option<&str> {
        let digits = self.0.get(9..12)?;
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| std::str::from_utf8(digits).ok())
            .flatten()
    }
}

impl fmt::Display for KeyId {
    /// `5000023/001` when the id has the usual shape, its hex otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.number(), self.group()) {
            (Some(number), Some(group)) => write!(f, "{number}/{group}"),
            _ => f.write_str(&hex::encode_upper(self.0)),
        }
    }
}

impl fmt::Debug for KeyId {
    /// The readable form and all 16 bytes in hex (two ids may differ only in the last ones).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self} = {})", hex::encode_upper(self.0))
    }
}

/// What a CA key signs certificates for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CvRole {
    /// The master file's chain (GET DATA `00F8`): `5000020`, `6000020`.
    MasterFile,
    /// The card-face application's certificate (EF 0004): `5000023`, `6000023`.
    CardFace,
    /// The card-info application's certificate (EF 0004): `5000033`, `6000033`.
    CardInfo,
}

impl fmt::Display for CvRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CvRole::MasterFile => "master-file",
            CvRole::CardFace => "card-face application",
            CvRole::CardInfo => "card-info application",
        })
    }
}

/// Which hierarchy a CA key belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Hierarchy {
    /// J-LIS production keys: the cards municipalities issue.
    Production,
    /// Keys of a test hierarchy: J-LIS's JPKI test cards, or a caller's test keys (such as the
    /// virtual card's). Counted only by a [`CvTrust`] that accepts test keys.
    Test,
}

impl fmt::Display for Hierarchy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Hierarchy::Production => "production",
            Hierarchy::Test => "test",
        })
    }
}

/// A CA key that signs card-verifiable certificates: its key id, what it signs, its hierarchy,
/// and the RSA key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CvCaKey {
    key_id: KeyId,
    role: CvRole,
    hierarchy: Hierarchy,
    key: RsaPublicKey,
}

impl CvCaKey {
    /// A CA key of the caller's (a rotated J-LIS key, a test hierarchy's key).
    pub fn new(key_id: KeyId, role: CvRole, hierarchy: Hierarchy, key: RsaPublicKey) -> Self {
        Self {
            key_id,
            role,
            hierarchy,
            key,
        }
    }

    /// The key id certificates name it by.
    pub fn key_id(&self) -> KeyId {
        self.key_id
    }

    /// What it signs.
    pub fn role(&self) -> CvRole {
        self.role
    }

    /// Its hierarchy.
    pub fn hierarchy(&self) -> Hierarchy {
        self.hierarchy
    }

    /// The RSA key.
    pub fn public_key(&self) -> &RsaPublicKey {
        &self.key
    }
}

/// The J-LIS CA keys compiled in: the three production keys, then the three of the JPKI test
/// cards' hierarchy (see [`CvTrust`] for which a verifier counts).
pub fn jlis_keys() -> &'static [CvCaKey] {
    keys::bundled()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_read_as_their_number_and_group() {
        let id = KeyId::new(*b"5000023\x08\x05001\0\0\0\0");
        assert_eq!(id.to_string(), "5000023/001");
        assert_eq!(id.number(), Some("5000023"));
        assert!(format!("{id:?}").ends_with("00000000)"));
        let odd = KeyId::new([0xAB; 16]);
        assert_eq!(odd.number(), None);
        assert_eq!(odd.to_string(), "AB".repeat(16));
    }
}
