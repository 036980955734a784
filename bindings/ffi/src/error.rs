//! The one error type of the bindings: the cases an app branches on. No message carries a
//! PIN, an access code or personal data.

use mynumbercard::transport::TransportError as CoreTransportError;

/// Which secret an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum SecretName {
    /// The JPKI user-authentication PIN.
    AuthPin,
    /// The JPKI signature PIN.
    SignPin,
    /// The card-info application's PIN.
    CardInfoPin,
    /// Access code A (the my number).
    AccessCodeA,
    /// Access code B.
    AccessCodeB,
    /// The card-face application's birth-date key (era `YYMMDD`).
    BirthDateKey,
    /// A secret the bindings do not name yet.
    Other,
}

impl From<mynumbercard::Secret> for SecretName {
    fn from(secret: mynumbercard::Secret) -> Self {
        use mynumbercard::Secret as S;
        match secret {
            S::AuthPin => SecretName::AuthPin,
            S::SignPin => SecretName::SignPin,
            S::CardInfoPin => SecretName::CardInfoPin,
            S::AccessCodeA => SecretName::AccessCodeA,
            S::AccessCodeB => SecretName::AccessCodeB,
            S::BirthDateKey => SecretName::BirthDateKey,
            _ => SecretName::Other,
        }
    }
}

/// Everything a call can fail with (`CardException` in Kotlin, `CardError` in Swift and
/// Python). The guard's errors say whether the secret was sent: only `WrongPin`,
/// `WrongAccessCode`, `WrongTriesUnknown` and `BlockedByThisAttempt` follow a VERIFY.
#[derive(Debug, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum CardError {
    /// The card refused the PIN; `tries_left` (at least 1) are left.
    #[error("wrong PIN: {tries_left} tries left")]
    WrongPin {
        /// Tries left.
        tries_left: u8,
    },
    /// The card refused the access code; `tries_left` (at least 1) are left.
    #[error("wrong {secret:?}: {tries_left} tries left")]
    WrongAccessCode {
        /// Which code.
        secret: SecretName,
        /// Tries left.
        tries_left: u8,
    },
    /// The card refused the secret without saying how many tries are left.
    #[error("wrong {secret:?}; the card did not say how many tries are left")]
    WrongTriesUnknown {
        /// Which secret.
        secret: SecretName,
    },
    /// The secret was wrong and this attempt spent its last try: it is now blocked.
    #[error("wrong {secret:?}: that was the last try, and it is now blocked")]
    BlockedByThisAttempt {
        /// Which secret.
        secret: SecretName,
    },
    /// The secret was already blocked; nothing was sent. A blocked PIN is reset at the
    /// municipal office.
    #[error("the {secret:?} is blocked; it was not sent")]
    Blocked {
        /// Which secret.
        secret: SecretName,
    },
    /// Only one try is left and the call did not allow spending it (`LastTry.REFUSE`); nothing
    /// was sent. Ask the holder, then call again with `LastTry.ALLOW`.
    #[error("only one try of the {secret:?} is left; it was not sent")]
    LastTryRefused {
        /// Which secret.
        secret: SecretName,
    },
    /// The card did not report the tries left, so a wrong secret could block it; nothing was
    /// sent (`LastTry.ALLOW` sends it anyway).
    #[error("the card did not report the tries left of the {secret:?}; it was not sent")]
    TriesUnknown {
        /// Which secret.
        secret: SecretName,
    },
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
    /// The card holds no signature certificate (holders under 15 get none); nothing was
    /// signed and no PIN try spent.
    #[error("the card holds no signature certificate")]
    NoSignatureCertificate,
    /// This token (the Android smartphone credential) gives its user-authentication
    /// certificate only after the auth PIN: use PIN mode, or verify the PIN first.
    #[error("this token gives its user-authentication certificate only after the auth PIN")]
    AuthCertificateNeedsPin,
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
            E::WrongAccessCode { secret, tries_left } => CardError::WrongAccessCode {
                secret: secret.into(),
                tries_left,
            },
            E::WrongSecretTriesUnknown { secret } => CardError::WrongTriesUnknown {
                secret: secret.into(),
            },
            E::BlockedByThisAttempt { secret } => CardError::BlockedByThisAttempt {
                secret: secret.into(),
            },
            E::Blocked { secret } => CardError::Blocked {
                secret: secret.into(),
            },
            E::LastTryRefused { secret } => CardError::LastTryRefused {
                secret: secret.into(),
            },
            E::TriesUnknown { secret } => CardError::TriesUnknown {
                secret: secret.into(),
            },
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
            E::NoSignatureCertificate => CardError::NoSignatureCertificate,
            E::AuthCertificateNeedsPin => CardError::AuthCertificateNeedsPin,
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
