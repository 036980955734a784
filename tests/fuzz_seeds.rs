//! Replays the committed fuzz seeds (`fuzz/seeds/<target>/`) through the fuzz target bodies,
//! so that `cargo test` checks every invariant the fuzzers check, on every seed.

use std::fs;
use std::path::Path;

/// Runs every file of `fuzz/seeds/<target>` through `body`; fails if there are none.
fn replay(target: &str, body: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut count = 0;
    for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = fs::read(&path).unwrap();
        let result = std::panic::catch_unwind(|| body(&data));
        assert!(result.is_ok(), "seed {} failed", path.display());
        count += 1;
    }
    assert!(count >= 5, "{}: only {count} seeds", dir.display());
}

#[test]
fn response_seeds() {
    replay("response", mynumbercard::fuzzing::response);
}

#[test]
fn command_round_trip_seeds() {
    replay(
        "command_round_trip",
        mynumbercard::fuzzing::command_round_trip,
    );
}

#[test]
fn der_header_seeds() {
    replay("der_header", mynumbercard::fuzzing::der_header);
}

#[test]
fn exchange_seeds() {
    replay("exchange", mynumbercard::fuzzing::exchange);
}
