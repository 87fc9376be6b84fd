#!/usr/bin/env bash
# The MP4 made while the segments arrive (lib/media/mux_stream.h): the very file the remux
# after the download makes (RUTUBE_DL_REMUX_AFTER_DOWNLOAD=1), really made alongside the
# download, and a download that stops leaves what it always left: the .part and its state,
# never a .remux.part; a kill -9 leaves a stale one that the next run rewrites.
source "$(dirname "$0")/lib.sh"
CHAPTERED=c4a97e2b5d1f4a3c8e6b0d2f4a6c8e0a # 60 s: 0:00, 0:20, 0:45
OUT="$WORK/out"
MP4="$OUT/$TITLE.mp4"
PART="$MP4.part"

# reference DIR [args...]: the same download with the remux after it, for comparison.
reference() {
    local dir=$1
    shift
    RUTUBE_DL_REMUX_AFTER_DOWNLOAD=1 rtdl -v -o "$dir" "$@"
    expect_status 0 "the remux after the download: $*"
    expect_in "$WORK/stderr" "remuxed into mp4 in"
    expect_not_in "$WORK/stderr" "while downloading"
}

# same_files DIR1 DIR2: the same names, byte for byte the same MP4s, nothing else.
same_files() {
    local a b
    a=$(cd "$1" && ls)
    b=$(cd "$2" && ls)
    [ "$a" = "$b" ] || fail "$1 holds \"$a\", $2 holds \"$b\""
    [ -z "$(cd "$1" && ls | grep -v '\.mp4$')" ] || fail "left over in $1: $a"
    while IFS= read -r name; do
        cmp -s "$1/$name" "$2/$name" || fail "$name differs between $1 and $2"
    done <<<"$a"
}

# share: the percentage remuxed while downloading, from the last -v run's log.
share() {
    sed -n 's/.*remuxed into mp4, \([0-9]*\)% while downloading.*/\1/p' "$WORK/stderr" | tail -n1
}

# start_download [args...]: in the background, PID in $PID.
start_download() {
    "$RUTUBE_DL" --api-base "$API" -v -j 2 -o "$OUT" "$@" "$VIDEO" \
        >"$WORK/stdout" 2>"$WORK/stderr" </dev/null &
    PID=$!
}

finish() {
    set +e
    wait "$PID" 2>/dev/null # no "Killed" notice after kill -9
    STATUS=$?
    set -e
}

# wait_for_remux BYTES: until the .remux.part beside the download holds BYTES (its moov room
# alone is some kilobytes: more means samples were written while downloading).
wait_for_remux() {
    for _ in $(seq 400); do
        local size
        size=$(stat -c %s "$MP4.remux.part" 2>/dev/null || echo 0)
        [ "$size" -ge "$1" ] && return 0
        kill -0 "$PID" 2>/dev/null || fail "the download ended before its MP4 grew to $1 bytes"
        sleep 0.05
    done
    fail "the MP4 never grew to $1 bytes while downloading"
}

# 1. Slowed to ~2 s, the MP4 is mostly made while the segments arrive, and it is the same.
#    Two transfers at a time: the bandwidth the fake shares out among sixteen would bring
#    every segment in at the very end, and the prefix would only grow then.
start_fake
reference "$WORK/after" "$VIDEO"
start_fake --total-rate 5000000
rtdl -v -j 2 -o "$WORK/during" "$VIDEO"
expect_status 0 "the remux while downloading"
expect_in "$WORK/stdout" "[remux] copying the streams into MP4" # the phase is still shown
[ -n "$(share)" ] && [ "$(share)" -ge 50 ] ||
    fail "only $(share)% remuxed while downloading: $(grep -F remuxed "$WORK/stderr")"
