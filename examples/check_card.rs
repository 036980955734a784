//! Checks that a card is genuine: its card-verifiable certificate against the J-LIS CA keys,
//! a signed record against the key that certificate certifies, and a fresh challenge against
//! the card key inside that record. Prints the age-verification record (or the card face), the
//! CV chain, each record's verdict and the challenge's, and whether the card is proven
//! genuine.
//!
//! ```text
//! cargo run --example check_card -- --virtual --birth-date 1990-01-01
//! cargo run --example check_card -- --virtual --birth-date 1990-01-01 --accept-test-keys
//! cargo run --example check_card -- --virtual --access-code-b 02010120351234 --accept-test-keys
//! cargo run --example check_card -- --virtual --access-code-b 02010120351234 --accept-test-keys --photo-replaced
//! cargo run --example check_card -- --virtual --birth-date 1990-01-01 --accept-test-keys --clone
//! cargo run --example check_card --features pcsc -- --birth-date 1980-02-17 --master-file
//! ```
//!
//! The birth date opens only the age-verification record (the birth-date key, era `YYMMDD`):
//! the card tells nothing else. Access code B opens the card face, photo included. Without
//! `--accept-test-keys` only J-LIS production keys count, so a J-LIS test card, and the
//! virtual card, are not proven genuine. The check is a self-check, not J-LIS's.

mod common;

use std::error::Error;
use std::process::ExitCode;

use clap::Parser;
use mynumbercard::access_code::{AccessCodeB, BirthDateKey};
use mynumbercard::calendar::CalendarDate;
use mynumbercard::card_verifiable::{CvTrust, NotProven};
use mynumbercard::genuine::{GenuineCheck, Genuineness, Opener};
use mynumbercard::{LastTry, VirtualCard};

/// Check whether a My Number Card is genuine, with the birth date or access code B.
#[derive(Parser)]
struct Args {
    /// The holder's birth date, YYYY-MM-DD: opens the age-verification record only.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_birth_date,
          required_unless_present = "access_code_b", conflicts_with = "access_code_b")]
    birth_date: Option<BirthDateKey>,
    /// Access code B (14 digits: era birth date YYMMDD, expiry year, security code): opens
    /// the card face, photo included.
    #[arg(long, value_name = "CODE", value_parser = parse_access_code_b)]
    access_code_b: Option<AccessCodeB>,
    /// Count the CA keys of test hierarchies too (J-LIS test cards; with --virtual, the
    /// virtual card's own test CA).
    #[arg(long)]
    accept_test_keys: bool,
    /// Also read and check the master file's chain (GET DATA 00F8/7F21; needs a reader that
    /// carries extended APDUs).
    #[arg(long)]
    master_file: bool,
    /// Age to check the holder against, today in Japan.
    #[arg(long, value_name = "YEARS", default_value_t = 18)]
    min_age: u16,
    /// With --virtual: a card whose face photo was changed after it was signed.
    #[arg(long, requires = "virtual_card")]
    photo_replaced: bool,
    /// With --virtual: a clone (the genuine records, another card key).
    #[arg(long, requires = "virtual_card")]
    clone: bool,
    /// Send the birth date or access code B even when only one try is left.
    #[arg(long)]
    allow_last_try: bool,
    #[command(flatten)]
    card: common::CardArgs,
}

/// `YYYY-MM-DD`, turned into the birth-date key before anything is sent.
fn parse_birth_date(text: &str) -> Result<BirthDateKey, String> {
    let date = parse_date(text).ok_or_else(|| format!("{text:?} is not a date YYYY-MM-DD"))?;
    BirthDateKey::from_date(date).map_err(|e| e.to_string())
}

