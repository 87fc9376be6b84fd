#!/usr/bin/env bash
# A plain download through the real binary: the right bytes, the right name, nothing left over.
source "$(dirname "$0")/lib.sh"
# These checks are about the stream as RuTube sends it: byte for byte.
RTDL_DEFAULTS=(--container ts)
start_fake

cd "$WORK"
rtdl "https://rutube.ru/video/$VIDEO/"
expect_status 0 "plain download"
expect_same_bytes "$(segments_of landscape 1280x712)" "$WORK/$TITLE.ts"
expect_playable "$WORK/$TITLE.ts"
expect_no_room_left "$WORK/$TITLE.ts"
[ -z "$(find "$WORK" -name '*.part')" ] || fail "a .part file was left behind"
expect_in "$WORK/stdout" "Saved ./$TITLE.ts"
ok "default download is the best quality, byte for byte, named from the title, no disk held past its end"

# The 15 segments were each fetched once, from the preferred mirror.
segs=$(requests_matching $'^mirror0\tGET\t.*segment-[0-9]+-v1-a1\\.ts')
[ "$segs" -eq 15 ] || fail "expected 15 segment requests on mirror 0, saw $segs"
ok "each segment fetched once"

rm -f "$WORK/$TITLE.ts"
for address in "$VIDEO" "http://www.rutube.ru/video/$VIDEO/?t=10&r=wd#x" \
    "rutube.ru/video/$VIDEO" "https://rutube.ru/play/embed/$VIDEO" "https://m.rutube.ru/shorts/$VIDEO/"; do
    rtdl -o "$WORK/forms" "$address"
    expect_status 0 "$address"
    expect_same_bytes "$(segments_of landscape 1280x712)" "$WORK/forms/$TITLE.ts"
    rm -f "$WORK/forms/$TITLE.ts"
done
ok "every single-video address form downloads"

rtdl -o "$WORK/a/b/c" -q 480 --container ts "$VIDEO"
expect_status 0 "-o into missing folders"
expect_same_bytes "$(segments_of landscape 856x480)" "$WORK/a/b/c/$TITLE.ts"
ok "-o creates missing folders; --container ts"

rtdl -o "$WORK/short" "https://rutube.ru/shorts/$SHORT/"
expect_status 0 "short"
expect_same_bytes "$(segments_of portrait 608x1080)" "$WORK/short/Короткое видео 🎬 #shorts.ts"
expect_playable "$WORK/short/Короткое видео 🎬 #shorts.ts"
ok "a short downloads in its vertical best quality"

rtdl -j 1 -o "$WORK/j1" "$VIDEO"
expect_status 0 "-j 1"
expect_same_bytes "$(segments_of landscape 1280x712)" "$WORK/j1/$TITLE.ts"
ok "-j 1 works"

done_testing
