#!/usr/bin/env bash
# What can be checked of the Swift bindings without a Swift compiler:
#   1. the generated C header (MyNumberCardFFI.h, the module the Swift file imports) compiles
#      with gcc as C11, -Wall -Wextra -pedantic -Werror (clang's nullability qualifiers
#      _Nullable/_Nonnull defined away: gcc does not know them);
#   2. a C program taking the address of every FFI function the generated Swift calls links
#      against the library: each is declared in the header and exported by the library;
#   3. that program, run, finds the contract version and every API checksum the Swift file
#      expects (the checks the Swift bindings make when they load), as the library reports.
# Usage: bindings/swift/check-header.sh   (after bindings/generate.sh [--test-card] swift)
set -euo pipefail
cd "$(dirname "$0")/../.."

generated=bindings/swift/Generated
swift_file="$generated/MyNumberCard.swift"
header="$generated/MyNumberCardFFI.h"
[[ -f "$swift_file" && -f "$header" ]] || { echo "check-header: run bindings/generate.sh swift first" >&2; exit 1; }
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
library_dir="${LIBRARY_DIR:-$target_dir/debug}"
out="$target_dir/swift-header-check"
mkdir -p "$out"

cflags=(-std=c11 -Wall -Wextra -pedantic -Werror -D_Nullable= -D_Nonnull= -I "$generated")

printf '#include "MyNumberCardFFI.h"\n' >"$out/header_only.c"
gcc "${cflags[@]}" -fsyntax-only "$out/header_only.c"
echo "check-header: $header compiles (gcc $(gcc -dumpversion), C11, -Werror)"

python3 - "$swift_file" "$out/calls.c" <<'PY'
import re, sys
swift = open(sys.argv[1], encoding="utf-8").read()
names = sorted(set(re.findall(r"\b((?:uniffi|ffi)_mynumbercard_ffi_[a-z0-9_]+)\s*\(", swift)))
version = re.search(r"let bindings_contract_version = (\d+)", swift)
checks = re.findall(r"if \((uniffi_mynumbercard_ffi_checksum_[a-z0-9_]+)\(\) != (\d+)\)", swift)
if not names or not version or not checks:
    sys.exit("check-header: the generated Swift file does not have the expected shape")
with open(sys.argv[2], "w") as c:
    c.write('#include <stdio.h>\n#include "MyNumberCardFFI.h"\n\n')
    c.write("typedef void (*any_fn)(void);\n")
    c.write("static any_fn const called_by_swift[] = {\n")
    for n in names:
        c.write(f"    (any_fn){n},\n")
    c.write("};\n\nint main(void) {\n    int failures = 0;\n")
    c.write(f"    if (ffi_mynumbercard_ffi_uniffi_contract_version() != {version.group(1)}u) {{\n")
    c.write('        fprintf(stderr, "contract version mismatch\\n");\n        failures++;\n    }\n')
    for fn, value in checks:
        c.write(f"    if ({fn}() != {value}) {{\n")
        c.write(f'        fprintf(stderr, "checksum mismatch: {fn}\\n");\n        failures++;\n    }}\n')
    c.write(f'    printf("check-header: %zu functions the Swift bindings call are declared and linked; contract version and {len(checks)} checksums match\\n", sizeof called_by_swift / sizeof called_by_swift[0]);\n')
    c.write("    return failures != 0;\n}\n")
PY
gcc "${cflags[@]}" "$out/calls.c" -L "$library_dir" -lmynumbercard_ffi -o "$out/calls"
LD_LIBRARY_PATH="$library_dir" "$out/calls"
