#!/usr/bin/env bash
# librutube's ABI check: what the built librutube.so exports must be exactly lib/librutube.symbols,
# and exactly the functions include/rutube/rutube.h marks RT_EXTERN.
#   tests/abi/check-abi.sh LIBRARY SYMBOLS HEADER            check (a meson test)
#   tests/abi/check-abi.sh --update LIBRARY SYMBOLS HEADER   rewrite SYMBOLS from LIBRARY
# The list is committed so that a change to the ABI is a visible, deliberate change to a file.
set -euo pipefail

update=false
if [ "${1:-}" = "--update" ]; then
    update=true
    shift
fi
if [ $# -ne 3 ]; then
    echo "usage: $0 [--update] LIBRARY SYMBOLS HEADER" >&2
    exit 2
fi
library=$1 symbols=$2 header=$3

# "T rt_strerror@@LIBRUTUBE_0": kind, name and version node of each defined dynamic symbol
# (the node itself shows as "A LIBRUTUBE_0"), sorted by name.
exported() {
    nm -D --defined-only "$library" | awk 'NF >= 2 { print $(NF - 1), $NF }' | LC_ALL=C sort -k2
}

if $update; then
    {
        echo "# What librutube.so exports: tests/abi/check-abi.sh compares the built library with"
        echo "# this list. Change it only on purpose, with lib/librutube.map (see its rules)."
        exported
    } >"$symbols"
    echo "wrote $symbols"
    exit 0
fi

soname=$(objdump -p "$library" | awk '$1 == "SONAME" { print $2 }')
status=0
expected=$(grep -v '^#' "$symbols" | LC_ALL=C sort -k2)
actual=$(exported)
if [ "$expected" != "$actual" ]; then
    echo "FAIL: the symbols librutube.so exports differ from $symbols (- listed, + exported):" >&2
    diff -u <(echo "$expected") <(echo "$actual") | tail -n +3 | sed 's/^/    /' >&2 || true
    cat >&2 <<MSG
If this change is deliberate:
  - a new function: give it RT_EXTERN in the header, list it in lib/librutube.map in the
    node of the release that adds it (LIBRUTUBE_0.3 { global: ...; } LIBRUTUBE_0.2;), then
    update the list:
        $0 --update $library $symbols $header
  - a function whose arguments change meaning: keep the old one for the programs built
    before, bound to its old node (see lib/librutube.map's rules and lib/compat_0_1.c);
  - a function removed or renamed: that breaks every program built against $soname: bump
    librutube_soversion in lib/meson.build and start a new node in lib/librutube.map, then
    update the list.
Otherwise something leaked out of the library (an rt__ internal, a symbol of a library it
uses): it must stay hidden (-fvisibility=hidden, local: * in lib/librutube.map).
MSG
    status=1
fi

# The header's RT_EXTERN functions are the ABI: each must be exported as the default version
# (name@@NODE), and nothing else. The older versions of a name (name@NODE, one @) are there for
# programs built against an older header; the symbols file lists them.
declared=$(grep -o 'RT_EXTERN[^(]*(' "$header" | grep -o 'rt_[a-z0-9_]*[[:space:]]*($' |
    tr -d '( \t' | LC_ALL=C sort -u)
defined=$(nm -D --defined-only "$library" |
    awk '$(NF - 1) == "T" && $NF ~ /@@/ { sub(/@.*/, "", $NF); print $NF }' | LC_ALL=C sort -u)
if [ "$declared" != "$defined" ]; then
    echo "FAIL: the functions $header declares RT_EXTERN differ from those librutube.so exports (- declared, + exported):" >&2
    diff -u <(echo "$declared") <(echo "$defined") | tail -n +3 | sed 's/^/    /' >&2 || true
    echo "A public function needs both RT_EXTERN in the header and a line in lib/librutube.map." >&2
    status=1
fi

if [ "$status" -eq 0 ]; then
    echo "ok: librutube.so exports $(echo "$defined" | wc -l) functions, as $(basename "$symbols") lists"
fi
exit "$status"
