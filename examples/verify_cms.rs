//! Checks a detached CMS signature (`.p7s`) over a file: the document's digest, the
//! signature with the signer's certificate, that the certificate is a signature certificate
//! (署名用電子証明書; a signature by the user-authentication key is refused), and its chain to
//! the J-LIS roots now. Feature `cms`.
//!
//! A self-check, not a verification service: relying on JPKI signatures as a business
//! (署名検証者) needs certification under the Act on Certification Services of J-LIS
//! (公的個人認証法), and revocation is not checked.
//!
//! ```text
//! cargo run --features cms --example verify_cms -- hello.txt hello.txt.p7s
//! cargo run --features cms --example verify_cms -- --accept-test-roots document.pdf document.pdf.p7s
//! cargo run --features cms --example verify_cms -- --trust-virtual-card hello.txt hello.txt.p7s
//! ```

mod common;

use std::error::Error;
use std::path::PathBuf;
use std::time::SystemTime;

use clap::Parser;
use mynumbercard::cms;
use mynumbercard::trust::{AnchorOrigin, TrustAnchors};
use mynumbercard::virtual_card::fixtures;
use mynumbercard::HashAlgorithm;

/// Check a detached CMS signature over a file against the J-LIS roots.
#[derive(Parser)]
struct Args {
    /// The signed file.
    file: PathBuf,
    /// Its detached signature (DER, or PEM `-----BEGIN CMS-----` / `PKCS7`).
    signature: PathBuf,
    /// Also trust the J-LIS test roots (O=JPKI-TEST), for signatures made with test cards.
    #[arg(long)]
    accept_test_roots: bool,
    /// Also trust the virtual card's signature CAs (RSA and P-384): test keys, for
    /// signatures made with `sign_cms --virtual`.
    #[arg(long)]
    trust_virtual_card: bool,
    /// Also trust this root certificate (DER or PEM); repeatable.
    #[arg(long, value_name = "FILE")]
    root: Vec<PathBuf>,
}

fn main() -> std::process::ExitCode {
    common::main(run)
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = Args::parse();
    let document = common::read_file(&args.file)?;
    let signature = der_or_pem(&args.signature, &["CMS", "PKCS7"])?;
    let mut anchors = if args.accept_test_roots {
        TrustAnchors::jlis_with_test_roots()
    } else {
        TrustAnchors::jlis()
    };
    if args.trust_virtual_card {
        for root in [fixtures::SIGN_CA_CERT, fixtures::p384::SIGN_CA_CERT] {
            anchors = anchors.with_root(root)?;
        }
    }
    for path in &args.root {
        let der = der_or_pem(path, &["CERTIFICATE"])?;
        anchors = anchors.with_root(&der).map_err(|e| {
            common::Context::new(format!("{} is not a usable root", path.display()), e)
        })?;
    }
    let verified = cms::verify_detached(&signature, &document, &anchors, SystemTime::now())
        .map_err(|e| {
            common::Context::new(
                format!(
                    "the signature {} does NOT verify over {}",
                    args.signature.display(),
                    args.file.display()
                ),
                e,
            )
        })?;
    println!(
        "signature verifies over {} (a self-check, not a certified verification under \
         公的個人認証法; revocation not checked)",
        args.file.display()
    );
    let signer = &verified.signer;
    if let Some(name) = signer.attributes().and_then(|a| a.name()) {
        common::field("signer", name);
    }
    common::field(
        "certificate",
        format!("signature (署名用), serial {}", signer.serial_hex()),
    );
    common::field("key", verified.key_algorithm);
    let digest = match verified.digest_algorithm {
        HashAlgorithm::Sha256 => "SHA-256".to_owned(),
        HashAlgorithm::Sha384 => "SHA-384".to_owned(),
        HashAlgorithm::Sha512 => "SHA-512".to_owned(),
        other => format!("{other:?}"),
    };
    common::field("digest", digest);
    let time = verified
        .signing_time
        .and_then(|t| der::DateTime::from_system_time(t).ok())
        .map_or_else(
            || "not given".to_owned(),
            |t| format!("{t} (the signer's clock)"),
        );
    common::field("signing time", time);
    let root = match (
        verified.trusted.root_origin,
        verified.trusted.root_generation,
    ) {
        (AnchorOrigin::Jlis, Some(g)) => format!("J-LIS signature CA, {g} generation"),
        (AnchorOrigin::JlisTest, Some(g)) => format!("J-LIS TEST signature CA, {g}"),
        _ => "a root you added (not J-LIS)".to_owned(),
    };
    common::field("root", root);
    common::field(
        "binding",
        if verified.signing_certificate_bound {
            "ESS signing-certificate-v2 matches the certificate"
        } else {
            "no signing-certificate attribute"
        },
    );
    Ok(())
}

/// A DER file, or PEM with one of `labels`.
fn der_or_pem(path: &std::path::Path, labels: &[&str]) -> Result<Vec<u8>, Box<dyn Error>> {
    let bytes = common::read_file(path)?;
    if !bytes.trim_ascii_start().starts_with(b"-----BEGIN") {
        return Ok(bytes);
    }
    let shown = path.display();
    let (label, der) = pem_rfc7468::decode_vec(bytes.trim_ascii())
        .map_err(|e| format!("{shown} is not a valid PEM file: {e}"))?;
    if !labels.contains(&label) {
        return Err(format!("{shown} holds a PEM {label}, not {}", labels.join(" or ")).into());
    }
    Ok(der)
}
