#!/bin/bash
# Makes the fake server's media: real H.264 + AAC MPEG-TS HLS segments and a thumbnail, and
# a short 4K set in H.264, HEVC (MPEG-TS) and AV1 (fragmented MP4).
#
# usage: make-media.sh DIR [STAMP]
#   DIR/landscape/{1280x712,856x480,640x352}/{index.m3u8,seg-NNN.ts}   60 s, 4 s segments
#   DIR/landscape/1280x712-audio/...   the same audio and segmenting, no video (--no-video)
#   DIR/portrait/{608x1080,400x712}/...                                20 s (a short; 400x712
#                                                                      has 48 kbit/s mono sound)
#   DIR/uhd/{1280x720,1920x1080,3840x2160-hevc}/...                    8 s, 10 fps, MPEG-TS
#   DIR/uhd/{1920x1080,2560x1440,3840x2160}-av1/{index.m3u8,init.mp4,seg-NNN.m4s}   8 s, fMP4
#   DIR/uhd/*/stream-inf.txt   CODECS= and FRAME-RATE= of the master playlist, true of the files
#   DIR/yappy/portrait.mp4   the 608x1080 segments as one progressive MP4 (Yappy clips)
#   DIR/thumb.jpg
# DIR appears complete or not at all (built in DIR.tmp, then renamed). A DIR made by this
# same script is left alone, so repeated runs cost nothing. STAMP is touched at the end.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 DIR [STAMP]" >&2
    exit 2
fi
dir=${1%/}
stamp=${2:-}

for tool in ffmpeg sha256sum; do
    if ! command -v "$tool" >/dev/null; then
        echo "$0: $tool is needed (Debian: apt-get install ffmpeg coreutils)" >&2
        exit 1
    fi
done

# The marker names the script that made DIR: editing the recipe below remakes the media.
version=$(sha256sum "$0" | cut -d' ' -f1)
if [[ -f $dir/.made-by && $(<"$dir/.made-by") == "$version" ]]; then
    [[ -n $stamp ]] && touch "$stamp"
    exit 0
fi

tmp=$dir.tmp
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"

