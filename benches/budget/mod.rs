//! The APDU budget: each operation a user thinks in, run from a fresh session on the virtual
//! card, with the fewest APDUs its addressing allows for it on a short-APDU transport: short
//! file identifiers in the guard's VERIFYs and in signing, SELECT and 256-byte reads for files. Shared by the
//! `operations` bench (speed) and the `apdu_budget` test (counts, and the table it prints).

#![allow(dead_code)] // each includer uses part of it

use std::time::Duration;

use mynumbercard::access_code::AccessCodeB;
use mynumbercard::eligibility::Confirmation;
use mynumbercard::exchange::Stats;
use mynumbercard::latency::{LinkModel, Modeled};
use mynumbercard::transport::Transport;
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

/// The default virtual card's access code B (born 1990-01-01, expiry 2035, code 1234).
const ACCESS_CODE_B: &str = "02010120351234";

/// APDUs to verify a PIN from a fresh session: SELECT AP, empty VERIFY by short file
/// identifier (tries left, the lockout guard), VERIFY by short file identifier.
const VERIFY: u64 = 3;

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
            Op::VerifyPin(_) | Op::VerifyAndSign(_) => {
                unreachable!("the budget lists auth and sign")
            }
        }
    }

    /// The fewest APDUs the operation can take on the virtual card (short APDUs; short file
    /// identifiers in VERIFY and COMPUTE DIGITAL SIGNATURE, SELECT EF before 256-byte reads),
    /// and how that number is made up.
    pub fn lower_bound(self, card: &VirtualCard) -> (u64, String) {
        match self {
            Op::Identify => (3, "SELECT AP + SELECT EF + 1 READ".into()),
            Op::ReadCertificate(kind) => {
                let len = card.certificate_der(kind).len();
                let reads = len.div_ceil(256) as u64;
                if kind == CertificateKind::Sign {
                    let n = VERIFY + 1 + reads;
                    (n, format!("verify 3 + SELECT EF + ⌈{len}/256⌉"))
                } else {
                    (2 + reads, format!("2 + ⌈{len}/256⌉"))
                }
            }
            Op::PinStatus(_) => (2, "SELECT AP + empty VERIFY by SFI".into()),
            Op::VerifyPin(_) => (VERIFY, "status 2 + VERIFY by SFI".into()),
            Op::VerifyAndSign(_) => (VERIFY + 1, "verify 3 + SIGN by SFI".into()),
            Op::Eligibility(mode) => {
                let len = card.certificate_der(CertificateKind::Auth).len();
                let cert = len.div_ceil(256) as u64;
                match mode {
                    Mode::Pin => (cert + 5, format!("⌈{len}/256⌉ + 5")),
                    Mode::Visual => (2 + cert, format!("2 + ⌈{len}/256⌉")),
                    Mode::VisualWithCode => {
                        let face = card_face_record_len();
                        let n = 2 + cert + 4 + face.div_ceil(256) as u64;
                        (n, format!("2 + ⌈{len}/256⌉ + 4 + ⌈{face}/256⌉"))
                    }
                }
            }
        }
    }

    /// APDUs a short file identifier in READ BINARY would still save (P1 = 80|SFI for the
    /// first read; the library sends it only in an extended-length read, so on a short-APDU
    /// transport every file read keeps its SELECT EF): one per file read.
    pub fn sfi_savings(self) -> u64 {
        match self {
            Op::PinStatus(_) | Op::VerifyPin(_) | Op::VerifyAndSign(_) => 0,
            Op::Identify | Op::ReadCertificate(_) => 1,
            // The certificate; in visual mode with access code B, the card-face record too.
            Op::Eligibility(Mode::Pin | Mode::Visual) => 1,
            Op::Eligibility(Mode::VisualWithCode) => 2,
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
    let run = |model: LinkModel| {
        let mut card = Card::new(Modeled::new(VirtualCard::new(), model));
        op.run(&mut card)
            .expect("the operation succeeds on the virtual card");
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
pub const HEADER: &str = "| operation | APDUs | lower bound | sent B | received B | contact ms | NFC 424 ms | SFI would save |\n|---|---:|---|---:|---:|---:|---:|---:|";

/// One Markdown row for `op`.
pub fn row(op: Op, cost: &Cost) -> String {
    let (bound, how) = op.lower_bound(&VirtualCard::new());
    format!(
        "| {} | {} | {bound} ({how}) | {} | {} | {:.1} | {:.1} | {} |",
        op.name(),
        cost.stats.commands,
        cost.stats.bytes_sent,
        cost.stats.bytes_received,
        ms(cost.contact),
        ms(cost.nfc),
        op.sfi_savings(),
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

/// The length of the virtual card's card-face record (EF 0002 of the card-face AP), from its
/// BER-TLV header, read with raw APDUs (the budget's own, whatever the library sends): SELECT
/// AP, SELECT EF 0012, VERIFY access code B, SELECT EF 0002, READ BINARY of 8 bytes.
fn card_face_record_len() -> usize {
    let mut card = VirtualCard::new();
    let mut select = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
    select.extend_from_slice(&[0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02]);
    let mut verify = vec![0x00, 0x20, 0x00, 0x80, 14];
    verify.extend_from_slice(ACCESS_CODE_B.as_bytes());
    for apdu in [
        select,
        vec![0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x12],
        verify,
        vec![0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x02],
    ] {
        assert_eq!(card.handle(&apdu), [0x90, 0x00], "{apdu:02X?}");
    }
    let prefix = card.handle(&[0x00, 0xB0, 0x00, 0x00, 0x08]);
    mynumbercard::tlv::total_len(&prefix, usize::MAX).expect("the record has a TLV header")
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
