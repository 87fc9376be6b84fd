# Starting and stopping the fake RuTube from a test script, for the integration tests
# (tests/integration/lib.sh) and the fake's own (test_fake_lib.sh), which source this.
# Uses the sourcing script's WORK, FAKE_RUTUBE, FAKE_MEDIA and fail(); FAKE_PID is the running
# fake's. The fake writes its port to $WORK/port, its statistics to $WORK/stats.json, its
# request log (tests/fake-rutube/README.md, "Observing") to $WORK/requests.log and what it
# prints to $WORK/fake.out.

FAKE_PID=

# start_fake [switches...]: a fresh fake with these switches, on an ephemeral port; sets API.
start_fake() {
    stop_fake
    rm -f "$WORK/port" "$WORK/requests.log" "$WORK/stats.json"
    "$FAKE_RUTUBE" --media "$FAKE_MEDIA" --port-file "$WORK/port" --log "$WORK/requests.log" \
        --stats "$WORK/stats.json" "$@" >"$WORK/fake.out" 2>&1 &
    FAKE_PID=$!
    for _ in $(seq 100); do
        [ -s "$WORK/port" ] && break
        kill -0 "$FAKE_PID" 2>/dev/null || fail "fake-rutube did not start: $(cat "$WORK/fake.out")"
        sleep 0.05
    done
    [ -s "$WORK/port" ] || fail "fake-rutube wrote no port file"
    API=$(head -n1 "$WORK/port")
}

stop_fake() {
    if [ -n "$FAKE_PID" ]; then
        kill "$FAKE_PID" 2>/dev/null || true
        wait "$FAKE_PID" 2>/dev/null || true
        FAKE_PID=
    fi
}
