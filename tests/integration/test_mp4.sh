#!/usr/bin/env bash
# Real MP4 (and MKV) files: container, streams, duration, tags, cover, names, remux failures.
source "$(dirname "$0")/lib.sh"
start_fake
AUTHOR="PREMIER онлайн-кинотеатр"
PAGE="https://rutube.ru/video/$VIDEO/"

# tag FILE NAME: a format-level tag as ffprobe reads it ("" when absent).
tag() {
    ffprobe -v error -show_entries "format_tags=$2" -of default=nw=1:nk=1 "$1"
}

# The playlist's duration: the sum of its #EXTINF values.
playlist_duration() {
    awk -F'[:,]' '/^#EXTINF:/ { s += $2 } END { printf "%.3f", s }' "$FAKE_MEDIA/$1/$2/index.m3u8"
}

# near A B LIMIT: |A - B| <= LIMIT
near() {
    awk -v a="$1" -v b="$2" -v l="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= l) }'
}

# packets FILE TYPE: how many packets of that stream type (v or a) the file holds.
packets() {
    ffprobe -v error -select_streams "$2" -count_packets -show_entries stream=nb_read_packets \
        -of csv=p=0 "$1" | head -n1
}

rtdl -o "$WORK/out" "$VIDEO"
expect_status 0 "default download"
MP4="$WORK/out/$TITLE.mp4"
[ -f "$MP4" ] || fail "no $TITLE.mp4"
[ -z "$(ls "$WORK/out" | grep -v '\.mp4$')" ] || fail "left over: $(ls "$WORK/out")"
[ "$(ffprobe -v error -show_entries format=format_name -of default=nw=1:nk=1 "$MP4")" = "mov,mp4,m4a,3gp,3g2,mj2" ] ||
    fail "not an ISO-BMFF file"
[ "$(tag "$MP4" major_brand)" = "isom" ] || fail "major brand is $(tag "$MP4" major_brand)"
streams=$(ffprobe -v error -show_entries stream=codec_type,codec_name -of csv=p=0 "$MP4" | tr '\n' ' ')
[ "$streams" = "h264,video aac,audio " ] || fail "streams: $streams"
ok "the default output is an MP4 with exactly one H.264 and one AAC stream"

boxes=$(ffprobe -v trace "$MP4" 2>&1 | grep -o "type:'[a-z]*' parent:'root'" | cut -d"'" -f2 | tr '\n' ' ')
case "$boxes" in ftyp\ moov\ *mdat*) ;; *) fail "top-level boxes: $boxes (moov must come first)" ;; esac
ok "faststart: $boxes"

expected=$(playlist_duration landscape 1280x712)
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$MP4")
near "$duration" "$expected" 0.5 || fail "duration $duration s, the playlist says $expected s"
for s in v a; do
    start=$(ffprobe -v error -select_streams "$s" -show_entries stream=start_time -of csv=p=0 "$MP4")
    near "$start" 0 0.1 || fail "stream $s starts at $start s"
done
ok "duration $duration s (playlist $expected s); timestamps start at 0"

TS=$(segments_of landscape 1280x712)
for s in v a; do
    [ "$(packets "$MP4" $s)" = "$(packets "$TS" $s)" ] ||
        fail "stream $s: $(packets "$MP4" $s) packets in the MP4, $(packets "$TS" $s) in the segments"
done
ok "every audio and video packet of the segments is in the MP4 (copied, not re-encoded)"

[ "$(tag "$MP4" title)" = "$TITLE" ] || fail "title tag: $(tag "$MP4" title)"
[ "$(tag "$MP4" artist)" = "$AUTHOR" ] || fail "artist tag: $(tag "$MP4" artist)"
[ "$(tag "$MP4" date)" = "2024-10-30" ] || fail "date tag: $(tag "$MP4" date)"
[ "$(tag "$MP4" comment)" = "$PAGE" ] || fail "comment tag: $(tag "$MP4" comment)"
[ "$(tag "$MP4" episode_id)" = "$VIDEO" ] || fail "episode_id tag: $(tag "$MP4" episode_id)"
tag "$MP4" description | grep -q "Смотрите" || fail "description tag: $(tag "$MP4" description)"
ok "tags: exact Unicode title, artist, publication date, description, page address, id"

rtdl -o "$WORK/ts" --container ts "$VIDEO"
expect_same_bytes "$TS" "$WORK/ts/$TITLE.ts"
ok "--container ts is still the segments byte for byte"

rtdl -o "$WORK/mkv" --container mkv "$VIDEO"
expect_status 0 "mkv"
MKV="$WORK/mkv/$TITLE.mkv"
[ "$(ffprobe -v error -show_entries format=format_name -of default=nw=1:nk=1 "$MKV")" = "matroska,webm" ] ||
    fail "not Matroska"
[ "$(tag "$MKV" title)" = "$TITLE" ] || fail "mkv title tag"
[ "$(tag "$MKV" RUTUBE_ID)" = "$VIDEO" ] || fail "mkv RUTUBE_ID tag"
for s in v a; do
    [ "$(packets "$MKV" $s)" = "$(packets "$TS" $s)" ] || fail "mkv stream $s lost packets"
