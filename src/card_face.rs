//! The card-face application (券面AP / 券面事項確認AP): what is printed on the card, as the
//! card holds it: birth date, sex, name and address as images, the face photo, the expiry
//! date and the security-code image, opened by access code A or B; the my-number image,
//! opened by access code A only. The files, their layouts and their keys are as jpki/myna,
//! myna-card and jsapdu describe them.
//!
//! ```
//! # #[cfg(feature = "virtual-card")] {
//! use mynumbercard::access_code::AccessCodeB;
//! use mynumbercard::calendar::CalendarDate;
//! use mynumbercard::{Card, VirtualCard};
//!
//! let mut card = Card::new(VirtualCard::default());
//! let mut face = card.card_face();
//! // From the card face: born 1990-01-01 (平成2年), card expiring 2035, security code 1234.
//! let code = AccessCodeB::from_parts(CalendarDate::new(1990, 1, 1).unwrap(), 2035, "1234")?;
//! face.verify_access_code_b(&code)?;
//! let record = face.read_record()?;
//! assert_eq!(record.expiry.year(), 2035);
//! assert!(record.face_photo.starts_with(&[0, 0, 0, 0x0C, b'j', b'P', b' ', b' ']));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use crate::access_code::{AccessCodeB, MyNumber};
use crate::calendar::CalendarDate;
use crate::card::{Application, Card, OnReset};
use crate::certificate::Sex;
use crate::error::{Error, Result};
use crate::files::{self, expect_signature, Content, JP2_SIGNATURE, PNG_SIGNATURE};
use crate::guard::Guarded;
use crate::pin::sealed::Sealed;
use crate::pin::{LastTry, PinStatus, Secret};
use crate::record::Record;
use crate::tlv;
use crate::transport::Transport;

/// DF name of the card-face application (the same in jpki/myna, myna-card and jsapdu).
pub const AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02];

/// The card-face application, as the session selects it.
pub const APPLICATION: Application = Application::new("card-face", &AID);

/// Elementary files of the card-face application, as jpki/myna, myna-card and jsapdu give
/// them.
pub mod ef {
    /// The card face: `FF 20` { `DF21` offsets, `DF22` birth date, `DF23` sex, `DF24` public
    /// key, `DF25` name PNG, `DF26` address PNG, `DF27` face photo (JP2), `DF28` signature,
    /// `DF29` expiry date, `DF2A` security-code PNG }; needs access code A or B.
    pub const CARD_FACE: u16 = 0x0002;
    /// AP basic information (free).
    pub const AP_INFO: u16 = 0x0003;
    /// The application's card-verifiable certificate (free; described only by myna-card).
    pub const CERTIFICATE: u16 = 0x0004;
    /// The my-number image: `FF 40` { `DF41` PNG, `DF42` key, `DF43` signature }; needs
    /// access code A.
    pub const MY_NUMBER_IMAGE: u16 = 0x0005;
    /// Access code B (照合番号B).
    pub const ACCESS_CODE_B: u16 = 0x0012;
    /// Access code A (照合番号A): the my number.
    pub const ACCESS_CODE_A: u16 = 0x0013;
}

/// The access codes of the card-face application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CardFaceKey {
    /// Access code A: opens the card face and the my-number image.
    AccessCodeA,
    /// Access code B: opens the card face only.
    AccessCodeB,
}

impl CardFaceKey {
    /// The secret, as the guard's errors name it.
    pub const fn secret(self) -> Secret {
        match self {
            CardFaceKey::AccessCodeA => Secret::AccessCodeA,
            CardFaceKey::AccessCodeB => Secret::AccessCodeB,
        }
    }

    /// The code's file.
    pub const fn file(self) -> u16 {
        match self {
            CardFaceKey::AccessCodeA => ef::ACCESS_CODE_A,
            CardFaceKey::AccessCodeB => ef::ACCESS_CODE_B,
        }
    }
}

