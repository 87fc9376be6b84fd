#!/usr/bin/env bash
# CPU per GiB of librutube's remux of HEVC and of AV1, beside `ffmpeg -c copy` on the same input.
#   bench/codecs.sh [--runs N]     (N default 5)
# Inputs (bench/make-codecs-media.sh, made once): HEVC + AAC in MPEG-TS and AV1 + AAC as an
# fMP4 rendition (init + fragments), each >= 1 GiB, joined as a download's .part is. Each run
# times, under /usr/bin/time, tests/remux/remux-file (one rt__mux_run(), as a download ends
# with) and ffmpeg making the same kind of MP4 (moov first; HEVC tagged hvc1), the order
# swapped every run, and checks every output with ffprobe; a wrong output stops the benchmark.
# Prints and writes bench/RESULTS-codecs.md: medians of CPU (user + sys) per GiB of input,
# wall, and librutube ÷ ffmpeg.
# Environment: BUILD (build), BENCH_CODECS (/tmp/rtdl-bench-codecs: media/ and run/),
# BENCH_CODECS_MIB (1024), BENCH_RESULTS (bench/RESULTS-codecs.md).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$ROOT" && cd "${BUILD:-build}" && pwd)
CODECS=${BENCH_CODECS:-/tmp/rtdl-bench-codecs}
MEDIA="$CODECS/media"
RESULTS=${BENCH_RESULTS:-$ROOT/bench/RESULTS-codecs.md}
RUNS=5

