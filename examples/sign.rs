//! Signs a file's SHA-256 with a JPKI key and checks the signature against the certificate.
//!
//! ```text
//! echo hello > hello.txt
//! cargo run --example sign -- --virtual auth hello.txt --pin-stdin <<< 1234
//! ```

mod common;

use std::error::Error;

use clap::Parser;
use der::{Decode, Encode};
use mynumbercard::{AuthPin, CertificateKind, KeyKind, LastTry, SignPin};
use rsa::pkcs8::DecodePublicKey;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

/// Sign a file's SHA-256 with the auth or sign key.
#[derive(Parser)]
struct Args {
    /// Which key: auth (4-digit PIN) or sign (signature PIN).
    #[arg(value_parser = parse_key)]
    key: KeyKind,
    /// The file to sign.
    file: std::path::PathBuf,
    /// Read the PIN as one line from stdin instead of a no-echo prompt.
    #[arg(long)]
    pin_stdin: bool,
    #[command(flatten)]
    card: common::CardArgs,
}

fn parse_key(s: &str) -> Result<KeyKind, String> {
    match s {
        "auth" => Ok(KeyKind::Auth),
        "sign" => Ok(KeyKind::Sign),
        _ => Err(format!("unknown key {s:?}: expected auth or sign")),
    }
}

fn main() -> std::process::ExitCode {
    common::main(run)
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = Args::parse();
    let digest: [u8; 32] = Sha256::digest(std::fs::read(&args.file)?).into();
    let mut card = common::open(&args.card)?;
    let explain = |e: mynumbercard::Error| common::explain(&e);
    // VERIFY and SIGN in one transaction: no other application can use the verified PIN.
    let (signature, certificate) = match args.key {
        KeyKind::Auth => {
            let pin = AuthPin::new(&common::read_pin("PIN (4 digits): ", args.pin_stdin)?)?;
            let signature = card
                .jpki()
                .sign_sha256_with_pin(&pin, &digest, LastTry::Refuse)
                .map_err(explain)?;
            (signature, CertificateKind::Auth)
        }
        KeyKind::Sign => {
            let prompt = "signature PIN (6-16 characters): ";
            let pin = SignPin::new(&common::read_pin(prompt, args.pin_stdin)?)?;
            let signature = card
                .jpki()
                .sign_sha256_with_pin(&pin, &digest, LastTry::Refuse)
                .map_err(explain)?;
            (signature, CertificateKind::Sign)
        }
        other => return Err(format!("no signing flow for the {other:?} key").into()),
    };
    println!("{}", hex::encode(&signature));

    let der = card
        .jpki()
        .read_certificate_der(certificate)
        .map_err(explain)?;
    // Ends the session; a verified one by unpowering the card.
    card.close().map_err(explain)?;
    let cert = Certificate::from_der(&der)?;
    let spki = cert.tbs_certificate.subject_public_key_info.to_der()?;
    let key = rsa::RsaPublicKey::from_public_key_der(&spki)?;
    match key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, &signature) {
        Ok(()) => eprintln!("signature verifies against the {certificate:?} certificate"),
        Err(e) => {
            return Err(format!("signature does NOT verify against the certificate: {e}").into())
        }
    }
    Ok(())
}