# encode KIND SECONDS W1xH1:KBPS1[:AUDIO_KBPS:CHANNELS] W2xH2:KBPS2 ...
# One ffmpeg run per media kind: the test pattern is drawn once at the largest size and
# scaled for the others. The audio is AAC at 96 kbit/s stereo unless the spec says otherwise
# (a smaller rendition with poorer sound, as RuTube's smallest sometimes have). 25 fps with a keyframe every 2 s (and none elsewhere), so every
# segment cuts at exactly 4 s. High profile (8x8dct) at level 4.1 makes the master
# playlist's CODECS="avc1.640029" true; ultrafast keeps the whole run to a few seconds.
encode() {
    local kind=$1 seconds=$2
    shift 2
    local largest=${1%%:*}
    local count=$#
    local split="[0:v]split=$count"
    local scales="" i=0 spec size kbps
    for spec in "$@"; do
        split+="[v$i]"
        size=${spec%%:*}
        scales+=";[v$i]scale=${size/x/:}:flags=fast_bilinear[s$i]"
        i=$((i + 1))
    done
    local args=(-hide_banner -loglevel error -nostdin -y
        -f lavfi -i "testsrc2=size=$largest:rate=25:duration=$seconds"
        -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=44100:duration=$seconds"
        -filter_complex "$split$scales")
    i=0
    local audio_kbps channels rest
    for spec in "$@"; do
        size=${spec%%:*}
        rest=${spec#*:}
        kbps=${rest%%:*}
        audio_kbps=96 channels=2
        if [[ $rest == *:*:* ]]; then
            audio_kbps=${rest#*:}
            channels=${audio_kbps#*:}
            audio_kbps=${audio_kbps%%:*}
        fi
        mkdir -p "$tmp/$kind/$size"
        args+=(-map "[s$i]" -map 1:a
            -c:v libx264 -preset ultrafast -profile:v high -level:v 4.1 -x264-params 8x8dct=1
            -pix_fmt yuv420p -b:v "${kbps}k" -maxrate "${kbps}k" -bufsize "$((kbps * 2))k"
            -g 50 -keyint_min 50 -sc_threshold 0
            -c:a aac -aac_coder fast -b:a "${audio_kbps}k" -ac "$channels" -ar 44100
            -f hls -hls_time 4 -hls_list_size 0 -hls_playlist_type vod
            -hls_segment_filename "$tmp/$kind/$size/seg-%03d.ts"
            "$tmp/$kind/$size/index.m3u8")
        i=$((i + 1))
    done
    ffmpeg "${args[@]}"
}

# encode_uhd FOLDER:KBPS:CODECS ...
# The 4K video's renditions, 8 s at 10 fps with a keyframe every 2 s (none elsewhere, closed
# GOPs), so each cuts into two 4 s segments; the pattern is drawn once at 3840x2160 and scaled.
# The folder's suffix picks the codec: none H.264 (MPEG-TS, like the landscape set), -hevc
# libx265 (MPEG-TS), -av1 libsvtav1 (fragmented MP4: init.mp4, then .m4s fragments). Levels
# are set (or, for SVT-AV1, computed by the encoder) so that CODECS tells the truth.
encode_uhd() {
    local count=$#
    local split="[0:v]split=$count"
    local scales="" i=0 spec folder size kbps codecs
    for spec in "$@"; do
        folder=${spec%%:*}
        size=${folder%%-*}
        split+="[v$i]"
        scales+=";[v$i]scale=${size/x/:}:flags=fast_bilinear[s$i]"
        i=$((i + 1))
    done
    local args=(-hide_banner -loglevel error -nostdin -y
        -f lavfi -i "testsrc2=size=3840x2160:rate=10:duration=8"
        -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=44100:duration=8"
        -filter_complex "$split$scales")
    i=0
    for spec in "$@"; do
        folder=${spec%%:*}
        kbps=${spec#*:}
        codecs=${kbps#*:}
        kbps=${kbps%%:*}
        local out=$tmp/uhd/$folder
        mkdir -p "$out"
        printf 'CODECS=%s\nFRAME-RATE=10\n' "$codecs" >"$out/stream-inf.txt"
        args+=(-map "[s$i]" -map 1:a -pix_fmt yuv420p -b:v "${kbps}k")
        case $folder in
        *-hevc)
            args+=(-c:v libx265 -preset ultrafast
                -x265-params "keyint=20:min-keyint=20:scenecut=0:open-gop=0:level-idc=5.0:log-level=error")
            ;;
        *-av1)
            args+=(-c:v libsvtav1 -preset 12 -g 20)
            ;;
        *)
            # avc1.64001f is High at 3.1, avc1.640028 High at 4.0.
            local level=3.1
            [[ $codecs == avc1.640028* ]] && level=4.0
            args+=(-c:v libx264 -preset ultrafast -profile:v high -level:v "$level"
                -x264-params 8x8dct=1 -maxrate "${kbps}k" -bufsize "$((kbps * 2))k"
                -g 20 -keyint_min 20 -sc_threshold 0)
            ;;
        esac
        args+=(-c:a aac -aac_coder fast -b:a 96k -ac 2 -ar 44100
            -f hls -hls_time 4 -hls_list_size 0 -hls_playlist_type vod)
        if [[ $folder == *-av1 ]]; then
            args+=(-hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4
                -hls_segment_filename "$out/seg-%03d.m4s")
        else
            args+=(-hls_segment_filename "$out/seg-%03d.ts")
        fi
        args+=("$out/index.m3u8")
        i=$((i + 1))
    done
    # SVT-AV1 prints its settings to stderr whatever ffmpeg's log level: errors only.
    SVT_LOG=1 ffmpeg "${args[@]}"
}

# Largest first: encode() draws the pattern at the first size. Bit rates stay modest so the
# media is small, yet differ per quality so BANDWIDTH orders them as on rutube.ru.
encode landscape 60 1280x712:1200 856x480:700 640x352:450 &
landscape=$!
encode portrait 20 608x1080:1000 400x712:500:48:1 &
portrait=$!
# Two runs, one per core: the 4K HEVC and AV1 encodes cost about as much as the rest together.
encode_uhd 3840x2160-hevc:2500:"hvc1.1.6.L150.90, mp4a.40.2" \
    3840x2160-av1:2000:"av01.0.12M.08, mp4a.40.2" &
uhd_4k=$!
encode_uhd 1280x720:700:"avc1.64001f, mp4a.40.2" 1920x1080:1200:"avc1.640028, mp4a.40.2" \
    1920x1080-av1:900:"av01.0.08M.08, mp4a.40.2" 2560x1440-av1:1400:"av01.0.12M.08, mp4a.40.2" &
uhd_rest=$!
ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i testsrc2=size=320x180:rate=1 \
    -frames:v 1 -q:v 5 "$tmp/thumb.jpg"
wait "$landscape"
# --no-video's segments: each 1280x712 segment with its video stream dropped and its audio
# packets copied, timestamps kept (-copyts, and no mux delay added on top). Re-segmenting the
# audio on its own would cut elsewhere (and add a 1-frame tail segment), so segment k would
# not stand in for segment k. One ffmpeg per segment, all at once: each is a tiny copy.
audio=$tmp/landscape/1280x712-audio
mkdir -p "$audio"
cp "$tmp/landscape/1280x712/index.m3u8" "$audio/"
copies=()
for seg in "$tmp"/landscape/1280x712/seg-*.ts; do
    ffmpeg -hide_banner -loglevel error -nostdin -y -copyts -i "$seg" -map 0:a -vn -c copy \
        -muxdelay 0 -muxpreload 0 -f mpegts "$audio/${seg##*/}" &
    copies+=($!)
done
for pid in "${copies[@]}"; do
    wait "$pid"
done
wait "$portrait"
wait "$uhd_4k"
wait "$uhd_rest"
# Yappy serves one progressive file per clip: the largest portrait quality's segments joined
# into an MP4 without re-encoding (-c copy; the AAC goes from ADTS to MP4's framing), its
# index moved to the front (faststart) as a web player wants it.
mkdir -p "$tmp/yappy"
ffmpeg -hide_banner -loglevel error -nostdin -y -i "$tmp/portrait/608x1080/index.m3u8" \
    -map 0:v -map 0:a -c copy -bsf:a aac_adtstoasc -movflags +faststart -f mp4 \
    "$tmp/yappy/portrait.mp4"

echo "$version" >"$tmp/.made-by"
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
[[ -n $stamp ]] && touch "$stamp"
exit 0
