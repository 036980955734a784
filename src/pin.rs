//! PINs: validated for their kind before they touch the card, zeroized on drop, redacted in
//! `Debug`, never in an error message.

use std::fmt;

use zeroize::Zeroizing;

/// Why a PIN was refused before anything was sent. Says nothing of the PIN's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinFormatError {
    /// Wrong number of characters.
    #[error("expected {expected}, got {len} characters")]
    Length {
        /// The rule, such as "exactly 4 digits".
        expected: &'static str,
        /// How many characters were given.
        len: usize,
    },
    /// A my number whose check digit does not match its other digits.
    #[error("the check digit does not match")]
    CheckDigit,
    /// A part of an access code that is not valid, such as a birth date before the Meiji era.
    #[error("invalid {what}")]
    Invalid {
        /// What is wrong.
        what: &'static str,
    },
    /// A character outside the allowed set.
    #[error("character {position} is not allowed ({allowed})")]
    Character {
        /// 1-based position of the first bad character.
        position: usize,
        /// The allowed set.
        allowed: &'static str,
    },
}

/// The user-authentication PIN (利用者証明用電子証明書の暗証番号): exactly 4 digits, 3 tries.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthPin(Zeroizing<Vec<u8>>);

/// The signature PIN (署名用電子証明書の暗証番号): 6–16 characters A–Z and 0–9, 5 tries.
/// Lower case is folded to upper case.
#[derive(Clone, PartialEq, Eq)]
pub struct SignPin(Zeroizing<Vec<u8>>);

impl AuthPin {
    /// Checks and keeps a 4-digit PIN.
    ///
    /// ```
    /// use mynumbercard::AuthPin;
    /// assert!(AuthPin::new("1234").is_ok());
    /// assert!(AuthPin::new("12345").is_err());
    /// assert!(AuthPin::new("12a4").is_err());
    /// assert_eq!(format!("{:?}", AuthPin::new("1234").unwrap()), "AuthPin(REDACTED)");
    /// ```
    pub fn new(pin: &str) -> Result<Self, PinFormatError> {
        digits(pin, 4, "exactly 4 digits").map(Self)
    }
}

impl SignPin {
    /// Checks and keeps a 6–16 character PIN of A–Z and 0–9 (lower case folded).
    ///
    /// ```
    /// use mynumbercard::SignPin;
    /// assert!(SignPin::new("abc123").is_ok());
    /// assert!(SignPin::new("ABC12").is_err());
    /// assert!(SignPin::new("ABC-123").is_err());
    /// ```
    pub fn new(pin: &str) -> Result<Self, PinFormatError> {
        let len = pin.chars().count();
        if !(6..=16).contains(&len) {
            return Err(PinFormatError::Length {
                expected: "6 to 16 characters",
                len,
            });
        }
        let mut out = Zeroizing::new(Vec::with_capacity(len));
        for (i, c) in pin.chars().enumerate() {
            let c = c.to_ascii_uppercase();
            if !(c.is_ascii_uppercase() || c.is_ascii_digit()) {
                return Err(PinFormatError::Character {
                    position: i + 1,
                    allowed: "A-Z and 0-9",
                });
            }
            out.push(c as u8);
        }
        Ok(Self(out))
    }
}

/// Checks a PIN of exactly `n` ASCII digits.
pub(crate) fn digits(
    pin: &str,
    n: usize,
    expected: &'static str,
) -> Result<Zeroizing<Vec<u8>>, PinFormatError> {
    let len = pin.chars().count();
    if len != n {
        return Err(PinFormatError::Length { expected, len });
    }
    match pin.chars().position(|c| !c.is_ascii_digit()) {
        Some(i) => Err(PinFormatError::Character {
            position: i + 1,
            allowed: "0-9",
        }),
        None => Ok(Zeroizing::new(pin.as_bytes().to_vec())),
    }
}

/// What the card says of a PIN, asked by an empty VERIFY that spends no try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
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

/// The secrets the lockout guard sends, named in its errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Secret {
    /// The JPKI user-authentication PIN (4 digits).
    AuthPin,
    /// The JPKI signature PIN (6–16 characters).
    SignPin,
    /// The card-info application's PIN (4 digits, usually the same as the auth PIN).
    CardInfoPin,
    /// Access code A: the 12-digit my number.
    AccessCodeA,
    /// Access code B: birth date, expiry year and security code.
    AccessCodeB,
}

impl Secret {
    /// Whether this is a PIN (rather than an access code).
    pub const fn is_pin(self) -> bool {
        matches!(
            self,
            Secret::AuthPin | Secret::SignPin | Secret::CardInfoPin
        )
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Secret::AuthPin => "user-authentication PIN",
            Secret::SignPin => "signature PIN",
            Secret::CardInfoPin => "card-info PIN",
            Secret::AccessCodeA => "access code A (my number)",
            Secret::AccessCodeB => "access code B",
        })
    }
}

/// Whether a VERIFY may spend the last try.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LastTry {
    /// Refuse with [`Error::LastTryRefused`](crate::Error::LastTryRefused) when one try is
    /// left, or [`Error::TriesUnknown`](crate::Error::TriesUnknown) when the card does not
    /// say (the default).
    #[default]
    Refuse,
    /// Send the PIN even though a wrong one would block it.
    Allow,
}

/// A PIN or access code of one of the card's kinds. Its bytes never leave the crate: the
/// lockout guard is the only thing that sends them.
///
/// ```compile_fail
/// use mynumbercard::{AuthPin, Pin};
/// let pin = AuthPin::new("1234").unwrap();
/// let _ = pin.as_bytes(); // no such method outside the crate
/// ```
///
/// ```compile_fail
/// // The VERIFY and CHANGE REFERENCE DATA builders are the guard's alone.
/// let _ = mynumbercard::commands::verify(b"1234");
/// ```
///
/// ```compile_fail
/// let _ = mynumbercard::commands::change_reference_data(b"1234");
/// ```
pub trait Pin: sealed::Sealed {}

pub(crate) mod sealed {
    /// The crate-private half of [`Pin`](super::Pin): the bytes VERIFY sends (ASCII).
    pub trait Sealed {
        fn secret_bytes(&self) -> &[u8];
    }
}

macro_rules! pin_common {
    ($t:ident) => {
        impl Pin for $t {}

        impl sealed::Sealed for $t {
            fn secret_bytes(&self) -> &[u8] {
                &self.0
            }
        }

        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($t), "(REDACTED)"))
            }
        }

        impl std::str::FromStr for $t {
            type Err = PinFormatError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }
    };
}

pin_common!(AuthPin);
pin_common!(SignPin);
