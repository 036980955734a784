//! JPKI PIN tries, verification with the lockout guard.

use super::APPLICATION;
use super::{ef, Jpki, KeyKind};
use crate::card::OnReset;
use crate::certificate::ParseKindError;
use crate::error::Result;
use crate::guard::Guarded;
use crate::pin::{AuthPin, LastTry, Pin, PinStatus, Secret, SignPin};
use crate::transport::Transport;

/// The two JPKI PINs. `FromStr` reads `auth` and `sign`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PinKind {
    /// User-authentication PIN: 4 digits, 3 tries.
    Auth,
    /// Signature PIN: 6–16 characters A–Z 0–9, 5 tries.
    Sign,
}

impl PinKind {
    /// Both PINs of today's JPKI application. Flows take the PIN's file, tries, secret name
    /// and key from these methods, never from a literal, so a card with other PINs is a new
    /// variant here and nothing else.
    pub const ALL: [PinKind; 2] = [PinKind::Auth, PinKind::Sign];

    /// The PIN's file.
    pub const fn file(self) -> u16 {
        match self {
            PinKind::Auth => ef::AUTH_PIN,
            PinKind::Sign => ef::SIGN_PIN,
        }
    }

    /// The secret, as the guard's errors name it.
    pub const fn secret(self) -> Secret {
        match self {
            PinKind::Auth => Secret::AuthPin,
            PinKind::Sign => Secret::SignPin,
        }
    }

    /// The key this PIN unlocks.
    pub const fn key(self) -> KeyKind {
        match self {
            PinKind::Auth => KeyKind::Auth,
            PinKind::Sign => KeyKind::Sign,
        }
    }

    /// Tries a fresh (or just verified) PIN has: 3 for auth, 5 for sign (OpenSC, jpki/myna and
    /// myna-card agree).
    pub const fn max_tries(self) -> u8 {
        match self {
            PinKind::Auth => 3,
            PinKind::Sign => 5,
        }
    }
}

impl std::str::FromStr for PinKind {
    type Err = ParseKindError;
    /// `auth` or `sign`.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "auth" => Ok(Self::Auth),
            "sign" => Ok(Self::Sign),
            _ => Err(ParseKindError::new("PIN", "auth or sign")),
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

impl<T: Transport> Jpki<'_, T> {
    /// The tries left for `kind`: SELECT AP (unless selected), then an empty VERIFY, which
    /// spends no try (OpenSC, jpki/myna and myna-card rely on this), naming the PIN's EF by its
    /// short file identifier (`00 20 00 98` / `9B`, as jsapdu and myna-card send it), or after
    /// SELECT EF on a card that refused that form in this session.
    pub fn pin_status(&mut self, kind: PinKind) -> Result<PinStatus> {
        self.card().operation(OnReset::Repeat, |card| {
            Jpki::new(card).pin_status_in_transaction(kind)
        })
    }

    fn pin_status_in_transaction(&mut self, kind: PinKind) -> Result<PinStatus> {
        self.select()?;
        match self.card().reference_status(APPLICATION, kind.file()) {
            Err(error) if kind == PinKind::Sign => Err(self.signature_side(error)),
            other => other,
        }
    }

    /// Verifies a PIN (its kind follows from its type), refusing the last try.
    ///
    /// Sends the empty VERIFY of [`Jpki::pin_status`], then the VERIFY with the PIN exactly
    /// once. A wrong PIN gives [`Error::WrongPin`](crate::Error::WrongPin) with the tries left.
    pub fn verify_pin<P: JpkiPin>(&mut self, pin: &P) -> Result<()> {
        self.verify_pin_with(pin, LastTry::Refuse)
    }

    /// Verifies a PIN; `last_try` says whether the last try may be spent.
    ///
    /// Both run in one transaction. If another application resets the card in between, the
    /// PIN is not sent ([`Error::CardReset`](crate::Error::CardReset)).
    pub fn verify_pin_with<P: JpkiPin>(&mut self, pin: &P, last_try: LastTry) -> Result<()> {
        self.card().operation(OnReset::Fail, |card| {
            Jpki::new(card).verify_in_transaction(pin, last_try)
        })
    }

    fn verify_in_transaction<P: JpkiPin>(&mut self, pin: &P, last_try: LastTry) -> Result<()> {
        self.select()?;
        let guarded = Guarded {
            secret: P::KIND.secret(),
            application: APPLICATION,
            file: P::KIND.file(),
            value: pin.secret_bytes(),
        };
        match self.card().verify_reference(&guarded, last_try) {
            Err(error) if P::KIND == PinKind::Sign => Err(self.signature_side(error)),
            other => other,
        }
    }

    /// Changes a PIN: VERIFY with `current` behind the guard (refusing the last try unless
    /// `last_try` allows it), then CHANGE REFERENCE DATA `00 24 01 80` with `new`, in one
    /// transaction, each sent once. Both PINs are checked for their kind by their types.
    pub fn change_pin<P: JpkiPin>(
        &mut self,
        current: &P,
        new: &P,
        last_try: LastTry,
    ) -> Result<()> {
        self.card().operation(OnReset::Fail, |card| {
            let mut jpki = Jpki::new(card);
            jpki.select()?;
            let current = Guarded {
                secret: P::KIND.secret(),
                application: APPLICATION,
                file: P::KIND.file(),
                value: current.secret_bytes(),
            };
            jpki.card()
                .change_reference(&current, new.secret_bytes(), last_try)
        })
    }
}
