//! Prints how many tries each JPKI PIN has left, without spending any.
//!
//! ```text
//! cargo run --example pin_status -- --virtual
//! ```

mod common;

use clap::Parser;
use mynumbercard::{PinKind, PinStatus};

/// Print the tries left of the JPKI PINs.
#[derive(Parser)]
struct Args {
    #[command(flatten)]
    card: common::CardArgs,
}

fn main() -> std::process::ExitCode {
    common::main(run)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let mut card = common::open(&args.card)?;
    let mut jpki = card.jpki();
    for (kind, name) in [
        (PinKind::Auth, "user-authentication PIN (4 digits)"),
        (PinKind::Sign, "signature PIN (6-16 characters)"),
    ] {
        let status = jpki.pin_status(kind).map_err(|e| common::explain(&e))?;
        let text = match status {
            PinStatus::Remaining(n) => format!("{n} of {} tries left", kind.max_tries()),
            PinStatus::Blocked => "blocked".to_owned(),
            PinStatus::Verified => "verified".to_owned(),
            PinStatus::NotReported => "tries not reported by the card".to_owned(),
            other => format!("{other:?}"),
        };
        println!("{name}: {text}");
    }
    Ok(())
}
