# The 2026 shapes of README.md, checked with curl, jq and ffprobe. Sourced by test_fake.sh,
# whose helpers (start_fake, get, expect, ok, fail) and ids it uses.

# header NAME: that response header of the last `curl -D "$WORK/headers"`, CR stripped.
header() {
    tr -d '\r' <"$WORK/headers" | sed -n "s/^$1: //Ip" | head -n1
}

# master_rows MASTER: one "WxH CODECS FRAME-RATE" line per variant.
master_rows() {
    sed -n 's/.*FRAME-RATE=\([0-9]*\), CODECS="\([^"]*\)", RESOLUTION=\(.*\)$/\3 \2 \1/p' <<<"$1"
}

# uhd_folder WxH CODECS: the media folder make-media.sh made for that variant.
uhd_folder() {
    case $2 in
    hvc1*) echo "$FAKE_MEDIA/uhd/$1-hevc" ;;
    av01*) echo "$FAKE_MEDIA/uhd/$1-av1" ;;
    *) echo "$FAKE_MEDIA/uhd/$1" ;;
    esac
}

# fetch_rendition MEDIA_URL OUT: the init section (if any) and every segment, joined.
fetch_rendition() {
    local playlist base line
    playlist=$(get "$1")
    base=${1%%\?*}
    base=${base%/*}
    : >"$2"
    line=$(sed -n 's/^#EXT-X-MAP:URI="\(.*\)"$/\1/p' <<<"$playlist")
    [ -z "$line" ] || curl -sf "$base/$line" >>"$2" || fail "init section of $1"
    while read -r line; do
        curl -sf "$base/$line" >>"$2" || fail "segment $line of $1"
    done < <(grep -v '^#' <<<"$playlist")
}

start_fake

# --- 4K: gated and full masters -------------------------------------------------------------
gated=$(get "$API/api/play/options/$UHD/$OPTIONS" | jq -r .video_balancer.m3u8)
full_options=$(get "$API/api/play/options/$UHD/$OPTIONS$ALL")
full=$(jq -r .video_balancer.m3u8 <<<"$full_options")
expect "4K: only client=wdp&mq=all&av1=1 puts mq=all&av1=1 into the master address" \
    "$(grep -c 'mq=all&av1=1' <<<"$gated" || true) $(grep -c '&mq=all&av1=1$' <<<"$full")" "0 1"
expect "4K: default and m3u8 are the same address" \
    "$(jq -r '.video_balancer.default == .video_balancer.m3u8' <<<"$full_options")" true
expect "4K: duration is the real 8 s" "$(jq -r .duration <<<"$full_options")" 8000
master=$(get "$full")
expect "4K full master: every quality twice, smallest first, H.264 before HEVC before AV1" \
    "$(master_rows "$master" | uniq -c | awk '{ $1 = $1 } 1' | tr '\n' '|')" \
    "2 1280x720 avc1.64001f, mp4a.40.2 10|2 1920x1080 avc1.640028, mp4a.40.2 10|2 1920x1080 av01.0.08M.08, mp4a.40.2 10|2 2560x1440 av01.0.12M.08, mp4a.40.2 10|2 3840x2160 hvc1.1.6.L150.90, mp4a.40.2 10|2 3840x2160 av01.0.12M.08, mp4a.40.2 10|"
ports=$(grep -v '^#' <<<"$master" | sed 's|^http://127.0.0.1:\([0-9]*\)/.*|\1|' | paste -sd' ')
read -r m0 m1 _ <<<"$ports"
expect "4K full master: mirror 0 then mirror 1 for each quality" \
    "$ports" "$(for _ in 1 2 3 4 5 6; do printf '%s %s ' "$m0" "$m1"; done | sed 's/ $//')"
bad=
while read -r size codecs rest; do
    dir=$(uhd_folder "$size" "$codecs")
    want=$(cat "$dir"/seg-* | wc -c | awk -v d="$(awk -F'[:,]' '/^#EXTINF:/ { s += $2 } END { print s }' "$dir/index.m3u8")" \
        '{ printf "%d000", int(int($1 * 8 / d) / 1000) }')
    got=$(grep -F "RESOLUTION=$size" <<<"$master" | grep -F "CODECS=\"$codecs" | head -n1 |
        sed 's/.*BANDWIDTH=\([0-9]*\),.*/\1/')
    [ "$got" = "$want" ] || bad+="$size $codecs: $got, not $want; "
done < <(master_rows "$master" | sort -u)
expect "4K full master: BANDWIDTH is each rendition's real bit rate" "$bad" ""
expect "4K gated master: 1080 at most and no AV1, still on both mirrors" \
    "$(master_rows "$(get "$gated")" | uniq -c | awk '{ $1 = $1 } 1' | tr '\n' '|')" \
    "2 1280x720 avc1.64001f, mp4a.40.2 10|2 1920x1080 avc1.640028, mp4a.40.2 10|"
expect "4K: client=wdp&mq=all without av1=1 is the gated master" \
    "$(get "$(get "$API/api/play/options/$UHD/$OPTIONS&client=wdp&mq=all" | jq -r .video_balancer.m3u8)" | grep -c '^#EXT-X-STREAM-INF')" 4
expect "4K: the route reads mq=all&av1=1 from its own address" \
    "$(get "$gated&mq=all&av1=1" | grep -c '^#EXT-X-STREAM-INF')" 12
expect "a landscape video's master is the same with and without the full request" \
    "$(get "$(get "$API/api/play/options/$MAIN/$OPTIONS$ALL" | jq -r .video_balancer.m3u8)")" \
    "$(get "$(get "$API/api/play/options/$MAIN/$OPTIONS" | jq -r .video_balancer.m3u8)")"

# --- 4K: every rendition's files --------------------------------------------------------------
bad=
while read -r url; do
    size=$(sed 's/.*?i=\([0-9x]*\)_.*/\1/' <<<"$url")
    codecs=$(grep -B1 -F "$url" <<<"$master" | sed -n 's/.*CODECS="\([^"]*\)".*/\1/p')
    dir=$(uhd_folder "$size" "$codecs")
    fetch_rendition "$url" "$WORK/rendition"
    if [ -f "$dir/init.mp4" ]; then
        cmp -s "$WORK/rendition" <(cat "$dir/init.mp4" "$dir"/seg-*.m4s) || bad+="$dir bytes; "
    else
        cmp -s "$WORK/rendition" <(cat "$dir"/seg-*.ts) || bad+="$dir bytes; "
    fi
    want=$(case $codecs in hvc1*) echo hevc ;; av01*) echo av1 ;; *) echo h264 ;; esac)
    got=$(ffprobe -v error -show_entries stream=codec_name,width,height -of csv=p=0 "$WORK/rendition" |
        sed '/^$/d' | sort -u | paste -sd' ')
    [ "$got" = "aac $want,${size/x/,}" ] || bad+="$dir probes as $got; "
