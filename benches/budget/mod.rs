//! The APDU budget: each operation a user thinks in, run from a fresh session on each kind of
//! virtual card behind each kind of reader ([`Setup`]), with the fewest APDUs the forms that
//! card and reader take allow for it ([`Op::lower_bound`]). Shared by the `operations` bench
//! (speed), the `apdu_budget` test (counts, and the tables it prints) and the PC/SC stack
//! test (the same counts through pcscd).

#![allow(dead_code)] // each includer uses part of it

use std::time::Duration;

use mynumbercard::access_code::AccessCodeB;
use mynumbercard::eligibility::Confirmation;
use mynumbercard::exchange::Stats;
use mynumbercard::latency::{LinkModel, Modeled};
use mynumbercard::access_code::CardInfoPin;
use mynumbercard::transport::Transport;
use mynumbercard::virtual_card::{Profile, Reader};
use mynumbercard::{
    AuthPin, Card, CertificateKind, KeyKind, LastTry, PinKind, Result, SignPin, VirtualCard,
};

/// The digest every signing operation signs.
pub const DIGEST: [u8; 32] = [0x5A; 32];

/// One operation, from a session that has sent nothing yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `jpki.identify()`: the token label of EF 0006.
    Identify,
    /// `jpki.read_certificate_der(kind)`; for the signature certificate, after verifying the
    /// signature PIN, which it needs (counted in the operation).
    ReadCertificate(CertificateKind),
    /// `jpki.pin_status(kind)`.
    PinStatus(PinKind),
    /// `jpki.verify_pin(pin)` with the right PIN.
    VerifyPin(PinKind),
    /// `jpki.sign_sha256_with_pin(pin, digest)`: verify, then sign, in one transaction.
    VerifyAndSign(KeyKind),
    /// `card.eligibility_check(...)` in one of its modes.
    Eligibility(Mode),
    /// `card_info.verify_pin(pin)`, then `read_attributes()` (the basic four, checked against
    /// the integrity record), in one transaction.
    CardInfoAttributes,
}

/// The eligibility check's modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// PIN mode: auth certificate, auth PIN, signature over the challenge.
    Pin,
    /// Visual mode without access code B: the auth certificate only.
    Visual,
    /// Visual mode with access code B: the certificate and the card-face record.
    VisualWithCode,
}

/// Every JPKI operation of the budget.
pub const JPKI: [Op; 11] = [
    Op::Identify,
    Op::ReadCertificate(CertificateKind::Auth),
    Op::ReadCertificate(CertificateKind::AuthCa),
    Op::ReadCertificate(CertificateKind::SignCa),
    Op::ReadCertificate(CertificateKind::Sign),
    Op::PinStatus(PinKind::Auth),
    Op::PinStatus(PinKind::Sign),
    Op::VerifyPin(PinKind::Auth),
    Op::VerifyPin(PinKind::Sign),
    Op::VerifyAndSign(KeyKind::Auth),
    Op::VerifyAndSign(KeyKind::Sign),
];

/// The eligibility flows.
pub const FLOWS: [Op; 3] = [
    Op::Eligibility(Mode::Pin),
    Op::Eligibility(Mode::Visual),
    Op::Eligibility(Mode::VisualWithCode),
];

/// The card-info application's operations.
pub const CARD_INFO: [Op; 1] = [Op::CardInfoAttributes];

/// Every operation of the budget.
pub fn all_ops() -> impl Iterator<Item = Op> {
    JPKI.into_iter().chain(FLOWS).chain(CARD_INFO)
}

/// The default virtual card's access code B (born 1990-01-01, expiry 2035, code 1234).
const ACCESS_CODE_B: &str = "02010120351234";

/// A kind of card ([`Profile`]) behind a kind of reader ([`Reader`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setup {
    /// What the card takes.
    pub profile: Profile,
    /// What the reader carries.
    pub reader: Reader,
}

impl Setup {
    /// The default virtual card: extended length and short file identifiers, over a reader
    /// that carries extended APDUs.
    pub const BEST: Setup = Setup::new(Profile::ExtendedAndShortFileIds, Reader::Extended);

    /// The setups the budget covers: each profile over an extended reader, then the card
    /// taking both forms and the card refusing both over a short-only reader.
    pub const ALL: [Setup; 6] = [
        Setup::BEST,
        Setup::new(Profile::RefusesExtendedLength, Reader::Extended),
        Setup::new(Profile::RefusesShortFileIds, Reader::Extended),
        Setup::new(Profile::RefusesBoth, Reader::Extended),
        Setup::new(Profile::ExtendedAndShortFileIds, Reader::ShortOnly),
        Setup::new(Profile::RefusesBoth, Reader::ShortOnly),
    ];

