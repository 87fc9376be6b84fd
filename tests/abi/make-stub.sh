#!/usr/bin/env bash
# make-stub.sh HEADER OUT.c: a C file defining every function HEADER marks RT_EXTERN, each
# doing nothing. Linked with that release's version script it stands in for that release's
# librutube.so.0 at link time only: a program linked against it asks for that release's
# symbols, and is then run on the real, current library (tests/abi/meson.build).
set -euo pipefail
header=$1 out=$2
{
    echo "/* Made by tests/abi/make-stub.sh from $(basename "$header"): link-time stand-ins only. */"
    grep -o 'RT_EXTERN[^(]*(' "$header" | grep -o 'rt_[a-z0-9_]*[[:space:]]*($' | tr -d '( \t' |
        LC_ALL=C sort -u | while read -r name; do
            printf 'int %s(void);\nint %s(void) { return 0; }\n' "$name" "$name"
        done
} >"$out"
