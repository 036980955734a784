//! The reader trait: one command APDU in, the whole response out. PC/SC readers, phone NFC
//! stacks (Android `IsoDep`, iOS CoreNFC, libnfc) and the virtual card implement it.
//!
//! A transport moves bytes and nothing else: it never interprets status words, never
//! follows `61xx`, never retries. The exchange layer does that, once, with bounds.

use std::fmt;

/// What a transport can carry.
///
/// New fields may come (with a default that keeps today's behaviour), so a transport outside
/// this crate builds its capabilities from [`Capabilities::new`] or `default()` and the `with_*`
/// methods:
///
/// ```
/// use mynumbercard::transport::{Capabilities, Interface};
///
/// // An Android IsoDep tag session: contactless, extended length, nobody else on the tag.
/// let nfc = Capabilities::new(Interface::Contactless)
///     .with_max_command_len(65_544)
///     .with_max_response_len(65_538)
///     .with_extended_length(true)
///     .with_exclusive(true);
/// assert!(nfc.exclusive && nfc.extended_length);
/// assert_eq!(Capabilities::default(), Capabilities::new(Interface::Contact));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Capabilities {
    /// The longest command APDU the transport accepts, in bytes.
    pub max_command_len: usize,
    /// The longest response APDU (data + SW1 SW2) the transport returns, in bytes.
    pub max_response_len: usize,
    /// Whether extended-length APDUs pass through.
    pub extended_length: bool,
    /// Contact (ISO 7816-3) or contactless (ISO 14443).
    pub interface: Interface,
    /// Whether no other program can reach the card between two of this session's
    /// transactions (a PC/SC connection in exclusive mode, a phone's NFC tag session, the
    /// in-process virtual card). When `false`, the default, the transport is treated as
    /// shared: [`Card`](crate::Card) forgets what it believes is selected at the start of
    /// every transaction, since another program may have selected something else since.
    pub exclusive: bool,
}

impl Capabilities {
    /// A short-APDU transport over `interface`, shared with other programs: 261-byte commands,
    /// 258-byte responses, no extended length, not exclusive.
    pub const fn new(interface: Interface) -> Self {
        Self {
            max_command_len: 261,
            max_response_len: 258,
            extended_length: false,
            interface,
            exclusive: false,
        }
    }

    /// With the longest command APDU the transport accepts, in bytes.
    pub const fn with_max_command_len(mut self, len: usize) -> Self {
        self.max_command_len = len;
        self
    }

    /// With the longest response APDU (data + SW1 SW2) the transport returns, in bytes.
    pub const fn with_max_response_len(mut self, len: usize) -> Self {
        self.max_response_len = len;
        self
    }

    /// With or without extended-length APDUs.
    pub const fn with_extended_length(mut self, extended_length: bool) -> Self {
        self.extended_length = extended_length;
        self
    }

    /// Over another interface.
    pub const fn with_interface(mut self, interface: Interface) -> Self {
        self.interface = interface;
        self
    }

    /// Declares (`true`) or withdraws exclusive access: see [`Capabilities::exclusive`].
    pub const fn with_exclusive(mut self, exclusive: bool) -> Self {
        self.exclusive = exclusive;
        self
    }
}

impl Default for Capabilities {
    /// A short-APDU contact reader shared with other programs: 261-byte commands, 258-byte
    /// responses.
    fn default() -> Self {
        Self::new(Interface::Contact)
    }
}

/// How the card is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Interface {
    /// Through the card's contacts.
    Contact,
    /// Over NFC (ISO 14443 Type B for the My Number Card).
    Contactless,
    /// Not known (a callback transport that did not say).
    Unknown,
}

