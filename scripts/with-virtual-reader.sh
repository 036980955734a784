#!/usr/bin/env bash
# Runs a command with the virtual My Number Card in a PC/SC reader:
#   pcscd (in the foreground, as this script's child) + vsmartcard's vpcd driver
#   + the `virtual_reader` example serving the card on vpcd's slot 0 ("Virtual PCD 00 00").
#
#   scripts/with-virtual-reader.sh cargo test --features pcsc --test pcsc_stack -- --ignored
#   scripts/with-virtual-reader.sh pkcs15-tool -D
#
# Installs pcscd, vsmartcard-vpcd, libpcsclite-dev and opensc with apt-get when they are
# missing and this runs as root (on Debian/Ubuntu). Stops everything it started, by PID,
# also when the command fails. Exits with the command's status.
# Environment: VIRTUAL_READER_ARGS (extra options for virtual_reader),
#              CARD_WAIT_SECONDS (default 30), PCSCD_LOG (default target/pcscd.log).
set -euo pipefail

if [[ $# -eq 0 ]]; then
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
cd "$(dirname "$0")/.."

packages=(pcscd vsmartcard-vpcd libpcsclite-dev opensc)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "with-virtual-reader: installing ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    else
        echo "with-virtual-reader: missing packages: ${missing[*]}" >&2
        echo "  install them with: sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi

if pidof pcscd >/dev/null; then
    echo "with-virtual-reader: a pcscd is already running (pid $(pidof pcscd)); this script" >&2
    echo "  starts its own. Stop the other first (systemctl stop pcscd.socket pcscd)." >&2
    exit 1
fi

echo "with-virtual-reader: building the virtual reader" >&2
cargo build --quiet --example virtual_reader
reader_bin="target/debug/examples/virtual_reader"

pids=()
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pcscd_log="${PCSCD_LOG:-target/pcscd.log}"
mkdir -p "$(dirname "$pcscd_log")"
pcscd --foreground >"$pcscd_log" 2>&1 &
pids+=($!)
# shellcheck disable=SC2086 # VIRTUAL_READER_ARGS is a list of options
"$reader_bin" --port 35963 ${VIRTUAL_READER_ARGS:-} 2>>target/virtual_reader.log &
pids+=($!)

wait_seconds="${CARD_WAIT_SECONDS:-30}"
deadline=$((SECONDS + wait_seconds))
until opensc-tool --list-readers 2>/dev/null | grep -Eq "^[0-9]+ +Yes +.*Virtual PCD 00 00"; do
    if ((SECONDS >= deadline)); then
        echo "with-virtual-reader: no card in 'Virtual PCD 00 00' after ${wait_seconds}s" >&2
        echo "  pcscd log: $pcscd_log; virtual reader log: target/virtual_reader.log" >&2
        exit 1
    fi
    if ! kill -0 "${pids[0]}" 2>/dev/null; then
        echo "with-virtual-reader: pcscd exited; see $pcscd_log" >&2
        exit 1
    fi
    sleep 0.2
done
echo "with-virtual-reader: card ready in 'Virtual PCD 00 00'" >&2

export MYNUMBERCARD_TEST_READER="Virtual PCD 00 00"
export MYNUMBERCARD_VIRTUAL_READER="$PWD/$reader_bin"
status=0
"$@" || status=$?
exit "$status"
