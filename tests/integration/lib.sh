# Shared helpers for the integration tests: run the real rutube-dl against the fake RuTube.
# Each test script sources this, starts its own fake server (ephemeral ports) and works in a
# fresh temporary folder, so tests can run in parallel.
set -euo pipefail

: "${RUTUBE_DL:?set RUTUBE_DL to the rutube-dl binary}"
: "${FAKE_RUTUBE:?set FAKE_RUTUBE to the fake-rutube binary}"
: "${FAKE_MEDIA:?set FAKE_MEDIA to the folder make-media.sh filled}"

# Ids from tests/fake-rutube/catalog.json.
VIDEO=2ce725b3dc1a243f8456458975ecd872
TITLE="Пальцы | Трейлер | PREMIER"
PRIVATE=4f1a0c7e2b9d48a6b3c5d7e9f1a2b3c4
PRIVATE_KEY=IbAigKqWd1do4mjaM5XLIQ
GEO=6b44ccdc44c54873223033d0f462ef6f
REMOVED=a10e53b86e8f349080f718582ce4c661
SHORT=2b920289347334ee93e63873bc444212
HOSTILE=3eac3b4561676c17df9132a9a1e62e3e
LONG=c58f502c7bb34a8fcdd976b221fca292
UNKNOWN=ffffffffffffffffffffffffffffffff

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rtdl-test.XXXXXX")
# The tool reads no config file of the machine's user: a test writes its own here.
export XDG_CONFIG_HOME="$WORK/config"
CHECKS=0

cleanup() {
    stop_fake
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    for f in "$WORK"/stdout "$WORK"/stderr; do
        [ -f "$f" ] && { echo "--- $(basename "$f"):" >&2; tail -c 3000 "$f" >&2; }
    done
    exit 1
}

ok() {
    CHECKS=$((CHECKS + 1))
    echo "ok $CHECKS - $*"
}

source "$(dirname "${BASH_SOURCE[0]}")/../fake-rutube/fake_control.sh" # start_fake, stop_fake

# Options every rtdl call of a script gets first (a script about the raw stream sets
# RTDL_DEFAULTS=(--container ts)); later options on the call win.
RTDL_DEFAULTS=()

# rtdl [args...]: run rutube-dl against the fake; output in $WORK/stdout and $WORK/stderr,
# exit status in $STATUS. Never fails by itself.
rtdl() {
    set +e
    "$RUTUBE_DL" --api-base "$API" "${RTDL_DEFAULTS[@]}" "$@" >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
    STATUS=$?
    set -e
}

# rtdl_stdin INPUT [args...]: the same, with INPUT on stdin.
rtdl_stdin() {
    local input=$1
    shift
    set +e
    printf '%s' "$input" | "$RUTUBE_DL" --api-base "$API" "${RTDL_DEFAULTS[@]}" "$@" \
        >"$WORK/stdout" 2>"$WORK/stderr"
    STATUS=$?
    set -e
}

expect_status() {
    [ "$STATUS" -eq "$1" ] || fail "expected exit status $1, got $STATUS ($2)"
}

# expect_in FILE TEXT: FILE ($WORK/stdout or stderr) contains TEXT.
expect_in() {
    grep -qF -- "$2" "$1" || fail "$(basename "$1") lacks \"$2\""
}

expect_not_in() {
    if grep -qF -- "$2" "$1"; then fail "$(basename "$1") has \"$2\""; fi
}

# The bytes a download of this media and size must produce: its segments in order.
segments_of() {
    local dir="$FAKE_MEDIA/$1/$2"
    local out="$WORK/expected-$1-$2.ts"
    [ -f "$out" ] || cat "$dir"/seg-*.ts >"$out"
    echo "$out"
}

expect_same_bytes() {
    [ -f "$2" ] || fail "no file $2"
    cmp -s "$1" "$2" || fail "$2 differs from the concatenated segments"
}

# expect_playable FILE: ffprobe reads it and finds one H.264 video and one AAC audio stream.
# (For MPEG-TS ffprobe lists each stream twice, under its program and on its own: hence -u.)
expect_playable() {
    local streams
    streams=$(ffprobe -v error -show_entries stream=index,codec_name -of csv=p=0 "$1" |
        grep . | sort -u | cut -d, -f2 | sort | tr '\n' ' ')
    [ "$streams" = "aac h264 " ] || fail "ffprobe found \"$streams\" in $1"
    local duration
    duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$1")
    awk -v d="$duration" 'BEGIN { exit !(d > 1) }' || fail "ffprobe reads a duration of $duration s"
}

# expect_no_room_left FILE: the disk space taken ahead of the writes (lib/base/reserve.h, 32 MiB
# at a time) was given back: FILE holds no more than its size and a few blocks.
expect_no_room_left() {
    local blocks
    blocks=$(stat -c '%b %B %s' "$1" | awk '{ print $1 * $2 - $3 }')
    [ "$blocks" -lt 1048576 ] || fail "$(basename "$1") holds $blocks bytes of disk beyond its size"
}

# No file under a final name: nothing but .part files (or nothing) in DIR.
expect_no_final_file() {
    local dir=$1
    [ -d "$dir" ] || return 0
    local finals
    finals=$(find "$dir" -type f ! -name '*.part' | head -5)
    [ -z "$finals" ] || fail "a final file exists: $finals"
}

# rtdl_on_terminal TYPESCRIPT [args...]: rutube-dl on a 100-column pseudo-terminal (script(1)),
# against the fake; what it drew goes to TYPESCRIPT, its exit status to $STATUS.
rtdl_on_terminal() {
    local typescript=$1
    shift
    local command
    command="stty cols 100; $(printf '%q ' "$RUTUBE_DL" --api-base "$API" "${RTDL_DEFAULTS[@]}" "$@")"
    set +e
    COLUMNS=100 script -qefc "$command" "$typescript" >/dev/null </dev/null
    STATUS=$?
    set -e
}

# How many requests the fake saw whose line matches PATTERN (grep -E).
requests_matching() {
    grep -cE -- "$1" "$WORK/requests.log" || true
}

done_testing() {
    echo "1..$CHECKS"
}
