//! The faults a [`Hostile`](super::Hostile) transport injects, and how random ones are drawn.

use super::rng::SplitMix64;
use crate::transport::TransportError;

/// Status words a hostile card or reader may put where they do not belong.
pub const OUT_OF_PLACE_STATUS: [u16; 20] = [
    0x9000, 0x63C0, 0x63C1, 0x63C2, 0x63CF, 0x6300, 0x6984, 0x6983, 0x6982, 0x6A82, 0x6B00, 0x6700,
    0x6F00, 0x6100, 0x6101, 0x61FF, 0x6C00, 0x6C01, 0x6CFF, 0x0000,
];

/// Lengths a lying DER header claims: 60 KB, just under 32 KB, just under 16 KB, 256.
pub const LYING_DER_LENGTHS: [u16; 4] = [0xEA60, 0x7FFF, 0x3FFC, 0x0100];

/// The applications another program sharing the reader may select: JPKI, card-info, card-face.
pub const OTHER_PROGRAM_APPLICATIONS: [[u8; 10]; 3] = [
    [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01],
    [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08],
    [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02],
];

/// The PIN and key files of each of [`OTHER_PROGRAM_APPLICATIONS`]: JPKI auth key 0017, auth
/// PIN 0018, sign key 001A, sign PIN 001B; card-info PIN 0011, access codes A 0014 and B 0015;
/// card-face birth-date key 0011, access codes B 0012 and A 0013.
pub const OTHER_PROGRAM_FILES: [&[u16]; 3] = [
    &[0x0017, 0x0018, 0x001A, 0x001B],
    &[0x0011, 0x0014, 0x0015],
    &[0x0011, 0x0012, 0x0013],
];

/// One fault, injected at one `transmit` call. Those named `…After` (and every fault that
/// changes an answer) let the card process the command first: its answer is what is lost or
/// corrupted. The others fail before the card sees the command.
///
/// One fault is not injected at a `transmit` call: [`Fault::OtherProgram`] happens between
/// two of the library's transactions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The card leaves the reader before the command: [`TransportError::CardRemoved`]; the
    /// card is unpowered.
    Removed,
    /// The card processes the command, then leaves with the answer.
    RemovedAfter,
    /// Another application warm-resets the card before the command:
    /// [`TransportError::CardReset`] (selection cleared, verified PINs kept).
    Reset,
    /// The card processes the command, then is warm-reset; the answer is lost.
    ResetAfter,
    /// No answer in time; the command never reached the card.
    Timeout,
    /// The card processes the command; its answer is lost ([`TransportError::Timeout`]).
    TimeoutAfter,
    /// Another transport failure ([`TransportError::Other`]) before the card.
    Other,
    /// The card processes the command; then [`TransportError::Other`].
    OtherAfter,
    /// The answer cut to this many bytes.
    Truncate(usize),
    /// The answer's data without its status word.
    NoStatusWord,
    /// This many extra bytes (`A5`) between the data and the status word.
    Oversized(usize),
    /// The answer's status word replaced by this one (data kept).
    Status(u16),
    /// The answer replaced by these bytes.
    Replace(Vec<u8>),
    /// The answer replaced by `len` random bytes from `seed`.
    Garbage {
        /// Seed of the bytes.
        seed: u64,
        /// How many.
        len: usize,
    },
    /// The data's first bytes replaced by a DER header `30 82 hi lo` claiming this content
    /// length, status `9000`.
    LyingDer(u16),
    /// From this call until [`Hostile::calm`](super::Hostile::calm), every answer is `61 xx`.
    Endless61(u8),
    /// From this call until [`Hostile::calm`](super::Hostile::calm), every answer is `6C xx`.
    Endless6C(u8),
    /// Another program sharing the reader selects this application (SELECT by AID,
    /// `00 A4 04 0C`) and then this EF (`00 A4 02 0C`), either or both, between two of the
    /// library's transactions: the card's selection changes and the library is not told.
    /// Planned at call `n`, it happens at the first `begin_transaction` once `n` commands
    /// were sent (never inside a transaction); see
    /// [`Hostile::with_fault`](super::Hostile::with_fault).
    OtherProgram {
        /// The application selected, by AID.
        aid: Option<[u8; 10]>,
        /// The EF selected, by file id (in the application selected, or the current one).
        fid: Option<u16>,
    },
}

impl Fault {
    /// Whether the fault happens between transactions ([`Fault::OtherProgram`]) rather than at
    /// a `transmit` call.
    pub fn is_between_transactions(&self) -> bool {
        matches!(self, Fault::OtherProgram { .. })
    }

