//! The card-info and card-face applications' PINs and access codes (key EFs), their data files,
//! and which code opens which file.
//!
//! Key EFs, on which myna-card (`src/ap/text.rs`, `surface.rs`) and jsapdu (`constants.ts`) agree:
//! card-info 0011 PIN, 0014 access code A (照合番号A = the my number), 0015 access code B (照合番号B);
//! card-face 0011 birth date (era `YYMMDD`), 0012 access code B, 0013 access code A.
//!
//! Access (only myna-card reports it, measured on a test card): card-info A opens 0001 not 0002, B
//! opens 0002 not 0001, the PIN opens both; 0003 needs the PIN or either code; 0004 and 0005 are
//! free. Card-face 0001 needs the birth date; 0002 needs A or B; 0005 needs A; 0003 and 0004 are
//! free.
//!
//! Tries: the card-info PIN has 3 (J-LIS as quoted by municipalities, e.g. town.masaki.ehime.jp:
//! 券面事項入力補助用の暗証番号 … 3回連続; jpki/myna and myna-card agree). Only readthecard gives
//! the access codes' and the birth date's count (10); the virtual card chooses 3 each (the
//! smallest count any key on the card has, so a client that survives the virtual card survives
//! a real one).

/// A PIN or access code of the card-info or card-face application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// Card-info EF 0011: the 4-digit card-info PIN (券面事項入力補助用暗証番号).
    CardInfoPin,
    /// Card-info EF 0014: access code A (the 12-digit my number).
    CardInfoA,
    /// Card-info EF 0015: access code B (14 digits).
    CardInfoB,
    /// Card-face EF 0011: the birth date as Japanese-era `YYMMDD`.
    CardFaceBirthDate,
    /// Card-face EF 0013: access code A.
    CardFaceA,
    /// Card-face EF 0012: access code B.
    CardFaceB,
}

impl Code {
    /// Every code, in the order [`Code::index`] numbers them.
    pub const ALL: [Code; 6] = [
        Code::CardInfoPin,
        Code::CardInfoA,
        Code::CardInfoB,
        Code::CardFaceBirthDate,
        Code::CardFaceA,
        Code::CardFaceB,
    ];

    /// Tries a fresh (or just verified) code has (see the module docs).
    pub const fn max_tries(self) -> u8 {
        3
    }

    /// A dense index for storage.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Whether CHANGE REFERENCE DATA may replace this code: only the card-info PIN (jpki/myna,
    /// myna-card's `TextAp::change_pin`); the access codes are printed on the card (a choice: no
    /// source tries to change one).
    pub const fn is_changeable(self) -> bool {
        matches!(self, Code::CardInfoPin)
    }
}

/// A data file of the card-info or card-face application.
// The prefix names the application, which is the point.
#[allow(clippy::enum_variant_names)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataFile {
    /// Card-info 0001: the my number.
    CardInfoMyNumber,
    /// Card-info 0002: the basic four attributes.
    CardInfoAttributes,
    /// Card-info 0003: the integrity record (hashes and signature).
    CardInfoIntegrity,
    /// Card-info 0004: the application's card-verifiable certificate.
    CardInfoCertificate,
    /// Card-info 0005: AP basic information.
    CardInfoApInfo,
    /// Card-face 0001: the age-verification record (birth date, key, signature).
    CardFaceAge,
    /// Card-face 0002: the card face (dates, sex, key, images, photo, signature).
    CardFace,
    /// Card-face 0003: AP basic information.
    CardFaceApInfo,
    /// Card-face 0004: the application's card-verifiable certificate.
    CardFaceCertificate,
    /// Card-face 0005: the my-number image, key and signature.
    CardFaceMyNumberImage,
}

impl DataFile {
    /// Every data file.
    pub const ALL: [DataFile; 10] = [
        DataFile::CardInfoMyNumber,
        DataFile::CardInfoAttributes,
        DataFile::CardInfoIntegrity,
        DataFile::CardInfoCertificate,
        DataFile::CardInfoApInfo,
        DataFile::CardFaceAge,
        DataFile::CardFace,
        DataFile::CardFaceApInfo,
        DataFile::CardFaceCertificate,
        DataFile::CardFaceMyNumberImage,
    ];

    /// A dense index for storage.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The codes any one of which opens the file; empty: free to read.
    pub const fn opened_by(self) -> &'static [Code] {
        use Code::*;
        match self {
            DataFile::CardInfoMyNumber => &[CardInfoPin, CardInfoA],
            DataFile::CardInfoAttributes => &[CardInfoPin, CardInfoB],
            DataFile::CardInfoIntegrity => &[CardInfoPin, CardInfoA, CardInfoB],
            DataFile::CardInfoCertificate | DataFile::CardInfoApInfo => &[],
            DataFile::CardFaceAge => &[CardFaceBirthDate],
            DataFile::CardFace => &[CardFaceA, CardFaceB],
            DataFile::CardFaceApInfo | DataFile::CardFaceCertificate => &[],
            DataFile::CardFaceMyNumberImage => &[CardFaceA],
        }
    }
}

/// The card-info application's EF `fid`.
pub fn card_info_ef(fid: u16) -> Option<Result<DataFile, Code>> {
    Some(match fid {
        0x0001 => Ok(DataFile::CardInfoMyNumber),
        0x0002 => Ok(DataFile::CardInfoAttributes),
        0x0003 => Ok(DataFile::CardInfoIntegrity),
        0x0004 => Ok(DataFile::CardInfoCertificate),
        0x0005 => Ok(DataFile::CardInfoApInfo),
        0x0011 => Err(Code::CardInfoPin),
        0x0014 => Err(Code::CardInfoA),
        0x0015 => Err(Code::CardInfoB),
        _ => return None,
    })
}

/// The card-face application's EF `fid`.
pub fn card_face_ef(fid: u16) -> Option<Result<DataFile, Code>> {
    Some(match fid {
        0x0001 => Ok(DataFile::CardFaceAge),
        0x0002 => Ok(DataFile::CardFace),
        0x0003 => Ok(DataFile::CardFaceApInfo),
        0x0004 => Ok(DataFile::CardFaceCertificate),
        0x0005 => Ok(DataFile::CardFaceMyNumberImage),
        0x0011 => Err(Code::CardFaceBirthDate),
        0x0012 => Err(Code::CardFaceB),
        0x0013 => Err(Code::CardFaceA),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_are_dense() {
        for (i, code) in Code::ALL.iter().enumerate() {
            assert_eq!(code.index(), i);
        }
        for (i, file) in DataFile::ALL.iter().enumerate() {
            assert_eq!(file.index(), i);
        }
    }

    #[test]
    fn access_codes_open_complementary_card_info_files() {
        assert!(DataFile::CardInfoMyNumber
            .opened_by()
            .contains(&Code::CardInfoA));
        assert!(!DataFile::CardInfoMyNumber
            .opened_by()
            .contains(&Code::CardInfoB));
        assert!(DataFile::CardInfoAttributes
            .opened_by()
            .contains(&Code::CardInfoB));
        assert!(!DataFile::CardInfoAttributes
            .opened_by()
            .contains(&Code::CardInfoA));
        assert_eq!(card_face_ef(0x0013), Some(Err(Code::CardFaceA)));
        assert_eq!(card_info_ef(0x0014), Some(Err(Code::CardInfoA)));
        assert_eq!(card_info_ef(0x0006), None);
    }
}
