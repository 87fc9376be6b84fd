#!/usr/bin/env bash
# Every string the command, the window and the library show has a Russian translation: po/ru.po
# checked against a template made afresh from po/POTFILES.in, which must name every file of
# cli/, gui/ and lib/ with a marked string. Usage: test_po.sh SOURCE_ROOT
set -euo pipefail
src=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/rtdl-po.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$src"

# A file with strings marked for translation that POTFILES.in forgets would never be checked.
missing=""
for file in $(grep -lE '\b(_|N_|ngettext)\(|translatable="yes"' cli/*.c gui/*.c gui/*.ui lib/*.c lib/*/*.c); do
    grep -qxF "$file" po/POTFILES.in || missing="$missing $file"
done
[ -z "$missing" ] || { echo "not ok 1 - po/POTFILES.in lacks:$missing"; exit 1; }
echo "ok 1 - po/POTFILES.in names every file of cli/, gui/ and lib/ with translatable strings"

# The keywords of meson's i18n preset 'glib' (po/meson.build), and ngettext.
xgettext --from-code=UTF-8 --add-comments=TRANSLATORS --keyword=_ --keyword=N_ \
    --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=ngettext:1,2 \
    --files-from=po/POTFILES.in --output="$work/rutube-dl.pot"
echo "ok 2 - xgettext reads every file in po/POTFILES.in"

msgfmt --check --output-file=/dev/null po/ru.po
echo "ok 3 - po/ru.po compiles (msgfmt --check: headers, formats, plural forms)"

# Russian has three forms: 1, 21 (one); 2-4, 22 (few); 0, 5-20, 25, 11-14 (many).
plural='Plural-Forms: nplurals=3; plural=(n%10==1 \&\& n%100!=11 ? 0 : n%10>=2 \&\& n%10<=4 \&\& (n%100<10 || n%100>=20) ? 1 : 2);'
header=$(msgattrib --no-wrap po/ru.po | sed -n '/^msgid ""$/,/^$/p' | grep -F 'Plural-Forms:' || true)
echo "$header" | grep -qF "$(echo "$plural" | sed 's/\\&/\&/g')" ||
    { echo "not ok 4 - po/ru.po's Plural-Forms is not Russian's: $header"; exit 1; }
echo "ok 4 - po/ru.po's Plural-Forms header gives Russian's three forms"

msgmerge --quiet --no-fuzzy-matching po/ru.po "$work/rutube-dl.pot" --output-file="$work/ru.po"
stats=$(LC_ALL=C msgfmt --statistics --output-file=/dev/null "$work/ru.po" 2>&1)
if echo "$stats" | grep -qE 'untranslated|fuzzy'; then
    echo "not ok 5 - po/ru.po is behind the strings of the command, the window or the library: $stats"
    msgattrib --untranslated --no-obsolete --no-wrap "$work/ru.po" | grep '^msgid ' | sed 's/^/#   /'
    exit 1
fi
echo "ok 5 - every string of the command, the window and the library is translated into Russian ($stats)"

fuzzy=$(msgattrib --only-fuzzy --no-obsolete po/ru.po | grep -c '^msgid ' || true)
[ "$fuzzy" = 0 ] || { echo "not ok 6 - po/ru.po has fuzzy entries"; exit 1; }
echo "ok 6 - no fuzzy entries"

# msgfmt counts a plural entry as translated when one form is filled; gettext would print the
# English for the numbers of an empty form.
empty=$(msgexec --input=po/ru.po sh -c '[ -z "$MSGEXEC_MSGID" ] && exit 0
    [ -n "$(cat)" ] || echo "form ${MSGEXEC_PLURAL_FORM:-0} of: $MSGEXEC_MSGID"')
[ -z "$empty" ] || { echo "not ok 7 - po/ru.po has empty forms:"; echo "$empty" | sed 's/^/#   /'; exit 1; }
echo "ok 7 - every plural form of every entry is filled"
echo "1..7"
