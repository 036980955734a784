//! Signing with a JPKI key: any hash, hashing on the host, the key's algorithm as data (RSA
//! with a DigestInfo, ECDSA with the bare hash), and a checked variant that verifies the card's
//! signature before returning it.

use super::{Jpki, KeyKind};
use crate::algorithm::KeyAlgorithm;
use crate::digest_info::HashAlgorithm;
use crate::error::{Error, Result};
use crate::signer::JpkiVerifyingKey;
use crate::transport::Transport;

impl<T: Transport> Jpki<'_, T> {
    /// Signs `digest`, a hash made with `algorithm`, with an **RSA** key: the library builds
    /// the DigestInfo, the card pads and signs (PKCS#1 v1.5). The key's PIN must be verified
    /// first. For a key whose algorithm comes from its certificate (ECDSA too), use
    /// [`Jpki::sign_digest_as`] or [`Jpki::sign_digest_checked`].
    pub fn sign_digest(
        &mut self,
        key: KeyKind,
        algorithm: HashAlgorithm,
        digest: &[u8],
    ) -> Result<Vec<u8>> {
        let digest_info = algorithm
            .digest_info(digest)
            .ok_or(Error::InvalidDigestLength {
                expected: algorithm.output_len(),
                len: digest.len(),
            })?;
        self.sign_digest_info(key, &digest_info)
    }

    /// Signs `digest`, a hash made with `hash`, with a key of `algorithm` (read it from the
    /// key's certificate: [`KeyAlgorithm::of_key`]): RSA gets the DigestInfo, ECDSA the bare
    /// hash. The answer is checked for the algorithm and returned as X.509 and CMS carry it:
    /// RSA bytes as long as the modulus, ECDSA as DER (from a card's `r‖s` or DER answer).
    /// Sends what [`Jpki::sign_digest_info`] sends.
    pub fn sign_digest_as(
        &mut self,
        key: KeyKind,
        algorithm: KeyAlgorithm,
        hash: HashAlgorithm,
        digest: &[u8],
    ) -> Result<Vec<u8>> {
        let input = algorithm.card_input(hash, digest)?;
        let answer = self.sign_digest_info(key, &input)?;
        algorithm.signature_from_card(answer)
    }

    /// Hashes `message` on the host with `algorithm`, then signs the digest with an RSA key
    /// ([`Jpki::sign_digest`]).
    pub fn sign_message(
        &mut self,
        key: KeyKind,
        algorithm: HashAlgorithm,
        message: &[u8],
    ) -> Result<Vec<u8>> {
        self.sign_digest(key, algorithm, &algorithm.hash(message))
    }

    /// Signs `digest` (a hash made with `hash`) with the algorithm of `certificate_der`'s key
    /// (the key's certificate, read earlier), then verifies the signature with that key before
    /// returning it: [`Error::SignatureMismatch`] catches a wrong key or a faulty card. RSA
    /// signatures come back as bytes, ECDSA ones as DER ([`Jpki::sign_digest_as`]).
    pub fn sign_digest_checked(
        &mut self,
        key: KeyKind,
        hash: HashAlgorithm,
        digest: &[u8],
        certificate_der: &[u8],
    ) -> Result<Vec<u8>> {
        let public_key = JpkiVerifyingKey::from_certificate(certificate_der)?;
        let signature = self.sign_digest_as(key, public_key.algorithm(), hash, digest)?;
        public_key.verify_digest(hash, digest, &signature)?;
        Ok(signature)
    }
}
