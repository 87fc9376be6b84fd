#!/usr/bin/env bash
# Many videos: several addresses, batch files, playlists, channels, persons, tags, series,
# numeric embeds, live, Yappy, the archive, --jobs sharing one transfer cap, the final report.
source "$(dirname "$0")/lib.sh"
RTDL_DEFAULTS=(--container ts)

# The fake's test material (tests/fake-rutube/README.md).
PLAYLIST=https://rutube.ru/plst/410001/  # main, E1, removed, C1, E2; 4 pages, the last empty
ENDLESS=https://rutube.ru/plst/419999/   # has_next forever, every page the same two videos
CHANNEL=https://rutube.ru/channel/24550718/
E1=7051fd5f383fe1790f47befd77a1f5f0
E2=aa5e56b2550539c8c4f46f28d82cf4c3
E3=682427195be6b605ad338a7d37a1f068
C1=c24984a1620ca21b3cb102babf8de673
C2=b178550429b1d7da4b8ff7151db0b8fd
C3=f8bb76fa2e4e4faa736a496cb9d13876
S1=618dc20a6574eeac6f8cf56c8fd74ca8
S2=0337626f88f5e08ee1ff97761f3fec0e
LIVE_ON_AIR=9bc16299d9f45a152188f9172619b5c0
LIVE_ENDED=91f9bdf2c50e3b807a10704144e08de2
YAPPY=79ec7e96427186ad4521633df3a5e7b7
MAIN_EMBED=303641507

start_fake
LANDSCAPE=$(segments_of landscape 1280x712)

# ---- several addresses, and the report ----
rtdl -o "$WORK/two" "$VIDEO" "https://rutube.ru/shorts/$SHORT/" "$REMOVED"
expect_status 1 "one of three failed"
expect_same_bytes "$LANDSCAPE" "$WORK/two/$TITLE.ts"
expect_same_bytes "$(segments_of portrait 608x1080)" "$WORK/two/Короткое видео 🎬 #shorts.ts"
expect_in "$WORK/stdout" "Downloaded 2, skipped 0, failed 1."
expect_in "$WORK/stdout" "Видео удалено"
expect_in "$WORK/stdout" "[1/3] "
grep -qE "^Total: [0-9.]+ MiB in " "$WORK/stdout" || fail "no total line"
ok "three addresses: two saved, the removed one reported, exit 1"

rtdl -o "$WORK/two" "$VIDEO" "$SHORT"
expect_status 0 "both already there"
expect_in "$WORK/stdout" "Downloaded 0, skipped 2 (already there), failed 0."
ok "a second run skips what exists and says so in the report"

# ---- a batch file with comments, a delimiter and broken lines ----
printf '%s\n' "# my list" "" "https://rutube.ru/video/$E1/, not-an-address" \
    "; a yt-dlp comment" "https://example.com/video/$E2/" "https://rutube.ru/video/$E2/  # second" \
    >"$WORK/batch.txt"
rtdl -o "$WORK/batch" -a "$WORK/batch.txt" -d ,
expect_status 1 "two broken lines"
expect_in "$WORK/stderr" "batch.txt:3: not-an-address"
expect_in "$WORK/stderr" "batch.txt:5: https://example.com/video/$E2/"
expect_same_bytes "$LANDSCAPE" "$WORK/batch/Пальцы. 1 серия.ts"
expect_same_bytes "$LANDSCAPE" "$WORK/batch/Пальцы. 2 серия.ts"
expect_in "$WORK/stdout" "Downloaded 2, skipped 0, failed 2."
ok "batch file: comments skipped, delimiter splits, bad lines named by line and skipped"

rtdl_stdin "$E3" -o "$WORK/stdin" -f -
expect_status 0 "batch from stdin, the original tool's -f"
expect_same_bytes "$LANDSCAPE" "$WORK/stdin/Пальцы. 3 серия.ts"
ok "-f - reads the addresses from standard input"

# ---- a playlist over four pages, a deleted video inside ----
start_fake
rtdl -o "$WORK/plst" "$PLAYLIST"
expect_status 1 "the deleted video fails"
for t in "$TITLE" "Пальцы. 1 серия" "Борщ за 5 минут" "Пальцы. 2 серия"; do
    [ -f "$WORK/plst/$t.ts" ] || fail "playlist video $t missing"
