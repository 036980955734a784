//! The virtual card's file system: applications (DFs by AID) and the JPKI application's
//! elementary files, with their sizes, filler and access rules.

use crate::jpki::{ef, token, KeyKind, PinKind};

/// AIDs of the applications the card answers SELECT for [PROTOCOL.md, agreed].
const CARD_INFO_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];
const CARD_FACE_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02];
const COMMON_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00];

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
    /// 券面事項入力補助AP (empty for now).
    CardInfo,
    /// 券面AP (empty for now).
    CardFace,
    /// The resident-registry / common AP (empty for now).
    Common,
}

impl App {
    /// The application with this exact DF name.
    pub fn from_aid(aid: &[u8]) -> Option<Self> {
        match aid {
            a if a == crate::jpki::AID => Some(App::Jpki),
            a if a == CARD_INFO_AID => Some(App::CardInfo),
            a if a == CARD_FACE_AID => Some(App::CardFace),
            a if a == COMMON_AID => Some(App::Common),
            _ => None,
        }
    }
}

/// An elementary file of the JPKI application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ef {
    /// A certificate: DER followed by filler.
    Certificate(crate::jpki::CertificateKind),
    /// The token information file (EF 0006).
    Token,
    /// A private key (EF 0017, 001A): usable by COMPUTE DIGITAL SIGNATURE, never readable.
    Key(KeyKind),
    /// A PIN (EF 0018, 001B): usable by VERIFY, never readable.
    Pin(PinKind),
}

impl Ef {
    /// The EF `fid` of `app`, if it has one. The other applications have no files yet.
    pub fn find(app: App, fid: u16) -> Option<Self> {
        use crate::jpki::CertificateKind as C;
        if app != App::Jpki {
            return None;
        }
        Some(match fid {
            ef::SIGN_CERT => Ef::Certificate(C::Sign),
            ef::SIGN_CA_CERT => Ef::Certificate(C::SignCa),
            ef::TOKEN => Ef::Token,
            ef::AUTH_CERT => Ef::Certificate(C::Auth),
            ef::AUTH_CA_CERT => Ef::Certificate(C::AuthCa),
            ef::AUTH_KEY => Ef::Key(KeyKind::Auth),
            ef::AUTH_PIN => Ef::Pin(PinKind::Auth),
            ef::SIGN_KEY => Ef::Key(KeyKind::Sign),
            ef::SIGN_PIN => Ef::Pin(PinKind::Sign),
            _ => return None,
        })
    }
}

/// The token file's content: the label padded with spaces to 32 bytes (a longer label is cut
/// at 32) [agreed: OpenSC, myna].
pub fn token_file(label: &[u8]) -> Vec<u8> {
    let mut file: Vec<u8> = label.iter().copied().take(token::LEN).collect();
    file.resize(token::LEN, b' ');
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
    fn certificate_files_hold_long_certificates() {
        assert_eq!(certificate_file_size(&[0; 1500]), CERTIFICATE_FILE_SIZE);
        assert_eq!(certificate_file_size(&[0; 2561]), 2816);
    }
}
