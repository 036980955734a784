//! The APDU budget: each operation a user thinks in, run from a fresh session on each kind of
//! virtual card behind each kind of reader ([`Setup`]), with the fewest APDUs the forms that
//! card and reader take allow for it ([`Op::lower_bound`]). Shared by the `operations` bench
//! (speed), the `apdu_budget` test (counts, and the tables it prints) and the PC/SC stack
//! test (the same counts through pcscd).

#![allow(dead_code)] // each includer uses part of it

pub mod apps;

use std::time::Duration;

use mynumbercard::access_code::CardInfoPin;
use mynumbercard::access_code::{AccessCodeB, BirthDateKey};
use mynumbercard::card_verifiable::CvTrust;
use mynumbercard::eligibility::Confirmation;
use mynumbercard::exchange::Stats;
use mynumbercard::genuine::{GenuineCheck, Opener};
use mynumbercard::latency::{LinkModel, Modeled};
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
    /// `card.check_genuine(...)`, opened by the birth-date key or by access code B.
    Genuine(Opened),
}

/// What opens the genuineness check's record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opened {
    /// The birth-date key: the age-verification record.
    BirthDate,
    /// Access code B: the card face.
    AccessCodeB,
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
    /// Visual mode with the genuineness check opened by access code B: the certificate, the
    /// card-face certificate, the card face and the challenge.
    VisualGenuine,
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
pub const FLOWS: [Op; 4] = [
    Op::Eligibility(Mode::Pin),
    Op::Eligibility(Mode::Visual),
    Op::Eligibility(Mode::VisualWithCode),
    Op::Eligibility(Mode::VisualGenuine),
];

/// The genuineness check.
pub const GENUINE: [Op; 2] = [
    Op::Genuine(Opened::BirthDate),
    Op::Genuine(Opened::AccessCodeB),
];

/// The card-info application's operations.
pub const CARD_INFO: [Op; 1] = [Op::CardInfoAttributes];

/// Every operation of the budget.
pub fn all_ops() -> impl Iterator<Item = Op> {
    JPKI.into_iter()
        .chain(FLOWS)
        .chain(CARD_INFO)
        .chain(GENUINE)
}

