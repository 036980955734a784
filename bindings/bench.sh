#!/usr/bin/env bash
# The per-APDU overhead of the foreign transport, from Rust, Kotlin and Python, with the
# library built in release mode (a few minutes; not part of the tests or CI):
#   bindings/bench.sh
# Prints three Markdown tables (README: "Phones and other languages", Measured).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "## Rust (bindings/ffi/examples/apdu_overhead.rs)"
cargo run --quiet --release -p mynumbercard-ffi --features test-card --example apdu_overhead
echo
echo "## Python (bindings/python/benchmarks/apdu_overhead.py)"
bindings/generate.sh --release --test-card python
[[ -x target/python-venv/bin/python ]] || python3 -m venv target/python-venv
target/python-venv/bin/python bindings/python/benchmarks/apdu_overhead.py
bindings/generate.sh --test-card python # back to the debug library the tests use
echo
echo "## Kotlin (bindings/kotlin/src/test/kotlin/mynumbercard/bench/ApduOverheadBenchmark.kt)"
mvn -B -q -f bindings/kotlin/pom.xml -Drust.profile=release test-compile exec:exec@benchmark
