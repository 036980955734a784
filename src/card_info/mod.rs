//! The card-info input helper application (券面事項入力補助AP): the my number and the basic
//! four attributes (name, address, birth date, sex), opened by the 4-digit card-info PIN or by
//! access code A or B, each file checked against the integrity record. The files, their
//! layouts and which secret opens which are as jpki/myna, myna-card and jsapdu describe them.
//!
//! ```
//! # #[cfg(feature = "virtual-card")] {
//! use mynumbercard::access_code::CardInfoPin;
//! use mynumbercard::card_info::CardInfoKey;
//! use mynumbercard::{Card, PinStatus, VirtualCard};
//!
//! let mut card = Card::new(VirtualCard::default());
//! let mut info = card.card_info();
//! assert_eq!(info.pin_status(CardInfoKey::Pin)?, PinStatus::Remaining(3));
//! info.verify_pin(&CardInfoPin::new("1234")?)?;
//! let data = info.read_all()?;
//! assert_eq!(data.my_number.masked(), "********9018");
//! assert_eq!(data.attributes.birth_date.to_string(), "1990-01-01");
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use sha2::{Digest, Sha256};

use crate::access_code::{AccessCodeB, CardInfoPin, MyNumber};
use crate::calendar::CalendarDate;
use crate::card::{Application, Card, OnReset};
use crate::certificate::Sex;
use crate::error::{Error, Result};
use crate::files::{self, Content, SizedFile};
use crate::guard::Guarded;
use crate::pin::sealed::Sealed;
use crate::pin::{LastTry, PinStatus, Secret};
use crate::record::Record;
use crate::tlv;
use crate::transport::Transport;

mod integrity;

use integrity::check_my_number_file;
pub(crate) use integrity::parse_integrity;
pub use integrity::IntegrityRecord;

/// DF name of the card-info input helper application (the same in jpki/myna, myna-card and
/// jsapdu).
pub const AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];

/// The card-info application, as the session selects it.
pub const APPLICATION: Application = Application::new("card-info", &AID);

/// Elementary files of the card-info application, as jpki/myna and myna-card give them.
pub mod ef {
    /// The my number: `FF 10 0C` + 12 ASCII digits + `FF FF` (17 bytes).
    pub const MY_NUMBER: u16 = 0x0001;
    /// The basic four attributes: `FF 20` { `DF21` offsets, `DF22` name, `DF23` address,
    /// `DF24` birth date, `DF25` sex }.
    pub const ATTRIBUTES: u16 = 0x0002;
    /// The integrity record: `FF 30` { `DF31` SHA-256 of 0001, `DF32` SHA-256 of 0002 from
    /// `DF22` on, `DF33` signature }.
    pub const INTEGRITY: u16 = 0x0003;
    /// The application's card-verifiable certificate (described only by myna-card).
    pub const CERTIFICATE: u16 = 0x0004;
    /// AP basic information.
    pub const AP_INFO: u16 = 0x0005;
    /// The card-info PIN: 4 digits, 3 tries.
    pub const PIN: u16 = 0x0011;
    /// Access code A (照合番号A): the my number.
    pub const ACCESS_CODE_A: u16 = 0x0014;
    /// Access code B (照合番号B).
    pub const ACCESS_CODE_B: u16 = 0x0015;
}

/// Caps on what the card may claim for each file (the real files are far smaller).
const MAX_MY_NUMBER_LEN: usize = 64;
const MAX_ATTRIBUTES_LEN: usize = 4 * 1024;
const MAX_INTEGRITY_LEN: usize = 2 * 1024;

/// The secrets that open the card-info application's files. Access code A opens the my
/// number (0001) but not the attributes, access code B the attributes (0002) but not the my
/// number, the PIN both (only myna-card reports this split).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CardInfoKey {
    /// The 4-digit card-info PIN (券面事項入力補助用暗証番号), 3 tries.
    Pin,
    /// Access code A: the 12-digit my number.
    AccessCodeA,
    /// Access code B: birth date (era `YYMMDD`), card expiry year, security code.
    AccessCodeB,
}

impl CardInfoKey {
    /// The secret, as the guard's errors name it.
    pub const fn secret(self) -> Secret {
        match self {
            CardInfoKey::Pin => Secret::CardInfoPin,
            CardInfoKey::AccessCodeA => Secret::AccessCodeA,
            CardInfoKey::AccessCodeB => Secret::AccessCodeB,
        }
    }

    /// The key's file.
    pub const fn file(self) -> u16 {
        match self {
            CardInfoKey::Pin => ef::PIN,
            CardInfoKey::AccessCodeA => ef::ACCESS_CODE_A,
            CardInfoKey::AccessCodeB => ef::ACCESS_CODE_B,
        }
    }
}