done
expect_in "$WORK/stdout" "Downloaded 4, skipped 0, failed 1."
expect_in "$WORK/stdout" "5 videos listed on 4 pages"
[ "$(requests_matching 'custom/410001/videos/\?page=4')" -eq 1 ] || fail "page 4 not read"
[ "$(requests_matching 'custom/410001/videos/\?page=5')" -eq 0 ] || fail "read past the empty page"
ok "playlist: every page read, the empty last page ends it, a deleted video is one failure"

# ---- the archive: a second run downloads nothing ----
start_fake
rtdl -o "$WORK/arch" --download-archive "$WORK/archive.txt" "$PLAYLIST" --playlist-items 1-2
expect_status 0 "two videos into the archive"
[ "$(wc -l <"$WORK/archive.txt")" -eq 2 ] || fail "archive: $(cat "$WORK/archive.txt")"
grep -qx "rutube $VIDEO" "$WORK/archive.txt" || fail "archive lacks the main video"
[ "$(requests_matching 'page=2')" -eq 0 ] || fail "--playlist-items 1-2 read page 2"
rm -rf "$WORK/arch"
start_fake
rtdl -o "$WORK/arch" --download-archive "$WORK/archive.txt" "$PLAYLIST" --playlist-items 1-2
expect_status 0 "nothing new"
expect_in "$WORK/stdout" "skipped 2 (in archive)"
[ "$(requests_matching 'segment-')" -eq 0 ] || fail "segments fetched for archived videos"
[ ! -e "$WORK/arch/$TITLE.ts" ] || fail "an archived video was saved again"
ok "download archive: ids added once complete, a second run fetches nothing"

# ---- choosing within a collection ----
rtdl --flat "$PLAYLIST" --playlist-items 2,4-
expect_status 0 "flat listing"
[ "$(wc -l <"$WORK/stdout")" -eq 3 ] || fail "expected 3 entries"
expect_in "$WORK/stdout" "https://rutube.ru/video/$E1/	Пальцы. 1 серия	60"
expect_in "$WORK/stdout" "/video/$C1/"
expect_in "$WORK/stdout" "/video/$E2/"
ok "--flat with --playlist-items 2,4-: url, title, duration per line"

rtdl --print id,title "$PLAYLIST" --match-title 'пальцы\. [12]'
[ "$(cut -f1 "$WORK/stdout" | tr '\n' ' ')" = "$E1 $E2 " ] || fail "match-title: $(cat "$WORK/stdout")"
ok "--match-title filters by title, any case"

rtdl -o "$WORK/max" "$PLAYLIST" --max-downloads 1
expect_status 0 "one download"
[ "$(find "$WORK/max" -name '*.ts' | wc -l)" -eq 1 ] || fail "--max-downloads 1 saved more"
ok "--max-downloads stops after N"

rtdl -o "$WORK/abort" --abort-on-error "$REMOVED" "$VIDEO"
expect_status 1 "the first fails"
[ ! -e "$WORK/abort/$TITLE.ts" ] || fail "--abort-on-error started the next video"
expect_in "$WORK/stdout" "Downloaded 0, skipped 0, failed 1."
rtdl -o "$WORK/abort" "$REMOVED" "$VIDEO"
expect_status 1 "without it the second is saved"
[ -f "$WORK/abort/$TITLE.ts" ] || fail "one failure stopped the next video"
ok "one failure never stops the others, unless --abort-on-error"

# ---- channels, persons, tags, series ----
rtdl --print id "$CHANNEL"
[ "$(tr '\n' ' ' <"$WORK/stdout")" = "$C1 $S1 $C2 $S2 $C3 " ] || fail "channel: $(cat "$WORK/stdout")"
rtdl --print id "${CHANNEL}videos/"
[ "$(tr '\n' ' ' <"$WORK/stdout")" = "$C1 $C2 $C3 " ] || fail "videos: $(cat "$WORK/stdout")"
rtdl --print id "${CHANNEL}shorts/"
[ "$(tr '\n' ' ' <"$WORK/stdout")" = "$S1 $S2 " ] || fail "shorts: $(cat "$WORK/stdout")"
[ "$(requests_matching 'origin__type=rshorts')" -ge 1 ] || fail "no origin__type for shorts"
ok "channel: everything, videos/ and shorts/ sections"

