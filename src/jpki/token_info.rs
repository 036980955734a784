//! The token information file (EF 0006): what kind of token answers as the JPKI application.
//!
//! Its first 32 bytes are the token's label, padded: `JPKIAPICCTOKEN2` on the plastic card
//! (OpenSC, jpki/myna, myna-card), `JPKIAPICCTOKEN` on the old 住基カード (OpenSC),
//! `JPKIAPGPSETOKEN` for the smartphone credential on Android and `JPKIAPIOSTOKEN` on iPhone
//! (jpki/myna, myna-card). Cards pad with spaces; jpki/myna's dummy card pads with NULs; both
//! are trimmed. myna-card reads the whole file of a real card as a 160-byte PKCS #11
//! `CK_TOKEN_INFO` (label, manufacturer id, model, serial number, then 32-bit big-endian
//! counters); jpki/myna reads the first 32 bytes. Both sizes are read here, the record's fields
//! only from a file of 160 bytes or more.
//!
//! The Android credential gives its user-authentication certificate only after the auth PIN
//! (only jpki/myna reports it, from a user's crash report); what the session learns of the
//! token is kept for the session, so that asking again costs no APDU.

use std::fmt;

use super::{ef, token, CardKind, Jpki, APPLICATION};
use crate::apdu::StatusWord;
use crate::card::{status_error, Card, OnReset};
use crate::commands;
use crate::error::{Error, Result};
use crate::transport::Transport;

/// Bytes asked for when reading the whole token file: a short Le of 256 (the card answers
/// with what the file holds, 160 bytes on the card myna-card read).
const WHOLE_FILE: usize = 256;
/// `6282`: end of file reached before Le bytes (ISO 7816-4 warning).
const END_OF_FILE: StatusWord = StatusWord::from_u16(0x6282);
/// The length of the PKCS #11 record myna-card reads.
pub const RECORD_LEN: usize = 160;

/// What the session learnt of the JPKI token.
#[derive(Clone, Debug, Default)]
pub(crate) struct TokenNotes {
    /// The kind its label names, once read.
    pub(crate) kind: Option<CardKind>,
    /// That it answered `6982` to a read of the auth certificate (it wants the auth PIN).
    pub(crate) auth_certificate_needs_pin: bool,
}

impl TokenNotes {
    /// Whether the auth certificate is known to need the auth PIN on this token.
    pub(crate) fn gates_auth_certificate(&self) -> bool {
        self.auth_certificate_needs_pin || self.kind == Some(CardKind::AndroidToken)
    }
}

/// The label field, trimmed of spaces, NULs and `FF` filler at both ends.
pub(crate) fn label_of(file: &[u8]) -> &[u8] {
    let label = file.get(..token::LEN).unwrap_or(file);
    let filler = |b: &u8| matches!(b, b' ' | 0x00 | 0xFF);
    let start = label.iter().position(|b| !filler(b)).unwrap_or(label.len());
    let end = label
        .iter()
        .rposition(|b| !filler(b))
        .map_or(start, |i| i + 1);
    label.get(start..end).unwrap_or_default()
}

/// The kind a (trimmed) label names.
pub(crate) fn kind_of(label: &[u8]) -> CardKind {
    match label {
        token::MY_NUMBER_CARD => CardKind::MyNumberCard,
        token::JUKI_CARD => CardKind::JukiCard,
        token::ANDROID => CardKind::AndroidToken,
        token::IPHONE => CardKind::IphoneToken,
        other => CardKind::Other(printable(other)),
    }
}

/// `bytes` as text, anything but printable ASCII shown as `?`.
fn printable(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '?'
            }
        })
        .collect()
}

/// A fixed text field of the PKCS #11 record, padding trimmed.
fn text_field(bytes: &[u8]) -> String {
    printable(label_of(bytes))
}

