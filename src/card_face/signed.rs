//! The card-face application's signed records and what proves them: the age-verification
//! record (EF 0001), the my-number image record (EF 0005), the card face's signature, the
//! application's card-verifiable certificate (EF 0004) and the challenge the card's own key
//! answers.
//!
//! Layouts as myna-card reads them off a card (jsapdu and PocketSign's SDK documentation
//! describe the age record too): EF 0001 `FF 10` { `DF11` birth date `YYYYMMDD`, `DF12` the
//! card key, `DF13` signature }, EF 0005 `FF 40` { `DF41` PNG, `DF42` the card key, `DF43`
//! signature }, each signature PKCS#1 v1.5 over SHA-256 of the objects before it, made with
//! the key EF 0004 certifies.

use std::fmt;

use rsa::RsaPublicKey;
use sha2::{Digest, Sha256};

use super::{ef, CardFace, CardFaceRecord, APPLICATION};
use crate::apdu::{Command, Response, StatusWord};
use crate::calendar::CalendarDate;
use crate::card::{status_error, Card, OnReset};
use crate::card_verifiable::{self, CertifiedKey, CvCertificate, CvRole, NotProven, SignedRecord};
use crate::commands;
use crate::error::{Error, Result};
use crate::files::{self, expect_signature, Content, PNG_SIGNATURE};
use crate::record::Signed;
use crate::transport::Transport;

/// Caps on what the card may claim (the real files: about 550 bytes and 1 KB).
const MAX_AGE_RECORD_LEN: usize = 2 * 1024;
const MAX_CERTIFICATE_LEN: usize = 2 * 1024;

/// The age-verification record (EF 0001): the birth date, the card's own key and the
/// signature over both. A terminal given only the birth-date key learns this and nothing
/// else.
///
/// `Debug` does not show the birth date.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AgeRecord {
    /// The birth date (`DF11`).
    pub birth_date: CalendarDate,
    card_key: RsaPublicKey,
    signature: Vec<u8>,
    signed_sha256: [u8; 32],
}

impl AgeRecord {
    /// Parses `FF 10` { `DF11`, `DF12`, `DF13` }.
    pub(crate) fn parse(file: &[u8]) -> Result<Self> {
        let record = Signed::parse(file, 0xFF10, 0xDF13)?;
        let birth_date = CalendarDate::parse_yyyymmdd(record.require(0xDF11, "birth date")?)
            .ok_or(Error::MalformedResponse("birth date"))?;
        let card_key = card_verifiable::parse_rsa_key(record.require(0xDF12, "card key")?)
            .map_err(Error::MalformedResponse)?;
        Ok(Self {
            birth_date,
            card_key,
            signature: record.signature().to_vec(),
            signed_sha256: Sha256::digest(record.signed()).into(),
        })
    }

    /// The card's own key (`DF12`), which answers the challenge.
    pub fn card_key(&self) -> &RsaPublicKey {
        &self.card_key
    }

    /// The signature (`DF13`).
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The holder's age throughout `date`, as Japanese law counts it
    /// ([`CalendarDate::age_on`]).
    pub fn age_on(&self, date: CalendarDate) -> Option<u16> {
        self.birth_date.age_on(date)
    }

    /// Whether the holder is at least `years` old throughout `date`.
    pub fn is_at_least(&self, years: u16, date: CalendarDate) -> bool {
        self.birth_date.is_at_least(years, date)
    }

    /// Checks the signature with the card-face application's certified key.
    pub fn verify(&self, key: &CertifiedKey) -> std::result::Result<(), NotProven> {
        check(
            key,
            SignedRecord::AgeRecord,
            self.signed_with(key.public_key()),
        )
    }

    /// Whether the signature verifies with `key` (certified or not).
    pub(crate) fn signed_with(&self, key: &RsaPublicKey) -> bool {
        card_verifiable::verify_sha256(key, &self.signed_sha256, &self.signature)
    }
}

impl fmt::Debug for AgeRecord {
    /// The birth date is personal data: not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgeRecord")
            .field("birth_date", &"REDACTED")
            .finish_non_exhaustive()
    }
}

/// The my-number image record (EF 0005): the image, the card's key and the signature.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MyNumberImageRecord {
    /// The my number as printed, a PNG image (`DF41`).
    pub image: Vec<u8>,
    card_key: RsaPublicKey,
    signature: Vec<u8>,
    signed_sha256: [u8; 32],
}

impl MyNumberImageRecord {
    /// Parses `FF 40` { `DF41`, `DF42`, `DF43` }.
    pub(crate) fn parse(file: &[u8]) -> Result<Self> {
        let record = Signed::parse(file, 0xFF40, 0xDF43)?;
        let image = expect_signature(
            record.require(0xDF41, "my-number image missing")?,
            &PNG_SIGNATURE,
            "my-number image is not a PNG",
        )?;
        let card_key = card_verifiable::parse_rsa_key(record.require(0xDF42, "card key")?)
            .map_err(Error::MalformedResponse)?;
        Ok(Self {
            image,
            card_key,
            signature: record.signature().to_vec(),
            signed_sha256: Sha256::digest(record.signed()).into(),
        })
    }

    /// The card's own key (`DF42`).
    pub fn card_key(&self) -> &RsaPublicKey {
        &self.card_key
    }

    /// The signature (`DF43`).
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// Checks the signature with the card-face application's certified key.
    pub fn verify(&self, key: &CertifiedKey) -> std::result::Result<(), NotProven> {
        let ok =
            card_verifiable::verify_sha256(key.public_key(), &self.signed_sha256, &self.signature);
        check(key, SignedRecord::MyNumberImage, ok)
    }
}

