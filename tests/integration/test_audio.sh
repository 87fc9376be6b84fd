#!/usr/bin/env bash
# The audio alone (-x, --audio-format): the AAC copied into an .m4a, or MP3, Opus and FLAC
# encoded in-process, each with its tags (and cover where the format holds one), fetched from
# the smallest format whose sound is as good as the best one's.
source "$(dirname "$0")/lib.sh"
YAPPY=79ec7e96427186ad4521633df3a5e7b7 # «Кот и огурец», one MP4 file

# ffprobe's word for one entry of FILE: probe FILE ENTRY (e.g. stream=codec_name).
probe() {
    ffprobe -v error -show_entries "$2" -of csv=p=0 "$1" | grep . | tr '\n' ' ' | sed 's/ $//'
}

# expect_duration FILE SECONDS: within a tenth of a second.
expect_duration() {
    local d
    d=$(probe "$1" format=duration)
    awk -v d="$d" -v w="$2" 'BEGIN { exit !(d > w - 0.1 && d < w + 0.1) }' ||
        fail "$(basename "$1") lasts $d s, not $2 s"
}

# The path prefix of a quality's segments on the mirrors, from the fake's master playlist.
segment_path_of() {
    local options master
    options=$(curl -s "$API/api/play/options/$1/?no_404=true")
    master=$(curl -s "$(jq -r .video_balancer.m3u8 <<<"$options")")
    grep -A1 "RESOLUTION=$2" <<<"$master" | grep -v '^#' | head -n1 | sed -E 's|https?://[^/]+||; s|/[^/]*$||'
}

start_fake

# ---- M4A: the AAC copied ----
rtdl -o "$WORK/m4a" -v -x "$VIDEO"
expect_status 0 "-x"
M4A="$WORK/m4a/$TITLE.m4a"
[ -f "$M4A" ] || fail "no $TITLE.m4a: $(ls "$WORK/m4a")"
[ "$(probe "$M4A" stream=codec_name)" = "aac mjpeg" ] || fail "streams: $(probe "$M4A" stream=codec_name)"
[ "$(probe "$M4A" stream_disposition=attached_pic)" = "0 1" ] || fail "the picture is not a cover"
[ "$(probe "$M4A" format_tags=major_brand | tr -d " ")" = "M4A" ] || fail "not an M4A: $(probe "$M4A" format_tags=major_brand)"
expect_duration "$M4A" 60
[ "$(probe "$M4A" format_tags=title)" = "$TITLE" ] || fail "title tag: $(probe "$M4A" format_tags=title)"
expect_in "$WORK/stderr" "audio: 640x352 carries the audio of 1280x712"
expect_in "$WORK/stderr" "fetching ~4.2 MiB instead of ~9.8 MiB"
# Copied, not re-encoded: the AAC frames are the very ones of the 640x352 segments.
ffmpeg -v error -i "$M4A" -map 0:a -c copy -f adts - | md5sum >"$WORK/m4a.sum"
cat "$FAKE_MEDIA"/landscape/640x352/seg-*.ts |
    ffmpeg -v error -f mpegts -i - -map 0:a -c copy -f adts - | md5sum >"$WORK/ts.sum"
cmp -s "$WORK/m4a.sum" "$WORK/ts.sum" || fail "the M4A's AAC frames differ from the segments'"
ok "-x: an .m4a of the 640x352 segments' own AAC frames, with title and cover"

# Only the cheap quality's segments were fetched whole; the others were read 512 KiB at most.
small=$(segment_path_of "$VIDEO" 640x352)
whole=$(awk -F'\t' '$3 ~ /segment-/ && $7 == "-" { print $3 }' "$WORK/requests.log")
[ "$(grep -c . <<<"$whole")" -eq 15 ] || fail "$(grep -c . <<<"$whole") whole segments fetched, not 15"
if grep -vqF "$small/" <<<"$whole"; then fail "a segment of another quality was fetched whole"; fi
ranged=$(awk -F'\t' '$3 ~ /segment-/ && $7 != "-" { print $7 }' "$WORK/requests.log" | sort -u)
[ "$ranged" = "bytes=0-524287" ] || fail "the probes asked for $ranged"
ok "only 640x352's segments were fetched whole; the probes read 512 KiB each"

# A short whose smaller quality has poorer sound (48 kbit/s mono): the best is taken.
rtdl -o "$WORK/short" -v -x "$SHORT"
expect_status 0 "-x of a short"
expect_in "$WORK/stderr" "audio: no smaller format carries the audio of 608x1080"
[ "$(probe "$WORK/short/"*.m4a stream=channels)" = "2" ] || fail "the short's audio is not stereo"
ok "-x keeps the best sound: a smaller quality with mono 48 kbit/s is passed over"

# -q names the quality: it is taken as asked.
rtdl -o "$WORK/worst" -v -x -q 1280x712 --no-embed-thumbnail "$VIDEO"
expect_status 0 "-x -q"
expect_not_in "$WORK/stderr" "carries the audio of"
[ "$(probe "$WORK/worst/$TITLE.m4a" stream=codec_name)" = "aac" ] || fail "--no-embed-thumbnail left a cover"
ok "-x -q 1280x712 takes that quality; --no-embed-thumbnail leaves the cover out"

# ---- MP3, Opus, FLAC: encoded here ----
for format in mp3 opus flac; do
    rtdl -o "$WORK/$format" --audio-format "$format" "$VIDEO"
    expect_status 0 "--audio-format $format"
    file="$WORK/$format/$TITLE.$format"
    [ -f "$file" ] || fail "no $TITLE.$format"
    streams=$(probe "$file" stream=codec_name)
    case $format in
    opus) want="opus"; title=$(probe "$file" stream_tags=title) ;;
    *) want="$format mjpeg"; title=$(probe "$file" format_tags=title) ;;
    esac
    [ "$streams" = "$want" ] || fail "$format: streams \"$streams\", not \"$want\""
    [ "$title" = "$TITLE" ] || fail "$format: title tag \"$title\""
    expect_duration "$file" 60
    ffmpeg -v error -xerror -i "$file" -f null - 2>"$WORK/decode" || fail "$format does not decode: $(cat "$WORK/decode")"
    ok "--audio-format $format: $streams, 60 s, titled, decodes cleanly"
done
[ "$(probe "$WORK/opus/$TITLE.opus" stream=sample_rate)" = "48000" ] || fail "Opus not at 48 kHz"
[ "$(probe "$WORK/flac/$TITLE.flac" stream=sample_rate)" = "44100" ] || fail "FLAC resampled"

# A Yappy clip is one MP4 file: its audio comes out of it.
rtdl -o "$WORK/yappy" -x "https://rutube.ru/yappy/$YAPPY/"
expect_status 0 "-x of a Yappy clip"
[ "$(probe "$WORK/yappy/Кот и огурец.m4a" stream=codec_name)" = "aac" ] || fail "the clip's audio"
expect_duration "$WORK/yappy/Кот и огурец.m4a" 20
ok "-x of a Yappy clip: the audio of its MP4 file"

# --container names an audio format too; a wrong --audio-format is a usage error.
rtdl -o "$WORK/container" --container flac "$VIDEO"
expect_status 0 "--container flac"
[ -f "$WORK/container/$TITLE.flac" ] || fail "--container flac made no .flac"
rtdl --audio-format wav "$VIDEO"
expect_status 2 "--audio-format wav"
expect_in "$WORK/stderr" 'audio format "wav" is not one of m4a, mp3, opus, flac'
ok "--container flac is the audio alone; --audio-format wav is refused"

done_testing
