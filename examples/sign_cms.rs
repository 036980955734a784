//! Signs a file with the signature key as a detached CMS signature (`.p7s`, RFC 5652, with
//! the CAdES-BES attributes): the signature PIN, the signature and its CA certificate read
//! and one COMPUTE DIGITAL SIGNATURE, in one transaction. Feature `cms`.
//!
//! ```text
//! echo hello > hello.txt
//! cargo run --features cms --example sign_cms -- --virtual hello.txt -o hello.txt.p7s --pin-stdin <<< ABC123
//! cargo run --features cms --example sign_cms -- --virtual --ecdsa-p384 hello.txt --pin-stdin <<< ABC123
//! cargo run --features cms --example sign_cms -- --virtual --tries-left 1 hello.txt --pin-stdin <<< ABC123
//! openssl cms -verify -binary -inform DER -in hello.txt.p7s -content hello.txt -CAfile sign_ca.pem
//! ```
//!
//! With a reader (build with `--features cms,pcsc`), leave out `--virtual`.

mod common;

use std::error::Error;
use std::path::PathBuf;
use std::time::SystemTime;

use clap::Parser;
use mynumbercard::certificate::JpkiCertificate;
use mynumbercard::{KeyAlgorithm, SignPin};

/// Sign a file with the signature key (署名用電子証明書) as a detached CMS signature.
#[derive(Parser)]
struct Args {
    /// The file to sign.
    file: PathBuf,
    /// Where to write the signature: DER, or PEM (`-----BEGIN CMS-----`) if it ends in .pem
    /// (default: FILE.p7s).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
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
    let document = common::read_file(&args.file)?;
    let output = args.output.clone().unwrap_or_else(|| {
        let mut name = args.file.clone().into_os_string();
        name.push(".p7s");
        PathBuf::from(name)
    });
    // The PIN is read and checked before the card is touched.
    let pin = args.pin.read(common::SIGN_PIN, SignPin::new)?;
    let mut card = common::open(&args.card)?;
    let signature = card
        .jpki()
        .sign_document(&pin, &document, SystemTime::now(), args.pin.last_try())
        .map_err(common::explain)?;
    // Ends the session; a verified one by unpowering the card.
    card.close().map_err(common::explain)?;
    if common::is_pem_path(&output) {
        let pem = pem_rfc7468::encode_string("CMS", pem_rfc7468::LineEnding::LF, &signature)
            .map_err(|e| format!("cannot encode the signature as PEM: {e}"))?;
        common::write_file(&output, pem)?;
    } else {
        common::write_file(&output, &signature)?;
    }
    let algorithm =
        signer_algorithm(&signature).map_or_else(|| "unknown key".to_owned(), |a| a.to_string());
    eprintln!(
        "signed {} ({} bytes) with the signature key ({algorithm}): {} ({} bytes)",
        args.file.display(),
        document.len(),
        output.display(),
        signature.len()
    );
    Ok(())
}

/// The algorithm of the signer's key: the first certificate of the signature's set (the
/// library puts the signer's there, then its CA's).
fn signer_algorithm(signature: &[u8]) -> Option<KeyAlgorithm> {
    use der::{Decode, Encode};
    let info = cms::content_info::ContentInfo::from_der(signature).ok()?;
    let signed: cms::signed_data::SignedData = info.content.decode_as().ok()?;
    let first = signed.certificates?.0.into_vec().into_iter().next()?;
    let der = first.to_der().ok()?;
    let view = JpkiCertificate::from_der(&der).ok()?;
    KeyAlgorithm::of_key(view.key()).ok()
}
