#!/usr/bin/env bash
# --split-chapters through the real binary: a file per chapter of the description, each cut
# as a section is (the frames of the three files are the whole video's, in order), named and
# tagged after its chapter; files already there stay; an interrupted chapter resumes; and the
# refusals (with --download-sections, with TS) before anything is fetched.
source "$(dirname "$0")/lib.sh"
CHAPTERED=c4a97e2b5d1f4a3c8e6b0d2f4a6c8e0a # 60 s: 0:00, 0:20, 0:45
CHAPTERED_TITLE="Разбор сезона: три части"
ONE="$CHAPTERED_TITLE - 001 Вступление"
TWO="$CHAPTERED_TITLE - 002 Основная часть"
THREE="$CHAPTERED_TITLE - 003 Итоги 🎬"

# The decoded video frames of FILE, one checksum a line.
frames_of() {
    ffmpeg -v error -i "$1" -map 0:V -f framemd5 - | grep -v '^#' | awk -F, '{ print $NF }'
}

# expect_duration FILE SECONDS: within a frame (0.04 s).
expect_duration() {
    local d
    d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$1")
    awk -v d="$d" -v w="$2" 'BEGIN { exit !(d >= w - 0.04 && d <= w + 0.04) }' ||
        fail "$(basename "$1") lasts $d s, not $2 s"
}

# tags FILE: "title|album|track" as ffprobe reads them.
tags() {
    ffprobe -v error -show_entries format_tags=title,album,track -of default=nw=1:nk=0 "$1" |
        sed 's/^TAG://' | sort | tr '\n' '|'
}

# Which segments (1-based) were fetched whole, once each.
fetched_segments() {
    awk -F'\t' '$3 ~ /segment-/ && $7 == "-" && $8 == 200 { sub(/.*segment-/, "", $3); sub(/-.*/, "", $3); print $3 }' \
        "$WORK/requests.log" | sort -n | uniq | tr '\n' ' '
}

start_fake
rtdl -o "$WORK/whole" "$CHAPTERED"
expect_status 0 "the whole video"
frames_of "$WORK/whole/$CHAPTERED_TITLE.mp4" >"$WORK/whole.frames"

# ---- MP4 by the own writer ----
rtdl -o "$WORK/mp4" --split-chapters "$CHAPTERED"
expect_status 0 "--split-chapters"
expect_in "$WORK/stdout" "as 3 files, one per chapter, from $WORK/mp4/$ONE.mp4"
for name in "$ONE" "$TWO" "$THREE"; do
    expect_in "$WORK/stdout" "Saved $WORK/mp4/$name.mp4 ("
done
expect_in "$WORK/stdout" "3 chapters saved ("
[ "$(find "$WORK/mp4" -type f | wc -l)" -eq 3 ] || fail "files: $(ls "$WORK/mp4")"
expect_duration "$WORK/mp4/$ONE.mp4" 20
expect_duration "$WORK/mp4/$TWO.mp4" 25
expect_duration "$WORK/mp4/$THREE.mp4" 15
cat <(frames_of "$WORK/mp4/$ONE.mp4") <(frames_of "$WORK/mp4/$TWO.mp4") \
    <(frames_of "$WORK/mp4/$THREE.mp4") >"$WORK/split.frames"
cmp -s "$WORK/split.frames" "$WORK/whole.frames" ||
    fail "the chapters' frames are not the whole's: $(wc -l <"$WORK/split.frames") against $(wc -l <"$WORK/whole.frames")"
[ "$(tags "$WORK/mp4/$TWO.mp4")" = "album=$CHAPTERED_TITLE|title=Основная часть|track=2/3|" ] ||
    fail "tags of chapter 2: $(tags "$WORK/mp4/$TWO.mp4")"
[ -z "$(ffprobe -v error -show_entries chapter=start_time -of csv=p=0 "$WORK/mp4/$ONE.mp4")" ] ||
    fail "a chapter's file holds chapter marks"
ok "three MP4 files named after the chapters, 20, 25 and 15 s, their frames the whole's in order, title/album/track tags"

# ---- files already there stay; a missing one is made ----
mtime=$(stat -c %Y "$WORK/mp4/$ONE.mp4")
rtdl -o "$WORK/mp4" --split-chapters "$CHAPTERED"
expect_status 0 "every chapter's file already there"
expect_in "$WORK/stdout" "every chapter's file already exists; skipping it"
rm "$WORK/mp4/$TWO.mp4"
rtdl -o "$WORK/mp4" --split-chapters "$CHAPTERED"
expect_status 0 "one chapter's file missing"
expect_in "$WORK/stdout" "$WORK/mp4/$ONE.mp4 already exists; skipping it"
expect_in "$WORK/stdout" "Saved $WORK/mp4/$TWO.mp4 ("
expect_in "$WORK/stdout" "1 chapter saved ("
[ "$(stat -c %Y "$WORK/mp4/$ONE.mp4")" = "$mtime" ] || fail "an existing chapter's file was rewritten"
frames_of "$WORK/mp4/$TWO.mp4" | cmp -s - <(sed -n 501,1125p "$WORK/whole.frames") ||
    fail "the remade chapter 2 is not frames 501-1125"
