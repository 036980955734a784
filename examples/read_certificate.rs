//! Reads a JPKI certificate (or a certificate file) and prints what it says: subject, issuer,
//! serial, validity, key, the holder's attributes, and whether it chains to a J-LIS root.
//!
//! ```text
//! cargo run --example read_certificate -- --virtual auth
//! cargo run --example read_certificate -- --virtual sign --pin-stdin --out sign.der <<< ABC123
//! cargo run --example read_certificate -- --file sign.der
//! ```

mod common;

use std::error::Error;
use std::fmt::Write as _;
use std::time::SystemTime;

use clap::Parser;
use mynumbercard::certificate::{JpkiCertificate, PublicKey};
use mynumbercard::trust::TrustAnchors;
use mynumbercard::{CertificateKind, SignPin};

/// Read a JPKI certificate: auth, sign, auth-ca or sign-ca (or view a file with --file).
#[derive(Parser)]
struct Args {
    /// Which certificate: auth, sign, auth-ca, sign-ca.
    #[arg(required_unless_present = "file")]
    which: Option<CertificateKind>,
    /// View a DER certificate file instead of reading a card.
    #[arg(long, conflicts_with = "which")]
    file: Option<std::path::PathBuf>,
    /// Write the certificate's DER to this file.
    #[arg(long)]
    out: Option<std::path::PathBuf>,
    /// Read the signature PIN (needed for `sign`) as one line from stdin.
    #[arg(long)]
    pin_stdin: bool,
    /// Trust the J-LIS test roots too (for J-LIS test cards).
    #[arg(long)]
    accept_test_roots: bool,
    #[command(flatten)]
    card: common::CardArgs,
}

fn main() -> std::process::ExitCode {
    common::main(run)
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = Args::parse();
    let der = match (&args.file, args.which) {
        (Some(path), _) => std::fs::read(path)?,
        (None, Some(which)) => read_from_card(&args, which)?,
        (None, None) => return Err("name a certificate or --file".into()),
    };
    if let Some(path) = &args.out {
        std::fs::write(path, &der)?;
        eprintln!("wrote {} bytes to {}", der.len(), path.display());
    }
    let anchors = if args.accept_test_roots {
        TrustAnchors::jlis_with_test_roots()
    } else {
        TrustAnchors::jlis()
    };
    print!("{}", describe(&JpkiCertificate::from_der(&der)?, &anchors)?);
    Ok(())
}

fn read_from_card(args: &Args, which: CertificateKind) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut card = common::open(&args.card)?;
    let mut jpki = card.jpki();
    if which == CertificateKind::Sign {
        let pin = common::read_pin("signature PIN: ", args.pin_stdin)?;
        jpki.verify_pin(&SignPin::new(&pin)?)
            .map_err(|e| common::explain(&e))?;
    }
    Ok(jpki
        .read_certificate_der(which)
        .map_err(|e| common::explain(&e))?)
}

/// Everything the certificate view says, and the chain verdict on one line.
fn describe(cert: &JpkiCertificate, anchors: &TrustAnchors) -> Result<String, Box<dyn Error>> {
    let tbs = &cert.certificate().tbs_certificate;
    let mut out = String::new();
    let kind = match cert.kind() {
        Some(CertificateKind::Auth) => "user authentication (利用者証明用)",
        Some(CertificateKind::Sign) => "digital signature (署名用)",
        Some(CertificateKind::AuthCa) => "user-authentication CA",
        Some(CertificateKind::SignCa) => "signature CA",
        Some(_) => "another JPKI certificate",
        None => "not a JPKI certificate",
    };
    writeln!(out, "kind:       {kind}")?;
    writeln!(out, "subject:    {}", tbs.subject)?;
    writeln!(out, "issuer:     {}", tbs.issuer)?;
    writeln!(out, "serial:     {}", cert.serial_hex())?;
    writeln!(out, "valid from: {}", tbs.validity.not_before)?;
    writeln!(out, "valid to:   {}", tbs.validity.not_after)?;
    let key = match cert.key() {
        PublicKey::Rsa { bits } => format!("RSA-{bits}"),
        PublicKey::EcP256 => "ECDSA P-256".to_owned(),
        PublicKey::EcP384 => "ECDSA P-384".to_owned(),
        other => format!("{other:?}"),
    };
    writeln!(out, "key:        {key}")?;
    if let Some(generation) = mynumbercard::trust::root_generation(cert) {
        writeln!(out, "root:       {generation} generation")?;
    }
    writeln!(out, "DER length: {} bytes", cert.der().len())?;
    if let Some(attributes) = cert.attributes().filter(|a| !a.is_empty()) {
        let show = |v: Option<String>| v.unwrap_or_else(|| "(absent)".to_owned());
        writeln!(out, "name:       {}", show(attributes.name.clone()))?;
        writeln!(
            out,
            "sex:        {}",
            show(attributes.sex.as_ref().map(|s| format!("{s:?}")))
        )?;
        let birth = attributes
            .birth_date
            .map(|b| match (b.era().name_ja(), b.era_year()) {
                (Some(era), Some(year)) => format!("{} ({era}{year}年)", b.date()),
                _ => b.date().to_string(),
            });
        writeln!(out, "born:       {}", show(birth))?;
        writeln!(out, "address:    {}", show(attributes.address.clone()))?;
        for (label, flags) in [
            ("name", &attributes.name_substitutes),
            ("address", &attributes.address_substitutes),
        ] {
            if let Some(flags) = flags.as_ref().filter(|f| f.any()) {
                writeln!(
                    out,
                    "substitute characters in the {label} at {:?}",
                    flags.positions()
                )?;
            }
        }
    }
    let verdict = if cert.is_ca() {
        anchors.check_ca_certificate(cert).map(|_| ())
    } else {
        anchors.verify(cert, SystemTime::now()).map(|_| ())
    };
    match verdict {
        Ok(()) => writeln!(out, "chain:      trusted")?,
        Err(reason) => writeln!(out, "chain:      untrusted: {reason}")?,
    }
    Ok(out)
}
