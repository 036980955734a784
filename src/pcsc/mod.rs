//! PC/SC readers (feature `pcsc`): pcsc-lite on Linux (`libpcsclite-dev` on Debian/Ubuntu),
//! the system's PC/SC on macOS and Windows.
//!
//! [`PcscTransport`] connects in shared mode, holds a PC/SC transaction for each library
//! operation ([`Transport::begin_transaction`]), reconnects after a card reset and reports
//! it as [`TransportError::CardReset`], reports a removed card as
//! [`TransportError::CardRemoved`], and ends a session in which a PIN was verified by
//! unpowering the card.
//!
//! ```no_run
//! use mynumbercard::{pcsc, Card, CertificateKind};
//! let reader = pcsc::wait_for_card(std::time::Duration::from_secs(10))?;
//! let mut card = Card::new(pcsc::PcscTransport::connect(&reader)?);
//! let der = card.jpki().read_certificate_der(CertificateKind::Auth)?;
//! card.close()?;
//! # Ok::<(), mynumbercard::Error>(())
//! ```

mod features;
mod worker;

use std::ffi::CString;
use std::fmt;
use std::time::{Duration, Instant};

use ::pcsc::{Context, Disposition, ReaderState, Scope, State};
use zeroize::Zeroizing;

use crate::transport::{Capabilities, Transport, TransportError};
use worker::{Connected, Request, Worker};

pub use crate::transport::PcscError;

/// Maps a PC/SC error. A failure that is not plainly a removal is checked against the
/// card's status, so that a card pulled mid-command reads as removed.
pub(crate) fn map_error(e: ::pcsc::Error, card: Option<&::pcsc::Card>) -> TransportError {
    use ::pcsc::Error as E;
    match e {
        E::RemovedCard | E::NoSmartcard | E::ReaderUnavailable | E::UnknownReader => {
            TransportError::CardRemoved
        }
        E::ResetCard | E::UnpoweredCard => TransportError::CardReset,
        E::Timeout => TransportError::Timeout,
        E::NoReadersAvailable | E::NoService | E::ServiceStopped => {
            TransportError::Pcsc(PcscError::NoReader)
        }
        other => {
            let present = card.map(|card| card.status2_owned());
            match present {
                Some(Ok(status)) if !is_present(status.status()) => TransportError::CardRemoved,
                Some(Err(E::RemovedCard | E::NoSmartcard | E::ReaderUnavailable)) => {
                    TransportError::CardRemoved
                }
                _ => TransportError::Pcsc(PcscError::Pcsc(other)),
            }
        }
    }
}

/// Whether a card is in the reader. On Windows exactly one bit is set, on pcsc-lite several.
pub(crate) fn is_present(status: ::pcsc::Status) -> bool {
    use ::pcsc::Status as S;
    status.intersects(S::PRESENT | S::SWALLOWED | S::POWERED | S::NEGOTIABLE | S::SPECIFIC)
}

/// Whether the card has power.
pub(crate) fn is_powered(status: ::pcsc::Status) -> bool {
    use ::pcsc::Status as S;
    status.intersects(S::POWERED | S::NEGOTIABLE | S::SPECIFIC)
}

/// The names of the connected readers; empty when there are none.
pub fn list_readers() -> Result<Vec<String>, TransportError> {
    let context = Context::establish(Scope::User).map_err(|e| map_error(e, None))?;
    reader_names(&context)
}

