//! The virtual card's file system: applications (DFs by AID) and their elementary files, with
//! the JPKI files' sizes and filler (the card-info and card-face files are in `codes`).
//!
//! Every identifier here is the card's own copy, written from the public sources (OpenSC
//! `jpki.h` and `pkcs15-jpki.c`, jpki/myna `libmyna`, myna-card `src/ap/jpki.rs`), not taken
//! from the library: a wrong constant in one of the two then fails the tests instead of
//! passing both.

use super::codes::{self, Code, DataFile};

/// AIDs of the applications the card answers SELECT for (OpenSC, jpki/myna and myna-card
/// agree on them).
pub const JPKI_AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
const CARD_INFO_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];
const CARD_FACE_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02];
const COMMON_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00];
/// The resident-registry application (住基AP), as myna-card gives it (four apps list it for
/// iOS).
const JUKI_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x01];

/// The JPKI application's elementary files (OpenSC, jpki/myna and myna-card agree on them).
mod fid {
    pub const SIGN_CERT: u16 = 0x0001;
    pub const SIGN_CA_CERT: u16 = 0x0002;
    pub const TOKEN: u16 = 0x0006;
    /// Which certificates the card holds (only myna-card describes it).
    pub const AVAILABILITY: u16 = 0x0008;
    pub const AUTH_CERT: u16 = 0x000A;
    pub const AUTH_CA_CERT: u16 = 0x000B;
    pub const AUTH_KEY: u16 = 0x0017;
    pub const AUTH_PIN: u16 = 0x0018;
    pub const SIGN_KEY: u16 = 0x001A;
    pub const SIGN_PIN: u16 = 0x001B;
}

/// The token label of the plastic card, as OpenSC and jpki/myna give it.
pub const MY_NUMBER_CARD_TOKEN: &[u8] = b"JPKIAPICCTOKEN2";
/// The length of the token file's label field: jpki/myna reads 32 bytes, and myna-card takes
/// the first 32 of the file. myna-card reads the whole file on a real card as a
/// 160-byte PKCS #11 `CK_TOKEN_INFO` whose first 32 bytes are the label; the virtual card
/// models the label only.
pub const TOKEN_LEN: usize = 32;

/// One of the JPKI application's two key pairs, each with its PIN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pair {
    /// User authentication: key EF 0017, PIN EF 0018.
    Auth,
    /// Digital signature: key EF 001A, PIN EF 001B.
    Sign,
}

impl Pair {
    /// Tries of a fresh (or just verified) PIN: 3 for the auth PIN, 5 for the sign PIN
    /// (OpenSC's `JPKI_AUTH_PIN_MAX_TRIES` and `JPKI_SIGN_PIN_MAX_TRIES` and J-LIS agree).
    pub const fn max_tries(self) -> u8 {
        match self {
            Pair::Auth => 3,
            Pair::Sign => 5,
        }
    }
}

/// One of the JPKI application's four certificates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cert {
    /// EF 000A.
    Auth,
    /// EF 000B.
    AuthCa,
    /// EF 0001: needs the sign PIN.
    Sign,
    /// EF 0002.
    SignCa,
}

/// Filler after the DER certificate in a certificate EF. A choice: no public source gives the
/// certificate EFs' filler; myna-card shows `FF` filler after the data in the card-info
/// helper's EF 0001, and the JPKI EFs are assumed alike.
pub const CERTIFICATE_FILLER: u8 = 0xFF;

/// Size of a certificate EF. A choice: no public source gives it (every implementation reads
/// the DER header and stops at its length). 2,560 bytes holds any JPKI certificate seen
/// (about 1.3–2 KB); a longer DER (a custom holder with a very long address) gets a file
/// rounded up to the next 256 bytes.
pub const CERTIFICATE_FILE_SIZE: usize = 0x0A00;

/// An application (DF) of the card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum App {
    /// 公的個人認証AP.
    Jpki,
    /// 券面事項入力補助AP.
    CardInfo,
    /// 券面AP.
    CardFace,
    /// The common AP (共通AP): a record file and a PIN (see `common`).
    Common,
    /// The resident-registry AP (住基AP): a PIN (see `common`).
    Juki,
}

impl App {
    /// The application with this exact DF name.
    pub fn from_aid(aid: &[u8]) -> Option<Self> {
        match aid {
            a if a == JPKI_AID => Some(App::Jpki),
            a if a == CARD_INFO_AID => Some(App::CardInfo),
            a if a == CARD_FACE_AID => Some(App::CardFace),
            a if a == COMMON_AID => Some(App::Common),
            a if a == JUKI_AID => Some(App::Juki),
            _ => None,
        }
    }
}

/// An elementary file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ef {
    /// A certificate: DER followed by filler.
    Certificate(Cert),
    /// The token information file (EF 0006).
    Token,
    /// A private key (EF 0017, 001A): usable by COMPUTE DIGITAL SIGNATURE, never readable.
    Key(Pair),
    /// A PIN (EF 0018, 001B): usable by VERIFY, never readable.
    Pin(Pair),
    /// A data file of the card-info or card-face application.
    Data(DataFile),
    /// A PIN or access code of the card-info or card-face application: usable by VERIFY,
    /// never readable.
    Code(Code),
    /// JPKI EF 0008: which certificates the card holds.
    Availability,
    /// The common AP's EF 0001: a record file, read by READ RECORD.
    CommonRecord,
    /// The PIN of the common or the resident-registry AP: usable by VERIFY, never readable.
    OtherPin(OtherPin),
}

