//! Signing with a JPKI key: any DigestInfo hash, hashing on the host, and a checked variant
//! that verifies the card's signature before returning it.

use super::{Jpki, KeyKind};
use crate::digest_info::HashAlgorithm;
use crate::error::{Error, Result};
use crate::transport::Transport;

impl<T: Transport> Jpki<'_, T> {
    /// Signs `digest`, a hash made with `algorithm`: the library builds the DigestInfo, the
    /// card pads and signs (RSA PKCS#1 v1.5). The key's PIN must be verified first.
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

    /// Hashes `message` on the host with `algorithm`, then signs the digest.
    pub fn sign_message(
        &mut self,
        key: KeyKind,
        algorithm: HashAlgorithm,
        message: &[u8],
    ) -> Result<Vec<u8>> {
        self.sign_digest(key, algorithm, &algorithm.hash(message))
    }

    /// Like [`Jpki::sign_digest`], then verifies the signature with the public key of
    /// `certificate_der` (the key's certificate, read earlier) before returning it:
    /// [`Error::SignatureMismatch`] catches a wrong key or a faulty card.
    pub fn sign_digest_checked(
        &mut self,
        key: KeyKind,
        algorithm: HashAlgorithm,
        digest: &[u8],
        certificate_der: &[u8],
    ) -> Result<Vec<u8>> {
        let public_key = crate::signer::rsa_public_key(certificate_der)?;
        let signature = self.sign_digest(key, algorithm, digest)?;
        public_key
            .verify(algorithm.pkcs1v15(), digest, &signature)
            .map_err(|_| Error::SignatureMismatch)?;
        Ok(signature)
    }
}