    /// `profile` behind `reader`.
    pub const fn new(profile: Profile, reader: Reader) -> Self {
        Self { profile, reader }
    }

    /// A fresh default virtual card of this setup.
    pub fn card(self) -> VirtualCard {
        VirtualCard::builder()
            .profile(self.profile)
            .reader(self.reader)
            .build()
    }

    /// "card profile, reader".
    pub fn name(self) -> String {
        format!("{}, {}", self.profile.name(), self.reader.name())
    }

    /// Whether an EF can be addressed without its SELECT.
    pub fn short_file_ids(self) -> bool {
        self.profile.takes_short_file_ids()
    }

    /// Whether a file can be read in one READ BINARY: the card takes an extended Le and the
    /// reader carries it.
    pub fn extended_reads(self) -> bool {
        self.profile.takes_extended_length() && self.reader == Reader::Extended
    }

    /// SELECTs of an EF a command needs before it: none with short file identifiers.
    fn select_ef(self) -> u64 {
        u64::from(!self.short_file_ids())
    }

    /// APDUs to read a file of `len` bytes once its application is selected, and how.
    fn read(self, len: usize) -> (u64, String) {
        let (reads, how) = if self.extended_reads() {
            (1, "1 READ".to_owned())
        } else {
            (len.div_ceil(256) as u64, format!("⌈{len}/256⌉"))
        };
        let select = self.select_ef();
        let how = if select == 0 {
            how
        } else {
            format!("SELECT EF + {how}")
        };
        (select + reads, how)
    }

    /// APDUs of the guard's empty VERIFY and the VERIFY, with the SELECT of the PIN's EF where
    /// needed.
    fn verify(self) -> u64 {
        self.select_ef() + 2
    }

    /// APDUs of COMPUTE DIGITAL SIGNATURE, with the SELECT of the key's EF where needed.
    fn sign(self) -> u64 {
        self.select_ef() + 1
    }
}

impl Op {
    /// A short name for reports and bench ids.
    pub fn name(self) -> String {
        match self {
            Op::Identify => "identify".into(),
            Op::ReadCertificate(CertificateKind::Sign) => "verify_pin+read_certificate/sign".into(),
            Op::ReadCertificate(kind) => format!("read_certificate/{}", cert_name(kind)),
            Op::PinStatus(kind) => format!("pin_status/{}", pin_name(kind)),
            Op::VerifyPin(kind) => format!("verify_pin/{}", pin_name(kind)),
            Op::VerifyAndSign(key) => format!("sign_sha256_with_pin/{}", pin_name(key.pin())),
            Op::Eligibility(Mode::Pin) => "eligibility_check/pin".into(),
            Op::Eligibility(Mode::Visual) => "eligibility_check/visual".into(),
            Op::Eligibility(Mode::VisualWithCode) => "eligibility_check/visual_code_b".into(),
            Op::CardInfoAttributes => "card_info/verify_pin+read_attributes".into(),
        }
    }

    /// Whether the card computes a signature (RSA-2048) in it.
    pub fn signs(self) -> bool {
        matches!(self, Op::VerifyAndSign(_) | Op::Eligibility(Mode::Pin))
    }

    /// Runs the operation.
    pub fn run<T: Transport>(self, card: &mut Card<T>) -> Result<()> {
        match self {
            Op::Identify => card.jpki().identify().map(drop),
            Op::ReadCertificate(kind) => {
                let mut jpki = card.jpki();
                if kind == CertificateKind::Sign {
                    jpki.verify_pin(&sign_pin())?;
                }
                jpki.read_certificate_der(kind).map(drop)
            }
            Op::PinStatus(kind) => card.jpki().pin_status(kind).map(drop),
            Op::VerifyPin(PinKind::Auth) => card.jpki().verify_pin(&auth_pin()),
            Op::VerifyPin(PinKind::Sign) => card.jpki().verify_pin(&sign_pin()),
            Op::VerifyAndSign(KeyKind::Auth) => card
                .jpki()
                .sign_sha256_with_pin(&auth_pin(), &DIGEST, LastTry::Refuse)
                .map(drop),
            Op::VerifyAndSign(KeyKind::Sign) => card
                .jpki()
                .sign_sha256_with_pin(&sign_pin(), &DIGEST, LastTry::Refuse)
                .map(drop),
            Op::Eligibility(mode) => eligibility(card, mode),
            Op::CardInfoAttributes => card
                .transaction(|card| {
                    let mut info = card.card_info();
                    info.verify_pin(&CardInfoPin::new(VirtualCard::DEFAULT_CARD_INFO_PIN)?)?;
                    info.read_attributes()
                })
                .map(drop),
            Op::VerifyPin(_) | Op::VerifyAndSign(_) => {
                unreachable!("the budget lists auth and sign")
            }
        }
    }