ok "a second run skips the files that are there, and makes only the missing chapter 2"

# ---- interrupted inside chapter 2, resumed ----
start_fake --endless 8
rtdl -o "$WORK/resume" --retries 1 --split-chapters "$CHAPTERED"
expect_status 1 "an endless segment in chapter 2"
expect_in "$WORK/stderr" "2 of 7 segments are kept in $WORK/resume/$TWO.mp4.part"
[ -f "$WORK/resume/$ONE.mp4" ] || fail "chapter 1 was not kept"
[ ! -e "$WORK/resume/$TWO.mp4" ] && [ ! -e "$WORK/resume/$THREE.mp4" ] ||
    fail "a chapter after the failure got its final name"
start_fake
rtdl -o "$WORK/resume" --split-chapters "$CHAPTERED"
expect_status 0 "resumed"
[ "$(fetched_segments)" = "8 9 10 11 12 13 14 15 " ] ||
    fail "the resumed run fetched segments $(fetched_segments)"
cat <(frames_of "$WORK/resume/$ONE.mp4") <(frames_of "$WORK/resume/$TWO.mp4") \
    <(frames_of "$WORK/resume/$THREE.mp4") | cmp -s - "$WORK/whole.frames" ||
    fail "the resumed chapters' frames differ"
[ -z "$(find "$WORK/resume" -name '*.part*')" ] || fail "litter: $(ls "$WORK/resume")"
ok "interrupted in chapter 2: chapter 1 kept, chapter 2's whole segments kept; the next run fetches 8-15 alone"

# ---- other containers, ASCII names ----
rtdl -o "$WORK/mkv" --split-chapters --container mkv --restrict-filenames "$CHAPTERED"
expect_status 0 "MKV, ASCII names"
for name in Razbor_sezona_tri_chasti_001_Vstuplenie Razbor_sezona_tri_chasti_002_Osnovnaia_chast \
    Razbor_sezona_tri_chasti_003_Itogi; do
    [ -f "$WORK/mkv/$name.mkv" ] || fail "no $name.mkv: $(ls "$WORK/mkv")"
done
rtdl -o "$WORK/mp3" --split-chapters --audio-format mp3 "$CHAPTERED"
expect_status 0 "MP3"
expect_duration "$WORK/mp3/$ONE.mp3" 20.03 # LAME's padding, as a whole MP3 has it
[ "$(tags "$WORK/mp3/$THREE.mp3")" = "album=$CHAPTERED_TITLE|title=Итоги 🎬|track=3/3|" ] ||
    fail "MP3 tags: $(tags "$WORK/mp3/$THREE.mp3")"
ok "MKV with ASCII names, and MP3s with their track numbers"

LANGUAGE=ru rtdl -o "$WORK/ru" --split-chapters -x "$CHAPTERED"
expect_status 0 "in Russian, M4A"
expect_in "$WORK/stdout" "в 3 файла, по файлу на главу, начиная с $WORK/ru/$ONE.m4a"
expect_in "$WORK/stdout" "Сохранены 3 главы ("
ok "in Russian, with the plural a number asks for; the audio alone split too"

# ---- no chapters, and the refusals ----
rtdl -o "$WORK/plain" --split-chapters "$VIDEO"
expect_status 0 "a video without chapters"
expect_in "$WORK/stdout" "Video $VIDEO has no chapters; saving it whole."
[ -f "$WORK/plain/$TITLE.mp4" ] || fail "the video without chapters was not saved whole"
rtdl -o "$WORK/refused" --split-chapters --download-sections "*0:10-0:20" "$CHAPTERED"
expect_status 2 "with --download-sections"
expect_in "$WORK/stderr" "--split-chapters and --download-sections cannot go together"
rtdl -o "$WORK/refused" --split-chapters --container ts "$CHAPTERED"
expect_status 2 "with TS"
expect_in "$WORK/stderr" "--split-chapters cannot cut a .ts file"
[ ! -e "$WORK/refused" ] || fail "a refused command made files"
ok "a video without chapters is saved whole (and says so); with a section or TS: exit 2, nothing made"

done_testing
