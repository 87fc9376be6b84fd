#!/usr/bin/env bash
# Only a part of a video (--download-sections): only the segments that cover it are fetched,
# the MP4 starts at the exact frame without re-encoding (the key frame before it hidden by the
# edit list) and lasts the range within a frame; resuming works; the other containers as
# documented.
source "$(dirname "$0")/lib.sh"
UHD=7d4e1c9a2b3f4e5d6c7b8a9f0e1d2c3b # 8 s at 10 fps, H.264, HEVC and AV1
UHD_CHAPTERED=7d4e1c9a2b3f4e5d6c7b8a9f0e1d2c3c # the same, with chapters
PART="$TITLE [0:10-0:25]"

duration_of() {
    ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"
}

# expect_duration FILE SECONDS TOLERANCE
expect_duration() {
    local d
    d=$(duration_of "$1")
    awk -v d="$d" -v w="$2" -v t="$3" 'BEGIN { exit !(d >= w - t && d <= w + t) }' ||
        fail "$(basename "$1") lasts $d s, not $2 s (± $3)"
}

# expect_video_duration FILE SECONDS TOLERANCE: the first video stream's own duration (the
# file's is its longest stream's, the audio's as often as the video's).
expect_video_duration() {
    local d
    d=$(ffprobe -v error -select_streams v:0 -show_entries stream=duration -of csv=p=0 "$1")
    awk -v d="$d" -v w="$2" -v t="$3" 'BEGIN { exit !(d >= w - t && d <= w + t) }' ||
        fail "the video of $(basename "$1") lasts $d s, not $2 s (± $3)"
}

# The decoded video frames of FILE (0:V: not a cover), one checksum a line.
frames_of() {
    ffmpeg -v error -i "$1" -map 0:V -f framemd5 - | grep -v '^#' | awk -F, '{ print $NF }'
}

# Which playlist segments (1-based) of the 1280x712 quality were fetched whole.
fetched_segments() {
    awk -F'\t' '$3 ~ /segment-/ && $7 == "-" && $8 == 200 { sub(/.*segment-/, "", $3); sub(/-.*/, "", $3); print $3 }' \
        "$WORK/requests.log" | sort -n | uniq | tr '\n' ' '
}

start_fake
rtdl -o "$WORK/full" "$VIDEO"
expect_status 0 "the whole video"
frames_of "$WORK/full/$TITLE.mp4" >"$WORK/full.frames"
[ "$(wc -l <"$WORK/full.frames")" -eq 1500 ] || fail "the whole video has $(wc -l <"$WORK/full.frames") frames"

# ---- MP4, the project's own writer ----
start_fake
rtdl -o "$WORK/mp4" -v --download-sections "*0:10-0:25" "$VIDEO"
expect_status 0 "a section"
MP4="$WORK/mp4/$PART.mp4"
[ -f "$MP4" ] || fail "no \"$PART.mp4\": $(ls "$WORK/mp4")"
[ "$(fetched_segments)" = "3 4 5 6 7 " ] || fail "fetched segments $(fetched_segments), not 3 to 7"
expect_duration "$MP4" 15 0.04
frames_of "$MP4" >"$WORK/part.frames"
# 25 fps: frames 250 (10.00 s) to 624 (24.96 s) of the whole, exactly, decoded alike.
sed -n '251,625p' "$WORK/full.frames" | cmp -s - "$WORK/part.frames" ||
    fail "the part's frames are not frames 250-624 of the whole ($(wc -l <"$WORK/part.frames") frames)"
ok "*0:10-0:25: segments 3-7 only; an MP4 of frames 250-624 exactly, 15.0 s"

# ---- resumed: a segment of the part fails, the next run fetches only the rest ----
start_fake --endless 6
rtdl -o "$WORK/resume" --retries 1 --download-sections "*0:10-0:25" "$VIDEO"
expect_status 1 "an endless segment in the part"
expect_in "$WORK/stderr" "3 of 5 segments are kept"
start_fake
rtdl -o "$WORK/resume" --download-sections "*0:10-0:25" "$VIDEO"
expect_status 0 "the part resumed"
[ "$(fetched_segments)" = "6 7 " ] || fail "the resumed run fetched $(fetched_segments), not 6 7"
frames_of "$WORK/resume/$PART.mp4" | cmp -s - "$WORK/part.frames" || fail "the resumed part differs"
ok "a part interrupted at its 4th segment resumes with segments 6 and 7 alone, the same frames"

# ---- with a cover, through libavformat (subtitle tracks), Matroska, TS ----
rtdl -o "$WORK/cover" --embed-thumbnail --download-sections "*0:10-0:25" "$VIDEO"
expect_status 0 "a part with a cover"
expect_duration "$WORK/cover/$PART.mp4" 15 0.04
frames_of "$WORK/cover/$PART.mp4" | cmp -s - "$WORK/part.frames" ||
    fail "the part with a cover shows other frames than the one without"
ok "with a cover (the own writer): the same 375 frames, 15.0 s"

rtdl -v -o "$WORK/subs" --embed-subs --download-sections "*0:10-0:25" "$VIDEO"
expect_status 0 "a part with subtitle tracks"
expect_not_in "$WORK/stderr" "while downloading" # libavformat's job, after the download
expect_duration "$WORK/subs/$PART.mp4" 15 0.04
frames_of "$WORK/subs/$PART.mp4" | cmp -s - "$WORK/part.frames" ||
    fail "libavformat's part shows other frames than the own writer's"