rtdl --print id https://rutube.ru/video/person/24550718/
[ "$(wc -l <"$WORK/stdout")" -eq 5 ] || fail "person: $(cat "$WORK/stdout")"
rtdl --print id https://rutube.ru/tags/video/11370/
[ "$(tr '\n' ' ' <"$WORK/stdout")" = "$C1 $C2 $C3 $S1 " ] || fail "tag: $(cat "$WORK/stdout")"
rtdl --print id https://rutube.ru/metainfo/tv/1200/
[ "$(tr '\n' ' ' <"$WORK/stdout")" = "$E1 $E2 $E3 " ] || fail "series: $(cat "$WORK/stdout")"
ok "person, tag and series lists"

start_fake
rtdl --print id "$ENDLESS" -v
expect_status 0 "endless list"
[ "$(tr '\n' ' ' <"$WORK/stdout")" = "$E3 $C3 " ] || fail "endless: $(cat "$WORK/stdout")"
expect_in "$WORK/stderr" "repeats earlier videos"
[ "$(requests_matching 'custom/419999')" -le 2 ] || fail "kept paging a repeating list"
ok "a list that never ends is cut where it repeats itself"

rtdl --print id https://rutube.ru/plst/999999/
expect_status 1 "unknown playlist"
expect_in "$WORK/stderr" "playlist 999999"
ok "an unknown playlist is a clear failure"

# A deleted playlist answers 404 {"detail": "Not found."}: an error naming the list, exit 1
# (not a usage error), when it is the only thing asked for too.
rtdl -o "$WORK/gone" https://rutube.ru/plst/308547/
expect_status 1 "a deleted playlist, alone"
expect_in "$WORK/stderr" "rutube-dl: error: playlist 308547: not found"
[ "$(grep -c . "$WORK/stderr")" -eq 1 ] || fail "not one line: $(cat "$WORK/stderr")"
ok "a deleted playlist: exit 1, one error line naming it"

# ---- channels by name: /u/<name>/ is the channel its page names ----
rtdl --print id https://rutube.ru/u/kuhnya5min/
expect_status 0 "a channel by name"
[ "$(tr '\n' ' ' <"$WORK/stdout")" = "$C1 $S1 $C2 $S2 $C3 " ] || fail "by name: $(cat "$WORK/stdout")"
rtdl --print id https://rutube.ru/u/kuhnya5min/shorts/
[ "$(tr '\n' ' ' <"$WORK/stdout")" = "$S1 $S2 " ] || fail "shorts by name: $(cat "$WORK/stdout")"
[ "$(requests_matching $'\tGET\t/u/kuhnya5min/')" -ge 1 ] || fail "the channel's page was not asked"
rtdl --print id https://rutube.ru/u/no-such-channel/
expect_status 1 "an unknown name"
expect_in "$WORK/stderr" "channel no-such-channel: there is no channel of that name"
ok "/u/<name>/ and its shorts/ read as channel 24550718; an unknown name is one clear error"
stop_fake
start_fake --huge-slug-page
rtdl --print id https://rutube.ru/u/kuhnya5min/
expect_status 1 "a page past the cap"
expect_in "$WORK/stderr" "larger than"
ok "a channel page over 4 MiB is refused, not read into memory"
stop_fake
start_fake

# ---- lists as RuTube really sent them (tests/data/real/, 2019) ----
rtdl --flat https://rutube.ru/tags/video/4188/
expect_status 0 "a real tag list"
[ "$(grep -c $'^https://rutube.ru/video/[0-9a-f]\{32\}/\t' "$WORK/stdout")" -eq 32 ] ||
    fail "tag 4188: $(wc -l <"$WORK/stdout") lines"
for list in https://rutube.ru/metainfo/tv/1523/ https://rutube.ru/video/person/1370728/; do
    rtdl --flat "$list"
    expect_status 0 "$list"
    [ "$(grep -c . "$WORK/stdout")" -eq 20 ] || fail "$list: $(wc -l <"$WORK/stdout") lines"
done
rtdl --flat https://rutube.ru/plst/829/
expect_status 0 "a page of cards"
[ ! -s "$WORK/stdout" ] || fail "cards were listed: $(head -3 "$WORK/stdout")"
[ ! -s "$WORK/stderr" ] || fail "cards were warned about: $(head -3 "$WORK/stderr")"
ok "real pages: 32 + 20 + 20 videos read, with their 2019 fields; a page of series cards lists nothing, quietly"

