//! DER DigestInfo (RFC 8017 §9.2) for the hashes a JPKI key signs: the card pads and signs
//! the DigestInfo the host builds.

use sha2::Digest;

/// A hash algorithm the host computes before the card signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-1: legacy, kept for old verifiers only; prefer SHA-256.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256: what JPKI applications use.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlgorithm {
    /// The DigestInfo bytes that precede the digest (RFC 8017 §9.2, note 1), as the `rsa`
    /// crate derives them from the hash's OID.
    ///
    /// ```
    /// use mynumbercard::HashAlgorithm;
    /// let prefix = HashAlgorithm::Sha256.digest_info_prefix();
    /// assert_eq!(prefix[..2], [0x30, 0x31]); // SEQUENCE of 19 + 32 - 2 bytes
    /// assert_eq!(prefix.len(), 19);
    /// ```
    pub fn digest_info_prefix(self) -> Box<[u8]> {
        self.pkcs1v15().prefix
    }

    /// The digest length in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha224 => 28,
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }

    /// Whether the algorithm is kept only for old verifiers (SHA-1).
    pub const fn is_legacy(self) -> bool {
        matches!(self, HashAlgorithm::Sha1)
    }

    /// Hashes `message` on the host.
    pub fn hash(self, message: &[u8]) -> Vec<u8> {
        match self {
            HashAlgorithm::Sha1 => sha1::Sha1::digest(message).to_vec(),
            HashAlgorithm::Sha224 => sha2::Sha224::digest(message).to_vec(),
            HashAlgorithm::Sha256 => sha2::Sha256::digest(message).to_vec(),
            HashAlgorithm::Sha384 => sha2::Sha384::digest(message).to_vec(),
            HashAlgorithm::Sha512 => sha2::Sha512::digest(message).to_vec(),
        }
    }

    /// The DigestInfo for `digest`, or `None` if the digest's length is not this hash's.
    ///
    /// ```
    /// use mynumbercard::HashAlgorithm;
    /// let info = HashAlgorithm::Sha256.digest_info(&[0; 32]).unwrap();
    /// assert_eq!(info.len(), 19 + 32);
    /// assert!(HashAlgorithm::Sha256.digest_info(&[0; 20]).is_none());
    /// ```
    pub fn digest_info(self, digest: &[u8]) -> Option<Vec<u8>> {
        if digest.len() != self.output_len() {
            return None;
        }
        let prefix = self.digest_info_prefix();
        let mut out = Vec::with_capacity(prefix.len() + digest.len());
        out.extend_from_slice(&prefix);
        out.extend_from_slice(digest);
        Some(out)
    }

    /// The `rsa` crate's PKCS#1 v1.5 scheme for this hash, to verify a card's signature.
    pub fn pkcs1v15(self) -> rsa::Pkcs1v15Sign {
        match self {
            HashAlgorithm::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
            HashAlgorithm::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
            HashAlgorithm::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            HashAlgorithm::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
            HashAlgorithm::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        }
    }

    /// All five, strongest last.
    pub const ALL: [HashAlgorithm; 5] = [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefixes as RFC 8017 §9.2 note 1 prints them.
    const RFC_8017: [(HashAlgorithm, &str); 5] = [
        (
            HashAlgorithm::Sha1,
            "30 21 30 09 06 05 2b 0e 03 02 1a 05 00 04 14",
        ),
        (
            HashAlgorithm::Sha224,
            "30 2d 30 0d 06 09 60 86 48 01 65 03 04 02 04 05 00 04 1c",
        ),
        (
            HashAlgorithm::Sha256,
            "30 31 30 0d 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20",
        ),
        (
            HashAlgorithm::Sha384,
            "30 41 30 0d 06 09 60 86 48 01 65 03 04 02 02 05 00 04 30",
        ),
        (
            HashAlgorithm::Sha512,
            "30 51 30 0d 06 09 60 86 48 01 65 03 04 02 03 05 00 04 40",
        ),
    ];

    #[test]
    fn prefixes_are_rfc_8017s() {
        // The `rsa` crate's prefixes, built from the hashes' OIDs, against the RFC's table.
        for (alg, text) in RFC_8017 {
            let expected = hex::decode(text.replace(' ', "")).unwrap();
            assert_eq!(*alg.digest_info_prefix(), *expected, "{alg:?}");
            assert_eq!(alg.pkcs1v15().hash_len, Some(alg.output_len()), "{alg:?}");
        }
    }

    #[test]
    fn digest_info_parses_as_der_with_the_digest_inside() {
        for alg in HashAlgorithm::ALL {
            let digest = alg.hash(b"abc");
            assert_eq!(digest.len(), alg.output_len());
            let info = alg.digest_info(&digest).unwrap();
            // SEQUENCE whose length covers the rest; the digest is the OCTET STRING at the end.
            assert_eq!(info.first(), Some(&0x30));
            assert_eq!(usize::from(info[1]) + 2, info.len(), "{alg:?}");
            assert!(info.ends_with(&digest));
            assert!(alg.digest_info(&digest[1..]).is_none());
        }
        assert!(HashAlgorithm::Sha1.is_legacy());
        assert!(!HashAlgorithm::Sha256.is_legacy());
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            hex::encode(HashAlgorithm::Sha256.hash(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
