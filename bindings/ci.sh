#!/usr/bin/env bash
# CI for the bindings (called by .ci/run): the bindings crate's Rust tests and lints, the
# Kotlin, Swift and Python bindings generated from the library, the Swift C header compiled
# and linked, then the Kotlin (JUnit through Maven) and Python (pytest) tests, with pcscd and
# the crate's virtual reader for the javax.smartcardio and pyscard ones (MYNUMBERCARD_PCSC=1).
#
# Installs what it needs when missing and run as root on Debian/Ubuntu (apt-get): a JDK,
# Maven, swig and the Python headers and venv module (pyscard builds from source on Linux);
# Maven fetches kotlin-maven-plugin, JNA and JUnit from Maven Central, pip fetches pytest and
# pyscard from PyPI into target/python-venv.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v javac >/dev/null || need+=(default-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
command -v swig >/dev/null || need+=(swig)
command -v gcc >/dev/null || need+=(gcc)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
python3 -c 'import os, sysconfig; raise SystemExit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
    || need+=(python3-dev)
if [[ ${#need[@]} -gt 0 ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "bindings/ci.sh: installing ${need[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    else
        echo "bindings/ci.sh: missing ${need[*]}" >&2
        exit 1
    fi
fi

echo "-- bindings crate: Rust tests (the API over a wrapped virtual card), clippy, docs"
cargo test -p mynumbercard-ffi --features test-card
cargo clippy -p mynumbercard-ffi -p uniffi-bindgen --all-targets --all-features -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p mynumbercard-ffi --features test-card

echo "-- generate the Kotlin, Python and Swift bindings (the workspace's uniffi-bindgen)"
bindings/generate.sh --test-card

echo "-- Swift: the generated C header with gcc; every FFI function the Swift calls linked"
bindings/swift/check-header.sh

echo "-- Python: pytest and pyscard into target/python-venv"
[[ -x target/python-venv/bin/python ]] || python3 -m venv target/python-venv
target/python-venv/bin/python -m pip install -q --disable-pip-version-check -r bindings/python/requirements-test.txt

echo "-- Python (pytest) then Kotlin (mvn test), with pcscd and the virtual reader"
# Python first: pyscard unpowers the card after a verified PIN; javax.smartcardio cannot, so
# the Kotlin tests, which start from a fresh card, come last.
MYNUMBERCARD_PCSC=1 scripts/with-virtual-reader.sh bash -c '
    set -e
    target/python-venv/bin/python -m pytest -q bindings/python
    mvn -B -q -f bindings/kotlin/pom.xml test
    grep -h "Tests run" bindings/kotlin/target/surefire-reports/*.txt
'
