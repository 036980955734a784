//! What the tests through the real PC/SC stack share: finding the stack (failing without it:
//! the tests are `#[ignore]`d unless asked for), connecting, serialising the tests, verifying
//! signatures.

#![allow(dead_code)]

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use der::{Decode, Encode};
use mynumbercard::pcsc::{self, PcscTransport};
use mynumbercard::{Card, CertificateKind};
use rsa::pkcs8::DecodePublicKey;
use sha2::Sha256;
use x509_cert::Certificate;

/// The vpcd reader served by `scripts/with-virtual-reader.sh` (slot 0, port 35963).
pub const DEFAULT_READER: &str = "Virtual PCD 00 00";
/// The second vpcd slot (port 35964), used by the removal test with its own virtual reader.
pub const SECOND_READER: &str = "Virtual PCD 00 01";
/// vpcd's port for [`SECOND_READER`].
pub const SECOND_PORT: u16 = 35964;

/// The reader under test: `MYNUMBERCARD_TEST_READER`, or [`DEFAULT_READER`].
pub fn reader_name() -> String {
    std::env::var("MYNUMBERCARD_TEST_READER").unwrap_or_else(|_| DEFAULT_READER.to_owned())
}

/// The tests share one card: run them one at a time.
pub fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The reader name, once the stack is up and the reader holds a card; fails the test
/// otherwise, saying how to bring the stack up.
pub fn reader() -> String {
    let reader = reader_name();
    let problem = match pcsc::readers_with_card() {
        Ok(readers) if readers.iter().any(|r| r == &reader) => return reader,
        Ok(readers) => format!("no card in reader {reader:?} (readers with a card: {readers:?})"),
        Err(e) => format!(
            "PC/SC unavailable: {e} ({:?})",
            std::error::Error::source(&e)
        ),
    };
    panic!(
        "{problem}. Run through the stack: scripts/with-virtual-reader.sh cargo test \
         --features pcsc --test pcsc_stack --test opensc_interop -- --ignored"
    );
}

/// A session with the card in `reader`.
pub fn connect(reader: &str) -> Card<PcscTransport> {
    let transport = PcscTransport::connect(reader).unwrap_or_else(|e| {
        panic!(
            "connect to {reader:?}: {e} ({:?})",
            std::error::Error::source(&e)
        )
    });
    Card::new(transport)
}

/// Waits (bounded) until `reader` holds a card.
pub fn wait_for_reader(reader: &str, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if pcsc::readers_with_card().is_ok_and(|readers| readers.iter().any(|r| r == reader)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Checks an RSA PKCS#1 v1.5 SHA-256 signature against a certificate's public key.
pub fn verifies(certificate_der: &[u8], digest: &[u8; 32], signature: &[u8]) -> bool {
    let cert = Certificate::from_der(certificate_der).expect("certificate parses");
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .expect("SPKI encodes");
    let key = rsa::RsaPublicKey::from_public_key_der(&spki).expect("RSA key");
    key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), digest, signature)
        .is_ok()
}

/// The virtual card's certificate of `kind` (the card served by `virtual_reader` is built
/// from the same fixtures).
pub fn expected_certificate(kind: CertificateKind) -> Vec<u8> {
    mynumbercard::VirtualCard::new()
        .certificate_der(kind)
        .to_vec()
}

/// The path of the `virtual_reader` example beside this test binary.
pub fn virtual_reader_binary() -> std::path::PathBuf {
    if let Some(path) = std::env::var_os("MYNUMBERCARD_VIRTUAL_READER") {
        return path.into();
    }
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/<test> → target/<profile>/examples/virtual_reader
    exe.parent()
        .and_then(|deps| deps.parent())
        .map(|profile| profile.join("examples").join("virtual_reader"))
        .expect("target directory")
}
