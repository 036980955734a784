//! A session with one card: the exchange plus what the library knows of the card's state
//! (the current selection, whether a PIN was verified), each operation inside one transport
//! transaction, and the end of the session.

use std::any::Any;
use std::fmt;

use crate::apdu::{Command, Response, StatusWord};
use crate::commands;
use crate::error::{Error, Result};
use crate::exchange::{Exchange, Limits, Stats, Trace};
use crate::transport::{Transport, TransportError};

/// An application on the card (a DF selected by its name, `00 A4 04 0C`), as the session
/// knows it: a name for messages and its AID. Each application module names its own
/// ([`jpki::APPLICATION`](crate::jpki::APPLICATION),
/// [`card_info::APPLICATION`](crate::card_info::APPLICATION),
/// [`card_face::APPLICATION`](crate::card_face::APPLICATION)); the session compares AIDs and
/// knows nothing else of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Application {
    name: &'static str,
    aid: &'static [u8],
}

impl Application {
    pub(crate) const fn new(name: &'static str, aid: &'static [u8]) -> Self {
        Self { name, aid }
    }

    /// The application identifier (DF name).
    pub const fn aid(self) -> &'static [u8] {
        self.aid
    }

    /// A short name, such as `"JPKI"`.
    pub const fn name(self) -> &'static str {
        self.name
    }
}

impl fmt::Display for Application {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// Whether the card takes a form of command, as this session found out. What the card takes
/// is a property of the card, not of its state, so it is kept for the whole session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Support {
    /// Not tried yet: the next command that could use it tries it, and falls back.
    #[default]
    Unknown,
    /// The card answered it.
    Works,
    /// The card refused it (or answered short): not tried again in this session.
    Refused,
}

/// The forms of addressing beyond SELECT and 256-byte reads that this session knows the card
/// to take: extended-length READ BINARY (sent to real cards by Miena, c-3lab's
/// mynumbercard-idp and jsapdu), short file identifiers in READ BINARY and in VERIFY (jsapdu,
/// myna-card), and in COMPUTE DIGITAL SIGNATURE (only myna-card; tried only once the card
/// answered a short file identifier in VERIFY). Each is kept apart, so that a card answering
/// one form and refusing another is asked the refused one once per session, not once per
/// operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Addressing {
    pub(crate) extended_reads: Support,
    pub(crate) read_short_file_ids: Support,
    pub(crate) verify_short_file_ids: Support,
    pub(crate) signing_short_file_id: Support,
}

impl Addressing {
    /// A probe was refused: every form still unknown counts as refused, so that a card that
    /// takes none of them costs one probe per session, not one per form.
    pub(crate) fn refuse_unknown(&mut self) {
        for support in [
            &mut self.extended_reads,
            &mut self.read_short_file_ids,
            &mut self.verify_short_file_ids,
        ] {
            if *support == Support::Unknown {
                *support = Support::Refused;
            }
        }
    }
}

/// Whether `status` refuses the form of a command (extended Le, a short file identifier)
/// rather than answering it: what makes a probe fall back to SELECT and 256-byte reads.
pub(crate) fn refuses_form(status: StatusWord) -> bool {
    matches!(
        status,
        StatusWord::WRONG_LENGTH
            | StatusWord::INCORRECT_P1_P2
            | StatusWord::WRONG_P1_P2
            | StatusWord::INS_NOT_SUPPORTED
            | StatusWord::COMMAND_NOT_ALLOWED
            | StatusWord::FILE_NOT_FOUND
            | StatusWord::REFERENCED_DATA_NOT_FOUND
    ) || matches!(status.to_u16(), 0x6981 | 0x6A81)
        || status.correct_le().is_some()
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
///
/// Every operation ([`Card::jpki`]'s methods) runs inside one transport transaction
/// ([`Transport::begin_transaction`]): on PC/SC no other application can send a command
/// between its APDUs. [`Card::transaction`] groups several operations into one.
///
/// Once a PIN was verified the session ends by unpowering the card ([`Card::close`], or
/// when the transport is dropped), since a reset does not clear the card's verified state.
pub struct Card<T> {
    exchange: Exchange<T>,
    /// What the session believes is selected. On a shared transport it is forgotten at the
    /// start of every transaction: another program may have selected something since.
    selection: Selection,
    /// What was selected inside the current transaction (the part of `selection` the
    /// lockout guard may rely on, whatever the transport declares).
    selected_here: Selection,
    /// What the card was found to take.
    addressing: Addressing,
    in_transaction: bool,
    pin_verified: bool,
    /// What the applications learnt of the card in this session.
    notes: Notes,
}

/// What applications learnt of the card in this session (what kind of token answers, which
/// form of a command it refuses): properties of the card rather than of its state, so they
/// outlive transactions. The session keeps them without knowing what they mean, one value of
/// each type.
#[derive(Default)]
struct Notes(Vec<Box<dyn Any + Send>>);

/// What an operation does when another application resets the card under it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OnReset {
    /// Select again and repeat it once (operations that only read).
    Repeat,
    /// Fail with [`Error::CardReset`] (VERIFY, signing: never sent twice).
    Fail,
}