# ---- single videos the first issue refused ----
rtdl -o "$WORK/embed" "https://rutube.ru/play/embed/$MAIN_EMBED"
expect_status 0 "numeric embed"
expect_same_bytes "$LANDSCAPE" "$WORK/embed/$TITLE.ts"
[ "$(requests_matching "options/$MAIN_EMBED/")" -eq 1 ] || fail "not asked by number"
ok "numeric embed resolved through effective_video"

rtdl -o "$WORK/on-air" --live-duration 4 "https://rutube.ru/live/video/$LIVE_ON_AIR/"
expect_status 0 "live on the air, recorded for 4 s"
expect_in "$WORK/stdout" "Recording the live stream"
[ "$(find "$WORK/on-air" -name '*.ts' | wc -l)" -eq 1 ] && [ -z "$(find "$WORK/on-air" -name '*.part*')" ] ||
    fail "no recording of the stream on the air: $(ls "$WORK/on-air")"
rtdl -o "$WORK/live" "https://rutube.ru/live/video/$LIVE_ENDED/"
expect_status 0 "a finished stream's recording"
[ "$(find "$WORK/live" -name '*.ts' | wc -l)" -eq 1 ] || fail "no recording saved"
ok "live: on the air recorded (test_live.sh has the rest), a finished stream's recording downloads"

start_fake
rtdl -o "$WORK/yappy" "https://rutube.ru/yappy/$YAPPY/" -j 4
expect_status 0 "Yappy clip"
cmp -s "$FAKE_MEDIA/yappy/portrait.mp4" "$WORK/yappy/Кот и огурец.mp4" || fail "Yappy file differs"
[ "$(awk -F'\t' '$8 == 206' "$WORK/requests.log" | grep -c "/yappy/$YAPPY.mp4")" -ge 2 ] ||
    fail "the clip was not fetched in ranges"
ok "Yappy: the clip's MP4 fetched in parallel ranges, byte-identical"

# Asked of the v4 feed, the id lowercased as the API knows it.
rtdl -o "$WORK/yappy-caps" "https://rutube.ru/yappy/$(echo "$YAPPY" | tr a-f A-F)/"
expect_status 0 "Yappy clip in capitals"
cmp -s "$FAKE_MEDIA/yappy/portrait.mp4" "$WORK/yappy-caps/Кот и огурец.mp4" || fail "Yappy file differs"
expect_in "$WORK/requests.log" "/pangolin/api/web/yappy/v4/yappypage/?client=wdp&videoId=$YAPPY&page=1&page_size=1"
ok "Yappy through the v4 feed, the id lowercased"

rtdl -o "$WORK/yappy" "https://rutube.ru/yappy/ffffffffffffffffffffffffffffffff/"
expect_status 1 "unknown clip"
expect_in "$WORK/stderr" "Yappy clip ffffffffffffffffffffffffffffffff"
ok "an unknown Yappy clip is a clear failure"

# ---- the quality asked for, per video ----
rtdl -o "$WORK/q" -q 1080 "$VIDEO" "$SHORT"
expect_status 0 "-q 1080"
expect_in "$WORK/stdout" "asked 1080, got 1280x712"
expect_in "$WORK/stdout" "asked 1080, got 608x1080" # 608 is its shorter side: 608p by the -q rule
ok "a video without the asked quality takes the nearest lower, and the report says so"

# ---- several videos at once, one transfer cap ----
start_fake --rate 2000000
rtdl -o "$WORK/jobs" -J 3 -j 4 "$PLAYLIST" --playlist-items 1,2,4,5
expect_status 0 "four videos three at a time"
[ "$(find "$WORK/jobs" -name '*.ts' | wc -l)" -eq 4 ] || fail "not four files"
for f in "$WORK/jobs"/*.ts; do expect_same_bytes "$LANDSCAPE" "$f"; done
stop_fake
max=$(sed -n 's/.*"max_concurrent_segments": *\([0-9]*\).*/\1/p' "$WORK/stats.json")
[ -n "$max" ] || fail "no stats from the fake"
[ "$max" -le 4 ] || fail "$max segments at once with -j 4"
[ "$max" -ge 3 ] || fail "only $max segments at once: the videos did not share the cap"
expect_in "$WORK/stdout" "Downloaded 4, skipped 0, failed 0."
ok "-J 3 -j 4: at most 4 transfers in total (saw $max), all files whole"

done_testing
