#!/usr/bin/env bash
# The manual pages format without a warning: groff -man -ww (every warning) on each, and the
# version in each .TH line is the project's.
#   tests/docs/check-man.sh VERSION PAGE...
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 VERSION PAGE..." >&2; exit 2; }
version=$1
shift
status=0
for page in "$@"; do
    name=$(basename "$page")
    warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1 >/dev/null || echo "groff failed")
    if [ -n "$warnings" ]; then
        echo "FAIL: $name: groff warns:" >&2
        echo "$warnings" | sed 's/^/    /' >&2
        status=1
    fi
    th=$(grep -m1 '^\.TH ' "$page" || true)
    case "$th" in
    *" $version\""*) ;;
    *) echo "FAIL: $name: its .TH line does not name version $version: $th" >&2; status=1 ;;
    esac
    [ "$status" -ne 0 ] || echo "ok: $name"
done
exit "$status"
