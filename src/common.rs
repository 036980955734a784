//! The common application (共通AP, as myna-card names it; jpki/myna reads it as an
//! "unknown AID"): the card's own record, read by READ RECORD, and a PIN whose tries can be
//! asked.
//!
//! - EF 0001 is record-structured. Record 1 holds, as myna-card reads it off a real card, a
//!   simple-TLV object `01 1C` and 28 ASCII digits: the card's manufacture serial number
//!   (製造番号, 15 digits), the issuing municipality's code (5 digits, the first two the
//!   prefecture's) and the card's expiry date (`YYYYMMDD`). Only myna-card gives this layout;
//!   jpki/myna reads the same record by short file identifier (`00 B2 01 0C`) and takes
//!   characters 2 to 15 of its value for the national portal's combination code, and
//!   yuki-js's sc-tools-myna reads the record's value as the card id, which agrees with a
//!   15-digit serial first. The record is kept whole in [`CommonRecord::raw`]; its fields are
//!   read only where it has that form.
//! - EF 001C is a PIN (myna-card: a four-digit PIN of the 本人確認業務用領域, separate from the
//!   resident-registry application's, though applications show the two as one). Only its
//!   tries are asked here, with the empty VERIFY that spends none; nothing in this crate
//!   needs it verified, and its format rests on myna-card alone, so no VERIFY is offered.
//!
//! ```
//! # #[cfg(feature = "virtual-card")] {
//! use mynumbercard::{Card, PinStatus, VirtualCard};
//! let mut card = Card::new(VirtualCard::new());
//! let record = card.common().read_card_record()?;
//! assert_eq!(record.municipality_code.map(|c| c.prefecture_code()), Some(13));
//! assert_eq!(record.expiry.map(|d| d.year()), Some(2035));
//! assert_eq!(card.common().pin_status()?, PinStatus::Remaining(3));
//! # }
//! # Ok::<(), mynumbercard::Error>(())
//! ```

use std::fmt;

use crate::calendar::CalendarDate;
use crate::card::{Application, Card, OnReset};
use crate::error::{Error, Result};
use crate::files::Content;
use crate::municipality::MunicipalityCode;
use crate::pin::PinStatus;
use crate::transport::Transport;

/// DF name of the common application (myna-card, jpki/myna; four apps list it for iOS).
pub const AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00];

/// The common application, as the session selects it.
pub const APPLICATION: Application = Application::new("common", &AID);

/// Elementary files of the common application, as myna-card gives them.
pub mod ef {
    /// The card's record (record-structured): serial number, municipality code, expiry.
    pub const CARD_RECORD: u16 = 0x0001;
    /// The PIN (本人確認業務用領域).
    pub const PIN: u16 = 0x001C;
}

/// The simple-TLV tag of record 1 of EF 0001 (myna-card).
const RECORD_TAG: u8 = 0x01;

/// Record 1 of the common application's EF 0001.
///
/// `Debug` shows the serial number's length only: it identifies the card.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CommonRecord {
    /// The record as read (a simple-TLV object, tag `01`, on the card myna-card read).
    pub raw: Vec<u8>,
    /// The manufacture serial number (製造番号): the first 15 digits.
    pub serial_number: Option<String>,
    /// The issuing municipality: the next 5 digits.
    pub municipality_code: Option<MunicipalityCode>,
    /// The card's expiry date: the last 8 digits, `YYYYMMDD`.
    pub expiry: Option<CalendarDate>,
}

impl CommonRecord {
    /// Reads a record: the fields when it is `01 1C` and 28 ASCII digits, else none of
    /// them (the bytes are kept in `raw` either way). Never fails.
    pub fn parse(record: &[u8]) -> Self {
        let mut parsed = Self {
            raw: record.to_vec(),
            serial_number: None,
            municipality_code: None,
            expiry: None,
        };
        let Some((RECORD_TAG, value)) = simple_tlv(record) else {
            return parsed;
        };
        let (Some(serial), Some(code), Some(expiry), 28) = (
            value.get(..15),
            value.get(15..20),
            value.get(20..28),
            value.len(),
        ) else {
            return parsed;
        };
        if !value.iter().all(u8::is_ascii_digit) {
            return parsed;
        }
        parsed.serial_number = std::str::from_utf8(serial).ok().map(str::to_owned);
        parsed.municipality_code = MunicipalityCode::parse(code);
        parsed.expiry = CalendarDate::parse_yyyymmdd(expiry);
        parsed
    }

    /// The prefecture code, the municipality code's first two digits.
    pub fn prefecture_code(&self) -> Option<u8> {
        self.municipality_code.map(|code| code.prefecture_code())
    }
}

