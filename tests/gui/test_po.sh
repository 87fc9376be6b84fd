#!/usr/bin/env bash
# Every string the window shows has a Russian translation: po/ru.po checked against a template
# made afresh from po/POTFILES.in. Usage: test_po.sh SOURCE_ROOT
set -euo pipefail
src=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/rtdl-po.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$src"

xgettext --from-code=UTF-8 --add-comments=TRANSLATORS --keyword=_ --keyword=N_ \
    --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=ngettext:1,2 \
    --files-from=po/POTFILES.in --output="$work/rutube-dl.pot"
echo "ok 1 - xgettext reads every file in po/POTFILES.in"

msgfmt --check --output-file=/dev/null po/ru.po
echo "ok 2 - po/ru.po compiles (msgfmt --check)"

msgmerge --quiet --no-fuzzy-matching po/ru.po "$work/rutube-dl.pot" --output-file="$work/ru.po"
stats=$(LC_ALL=C msgfmt --statistics --output-file=/dev/null "$work/ru.po" 2>&1)
if echo "$stats" | grep -qE 'untranslated|fuzzy'; then
    echo "not ok 3 - po/ru.po is behind the window's strings: $stats"
    msgattrib --untranslated --no-obsolete --no-wrap "$work/ru.po" | grep '^msgid ' | sed 's/^/#   /'
    exit 1
fi
echo "ok 3 - every string of the window is translated into Russian ($stats)"

fuzzy=$(msgattrib --only-fuzzy --no-obsolete po/ru.po | grep -c '^msgid ' || true)
[ "$fuzzy" = 0 ] || { echo "not ok 4 - po/ru.po has fuzzy entries"; exit 1; }
echo "ok 4 - no fuzzy entries"
echo "1..4"
