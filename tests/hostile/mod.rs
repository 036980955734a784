//! Shared by the hostile-transport tests: every public operation as a named closure over a
//! `Card<Hostile>`, what it returns as one comparable [`Value`], and checks on the hostile
//! transport's records (a PIN sent at most once, the last-try guard).
//!
//! Each operation is self-contained: what it needs (a verified PIN before signing or before
//! reading the signature certificate) it does itself, in one transaction, so that a fault
//! may land on any of its APDUs.

#![allow(dead_code)] // Each test binary uses part of it.

use mynumbercard::certificate::JpkiCertificate;
use mynumbercard::jpki::MAX_CERTIFICATE_LEN;
use mynumbercard::testing::{Hostile, Record};
use mynumbercard::{
    AuthPin, Card, CardKind, CertificateKind, HashAlgorithm, KeyKind, LastTry, PinKind, PinStatus,
    Result, SignPin, TrustAnchors, VirtualCard,
};
use rsa::signature::{Keypair, SignatureEncoding, Signer, Verifier};

/// What an operation returned, comparable with the fault-free run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
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

/// Which PIN an operation submits, and whether the test knows it is right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Submitted {
    /// The PIN.
    pub kind: PinKind,
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
fn wrong_auth() -> AuthPin {
    AuthPin::new(WRONG_AUTH).expect("valid")
}
fn wrong_sign() -> SignPin {
    SignPin::new(WRONG_SIGN).expect("valid")
}

const fn submits(kind: PinKind, right: bool, last_try: LastTry) -> Option<Submitted> {
    Some(Submitted {
        kind,
        right,
        last_try,
    })
}

fn read(card: &mut Card<Hostile>, kind: CertificateKind) -> Result<Value> {
    card.jpki()
        .read_certificate_der(kind)
        .map(Value::Certificate)
}

/// Every public operation of the crate that talks to the card.
pub const OPS: &[Op] = &[
    Op {
        name: "identify",
        submits: None,
        signs: false,
        run: |c| c.jpki().identify().map(Value::Kind),
    },
    Op {
        name: "select",
        submits: None,
        signs: false,
        run: |c| c.jpki().select().map(|()| Value::Unit),
    },
    Op {
        name: "read auth certificate",
        submits: None,
        signs: false,
        run: |c| read(c, CertificateKind::Auth),
    },
    Op {
        name: "read auth CA certificate",
        submits: None,
        signs: false,
        run: |c| read(c, CertificateKind::AuthCa),
    },
    Op {
        name: "read sign CA certificate",
        submits: None,
        signs: false,
        run: |c| read(c, CertificateKind::SignCa),
    },
    Op {
        name: "read sign certificate without PIN",
        submits: None,
        signs: false,
        run: |c| read(c, CertificateKind::Sign),
    },
    Op {
        name: "read certificate (parsed)",
        submits: None,
        signs: false,
        run: |c| {
            let cert = c.jpki().read_certificate(CertificateKind::AuthCa)?;
            Ok(Value::Certificate(
                der::Encode::to_der(&cert).unwrap_or_default(),
            ))
        },
    },
    Op {
        name: "pin status auth",
        submits: None,
        signs: false,
        run: |c| c.jpki().pin_status(PinKind::Auth).map(Value::Status),
    },
    Op {
        name: "pin status sign",
        submits: None,
        signs: false,
        run: |c| c.jpki().pin_status(PinKind::Sign).map(Value::Status),
    },
    Op {
        name: "verify auth PIN",
        submits: submits(PinKind::Auth, true, LastTry::Refuse),
        signs: false,
        run: |c| c.jpki().verify_pin(&auth_pin()).map(|()| Value::Unit),
    },
    Op {
        name: "verify wrong auth PIN",
        submits: submits(PinKind::Auth, false, LastTry::Refuse),
        signs: false,
        run: |c| c.jpki().verify_pin(&wrong_auth()).map(|()| Value::Unit),
    },
    Op {
        name: "verify wrong sign PIN, last try allowed",
        submits: submits(PinKind::Sign, false, LastTry::Allow),
        signs: false,
        run: |c| {
            c.jpki()
                .verify_pin_with(&wrong_sign(), LastTry::Allow)
                .map(|()| Value::Unit)
        },
    },
    Op {
        name: "change auth PIN (to itself)",
        submits: submits(PinKind::Auth, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.jpki()
                .change_pin(&auth_pin(), &auth_pin(), LastTry::Refuse)
                .map(|()| Value::Unit)
        },
    },
    Op {
        name: "read sign certificate after its PIN",
        submits: submits(PinKind::Sign, true, LastTry::Refuse),
        signs: false,
        run: |c| {
            c.transaction(|c| {
                c.jpki().verify_pin(&sign_pin())?;
                read(c, CertificateKind::Sign)
            })
        },
    },
    Op {
        name: "transaction: status and certificate",
        submits: None,
        signs: false,
        run: |c| {
            c.transaction(|c| {
                let status = c.jpki().pin_status(PinKind::Auth)?;
                let der = c.jpki().read_certificate_der(CertificateKind::Auth)?;
                Ok(Value::Many(vec![
                    Value::Status(status),
                    Value::Certificate(der),
                ]))
            })
        },
    },
    Op {
        name: "sign_sha256 after verify",
        submits: submits(PinKind::Auth, true, LastTry::Refuse),
        signs: true,
        run: |c| {
            c.transaction(|c| {
                c.jpki().verify_pin(&auth_pin())?;
                c.jpki()
                    .sign_sha256(KeyKind::Auth, &DIGEST)
                    .map(Value::Signature)
            })
        },
    },
    Op {
        name: "sign_digest SHA-384 after verify",
        submits: submits(PinKind::Auth, true, LastTry::Refuse),
        signs: true,
        run: |c| {
            c.transaction(|c| {
                c.jpki().verify_pin(&auth_pin())?;
                c.jpki()
                    .sign_digest(KeyKind::Auth, HashAlgorithm::Sha384, &[0x11; 48])
                    .map(Value::Signature)
            })
        },
    },
    Op {
        name: "sign_digest_checked",
        submits: submits(PinKind::Auth, true, LastTry::Refuse),
        signs: true,
        run: |c| {
            c.transaction(|c| {
                let der = c.jpki().read_certificate_der(CertificateKind::Auth)?;
                c.jpki().verify_pin(&auth_pin())?;
                c.jpki()
                    .sign_digest_checked(KeyKind::Auth, HashAlgorithm::Sha256, &DIGEST, &der)
                    .map(Value::CheckedSignature)
            })
        },
    },
    Op {
        name: "sign_sha256_with_pin",
        submits: submits(PinKind::Auth, true, LastTry::Refuse),
        signs: true,
        run: |c| {
            c.jpki()
                .sign_sha256_with_pin(&auth_pin(), &DIGEST, LastTry::Refuse)
                .map(Value::Signature)
        },
    },
    Op {
        name: "signer",
        submits: submits(PinKind::Auth, true, LastTry::Refuse),
        signs: true,
        run: |c| {
            let mut jpki = c.jpki();
            jpki.verify_pin(&auth_pin())?;
            let signer = jpki.signer(KeyKind::Auth)?;
            // The signer checks each signature against the certificate it read.
            let signature = signer
                .try_sign(b"hostile")
                .map_err(|_| mynumbercard::Error::SignatureMismatch)?;
            assert!(signer
                .verifying_key()
                .verify(b"hostile", &signature)
                .is_ok());
            Ok(Value::CheckedSignature(signature.to_vec()))
        },
    },
];

