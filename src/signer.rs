//! A JPKI key as a RustCrypto signer (`signature` 2: `Signer`, `PrehashSigner`, `Keypair`),
//! usable by `x509-cert`'s request builder, `cms` and others. The key's algorithm comes from
//! its certificate ([`KeyAlgorithm`]): RSA PKCS#1 v1.5 with SHA-256 on today's cards, ECDSA
//! P-384 with SHA-384 where the certificate holds such a key.

use std::sync::Mutex;

use der::Decode;
use rsa::pkcs8::spki::{
    self, der::asn1::BitString, AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier,
    EncodePublicKey, SignatureBitStringEncoding, SubjectPublicKeyInfoOwned,
};
use rsa::signature::{hazmat::PrehashSigner, Keypair, Signer, Verifier};

use crate::algorithm::{self, KeyAlgorithm};
use crate::card::Card;
use crate::card::OnReset;
use crate::certificate::PublicKey;
use crate::digest_info::HashAlgorithm;
use crate::error::{Error, Result};
use crate::jpki::{Jpki, JpkiPin, KeyKind};
use crate::pin::LastTry;
use crate::transport::Transport;

/// One of the card's JPKI keys as a [`Signer`]; get it with [`Jpki::signer`].
///
/// Each signature is made by the card (the message hashed on the host with the key's hash,
/// [`KeyAlgorithm::hash`]) and verified against the key's certificate before it is returned,
/// so a wrong key or a faulty card gives an error, never a bad signature. The key's PIN must
/// be verified in the session first.
///
/// ```
/// # #[cfg(feature = "virtual-card")] {
/// use mynumbercard::{AuthPin, Card, KeyAlgorithm, KeyKind, VirtualCard};
/// use mynumbercard::signature::{Keypair, Signer, Verifier};
///
/// let mut card = Card::new(VirtualCard::default());
/// let mut jpki = card.jpki();
/// jpki.verify_pin(&AuthPin::new("1234")?)?;
/// let signer = jpki.signer(KeyKind::Auth)?;
/// assert_eq!(signer.algorithm(), KeyAlgorithm::Rsa { bits: 2048 });
/// let signature = signer.try_sign(b"hello")?;
/// signer.verifying_key().verify(b"hello", &signature)?;
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct JpkiSigner<'a, T> {
    card: Mutex<&'a mut Card<T>>,
    key: KeyKind,
    verifying_key: JpkiVerifyingKey,
    certificate: Vec<u8>,
}

impl<'a, T: Transport> Jpki<'a, T> {
    /// A signer for `key`. Reads the key's certificate for its public key and algorithm (the
    /// signature certificate needs the signature PIN verified first);
    /// [`Error::UnsupportedKey`] for a key the library does not sign with.
    pub fn signer(mut self, key: KeyKind) -> Result<JpkiSigner<'a, T>> {
        let certificate = self.read_certificate_der(key.certificate())?;
        let verifying_key = JpkiVerifyingKey::from_certificate(&certificate)?;
        Ok(JpkiSigner {
            card: Mutex::new(self.into_card()),
            key,
            verifying_key,
            certificate,
        })
    }
}

impl<T: Transport> Jpki<'_, T> {
    /// Verifies `pin` and signs `message` with its key in ONE transaction, with the key's
    /// algorithm from its certificate (hashed on the host with [`KeyAlgorithm::hash`]), the
    /// signature verified against the certificate before it is returned with the certificate
    /// (DER). Sends what
    /// [`Jpki::verify_pin_with`], [`Jpki::read_certificate_der`] (the key's certificate) and
    /// one COMPUTE DIGITAL SIGNATURE send; the PIN at most once.
    pub fn sign_message_with_pin<P: JpkiPin>(
        &mut self,
        pin: &P,
        message: &[u8],
        last_try: LastTry,
    ) -> Result<(JpkiSignature, Vec<u8>)> {
        self.card().operation(OnReset::Fail, |card| {
            let mut jpki = Jpki::new(card);
            jpki.verify_pin_with(pin, last_try)?;
            let signer = jpki.signer(P::KIND.key())?;
            let signature = signer.sign_message(message)?;
            Ok((signature, signer.certificate))
        })
    }
}

