//! Prints the basic four attributes (name, address, birth date, sex) and the my number from
//! the card-info input helper application (券面事項入力補助AP), checked against its integrity
//! record. The my number is masked unless `--show-number`.
//!
//! ```text
//! cargo run --example card_info -- --virtual --pin-stdin <<< 1234
//! ```

mod common;

use std::error::Error;

use clap::Parser;
use mynumbercard::access_code::CardInfoPin;
use mynumbercard::certificate::Sex;

/// Print the basic four attributes and the my number.
#[derive(Parser)]
struct Args {
    /// Read the card-info PIN (4 digits) as one line from stdin (default: a no-echo prompt).
    #[arg(long)]
    pin_stdin: bool,
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
    let explain = |e: mynumbercard::Error| common::explain(&e);
    let pin = CardInfoPin::new(&common::read_pin(
        "card-info PIN (4 digits): ",
        args.pin_stdin,
    )?)?;
    let mut card = common::open(&args.card)?;
    let data = card
        .transaction(|card| {
            let mut info = card.card_info();
            info.verify_pin(&pin)?;
            info.read_all()
        })
        .map_err(explain)?;
    card.close().map_err(explain)?;

    let a = &data.attributes;
    println!("name:       {}", a.name);
    println!("address:    {}", a.address);
    println!("birth date: {}", a.birth_date);
    let sex = match &a.sex {
        Sex::Male => "male".to_owned(),
        Sex::Female => "female".to_owned(),
        Sex::NotApplicable => "not applicable".to_owned(),
        other => format!("{other:?}"),
    };
    println!("sex:        {sex}");
    let number = if args.show_number {
        data.my_number.reveal().to_owned()
    } else {
        data.my_number.masked()
    };
    println!("my number:  {number}");
    eprintln!("checked against the integrity record (EF 0003)");
    Ok(())
}
