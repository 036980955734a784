//! The virtual card's card-verifiable certificates, its master-file chain (GET DATA), the
//! challenge its card key answers, and the two faulty cards its builder makes: one whose photo
//! was changed after the card face was signed, and a clone (the genuine records, another
//! card key).
//!
//! As myna-card describes the real card (read off a JPKI test card): EF 0004 of the card-info
//! and card-face applications holds `7F21` { `5F4E` 証明者鍵ID ‖ 被証明者鍵ID ‖ `90`/`91` key,
//! `5F37` signature }, signed (PKCS#1 v1.5, SHA-256 over the `5F4E` value) by a CA key that is
//! not on the card; with no application selected, GET DATA `00CA 00F8` returns the master-file
//! chain's top certificate and `00CA 7F21` the one below it, signed by the key the top one
//! certifies, both without the `7F21` template; the card answers `6700` to a short Le for
//! them and the object to an extended one. COMPUTE DIGITAL SIGNATURE `80 2A 00 00` in the
//! card-face application signs a DigestInfo with the card's own key (the one its records
//! carry), no credential needed (myna-card; PocketSign's PIN-less flow).
//!
//! Choices: one test-only CA key (fixture `CV_CA_KEY`) under three key ids starting with `9`
//! (real ones start with `5`, J-LIS test cards' with `6`), so no certificate here passes for a
//! real or a J-LIS test card's; the top master-file certificate certifies the applications'
//! issuer key, and the lower one the card key (what the real lower one certifies is not
//! published); GET DATA with an application selected, or of another object, answers `6A88`;
//! `80 2A 00 00` outside the card-face application is answered as any other P2 naming no key
//! (`6A86`); the clone answers with the JPKI authentication fixture key.

use std::sync::OnceLock;

use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};

use super::apdu::{sw, Command, Reply};
use super::app_keys;
use super::files::{App, Pair};
use super::issue::IssueError;
use super::{fixtures, VirtualCard};

/// A key id of the virtual card's: seven digits, `08 05`, `001`, four zero bytes.
const fn id(number: &[u8; 7]) -> [u8; 16] {
    let mut id = [0u8; 16];
    let mut i = 0;
    while i < 7 {
        id[i] = number[i];
        i += 1;
    }
    id[7] = 0x08;
    id[8] = 0x05;
    id[9] = b'0';
    id[10] = b'0';
    id[11] = b'1';
    id
}

/// The CA key id of the master-file chain.
pub const CA_MASTER_FILE: [u8; 16] = id(b"9000020");
/// The CA key id of the card-face application's certificate.
pub const CA_CARD_FACE: [u8; 16] = id(b"9000023");
/// The CA key id of the card-info application's certificate.
pub const CA_CARD_INFO: [u8; 16] = id(b"9000033");
/// The key id under which both applications' certificates certify the issuer key.
pub const APPLICATION_KEY: [u8; 16] = id(b"9139990");
/// The key id of the card key, as the lower master-file certificate certifies it.
const CARD_KEY: [u8; 16] = id(b"9139991");

/// The longest DigestInfo an RSA-2048 key pads with PKCS#1 v1.5 type 1: k − 11.
const MAX_DIGEST_INFO_LEN: usize = 256 - 11;
/// The signature length of an RSA-2048 key.
const SIGNATURE_LEN: usize = 256;

/// Which key answers the challenge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardKey {
    /// The card key its records carry.
    Genuine,
    /// Another key: a clone carrying the genuine card's records.
    Clone,
}

/// The certificate of an application's EF 0004: the issuer key, certified by the CV CA
/// under `ca_id`.
pub fn application_certificate(
    ca_id: &[u8; 16],
    issuer: &RsaPrivateKey,
) -> Result<Vec<u8>, IssueError> {
    app_keys::cv_certificate(
        ca_id,
        &APPLICATION_KEY,
        &RsaPublicKey::from(issuer),
        &fixtures::cv_ca_key()?,
    )
}

/// The master-file chain as GET DATA returns it (`00F8`, `7F21`): the certificates without
/// their `7F21` template. Built once.
fn master_file_chain() -> &'static Result<[Vec<u8>; 2], String> {
    static CHAIN: OnceLock<Result<[Vec<u8>; 2], String>> = OnceLock::new();
    CHAIN.get_or_init(|| build_chain().map_err(|e| e.to_string()))
}

