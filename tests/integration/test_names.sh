#!/usr/bin/env bash
# Titles built to attack the file system, through the real binary: every file lands inside
# the chosen folder, under a safe name, in both the plain and the --restrict-filenames modes.
source "$(dirname "$0")/lib.sh"

LONG_TITLE=$(printf 'Длинное название %.0s' $(seq 400)) # about 12 KB of UTF-8
# id, title (as a JSON string)
cat >"$WORK/titles" <<'LIST'
10000000000000000000000000000001 "../../x"
10000000000000000000000000000002 "/etc/passwd"
10000000000000000000000000000003 "a\u0001b\u0007c\td\ne\u001bf\u007f"
10000000000000000000000000000004 "CON"
10000000000000000000000000000005 "?!.,:;*|<>\"'"
10000000000000000000000000000006 "...."
10000000000000000000000000000007 "-rf --no-preserve-root"
10000000000000000000000000000008 "\u202egpj.exe"
LIST
{
    echo '{"videos": ['
    while read -r id title; do
        echo "{\"id\": \"$id\", \"title\": $title, \"author\": \"a\", \"media\": \"landscape\", \"access\": \"ok\"},"
    done <"$WORK/titles"
    echo "{\"id\": \"10000000000000000000000000000009\", \"title\": \"$LONG_TITLE\", \"author\": \"a\", \"media\": \"landscape\", \"access\": \"ok\"}"
    echo ']}'
} >"$WORK/catalog.json"
start_fake --catalog "$WORK/catalog.json"

ids=$(cut -d' ' -f1 "$WORK/titles"; echo 10000000000000000000000000000009)
for mode in plain restrict; do
    opts=(--container ts)
    [ "$mode" = restrict ] && opts+=(--restrict-filenames)
    for id in $ids; do
        dir="$WORK/$mode/$id"
        mkdir -p "$dir"
        ( cd "$dir" && "$RUTUBE_DL" --api-base "$API" --quiet "${opts[@]}" "$id" ) ||
            fail "$mode $id: exit $?"
        files=$(find "$WORK/$mode/$id" -type f)
        [ "$(echo "$files" | wc -l)" -eq 1 ] || fail "$mode $id: files: $files"
        name=$(basename "$files")
        [ "$(dirname "$files")" = "$dir" ] || fail "$mode $id: written to $(dirname "$files")"
        case "$name" in .* | -*) fail "$mode $id: hidden or option-like name \"$name\"" ;; esac
        [ "$(printf '%s' "$name" | wc -c)" -le 200 ] || fail "$mode $id: name too long"
        if LC_ALL=C grep -q '[[:cntrl:]]' <<<"$name"; then fail "$mode $id: control characters"; fi
        if grep -q $'\u202e' <<<"$name"; then fail "$mode $id: a direction override survived"; fi
        iconv -f UTF-8 -t UTF-8 <<<"$name" >/dev/null || fail "$mode $id: not UTF-8"
        if [ "$mode" = restrict ]; then
            [[ "$name" =~ ^[A-Za-z0-9_]+\.ts$ ]] || fail "restrict $id: \"$name\""
        fi
        expect_same_bytes "$(segments_of landscape 1280x712)" "$files"
        echo "# $mode $id -> $name" | cut -c1-120
    done
    [ ! -e "$WORK/x" ] && [ ! -e "$WORK/$mode/x" ] && [ ! -e /etc/passwd.ts ] || fail "a file escaped"
    ok "$mode names: nine hostile titles, nine files, each inside its folder"
done

[ -e "$WORK/plain/10000000000000000000000000000004/CON_.ts" ] || fail "CON not made safe"
[ -e "$WORK/restrict/10000000000000000000000000000004/CON_.ts" ] || fail "CON (restricted) not made safe"
ok "Windows device names get a '_' (CON -> CON_.ts)"

done_testing