/// The default virtual card's access code B (born 1990-01-01, expiry 2035, code 1234).
const ACCESS_CODE_B: &str = "02010120351234";
/// Its birth-date key (平成2年1月1日).
const BIRTH_DATE_KEY: &str = "020101";

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
            Op::Eligibility(Mode::VisualGenuine) => "eligibility_check/visual_genuine".into(),
            Op::Genuine(Opened::BirthDate) => "check_genuine/birth_date".into(),
            Op::Genuine(Opened::AccessCodeB) => "check_genuine/code_b".into(),
        }
    }

    /// Whether the card computes a signature (RSA-2048) in it.
    pub fn signs(self) -> bool {
        matches!(
            self,
            Op::VerifyAndSign(_)
                | Op::Eligibility(Mode::Pin | Mode::VisualGenuine)
                | Op::Genuine(_)
        )
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
            Op::Genuine(opened) => {
                let key = BirthDateKey::new(BIRTH_DATE_KEY)?;
                let code = AccessCodeB::new(ACCESS_CODE_B)?;
                let opener = match opened {
                    Opened::BirthDate => Opener::BirthDate(&key),
                    Opened::AccessCodeB => Opener::AccessCodeB(&code),
                };
                let trust = CvTrust::jlis();
                card.check_genuine(&GenuineCheck::new(opener, &trust))
                    .map(drop)
            }
            Op::VerifyPin(_) | Op::VerifyAndSign(_) => {
                unreachable!("the budget lists auth and sign")
            }
        }
    }

    /// What the operation does, in the order it does it, as far as addressing goes.
    pub fn steps(self, card: &VirtualCard) -> Vec<Step> {
        let cert = |kind| Step::File(card.certificate_der(kind).len());
        match self {
            Op::Identify => vec![Step::App, Step::Token],
            Op::ReadCertificate(CertificateKind::Sign) => {
                vec![Step::App, Step::Verify, cert(CertificateKind::Sign)]
            }
            Op::ReadCertificate(kind) => vec![Step::App, cert(kind)],
            Op::PinStatus(_) => vec![Step::App, Step::Status],
            Op::VerifyPin(_) => vec![Step::App, Step::Verify],
            Op::VerifyAndSign(_) => vec![Step::App, Step::Verify, Step::Sign],
            Op::Eligibility(Mode::Pin) => vec![
                Step::App,
                cert(CertificateKind::Auth),
                Step::Verify,
                Step::Sign,
            ],
            Op::Eligibility(Mode::Visual) => vec![Step::App, cert(CertificateKind::Auth)],
            Op::Eligibility(Mode::VisualWithCode) => vec![
                Step::App,
                cert(CertificateKind::Auth),
                Step::App,
                Step::Verify,
                Step::File(card_face_record_len(card)),
            ],
            Op::CardInfoAttributes => vec![
                Step::App,
                Step::Verify,
                Step::File(card_info_record_len(card, 0x0002)),
                Step::File(card_info_record_len(card, 0x0003)),
            ],
            Op::Eligibility(Mode::VisualGenuine) => vec![
                Step::App,
                cert(CertificateKind::Auth),
                Step::App,
                Step::File(card_face_len(card, 0x0004)),
                Step::Verify,
                Step::File(card_face_record_len(card)),
                Step::Challenge,
            ],
            Op::Genuine(opened) => vec![
                Step::App,
                Step::File(card_face_len(card, 0x0004)),
                Step::Verify,
                Step::File(match opened {
                    Opened::BirthDate => card_face_len(card, 0x0001),
                    Opened::AccessCodeB => card_face_record_len(card),
                }),
                Step::Challenge,
            ],
        }
    }

    /// The fewest APDUs the operation can take on `setup`'s card, and how that number is made
    /// up: one SELECT of each application, the guard's empty VERIFY before each VERIFY, a
    /// SELECT of each EF unless the card takes short file identifiers, and one READ BINARY per
    /// file when card and reader take extended lengths, else one per 256 bytes. On a card
    /// refusing both forms this is the count of SELECT addressing and 256-byte reads.
    pub fn lower_bound(self, setup: Setup, card: &VirtualCard) -> (u64, String) {
        let mut total = 0;
        let mut parts = Vec::new();
        for step in self.steps(card) {
            let (n, how) = step.lower_bound(setup);
            total += n;
            parts.push(how);
        }
        (total, parts.join(" + "))
    }

    /// The APDUs the library sends for the operation from a fresh session on `setup`: the
    /// lower bound, plus what it costs to learn what the card takes. [`Policy`] says how.
    pub fn expected(self, setup: Setup, card: &VirtualCard) -> u64 {
        let mut policy = Policy::default();
        self.steps(card)
            .into_iter()
            .map(|step| policy.apdus(step, setup))
            .sum()
    }
}

/// One step of an operation, as far as addressing goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A SELECT of the operation's application.
    App,
    /// A file of this many bytes that the library reads whole where it can (a certificate, a
    /// card-info or card-face record).
    File(usize),
    /// The token file: a SELECT of it and one READ BINARY of its 32 bytes, on every card.
    Token,
    /// The guard's empty VERIFY alone (a PIN's status).
    Status,
    /// The guard's empty VERIFY, then the VERIFY.
    Verify,
    /// COMPUTE DIGITAL SIGNATURE.
    Sign,
    /// The card-face challenge: COMPUTE DIGITAL SIGNATURE with the application's own key
    /// (`80 2A 00 00`), which names no EF.
    Challenge,
}

impl Step {
    /// The fewest APDUs the step takes on `setup`, and how.
    fn lower_bound(self, setup: Setup) -> (u64, String) {
        let select = setup.select_ef();
        let ef = if select == 0 { "" } else { "SELECT EF + " };
        match self {
            Step::App => (1, "SELECT AP".into()),
            Step::File(_) if setup.extended_reads() => (select + 1, format!("{ef}1 READ")),
            Step::File(len) => {
                let reads = len.div_ceil(256) as u64;
                (select + reads, format!("{ef}⌈{len}/256⌉ READ"))
            }
            Step::Token => (select + 1, format!("{ef}1 READ")),
            Step::Status => (select + 1, format!("{ef}status")),
            Step::Verify => (select + 2, format!("{ef}status + VERIFY")),
            Step::Sign => (select + 1, format!("{ef}SIGN")),
            Step::Challenge => (1, "challenge".into()),
        }
    }
}

