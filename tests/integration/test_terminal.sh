#!/usr/bin/env bash
# A server must never drive the user's terminal: titles, authors, RuTube's messages and list
# names holding ESC sequences, BEL, DEL, C1 controls or direction marks come out of every
# output path made visible (\x1b, \u009b, \u202e), checked byte for byte.
source "$(dirname "$0")/lib.sh"

# From tests/fake-rutube/catalog.json: a title "\e]0;pwned\a\e[31mКрасный\e[0m \u009b31m\a\x7f
# \u202eevil\u202c \u2066x\u2069" by "\e[2JАвтор"; a removed video whose "detail" holds the
# same kinds; a playlist of both (and the main video) whose own name does.
HOSTILE_TITLE=e5c0de5ee5c0de5ee5c0de5ee5c0de5e
HOSTILE_DETAIL=e5c0de5e00000000000000000000dead
HOSTILE_LIST=https://rutube.ru/plst/410666/

# expect_inert FILE LABEL: not one byte a terminal acts on: ESC, BEL, DEL, other C0 controls
# but tab and line break, C1 controls (U+0080-U+009F), direction marks (U+202A-U+202E,
# U+2066-U+2069, U+200E/F, U+061C).
expect_inert() {
    local found
    found=$(LC_ALL=C grep -naP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c' "$1" |
        head -3 | cat -v) || true
    [ -z "$found" ] || fail "$2: $(basename "$1") holds raw control characters: $found"
}

# expect_inert_terminal FILE LABEL: what a pseudo-terminal recorded: the tool's own redraw
# codes (\r, ESC [ K, ESC [ nA, ESC [ J) are allowed, nothing else of the kind.
expect_inert_terminal() {
    local cleaned="$1.cleaned"
    LC_ALL=C sed -E 's/\x1b\[[0-9]*[AJK]//g' "$1" | tr '\r' '\n' >"$cleaned"
    expect_inert "$cleaned" "$2"
}

start_fake

# ---- a download: its lines, "Saved", the report, an error line, the -v log ----
rtdl -o "$WORK/out" -v "$HOSTILE_TITLE" "$VIDEO" "$HOSTILE_DETAIL"
expect_status 1 "one of three is removed"
tr '\r' '\n' <"$WORK/stdout" >"$WORK/stdout.lines"
expect_inert "$WORK/stdout.lines" "a download"
expect_inert "$WORK/stderr" "a download"
expect_in "$WORK/stdout" 'Downloading "\x1b]0;pwned\x07\x1b[31mКрасный\x1b[0m \u009b31m\x07\x7f \u202eevil\u202c \u2066x\u2069"'
expect_in "$WORK/stdout" "[1/3] Saved "
expect_in "$WORK/stdout" 'RuTube says: "\x1b]0;pwned\x07\x1b[31mВидео удалено\x1b[0m\u009b2J \u202eusu\x07"'
expect_in "$WORK/stderr" 'error: video e5c0de5e00000000000000000000dead: video not found (RuTube says: "\x1b]0;pwned\x07'
[ "$(grep -c 'error:' "$WORK/stderr")" -eq 1 ] || fail "not one error line: $(cat -v "$WORK/stderr")"
# The file's name is the title without what a file name cannot hold.
saved=$(find "$WORK/out" -name '*.mp4' -newer "$WORK/port" | grep -v "$TITLE" | head -1)
[ -n "$saved" ] || fail "the hostile title's file is missing"
basename "$saved" >"$WORK/name"
expect_inert "$WORK/name" "the file name"
expect_playable "$saved"
ok "a download prints titles and RuTube's words escaped: progress, Saved, report, error, log"

# ---- the lists: -F, --print, --flat, --list-subs ----
rtdl -F "$HOSTILE_TITLE"
expect_status 0 "-F"
expect_inert "$WORK/stdout" "-F"
expect_in "$WORK/stdout" 'Formats of "\x1b]0;pwned\x07\x1b[31mКрасный'
ok "-F names the video escaped"

rtdl --print id,title,author "$HOSTILE_TITLE"
expect_status 0 "--print"
expect_inert "$WORK/stdout" "--print"
[ "$(printf '%s\n' "$HOSTILE_TITLE" '\x1b]0;pwned\x07\x1b[31mКрасный\x1b[0m \u009b31m\x07\x7f \u202eevil\u202c \u2066x\u2069' '\x1b[2JАвтор' |
    paste -s -d '\t')" = "$(cat "$WORK/stdout")" ] || fail "--print: $(cat -v "$WORK/stdout")"
ok "--print gives the title and author escaped, one video a line"

rtdl --flat "$HOSTILE_LIST"
expect_status 0 "--flat"
expect_inert "$WORK/stdout" "--flat"
expect_inert "$WORK/stderr" "--flat"
expect_in "$WORK/stdout" '\x1b]0;pwned\x07\x1b[31mКрасный'
[ "$(grep -c . "$WORK/stdout")" -ge 2 ] || fail "--flat listed $(grep -c . "$WORK/stdout") lines"
ok "--flat lists a playlist's titles escaped"

rtdl --list-subs "$HOSTILE_TITLE"
expect_inert "$WORK/stdout" "--list-subs"
expect_inert "$WORK/stderr" "--list-subs"
ok "--list-subs: nothing raw"

# ---- a terminal: the progress line, and the board of several downloads at once ----
rtdl_on_terminal "$WORK/typescript" -o "$WORK/tty" "$HOSTILE_TITLE"
expect_status 0 "on a terminal"
expect_inert_terminal "$WORK/typescript" "a terminal"
expect_in "$WORK/typescript" "Saved "
ok "on a terminal only the tool's own redraw codes are written"

rtdl_on_terminal "$WORK/typescript-board" -J 3 -o "$WORK/board" "$HOSTILE_LIST"
expect_status 1 "-J 3 on a terminal (the removed one fails the run)"
expect_inert_terminal "$WORK/typescript-board" "the board"
expect_in "$WORK/typescript-board" '\x1b]0;pwned'
expect_in "$WORK/typescript-board" "Overall: "
ok "-J 3 on a terminal: the board's lines escaped"

done_testing
