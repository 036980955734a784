//! The virtual card as an ECDSA P-384 credential
//! ([`VirtualCardBuilder::ecdsa_p384`](super::VirtualCardBuilder::ecdsa_p384)): its four
//! certificates hold P-384 keys (the CAs sign with ecdsa-with-SHA384), and COMPUTE DIGITAL
//! SIGNATURE signs the bare hash it is given with ECDSA (RFC 6979 nonces, so the same hash
//! gives the same signature) and answers the plain `r‖s`, 96 bytes.
//!
//! One public task-force summary says the next-generation card signs with ECDSA on a 384-bit
//! curve and SHA-384; nothing public gives its applications, files or commands. So this is a
//! model of the *key algorithm* only: the same JPKI application, files, PINs and commands as
//! today's card, with other keys. Choices, as no source gives them: the card takes a bare hash
//! of 32, 48 or 64 bytes (a DigestInfo, or anything else, answers `6700`) and answers `r‖s`
//! rather than DER (the plain form ISO 7816-8 and most ECDSA cards use).

use ::p384::ecdsa::signature::hazmat::PrehashSigner;
use ::p384::ecdsa::{Signature, SigningKey, VerifyingKey};
use ::p384::pkcs8::EncodePublicKey;
use der::asn1::ObjectIdentifier;
use der::Decode;
use sha2::{Digest, Sha384};
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::apdu::{sw, Reply};
use super::files::{Cert, Pair};
use super::fixtures::{self, p384};
use super::issue::{self, IssueError, IssuerKey, SubjectKey};
use super::{Holder, VirtualCard};

/// ecdsa-with-SHA384 (RFC 5758 §3.2).
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");

/// The hash lengths the card signs: SHA-256, SHA-384, SHA-512.
const HASH_LENS: [usize; 3] = [32, 48, 64];

/// Which keys the card holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Credential {
    /// RSA-2048, PKCS#1 v1.5: today's card.
    #[default]
    Rsa,
    /// ECDSA P-384.
    EcdsaP384,
}

/// The committed certificate `cert` of `credential` (the signature certificate for the
/// default holder).
pub(super) const fn certificate_of(credential: Credential, cert: Cert) -> &'static [u8] {
    match credential {
        Credential::Rsa => fixtures::certificate_of(cert),
        Credential::EcdsaP384 => match cert {
            Cert::Auth => p384::AUTH_CERT,
            Cert::AuthCa => p384::AUTH_CA_CERT,
            Cert::Sign => p384::SIGN_CERT,
            Cert::SignCa => p384::SIGN_CA_CERT,
        },
    }
}

/// The P-384 user key of `pair`.
fn user_key(pair: Pair) -> Result<SigningKey, ::p384::pkcs8::Error> {
    p384::key(match pair {
        Pair::Auth => p384::AUTH_KEY,
        Pair::Sign => p384::SIGN_KEY,
    })
}

/// The signature certificate the card holds: `rsa` for an RSA credential; for a P-384 one the
/// committed certificate (default holder) or a fresh one for `holder`.
pub(super) fn sign_certificate(
    credential: Credential,
    holder: &Holder,
    rsa: Vec<u8>,
) -> Result<Vec<u8>, IssueError> {
    match credential {
        Credential::Rsa => Ok(rsa),
        Credential::EcdsaP384 if *holder == Holder::default() => Ok(p384::SIGN_CERT.to_vec()),
        Credential::EcdsaP384 => {
            let user = *user_key(Pair::Sign)?.verifying_key();
            let ca = p384::key(p384::SIGN_CA_KEY)?;
            issue::sign_certificate(holder, &user, &ca)
        }
    }
}

impl VirtualCard {
    /// COMPUTE DIGITAL SIGNATURE with the P-384 key of `pair` over `hash` (its PIN already
    /// verified); `None` on an RSA credential.
    pub(super) fn sign_ecdsa(&self, pair: Pair, hash: &[u8]) -> Option<Reply> {
        if self.credential != Credential::EcdsaP384 {
            return None;
        }
        if !HASH_LENS.contains(&hash.len()) {
            return Some(Reply::status(sw::WRONG_LENGTH));
        }
        let signature: Option<Signature> = user_key(pair)
            .ok()
            .and_then(|key| key.sign_prehash(hash).ok());
        Some(match signature {
            Some(signature) => Reply::with_data(signature.to_bytes().to_vec(), sw::OK),
            None => Reply::status(sw::NO_DIAGNOSIS),
        })
    }
}

impl IssuerKey for SigningKey {
    fn spki(&self) -> Result<SubjectPublicKeyInfoOwned, IssueError> {
        SubjectKey::spki(self.verifying_key())
    }

    /// ecdsa-with-SHA384, parameters absent (RFC 5758 §3.2).
    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: ECDSA_WITH_SHA384,
            parameters: None,
        }
    }

    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, IssueError> {
        let signature: Signature = self.sign_prehash(&Sha384::digest(tbs))?;
        Ok(signature.to_der().as_bytes().to_vec())
    }

    /// `38` (for 384) before the serial the RSA CA would give: the P-384 CAs have the RSA
    /// CAs' names, as a new generation of a root keeps its name.
    fn serial(&self, base: &[u8]) -> Vec<u8> {
        let mut serial = vec![0x38];
        serial.extend_from_slice(base);
        serial
    }
}

impl SubjectKey for VerifyingKey {
    fn spki(&self) -> Result<SubjectPublicKeyInfoOwned, IssueError> {
        let der = ::p384::PublicKey::from(self).to_public_key_der()?;
        Ok(SubjectPublicKeyInfoOwned::from_der(der.as_bytes())?)
    }
}
