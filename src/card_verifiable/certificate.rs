//! The card-verifiable certificate: `7F21` { `5F4E` body, `5F37` signature }, the body being
//! 証明者鍵ID (16 bytes) ‖ 被証明者鍵ID (16 bytes) ‖ the certified RSA key (`90`/`91`), 297 bytes
//! for RSA-2048, signed with PKCS#1 v1.5 over SHA-256 by the CA key the first id names
//! (myna-card's description, checked against a real test card's certificates). GET DATA
//! returns the template's contents without the `7F21` header; both forms are read.

use std::fmt;

use rsa::RsaPublicKey;
use sha2::{Digest, Sha256};

use super::signature::parse_rsa_key;
use super::KeyId;
use crate::tlv;

/// The template's tag.
const TEMPLATE: u32 = 0x7F21;
/// The body's tag (certificate content).
const BODY: u32 = 0x5F4E;
/// The signature's tag.
const SIGNATURE: u32 = 0x5F37;
/// The longest body accepted: two ids and a 4096-bit key with room to spare.
const MAX_BODY_LEN: usize = 1024;
/// The longest signature accepted (4096 bits).
const MAX_SIGNATURE_LEN: usize = 512;

/// A card-verifiable certificate, parsed (not verified: see
/// [`CvTrust::certify`](super::CvTrust::certify)).
#[derive(Clone, PartialEq, Eq)]
pub struct CvCertificate {
    issuer: KeyId,
    subject: KeyId,
    key: RsaPublicKey,
    body_sha256: [u8; 32],
    signature: Vec<u8>,
}

impl CvCertificate {
    /// Parses a certificate with its `7F21` template (as EF 0004 holds it) or without (as GET
    /// DATA returns it); padding (`00` or `FF`) may follow. Refused: a missing, repeated or
    /// unknown object, a key that is not RSA of 2048–4096 bits, a body longer than the two ids
    /// and the key.
    pub fn parse(bytes: &[u8]) -> Result<Self, &'static str> {
        let contents = match tlv::read(bytes) {
            Ok((object, rest)) if object.tag == TEMPLATE => {
                if tlv::objects(rest).next().is_some() {
                    return Err("bytes after the certificate template");
                }
                object.value
            }
            _ => bytes,
        };
        let mut body = None;
        let mut signature = None;
        for object in tlv::objects(contents) {
            let object = object.map_err(|_| "certificate object malformed")?;
            let slot = match object.tag {
                BODY => &mut body,
                SIGNATURE => &mut signature,
                _ => return Err("certificate with an unknown object"),
            };
            if slot.replace(object.value).is_some() {
                return Err("certificate repeats an object");
            }
        }
        let body: &[u8] = body.ok_or("certificate without its body (5F4E)")?;
        let signature: &[u8] = signature.ok_or("certificate without its signature (5F37)")?;
        if body.len() > MAX_BODY_LEN {
            return Err("certificate body too long");
        }
        if signature.is_empty() || signature.len() > MAX_SIGNATURE_LEN {
            return Err("certificate signature of an unexpected size");
        }
        let id = |range: std::ops::Range<usize>| -> Result<KeyId, &'static str> {
            body.get(range)
                .and_then(|b| <[u8; 16]>::try_from(b).ok())
                .map(KeyId::new)
                .ok_or("certificate body too short for its key ids")
        };
        let issuer = id(0..16)?;
        let subject = id(16..32)?;
        let key = parse_rsa_key(body.get(32..).unwrap_or_default())?;
        Ok(Self {
            issuer,
            subject,
            key,
            body_sha256: Sha256::digest(body).into(),
            signature: signature.to_vec(),
        })
    }

    /// 証明者鍵ID: the CA key that signed it.
    pub fn issuer_key_id(&self) -> KeyId {
        self.issuer
    }

    /// 被証明者鍵ID: the key it certifies.
    pub fn subject_key_id(&self) -> KeyId {
        self.subject
    }

    /// The certified key (not yet trusted: [`CvTrust::certify`](super::CvTrust::certify)
    /// hands it out as a [`CertifiedKey`](super::CertifiedKey) once the signature verified).
    pub fn public_key(&self) -> &RsaPublicKey {
        &self.key
    }

    /// The CA's signature over the body.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// Whether the signature verifies with `ca_key`.
    pub(crate) fn signed_by(&self, ca_key: &RsaPublicKey) -> bool {
        super::verify_sha256(ca_key, &self.body_sha256, &self.signature)
    }
}

impl fmt::Debug for CvCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use rsa::traits::PublicKeyParts;
        f.debug_struct("CvCertificate")
            .field("issuer", &self.issuer)
            .field("subject", &self.subject)
            .field("key_bits", &(self.key.size() * 8))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 7F21 { 5F4E <ids, 90/91 key>, 5F37 <256 bytes> } and its contents.
    fn certificate() -> (Vec<u8>, Vec<u8>) {
        let mut body = b"5000023\x08\x05001\0\0\0\0".to_vec();
        body.extend_from_slice(b"1322121\x08\x05000\0\0\0\0");
        body.extend_from_slice(&[0x90, 0x03, 0x01, 0x00, 0x01, 0x91, 0x82, 0x01, 0x00]);
        body.extend_from_slice(&[0xC9; 256]);
        assert_eq!(body.len(), 297);
        let mut contents = vec![0x5F, 0x4E, 0x82, 0x01, 0x29];
        contents.extend_from_slice(&body);
        contents.extend_from_slice(&[0x5F, 0x37, 0x82, 0x01, 0x00]);
        contents.extend_from_slice(&[0x11; 256]);
        let mut template = vec![0x7F, 0x21, 0x82];
        template.extend_from_slice(&(contents.len() as u16).to_be_bytes());
        template.extend_from_slice(&contents);
        (template, contents)
    }

    #[test]
    fn reads_both_forms() {
        let (template, contents) = certificate();
        let a = CvCertificate::parse(&template).unwrap();
        let b = CvCertificate::parse(&contents).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.issuer_key_id().to_string(), "5000023/001");
        assert_eq!(a.subject_key_id().to_string(), "1322121/000");
        assert_eq!(a.signature().len(), 256);
        let padded = [template.clone(), vec![0xFF; 16]].concat();
        assert!(CvCertificate::parse(&padded).is_ok());
        assert!(CvCertificate::parse(&[template.clone(), vec![0x01, 0x00]].concat()).is_err());
    }

    #[test]
    fn refuses_what_is_not_a_certificate() {
        let (template, contents) = certificate();
        assert!(CvCertificate::parse(&template[..template.len() - 1]).is_err());
        assert!(CvCertificate::parse(&contents[..300]).is_err());
        assert!(CvCertificate::parse(&[contents.clone(), contents.clone()].concat()).is_err());
        let unknown = [contents.clone(), vec![0x5F, 0x20, 0x00]].concat();
        assert!(CvCertificate::parse(&unknown).is_err());
        assert!(CvCertificate::parse(&[]).is_err());
        // A body of the ids alone.
        let short = [0x5F, 0x4E, 0x20]
            .into_iter()
            .chain([0x35; 32])
            .chain([0x5F, 0x37, 0x01, 0x00])
            .collect::<Vec<u8>>();
        assert!(CvCertificate::parse(&short).is_err());
    }
}