impl<T: Transport> JpkiSigner<'_, T> {
    /// Which key signs.
    pub fn key(&self) -> KeyKind {
        self.key
    }

    /// The key's algorithm, from its certificate.
    pub fn algorithm(&self) -> KeyAlgorithm {
        self.verifying_key.algorithm()
    }

    /// The key's certificate (DER), as read from the card.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate
    }

    /// Signs `message` hashed with the key's hash, with the library's error.
    pub(crate) fn sign_message(&self, message: &[u8]) -> Result<JpkiSignature> {
        self.sign_digest(&self.algorithm().hash().hash(message))
    }

    fn sign_digest(&self, digest: &[u8]) -> Result<JpkiSignature> {
        let mut card = self
            .card
            .lock()
            .map_err(|_| Error::MalformedResponse("signer poisoned by an earlier panic"))?;
        let algorithm = self.algorithm();
        let hash = algorithm.hash();
        let bytes = card
            .jpki()
            .sign_digest_as(self.key, algorithm, hash, digest)?;
        self.verifying_key.verify_digest(hash, digest, &bytes)?;
        Ok(JpkiSignature { algorithm, bytes })
    }
}

impl<T: Transport> Signer<JpkiSignature> for JpkiSigner<'_, T> {
    fn try_sign(&self, message: &[u8]) -> Result<JpkiSignature, rsa::signature::Error> {
        let digest = self.algorithm().hash().hash(message);
        self.sign_digest(&digest)
            .map_err(rsa::signature::Error::from_source)
    }
}

impl<T: Transport> PrehashSigner<JpkiSignature> for JpkiSigner<'_, T> {
    /// Signs a prehash made with the key's hash ([`KeyAlgorithm::hash`]: 32 bytes of SHA-256
    /// for RSA, 48 of SHA-384 for P-384); another length is refused before the card.
    fn sign_prehash(&self, prehash: &[u8]) -> Result<JpkiSignature, rsa::signature::Error> {
        if prehash.len() != self.algorithm().hash().output_len() {
            return Err(rsa::signature::Error::new());
        }
        self.sign_digest(prehash)
            .map_err(rsa::signature::Error::from_source)
    }
}

impl<T> Keypair for JpkiSigner<'_, T> {
    type VerifyingKey = JpkiVerifyingKey;

    fn verifying_key(&self) -> Self::VerifyingKey {
        self.verifying_key.clone()
    }
}

impl<T> DynSignatureAlgorithmIdentifier for JpkiSigner<'_, T> {
    /// sha256WithRSAEncryption or ecdsa-with-SHA384, as the key's algorithm has it.
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        self.verifying_key.signature_algorithm_identifier()
    }
}

impl<T> std::fmt::Debug for JpkiSigner<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JpkiSigner")
            .field("key", &self.key)
            .field("algorithm", &self.verifying_key.algorithm())
            .finish_non_exhaustive()
    }
}

/// A signature made by a [`JpkiSigner`]: RSA PKCS#1 v1.5 bytes, or an ECDSA signature as DER
/// (`ECDSA-Sig-Value`; [`JpkiSignature::to_raw`] gives `r‖s`).
#[derive(Clone, PartialEq, Eq)]
pub struct JpkiSignature {
    algorithm: KeyAlgorithm,
    bytes: Vec<u8>,
}

impl JpkiSignature {
    /// A signature of `algorithm` in the form [`JpkiSignature::as_bytes`] gives (RSA bytes as
    /// long as the modulus; ECDSA DER), e.g. to check one received from elsewhere with
    /// [`JpkiVerifyingKey`]. [`Error::MalformedResponse`] for another form.
    pub fn new(algorithm: KeyAlgorithm, bytes: &[u8]) -> Result<Self> {
        let bytes = match algorithm {
            KeyAlgorithm::Rsa { .. } => algorithm.signature_from_card(bytes.to_vec())?,
            _ => algorithm::ecdsa_raw_to_der(&algorithm::ecdsa_der_to_raw(bytes)?)?,
        };
        Ok(Self { algorithm, bytes })
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        self.algorithm
    }

    /// The signature as X.509 and CMS carry it: RSA bytes, or ECDSA DER.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// [`JpkiSignature::as_bytes`], owned.
    pub fn to_vec(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// The signature as the card's plain answer: RSA bytes, or ECDSA `r‖s`.
    pub fn to_raw(&self) -> Vec<u8> {
        match self.algorithm {
            KeyAlgorithm::Rsa { .. } => self.bytes.clone(),
            // Checked DER since construction: the conversion does not fail.
            _ => algorithm::ecdsa_der_to_raw(&self.bytes).unwrap_or_default(),
        }
    }
}

impl SignatureBitStringEncoding for JpkiSignature {
    fn to_bitstring(&self) -> der::Result<BitString> {
        BitString::from_bytes(&self.bytes)
    }
}

impl From<JpkiSignature> for Vec<u8> {
    fn from(signature: JpkiSignature) -> Self {
        signature.bytes
    }
}

impl std::fmt::Debug for JpkiSignature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "JpkiSignature({}, {})",
            self.algorithm,
            hex::encode(&self.bytes)
        )
    }
}

