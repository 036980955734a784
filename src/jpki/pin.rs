//! JPKI PIN tries, verification with the lockout guard.

use super::{ef, Jpki, KeyKind};
use crate::apdu::StatusWord;
use crate::card::{status_error, Application, OnReset};
use crate::commands;
use crate::error::{Error, Result};
use crate::pin::{AuthPin, Pin, SignPin};
use crate::transport::Transport;

/// The two JPKI PINs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PinKind {
    /// User-authentication PIN: 4 digits, 3 tries.
    Auth,
    /// Signature PIN: 6–16 characters A–Z 0–9, 5 tries.
    Sign,
}

impl PinKind {
    /// The PIN's file.
    pub const fn file(self) -> u16 {
        match self {
            PinKind::Auth => ef::AUTH_PIN,
            PinKind::Sign => ef::SIGN_PIN,
        }
    }

    /// The key this PIN unlocks.
    pub const fn key(self) -> KeyKind {
        match self {
            PinKind::Auth => KeyKind::Auth,
            PinKind::Sign => KeyKind::Sign,
        }
    }

    /// Tries a fresh (or just verified) PIN has: 3 for auth, 5 for sign \[agreed\].
    pub const fn max_tries(self) -> u8 {
        match self {
            PinKind::Auth => 3,
            PinKind::Sign => 5,
        }
    }
}

/// A JPKI PIN value, tied to its kind.
pub trait JpkiPin: Pin {
    /// Which PIN this is.
    const KIND: PinKind;
}

impl JpkiPin for AuthPin {
    const KIND: PinKind = PinKind::Auth;
}

impl JpkiPin for SignPin {
    const KIND: PinKind = PinKind::Sign;
}

/// What the card says of a PIN, asked by an empty VERIFY that spends no try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinStatus {
    /// `63Cx`: x tries left (x ≥ 1).
    Remaining(u8),
    /// `6984` (or `63C0`): no try left.
    Blocked,
    /// `9000`: verified in this card session.
    Verified,
    /// `6300` or another answer that gives no count: the library will not send this PIN
    /// unless the caller allows the last try.
    NotReported,
}

/// Whether a VERIFY may spend the last try.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LastTry {
    /// Refuse with [`Error::LastTryRefused`] when one try is left (the default).
    #[default]
    Refuse,
    /// Send the PIN even though a wrong one would block it.
    Allow,
}

impl<T: Transport> Jpki<'_, T> {
    /// The tries left for `kind`: SELECT AP and SELECT EF (unless selected), then an empty
    /// VERIFY, which spends no try \[agreed\].
    pub fn pin_status(&mut self, kind: PinKind) -> Result<PinStatus> {
        self.card().operation(OnReset::Repeat, |card| {
            Jpki::new(card).pin_status_in_transaction(kind)
        })
    }

    fn pin_status_in_transaction(&mut self, kind: PinKind) -> Result<PinStatus> {
        self.select()?;
        let card = self.card();
        card.select_file(Application::Jpki, kind.file())?;
        let command = commands::verify_status();
        let response = card.transmit(&command)?;
        Ok(match response.status() {
            StatusWord::SUCCESS => {
                // Verified by us or someone else: end the session by unpowering the card.
                card.note_pin_verified();
                PinStatus::Verified
            }
            StatusWord::REFERENCE_DATA_NOT_USABLE | StatusWord::AUTHENTICATION_METHOD_BLOCKED => {
                PinStatus::Blocked
            }
            StatusWord::VERIFICATION_FAILED => PinStatus::NotReported,
            status => match status.verification_retries() {
                Some(0) => PinStatus::Blocked,
                Some(n) => PinStatus::Remaining(n),
                None => return Err(status_error(status, &command)),
            },
        })
    }

    /// Verifies a PIN (its kind follows from its type), refusing the last try.
    ///
    /// Sends the empty VERIFY of [`Jpki::pin_status`], then the VERIFY with the PIN exactly
    /// once. A wrong PIN gives [`Error::WrongPin`] with the tries left.
    pub fn verify_pin<P: JpkiPin>(&mut self, pin: &P) -> Result<()> {
        self.verify_pin_with(pin, LastTry::Refuse)
    }

    /// Verifies a PIN; `last_try` says whether the last try may be spent.
    ///
    /// Both run in one transaction. If another application resets the card in between, the
    /// PIN is not sent ([`Error::CardReset`]).
    pub fn verify_pin_with<P: JpkiPin>(&mut self, pin: &P, last_try: LastTry) -> Result<()> {
        self.card().operation(OnReset::Fail, |card| {
            Jpki::new(card).verify_in_transaction(pin, last_try)
        })
    }

    fn verify_in_transaction<P: JpkiPin>(&mut self, pin: &P, last_try: LastTry) -> Result<()> {
        match (self.pin_status(P::KIND)?, last_try) {
            (PinStatus::Blocked, _) => return Err(Error::PinBlocked),
            (PinStatus::Remaining(1), LastTry::Refuse) => return Err(Error::LastTryRefused),
            (PinStatus::NotReported, LastTry::Refuse) => return Err(Error::PinTriesUnknown),
            // A verified PIN's counter is back at its maximum, so a wrong PIN costs one of
            // several tries.
            _ => {}
        }
        let command = commands::verify(pin.as_bytes());
        // Before sending: even if the answer is lost, the session must end unpowered.
        self.card().note_pin_verified();
        let status = self.card().transmit(&command)?.status();
        match status {
            StatusWord::SUCCESS => Ok(()),
            StatusWord::REFERENCE_DATA_NOT_USABLE | StatusWord::AUTHENTICATION_METHOD_BLOCKED => {
                Err(Error::PinBlocked)
            }
            status => match status.verification_retries() {
                Some(tries_left) => Err(Error::WrongPin { tries_left }),
                None => Err(status_error(status, &command)),
            },
        }
    }
}
