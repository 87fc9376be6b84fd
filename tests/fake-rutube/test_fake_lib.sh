# The helpers the fake's self-tests share (test_fake.sh, test_fake_live.sh), sourced by them:
# a work folder removed on exit, TAP output, and starting and stopping the fake.
# Needs FAKE_RUTUBE and FAKE_MEDIA (checked by the sourcing script).

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fake-test.XXXXXX")
FAKE_PID=
CHECKS=0

stop_fake() {
    if [ -n "$FAKE_PID" ]; then
        kill "$FAKE_PID" 2>/dev/null || true
        wait "$FAKE_PID" 2>/dev/null || true
        FAKE_PID=
    fi
}
trap 'stop_fake; rm -rf "$WORK"' EXIT

fail() {
    echo "not ok $((CHECKS + 1)) - $*"
    echo "1..$((CHECKS + 1))"
    exit 1
}

ok() {
    CHECKS=$((CHECKS + 1))
    echo "ok $CHECKS - $*"
}

# expect WHAT GOT WANT
expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
    ok "$1"
}

start_fake() {
    stop_fake
    rm -f "$WORK/port" "$WORK/stats.json" "$WORK/log"
    "$FAKE_RUTUBE" --media "$FAKE_MEDIA" --port-file "$WORK/port" --stats "$WORK/stats.json" \
        --log "$WORK/log" "$@" >"$WORK/fake.out" 2>&1 &
    FAKE_PID=$!
    for _ in $(seq 100); do
        [ -s "$WORK/port" ] && break
        kill -0 "$FAKE_PID" 2>/dev/null || fail "fake-rutube did not start: $(cat "$WORK/fake.out")"
        sleep 0.05
    done
    [ -s "$WORK/port" ] || fail "fake-rutube wrote no port file"
    API=$(head -n1 "$WORK/port")
}

# get URL: the body on stdout; the status in $WORK/status.
get() {
    curl -s -o "$WORK/body" -w '%{http_code}' "$1" >"$WORK/status"
    cat "$WORK/body"
}
