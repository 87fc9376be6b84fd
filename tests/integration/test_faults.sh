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

# One segment's first two answers never come (no status line, no byte, for a minute): a third
# request, on the mirror in turn, brings it while --timeout (20 s) has not run out. The run is
# bounded at 15 s so that waiting out a stall fails the test instead of passing slowly.
start_fake --stall-head-segment 3:2 --stall-head-ms 60000
rm -rf "$WORK/out"
set +e
timeout 15 "$RUTUBE_DL" --api-base "$API" --container ts -v -o "$WORK/out" "$VIDEO" \
    >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
set -e
expect_status 0 "segment 3 stalled twice"
expect_same_bytes "$EXPECTED" "$WORK/out/$TITLE.ts"
[ "$(grep -c "segment 3 of 15 is slow; racing it" "$WORK/stderr")" -eq 2 ] ||
    fail "not raced twice: $(grep "segment 3 " "$WORK/stderr")"
ok "two stalled answers in a row for one segment: a third request brings it, no timeout waited"

# Every answer for it stalls: the racers that replace one another must not keep the segment,
# and the run, going forever. Its tries are spent (--retries 1) in a few seconds, and the run
# fails saying so, keeping what came before it.
start_fake --stall-head-segment 3:1000 --stall-head-ms 60000
rm -rf "$WORK/out"
set +e
timeout 30 "$RUTUBE_DL" --api-base "$API" --container ts --retries 1 --timeout 1 -v \
    -o "$WORK/out" "$VIDEO" >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
set -e
expect_status 1 "segment 3 never answers"
expect_in "$WORK/stderr" "segment 3 of 15 failed after 2 tries"
expect_in "$WORK/stderr" "2 of 15 segments are kept"
ok "a segment whose every answer stalls: given up after its tries, not raced forever"

# A mirror that is down is avoided once noticed, not asked again for every segment.
start_fake --mirror-down 0
rm -rf "$WORK/out"
rtdl -o "$WORK/out" -j 1 "$VIDEO"
expect_status 0 "mirror down, -j 1"
down=$(requests_matching $'^mirror0\tGET\t.*segment-')
[ "$down" -le 2 ] || fail "the dead mirror was asked $down times"
ok "a dead mirror is asked at most twice, not for every segment ($down)"

# A 404 on every mirror is the same answer each time (the one HTTP status rule, also for API
# calls): each mirror is asked once, then the download fails with RT_E_NOT_FOUND's exit and
# keeps nothing, instead of spending --retries with backoff on it.
start_fake --mirror-down 0 --mirror-down 1
rm -rf "$WORK/out"
rtdl -o "$WORK/out" -j 1 --retries 10 "$VIDEO"
expect_status 1 "every mirror answers 404"
stop_fake
expect_in "$WORK/stderr" "no mirror serves segment 1 of 15"
expect_in "$WORK/stderr" "HTTP 404"
asked=$(requests_matching $'\tGET\t.*segment-1-')
[ "$asked" -eq 2 ] || fail "segment 1 was asked $asked times on two mirrors that both answer 404"
expect_no_final_file "$WORK/out"
ok "a 404 from every mirror fails at once: one request per mirror, not --retries of them"

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

# Asking ahead: when every first byte takes a while, a slot sends its next request while its
# body is ending, on a spare connection, so the wait overlaps the last bytes before it. The
# bodies still follow one another: -j bounds what the fake is sending at once.
start_fake --latency 300 --rate 1000000
rm -rf "$WORK/out"
rtdl -o "$WORK/out" -j 2 -v "$VIDEO"
expect_status 0 "-j 2, 300 ms to every first byte"
stop_fake
expect_same_bytes "$EXPECTED" "$WORK/out/$TITLE.ts"
ahead=$(sed -n 's/.*: \([0-9]*\) requests sent while a body was ending$/\1/p' "$WORK/stderr")
[ "${ahead:-0}" -ge 7 ] || fail "${ahead:-no} requests sent ahead for 15 segments at -j 2"
stat() { sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" "$WORK/stats.json"; }
[ "$(stat max_concurrent_segments)" -le 2 ] ||
    fail "$(stat max_concurrent_segments) bodies at once with -j 2"
[ "$(stat max_concurrent_mirror_connections)" -ge 3 ] ||
    fail "only $(stat max_concurrent_mirror_connections) mirror connections: no request overlapped a body"
ok "-j 2 with 300 ms to first byte: $ahead requests sent ahead, at most $(stat max_concurrent_segments) bodies at once"

# The same when the first mirror is down: the retries go to a host not yet connected to, and
# neither that nor the wait for its first connection may make the bodies overlap.
start_fake --latency 300 --rate 1000000 --mirror-down 0
rm -rf "$WORK/out"
rtdl -o "$WORK/out" -j 4 -v "$VIDEO"
expect_status 0 "-j 4, 300 ms to every first byte, mirror 0 down"
stop_fake
expect_same_bytes "$EXPECTED" "$WORK/out/$TITLE.ts"
expect_in "$WORK/stderr" "requests sent while a body was ending"
[ "$(stat max_concurrent_segments)" -le 4 ] ||
    fail "$(stat max_concurrent_segments) bodies at once with -j 4 after a mirror failed"
ok "-j 4, asking ahead after a mirror failed: at most $(stat max_concurrent_segments) bodies at once"

# A quarter of the requests get no answer for 150 ms: the segments after them arrive first and
# are held in memory until their offsets are known, in buffers that, once written, hold the
# next ones (fetch_answer.c's spares). The short's segments (about 600 KB) are larger than a
# transfer's staging buffer, so every held one takes such a buffer; the bytes must still be
# the segments', in order.
start_fake --segments 40 --stall-head 25 --stall-head-ms 150 --seed 5
rm -rf "$WORK/out"
rtdl -o "$WORK/out" -v 2b920289347334ee93e63873bc444212
expect_status 0 "40 segments of 600 KB, a quarter of the answers late"
stop_fake
held_expected="$WORK/expected-held.ts"
: >"$held_expected"
for i in $(seq 0 39); do
    cat "$FAKE_MEDIA/portrait/608x1080/$(printf 'seg-%03d.ts' $((i % 5)))" >>"$held_expected"
done
expect_same_bytes "$held_expected" "$WORK/out/Короткое видео 🎬 #shorts.ts"
reused=$(sed -n 's/.* segments held until their offset was known, \([0-9]*\) of them in memory used again$/\1/p' "$WORK/stderr")
[ "${reused:-0}" -ge 1 ] || fail "no held segment went into memory used again: $(grep held "$WORK/stderr")"
ok "segments held out of order, $reused of them in buffers used again: the bytes in order"

done_testing
