#!/usr/bin/env bash
# The progress display: redrawn in place on a terminal, plain lines in a log, nothing if --quiet.
source "$(dirname "$0")/lib.sh"
# These checks are about the stream as RuTube sends it: byte for byte.
RTDL_DEFAULTS=(--container ts)
start_fake --rate 2000000

rtdl -o "$WORK/plain" "$VIDEO"
expect_status 0 "not a terminal"
if grep -q $'\r' "$WORK/stdout"; then fail "carriage returns in non-terminal output"; fi
if grep -q $'\e' "$WORK/stdout"; then fail "escape sequences in non-terminal output"; fi
expect_in "$WORK/stdout" "100.0%"
expect_in "$WORK/stdout" "segments 15/15"
expect_in "$WORK/stdout" "Saved "
lines=$(grep -c '^\[download\]' "$WORK/stdout")
[ "$lines" -le 11 ] || fail "$lines progress lines in a log: too chatty"
ok "not a terminal: $lines plain progress lines, no redraw codes"

rtdl -o "$WORK/quiet" --quiet "$VIDEO"
expect_status 0 "--quiet"
[ ! -s "$WORK/stdout" ] || fail "--quiet printed: $(cat "$WORK/stdout")"
[ ! -s "$WORK/stderr" ] || fail "--quiet printed errors: $(cat "$WORK/stderr")"
ok "--quiet prints nothing"

# A terminal: script(1) gives rutube-dl a pseudo-terminal and records what it drew.
rtdl_on_terminal "$WORK/typescript" -o "$WORK/tty" "$VIDEO"
expect_status 0 "on a terminal"
grep -q $'\r\e\[K' "$WORK/typescript" || fail "no in-place redraw on a terminal"
expect_in "$WORK/typescript" "%"
expect_in "$WORK/typescript" "/s"
expect_in "$WORK/typescript" "ETA"
expect_in "$WORK/typescript" "segments 15/15"
expect_in "$WORK/typescript" "MiB"
# No drawn line is wider than the terminal (a wrapped line cannot be redrawn).
widest=$(tr '\r' '\n' <"$WORK/typescript" | sed 's/\x1b\[K//g' | grep ETA |
    awk '{ if (length($0) > m) m = length($0) } END { print m }')
[ "$widest" -le 100 ] || fail "a progress line is $widest columns on a 100-column terminal"
expect_same_bytes "$(segments_of landscape 1280x712)" "$WORK/tty/$TITLE.ts"
ok "a terminal gets one line redrawn in place with percent, sizes, speed, ETA, segments"

# Several videos at once (-J): on a terminal an overall line and a line per running video,
# redrawn in place; in a log one line per event, no redraw codes.
E1=7051fd5f383fe1790f47befd77a1f5f0
E2=aa5e56b2550539c8c4f46f28d82cf4c3
rtdl -o "$WORK/jobs-plain" -J 2 "$E1" "$E2"
expect_status 0 "-J 2 into a log"
if grep -q $'\e' "$WORK/stdout"; then fail "escape sequences in non-terminal -J output"; fi
expect_in "$WORK/stdout" "[1/2] Downloading"
expect_in "$WORK/stdout" "Downloaded 2, skipped 0, failed 0."
ok "-J 2 into a log: event lines and the report, no redraw"

rtdl_on_terminal "$WORK/typescript-jobs" -J 2 -o "$WORK/jobs-tty" "$E1" "$E2"
expect_status 0 "-J 2 on a terminal"
expect_in "$WORK/typescript-jobs" "Overall: "
expect_in "$WORK/typescript-jobs" "videos done"
expect_in "$WORK/typescript-jobs" "  Пальцы. 1 серия: "
expect_in "$WORK/typescript-jobs" "  Пальцы. 2 серия: "
grep -q $'\e\[[0-9]*A' "$WORK/typescript-jobs" || fail "the board is not redrawn in place"
widest=$(sed 's/\x1b\[[0-9]*[AJK]//g' "$WORK/typescript-jobs" | tr '\r' '\n' | grep -E 'Overall|: ' |
    awk '{ if (length($0) > m) m = length($0) } END { print m }')
[ "$widest" -le 100 ] || fail "a board line is $widest columns on a 100-column terminal"
[ "$(find "$WORK/jobs-tty" -name '*.ts' | wc -l)" -eq 2 ] || fail "not two files"
ok "-J 2 on a terminal: an overall line and a line per video, redrawn in place"

done_testing
