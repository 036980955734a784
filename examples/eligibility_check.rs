//! The clinics' eligibility check (資格確認限定型): prints what an eligibility service would
//! receive from the card.
//!
//! ```text
//! cargo run --example eligibility_check -- --virtual --mode visual --access-code-b 02010120351234 --photo-out face.jp2
//! cargo run --example eligibility_check -- --virtual --mode pin --pin-stdin <<< 1234
//! ```
//!
//! PIN mode signs a challenge (`--challenge`, or 32 random bytes) with the authentication key;
//! visual mode reads the face photo for the staff to compare, with access code B.

mod common;

use std::error::Error;

use clap::{Parser, ValueEnum};
use mynumbercard::access_code::AccessCodeB;
use mynumbercard::eligibility::{Confirmation, Confirmed};
use mynumbercard::{AuthPin, LastTry};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// The 4-digit PIN; the card signs the challenge.
    Pin,
    /// Staff compare the face photo with the person; no PIN.
    Visual,
}

/// Run the eligibility check and print what the eligibility service receives.
#[derive(Parser)]
struct Args {
    /// How the holder is confirmed.
    #[arg(long, value_enum)]
    mode: Mode,
    /// PIN mode: read the 4-digit PIN as one line from stdin (default: a no-echo prompt).
    #[arg(long)]
    pin_stdin: bool,
    /// PIN mode: the challenge to sign, in hex (default: 32 random bytes).
    #[arg(long, value_name = "HEX")]
    challenge: Option<String>,
    /// Visual mode: access code B (14 digits: era birth date YYMMDD, expiry year, security
    /// code), to read the face photo and the card-face attributes.
    #[arg(long, value_name = "CODE")]
    access_code_b: Option<String>,
    /// Visual mode: write the face photo (JPEG 2000, JP2) to this file.
    #[arg(long, value_name = "FILE", requires = "access_code_b")]
    photo_out: Option<std::path::PathBuf>,
    #[command(flatten)]
    card: common::CardArgs,
}

fn main() -> std::process::ExitCode {
    common::main(run)
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = Args::parse();
    let explain = |e: mynumbercard::Error| common::explain(&e);
    let access_code_b = args
        .access_code_b
        .as_deref()
        .map(AccessCodeB::new)
        .transpose()?;
    if args.mode == Mode::Pin && access_code_b.is_some() {
        return Err("--access-code-b is for --mode visual".into());
    }
    let challenge = match &args.challenge {
        Some(hex_text) => hex::decode(hex_text)?,
        None => {
            let mut bytes = vec![0; 32];
            OsRng.fill_bytes(&mut bytes);
            bytes
        }
    };
    let pin = match args.mode {
        Mode::Pin => Some(AuthPin::new(&common::read_pin(
            "PIN (4 digits): ",
            args.pin_stdin,
        )?)?),
        Mode::Visual => None,
    };
    let confirmation = match &pin {
        Some(pin) => Confirmation::Pin {
            pin,
            challenge: &challenge,
            last_try: LastTry::Refuse,
        },
        None => Confirmation::Visual {
            access_code_b: access_code_b.as_ref(),
        },
    };

    let mut card = common::open(&args.card)?;
    let evidence = card.eligibility_check(confirmation).map_err(explain)?;
    let apdus = card.stats().commands;
    // Ends the session; a verified one by unpowering the card.
    card.close().map_err(explain)?;

    let cert = &evidence.certificate;
    println!(
        "auth certificate: {} bytes DER",
        evidence.certificate_der().len()
    );
    println!("  subject: {}", cert.certificate().tbs_certificate.subject);
    println!("  issuer:  {}", cert.certificate().tbs_certificate.issuer);
    println!("  serial:  {}", cert.serial_hex());
    println!(
        "  sha-256: {}",
        hex::encode(Sha256::digest(evidence.certificate_der()))
    );
    match &evidence.confirmed {
        Confirmed::Pin { signature } => {
            println!("confirmed by: PIN");
            println!("challenge: {}", hex::encode(&challenge));
            println!(
                "signature (RSA PKCS#1 v1.5, SHA-256 over the challenge; checked against the certificate): {}",
                hex::encode(signature)
            );
        }
        Confirmed::Visual { card_face } => {
            println!("confirmed by: staff comparing the face photo (no PIN)");
            match card_face {
                None => println!("card face: not read (no access code B)"),
                Some(face) => {
                    println!("birth date: {}", face.birth_date);
                    println!("sex: {:?}", face.sex);
                    println!("card expiry: {}", face.expiry);
                    println!(
                        "face photo: {} bytes, JPEG 2000 (JP2)",
                        face.face_photo.len()
                    );
                    println!(
                        "images: name {} bytes, address {} bytes (PNG)",
                        face.name_image.len(),
                        face.address_image.len()
                    );
                    if let Some(path) = &args.photo_out {
                        std::fs::write(path, &face.face_photo)?;
                        eprintln!("wrote the face photo to {}", path.display());
                    }
                }
            }
        }
        _ => {}
    }
    eprintln!("{apdus} APDUs");
    Ok(())
}
