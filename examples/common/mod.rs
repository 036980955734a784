//! What every example shares: choosing the card (virtual or a reader), `--trace`, PIN entry,
//! files, labels, and printing an error with its causes.

#![allow(dead_code)]

use std::error::Error;
use std::fmt;
use std::io::BufRead;
use std::path::Path;

use mynumbercard::certificate::Sex;
use mynumbercard::transport::Transport;
use mynumbercard::{Card, KeyKind, LastTry, PinFormatError, VirtualCard};
use zeroize::Zeroizing;

/// What the examples call each secret, in prompts and messages alike.
pub const AUTH_PIN: &str = "user-authentication PIN (4 digits)";
/// See [`AUTH_PIN`].
pub const SIGN_PIN: &str = "signature PIN (6-16 characters A-Z, 0-9)";
/// See [`AUTH_PIN`].
pub const CARD_INFO_PIN: &str = "card-info PIN (4 digits)";

/// Options every example takes.
#[derive(clap::Args, Debug)]
pub struct CardArgs {
    /// Use the built-in virtual card (auth PIN 1234, sign PIN ABC123, card-info PIN 1234)
    /// instead of a reader.
    #[arg(long = "virtual")]
    pub virtual_card: bool,
    /// With --virtual: start the virtual card with N tries left on each PIN and access code
    /// (at most each one's maximum; 0 = blocked), to see the lockout guard at work.
    #[arg(long, value_name = "N", requires = "virtual_card")]
    pub tries_left: Option<u8>,
    /// With --virtual: play an ECDSA P-384 credential (the next generation's key algorithm,
    /// with test keys) instead of RSA-2048.
    #[arg(long, requires = "virtual_card")]
    pub ecdsa_p384: bool,
    /// Use this PC/SC reader (default: the first reader holding a card). Needs a build with
    /// `--features pcsc`.
    #[arg(long, value_name = "NAME", conflicts_with = "virtual_card")]
    pub reader: Option<String>,
    /// Print every APDU to stderr: `> ` command, `< ` response (PINs and personal data
    /// masked).
    #[arg(long)]
    pub trace: bool,
}

/// Options of the examples that send a PIN.
#[derive(clap::Args, Debug)]
pub struct PinArgs {
    /// Read the PIN as one line from stdin instead of a no-echo prompt.
    #[arg(long)]
    pub pin_stdin: bool,
    /// Send the PIN even when only one try is left (a wrong PIN then blocks it). Without
    /// this, the library refuses and sends nothing.
    #[arg(long)]
    pub allow_last_try: bool,
}

impl PinArgs {
    /// Whether the last try may be spent.
    pub fn last_try(&self) -> LastTry {
        if self.allow_last_try {
            LastTry::Allow
        } else {
            LastTry::Refuse
        }
    }

    /// Reads the PIN called `label` (see [`read_pin`]) and checks its form with `new`
    /// (`AuthPin::new`, `SignPin::new`, …), before anything is sent.
    pub fn read<P>(
        &self,
        label: &str,
        new: fn(&str) -> Result<P, PinFormatError>,
    ) -> Result<P, Box<dyn Error>> {
        let text = read_pin(label, self.pin_stdin)?;
        new(&text).map_err(|e| Context::new(format!("not a valid {label}"), e).into())
    }
}

/// A transport an example can move around.
pub type AnyTransport = Box<dyn Transport + Send>;

/// Opens the card the options name.
pub fn open(args: &CardArgs) -> Result<Card<AnyTransport>, Box<dyn Error>> {
    let transport: AnyTransport = if args.virtual_card {
        let mut builder = VirtualCard::builder();
        if let Some(n) = args.tries_left {
            builder = builder
                .auth_tries_left(n)
                .sign_tries_left(n)
                .card_info_pin_tries_left(n)
                .access_code_a_tries_left(n)
                .access_code_b_tries_left(n)
                .birth_date_key_tries_left(n);
        }
        if args.ecdsa_p384 {
            builder = builder.ecdsa_p384();
        }
        Box::new(builder.build())
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
            Context::new(
                format!("cannot connect to reader {name:?} (readers: {known:?})"),
                e,
            )
        })?,
        None => PcscTransport::first_with_card().map_err(|e| {
            Context::new(
                "no card: insert one, name a reader with --reader NAME, or use --virtual",
                e,
            )
        })?,
    };
    eprintln!("reader: {}", transport.reader());
    Ok(Box::new(transport))
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

