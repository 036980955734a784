//! Test utilities shared by the integration tests and the fuzz targets (hidden from the docs,
//! no stability promise): a [`Hostile`] transport that wraps a [`VirtualCard`] and injects
//! faults, and [`SplitMix64`], a tiny seeded random number generator.
//!
//! The happy path is the real virtual card; a fault replaces or corrupts one answer, fails one
//! call, or turns every later answer into an endless `61xx` / `6Cxx`. Between two of the
//! library's transactions, another program sharing the reader may select any application and
//! any PIN or key file ([`Fault::OtherProgram`]). Every call is counted and recorded in a
//! [`Record`] with the transaction it was sent in, and the transport panics past a hard cap,
//! so a test that loops without end fails instead of hanging: "bounded time" is a bounded call
//! count.
//!
//! The transport declares what the virtual card's [`Reader`](crate::virtual_card::Reader)
//! carries. The card behind it may also be another kind than the virtual card's profile: one
//! refusing short file identifiers ([`Hostile::refusing_short_file_ids`]), or a transport
//! declaring extended length whose card answers an extended READ BINARY with at most so many
//! bytes ([`Hostile::with_extended_reads`], served by [`extended_read`]).
//!
//! ```
//! use mynumbercard::testing::{Fault, Hostile};
//! use mynumbercard::virtual_card::Reader;
//! use mynumbercard::{Card, CertificateKind, Error, VirtualCard};
//!
//! // Behind a short-APDU reader: SELECT AP, SELECT EF, READ BINARY, ... The third APDU (the
//! // first READ BINARY) is lost with the card.
//! let card = VirtualCard::builder().reader(Reader::ShortOnly).build();
//! let hostile = Hostile::new(card).with_fault(2, Fault::Removed);
//! let mut card = Card::new(hostile);
//! let result = card.jpki().read_certificate_der(CertificateKind::Auth);
//! assert!(matches!(result, Err(Error::CardRemoved)));
//! assert_eq!(card.transport().calls(), 3);
//! ```

mod checks;
mod fault;
mod rng;

use std::collections::BTreeMap;

pub use checks::{check_guard, check_guard_on, is_pin_verify, pin_verifies, SecretFile};
pub use fault::{Fault, FaultMix, OTHER_PROGRAM_APPLICATIONS, OTHER_PROGRAM_FILES};
pub use rng::SplitMix64;

use crate::transport::{Capabilities, Transport, TransportError};
use crate::virtual_card::VirtualCard;

/// The default cap on calls (transmit and begin_transaction) one [`Hostile`] accepts.
pub const DEFAULT_CALL_CAP: usize = 10_000;

/// One call to [`Hostile::transmit`], or one command of another program
/// ([`Fault::OtherProgram`]), as it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The command APDU the library (or the other program) sent.
    pub command: Vec<u8>,
    /// The card's own answer, if the command reached the card (`None`: it never did).
    pub card_answer: Option<Vec<u8>>,
    /// What the library got back: the bytes, or the transport error's name.
    pub returned: Result<Vec<u8>, &'static str>,
    /// The fault injected at this call, if any.
    pub fault: Option<Fault>,
    /// The library's transaction the command was sent in: the number of the
    /// `begin_transaction` that opened it (0-based, counting those that succeeded), `None`
    /// outside any (between `end_transaction` and the next `begin_transaction`).
    pub transaction: Option<usize>,
    /// Whether another program sent it ([`Fault::OtherProgram`]), not the library.
    pub other_program: bool,
}

impl Record {
    /// The status word the library saw (the last two bytes returned), if any.
    pub fn seen_status(&self) -> Option<u16> {
        match &self.returned {
            Ok(bytes) => match bytes.as_slice() {
                [.., sw1, sw2] => Some(u16::from_be_bytes([*sw1, *sw2])),
                _ => None,
            },
            Err(_) => None,
        }
    }
}

/// Where the faults come from.
#[derive(Clone, Debug)]
enum Plan {
    /// Faults at given call numbers (0-based over `transmit` calls).
    Script(BTreeMap<usize, Fault>),
    /// A fault at each call with probability `1 / one_in`, drawn from `mix`.
    Random {
        rng: SplitMix64,
        one_in: u64,
        mix: FaultMix,
    },
}