impl fmt::Debug for CommonRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CommonRecord")
            .field("raw", &format_args!("{} bytes", self.raw.len()))
            .field(
                "serial_number",
                &self
                    .serial_number
                    .as_ref()
                    .map(|s| format!("{} digits", s.len())),
            )
            .field("municipality_code", &self.municipality_code)
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// One simple-TLV object filling `bytes` (ISO/IEC 7816-4: a tag byte other than `00` and
/// `FF`, a length byte `00`–`FE` or `FF` and two length bytes, the value), as
/// `(tag, value)`; `None` for anything else, trailing bytes included.
pub(crate) fn simple_tlv(bytes: &[u8]) -> Option<(u8, &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    if tag == 0x00 || tag == 0xFF {
        return None;
    }
    let (len, value) = match rest {
        [0xFF, hi, lo, value @ ..] => (usize::from(u16::from_be_bytes([*hi, *lo])), value),
        [len, value @ ..] => (usize::from(*len), value),
        [] => return None,
    };
    (value.len() == len).then_some((tag, value))
}

/// The common application of a [`Card`]; borrow it with [`Card::common`].
///
/// Each method runs in one transaction. Selecting this application clears other
/// applications' verified PINs on the card (as selecting any application does).
#[derive(Debug)]
pub struct Common<'a, T> {
    card: &'a mut Card<T>,
}

impl<T: Transport> Common<'_, T> {
    /// The tries left of the common application's PIN (EF 001C): SELECT AP and SELECT EF
    /// (unless selected), then an empty VERIFY, which spends no try: 3 APDUs.
    pub fn pin_status(&mut self) -> Result<PinStatus> {
        self.card.operation(OnReset::Repeat, |card| {
            card.reference_status(APPLICATION, ef::PIN)
        })
    }

    /// Reads record 1 of EF 0001, free to read (jpki/myna, myna-card and sc-tools-myna read
    /// it with no PIN): SELECT AP (unless selected) and READ RECORD by short file identifier,
    /// `00 B2 01 0C 00`: 2 APDUs; on a card refusing that form, SELECT EF and
    /// `00 B2 01 04 00` instead (4 APDUs, then 3 for the rest of the session). Traces show
    /// the record's length only.
    pub fn read_card_record(&mut self) -> Result<CommonRecord> {
        self.card.operation(OnReset::Repeat, |card| {
            let record = card.read_record(APPLICATION, ef::CARD_RECORD, 1, Content::Personal)?;
            if record.is_empty() {
                return Err(Error::MalformedResponse("empty record"));
            }
            Ok(CommonRecord::parse(&record))
        })
    }
}

impl<T: Transport> Card<T> {
    /// The common application (共通AP).
    pub fn common(&mut self) -> Common<'_, T> {
        Common { card: self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_layout_myna_card_gives() {
        let record = CommonRecord::parse(b"\x01\x1c4000000127198431322120350217");
        assert_eq!(record.serial_number.as_deref(), Some("400000012719843"));
        assert_eq!(
            record.municipality_code.map(|c| c.to_string()).as_deref(),
            Some("13221")
        );
        assert_eq!(record.prefecture_code(), Some(13));
        assert_eq!(record.expiry, CalendarDate::new(2035, 2, 17));
        assert!(!format!("{record:?}").contains("400000012719843"));
    }

    #[test]
    fn keeps_the_bytes_of_another_layout() {
        for other in [
            &b"\x02\x1c4000000127198431322120350217"[..],
            b"\x01\x1b400000012719843132212035021",
            b"\x01\x1c40000001271984313221203502XX",
            b"\x01\x1c4000000127198431322120350217\x00",
            b"\x01",
            b"",
        ] {
            let record = CommonRecord::parse(other);
            assert_eq!(record.raw, other);
            assert_eq!(
                (record.serial_number, record.municipality_code),
                (None, None)
            );
        }
        // A real date is needed for the expiry, not for the rest.
        let record = CommonRecord::parse(b"\x01\x1c4000000127198431322120351317");
        assert_eq!(record.expiry, None);
        assert!(record.serial_number.is_some());
    }

    #[test]
    fn simple_tlv_lengths() {
        assert_eq!(simple_tlv(&[0x01, 0x02, 7, 8]), Some((0x01, &[7, 8][..])));
        assert_eq!(
            simple_tlv(&[0x01, 0xFF, 0x00, 0x01, 9]),
            Some((0x01, &[9][..]))
        );
        assert_eq!(simple_tlv(&[0x01, 0x03, 7, 8]), None);
        assert_eq!(simple_tlv(&[0x00, 0x00]), None);
        assert_eq!(simple_tlv(&[0xFF, 0x00]), None);
    }
}
