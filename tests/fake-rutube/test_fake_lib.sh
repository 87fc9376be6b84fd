# The helpers the fake's self-tests share (test_fake.sh, test_fake_live.sh), sourced by them:
# a work folder removed on exit, TAP output, and starting and stopping the fake.
# Needs FAKE_RUTUBE and FAKE_MEDIA (checked by the sourcing script).

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fake-test.XXXXXX")
CHECKS=0
source "$(dirname "${BASH_SOURCE[0]}")/fake_control.sh" # start_fake, stop_fake
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

# get URL: the body on stdout; the status in $WORK/status.
get() {
    curl -s -o "$WORK/body" -w '%{http_code}' "$1" >"$WORK/status"
    cat "$WORK/body"
}