    /// The command APDUs another program sends ([`Fault::OtherProgram`]; none for the others).
    pub fn other_program_commands(&self) -> Vec<Vec<u8>> {
        let Fault::OtherProgram { aid, fid } = self else {
            return Vec::new();
        };
        let mut commands = Vec::new();
        if let Some(aid) = aid {
            let mut select = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
            select.extend_from_slice(aid);
            commands.push(select);
        }
        if let Some(fid) = fid {
            let [hi, lo] = fid.to_be_bytes();
            commands.push(vec![0x00, 0xA4, 0x02, 0x0C, 0x02, hi, lo]);
        }
        commands
    }

    /// Every selection another program may make: each application alone and with each of its
    /// PIN and key files, and each of those files alone (in whatever application is selected).
    pub fn other_programs() -> Vec<Fault> {
        let mut all = Vec::new();
        for (aid, files) in OTHER_PROGRAM_APPLICATIONS.iter().zip(OTHER_PROGRAM_FILES) {
            all.push(Fault::OtherProgram {
                aid: Some(*aid),
                fid: None,
            });
            all.extend(files.iter().map(|fid| Fault::OtherProgram {
                aid: Some(*aid),
                fid: Some(*fid),
            }));
        }
        let mut files: Vec<u16> = OTHER_PROGRAM_FILES.concat();
        files.sort_unstable();
        files.dedup();
        all.extend(files.into_iter().map(|fid| Fault::OtherProgram {
            aid: None,
            fid: Some(fid),
        }));
        all
    }

    /// Whether the command reaches (and is processed by) the card.
    pub fn reaches_card(&self) -> bool {
        !matches!(
            self,
            Fault::Removed | Fault::Reset | Fault::Timeout | Fault::Other
        )
    }

    /// Whether the card is removed (unpowered).
    pub fn removes_card(&self) -> bool {
        matches!(self, Fault::Removed | Fault::RemovedAfter)
    }

    /// Whether the card is warm-reset.
    pub fn resets_card(&self) -> bool {
        matches!(self, Fault::Reset | Fault::ResetAfter)
    }

    /// Whether the fault lasts until `calm`.
    pub fn is_endless(&self) -> bool {
        matches!(self, Fault::Endless61(_) | Fault::Endless6C(_))
    }

    /// Whether the library is told something went wrong (a transport error), as opposed to
    /// getting bytes that may or may not make sense.
    pub fn is_transport_error(&self) -> bool {
        matches!(
            self,
            Fault::Removed
                | Fault::RemovedAfter
                | Fault::Reset
                | Fault::ResetAfter
                | Fault::Timeout
                | Fault::TimeoutAfter
                | Fault::Other
                | Fault::OtherAfter
        )
    }

    /// What the library gets instead of `answer` (the card's, empty if it never saw the
    /// command) at call number `call`.
    pub fn apply(&self, answer: &[u8], call: usize) -> Result<Vec<u8>, TransportError> {
        let split = answer.len().saturating_sub(2);
        let (data, sw) = answer.split_at(split);
        Ok(match self {
            Fault::Removed | Fault::RemovedAfter => return Err(TransportError::CardRemoved),
            Fault::Reset | Fault::ResetAfter => return Err(TransportError::CardReset),
            Fault::Timeout | Fault::TimeoutAfter => return Err(TransportError::Timeout),
            Fault::Other | Fault::OtherAfter => {
                return Err(TransportError::other("hostile transport failure"))
            }
            Fault::Truncate(n) => answer.get(..*n).unwrap_or(answer).to_vec(),
            Fault::NoStatusWord => data.to_vec(),
            Fault::Oversized(n) => {
                let mut out = data.to_vec();
                out.resize(data.len() + n, 0xA5);
                out.extend_from_slice(sw);
                out
            }
            Fault::Status(status) => {
                let mut out = data.to_vec();
                out.extend_from_slice(&status.to_be_bytes());
                out
            }
            Fault::Replace(bytes) => bytes.clone(),
            Fault::Garbage { seed, len } => SplitMix64::new(seed ^ call as u64).bytes(*len),
            Fault::LyingDer(len) => {
                let [hi, lo] = len.to_be_bytes();
                let mut out = vec![0x30, 0x82, hi, lo];
                out.extend_from_slice(data.get(4..).unwrap_or_default());
                out.extend_from_slice(&[0x90, 0x00]);
                out
            }
            Fault::Endless61(xx) => vec![0x61, *xx],
            Fault::Endless6C(xx) => vec![0x6C, *xx],
            // Not a transmit fault: the answer passes unchanged.
            Fault::OtherProgram { .. } => answer.to_vec(),
        })
    }