ok "through libavformat (with subtitle tracks): the same 375 frames, 15.0 s"

rtdl -o "$WORK/mkv" --container mkv --download-sections "*0:10-0:25" "$VIDEO"
expect_status 0 "a part as MKV"
expect_duration "$WORK/mkv/$PART.mkv" 17 0.05
frames_of "$WORK/mkv/$PART.mkv" >"$WORK/mkv.frames"
[ "$(head -n1 "$WORK/mkv.frames")" = "$(sed -n 201p "$WORK/full.frames")" ] ||
    fail "the MKV does not start at the key frame of 0:08"
ok "MKV (no edit lists) starts at the key frame that opens the first segment, 0:08"

rtdl -o "$WORK/ts" --container ts --download-sections "*0:10-0:25" "$VIDEO"
expect_status 0 "a part as TS"
cat "$FAKE_MEDIA"/landscape/1280x712/seg-00{2,3,4,5,6}.ts >"$WORK/expected.ts"
expect_same_bytes "$WORK/expected.ts" "$WORK/ts/$PART.ts"
ok "TS keeps the five segments that cover the part, byte for byte"

# ---- AV1 in fragmented MP4 ----
rtdl -o "$WORK/av1" -q 1080 --prefer-codec av1 --download-sections "*2-6" "$UHD"
expect_status 0 "a part of the AV1 rendition"
expect_duration "$WORK/av1/Горы в 4K [0:02-0:06].mp4" 4 0.1
ok "AV1 (fMP4 through libavformat): 0:02-0:06 lasts 4 s within a frame"

# ---- HEVC: frames reordered past the end ----
# Frames decoded before 0:05 and shown after it are kept (frames shown before need them), and
# libavformat ends the edit list with the last one shown: a third of a second too long (3.323 s)
# until mp4_trim.c cuts the list back to the section.
rtdl -o "$WORK/hevc" -q 2160 --prefer-codec hevc --download-sections "*0:02-0:05" "$UHD_CHAPTERED"
expect_status 0 "a part of the HEVC rendition"
HEVC="$WORK/hevc/Горы в 4K: главы [0:02-0:05].mp4"
[ -f "$HEVC" ] || fail "no HEVC part: $(ls "$WORK/hevc")"
codec=$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name -of csv=p=0 "$HEVC")
[ "$codec" = hevc ] || fail "the 2160p part is $codec, not HEVC"
expect_video_duration "$HEVC" 3 0.1
expect_duration "$HEVC" 3 0.1
shown=$(frames_of "$HEVC" | wc -l)
[ "$shown" -eq 30 ] || fail "the HEVC part shows $shown frames, not 30 (3 s at 10 fps)"
ffmpeg -v error -xerror -i "$HEVC" -f null - >"$WORK/decode.log" 2>&1 ||
    fail "the HEVC part does not decode: $(head -c 500 "$WORK/decode.log")"
[ ! -s "$WORK/decode.log" ] || fail "decoding the HEVC part: $(head -c 500 "$WORK/decode.log")"
ok "HEVC (libavformat, reordered frames): 0:02-0:05 shows 30 frames, its video lasts 3 s, decodes"

# ---- the audio alone: copied and encoded ----
rtdl -o "$WORK/m4a" -x --download-sections "*0:10-0:25" "$VIDEO"
expect_status 0 "a part of the audio"
expect_duration "$WORK/m4a/$PART.m4a" 15 0.03
rtdl -o "$WORK/flac" --audio-format flac --download-sections "*0:10-0:25" "$VIDEO"
expect_status 0 "a part of the audio, as FLAC"
samples=$(ffprobe -v error -select_streams a:0 -show_entries stream=duration_ts -of csv=p=0 "$WORK/flac/$PART.flac")
[ "$samples" -eq $((15 * 44100)) ] || fail "the FLAC part holds $samples samples, not $((15 * 44100))"
ok "the audio alone: M4A within a frame, FLAC cut to the sample (661500 samples)"

# ---- to the end, several parts, and what is refused ----
rtdl -o "$WORK/many" --download-sections "*50-inf" --download-sections "*-0:05" "$VIDEO"
expect_status 0 "two parts"
expect_duration "$WORK/many/$TITLE [0:50-end].mp4" 10 0.04
expect_duration "$WORK/many/$TITLE [0:00-0:05].mp4" 5 0.04
ok "two --download-sections make two files: 0:50 to the end, and the first 5 s"

rtdl --download-sections "*2:30-1:00" "$VIDEO"
expect_status 2 "a part that ends before it starts"
expect_in "$WORK/stderr" 'section "*2:30-1:00" ends before it starts'
rtdl --download-sections "*1:75-2:00" "$VIDEO"
expect_status 2 "a time that is not one"
expect_in "$WORK/stderr" '"1:75" is not a time'
rtdl -o "$WORK/late" --download-sections "*5:00-6:00" "$VIDEO"
expect_status 2 "a part after the video's end"
expect_in "$WORK/stderr" "the section starts at 5:00, after the video ends (1:00)"
[ ! -e "$WORK/late" ] || [ -z "$(ls -A "$WORK/late")" ] || fail "a part past the end left files"
expect_not_in "$WORK/stdout" "Downloading"
ok "refused: an end before the start, 1:75, a part past the video's end (nothing written)"

done_testing
