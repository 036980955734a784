//! Signs a file with a JPKI key (SHA-256 and RSA on today's cards, SHA-384 and ECDSA P-384
//! with `--virtual --ecdsa-p384`) and checks the signature against the certificate.
//!
//! ```text
//! echo hello > hello.txt
//! cargo run --example sign -- --virtual auth hello.txt --pin-stdin <<< 1234
//! cargo run --example sign -- --virtual --tries-left 1 auth hello.txt --pin-stdin <<< 1234
//! cargo run --example sign -- --virtual --ecdsa-p384 sign hello.txt --pin-stdin <<< ABC123
//! ```

mod common;

use std::error::Error;

use clap::Parser;
use mynumbercard::signature::Verifier;
use mynumbercard::{AuthPin, HashAlgorithm, JpkiVerifyingKey, KeyKind, SignPin};

/// Sign a file with the auth or sign key.
#[derive(Parser)]
struct Args {
    /// Which key: auth (user-authentication PIN) or sign (signature PIN).
    #[arg(value_parser = common::parse_key)]
    key: KeyKind,
    /// The file to sign.
    file: std::path::PathBuf,
    #[command(flatten)]
    pin: common::PinArgs,
    #[command(flatten)]
    card: common::CardArgs,
}

fn main() -> std::process::ExitCode {
    common::main(run)
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = Args::parse();
    let message = common::read_file(&args.file)?;
    // The PIN is read and checked before the card is touched. VERIFY and SIGN in one
    // transaction: no other application can use the PIN. The key's algorithm (RSA-2048, or
    // ECDSA P-384 with --virtual --ecdsa-p384) comes from its certificate.
    let (signature, certificate, card) = match args.key {
        KeyKind::Auth => {
            let pin = args.pin.read(common::AUTH_PIN, AuthPin::new)?;
            let mut card = common::open(&args.card)?;
            let (signature, certificate) = card
                .jpki()
                .sign_message_with_pin(&pin, &message, args.pin.last_try())
                .map_err(common::explain)?;
            (signature, certificate, card)
        }
        KeyKind::Sign => {
            let pin = args.pin.read(common::SIGN_PIN, SignPin::new)?;
            let mut card = common::open(&args.card)?;
            let (signature, certificate) = card
                .jpki()
                .sign_message_with_pin(&pin, &message, args.pin.last_try())
                .map_err(common::explain)?;
            (signature, certificate, card)
        }
        other => return Err(format!("no signing flow for the {other:?} key").into()),
    };
    // Ends the session; a verified one by unpowering the card.
    card.close().map_err(common::explain)?;
    let algorithm = signature.algorithm();
    println!("{}", hex::encode(signature.as_bytes()));
    // The library checked it already; check it again here, from the certificate alone.
    let key = JpkiVerifyingKey::from_certificate(&certificate)?;
    match key.verify(&message, &signature) {
        Ok(()) => eprintln!(
            "{algorithm} signature ({} of {}) verifies against the {:?} certificate",
            if algorithm.is_ecdsa() {
                "DER"
            } else {
                "PKCS#1 v1.5"
            },
            match algorithm.hash() {
                HashAlgorithm::Sha256 => "SHA-256",
                HashAlgorithm::Sha384 => "SHA-384",
                _ => "another hash",
            },
            args.key.certificate()
        ),
        Err(e) => {
            return Err(common::Context::new(
                "the signature does NOT verify against the certificate",
                e,
            )
            .into())
        }
    }
    Ok(())
}
