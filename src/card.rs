//! A session with one card: the exchange plus what the library knows of the card's state
//! (the current selection), so that no SELECT is repeated needlessly.

use std::fmt;

use crate::apdu::{Command, Response, StatusWord};
use crate::commands;
use crate::error::{Error, Result};
use crate::exchange::{Exchange, Limits, Stats, Trace};
use crate::jpki::Jpki;
use crate::transport::Transport;

/// The card's applications (DF names), selected with `00 A4 04 0C` \[agreed\].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Application {
    /// 公的個人認証AP: the JPKI certificates, keys and PINs.
    Jpki,
}

impl Application {
    /// The application identifier.
    pub const fn aid(self) -> &'static [u8] {
        match self {
            Application::Jpki => &crate::jpki::AID,
        }
    }
}

/// What is selected on the card, as far as this session knows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Selection {
    application: Option<Application>,
    file: Option<u16>,
}

/// A session with a My Number Card over a [`Transport`].
///
/// ```
/// # #[cfg(feature = "virtual-card")] {
/// use mynumbercard::{Card, CertificateKind, VirtualCard};
/// let mut card = Card::new(VirtualCard::default());
/// let der = card.jpki().read_certificate_der(CertificateKind::Auth)?;
/// assert_eq!(der.first(), Some(&0x30));
/// # }
/// # Ok::<(), mynumbercard::Error>(())
/// ```
pub struct Card<T> {
    exchange: Exchange<T>,
    selection: Selection,
}

impl<T: Transport> Card<T> {
    /// A session over `transport`. Nothing is sent yet.
    pub fn new(transport: T) -> Self {
        Self {
            exchange: Exchange::new(transport),
            selection: Selection::default(),
        }
    }

    /// The JPKI application (公的個人認証AP).
    pub fn jpki(&mut self) -> Jpki<'_, T> {
        Jpki::new(self)
    }

    /// Calls `tracer` with every APDU, PINs masked; see [`Exchange::set_tracer`].
    pub fn set_tracer(&mut self, tracer: impl FnMut(Trace<'_>) + Send + 'static) {
        self.exchange.set_tracer(tracer);
    }

    /// Replaces the exchange's bounds.
    pub fn set_limits(&mut self, limits: Limits) {
        self.exchange.set_limits(limits);
    }

    /// What crossed the wire so far.
    pub fn stats(&self) -> Stats {
        self.exchange.stats()
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        self.exchange.transport()
    }

    /// The transport, mutably. If you send commands or reset the card through it, call
    /// [`Card::forget_selection`] afterwards.
    pub fn transport_mut(&mut self) -> &mut T {
        self.exchange.transport_mut()
    }

    /// Ends the session and gives the transport back.
    pub fn into_transport(self) -> T {
        self.exchange.into_transport()
    }

    /// Forgets what is selected, so the next operation selects again (after a card reset).
    pub fn forget_selection(&mut self) {
        self.selection = Selection::default();
    }

    /// Sends a command; on any transport or framing error the selection is forgotten, since
    /// the card's state is then unknown.
    pub(crate) fn transmit(&mut self, command: &Command) -> Result<Response> {
        let result = self.exchange.transmit(command);
        if result.is_err() {
            self.forget_selection();
        }
        result
    }

    /// Sends a command and requires `9000`, mapping the statuses every operation shares.
    pub(crate) fn transmit_ok(&mut self, command: &Command) -> Result<Response> {
        let response = self.transmit(command)?;
        match response.status() {
            StatusWord::SUCCESS => Ok(response),
            status => Err(status_error(status, command)),
        }
    }

    /// Selects `application` unless it is known to be selected.
    pub(crate) fn select_application(&mut self, application: Application) -> Result<()> {
        if self.selection.application == Some(application) {
            return Ok(());
        }
        self.forget_selection();
        self.transmit_ok(&commands::select_application(application.aid()))?;
        self.selection.application = Some(application);
        Ok(())
    }

    /// Selects EF `fid` of `application` unless it is known to be selected.
    pub(crate) fn select_file(&mut self, application: Application, fid: u16) -> Result<()> {
        self.select_application(application)?;
        if self.selection.file == Some(fid) {
            return Ok(());
        }
        self.selection.file = None;
        self.transmit_ok(&commands::select_file(fid))?;
        self.selection.file = Some(fid);
        Ok(())
    }
}

/// The error for a status word no operation expects to succeed with.
pub(crate) fn status_error(status: StatusWord, command: &Command) -> Error {
    match status {
        StatusWord::SECURITY_STATUS_NOT_SATISFIED => Error::SecurityStatusNotSatisfied,
        StatusWord::FILE_NOT_FOUND => Error::FileNotFound {
            command: command.header(),
        },
        status => Error::UnexpectedStatus {
            status,
            command: command.header(),
        },
    }
}

impl<T: fmt::Debug> fmt::Debug for Card<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Card")
            .field("exchange", &self.exchange)
            .field("selection", &self.selection)
            .finish()
    }
}
