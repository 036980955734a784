//! The RSA pieces: the card's key encoding (`90` exponent, `91` modulus), PKCS#1 v1.5
//! verification over SHA-256, and the DigestInfo of three digests the card face is signed
//! under.

use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};

use crate::digest_info::HashAlgorithm;
use crate::tlv;

/// The smallest modulus accepted: 2048 bits (every key on today's card and every CA key).
const MIN_MODULUS_LEN: usize = 256;
/// The largest: 4096 bits, the most the `rsa` crate verifies.
const MAX_MODULUS_LEN: usize = 512;
/// The longest exponent accepted (65537 takes 3 bytes).
const MAX_EXPONENT_LEN: usize = 4;

/// An RSA public key as the card applications store it: `90` exponent then `91` modulus, both
/// big-endian, nothing else but padding (the bytes myna-card shows from a card:
/// `90 03 010001 91 82 0100 <256 bytes>`). Moduli of 2048 to 4096 bits.
pub(crate) fn parse_rsa_key(bytes: &[u8]) -> Result<RsaPublicKey, &'static str> {
    let mut objects = tlv::objects(bytes);
    let mut next = |tag, what| match objects.next() {
        Some(Ok(object)) if object.tag == tag => Ok(object.value),
        _ => Err(what),
    };
    let exponent = next(0x90, "key without its exponent (90)")?;
    let modulus = next(0x91, "key without its modulus (91)")?;
    if objects.next().is_some() {
        return Err("key with objects after its modulus");
    }
    if exponent.is_empty() || exponent.len() > MAX_EXPONENT_LEN || exponent.first() == Some(&0) {
        return Err("key exponent of an unexpected size");
    }
    if !(MIN_MODULUS_LEN..=MAX_MODULUS_LEN).contains(&modulus.len()) || modulus.first() == Some(&0)
    {
        return Err("key modulus of an unexpected size (2048 to 4096 bits)");
    }
    RsaPublicKey::new(
        BigUint::from_bytes_be(modulus),
        BigUint::from_bytes_be(exponent),
    )
    .map_err(|_| "not a usable RSA key")
}

/// Whether `signature` is `key`'s PKCS#1 v1.5 signature over a SHA-256 `digest`.
pub(crate) fn verify_sha256(key: &RsaPublicKey, digest: &[u8; 32], signature: &[u8]) -> bool {
    signature.len() == key.size()
        && key
            .verify(HashAlgorithm::Sha256.pkcs1v15(), digest, signature)
            .is_ok()
}

/// Whether `signature` is `key`'s PKCS#1 v1.5 signature over `digest_info` as given.
pub(crate) fn verify_digest_info(key: &RsaPublicKey, digest_info: &[u8], signature: &[u8]) -> bool {
    signature.len() == key.size()
        && key
            .verify(Pkcs1v15Sign::new_unprefixed(), digest_info, signature)
            .is_ok()
}

/// The SHA-256 DigestInfo around the card face's three digests (96 bytes), as the card face
/// (EF 0002 `DF28`) is signed: `30 71 30 0D 06 09 <SHA-256> 05 00 04 60 <96 bytes>`, the lengths
/// declared for what they hold (as myna-card builds it and a real test card's record verifies).
pub fn card_face_digest_info(digests: &[u8; 96]) -> [u8; 115] {
    let mut out = [0u8; 115];
    let prefix = HashAlgorithm::Sha256.digest_info_prefix();
    // The SHA-256 prefix with its two lengths raised by 64: 0x31 → 0x71, 0x20 → 0x60.
    for (slot, &byte) in out.iter_mut().zip(prefix.iter()) {
        *slot = byte;
    }
    out[1] = 0x71;
    out[18] = 0x60;
    out[19..].copy_from_slice(digests);
    out
}

/// The SHA-256 DigestInfo of `challenge`, which the card signs with its own key.
pub fn challenge_digest_info(challenge: &[u8]) -> Vec<u8> {
    let digest = Sha256::digest(challenge);
    let prefix = HashAlgorithm::Sha256.digest_info_prefix();
    let mut out = Vec::with_capacity(prefix.len() + digest.len());
    out.extend_from_slice(&prefix);
    out.extend_from_slice(&digest);
    out
}

/// Whether `signature` is `card_key`'s answer to `challenge`: PKCS#1 v1.5 over its SHA-256.
pub(crate) fn verify_challenge(
    card_key: &RsaPublicKey,
    challenge: &[u8],
    signature: &[u8],
) -> bool {
    verify_sha256(card_key, &Sha256::digest(challenge).into(), signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_bytes(exponent: &[u8], modulus: &[u8]) -> Vec<u8> {
        let mut out = vec![0x90, exponent.len() as u8];
        out.extend_from_slice(exponent);
        out.extend_from_slice(&[0x91, 0x82]);
        out.extend_from_slice(&(modulus.len() as u16).to_be_bytes());
        out.extend_from_slice(modulus);
        out
    }

    #[test]
    fn reads_the_cards_key_encoding_and_nothing_else() {
        let mut modulus = vec![0xC9; 256];
        modulus[255] = 0x01;
        let good = key_bytes(&[1, 0, 1], &modulus);
        let key = parse_rsa_key(&good).unwrap();
        assert_eq!(key.size(), 256);
        let with_padding = [good.clone(), vec![0xFF; 4]].concat();
        assert!(parse_rsa_key(&with_padding).is_ok());
        assert!(parse_rsa_key(&[good.clone(), vec![0x92, 0x00]].concat()).is_err());
        assert!(parse_rsa_key(&key_bytes(&[1, 0, 1], &modulus[..128])).is_err());
        assert!(parse_rsa_key(&key_bytes(&[], &modulus)).is_err());
        assert!(parse_rsa_key(&key_bytes(&[0, 1, 0, 1], &modulus)).is_err());
        let mut leading_zero = modulus.clone();
        leading_zero[0] = 0;
        assert!(parse_rsa_key(&key_bytes(&[1, 0, 1], &leading_zero)).is_err());
        // Modulus first: refused.
        let swapped = [&good[5..], &good[..5]].concat();
        assert!(parse_rsa_key(&swapped).is_err());
        assert!(parse_rsa_key(&[]).is_err());
    }

    #[test]
    fn the_card_face_digest_info_declares_96_bytes() {
        let info = card_face_digest_info(&[0xAA; 96]);
        assert_eq!(&info[..2], &[0x30, 0x71]);
        assert_eq!(
            &info[2..17],
            &HashAlgorithm::Sha256.digest_info_prefix()[2..17]
        );
        assert_eq!(&info[17..19], &[0x04, 0x60]);
        assert_eq!(usize::from(info[1]) + 2, info.len());
        let one = challenge_digest_info(b"abc");
        assert_eq!(one.len(), 51);
        assert!(one.ends_with(&Sha256::digest(b"abc")));
    }
}