fn build_chain() -> Result<[Vec<u8>; 2], IssueError> {
    let issuer = fixtures::card_ap_issuer_key()?;
    let upper = app_keys::cv_certificate(
        &CA_MASTER_FILE,
        &APPLICATION_KEY,
        &RsaPublicKey::from(&issuer),
        &fixtures::cv_ca_key()?,
    )?;
    let lower = app_keys::cv_certificate(
        &APPLICATION_KEY,
        &CARD_KEY,
        &RsaPublicKey::from(&fixtures::card_ap_key()?),
        &issuer,
    )?;
    Ok([without_template(upper), without_template(lower)])
}

/// The contents of a `7F21 82 LL LL` template.
fn without_template(mut certificate: Vec<u8>) -> Vec<u8> {
    certificate.drain(..certificate.len().min(5));
    certificate
}

/// Changes the face photo of a card-face file (EF 0002) after it was signed: 64 bytes of the
/// JPEG 2000 data past its signature box are inverted, so the file keeps its layout and its
/// JP2 form but no longer matches `DF28`.
pub fn replace_photo(card_face_file: &mut [u8]) {
    const JP2: [u8; 12] = [
        0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A,
    ];
    let Some(start) = card_face_file.windows(JP2.len()).position(|w| w == JP2) else {
        return;
    };
    for byte in card_face_file.iter_mut().skip(start + 200).take(64) {
        *byte = !*byte;
    }
}

impl VirtualCard {
    /// GET DATA `00 CA P1 P2 Le`: the certificate chain (see the module docs), the other
    /// objects of the master file by `master_file`.
    pub(super) fn get_data(&mut self, command: &Command) -> Reply {
        let index = match (command.p1, command.p2) {
            (0x00, 0xF8) => 0,
            (0x7F, 0x21) => 1,
            _ => return self.get_master_file_data(command),
        };
        let Some(ne) = command.ne else {
            return Reply::status(sw::WRONG_LENGTH);
        };
        if !command.data.is_empty() {
            return Reply::status(sw::WRONG_LENGTH);
        }
        if self.app.is_some() {
            return Reply::status(sw::REFERENCED_DATA_NOT_FOUND);
        }
        let Ok(chain) = master_file_chain() else {
            return Reply::status(sw::NO_DIAGNOSIS);
        };
        let Some(object) = chain.get(index) else {
            return Reply::status(sw::REFERENCED_DATA_NOT_FOUND);
        };
        // Over 256 bytes: a short Le is answered 6700, as myna-card saw.
        if object.len() > ne {
            return Reply::status(sw::WRONG_LENGTH);
        }
        Reply::with_data(object.clone(), sw::OK)
    }

    /// COMPUTE DIGITAL SIGNATURE `80 2A 00 00 Lc <DigestInfo> 00` with the card's own key, in
    /// the card-face application, no credential needed.
    pub(super) fn sign_with_card_key(&mut self, command: &Command) -> Reply {
        if self.app != Some(App::CardFace) {
            return Reply::status(sw::CONDITIONS_NOT_SATISFIED);
        }
        let digest_info = command.data;
        if digest_info.is_empty() || digest_info.len() > MAX_DIGEST_INFO_LEN {
            return Reply::status(sw::WRONG_LENGTH);
        }
        if matches!(command.ne, Some(ne) if ne < SIGNATURE_LEN) {
            return Reply::status(sw::WRONG_LENGTH);
        }
        let key = match self.card_key {
            CardKey::Genuine => fixtures::card_ap_key(),
            CardKey::Clone => fixtures::user_key_of(Pair::Auth),
        };
        match key.map(|key| key.sign(Pkcs1v15Sign::new_unprefixed(), digest_info)) {
            Ok(Ok(signature)) => Reply::with_data(signature, sw::OK),
            _ => Reply::status(sw::NO_DIAGNOSIS),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_is_two_certificates_without_their_template() {
        let chain = master_file_chain().as_ref().unwrap();
        for object in chain {
            assert_eq!(&object[..2], &[0x5F, 0x4E]);
            // 5F4E 82 01 29 <297 bytes> 5F37 82 01 00 <256 bytes>
            assert_eq!(object.len(), 5 + 297 + 5 + 256);
        }
        assert_eq!(&chain[0][5..21], &CA_MASTER_FILE);
        assert_eq!(&chain[1][5..21], &APPLICATION_KEY);
        assert_eq!(&CA_CARD_FACE, b"9000023\x08\x05001\0\0\0\0");
    }

    #[test]
    fn replacing_the_photo_keeps_the_layout() {
        let mut file = vec![0xFF; 20];
        file.extend_from_slice(&[
            0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A,
        ]);
        file.extend_from_slice(&[0x11; 400]);
        let before = file.clone();
        replace_photo(&mut file);
        assert_eq!(file.len(), before.len());
        assert_eq!(file[..220], before[..220]);
        assert_eq!(file[220], !0x11);
        assert_eq!(file[284..], before[284..]);
    }
}
