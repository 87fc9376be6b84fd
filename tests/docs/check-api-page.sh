#!/usr/bin/env bash
# librutube(3) covers the API: every function the header marks RT_EXTERN is in the page's
# synopsis, and the page's example compiles against the header as it is.
#   CC=cc tests/docs/check-api-page.sh HEADER PAGE
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: CC=cc $0 HEADER PAGE" >&2; exit 2; }
header=$1 page=$2
status=0

# The functions, and the function-like macros a program calls in their place
# (rt_client_options_init() for rt_client_options_init_size()).
declared=$({
    grep -o 'RT_EXTERN[^(]*(' "$header" | grep -oE 'rt_[a-z0-9_]+[[:space:]]*\($'
    grep -oE '^#define rt_[a-z0-9_]+\(' "$header" | sed 's/^#define //'
} | tr -d '( \t' | LC_ALL=C sort -u)
synopsis=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$page" | grep -oE 'rt_[a-z0-9_]+\(' | tr -d '(' |
    LC_ALL=C sort -u)
missing=$(LC_ALL=C comm -23 <(echo "$declared") <(echo "$synopsis"))
stale=$(LC_ALL=C comm -13 <(echo "$declared") <(echo "$synopsis"))
if [ -n "$missing$stale" ]; then
    [ -z "$missing" ] || echo "FAIL: $(basename "$page")'s synopsis lacks:" $missing >&2
    [ -z "$stale" ] || echo "FAIL: $(basename "$page")'s synopsis has functions the header lacks:" $stale >&2
    status=1
else
    echo "ok: the synopsis lists the $(echo "$declared" | wc -l) public functions"
fi

# The program between .EX and .EE in EXAMPLES, roff escapes undone.
example=$(mktemp "${TMPDIR:-/tmp}/librutube-example.XXXXXX.c")
trap 'rm -f "$example"' EXIT
awk '/^\.SH EXAMPLES/ { in_section = 1 } in_section && /^\.EX/ { in_code = 1; next }
     in_code && /^\.EE/ { exit } in_code' "$page" | sed -e 's/\\-/-/g' -e 's/\\e/\\/g' >"$example"
if ! grep -q 'int main' "$example"; then
    echo "FAIL: no example program found in $(basename "$page")" >&2
    status=1
elif ! "${CC:-cc}" -std=c11 -Wall -Wextra -Werror -pedantic -fsyntax-only \
    -I "$(dirname "$header")/.." "$example"; then
    echo "FAIL: $(basename "$page")'s example does not compile" >&2
    status=1
else
    echo "ok: the example compiles"
fi
exit "$status"