fn reader_names(context: &Context) -> Result<Vec<String>, TransportError> {
    match context.list_readers_owned() {
        Ok(names) => Ok(names
            .into_iter()
            .map(|name| name.to_string_lossy().into_owned())
            .collect()),
        Err(::pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
        Err(e) => Err(map_error(e, None)),
    }
}

/// The readers that hold a card now, in the system's order.
pub fn readers_with_card() -> Result<Vec<String>, TransportError> {
    let context = Context::establish(Scope::User).map_err(|e| map_error(e, None))?;
    let mut states = reader_states(&context)?;
    if states.is_empty() {
        return Ok(Vec::new());
    }
    match context.get_status_change(Duration::ZERO, &mut states) {
        Ok(()) | Err(::pcsc::Error::Timeout) => {}
        Err(e) => return Err(map_error(e, None)),
    }
    Ok(states.iter().filter_map(holding_card).collect())
}

/// The longest single wait for a status change in [`wait_for_card`]; longer timeouts wait
/// again.
const MAX_WAIT_STEP: Duration = Duration::from_secs(3600);

/// Waits until a reader holds a card and returns its name (the first, if several do).
/// Readers plugged in while waiting count. [`TransportError::Timeout`] after `timeout`;
/// `Duration::MAX` waits for ever.
pub fn wait_for_card(timeout: Duration) -> Result<String, TransportError> {
    let context = Context::establish(Scope::User).map_err(|e| map_error(e, None))?;
    // `None`: no deadline (`Duration::MAX`, or any timeout past what `Instant` can hold).
    let deadline = Instant::now().checked_add(timeout);
    loop {
        let mut states = reader_states(&context)?;
        states.push(ReaderState::new(::pcsc::PNP_NOTIFICATION(), State::UNAWARE));
        match context.get_status_change(Duration::ZERO, &mut states) {
            Ok(()) | Err(::pcsc::Error::Timeout) => {}
            Err(e) => return Err(map_error(e, None)),
        }
        if let Some(name) = states.iter().find_map(holding_card) {
            return Ok(name);
        }
        let left = wait_step(deadline, Instant::now())?;
        for state in &mut states {
            state.sync_current_state();
        }
        // Returns on any change (a card, a reader plugged in) or at the deadline.
        match context.get_status_change(left, &mut states) {
            Ok(()) | Err(::pcsc::Error::Timeout) => {}
            Err(e) => return Err(map_error(e, None)),
        }
    }
}

/// How long the next wait may be: `None` for ever, at most [`MAX_WAIT_STEP`] (so that no
/// millisecond count overflows), [`TransportError::Timeout`] once the deadline has passed.
fn wait_step(deadline: Option<Instant>, now: Instant) -> Result<Option<Duration>, TransportError> {
    match deadline {
        None => Ok(None),
        Some(deadline) => match deadline.saturating_duration_since(now) {
            left if left.is_zero() => Err(TransportError::Timeout),
            left => Ok(Some(left.min(MAX_WAIT_STEP))),
        },
    }
}

fn reader_states(context: &Context) -> Result<Vec<ReaderState>, TransportError> {
    let names = match context.list_readers_owned() {
        Ok(names) => names,
        Err(::pcsc::Error::NoReadersAvailable) => Vec::new(),
        Err(e) => return Err(map_error(e, None)),
    };
    Ok(names
        .into_iter()
        .map(|name| ReaderState::new(name, State::UNAWARE))
        .collect())
}

/// The reader's name if it holds a responsive card (the PnP pseudo-reader never does).
fn holding_card(state: &ReaderState) -> Option<String> {
    let event = state.event_state();
    (event.contains(State::PRESENT) && !event.contains(State::MUTE))
        .then(|| state.name().to_string_lossy().into_owned())
        .filter(|name| name.as_bytes() != ::pcsc::PNP_NOTIFICATION().to_bytes())
}

/// A card in a PC/SC reader, connected in shared mode (the default) or exclusive mode; see
/// the [module docs](self).
///
/// In shared mode other programs may use the card between two of the library's
/// transactions, so the transport declares [`Capabilities::exclusive`] `false` and the
/// session selects again at the start of every transaction. [`PcscTransport::connect_exclusive`]
/// keeps every other program out for the whole connection, and saves those SELECTs.
///
/// The connection lives on a thread of its own, which holds the PC/SC transaction between
/// [`Transport::begin_transaction`] and [`Transport::end_transaction`].
pub struct PcscTransport {
    worker: Option<Worker>,
    reader: String,
    atr: Vec<u8>,
    capabilities: Capabilities,
    on_close: Disposition,
}

impl PcscTransport {
    /// Connects to the card in `reader`, in shared mode (T=0 or T=1): other programs can
    /// reach the card between the library's transactions. A name no reader has is
    /// [`PcscError::UnknownReader`].
    pub fn connect(reader: &str) -> Result<Self, TransportError> {
        Self::connect_with(reader, ::pcsc::ShareMode::Shared)
    }

    /// Connects to the card in `reader` in exclusive mode: no other program can reach the
    /// card until this transport is closed (the connection fails while another program
    /// holds the card). The transport declares [`Capabilities::exclusive`].
    pub fn connect_exclusive(reader: &str) -> Result<Self, TransportError> {
        Self::connect_with(reader, ::pcsc::ShareMode::Exclusive)
    }

    fn connect_with(reader: &str, mode: ::pcsc::ShareMode) -> Result<Self, TransportError> {
        let name =
            CString::new(reader).map_err(|_| TransportError::Pcsc(PcscError::InvalidReaderName))?;
        let (worker, Connected { atr, capabilities }) = worker::spawn(name, mode)?;
        let capabilities = Capabilities {
            exclusive: mode == ::pcsc::ShareMode::Exclusive,
            ..capabilities
        };
        Ok(Self {
            worker: Some(worker),
            reader: reader.to_owned(),
            atr,
            capabilities,
            on_close: Disposition::LeaveCard,
        })
    }

    /// Connects to the first reader that holds a card.
    pub fn first_with_card() -> Result<Self, TransportError> {
        if list_readers()?.is_empty() {
            return Err(TransportError::Pcsc(PcscError::NoReader));
        }
        match readers_with_card()?.first() {
            Some(reader) => Self::connect(reader),
            None => Err(TransportError::Pcsc(PcscError::NoCard)),
        }
    }

    /// The reader's name.
    pub fn reader(&self) -> &str {
        &self.reader
    }

    /// The card's ATR as the reader reported it at connection (contactless readers
    /// synthesise it: do not identify the card by it).
    pub fn atr(&self) -> &[u8] {
        &self.atr
    }

    fn request(&mut self, request: Request) -> Result<Vec<u8>, TransportError> {
        let worker = self
            .worker
            .as_ref()
            .ok_or_else(|| TransportError::Pcsc(PcscError::Closed))?;
        worker
            .requests
            .send(request)
            .map_err(|_| TransportError::Pcsc(PcscError::WorkerGone))?;
        worker
            .replies
            .recv()
            .map_err(|_| TransportError::Pcsc(PcscError::WorkerGone))?
    }
}

impl Transport for PcscTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.request(Request::Transmit(Zeroizing::new(command.to_vec())))
    }

    /// What the reader carries: extended APDUs when it reports `dwMaxAPDUDataSize` (PC/SC
    /// part 10) above 0, or is a slot of vsmartcard's vpcd (which carries them without saying
    /// so before its version 0.9); short APDUs otherwise. Contactless for an ATR as PC/SC
    /// part 3 readers synthesise it; exclusive when connected in exclusive mode.
    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    fn begin_transaction(&mut self) -> Result<(), TransportError> {
        self.request(Request::Begin).map(drop)
    }

    fn end_transaction(&mut self) -> Result<(), TransportError> {
        self.request(Request::End).map(drop)
    }

    fn unpower_on_close(&mut self) {
        self.on_close = Disposition::UnpowerCard;
    }

    /// Disconnects: `SCARD_UNPOWER_CARD` if asked by [`Transport::unpower_on_close`],
    /// `SCARD_LEAVE_CARD` otherwise.
    fn close(&mut self) -> Result<(), TransportError> {
        let result = self.request(Request::Close(self.on_close)).map(drop);
        if let Some(worker) = self.worker.take() {
            drop(worker.requests);
            let _ = worker.thread.join();
        }
        result
    }
}

