#!/usr/bin/env bash
# Qualities as RuTube serves them in 2026: up to 2160p once play options ask for it
# (client=wdp&mq=all&av1=1), in H.264, HEVC and AV1, in MPEG-TS segments and in fragmented MP4
# (an init section and .m4s fragments): the right format chosen, a correct MP4 or MKV made,
# --container ts refused for fMP4, and resume, mirror failover and racing the same for fMP4.
# Also an older master without RESOLUTION. The video: tests/fake-rutube/catalog.json's "Горы в 4K".
source "$(dirname "$0")/lib.sh"
UHD=7d4e1c9a2b3f4e5d6c7b8a9f0e1d2c3b
UHD_TITLE="Горы в 4K"
OLD=01d2017a5b6c7d8e9f00112233445566

# probe FILE: "codec,tag,WxH" of its video stream.
probe() {
    ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,codec_tag_string,width,height \
        -of csv=p=0 "$1" | awk -F, '{ print $1 "," $2 "," $3 "x" $4 }'
}

# expect_video FILE CODEC TAG WxH: one video stream like that (TAG "-": any, as in Matroska),
# AAC audio, about 8 s long, every frame decodable.
expect_video() {
    [ -f "$1" ] || fail "no file $1"
    local got codec tag size
    got=$(probe "$1")
    IFS=, read -r codec tag size <<<"$got"
    [ "$codec" = "$2" ] && [ "$size" = "$4" ] && { [ "$3" = - ] || [ "$tag" = "$3" ]; } ||
        fail "$(basename "$1"): video is $got, not $2,$3,$4"
    ffprobe -v error -select_streams a:0 -show_entries stream=codec_name -of csv=p=0 "$1" |
        grep -qx aac || fail "$(basename "$1") has no AAC audio"
    local duration
    duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$1")
    awk -v d="$duration" 'BEGIN { exit !(d > 7.5 && d < 8.5) }' ||
        fail "$(basename "$1") lasts $duration s, not about 8"
    # Every frame there and decodable: the copy lost nothing.
    ffmpeg -v error -xerror -i "$1" -f null - 2>"$WORK/decode.err" ||
        fail "$(basename "$1") does not decode: $(head -c 300 "$WORK/decode.err")"
}

start_fake

# ---- what is offered ----
rtdl -F "$UHD"
expect_status 0 "-F of the 4K video"
expect_in "$WORK/requests.log" "/api/play/options/$UHD/?no_404=true&referer=https%3A%2F%2Frutube.ru&pver=v2&client=wdp&mq=all&av1=1"
for row in "1280x720   H.264" "1920x1080  AV1" "1920x1080  H.264" "2560x1440  AV1" \
    "3840x2160  AV1" "3840x2160  HEVC"; do
    expect_in "$WORK/stdout" "$row"
done
[ "$(grep -c 'x[0-9]* *\(H\.264\|HEVC\|AV1\) ' "$WORK/stdout")" -eq 6 ] ||
    fail "-F does not list six formats"
grep -E '3840x2160 +HEVC .*\(best\)' "$WORK/stdout" >/dev/null || fail "the best is not 2160p HEVC"
ok "-F: six formats up to 3840x2160 with their codecs, asked with client=wdp&mq=all&av1=1"

# ---- the default: the largest picture, the most compatible codec of it ----
rtdl -o "$WORK/best" "$UHD"
expect_status 0 "best"
expect_video "$WORK/best/$UHD_TITLE.mp4" hevc hvc1 3840x2160
ok "-q best: 3840x2160 HEVC from MPEG-TS, tagged hvc1 for Apple's players"

rtdl -o "$WORK/av1" --prefer-codec av1 "$UHD"
expect_status 0 "best in AV1"
expect_video "$WORK/av1/$UHD_TITLE.mp4" av1 av01 3840x2160
[ "$(requests_matching $'\tGET\t[^\t]*init-v1-a1\\.mp4')" -ge 1 ] || fail "no init section was fetched"
[ "$(requests_matching $'\tGET\t[^\t]*\\.m4s')" -ge 2 ] || fail "no .m4s fragments were fetched"
ok "--prefer-codec av1: 3840x2160 AV1 from fragmented MP4 (init + .m4s) into an MP4"

rtdl -o "$WORK/q1080" -q 1080 "$UHD"
expect_status 0 "-q 1080"
expect_video "$WORK/q1080/$UHD_TITLE.mp4" h264 avc1 1920x1080
rtdl -o "$WORK/q1080av1" -q 1080 --prefer-codec av1 "$UHD"
expect_status 0 "-q 1080 in AV1"
expect_video "$WORK/q1080av1/$UHD_TITLE.mp4" av1 av01 1920x1080
rtdl -o "$WORK/q720" -q 720 --prefer-codec av1 "$UHD"
expect_status 0 "-q 720 preferring AV1"
expect_video "$WORK/q720/$UHD_TITLE.mp4" h264 avc1 1280x720
ok "-q 1080: H.264 by default, AV1 when preferred; 720p has only H.264, so it stays"