/// The PIN of the common or the resident-registry application (EF 001C of each; myna-card).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtherPin {
    /// Common AP EF 001C.
    Common,
    /// Resident-registry AP EF 001C.
    Juki,
}

impl Ef {
    /// The EF `fid` of `app`, if it has one (on any card; see `extras` for the files a card
    /// lacks).
    pub fn find(app: App, fid: u16) -> Option<Self> {
        let app_file = |found: Result<DataFile, Code>| found.map_or_else(Ef::Code, Ef::Data);
        match app {
            App::Jpki => {}
            App::CardInfo => return codes::card_info_ef(fid).map(app_file),
            App::CardFace => return codes::card_face_ef(fid).map(app_file),
            App::Common => {
                return match fid {
                    0x0001 => Some(Ef::CommonRecord),
                    0x001C => Some(Ef::OtherPin(OtherPin::Common)),
                    _ => None,
                }
            }
            App::Juki => return (fid == 0x001C).then_some(Ef::OtherPin(OtherPin::Juki)),
        }
        Some(match fid {
            fid::SIGN_CERT => Ef::Certificate(Cert::Sign),
            fid::SIGN_CA_CERT => Ef::Certificate(Cert::SignCa),
            fid::TOKEN => Ef::Token,
            fid::AVAILABILITY => Ef::Availability,
            fid::AUTH_CERT => Ef::Certificate(Cert::Auth),
            fid::AUTH_CA_CERT => Ef::Certificate(Cert::AuthCa),
            fid::AUTH_KEY => Ef::Key(Pair::Auth),
            fid::AUTH_PIN => Ef::Pin(Pair::Auth),
            fid::SIGN_KEY => Ef::Key(Pair::Sign),
            fid::SIGN_PIN => Ef::Pin(Pair::Sign),
            _ => return None,
        })
    }
}

/// The token file's content: the label padded with spaces to 32 bytes (a longer label is cut
/// at 32), as OpenSC and jpki/myna give it.
pub fn token_file(label: &[u8]) -> Vec<u8> {
    let mut file: Vec<u8> = label.iter().copied().take(TOKEN_LEN).collect();
    file.resize(TOKEN_LEN, b' ');
    file
}

/// The size of the EF holding `der`.
pub fn certificate_file_size(der: &[u8]) -> usize {
    if der.len() <= CERTIFICATE_FILE_SIZE {
        CERTIFICATE_FILE_SIZE
    } else {
        der.len().div_ceil(256) * 256
    }
}

/// Up to `ne` bytes at `offset` of a file holding `content` followed by `filler` up to `size`
/// bytes; `None` when `offset` is at or past the end.
pub fn read(content: &[u8], filler: u8, size: usize, offset: usize, ne: usize) -> Option<Vec<u8>> {
    if offset >= size {
        return None;
    }
    let end = size.min(offset.saturating_add(ne));
    Some(
        (offset..end)
            .map(|i| content.get(i).copied().unwrap_or(filler))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_content_then_filler_and_stops_at_the_end() {
        assert_eq!(read(b"abc", 0xFF, 5, 1, 10), Some(b"bc\xFF\xFF".to_vec()));
        assert_eq!(read(b"abc", 0xFF, 5, 0, 2), Some(b"ab".to_vec()));
        assert_eq!(read(b"abc", 0xFF, 5, 5, 1), None);
        assert_eq!(read(b"abc", 0xFF, 5, usize::MAX, usize::MAX), None);
    }

    #[test]
    fn pads_the_token_label_with_spaces() {
        let file = token_file(b"JPKIAPICCTOKEN2");
        assert_eq!(file.len(), 32);
        assert_eq!(&file[..15], b"JPKIAPICCTOKEN2");
        assert!(file[15..].iter().all(|&b| b == b' '));
        assert_eq!(token_file(&[b'X'; 40]), vec![b'X'; 32]);
    }

    #[test]
    fn the_jpki_application_has_the_published_files() {
        assert_eq!(App::from_aid(&JPKI_AID), Some(App::Jpki));
        assert_eq!(App::from_aid(&JPKI_AID[..9]), None, "no partial DF names");
        for (fid, ef) in [
            (0x0001, Ef::Certificate(Cert::Sign)),
            (0x0002, Ef::Certificate(Cert::SignCa)),
            (0x0006, Ef::Token),
            (0x000A, Ef::Certificate(Cert::Auth)),
            (0x000B, Ef::Certificate(Cert::AuthCa)),
            (0x0017, Ef::Key(Pair::Auth)),
            (0x0018, Ef::Pin(Pair::Auth)),
            (0x001A, Ef::Key(Pair::Sign)),
            (0x001B, Ef::Pin(Pair::Sign)),
        ] {
            assert_eq!(Ef::find(App::Jpki, fid), Some(ef), "{fid:04X}");
        }
        assert_eq!(Ef::find(App::Jpki, 0x0011), None);
        assert_eq!((Pair::Auth.max_tries(), Pair::Sign.max_tries()), (3, 5));
    }

    #[test]
    fn certificate_files_hold_long_certificates() {
        assert_eq!(certificate_file_size(&[0; 1500]), CERTIFICATE_FILE_SIZE);
        assert_eq!(certificate_file_size(&[0; 2561]), 2816);
    }
}