/// What a session has found out about a form of command.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Known {
    #[default]
    Unknown,
    Works,
    Refused,
}

/// The library's way of learning what a card takes, step by step (the rules the APDU counts
/// of the budget follow):
///
/// - a file is read whole in one extended-length READ BINARY when the reader carries it and
///   the card was not found to refuse it, by its short file identifier unless the card was
///   found to refuse those; else after a SELECT of the EF, in 256-byte reads;
/// - the guard asks for the tries left by short file identifier (`00 20 00 80|SFI`, the safe
///   probe) unless the card was found to refuse them, and sends the VERIFY in the form that
///   answered; else after a SELECT of the EF;
/// - COMPUTE DIGITAL SIGNATURE names the key by its short file identifier once the card
///   answered one in this session; else after a SELECT of the key;
/// - a refused probe marks every form not yet known as refused, so that a card refusing both
///   costs one probe per session; the token file is always read after its SELECT.
#[derive(Clone, Copy, Debug, Default)]
pub struct Policy {
    extended: Known,
    short_file_ids: Known,
}

impl Policy {
    fn refuse_unknown(&mut self) {
        for known in [&mut self.extended, &mut self.short_file_ids] {
            if *known == Known::Unknown {
                *known = Known::Refused;
            }
        }
    }

    /// APDUs of `step` on `setup`, learning what the card answers.
    fn apdus(&mut self, step: Step, setup: Setup) -> u64 {
        let card_sfi = setup.profile.takes_short_file_ids();
        let card_extended = setup.profile.takes_extended_length();
        let by_sfi = self.short_file_ids != Known::Refused;
        match step {
            Step::App => 1,
            Step::Token => 2,
            Step::File(len) => {
                let chunks = len.div_ceil(256) as u64;
                if setup.reader != Reader::Extended || self.extended == Known::Refused {
                    return 1 + chunks;
                }
                let probe = if by_sfi { 1 } else { 2 };
                if card_extended && (!by_sfi || card_sfi) {
                    self.extended = Known::Works;
                    if by_sfi {
                        self.short_file_ids = Known::Works;
                    }
                    probe
                } else {
                    self.refuse_unknown();
                    // After a refused read by identifier, a SELECT; after a refused read of
                    // the selected EF, none.
                    probe + u64::from(by_sfi) + chunks
                }
            }
            Step::Status | Step::Verify => {
                let verify = u64::from(step == Step::Verify);
                if !by_sfi {
                    return 2 + verify;
                }
                if card_sfi {
                    self.short_file_ids = Known::Works;
                    1 + verify
                } else {
                    self.refuse_unknown();
                    3 + verify
                }
            }
            Step::Sign => {
                if self.short_file_ids == Known::Works {
                    1
                } else {
                    2
                }
            }
            Step::Challenge => 1,
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
    let trust = CvTrust::jlis();
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
        Mode::VisualGenuine => Confirmation::VisualGenuine {
            check: GenuineCheck::new(Opener::AccessCodeB(&code), &trust),
        },
    };
    card.eligibility_check(confirmation).map(drop)
}

/// The length of the card-face record (EF 0002 of the card-face AP) as the card holds it.
fn card_face_record_len(card: &VirtualCard) -> usize {
    card.record_len(mynumbercard::card_face::APPLICATION.aid(), 0x0002)
        .expect("the card-face application holds EF 0002")
}

/// The length of the card-face file `fid` as the card holds it.
fn card_face_len(card: &VirtualCard, fid: u16) -> usize {
    card.record_len(mynumbercard::card_face::APPLICATION.aid(), fid)
        .expect("the card-face application holds the file")
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
