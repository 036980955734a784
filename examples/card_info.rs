//! Prints the basic four attributes (name, address, birth date, sex) and the my number from
//! the card-info input helper application (券面事項入力補助AP), checked against its integrity
//! record. The my number is masked unless `--show-number`.
//!
//! ```text
//! cargo run --example card_info -- --virtual --pin-stdin <<< 1234
//! cargo run --example card_info -- --virtual --tries-left 1 --allow-last-try --pin-stdin <<< 1234
//! ```

mod common;

use std::error::Error;

use clap::Parser;
use mynumbercard::access_code::CardInfoPin;

/// Print the basic four attributes and the my number.
#[derive(Parser)]
struct Args {
    /// The card-info PIN.
    #[command(flatten)]
    pin: common::PinArgs,
    /// Print the whole my number (it is personal data; masked by default).
    #[arg(long)]
    show_number: bool,
    #[command(flatten)]
    card: common::CardArgs,
}

fn main() -> std::process::ExitCode {
    common::main(run)
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = Args::parse();
    // The PIN is read and checked before the card is touched.
    let pin = args.pin.read(common::CARD_INFO_PIN, CardInfoPin::new)?;
    let last_try = args.pin.last_try();
    let mut card = common::open(&args.card)?;
    let data = card
        .transaction(|card| {
            let mut info = card.card_info();
            info.verify_pin_with(&pin, last_try)?;
            info.read_all()
        })
        .map_err(common::explain)?;
    // Ends the session; a verified one by unpowering the card.
    card.close().map_err(common::explain)?;

    let a = &data.attributes;
    common::field("name", &a.name);
    common::field("address", &a.address);
    common::field("birth date", a.birth_date);
    common::field("sex", common::sex(&a.sex));
    if args.show_number {
        common::field("my number", data.my_number.reveal());
    } else {
        common::field("my number", data.my_number.masked());
    }
    eprintln!("checked against the integrity record (EF 0003)");
    Ok(())
}