impl<T: Transport> Card<T> {
    /// A session over `transport`. Nothing is sent yet.
    pub fn new(transport: T) -> Self {
        Self {
            exchange: Exchange::new(transport),
            selection: Selection::default(),
            selected_here: Selection::default(),
            addressing: Addressing::default(),
            in_transaction: false,
            pin_verified: false,
            notes: Notes::default(),
        }
    }

    /// Runs `op` inside one transaction: no other application can reach the card until it
    /// returns. Operations called inside do not open transactions of their own.
    ///
    /// ```
    /// # #[cfg(feature = "virtual-card")] {
    /// use mynumbercard::{Card, CertificateKind, PinKind, VirtualCard};
    /// let mut card = Card::new(VirtualCard::default());
    /// let (status, der) = card.transaction(|card| {
    ///     let status = card.jpki().pin_status(PinKind::Auth)?;
    ///     let der = card.jpki().read_certificate_der(CertificateKind::Auth)?;
    ///     Ok((status, der))
    /// })?;
    /// # let _ = (status, der);
    /// # }
    /// # Ok::<(), mynumbercard::Error>(())
    /// ```
    pub fn transaction<R>(&mut self, op: impl FnOnce(&mut Self) -> Result<R>) -> Result<R> {
        let mut op = Some(op);
        self.operation(OnReset::Fail, |card| match op.take() {
            Some(op) => op(card),
            None => Err(Error::CardReset),
        })
    }

    /// Whether a PIN was verified (or found verified) in this session, so that ending it
    /// unpowers the card.
    pub fn pin_verified(&self) -> bool {
        self.pin_verified
    }