/// The card face (EF 0002).
///
/// Checked: the `DF21` offset table against the objects, the dates (real `YYYYMMDD` dates),
/// the PNG signature (`89 50 4E 47 0D 0A 1A 0A`) of the three images and the JP2 signature
/// box (`00 00 00 0C 6A 50 20 20 0D 0A 87 0A`) of the photo. Not checked: that the images
/// decode, and `signature` (the issuer's key is not public).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CardFaceRecord {
    /// Birth date (`DF22`).
    pub birth_date: CalendarDate,
    /// Sex (`DF23`).
    pub sex: Sex,
    /// The name as printed, a PNG image (`DF25`).
    pub name_image: Vec<u8>,
    /// The address as printed, a PNG image (`DF26`).
    pub address_image: Vec<u8>,
    /// The face photo, JPEG 2000 in a JP2 container, greyscale (`DF27`).
    pub face_photo: Vec<u8>,
    /// The card's expiry date (`DF29`).
    pub expiry: CalendarDate,
    /// The security code as printed, a PNG image (`DF2A`).
    pub security_code_image: Vec<u8>,
    /// The card application's RSA public key as stored (`DF24`: `90` exponent, `91` modulus).
    pub public_key: Vec<u8>,
    /// The issuer's signature over the birth date to the photo (`DF28`), not checked.
    pub signature: Vec<u8>,
}

impl fmt::Debug for CardFaceRecord {
    /// Images by their size only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let size = |bytes: &Vec<u8>| format!("{} bytes", bytes.len());
        f.debug_struct("CardFaceRecord")
            .field("birth_date", &self.birth_date)
            .field("sex", &self.sex)
            .field("name_image", &size(&self.name_image))
            .field("address_image", &size(&self.address_image))
            .field("face_photo", &size(&self.face_photo))
            .field("expiry", &self.expiry)
            .field("security_code_image", &size(&self.security_code_image))
            .finish_non_exhaustive()
    }
}

/// The card-face application of a [`Card`]; borrow it with [`Card::card_face`].
///
/// Each method runs in one transaction. Selecting this application clears the JPKI
/// application's verified PINs on the card.
#[derive(Debug)]
pub struct CardFace<'a, T> {
    card: &'a mut Card<T>,
}

impl<'a, T: Transport> CardFace<'a, T> {
    pub(crate) fn new(card: &'a mut Card<T>) -> Self {
        Self { card }
    }

    /// The tries left of `key`: SELECT AP (unless selected), then an empty VERIFY, which
    /// spends no try, naming the EF by its short file identifier (`00 20 00 80|SFI`), or after
    /// SELECT EF on a card that refused that form in this session.
    pub fn code_status(&mut self, key: CardFaceKey) -> Result<PinStatus> {
        self.card.operation(OnReset::Repeat, |card| {
            card.reference_status(APPLICATION, key.file())
        })
    }

    /// Verifies access code A (the my number, check digit validated when it was made) behind
    /// the lockout guard, refusing the last try: the tries first (empty VERIFY), then the code
    /// exactly once. Opens the card face and the my-number image.
    pub fn verify_access_code_a(&mut self, code: &MyNumber) -> Result<()> {
        self.verify_access_code_a_with(code, LastTry::Refuse)
    }

    /// Verifies access code A; `last_try` says whether the last try may be spent.
    pub fn verify_access_code_a_with(&mut self, code: &MyNumber, last_try: LastTry) -> Result<()> {
        self.verify(CardFaceKey::AccessCodeA, code.secret_bytes(), last_try)
    }

    /// Verifies access code B (built by [`AccessCodeB::from_parts`] from the card face)
    /// behind the guard, refusing the last try. Opens the card face, not the my-number image.
    pub fn verify_access_code_b(&mut self, code: &AccessCodeB) -> Result<()> {
        self.verify_access_code_b_with(code, LastTry::Refuse)
    }

