#!/bin/bash
# Self-test of the fake RuTube's collections, numeric embeds, live streams, Yappy, counters and
# 2026 shapes (4K in three codecs and fMP4, gated masters, 2017 masters, blocking_rule, caption
# formats, /u/<slug>/ pages, recorded list pages, the proxy listener), with curl, jq and ffprobe,
# against what README.md promises. TAP output; run by `meson test --suite fake`.
set -euo pipefail

: "${FAKE_RUTUBE:?set FAKE_RUTUBE to the fake-rutube binary}"
: "${FAKE_MEDIA:?set FAKE_MEDIA to the folder make-media.sh filled}"

# Ids and numbers from catalog.json (README.md lists them).
MAIN=2ce725b3dc1a243f8456458975ecd872
PRIVATE=4f1a0c7e2b9d48a6b3c5d7e9f1a2b3c4
REMOVED=a10e53b86e8f349080f718582ce4c661
E1=7051fd5f383fe1790f47befd77a1f5f0
E2=aa5e56b2550539c8c4f46f28d82cf4c3
E3=682427195be6b605ad338a7d37a1f068
C1=c24984a1620ca21b3cb102babf8de673
S1=618dc20a6574eeac6f8cf56c8fd74ca8
C2=b178550429b1d7da4b8ff7151db0b8fd
S2=0337626f88f5e08ee1ff97761f3fec0e
C3=f8bb76fa2e4e4faa736a496cb9d13876
ON_AIR=9bc16299d9f45a152188f9172619b5c0
ENDED=91f9bdf2c50e3b807a10704144e08de2
Y1=2ce92619c4e6b4f729458647958b2bc8
Y2=79ec7e96427186ad4521633df3a5e7b7
Y3=9635c3f3e916e75c60311da12f9fbbf3
UHD=7d4e1c9a2b3f4e5d6c7b8a9f0e1d2c3b
RULE=b10c4ed0a1b2c3d4e5f60718293a4b5c
OLD=01d2017a5b6c7d8e9f00112233445566
OPTIONS='?no_404=true&referer=https%3A%2F%2Frutube.ru&pver=v2'
ALL='&client=wdp&mq=all&av1=1'
YAPPY_V4=/pangolin/api/web/yappy/v4/yappypage/
# The recorded list pages the fake serves (its compiled-in --real-data).
REAL=$(cd "$(dirname "$0")/../data/real" && pwd)

# WORK, CHECKS and start_fake, stop_fake, get, expect, ok, fail.
source "$(dirname "$0")/test_fake_lib.sh"

# walk URL: follows "next" from URL while has_next; prints one line per page: the page
# number, has_next and the ids of its results.
walk() {
    local url=$1 page
    for _ in $(seq 20); do
        page=$(get "$url")
        [ "$(cat "$WORK/status")" = 200 ] || fail "$url answered $(cat "$WORK/status")"
        jq -r '"\(.page) \(.has_next) \([.results[].id] | join(","))"' <<<"$page"
        [ "$(jq -r .has_next <<<"$page")" = true ] || return 0
        url=$(jq -r .next <<<"$page")
    done
}

start_fake

# --- collections -------------------------------------------------------------------------
expect "playlist 410001: four pages, the removed video listed, the last page empty" \
    "$(walk "$API/api/playlist/custom/410001/videos/?page=1&format=json" | tr '\n' ' ')" \
    "1 true $MAIN,$E1 2 true $REMOVED,$C1 3 true $E2 4 false  "
expect "a listed removed video's play options say removed" \
    "$(get "$API/api/play/options/$REMOVED/$OPTIONS" | jq -r .detail)" "Видео удалено"
page=$(get "$API/api/playlist/custom/410001/videos/?page=1&format=json")
expect "a page's keys" "$(jq -c 'keys_unsorted' <<<"$page")" \
    '["has_next","next","page","per_page","results"]'
