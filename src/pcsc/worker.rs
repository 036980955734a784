//! The thread that owns one PC/SC connection. A `pcsc::Transaction` borrows its card, so it
//! cannot live in a struct beside it; here it lives on this thread's stack for exactly as
//! long as the library's transaction, and ends on drop whatever happens.

use std::ffi::CString;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use ::pcsc::{Card, Context, Disposition, Error as PcscError, Protocols, Scope, ShareMode};
use zeroize::Zeroizing;

use super::{features, map_error, PcscError as Failure};
use crate::transport::{Capabilities, TransportError};

/// What the transport asks of the worker.
pub(super) enum Request {
    /// Send one command APDU (it may carry a PIN: zeroized when dropped).
    Transmit(Zeroizing<Vec<u8>>),
    /// `SCardBeginTransaction`.
    Begin,
    /// `SCardEndTransaction`, leaving the card.
    End,
    /// `SCardDisconnect` with this disposition; the worker then stops.
    Close(Disposition),
}

/// The worker's answer to one request: response bytes for `Transmit`, empty otherwise.
pub(super) type Reply = Result<Vec<u8>, TransportError>;

/// What the connection found when it was made.
pub(super) struct Connected {
    pub(super) atr: Vec<u8>,
    pub(super) capabilities: Capabilities,
}

/// The transport's side of the worker.
pub(super) struct Worker {
    pub(super) requests: Sender<Request>,
    pub(super) replies: Receiver<Reply>,
    pub(super) thread: JoinHandle<()>,
}

thread_local! {
    /// The share mode of the connection this worker thread owns (one connection a thread),
    /// used again when it reconnects after a reset.
    static SHARE_MODE: std::cell::Cell<ShareMode> = const { std::cell::Cell::new(ShareMode::Shared) };
}

fn share_mode() -> ShareMode {
    SHARE_MODE.with(std::cell::Cell::get)
}

/// Connects to `reader` on a new thread, in shared or exclusive mode.
pub(super) fn spawn(
    reader: CString,
    mode: ShareMode,
) -> Result<(Worker, Connected), TransportError> {
    let (request_tx, request_rx) = mpsc::channel();
    let (reply_tx, reply_rx) = mpsc::channel();
    let (setup_tx, setup_rx) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("mynumbercard-pcsc".into())
        .spawn(move || {
            SHARE_MODE.with(|cell| cell.set(mode));
            match connect(&reader) {
                Ok((card, connected)) => {
                    if setup_tx.send(Ok(connected)).is_ok() {
                        serve(card, &request_rx, &reply_tx);
                    }
                }
                Err(e) => {
                    let _ = setup_tx.send(Err(e));
                }
            }
        })
        .map_err(TransportError::other)?;
    let connected = setup_rx
        .recv()
        .map_err(|_| TransportError::Pcsc(Failure::WorkerGone))??;
    let worker = Worker {
        requests: request_tx,
        replies: reply_rx,
        thread,
    };
    Ok((worker, connected))
}

fn connect(reader: &CString) -> Result<(Card, Connected), TransportError> {
    let context = Context::establish(Scope::User).map_err(|e| map_error(e, None))?;
    let mut card = context
        .connect(reader, share_mode(), Protocols::ANY)
        .map_err(|e| connect_error(e, reader))?;
    // A reset or power-down by another application just before we connected shows here.
    let atr = match card.status2_owned() {
        Ok(status) if !super::is_powered(status.status()) => {
            revive(&mut card)?;
            card.status2_owned()
        }
        Err(e) if is_reset(e) => {
            revive(&mut card)?;
            card.status2_owned()
        }
        other => other,
    }
    .map(|status| status.atr().to_vec())
    .map_err(|e| map_error(e, Some(&card)))?;
    let capabilities = features::capabilities(&card, &reader.to_string_lossy(), &atr);
    Ok((card, Connected { atr, capabilities }))
}

/// Maps a failed connection: a name no reader has is an unknown reader, not a removed card.
pub(super) fn connect_error(e: PcscError, reader: &CString) -> TransportError {
    match e {
        PcscError::UnknownReader => TransportError::Pcsc(Failure::UnknownReader {
            name: reader.to_string_lossy().into_owned(),
        }),
        other => map_error(other, None),
    }
}

