#!/usr/bin/env bash
# Recording a stream on the air (the fake's sliding-window live stream, tests/fake-rutube's
# Live section) through the real binary: to the broadcast's end, Ctrl-C, kill -9 and the run
# after it, a gap named and closed, expired addresses asked anew, --live-from-start, the live
# master's qualities, and --wait-for-video for a stream that has not begun.
source "$(dirname "$0")/lib.sh"
LIVE=9bc16299d9f45a152188f9172619b5c0
LIVE_TITLE="Прямой эфир: новости"
UPCOMING=81ee160b609d3b84724a456275317058
ADDRESS="https://rutube.ru/live/video/$LIVE/"

duration_of() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"; }

# expect_playable FILE SECONDS: H.264 and AAC that decode without an error, lasting SECONDS
# within 0.1 s.
expect_playable() {
    [ -f "$1" ] || fail "no file $1"
    ffmpeg -v error -xerror -i "$1" -f null - 2>"$WORK/decode.err" ||
        fail "$(basename "$1") does not decode: $(head -c 300 "$WORK/decode.err")"
    local d
    d=$(duration_of "$1")
    awk -v d="$d" -v w="$2" 'BEGIN { exit !(d >= w - 0.1 && d <= w + 0.1) }' ||
        fail "$(basename "$1") lasts $d s, not $2 s"
}

# The live segment numbers fetched (200), one a line, in order of request.
live_segments() {
    awk -F'\t' '$3 ~ /^\/live\/.*segment-/ && $8 == 200 { s = $3; sub(/.*segment-/, "", s); sub(/\.ts.*/, "", s); print s }' \
        "$WORK/requests.log"
}

# The whole segments a recording's state says it holds.
state_segments() {
    sed -n 's/.*"segments_done": \([0-9]*\).*/\1/p' "$1" 2>/dev/null || true
}

# rtdl_background ARGS...: rutube-dl in the background; RTDL_PID.
rtdl_background() {
    "$RUTUBE_DL" --api-base "$API" "$@" >"$WORK/stdout" 2>"$WORK/stderr" </dev/null &
    RTDL_PID=$!
}

# wait_for_state STATE N: until the recording's state holds N segments (30 s at most).
wait_for_state() {
    for _ in $(seq 300); do
        [ "$(state_segments "$1")" -ge "$2" ] 2>/dev/null && return 0
        sleep 0.1
    done
    fail "the recording never held $2 segments: $(cat "$WORK/stderr")"
}

# ---- to the broadcast's end ----
# A new segment every 2 s: the first playlist must come before the 11th segment does, and a
# slow start (a sanitizer build on busy cores) takes more than a second.
start_fake --live-period 2 --live-window 10 --live-end 12
rtdl -v -o "$WORK/end" "$ADDRESS"
expect_status 0 "recorded to the end"
expect_in "$WORK/stdout" "Recording the live stream until it ends"
expect_in "$WORK/stderr" "12 segments (0 missed), to the broadcast's end"
expect_in "$WORK/stdout" "[live] 0:"
expect_in "$WORK/stdout" " recorded  "
expect_not_in "$WORK/stdout" "ETA"
expect_playable "$WORK/end/$LIVE_TITLE.mp4" 48
[ "$(live_segments | sort -n | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 9 10 11 12 " ] ||
    fail "segments fetched: $(live_segments | tr '\n' ' ')"
[ -z "$(find "$WORK/end" -name '*.part*')" ] || fail "litter: $(ls "$WORK/end")"
ok "a broadcast that ends: its 12 segments, each once, into a 48 s MP4 that decodes; the tool stops by itself"

# ---- Ctrl-C ends the recording with its file ----
start_fake
rtdl_background -o "$WORK/int" "$ADDRESS"
wait_for_state "$WORK/int/$LIVE_TITLE.mp4.part.state" 4
kill -INT "$RTDL_PID"
wait "$RTDL_PID"
STATUS=$?
expect_status 0 "Ctrl-C"
recorded=$(live_segments | wc -l)
expect_playable "$WORK/int/$LIVE_TITLE.mp4" $((recorded * 4))
[ -z "$(find "$WORK/int" -name '*.part*')" ] || fail "litter after Ctrl-C: $(ls "$WORK/int")"
ok "Ctrl-C: exit 0 and a playable MP4 of the $recorded segments recorded, nothing half-written left"

# ---- kill -9, then the same command records on ----
start_fake
rtdl_background -o "$WORK/kill" "$ADDRESS"
wait_for_state "$WORK/kill/$LIVE_TITLE.mp4.part.state" 4
kill -KILL "$RTDL_PID"
wait "$RTDL_PID" 2>/dev/null || true
PART="$WORK/kill/$LIVE_TITLE.mp4.part"
[ -f "$PART" ] && [ ! -e "$WORK/kill/$LIVE_TITLE.mp4" ] || fail "after kill -9: $(ls "$WORK/kill")"
kept=$(state_segments "$PART.state")
ffmpeg -v error -i "$PART" -f null - 2>"$WORK/decode.err" || fail "the kept .part does not play"
before=$(duration_of "$PART")
awk -v d="$before" -v k="$kept" 'BEGIN { exit !(d >= 4 * k - 0.1) }' ||
    fail "the .part lasts $before s for $kept segments"