impl fmt::Debug for MyNumberImageRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MyNumberImageRecord")
            .field("image", &format!("{} bytes", self.image.len()))
            .finish_non_exhaustive()
    }
}

impl CardFaceRecord {
    /// The card's own key (`DF24`), parsed.
    pub fn card_key(&self) -> &RsaPublicKey {
        &self.card_key
    }

    /// Checks the signature (`DF28`) with the card-face application's certified key: one
    /// DigestInfo holding the SHA-256 digests of (`DF22` `DF23` `DF24`), (`DF25` `DF26`) and
    /// (`DF27`), each over the objects as written. The expiry date and the security-code
    /// image are not covered: a verified record vouches for neither.
    pub fn verify(&self, key: &CertifiedKey) -> std::result::Result<(), NotProven> {
        check(
            key,
            SignedRecord::CardFace,
            self.signed_with(key.public_key()),
        )
    }

    /// Whether the signature verifies with `key` (certified or not).
    pub(crate) fn signed_with(&self, key: &RsaPublicKey) -> bool {
        let digest_info = card_verifiable::card_face_digest_info(&self.signed_digests);
        card_verifiable::verify_digest_info(key, &digest_info, &self.signature)
    }
}

/// The verdict on a record signature made with `key`: the key must be the card-face
/// application's.
fn check(
    key: &CertifiedKey,
    record: SignedRecord,
    verifies: bool,
) -> std::result::Result<(), NotProven> {
    if key.role() != CvRole::CardFace {
        return Err(NotProven::WrongCaRole {
            key_id: key.ca_key_id(),
            expected: CvRole::CardFace,
            found: key.role(),
        });
    }
    if verifies {
        Ok(())
    } else {
        Err(NotProven::BadRecordSignature { record })
    }
}

impl<T: Transport> CardFace<'_, T> {
    /// Reads the age-verification record (EF 0001; after the birth-date key): SELECT AP and
    /// SELECT EF (unless selected), then ceil(L / 256) READ BINARY. Its signature is checked
    /// by [`AgeRecord::verify`].
    pub fn read_age_record(&mut self) -> Result<AgeRecord> {
        self.card
            .operation(OnReset::Repeat, |card| read_age_record_in(card))
    }

    /// Reads the application's card-verifiable certificate (EF 0004; free to read): SELECT
    /// AP and SELECT EF (unless selected), then ceil(L / 256) READ BINARY. Checked by
    /// [`CvTrust::certify`](crate::card_verifiable::CvTrust::certify) as a
    /// [`CvRole::CardFace`] certificate.
    pub fn read_certificate(&mut self) -> Result<CvCertificate> {
        self.card
            .operation(OnReset::Repeat, |card| read_certificate_in(card))
    }

    /// Reads the my-number image with its key and signature (EF 0005; after access code A).
    pub fn read_my_number_image_record(&mut self) -> Result<MyNumberImageRecord> {
        self.card.operation(OnReset::Repeat, |card| {
            let file = card.read_sized(
                APPLICATION,
                ef::MY_NUMBER_IMAGE,
                Content::Personal,
                files::tlv_length,
                files::MAX_FILE_LEN,
            )?;
            MyNumberImageRecord::parse(&file.content)
        })
    }

    /// Has the card sign `challenge` with its own key: COMPUTE DIGITAL SIGNATURE
    /// `80 2A 00 00` with the SHA-256 DigestInfo of `challenge` (the card pads, PKCS#1 v1.5),
    /// in the card-face application, no credential needed (myna-card; PocketSign's PIN-less
    /// flow does the same). SELECT AP (unless selected), then the one command. The answer
    /// proves the card holds the key only when checked against the key of a record whose
    /// signature verified: [`Card::check_genuine`] does all of it.
    pub fn sign_challenge(&mut self, challenge: &[u8]) -> Result<Vec<u8>> {
        self.card.operation(OnReset::Fail, |card| {
            let (command, response) = challenge_in(card, challenge)?;
            match response.status() {
                StatusWord::SUCCESS => Ok(response.into_data()),
                status => Err(status_error(status, &command)),
            }
        })
    }
}

/// Sends the challenge inside an operation: SELECT AP (unless selected), then `80 2A 00 00`
/// with the SHA-256 DigestInfo of `challenge`; the command and the card's answer, whatever
/// its status.
pub(crate) fn challenge_in<T: Transport>(
    card: &mut Card<T>,
    challenge: &[u8],
) -> Result<(Command, Response)> {
    card.select_application(APPLICATION)?;
    let command = commands::compute_digital_signature_with_application_key(
        &card_verifiable::challenge_digest_info(challenge),
    );
    let response = card.transmit(&command)?;
    Ok((command, response))
}

/// Reads and parses EF 0001 inside an operation.
pub(crate) fn read_age_record_in<T: Transport>(card: &mut Card<T>) -> Result<AgeRecord> {
    let file = card.read_sized(
        APPLICATION,
        ef::AGE_RECORD,
        Content::Personal,
        files::tlv_length,
        MAX_AGE_RECORD_LEN,
    )?;
    AgeRecord::parse(&file.content)
}

/// Reads and parses EF 0004 inside an operation.
pub(crate) fn read_certificate_in<T: Transport>(card: &mut Card<T>) -> Result<CvCertificate> {
    let file = card.read_sized(
        APPLICATION,
        ef::CERTIFICATE,
        Content::Public,
        files::tlv_length,
        MAX_CERTIFICATE_LEN,
    )?;
    CvCertificate::parse(&file.content).map_err(Error::MalformedResponse)
}