expect "an entry's keys" "$(jq -c '.results[0] | keys_unsorted' <<<"$page")" \
    '["id","title","description","video_url","duration","created_ts","publication_ts","hits","thumbnail_url","author","category","is_livestream","origin_type","is_adult"]'
expect "an entry's values" \
    "$(jq -c '.results[0] | [.video_url, .duration, .author.id, .category.name, .origin_type]' <<<"$page")" \
    "[\"https://rutube.ru/video/$MAIN/\",60,5518074,\"Сериалы\",\"rtb\"]"
expect "next keeps the query, page set" "$(jq -r .next <<<"$page")" \
    "$API/api/playlist/custom/410001/videos/?page=2&format=json"
expect "next adds the page when it was absent" \
    "$(get "$API/api/playlist/custom/410001/videos?format=json" | jq -r .next)" \
    "$API/api/playlist/custom/410001/videos?format=json&page=2"
expect "past the end: 200, empty" \
    "$(get "$API/api/playlist/custom/410001/videos/?page=9&format=json" | jq -c .)$(cat "$WORK/status")" \
    '{"has_next":false,"next":null,"page":9,"per_page":2,"results":[]}200'

expect "channel 24550718, both kinds" \
    "$(walk "$API/api/video/person/24550718/?page=1&format=json" | tr '\n' ' ')" \
    "1 true $C1,$S1 2 true $C2,$S2 3 false $C3 "
expect "channel 24550718, videos" \
    "$(walk "$API/api/video/person/24550718/?page=1&format=json&origin__type=rtb,rst,ifrm,rspa" | tr '\n' ' ')" \
    "1 true $C1,$C2 2 false $C3 "
expect "channel 24550718, shorts" \
    "$(walk "$API/api/video/person/24550718/?page=1&format=json&origin__type=rshorts" | tr '\n' ' ')" \
    "1 false $S1,$S2 "
expect "a short's entry" \
    "$(get "$API/api/video/person/24550718/?page=1&origin__type=rshorts" | jq -c '.results[0] | [.video_url, .origin_type, .duration]')" \
    "[\"https://rutube.ru/shorts/$S1/\",\"rshorts\",20]"
expect "tag 11370" "$(walk "$API/api/tags/video/11370/?page=1&format=json" | tr '\n' ' ')" \
    "1 true $C1,$C2,$C3 2 false $S1 "
expect "a tag collection's number is the tag's id" \
    "$(get "$API/api/video/$C1/?format=json" | jq -c .tags)" '[{"id":11370,"name":"Кулинария"}]'
expect "series 1200 (RuTube's path: no slash before ?)" \
    "$(walk "$API/api/metainfo/tv/1200/video?page=1&format=json" | tr '\n' ' ')" \
    "1 true $E1,$E2 2 false $E3 "
expect "series 1200 with a trailing slash" \
    "$(get "$API/api/metainfo/tv/1200/video/?page=2&format=json" | jq -r '.results[0].id')" "$E3"
expect "series 1200's name" "$(get "$API/api/metainfo/tv/1200/?format=json" | jq -c .)" \
    '{"id":1200,"name":"Пальцы"}'
for p in 1 2 50; do
    expect "endless playlist 419999, page $p" \
        "$(get "$API/api/playlist/custom/419999/videos/?page=$p&format=json" | jq -r '"\(.has_next) \(.next) \([.results[].id] | join(","))"')" \
        "true $API/api/playlist/custom/419999/videos/?page=$((p + 1))&format=json $E3,$C3"
done
expect "unknown collection" \
    "$(get "$API/api/playlist/custom/410002/videos/?page=1&format=json")$(cat "$WORK/status")" \
    '{"detail": "Not found."}404'
expect "a person number that is a playlist's" \
    "$(get "$API/api/video/person/410001/?page=1" >/dev/null; cat "$WORK/status")" 404
expect "page 0" "$(get "$API/api/tags/video/11370/?page=0")$(cat "$WORK/status")" \
    '{"detail": "Invalid page."}404'

