//! Reads a JPKI certificate (or a certificate file) and prints what it says: subject, issuer,
//! serial, validity, key, the holder's attributes, and whether it chains to a J-LIS root.
//!
//! ```text
//! cargo run --example read_certificate -- --virtual auth
//! cargo run --example read_certificate -- --virtual sign --pin-stdin --out sign.der <<< ABC123
//! cargo run --example read_certificate -- --file sign.der
//! cargo run --example read_certificate -- --virtual auth --out auth.pem
//! cargo run --example read_certificate -- --file auth.pem
//! ```

mod common;

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use clap::Parser;
use mynumbercard::certificate::{Attribute, BirthDate, Era, JpkiCertificate, PublicKey};
use mynumbercard::trust::TrustAnchors;
use mynumbercard::{CertificateKind, SignPin};

/// Read a JPKI certificate: auth, sign, auth-ca or sign-ca (or view a file with --file).
#[derive(Parser)]
struct Args {
    /// Which certificate: auth, sign, auth-ca, sign-ca.
    #[arg(required_unless_present = "file")]
    which: Option<CertificateKind>,
    /// View a certificate file (DER or PEM) instead of reading a card.
    #[arg(long, value_name = "PATH", conflicts_with = "which")]
    file: Option<PathBuf>,
    /// Write the certificate to this file: PEM if it ends in .pem or .crt, DER otherwise.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Trust the J-LIS test roots too (for J-LIS test cards).
    #[arg(long)]
    accept_test_roots: bool,
    /// The signature PIN, needed for `sign`.
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
    let (der, cert) = match (&args.file, args.which) {
        (Some(path), _) => read_file(path)?,
        (None, Some(which)) => {
            let der = read_from_card(&args, which)?;
            let cert = JpkiCertificate::from_der(&der)?;
            (der, cert)
        }
        (None, None) => {
            return Err("name a certificate (auth, sign, auth-ca, sign-ca) or --file".into())
        }
    };
    if let Some(path) = &args.out {
        if common::is_pem_path(path) {
            let pem = pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &der)
                .map_err(|e| format!("cannot encode the certificate as PEM: {e}"))?;
            common::write_file(path, pem)?;
        } else {
            common::write_file(path, &der)?;
        }
        eprintln!(
            "wrote the certificate ({} bytes DER) to {}",
            der.len(),
            path.display()
        );
    }
    let anchors = if args.accept_test_roots {
        TrustAnchors::jlis_with_test_roots()
    } else {
        TrustAnchors::jlis()
    };
    print!("{}", describe(&cert, &anchors)?);
    if args.card.virtual_card {
        eprintln!(
            "(the virtual card's certificates chain to a test-only root, which no J-LIS root \
             vouches for)"
        );
    }
    Ok(())
}

/// A certificate file, PEM (`-----BEGIN CERTIFICATE-----`) or DER, and its view.
fn read_file(path: &Path) -> Result<(Vec<u8>, JpkiCertificate), Box<dyn Error>> {
    let bytes = common::read_file(path)?;
    let shown = path.display();
    let der = if bytes.trim_ascii_start().starts_with(b"-----BEGIN") {
        let (label, der) = pem_rfc7468::decode_vec(bytes.trim_ascii())
            .map_err(|e| format!("{shown} is not a valid PEM file: {e}"))?;
        if label != "CERTIFICATE" {
            return Err(format!("{shown} holds a PEM {label}, not a CERTIFICATE").into());
        }
        der
    } else {
        bytes
    };
    let cert = JpkiCertificate::from_der(&der).map_err(|e| {
        common::Context::new(
            format!("{shown} is not an X.509 certificate (DER or PEM)"),
            e,
        )
    })?;
    Ok((der, cert))
}