die() { echo "bench-codecs: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) RUNS=${2:?}; shift ;;
    --runs=*) RUNS=${1#*=} ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[ "$RUNS" -ge 1 ] 2>/dev/null || die "--runs wants a number >= 1"
for tool in /usr/bin/time ffmpeg ffprobe jq bc od; do
    command -v "$tool" >/dev/null || die "$tool is missing: run bench/setup.sh"
done

# The one target this needs; a snapshot of it, since others may rebuild build/ meanwhile
# (remux-file links librutube statically, so the binary alone is the snapshot).
out=$(ninja -C "$BUILD" tests/remux/remux-file 2>&1) || { echo "$out" >&2; die "could not build remux-file"; }
started=$(date +%s)
"$ROOT/bench/make-codecs-media.sh" "$MEDIA" || die "could not make the media"
GEN_WALL=$(($(date +%s) - started))
RUN="$CODECS/run"
rm -rf "${RUN:?}" "${CODECS:?}/bin" && mkdir -p "$RUN" "$CODECS/bin"
cp "$BUILD/tests/remux/remux-file" "$CODECS/bin/"
REMUX="$CODECS/bin/remux-file"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
calc() { echo "scale=6; $*" | bc -l | sed 's/^\./0./; s/^-\./-0./'; }
quote() { local a out=; for a in "$@"; do out+="$(printf '%q' "$a") "; done; echo "${out% }"; }
info() { sed -n "s/^$2=//p" "$MEDIA/$1.info"; } # CODEC KEY

# The top-level boxes of an MP4, in order: the check that moov comes before mdat.
top_boxes() {
    local f=$1 off=0 total hex size n=0
    total=$(stat -c %s "$f")
    while [ "$off" -lt "$total" ] && [ $((n += 1)) -le 32 ]; do
        hex=$(od -An -N16 -j"$off" -tx1 "$f" | tr -d ' \n')
        size=$((16#${hex:0:8}))
        [ "$size" = 1 ] && size=$((16#${hex:16:16})) # 64-bit size follows the type
        [ "$size" = 0 ] && size=$((total - off))     # to the end of the file
        printf '%b ' "\\x${hex:8:2}\\x${hex:10:2}\\x${hex:12:2}\\x${hex:14:2}"
        [ "$size" -ge 8 ] || break
        off=$((off + size))
    done
}

# check CODEC FILE: the output against the input's codecs, packet counts and playlist
# duration; HEVC tagged hvc1; moov first; a plausible size. Sets NOTE (empty: correct).
check() {
    local codec=$1 f=$2 j vc vt vp ac ap d bytes boxes
    NOTE=
    [ -s "$f" ] || { NOTE="no output"; return; }
    j=$(ffprobe -v error -count_packets -show_entries \
        format=duration:stream=codec_type,codec_name,codec_tag_string,nb_read_packets -of json "$f") ||
        { NOTE="ffprobe cannot read it"; return; }
    read -r vc vt vp ac ap d < <(jq -r '[(.streams | map(select(.codec_type == "video"))[0] // {}) as $v
        | (.streams | map(select(.codec_type == "audio"))[0] // {}) as $a
        | $v.codec_name, $v.codec_tag_string, $v.nb_read_packets, $a.codec_name, $a.nb_read_packets,
          .format.duration] | map(. // "-") | @tsv' <<<"$j")
    bytes=$(stat -c %s "$f")
    boxes=$(top_boxes "$f")
    [ "$vc" = "$(info "$codec" video_codec)" ] || NOTE+="video codec $vc; "
    [ "$codec" != hevc ] || [ "$vt" = hvc1 ] || NOTE+="tag $vt, not hvc1; "
    [ "$vp" = "$(info "$codec" video_packets)" ] || NOTE+="$vp video packets of $(info "$codec" video_packets); "
    [ "$ac" = aac ] || NOTE+="audio codec $ac; "
    [ "$ap" = "$(info "$codec" audio_packets)" ] || NOTE+="$ap audio packets of $(info "$codec" audio_packets); "
    [ "$d" != - ] && [ "$(calc "x = $d - $(info "$codec" duration); if (x < 0) x = -x; x <= 0.5")" = 1 ] ||
        NOTE+="$d s, the playlist says $(info "$codec" duration) s; "
    # Stream copy: the same payload in another container (TS packetisation is ~3 % more).
    [ "$(calc "$bytes >= 0.9 * $(info "$codec" bytes) && $bytes <= 1.02 * $(info "$codec" bytes)")" = 1 ] ||
        NOTE+="$bytes bytes for $(info "$codec" bytes) in; "
    [[ "$boxes" == *moov*mdat* ]] || NOTE+="boxes $boxes(moov not before mdat); "
    NOTE=${NOTE%; }
}

# measure CODEC TOOL RUN CMD...: CMD under /usr/bin/time (the child's user and sys CPU, its
# wall and peak RSS), output checked, the figures appended to $RUN/rec.tsv.
measure() {
    local codec=$1 tool=$2 r=$3 tag="$RUN/$1-$2-$3" rc=0 wall user sys rss
    shift 3
    sync # the previous run's dirty pages are not this run's write-back
    /usr/bin/time -f '%e %U %S %M' -o "$tag.time" "$@" </dev/null >"$tag.log" 2>&1 || rc=$?
    [ "$rc" = 0 ] || die "$codec $tool run $r exited $rc: $(tail -n 5 "$tag.log")"
    read -r wall user sys rss < <(tail -n1 "$tag.time")
    check "$codec" "$OUT"
    [ -z "$NOTE" ] || die "$codec $tool run $r wrote a wrong file ($OUT kept): $NOTE"
    rm -f "$OUT"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$codec" "$tool" "$r" "$wall" "$user" "$sys" \
        "$(calc "$user + $sys")" "$rss" >>"$RUN/rec.tsv"
    printf '  %-4s run %s %-9s wall %6.2f s  user %6.2f s  sys %5.2f s  rss %6.1f MiB  correct\n' \
        "$codec" "$r" "$tool" "$wall" "$user" "$sys" "$(calc "$rss / 1024")"
}

input() { [ "$1" = hevc ] && echo "$MEDIA/hevc.ts" || echo "$MEDIA/av1.fmp4"; }
# The commands, one word per line so they can be run and written down alike.
rtdl_cmd() { # CODEC OUT
    printf '%s\n' "$REMUX"
    [ "$1" = av1 ] && printf '%s\n' --fragmented
    printf '%s\n' "$(input "$1")" "$2" "$(info "$1" duration)"
}
ffmpeg_cmd() { # CODEC OUT
    printf '%s\n' ffmpeg -nostdin -v error -i "$(input "$1")" -c copy
    [ "$1" = hevc ] && printf '%s\n' -tag:v hvc1
    printf '%s\n' -movflags +faststart -y "$2"
}

STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$RUN/rec.tsv"
echo "bench-codecs: $RUNS runs; inputs in $MEDIA; work in $RUN"
declare -A PATHS
for codec in hevc av1; do
    # One untimed run first: it reads the input into the page cache (every timed run then
    # starts from the same warm cache) and, with glibc's LD_DEBUG=files, shows whether
    # libavformat was loaded: the log names the path librutube took.
    OUT="$RUN/$codec-warm.mp4"
    mapfile -t cmd < <(rtdl_cmd "$codec" "$OUT")
    LD_DEBUG=files "${cmd[@]}" >"$RUN/$codec-warm.log" 2>&1 || die "$codec warm-up: $(grep -v '^ *[0-9]*:' "$RUN/$codec-warm.log" | tail -n 5)"
    check "$codec" "$OUT"
    [ -z "$NOTE" ] || die "$codec warm-up wrote a wrong file: $NOTE"
    rm -f "$OUT"
    why=$(sed -n 's/^remux-file: remuxing with libavformat instead: //p' "$RUN/$codec-warm.log" | head -n1)
    lavf=
    if grep -q 'file=libavformat\S* .*dynamically loaded by' "$RUN/$codec-warm.log"; then
        lavf=$(sed -n 's/.*needed by \(\S*libavformat\S*\) .*/\1/p' "$RUN/$codec-warm.log" | head -n1)
        lavf=${lavf:-libavformat}
    fi
    if [ -n "$why" ]; then
        PATHS[$codec]="libavformat (the log: \"remuxing with libavformat instead: $why\")"
    elif [ -n "$lavf" ]; then
        PATHS[$codec]="libavformat (no own-writer attempt: --fragmented input; $lavf loaded)"
    else
        PATHS[$codec]="librutube's own MP4 writer (libavformat not loaded)"
    fi
    LAVF=${lavf:-${LAVF:-}}
    echo "  $codec: $(info "$codec" bytes) bytes; librutube's path: ${PATHS[$codec]}"
done
for r in $(seq "$RUNS"); do
    for codec in hevc av1; do
        OUT="$RUN/$codec-out.mp4"
        mapfile -t rt < <(rtdl_cmd "$codec" "$OUT")
        mapfile -t ff < <(ffmpeg_cmd "$codec" "$OUT")
        if [ $((r % 2)) = 1 ]; then # who goes first swaps every run
            measure "$codec" librutube "$r" "${rt[@]}"
            measure "$codec" ffmpeg "$r" "${ff[@]}"
        else
            measure "$codec" ffmpeg "$r" "${ff[@]}"
            measure "$codec" librutube "$r" "${rt[@]}"
        fi
    done
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
FINISHED=$(date +%s)

# ---------------------------------------------------------------- the report
med() { awk -F'\t' -v c="$1" -v t="$2" -v k="$3" '$1 == c && $2 == t { print $k }' "$RUN/rec.tsv" | median; }
fmt() { printf "%.${2:-2}f" "$1"; }
gib() { calc "$(info "$1" bytes) / 1073741824"; }
title() { [ "$1" = hevc ] && echo "HEVC + AAC, MPEG-TS → MP4" || echo "AV1 + AAC, fMP4 (init + fragments) → MP4"; }
cpu_gib() { calc "$(med "$1" "$2" 7) / $(gib "$1")"; } # CODEC TOOL
summary_row() { # CODEC
    local rc fc
    rc=$(cpu_gib "$1" librutube)
    fc=$(cpu_gib "$1" ffmpeg)
    echo "| $(title "$1") | $(fmt "$rc" 3) | $(fmt "$fc" 3) | **$(fmt "$(calc "$rc / $fc")")** | $(fmt "$(med "$1" librutube 4)") / $(fmt "$(med "$1" ffmpeg 4)") |"
}
runs_of() { awk -F'\t' -v c="$1" -v t="$2" '$1 == c && $2 == t { printf "%s%s", n++ ? ", " : "", $7 }' "$RUN/rec.tsv"; }
report_codec() { # CODEC
    local c=$1 g fc cpu t
    g=$(gib "$c")
    fc=$(cpu_gib "$c" ffmpeg)
    echo "### $(title "$c")"
    echo
    echo "Input \`$(input "$c")\`: $(info "$c" bytes) bytes ($(fmt "$g" 3) GiB), $(info "$c" segments) segments of 4 s, $(info "$c" duration) s by the playlist, $(info "$c" video_packets) video + $(info "$c" audio_packets) audio packets."
    echo
    echo "librutube's path: ${PATHS[$c]}.$( [ "$c" = hevc ] && echo " The timed runs' logs: that line in $(grep -l 'remuxing with libavformat instead' "$RUN"/hevc-librutube-*.log | wc -l) of $RUNS.")"
    echo
    echo "| tool | CPU s/GiB | ÷ ffmpeg | user+sys s | user s | sys s | wall s | peak RSS MiB | correct |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    for t in librutube ffmpeg; do
        cpu=$(cpu_gib "$c" $t)
        echo "| $t | $(fmt "$cpu" 3) | $(fmt "$(calc "$cpu / $fc")") | $(fmt "$(med "$c" $t 7)") | $(fmt "$(med "$c" $t 5)") | $(fmt "$(med "$c" $t 6)") | $(fmt "$(med "$c" $t 4)") | $(fmt "$(calc "$(med "$c" $t 8) / 1024")" 1) | $RUNS of $RUNS |"
    done
    echo
    echo "user+sys s per run: librutube $(runs_of "$c" librutube); ffmpeg $(runs_of "$c" ffmpeg)."
    echo
}
{
    echo "# Benchmark results: HEVC and AV1 remux, CPU per GiB"
    echo
    echo "Written by \`bench/codecs.sh --runs $RUNS\` on $STARTED (load average at start: $LOAD0; at the end: $LOAD1). Medians of $RUNS runs per tool, after one untimed warm-up run per input; who goes first swapped every run; \`sync\` (untimed) before each run. This run took $((FINISHED - started)) s, $GEN_WALL s of it making or finding the inputs; they were made on $(cat "$MEDIA/.made-in" 2>/dev/null || echo '?') by \`bench/make-codecs-media.sh\`."
    echo
    echo "## Machine"
    echo
    echo "- $(uname -srm); $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1); $(nproc) cores; $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM"
    echo "- disk of $CODECS: $(df -h --output=source,fstype,size "$CODECS" | tail -n1 | xargs)$(d=$(df --output=source "$CODECS" | tail -n1); b=$(basename "$d"); [ -r "/sys/block/$b/queue/rotational" ] && { [ "$(cat "/sys/block/$b/queue/rotational")" = 0 ] && echo ", not rotational" || echo ", rotational"; })"
    echo "- inputs read from the page cache (warm); outputs written to the same disk"
    echo
    echo "## Versions"
    echo
    echo "- librutube: tests/remux/remux-file, tree $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ', with uncommitted changes'); libavformat it loaded: ${LAVF:-none} ($(readlink -f "${LAVF:-/nonexistent}" 2>/dev/null | xargs -r basename))"
    echo "- ffmpeg: $(ffmpeg -version 2>/dev/null | head -n1 | cut -d' ' -f1-3); $(ffmpeg -version 2>/dev/null | sed -n 's/^\(libavformat\) *\(.*\) \/.*/\1 \2/p')"
    echo
    echo "## Summary"
    echo
    echo "CPU s/GiB: median user+sys CPU seconds of the process ÷ GiB of input. ratio: librutube ÷ ffmpeg (below 1: librutube spends less)."
    echo
    echo "| remux | librutube CPU s/GiB | ffmpeg -c copy CPU s/GiB | ratio | wall s, librutube / ffmpeg |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    summary_row hevc
    summary_row av1
    echo
    echo "## Results"
    echo
    echo "user, sys, wall, peak RSS: /usr/bin/time's, medians. correct: every output checked with ffprobe: the input's video codec and AAC, HEVC tagged hvc1, the input's video and audio packet counts, duration within 0.5 s of the playlist's, moov before mdat, 0.9 to 1.02 × the input's bytes. librutube's wall includes its fdatasync() of the output (ffmpeg does not sync)."
    echo
    report_codec hevc
    report_codec av1
    echo "## Inputs"
    echo
    echo "Made once by \`bench/make-codecs-media.sh\` into $MEDIA (reused while \`.made-by\` matches): a 16 s 1920x1080 25 fps clip (\`testsrc2\` + temporal noise) encoded per codec at 4 Mb/s with a keyframe every 4 s (libx265 \`-preset ultrafast\`; libsvtav1 \`-preset 12\`), looped with \`-stream_loop\`, AAC 128 kb/s 44.1 kHz stereo encoded for the whole length, cut by ffmpeg's HLS muxer into 4 s segments (MPEG-TS; fMP4 with an init section), then joined in playlist order (TS: the segments; fMP4: init.mp4 then the .m4s fragments). The segments are deleted once joined."
    echo
    echo "## Exact commands"
    echo
    echo '```'
    for c in hevc av1; do
        echo "$c librutube: $(mapfile -t a < <(rtdl_cmd "$c" "$RUN/$c-out.mp4"); quote "${a[@]}")"
        echo "$c ffmpeg:    $(mapfile -t a < <(ffmpeg_cmd "$c" "$RUN/$c-out.mp4"); quote "${a[@]}")"
    done
    echo "each under: /usr/bin/time -f '%e %U %S %M' -o <run>.time <command>, after sync; warm-up: LD_DEBUG=files <librutube command>"
    echo '```'
} >"$RESULTS"
sed -n '/^## Summary/,/^## Results/p' "$RESULTS" | sed '$d'
echo "bench-codecs: wrote $RESULTS"
