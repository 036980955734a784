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
    /// Which key: sign (default) or auth.
    #[arg(long, default_value = "sign")]
    key: String,
    /// Subject of the request, RFC 4514.
    #[arg(long, default_value = "CN=mynumbercard example,O=Example,C=JP")]
    subject: String,
    /// Where to write the PEM request (stdout if absent).
    #[arg(long)]
    out: Option<std::path::PathBuf>,
    /// Read the PIN as one line from stdin.
    #[arg(long)]
    pin_stdin: bool,
    #[command(flatten)]
    card: common::CardArgs,
}

fn main() -> std::process::ExitCode {
    common::main(run)
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = Args::parse();
    let mut card = common::open(&args.card)?;
    let mut jpki = card.jpki();
    let key = match args.key.as_str() {
        "sign" => {
            let pin = common::read_pin("signature PIN: ", args.pin_stdin)?;
            jpki.verify_pin(&SignPin::new(&pin)?)
                .map_err(|e| common::explain(&e))?;
            KeyKind::Sign
        }
        "auth" => {
            let pin = common::read_pin("PIN (4 digits): ", args.pin_stdin)?;
            jpki.verify_pin(&AuthPin::new(&pin)?)
                .map_err(|e| common::explain(&e))?;
            KeyKind::Auth
        }
        other => return Err(format!("unknown key {other:?}: expected sign or auth").into()),
    };
    let signer = jpki.signer(key).map_err(|e| common::explain(&e))?;
    let request = RequestBuilder::new(Name::from_str(&args.subject)?, &signer)?.build()?;
    let pem = pem_rfc7468::encode_string(
        "CERTIFICATE REQUEST",
        pem_rfc7468::LineEnding::LF,
        &request.to_der()?,
    )?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, pem)?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{pem}"),
    }
    Ok(())
}
