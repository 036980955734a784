//! Reads a JPKI certificate and prints what it says.
//!
//! ```text
//! cargo run --example read_certificate -- --virtual auth
//! cargo run --example read_certificate -- --virtual sign --pin-stdin --out sign.der <<< ABC123
//! ```

mod common;

use std::error::Error;

use clap::Parser;
use der::Encode;
use mynumbercard::{CertificateKind, SignPin};
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use x509_cert::Certificate;

/// Read a JPKI certificate: auth, sign, auth-ca or sign-ca.
#[derive(Parser)]
struct Args {
    /// Which certificate: auth, sign, auth-ca, sign-ca.
    which: CertificateKind,
    /// Write the certificate's DER to this file.
    #[arg(long)]
    out: Option<std::path::PathBuf>,
    /// Read the signature PIN (needed for `sign`) as one line from stdin.
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
    if args.which == CertificateKind::Sign {
        let pin = common::read_pin("signature PIN: ", args.pin_stdin)?;
        let pin = SignPin::new(&pin)?;
        jpki.verify_pin(&pin).map_err(|e| common::explain(&e))?;
    }
    let der = jpki
        .read_certificate_der(args.which)
        .map_err(|e| common::explain(&e))?;
    if let Some(path) = &args.out {
        std::fs::write(path, &der)?;
        eprintln!("wrote {} bytes to {}", der.len(), path.display());
    }
    print!("{}", describe(&der)?);
    Ok(())
}

/// Subject, issuer, serial, validity and key of a certificate.
fn describe(der: &[u8]) -> Result<String, Box<dyn Error>> {
    use der::Decode;
    let cert = Certificate::from_der(der)?;
    let tbs = &cert.tbs_certificate;
    let spki = tbs.subject_public_key_info.to_der()?;
    let key = match rsa::RsaPublicKey::from_public_key_der(&spki) {
        Ok(key) => format!("RSA-{}", key.n().bits()),
        Err(_) => format!("{} (not RSA)", tbs.subject_public_key_info.algorithm.oid),
    };
    Ok(format!(
        "subject:    {}\nissuer:     {}\nserial:     {}\nvalid from: {}\nvalid to:   {}\nkey:        {}\nDER length: {} bytes\n",
        tbs.subject,
        tbs.issuer,
        hex::encode_upper(tbs.serial_number.as_bytes()),
        tbs.validity.not_before,
        tbs.validity.not_after,
        key,
        der.len()
    ))
}
