//! The crate's one error type: variants a caller can act on, none carrying a PIN.

use crate::apdu::{ApduError, CommandHeader, StatusWord};
use crate::pin::{PinFormatError, Secret};
use crate::transport::TransportError;

/// Everything that can go wrong talking to a My Number Card.
///
/// ```
/// # use mynumbercard::Error;
/// fn explain(e: &Error) -> String {
///     match e {
///         Error::WrongPin { tries_left } => format!("wrong PIN, {tries_left} tries left"),
///         Error::Blocked { .. } | Error::BlockedByThisAttempt { .. } => {
///             "PIN blocked: reset it at the municipal office".into()
///         }
///         Error::LastTryRefused { .. } => "one try left: confirm to use it".into(),
///         Error::CardRemoved => "card removed".into(),
///         other => other.to_string(),
///     }
/// }
/// assert_eq!(explain(&Error::WrongPin { tries_left: 2 }), "wrong PIN, 2 tries left");
/// assert_eq!(Error::WrongPin { tries_left: 1 }.to_string(), "wrong PIN: 1 try left");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The card refused the PIN; `tries_left` (at least 1) tries are left.
    #[error("wrong PIN: {}", tries(*tries_left))]
    WrongPin {
        /// Tries left after this attempt.
        tries_left: u8,
    },
    /// The card refused the access code; `tries_left` (at least 1) tries are left.
    #[error("wrong {secret}: {}", tries(*tries_left))]
    WrongAccessCode {
        /// Which code.
        secret: Secret,
        /// Tries left after this attempt.
        tries_left: u8,
    },
    /// The card refused the secret (`6300`) without saying how many tries are left.
    #[error("wrong {secret}; the card did not say how many tries are left")]
    WrongSecretTriesUnknown {
        /// Which secret.
        secret: Secret,
    },
    /// The secret was wrong and this attempt spent its last try: it is now blocked.
    #[error("wrong {secret}: that was the last try, and it is now blocked")]
    BlockedByThisAttempt {
        /// Which secret.
        secret: Secret,
    },
    /// The secret was already blocked; nothing was sent. A blocked PIN is reset at the
    /// municipal office.
    #[error("the {secret} is blocked; it was not sent")]
    Blocked {
        /// Which secret.
        secret: Secret,
    },
    /// Only one try is left and the caller did not allow spending it; nothing was sent.
    #[error(
        "only 1 try of the {secret} is left; it was not sent \
         (pass LastTry::Allow to spend the last try)"
    )]
    LastTryRefused {
        /// Which secret.
        secret: Secret,
    },
    /// The card did not say how many tries are left, so a VERIFY could block the secret;
    /// nothing was sent.
    #[error(
        "the card did not report the tries left of the {secret}; it was not sent \
         (pass LastTry::Allow to send it anyway)"
    )]
    TriesUnknown {
        /// Which secret.
        secret: Secret,
    },
    /// The PIN does not have the form its kind needs; nothing was sent.
    #[error("invalid PIN: {0}")]
    InvalidPin(#[from] PinFormatError),
    /// The operation needs a verified PIN (`6982`).
    #[error("security status not satisfied: verify the PIN first")]
    SecurityStatusNotSatisfied,
    /// The file or application is not on the card (`6A82`).
    #[error("file not found: {command}")]
    FileNotFound {
        /// The SELECT that failed.
        command: CommandHeader,
    },
    /// The card has no JPKI application.
    #[error("not a JPKI card")]
    NotJpkiCard,
    /// The card holds no signature certificate (署名用電子証明書): the file was not found and
    /// the card's certificate list (JPKI EF 0008) does not show one. Holders under 15 get
    /// none; others may have declined or revoked it. Nothing was signed and no PIN try spent.
    #[error("the card holds no signature certificate (holders under 15 get none)")]
    NoSignatureCertificate,
    /// This token gives its user-authentication certificate only after the auth PIN: the
    /// smartphone credential on Android (`JPKIAPGPSETOKEN`) does, unlike the plastic card.
    /// Verify the auth PIN first, or use the eligibility check's PIN mode.
    #[error(
        "this token (the Android smartphone credential) gives its user-authentication \
         certificate only after the auth PIN: verify the PIN first, or use PIN mode"
    )]
    AuthCertificateNeedsPin,
    /// The card left the reader; no partial data is returned.
    #[error("card removed")]
    CardRemoved,
    /// Another application reset the card during an operation that cannot be repeated
    /// safely (a VERIFY or a signature): the card's selection and PIN state are gone.
    /// Operations that only read are repeated once instead.
    #[error("card reset by another application")]
    CardReset,
    /// The card or transport returned data that does not have the expected form.
    #[error("malformed response: {0}")]
    MalformedResponse(&'static str),
    /// A status word the operation does not expect.
    #[error("unexpected status {status} for {command}")]
    UnexpectedStatus {
        /// The status word.
        status: StatusWord,
        /// The command it answered.
        command: CommandHeader,
    },
    /// A digest whose length is not its hash algorithm's; nothing was sent.
    #[error("digest of {len} bytes, expected {expected}")]
    InvalidDigestLength {
        /// The algorithm's digest length.
        expected: usize,
        /// The length given.
        len: usize,
    },
    /// The card's signature does not verify against the key's certificate (a wrong key or
    /// a faulty card); the signature was not returned.
    #[error("the card's signature does not verify against its certificate")]
    SignatureMismatch,
    /// A file of the card-info application does not match the digest its integrity record
    /// (EF 0003, `FF30`) holds for it: a faulty card, or data altered since issue.
    #[error("EF {file:04X} does not match the card's integrity record")]
    IntegrityMismatch {
        /// The file that does not match (0001 my number, 0002 attributes).
        file: u16,
    },
    /// The key's certificate holds a key the library does not sign with (it signs with RSA
    /// and ECDSA P-384); nothing was sent.
    #[error("unsupported key ({key}): the library signs with RSA and ECDSA P-384 keys")]
    UnsupportedKey {
        /// The certificate's key, described: `RSA-512`, `ECDSA P-256`, `EC curve 1.3.…`,
        /// `algorithm 1.2.…`.
        key: String,
    },
    /// A document signature was asked of the user-authentication key: documents are signed
    /// with the signature key (署名用電子証明書); the user-authentication key proves who logs
    /// in. Nothing was sent.
    #[error("documents are signed with the signature key, not the user-authentication key")]
    NotTheSignatureKey,
    /// The CMS structure of a signed document could not be built (feature `cms`).
    #[error("cannot build the CMS signature: {0}")]
    CmsBuild(String),
    /// A command could not be encoded (a bug, or data too long for the transport).
    #[error("invalid command: {0}")]
    InvalidCommand(#[from] ApduError),
    /// A certificate is not well-formed DER, or an extension the library reads is malformed.
    /// (A JPKI personal-data attribute that does not parse is no error: the attribute keeps
    /// its raw value without a typed reading.)
    #[error("invalid certificate: {what}")]
    InvalidCertificate {
        /// What is wrong.
        what: &'static str,
        /// The DER error, when there is one.
        #[source]
        source: Option<der::Error>,
    },
    /// A certificate offered as a trust anchor is not a self-signed CA certificate.
    #[error("not a trust anchor: {0}")]
    InvalidTrustAnchor(&'static str),
    /// The transport failed.
    #[error("transport error: {0}")]
    Transport(#[source] TransportError),
    /// The operating system gave no random bytes for a fresh challenge; nothing was sent.
    #[error("no randomness for a fresh challenge: {0}")]
    Randomness(#[source] std::io::Error),
    /// A VERIFY carrying data, CHANGE REFERENCE DATA or RESET RETRY COUNTER was handed to
    /// [`Exchange::transmit`](crate::exchange::Exchange::transmit): secrets reach the card
    /// only through the lockout guard (the applications' verify methods). Nothing was sent.
    #[error("refused to send {command}: secrets go through the lockout guard only")]
    SecretOutsideGuard {
        /// The command that was refused.
        command: CommandHeader,
    },
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::CardRemoved => Error::CardRemoved,
            TransportError::CardReset => Error::CardReset,
            other => Error::Transport(other),
        }
    }
}

/// "1 try left", "2 tries left".
fn tries(n: u8) -> String {
    match n {
        1 => "1 try left".to_owned(),
        n => format!("{n} tries left"),
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