/// The token information file (EF 0006), as [`Jpki::token_info`] reads it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenInfo {
    /// The kind of token its label names.
    pub kind: CardKind,
    /// The label, trimmed of spaces and NULs (printable ASCII; other bytes as `?`).
    pub label: String,
    /// The rest of the PKCS #11 record, when the file holds one (160 bytes).
    pub record: Option<TokenRecord>,
    /// The file's bytes as read.
    pub raw: Vec<u8>,
}

/// The PKCS #11 `CK_TOKEN_INFO` fields after the label, as myna-card lays them out (the only
/// source): text fields trimmed, the integers 32-bit big-endian.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenRecord {
    /// `manufacturerID` (32 bytes).
    pub manufacturer_id: String,
    /// `model` (16 bytes).
    pub model: String,
    /// `serialNumber` (16 bytes): `Debug` shows its length only.
    pub serial_number: String,
    /// `flags` (`CKF_*`).
    pub flags: u32,
    /// `ulMaxPinLen`.
    pub max_pin_len: u32,
    /// `ulMinPinLen`.
    pub min_pin_len: u32,
}

impl TokenInfo {
    /// Reads the file's bytes: the label from the first 32 (or fewer), the record's fields
    /// from a file of at least 160 bytes. Never fails.
    pub fn parse(file: &[u8]) -> Self {
        let label = label_of(file);
        Self {
            kind: kind_of(label),
            label: printable(label),
            record: file.get(..RECORD_LEN).and_then(TokenRecord::parse),
            raw: file.to_vec(),
        }
    }
}

impl TokenRecord {
    fn parse(record: &[u8]) -> Option<Self> {
        let word = |at: usize| -> Option<u32> {
            Some(u32::from_be_bytes(record.get(at..at + 4)?.try_into().ok()?))
        };
        Some(Self {
            manufacturer_id: text_field(record.get(32..64)?),
            model: text_field(record.get(64..80)?),
            serial_number: text_field(record.get(80..96)?),
            flags: word(96)?,
            max_pin_len: word(116)?,
            min_pin_len: word(120)?,
        })
    }
}

impl fmt::Debug for TokenInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenInfo")
            .field("kind", &self.kind)
            .field("label", &self.label)
            .field("record", &self.record)
            .field("raw", &format_args!("{} bytes", self.raw.len()))
            .finish()
    }
}

impl fmt::Debug for TokenRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRecord")
            .field("manufacturer_id", &self.manufacturer_id)
            .field("model", &self.model)
            .field(
                "serial_number",
                &format_args!("{} characters", self.serial_number.len()),
            )
            .field("flags", &format_args!("{:#010X}", self.flags))
            .field("max_pin_len", &self.max_pin_len)
            .field("min_pin_len", &self.min_pin_len)
            .finish()
    }
}

