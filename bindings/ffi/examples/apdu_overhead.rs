//! The Rust side of the per-APDU overhead benchmark (the Kotlin and Python sides are in
//! their packages): the same calls as there, from Rust, on three paths. A loop with a
//! warm-up, not a test:
//!
//! ```sh
//! cargo run --release -p mynumbercard-ffi --features test-card --example apdu_overhead
//! ```
//!
//! - `core`: the core crate alone, `Card<VirtualCard>` (the Rust-only path);
//! - `bindings, rust card`: the bindings' card object over the virtual card on the Rust side
//!   (`MyNumberCard::over_virtual_card`: the lock, the conversions, no FFI);
//! - `bindings, rust replay`: the card object over a `CardTransport` implemented in Rust that
//!   replays recorded responses (the transport trait object and its copies, no FFI).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use mynumbercard::card_face::CardFaceKey;
use mynumbercard::card_info::CardInfoKey;
use mynumbercard::{Card, PinKind};
use mynumbercard_ffi::{
    CardInterface, CardTransport, MyNumberCard, SecretKind, TransportCapabilities, TransportError,
    VirtualCard,
};

#[derive(Default)]
struct Script {
    recording: bool,
    steps: Vec<(Vec<u8>, Vec<u8>)>,
    next: usize,
}

struct Replay {
    card: Arc<VirtualCard>,
    script: Mutex<Script>,
}

impl CardTransport for Replay {
    fn transceive(&self, command: Vec<u8>) -> Result<Vec<u8>, TransportError> {
        let mut script = self.script.lock().unwrap();
        if script.recording {
            let response = self.card.transceive(command.clone())?;
            script.steps.push((command, response.clone()));
            return Ok(response);
        }
        let index = script.next;
        script.next = (index + 1) % script.steps.len();
        let (expected, response) = &script.steps[index];
        assert_eq!(
            expected, &command,
            "the call sent other commands than recorded"
        );
        Ok(response.clone())
    }

    fn capabilities(&self) -> TransportCapabilities {
        TransportCapabilities {
            interface: CardInterface::Contact,
            ..TransportCapabilities::default()
        }
    }

    fn close(&self, _: bool) -> Result<(), TransportError> {
        Ok(())
    }
}

fn nanos_per_call(iterations: u32, mut call: impl FnMut()) -> f64 {
    let mut rounds: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iterations {
                call();
            }
            start.elapsed().as_nanos() as f64 / f64::from(iterations)
        })
        .skip(2)
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[2]
}

fn core_statuses(card: &mut Card<mynumbercard::VirtualCard>) {
    card.jpki().pin_status(PinKind::Auth).unwrap();
    card.jpki().pin_status(PinKind::Sign).unwrap();
    card.card_info().pin_status(CardInfoKey::Pin).unwrap();
    card.card_info()
        .pin_status(CardInfoKey::AccessCodeA)
        .unwrap();
    card.card_info()
        .pin_status(CardInfoKey::AccessCodeB)
        .unwrap();
    card.card_face()
        .code_status(CardFaceKey::AccessCodeA)
        .unwrap();
    card.card_face()
        .code_status(CardFaceKey::AccessCodeB)
        .unwrap();
}

fn main() {
    type Call = fn(&MyNumberCard);
    type CoreCall = fn(&mut Card<mynumbercard::VirtualCard>);
    let ops: [(&str, u32, Call, CoreCall); 2] = [
        (
            "secret_status(AuthPin)",
            200_000,
            |s| {
                s.secret_status(SecretKind::AuthPin).unwrap();
            },
            |c| {
                c.jpki().pin_status(PinKind::Auth).unwrap();
            },
        ),
        (
            "secret_statuses()",
            20_000,
            |s| {
                s.secret_statuses().unwrap();
            },
            core_statuses,
        ),
    ];
    println!("| call | APDUs | core (ns/call) | bindings, rust card (ns/call) | bindings, rust replay (ns/call) | core per APDU (ns) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, iterations, call, core_call) in ops {
        let mut core = Card::new(mynumbercard::VirtualCard::default());
        for _ in 0..3 {
            core_call(&mut core);
        }
        let before = core.stats().commands;
        core_call(&mut core);
        let apdus = core.stats().commands - before;

        let rust = MyNumberCard::over_virtual_card(VirtualCard::new());
        for _ in 0..3 {
            call(&rust);
        }

        let replay = Arc::new(Replay {
            card: VirtualCard::new(),
            script: Mutex::new(Script {
                recording: true,
                ..Script::default()
            }),
        });
        let replayed = MyNumberCard::new(replay.clone());
        call(&replayed);
        call(&replayed);
        replay.script.lock().unwrap().steps.clear();
        call(&replayed);
        replay.script.lock().unwrap().recording = false;

        nanos_per_call(iterations, || core_call(&mut core));
        let t_core = nanos_per_call(iterations, || core_call(&mut core));
        nanos_per_call(iterations, || call(&rust));
        let t_rust = nanos_per_call(iterations, || call(&rust));
        nanos_per_call(iterations, || call(&replayed));
        let t_replay = nanos_per_call(iterations, || call(&replayed));
        println!(
            "| `{name}` | {apdus} | {t_core:.0} | {t_rust:.0} | {t_replay:.0} | {:.0} |",
            t_core / apdus as f64
        );
    }
}