same_files "$WORK/during" "$WORK/after"
for f in "$WORK/during"/*.mp4; do expect_no_room_left "$f"; done
# -v says what the finish spent removing the .part (the bench's lan profile reads it).
grep -Eq 'its \.part \([0-9.]+ MiB\) removed in [0-9.]+ s' "$WORK/stderr" ||
    fail "no line on the .part's removal: $(tail -n3 "$WORK/stderr")"
[ -z "$(find "$WORK/during" -name '*.part*')" ] || fail "a .part left: $(find "$WORK/during" -name '*.part*')"
ok "$(share)% of the MP4 made while downloading, byte for byte the file made after it, no disk held past its end, its .part removed"

# 1b. With the thumbnail as its cover (fetched before the segments): made while downloading by
#     the same writer, the same file as after it, the picture byte for byte the thumbnail.
start_fake
reference "$WORK/after-cover" --embed-thumbnail "$VIDEO"
start_fake --total-rate 5000000
rtdl -v -j 2 -o "$WORK/during-cover" --embed-thumbnail "$VIDEO"
expect_status 0 "a cover while downloading"
[ -n "$(share)" ] && [ "$(share)" -ge 50 ] ||
    fail "with a cover, only $(share)% remuxed while downloading: $(grep -F remux "$WORK/stderr")"
same_files "$WORK/during-cover" "$WORK/after-cover"
[ "$(ffprobe -v error -show_entries stream=codec_name:stream_disposition=attached_pic -of csv=p=0 \
    "$WORK/during-cover/$TITLE.mp4" | tr '\n' ' ')" = "h264,0 aac,0 mjpeg,1 " ] ||
    fail "not a video, its sound and an attached picture"
ffmpeg -v error -i "$WORK/during-cover/$TITLE.mp4" -map 0:2 -c copy -f mjpeg - |
    cmp -s - "$FAKE_MEDIA/thumb.jpg" || fail "the embedded cover is not the thumbnail"
ok "--embed-thumbnail: $(share)% made while downloading, the file made after it, the thumbnail as its cover"

# 2. A section, embedded chapters, one file per chapter: the writer handles each as it goes.
start_fake
reference "$WORK/after-section" --download-sections "*0:10-0:25" "$VIDEO"
reference "$WORK/after-chapters" "$CHAPTERED"
reference "$WORK/after-split" --split-chapters "$CHAPTERED"
start_fake --total-rate 5000000
for what in section chapters split; do
    case $what in
    section) rtdl -v -j 2 -o "$WORK/during-$what" --download-sections "*0:10-0:25" "$VIDEO" ;;
    chapters) rtdl -v -j 2 -o "$WORK/during-$what" "$CHAPTERED" ;;
    split) rtdl -v -j 2 -o "$WORK/during-$what" --split-chapters "$CHAPTERED" ;;
    esac
    expect_status 0 "$what while downloading"
    expect_in "$WORK/stderr" "% while downloading"
    same_files "$WORK/during-$what" "$WORK/after-$what"
done
[ "$(grep -c '% while downloading' "$WORK/stderr")" -eq 3 ] || fail "not every chapter's file streamed"
ok "a section, embedded chapters and split chapters: the same files made while downloading"

# 3. A stream our writer steps aside from (a damaged segment): libavformat after the
#    download, which ends as it does without streaming (the stream kept as .ts).
start_fake --corrupt-segment 10
RUTUBE_DL_REMUX_AFTER_DOWNLOAD=1 rtdl -v -o "$WORK/damaged-after" "$VIDEO"
after_status=$STATUS
rtdl -v -o "$WORK/damaged" "$VIDEO"
expect_status "$after_status" "a damaged stream, remuxed while downloading"
expect_in "$WORK/stderr" "remuxing with libavformat instead"
expect_in "$WORK/stderr" "the downloaded stream is kept as $WORK/damaged/$TITLE.ts"
[ "$(ls "$WORK/damaged")" = "$(ls "$WORK/damaged-after")" ] || fail "left: $(ls "$WORK/damaged")"
ok "a stream the writer declines partway: libavformat after the download, the same outcome"

# 4. A download that fails mid-way keeps the .part and its state, no .remux.part; the next
#    run continues it into the same MP4.
start_fake --endless 10
rtdl -v --retries 1 -o "$OUT" "$VIDEO"
expect_status 1 "segment 10 never ends"
[ -f "$PART" ] && [ -f "$PART.state" ] || fail "no .part and state after a failure: $(ls "$OUT")"
[ "$(jq .segments_done "$PART.state")" = 9 ] || fail "state: $(cat "$PART.state")"
expect_no_room_left "$PART"
[ ! -e "$MP4.remux.part" ] || fail "a .remux.part is left after a failure"
[ "$(ls "$OUT" | wc -l)" = 2 ] || fail "left: $(ls "$OUT")"
start_fake
rtdl -v -o "$OUT" "$VIDEO"
expect_status 0 "continuing after the failure"
expect_in "$WORK/stderr" "continuing $PART"
same_files "$OUT" "$WORK/after"
ok "a failure mid-download: .part and state kept, no .remux.part; resumed into the same MP4"

# 5. Ctrl-C while both run: the same; kill -9: a stale .remux.part, rewritten by the next run.
start_fake --total-rate 2000000
rm -rf "$OUT"
start_download
wait_for_remux 1000000
kill -INT "$PID"
finish
expect_status 130 "Ctrl-C"
[ -f "$PART" ] && [ -f "$PART.state" ] || fail "no .part and state after Ctrl-C: $(ls "$OUT")"
expect_no_room_left "$PART"
[ "$(ls "$OUT" | wc -l)" = 2 ] || fail "left after Ctrl-C: $(ls "$OUT")"
start_download
wait_for_remux 3000000
kill -9 "$PID"
finish
[ -f "$MP4.remux.part" ] || fail "no .remux.part after kill -9 (was it made while downloading?)"
start_fake
rtdl -v -o "$OUT" "$VIDEO"
expect_status 0 "after Ctrl-C and kill -9"
expect_in "$WORK/stderr" "continuing $PART"
same_files "$OUT" "$WORK/after"
ok "Ctrl-C and kill -9 while the MP4 grows: resumed, the stale .remux.part rewritten, the same MP4"

# 6. The .part is flushed and told complete only when it outlives the remux: here the final
#    name is a folder (--force lets the download start), so the rename fails. Done in well
#    under the second between checkpoints, the download leaves no state of its own: the one
#    there says all 15 segments are in, and the next run only remuxes.
start_fake
rm -rf "$OUT"
mkdir -p "$MP4" && touch "$MP4/in the way"
rtdl -v --force -o "$OUT" "$VIDEO"
expect_status 1 "the final name is a folder"
expect_in "$WORK/stderr" "% while downloading"
[ -f "$PART" ] || fail "no .part kept: $(ls "$OUT")"
[ "$(jq .segments_done "$PART.state")" = 15 ] || fail "state: $(cat "$PART.state" 2>&1)"
expect_no_room_left "$PART"
[ ! -e "$MP4.remux.part" ] || fail "a .remux.part is left"
rm -r "$MP4"
before=$(wc -l <"$WORK/requests.log")
rtdl -v -o "$OUT" "$VIDEO"
expect_status 0 "after the failed rename"
[ "$(tail -n +"$((before + 1))" "$WORK/requests.log" | grep -c 'segment-')" = 0 ] ||
    fail "segments fetched again"
same_files "$OUT" "$WORK/after"
ok "a .part that outlives the remux is flushed and told complete: the next run only remuxes"

# 7. Fast and long enough to show its pace (60 segments, 40 MB, on the loopback): the stream is
#    kept in memory, never in the .part (lib/hls/sink.h), and the MP4 is the one made after the
#    download from a .part.
start_fake --segments 60
reference "$WORK/after-long" "$VIDEO"
rtdl -v -o "$WORK/memory" "$VIDEO"
expect_status 0 "a fast download, kept in memory"
expect_in "$WORK/stderr" "its stream was kept in memory, not in $WORK/memory/$TITLE.mp4.part"
same_files "$WORK/memory" "$WORK/after-long"
grep -Eq 'its \.part \(0\.0 MiB\) removed' "$WORK/stderr" || fail "the .part was written: $(grep -F '.part' "$WORK/stderr")"
ok "a fast 40 MB download: kept in memory, its .part never written, the same MP4"

# 8. Kept in memory, a stream the writer steps aside from late (segment 50) is fetched again into
#    the .part, and ends as without memory: libavformat, the stream kept as .ts.
start_fake --segments 60 --corrupt-segment 50
RUTUBE_DL_REMUX_AFTER_DOWNLOAD=1 rtdl -v -o "$WORK/late-after" "$VIDEO"
after_status=$STATUS
before=$(grep -c 'segment-' "$WORK/requests.log")
rtdl -v -o "$WORK/late" "$VIDEO"
expect_status "$after_status" "a stream damaged late, kept in memory"
expect_in "$WORK/stderr" "its stream was kept in memory"
expect_in "$WORK/stderr" "fetching the stream again, into $WORK/late/$TITLE.mp4.part"
expect_in "$WORK/stderr" "remuxing with libavformat instead"
[ "$(ls "$WORK/late")" = "$(ls "$WORK/late-after")" ] || fail "left: $(ls "$WORK/late")"
cmp -s "$WORK/late/$TITLE.ts" "$WORK/late-after/$TITLE.ts" || fail "the kept streams differ"
fetched=$(($(grep -c 'segment-' "$WORK/requests.log") - before))
[ "$fetched" -ge 120 ] || fail "$fetched segment requests: the stream was not fetched again"
ok "a stream the writer declines late while kept in memory: fetched again ($fetched requests), the same outcome"

# 9. Kept in memory, a download that fails keeps nothing (there is no .part to continue): no
#    litter, and the next run starts over. The late segment that fails sends nothing, so that
#    the download has shown its pace first.
start_fake --segments 60 --stall-head-segment 55:1000 --stall-head-ms 60000
rm -rf "$OUT"
rtdl -v --retries 1 --timeout 1 -o "$OUT" "$VIDEO"
expect_status 1 "segment 55 never answers"
expect_in "$WORK/stderr" "its stream was kept in memory"
expect_in "$WORK/stderr" "segment 55 of 60"
expect_not_in "$WORK/stderr" "run the same command again"
[ -z "$(ls -A "$OUT" 2>/dev/null)" ] || fail "left after a failure kept in memory: $(ls "$OUT")"
start_fake --segments 60
rtdl -v -o "$OUT" "$VIDEO"
expect_status 0 "after the failure"
expect_not_in "$WORK/stderr" "continuing"
same_files "$OUT" "$WORK/after-long"
ok "a failure while kept in memory: nothing left behind, the next run makes the same MP4"

done_testing