done
ok "--container mkv: Matroska with the same packets and tags"

rtdl -o "$WORK/cover" --embed-thumbnail --write-thumbnail "$VIDEO"
expect_status 0 "thumbnail"
cover=$(ffprobe -v error -show_entries stream=codec_name:stream_disposition=attached_pic -of csv=p=0 \
    "$WORK/cover/$TITLE.mp4" | grep -c '^mjpeg,1$')
[ "$cover" -eq 1 ] || fail "no attached picture in the MP4"
cmp -s "$FAKE_MEDIA/thumb.jpg" "$WORK/cover/$TITLE.jpg" || fail "the thumbnail beside the video differs"
ok "--embed-thumbnail stores the cover; --write-thumbnail saves the JPEG beside"

rtdl -o "$WORK/info" --write-info-json "$VIDEO"
INFO="$WORK/info/$TITLE.info.json"
jq -e . "$INFO" >/dev/null || fail "info.json is not JSON"
[ "$(jq -r .title "$INFO")" = "$TITLE" ] || fail "info title"
[ "$(jq -r .author "$INFO")" = "$AUTHOR" ] || fail "info author"
[ "$(jq -r .upload_date "$INFO")" = "20241030" ] || fail "info upload_date"
[ "$(jq -r .views "$INFO")" = "12345" ] || fail "info views"
[ "$(jq -r .category "$INFO")" = "Сериалы" ] || fail "info category"
[ "$(jq -r '.tags[0]' "$INFO")" = "Трейлеры" ] || fail "info tags"
[ "$(jq -r .format_id "$INFO")" = "1280x712" ] || fail "info format"
[ "$(jq -r .webpage_url "$INFO")" = "$PAGE" ] || fail "info webpage_url"
near "$(jq -r .duration "$INFO")" 60 1 || fail "info duration"
jq -r .description "$INFO" | grep -q "Смотрите" || fail "info description"
ok "--write-info-json: title, author, date, views, tags, category, format, address, duration"

rtdl -o "$WORK/tpl" -O "%(author)s/%(upload_date)s %(id)s %(height)sp.%(ext)s" "$VIDEO"
expect_status 0 "template"
[ -f "$WORK/tpl/$AUTHOR/20241030 $VIDEO 712p.mp4" ] || fail "template: $(find "$WORK/tpl" -type f)"
ok "-O fills author, upload_date, id, height and ext, and '/' makes a folder"

rtdl -o "$WORK/restrict" --restrict-filenames --write-info-json "$VIDEO"
[ -f "$WORK/restrict/Paltsy_Treiler_PREMIER.mp4" ] || fail "restrict: $(ls "$WORK/restrict")"
[ -f "$WORK/restrict/Paltsy_Treiler_PREMIER.info.json" ] || fail "restrict: the info.json name"
rtdl -o "$WORK/restrict2" --restrict-filenames "$HOSTILE"
name=$(ls "$WORK/restrict2")
[[ "$name" =~ ^[A-Za-z0-9_]+\.mp4$ ]] || fail "hostile title restricted to \"$name\""
ok "--restrict-filenames: Paltsy_Treiler_PREMIER.mp4; a hostile title becomes $name"

rtdl -O "%(nope)s.%(ext)s" "$VIDEO"
expect_status 2 "bad template"
expect_in "$WORK/stderr" "unknown field"
ok "an unknown template field is bad usage"

start_fake --corrupt-segment 5
rtdl -o "$WORK/corrupt" "$VIDEO"
expect_status 1 "corrupt segment"
expect_in "$WORK/stderr" "remux failed"
expect_in "$WORK/stderr" "kept as $WORK/corrupt/$TITLE.ts"
[ "$(grep -c . "$WORK/stderr")" -eq 1 ] || fail "not one line: $(cat "$WORK/stderr")"
[ ! -e "$WORK/corrupt/$TITLE.mp4" ] || fail "an MP4 from damaged data"
[ -s "$WORK/corrupt/$TITLE.ts" ] || fail "the downloaded stream was not kept"
[ -z "$(find "$WORK/corrupt" -name '*.part')" ] || fail "a .part was left"
ok "a corrupt segment: a clear remux error, the downloaded .ts kept and named"

start_fake --no-video
rtdl -o "$WORK/novideo" "$VIDEO"
expect_status 1 "no video"
expect_in "$WORK/stderr" "no video"
[ -s "$WORK/novideo/$TITLE.ts" ] || fail "the downloaded stream was not kept"
ok "a stream without video: a clear error, the .ts kept"

start_fake --info-404
rtdl -o "$WORK/noinfo" "$VIDEO"
expect_status 0 "video info missing"
[ "$(tag "$WORK/noinfo/$TITLE.mp4" title)" = "$TITLE" ] || fail "title tag without video info"
ok "without the video info call the download still works"

done_testing
