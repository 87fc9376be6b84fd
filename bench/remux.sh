#!/usr/bin/env bash
# How long the MP4 remux takes next to the download, on a >= 1 GiB stream.
#   bench/remux.sh [BUILD_DIR] [RUNS]
# Builds a long stream by looping the test media (timestamps made continuous by ffmpeg),
# serves it with the fake RuTube (no shaping: loopback is the fastest line there is), and
# times rutube-dl's two phases from its -v log, with `ffmpeg -i x.ts -c copy -movflags
# +faststart` on the same stream as the peer. Prints medians.
set -euo pipefail
BUILD=${1:-build}
RUNS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$ROOT" && cd "$BUILD" && pwd)
MEDIA="$BUILD/tests/fake-rutube/media"
WORK=${BENCH_WORK:-/tmp/rtdl-bench-remux}
ninja -C "$BUILD" cli/rutube-dl tests/fake-rutube/fake-rutube tests/fake-rutube/fake-media.stamp >/dev/null

# 1. A 1.1 GiB continuous stream, cut into 4 s segments like RuTube's.
BIG="$WORK/media"
if [ ! -f "$BIG/.done" ]; then
    rm -rf "$BIG" && mkdir -p "$BIG/landscape/1280x712"
    cat "$MEDIA"/landscape/1280x712/seg-*.ts >"$WORK/one.ts"
    loops=$(((1152 << 20) / $(stat -c %s "$WORK/one.ts") + 1))
    ffmpeg -v error -stream_loop "$loops" -i "$WORK/one.ts" -c copy -f mpegts "$WORK/big.ts"
    ffmpeg -v error -i "$WORK/big.ts" -c copy -f hls -hls_time 4 -hls_list_size 0 \
        -hls_segment_filename "$BIG/landscape/1280x712/seg-%05d.ts" "$BIG/landscape/1280x712/index.m3u8"
    ln -s "$MEDIA/portrait" "$BIG/portrait"
    ln -s "$MEDIA/thumb.jpg" "$BIG/thumb.jpg"
    ln -s "$MEDIA/yappy" "$BIG/yappy"
    touch "$BIG/.done"
fi
# The fake wants every kind of media it serves; a folder made before it served Yappy clips
# or the 4K video lacks them.
[ -e "$BIG/yappy" ] || ln -s "$MEDIA/yappy" "$BIG/yappy"
[ -e "$BIG/uhd" ] || ln -s "$MEDIA/uhd" "$BIG/uhd"
bytes=$(cat "$BIG"/landscape/1280x712/seg-*.ts | wc -c)
segments=$(ls "$BIG"/landscape/1280x712/seg-*.ts | wc -l)

rm -f "$WORK/port"
"$BUILD/tests/fake-rutube/fake-rutube" --media "$BIG" --port-file "$WORK/port" >/dev/null 2>&1 &
fake=$!
trap 'kill $fake 2>/dev/null; rm -rf "$WORK/out"' EXIT
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
: >"$WORK/fetch" && : >"$WORK/remux" && : >"$WORK/ffmpeg"
for run in $(seq "$RUNS"); do
    rm -rf "$WORK/out"
    "$BUILD/cli/rutube-dl" -v --api-base "$(cat "$WORK/port")" -o "$WORK/out" \
        2ce725b3dc1a243f8456458975ecd872 2>"$WORK/log" >/dev/null
    sed -n 's/.*fetched .* in \([0-9.]*\) s$/\1/p' "$WORK/log" >>"$WORK/fetch"
    sed -n 's/.*remuxed into mp4 in \([0-9.]*\) s$/\1/p' "$WORK/log" >>"$WORK/remux"
    rm -rf "$WORK/out"
    start=$(date +%s.%N)
    ffmpeg -v error -i "$WORK/big.ts" -c copy -movflags +faststart -y "$WORK/ffmpeg.mp4"
    echo "$(date +%s.%N) - $start" | bc >>"$WORK/ffmpeg"
    rm -f "$WORK/ffmpeg.mp4"
    echo "run $run: fetch $(tail -n1 "$WORK/fetch") s, remux $(tail -n1 "$WORK/remux") s, ffmpeg $(tail -n1 "$WORK/ffmpeg") s" >&2
done
fetch=$(median <"$WORK/fetch")
remux=$(median <"$WORK/remux")
ff=$(median <"$WORK/ffmpeg")
echo "stream: $((bytes >> 20)) MiB in $segments segments; medians of $RUNS runs on $(nproc) cores"
echo "download (loopback, unshaped): $fetch s = $(echo "$bytes / $fetch / 1048576" | bc) MiB/s"
echo "remux to MP4 (moov first, synced): $remux s = $(echo "$bytes / $remux / 1048576" | bc) MiB/s"
echo "ffmpeg -c copy, same stream:   $ff s"
