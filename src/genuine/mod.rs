//! The genuineness check: one call proving, in one transaction, that the card is the one J-LIS
//! issued and not a copy of its records, as far as the card can prove it:
//!
//! 1. the card-face application's card-verifiable certificate (EF 0004) verifies with a J-LIS
//!    CA key the verifier counts ([`CvTrust`]);
//! 2. a signed record (the age-verification record, opened by the birth-date key, or the card
//!    face, opened by access code B) verifies with the key that certificate certifies;
//! 3. the card signs a fresh challenge with its own key (`80 2A 00 00`, no credential), and the
//!    signature verifies with the card key that record carries;
//! 4. optionally, the master file's chain (GET DATA `00F8`/`7F21`) verifies with the J-LIS
//!    master-file CA key.
//!
//! The result, [`Genuineness`], names what was proven and what could not be, each with its
//! reason ([`NotProven`]): an unknown CA key (cannot be verified), a test hierarchy not
//! accepted, a record changed since it was signed, a challenge answered by another key (a
//! clone). Layouts and signatures as myna-card describes them; PocketSign's PIN-less flow makes
//! the same challenge after the birth-date VERIFY.
//!
//! **A self-check, not a verification service**: see [`card_verifiable`].
//!
//! ```
//! # #[cfg(feature = "virtual-card")] {
//! use mynumbercard::access_code::BirthDateKey;
//! use mynumbercard::card_verifiable::{CvTrust, NotProven};
//! use mynumbercard::genuine::{GenuineCheck, Opener};
//! use mynumbercard::{Card, VirtualCard};
//!
//! let mut card = Card::new(VirtualCard::new());
//! let key = BirthDateKey::new("020101")?; // born 1990-01-01 (平成2年)
//! let trust = CvTrust::jlis(); // J-LIS production keys only
//! let verdict = card.check_genuine(&GenuineCheck::new(Opener::BirthDate(&key), &trust))?;
//! // The virtual card's CA is not J-LIS's: its certificate cannot be verified here.
//! assert!(!verdict.is_genuine());
//! assert!(matches!(verdict.certificate, Err(NotProven::UnknownCaKey { .. })));
//! // Its records and its key are consistent all the same.
//! assert!(verdict.record.is_ok() && verdict.challenge.is_ok());
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod verdict;

use std::fmt;

use crate::access_code::{AccessCodeB, BirthDateKey};
use crate::apdu::StatusWord;
use crate::card::{Card, OnReset};
use crate::card_face;
use crate::card_verifiable::{self, CvRole, CvTrust, NotProven, SignedRecord};
use crate::error::{Error, Result};
use crate::master_file::{self, MasterFileChain};
use crate::pin::LastTry;
use crate::transport::Transport;

pub use verdict::Genuineness;

/// The length of a fresh challenge.
pub const CHALLENGE_LEN: usize = 32;

/// The secret that opens a signed record of the card-face application.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum Opener<'a> {
    /// The birth-date key: opens the age-verification record (EF 0001) and nothing else.
    BirthDate(&'a BirthDateKey),
    /// Access code B: opens the card face (EF 0002), photo included.
    AccessCodeB(&'a AccessCodeB),
}

impl fmt::Debug for Opener<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Opener::BirthDate(_) => "BirthDate(REDACTED)",
            Opener::AccessCodeB(_) => "AccessCodeB(REDACTED)",
        })
    }
}

/// What the card signs.
#[derive(Clone, Copy, Debug, Default)]
#[non_exhaustive]
pub enum Challenge<'a> {
    /// 32 fresh random bytes from the operating system (the default).
    #[default]
    Fresh,
    /// The caller's challenge (a verifier's nonce, say); it must be fresh for the answer to
    /// prove the card present now.
    Given(&'a [u8]),
}

/// How to run the genuineness check.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct GenuineCheck<'a> {
    /// The secret that opens the signed record.
    pub opener: Opener<'a>,
    /// The CA keys counted.
    pub trust: &'a CvTrust,
    /// What the card signs.
    pub challenge: Challenge<'a>,
    /// Whether the opener's last try may be spent.
    pub last_try: LastTry,
    /// Whether the master file's chain is read and checked too (first, before any application
    /// is selected; it needs a transport that carries extended APDUs).
    pub master_file_chain: bool,
}

impl<'a> GenuineCheck<'a> {
    /// A check opened by `opener`, counting `trust`'s CA keys, with a fresh challenge, the last
    /// try refused, the master file's chain left out.
    pub fn new(opener: Opener<'a>, trust: &'a CvTrust) -> Self {
        Self {
            opener,
            trust,
            challenge: Challenge::Fresh,
            last_try: LastTry::Refuse,
            master_file_chain: false,
        }
    }

    /// The card signs `challenge` instead of fresh random bytes.
    pub fn with_challenge(mut self, challenge: &'a [u8]) -> Self {
        self.challenge = Challenge::Given(challenge);
        self
    }

    /// Whether the opener's last try may be spent.
    pub fn with_last_try(mut self, last_try: LastTry) -> Self {
        self.last_try = last_try;
        self
    }

    /// Reads and checks the master file's chain too.
    pub fn with_master_file_chain(mut self) -> Self {
        self.master_file_chain = true;
        self
    }

    /// The challenge's bytes: the given ones, or fresh ones from the operating system.
    pub(crate) fn challenge_bytes(&self) -> Result<Vec<u8>> {
        match self.challenge {
            Challenge::Given(bytes) => Ok(bytes.to_vec()),
            Challenge::Fresh => {
                let mut bytes = vec![0u8; CHALLENGE_LEN];
                getrandom::getrandom(&mut bytes)
                    .map_err(|e| Error::Randomness(std::io::Error::from(e)))?;
                Ok(bytes)
            }
        }
    }
}

