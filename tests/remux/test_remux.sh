#!/usr/bin/env bash
# librutube's own TS -> MP4 path (lib/media/mp4_remux.c) against libavformat's (lib/media/av_remux.c) on the same
# inputs: the same packets byte for byte, the same times, a file FFmpeg decodes without a word;
# and every input the own path must not take goes to libavformat with the same outcome.
#   test_remux.sh REMUX_FILE FAKE_MEDIA
set -euo pipefail
REMUX=${1:?usage: test_remux.sh REMUX_FILE FAKE_MEDIA}
MEDIA=${2:?usage: test_remux.sh REMUX_FILE FAKE_MEDIA}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rtdl-remux.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
CHECKS=0
fail() {
    echo "FAIL: $*" >&2
    [ -f "$WORK/log" ] && tail -n 20 "$WORK/log" >&2
    exit 1
}
ok() {
    CHECKS=$((CHECKS + 1))
    echo "ok $CHECKS - $*"
}
ffm() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
# The first non-empty line, reading all (a reader that stops early gets its writer a SIGPIPE,
# which pipefail turns into a failure).
first_line() { awk 'NF && !seen { print; seen = 1 }'; }

# remux NAME IN DURATION [--libavformat]: IN -> $WORK/NAME.mp4; the log in $WORK/NAME.log.
remux() {
    local name=$1 in=$2 duration=$3
    shift 3
    "$REMUX" "$@" "$in" "$WORK/$name.mp4" "$duration" >"$WORK/$name.log" 2>&1
}

# fast_and_general NAME IN DURATION [SWITCHES...]: both ways; the own path must not have stepped
# aside.
fast_and_general() {
    local name=$1 in=$2 duration=$3
    shift 3
    remux "$name" "$in" "$duration" "$@" || { cp "$WORK/$name.log" "$WORK/log"; fail "$name: own path failed"; }
    ! grep -q "libavformat instead" "$WORK/$name.log" || { cp "$WORK/$name.log" "$WORK/log"; fail "$name: declined"; }
    remux "$name-lavf" "$in" "$duration" --libavformat "$@" || { cp "$WORK/$name-lavf.log" "$WORK/log"; fail "$name: libavformat failed"; }
}

# packets FILE: per packet "stream size md5 pts-in-seconds", in each stream's order.
packets() {
    ffmpeg -nostdin -v error -i "$1" -map 0 -c copy -f framemd5 - |
        awk -F', *' '/^#tb/ { split($0, a, /[:\/ ]+/); tb[a[2]] = a[4]; next }
                     /^#/ { next }
                     { printf "%s %s %s %.6f\n", $1, $5, $6, $3 / tb[$1] }' | sort -s -k1,1
}

# keys FILE: the numbers of the key frames of each stream.
keys() {
    ffprobe -v error -show_entries packet=stream_index,flags -of csv=p=0 "$1" |
        awk -F, '{ n[$1]++ } $2 ~ /K/ { print $1, n[$1] }' | sort -s -k1,1
}

# same_packets A B TOLERANCE: the same data in the same order; times within TOLERANCE s.
same_packets() {
    packets "$1" >"$WORK/a.txt"
    packets "$2" >"$WORK/b.txt"
    [ "$(wc -l <"$WORK/a.txt")" -gt 0 ] || fail "no packets in $1"
    diff <(cut -d' ' -f1-3 "$WORK/a.txt") <(cut -d' ' -f1-3 "$WORK/b.txt") >/dev/null ||
        fail "$(basename "$1") and $(basename "$2") hold different packets"
    diff <(keys "$1") <(keys "$2") >/dev/null || fail "$(basename "$1"): key frames differ from libavformat's"
    paste -d' ' "$WORK/a.txt" "$WORK/b.txt" |
        awk -v tol="$3" '{ d = $4 - $8; if (d < 0) d = -d; if (d > max) { max = d; at = $0 } }
                         END { if (max > tol) { print "times differ by " max " s: " at; exit 1 } }' ||
        fail "$(basename "$1"): packet times differ from libavformat's"
}

# plays FILE: FFmpeg decodes all of it without an error or warning.
plays() {
    local said
    said=$(ffmpeg -nostdin -v warning -i "$1" -f null - 2>&1) || fail "$1 does not decode"
    [ -z "$said" ] || fail "decoding $(basename "$1"): $said"
}

boxes() {
    ffprobe -v trace "$1" 2>&1 | grep -o "type:'[a-z0-9]*' parent:'root'" | cut -d"'" -f2 | tr '\n' ' '
}

probe() { ffprobe -v error -show_entries "$2" -of default=nw=1 "$1"; }