# --- numeric embeds ----------------------------------------------------------------------
expect "embed 303641507" \
    "$(get "$API/api/play/options/303641507/$OPTIONS" | jq -r '"\(.id) \(.effective_video) \(.video_id)"')" \
    "303641507 $MAIN $MAIN"
expect "embed 10631925 needs its key" \
    "$(get "$API/api/play/options/10631925/$OPTIONS" | jq -r '.detail.languages[0].title')" \
    "Это приватное видео. Для просмотра нужна ссылка с ключом доступа"
expect "embed 10631925 with its key" \
    "$(get "$API/api/play/options/10631925/$OPTIONS&p=IbAigKqWd1do4mjaM5XLIQ" | jq -r .effective_video)" \
    "$PRIVATE"
expect "unknown embed number" \
    "$(get "$API/api/play/options/12345678/$OPTIONS" | jq -r '.detail.languages[1].title')" \
    "Video not found"

# --- live ---------------------------------------------------------------------------------
options=$(get "$API/api/play/options/$ON_AIR/$OPTIONS")
expect "on air: no video_balancer entries, one live address" \
    "$(jq -c '[.video_balancer, (.live_streams.hls | length), .is_livestream]' <<<"$options")" \
    '[{},1,true]'
live=$(jq -r '.live_streams.hls[0].url' <<<"$options")
playlist=$(get "$live")
expect "live playlist: 3 segments, no end" \
    "$(grep -c '^#EXTINF' <<<"$playlist") $(grep -c ENDLIST <<<"$playlist" || true)" "3 0"
