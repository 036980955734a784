//! The master file's identification objects: GET DATA by tag, each value kept as read, with
//! typed readings where its form is known.

use std::fmt;

use super::MasterFile;
use crate::apdu::StatusWord;
use crate::calendar::CalendarDate;
use crate::card::{Card, OnReset};
use crate::data_object::DataObjectRead;
use crate::error::Result;
use crate::files::Content;
use crate::municipality::MunicipalityCode;
use crate::transport::Transport;

/// Tags of the master file's data objects (P1‖P2 of GET DATA), as myna-card names them.
pub mod tag {
    /// The card identification number, ASCII (described only by myna-card).
    pub const CARD_IDENTIFICATION_NUMBER: u16 = 0x0045;
    /// The issuing municipality's code: five ASCII digits (myna-card; sc-tools-myna's
    /// `CityId`).
    pub const MUNICIPALITY_CODE: u16 = 0x00F0;
    /// The card's expiry date: eight ASCII digits, `YYYYMMDD` (myna-card; sc-tools-myna's
    /// `Expiry`).
    pub const EXPIRY: u16 = 0x00F2;
}

/// The most bytes asked for with an extended Le.
const MAX_OBJECT_LEN: usize = 4096;

/// What GET DATA gave for one object.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DataObject {
    /// The object's value as the card sent it.
    Read(Vec<u8>),
    /// The card answered `6700` to a short Le and the transport does not carry extended
    /// APDUs (or the card refused the extended one too): over this transport the object
    /// cannot be read.
    NeedsExtendedLength,
    /// The card has no such object here (`6A88`, `6A82` or `6A86`): an application is
    /// selected (the objects answer only before any is), or this card lacks the object
    /// (myna-card: which objects answer varies between cards).
    NotAvailable(StatusWord),
}

impl DataObject {
    /// The value, when the object was read.
    pub fn value(&self) -> Option<&[u8]> {
        match self {
            DataObject::Read(value) => Some(value),
            _ => None,
        }
    }
}

impl fmt::Debug for DataObject {
    /// The value's length only (the card identification number identifies the card).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataObject::Read(value) => write!(f, "Read({} bytes)", value.len()),
            DataObject::NeedsExtendedLength => f.write_str("NeedsExtendedLength"),
            DataObject::NotAvailable(status) => write!(f, "NotAvailable({status})"),
        }
    }
}

impl From<DataObjectRead> for DataObject {
    fn from(read: DataObjectRead) -> Self {
        match read {
            DataObjectRead::Value(mut value) => DataObject::Read(std::mem::take(&mut *value)),
            DataObjectRead::NeedsExtendedLength => DataObject::NeedsExtendedLength,
            DataObjectRead::NotFound(status) => DataObject::NotAvailable(status),
        }
    }
}

/// The master file's identification objects, each as read, with typed readings.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MasterFileData {
    /// `0045`: the card identification number.
    pub card_identification_number: DataObject,
    /// `00F0`: the issuing municipality's code.
    pub municipality_code: DataObject,
    /// `00F2`: the card's expiry date.
    pub expiry: DataObject,
}

impl MasterFileData {
    /// Reads the three values (any bytes; the typed readings check their form).
    pub fn from_values(
        card_identification_number: DataObject,
        municipality_code: DataObject,
        expiry: DataObject,
    ) -> Self {
        Self {
            card_identification_number,
            municipality_code,
            expiry,
        }
    }

    /// The card identification number as text: its value when it is printable ASCII,
    /// trailing spaces and NULs trimmed.
    pub fn card_identification_number(&self) -> Option<&str> {
        let value = self.card_identification_number.value()?;
        let end = value
            .iter()
            .rposition(|b| !matches!(b, b' ' | 0x00))
            .map_or(0, |i| i + 1);
        let text = value.get(..end)?;
        (!text.is_empty() && text.iter().all(|b| b.is_ascii_graphic() || *b == b' '))
            .then(|| std::str::from_utf8(text).ok())
            .flatten()
    }