impl<T: Transport> Card<T> {
    /// Runs the genuineness check (see the [module docs](crate::genuine)) in one transaction:
    ///
    /// - (with [`GenuineCheck::with_master_file_chain`]) GET DATA `00F8` and `7F21`, each with
    ///   a short Le and, on `6700`, an extended one where the transport carries it;
    /// - SELECT the card-face AP, SELECT EF 0004, ceil(C / 256) READ BINARY;
    /// - the opener behind the lockout guard: the empty status VERIFY and the VERIFY naming its
    ///   EF by its short file identifier (on a card refusing those, one refused probe, then
    ///   SELECT EF, the empty VERIFY, VERIFY);
    /// - SELECT the record's EF, ceil(R / 256) READ BINARY (where the transport carries
    ///   extended length, each file in one READ BINARY);
    /// - COMPUTE DIGITAL SIGNATURE `80 2A 00 00` over the challenge's SHA-256 DigestInfo.
    ///
    /// 6 APDUs where card and transport take extended lengths and short file identifiers (the
    /// virtual card); on a short-APDU transport 6 + ceil(C / 256) + ceil(R / 256) for a
    /// certificate of C bytes and a record of R bytes (12 on the virtual card with the
    /// birth-date key, 21 with access code B); 8 + … on a card refusing short file identifiers.
    ///
    /// Errors are the card's (a wrong or blocked opener, a removed card); what could not be
    /// proven is in the [`Genuineness`], never an error. A reset by another application fails
    /// the check ([`Error::CardReset`]); nothing is sent twice.
    pub fn check_genuine(&mut self, check: &GenuineCheck<'_>) -> Result<Genuineness> {
        let challenge = check.challenge_bytes()?;
        self.operation(OnReset::Fail, |card| {
            let master_file = check
                .master_file_chain
                .then(|| master_file_in(card, check.trust))
                .transpose()?;
            let mut verdict = card_face_in(card, check, &challenge)?;
            verdict.master_file = master_file;
            Ok(verdict)
        })
    }
}

/// The master file's chain and its verdict, inside an operation.
pub(crate) fn master_file_in<T: Transport>(
    card: &mut Card<T>,
    trust: &CvTrust,
) -> Result<std::result::Result<card_verifiable::CertifiedKey, NotProven>> {
    Ok(match master_file::read_chain_in(card) {
        Ok(MasterFileChain::Read(chain)) => trust.certify_chain(&chain, CvRole::MasterFile),
        Ok(MasterFileChain::NeedsExtendedLength) => Err(NotProven::NotChecked(
            "the master file's chain needs extended-length APDUs, which this transport does not carry",
        )),
        Ok(_) => Err(NotProven::NotChecked(
            "the master file does not answer GET DATA here (an application was selected before)",
        )),
        Err(Error::MalformedResponse(what)) => Err(NotProven::Malformed(what)),
        Err(e) => return Err(e),
    })
}

/// Steps 1–3 inside an operation (also visual mode's): certificate, opener, record, challenge.
pub(crate) fn card_face_in<T: Transport>(
    card: &mut Card<T>,
    check: &GenuineCheck<'_>,
    challenge: &[u8],
) -> Result<Genuineness> {
    let certificate = card_face::read_certificate_in(card)?;
    let certified = check.trust.certify(&certificate, CvRole::CardFace);
    let mut face = card.card_face();
    let (record, card_key, age_record, card_face) = match check.opener {
        Opener::BirthDate(key) => {
            face.verify_birth_date_with(key, check.last_try)?;
            let age = card_face::read_age_record_in(card)?;
            let signed = match &certified {
                Ok(key) => age.verify(key),
                Err(_) => signed_or_not(
                    age.signed_with(certificate.public_key()),
                    SignedRecord::AgeRecord,
                ),
            };
            let card_key = age.card_key().clone();
            (
                signed.map(|()| SignedRecord::AgeRecord),
                card_key,
                Some(age),
                None,
            )
        }
        Opener::AccessCodeB(code) => {
            face.verify_access_code_b_with(code, check.last_try)?;
            let record = card_face::read_record_in(card)?;
            let signed = match &certified {
                Ok(key) => record.verify(key),
                Err(_) => signed_or_not(
                    record.signed_with(certificate.public_key()),
                    SignedRecord::CardFace,
                ),
            };
            let card_key = record.card_key().clone();
            (
                signed.map(|()| SignedRecord::CardFace),
                card_key,
                None,
                Some(Box::new(record)),
            )
        }
    };
    let (_, response) = card_face::challenge_in(card, challenge)?;
    let answer = match response.status() {
        StatusWord::SUCCESS => {
            let signature = response.into_data();
            let verified = card_verifiable::verify_challenge(&card_key, challenge, &signature);
            (
                signature,
                verified
                    .then_some(())
                    .ok_or(NotProven::WrongChallengeAnswer),
            )
        }
        status => (Vec::new(), Err(NotProven::ChallengeRefused { status })),
    };
    Ok(Genuineness {
        certificate: certified,
        cv_certificate: certificate,
        record,
        challenge: answer.1,
        master_file: None,
        age_record,
        card_face,
        challenge_bytes: challenge.to_vec(),
        challenge_signature: answer.0,
    })
}

/// The verdict on a record checked with a key not proven certified.
fn signed_or_not(verifies: bool, record: SignedRecord) -> std::result::Result<(), NotProven> {
    if verifies {
        Ok(())
    } else {
        Err(NotProven::BadRecordSignature { record })
    }
}
