//! The virtual card's card-face application (券面AP / 券面事項確認AP): the contents of its data
//! files for a [`Holder`].
//!
//! Layouts, as myna-card (`src/ap/surface.rs`) read them off a JPKI test card; jsapdu
//! (`schema.ts`) names the same tags for 0002:
//!
//! - 0001 age record: `FF 10` { `DF11` birth date `YYYYMMDD`, `DF12` the card's public key
//!   (`90`/`91`), `DF13` signature over `DF11`‖`DF12` } (myna-card, jsapdu and PocketSign's
//!   SDK documentation describe the record; only myna-card what the signature covers).
//! - 0002 card face: `FF 20` { `DF21` offsets, `DF22` birth date, `DF23` sex, `DF24` public key,
//!   `DF25` name PNG, `DF26` address PNG, `DF27` face photo (JP2), `DF28` signature, `DF29`
//!   expiry date, `DF2A` security-code PNG } (myna-card and jsapdu agree). `DF28` is a PKCS#1
//!   v1.5 signature over one SHA-256 `DigestInfo` holding three digests: of `DF22`‖`DF23`‖`DF24`,
//!   of `DF25`‖`DF26`, of `DF27` (objects as written); `DF29` and `DF2A` are not signed
//!   (only myna-card's `CardFace::verify` shows this).
//! - 0003 AP basic information: `FF 30` { `DF31` 4 bytes (`06 03 0E 01` seen), `DF32` 16-byte key
//!   id (`…000024`), `DF33` 1-byte version, `DF34` 5-digit municipality code, `DF35` 16-byte key
//!   id + 256 opaque bytes } (described only by myna-card's `ApBasicData`).
//! - 0004 the application's card-verifiable certificate (described only by myna-card).
//! - 0005 my-number image: `FF 40` { `DF41` PNG, `DF42` public key, `DF43` signature over
//!   `DF41`‖`DF42` } (as myna-card describes it and its test card's record bears out).
//!
//! Choices: the expiry date is the holder's birthday in `card_expiry_year` (myna-card's test card
//! has both on 02-17); version `01`; municipality code `13999` (no such Tokyo code); `DF35`'s 256
//! bytes are SHA-256 in counter mode over a label (their meaning is unknown). The images are the
//! committed fixtures for the default holder, whoever the holder is.

use rsa::{RsaPrivateKey, RsaPublicKey};

use super::app_keys::{self, key_id};
use super::fixtures;
use super::issue::IssueError;
use super::tlv::{self, constructed, object, with_offsets};
use super::Holder;

/// The card-face files 0001–0005, in order.
pub fn files(
    holder: &Holder,
    issuer: &RsaPrivateKey,
    card_key: &RsaPublicKey,
) -> Result<[Vec<u8>; 5], IssueError> {
    let key = object(0xDF24, &tlv::public_key(card_key));
    let certificate = app_keys::cv_certificate(
        &key_id("9000023"),
        &key_id("9139990"),
        &RsaPublicKey::from(issuer),
        issuer,
    )?;
    Ok([
        age_file(holder, card_key, issuer)?,
        card_face_file(holder, key, issuer)?,
        ap_info_file(),
        certificate,
        my_number_image_file(card_key, issuer)?,
    ])
}

fn yyyymmdd(holder: &Holder) -> String {
    holder.birth_date_yyyymmdd()
}

/// EF 0001: the age-verification record.
fn age_file(
    holder: &Holder,
    card_key: &RsaPublicKey,
    issuer: &RsaPrivateKey,
) -> Result<Vec<u8>, IssueError> {
    let mut signed = object(0xDF11, yyyymmdd(holder).as_bytes());
    signed.extend_from_slice(&object(0xDF12, &tlv::public_key(card_key)));
    let signature = app_keys::sign_sha256(issuer, &signed)?;
    Ok(constructed(0xFF10, &[signed, object(0xDF13, &signature)]))
}

/// EF 0002: the card face, `key` being the encoded `DF24` object.
fn card_face_file(
    holder: &Holder,
    key: Vec<u8>,
    issuer: &RsaPrivateKey,
) -> Result<Vec<u8>, IssueError> {
    let birth = object(0xDF22, yyyymmdd(holder).as_bytes());
    let sex = object(0xDF23, holder.card_sex_code().as_bytes());
    let name = object(0xDF25, fixtures::NAME_PNG);
    let address = object(0xDF26, fixtures::ADDRESS_PNG);
    let photo = object(0xDF27, fixtures::FACE_JP2);
    let mut digests = Vec::with_capacity(96);
    digests.extend_from_slice(&app_keys::sha256(&[&birth[..], &sex, &key].concat()));
    digests.extend_from_slice(&app_keys::sha256(&[&name[..], &address].concat()));
    digests.extend_from_slice(&app_keys::sha256(&photo));
    let signature = app_keys::sign_digest_info(issuer, &app_keys::sha256_digest_info(&digests))?;
    let b = holder.birth_date;
    let expiry = format!(
        "{:04}{:02}{:02}",
        holder.card_expiry_year,
        b.month(),
        b.day()
    );
    Ok(with_offsets(
        0xFF20,
        0xDF21,
        &[
            birth,
            sex,
            key,
            name,
            address,
            photo,
            object(0xDF28, &signature),
            object(0xDF29, expiry.as_bytes()),
            object(0xDF2A, fixtures::SECURITY_CODE_PNG),
        ],
    ))
}

/// EF 0003: AP basic information (see the module docs).
fn ap_info_file() -> Vec<u8> {
    let mut opaque = key_id("9000024").to_vec();
    for block in 0u8..8 {
        opaque.extend_from_slice(&app_keys::sha256(
            &[b"virtual card DF35 ", &[block][..]].concat(),
        ));
    }
    constructed(
        0xFF30,
        &[
            object(0xDF31, &[0x06, 0x03, 0x0E, 0x01]),
            object(0xDF32, &key_id("9000024")),
            object(0xDF33, &[0x01]),
            object(0xDF34, b"13999"),
            object(0xDF35, &opaque),
        ],
    )
}

/// EF 0005: the my-number image, the card's key and the issuer's signature.
fn my_number_image_file(
    card_key: &RsaPublicKey,
    issuer: &RsaPrivateKey,
) -> Result<Vec<u8>, IssueError> {
    let mut signed = object(0xDF41, fixtures::MY_NUMBER_PNG);
    signed.extend_from_slice(&object(0xDF42, &tlv::public_key(card_key)));
    let signature = app_keys::sign_sha256(issuer, &signed)?;
    Ok(constructed(0xFF40, &[signed, object(0xDF43, &signature)]))
}
