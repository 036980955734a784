//! The clinics' eligibility check (資格確認限定型): prints what an eligibility service would
//! receive from the card.
//!
//! ```text
//! cargo run --example eligibility_check -- --virtual --mode visual --access-code-b 02010120351234 --photo-out face.jp2
//! cargo run --example eligibility_check -- --virtual --mode pin --pin-stdin <<< 1234
//! cargo run --example eligibility_check -- --virtual --mode pin --challenge 000102030405060708090a0b0c0d0e0f --pin-stdin <<< 1234
//! ```
//!
//! PIN mode signs a challenge (`--challenge`, or 32 random bytes) with the authentication key;
//! visual mode reads the face photo for the staff to compare, with access code B.

mod common;

use std::error::Error;

use clap::{Parser, ValueEnum};
use mynumbercard::access_code::AccessCodeB;
use mynumbercard::eligibility::{Confirmation, Confirmed};
use mynumbercard::AuthPin;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// The shortest challenge accepted: 16 bytes cannot be guessed by the one who signs.
const MIN_CHALLENGE: usize = 16;
/// The longest challenge accepted (it is hashed on the host, so any length would do).
const MAX_CHALLENGE: usize = 1024;

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
    /// PIN mode: the challenge to sign, 16 to 1024 bytes in hex (default: 32 random bytes).
    #[arg(long, value_name = "HEX", value_parser = parse_challenge)]
    challenge: Option<Challenge>,
    /// Visual mode: access code B (14 digits: era birth date YYMMDD, expiry year, security
    /// code), to read the face photo and the card-face attributes.
    #[arg(long, value_name = "CODE", value_parser = parse_access_code_b)]
    access_code_b: Option<AccessCodeB>,
    /// Visual mode: write the face photo (JPEG 2000, JP2) to this file.
    #[arg(long, value_name = "FILE", requires = "access_code_b")]
    photo_out: Option<std::path::PathBuf>,
    /// PIN mode: the user-authentication PIN.
    #[command(flatten)]
    pin: common::PinArgs,
    #[command(flatten)]
    card: common::CardArgs,
}

/// The bytes of `--challenge`.
#[derive(Clone)]
struct Challenge(Vec<u8>);

/// Hex (spaces and colons allowed between bytes), 16 to 1024 bytes.
fn parse_challenge(text: &str) -> Result<Challenge, String> {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect();
    let bytes = hex::decode(&clean).map_err(|e| format!("not hex: {e}"))?;
    if !(MIN_CHALLENGE..=MAX_CHALLENGE).contains(&bytes.len()) {
        return Err(format!(
            "{} bytes: a challenge has {MIN_CHALLENGE} to {MAX_CHALLENGE} bytes \
             ({} to {} hex digits)",
            bytes.len(),
            2 * MIN_CHALLENGE,
            2 * MAX_CHALLENGE
        ));
    }
    Ok(Challenge(bytes))
}

/// Checked before anything is sent: a code that cannot be right (month 13) would cost a try.
fn parse_access_code_b(text: &str) -> Result<AccessCodeB, String> {
    AccessCodeB::new(text).map_err(|e| e.to_string())
}

fn main() -> std::process::ExitCode {
    common::main(run)
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = Args::parse();
    match args.mode {
        Mode::Pin if args.access_code_b.is_some() => {
            return Err("--access-code-b is for --mode visual".into())
        }
        Mode::Visual if args.challenge.is_some() => {
            return Err("--challenge is for --mode pin".into())
        }
        _ => {}
    }
    let challenge = match &args.challenge {
        Some(Challenge(bytes)) => bytes.clone(),
        None => {
            let mut bytes = vec![0; 32];
            OsRng.fill_bytes(&mut bytes);
            bytes
        }
    };
    // The PIN is read and checked before the card is touched.
    let pin = match args.mode {
        Mode::Pin => Some(args.pin.read(common::AUTH_PIN, AuthPin::new)?),
        Mode::Visual => None,
    };
    let confirmation = match &pin {
        Some(pin) => Confirmation::Pin {
            pin,
            challenge: &challenge,
            last_try: args.pin.last_try(),
        },
        None => Confirmation::Visual {
            access_code_b: args.access_code_b.as_ref(),
        },
    };

    let mut card = common::open(&args.card)?;
    let evidence = card
        .eligibility_check(confirmation)
        .map_err(common::explain)?;
    let apdus = card.stats().commands;
    // Ends the session; a verified one by unpowering the card.
    card.close().map_err(common::explain)?;

    let cert = &evidence.certificate;
    let tbs = &cert.certificate().tbs_certificate;
    println!("user-authentication certificate:");
    common::field("  subject", &tbs.subject);
    common::field("  issuer", &tbs.issuer);
    common::field("  serial", cert.serial_hex());
    common::field(
        "  DER length",
        format!("{} bytes", evidence.certificate_der().len()),
    );
    common::field(
        "  sha-256",
        hex::encode(Sha256::digest(evidence.certificate_der())),
    );
    match &evidence.confirmed {
        Confirmed::Pin { signature } => {
            common::field("confirmed by", "the user-authentication PIN");
            common::field("challenge", hex::encode(&challenge));
            common::field("signature", hex::encode(signature));
            eprintln!(
                "(RSA PKCS#1 v1.5 with SHA-256 over the challenge, checked against the \
                 certificate)"
            );
        }
        Confirmed::Visual { card_face } => {
            common::field("confirmed by", "staff comparing the face photo (no PIN)");
            match card_face {
                None => common::field("card face", "not read (no --access-code-b)"),
                Some(face) => {
                    common::field("birth date", face.birth_date);
                    common::field("sex", common::sex(&face.sex));
                    common::field("card expiry", face.expiry);
                    common::field(
                        "face photo",
                        format!("{} bytes, JPEG 2000 (JP2)", face.face_photo.len()),
                    );
                    common::field(
                        "images",
                        format!(
                            "name {} bytes, address {} bytes (PNG)",
                            face.name_image.len(),
                            face.address_image.len()
                        ),
                    );
                    if let Some(path) = &args.photo_out {
                        common::write_file(path, &face.face_photo)?;
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
