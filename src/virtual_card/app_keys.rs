//! The card-info and card-face applications' signatures: records signed by the issuer key,
//! card-verifiable certificates (EF 0004) and key identifiers.
//!
//! Shapes from soltia48/myna-card (`src/data.rs`, `src/ap/text.rs`, `src/ap/surface.rs`), read off
//! a JPKI test card, the only source for them: records are signed with PKCS#1 v1.5 over SHA-256 by
//! a key certified in the application's EF 0004 (a J-LIS key, not the card's own); the certificate
//! is `7F21 { 5F4E <16-byte issuer key id, 16-byte subject key id, 90/91 public key>,
//! 5F37 <signature over the 5F4E value> }`.
//!
//! Choices: the virtual card's issuer key is the fixture `CARD_AP_ISSUER_KEY`; its EF 0004
//! certificate is signed by that same key (the real CA key is not on a card, so there is none to
//! copy); key identifiers start with `9` (real ones start `5`, test-card ones `6`
//! (myna-card's `KeyId`)), so none can pass for a real or J-LIS test key.

use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};

use super::issue::IssueError;
use super::tlv;

/// A 16-byte key identifier: 7 ASCII digits, `08 05`, a 3-digit group, 4 zero bytes
/// (described only by myna-card's `KeyId`, e.g. `"6000024" 08 05 "001" 00 00 00 00`).
pub fn key_id(number: &str) -> [u8; 16] {
    let mut id = [0u8; 16];
    for (slot, byte) in id.iter_mut().zip(number.bytes().take(7)) {
        *slot = byte;
    }
    id[7] = 0x08;
    id[8] = 0x05;
    id[9..12].copy_from_slice(b"001");
    id
}

/// A PKCS#1 v1.5 signature over SHA-256 of `message`.
pub fn sign_sha256(key: &RsaPrivateKey, message: &[u8]) -> Result<Vec<u8>, IssueError> {
    let signer = SigningKey::<Sha256>::new(key.clone());
    Ok(signer.try_sign(message)?.to_vec())
}

/// The SHA-256 `DigestInfo` prefix without its lengths: `30 0D 06 09 <sha-256> 05 00`.
const SHA256_ALGORITHM: [u8; 15] = [
    0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
];

/// A `DigestInfo` naming SHA-256 around `digests` of any length: the card-face record puts three
/// concatenated digests (96 bytes) in one (only myna-card's `sha256_digest_info` shows this).
pub fn sha256_digest_info(digests: &[u8]) -> Vec<u8> {
    let mut octets = vec![0x04];
    octets.extend_from_slice(&tlv::length(digests.len()));
    octets.extend_from_slice(digests);
    let mut body = SHA256_ALGORITHM.to_vec();
    body.extend_from_slice(&octets);
    let mut out = vec![0x30];
    out.extend_from_slice(&tlv::length(body.len()));
    out.extend_from_slice(&body);
    out
}

/// A PKCS#1 v1.5 type-1 signature over a `DigestInfo` given whole.
pub fn sign_digest_info(key: &RsaPrivateKey, digest_info: &[u8]) -> Result<Vec<u8>, IssueError> {
    Ok(key.sign(Pkcs1v15Sign::new_unprefixed(), digest_info)?)
}

/// The card-verifiable certificate of EF 0004: `subject_key` certified under `subject_id`,
/// signed by `issuer` under `issuer_id`.
pub fn cv_certificate(
    issuer_id: &[u8; 16],
    subject_id: &[u8; 16],
    subject_key: &RsaPublicKey,
    issuer: &RsaPrivateKey,
) -> Result<Vec<u8>, IssueError> {
    let mut body = issuer_id.to_vec();
    body.extend_from_slice(subject_id);
    body.extend_from_slice(&tlv::public_key(subject_key));
    let signature = sign_sha256(issuer, &body)?;
    Ok(tlv::constructed(
        0x7F21,
        &[tlv::object(0x5F4E, &body), tlv::object(0x5F37, &signature)],
    ))
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_have_the_card_layout() {
        assert_eq!(&key_id("9000023"), b"9000023\x08\x05001\0\0\0\0");
    }

    #[test]
    fn digest_infos_declare_their_length() {
        let one = sha256_digest_info(&[0xAA; 32]);
        assert_eq!(&one[..2], &[0x30, 0x31]);
        assert_eq!(one.len(), 51);
        let three = sha256_digest_info(&[0xAA; 96]);
        assert_eq!(&three[..2], &[0x30, 0x71]);
        assert_eq!(&three[17..19], &[0x04, 0x60]);
        assert_eq!(three.len(), 115);
    }
}
