#!/usr/bin/env bash
# Chapters from the description (tests/fake-rutube/catalog.json's timecoded videos) in the files
# the real binary writes: the own MP4 writer, Matroska, HEVC and AV1 through libavformat; none
# with --no-embed-chapters (or its config line) and none in a .ts; -v and --write-info-json.
source "$(dirname "$0")/lib.sh"
CHAPTERED=c4a97e2b5d1f4a3c8e6b0d2f4a6c8e0a
CHAPTERED_TITLE="Разбор сезона: три части"
TRICKY=c4a97e2b5d1f4a3c8e6b0d2f4a6c8e0b
TRICKY_TITLE="Таймкоды с подвохом"
UHD_CHAPTERED=7d4e1c9a2b3f4e5d6c7b8a9f0e1d2c3c
UHD_TITLE="Горы в 4K: главы"

# chapters FILE: "start end title" a line, as ffprobe reads them.
chapters() {
    ffprobe -v error -show_entries chapter=start_time,end_time:chapter_tags=title -of csv=p=0 "$1" |
        awk -F, '{ title = $3; for (i = 4; i <= NF; i++) title = title "," $i; print $1, $2, title }'
}

# expect_chapters FILE "START TITLE" ...: exactly these, in order, each starting within a frame
# (0.04 s) of START, titles byte for byte; each ends where the next starts, the last within a
# frame of the file's end.
expect_chapters() {
    local file=$1
    shift
    [ -f "$file" ] || fail "no file $file"
    chapters "$file" >"$WORK/chapters.txt"
    [ "$(wc -l <"$WORK/chapters.txt")" -eq $# ] ||
        fail "$(basename "$file"): $(wc -l <"$WORK/chapters.txt") chapters, not $#: $(cat "$WORK/chapters.txt")"
    local end i=1 want start title
    end=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$file")
    for want in "$@"; do
        read -r start title <<<"$want"
        awk -v n="$i" -v start="$start" -v title="$title" -v last="$#" -v end="$end" '
            function near(a, b) { return a - b <= 0.04 && b - a <= 0.04 }
            NR == n { t = $0; sub(/^[^ ]+ [^ ]+ /, "", t)
                      if (!near($1, start) || t != title) exit 1
                      if (n == last && !near($2, end)) exit 1 }
            NR == n + 1 { if ($1 != prev_end) exit 1 }
            NR == n { prev_end = $2 }' "$WORK/chapters.txt" ||
            fail "$(basename "$file"): chapter $i is not \"$want\" (file ends at $end): $(cat "$WORK/chapters.txt")"
        i=$((i + 1))
    done
}

# streams FILE: the codec types of its streams.
streams() { ffprobe -v error -show_entries stream=codec_type -of csv=p=0 "$1" | tr '\n' ' '; }

start_fake

# ---- the own MP4 writer (H.264 + AAC in MPEG-TS) ----
rtdl -v -o "$WORK/mp4" "$CHAPTERED"
expect_status 0 "the timecoded video"
expect_in "$WORK/stderr" "video $CHAPTERED: 3 chapters in the description"
expect_not_in "$WORK/stderr" "libavformat instead"
expect_chapters "$WORK/mp4/$CHAPTERED_TITLE.mp4" "0 Вступление" "20 Основная часть" "45 Итоги 🎬"
[ "$(streams "$WORK/mp4/$CHAPTERED_TITLE.mp4")" = "video audio data " ] ||
    fail "streams: $(streams "$WORK/mp4/$CHAPTERED_TITLE.mp4") (no chapter track?)"
ffmpeg -v error -xerror -i "$WORK/mp4/$CHAPTERED_TITLE.mp4" -map 0:v -map 0:a -f null - 2>"$WORK/decode.err" ||
    fail "the MP4 does not decode: $(head -c 300 "$WORK/decode.err")"
ok "MP4 by the own writer: three chapters from «Таймкоды:», Cyrillic and emoji exact; -v counts them"

# ---- Matroska ----
rtdl -o "$WORK/mkv" --container mkv "$CHAPTERED"
expect_status 0 "MKV"
expect_chapters "$WORK/mkv/$CHAPTERED_TITLE.mkv" "0 Вступление" "20 Основная часть" "45 Итоги 🎬"
ok "MKV: the same three chapters"

# ---- HEVC in MPEG-TS and AV1 in fragmented MP4: libavformat's path ----
rtdl -o "$WORK/hevc" "$UHD_CHAPTERED"
expect_status 0 "HEVC"
[ "$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name -of csv=p=0 "$WORK/hevc/$UHD_TITLE.mp4")" = hevc ] ||
    fail "the best of the 4K video is not HEVC"
expect_chapters "$WORK/hevc/$UHD_TITLE.mp4" "0 Рассвет" "3 Вершина" "6 Закат"
rtdl -o "$WORK/av1" --prefer-codec av1 "$UHD_CHAPTERED"
expect_status 0 "AV1"
expect_chapters "$WORK/av1/$UHD_TITLE.mp4" "0 Рассвет" "3 Вершина" "6 Закат"
rtdl -o "$WORK/av1mkv" -q 1440 --container mkv "$UHD_CHAPTERED"
expect_status 0 "AV1 into MKV"
expect_chapters "$WORK/av1mkv/$UHD_TITLE.mkv" "0 Рассвет" "3 Вершина" "6 Закат"
ok "HEVC (MPEG-TS) and AV1 (fMP4) through libavformat, into MP4 and MKV: the chapters too"

# ---- a part of the video: the chapters it overlaps, on its own clock ----
rtdl -o "$WORK/part" --download-sections "*0:15-0:50" "$CHAPTERED"
expect_status 0 "a part of the timecoded video"
expect_chapters "$WORK/part/$CHAPTERED_TITLE [0:15-0:50].mp4" "0 Вступление" "5 Основная часть" "30 Итоги 🎬"
rtdl -o "$WORK/part-mkv" --container mkv --download-sections "*0:25-0:40" "$CHAPTERED"
expect_status 0 "a part inside one chapter, into MKV"
expect_chapters "$WORK/part-mkv/$CHAPTERED_TITLE [0:25-0:40].mkv" "0 Основная часть"
# Matroska has no edit list: the file starts at the key frame before 0:15, its chapters with it.
rtdl -o "$WORK/part-mkv" --container mkv --download-sections "*0:15-0:50" "$CHAPTERED"
expect_status 0 "a part across chapters, into MKV"
MKV_PART="$WORK/part-mkv/$CHAPTERED_TITLE [0:15-0:50].mkv"
lead_in=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$MKV_PART" | awk '{ printf "%.3f", $1 - 35 }')
awk -v l="$lead_in" 'BEGIN { exit !(l > 0.5 && l < 10) }' || fail "the MKV part has a lead-in of $lead_in s"
expect_chapters "$MKV_PART" "0 Вступление" "$(awk -v l="$lead_in" 'BEGIN { print 5 + l }') Основная часть" \
    "$(awk -v l="$lead_in" 'BEGIN { print 30 + l }') Итоги 🎬"
ok "--download-sections: only the chapters a part overlaps, cut to it and on its clock (MKV's lead-in too)"

# ---- the tricky description ----
rtdl -v -o "$WORK/tricky" "$TRICKY"
expect_status 0 "tricky timestamps"
expect_in "$WORK/stderr" "3 chapters in the description"
expect_chapters "$WORK/tricky/$TRICKY_TITLE.mp4" "0 Начало" "15 Ответ «эксперта» 😀" "40 Вопросы зрителей"
ok "out of order, past the end (5:00, 1:00:00), alone on a line, inside a line: three chapters, sorted"

# ---- no chapters ----
rtdl -o "$WORK/off" --no-embed-chapters "$CHAPTERED"
expect_status 0 "--no-embed-chapters"
[ -z "$(chapters "$WORK/off/$CHAPTERED_TITLE.mp4")" ] || fail "--no-embed-chapters wrote chapters"
[ "$(streams "$WORK/off/$CHAPTERED_TITLE.mp4")" = "video audio " ] ||
    fail "--no-embed-chapters: streams $(streams "$WORK/off/$CHAPTERED_TITLE.mp4")"
mkdir -p "$XDG_CONFIG_HOME/rutube-dl"
printf -- '--no-embed-chapters\n' >"$XDG_CONFIG_HOME/rutube-dl/config"
rtdl -o "$WORK/config-off" --container mkv "$CHAPTERED"
expect_status 0 "config --no-embed-chapters"
[ -z "$(chapters "$WORK/config-off/$CHAPTERED_TITLE.mkv")" ] || fail "the config's --no-embed-chapters was not heard"
rtdl -o "$WORK/config-on" --embed-chapters "$CHAPTERED"
expect_status 0 "--embed-chapters over the config"
expect_chapters "$WORK/config-on/$CHAPTERED_TITLE.mp4" "0 Вступление" "20 Основная часть" "45 Итоги 🎬"
rm "$XDG_CONFIG_HOME/rutube-dl/config"
rtdl -o "$WORK/ts" --container ts "$CHAPTERED"
expect_status 0 "TS"
expect_same_bytes "$(segments_of landscape 1280x712)" "$WORK/ts/$CHAPTERED_TITLE.ts"
rtdl -v -o "$WORK/plain" "$VIDEO"
expect_status 0 "a video without timestamps"
expect_not_in "$WORK/stderr" "chapters"
[ "$(streams "$WORK/plain/$TITLE.mp4")" = "video audio " ] || fail "a chapter track without chapters"
ok "--no-embed-chapters (also as a config line, --embed-chapters winning), a .ts as served, a description without timestamps: no chapters"

# ---- the info JSON ----
rtdl -o "$WORK/info" --write-info-json --container ts "$TRICKY"
expect_status 0 "--write-info-json"
INFO="$WORK/info/$TRICKY_TITLE.info.json"
[ "$(jq -c .chapters "$INFO")" = '[{"start_time":0,"end_time":15,"title":"Начало"},{"start_time":15,"end_time":40,"title":"Ответ «эксперта» 😀"},{"start_time":40,"end_time":60,"title":"Вопросы зрителей"}]' ] ||
    fail "info JSON chapters: $(jq -c .chapters "$INFO")"
rtdl -o "$WORK/info" --write-info-json --container ts "$VIDEO"
expect_status 0 "--write-info-json without chapters"
[ "$(jq -c .chapters "$WORK/info/$TITLE.info.json")" = '[]' ] || fail "no chapters: $(jq -c .chapters "$WORK/info/$TITLE.info.json")"
ok "--write-info-json: \"chapters\" as yt-dlp writes them ([] for none), also beside a .ts"

done_testing