impl Drop for PcscTransport {
    fn drop(&mut self) {
        if self.worker.is_some() {
            if let Err(e) = self.close() {
                log::debug!("closing the PC/SC connection failed: {e}");
            }
        }
    }
}

impl fmt::Debug for PcscTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PcscTransport")
            .field("reader", &self.reader)
            .field("atr", &hex::encode_upper(&self.atr))
            .field("capabilities", &self.capabilities)
            .field(
                "unpower_on_close",
                &(self.on_close == Disposition::UnpowerCard),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_timeout_overflows_the_deadline() {
        let now = Instant::now();
        // `Duration::MAX` (and anything past what `Instant` holds) waits for ever.
        assert_eq!(now.checked_add(Duration::MAX), None);
        assert!(matches!(wait_step(None, now), Ok(None)));
        let soon = now + Duration::from_millis(250);
        assert!(
            matches!(wait_step(Some(soon), now), Ok(Some(d)) if d == Duration::from_millis(250))
        );
        let later = now + 3 * MAX_WAIT_STEP;
        assert!(matches!(wait_step(Some(later), now), Ok(Some(d)) if d == MAX_WAIT_STEP));
        assert!(matches!(
            wait_step(Some(now), now),
            Err(TransportError::Timeout)
        ));
        assert!(matches!(
            wait_step(Some(now), soon),
            Err(TransportError::Timeout)
        ));
    }
}
