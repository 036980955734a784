//! Prints how many tries each JPKI PIN has left, without spending any.
//!
//! ```text
//! cargo run --example pin_status -- --virtual
//! cargo run --example pin_status -- --virtual --tries-left 1
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
        (PinKind::Auth, common::AUTH_PIN),
        (PinKind::Sign, common::SIGN_PIN),
    ] {
        let status = jpki.pin_status(kind).map_err(common::explain)?;
        let text = match status {
            PinStatus::Remaining(1) => format!(
                "1 of {} tries left (a wrong PIN blocks it; the examples use the last try \
                 only with --allow-last-try)",
                kind.max_tries()
            ),
            PinStatus::Remaining(n) => format!("{n} of {} tries left", kind.max_tries()),
            PinStatus::Blocked => "blocked (reset it at the municipal office)".to_owned(),
            PinStatus::Verified => "verified".to_owned(),
            PinStatus::NotReported => "tries not reported by the card".to_owned(),
            other => format!("{other:?}"),
        };
        println!("{name}: {text}");
    }
    Ok(())
}
