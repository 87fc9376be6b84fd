#!/usr/bin/env bash
# The long options cannot drift: every option in rutube-dl's option table (cli/cli_options.c)
# is in `rutube-dl --help`, and every option of --help is in each FILE (the man page, the
# completions), which names no option that --help lacks.
#   tests/docs/check-options.sh RUTUBE_DL CLI_OPTIONS_C FILE...
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 RUTUBE_DL CLI_OPTIONS_C FILE..." >&2; exit 2; }
rutube_dl=$1 options_c=$2
shift 2

# Long options written as --name (roff writes a dash as \-), or in a fish completion file as
# `complete ... -l name`.
long_options_in() {
    case $1 in
    *.fish) grep -oE -- '(^| )-l [a-z0-9-]+' "$1" | sed -E 's/^ ?-l /--/' | LC_ALL=C sort -u ;;
    *) sed 's/\\-/-/g' "$1" | grep -oE -- '--[a-z][a-z0-9-]*[a-z0-9]' | LC_ALL=C sort -u ;;
    esac
}

help=$("$rutube_dl" --ignore-config --help)
help_options=$(long_options_in <(echo "$help"))
table_options=$(sed -n '/cli_long_options\[\] = {/,/^};/p' "$options_c" |
    grep -oE '^ *\{"[a-z0-9-]+"' | sed -E 's/^ *\{"/--/; s/"$//' | LC_ALL=C sort -u)
[ -n "$table_options" ] || { echo "FAIL: no option table found in $options_c" >&2; exit 1; }

status=0
missing=$(LC_ALL=C comm -23 <(echo "$table_options") <(echo "$help_options"))
if [ -n "$missing" ]; then
    echo "FAIL: --help does not show these options of $(basename "$options_c"):" $missing >&2
    status=1
fi
for file in "$@"; do
    name=$(basename "$file")
    in_file=$(long_options_in "$file")
    missing=$(LC_ALL=C comm -23 <(echo "$help_options") <(echo "$in_file"))
    stale=$(LC_ALL=C comm -13 <(echo "$help_options") <(echo "$in_file"))
    if [ -n "$missing" ]; then
        echo "FAIL: $name lacks these options of --help:" $missing >&2
        status=1
    fi
    if [ -n "$stale" ]; then
        echo "FAIL: $name names options --help does not have:" $stale >&2
        status=1
    fi
    [ -n "$missing$stale" ] || echo "ok: $name has the $(echo "$help_options" | wc -l) long options of --help"
done
exit "$status"