# count FILE v|a: that stream's packets.
count() {
    ffprobe -v error -select_streams "$2" -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$1" | first_line
}

# 1. The fake's media: as ffmpeg's HLS muxer makes it (no B-frames, 44.1 kHz stereo).
cat "$MEDIA"/landscape/1280x712/seg-*.ts >"$WORK/landscape.ts"
fast_and_general landscape "$WORK/landscape.ts" 60
same_packets "$WORK/landscape.mp4" "$WORK/landscape-lavf.mp4" 0.001
plays "$WORK/landscape.mp4"
case "$(boxes "$WORK/landscape.mp4")" in "ftyp moov "*mdat*) ;;
*) fail "top-level boxes: $(boxes "$WORK/landscape.mp4")" ;; esac
for what in stream=codec_name,profile,width,height,sample_rate,channels,start_time \
    format=duration format_tags=title,artist,date,comment,description,synopsis,episode_id,network; do
    [ "$(probe "$WORK/landscape.mp4" "$what")" = "$(probe "$WORK/landscape-lavf.mp4" "$what")" ] ||
        fail "$what: $(probe "$WORK/landscape.mp4" "$what") vs $(probe "$WORK/landscape-lavf.mp4" "$what")"
done
ok "the fake's media: the same packets, times, streams, duration and tags as libavformat's; moov first; decodes clean"

# 1b. With a cover: the own writer's covr item is the attached picture libavformat stores.
fast_and_general cover "$WORK/landscape.ts" 60 --cover "$MEDIA/thumb.jpg"
same_packets "$WORK/cover.mp4" "$WORK/cover-lavf.mp4" 0.001
what=stream=codec_name,width,height:stream_disposition=attached_pic
[ "$(probe "$WORK/cover.mp4" "$what")" = "$(probe "$WORK/cover-lavf.mp4" "$what")" ] ||
    fail "streams: $(probe "$WORK/cover.mp4" "$what") vs $(probe "$WORK/cover-lavf.mp4" "$what")"
[ "$(probe "$WORK/cover.mp4" stream_disposition=attached_pic | grep -c '=1$')" = 1 ] || fail "no attached picture"
# FFmpeg 5.1's demuxer says "stream 0, timescale not set" of any covr (libavformat's own too).
said=$(ffmpeg -nostdin -v warning -i "$WORK/cover.mp4" -f null - 2>&1 | sed 's/ @ 0x[0-9a-f]*//') ||
    fail "cover.mp4 does not decode"
[ "$said" = "$(ffmpeg -nostdin -v warning -i "$WORK/cover-lavf.mp4" -f null - 2>&1 | sed 's/ @ 0x[0-9a-f]*//')" ] ||
    fail "decoding cover.mp4 says more than libavformat's file: $said"
ok "with a cover: the same packets (the picture's too), streams and attached picture as libavformat's"

printf 'RIFF\0\0\0\0WEBPVP8 ' >"$WORK/cover.webp" # neither JPEG nor PNG: left out, as libavformat does
remux webp "$WORK/landscape.ts" 60 --cover "$WORK/cover.webp" || fail "webp cover: $(cat "$WORK/webp.log")"
grep -q "the thumbnail is not JPEG or PNG; it is not embedded" "$WORK/webp.log" || fail "no warning: $(cat "$WORK/webp.log")"
! grep -q "libavformat instead" "$WORK/webp.log" || fail "the own writer stepped aside for a WebP cover"
[ "$(probe "$WORK/webp.mp4" stream=codec_name | tr '\n' ' ')" = "codec_name=h264 codec_name=aac " ] ||
    fail "streams with a WebP cover: $(probe "$WORK/webp.mp4" stream=codec_name)"
ok "a WebP cover: a warning, the file without it"

# 2. B-frames (composition offsets, an edit list), 29.97 fps, 48 kHz mono, an open GOP.
ffm -f lavfi -i testsrc2=size=640x360:rate=30000/1001:duration=9 \
    -f lavfi -i sine=frequency=300:sample_rate=48000:duration=9 \
    -c:v libx264 -preset fast -bf 3 -g 48 -x264-params open-gop=1 -pix_fmt yuv420p \
    -c:a aac -ac 1 -ar 48000 -f mpegts "$WORK/bframes.ts"
fast_and_general bframes "$WORK/bframes.ts" 9
same_packets "$WORK/bframes.mp4" "$WORK/bframes-lavf.mp4" 0.002
plays "$WORK/bframes.mp4"
[ "$(probe "$WORK/bframes.mp4" stream=has_b_frames | first_line)" != "has_b_frames=0" ] ||
    fail "B-frames lost"