done < <(grep -v '^#' <<<"$master" | awk 'NR % 2 == 1')
expect "4K: each rendition joined (init + fragments, or segments) is its files, that codec at that size, with AAC" \
    "$bad" ""

# The 1920x1080 AV1 rendition on mirror 0 and on mirror 1.
av1=$(grep -A1 'av01.0.08M' <<<"$master" | grep -v '^#' | sed -n 1p)
av1_m1=$(grep -A1 'av01.0.08M' <<<"$master" | grep -v '^#' | sed -n 2p)
playlist=$(get "$av1")
hash=$(sed 's|.*/\([0-9a-f]\{32\}\)\.mp4\.m3u8.*|\1|' <<<"$av1")
expect "fMP4 media playlist: version 7, the map before the first segment, .m4s fragments" \
    "$(tr '\n' '|' <<<"$playlist")" \
    "#EXTM3U|#EXT-X-TARGETDURATION:4|#EXT-X-ALLOW-CACHE:YES|#EXT-X-PLAYLIST-TYPE:VOD|#EXT-X-VERSION:7|#EXT-X-MEDIA-SEQUENCE:1|#EXT-X-MAP:URI=\"$hash.mp4/init-v1-a1.mp4\"|#EXTINF:4.000,|$hash.mp4/segment-1-v1-a1.m4s|#EXTINF:4.000,|$hash.mp4/segment-2-v1-a1.m4s|#EXT-X-ENDLIST|"