/// Reads the PIN called `label`: one line from stdin with `--pin-stdin`, otherwise a no-echo
/// prompt on the terminal.
pub fn read_pin(label: &str, from_stdin: bool) -> Result<Zeroizing<String>, Box<dyn Error>> {
    let mut line = Zeroizing::new(String::new());
    if from_stdin {
        let read = std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Context::new(format!("cannot read the {label} from stdin"), e))?;
        if read == 0 {
            return Err(format!("no {label} on stdin: --pin-stdin reads it as one line").into());
        }
    } else {
        line = Zeroizing::new(
            rpassword::prompt_password(format!("{label}: ")).map_err(|e| {
                Context::new(
                    format!(
                        "no terminal to ask for the {label}: use --pin-stdin to give it as one \
                     line on stdin"
                    ),
                    e,
                )
            })?,
        );
    }
    let trimmed = Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned());
    Ok(trimmed)
}

/// `auth` or `sign`, as the examples spell the keys.
pub fn parse_key(s: &str) -> Result<KeyKind, String> {
    s.parse::<KeyKind>().map_err(|e| e.to_string())
}

/// Reads a file, naming it in the error.
pub fn read_file(path: &Path) -> Result<Vec<u8>, Box<dyn Error>> {
    std::fs::read(path)
        .map_err(|e| Context::new(format!("cannot read {}", path.display()), e).into())
}

/// Writes a file, naming it in the error.
pub fn write_file(path: &Path, bytes: impl AsRef<[u8]>) -> Result<(), Box<dyn Error>> {
    std::fs::write(path, bytes)
        .map_err(|e| Context::new(format!("cannot write {}", path.display()), e).into())
}

/// Whether `path` names a PEM file (`.pem`, `.crt`), for writing.
pub fn is_pem_path(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("pem" | "crt")
    )
}

/// How the examples print a sex.
pub fn sex(sex: &Sex) -> String {
    match sex {
        Sex::Male => "male".to_owned(),
        Sex::Female => "female".to_owned(),
        Sex::Unknown => "unknown".to_owned(),
        Sex::NotApplicable => "not applicable".to_owned(),
        other => format!("{other:?}"),
    }
}

/// Prints `label: value` with the values of consecutive lines aligned.
pub fn field(label: &str, value: impl fmt::Display) {
    println!("{}", field_line(label, value));
}

/// `label: value`, padded so that the values of consecutive lines align.
pub fn field_line(label: &str, value: impl fmt::Display) -> String {
    format!("{:<15}{value}", format!("{label}:"))
}

/// An error with what the example was doing when it happened; its cause is the source.
#[derive(Debug)]
pub struct Context {
    what: String,
    source: Box<dyn Error + Send + Sync>,
}

impl Context {
    pub fn new(what: impl Into<String>, source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self {
            what: what.into(),
            source: source.into(),
        }
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)
    }
}

impl Error for Context {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.source)
    }
}

/// A library error with a message saying what it means for the person at the card; its
/// causes are the library error's.
#[derive(Debug)]
struct Explained {
    message: String,
    error: mynumbercard::Error,
}

impl fmt::Display for Explained {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for Explained {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.error.source()
    }
}

/// Turns a library error into what an example reports: `.map_err(common::explain)?`.
pub fn explain(e: mynumbercard::Error) -> Box<dyn Error> {
    use mynumbercard::Error;
    let message = match &e {
        Error::LastTryRefused { secret } => format!(
            "only 1 try of the {secret} is left: it was not sent, since a wrong one would \
             block it; pass --allow-last-try to spend it"
        ),
        Error::TriesUnknown { secret } => format!(
            "the card did not report the tries left of the {secret}: it was not sent; pass \
             --allow-last-try to send it anyway"
        ),
        _ => return Box::new(e),
    };
    Box::new(Explained { message, error: e })
}

/// Runs an example's body, printing an error as `error: …` (Display, not Debug) with its
/// causes, one per line, and exiting with status 1.
pub fn main(run: fn() -> Result<(), Box<dyn Error>>) -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", report(&*e));
            std::process::ExitCode::FAILURE
        }
    }
}

/// `error: …` and a `caused by: …` line for each source whose text the lines before do not
/// already hold (some errors show their cause in their own message).
pub fn report(e: &(dyn Error + 'static)) -> String {
    let mut out = format!("error: {e}");
    let mut source = e.source();
    // Bounded: a cycle of sources is not followed far.
    for _ in 0..16 {
        let Some(cause) = source else { break };
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(&format!("\n  caused by: {text}"));
        }
        source = cause.source();
    }
    out
}