[ "$(probe "$WORK/bframes.mp4" format=duration)" = "$(probe "$WORK/bframes-lavf.mp4" format=duration)" ] ||
    fail "duration $(probe "$WORK/bframes.mp4" format=duration) vs $(probe "$WORK/bframes-lavf.mp4" format=duration)"
ok "B-frames, open GOP, 29.97 fps, 48 kHz mono: the same packets and times (within 2 ms)"

# 3. Two runs of one encoder spliced: the timestamps jump back 90 s and are carried on.
# (libavformat's demuxer takes that jump for a 33-bit wrap and the other path calls the
# stream damaged: the own path is the one that copes.)
for part in one:100:300 two:10:600; do
    IFS=: read -r name offset tone <<<"$part"
    ffm -f lavfi -i testsrc2=size=320x180:rate=25:duration=$((offset > 50 ? 4 : 3)) \
        -f lavfi -i sine=frequency=$tone:duration=4 -shortest \
        -c:v libx264 -preset ultrafast -g 25 -c:a aac -output_ts_offset "$offset" -f mpegts "$WORK/$name.ts"
done
cat "$WORK/one.ts" "$WORK/two.ts" >"$WORK/splice.ts"
remux splice "$WORK/splice.ts" 7 || { cp "$WORK/splice.log" "$WORK/log"; fail "splice"; }
! grep -q "libavformat instead" "$WORK/splice.log" || fail "splice declined: $(cat "$WORK/splice.log")"
plays "$WORK/splice.mp4"
for s in v a; do
    want=$(($(count "$WORK/one.ts" $s) + $(count "$WORK/two.ts" $s)))
    [ "$(count "$WORK/splice.mp4" $s)" -eq "$want" ] || fail "splice: $(count "$WORK/splice.mp4" $s) $s packets, want $want"
done
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$WORK/splice.mp4")
awk -v d="$duration" 'BEGIN { exit !(d > 6.9 && d < 7.2) }' || fail "spliced duration $duration s"
ok "a splice (timestamps going back 90 s): every packet kept, $duration s, decodes clean"

# 4. Streams it must leave to libavformat, which then does the job.
ffm -f lavfi -i testsrc2=size=320x180:rate=25:duration=3 -f lavfi -i sine=duration=3 \
    -c:v libx264 -preset ultrafast -c:a mp2 -f mpegts "$WORK/mp2.ts"
remux mp2 "$WORK/mp2.ts" 3 || fail "mp2 audio: $(cat "$WORK/mp2.log")"
grep -q "libavformat instead: a stream other than one H.264 and one AAC" "$WORK/mp2.log" ||
    fail "mp2 audio not declined: $(cat "$WORK/mp2.log")"
[ "$(probe "$WORK/mp2.mp4" stream=codec_type | tr '\n' ' ')" = "codec_type=video codec_type=audio " ] ||
    fail "mp2: $(probe "$WORK/mp2.mp4" stream=codec_name,codec_type)"
remux short-room "$WORK/landscape.ts" 1 || fail "too small a duration: $(cat "$WORK/short-room.log")"
grep -q "the moov outgrew its room" "$WORK/short-room.log" || fail "no room: $(cat "$WORK/short-room.log")"
# Six times as long, said to be 1 s: libavformat's room from that is too small as well (its
# 64 KiB of slack covered the minute above); its trailer says so (a flag, not its words) and a
# second pass writes the file with +faststart.
for _ in 1 2 3 4 5 6; do cat "$WORK/landscape.ts"; done >"$WORK/six.ts"
remux six-room "$WORK/six.ts" 1 || fail "six minutes in 1 s of room: $(cat "$WORK/six-room.log")"
grep -q "the moov estimate was too small; remuxing again" "$WORK/six-room.log" ||
    fail "no second pass: $(cat "$WORK/six-room.log")"
[ "$(probe "$WORK/six-room.mp4" stream=codec_type | tr '\n' ' ')" = "codec_type=video codec_type=audio " ] ||
    fail "six minutes: $(probe "$WORK/six-room.mp4" stream=codec_name,codec_type)"
rm -f "$WORK/six.ts" "$WORK/six-room.mp4"
same_packets "$WORK/short-room.mp4" "$WORK/landscape-lavf.mp4" 0
head -c 100000 /dev/urandom >"$WORK/noise.ts"
! remux noise "$WORK/noise.ts" 60 || fail "noise made an MP4"
grep -q "libavformat instead" "$WORK/noise.log" || fail "noise: $(cat "$WORK/noise.log")"
[ ! -e "$WORK/noise.mp4" ] || fail "noise left an output"
ok "MP2 audio, a moov outgrowing its room (twice: then +faststart), noise: left to libavformat, which copes or refuses"

