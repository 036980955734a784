//! The reads beyond the JPKI, card-info and card-face tasks: the common and resident-registry
//! applications, the master file's data objects, the JPKI token file (EF 0006) and the
//! certificate list (EF 0008). Each value is passed as the card gave it, with the typed
//! readings the core makes where its form is known.

use mynumbercard::common::CommonRecord as CoreCommonRecord;
use mynumbercard::jpki::{
    CertificateAvailability as CoreAvailability, Presence, TokenInfo as CoreTokenInfo,
};
use mynumbercard::master_file::{DataObject as CoreDataObject, MasterFileData as CoreMfData};

use crate::card::MyNumberCard;
use crate::error::CardError;
use crate::types::{CalendarDate, CardKind, SecretStatus};

/// Record 1 of the common application's EF 0001 (layout as myna-card reads it; only it gives
/// one).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct CommonRecord {
    /// The record as read.
    pub raw: Vec<u8>,
    /// The card's manufacture serial number (製造番号), 15 digits.
    pub serial_number: Option<String>,
    /// The issuing municipality's code, 5 digits.
    pub municipality_code: Option<String>,
    /// The prefecture code, the municipality code's first two digits.
    pub prefecture_code: Option<u8>,
    /// The card's expiry date.
    pub expiry: Option<CalendarDate>,
}

impl From<CoreCommonRecord> for CommonRecord {
    fn from(record: CoreCommonRecord) -> Self {
        Self {
            prefecture_code: record.prefecture_code(),
            municipality_code: record.municipality_code.map(|code| code.to_string()),
            expiry: record.expiry.map(CalendarDate::from),
            serial_number: record.serial_number,
            raw: record.raw,
        }
    }
}

/// What GET DATA gave for one of the master file's objects.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum DataObject {
    /// The value, as the card sent it.
    Read {
        /// The bytes.
        value: Vec<u8>,
    },
    /// The card wants an extended Le and the transport cannot carry one.
    NeedsExtendedLength,
    /// The card has no such object here (an application is selected, or the card lacks it).
    NotAvailable {
        /// The status word it answered.
        status: u16,
    },
}

impl From<&CoreDataObject> for DataObject {
    fn from(object: &CoreDataObject) -> Self {
        match object {
            CoreDataObject::Read(value) => DataObject::Read {
                value: value.clone(),
            },
            CoreDataObject::NotAvailable(status) => DataObject::NotAvailable {
                status: status.to_u16(),
            },
            _ => DataObject::NeedsExtendedLength,
        }
    }
}

/// The master file's identification objects (described by myna-card; the municipality and
/// expiry ones by sc-tools-myna too).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct MasterFileData {
    /// `0045`, as read.
    pub card_identification_number: DataObject,
    /// `00F0`, as read.
    pub municipality_code: DataObject,
    /// `00F2`, as read.
    pub expiry: DataObject,
    /// The identification number as text, when it is printable ASCII.
    pub card_identification_number_text: Option<String>,
    /// The municipality code, when it is 5 digits.
    pub municipality: Option<String>,
    /// The expiry date, when it is a real `YYYYMMDD` date.
    pub expiry_date: Option<CalendarDate>,
}

impl From<CoreMfData> for MasterFileData {
    fn from(data: CoreMfData) -> Self {
        Self {
            card_identification_number_text: data.card_identification_number().map(str::to_owned),
            municipality: data.municipality_code().map(|code| code.to_string()),
            expiry_date: data.expiry().map(CalendarDate::from),
            card_identification_number: (&data.card_identification_number).into(),
            municipality_code: (&data.municipality_code).into(),
            expiry: (&data.expiry).into(),
        }
    }
}

/// The JPKI token file (EF 0006).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct TokenInfo {
    /// The kind of token its label names.
    pub kind: CardKind,
    /// The label, spaces and NULs trimmed.
    pub label: String,
    /// The PKCS #11 record's manufacturer id, when the file holds the record (160 bytes).
    pub manufacturer_id: Option<String>,
    /// Its model.
    pub model: Option<String>,
    /// Its serial number.
    pub serial_number: Option<String>,
    /// Its `CKF_*` flags.
    pub flags: Option<u32>,
    /// The file as read.
    pub raw: Vec<u8>,
}

impl From<CoreTokenInfo> for TokenInfo {
    fn from(info: CoreTokenInfo) -> Self {
        let record = info.record;
        Self {
            kind: info.kind.into(),
            label: info.label,
            manufacturer_id: record.as_ref().map(|r| r.manufacturer_id.clone()),
            model: record.as_ref().map(|r| r.model.clone()),
            serial_number: record.as_ref().map(|r| r.serial_number.clone()),
            flags: record.as_ref().map(|r| r.flags),
            raw: info.raw,
        }
    }
}

/// What EF 0008 says of one certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CertificatePresence {
    /// `8F`: held (the value myna-card read).
    Present,
    /// `00`: not held (myna-card's example; no real card's trace).
    Absent,
    /// Another value.
    Other {
        /// The byte.
        value: u8,
    },
}

impl From<Presence> for CertificatePresence {
    fn from(presence: Presence) -> Self {
        match presence {
            Presence::Present => CertificatePresence::Present,
            Presence::Absent => CertificatePresence::Absent,
            Presence::Other(value) => CertificatePresence::Other { value },
            _ => CertificatePresence::Other { value: 0xFF },
        }
    }
}

/// EF 0008: which certificates the card holds (described only by myna-card).
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct CertificateAvailability {
    /// The signature certificate.
    pub sign: CertificatePresence,
    /// The user-authentication certificate.
    pub auth: CertificatePresence,
    /// The three bytes as read.
    pub raw: Vec<u8>,
}

impl From<CoreAvailability> for CertificateAvailability {
    fn from(availability: CoreAvailability) -> Self {
        Self {
            sign: availability.sign().into(),
            auth: availability.auth().into(),
            raw: availability.raw().to_vec(),
        }
    }
}

#[uniffi::export]
impl MyNumberCard {
    /// Record 1 of the common application's EF 0001 (the card's serial number, issuing
    /// municipality, expiry), no PIN: 2 APDUs.
    pub fn read_common_record(&self) -> Result<CommonRecord, CardError> {
        self.with(|card| Ok(card.common().read_card_record()?.into()))
    }

    /// The tries left of the common application's PIN, without spending one: 2 APDUs.
    pub fn common_pin_status(&self) -> Result<SecretStatus, CardError> {
        self.with(|card| Ok(card.common().pin_status()?.into()))
    }

    /// The tries left of the resident-registry application's PIN, without spending one: 2
    /// APDUs.
    pub fn juki_pin_status(&self) -> Result<SecretStatus, CardError> {
        self.with(|card| Ok(card.juki().pin_status()?.into()))
    }

    /// The master file's identification objects, by GET DATA, selecting nothing: 3 APDUs.
    /// Call it first in a session: the objects answer only before any application is
    /// selected.
    pub fn read_master_file_data(&self) -> Result<MasterFileData, CardError> {
        self.with(|card| Ok(card.master_file().read_card_data()?.into()))
    }

    /// The JPKI token file (label, and the PKCS #11 record when the file holds one): 3
    /// APDUs.
    pub fn token_info(&self) -> Result<TokenInfo, CardError> {
        self.with(|card| Ok(card.jpki().token_info()?.into()))
    }

    /// EF 0008: whether the card holds the signature certificate (holders under 15 get
    /// none): 3 APDUs.
    pub fn certificate_availability(&self) -> Result<CertificateAvailability, CardError> {
        self.with(|card| Ok(card.jpki().certificate_availability()?.into()))
    }
}