    /// The fewest APDUs the operation can take on `setup`'s card, and how that number is made
    /// up: one SELECT of each application, the guard's empty VERIFY before each VERIFY, a
    /// SELECT of each EF unless the card takes short file identifiers, and one READ BINARY per
    /// file when card and reader take extended lengths, else one per 256 bytes. On a card
    /// refusing both forms this is the count of SELECT addressing and 256-byte reads.
    pub fn lower_bound(self, setup: Setup, card: &VirtualCard) -> (u64, String) {
        let cert = |kind| setup.read(card.certificate_der(kind).len());
        let verify = setup.verify();
        let sign = setup.sign();
        match self {
            Op::Identify => {
                let (n, how) = setup.read(32);
                (1 + n, format!("SELECT AP + {how}"))
            }
            Op::ReadCertificate(CertificateKind::Sign) => {
                let (n, how) = cert(CertificateKind::Sign);
                (1 + verify + n, format!("SELECT AP + verify {verify} + {how}"))
            }
            Op::ReadCertificate(kind) => {
                let (n, how) = cert(kind);
                (1 + n, format!("SELECT AP + {how}"))
            }
            Op::PinStatus(_) => {
                let n = verify - 1;
                (1 + n, format!("SELECT AP + status {n}"))
            }
            Op::VerifyPin(_) => (1 + verify, format!("SELECT AP + status and VERIFY {verify}")),
            Op::VerifyAndSign(_) => (
                1 + verify + sign,
                format!("SELECT AP + verify {verify} + sign {sign}"),
            ),
            Op::Eligibility(mode) => {
                let (n, how) = cert(CertificateKind::Auth);
                match mode {
                    Mode::Pin => (
                        1 + n + verify + sign,
                        format!("SELECT AP + {how} + verify {verify} + sign {sign}"),
                    ),
                    Mode::Visual => (1 + n, format!("SELECT AP + {how}")),
                    Mode::VisualWithCode => {
                        let (face, face_how) = setup.read(card_face_record_len(card));
                        (
                            1 + n + 1 + verify + face,
                            format!("SELECT AP + {how} + SELECT AP + verify {verify} + {face_how}"),
                        )
                    }
                }
            }
            Op::CardInfoAttributes => {
                let (attributes, a_how) = setup.read(card_info_record_len(card, 0x0002));
                let (integrity, i_how) = setup.read(card_info_record_len(card, 0x0003));
                (
                    1 + verify + attributes + integrity,
                    format!("SELECT AP + verify {verify} + {a_how} + {i_how}"),
                )
            }
        }
    }
}

/// What one run of an operation cost.
#[derive(Clone, Copy, Debug)]
pub struct Cost {
    /// APDUs and bytes, from `Card::stats()`.
    pub stats: Stats,
    /// Modeled wall time on a contact reader.
    pub contact: Duration,
    /// Modeled wall time over NFC at 424 kbit/s.
    pub nfc: Duration,
}

/// Runs `op` once on a fresh default virtual card under each link model.
pub fn measure(op: Op) -> Cost {
    measure_on(op, Setup::BEST)
}

/// Runs `op` once on a fresh virtual card of `setup` under each link model.
pub fn measure_on(op: Op, setup: Setup) -> Cost {
    let run = |model: LinkModel| {
        let mut card = Card::new(Modeled::new(setup.card(), model));
        op.run(&mut card)
            .unwrap_or_else(|e| panic!("{} on {}: {e}", op.name(), setup.name()));
        (card.stats(), card.transport().elapsed())
    };
    let (stats, contact) = run(LinkModel::contact());
    let (_, nfc) = run(LinkModel::nfc_424());
    Cost {
        stats,
        contact,
        nfc,
    }
}

/// The header of [`row`]'s table (Markdown).
pub const HEADER: &str = "| operation | APDUs | lower bound | sent B | received B | contact ms | NFC 424 ms |\n|---|---:|---|---:|---:|---:|---:|";

