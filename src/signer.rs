//! A JPKI key as a RustCrypto signer (`signature` 2: `Signer`, `PrehashSigner`, `Keypair`),
//! RSA PKCS#1 v1.5 with SHA-256, usable by `x509-cert`'s request builder, `cms` and others.

use std::sync::Mutex;

use der::Decode;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::spki::{der::AnyRef, AlgorithmIdentifierRef, SignatureAlgorithmIdentifier};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::{hazmat::PrehashSigner, Keypair, Signer};
use sha2::{Digest, Sha256};

use crate::card::Card;
use crate::digest_info::HashAlgorithm;
use crate::error::{Error, Result};
use crate::jpki::{CertificateKind, Jpki, KeyKind};
use crate::transport::Transport;

/// One of the card's JPKI keys as a [`Signer`]; get it with [`Jpki::signer`].
///
/// Each signature is made by the card (SHA-256 hashed on the host) and verified against the
/// key's certificate before it is returned, so a wrong key or a faulty card gives an error,
/// never a bad signature. The key's PIN must be verified in the session first.
///
/// ```
/// # #[cfg(feature = "virtual-card")] {
/// use mynumbercard::{AuthPin, Card, KeyKind, VirtualCard};
/// use mynumbercard::signature::{Keypair, Signer, Verifier};
///
/// let mut card = Card::new(VirtualCard::default());
/// let mut jpki = card.jpki();
/// jpki.verify_pin(&AuthPin::new("1234")?)?;
/// let signer = jpki.signer(KeyKind::Auth)?;
/// let signature = signer.try_sign(b"hello")?;
/// signer.verifying_key().verify(b"hello", &signature)?;
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct JpkiSigner<'a, T> {
    card: Mutex<&'a mut Card<T>>,
    key: KeyKind,
    verifying_key: VerifyingKey<Sha256>,
}

impl<'a, T: Transport> Jpki<'a, T> {
    /// A signer for `key`. Reads the key's certificate for its public key (the signature
    /// certificate needs the signature PIN verified first).
    pub fn signer(mut self, key: KeyKind) -> Result<JpkiSigner<'a, T>> {
        let kind = match key {
            KeyKind::Auth => CertificateKind::Auth,
            KeyKind::Sign => CertificateKind::Sign,
        };
        let der = self.read_certificate_der(kind)?;
        let verifying_key = VerifyingKey::new(rsa_public_key(&der)?);
        Ok(JpkiSigner {
            card: Mutex::new(self.into_card()),
            key,
            verifying_key,
        })
    }
}

/// The RSA public key of a DER certificate.
pub(crate) fn rsa_public_key(certificate_der: &[u8]) -> Result<rsa::RsaPublicKey> {
    use der::Encode;
    let cert = x509_cert::Certificate::from_der(certificate_der)
        .map_err(|_| Error::MalformedResponse("certificate is not valid DER"))?;
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|_| Error::MalformedResponse("certificate key does not encode"))?;
    rsa::RsaPublicKey::from_public_key_der(&spki)
        .map_err(|_| Error::MalformedResponse("certificate key is not RSA"))
}

impl<T: Transport> JpkiSigner<'_, T> {
    /// Which key signs.
    pub fn key(&self) -> KeyKind {
        self.key
    }

    fn sign_digest(&self, digest: &[u8; 32]) -> Result<Signature> {
        let mut card = self
            .card
            .lock()
            .map_err(|_| Error::MalformedResponse("signer poisoned by an earlier panic"))?;
        let bytes = card.jpki().sign_sha256(self.key, digest)?;
        self.verifying_key
            .as_ref()
            .verify(HashAlgorithm::Sha256.pkcs1v15(), digest, &bytes)
            .map_err(|_| Error::SignatureMismatch)?;
        Signature::try_from(bytes.as_slice())
            .map_err(|_| Error::MalformedResponse("signature does not decode"))
    }
}

impl<T: Transport> Signer<Signature> for JpkiSigner<'_, T> {
    fn try_sign(&self, message: &[u8]) -> Result<Signature, rsa::signature::Error> {
        let digest: [u8; 32] = Sha256::digest(message).into();
        self.sign_digest(&digest)
            .map_err(rsa::signature::Error::from_source)
    }
}

impl<T: Transport> PrehashSigner<Signature> for JpkiSigner<'_, T> {
    /// Signs a SHA-256 prehash (32 bytes).
    fn sign_prehash(&self, prehash: &[u8]) -> Result<Signature, rsa::signature::Error> {
        let digest: &[u8; 32] = prehash
            .try_into()
            .map_err(|_| rsa::signature::Error::new())?;
        self.sign_digest(digest)
            .map_err(rsa::signature::Error::from_source)
    }
}

impl<T> Keypair for JpkiSigner<'_, T> {
    type VerifyingKey = VerifyingKey<Sha256>;

    fn verifying_key(&self) -> Self::VerifyingKey {
        self.verifying_key.clone()
    }
}

impl<T> SignatureAlgorithmIdentifier for JpkiSigner<'_, T> {
    type Params = AnyRef<'static>;

    /// sha256WithRSAEncryption.
    const SIGNATURE_ALGORITHM_IDENTIFIER: AlgorithmIdentifierRef<'static> =
        VerifyingKey::<Sha256>::SIGNATURE_ALGORITHM_IDENTIFIER;
}

impl<T> std::fmt::Debug for JpkiSigner<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JpkiSigner")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}
