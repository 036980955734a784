//! The one error type of the bindings: the cases an app branches on. No message carries a
//! PIN, an access code or personal data.

use mynumbercard::transport::TransportError as CoreTransportError;

/// Everything a call can fail with (`CardException` in Kotlin, `CardError` in Swift and
/// Python).
#[derive(Debug, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum CardError {
    /// The card refused the PIN or access code; `tries_left` is what is left after this
    /// attempt (0: this attempt blocked it).
    #[error("wrong PIN: {tries_left} tries left")]
    WrongPin {
        /// Tries left.
        tries_left: u8,
    },
    /// The PIN or access code is blocked; nothing was sent. It is reset at the municipal
    /// office.
    #[error("the PIN is blocked")]
    PinBlocked,
    /// Only one try is left and the call did not allow spending it (`LastTry.REFUSE`); nothing
    /// was sent. Ask the holder, then call again with `LastTry.ALLOW`.
    #[error("only one try is left; refused to spend it without the caller's permission")]
    LastTryRefused,
    /// The card did not report the tries left, so a wrong PIN could block it; nothing was
    /// sent unless the caller allowed the last try.
    #[error("the card did not report the tries left; refused to send the PIN")]
    PinTriesUnknown,
    /// A PIN, access code, digest or other argument of the wrong form; nothing was sent.
    /// `reason` says what rule it breaks, never what it contains.
    #[error("invalid format: {reason}")]
    InvalidFormat {
        /// The rule broken, e.g. "expected exactly 4 digits, got 3 characters".
        reason: String,
    },
    /// The operation needs a PIN or access code verified first.
    #[error("security status not satisfied")]
    SecurityStatusNotSatisfied,
    /// The card left the field or reader; no partial result is returned. Whatever was not yet
    /// sent was not sent: a tag lost before a VERIFY reached the card costs no try.
    #[error("card removed")]
    CardRemoved,
    /// Another application reset the card during an operation that is never repeated (a
    /// VERIFY or a signature).
    #[error("card reset by another application")]
    CardReset,
    /// The transport timed out.
    #[error("timed out")]
    Timeout,
    /// The card has no JPKI application: not a My Number Card (nor a phone credential).
    #[error("not a My Number Card")]
    NotMyNumberCard,
    /// The card lacks the application or file asked for (a phone credential has no card-info
    /// or card-face application).
    #[error("not on this card: {reason}")]
    NotFound {
        /// The command that found nothing.
        reason: String,
    },
    /// The card's signature does not verify against its certificate; it was not returned.
    #[error("the card's signature does not verify against its certificate")]
    SignatureMismatch,
    /// A card-info file does not match the card's integrity record.
    #[error("a card-info file does not match the card's integrity record")]
    IntegrityMismatch,
    /// The card answered something the library does not accept (malformed data, an
    /// unexpected status word, an invalid certificate).
    #[error("card failure: {reason}")]
    CardFailure {
        /// What was wrong, for a log.
        reason: String,
    },
    /// The transport failed otherwise; `reason` is the transport's own message.
    #[error("transport failure: {reason}")]
    Transport {
        /// The transport's message.
        reason: String,
    },
    /// The card object was closed; make a new one.
    #[error("the card session is closed")]
    Closed,
}

impl From<mynumbercard::Error> for CardError {
    fn from(e: mynumbercard::Error) -> Self {
        use mynumbercard::Error as E;
        match e {
            E::WrongPin { tries_left } => CardError::WrongPin { tries_left },
            E::PinBlocked => CardError::PinBlocked,
            E::LastTryRefused => CardError::LastTryRefused,
            E::PinTriesUnknown => CardError::PinTriesUnknown,
            // A PinFormatError's message names the rule, never the characters.
            E::InvalidPin(format) => CardError::InvalidFormat {
                reason: format.to_string(),
            },
            e @ E::InvalidDigestLength { .. } => CardError::InvalidFormat {
                reason: e.to_string(),
            },
            E::SecurityStatusNotSatisfied => CardError::SecurityStatusNotSatisfied,
            E::NotJpkiCard => CardError::NotMyNumberCard,
            e @ E::FileNotFound { .. } => CardError::NotFound {
                reason: e.to_string(),
            },
            E::CardRemoved => CardError::CardRemoved,
            E::CardReset => CardError::CardReset,
            E::SignatureMismatch => CardError::SignatureMismatch,
            E::IntegrityMismatch { .. } => CardError::IntegrityMismatch,
            E::Transport(CoreTransportError::Timeout) => CardError::Timeout,
            E::Transport(CoreTransportError::CardRemoved) => CardError::CardRemoved,
            E::Transport(CoreTransportError::CardReset) => CardError::CardReset,
            E::Transport(CoreTransportError::Other(source)) => CardError::Transport {
                reason: source.to_string(),
            },
            // Everything else is the card's (or the transport's bytes') fault. The core's
            // messages carry status words and command headers, never data.
            other => CardError::CardFailure {
                reason: other.to_string(),
            },
        }
    }
}

impl From<mynumbercard::PinFormatError> for CardError {
    fn from(e: mynumbercard::PinFormatError) -> Self {
        CardError::InvalidFormat {
            reason: e.to_string(),
        }
    }
}
