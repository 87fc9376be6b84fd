#!/usr/bin/env bash
# valgrind memcheck over whole downloads: no invalid access, no leaks, in the TS path and in
# the MP4 path with cover and subtitle tracks (the remux, libavformat and the parsers), and the
# own writer's MP4 with a cover, made on its thread beside the download.
source "$(dirname "$0")/lib.sh"
start_fake

memcheck() { # memcheck NAME ARGS...: run rutube-dl under memcheck; fail on any error or leak
    local name=$1
    shift
    set +e
    valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --track-origins=yes \
        --log-file="$WORK/$name.valgrind" \
        "$RUTUBE_DL" --api-base "$API" -o "$WORK/$name" -j 4 "$@" "$VIDEO" \
        >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
    STATUS=$?
    set -e
    [ "$STATUS" -ne 99 ] || fail "memcheck found errors: $(head -c 3000 "$WORK/$name.valgrind")"
}

memcheck ts --container ts
expect_status 0 "TS download under memcheck"
expect_same_bytes "$(segments_of landscape 1280x712)" "$WORK/ts/$TITLE.ts"
ok "a TS download: no memory errors, no leaks"

memcheck mp4 --embed-subs --embed-thumbnail --write-info-json
expect_status 0 "MP4 download under memcheck"
streams=$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$WORK/mp4/$TITLE.mp4" | sort | tr '\n' ' ')
[ "$streams" = "aac h264 mjpeg mov_text mov_text " ] || fail "streams: $streams"
ok "an MP4 download with subtitles, cover and info JSON: no memory errors, no leaks"

memcheck cover --embed-thumbnail
expect_status 0 "an MP4 with a cover under memcheck"
expect_in "$WORK/cover/$TITLE.mp4" "covr" # the own writer's cover, made beside the download
streams=$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$WORK/cover/$TITLE.mp4" | sort | tr '\n' ' ')
[ "$streams" = "aac h264 mjpeg " ] || fail "streams: $streams"
ok "an MP4 with a cover, remuxed while downloading: no memory errors, no leaks"

memcheck failed --container ts --retries 1 -q 9999x9999
expect_status 1 "a failure under memcheck"
ok "a failing run: no memory errors, no leaks on the error path"

done_testing
