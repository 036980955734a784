//! Shared by the hostile-transport tests: every public operation as a named closure over a
//! `Card<Hostile>`, what it returns as one comparable [`Value`], and checks on the hostile
//! transport's records (a PIN sent at most once, the last-try guard).
//!
//! Each operation is self-contained: what it needs (a verified PIN before signing or before
//! reading the signature certificate) it does itself, in one transaction, so that a fault
//! may land on any of its APDUs.

#![allow(dead_code)] // Each test binary uses part of it.

pub mod app_ops;
mod jpki_ops;
mod other_ops;

use mynumbercard::certificate::JpkiCertificate;
use mynumbercard::jpki::MAX_CERTIFICATE_LEN;
use mynumbercard::testing::Hostile;
use mynumbercard::testing::SecretFile;
pub use mynumbercard::testing::{check_guard_on, pin_verifies};
use mynumbercard::{
    AuthPin, Card, CardKind, CertificateKind, LastTry, PinStatus, Result, SignPin, TrustAnchors,
    VirtualCard,
};

/// What an operation returned, comparable with the fault-free run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Card-info or card-face data, evidence of an eligibility check: compared by their
    /// `Debug` text with secrets revealed where the type masks them.
    Record(String),
    /// An image (PNG) read whole.
    Image(Vec<u8>),
    /// Nothing (a VERIFY, a PIN change, a SELECT).
    Unit,
    /// Certificate bytes.
    Certificate(Vec<u8>),
    /// A signature.
    Signature(Vec<u8>),
    /// A signature the library checked against the certificate (checked here too).
    CheckedSignature(Vec<u8>),
    /// The card's kind.
    Kind(CardKind),
    /// A PIN status.
    Status(PinStatus),
    /// Several values (a transaction).
    Many(Vec<Value>),
}

/// A PIN or access code, numbered as [`VirtualCard::all_tries_left`] numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Secret {
    /// JPKI user-authentication PIN.
    Auth = 0,
    /// JPKI signature PIN.
    Sign = 1,
    /// Card-info PIN.
    CardInfoPin = 2,
    /// Card-info access code A.
    CardInfoA = 3,
    /// Card-info access code B.
    CardInfoB = 4,
    /// Card-face access code A.
    CardFaceA = 6,
    /// Card-face access code B.
    CardFaceB = 7,
}

impl Secret {
    /// Its index in [`VirtualCard::all_tries_left`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The application and EF it lives in: JPKI auth PIN 0018, sign PIN 001B; card-info PIN
    /// 0011, access codes A 0014 and B 0015; card-face access codes A 0013 and B 0012.
    pub fn file(self) -> SecretFile<'static> {
        let (aid, fid) = match self {
            Secret::Auth => (JPKI_AID, 0x0018),
            Secret::Sign => (JPKI_AID, 0x001B),
            Secret::CardInfoPin => (CARD_INFO_AID, 0x0011),
            Secret::CardInfoA => (CARD_INFO_AID, 0x0014),
            Secret::CardInfoB => (CARD_INFO_AID, 0x0015),
            Secret::CardFaceA => (CARD_FACE_AID, 0x0013),
            Secret::CardFaceB => (CARD_FACE_AID, 0x0012),
        };
        SecretFile { aid, fid }
    }

    /// Tries a fresh one has.
    pub fn max_tries(self) -> u8 {
        match self {
            Secret::Sign => 5,
            _ => 3,
        }
    }
}

pub const JPKI_AID: &[u8] = &[0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
pub const CARD_INFO_AID: &[u8] = &[0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];
pub const CARD_FACE_AID: &[u8] = &[0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02];

/// The tries left of every secret on the card behind `card`.
pub fn all_tries(card: &Card<Hostile>) -> [u8; 8] {
    card.transport().card().all_tries_left()
}

/// Which PIN an operation submits, and whether the test knows it is right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Submitted {
    /// The PIN or access code.
    pub kind: Secret,
    /// Whether it is the card's PIN.
    pub right: bool,
    /// Whether the last try may be spent.
    pub last_try: LastTry,
}

/// One public operation.
pub struct Op {
    /// Its name, for failure messages.
    pub name: &'static str,
    /// The PIN it submits, if any.
    pub submits: Option<Submitted>,
    /// Whether it signs (RSA on the virtual card: slow, so used sparingly).
    pub signs: bool,
    /// Runs it.
    pub run: fn(&mut Card<Hostile>) -> Result<Value>,
}

pub const DIGEST: [u8; 32] = [0x5A; 32];
pub const WRONG_AUTH: &str = "9999";
pub const WRONG_SIGN: &str = "WRONG9";

pub fn auth_pin() -> AuthPin {
    AuthPin::new(VirtualCard::DEFAULT_AUTH_PIN).expect("valid")
}
pub fn sign_pin() -> SignPin {
    SignPin::new(VirtualCard::DEFAULT_SIGN_PIN).expect("valid")
}
pub fn wrong_auth() -> AuthPin {
    AuthPin::new(WRONG_AUTH).expect("valid")
}
pub fn wrong_sign() -> SignPin {
    SignPin::new(WRONG_SIGN).expect("valid")
}

/// Every public operation of the crate that talks to the card.
pub fn ops() -> impl Iterator<Item = &'static Op> {
    jpki_ops::OPS
        .iter()
        .chain(app_ops::OPS)
        .chain(other_ops::OPS)
}

pub const fn submits(kind: Secret, right: bool, last_try: LastTry) -> Option<Submitted> {
    Some(Submitted {
        kind,
        right,
        last_try,
    })
}

pub fn read(card: &mut Card<Hostile>, kind: CertificateKind) -> Result<Value> {
    card.jpki()
        .read_certificate_der(kind)
        .map(Value::Certificate)
}

/// A certificate returned must be whole: exactly the length its DER header claims, within the
/// cap. The certificate view and the trust check must not panic on it.
pub fn check_certificate(der: &[u8]) -> std::result::Result<(), String> {
    match mynumbercard::der_header::sequence_len(der, MAX_CERTIFICATE_LEN) {
        Ok(len) if len == der.len() => {}
        other => {
            return Err(format!(
                "partial certificate: {} bytes, header {other:?}",
                der.len()
            ))
        }
    }
    if let Ok(view) = JpkiCertificate::from_der(der) {
        let _ = (
            view.kind(),
            view.attributes(),
            view.serial_hex(),
            view.key(),
        );
        let now = std::time::SystemTime::now();
        let _ = TrustAnchors::jlis_with_test_roots().verify(&view, now);
        let _ = TrustAnchors::jlis().check_ca_certificate(&view);
    }
    Ok(())
}

/// The certificates inside a value.
pub fn certificates(value: &Value) -> Vec<&[u8]> {
    match value {
        Value::Certificate(der) => vec![der],
        Value::Many(values) => values.iter().flat_map(certificates).collect(),
        _ => Vec::new(),
    }
}
