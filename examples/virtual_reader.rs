//! Serves the virtual My Number Card to pcscd through vsmartcard's vpcd, so that any PC/SC
//! application (this crate with `--features pcsc`, OpenSC, `pcsc_scan`) sees a card in the
//! reader "Virtual PCD 00 00".
//!
//! vpcd listens on 127.0.0.1:35963 (slot 0) and 35964 (slot 1); this program connects to it.
//! Framing both ways: 2-byte big-endian length, then the payload. A 1-byte message from vpcd
//! is a control (00 power off, 01 power on, 02 reset, 04 ATR request, answered with the ATR);
//! anything longer is a command APDU, answered with data + SW1 SW2.
//!
//! ```text
//! cargo run --example virtual_reader -- --port 35963
//! cargo run --example virtual_reader -- --port 35964 --remove-after 4   # pulls the card once
//! cargo run --example virtual_reader -- --profile select-only          # a card refusing both forms
//! ```
//!
//! vpcd carries extended-length APDUs both ways, up to the 65,535 bytes its 16-bit frame
//! length allows (a 1,009-byte command and a 2,562-byte response pass through pcscd and
//! vpcd 0.8 in `tests/pcsc_stack.rs`), so which forms the card takes is the card's `--profile`
//! alone: `extended+sfi` (the default: extended length and short file identifiers, as real
//! cards take them), `no-extended`, `no-sfi`, `select-only`. vpcd 0.8 does not say that it
//! carries extended APDUs (it answers no PC/SC part 10 feature request; 0.9 reports
//! `dwMaxAPDUDataSize`), so the crate's `PcscTransport` knows its slots by name. The card's
//! answers stay within one frame: its files are at most 32 KiB.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Parser;
use mynumbercard::virtual_card::Profile;
use mynumbercard::VirtualCard;

/// Serves the virtual My Number Card to pcscd through vsmartcard's vpcd.
#[derive(Parser, Debug)]
struct Args {
    /// vpcd's host.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// vpcd's port: 35963 for "Virtual PCD 00 00", 35964 for "Virtual PCD 00 01".
    #[arg(long, default_value_t = 35963)]
    port: u16,
    /// The ATR, in hex (default: the virtual card's).
    #[arg(long, value_parser = parse_hex)]
    atr: Option<Vec<u8>>,
    /// The user-authentication PIN (4 digits).
    #[arg(long, default_value = VirtualCard::DEFAULT_AUTH_PIN)]
    auth_pin: String,
    /// The signature PIN (6–16 of A–Z, 0–9).
    #[arg(long, default_value = VirtualCard::DEFAULT_SIGN_PIN)]
    sign_pin: String,
    /// Tries left on the authentication PIN.
    #[arg(long)]
    auth_tries_left: Option<u8>,
    /// Tries left on the signature PIN.
    #[arg(long)]
    sign_tries_left: Option<u8>,
    /// Which optional forms of command the card takes: extended+sfi, no-extended, no-sfi or
    /// select-only.
    #[arg(long, default_value = "extended+sfi", value_parser = parse_profile)]
    profile: Profile,
    /// Drop the connection after answering N APDUs, as if the card was pulled out; the card
    /// comes back (powered off) a second later. Happens once.
    #[arg(long, value_name = "N")]
    remove_after: Option<u64>,
    /// Print every APDU (PIN data masked).
    #[arg(long, short)]
    verbose: bool,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    Profile::ALL
        .into_iter()
        .find(|profile| profile.name() == s)
        .ok_or_else(|| {
            let names: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
            format!("one of {}", names.join(", "))
        })
}

fn parse_hex(s: &str) -> Result<Vec<u8>, String> {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect();
    hex::decode(clean).map_err(|e| format!("not hex: {e}"))
}

/// Why serving one connection ended.
enum End {
    /// vpcd closed the connection (pcscd stopped or restarted).
    Closed,
    /// `--remove-after` was reached.
    Removed,
    /// Ctrl-C or SIGTERM.
    Stopped,
}

