//! The one foreign transport: a Kotlin, Swift or Python class moves one command APDU to the
//! card and returns the whole response. The library does everything else (status words,
//! `61xx` chains, bounds, the lockout guard).

use std::sync::Arc;

use mynumbercard::transport::{
    Capabilities, Interface, Transport, TransportError as CoreTransportError,
};

/// How the card is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CardInterface {
    /// Through the card's contacts (a PC/SC contact reader).
    Contact,
    /// Over NFC (ISO 14443 Type B): Android `IsoDep`, iOS CoreNFC, a contactless reader.
    Contactless,
    /// Not known.
    Unknown,
}

/// What a transport can carry, asked once when the card object is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Record)]
pub struct TransportCapabilities {
    /// The longest command APDU the transport accepts, in bytes (Android:
    /// `IsoDep.getMaxTransceiveLength()`; at least 261 for the short APDUs the card needs).
    pub max_command_len: u32,
    /// The longest response APDU (data + SW1 SW2) it returns, in bytes.
    pub max_response_len: u32,
    /// Whether extended-length APDUs pass (Android: `isExtendedLengthApduSupported()`).
    pub extended_length: bool,
    /// Contact or contactless.
    pub interface: CardInterface,
    /// Whether no other application can reach the card while this transport holds it (NFC
    /// reader mode, a PC/SC connection held in exclusive mode or in one transaction for the
    /// session). A shared PC/SC connection says `false`.
    pub exclusive: bool,
}

impl Default for TransportCapabilities {
    /// A short-APDU contact reader held exclusively.
    fn default() -> Self {
        Self {
            max_command_len: 261,
            max_response_len: 258,
            extended_length: false,
            interface: CardInterface::Contact,
            exclusive: true,
        }
    }
}

/// The largest length a transport may declare; the core bounds everything it reads anyway.
const MAX_DECLARED_LEN: u32 = 65_544;

impl TransportCapabilities {
    /// The core's capabilities, lengths clamped to what an APDU can be.
    pub(crate) fn to_core(self) -> Capabilities {
        Capabilities::new(match self.interface {
            CardInterface::Contact => Interface::Contact,
            CardInterface::Contactless => Interface::Contactless,
            CardInterface::Unknown => Interface::Unknown,
        })
        .with_max_command_len(self.max_command_len.min(MAX_DECLARED_LEN) as usize)
        .with_max_response_len(self.max_response_len.min(MAX_DECLARED_LEN) as usize)
        .with_extended_length(self.extended_length)
        .with_exclusive(self.exclusive)
    }

    /// The record for the core's capabilities (the Rust-side virtual card).
    #[cfg(feature = "test-card")]
    pub(crate) fn from_core(capabilities: Capabilities) -> Self {
        Self {
            max_command_len: u32::try_from(capabilities.max_command_len).unwrap_or(u32::MAX),
            max_response_len: u32::try_from(capabilities.max_response_len).unwrap_or(u32::MAX),
            extended_length: capabilities.extended_length,
            interface: match capabilities.interface {
                Interface::Contact => CardInterface::Contact,
                Interface::Contactless => CardInterface::Contactless,
                _ => CardInterface::Unknown,
            },
            exclusive: capabilities.exclusive,
        }
    }
}

/// What a transport raises when an APDU does not go through. Its messages are the app's own;
/// never put command or response bytes in them (a VERIFY carries a PIN).
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum TransportError {
    /// The card left the field or the reader (Android `TagLostException`, CoreNFC's
    /// "tag connection lost", PC/SC `SCARD_W_REMOVED_CARD`).
    #[error("tag lost")]
    TagLost,
    /// No response in time (Android's `IsoDep` timeout, CoreNFC's session timeout).
    #[error("timed out")]
    Timeout,
    /// Anything else.
    #[error("transport failure: {reason}")]
    Other {
        /// What happened, for a log.
        reason: String,
    },
}

impl TransportError {
    fn into_core(self) -> CoreTransportError {
        match self {
            TransportError::TagLost => CoreTransportError::CardRemoved,
            TransportError::Timeout => CoreTransportError::Timeout,
            TransportError::Other { reason } => CoreTransportError::other(reason),
        }
    }
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TransportError {
    /// An exception the foreign transport did not declare (a Kotlin `RuntimeException`, a
    /// Python `ValueError`) becomes [`TransportError::Other`].
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        TransportError::Other { reason: e.reason }
    }
}

/// The transport an app implements: a Kotlin or Swift class over Android `IsoDep`, iOS
/// CoreNFC, `javax.smartcardio` or pyscard.
///
/// `transceive` is called on the thread that called the card object's method, and blocks it
/// until the response is there; it is never called on two threads at once for one card
/// object.
#[uniffi::export(with_foreign)]
pub trait CardTransport: Send + Sync {
    /// Sends one command APDU and returns the whole response APDU (data + SW1 SW2). Never
    /// interprets status words, never retries.
    fn transceive(&self, command: Vec<u8>) -> Result<Vec<u8>, TransportError>;

    /// What the transport can carry.
    fn capabilities(&self) -> TransportCapabilities;

    /// Ends the session (Android `IsoDep.close()`, CoreNFC `session.invalidate()`, PC/SC
    /// disconnect). `unpower` is true when a PIN was verified in it: remove the card's power
    /// if the platform can (leave the NFC field, `SCARD_UNPOWER_CARD`), since a reset does
    /// not clear a verified PIN. Called once, when the session ends (`MyNumberCard.endSession`, or the object is
    /// dropped); nothing is sent after.
    fn close(&self, unpower: bool) -> Result<(), TransportError>;
}

/// The core's [`Transport`] over a foreign [`CardTransport`].
pub(crate) struct ForeignTransport {
    inner: Arc<dyn CardTransport>,
    capabilities: Capabilities,
    unpower: bool,
}

impl ForeignTransport {
    pub(crate) fn new(inner: Arc<dyn CardTransport>) -> Self {
        let capabilities = inner.capabilities().to_core();
        Self {
            inner,
            capabilities,
            unpower: false,
        }
    }
}

impl Transport for ForeignTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, CoreTransportError> {
        self.inner
            .transceive(command.to_vec())
            .map_err(TransportError::into_core)
    }

    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    fn unpower_on_close(&mut self) {
        self.unpower = true;
    }

    fn close(&mut self) -> Result<(), CoreTransportError> {
        self.inner
            .close(self.unpower)
            .map_err(TransportError::into_core)
    }
}