/// One Markdown row for `op` on `setup`.
pub fn row(op: Op, setup: Setup, cost: &Cost) -> String {
    let (bound, how) = op.lower_bound(setup, &setup.card());
    format!(
        "| {} | {} | {bound} ({how}) | {} | {} | {:.1} | {:.1} |",
        op.name(),
        cost.stats.commands,
        cost.stats.bytes_sent,
        cost.stats.bytes_received,
        ms(cost.contact),
        ms(cost.nfc),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn eligibility<T: Transport>(card: &mut Card<T>, mode: Mode) -> Result<()> {
    let pin = auth_pin();
    let code = AccessCodeB::new(ACCESS_CODE_B)?;
    let confirmation = match mode {
        Mode::Pin => Confirmation::Pin {
            pin: &pin,
            challenge: &DIGEST,
            last_try: LastTry::Refuse,
        },
        Mode::Visual => Confirmation::Visual {
            access_code_b: None,
        },
        Mode::VisualWithCode => Confirmation::Visual {
            access_code_b: Some(&code),
        },
    };
    card.eligibility_check(confirmation).map(drop)
}

/// The length of the card-face record (EF 0002 of the card-face AP) as the card holds it.
fn card_face_record_len(card: &VirtualCard) -> usize {
    card.record_len(mynumbercard::card_face::APPLICATION.aid(), 0x0002)
        .expect("the card-face application holds EF 0002")
}

/// The length of the card-info record `fid` as the card holds it.
fn card_info_record_len(card: &VirtualCard, fid: u16) -> usize {
    card.record_len(mynumbercard::card_info::APPLICATION.aid(), fid)
        .expect("the card-info application holds the record")
}

fn auth_pin() -> AuthPin {
    AuthPin::new(VirtualCard::DEFAULT_AUTH_PIN).expect("the default auth PIN is valid")
}

fn sign_pin() -> SignPin {
    SignPin::new(VirtualCard::DEFAULT_SIGN_PIN).expect("the default sign PIN is valid")
}

fn cert_name(kind: CertificateKind) -> &'static str {
    match kind {
        CertificateKind::Auth => "auth",
        CertificateKind::Sign => "sign",
        CertificateKind::AuthCa => "auth_ca",
        CertificateKind::SignCa => "sign_ca",
        _ => "other",
    }
}

fn pin_name(kind: PinKind) -> &'static str {
    match kind {
        PinKind::Auth => "auth",
        PinKind::Sign => "sign",
        _ => "other",
    }
}

/// The virtual card behind a transport that declares nothing about exclusivity, as a PC/SC
/// reader in shared mode (the default) does: the session selects again in every
/// transaction.
pub struct Shared(pub VirtualCard);

impl Transport for Shared {
    fn transmit(
        &mut self,
        command: &[u8],
    ) -> std::result::Result<Vec<u8>, mynumbercard::TransportError> {
        self.0.transmit(command)
    }

    fn capabilities(&self) -> mynumbercard::transport::Capabilities {
        self.0.capabilities().with_exclusive(false)
    }
}

/// Operations a user runs one after the other in one session, each its own transaction.
pub const SEQUENCES: [(&str, &[Op]); 4] = [
    (
        "pin_status(auth), then verify_pin(auth)",
        &[Op::PinStatus(PinKind::Auth), Op::VerifyPin(PinKind::Auth)],
    ),
    (
        "read_certificate_der(auth), then (auth_ca)",
        &[
            Op::ReadCertificate(CertificateKind::Auth),
            Op::ReadCertificate(CertificateKind::AuthCa),
        ],
    ),
    (
        "verify_pin(sign), then read_certificate_der(sign)",
        &[Op::ReadCertificate(CertificateKind::Sign)],
    ),
    (
        "identify, then eligibility_check (PIN mode)",
        &[Op::Identify, Op::Eligibility(Mode::Pin)],
    ),
];

/// APDUs of a sequence in one session, over an exclusive transport (the virtual card) and
/// over a shared one.
pub fn sequence_apdus(ops: &[Op]) -> (u64, u64) {
    let mut exclusive = Card::new(VirtualCard::new());
    let mut shared = Card::new(Shared(VirtualCard::new()));
    for op in ops {
        op.run(&mut exclusive).expect("runs on the virtual card");
        op.run(&mut shared).expect("runs on the virtual card");
    }
    (exclusive.stats().commands, shared.stats().commands)
}

/// The virtual card of `setup` behind a transport declaring `capabilities` (a PC/SC
/// connection's, say): its commands reach the card as they are.
pub struct Declaring {
    /// The card.
    pub card: VirtualCard,
    /// What the transport declares.
    pub capabilities: mynumbercard::transport::Capabilities,
}

impl Transport for Declaring {
    fn transmit(
        &mut self,
        command: &[u8],
    ) -> std::result::Result<Vec<u8>, mynumbercard::TransportError> {
        Ok(self.card.handle(command))
    }

    fn capabilities(&self) -> mynumbercard::transport::Capabilities {
        self.capabilities
    }
}

/// APDUs of `op` from a fresh session on `setup`'s card behind a transport declaring
/// `capabilities`.
pub fn commands_with(
    op: Op,
    setup: Setup,
    capabilities: mynumbercard::transport::Capabilities,
) -> u64 {
    let mut card = Card::new(Declaring {
        card: setup.card(),
        capabilities,
    });
    op.run(&mut card)
        .unwrap_or_else(|e| panic!("{} on {}: {e}", op.name(), setup.name()));
    card.stats().commands
}
