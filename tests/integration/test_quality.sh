#!/usr/bin/env bash
# Choosing a quality: -q words, -F listing, -q ask answered on stdin.
source "$(dirname "$0")/lib.sh"
# These checks are about the stream as RuTube sends it: byte for byte.
RTDL_DEFAULTS=(--container ts)
start_fake

get() { # get SPEC EXPECTED-SIZE [MEDIA]
    rm -rf "$WORK/q"
    rtdl -o "$WORK/q" -q "$1" "$VIDEO"
    expect_status 0 "-q $1"
    expect_same_bytes "$(segments_of landscape "$2")" "$WORK/q/$TITLE.ts"
}
get best 1280x712
get worst 640x352
get 720 1280x712
get 720p 1280x712
get 1080 1280x712
get 480 856x480
get 479 640x352
get 856x480 856x480
ok "-q best/worst/height/WxH pick the right variant (720 picks 1280x712)"

rm -rf "$WORK/q"
rtdl -o "$WORK/q" -q 100 "$VIDEO"
expect_status 0 "-q 100"
expect_in "$WORK/stdout" "taking the smallest, 640x352"
expect_same_bytes "$(segments_of landscape 640x352)" "$WORK/q/$TITLE.ts"
ok "a height below every format takes the smallest and says so"

rtdl -o "$WORK/q2" -q 1920x1080 "$VIDEO"
expect_status 1 "missing size"
expect_in "$WORK/stderr" "no 1920x1080 format"
expect_in "$WORK/stderr" "1280x712"
expect_no_final_file "$WORK/q2"
ok "a size that does not exist fails and lists the sizes"

before=$(wc -l <"$WORK/requests.log")
rtdl -q sideways "$VIDEO"
expect_status 2 "bad -q"
expect_in "$WORK/stderr" "not understood"
[ "$(wc -l <"$WORK/requests.log")" -eq "$before" ] || fail "a request was made for bad usage"
ok "-q with nonsense is bad usage, before any request"

rtdl -F "$VIDEO"
expect_status 0 "-F"
for size in 640x352 856x480 1280x712; do expect_in "$WORK/stdout" "$size"; done
expect_in "$WORK/stdout" "kbit/s"
expect_in "$WORK/stdout" "avc1"
expect_in "$WORK/stdout" "MiB"
expect_in "$WORK/stdout" "(best)"
[ -z "$(find "$WORK" -name '*.ts' -newer "$WORK/port" -path "$WORK/$TITLE*")" ] || fail "-F downloaded"
ok "-F lists resolution, bit rate, codecs and size"

rtdl -F "https://rutube.ru/shorts/$SHORT/"
expect_in "$WORK/stdout" "608x1080"
expect_in "$WORK/stdout" "400x712"
ok "-F shows W x H of a vertical short"

rm -rf "$WORK/ask"
rtdl_stdin $'2\n' -o "$WORK/ask" -q ask "$VIDEO"
expect_status 0 "-q ask"
expect_in "$WORK/stdout" "Choose a format"
expect_same_bytes "$(segments_of landscape 856x480)" "$WORK/ask/$TITLE.ts"
ok "-q ask takes the number typed"

rm -rf "$WORK/ask"
rtdl_stdin $'9\nabc\n1\n' -o "$WORK/ask" -q ask "$VIDEO"
expect_status 0 "-q ask with wrong answers first"
expect_in "$WORK/stdout" "not a number from 1 to 3"
expect_same_bytes "$(segments_of landscape 640x352)" "$WORK/ask/$TITLE.ts"
ok "-q ask asks again after a wrong answer"

rm -rf "$WORK/ask"
rtdl_stdin $'\n' -o "$WORK/ask" -q ask "$VIDEO"
expect_status 0 "-q ask, Enter"
expect_same_bytes "$(segments_of landscape 1280x712)" "$WORK/ask/$TITLE.ts"
ok "-q ask: Enter takes the best"

rm -rf "$WORK/ask"
rtdl_stdin '' -o "$WORK/ask" -q ask "$VIDEO"
expect_status 2 "-q ask at end of input"
expect_in "$WORK/stderr" "no format chosen"
expect_no_final_file "$WORK/ask"
ok "-q ask with no answer is bad usage and downloads nothing"

rm -rf "$WORK/q"
rtdl -o "$WORK/q" -q 720 "https://rutube.ru/shorts/$SHORT/"
expect_same_bytes "$(segments_of portrait 608x1080)" "$WORK/q/Короткое видео 🎬 #shorts.ts"
rm -rf "$WORK/q"
rtdl -o "$WORK/q" -q 480 "https://rutube.ru/shorts/$SHORT/"
expect_same_bytes "$(segments_of portrait 400x712)" "$WORK/q/Короткое видео 🎬 #shorts.ts"
ok "for a vertical short, -q counts the shorter side (720 picks 608x1080)"

done_testing