/// The basic four attributes (基本4情報) as the card-info application holds them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BasicAttributes {
    /// Name (氏名), U+3000 between family and given name.
    pub name: String,
    /// Address (住所), full-width digits.
    pub address: String,
    /// Birth date (生年月日).
    pub birth_date: CalendarDate,
    /// Sex (性別): `1` male, `2` female, `9` not applicable.
    pub sex: Sex,
}

/// Everything [`CardInfo::read_all`] reads, checked against the integrity record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CardInfoData {
    /// The my number (`Debug` masks it).
    pub my_number: MyNumber,
    /// The basic four attributes.
    pub attributes: BasicAttributes,
}

/// The card-info application of a [`Card`]; borrow it with [`Card::card_info`].
///
/// Each method runs in one transaction. Selecting this application clears the JPKI
/// application's verified PINs on the card (and the other way round).
#[derive(Debug)]
pub struct CardInfo<'a, T> {
    card: &'a mut Card<T>,
}

impl<'a, T: Transport> CardInfo<'a, T> {
    pub(crate) fn new(card: &'a mut Card<T>) -> Self {
        Self { card }
    }

    /// The tries left of `key`: SELECT AP (unless selected), then an empty VERIFY, which
    /// spends no try, naming the EF by its short file identifier (`00 20 00 80|SFI`), or after
    /// SELECT EF on a card that refused that form in this session.
    pub fn pin_status(&mut self, key: CardInfoKey) -> Result<PinStatus> {
        self.card.operation(OnReset::Repeat, |card| {
            card.reference_status(APPLICATION, key.file())
        })
    }

    /// Verifies the card-info PIN behind the lockout guard, refusing the last try: the tries
    /// first (empty VERIFY), then the PIN exactly once. Opens EF 0001, 0002 and 0003.
    pub fn verify_pin(&mut self, pin: &CardInfoPin) -> Result<()> {
        self.verify_pin_with(pin, LastTry::Refuse)
    }

    /// Verifies the card-info PIN; `last_try` says whether the last try may be spent.
    pub fn verify_pin_with(&mut self, pin: &CardInfoPin, last_try: LastTry) -> Result<()> {
        self.verify(CardInfoKey::Pin, pin.secret_bytes(), last_try)
    }

    /// Verifies access code A (the my number, its check digit validated when it was made)
    /// behind the guard, refusing the last try. Opens EF 0001 and 0003, not 0002.
    pub fn verify_access_code_a(&mut self, code: &MyNumber) -> Result<()> {
        self.verify_access_code_a_with(code, LastTry::Refuse)
    }

    /// Verifies access code A; `last_try` says whether the last try may be spent.
    pub fn verify_access_code_a_with(&mut self, code: &MyNumber, last_try: LastTry) -> Result<()> {
        self.verify(CardInfoKey::AccessCodeA, code.secret_bytes(), last_try)
    }

    /// Verifies access code B behind the guard, refusing the last try. Opens EF 0002 and
    /// 0003, not 0001.
    pub fn verify_access_code_b(&mut self, code: &AccessCodeB) -> Result<()> {
        self.verify_access_code_b_with(code, LastTry::Refuse)
    }

    /// Verifies access code B; `last_try` says whether the last try may be spent.
    pub fn verify_access_code_b_with(
        &mut self,
        code: &AccessCodeB,
        last_try: LastTry,
    ) -> Result<()> {
        self.verify(CardInfoKey::AccessCodeB, code.secret_bytes(), last_try)
    }

    fn verify(&mut self, key: CardInfoKey, secret: &[u8], last_try: LastTry) -> Result<()> {
        let guarded = Guarded {
            secret: key.secret(),
            application: APPLICATION,
            file: key.file(),
            value: secret,
        };
        self.card.verify_operation(&guarded, last_try)
    }

    /// Changes the card-info PIN: VERIFY `current` behind the guard, then CHANGE REFERENCE
    /// DATA with `new`, in one transaction, each sent once (as jpki/myna, where it is marked
    /// untested, and myna-card send them).
    pub fn change_pin(
        &mut self,
        current: &CardInfoPin,
        new: &CardInfoPin,
        last_try: LastTry,
    ) -> Result<()> {
        self.card.operation(OnReset::Fail, |card| {
            let current = Guarded {
                secret: Secret::CardInfoPin,
                application: APPLICATION,
                file: ef::PIN,
                value: current.secret_bytes(),
            };
            card.change_reference(&current, new.secret_bytes(), last_try)
        })
    }

