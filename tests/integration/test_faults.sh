#!/usr/bin/env bash
# Transient faults: every one of them still ends in a file identical to the segments.
source "$(dirname "$0")/lib.sh"
# These checks are about the stream as RuTube sends it: byte for byte.
RTDL_DEFAULTS=(--container ts)

EXPECTED=$(segments_of landscape 1280x712)

# survive LABEL [rutube-dl options --] fake switches...: the download completes, byte-identical.
survive() {
    local label=$1
    shift
    local opts=()
    if [[ " $* " == *" -- "* ]]; then
        while [ "$1" != "--" ]; do
            opts+=("$1")
            shift
        done
        shift
    fi
    start_fake "$@"
    rm -rf "$WORK/out"
    rtdl -o "$WORK/out" "${opts[@]}" "$VIDEO"
    expect_status 0 "$label"
    expect_same_bytes "$EXPECTED" "$WORK/out/$TITLE.ts"
    ok "$label"
}

survive "30% of segment requests answer 503" --fail-503 30 --seed 1
survive "every segment answers 503 twice before it works" --flaky 2
survive "30% of bodies cut mid-way" --cut 30 --seed 2
survive "the first mirror answers 404 for every segment" --mirror-down 0
survive "the second mirror answers 404 for every segment" --mirror-down 1
survive "the first mirror refuses connections" --mirror-refused 0
survive "200 ms to the first byte of every answer" --latency 200
survive "a 1 MB/s cap per connection" --rate 1000000
survive "15% of bodies stall half-way for 30 s (timeout 2 s)" --timeout 2 -- --stall 15 \
    --stall-ms 30000 --seed 3
survive "a mix: 10% 503, 10% cut, 5% stalls" --timeout 2 -- --fail-503 10 --cut 10 --stall 5 \
    --stall-ms 30000 --seed 4

# A mirror that is down is avoided once noticed, not asked again for every segment.
start_fake --mirror-down 0
rm -rf "$WORK/out"
rtdl -o "$WORK/out" -j 1 "$VIDEO"
expect_status 0 "mirror down, -j 1"
down=$(requests_matching $'^mirror0\tGET\t.*segment-')
[ "$down" -le 2 ] || fail "the dead mirror was asked $down times"
ok "a dead mirror is asked at most twice, not for every segment ($down)"

# -j bounds the transfers at once, and more than one run at once. (The fake counts bodies
# being sent, so a rate cap makes the bodies overlap long enough to be counted.)
start_fake --rate 1000000
rm -rf "$WORK/out"
rtdl -o "$WORK/out" -j 3 "$VIDEO"
expect_status 0 "-j 3"
stop_fake
max=$(sed -n 's/.*"max_concurrent_segments": *\([0-9]*\).*/\1/p' "$WORK/stats.json")
[ -n "$max" ] || fail "no stats from the fake: $(cat "$WORK/stats.json" 2>/dev/null)"
[ "$max" -le 3 ] && [ "$max" -ge 2 ] || fail "max concurrent segments was $max with -j 3"
ok "-j 3: at most 3 segments at once, and more than one ($max)"

start_fake --rate 1000000
rm -rf "$WORK/out"
rtdl -o "$WORK/out" "$VIDEO"
stop_fake
max=$(sed -n 's/.*"max_concurrent_segments": *\([0-9]*\).*/\1/p' "$WORK/stats.json")
[ "$max" -ge 10 ] || fail "default -j 16 ran only $max at once for 15 segments"
ok "default: all 15 segments in flight at once ($max)"

done_testing
