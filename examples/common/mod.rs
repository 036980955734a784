//! What every example shares: choosing the card (virtual or a reader), `--trace`, PIN entry.

#![allow(dead_code)]

use std::error::Error;
use std::io::BufRead;

use mynumbercard::transport::Transport;
use mynumbercard::{Card, VirtualCard};
use zeroize::Zeroizing;

/// Options every example takes.
#[derive(clap::Args, Debug)]
pub struct CardArgs {
    /// Use the built-in virtual card (auth PIN 1234, sign PIN ABC123) instead of a reader.
    #[arg(long = "virtual")]
    pub virtual_card: bool,
    /// Use this PC/SC reader (default: the first reader holding a card). Needs a build with
    /// `--features pcsc`.
    #[arg(long, value_name = "NAME", conflicts_with = "virtual_card")]
    pub reader: Option<String>,
    /// Print every APDU to stderr: `> ` command, `< ` response (PINs masked).
    #[arg(long)]
    pub trace: bool,
}

/// A transport an example can move around.
pub type AnyTransport = Box<dyn Transport + Send>;

/// Opens the card the options name.
pub fn open(args: &CardArgs) -> Result<Card<AnyTransport>, Box<dyn Error>> {
    let transport: AnyTransport = if args.virtual_card {
        Box::new(VirtualCard::default())
    } else {
        open_reader(args.reader.as_deref())?
    };
    let mut card = Card::new(transport);
    if args.trace {
        card.set_tracer(|line| eprintln!("{line}"));
    }
    Ok(card)
}

/// Connects to the named PC/SC reader, or to the first one holding a card.
#[cfg(feature = "pcsc")]
fn open_reader(reader: Option<&str>) -> Result<AnyTransport, Box<dyn Error>> {
    use mynumbercard::pcsc::{self, PcscTransport};
    let transport = match reader {
        Some(name) => PcscTransport::connect(name).map_err(|e| {
            let known = pcsc::list_readers().unwrap_or_default();
            format!(
                "cannot connect to reader {name:?}: {}; readers: {known:?}",
                describe(&e)
            )
        })?,
        None => PcscTransport::first_with_card().map_err(|e| {
            format!(
                "{}: insert a card, name a reader with --reader NAME, or use --virtual",
                describe(&e)
            )
        })?,
    };
    eprintln!("reader: {}", transport.reader());
    Ok(Box::new(transport))
}

/// A transport error with its source (such as "no reader holds a card").
#[cfg(feature = "pcsc")]
fn describe(e: &mynumbercard::TransportError) -> String {
    match std::error::Error::source(e) {
        Some(source) => source.to_string(),
        None => e.to_string(),
    }
}

#[cfg(not(feature = "pcsc"))]
fn open_reader(reader: Option<&str>) -> Result<AnyTransport, Box<dyn Error>> {
    let what = match reader {
        Some(name) => format!("cannot use reader {name:?}: no"),
        None => "no".to_owned(),
    };
    Err(format!(
        "{what} card reader support in this build: run with --virtual to use the virtual \
         card, or build with `--features pcsc` (on Debian/Ubuntu install libpcsclite-dev \
         first) to use a PC/SC reader"
    )
    .into())
}

/// Reads a PIN: one line from stdin with `--pin-stdin`, otherwise a no-echo prompt.
pub fn read_pin(prompt: &str, from_stdin: bool) -> Result<Zeroizing<String>, Box<dyn Error>> {
    let mut line = Zeroizing::new(String::new());
    if from_stdin {
        std::io::stdin().lock().read_line(&mut line)?;
    } else {
        line = Zeroizing::new(rpassword::prompt_password(prompt)?);
    }
    let trimmed = Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned());
    Ok(trimmed)
}

/// Turns an error into the message an example prints.
pub fn explain(e: &mynumbercard::Error) -> String {
    use mynumbercard::Error;
    match e {
        Error::LastTryRefused { secret } => format!(
            "only 1 try of the {secret} is left: refusing to use it (a wrong one would block \
             it); pass --allow-last-try to spend it"
        ),
        other => other.to_string(),
    }
}

/// Runs an example's body, printing an error as `error: …` (Display, not Debug) and
/// exiting with status 1.
pub fn main(run: fn() -> Result<(), Box<dyn Error>>) -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