    /// Reads the my number (EF 0001, after the PIN or access code A) and checks it against
    /// the integrity record (EF 0003): SELECT, READ BINARY, SELECT, 2 READ BINARY.
    pub fn read_my_number(&mut self) -> Result<MyNumber> {
        self.card.operation(OnReset::Repeat, |card| {
            let file = read_my_number_file(card)?;
            let integrity = read_integrity_in(card)?;
            check_my_number_file(&integrity, &file)?;
            parse_my_number(&file.content)
        })
    }

    /// Reads the basic four attributes (EF 0002, after the PIN or access code B) and checks
    /// them against the integrity record (EF 0003).
    pub fn read_attributes(&mut self) -> Result<BasicAttributes> {
        self.card.operation(OnReset::Repeat, |card| {
            let file = read_attributes_file(card)?;
            let integrity = read_integrity_in(card)?;
            check_attributes_and_parse(&integrity, &file.content)
        })
    }

    /// Reads the my number and the attributes (after the PIN), and the integrity record once,
    /// checking both files against it.
    pub fn read_all(&mut self) -> Result<CardInfoData> {
        self.card.operation(OnReset::Repeat, |card| {
            let my_number_file = read_my_number_file(card)?;
            let attributes_file = read_attributes_file(card)?;
            let integrity = read_integrity_in(card)?;
            check_my_number_file(&integrity, &my_number_file)?;
            Ok(CardInfoData {
                my_number: parse_my_number(&my_number_file.content)?,
                attributes: check_attributes_and_parse(&integrity, &attributes_file.content)?,
            })
        })
    }

    /// Reads the integrity record (EF 0003; after the PIN or either access code).
    pub fn read_integrity(&mut self) -> Result<IntegrityRecord> {
        self.card
            .operation(OnReset::Repeat, |card| read_integrity_in(card))
    }
}

fn read_my_number_file<T: Transport>(card: &mut Card<T>) -> Result<SizedFile> {
    card.read_sized(
        APPLICATION,
        ef::MY_NUMBER,
        Content::Personal,
        files::tlv_length,
        MAX_MY_NUMBER_LEN,
    )
}

fn read_attributes_file<T: Transport>(card: &mut Card<T>) -> Result<SizedFile> {
    card.read_sized(
        APPLICATION,
        ef::ATTRIBUTES,
        Content::Personal,
        files::tlv_length,
        MAX_ATTRIBUTES_LEN,
    )
}

fn read_integrity_in<T: Transport>(card: &mut Card<T>) -> Result<IntegrityRecord> {
    let file = card.read_sized(
        APPLICATION,
        ef::INTEGRITY,
        Content::Personal,
        files::tlv_length,
        MAX_INTEGRITY_LEN,
    )?;
    parse_integrity(&file.content)
}

/// `FF 10 0C` + 12 digits with a valid check digit.
pub(crate) fn parse_my_number(file: &[u8]) -> Result<MyNumber> {
    let malformed = Error::MalformedResponse;
    let (object, _) = tlv::read(file).map_err(|_| malformed("my number file"))?;
    if object.tag != 0xFF10 {
        return Err(malformed("my number file of an unexpected tag"));
    }
    let digits = std::str::from_utf8(object.value).map_err(|_| malformed("my number"))?;
    MyNumber::new(digits)
        .map_err(|_| malformed("my number without 12 digits and a valid check digit"))
}

/// Checks `DF32` against EF 0002 from `DF22` on, then reads the attributes.
pub(crate) fn check_attributes_and_parse(
    integrity: &IntegrityRecord,
    file: &[u8],
) -> Result<BasicAttributes> {
    let record = Record::parse(file, 0xFF20, 0xDF21)?;
    if <[u8; 32]>::from(Sha256::digest(record.after_table())) != integrity.attributes_sha256 {
        return Err(Error::IntegrityMismatch {
            file: ef::ATTRIBUTES,
        });
    }
    let text = |tag, what| -> Result<String> {
        let value = record.require(tag, what)?;
        String::from_utf8(value.to_vec()).map_err(|_| Error::MalformedResponse(what))
    };
    let birth = record.require(0xDF24, "birth date")?;
    let sex = record.require(0xDF25, "sex")?;
    Ok(BasicAttributes {
        name: text(0xDF22, "name")?,
        address: text(0xDF23, "address")?,
        birth_date: CalendarDate::parse_yyyymmdd(birth)
            .ok_or(Error::MalformedResponse("birth date"))?,
        sex: Sex::from_code(std::str::from_utf8(sex).map_err(|_| Error::MalformedResponse("sex"))?),
    })
}

impl<T: Transport> Card<T> {
    /// The card-info input helper application (券面事項入力補助AP).
    pub fn card_info(&mut self) -> CardInfo<'_, T> {
        CardInfo::new(self)
    }
}