/// The public half of a JPKI key, from its certificate: verifies [`JpkiSignature`]s (messages
/// hashed with the key's hash) and encodes as a SubjectPublicKeyInfo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JpkiVerifyingKey {
    inner: Inner,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Inner {
    Rsa { key: rsa::RsaPublicKey, bits: usize },
    EcdsaP384(p384::ecdsa::VerifyingKey),
}

impl JpkiVerifyingKey {
    /// The key of a DER certificate: [`Error::InvalidCertificate`] for one that does not
    /// parse, [`Error::UnsupportedKey`] for a key the library does not sign with.
    pub fn from_certificate(certificate_der: &[u8]) -> Result<Self> {
        let certificate = x509_cert::Certificate::from_der(certificate_der).map_err(|source| {
            Error::InvalidCertificate {
                what: "certificate is not valid DER",
                source: Some(source),
            }
        })?;
        Self::from_spki(&certificate.tbs_certificate.subject_public_key_info)
    }

    /// The key of a SubjectPublicKeyInfo.
    pub fn from_spki(spki: &SubjectPublicKeyInfoOwned) -> Result<Self> {
        let key = PublicKey::from_spki(spki).map_err(|bad| Error::InvalidCertificate {
            what: bad.0,
            source: None,
        })?;
        let algorithm = KeyAlgorithm::of_key(&key)?;
        let bytes = spki
            .subject_public_key
            .as_bytes()
            .ok_or(Error::InvalidCertificate {
                what: "key bit string has unused bits",
                source: None,
            })?;
        let inner = match algorithm {
            KeyAlgorithm::Rsa { bits } => {
                use rsa::pkcs1::DecodeRsaPublicKey;
                let key = rsa::RsaPublicKey::from_pkcs1_der(bytes).map_err(|_| {
                    Error::InvalidCertificate {
                        what: "RSA key is out of the range the library takes",
                        source: None,
                    }
                })?;
                Inner::Rsa { key, bits }
            }
            _ => Inner::EcdsaP384(p384::ecdsa::VerifyingKey::from_sec1_bytes(bytes).map_err(
                |_| Error::InvalidCertificate {
                    what: "P-384 key is not a point of the curve",
                    source: None,
                },
            )?),
        };
        Ok(Self { inner })
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match &self.inner {
            Inner::Rsa { bits, .. } => KeyAlgorithm::Rsa { bits: *bits },
            Inner::EcdsaP384(_) => KeyAlgorithm::EcdsaP384,
        }
    }

    /// The RSA key, for an RSA certificate.
    pub fn rsa(&self) -> Option<&rsa::RsaPublicKey> {
        match &self.inner {
            Inner::Rsa { key, .. } => Some(key),
            Inner::EcdsaP384(_) => None,
        }
    }

    /// Verifies `signature` (RSA bytes or ECDSA DER) over `digest`, a hash made with `hash`:
    /// [`Error::SignatureMismatch`] when it does not verify.
    pub fn verify_digest(
        &self,
        hash: HashAlgorithm,
        digest: &[u8],
        signature: &[u8],
    ) -> Result<()> {
        if digest.len() != hash.output_len() {
            return Err(Error::InvalidDigestLength {
                expected: hash.output_len(),
                len: digest.len(),
            });
        }
        let ok = match &self.inner {
            Inner::Rsa { key, .. } => key.verify(hash.pkcs1v15(), digest, signature).is_ok(),
            Inner::EcdsaP384(key) => {
                use ecdsa::signature::hazmat::PrehashVerifier;
                p384::ecdsa::DerSignature::from_bytes(signature)
                    .is_ok_and(|signature| key.verify_prehash(digest, &signature).is_ok())
            }
        };
        ok.then_some(()).ok_or(Error::SignatureMismatch)
    }

    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        let algorithm = self.algorithm();
        algorithm
            .signature_algorithm(algorithm.hash())
            .ok_or(spki::Error::AlgorithmParametersMissing)
    }
}

impl Verifier<JpkiSignature> for JpkiVerifyingKey {
    /// Verifies a signature over `message` hashed with the key's hash.
    fn verify(
        &self,
        message: &[u8],
        signature: &JpkiSignature,
    ) -> Result<(), rsa::signature::Error> {
        if signature.algorithm != self.algorithm() {
            return Err(rsa::signature::Error::new());
        }
        let hash = self.algorithm().hash();
        self.verify_digest(hash, &hash.hash(message), &signature.bytes)
            .map_err(rsa::signature::Error::from_source)
    }
}

impl EncodePublicKey for JpkiVerifyingKey {
    fn to_public_key_der(&self) -> spki::Result<der::Document> {
        match &self.inner {
            Inner::Rsa { key, .. } => key.to_public_key_der(),
            Inner::EcdsaP384(key) => p384::PublicKey::from(key).to_public_key_der(),
        }
    }
}