    /// The issuing municipality, when its value is five ASCII digits.
    pub fn municipality_code(&self) -> Option<MunicipalityCode> {
        MunicipalityCode::parse(self.municipality_code.value()?)
    }

    /// The expiry date, when its value is a real `YYYYMMDD` date.
    pub fn expiry(&self) -> Option<CalendarDate> {
        CalendarDate::parse_yyyymmdd(self.expiry.value()?)
    }

    /// Whether any of the objects needed an extended Le the transport could not carry.
    pub fn needs_extended_length(&self) -> bool {
        [
            &self.card_identification_number,
            &self.municipality_code,
            &self.expiry,
        ]
        .into_iter()
        .any(|object| *object == DataObject::NeedsExtendedLength)
    }
}

/// The identification number is masked in traces; the other objects are not.
fn content_of(tag: u16) -> Content {
    if tag == tag::CARD_IDENTIFICATION_NUMBER {
        Content::Personal
    } else {
        Content::Public
    }
}

fn read_in<T: Transport>(card: &mut Card<T>, tag: u16) -> Result<DataObject> {
    card.get_data_object(tag, MAX_OBJECT_LEN, content_of(tag))
        .map(DataObject::from)
}

impl<T: Transport> MasterFile<'_, T> {
    /// One data object, selecting nothing: GET DATA `00 CA P1 P2 00`; on `6700`, once more
    /// with an extended Le where the transport carries one. 1 APDU, 2 with the retry; once a
    /// retry succeeded, the session asks with the extended Le first (1 APDU).
    pub fn read_data_object(&mut self, tag: u16) -> Result<DataObject> {
        self.card
            .operation(OnReset::Repeat, |card| read_in(card, tag))
    }

    /// The card identification number, the municipality code and the expiry date, in one
    /// transaction, selecting nothing: 3 GET DATA on a card answering a short Le; 4 on a card
    /// wanting an extended Le over a transport carrying one (the first object's retry, then
    /// the extended Le first); 3 over a transport that cannot, each object then
    /// [`DataObject::NeedsExtendedLength`].
    pub fn read_card_data(&mut self) -> Result<MasterFileData> {
        self.card.operation(OnReset::Repeat, |card| {
            Ok(MasterFileData {
                card_identification_number: read_in(card, tag::CARD_IDENTIFICATION_NUMBER)?,
                municipality_code: read_in(card, tag::MUNICIPALITY_CODE)?,
                expiry: read_in(card, tag::EXPIRY)?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(cin: &[u8], code: &[u8], expiry: &[u8]) -> MasterFileData {
        MasterFileData::from_values(
            DataObject::Read(cin.to_vec()),
            DataObject::Read(code.to_vec()),
            DataObject::Read(expiry.to_vec()),
        )
    }

    #[test]
    fn typed_readings_check_their_form() {
        let good = data(b"AB123 \0", b"13101", b"20350217");
        assert_eq!(good.card_identification_number(), Some("AB123"));
        assert_eq!(
            good.municipality_code().map(|c| c.prefecture_code()),
            Some(13)
        );
        assert_eq!(good.expiry(), CalendarDate::new(2035, 2, 17));
        assert!(!good.needs_extended_length());
        assert!(!format!("{good:?}").contains("AB123"));
        let bad = data(b"\x01\x02", b"1310", b"20351317");
        assert_eq!(bad.card_identification_number(), None);
        assert_eq!(bad.municipality_code(), None);
        assert_eq!(bad.expiry(), None);
        let missing = MasterFileData::from_values(
            DataObject::NeedsExtendedLength,
            DataObject::NotAvailable(StatusWord::REFERENCED_DATA_NOT_FOUND),
            DataObject::Read(Vec::new()),
        );
        assert!(missing.needs_extended_length());
        assert_eq!(missing.card_identification_number(), None);
        assert_eq!(missing.expiry(), None);
    }
}