rtdl -o "$WORK/mkv" -q 1440 --container mkv "$UHD"
expect_status 0 "1440p into MKV"
expect_video "$WORK/mkv/$UHD_TITLE.mkv" av1 - 2560x1440
ok "--container mkv: 2560x1440 AV1 from fMP4 into Matroska"

# ---- MPEG-TS: the segments as served, so fragmented MP4 cannot be one ----
rtdl -o "$WORK/ts" --container ts "$UHD"
expect_status 0 "best as TS"
cmp -s <(cat "$FAKE_MEDIA"/uhd/3840x2160-hevc/seg-*.ts) "$WORK/ts/$UHD_TITLE.ts" ||
    fail "the .ts is not the HEVC segments byte for byte"
before=$(requests_matching '\.m4s')
rtdl -o "$WORK/tsav1" --container ts --prefer-codec av1 "$UHD"
expect_status 1 "AV1 as TS"
expect_in "$WORK/stderr" "fragmented MP4 (AV1)"
expect_in "$WORK/stderr" "--container mp4"
[ "$(grep -c . "$WORK/stderr")" -eq 1 ] || fail "the refusal is not one line: $(cat "$WORK/stderr")"
[ "$(requests_matching '\.m4s')" -eq "$before" ] || fail "fragments were fetched before refusing"
[ ! -e "$WORK/tsav1" ] || [ -z "$(ls -A "$WORK/tsav1")" ] || fail "files were left: $(ls "$WORK/tsav1")"
ok "--container ts: the HEVC segments byte for byte; AV1 (fMP4) refused in one line, nothing fetched"
stop_fake

# ---- fMP4 through the engine: a dead mirror, a stalled answer, an interruption ----
start_fake --mirror-down 0
rtdl -o "$WORK/down" --prefer-codec av1 -q 1080 "$UHD"
expect_status 0 "AV1 with mirror 0 down"
expect_video "$WORK/down/$UHD_TITLE.mp4" av1 av01 1920x1080
[ "$(requests_matching $'^mirror1\tGET\t[^\t]*init-v1-a1\\.mp4')" -ge 1 ] ||
    fail "the init section did not come from mirror 1"
stop_fake
ok "fMP4 with mirror 0 answering 404: init and fragments from mirror 1"

start_fake --stall-head-segment 1:1 --stall-head-ms 60000
set +e
timeout 20 "$RUTUBE_DL" --api-base "$API" -v -o "$WORK/race" --prefer-codec av1 -q 1080 "$UHD" \
    >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
set -e
stop_fake
expect_status 0 "a stalled first fragment"
expect_in "$WORK/stderr" "is slow; racing it"
expect_video "$WORK/race/$UHD_TITLE.mp4" av1 av01 1920x1080
ok "fMP4 fragment 1 stalled for a minute: raced on the other mirror, done within 20 s"

# Slow enough to be interrupted after the init section and the first fragment.
start_fake --rate 150000
set +e
"$RUTUBE_DL" --api-base "$API" -o "$WORK/resume" -j 1 --prefer-codec av1 "$UHD" \
    >"$WORK/stdout" 2>"$WORK/stderr" </dev/null &
pid=$!
state="$WORK/resume/$UHD_TITLE.mp4.part.state"
for _ in $(seq 600); do
    [ -f "$state" ] && [ "$(jq -r .segments_done "$state" 2>/dev/null)" -ge 2 ] && break
    sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
set -e
stop_fake
[ -f "$state" ] || fail "no state file after kill -9"
done_before=$(jq -r .segments_done "$state")
[ "$done_before" -ge 2 ] || fail "only $done_before pieces were kept"
start_fake
rtdl -o "$WORK/resume" -j 1 --prefer-codec av1 "$UHD"
expect_status 0 "resumed"
expect_video "$WORK/resume/$UHD_TITLE.mp4" av1 av01 3840x2160
[ "$(requests_matching $'\tGET\t[^\t]*init-v1-a1\\.mp4')" -eq 0 ] ||
    fail "the init section was fetched again on resume"
[ ! -e "$state" ] || fail "the state file is left"
ok "fMP4 killed after $done_before pieces (init + fragments), continued without fetching them again"

# ---- an older master: no RESOLUTION, sizes only in ?i=WxH_kbps ----
rtdl -F "$OLD"
expect_status 0 "-F of a 2017 master"
expect_in "$WORK/stdout" "1280x712"
expect_in "$WORK/stdout" "856x480"
expect_in "$WORK/stdout" "640x352"
rtdl -o "$WORK/old" -q 480 --container ts "$OLD"
expect_status 0 "-q 480 of a 2017 master"
expect_same_bytes "$(segments_of landscape 856x480)" "$WORK/old/Старое видео 2017.ts"
ok "a master without RESOLUTION: sizes from ?i=, -q 480 takes 856x480"

done_testing