base=${av1%/*}/$hash.mp4
dir=$FAKE_MEDIA/uhd/1920x1080-av1
for mirror_base in "$base" "${av1_m1%/*}/$hash.mp4"; do
    curl -s -D "$WORK/headers" -o "$WORK/init" "$mirror_base/init-v1-a1.mp4"
    cmp -s "$WORK/init" "$dir/init.mp4" || fail "init section bytes from $mirror_base"
done
expect "init section on both mirrors: video/mp4, Content-Length, Accept-Ranges" \
    "$(header content-type) $(header content-length) $(header accept-ranges)" \
    "video/mp4 $(wc -c <"$dir/init.mp4") bytes"
curl -s -D "$WORK/headers" -o /dev/null "$base/segment-2-v1-a1.m4s"
expect "fragment: video/iso.segment, Content-Length, Accept-Ranges" \
    "$(header content-type) $(header content-length) $(header accept-ranges)" \
    "video/iso.segment $(wc -c <"$dir/seg-001.m4s") bytes"
expect "ranges of the init section and of a fragment" \
    "$(curl -s -o /dev/null -w '%{http_code} %{size_download} ' -r 10-109 "$base/init-v1-a1.mp4")$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -H 'Range: bytes=-1000' "$base/segment-1-v1-a1.m4s")" \
    "206 100 206 1000"
hevc=$(grep -A1 'hvc1' <<<"$master" | grep -v '^#' | head -n1)
hevc_base=${hevc%%.mp4.m3u8*}.mp4
codes=
for u in "$base/segment-1-v1-a1.ts" "$base/segment-3-v1-a1.m4s" "$base/segment-0-v1-a1.m4s" \
    "$base/init-v1-a2.mp4" "$hevc_base/segment-1-v1-a1.m4s" "$hevc_base/init-v1-a1.mp4"; do
    codes+="$(curl -s -o /dev/null -w '%{http_code}' "$u") "
done
expect "no .ts of an fMP4 rendition, no fragment past the last, no init or .m4s of a TS rendition" \
    "$codes" "404 404 404 404 404 404 "
expect "an HEVC rendition's media playlist stays version 3 without a map" \
    "$(get "$hevc" | grep -c -e '^#EXT-X-VERSION:3$' -e '^#EXT-X-MAP' -e '\.ts$')" 3

# --- fMP4 under the fault switches ------------------------------------------------------------
av1_path=${av1#http://127.0.0.1:*/}
av1_path=/${av1_path%%\?*}
# fmp4_url LISTENER_PORT FILE: a file of that rendition on that mirror, on the running fake.
fmp4_url() {
    local p=${av1_path%/*}
    echo "http://127.0.0.1:$1$p/$hash.mp4/$2"
}
mirror_ports() {
    local m
    m=$(get "$(get "$API/api/play/options/$UHD/$OPTIONS$ALL" | jq -r .video_balancer.m3u8)")
    grep -v '^#' <<<"$m" | head -n2 | sed 's|^http://127.0.0.1:\([0-9]*\)/.*|\1|' | paste -sd' '
}

start_fake --flaky 1
read -r m0 m1 <<<"$(mirror_ports)"
codes=
for u in "$(fmp4_url "$m0" init-v1-a1.mp4)" "$(fmp4_url "$m1" init-v1-a1.mp4)" \
    "$(fmp4_url "$m0" segment-1-v1-a1.m4s)" "$(fmp4_url "$m1" segment-1-v1-a1.m4s)" \
    "$(fmp4_url "$m1" segment-2-v1-a1.m4s)"; do
    codes+="$(curl -s -o /dev/null -w '%{http_code}' "$u") "
done
expect "--flaky 1: the init section and each fragment fail once, counted across mirrors" \
    "$codes" "503 200 503 200 503 "
stop_fake
expect "--stats counts the init section and fragments as segments" \
    "$(jq -r .segment_requests "$WORK/stats.json")" 5

start_fake --corrupt-segment 1 --endless 2 --mirror-down 1
read -r m0 m1 <<<"$(mirror_ports)"
curl -s -o "$WORK/init" "$(fmp4_url "$m0" init-v1-a1.mp4)"
cmp -s "$WORK/init" "$dir/init.mp4" || fail "--corrupt-segment 1 touched the init section"
curl -s -D "$WORK/headers" -o "$WORK/frag" "$(fmp4_url "$m0" segment-1-v1-a1.m4s)"
expect "--corrupt-segment 1: fragment 1 is garbage of its length (no 0x47 in it), its type kept" \
    "$(header content-type) $(wc -c <"$WORK/frag") $(tr -d '\107' <"$WORK/frag" | wc -c) $(cmp -s "$WORK/frag" "$dir/seg-000.m4s" || echo differs)" \
    "video/iso.segment $(wc -c <"$dir/seg-000.m4s") $(wc -c <"$dir/seg-000.m4s") differs"
size=$(wc -c <"$dir/seg-001.m4s")
{ curl -s -D "$WORK/headers" "$(fmp4_url "$m0" segment-2-v1-a1.m4s)" || true; } |
    head -c $((size * 2 + 100)) >"$WORK/frag"
expect "--endless 2: fragment 2 chunked, its bytes again and again" \
    "$(header transfer-encoding) $(header content-length)$(wc -c <"$WORK/frag") $(head -c "$size" "$WORK/frag" | cmp -s - "$dir/seg-001.m4s" && tail -c +$((size + 1)) "$WORK/frag" | head -c "$size" | cmp -s - "$dir/seg-001.m4s" && echo repeated)" \
    "chunked $((size * 2 + 100)) repeated"
expect "--mirror-down 1: the init section answers 404 there" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$(fmp4_url "$m1" init-v1-a1.mp4)")" 404
stop_fake

start_fake --cut 100 --stall-head 100 --stall-head-ms 3000 --slow-loris 100 --stall 100
read -r m0 m1 <<<"$(mirror_ports)"
expect "body faults spare the init section: whole, at once" \
    "$(curl -s -o "$WORK/init" -w '%{http_code}' --max-time 2 "$(fmp4_url "$m0" init-v1-a1.mp4)") $(cmp -s "$WORK/init" "$dir/init.mp4" && echo whole)" \
    "200 whole"
set +e
: >"$WORK/frag" # curl writes nothing, not even an empty file, when no byte came
curl -s -o "$WORK/frag" --max-time 1 "$(fmp4_url "$m0" segment-1-v1-a1.m4s)"
status=$?
set -e
expect "--stall-head 100: a fragment gets nothing at first" "$status $(wc -c <"$WORK/frag")" "28 0"
start_fake --cut 100
read -r m0 m1 <<<"$(mirror_ports)"
set +e
curl -s -o "$WORK/frag" "$(fmp4_url "$m1" segment-2-v1-a1.m4s)"
status=$?
set -e
expect "--cut 100: a fragment announces its length, sends half, closes" \
    "$status $(wc -c <"$WORK/frag")" "18 $(($(wc -c <"$dir/seg-001.m4s") / 2))"
stop_fake

start_fake --segments 5 --no-video
read -r m0 m1 <<<"$(mirror_ports)"
h264=$(get "$(get "$API/api/play/options/$UHD/$OPTIONS" | jq -r .video_balancer.m3u8)" | grep -v '^#' | head -n1)
expect "--segments 5 leaves a video with fMP4 renditions at its real length, TS ones too" \
    "$(get "$API/api/play/options/$UHD/$OPTIONS" | jq -r .duration) $(get "http://127.0.0.1:$m0$av1_path" | grep -c '^#EXTINF') $(get "$h264" | grep -c '^#EXTINF')" \
    "8000 2 2"
main_media=$(get "$(get "$API/api/play/options/$MAIN/$OPTIONS" | jq -r .video_balancer.m3u8)" | grep -v '^#' | head -n1)
expect "--segments 5 still cycles the other videos' MPEG-TS renditions" \
    "$(get "$main_media" | grep -c '\.ts$')" 5
curl -s -o "$WORK/frag" "$(fmp4_url "$m0" segment-1-v1-a1.m4s)"
cmp -s "$WORK/frag" "$dir/seg-000.m4s" || fail "--no-video touched an fMP4 fragment"
ok "--no-video leaves fMP4 fragments alone"
stop_fake
start_fake

# --- an older master (2017) -------------------------------------------------------------------
old=$(get "$(get "$API/api/play/options/$OLD/$OPTIONS$ALL" | jq -r .video_balancer.m3u8)")
expect "2017 master: each quality once, no RESOLUTION, no FRAME-RATE, HE-AAC stated" \
    "$(grep -c '^#EXT-X-STREAM-INF:PROGRAM-ID=1, BANDWIDTH=[0-9]*000, CODECS="avc1.42c015, mp4a.40.5"$' <<<"$old") $(grep -c -e RESOLUTION -e FRAME-RATE <<<"$old" || true) $(wc -l <<<"$old")" \
    "3 0 7"
expect "2017 master: one mirror, the size only in ?i=, smallest first" \
    "$(grep -v '^#' <<<"$old" | sed 's|^http://127.0.0.1:\([0-9]*\)/.*?i=\([0-9x]*\)_.*|\1 \2|' | awk '{ p[$1] = 1; s = s $2 " " } END { print length(p), s }')" \
    "1 640x352 856x480 1280x712 "
fetch_rendition "$(grep '?i=856x480_' <<<"$old")" "$WORK/rendition"
cmp -s "$WORK/rendition" <(cat "$FAKE_MEDIA"/landscape/856x480/seg-*.ts) ||
    fail "the 2017 video's 856x480 segments differ"
ok "2017 master: its media playlists and segments as usual"

# --- blocking_rule, captions' format ---------------------------------------------------------
rule=$(get "$API/api/play/options/$RULE/$OPTIONS")
expect "blocking_rule: 200, detail with type and languages, no video_balancer" \
    "$(cat "$WORK/status") $(jq -c '[.detail, has("video_balancer"), .acl_access.allowed, .title]' <<<"$rule")" \
    '200 [{"type":"blocking_rule","languages":[{"lang":"ru","title":"Просмотр этого видео недоступен в вашем регионе"},{"lang":"en","title":"This video is not available in your region"}]},false,true,"Заблокировано правилом"]'
expect "blocking_rule: video info as for any video" \
    "$(get "$API/api/video/$RULE/?format=json" | jq -r .title)$(cat "$WORK/status")" "Заблокировано правилом200"
expect "blocking_rule: no master" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$API/route/$RULE.m3u8?guids=x")" 403
expect "captions carry format (webvtt, srt)" \
    "$(get "$API/api/play/options/$MAIN/$OPTIONS" | jq -c '[.captions[] | [.code, .format, (.file | sub(".*/"; "")), .langTitle]]')" \
    '[["ru","webvtt","ru.vtt","Русский"],["en","srt","en.srt","English"]]'

# --- /u/<slug>/ pages ---------------------------------------------------------------------------
# state_of FILE: the JSON of the page's window.reduxState script.
state_of() {
    sed -n 's/^<script>window\.reduxState = \(.*\);<\/script>$/\1/p' "$1"
}
bad=
for path in /u/kuhnya5min/ /u/kuhnya5min /u/kuhnya5min/videos/ /u/kuhnya5min/shorts "/u/kuhnya5min/?r=wd&x=1"; do
    code=$(curl -s -D "$WORK/headers" -o "$WORK/page.html" -w '%{http_code}' "$API$path")
    id=$(state_of "$WORK/page.html" | jq -r '.api.queries | to_entries[] | select(.key | startswith("channelIdBySlug")) | .value.data.channel_id')
    [ "$code $(header content-type) $id" = "200 text/html; charset=utf-8 24550718" ] || bad+="$path: $code $id; "
done
expect "/u/kuhnya5min/, videos/, shorts/: HTML whose reduxState names channel 24550718" "$bad" ""
curl -s -o "$WORK/page.html" "$API/u/kuhnya5min/"
state=$(state_of "$WORK/page.html")
expect "the slug page: tens of KB, a head with styles and several scripts" \
    "$(awk -v n="$(wc -c <"$WORK/page.html")" 'BEGIN { print (n > 20000 && n < 200000) }') $(grep -c -e '<head>' -e '<style>' "$WORK/page.html") $([ "$(grep -o '<script' "$WORK/page.html" | wc -l)" -ge 4 ] && echo scripts)" \
    "1 2 scripts"
expect "reduxState: several queries, one channelIdBySlug entry, its key and args" \
    "$(jq -c '[(.api.queries | length > 3), [.api.queries | keys[] | select(startswith("channelIdBySlug"))], (.api.queries[] | select(.endpointName == "channelIdBySlug") | .originalArgs)]' <<<"$state")" \
    '[true,["channelIdBySlug({\"slug\":\"kuhnya5min\"})"],{"slug":"kuhnya5min"}]'
expect "reduxState holds </ only escaped" \
    "$(grep -c '</' <<<"$state" || true) $(grep -c '<\\/' <<<"$state")" "0 1"
expect "the page's cards: the channel's videos, on shorts/ only its shorts" \
    "$(get "$API/u/kuhnya5min/shorts/" | grep -oE 'href="https://rutube.ru/(video|shorts)/[0-9a-f]{32}/"' | paste -sd' ')" \
    "href=\"https://rutube.ru/shorts/$S1/\" href=\"https://rutube.ru/shorts/$S2/\""
bad=
for path in /u/no-such-channel/ /u/KUHNYA5MIN/ /u/kuhnya5min/about/ /u/kuhnya5min/videos/x/ /u/; do
    code=$(curl -s -D "$WORK/headers" -o "$WORK/page.html" -w '%{http_code}' "$API$path")
    [ "$code $(header content-type) $(grep -c reduxState "$WORK/page.html") $(grep -c nginx "$WORK/page.html")" = "404 text/html 0 1" ] ||
        bad+="$path: $code; "
done
expect "an unknown slug (exact match), another tab: nginx's 404 page, no reduxState" "$bad" ""

start_fake --huge-slug-page
curl -s -o "$WORK/page.html" "$API/u/kuhnya5min/"
at=$(grep -b -o 'window\.reduxState = ' "$WORK/page.html" | cut -d: -f1)
expect "--huge-slug-page: over 8 MiB before the state, which still reads" \
    "$([ "$at" -gt 8388608 ] && echo past) $(state_of "$WORK/page.html" | jq -r '.api.queries[] | select(.endpointName == "channelIdBySlug") | .data.channel_id')" \
    "past 24550718"
start_fake

# --- recorded list pages ----------------------------------------------------------------------
bad=
while read -r path file; do
    code=$(curl -s -D "$WORK/headers" -o "$WORK/body" -w '%{http_code}' "$API$path")
    [ "$code $(header content-type)" = "200 application/json" ] && cmp -s "$WORK/body" "$REAL/$file" ||
        bad+="$path; "
done <<EOF
/api/tags/video/4188/?page=1&format=json dandy_page_tags_4188_p1.json
/api/tags/video/4188/?format=json dandy_page_tags_4188_p1.json
/api/tags/video/4188/?page=2&format=json dandy_page_lastpage_8188.json
/api/metainfo/tv/1523/video?page=1&format=json dandy_page_metainfo_tv_1523_p1.json
/api/video/person/1370728/?page=1&format=json&origin__type=rshorts dandy_page_person_1370728_p1.json
/api/playlist/custom/829/videos/?page=1&format=json dandy_page_cardgroup_829_p1.json
EOF
expect "recorded pages served verbatim (200, application/json), whatever the query" "$bad" ""
bad=
for path in "/api/tags/video/4188/?page=3&format=json" "/api/metainfo/tv/1523/video?page=2" \
    "/api/video/person/1370728/?page=2&format=json" "/api/playlist/custom/829/videos/?page=2"; do
    got=$(get "$API$path" | jq -c .)
    page=$(sed 's/.*page=\([0-9]*\).*/\1/' <<<"$path")
    [ "$got$(cat "$WORK/status")" = "{\"has_next\":false,\"next\":null,\"page\":$page,\"per_page\":20,\"results\":[]}200" ] ||
        bad+="$path: $got; "
done
expect "past the recorded pages: the usual empty last page" "$bad" ""
expect "the recorded shapes: 2019 fields, no origin_type, num_pages, cards that are not videos" \
    "$(get "$API/api/video/person/1370728/?page=1" | jq -c '[.num_pages, (.results[0] | has("is_deleted") and has("is_hidden") and has("is_external") and (has("origin_type") | not))]') $(get "$API/api/metainfo/tv/1523/video?page=1" | jq -c '.results[0] | has("episode") and has("season")') $(get "$API/api/playlist/custom/829/videos/?page=1" | jq -c '[.results[] | has("content_type") and has("object") and has("object_id") and (has("video_url") | not)] | all')" \
    "[10,true] true true"
expect "a real id from a recorded page is unknown to play options" \
    "$(get "$API/api/play/options/$(jq -r '.results[0].id' "$REAL/dandy_page_tags_4188_p1.json")/$OPTIONS" | jq -r '.detail.languages[1].title')" \
    "Video not found"
expect "a list number the catalog lacks (a deleted playlist): 404" \
    "$(get "$API/api/playlist/custom/308547/videos/?page=1&format=json")$(cat "$WORK/status") $(get "$API/api/tags/video/4189/?page=1" >/dev/null; cat "$WORK/status")" \
    '{"detail": "Not found."}404 404'
mkdir -p "$WORK/real"
cp "$REAL"/dandy_page_*.json "$WORK/real/"
echo '{"has_next": false, "results": [], "mine": true}' >"$WORK/real/dandy_page_lastpage_8188.json"
start_fake --real-data "$WORK/real"
expect "--real-data DIR: the pages come from there" \
    "$(get "$API/api/tags/video/4188/?page=2" | jq -r .mine)" true
rm "$WORK/real/dandy_page_lastpage_8188.json"
stop_fake
set +e
"$FAKE_RUTUBE" --media "$FAKE_MEDIA" --real-data "$WORK/real" --port-file "$WORK/port" >"$WORK/fake.out" 2>&1
status=$?
set -e
expect "a recorded page missing: the server refuses to start" \
    "$status $(grep -c 'dandy_page_lastpage_8188.json' "$WORK/fake.out")" "1 1"

# --- the proxy listener -----------------------------------------------------------------------
start_fake --proxy-port-file "$WORK/proxy" --mirror-refused 1 --flaky 1
PROXY=$(cat "$WORK/proxy")
expect "--proxy-port-file: the proxy's own address and a newline" \
    "$(grep -c '^http://127\.0\.0\.1:[0-9]*$' "$WORK/proxy") $(wc -l <"$WORK/proxy") $([ "$PROXY" != "$API" ] && echo apart)" \
    "1 1 apart"
cmp -s <(curl -s -x "$PROXY" "$API/api/play/options/$MAIN/$OPTIONS") \
    <(curl -s "$API/api/play/options/$MAIN/$OPTIONS") || fail "play options differ through the proxy"
main_media=$(get "$(get "$API/api/play/options/$MAIN/$OPTIONS" | jq -r .video_balancer.m3u8)" | grep -v '^#' | head -n1)
segment=${main_media%/*}/$(curl -s -x "$PROXY" "$main_media" | grep -v '^#' | head -n1)
codes="$(curl -s -o /dev/null -w '%{http_code}' -x "$PROXY" "$segment") $(curl -s -o "$WORK/seg" -w '%{http_code}' -x "$PROXY" "$segment")"
cmp -s "$WORK/seg" "$FAKE_MEDIA/landscape/640x352/seg-000.ts" || fail "a segment differs through the proxy"
expect "through the proxy: the same answers and faults (--flaky 1: 503, then the segment)" \
    "$codes" "503 200"
api_port=${API##*:}
m1=$(get "$(get "$API/api/play/options/$MAIN/$OPTIONS" | jq -r .video_balancer.m3u8)" | grep -v '^#' | sed -n 2p | sed 's|^http://127.0.0.1:\([0-9]*\)/.*|\1|')
codes="$(curl -s -o /dev/null -w '%{http_code}' -x "$PROXY" "http://127.0.0.1:1/api/video/$MAIN/")"
codes+=" $(curl -s -o /dev/null -w '%{http_code}' -x "$PROXY" "http://127.0.0.1:$m1/x")"
codes+=" $(curl -s -o /dev/null -w '%{http_code}' -x "$PROXY" "http://example.com:$api_port/api/video/$MAIN/")"
codes+=" $(curl -s -o /dev/null -w '%{http_code}' -x "$PROXY" "$PROXY/api/video/$MAIN/")"
codes+=" $(curl -s -o /dev/null -w '%{http_code}' "$PROXY/api/video/$MAIN/")"
codes+=" $(curl -s -o /dev/null -w '%{http_connect}' -p -x "$PROXY" "$API/api/video/$MAIN/" || true)"
expect "502: another port, a refused mirror, another host, the proxy itself, relative form, CONNECT" \
    "$codes" "502 502 502 502 502 502"
media_path=/${main_media#http://127.0.0.1:*/}
segment_path=/${segment#http://127.0.0.1:*/}
expect "the log: proxied requests with role proxy and the target's path, as sent" \
    "$(awk -F'\t' '$1 == "proxy" { print $2, $3, $8 }' "$WORK/requests.log" | head -n3 | paste -sd'|')" \
    "GET /api/play/options/$MAIN/$OPTIONS 200|GET $media_path 200|GET $segment_path 503"
stop_fake
expect "--stats: the proxy's connections are no mirror's" \
    "$(jq -r '.mirror_connections' "$WORK/stats.json")" 0
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -days 2 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1 ||
    fail "openssl could not make a key pair"
start_fake --tls "$WORK/cert.pem" "$WORK/key.pem" --proxy-port-file "$WORK/proxy"
expect "--tls: the proxy speaks HTTPS too, and CONNECT through it is 502" \
    "$(cut -d: -f1 "$WORK/proxy") $(curl -s -o /dev/null -w '%{http_connect}' --proxy-cacert "$WORK/cert.pem" -x "$(cat "$WORK/proxy")" --cacert "$WORK/cert.pem" "$API/api/video/$MAIN/" || true)" \
    "https 502"
stop_fake