/// Answers requests until `Close` or until the transport is gone.
fn serve(mut card: Card, requests: &Receiver<Request>, replies: &Sender<Reply>) {
    let mut buffer = Zeroizing::new(vec![0u8; ::pcsc::MAX_BUFFER_SIZE_EXTENDED]);
    let disposition = loop {
        let Ok(request) = requests.recv() else {
            break Disposition::LeaveCard;
        };
        let reply = match request {
            Request::Transmit(command) => transmit(&mut card, &command, &mut buffer),
            Request::End => Err(TransportError::Pcsc(Failure::NoTransaction)),
            Request::Close(disposition) => break disposition,
            Request::Begin => match card.transaction2() {
                Ok(mut transaction) => {
                    // pcsc-lite does not always report a power-down by another application
                    // as a reset: ask, and power the card up again.
                    if let Err(e) = ensure_powered(&mut transaction) {
                        drop(transaction);
                        if replies.send(Err(e)).is_err() {
                            break Disposition::LeaveCard;
                        }
                        continue;
                    }
                    if replies.send(Ok(Vec::new())).is_err() {
                        break Disposition::LeaveCard;
                    }
                    match in_transaction(transaction, requests, replies, &mut buffer) {
                        Some(disposition) => break disposition,
                        None => continue,
                    }
                }
                Err((card, e)) => Err(recover(card, e)),
            },
        };
        if replies.send(reply).is_err() {
            break Disposition::LeaveCard;
        }
    };
    let result = card.disconnect(disposition).map_err(|(card, e)| {
        // Dropping the card disconnects it again (with a reset).
        drop(card);
        map_error(e, None)
    });
    let _ = replies.send(result.map(|()| Vec::new()));
}

/// Serves requests inside a transaction until `End` (returns `None`) or `Close` / the
/// transport's end (returns the disposition to close with). The transaction ends on every
/// path, by `end` or by drop.
fn in_transaction(
    mut transaction: ::pcsc::Transaction<'_>,
    requests: &Receiver<Request>,
    replies: &Sender<Reply>,
    buffer: &mut [u8],
) -> Option<Disposition> {
    loop {
        let Ok(request) = requests.recv() else {
            return Some(Disposition::LeaveCard);
        };
        let reply = match request {
            Request::Transmit(command) => match transaction.transmit(&command, buffer) {
                Ok(response) => Ok(response.to_vec()),
                Err(e) => Err(recover(&mut transaction, e)),
            },
            Request::Begin => Err(TransportError::Pcsc(Failure::NestedTransaction)),
            Request::Close(disposition) => return Some(disposition),
            Request::End => {
                let result = transaction
                    .end(Disposition::LeaveCard)
                    .map_err(|(transaction, e)| map_error(e, Some(&transaction)));
                let _ = replies.send(result.map(|()| Vec::new()));
                return None;
            }
        };
        if replies.send(reply).is_err() {
            return Some(Disposition::LeaveCard);
        }
    }
}

fn transmit(card: &mut Card, command: &[u8], buffer: &mut [u8]) -> Reply {
    match card.transmit(command, buffer) {
        Ok(response) => Ok(response.to_vec()),
        Err(e) => Err(recover(card, e)),
    }
}

/// A connection, inside a transaction or not.
trait Handle {
    fn card(&self) -> &Card;
    fn reconnect(&mut self, initialization: Disposition) -> Result<(), PcscError>;
}

impl Handle for Card {
    fn card(&self) -> &Card {
        self
    }
    fn reconnect(&mut self, initialization: Disposition) -> Result<(), PcscError> {
        Card::reconnect(self, share_mode(), Protocols::ANY, initialization)
    }
}

impl Handle for ::pcsc::Transaction<'_> {
    fn card(&self) -> &Card {
        self
    }
    fn reconnect(&mut self, initialization: Disposition) -> Result<(), PcscError> {
        ::pcsc::Transaction::reconnect(self, share_mode(), Protocols::ANY, initialization)
    }
}

