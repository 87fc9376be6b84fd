#!/usr/bin/env bash
# Ctrl-C and SIGTERM stop a download promptly, never leaving a file under the final name.
source "$(dirname "$0")/lib.sh"
# These checks are about the stream as RuTube sends it: byte for byte.
RTDL_DEFAULTS=(--container ts)
# 200 KB/s per connection: a segment takes about 3 s, the whole video as long.
start_fake --rate 200000

# stop_after SIGNAL SECONDS: start a download, send SIGNAL after SECONDS; sets STATUS and ELAPSED.
stop_after() {
    rm -rf "$WORK/out"
    "$RUTUBE_DL" --api-base "$API" --container ts -o "$WORK/out" "$VIDEO" >"$WORK/stdout" 2>"$WORK/stderr" </dev/null &
    local pid=$!
    sleep "$2"
    local sent
    sent=$(date +%s%N)
    kill -s "$1" "$pid"
    set +e
    wait "$pid"
    STATUS=$?
    set -e
    ELAPSED=$((($(date +%s%N) - sent) / 1000000))
}

stop_after INT 1
expect_status 130 "SIGINT"
[ "$ELAPSED" -lt 1000 ] || fail "took $ELAPSED ms to stop after SIGINT"
expect_in "$WORK/stderr" "interrupted"
expect_no_final_file "$WORK/out"
ok "SIGINT stops within a second ($ELAPSED ms), exit 130, no final file"

stop_after TERM 1
expect_status 130 "SIGTERM"
[ "$ELAPSED" -lt 1000 ] || fail "took $ELAPSED ms to stop after SIGTERM"
expect_no_final_file "$WORK/out"
ok "SIGTERM the same ($ELAPSED ms)"

# Stopped after some segments were written: they stay in the .part, whole.
start_fake --rate 2000000 --latency 100
rm -rf "$WORK/out"
"$RUTUBE_DL" --api-base "$API" --container ts -j 2 -o "$WORK/out" "$VIDEO" >"$WORK/stdout" 2>"$WORK/stderr" </dev/null &
pid=$!
for _ in $(seq 100); do
    [ -s "$WORK/out/$TITLE.ts.part" ] && break
    sleep 0.05
done
kill -INT "$pid"
set +e
wait "$pid"
STATUS=$?
set -e
expect_status 130 "SIGINT mid-way"
expect_in "$WORK/stderr" "kept in"
size=$(stat -c %s "$WORK/out/$TITLE.ts.part")
[ "$size" -gt 0 ] || fail "the .part is empty"
cmp -s -n "$size" "$(segments_of landscape 1280x712)" "$WORK/out/$TITLE.ts.part" || fail ".part differs"
expect_no_final_file "$WORK/out"
ok "stopped mid-way: the $size bytes written stay in the .part"

done_testing