fn read_from_card(args: &Args, which: CertificateKind) -> Result<Vec<u8>, Box<dyn Error>> {
    // The PIN is read and checked before the card is touched.
    let pin = match which {
        CertificateKind::Sign => Some(args.pin.read(common::SIGN_PIN, SignPin::new)?),
        _ => None,
    };
    let mut card = common::open(&args.card)?;
    let mut jpki = card.jpki();
    if let Some(pin) = &pin {
        jpki.verify_pin_with(pin, args.pin.last_try())
            .map_err(common::explain)?;
    }
    let der = jpki.read_certificate_der(which).map_err(common::explain)?;
    // Ends the session; a verified one by unpowering the card.
    card.close().map_err(common::explain)?;
    Ok(der)
}

/// A personal-data field: its typed reading, or what is there when it does not parse.
fn show<T>(field: &Option<Attribute<T>>, typed: impl Fn(&T) -> String) -> String {
    match field {
        None => "(absent)".to_owned(),
        Some(a) => match (a.value(), a.text()) {
            (Some(value), _) => typed(value),
            (None, _) if a.is_repeated() => {
                "(unreadable: the certificate carries it twice)".to_owned()
            }
            (None, Some(text)) => format!("(unreadable: {text:?})"),
            (None, None) => format!("(unreadable: {} bytes, not a string)", a.der().len()),
        },
    }
}

/// Everything the certificate view says, and the chain verdict on one line.
fn describe(cert: &JpkiCertificate, anchors: &TrustAnchors) -> Result<String, Box<dyn Error>> {
    let tbs = &cert.certificate().tbs_certificate;
    let mut out = String::new();
    let mut line = |label: &str, value: &dyn std::fmt::Display| {
        writeln!(out, "{}", common::field_line(label, value))
    };
    let kind = match cert.kind() {
        Some(CertificateKind::Auth) => "user authentication (利用者証明用)",
        Some(CertificateKind::Sign) => "digital signature (署名用)",
        Some(CertificateKind::AuthCa) => "user-authentication CA",
        Some(CertificateKind::SignCa) => "signature CA",
        _ => "not a JPKI certificate",
    };
    line("kind", &kind)?;
    line("subject", &tbs.subject)?;
    line("issuer", &tbs.issuer)?;
    line("serial", &cert.serial_hex())?;
    line("valid from", &tbs.validity.not_before)?;
    line("valid to", &tbs.validity.not_after)?;
    let key = match cert.key() {
        PublicKey::Rsa { bits } => format!("RSA-{bits}"),
        PublicKey::EcP256 => "ECDSA P-256".to_owned(),
        PublicKey::EcP384 => "ECDSA P-384".to_owned(),
        other => format!("{other:?}"),
    };
    line("key", &key)?;
    if let Some(generation) = mynumbercard::trust::root_generation(cert) {
        line("root", &format!("{generation} generation"))?;
    }
    line("DER length", &format!("{} bytes", cert.der().len()))?;
    if let Some(attributes) = cert.attributes().filter(|a| !a.is_empty()) {
        let born = |b: &BirthDate| match (b.era(), b.era().name_ja(), b.era_year()) {
            (_, Some(era), Some(year)) => format!("{} ({era}{year}年)", b.date()),
            (Era::Unnamed(digit), _, _) => {
                format!("{} (era {digit}, not named in this version)", b.date())
            }
            _ => b.date().to_string(),
        };
        line("name", &show(&attributes.name, String::clone))?;
        line("address", &show(&attributes.address, String::clone))?;
        line("birth date", &show(&attributes.birth_date, born))?;
        line("sex", &show(&attributes.sex, common::sex))?;
        for (label, flags) in [
            ("name", attributes.name_substitutes()),
            ("address", attributes.address_substitutes()),
        ] {
            if let Some(flags) = flags.filter(|f| f.any()) {
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
    let chain = match verdict {
        Ok(()) => "trusted".to_owned(),
        Err(reason) => format!("untrusted: {reason}"),
    };
    writeln!(out, "{}", common::field_line("chain", chain))?;
    Ok(out)
}
