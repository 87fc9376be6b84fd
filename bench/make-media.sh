#!/usr/bin/env bash
# A long real stream for the benchmark, made once:
#   bench/make-media.sh [DIR] [BUILD_DIR]      (DIR default $BENCH_MEDIA or /tmp/rtdl-bench-media)
# Loops the test media's 1280x712 segments (60 s) into one continuous MPEG-TS stream of just
# over 3 hours (ffmpeg -stream_loop, timestamps kept continuous), cuts it into 4 s HLS
# segments in DIR/landscape/1280x712/ (index.m3u8 + seg-NNNNN.ts) and links the test media's
# portrait and yappy folders and thumbnail so the fake's catalog loads. Scenarios pick their
# length with the fake's --segments N (N <= the real count lists the first N segments).
# Idempotent: DIR/.made-by holds a hash of this script and of the source media.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-${BENCH_MEDIA:-/tmp/rtdl-bench-media}}
BUILD=${2:-${BUILD:-build}}
BUILD=$(cd "$ROOT" && cd "$BUILD" && pwd)
SRC="$BUILD/tests/fake-rutube/media"
MINUTES=${BENCH_MINUTES:-183} # >= 3 h of 4 s segments: >= 2700 of them

[ -d "$SRC/landscape/1280x712" ] || {
    echo "make-media: no test media in $SRC (run bench/setup.sh)" >&2
    exit 1
}
stamp=$( (cat "$0"; echo "$MINUTES"; cat "$SRC"/landscape/1280x712/seg-*.ts | sha256sum) | sha256sum | cut -d' ' -f1)
if [ -f "$DIR/.made-by" ] && [ "$(cat "$DIR/.made-by")" = "$stamp" ]; then
    exit 0
fi

echo "make-media: building a ${MINUTES}-minute stream in $DIR (once)" >&2
rm -rf "$DIR"
mkdir -p "$DIR/landscape/1280x712"
cat "$SRC"/landscape/1280x712/seg-*.ts >"$DIR/one.ts"
# One minute looped MINUTES times (-stream_loop N plays N + 1 times), remuxed to one
# continuous MPEG-TS, then cut at keyframes every 4 s: real, continuous segments.
ffmpeg -nostdin -v error -stream_loop $((MINUTES - 1)) -i "$DIR/one.ts" -c copy -f mpegts - |
    ffmpeg -nostdin -v error -f mpegts -i - -c copy -f hls -hls_time 4 -hls_list_size 0 \
        -hls_segment_filename "$DIR/landscape/1280x712/seg-%05d.ts" "$DIR/landscape/1280x712/index.m3u8"
rm -f "$DIR/one.ts"
ln -s "$SRC/portrait" "$DIR/portrait"
ln -s "$SRC/thumb.jpg" "$DIR/thumb.jpg"
ln -s "$SRC/yappy" "$DIR/yappy"
ln -s "$SRC/uhd" "$DIR/uhd"
n=$(find "$DIR/landscape/1280x712" -name 'seg-*.ts' | wc -l)
[ "$n" -ge 2700 ] || {
    echo "make-media: only $n segments (< 2700)" >&2
    exit 1
}
echo "$stamp" >"$DIR/.made-by"
echo "make-media: $n segments, $(du -sm "$DIR/landscape/1280x712" | cut -f1) MiB" >&2