fn main() {
    let args = Args::parse();
    let mut builder = VirtualCard::builder()
        .profile(args.profile)
        .auth_pin(&args.auth_pin)
        .sign_pin(&args.sign_pin);
    if let Some(atr) = args.atr.clone() {
        builder = builder.atr(atr);
    }
    if let Some(n) = args.auth_tries_left {
        builder = builder.auth_tries_left(n);
    }
    if let Some(n) = args.sign_tries_left {
        builder = builder.sign_tries_left(n);
    }
    let mut card = builder.build();

    let stop = Arc::new(AtomicBool::new(false));
    let current: Arc<Mutex<Option<TcpStream>>> = Arc::default();
    {
        let (stop, current) = (Arc::clone(&stop), Arc::clone(&current));
        let handler = move || {
            stop.store(true, Ordering::SeqCst);
            if let Ok(guard) = current.lock() {
                if let Some(stream) = guard.as_ref() {
                    let _ = stream.shutdown(Shutdown::Both);
                }
            }
        };
        if let Err(e) = ctrlc::set_handler(handler) {
            eprintln!("virtual_reader: cannot handle Ctrl-C: {e}");
        }
    }

    let address = format!("{}:{}", args.host, args.port);
    let mut remove_after = args.remove_after;
    let mut waiting_said = false;
    while !stop.load(Ordering::SeqCst) {
        let stream = match TcpStream::connect(&address) {
            Ok(stream) => stream,
            Err(e) => {
                if !waiting_said {
                    eprintln!("virtual_reader: waiting for vpcd at {address} ({e})");
                    waiting_said = true;
                }
                pause(&stop, Duration::from_millis(200));
                continue;
            }
        };
        waiting_said = false;
        eprintln!(
            "virtual_reader: card inserted (connected to vpcd at {address}; profile {})",
            card.profile().name()
        );
        if let (Ok(clone), Ok(mut guard)) = (stream.try_clone(), current.lock()) {
            *guard = Some(clone);
        }
        let end = serve(stream, &mut card, &mut remove_after, args.verbose, &stop);
        if let Ok(mut guard) = current.lock() {
            *guard = None;
        }
        // A card out of the reader has no power.
        card.power_off();
        match end {
            End::Stopped => break,
            End::Removed => {
                eprintln!("virtual_reader: card removed (--remove-after); back in a second");
                pause(&stop, Duration::from_secs(1));
            }
            End::Closed => eprintln!("virtual_reader: vpcd closed the connection; reconnecting"),
        }
    }
    eprintln!("virtual_reader: stopped");
}

/// Sleeps up to `total`, waking early when asked to stop.
fn pause(stop: &AtomicBool, total: Duration) {
    let step = Duration::from_millis(50);
    let mut slept = Duration::ZERO;
    while slept < total && !stop.load(Ordering::SeqCst) {
        std::thread::sleep(step);
        slept += step;
    }
}

fn serve(
    mut stream: TcpStream,
    card: &mut VirtualCard,
    remove_after: &mut Option<u64>,
    verbose: bool,
    stop: &AtomicBool,
) -> End {
    // Without these each APDU waits for a delayed ACK (~40 ms).
    let _ = stream.set_nodelay(true);
    let mut answered = 0u64;
    loop {
        let message = match receive(&mut stream) {
            Ok(message) => message,
            Err(_) if stop.load(Ordering::SeqCst) => return End::Stopped,
            Err(_) => return End::Closed,
        };
        if let (true, [control]) = (verbose, message.as_slice()) {
            eprintln!("control {control:02X}");
        }
        let result = match message.as_slice() {
            [0x00] => {
                card.power_off();
                Ok(())
            }
            [0x01] => {
                card.power_on();
                Ok(())
            }
            [0x02] => {
                card.reset();
                Ok(())
            }
            [0x04] => send(&mut stream, card.atr()),
            [other] => {
                eprintln!("virtual_reader: unknown control {other:02X}, ignored");
                Ok(())
            }
            [] => Ok(()),
            apdu => {
                let response = card.handle(apdu);
                if verbose {
                    eprintln!("> {}\n< {}", masked(apdu), hex::encode_upper(&response));
                }
                answered += 1;
                send(&mut stream, &response)
            }
        };
        if result.is_err() {
            return if stop.load(Ordering::SeqCst) {
                End::Stopped
            } else {
                End::Closed
            };
        }
        if remove_after.is_some_and(|n| answered >= n) {
            *remove_after = None;
            let _ = stream.shutdown(Shutdown::Both);
            return End::Removed;
        }
    }
}

/// Reads one framed message.
fn receive(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
    quickack(stream);
    let mut len = [0u8; 2];
    stream.read_exact(&mut len)?;
    let mut message = vec![0u8; usize::from(u16::from_be_bytes(len))];
    quickack(stream);
    stream.read_exact(&mut message)?;
    Ok(message)
}

/// Writes one framed message: length and payload in one write.
fn send(stream: &mut TcpStream, payload: &[u8]) -> io::Result<()> {
    let len = u16::try_from(payload.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "message too long"))?;
    let mut frame = Vec::with_capacity(payload.len() + 2);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(payload);
    quickack(stream);
    stream.write_all(&frame)
}

/// TCP_QUICKACK is cleared by the kernel after use: set it before every read and write.
fn quickack(stream: &TcpStream) {
    #[cfg(target_os = "linux")]
    {
        let _ = socket2::SockRef::from(stream).set_quickack(true);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = stream;
}

/// A command in hex with a VERIFY's data (the PIN) masked.
fn masked(apdu: &[u8]) -> String {
    match apdu {
        [cla, 0x20, p1, p2, lc, rest @ ..] if !rest.is_empty() => {
            format!(
                "{cla:02X}20{p1:02X}{p2:02X}{lc:02X} {}",
                "**".repeat(rest.len())
            )
        }
        _ => hex::encode_upper(apdu),
    }
}