rtdl -o "$WORK/kill" --live-duration 8 "$ADDRESS"
expect_status 0 "recorded on after kill -9"
[ "$(live_segments | sort -n | uniq -d)" = "" ] || fail "segments fetched twice: $(live_segments | sort -n | uniq -d | tr '\n' ' ')"
expect_playable "$WORK/kill/$LIVE_TITLE.mp4" $(((kept + 2) * 4))
ok "kill -9 keeps a .part that plays ($kept segments); the same command records 8 s more into it, no segment twice"

# ---- a gap: segments gone before they were fetched ----
start_fake --live-period 0.5 --live-window 3 --live-keep 0
rtdl -o "$WORK/gap" --live-duration 24 "$ADDRESS"
expect_status 0 "a recording with gaps"
expect_in "$WORK/stderr" "left the live playlist before they were fetched"
got=$(live_segments | wc -l)
expect_playable "$WORK/gap/$LIVE_TITLE.mp4" $((got * 4))
ffprobe -v error -select_streams v -show_entries packet=dts_time -of csv=p=0 "$WORK/gap/$LIVE_TITLE.mp4" |
    awk 'NR > 1 && ($1 - prev > 0.5 || $1 <= prev) { bad = 1 } { prev = $1 } END { exit bad }' ||
    fail "the video's timestamps jump where segments are missing"
ok "segments gone before they were fetched: a warning names them, the $got recorded play on without a jump"

# ---- addresses that expire ----
# The reload a target duration (4 s) after the first playlist finds segments 6 and 7 on
# addresses stamped 2 s before: refused, asked again.
start_fake --live-period 2 --live-window 5 --live-end 7 --live-expire 2
rtdl -o "$WORK/expire" "$ADDRESS"
expect_status 0 "expiring addresses"
[ "$(requests_matching "options/$LIVE/")" -ge 2 ] || fail "play options were not asked again"
expect_playable "$WORK/expire/$LIVE_TITLE.mp4" 28
ok "a refused (expired) live address: play options asked again, the recording goes on to its end"

# ---- from the start ----
start_fake --live-period 0.5 --live-window 3 --live-dvr
sleep 1
rtdl -o "$WORK/start" --live-from-start --live-duration 12 "$ADDRESS"
expect_status 0 "--live-from-start"
# Sorted: the three are fetched at once, and the log has them in the order they finished.
[ "$(live_segments | sort -n | head -n3 | tr '\n' ' ')" = "1 2 3 " ] ||
    fail "from the start fetched $(live_segments | tr '\n' ' ')"
expect_playable "$WORK/start/$LIVE_TITLE.mp4" 12
start_fake --live-period 0.5 --live-window 3
sleep 1
rtdl -o "$WORK/start2" --live-from-start --live-duration 4 "$ADDRESS"
expect_status 0 "--live-from-start on a window"
expect_in "$WORK/stderr" "keeps only its last 3 segments"
ok "--live-from-start: segment 1 on where the playlist keeps the broadcast; a warning where it does not"

# ---- the live master's qualities ----
start_fake --live-master
rtdl -F "$ADDRESS"
expect_status 0 "-F of a live master"
expect_in "$WORK/stdout" "640x352"
expect_in "$WORK/stdout" "1280x712"
rtdl -o "$WORK/master" -q 360 --live-duration 4 "$ADDRESS"
expect_status 0 "a quality of the live master"
[ "$(grep -c '/live/.*/640x352/segment-' "$WORK/requests.log")" -ge 1 ] &&
    [ "$(grep -c '/live/.*/1280x712/segment-' "$WORK/requests.log")" -eq 0 ] ||
    fail "not the 640x352 segments"
[ "$(ffprobe -v error -select_streams v -show_entries stream=width -of csv=p=0 "$WORK/master/$LIVE_TITLE.mp4")" = 640 ] ||
    fail "the recording is not 640 wide"
ok "a live master: -F lists its qualities, -q 360 records the 640x352 one"

# ---- a stream that has not begun ----
start_fake --live-starts-in 3 --live-period 0.5 --live-window 3
rtdl -o "$WORK/upcoming2" --live-duration 4 "https://rutube.ru/live/video/$UPCOMING/"
expect_status 1 "not waited for"
expect_in "$WORK/stderr" "not found"
rtdl_on_terminal "$WORK/countdown" -o "$WORK/upcoming3" --wait-for-video 3 --live-duration 4 \
    "https://rutube.ru/live/video/$UPCOMING/"
expect_status 0 "--wait-for-video on a terminal"
expect_in "$WORK/countdown" "to begin: asking again in 0:03"
expect_in "$WORK/countdown" "to begin: asking again in 0:01"
expect_in "$WORK/countdown" "[live] "
[ "$(find "$WORK/upcoming3" -name '*.mp4' | wc -l)" -eq 1 ] || fail "no recording of the stream once it began"
rtdl -o "$WORK/upcoming4" --wait-for-video 1 --live-duration 4 "https://rutube.ru/live/video/$UPCOMING/"
expect_status 0 "--wait-for-video once it began"
ok "--wait-for-video asks again until the stream begins, then records (a countdown on a terminal); without it, not found"

# ---- refused combinations ----
rtdl -o "$WORK/refused" --live-duration forever "$ADDRESS"
expect_status 2 "a bad --live-duration"
expect_in "$WORK/stderr" "--live-duration needs a time"
ok "a --live-duration that is no time: exit 2"

done_testing