/// Maps an error. After a reset or a power-down by someone else, reconnects so that the
/// next command reaches a powered card, and reports [`TransportError::CardReset`]. An
/// ambiguous failure is checked against the card's presence (see [`settle`]).
fn recover(handle: &mut impl Handle, e: PcscError) -> TransportError {
    if is_reset(e) {
        return match revive(handle) {
            Ok(()) => TransportError::CardReset,
            Err(e) => e,
        };
    }
    match map_error(e, Some(handle.card())) {
        TransportError::Pcsc(_) | TransportError::Other(_) => settle(handle.card(), e),
        mapped => mapped,
    }
}

/// Reconnects, and powers the card up if it has no power: pcsc-lite leaves a card that
/// another application disconnected with `SCARD_UNPOWER_CARD` unpowered, and a
/// `SCARD_LEAVE_CARD` reconnection does not power it up, a warm reset does.
fn revive(handle: &mut impl Handle) -> Result<(), TransportError> {
    match handle.reconnect(Disposition::LeaveCard) {
        Ok(()) => {}
        Err(e) if is_reset(e) => {}
        Err(e) => return Err(map_error(e, Some(handle.card()))),
    }
    match handle.card().status2_owned() {
        Ok(status) if super::is_powered(status.status()) => return Ok(()),
        Ok(status) if !super::is_present(status.status()) => {
            return Err(TransportError::CardRemoved)
        }
        Ok(_) => {}
        Err(e) if is_reset(e) => {}
        Err(e) => return Err(map_error(e, Some(handle.card()))),
    }
    handle
        .reconnect(Disposition::ResetCard)
        .map_err(|e| map_error(e, Some(handle.card())))
}

/// A command failed without saying why (`SCARD_E_NOT_TRANSACTED`, a communication error):
/// when the card was pulled, pcscd notices at its next presence poll. Waits for that, at
/// most 1.5 s, and reports the removal; otherwise the error as it came.
fn settle(card: &Card, e: PcscError) -> TransportError {
    for _ in 0..15 {
        match card.status2_owned() {
            Ok(status) if !super::is_present(status.status()) => {
                return TransportError::CardRemoved
            }
            Err(PcscError::RemovedCard | PcscError::NoSmartcard | PcscError::ReaderUnavailable) => {
                return TransportError::CardRemoved
            }
            _ => std::thread::sleep(std::time::Duration::from_millis(100)),
        }
    }
    map_error(e, Some(card))
}

/// Checks at the start of a transaction that the card still has power (another application
/// may have unpowered it); if not, powers it up and reports a reset.
fn ensure_powered(transaction: &mut ::pcsc::Transaction<'_>) -> Result<(), TransportError> {
    match transaction.status2_owned() {
        Ok(status) if super::is_powered(status.status()) => Ok(()),
        Ok(status) if !super::is_present(status.status()) => Err(TransportError::CardRemoved),
        Ok(_) => revive(transaction).and(Err(TransportError::CardReset)),
        Err(e) => Err(recover(transaction, e)),
    }
}

fn is_reset(e: PcscError) -> bool {
    matches!(e, PcscError::ResetCard | PcscError::UnpoweredCard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_reader_is_not_a_removed_card() {
        let name = CString::new("No Such Reader 00 00").unwrap();
        let e = connect_error(PcscError::UnknownReader, &name);
        assert!(
            matches!(
                &e,
                TransportError::Pcsc(Failure::UnknownReader { name }) if name == "No Such Reader 00 00"
            ),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "no PC/SC reader is named \"No Such Reader 00 00\""
        );
        assert!(matches!(
            connect_error(PcscError::RemovedCard, &name),
            TransportError::CardRemoved
        ));
    }

    #[test]
    fn a_pcsc_error_is_a_typed_value() {
        let e = connect_error(PcscError::SharingViolation, &CString::default());
        assert!(
            matches!(
                e,
                TransportError::Pcsc(Failure::Pcsc(PcscError::SharingViolation))
            ),
            "{e:?}"
        );
        let wrapped = crate::Error::from(e);
        assert!(matches!(
            wrapped,
            crate::Error::Transport(TransportError::Pcsc(Failure::Pcsc(
                PcscError::SharingViolation
            )))
        ));
    }
}
