//! The card-info application's integrity record (EF 0003, `FF30`) and the checks of the data
//! files against it.

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::ef;
use crate::error::{Error, Result};
use crate::files::SizedFile;
use crate::tlv;

/// The my number file's size as jpki/myna, myna-card and jsapdu give it (object and `FF FF`
/// filler).
const MY_NUMBER_FILE_LEN: usize = 17;

/// The integrity record (EF 0003): digests of the two data files and the issuer's signature.
///
/// The library checks the digests against the files it reads. It does not check `signature`:
/// the key that makes it is the card-application issuer's, which no public source gives.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct IntegrityRecord {
    /// `DF31`: SHA-256 of EF 0001 as stored, filler included.
    pub my_number_sha256: [u8; 32],
    /// `DF32`: SHA-256 of EF 0002's outer value from `DF22` to its end (the offset table left
    /// out); only myna-card (`IntegrityRecord`) describes this.
    pub attributes_sha256: [u8; 32],
    /// `DF33`: the issuer's RSA signature (not checked).
    pub signature: Vec<u8>,
}

/// Parses `FF 30` { `DF31`, `DF32`, `DF33` }.
pub(crate) fn parse_integrity(file: &[u8]) -> Result<IntegrityRecord> {
    let malformed = Error::MalformedResponse;
    let (outer, _) = tlv::read(file).map_err(|_| malformed("integrity record"))?;
    if outer.tag != 0xFF30 {
        return Err(malformed("integrity record of an unexpected tag"));
    }
    let digest = |tag| -> Result<[u8; 32]> {
        tlv::find(outer.value, tag)
            .ok()
            .flatten()
            .and_then(|value| <[u8; 32]>::try_from(value).ok())
            .ok_or(malformed("integrity record without its SHA-256 digests"))
    };
    Ok(IntegrityRecord {
        my_number_sha256: digest(0xDF31)?,
        attributes_sha256: digest(0xDF32)?,
        signature: tlv::find(outer.value, 0xDF33)
            .ok()
            .flatten()
            .unwrap_or_default()
            .to_vec(),
    })
}

/// Checks `DF31` against EF 0001 as stored: the object and the filler the first READ BINARY
/// returned with it. A card that refused that read gave no filler: the object followed by
/// `FF` up to the 17 bytes that jpki/myna, myna-card and jsapdu give is tried then.
pub(super) fn check_my_number_file(integrity: &IntegrityRecord, file: &SizedFile) -> Result<()> {
    let as_read: [u8; 32] = Sha256::new()
        .chain_update(&file.content)
        .chain_update(&file.tail)
        .finalize()
        .into();
    if as_read == integrity.my_number_sha256 {
        return Ok(());
    }
    if file.tail.is_empty() && file.content.len() < MY_NUMBER_FILE_LEN {
        let mut padded = Zeroizing::new(Vec::with_capacity(MY_NUMBER_FILE_LEN));
        padded.extend_from_slice(&file.content);
        padded.resize(MY_NUMBER_FILE_LEN, 0xFF);
        if <[u8; 32]>::from(Sha256::digest(&padded)) == integrity.my_number_sha256 {
            return Ok(());
        }
    }
    Err(Error::IntegrityMismatch {
        file: ef::MY_NUMBER,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card_info::parse_my_number;

    #[test]
    fn integrity_records_need_both_digests() {
        let mut file = vec![0xFF, 0x30, 0x46, 0xDF, 0x31, 0x20];
        file.extend_from_slice(&[1; 32]);
        file.extend_from_slice(&[0xDF, 0x32, 0x20]);
        file.extend_from_slice(&[2; 32]);
        let record = parse_integrity(&file).unwrap();
        assert_eq!(record.my_number_sha256, [1; 32]);
        assert!(record.signature.is_empty());
        file[5] = 0x1F;
        assert!(parse_integrity(&file).is_err());
    }

    #[test]
    fn the_my_number_digest_covers_the_filler() {
        let content = b"\xFF\x10\x0C123456789018".to_vec();
        let mut stored = content.clone();
        stored.extend_from_slice(&[0xFF, 0xFF]);
        let record = IntegrityRecord {
            my_number_sha256: Sha256::digest(&stored).into(),
            attributes_sha256: [0; 32],
            signature: Vec::new(),
        };
        let with_tail = SizedFile {
            content: Zeroizing::new(content.clone()),
            tail: Zeroizing::new(vec![0xFF, 0xFF]),
        };
        assert!(check_my_number_file(&record, &with_tail).is_ok());
        let strict_card = SizedFile {
            content: Zeroizing::new(content.clone()),
            tail: Zeroizing::new(Vec::new()),
        };
        assert!(check_my_number_file(&record, &strict_card).is_ok());
        let altered = SizedFile {
            content: Zeroizing::new(b"\xFF\x10\x0C123456789026".to_vec()),
            tail: Zeroizing::new(vec![0xFF, 0xFF]),
        };
        assert!(matches!(
            check_my_number_file(&record, &altered),
            Err(Error::IntegrityMismatch { file: 1 })
        ));
        assert_eq!(parse_my_number(&content).unwrap().reveal(), "123456789018");
        assert!(parse_my_number(b"\xFF\x10\x0C123456789010").is_err());
    }
}