/// A transport around a [`VirtualCard`] that injects faults; see the [module docs](self).
///
/// It declares itself shared with other programs (not exclusive) unless told otherwise
/// ([`Hostile::with_exclusive`]): another program may then select files between two
/// transactions, and the library must not trust what it selected before.
#[derive(Debug)]
pub struct Hostile {
    card: VirtualCard,
    plan: Plan,
    /// Faults between transactions, with the call each waits for.
    between: Vec<(usize, Fault)>,
    calls: usize,
    begins: usize,
    /// Transactions opened (successful `begin_transaction`).
    transactions: usize,
    /// The transaction open now, if any.
    transaction: Option<usize>,
    /// Whether the transport declares exclusive access.
    exclusive: bool,
    cap: usize,
    /// An endless `61xx` or `6Cxx` answer in force until [`Hostile::calm`].
    endless: Option<Fault>,
    /// Removed: every call fails until [`Hostile::reinsert`] (or, if `auto_reinsert`, the next
    /// call, which finds a freshly powered card).
    removed: bool,
    auto_reinsert: bool,
    records: Vec<Record>,
    capabilities: Capabilities,
    /// `6A86` to every short file identifier (the command never reaches the card).
    refuse_short_file_ids: bool,
    /// Extended READ BINARY answered with at most this many bytes (`None`: passed to the
    /// virtual card, which refuses it).
    extended_reads: Option<usize>,
}

/// Whether `command` names an EF by a short file identifier: VERIFY or COMPUTE DIGITAL
/// SIGNATURE with P2 = `80|SFI` (SFI ≠ 0), READ BINARY with b8 of P1 set.
pub fn names_short_file_id(command: &[u8]) -> bool {
    let sfi = |p: u8| p & 0xE0 == 0x80 && p != 0x80;
    match command {
        [0x00, 0x20, _, p2, ..] | [0x80, 0x2A, _, p2, ..] => sfi(*p2),
        [0x00, 0xB0, p1, _, ..] => p1 & 0x80 != 0,
        _ => false,
    }
}

/// The answer of a card taking extended length to `command`, if it is an extended-length READ
/// BINARY (`00 B0 P1 P2 00 Lh Ll`, `00 00 00` for 65,536): up to Le bytes, and at most
/// `limit`, with `9000`, gathered from `card` with short reads of the same file — the first
/// addressing it as `command` does (by short file identifier, making it current, or the
/// current EF at the offset), the next reading on in the current EF. A first read the card
/// refuses gives its status word; a later one ends the answer. `None`: not such a command.
pub fn extended_read(card: &mut VirtualCard, command: &[u8], limit: usize) -> Option<Vec<u8>> {
    let &[0x00, 0xB0, p1, p2, 0x00, hi, lo] = command else {
        return None;
    };
    let ne = match u16::from_be_bytes([hi, lo]) {
        0 => 65_536,
        n => usize::from(n),
    };
    let want = ne.min(limit).max(1);
    let (mut next, start) = if p1 & 0x80 != 0 {
        (Some(vec![0x00, 0xB0, p1, p2, 0x00]), usize::from(p2))
    } else {
        (None, usize::from(u16::from_be_bytes([p1, p2])))
    };
    let mut data = Vec::with_capacity(want + 2);
    // At most 256 short reads: 64 KiB.
    for _ in 0..256 {
        let chunk = (want - data.len()).min(256);
        let read = match next.take() {
            Some(read) => read,
            None => {
                let Some(offset) = u16::try_from(start + data.len())
                    .ok()
                    .filter(|o| *o <= 0x7FFF)
                else {
                    break;
                };
                let [h, l] = offset.to_be_bytes();
                vec![0x00, 0xB0, h, l, (chunk % 256) as u8]
            }
        };
        let answer = card.handle(&read);
        let (body, status) = answer.split_at(answer.len().saturating_sub(2));
        if status != [0x90, 0x00] {
            if data.is_empty() {
                return Some(status.to_vec());
            }
            break;
        }
        let body = body.get(..chunk).unwrap_or(body);
        data.extend_from_slice(body);
        if body.len() < chunk || data.len() >= want {
            break;
        }
    }
    data.extend_from_slice(&[0x90, 0x00]);
    Some(data)
}

impl Hostile {
    /// Wraps `card` with no fault planned (a faithful transport, counted and recorded).
    pub fn new(card: VirtualCard) -> Self {
        let capabilities = card.capabilities();
        Self {
            card,
            plan: Plan::Script(BTreeMap::new()),
            between: Vec::new(),
            calls: 0,
            begins: 0,
            transactions: 0,
            transaction: None,
            exclusive: false,
            cap: DEFAULT_CALL_CAP,
            endless: None,
            removed: false,
            auto_reinsert: false,
            records: Vec::new(),
            capabilities,
            refuse_short_file_ids: false,
            extended_reads: None,
        }
    }