/// A transport failure. Never carries command or response bytes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The card left the reader (or the NFC field) before the response was complete.
    #[error("card removed")]
    CardRemoved,
    /// The card was reset by someone else: its selection and PIN state are gone.
    #[error("card reset")]
    CardReset,
    /// No response in time.
    #[error("timed out")]
    Timeout,
    /// A failure of the PC/SC layer (feature `pcsc`): no reader, an unknown reader name, or
    /// a PC/SC error code, as a typed value ([`PcscError::Pcsc`] holds the `pcsc` crate's
    /// error).
    #[cfg(feature = "pcsc")]
    #[error(transparent)]
    Pcsc(PcscError),
    /// Anything else, with its source.
    #[error("transport failure: {0}")]
    Other(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl TransportError {
    /// Wraps any error as [`TransportError::Other`].
    pub fn other(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Other(source.into())
    }
}

#[cfg(feature = "pcsc")]
impl From<PcscError> for TransportError {
    fn from(e: PcscError) -> Self {
        Self::Pcsc(e)
    }
}

/// Failures of the PC/SC layer itself (feature `pcsc`), as [`TransportError::Pcsc`]; also
/// reachable as `mynumbercard::pcsc::PcscError`.
#[cfg(feature = "pcsc")]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PcscError {
    /// No PC/SC reader is connected (or the PC/SC service is not running).
    #[error("no PC/SC reader found (is pcscd running?)")]
    NoReader,
    /// Readers exist but none holds a card.
    #[error("no reader holds a card")]
    NoCard,
    /// The reader name contains a NUL byte.
    #[error("invalid reader name")]
    InvalidReaderName,
    /// No reader has the name asked for
    /// ([`PcscTransport::connect`](crate::pcsc::PcscTransport::connect));
    /// [`list_readers`](crate::pcsc::list_readers) gives the names there are.
    #[error("no PC/SC reader is named {name:?}")]
    UnknownReader {
        /// The name asked for.
        name: String,
    },
    /// The connection is closed.
    #[error("the PC/SC connection is closed")]
    Closed,
    /// The connection's thread stopped unexpectedly.
    #[error("the PC/SC connection thread stopped")]
    WorkerGone,
    /// A transaction was begun inside a transaction.
    #[error("a PC/SC transaction is already open")]
    NestedTransaction,
    /// A transaction was ended that was not begun.
    #[error("no PC/SC transaction is open")]
    NoTransaction,
    /// An error from PC/SC.
    #[error("PC/SC: {0}")]
    Pcsc(#[from] ::pcsc::Error),
}

/// A way to reach a card.
///
/// Implementing it from a callback is a few lines; [`from_fn`] does it for a closure:
///
/// ```
/// use mynumbercard::transport::{self, Transport, TransportError};
///
/// // Stands in for Android's `IsoDep.transceive` or iOS's `sendCommand` reached through FFI.
/// fn nfc_transceive(apdu: &[u8]) -> Result<Vec<u8>, String> {
///     Ok(vec![0x6A, 0x82])
/// }
///
/// let mut nfc = transport::from_fn(|apdu: &[u8]| {
///     nfc_transceive(apdu).map_err(TransportError::other)
/// });
/// assert_eq!(nfc.transmit(&[0x00, 0xA4, 0x04, 0x0C]).unwrap(), [0x6A, 0x82]);
/// ```
pub trait Transport {
    /// Sends one command APDU and returns the whole response APDU (data + SW1 SW2).
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError>;

    /// What the transport can carry. The default is a short-APDU contact reader.
    fn capabilities(&self) -> Capabilities {
        Capabilities::default()
    }

    /// Starts exclusive access: until [`Transport::end_transaction`], no other application
    /// can send a command to the card (a PC/SC transaction). [`Card`](crate::Card) wraps each
    /// operation in one, so that nothing comes between a VERIFY and the SIGN it unlocks.
    /// Transports that are exclusive anyway (NFC, the virtual card) keep the default no-op.
    ///
    /// [`TransportError::CardReset`] means the card was reset since the last command: the
    /// transport is usable again, the card's selection is gone.
    fn begin_transaction(&mut self) -> Result<(), TransportError> {
        Ok(())
    }

    /// Ends the exclusive access started by [`Transport::begin_transaction`], leaving the
    /// card as it is. The default does nothing.
    fn end_transaction(&mut self) -> Result<(), TransportError> {
        Ok(())
    }

    /// Asks the transport to remove the card's power when the session ends (on
    /// [`Transport::close`] or when the transport is dropped). [`Card`](crate::Card) calls
    /// it before the first VERIFY: a reset does not clear a verified PIN, power does, so the
    /// next application inherits nothing. The default does nothing.
    fn unpower_on_close(&mut self) {}

    /// Ends the session now (a PC/SC disconnect), unpowering the card if
    /// [`Transport::unpower_on_close`] was called. Later commands fail. The default does
    /// nothing.
    fn close(&mut self) -> Result<(), TransportError> {
        Ok(())
    }
}

/// Forwards every method, so `&mut T` and `Box<T>` are transports wherever `T` is.
macro_rules! forward_transport {
    ($($ty:ty),+) => {$(
        impl<T: Transport + ?Sized> Transport for $ty {
            fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
                (**self).transmit(command)
            }

            fn capabilities(&self) -> Capabilities {
                (**self).capabilities()
            }

            fn begin_transaction(&mut self) -> Result<(), TransportError> {
                (**self).begin_transaction()
            }

            fn end_transaction(&mut self) -> Result<(), TransportError> {
                (**self).end_transaction()
            }

            fn unpower_on_close(&mut self) {
                (**self).unpower_on_close()
            }

            fn close(&mut self) -> Result<(), TransportError> {
                (**self).close()
            }
        }
    )+};
}

forward_transport!(&mut T, Box<T>);

/// A transport backed by a closure; see [`from_fn`].
pub struct FnTransport<F> {
    transmit: F,
    capabilities: Capabilities,
}

/// A transport from a closure that sends one APDU and returns the response, such as a
/// wrapper around Android's `IsoDep.transceive` or iOS's `NFCISO7816Tag.sendCommand`.
pub fn from_fn<F>(transmit: F) -> FnTransport<F>
where
    F: FnMut(&[u8]) -> Result<Vec<u8>, TransportError>,
{
    FnTransport {
        transmit,
        capabilities: Capabilities {
            interface: Interface::Unknown,
            ..Capabilities::default()
        },
    }
}

impl<F> FnTransport<F> {
    /// Declares what the underlying transport can carry (for example
    /// `IsoDep.getMaxTransceiveLength` and `isExtendedLengthApduSupported`).
    pub fn with_capabilities(mut self, capabilities: Capabilities) -> Self {
        self.capabilities = capabilities;
        self
    }
}

impl<F> Transport for FnTransport<F>
where
    F: FnMut(&[u8]) -> Result<Vec<u8>, TransportError>,
{
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        (self.transmit)(command)
    }

    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }
}

impl<F> fmt::Debug for FnTransport<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FnTransport")
            .field("capabilities", &self.capabilities)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_shows_its_cause() {
        let e = TransportError::other("the NFC tag was lost");
        assert_eq!(e.to_string(), "transport failure: the NFC tag was lost");
        assert_eq!(
            std::error::Error::source(&e).map(ToString::to_string),
            Some("the NFC tag was lost".to_owned())
        );
    }
}