first=$(sed -n 's/^#EXT-X-MEDIA-SEQUENCE://p' <<<"$playlist")
segment=$(grep -v '^#' <<<"$playlist" | head -n1)
expect "live segment $first" \
    "$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "${live%/*}/$segment")" "200 video/MP2T"
expect "a live segment not made yet" \
    "$(curl -s -o /dev/null -w '%{http_code}' "${live%/*}/$ON_AIR/segment-999999.ts")" 404
expect "on air: video info" "$(get "$API/api/video/$ON_AIR/?format=json" | jq -c '[.is_livestream, .duration]')" \
    '[true,0]'
expect "ended: a recording" \
    "$(get "$API/api/play/options/$ENDED/$OPTIONS" | jq -c '[(.video_balancer.m3u8 | type), .live_streams, .is_livestream]')" \
    '["string",{"hls":[]},true]'
expect "ended: video info" "$(get "$API/api/video/$ENDED/?format=json" | jq -r .is_livestream)" true

# --- Yappy -------------------------------------------------------------------------------
feed=$(get "$API$YAPPY_V4?client=wdp&videoId=$Y2&page=1&page_size=1")
expect "yappy v4 feed: three clips whatever page_size says, the asked clip second" \
    "$(jq -r '[.results[].id] | join(",")' <<<"$feed")$(cat "$WORK/status")" "$Y3,$Y2,$Y1""200"
expect "yappy v4 without the trailing slash" \
    "$(get "${API}${YAPPY_V4%/}?client=wdp&videoId=$Y1&page=1&page_size=1" | jq -r '.results[1].id')" "$Y1"
expect "yappy: the old path without v4/ is gone" \
    "$(get "$API/pangolin/api/web/yappy/yappypage/?client=wdp&source=shorts&videoId=$Y2")$(cat "$WORK/status")" \
    '{"detail": "Not found."}404'
expect "yappy v4: an id in capitals is an unknown clip" \
    "$(get "$API$YAPPY_V4?client=wdp&videoId=$(tr a-f A-F <<<"$Y2")&page=1&page_size=1")$(cat "$WORK/status")" \
    '{"results": []}200'
link=$(jq -r --arg id "$Y2" '.results[] | select(.id == $id) | .link' <<<"$feed")
curl -s -D "$WORK/headers" -o "$WORK/clip.mp4" "$link"
cmp -s "$WORK/clip.mp4" "$FAKE_MEDIA/yappy/portrait.mp4" || fail "the clip's bytes differ"
expect "yappy file headers" \
    "$(tr -d '\r' <"$WORK/headers" | grep -iE '^(content-type|accept-ranges):' | sort | tr '\n' ' ')" \
    "Accept-Ranges: bytes Content-Type: video/mp4 "
expect "yappy file: H.264 + AAC" \
    "$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$WORK/clip.mp4" | tr '\n' ' ')" \
    "h264 aac "
expect "yappy file: a range" \
    "$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -H 'Range: bytes=10-109' "$link")" \
    "206 100"
expect "yappy unknown clip" \
    "$(get "$API$YAPPY_V4?client=wdp&videoId=$MAIN&page=1&page_size=1")$(cat "$WORK/status")" \
    '{"results": []}200'

source "$(dirname "$0")/test_fake_2026.sh"

# --- counters across videos ----------------------------------------------------------------
# Four bodies at once, from three different sources, each taking about half a second.
start_fake --rate 1000000
master=$(get "$(get "$API/api/play/options/$E1/$OPTIONS" | jq -r .video_balancer.m3u8)")
media=$(grep -v '^#' <<<"$master" | head -n1)
segment_a="${media%/*}/$(get "$media" | grep -v '^#' | head -n1)"
master=$(get "$(get "$API/api/play/options/$C2/$OPTIONS" | jq -r .video_balancer.m3u8)")
media=$(grep -v '^#' <<<"$master" | head -n1)
segment_b="${media%/*}/$(get "$media" | grep -v '^#' | head -n1)"
link_1=$(get "$API$YAPPY_V4?videoId=$Y1" | jq -r '.results[1].link')
link_3=$(get "$API$YAPPY_V4?videoId=$Y3" | jq -r '.results[1].link')
sleep 0.3
pids=()
for url in "$segment_a" "$segment_b" "$link_1" "$link_3"; do
    curl -s -o /dev/null -r 0-499999 "$url" &
    pids+=($!)
done
for pid in "${pids[@]}"; do
    wait "$pid"
done
stop_fake
stats=$(cat "$WORK/stats.json")
expect "four bodies at once, across videos and Yappy" \
    "$(jq -r '.max_concurrent_segments >= 4 and .segment_requests == 4' <<<"$stats")" true
expect "four mirror connections at once" \
    "$(jq -r '.max_concurrent_mirror_connections >= 4 and .max_concurrent_mirror_connections <= .max_concurrent_connections' <<<"$stats")" \
    true
expect "mirror connections: the playlists' and the bodies'" \
    "$(jq -r '.mirror_connections' <<<"$stats")" 6

# --- descriptions with timecodes (the chapters' test material) ------------------------------
start_fake
CATALOG="$(dirname "$0")/catalog.json"
for id in c4a97e2b5d1f4a3c8e6b0d2f4a6c8e0a c4a97e2b5d1f4a3c8e6b0d2f4a6c8e0b \
    7d4e1c9a2b3f4e5d6c7b8a9f0e1d2c3c; do
    want=$(jq -r --arg id "$id" '.videos[] | select(.id == $id) | .description' "$CATALOG")
    grep -q $'\n0:0' <<<"$want" || fail "$id's catalog description has no timecodes"
    expect "$id: play options and video info give the description, its line breaks too" \
        "$(get "$API/api/play/options/$id/$OPTIONS" | jq -r .description)
$(get "$API/api/video/$id/?format=json" | jq -r .description)" "$want
$want"
done
expect "«Горы в 4K: главы» has the 4K video's qualities, 8 s" \
    "$(get "$(get "$API/api/play/options/7d4e1c9a2b3f4e5d6c7b8a9f0e1d2c3c/$OPTIONS$ALL" |
        jq -r .video_balancer.m3u8)" | grep -c RESOLUTION) $(get "$API/api/video/7d4e1c9a2b3f4e5d6c7b8a9f0e1d2c3c/?format=json" | jq .duration)" \
    "12 8"
stop_fake

# --trickle 1:10000:1: segment 1's first request gives 64 KiB at once, then 10 KB/s; its
# second comes whole at once.
start_fake --trickle 1:10000:1
master=$(get "$(get "$API/api/play/options/$E1/$OPTIONS" | jq -r .video_balancer.m3u8)")
media=$(grep -v '^#' <<<"$master" | head -n1)
segment_1="${media%/*}/$(get "$media" | grep -v '^#' | head -n1)"
set +e
curl -s -o "$WORK/trickled" --max-time 1.5 "$segment_1"
status=$?
set -e
got=$(wc -c <"$WORK/trickled")
expect "--trickle: the first try stops short, 64 KiB and about a second's 10 KB/s" \
    "$status $((got >= 65536 && got <= 65536 + 30000))" "28 1"
curl -s -o "$WORK/whole" --max-time 5 -D "$WORK/headers" "$segment_1"
length=$(tr -d '\r' <"$WORK/headers" | awk 'tolower($1) == "content-length:" { print $2 }')
expect "--trickle :1: the second try whole, all its Content-Length" \
    "$(wc -c <"$WORK/whole")" "$length"
stop_fake

# --timing: a line per request once its answer is over, with the wall-clock times of its
# arrival, its answer (after --latency) and its end; a body the client gave up says so.
start_fake --timing "$WORK/timing" --latency 100 --rate 1000000
master=$(get "$(get "$API/api/play/options/$E1/$OPTIONS" | jq -r .video_balancer.m3u8)")
media=$(grep -v '^#' <<<"$master" | head -n1)
segment_1="${media%/*}/$(get "$media" | grep -v '^#' | head -n1)"
before=$(date +%s.%N)
curl -s -o /dev/null -r 0-299999 "$segment_1"
after=$(date +%s.%N)
set +e
curl -s -o /dev/null --max-time 0.25 "$segment_1"
set -e
# The fake notices the client gone at its next write under --rate: its line is written then.
# Stopping it before that would end the answer as "shutdown" (seen with four tests at once).
for _ in $(seq 100); do
    awk -F'\t' '$3 ~ /segment-1-v1-a1.ts$/ && $4 == "-"' "$WORK/timing" | grep -q . && break
    sleep 0.05
done
stop_fake
ranged=$(awk -F'\t' '$4 == "bytes=0-299999"' "$WORK/timing")
expect "--timing: the ranged body's line: mirror, GET, 206, its 300000 bytes, ended ok" \
    "$(cut -f1,2,5,9,10 <<<"$ranged" | tr '\t' ' ')" "mirror0 GET 206 300000 ok"
expect "--timing: arrived within the request, answered 0.1 s later, done 0.3 s after that" \
    "$(awk -F'\t' -v b="$before" -v a="$after" '{ print ($6 >= b - 0.01) && ($8 <= a + 0.01) &&
        ($7 - $6 >= 0.095) && ($8 - $7 >= 0.27) && ($8 - $7 < 1.5) }' <<<"$ranged")" 1
expect "--timing: the body the client left mid-way ends \"short\", less than whole" \
    "$(awk -F'\t' '$3 ~ /segment-1-v1-a1.ts$/ && $4 == "-" { print $5, ($9 > 0 && $9 < 300000), $10 }' "$WORK/timing")" "200 1 short"
expect "--timing: the playlists' lines count their bodies" \
    "$(awk -F'\t' '$3 ~ /m3u8/ && $9 > 100' "$WORK/timing" | wc -l)" 2
expect "--timing: one line per answered request, the playlists' too" \
    "$(wc -l <"$WORK/timing") $(grep -c $'\tok$' "$WORK/timing")" "5 4"

echo "1..$CHECKS"