impl<T: Transport> Jpki<'_, T> {
    /// Reads the whole token file (EF 0006): SELECT AP and SELECT EF (unless selected), then
    /// one READ BINARY asking for 256 bytes, which a card answers with what the file holds
    /// (32 bytes, or the 160-byte PKCS #11 record): 3 APDUs. A card refusing a read past the
    /// end of the file (`6700`, `6B00`, `6282`) is asked for the 32-byte label instead.
    pub fn token_info(&mut self) -> Result<TokenInfo> {
        self.card().operation(OnReset::Repeat, |card| {
            Jpki::new(card).select()?;
            card.select_file(APPLICATION, ef::TOKEN)?;
            let whole = commands::read_binary(0, WHOLE_FILE)?;
            let response = card.transmit(&whole)?;
            let status = response.status();
            let file = if status == StatusWord::SUCCESS
                || (status == END_OF_FILE && !response.data().is_empty())
            {
                response.into_data()
            } else if matches!(
                status,
                StatusWord::WRONG_LENGTH | StatusWord::WRONG_P1_P2 | END_OF_FILE
            ) {
                card.transmit_ok(&commands::read_binary(0, token::LEN)?)?
                    .into_data()
            } else {
                return Err(status_error(status, &whole));
            };
            let info = TokenInfo::parse(&file);
            note_kind(card, &info.kind);
            Ok(info)
        })
    }

    /// The kind of token, from what the session learnt or else from the label (SELECT EF
    /// 0006 and one READ BINARY of 32 bytes, remembered for the session). Call inside one
    /// operation, with the JPKI application selected.
    pub(crate) fn kind_in_transaction(&mut self) -> Result<CardKind> {
        if let Some(kind) = self
            .card()
            .note::<TokenNotes>()
            .and_then(|n| n.kind.clone())
        {
            return Ok(kind);
        }
        self.identify_in_transaction()
    }

    /// What the session knows of the token.
    pub(crate) fn notes(&mut self) -> TokenNotes {
        self.card()
            .note::<TokenNotes>()
            .cloned()
            .unwrap_or_default()
    }

    /// The error for an auth-certificate read answered `6982`: on the Android credential
    /// (from its label, read once per session if not known yet)
    /// [`Error::AuthCertificateNeedsPin`], else [`Error::SecurityStatusNotSatisfied`].
    pub(crate) fn gated_auth_certificate_error(&mut self) -> Result<Error> {
        let kind = self.kind_in_transaction()?;
        if kind == CardKind::AndroidToken {
            note_auth_certificate_needs_pin(self.card());
            Ok(Error::AuthCertificateNeedsPin)
        } else {
            Ok(Error::SecurityStatusNotSatisfied)
        }
    }
}

/// Records the token kind an identification found.
pub(crate) fn note_kind<T: Transport>(card: &mut Card<T>, kind: &CardKind) {
    let kind = kind.clone();
    card.update_note(|note: &mut TokenNotes| note.kind = Some(kind));
}

/// Records that the token answered `6982` to a read of the auth certificate.
pub(crate) fn note_auth_certificate_needs_pin<T: Transport>(card: &mut Card<T>) {
    card.update_note(|note: &mut TokenNotes| note.auth_certificate_needs_pin = true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_trimmed_of_spaces_and_nuls() {
        let mut file = b"JPKIAPGPSETOKEN".to_vec();
        file.resize(32, 0);
        assert_eq!(TokenInfo::parse(&file).kind, CardKind::AndroidToken);
        let mut file = b"JPKIAPIOSTOKEN".to_vec();
        file.resize(32, b' ');
        assert_eq!(TokenInfo::parse(&file).kind, CardKind::IphoneToken);
        assert_eq!(
            TokenInfo::parse(b"  JPKIAPICCTOKEN2\0\0").kind,
            CardKind::MyNumberCard
        );
        let other = TokenInfo::parse(b"ABC\x01");
        assert_eq!(other.kind, CardKind::Other("ABC?".into()));
        assert!(other.record.is_none());
        assert_eq!(TokenInfo::parse(b"").kind, CardKind::Other(String::new()));
    }

    #[test]
    fn a_160_byte_file_gives_the_record() {
        let mut file = vec![b' '; RECORD_LEN];
        file[..15].copy_from_slice(b"JPKIAPICCTOKEN2");
        file[32..36].copy_from_slice(b"J-LI");
        file[64..68].copy_from_slice(b"JPKI");
        file[80..84].copy_from_slice(b"0001");
        file[96..100].copy_from_slice(&0x0000_040Du32.to_be_bytes());
        file[116..120].copy_from_slice(&16u32.to_be_bytes());
        file[120..124].copy_from_slice(&4u32.to_be_bytes());
        let info = TokenInfo::parse(&file);
        assert_eq!(info.kind, CardKind::MyNumberCard);
        let record = info.record.unwrap();
        assert_eq!(record.manufacturer_id, "J-LI");
        assert_eq!(
            (record.flags, record.max_pin_len, record.min_pin_len),
            (0x40D, 16, 4)
        );
        assert!(!format!("{record:?}").contains("0001"));
        assert!(TokenInfo::parse(&file[..159]).record.is_none());
    }
}