fn parse_date(text: &str) -> Option<CalendarDate> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    CalendarDate::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Checked before anything is sent: a code that cannot be right would cost a try.
fn parse_access_code_b(text: &str) -> Result<AccessCodeB, String> {
    AccessCodeB::new(text).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(2),
        Err(e) => {
            eprintln!("{}", common::report(&*e));
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<bool, Box<dyn Error>> {
    let args = Args::parse();
    let mut trust = if args.accept_test_keys {
        CvTrust::jlis_with_test_keys()
    } else {
        CvTrust::jlis()
    };
    if args.card.virtual_card {
        // The virtual card's CA is of a test hierarchy: it counts only with --accept-test-keys.
        trust = VirtualCard::cv_ca_keys()
            .into_iter()
            .fold(trust, CvTrust::with_key);
    }
    let opener = match (&args.birth_date, &args.access_code_b) {
        (Some(key), _) => Opener::BirthDate(key),
        (None, Some(code)) => Opener::AccessCodeB(code),
        (None, None) => return Err("give --birth-date or --access-code-b".into()),
    };
    let mut check = GenuineCheck::new(opener, &trust);
    if args.master_file {
        check = check.with_master_file_chain();
    }
    if args.allow_last_try {
        check = check.with_last_try(LastTry::Allow);
    }

    let mut card = if args.card.virtual_card && (args.photo_replaced || args.clone) {
        let mut builder = VirtualCard::builder();
        if args.photo_replaced {
            builder = builder.photo_replaced_after_signing();
        }
        if args.clone {
            builder = builder.cloned();
        }
        let mut card = mynumbercard::Card::new(Box::new(builder.build()) as common::AnyTransport);
        if args.card.trace {
            card.set_tracer(|line| eprintln!("{line}"));
        }
        card
    } else {
        common::open(&args.card)?
    };
    let verdict = card.check_genuine(&check).map_err(common::explain)?;
    let apdus = card.stats().commands;
    // Ends the session; a verified code is cleared by unpowering the card.
    card.close().map_err(common::explain)?;

    print_records(&verdict, args.min_age);
    print_chain(&verdict);
    print_verdicts(&verdict);
    eprintln!("{apdus} APDUs");
    let genuine = verdict.is_genuine();
    match verdict.first_failure() {
        None => println!(
            "proven genuine: yes{}",
            if verdict.hierarchy() == Some(mynumbercard::card_verifiable::Hierarchy::Test) {
                " (a test card; test keys accepted)"
            } else {
                ""
            }
        ),
        Some(why) => println!("proven genuine: no ({why})"),
    }
    eprintln!("(a self-check with the CA keys this library carries, not a verification by J-LIS)");
    Ok(genuine)
}

fn print_records(verdict: &Genuineness, min_age: u16) {
    if let Some(age) = &verdict.age_record {
        println!("age-verification record (card-face EF 0001):");
        let era = age
            .birth_date
            .era_year()
            .and_then(|(era, year)| Some(format!(" ({}{year}年)", era.name_ja()?)))
            .unwrap_or_default();
        common::field("  birth date", format!("{}{era}", age.birth_date));
        match CalendarDate::today_in_japan() {
            Some(today) => {
                if let Some(years) = age.age_on(today) {
                    common::field(
                        "  age today",
                        format!("{years} (as Japanese law counts it)"),
                    );
                }
                common::field(
                    &format!("  {min_age} or over"),
                    if age.is_at_least(min_age, today) {
                        "yes"
                    } else {
                        "no"
                    },
                );
            }
            None => common::field("  age today", "(no date from the system clock)"),
        }
    }
    if let Some(face) = &verdict.card_face {
        println!("card face (card-face EF 0002):");
        common::field("  birth date", face.birth_date);
        common::field("  sex", common::sex(&face.sex));
        common::field(
            "  face photo",
            format!("{} bytes, JPEG 2000 (JP2)", face.face_photo.len()),
        );
        common::field(
            "  card expiry",
            format!("{} (not covered by the signature)", face.expiry),
        );
        common::field("  code image", "not covered by the signature");
    }
}

fn print_chain(verdict: &Genuineness) {
    let cert = &verdict.cv_certificate;
    println!("CV chain (card-face EF 0004):");
    common::field("  CA key", cert.issuer_key_id());
    common::field("  certified", cert.subject_key_id());
    match &verdict.certificate {
        Ok(key) => common::field(
            "  verdict",
            format!("proven ({} hierarchy)", key.hierarchy()),
        ),
        Err(why) => common::field("  verdict", format!("not proven: {why}")),
    }
    if let Some(master_file) = &verdict.master_file {
        match master_file {
            Ok(key) => common::field(
                "  master file",
                format!("proven: CA key {} ({})", key.ca_key_id(), key.hierarchy()),
            ),
            Err(why) => common::field("  master file", why),
        }
    }
}

fn print_verdicts(verdict: &Genuineness) {
    let record = match (&verdict.record, &verdict.certificate) {
        (Ok(record), Ok(_)) => format!("proven: the {record} is as signed"),
        (Ok(record), Err(_)) => format!(
            "consistent only: the {record} verifies with a key that is not proven certified"
        ),
        (Err(why), _) => format!("not proven: {why}"),
    };
    common::field("record", record);
    let challenge = match (&verdict.challenge, &verdict.record) {
        (Ok(()), Ok(_)) => "proven: signed with the card key its record carries".to_owned(),
        (Ok(()), Err(_)) => "consistent only: the record is not proven".to_owned(),
        (Err(NotProven::WrongChallengeAnswer), _) => {
            "not proven: answered by another key than the record's (a clone?)".to_owned()
        }
        (Err(why), _) => format!("not proven: {why}"),
    };
    common::field(
        "challenge",
        format!("{} bytes; {challenge}", verdict.challenge_bytes.len()),
    );
}
