#!/bin/bash
# Self-test of the fake RuTube's live streams (README.md, "Live"): the sliding window and its
# switches (--live-period, --live-window, --live-keep, --live-end, --live-expire, --live-dvr,
# --live-starts-in, --live-master), the upcoming stream, and timestamps and continuity counters
# that run on when the stream comes round its files again. curl, jq and ffprobe; TAP output;
# run by `meson test --suite fake`.
set -euo pipefail

: "${FAKE_RUTUBE:?set FAKE_RUTUBE to the fake-rutube binary}"
: "${FAKE_MEDIA:?set FAKE_MEDIA to the folder make-media.sh filled}"

ON_AIR=9bc16299d9f45a152188f9172619b5c0
UPCOMING=81ee160b609d3b84724a456275317058
OPTIONS='?no_404=true&referer=https%3A%2F%2Frutube.ru&pver=v2'
LANDSCAPE=$FAKE_MEDIA/landscape

source "$(dirname "$0")/test_fake_lib.sh"

# live_url ID: the live address play options give (empty when they give none).
live_url() {
    get "$API/api/play/options/$1/$OPTIONS" | jq -r '.live_streams.hls[0].url // empty'
}

# tag NAME PLAYLIST: the value of #EXT-X-NAME:.
tag() {
    sed -n "s/^#EXT-X-$1://p" <<<"$2"
}

# lines PLAYLIST: its addresses, one a line.
lines() {
    grep -v '^#' <<<"$1" || true
}

# status URL: the HTTP status alone.
status() {
    curl -s -o /dev/null -w '%{http_code}' "$1"
}

# wait_for URL PATTERN: the playlist at URL once it holds PATTERN (grep -E), within 15 s.
wait_for() {
    local playlist
    for _ in $(seq 300); do
        playlist=$(get "$1")
        if grep -qE "$2" <<<"$playlist"; then
            printf '%s\n' "$playlist"
            return 0
        fi
        sleep 0.05
    done
    fail "$1 never showed $2"
}

# --- the defaults ---------------------------------------------------------------------------
start_fake
live=$(live_url "$ON_AIR")
base=${live%%\?*}
base=${base%.m3u8}
playlist=$(get "$live")
expect "defaults: 3 segments from 1, no PLAYLIST-TYPE, no ENDLIST, no query on the segments" \
    "$(tag MEDIA-SEQUENCE "$playlist") $(grep -c '^#EXTINF:4.000,$' <<<"$playlist") $(grep -c -e PLAYLIST-TYPE -e ENDLIST -e '?' <<<"$playlist" || true)" \
    "1 3 0"
expect "defaults: the segment lines" "$(lines "$playlist" | tr '\n' ' ')" \
    "$ON_AIR/segment-1.ts $ON_AIR/segment-2.ts $ON_AIR/segment-3.ts "
curl -s -o "$WORK/seg" "$base/segment-1.ts"
cmp -s "$WORK/seg" "$LANDSCAPE/1280x712/seg-000.ts" || fail "live segment 1 is not the largest quality's first file"
ok "defaults: segment 1 is the 1280x712 quality's first file"
variant=$(get "$base/640x352.m3u8")
expect "defaults: a variant's media playlist answers too" \
    "$(tag MEDIA-SEQUENCE "$variant") $(lines "$variant" | head -n1)" "1 640x352/segment-1.ts"
curl -s -o "$WORK/seg" "$base/640x352/segment-2.ts"
cmp -s "$WORK/seg" "$LANDSCAPE/640x352/seg-001.ts" || fail "640x352 live segment 2 is not its second file"
ok "defaults: a variant's segment is its own quality's file"
expect "defaults: a quality the stream lacks" \
    "$(status "$base/856x480.m3u8") $(status "$base/856x480/segment-1.ts")" "404 404"
expect "defaults: the live address is a media playlist even asked with a stale expire" \
    "$(status "${live%%\?*}?expire=1")" 200

# The upcoming stream starts 5 s after the server by default.
expect "upcoming: play options say not found (no_404: 200 and the detail)" \
    "$(get "$API/api/play/options/$UPCOMING/$OPTIONS" | jq -r '.detail.languages[1].title')$(cat "$WORK/status")" \
    "Video not found200"
expect "upcoming: play options without no_404: 404" \
    "$(get "$API/api/play/options/$UPCOMING/?pver=v2" | jq -r '.detail.languages[0].title')$(cat "$WORK/status")" \
    "Видео не найдено404"
