//! Signs a file's SHA-256 with a JPKI key and checks the signature against the certificate.
//!
//! ```text
//! echo hello > hello.txt
//! cargo run --example sign -- --virtual auth hello.txt --pin-stdin <<< 1234
//! cargo run --example sign -- --virtual --tries-left 1 auth hello.txt --pin-stdin <<< 1234
//! ```

mod common;

use std::error::Error;

use clap::Parser;
use der::{Decode, Encode};
use mynumbercard::{AuthPin, CertificateKind, KeyKind, SignPin};
use rsa::pkcs8::DecodePublicKey;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

/// Sign a file's SHA-256 with the auth or sign key.
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
    let digest: [u8; 32] = Sha256::digest(common::read_file(&args.file)?).into();
    // The PIN is read and checked before the card is touched.
    let (signature, certificate, mut card) = match args.key {
        KeyKind::Auth => {
            let pin = args.pin.read(common::AUTH_PIN, AuthPin::new)?;
            let mut card = common::open(&args.card)?;
            // VERIFY and SIGN in one transaction: no other application can use the PIN.
            let signature = card
                .jpki()
                .sign_sha256_with_pin(&pin, &digest, args.pin.last_try())
                .map_err(common::explain)?;
            (signature, CertificateKind::Auth, card)
        }
        KeyKind::Sign => {
            let pin = args.pin.read(common::SIGN_PIN, SignPin::new)?;
            let mut card = common::open(&args.card)?;
            let signature = card
                .jpki()
                .sign_sha256_with_pin(&pin, &digest, args.pin.last_try())
                .map_err(common::explain)?;
            (signature, CertificateKind::Sign, card)
        }
        other => return Err(format!("no signing flow for the {other:?} key").into()),
    };
    println!("{}", hex::encode(&signature));

    let der = card
        .jpki()
        .read_certificate_der(certificate)
        .map_err(common::explain)?;
    // Ends the session; a verified one by unpowering the card.
    card.close().map_err(common::explain)?;
    let cert = Certificate::from_der(&der)?;
    let spki = cert.tbs_certificate.subject_public_key_info.to_der()?;
    let key = rsa::RsaPublicKey::from_public_key_der(&spki)?;
    match key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, &signature) {
        Ok(()) => eprintln!("signature verifies against the {certificate:?} certificate"),
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
