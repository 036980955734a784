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

/// Connects to `reader` in shared mode on a new thread.
pub(super) fn spawn(reader: CString) -> Result<(Worker, Connected), TransportError> {
    let (request_tx, request_rx) = mpsc::channel();
    let (reply_tx, reply_rx) = mpsc::channel();
    let (setup_tx, setup_rx) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("mynumbercard-pcsc".into())
        .spawn(move || match connect(&reader) {
            Ok((card, connected)) => {
                if setup_tx.send(Ok(connected)).is_ok() {
                    serve(card, &request_rx, &reply_tx);
                }
            }
            Err(e) => {
                let _ = setup_tx.send(Err(e));
            }
        })
        .map_err(TransportError::other)?;
    let connected = setup_rx
        .recv()
        .map_err(|_| TransportError::other(Failure::WorkerGone))??;
    let worker = Worker {
        requests: request_tx,
        replies: reply_rx,
        thread,
    };
    Ok((worker, connected))
}

fn connect(reader: &CString) -> Result<(Card, Connected), TransportError> {
    let context = Context::establish(Scope::User).map_err(|e| map_error(e, None))?;
    let card = context
        .connect(reader, ShareMode::Shared, Protocols::ANY)
        .map_err(|e| map_error(e, None))?;
    let atr = card
        .status2_owned()
        .map(|status| status.atr().to_vec())
        .map_err(|e| map_error(e, Some(&card)))?;
    let capabilities = features::capabilities(&card, &atr);
    Ok((card, Connected { atr, capabilities }))
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
            Request::End => Err(TransportError::other(Failure::NoTransaction)),
            Request::Close(disposition) => break disposition,
            Request::Begin => match card.transaction2() {
                Ok(transaction) => {
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
                Err(e) => Err(recover_in_transaction(&mut transaction, e)),
            },
            Request::Begin => Err(TransportError::other(Failure::NestedTransaction)),
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

/// Maps an error; after a reset (or a power-down by someone else) reconnects, so that the
/// next command works on the fresh card.
fn recover(card: &mut Card, e: PcscError) -> TransportError {
    if is_reset(e) {
        return match card.reconnect(ShareMode::Shared, Protocols::ANY, Disposition::LeaveCard) {
            Ok(()) => TransportError::CardReset,
            Err(e) => map_error(e, Some(card)),
        };
    }
    map_error(e, Some(card))
}

fn recover_in_transaction(
    transaction: &mut ::pcsc::Transaction<'_>,
    e: PcscError,
) -> TransportError {
    if is_reset(e) {
        return match transaction.reconnect(
            ShareMode::Shared,
            Protocols::ANY,
            Disposition::LeaveCard,
        ) {
            Ok(()) => TransportError::CardReset,
            Err(e) => map_error(e, Some(transaction)),
        };
    }
    map_error(e, Some(transaction))
}

fn is_reset(e: PcscError) -> bool {
    matches!(e, PcscError::ResetCard | PcscError::UnpoweredCard)
}
