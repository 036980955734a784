#!/usr/bin/env bash
# Builds the bindings library (bindings/ffi) and generates its Kotlin, Swift and Python
# bindings with the workspace's own uniffi-bindgen (bindings/uniffi-bindgen, the pinned
# uniffi version; nothing installed globally).
#
#   bindings/generate.sh [--release | --profile debug|release] [--test-card] [kotlin] [python] [swift]
#
#   --release    build the library in release mode (the benchmarks); --profile release too
#   --test-card  export the virtual card (feature test-card; the bindings' tests)
#   languages    default: all three
#
# Outputs (all ignored by git, regenerated from the library):
#   kotlin  bindings/kotlin/target/generated-sources/uniffi/   (Maven runs this itself)
#   python  bindings/python/mynumbercard/mynumbercard_ffi.py + the library next to it
#   swift   bindings/swift/Generated/ (MyNumberCard.swift, MyNumberCardFFI.h, .modulemap)
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug
cargo_args=(-p mynumbercard-ffi)
languages=()
for arg in "$@"; do
    case "$arg" in
        --release | --profile=release) profile=release; cargo_args+=(--release) ;;
        --profile=debug) ;;
        --test-card) cargo_args+=(--features test-card) ;;
        kotlin | python | swift) languages+=("$arg") ;;
        *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
[[ ${#languages[@]} -gt 0 ]] || languages=(kotlin python swift)

case "$(uname -s)" in
    Darwin) library="libmynumbercard_ffi.dylib" ;;
    *) library="libmynumbercard_ffi.so" ;;
esac

cargo build --quiet "${cargo_args[@]}"
cargo build --quiet -p uniffi-bindgen
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
lib_path="$target_dir/$profile/$library"
bindgen="$target_dir/debug/uniffi-bindgen"

generate() {
    "$bindgen" generate --no-format --library "$lib_path" --language "$1" --out-dir "$2" >/dev/null
}

for language in "${languages[@]}"; do
    case "$language" in
        kotlin)
            out=bindings/kotlin/target/generated-sources/uniffi
            rm -rf "$out" && mkdir -p "$out"
            generate kotlin "$out"
            ;;
        python)
            out=bindings/python/mynumbercard
            generate python "$out"
            cp "$lib_path" "$out/$library"
            ;;
        swift)
            out=bindings/swift/Generated
            rm -rf "$out" && mkdir -p "$out"
            generate swift "$out"
            ;;
    esac
    echo "generate.sh: $language bindings in $out (library $lib_path)" >&2
done
