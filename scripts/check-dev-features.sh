#!/usr/bin/env bash
# Dev-dependencies must not change the features of a crate the library itself builds: when
# they do, `cargo test` after `cargo build` compiles that crate, and every crate above it, a
# second time. This lists each crate of the library's tree (default features, this platform)
# whose features the dev-dependencies change, and fails on any not in KNOWN.
#
# KNOWN, and why (both come from dev tools, not from the library's own dependencies):
# - libc: rpassword, socket2 and ctrlc (examples) and criterion build it with `std` and
#   `extra_traits`; the library reaches it through getrandom (rand_core's `std`, which the
#   `signature` crate's `std` turns on, for `signature::Error::from_source`).
# - num-traits: criterion builds it with `std`; the library reaches it through rsa's bignums.
# Rebuilt because of them: they and the crates above them (getrandom, rand_core, rsa, the
# elliptic-curve crates, signature, x509-cert): 20 crates.
set -euo pipefail
cd "$(dirname "$0")/.."
KNOWN="${KNOWN-libc num-traits}"

tree() { cargo tree --quiet --prefix none -f '{p}|{f}' "$@" | sed 's/ (\*)$//' | sort -u; }
library=$(tree -e no-dev)
with_dev=$(tree)

changed=()
while IFS= read -r package; do
    [[ $package == mynumbercard\ * ]] && continue
    ours=$(grep -F "$package|" <<<"$library" | cut -d'|' -f2)
    theirs=$(grep -F "$package|" <<<"$with_dev" | cut -d'|' -f2)
    if [[ $ours != "$theirs" ]]; then
        name=${package%% *}
        echo "$package: [${ours//$'\n'/] [}] becomes [${theirs//$'\n'/] [}]" >&2
        [[ " $KNOWN " == *" $name "* ]] || changed+=("$name")
    fi
done < <(cut -d'|' -f1 <<<"$library" | sort -u)

if ((${#changed[@]})); then
    echo "dev-dependencies change the features of: ${changed[*]}" >&2
    echo "(ask for the library's features in [dev-dependencies], or see KNOWN above)" >&2
    exit 1
fi
echo "dev-dependencies change no features of the library's tree beyond: $KNOWN"