/// The PIN VERIFY commands (with data) among `records`.
pub fn pin_verifies(records: &[Record]) -> usize {
    records
        .iter()
        .filter(|r| r.command.starts_with(&[0x00, 0x20, 0x00, 0x80]) && r.command.len() > 4)
        .count()
}

/// Checks the last-try guard on `records`: every VERIFY carrying a PIN comes right after the
/// exchange of an empty VERIFY (or the GET RESPONSE that completed it) whose status, as the
/// library saw it, allowed it: `9000` or `63Cx` with x ≥ 2 under [`LastTry::Refuse`]; also
/// `63C1` and `6300` under [`LastTry::Allow`]. Never after a blocked status.
pub fn check_guard(records: &[Record], last_try: LastTry) -> std::result::Result<(), String> {
    for (i, record) in records.iter().enumerate() {
        let is_pin_verify =
            record.command.starts_with(&[0x00, 0x20, 0x00, 0x80]) && record.command.len() > 4;
        if !is_pin_verify {
            continue;
        }
        let Some(before) = i.checked_sub(1).and_then(|j| records.get(j)) else {
            return Err(format!("VERIFY {i} with no status VERIFY before it"));
        };
        let status_exchange = before.command == [0x00, 0x20, 0x00, 0x80]
            || before.command.starts_with(&[0x00, 0xC0, 0x00, 0x00]);
        let allowed = match before.seen_status() {
            Some(0x9000) => true,
            Some(sw @ 0x63C2..=0x63CF) => sw > 0x63C1,
            Some(0x63C1 | 0x6300) => last_try == LastTry::Allow,
            _ => false,
        };
        if !status_exchange || !allowed {
            return Err(format!(
                "VERIFY {i} sent after {:02X?} answered {:02X?} ({last_try:?})",
                before.command, before.returned
            ));
        }
    }
    Ok(())
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
