//! Makes a PKCS#10 certificate request signed by a JPKI key on the card, through the
//! RustCrypto `Signer` the crate provides and `x509-cert`'s request builder.
//!
//! ```text
//! cargo run --example sign_csr -- --virtual --pin-stdin --out req.pem <<< ABC123
//! openssl req -in req.pem -verify -noout
//! ```

mod common;

use std::error::Error;
use std::str::FromStr;

use clap::Parser;
use mynumbercard::der::Encode;
use mynumbercard::x509_cert::builder::{Builder, RequestBuilder};
use mynumbercard::x509_cert::name::Name;
use mynumbercard::{AuthPin, KeyKind, SignPin};

/// Sign a certificate request with the card's signature (or auth) key.
#[derive(Parser)]
struct Args {
    /// Which key: sign (signature PIN, the default) or auth (user-authentication PIN).
    #[arg(long, default_value = "sign", value_parser = common::parse_key)]
    key: KeyKind,
    /// Subject of the request, RFC 4514.
    #[arg(long, default_value = "CN=mynumbercard example,O=Example,C=JP")]
    subject: String,
    /// Where to write the PEM request (stdout if absent).
    #[arg(long, value_name = "PATH")]
    out: Option<std::path::PathBuf>,
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
    let subject = Name::from_str(&args.subject).map_err(|e| {
        common::Context::new(
            format!(
                "--subject {:?} is not an RFC 4514 name (such as \"CN=Taro,O=Example,C=JP\")",
                args.subject
            ),
            e,
        )
    })?;
    // The PIN is read and checked before the card is touched.
    enum Pin {
        Auth(AuthPin),
        Sign(SignPin),
    }
    let pin = match args.key {
        KeyKind::Sign => Pin::Sign(args.pin.read(common::SIGN_PIN, SignPin::new)?),
        KeyKind::Auth => Pin::Auth(args.pin.read(common::AUTH_PIN, AuthPin::new)?),
        other => return Err(format!("no PIN flow for the {other:?} key").into()),
    };
    let mut card = common::open(&args.card)?;
    let mut jpki = card.jpki();
    match &pin {
        Pin::Sign(pin) => jpki.verify_pin_with(pin, args.pin.last_try()),
        Pin::Auth(pin) => jpki.verify_pin_with(pin, args.pin.last_try()),
    }
    .map_err(common::explain)?;
    let signer = jpki.signer(args.key).map_err(common::explain)?;
    let request = RequestBuilder::new(subject, &signer)?.build()?;
    let pem = pem_rfc7468::encode_string(
        "CERTIFICATE REQUEST",
        pem_rfc7468::LineEnding::LF,
        &request.to_der()?,
    )?;
    drop(signer);
    // Ends the session; a verified one by unpowering the card.
    card.close().map_err(common::explain)?;
    match &args.out {
        Some(path) => {
            common::write_file(path, pem)?;
            eprintln!("wrote the request to {}", path.display());
        }
        None => print!("{pem}"),
    }
    Ok(())
}
