#!/usr/bin/env bash
# Segments that crawl: a fast first byte and then a trickle, an endless body at a crawl, drips
# of one byte a second. Each download ends, done or with one clear error and its .part kept,
# within the bound the README states (--timeout for a segment's first try that got nowhere,
# 5 s for each later one, two such tries a mirror). `timeout` is only a generous backstop that
# turns a hang into a failure; the seconds each run took are printed, not asserted.
source "$(dirname "$0")/lib.sh"
RTDL_DEFAULTS=(--container ts)
EXPECTED=$(segments_of landscape 1280x712)

# timed SECONDS [rutube-dl options...]: rtdl under a backstop; sets TOOK (seconds).
timed() {
    local limit=$1
    shift
    local start
    start=$(date +%s.%N)
    set +e
    timeout "$limit" "$RUTUBE_DL" --api-base "$API" "${RTDL_DEFAULTS[@]}" "$@" \
        >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
    STATUS=$?
    set -e
    TOOK=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    [ "$STATUS" -ne 124 ] || fail "still running after $limit s"
}

# One segment trickles at 2 KB/s on its first try only (about 5 minutes for its body): it is
# raced or asked again, and the download takes seconds.
start_fake --trickle 3:2000:1
timed 60 -o "$WORK/once" -v "$VIDEO"
expect_status 0 "one trickling try"
expect_same_bytes "$EXPECTED" "$WORK/once/$TITLE.ts"
grep -qE "segment 3 of 15( is slow; racing|: .* far slower than the usual)" "$WORK/stderr" ||
    fail "segment 3 was neither raced nor dropped"
ok "a segment trickling at 2 KB/s once is raced or asked again: done in $TOOK s"

# Every try of it trickles, on both mirrors: given up after two tries a mirror.
start_fake --trickle 3:2000
timed 60 -o "$WORK/always" "$VIDEO"
expect_status 1 "a segment that always trickles"
[ "$(grep -c . "$WORK/stderr")" -eq 1 ] || fail "not one line: $(cat "$WORK/stderr")"
expect_in "$WORK/stderr" "segment 3 of 15: every try got nowhere"
expect_in "$WORK/stderr" "far slower than the usual"
expect_in "$WORK/stderr" "2 of 15 segments are kept"
[ ! -e "$WORK/always/$TITLE.ts" ] || fail "a half-done file carries the final name"
[ -f "$WORK/always/$TITLE.ts.part" ] || fail "the .part was not kept"
gave_up=$TOOK
start_fake
timed 60 -o "$WORK/always" "$VIDEO"
expect_status 0 "the resumed download"
expect_same_bytes "$EXPECTED" "$WORK/always/$TITLE.ts"
[ "$(requests_matching 'segment-(1|2)-')" -eq 0 ] || fail "the kept segments were asked again"
ok "a segment that always trickles: one error in $gave_up s, .part kept, the rerun completes it"

# An endless body at 4 KB/s (no Content-Length, never ends).
start_fake --endless 3 --trickle 3:4000
timed 60 -o "$WORK/endless" "$VIDEO"
expect_status 1 "an endless crawl"
[ "$(grep -c . "$WORK/stderr")" -eq 1 ] || fail "not one line: $(cat "$WORK/stderr")"
expect_in "$WORK/stderr" "segment 3 of 15: every try got nowhere"
expect_in "$WORK/stderr" ".part"
ok "an endless body at 4 KB/s ends in one error after $TOOK s"

# Every body drips at 1 B/s, at the default --timeout (20 s): under libcurl's low-speed limit
# on every try, so each segment is given up after its fourth try (20 + 3 x 5 s and backoff)
# instead of --retries tries of 20 s each (146 s before).
start_fake --slow-loris 100
timed 90 -o "$WORK/drip" "$VIDEO"
expect_status 1 "every body drips"
[ "$(grep -c . "$WORK/stderr")" -eq 1 ] || fail "not one line: $(cat "$WORK/stderr")"
expect_in "$WORK/stderr" "every try got nowhere"
# Tries of the segment given up (its racers still running at the end among them), not 11.
tries=$(awk -F'\t' -v seg="$(grep -o 'segment [0-9]*' "$WORK/stderr" | head -1 | cut -d' ' -f2)" \
    '$3 ~ ("/segment-" seg "-") { n++ } END { print n + 0 }' "$WORK/requests.log")
[ "$tries" -ge 4 ] && [ "$tries" -le 6 ] || fail "the given-up segment was asked $tries times"
ok "bodies dripping at 1 B/s: given up after $tries tries, $TOOK s at the default timeout"

# Slow everywhere is not "far slower": all bodies share 3 MB/s over 16 connections; none is
# dropped, the download completes.
start_fake --total-rate 3000000 --segments 45
timed 120 -o "$WORK/shared" -v -j 16 "$VIDEO"
expect_status 0 "a slow line"
expect_not_in "$WORK/stderr" "far slower"
ok "a line slow for every body drops none of them ($TOOK s for 45 segments at 3 MB/s)"

done_testing