    /// Verifies access code B; `last_try` says whether the last try may be spent.
    pub fn verify_access_code_b_with(
        &mut self,
        code: &AccessCodeB,
        last_try: LastTry,
    ) -> Result<()> {
        self.verify(CardFaceKey::AccessCodeB, code.secret_bytes(), last_try)
    }

    fn verify(&mut self, key: CardFaceKey, secret: &[u8], last_try: LastTry) -> Result<()> {
        let guarded = Guarded {
            secret: key.secret(),
            application: APPLICATION,
            file: key.file(),
            value: secret,
        };
        self.card.verify_operation(&guarded, last_try)
    }

    /// Reads the card face (EF 0002; after access code A or B): SELECT AP and SELECT EF
    /// (unless selected), then ceil(L / 256) READ BINARY for a file of L bytes; or, where the
    /// transport carries extended length, one READ BINARY of the whole file (see
    /// [`Jpki::read_certificate_der`](crate::jpki::Jpki::read_certificate_der)).
    pub fn read_record(&mut self) -> Result<CardFaceRecord> {
        self.card
            .operation(OnReset::Repeat, |card| read_record_in(card))
    }

    /// Reads the my-number image (EF 0005; after access code A), a PNG.
    pub fn read_my_number_image(&mut self) -> Result<Vec<u8>> {
        self.card.operation(OnReset::Repeat, |card| {
            let file = card.read_sized(
                APPLICATION,
                ef::MY_NUMBER_IMAGE,
                Content::Personal,
                files::tlv_length,
                files::MAX_FILE_LEN,
            )?;
            let (outer, _) = tlv::read(&file.content)
                .map_err(|_| Error::MalformedResponse("my-number image file"))?;
            if outer.tag != 0xFF40 {
                return Err(Error::MalformedResponse(
                    "my-number image of an unexpected tag",
                ));
            }
            let image = tlv::find(outer.value, 0xDF41)
                .ok()
                .flatten()
                .ok_or(Error::MalformedResponse("my-number image missing"))?;
            expect_signature(image, &PNG_SIGNATURE, "my-number image is not a PNG")
        })
    }
}

/// Reads and parses EF 0002 inside an operation (also used by the eligibility check).
pub(crate) fn read_record_in<T: Transport>(card: &mut Card<T>) -> Result<CardFaceRecord> {
    let file = card.read_sized(
        APPLICATION,
        ef::CARD_FACE,
        Content::Personal,
        files::tlv_length,
        files::MAX_FILE_LEN,
    )?;
    parse_record(&file.content)
}

pub(crate) fn parse_record(file: &[u8]) -> Result<CardFaceRecord> {
    let record = Record::parse(file, 0xFF20, 0xDF21)?;
    let date = |tag, what| {
        CalendarDate::parse_yyyymmdd(record.require(tag, what)?)
            .ok_or(Error::MalformedResponse(what))
    };
    let png = |tag, what| expect_signature(record.require(tag, what)?, &PNG_SIGNATURE, what);
    let sex = std::str::from_utf8(record.require(0xDF23, "sex")?)
        .map_err(|_| Error::MalformedResponse("sex"))?;
    Ok(CardFaceRecord {
        birth_date: date(0xDF22, "birth date")?,
        sex: Sex::from_code(sex),
        name_image: png(0xDF25, "name image is not a PNG")?,
        address_image: png(0xDF26, "address image is not a PNG")?,
        face_photo: expect_signature(
            record.require(0xDF27, "face photo")?,
            &JP2_SIGNATURE,
            "face photo is not a JP2 file",
        )?,
        expiry: date(0xDF29, "expiry date")?,
        security_code_image: png(0xDF2A, "security-code image is not a PNG")?,
        public_key: record.require(0xDF24, "public key")?.to_vec(),
        signature: record.require(0xDF28, "signature")?.to_vec(),
    })
}

impl<T: Transport> Card<T> {
    /// The card-face application (券面AP).
    pub fn card_face(&mut self) -> CardFace<'_, T> {
        CardFace::new(self)
    }
}
