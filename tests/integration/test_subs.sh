#!/usr/bin/env bash
# Subtitles: listed, saved beside the video, embedded as tracks with their language.
source "$(dirname "$0")/lib.sh"
start_fake

# The fake's cues (tests/fake-rutube/README.md), as a player shows them.
RU_FIRST="Привет! Это тестовые субтитры."
RU_MARKUP="Это курсив & амперсанд."
EN_FIRST="Hello! These are test subtitles."

rtdl --list-subs "$VIDEO"
expect_status 0 "--list-subs"
for word in ru Русский en English "/captions/$VIDEO/ru.vtt" "/captions/$VIDEO/en.srt"; do
    expect_in "$WORK/stdout" "$word"
done
# The format RuTube states for each track (captions[].format: webvtt, srt), shown as such.
grep -E '^  ru +Русский +vtt +http' "$WORK/stdout" >/dev/null || fail "ru's format is not vtt"
grep -E '^  en +English +srt +http' "$WORK/stdout" >/dev/null || fail "en's format is not srt"
[ -z "$(find "$WORK" -maxdepth 1 -name '*.mp4')" ] || fail "--list-subs downloaded"
rtdl --list-subs "$SHORT"
expect_in "$WORK/stdout" "has no subtitles"
ok "--list-subs lists code, name, format and address of every track"

rtdl -o "$WORK/write" --write-subs "$VIDEO"
expect_status 0 "--write-subs"
head -n1 "$WORK/write/$TITLE.ru.vtt" | grep -q '^WEBVTT' || fail "ru.vtt is not WebVTT"
expect_in "$WORK/write/$TITLE.ru.vtt" "$RU_FIRST"
expect_in "$WORK/write/$TITLE.ru.vtt" "<i>курсив</i> &amp;" # saved as served
expect_in "$WORK/write/$TITLE.en.srt" "00:00:02,000 --> 00:00:05,000"
expect_in "$WORK/write/$TITLE.en.srt" "$EN_FIRST"
ok "--write-subs saves NAME.ru.vtt and NAME.en.srt as RuTube serves them"

rtdl -o "$WORK/en" --write-subs --sub-langs en "$VIDEO"
[ -f "$WORK/en/$TITLE.en.srt" ] && [ ! -e "$WORK/en/$TITLE.ru.vtt" ] || fail "--sub-langs en: $(ls "$WORK/en")"
ok "--sub-langs en takes only the English track"

rtdl -o "$WORK/embed" --embed-subs "$VIDEO"
expect_status 0 "--embed-subs"
MP4="$WORK/embed/$TITLE.mp4"
subs=$(ffprobe -v error -select_streams s -show_entries stream=codec_name:stream_tags=language -of csv=p=0 "$MP4" | tr '\n' ' ')
[ "$subs" = "mov_text,rus mov_text,eng " ] || fail "subtitle tracks: $subs"
[ "$(ffprobe -v error -select_streams V -show_entries stream=codec_name -of csv=p=0 "$MP4")" = "h264" ] ||
    fail "video streams changed"
ffmpeg -v error -i "$MP4" -map 0:s:0 -f srt - >"$WORK/ru.srt"
expect_in "$WORK/ru.srt" "00:00:02,000 --> 00:00:05,000"
expect_in "$WORK/ru.srt" "$RU_FIRST"
expect_in "$WORK/ru.srt" "$RU_MARKUP"
expect_in "$WORK/ru.srt" "были лучшими друзьями."
expect_in "$WORK/ru.srt" "00:00:45,000 --> 00:00:50,000"
ffmpeg -v error -i "$MP4" -map 0:s:1 -f srt - >"$WORK/en.srt"
expect_in "$WORK/en.srt" "$EN_FIRST"
expect_in "$WORK/en.srt" "This cue is in italic."
ok "--embed-subs: mov_text tracks rus and eng, cues at their times with their text"

rtdl -o "$WORK/mkv" --container mkv --embed-subs --sub-langs ru "$VIDEO"
subs=$(ffprobe -v error -select_streams s -show_entries stream=codec_name:stream_tags=language -of csv=p=0 \
    "$WORK/mkv/$TITLE.mkv" | tr '\n' ' ')
[ "$subs" = "subrip,rus " ] || fail "mkv subtitle tracks: $subs"
ok "MKV carries them as SubRip, with the language"

start_fake --captions-404
rtdl -o "$WORK/missing" --embed-subs --write-subs "$VIDEO"
expect_status 0 "subtitles missing"
expect_in "$WORK/stderr" "warning"
expect_in "$WORK/stderr" "subtitles"
[ -f "$WORK/missing/$TITLE.mp4" ] || fail "no video when the subtitles failed"
[ -z "$(ffprobe -v error -select_streams s -show_entries stream=index -of csv=p=0 "$WORK/missing/$TITLE.mp4")" ] ||
    fail "subtitle tracks from nowhere"
ok "subtitles that cannot be fetched: a warning, the video still saved"

# The tracks do not depend on each other: both are asked at once, one round trip for both.
# The first failing leaves the second in its place: saved, and embedded as the only track.
start_fake --caption-404 ru --latency 300
rtdl -o "$WORK/one" --container mkv --embed-subs --write-subs "$VIDEO"
expect_status 0 "the ru track missing"
stop_fake
expect_in "$WORK/stderr" "ru subtitles"
[ -f "$WORK/one/$TITLE.en.srt" ] && [ ! -e "$WORK/one/$TITLE.ru.vtt" ] || fail "files: $(ls "$WORK/one")"
subs=$(ffprobe -v error -select_streams s -show_entries stream=codec_name:stream_tags=language -of csv=p=0 \
    "$WORK/one/$TITLE.mkv" | tr '\n' ' ')
[ "$subs" = "subrip,eng " ] || fail "mkv subtitle tracks with ru missing: $subs"
ru=$(grep -F "/captions/$VIDEO/ru.vtt" "$WORK/requests.log" | awk -F'\t' '{ print $NF }')
en=$(grep -F "/captions/$VIDEO/en.srt" "$WORK/requests.log" | awk -F'\t' '{ print $NF }')
[ -n "$ru" ] && [ -n "$en" ] && [ "$((ru > en ? ru - en : en - ru))" -lt 150 ] ||
    fail "the two tracks were asked at ${ru:-never} and ${en:-never} ms: one after the other"
ok "both tracks asked at once ($ru, $en ms); the ru one missing, en saved and embedded alone"

done_testing