    /// Ends the session: the transport disconnects, unpowering the card if a PIN was
    /// verified, so that the next application inherits no verified state.
    pub fn close(self) -> Result<()> {
        let mut transport = self.exchange.into_transport();
        transport.close().map_err(Error::from)
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

    /// Gives the transport back without ending its session; [`Transport::close`] ends it.
    pub fn into_transport(self) -> T {
        self.exchange.into_transport()
    }

    /// Forgets what is selected, so the next operation selects again (after a card reset).
    pub fn forget_selection(&mut self) {
        self.selection = Selection::default();
        self.selected_here = Selection::default();
    }

    /// Records that a PIN is about to be verified (or was found verified), so that the
    /// session ends by unpowering the card.
    pub(crate) fn note_pin_verified(&mut self) {
        self.pin_verified = true;
        self.exchange.transport_mut().unpower_on_close();
    }

    /// The note of type `N` an application left in this session, if any.
    pub(crate) fn note<N: Any + Send>(&self) -> Option<&N> {
        self.notes
            .0
            .iter()
            .find_map(|note| note.downcast_ref::<N>())
    }

    /// Changes the note of type `N` (starting from its default when there is none yet).
    pub(crate) fn update_note<N: Any + Send + Default>(&mut self, change: impl FnOnce(&mut N)) {
        match self
            .notes
            .0
            .iter_mut()
            .find_map(|note| note.downcast_mut::<N>())
        {
            Some(note) => change(note),
            None => {
                let mut note = N::default();
                change(&mut note);
                self.notes.0.push(Box::new(note));
            }
        }
    }

    /// Runs one library operation inside a transport transaction (unless one is open). A
    /// reset reported when the transaction starts is absorbed (nothing was sent yet); a
    /// reset during `op` repeats it once if `on_reset` allows.
    pub(crate) fn operation<R>(
        &mut self,
        on_reset: OnReset,
        mut op: impl FnMut(&mut Self) -> Result<R>,
    ) -> Result<R> {
        if self.in_transaction {
            return op(self);
        }
        let mut repeated = false;
        loop {
            self.begin()?;
            let result = op(self);
            self.in_transaction = false;
            if let Err(e) = self.exchange.transport_mut().end_transaction() {
                log::debug!("ending the transaction failed: {e}");
                self.forget_selection();
            }
            match result {
                Err(Error::CardReset) if on_reset == OnReset::Repeat && !repeated => {
                    log::debug!("card reset during a read: selecting again");
                    repeated = true;
                }
                result => return result,
            }
        }
    }

    /// Begins a transaction; a reset found there is absorbed once, forgetting the selection.
    /// Unless the transport declares exclusive access, the selection is forgotten anyway:
    /// another program may have selected another application or file since the last
    /// transaction ended, and a VERIFY sent to the file it left selected would spend the
    /// wrong secret's try.
    fn begin(&mut self) -> Result<()> {
        if !self.exchange.capabilities().exclusive {
            self.selection = Selection::default();
        }
        self.selected_here = Selection::default();
        let mut result = self.exchange.transport_mut().begin_transaction();
        if let Err(TransportError::CardReset) = result {
            self.forget_selection();
            result = self.exchange.transport_mut().begin_transaction();
        }
        if let Err(e) = result {
            self.forget_selection();
            return Err(e.into());
        }
        self.in_transaction = true;
        Ok(())
    }

    /// Sends a command; on any transport or framing error the selection is forgotten, since
    /// the card's state is then unknown.
    pub(crate) fn transmit(&mut self, command: &Command) -> Result<Response> {
        let result = self.exchange.transmit_any(command);
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
        self.transmit_select(&commands::select_application(application.aid()))?;
        self.selection.application = Some(application);
        self.selected_here.application = Some(application);
        Ok(())
    }

    /// Selects EF `fid` of `application` unless it is known to be selected.
    pub(crate) fn select_file(&mut self, application: Application, fid: u16) -> Result<()> {
        self.select_application(application)?;
        if self.selection.file == Some(fid) {
            return Ok(());
        }
        self.selection.file = None;
        self.selected_here.file = None;
        self.transmit_select(&commands::select_file(fid))?;
        self.selection.file = Some(fid);
        self.selected_here.file = Some(fid);
        Ok(())
    }

    /// Selects `application` unless this very transaction selected it already.
    pub(crate) fn select_application_here(&mut self, application: Application) -> Result<()> {
        if self.selected_here.application != Some(application) {
            self.selection.application = None;
        }
        self.select_application(application)
    }

    /// A command addressed a file by its short file identifier: which EF is current is no
    /// longer known (ISO/IEC 7816-4 lets such a command make it current).
    pub(crate) fn forget_file(&mut self) {
        self.selection.file = None;
        self.selected_here.file = None;
    }

    /// What the transport can carry.
    pub(crate) fn capabilities(&self) -> crate::transport::Capabilities {
        self.exchange.capabilities()
    }

    /// What the card was found to take.
    pub(crate) fn addressing(&self) -> Addressing {
        self.addressing
    }

    /// Records what the card was found to take.
    pub(crate) fn addressing_mut(&mut self) -> &mut Addressing {
        &mut self.addressing
    }

    /// Selects EF `fid` of `application` unless this very transaction selected it already:
    /// what the lockout guard relies on before it asks for a secret's tries and sends it,
    /// whatever the transport declares. Call inside one operation.
    pub(crate) fn select_file_here(&mut self, application: Application, fid: u16) -> Result<()> {
        if self.selected_here.application != Some(application) {
            self.selection.application = None;
        }
        if self.selected_here.file != Some(fid) {
            self.selection.file = None;
        }
        self.select_file(application, fid)
    }

    /// Sends a SELECT and requires `9000`. SELECT is idempotent, so a `6F00` (no precise
    /// diagnosis), which a card may give to the first command after power-up (seen by
    /// myna-card), is answered by sending the SELECT once more.
    fn transmit_select(&mut self, command: &Command) -> Result<Response> {
        let response = self.transmit(command)?;
        if response.status() == StatusWord::UNKNOWN_ERROR {
            log::debug!("SELECT answered 6F00: sending it once more");
            return self.transmit_ok(command);
        }
        match response.status() {
            StatusWord::SUCCESS => Ok(response),
            status => Err(status_error(status, command)),
        }
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
            .field("selected_here", &self.selected_here)
            .field("addressing", &self.addressing)
            .field("in_transaction", &self.in_transaction)
            .field("pin_verified", &self.pin_verified)
            .field("notes", &self.notes.0.len())
            .finish()
    }
}
