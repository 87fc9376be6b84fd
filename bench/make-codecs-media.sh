#!/usr/bin/env bash
# The two sources of bench/codecs.sh, made once with Debian's ffmpeg:
#   bench/make-codecs-media.sh [DIR]    (DIR default $BENCH_CODECS/media, /tmp/rtdl-bench-codecs/media)
# DIR/hevc.ts:   HEVC (libx265 ultrafast) + AAC in MPEG-TS, 4 s HLS segments concatenated,
#                as a download's .part is;
# DIR/av1.fmp4:  AV1 (libsvtav1 preset 12) + AAC as an HLS fMP4 rendition: the init section,
#                then the .m4s fragments, concatenated.
# Each is >= $BENCH_CODECS_MIB MiB (1024). Encoding 1 GiB would take long on 2 cores, so a
# 16 s 1920x1080 clip is encoded once per codec and looped with -stream_loop (timestamps
# continuous: 400 frames of 40 ms); the AAC is encoded for the whole length in one go, since
# looping it would repeat the encoder's priming at every seam. DIR/<name>.info holds what the
# checks compare with: the playlist's duration, the bytes, the segment and packet counts.
# Idempotent: DIR/.made-by holds a hash of this script, the size and ffmpeg's version.
set -euo pipefail
DIR=${1:-${BENCH_CODECS:-/tmp/rtdl-bench-codecs}/media}
MIB=${BENCH_CODECS_MIB:-1024}
CLIP=16          # s: 4 whole 4 s GOPs and segments, so every seam falls on a keyframe
VRATE=4000000    # b/s: about what RuTube serves at 1080p
AUDIO_BPS=128000 # AAC LC stereo 44.1 kHz, as RuTube's renditions carry
SRC="testsrc2=size=1920x1080:rate=25,noise=alls=12:allf=t,format=yuv420p" # noise: not a trivially compressible picture
KEYS=100 # frames: a keyframe every 4 s at 25 fps, scene cuts off, as HLS segmenters want

stamp=$( (cat "$0"; echo "$MIB"; ffmpeg -version | head -n1) | sha256sum | cut -d' ' -f1)
if [ -f "$DIR/.made-by" ] && [ "$(cat "$DIR/.made-by")" = "$stamp" ]; then
    exit 0
fi
encoders=$(ffmpeg -hide_banner -encoders 2>/dev/null) # not piped to grep -q: SIGPIPE + pipefail
for enc in libx265 libsvtav1; do
    grep -qw "$enc" <<<"$encoders" ||
        { echo "make-codecs-media: ffmpeg has no $enc (run bench/setup.sh)" >&2; exit 1; }
done
echo "make-codecs-media: encoding two >= $MIB MiB sources in $DIR (once)" >&2
began=$(date +%s)
rm -rf "$DIR"
mkdir -p "$DIR/tmp"
T="$DIR/tmp"
# ffmpeg's own errors only (SVT-AV1 prints its banner whatever -v says): shown on failure.
ff() { ffmpeg -nostdin -v error -y "$@" 2>"$T/ffmpeg.log" || { cat "$T/ffmpeg.log" >&2; return 1; }; }

ff -f lavfi -i "$SRC" -t $CLIP -c:v libx265 -preset ultrafast -b:v $VRATE \
    -x265-params "keyint=$KEYS:min-keyint=$KEYS:scenecut=0:log-level=error" "$T/hevc.mp4"
ff -f lavfi -i "$SRC" -t $CLIP -c:v libsvtav1 -preset 12 -b:v $VRATE -g $KEYS \
    -svtav1-params "keyint=$KEYS:scd=0" "$T/av1.mp4"

# Loops for >= MIB MiB: per loop the clip plus its nominal audio, 3 % over in case the AAC
# comes in under its nominal rate (the TS packet overhead, ~3 %, only adds); checked below.
loops() { echo $(((MIB * 1048576 * 103 / 100) / ($(stat -c %s "$1") + CLIP * AUDIO_BPS / 8) + 1)); }
LH=$(loops "$T/hevc.mp4")
LA=$(loops "$T/av1.mp4")
seconds=$(((LH > LA ? LH : LA) * CLIP))
ff -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=$seconds" -ac 2 -c:a aac -b:a $AUDIO_BPS "$T/audio.m4a"

# cut_hls NAME LOOPS SEGMENT-OPTIONS...: loop the clip, add the audio, cut 4 s HLS segments.
cut_hls() {
    local name=$1 loops=$2
    shift 2
    mkdir -p "$T/$name"
    ff -stream_loop $((loops - 1)) -i "$T/$name.mp4" -i "$T/audio.m4a" -map 0:v -map 1:a -c copy \
        -shortest -f hls -hls_time 4 -hls_list_size 0 "$@" "$T/$name/index.m3u8"
    cp "$T/$name/index.m3u8" "$DIR/$name.m3u8"
}
cut_hls hevc "$LH" -hls_segment_type mpegts -hls_segment_filename "$T/hevc/seg-%05d.ts"
cut_hls av1 "$LA" -hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4 \
    -hls_segment_filename "$T/av1/seg-%05d.m4s"
# Joined in playlist order as the download's .part would be (fMP4: EXT-X-MAP's init first).
segments() { awk '/^#EXT-X-MAP:/ { sub(/.*URI="/, ""); sub(/".*/, ""); print } /^[^#]/ && NF' "$1"; }
(cd "$T/hevc" && segments index.m3u8 | xargs cat) >"$DIR/hevc.ts"
(cd "$T/av1" && segments index.m3u8 | xargs cat) >"$DIR/av1.fmp4"

describe() { # NAME FILE
    local bytes
    bytes=$(stat -c %s "$2")
    [ "$bytes" -ge $((MIB * 1048576)) ] ||
        { echo "make-codecs-media: $2 has $bytes bytes (< $MIB MiB)" >&2; exit 1; }
    {
        echo "bytes=$bytes"
        echo "segments=$(grep -c '^#EXTINF' "$DIR/$1.m3u8")"
        awk -F'[:,]' '/^#EXTINF/ { d += $2 } END { printf "duration=%.3f\n", d }' "$DIR/$1.m3u8"
        ffprobe -v error -count_packets -show_entries stream=codec_type,codec_name,nb_read_packets -of json "$2" |
            jq -r '.streams[] | "\(.codec_type)_codec=\(.codec_name)\n\(.codec_type)_packets=\(.nb_read_packets)"'
    } >"$DIR/$1.info"
}
describe hevc "$DIR/hevc.ts"
describe av1 "$DIR/av1.fmp4"
rm -rf "$T"
echo "$(date -u '+%Y-%m-%d %H:%M UTC') in $(($(date +%s) - began)) s" >"$DIR/.made-in" # for the report
echo "$stamp" >"$DIR/.made-by"
for n in hevc av1; do echo "make-codecs-media: $n: $(tr '\n' ' ' <"$DIR/$n.info")" >&2; done