expect "upcoming: video info 404" "$(get "$API/api/video/$UPCOMING/")$(cat "$WORK/status")" \
    '{"detail": "Not found."}404'
mirror=${live%%/live/*}
expect "upcoming: its live playlist and segment 1 are not there" \
    "$(status "$mirror/live/$UPCOMING.m3u8") $(status "$mirror/live/$UPCOMING/segment-1.ts")" \
    "404 404"
expect "upcoming: no VOD master" "$(status "$API/route/$UPCOMING.m3u8")" 404

# --- --live-window, --live-starts-in, --live-period -------------------------------------------
start_fake --live-window 5
playlist=$(get "$(live_url "$ON_AIR")")
expect "--live-window 5: the stream on the air starts with 5 segments" \
    "$(tag MEDIA-SEQUENCE "$playlist") $(grep -c '^#EXTINF' <<<"$playlist")" "1 5"
start_fake --live-starts-in 1.5 --live-period 0.5 --live-window 5
live=$(live_url "$ON_AIR")
playlist=$(get "$live")
expect "--live-window 5 --live-period 0.5: 5 segments listed, the last the newest" \
    "$(grep -c '^#EXTINF' <<<"$playlist") $(lines "$playlist" | tail -n1)" \
    "5 $ON_AIR/segment-$(($(tag MEDIA-SEQUENCE "$playlist") + 4)).ts"
expect "upcoming before --live-starts-in: no live address" "$(live_url "$UPCOMING")" ""
up=
for _ in $(seq 100); do
    up=$(live_url "$UPCOMING")
    [ -z "$up" ] || break
    sleep 0.05
done
[ -n "$up" ] || fail "the upcoming stream never went on the air"
playlist=$(get "$up")
expect "upcoming once started: its playlist begins with segment 1" \
    "$(tag MEDIA-SEQUENCE "$playlist") $(lines "$playlist" | head -n1)" "1 $UPCOMING/segment-1.ts"
expect "upcoming once started: video info" \
    "$(get "$API/api/video/$UPCOMING/" | jq -c '[.is_livestream, .duration]')" '[true,0]'
playlist=$(wait_for "$up" '^#EXT-X-MEDIA-SEQUENCE:2$')
expect "upcoming: the window fills to 5, then slides" \
    "$(grep -c '^#EXTINF' <<<"$playlist") $(lines "$playlist" | tail -n1)" \
    "5 $UPCOMING/segment-6.ts"
one=$(tag MEDIA-SEQUENCE "$(get "$live")")
sleep 1
two=$(tag MEDIA-SEQUENCE "$(get "$live")")
expect "--live-period 0.5: about 2 segments a second (got $((two - one)))" \
    "$((two - one >= 1 && two - one <= 6))" 1
expect "--live-period: #EXTINF and the target stay the files' 4 s" \
    "$(get "$live" | grep -E '^#EXT(INF|-X-TARGETDURATION)' | sort -u | tr '\n' ' ')" \
    "#EXT-X-TARGETDURATION:4 #EXTINF:4.000, "

# --- --live-keep ---------------------------------------------------------------------------
# Period 1 s, window 3, keep 1: once segment 5 is out (the window 3-5), segment 1 left the window
# a period ago (404) and segment 2 just now (kept one period more).
start_fake --live-period 1 --live-keep 1
live=$(live_url "$ON_AIR")
base=${live%%\?*}
base=${base%.m3u8}
expect "--live-keep: a listed segment" "$(status "$base/segment-1.ts")" 200
wait_for "$live" '^#EXT-X-MEDIA-SEQUENCE:3$' >/dev/null
expect "--live-keep 1: out of the window a period ago 404, just now still 200, listed 200" \
    "$(status "$base/segment-1.ts") $(status "$base/segment-2.ts") $(status "$base/segment-3.ts")" \
    "404 200 200"
expect "--live-keep 1: the variants expire alike" "$(status "$base/640x352/segment-1.ts")" 404

# --- --live-end ----------------------------------------------------------------------------
start_fake --live-period 0.2 --live-end 6
live=$(live_url "$ON_AIR")
base=${live%%\?*}
base=${base%.m3u8}
playlist=$(wait_for "$live" '^#EXT-X-ENDLIST$')
expect "--live-end 6: the last window, then ENDLIST" \
    "$(tag MEDIA-SEQUENCE "$playlist") $(lines "$playlist" | tail -n1) $(tail -n1 <<<"$playlist")" \
    "4 $ON_AIR/segment-6.ts #EXT-X-ENDLIST"
sleep 0.5
expect "--live-end 6: nothing more comes" \
    "$(get "$live" | md5sum) $(status "$base/segment-6.ts") $(status "$base/segment-7.ts")" \
    "$(md5sum <<<"$playlist") 200 404"

# --- --live-dvr, and the wrap round the files -------------------------------------------------
if "$FAKE_RUTUBE" --media "$FAKE_MEDIA" --live-dvr --live-keep 1 >"$WORK/refused" 2>&1; then
    fail "--live-dvr with --live-keep started"
fi
ok "--live-dvr with --live-keep is refused"
start_fake --live-dvr --live-period 0.05 --live-end 33
live=$(live_url "$ON_AIR")
base=${live%%\?*}
base=${base%.m3u8}
playlist=$(wait_for "$live" '^#EXT-X-ENDLIST$')
expect "--live-dvr: EVENT, every segment from 1, ENDLIST after 33" \
    "$(tag MEDIA-SEQUENCE "$playlist") $(tag PLAYLIST-TYPE "$playlist") $(grep -c '^#EXTINF' <<<"$playlist") $(lines "$playlist" | head -n1) $(tail -n1 <<<"$playlist")" \
    "1 EVENT 33 $ON_AIR/segment-1.ts #EXT-X-ENDLIST"
for k in 1 14 15 16 17 30 31; do
    curl -sf -o "$WORK/live-$k.ts" "$base/segment-$k.ts" || fail "DVR segment $k"
done
cmp -s "$WORK/live-15.ts" "$LANDSCAPE/1280x712/seg-014.ts" || fail "the first pass is not the files as they are"
ok "--live-dvr: nothing expired, the first pass is the files as they are"
expect "the second pass: the first file's length, other bytes" \
    "$(wc -c <"$WORK/live-16.ts") $(cmp -s "$WORK/live-16.ts" "$LANDSCAPE/1280x712/seg-000.ts" && echo same || echo differs)" \
    "$(wc -c <"$LANDSCAPE/1280x712/seg-000.ts") differs"
start_time() {
    ffprobe -v error -show_entries format=start_time -of csv=p=0 "$1"
}
# The landscape audio runs 60.024 s, a part of an AAC frame past the video's 60 s.
expect "each pass starts the files' span (60 s and a little) after the one before" \
    "$(awk -v a="$(start_time "$WORK/live-1.ts")" -v b="$(start_time "$WORK/live-16.ts")" -v c="$(start_time "$WORK/live-31.ts")" \
        'BEGIN { print (b - a >= 60 && b - a < 60.05 && (c - b) - (b - a) < 0.001 && (b - a) - (c - b) < 0.001) }')" 1
cat "$WORK"/live-{14,15,16,17}.ts >"$WORK/wrap.ts"
cat "$WORK"/live-{30,31}.ts >>"$WORK/wrap.ts"
expect "across the wraps: no continuity counter breaks" \
    "$(ffprobe -v debug "$WORK/wrap.ts" 2>&1 | grep -c 'Continuity check failed' || true)" 0
for stream in v a; do
    expect "across the wraps: the $stream timestamps only go forward" \
        "$(ffprobe -v error -select_streams "$stream" -show_entries packet=dts_time -of default=nw=1:nk=1 "$WORK/wrap.ts" |
            awk 'NR > 1 && $1 <= prev { bad++ } { prev = $1 } END { print bad + 0 }')" 0
done
cat "$WORK"/live-{14,15,16,17}.ts >"$WORK/joined.ts"
expect "across the wrap: segments 14 to 17 joined last 16 s" \
    "$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$WORK/joined.ts" |
        awk '{ printf "%.0f", $1 }')" 16

# --no-video: the audio-only files come round the same way.
start_fake --no-video --live-dvr --live-period 0.05 --live-end 16
live=$(live_url "$ON_AIR")
base=${live%%\?*}
base=${base%.m3u8}
wait_for "$live" '^#EXT-X-ENDLIST$' >/dev/null
for k in 15 16; do
    curl -sf -o "$WORK/audio-$k.ts" "$base/segment-$k.ts" || fail "audio-only segment $k"
done
cat "$WORK"/audio-{15,16}.ts >"$WORK/audio.ts"
expect "--no-video: audio only, its timestamps go on across the wrap" \
    "$(ffprobe -v error -show_entries stream=codec_type -of csv=p=0 "$WORK/audio-16.ts" | grep . | sort -u | tr '\n' ' ')$(ffprobe -v error -show_entries packet=dts_time -of default=nw=1:nk=1 "$WORK/audio.ts" |
        awk 'NR > 1 && $1 <= prev { bad++ } { prev = $1 } END { print bad + 0 }')" "audio 0"

# --- --live-expire ---------------------------------------------------------------------------
start_fake --live-expire 3
now=$(date +%s)
live=$(live_url "$ON_AIR")
expire=$(sed -n 's/.*[?&]expire=\([0-9]*\).*/\1/p' <<<"$live")
expect "--live-expire 3: the address expires 3 s after the call" \
    "$((expire - now >= 2 && expire - now <= 4))" 1
playlist=$(get "$live")
segment=$(lines "$playlist" | head -n1)
expect "--live-expire: segment lines carry the playlist's expire and sign" \
    "$segment" "$ON_AIR/segment-1.ts?${live#*\?}"
base=${live%%\?*}
base=${base%.m3u8}
expect "--live-expire: the segment with its query 200, without 403, a stale one 403, a bad one 403" \
    "$(status "${live%/*}/$segment") $(status "$base/segment-1.ts") $(status "$base/segment-1.ts?expire=$((now - 10))") $(status "${live%%\?*}?expire=12x")" \
    "200 403 403 403"
while [ "$(date +%s)" -le "$expire" ]; do
    sleep 0.1
done
expect "--live-expire: past the expire, playlist and segment 403" \
    "$(status "$live") $(status "${live%/*}/$segment")" "403 403"
expect "--live-expire: play options again give a fresh address" "$(status "$(live_url "$ON_AIR")")" 200

# --- --live-master ---------------------------------------------------------------------------
# --live-end 3: the broadcast is over at once, so both variants hold still while compared.
start_fake --live-master --live-expire 600 --live-end 3
live=$(live_url "$ON_AIR")
master=$(get "$live")
expect "--live-master: two variants, smallest first, shaped like a VOD master's" \
    "$(grep '^#EXT-X-STREAM-INF' <<<"$master" | sed 's/BANDWIDTH=[0-9]*/BANDWIDTH=N/' | tr '\n' '|')" \
    '#EXT-X-STREAM-INF:PROGRAM-ID=1, BANDWIDTH=N, FRAME-RATE=25, CODECS="avc1.640029, mp4a.40.2", RESOLUTION=640x352|#EXT-X-STREAM-INF:PROGRAM-ID=1, BANDWIDTH=N, FRAME-RATE=25, CODECS="avc1.640029, mp4a.40.2", RESOLUTION=1280x712|'
vod=$(get "$(get "$API/api/play/options/2ce725b3dc1a243f8456458975ecd872/$OPTIONS" | jq -r .video_balancer.m3u8)")
for size in 640x352 1280x712; do
    expect "--live-master: $size's BANDWIDTH is the VOD master's" \
        "$(grep -m1 "RESOLUTION=$size" <<<"$master" | sed 's/.*BANDWIDTH=\([0-9]*\),.*/\1/')" \
        "$(grep -m1 "RESOLUTION=$size" <<<"$vod" | sed 's/.*BANDWIDTH=\([0-9]*\),.*/\1/')"
done
query=${live#*\?}
expect "--live-master: the variant addresses, with the master's query" "$(lines "$master" | tr '\n' ' ')" \
    "${live%/*}/$ON_AIR/640x352.m3u8?$query ${live%/*}/$ON_AIR/1280x712.m3u8?$query "
small=$(get "$(lines "$master" | head -n1)")
large=$(get "$(lines "$master" | tail -n1)")
expect "--live-master: both variants at the same sequence" \
    "$(tag MEDIA-SEQUENCE "$small") $(lines "$small" | head -n1)" "$(tag MEDIA-SEQUENCE "$large") 640x352/segment-1.ts?$query"
url=$(lines "$master" | head -n1)
curl -sf -o "$WORK/small.ts" "${url%/*}/$(lines "$small" | head -n1)" || fail "the 640x352 variant's segment"
expect "--live-master: a variant's segment is its quality's file" \
    "$(cmp -s "$WORK/small.ts" "$LANDSCAPE/640x352/seg-000.ts" && echo same) $(ffprobe -v error -select_streams v -show_entries stream=width,height -of csv=p=0 "$WORK/small.ts" | head -n1)" \
    "same 640,352"
expect "--live-master: a variant without the query 403" "$(status "${url%%\?*}")" 403

stop_fake
echo "1..$CHECKS"
