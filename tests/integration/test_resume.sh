#!/usr/bin/env bash
# Stopping and continuing: signals, kill -9, failed runs, a full disk; the state beside the
# .part; resumes that fetch only what is missing and end byte for byte.
source "$(dirname "$0")/lib.sh"
RTDL_DEFAULTS=(--container ts)
EXPECTED=$(segments_of landscape 1280x712)
OUT="$WORK/out"
PART="$OUT/$TITLE.ts.part"
STATE="$OUT/$TITLE.ts.part.state"

# start_download [args...]: rutube-dl in the background (PID in $PID).
start_download() {
    "$RUTUBE_DL" --api-base "$API" --container ts -o "$OUT" "$@" "$VIDEO" \
        >"$WORK/stdout" 2>"$WORK/stderr" </dev/null &
    PID=$!
}

# wait_for_segments N: until the .part holds at least N whole segments (by its state file,
# whichever container's it is).
wait_for_segments() {
    for _ in $(seq 400); do
        local done
        done=$(cat "$OUT"/*.part.state 2>/dev/null | sed -n 's/.*"segments_done": *\([0-9]*\).*/\1/p' || true)
        [ -n "$done" ] && [ "$done" -ge "$1" ] && return 0
        kill -0 "$PID" 2>/dev/null || return 0
        sleep 0.05
    done
    fail "the download never got to $1 segments"
}

finish() { # wait for $PID, set STATUS
    set +e
    wait "$PID"
    STATUS=$?
    set -e
}

# segments_requested_since LINE: segment requests in the fake's log after line LINE.
segments_requested_since() {
    tail -n +"$(($1 + 1))" "$WORK/requests.log" | grep -c 'segment-' || true
}

# 1. Signals stop promptly.
start_fake --rate 200000
for sig in INT TERM; do
    rm -rf "$OUT"
    start_download
    sleep 1
    sent=$(date +%s%N)
    kill -s "$sig" "$PID"
    finish
    elapsed=$((($(date +%s%N) - sent) / 1000000))
    expect_status 130 "SIG$sig"
    [ "$elapsed" -lt 1000 ] || fail "took $elapsed ms to stop after SIG$sig"
    expect_in "$WORK/stderr" "cancelled"
    expect_no_final_file "$OUT"
    ok "SIG$sig stops within a second ($elapsed ms), exit 130, no final file"
done

# 2. Ctrl-C mid-way, then the same command: only the rest is fetched.
start_fake --rate 1500000
rm -rf "$OUT"
start_download -j 2
wait_for_segments 4
kill -INT "$PID"
finish
expect_status 130 "SIGINT mid-way"
expect_in "$WORK/stderr" "segments are kept in $PART: run the same command again to continue"
[ -f "$PART" ] && [ -f "$STATE" ] || fail "no .part and state after Ctrl-C"
jq -e ".video_id == \"$VIDEO\" and .width == 1280 and .height == 712 and .segment_count == 15" \
    "$STATE" >/dev/null || fail "state: $(cat "$STATE")"
kept=$(jq .segments_done "$STATE")
bytes=$(jq .bytes_done "$STATE")
[ "$(stat -c %s "$PART")" -ge "$bytes" ] || fail "the .part is shorter than its state"
cmp -s -n "$bytes" "$EXPECTED" "$PART" || fail "the kept segments differ"
ok "Ctrl-C keeps $kept whole segments ($bytes bytes) and a state naming video, quality, count"

start_fake
before=$(wc -l <"$WORK/requests.log")
rtdl -v -o "$OUT" "$VIDEO"
expect_status 0 "resume"
expect_in "$WORK/stderr" "continuing $PART: $kept of 15 segments"
expect_same_bytes "$EXPECTED" "$OUT/$TITLE.ts"
fetched=$(segments_requested_since "$before")
[ "$fetched" -eq $((15 - kept)) ] || fail "fetched $fetched segments, not the $((15 - kept)) missing"
[ ! -e "$PART" ] && [ ! -e "$STATE" ] || fail "the .part or state outlived the download"
ok "the same command continues: $fetched segments fetched, byte-identical, no leftovers"

# 3. --no-continue starts over; a state for another quality, a damaged one, or a .part
#    without one also start over, with a warning.
make_partial() { # leave a .part and state from an interrupted run, with ARGS
    rm -rf "$OUT"
    start_fake --rate 1500000
    start_download -j 2 "$@"
    wait_for_segments 3
    kill -INT "$PID"
    finish
    start_fake
}
make_partial
before=$(wc -l <"$WORK/requests.log")
rtdl -o "$OUT" --no-continue "$VIDEO"
expect_status 0 "--no-continue"
[ "$(segments_requested_since "$before")" -eq 15 ] || fail "--no-continue did not start over"
expect_same_bytes "$EXPECTED" "$OUT/$TITLE.ts"
ok "--no-continue starts over"

make_partial -q 480
rtdl -o "$OUT" "$VIDEO"
expect_status 0 "state of another quality"
expect_in "$WORK/stderr" "another video, quality or playlist"
expect_same_bytes "$EXPECTED" "$OUT/$TITLE.ts"
ok "a .part of another quality: a warning, a clean restart, the right file"

make_partial
echo '{"version": 1, "video_id": "garbage' >"$STATE"
rtdl -o "$OUT" "$VIDEO"
expect_status 0 "damaged state"
expect_in "$WORK/stderr" "is damaged; starting over"
expect_same_bytes "$EXPECTED" "$OUT/$TITLE.ts"
ok "a damaged state: a warning, a clean restart"

make_partial
rm -f "$STATE"
rtdl -o "$OUT" "$VIDEO"
expect_status 0 "no state"
expect_in "$WORK/stderr" "has no state file beside it"
expect_same_bytes "$EXPECTED" "$OUT/$TITLE.ts"
ok "a .part without its state is not trusted: a warning, a clean restart"

make_partial
jq '.bytes_done += 1000000000' "$STATE" >"$STATE.new" && mv "$STATE.new" "$STATE"
rtdl -o "$OUT" "$VIDEO"
expect_in "$WORK/stderr" "shorter than its state says"
expect_same_bytes "$EXPECTED" "$OUT/$TITLE.ts"
ok "a state claiming more than the .part holds: a warning, a clean restart"

# 3b. All segments in, the remux interrupted: the next run only remuxes.
make_partial --container mp4
MP4_PART="$OUT/$TITLE.mp4.part"
[ -f "$MP4_PART.state" ] || fail "no state from an interrupted MP4 download"
cp "$EXPECTED" "$MP4_PART"
jq ".segments_done = 15 | .bytes_done = $(stat -c %s "$EXPECTED")" "$MP4_PART.state" >"$WORK/s" &&
    mv "$WORK/s" "$MP4_PART.state"
before=$(wc -l <"$WORK/requests.log")
rtdl -o "$OUT" --container mp4 "$VIDEO"
expect_status 0 "remux only"
[ "$(segments_requested_since "$before")" -eq 0 ] || fail "segments fetched again"
expect_playable "$OUT/$TITLE.mp4"
[ ! -e "$MP4_PART" ] && [ ! -e "$MP4_PART.state" ] || fail "leftovers after the remux"
ok "segments complete but the remux interrupted: the next run only remuxes"

# 4. kill -9 at random moments, several rounds, then a clean finish. Each round after the
#    first should continue from the state the previous one left (checkpoints come every
#    second); at least one must. A kill is 2 to 4 s in: at 0.5 MB/s a whole segment takes
#    about 1.4 s, so an earlier kill may find no whole segment to keep, and every round could
#    then start from nothing on a loaded machine.
start_fake --rate 500000
rm -rf "$OUT"
continued=0
for round in 1 2 3 4 5; do
    start_download -v -j 3
    sleep "$((RANDOM % 2 + 2)).$((RANDOM % 10))"
    kill -9 "$PID" 2>/dev/null || true # it may have finished already
    finish
    if grep -q "continuing $PART" "$WORK/stderr"; then continued=$((continued + 1)); fi
    [ -e "$OUT/$TITLE.ts" ] && break
done
[ "$continued" -ge 1 ] || fail "no round continued from the state"
start_fake
rtdl -o "$OUT" "$VIDEO"
expect_status 0 "after kill -9"
expect_same_bytes "$EXPECTED" "$OUT/$TITLE.ts"
ok "killed with SIGKILL at random moments ($continued rounds continued), then finished byte-identical"

# 5. A failed run (the network went away mid-way) continues when it is back.
start_fake --rate 1500000
rm -rf "$OUT"
start_download -j 2 --retries 1 --timeout 2
wait_for_segments 4
stop_fake
finish
expect_status 1 "network gone"
expect_in "$WORK/stderr" "run the same command again to continue"
kept=$(jq .segments_done "$STATE")
start_fake
rtdl -o "$OUT" "$VIDEO"
expect_status 0 "network back"
expect_same_bytes "$EXPECTED" "$OUT/$TITLE.ts"
ok "the server vanished after $kept segments: exit 1 with how to continue; later the same command finished"

# 6. A full disk: an 8 MiB file system fills up part-way through the 9.8 MiB video (4 transfers
#    at once, so that whole segments are in before it does); after it grows the download
#    continues.
#    (A private mount namespace, so no root is needed and nothing outside is touched.)
if unshare -rm true 2>/dev/null; then
    start_fake
    mkdir -p "$WORK/small"
    set +e
    unshare -rm bash -c '
        set -e
        mount -t tmpfs -o size=8m tmpfs "$1/small"
        set +e
        "$2" --api-base "$3" --container ts -j 4 -o "$1/small" "$4" >"$1/full.out" 2>"$1/full.err"
        echo $? >"$1/full.status"
        cp "$1/small/"*.part* "$1/" 2>/dev/null
        mount -o remount,size=50m "$1/small"
        "$2" --api-base "$3" --container ts -o "$1/small" "$4" >"$1/more.out" 2>"$1/more.err"
        echo $? >"$1/more.status"
        cp "$1/small/"*.ts "$1/resumed.ts"' _ "$WORK" "$RUTUBE_DL" "$API" "$VIDEO"
    set -e
    [ "$(cat "$WORK/full.status")" = 1 ] || fail "a full disk gave status $(cat "$WORK/full.status")"
    grep -q "disk full while writing" "$WORK/full.err" || fail "no disk-full message: $(cat "$WORK/full.err")"
    grep -q "run the same command again" "$WORK/full.err" || fail "no hint to continue"
    kept=$(jq .segments_done "$WORK/$TITLE.ts.part.state")
    [ "$kept" -gt 0 ] || fail "nothing kept on the full disk"
    [ "$(cat "$WORK/more.status")" = 0 ] || fail "the resume after freeing space failed: $(cat "$WORK/more.err")"
    expect_same_bytes "$EXPECTED" "$WORK/resumed.ts"
    ok "a full disk: clear error, $kept segments kept; after space was freed the same command finished"
else
    ok "# SKIP no user namespaces for the full-disk check"
fi

done_testing