    /// One of every kind injected at a `transmit` call, with the given random parts, for
    /// exhaustive tests ([`Fault::other_programs`] lists the faults between transactions).
    pub fn catalogue(seed: u64) -> Vec<Fault> {
        let mut all = vec![
            Fault::Removed,
            Fault::RemovedAfter,
            Fault::Reset,
            Fault::ResetAfter,
            Fault::Timeout,
            Fault::TimeoutAfter,
            Fault::Other,
            Fault::OtherAfter,
            Fault::Truncate(0),
            Fault::Truncate(1),
            Fault::Truncate(100),
            Fault::NoStatusWord,
            Fault::Oversized(1),
            Fault::Oversized(70_000),
            Fault::Replace(Vec::new()),
            Fault::Replace(vec![0x90, 0x00]),
            Fault::Garbage { seed, len: 2 },
            Fault::Garbage { seed, len: 300 },
            Fault::Endless61(0x00),
            Fault::Endless61(0x10),
            Fault::Endless6C(0x00),
            Fault::Endless6C(0x04),
        ];
        all.extend(OUT_OF_PLACE_STATUS.iter().map(|sw| Fault::Status(*sw)));
        all.extend(LYING_DER_LENGTHS.iter().map(|len| Fault::LyingDer(*len)));
        all
    }
}

/// Which faults [`Hostile::with_random_faults`](super::Hostile::with_random_faults) draws at a
/// `transmit` call. Between transactions, a shared transport draws another program's
/// selection ([`FaultMix::draw_other_program`]) whatever the mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultMix {
    /// What a session meets: removal, reset, transport errors (before or after the card),
    /// garbage answers.
    Session,
    /// Every [`Fault`] kind.
    Everything,
}

impl FaultMix {
    /// Draws another program's selection: an application or none, then one of its PIN or key
    /// files (or any of them, when no application is selected) or none; never nothing.
    pub fn draw_other_program(rng: &mut SplitMix64) -> Fault {
        let app = rng.index(OTHER_PROGRAM_APPLICATIONS.len() + 1);
        let aid = OTHER_PROGRAM_APPLICATIONS.get(app).copied();
        let files: Vec<u16> = match OTHER_PROGRAM_FILES.get(app) {
            Some(files) => files.to_vec(),
            None => OTHER_PROGRAM_FILES.concat(),
        };
        // With an application, no file one time in four; without one, always a file.
        let fid = if aid.is_some() && rng.one_in(4) {
            None
        } else {
            rng.pick(&files).copied()
        };
        Fault::OtherProgram { aid, fid }
    }

    /// Draws one fault.
    pub fn draw(self, rng: &mut SplitMix64) -> Fault {
        let pick = match self {
            FaultMix::Session => rng.below(9),
            FaultMix::Everything => rng.below(16),
        };
        match pick {
            0 => Fault::Removed,
            1 => Fault::RemovedAfter,
            2 => Fault::Reset,
            3 => Fault::ResetAfter,
            4 => Fault::Timeout,
            5 => Fault::TimeoutAfter,
            6 => Fault::Other,
            7 => Fault::OtherAfter,
            8 => {
                let max = if rng.one_in(2) { 4 } else { 300 };
                Fault::Garbage {
                    seed: rng.next_u64(),
                    len: rng.index(max),
                }
            }
            9 => Fault::Truncate(rng.index(300)),
            10 => Fault::NoStatusWord,
            11 => Fault::Oversized(if rng.one_in(8) {
                70_000
            } else {
                1 + rng.index(300)
            }),
            12 => Fault::Status(rng.pick(&OUT_OF_PLACE_STATUS).copied().unwrap_or(0x9000)),
            13 => Fault::LyingDer(rng.pick(&LYING_DER_LENGTHS).copied().unwrap_or(0xEA60)),
            14 => Fault::Endless61(rng.next_u64() as u8),
            _ => Fault::Endless6C(rng.next_u64() as u8),
        }
    }
}

/// A short name for a transport error, for [`Record`](super::Record).
pub(super) fn error_name(e: &TransportError) -> &'static str {
    match e {
        TransportError::CardRemoved => "card removed",
        TransportError::CardReset => "card reset",
        TransportError::Timeout => "timed out",
        _ => "other",
    }
}
