//! The virtual card's card-info input helper application (券面事項入力補助AP): the contents of
//! its data files for a [`Holder`].
//!
//! Layouts, as jpki/myna, myna-card and jsapdu describe them:
//!
//! - 0001 my number: `FF 10 0C` + 12 ASCII digits, then `FF FF` filler (17 bytes); jpki/myna
//!   reads 16 bytes and myna-card's test-card dump shows the object; the digest in 0003 covers
//!   the whole 17-byte file, filler included (only myna-card shows this).
//! - 0002 basic four: `FF 20 <len>` { `DF21` offsets, `DF22` name, `DF23` address, `DF24`
//!   `YYYYMMDD`, `DF25` sex } (jpki/myna, myna-card from a test card's bytes, and jsapdu
//!   agree).
//! - 0003 integrity record: `FF 30` { `DF31` SHA-256 of 0001 as stored (filler included),
//!   `DF32` SHA-256 of 0002's outer value without the `DF21` table (`DF22` to the end),
//!   `DF33` PKCS#1 v1.5 SHA-256 signature over the `DF31` and `DF32` objects as written }
//!   (only myna-card's `IntegrityRecord` says what is hashed and signed; jsapdu names the same
//!   tags).
//! - 0004 the application's card-verifiable certificate (described only by myna-card).
//! - 0005 AP basic information: `FF 40` { `DF41` 4 bytes (`01 03 0E 01` on the cards seen),
//!   `DF42` a 16-byte key id (`…000034`), `DF43` 128 bytes: 32 bytes then 96 `FF` } (described only
//!   by myna-card's `ApBasicData`). What `DF43` holds is unknown; the virtual card writes SHA-256
//!   of the `DF41`/`DF42` objects (a choice).

use rsa::{RsaPrivateKey, RsaPublicKey};

use super::app_keys::{self, key_id};
use super::issue::IssueError;
use super::tlv::{constructed, object, with_offsets};
use super::Holder;

/// The card-info files 0001–0005, in order.
pub fn files(holder: &Holder, issuer: &RsaPrivateKey) -> Result<[Vec<u8>; 5], IssueError> {
    let my_number = my_number_file(holder);
    let attributes = attributes_file(holder);
    let integrity = integrity_file(&my_number, &attributes, issuer)?;
    let certificate = app_keys::cv_certificate(
        &key_id("9000033"),
        &key_id("9139990"),
        &RsaPublicKey::from(issuer),
        issuer,
    )?;
    Ok([
        my_number,
        attributes,
        integrity,
        certificate,
        ap_info_file(),
    ])
}

/// EF 0001: `FF 10 0C` + the digits + `FF FF`.
pub fn my_number_file(holder: &Holder) -> Vec<u8> {
    let mut file = object(0xFF10, holder.my_number.as_bytes());
    file.extend_from_slice(&[0xFF, 0xFF]);
    file
}

/// EF 0002: the basic four attributes behind a `DF21` offset table.
pub fn attributes_file(holder: &Holder) -> Vec<u8> {
    let birth = holder.birth_date_yyyymmdd();
    with_offsets(
        0xFF20,
        0xDF21,
        &[
            object(0xDF22, holder.name.as_bytes()),
            object(0xDF23, holder.address.as_bytes()),
            object(0xDF24, birth.as_bytes()),
            object(0xDF25, holder.card_sex_code().as_bytes()),
        ],
    )
}

/// The bytes of EF 0002 that `DF32` hashes: the outer value after the `DF21` object.
pub fn attributes_digest_source(attributes: &[u8]) -> &[u8] {
    // FF 20 <len> DF 21 <len> <table>: skip the outer header, then the table object.
    let outer_header = match attributes.get(2) {
        Some(0x81) => 4,
        Some(0x82) => 5,
        _ => 3,
    };
    let table_len = attributes
        .get(outer_header + 2)
        .map_or(0, |&len| usize::from(len));
    attributes
        .get(outer_header + 3 + table_len..)
        .unwrap_or_default()
}

/// EF 0003: the digests of 0001 and 0002 and the issuer's signature over them.
pub fn integrity_file(
    my_number: &[u8],
    attributes: &[u8],
    issuer: &RsaPrivateKey,
) -> Result<Vec<u8>, IssueError> {
    let mut signed = object(0xDF31, &app_keys::sha256(my_number));
    signed.extend_from_slice(&object(
        0xDF32,
        &app_keys::sha256(attributes_digest_source(attributes)),
    ));
    let signature = app_keys::sign_sha256(issuer, &signed)?;
    Ok(constructed(0xFF30, &[signed, object(0xDF33, &signature)]))
}

/// EF 0005: AP basic information (see the module docs).
pub fn ap_info_file() -> Vec<u8> {
    let mut head = object(0xDF41, &[0x01, 0x03, 0x0E, 0x01]);
    head.extend_from_slice(&object(0xDF42, &key_id("9000034")));
    let mut trailing = app_keys::sha256(&head).to_vec();
    trailing.resize(128, 0xFF);
    constructed(0xFF40, &[head, object(0xDF43, &trailing)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn my_number_file_is_17_bytes_with_filler() {
        let file = my_number_file(&Holder::default());
        assert_eq!(file.len(), 17);
        assert_eq!(&file[..3], &[0xFF, 0x10, 0x0C]);
        assert_eq!(&file[3..15], b"123456789018");
        assert_eq!(&file[15..], &[0xFF, 0xFF]);
    }

    #[test]
    fn digest_source_starts_at_the_name() {
        let file = attributes_file(&Holder::default());
        let source = attributes_digest_source(&file);
        assert_eq!(&source[..2], &[0xDF, 0x22]);
        assert!(file.ends_with(source));
        assert_eq!(source.last(), Some(&b'1'));
    }

    #[test]
    fn ap_info_has_the_seen_shape() {
        let file = ap_info_file();
        assert_eq!(&file[..2], &[0xFF, 0x40]);
        assert_eq!(&file[file.len() - 96..], &[0xFF; 96]);
    }
}