    /// The card refuses short file identifiers: `6A86` to every command
    /// [`names_short_file_id`] recognises, which never reaches the virtual card.
    pub fn refusing_short_file_ids(mut self) -> Self {
        self.refuse_short_file_ids = true;
        self
    }

    /// The transport declares extended length (commands and responses up to 65,536 bytes of
    /// data) and the card answers an extended READ BINARY with at most `limit` bytes
    /// ([`extended_read`]); other extended commands go to the virtual card, which answers
    /// them as its profile says.
    pub fn with_extended_reads(mut self, limit: usize) -> Self {
        self.extended_reads = Some(limit);
        self.capabilities.extended_length = true;
        self.capabilities.max_command_len = 65_544;
        self.capabilities.max_response_len = 65_538;
        self
    }

    /// Whether the card behind answers `command` itself rather than passing it to the
    /// virtual card as it is: a refused short file identifier, or an extended READ BINARY
    /// served by short reads (the virtual card's log then holds those).
    pub fn answers_itself(&self, command: &[u8]) -> bool {
        (self.refuse_short_file_ids && names_short_file_id(command))
            || (self.extended_reads.is_some() && matches!(command, [0x00, 0xB0, _, _, 0x00, _, _]))
    }

    /// The card's own answer to `command`, as the kind of card modelled gives it.
    fn card_answer(&mut self, command: &[u8]) -> Vec<u8> {
        if self.refuse_short_file_ids && names_short_file_id(command) {
            return vec![0x6A, 0x86];
        }
        if let Some(limit) = self.extended_reads {
            if let Some(answer) = extended_read(&mut self.card, command, limit) {
                return answer;
            }
        }
        self.card.handle(command)
    }

    /// Injects `fault` at the `call`-th `transmit` (0-based). A fault between transactions
    /// ([`Fault::OtherProgram`]) happens instead at the first `begin_transaction` once `call`
    /// commands were sent, whatever the transport declares.
    pub fn with_fault(mut self, call: usize, fault: Fault) -> Self {
        self.add_fault(call, fault);
        self
    }

    /// Injects `fault` at the `call`-th `transmit` (0-based), replacing random faults; see
    /// [`Hostile::with_fault`].
    pub fn add_fault(&mut self, call: usize, fault: Fault) {
        if fault.is_between_transactions() {
            self.between.push((call, fault));
            return;
        }
        if let Plan::Script(script) = &mut self.plan {
            script.insert(call, fault);
        } else {
            self.plan = Plan::Script(BTreeMap::from([(call, fault)]));
        }
    }

    /// Injects a fault drawn from `mix` at each call with probability `1 / one_in`, from a
    /// generator seeded with `seed` (reproducible). A removed card is reinserted at the next
    /// call, so that a sequence of operations can go on. At each `begin_transaction`, a
    /// reset by another program with probability `1 / (4 one_in)` and, unless the transport
    /// is declared exclusive, another program's selection ([`FaultMix::draw_other_program`])
    /// with probability `1 / one_in`.
    pub fn with_random_faults(mut self, seed: u64, one_in: u64, mix: FaultMix) -> Self {
        self.plan = Plan::Random {
            rng: SplitMix64::new(seed),
            one_in: one_in.max(1),
            mix,
        };
        self.auto_reinsert = true;
        self
    }

    /// Replaces the cap on calls, past which the transport panics.
    pub fn with_cap(mut self, cap: usize) -> Self {
        self.cap = cap;
        self
    }

    /// Replaces the capabilities reported (the card's by default, declared shared), their
    /// `exclusive` included.
    pub fn with_capabilities(mut self, capabilities: Capabilities) -> Self {
        self.capabilities = capabilities;
        self.exclusive = capabilities.exclusive;
        self
    }

    /// Declares exclusive access (`true`: no other program reaches the card, so random faults
    /// draw no [`Fault::OtherProgram`]) or shared access (`false`, the default), as
    /// [`Capabilities::exclusive`] reports it.
    pub fn with_exclusive(mut self, exclusive: bool) -> Self {
        self.exclusive = exclusive;
        self
    }

    /// Whether the transport declares exclusive access.
    pub fn is_exclusive(&self) -> bool {
        self.exclusive
    }

    /// The card.
    pub fn card(&self) -> &VirtualCard {
        &self.card
    }

    /// The card, mutably.
    pub fn card_mut(&mut self) -> &mut VirtualCard {
        &mut self.card
    }

    /// `transmit` calls so far.
    pub fn calls(&self) -> usize {
        self.calls
    }