# 5. Lost data: a second of TS packets missing is the same error either way.
size=$(stat -c %s "$WORK/landscape.ts")
cut_at=$((size / 2 / 188 * 188))
{ head -c "$cut_at" "$WORK/landscape.ts"; tail -c +$((cut_at + 188 * 4000 + 1)) "$WORK/landscape.ts"; } >"$WORK/hole.ts"
! remux hole "$WORK/hole.ts" 60 || fail "a hole made an MP4"
grep -q "a hole in the" "$WORK/hole.log" || fail "hole not declined: $(cat "$WORK/hole.log")"
grep -q "damaged" "$WORK/hole.log" || fail "hole: $(cat "$WORK/hole.log")"
[ ! -e "$WORK/hole.mp4" ] || fail "the hole left an output"
ok "a hole in the stream: declined, and libavformat's pass calls it damaged"

# 6. Chapters from a description: the own path writes them (chpl and a chapter track) so that
# they read back as libavformat's do, in MP4 and MKV; the titles byte for byte, the times to
# the millisecond; the audio and video as without them.
desc=$'Таймкоды:\n0:00 Вступление\n0:20 Основная часть\n0:45 Итоги 🎬\n\nПодписывайтесь!'
want=$'0.000000,20.000000,Вступление\n20.000000,45.000000,Основная часть\n45.000000,60.000000,Итоги 🎬'
chapters_of() {
    ffprobe -v error -show_entries chapter=start_time,end_time:chapter_tags=title -of csv=p=0 "$1"
}
remux chapters "$WORK/landscape.ts" 60 --chapters "$desc" || { cp "$WORK/chapters.log" "$WORK/log"; fail "chapters: own path failed"; }
! grep -q "libavformat instead" "$WORK/chapters.log" || fail "chapters declined: $(cat "$WORK/chapters.log")"
remux chapters-lavf "$WORK/landscape.ts" 60 --libavformat --chapters "$desc" || fail "chapters: $(cat "$WORK/chapters-lavf.log")"
"$REMUX" --mkv --chapters "$desc" "$WORK/landscape.ts" "$WORK/chapters.mkv" 60 >"$WORK/chapters-mkv.log" 2>&1 ||
    fail "chapters in MKV: $(cat "$WORK/chapters-mkv.log")"
for f in chapters.mp4 chapters-lavf.mp4 chapters.mkv; do
    [ "$(chapters_of "$WORK/$f")" = "$want" ] || fail "$f's chapters: $(chapters_of "$WORK/$f" | tr '\n' ';')"
done
for f in chapters.mp4 chapters-lavf.mp4; do
    [ "$(probe "$WORK/$f" stream=codec_type | tr '\n' ' ')" = "codec_type=video codec_type=audio codec_type=data " ] ||
        fail "$f: no chapter track: $(probe "$WORK/$f" stream=codec_type)"
done
av_packets() { ffmpeg -nostdin -v error -i "$1" -map 0:v -map 0:a -c copy -f framemd5 - | grep -v '^#'; }
[ "$(av_packets "$WORK/chapters.mp4")" = "$(av_packets "$WORK/landscape.mp4")" ] || fail "chapters changed the streams"
plays "$WORK/chapters.mp4"
[ "$(probe "$WORK/chapters.mp4" format=duration)" = "$(probe "$WORK/landscape.mp4" format=duration)" ] ||
    fail "chapters changed the duration: $(probe "$WORK/chapters.mp4" format=duration)"
ok "chapters: the own MP4, libavformat's MP4 and MKV read back the same three, Cyrillic and emoji exact; streams unchanged"

# Chapters past the stream's end (the video info said 90 s of a 60 s stream) are left out,
# and the last one ends with the stream, not later: a player would show a longer video.
remux late "$WORK/landscape.ts" 90 --chapters $'0:00 Раз\n0:30 Два\n1:10 После конца' ||
    fail "late chapters: $(cat "$WORK/late.log")"
end=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$WORK/landscape.mp4")
[ "$(chapters_of "$WORK/late.mp4" | tr '\n' ';')" = "0.000000,30.000000,Раз;30.000000,$end,Два;" ] ||
    fail "late chapters: $(chapters_of "$WORK/late.mp4" | tr '\n' ';')"
[ "$(probe "$WORK/late.mp4" format=duration)" = "$(probe "$WORK/landscape.mp4" format=duration)" ] ||
    fail "late chapters made the movie longer: $(probe "$WORK/late.mp4" format=duration)"
ok "chapters past the stream's end: dropped, the last ends with the stream"

echo "1..$CHECKS"
