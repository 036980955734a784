//! Helpers shared by the card-info and card-face application tests: APDUs, whole-file reads
//! and a small BER-TLV reader.
#![allow(dead_code)]

use mynumbercard::virtual_card::{fixtures, VirtualCard};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::RsaPublicKey;
use sha2::Sha256;

pub const JPKI: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
pub const CARD_INFO: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];
pub const CARD_FACE: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02];
pub const OK: [u8; 2] = [0x90, 0x00];
pub const DENIED: [u8; 2] = [0x69, 0x82];
pub const CODE_A: &[u8] = b"123456789018";
pub const CODE_B: &[u8] = b"02010120351234";

pub fn select_aid(card: &mut VirtualCard, aid: &[u8]) -> Vec<u8> {
    let mut apdu = vec![0x00, 0xA4, 0x04, 0x0C, aid.len() as u8];
    apdu.extend_from_slice(aid);
    card.handle(&apdu)
}

pub fn select_ef(card: &mut VirtualCard, fid: u16) -> Vec<u8> {
    let [hi, lo] = fid.to_be_bytes();
    card.handle(&[0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo])
}

pub fn with_data(header: [u8; 4], data: &[u8]) -> Vec<u8> {
    let mut apdu = header.to_vec();
    if !data.is_empty() {
        apdu.push(data.len() as u8);
        apdu.extend_from_slice(data);
    }
    apdu
}

/// SELECT the key EF `fid` of the current application and VERIFY `value` on it.
pub fn verify_on(card: &mut VirtualCard, fid: u16, value: &[u8]) -> Vec<u8> {
    assert_eq!(select_ef(card, fid), OK);
    card.handle(&with_data([0x00, 0x20, 0x00, 0x80], value))
}

pub fn change(card: &mut VirtualCard, new_pin: &[u8]) -> Vec<u8> {
    card.handle(&with_data([0x00, 0x24, 0x01, 0x80], new_pin))
}

/// SELECT `fid` and READ BINARY the first 256 bytes: the status word only.
pub fn read_status(card: &mut VirtualCard, fid: u16) -> Vec<u8> {
    assert_eq!(select_ef(card, fid), OK);
    let response = card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x00]);
    response[response.len() - 2..].to_vec()
}

/// SELECT `fid` and read it whole in 256-byte chunks, until a short chunk or `6B00`.
pub fn read_file(card: &mut VirtualCard, fid: u16) -> Vec<u8> {
    assert_eq!(select_ef(card, fid), OK);
    let mut file = Vec::new();
    for _ in 0..128 {
        let [p1, p2] = (file.len() as u16).to_be_bytes();
        let response = card.handle(&[0x00, 0xB0, p1, p2, 0x00]);
        let (data, sw) = response.split_at(response.len() - 2);
        if sw == [0x6B, 0x00] {
            break;
        }
        assert_eq!(sw, OK, "reading {fid:04X} at {}", file.len());
        file.extend_from_slice(data);
        if data.len() < 256 {
            break;
        }
    }
    file
}

/// A parsed BER object: tag, value, and its offset in the buffer parsed.
pub struct Tlv<'a> {
    pub tag: u16,
    pub value: &'a [u8],
    pub offset: usize,
    pub raw: &'a [u8],
}

/// Parses consecutive two-byte-tag objects starting at `start` of `buf` until `end`.
pub fn children(buf: &[u8], start: usize, end: usize) -> Vec<Tlv<'_>> {
    let mut out = Vec::new();
    let mut at = start;
    while at < end {
        let (tag, value_at, len) = header(buf, at);
        out.push(Tlv {
            tag,
            value: &buf[value_at..value_at + len],
            offset: at,
            raw: &buf[at..value_at + len],
        });
        at = value_at + len;
    }
    assert_eq!(at, end, "objects end where the parent does");
    out
}

/// (tag, value offset, value length) of the object at `at`.
pub fn header(buf: &[u8], at: usize) -> (u16, usize, usize) {
    let tag = u16::from_be_bytes([buf[at], buf[at + 1]]);
    let (len, len_len) = match buf[at + 2] {
        0x81 => (usize::from(buf[at + 3]), 2),
        0x82 => (
            usize::from(u16::from_be_bytes([buf[at + 3], buf[at + 4]])),
            3,
        ),
        short => (usize::from(short), 1),
    };
    (tag, at + 2 + len_len, len)
}

/// The children of the file's outer object, checking its tag and that it fills the file
/// (apart from `filler` trailing bytes).
pub fn parse(file: &[u8], outer: u16, filler: usize) -> Vec<Tlv<'_>> {
    let (tag, value_at, len) = header(file, 0);
    assert_eq!(tag, outer);
    assert_eq!(value_at + len + filler, file.len());
    children(file, value_at, value_at + len)
}

/// Checks the `DF21` offset table against where the later objects start.
pub fn check_offsets(objects: &[Tlv<'_>]) {
    assert_eq!(objects[0].tag, 0xDF21);
    let table = objects[0].value;
    assert_eq!(table.len(), (objects.len() - 1) * 2);
    for (pair, object) in table.chunks(2).zip(&objects[1..]) {
        assert_eq!(
            usize::from(u16::from_be_bytes([pair[0], pair[1]])),
            object.offset
        );
    }
}

pub fn tags(objects: &[Tlv<'_>]) -> Vec<u16> {
    objects.iter().map(|o| o.tag).collect()
}

pub fn issuer_key() -> RsaPublicKey {
    RsaPublicKey::from(&fixtures::card_ap_issuer_key().unwrap())
}

pub fn card_key_object() -> Vec<u8> {
    use rsa::traits::PublicKeyParts;
    let key = RsaPublicKey::from(&fixtures::card_ap_key().unwrap());
    let mut out = vec![0x90, 0x03, 0x01, 0x00, 0x01, 0x91, 0x82, 0x01, 0x00];
    out.extend_from_slice(&key.n().to_bytes_be());
    out
}

pub fn verify_sha256(message: &[u8], signature: &[u8]) {
    let key = VerifyingKey::<Sha256>::new(issuer_key());
    key.verify(message, &Signature::try_from(signature).unwrap())
        .expect("the issuer key's signature verifies");
}

/// The virtual card's test-only CA for card-verifiable certificates.
pub fn cv_ca_key() -> RsaPublicKey {
    RsaPublicKey::from(&fixtures::cv_ca_key().unwrap())
}

/// Checks an EF 0004 certificate body: CA key id `ca_id`, the issuer key certified, signed
/// by the CV CA.
pub fn check_cv_certificate(body: &[u8], signature: &[u8], ca_id: &[u8; 7]) {
    use rsa::traits::PublicKeyParts;
    assert_eq!(&body[..7], ca_id);
    let issuer = issuer_key();
    let mut key = vec![0x90, 0x03, 0x01, 0x00, 0x01, 0x91, 0x82, 0x01, 0x00];
    key.extend_from_slice(&issuer.n().to_bytes_be());
    assert_eq!(&body[32..], key.as_slice(), "the issuer key is certified");
    VerifyingKey::<Sha256>::new(cv_ca_key())
        .verify(body, &Signature::try_from(signature).unwrap())
        .expect("the CV CA's signature verifies");
}