    /// Every `transmit` call, and every command of another program, in order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Transactions opened so far (`begin_transaction` calls that succeeded).
    pub fn transactions(&self) -> usize {
        self.transactions
    }

    /// Whether a transaction is open.
    pub fn in_transaction(&self) -> bool {
        self.transaction.is_some()
    }

    /// Ends an endless `61xx` / `6Cxx` answer.
    pub fn calm(&mut self) {
        self.endless = None;
    }

    /// Puts a removed card back (powered, nothing selected or verified).
    pub fn reinsert(&mut self) {
        if self.removed {
            self.removed = false;
            self.card.power_on();
        }
    }

    /// Counts one call and panics past the cap.
    fn count(&mut self) {
        assert!(
            self.calls + self.begins < self.cap,
            "unbounded: more than {} calls to the hostile transport",
            self.cap
        );
    }

    /// Another program's commands: sent to the card (if powered), recorded, not counted as
    /// calls and not shown to the library.
    fn other_program(&mut self, fault: &Fault) {
        for command in fault.other_program_commands() {
            let answer = self.card.is_powered().then(|| self.card.handle(&command));
            self.records.push(Record {
                returned: answer.clone().ok_or("card removed"),
                command,
                card_answer: answer,
                fault: Some(fault.clone()),
                transaction: None,
                other_program: true,
            });
        }
    }

    /// The fault for this call, if any.
    fn next_fault(&mut self) -> Option<Fault> {
        if let Some(endless) = &self.endless {
            return Some(endless.clone());
        }
        match &mut self.plan {
            Plan::Script(script) => script.remove(&self.calls),
            Plan::Random { rng, one_in, mix } => (rng.below(*one_in) == 0).then(|| mix.draw(rng)),
        }
    }
}

impl Transport for Hostile {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.count();
        if self.removed && self.auto_reinsert {
            self.reinsert();
        }
        let fault = if self.removed {
            Some(Fault::Removed)
        } else {
            self.next_fault()
        };
        self.calls += 1;
        let delivered = fault.as_ref().is_none_or(Fault::reaches_card);
        let card_answer = delivered.then(|| self.card_answer(command));
        let returned = match (&fault, &card_answer) {
            (None, Some(answer)) => Ok(answer.clone()),
            (Some(fault), answer) => {
                if fault.is_endless() {
                    self.endless = Some(fault.clone());
                }
                if fault.removes_card() {
                    self.removed = true;
                    self.card.power_off();
                }
                if fault.resets_card() {
                    self.card.reset();
                }
                fault.apply(answer.as_deref().unwrap_or_default(), self.calls)
            }
            (None, None) => Err(TransportError::CardRemoved),
        };
        self.records.push(Record {
            command: command.to_vec(),
            card_answer,
            returned: match &returned {
                Ok(bytes) => Ok(bytes.clone()),
                Err(e) => Err(fault::error_name(e)),
            },
            fault,
            transaction: self.transaction,
            other_program: false,
        });
        returned
    }

    fn capabilities(&self) -> Capabilities {
        let mut capabilities = self.capabilities;
        capabilities.exclusive = self.exclusive;
        capabilities
    }

    /// Fails when the card is removed; with random faults, sometimes reports a reset by
    /// another application (the card's selection is cleared). Before it opens the
    /// transaction, another program sends the selections planned for now (scripted, or drawn
    /// with random faults on a shared transport).
    fn begin_transaction(&mut self) -> Result<(), TransportError> {
        self.count();
        self.begins += 1;
        if self.removed && self.auto_reinsert {
            self.reinsert();
        }
        if self.removed {
            return Err(TransportError::CardRemoved);
        }
        let calls = self.calls;
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.between)
            .into_iter()
            .partition(|(call, _)| *call <= calls);
        self.between = later;
        for (_, fault) in &due {
            self.other_program(fault);
        }
        let exclusive = self.exclusive;
        let mut drawn = None;
        if let Plan::Random { rng, one_in, .. } = &mut self.plan {
            if rng.below(*one_in * 4) == 0 {
                self.card.reset();
                return Err(TransportError::CardReset);
            }
            if !exclusive && rng.below(*one_in) == 0 {
                drawn = Some(FaultMix::draw_other_program(rng));
            }
        }
        if let Some(fault) = drawn {
            self.other_program(&fault);
        }
        self.transaction = Some(self.transactions);
        self.transactions += 1;
        Ok(())
    }

    /// Closes the transaction opened by [`Transport::begin_transaction`].
    fn end_transaction(&mut self) -> Result<(), TransportError> {
        self.transaction = None;
        Ok(())
    }
}
