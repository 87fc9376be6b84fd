#!/usr/bin/env bash
# How closely each tool keeps a speed limit, on the same stream from the fake RuTube:
#   bench/limit-rate.sh [--runs R] [--limit RATE] [--segments N] [--quick]
# rutube-dl --limit-rate for one video and for three at once (-J 3, one limit for all), against
# curl --limit-rate (the segments one after another, and 16 at once with -Z), aria2c
# --max-overall-download-limit (-j 16) and yt-dlp --limit-rate (-N 16, and one fragment at a
# time), all to the same limit (default 4M = 4 MiB/s) on an unshaped loopback, where the limit
# is the only brake. Each tool runs R times (default 5), the order rotated each run, each run
# against a fresh fake, and is measured as
#   over the transfers: every body byte the fake sent / the time from the first segment request
#                       (the fake's --log) to the tool's end; start-up and API calls left out
#   over the run:       the same bytes / the tool's whole wall time
# each as a share of the limit (1.00 = exactly the limit), medians of the runs; every output is
# checked against the real segments (sha256). (The bytes are counted where they leave the fake:
# how they went over time is not, since on the loopback the kernel's socket buffers take whole
# segments at once, whatever the client reads.) Also rutube-dl's CPU time for the same bytes with
# no limit and with one that never binds (--limit-rate 100G): the cost of the limiter itself;
# with BENCH_BASE_RTDL=<a rutube-dl built before it>, that one's too.
# Writes bench/RESULTS-limit-rate.md ($BENCH_RESULTS). Set up as for run.sh (bench/setup.sh).
# Environment: BUILD (build), BENCH_MEDIA (/tmp/rtdl-bench-media), BENCH_WORK
# (/tmp/rtdl-bench-limit), BENCH_TIMEOUT (seconds per run, 300).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$ROOT" && cd "${BUILD:-build}" && pwd)
MEDIA=${BENCH_MEDIA:-/tmp/rtdl-bench-media}
WORK=${BENCH_WORK:-/tmp/rtdl-bench-limit}
TIMEOUT=${BENCH_TIMEOUT:-300}
RESULTS=${BENCH_RESULTS:-$ROOT/bench/RESULTS-limit-rate.md}
RUNS=5
LIMIT_TEXT=4M
N=45
ID=2ce725b3dc1a243f8456458975ecd872 # the catalog's main video, and two more of the same media:
E1=7051fd5f383fe1790f47befd77a1f5f0 # «Пальцы. 1 серия»
E2=aa5e56b2550539c8c4f46f28d82cf4c3 # «Пальцы. 2 серия»
UA='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
JOBS=16

die() { echo "bench: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) RUNS=1; N=15 ;;
    --runs) RUNS=${2:?}; shift ;;
    --runs=*) RUNS=${1#*=} ;;
    --limit) LIMIT_TEXT=${2:?}; shift ;;
    --limit=*) LIMIT_TEXT=${1#*=} ;;
    --segments) N=${2:?}; shift ;;
    --segments=*) N=${1#*=} ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[ "$RUNS" -ge 1 ] 2>/dev/null || die "--runs wants a number >= 1"
[ "$N" -ge 3 ] 2>/dev/null && [ $((N % 3)) = 0 ] || die "--segments wants a multiple of 3 (three videos get a third each)"
# The limit in bytes a second, as rutube-dl, curl, aria2c and yt-dlp all read K and M: 1024s.
LIMIT=$(awk -v t="$LIMIT_TEXT" 'BEGIN { u = toupper(substr(t, length(t))); n = t + 0
    m = u == "K" ? 1024 : u == "M" ? 1048576 : u == "G" ? 1073741824 : 1; printf "%d", n * m }')
[ "$LIMIT" -gt 0 ] || die "--limit $LIMIT_TEXT is not a rate"

for tool in /usr/bin/time jq bc curl; do
    command -v "$tool" >/dev/null || die "$tool is missing: run bench/setup.sh"
done
[ -x "$BUILD/cli/rutube-dl" ] && [ -x "$BUILD/tests/fake-rutube/fake-rutube" ] ||
    die "no binaries in $BUILD: run bench/setup.sh"
"$ROOT/bench/make-media.sh" "$MEDIA" "$BUILD" || die "could not make the media"
mapfile -t SEGFILES < <(find "$MEDIA/landscape/1280x712" -name 'seg-*.ts' | sort)
COST_N=$((N * 10))
[ "$COST_N" -le "${#SEGFILES[@]}" ] || die "$COST_N segments wanted, the media has ${#SEGFILES[@]}"

# A snapshot of the binaries: others may rebuild build/ while this runs.
rm -rf "$WORK" && mkdir -p "$WORK/bin" "$WORK/lib" "$WORK/rec" || die "cannot make $WORK"
cp "$BUILD/cli/rutube-dl" "$BUILD/tests/fake-rutube/fake-rutube" "$WORK/bin/"
find "$BUILD/lib" -maxdepth 1 -name 'librutube.so*' ! -type d -exec cp -P {} "$WORK/lib/" \;
RTDL="$WORK/bin/rutube-dl"
FAKE="$WORK/bin/fake-rutube"
BASE=${BENCH_BASE_RTDL:-}
[ -z "$BASE" ] || [ -x "$BASE" ] || die "BENCH_BASE_RTDL=$BASE is not a program"

FAKE_PID=
cleanup() { [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; }
trap cleanup EXIT
trap 'exit 130' INT TERM
# median, calc, fmt, quote, start_fake, stop_fake, discover
source "$ROOT/bench/lib.sh"

sha_of_first() { # N -> sha256 of the first N real segments, cached
    local f="$WORK/rec/expect-$1.sha"
    [ -f "$f" ] || cat "${SEGFILES[@]:0:$1}" | sha256sum | cut -d' ' -f1 >"$f"
    cat "$f"
}
check() { # FILE N -> y or a note
    [ -s "$1" ] || { echo "no output"; return; }
    [ "$(sha256sum <"$1" | cut -d' ' -f1)" = "$(sha_of_first "$2")" ] && echo y ||
        echo "bytes differ ($(stat -c %s "$1") B)"
}

# The tools, by label: what each runs (an array named after the label, built per run since the
# fake's addresses change), the segments per video and the videos.
LABELS=(rutube-dl rutube-dl-J3 curl curl-Z aria2c yt-dlp yt-dlp-N1)
describe() {
    case $1 in
    rutube-dl) echo "rutube-dl -j $JOBS --limit-rate $LIMIT_TEXT, one video" ;;
    rutube-dl-J3) echo "rutube-dl -J 3 -j $JOBS --limit-rate $LIMIT_TEXT, three videos at once" ;;
    curl) echo "curl --limit-rate $LIMIT_TEXT, the segments one after another" ;;
    curl-Z) echo "curl -Z --parallel-max $JOBS --limit-rate $LIMIT_TEXT" ;;
    aria2c) echo "aria2c -j $JOBS --max-overall-download-limit=$LIMIT_TEXT" ;;
    yt-dlp) echo "yt-dlp -N $JOBS --limit-rate $LIMIT_TEXT" ;;
    yt-dlp-N1) echo "yt-dlp --limit-rate $LIMIT_TEXT (one fragment at a time)" ;;
    esac
}
segments_for() { [ "$1" = rutube-dl-J3 ] && echo $((N / 3)) || echo "$N"; }

# run_one LABEL SEGMENTS TAG [ARGS...]: one measured run against a fresh fake; appends
# "label tag run wall cpu bytes span ok" to $WORK/rec/runs.tsv (span: seconds from the first
# segment request to the tool's end).
run_one() {
    local label=$1 n=$2 tag=$3 out="$RUN/out" cmd=() post=() files=()
    shift 3
    rm -rf "$out" && mkdir -p "$out"
    local fake_t0
    fake_t0=$(date +%s.%N)
    start_fake --segments "$n" --log "$RUN/requests.log"
    discover || die "$label: could not read the fake's playlists (see $RUN)"
    case $label in
    rutube-dl* | nolimit* | nobind* | base*)
        local exe=$RTDL ids=("$ID")
        [ "$label" = rutube-dl-J3 ] && ids=("$ID" "$E1" "$E2")
        [ "$label" = base-nolimit ] && exe=$BASE
        cmd=("$exe" --ignore-config --api-base "$API" -j "$JOBS" -q best --container ts --quiet
            -J "${#ids[@]}" -o "$out" -O "%(id)s.%(ext)s" "$@" "${ids[@]}")
        for id in "${ids[@]}"; do files+=("$out/$id.ts"); done
        ;;
    curl)
        awk '{ printf "url = \"%s\"\n", $0 }' "$RUN/urls" >"$RUN/curl.cfg"
        cmd=(sh -c 'exec curl -sS --fail --limit-rate "$1" -K "$2" >"$3"' curl "$LIMIT_TEXT" "$RUN/curl.cfg" "$out/out.ts")
        files=("$out/out.ts")
        ;;
    curl-Z)
        awk '{ printf "url = \"%s\"\noutput = \"seg-%05d.ts\"\n", $0, NR }' "$RUN/urls" >"$RUN/curlz.cfg"
        cmd=(sh -c 'cd "$1" && exec curl -sS --fail -Z --parallel-max "$2" --limit-rate "$3" -K "$4"' curl "$out" "$JOBS" "$LIMIT_TEXT" "$RUN/curlz.cfg")
        post=(sh -c 'cd "$1" && cat seg-*.ts >out.ts && rm -f seg-*.ts' concat "$out")
        files=("$out/out.ts")
        ;;
    aria2c)
        awk '{ printf "%s\n  out=seg-%05d.ts\n", $0, NR }' "$RUN/urls" >"$RUN/aria2.list"
        cmd=(aria2c -j "$JOBS" -x 1 --file-allocation=none --max-tries=10 --retry-wait=1
            --max-overall-download-limit="$LIMIT_TEXT" --console-log-level=error --summary-interval=0
            --download-result=hide -d "$out" -i "$RUN/aria2.list")
        post=(sh -c 'cd "$1" && cat seg-*.ts >out.ts && rm -f seg-*.ts' concat "$out")
        files=("$out/out.ts")
        ;;
    yt-dlp | yt-dlp-N1)
        local fragments=$JOBS
        [ "$label" = yt-dlp-N1 ] && fragments=1
        cmd=(yt-dlp -N "$fragments" --limit-rate "$LIMIT_TEXT" --hls-prefer-native --fixup never --no-part
            --no-progress --no-cache-dir --user-agent "$UA" --add-header "Referer:https://rutube.ru/"
            --add-header "Origin:https://rutube.ru" -o "$out/out.ts" "$MASTER")
        files=("$out/out.ts")
        ;;
    esac
    command -v "${cmd[0]}" >/dev/null || { stop_fake; echo "  $label: not installed"; return; }
    [ "$R" = 1 ] && [ "$tag" = limit ] && echo "$label: $(quote "${cmd[@]}")" >>"$WORK/rec/cmds"
    local t0 t1 rc
    t0=$(date +%s.%N)
    /usr/bin/time -f '%U %S' -o "$RUN/time" timeout -k 10 "$TIMEOUT" "${cmd[@]}" </dev/null >"$RUN/log" 2>&1
    rc=$?
    t1=$(date +%s.%N)
    stop_fake
    [ ${#post[@]} -eq 0 ] || "${post[@]}" >>"$RUN/log" 2>&1
    local wall cpu bytes ok=y note
    wall=$(calc "$t1 - $t0")
    cpu=$(awk '{ print $1 + $2 }' "$RUN/time" 2>/dev/null)
    bytes=$(jq -r '.segment_bytes' "$RUN/stats.json" 2>/dev/null || echo 0)
    for f in "${files[@]}"; do
        note=$(check "$f" "$n")
        [ "$note" = y ] || ok=$note
    done
    [ "$rc" = 0 ] || ok="exit $rc; $ok"
    # The fake's clock starts with it; its log says when the first segment was asked for.
    local first span
    first=$(awk -F'\t' '$3 ~ /\/segment-[0-9]+-/ && $NF != "" { if (m == "" || $NF < m) m = $NF } END { print m }' "$RUN/requests.log")
    span=-
    [ -n "$first" ] && span=$(calc "$t1 - $fake_t0 - $first / 1000")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$tag" "$R" "$wall" "$cpu" "$bytes" "$span" "$ok" >>"$WORK/rec/runs.tsv"
    printf '  run %s %-14s %-6s %7.2f s  %9s B  transfers %6.3f×  run %6.3f×  cpu %5.2f s  %s\n' "$R" "$label" "$tag" \
        "$wall" "$bytes" "$( [ "$span" = - ] && echo 0 || calc "$bytes / $span / $LIMIT")" "$(calc "$bytes / $wall / $LIMIT")" "$cpu" "$ok"
}

STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
BYTES_N=$(stat -c %s "${SEGFILES[@]:0:$N}" | awk '{ b += $1 } END { print b }')
echo "bench: limit $LIMIT_TEXT = $LIMIT B/s; $N segments ($BYTES_N bytes, $(calc "$BYTES_N / $LIMIT" | xargs printf '%.1f') s at the limit); runs $RUNS; work in $WORK"
: >"$WORK/rec/runs.tsv"
: >"$WORK/rec/cmds"
for ((R = 1; R <= RUNS; R++)); do
    k=$(((R - 1) % ${#LABELS[@]}))
    for label in "${LABELS[@]:k}" "${LABELS[@]:0:k}"; do
        RUN="$WORK/run/$label/$R"
        mkdir -p "$RUN"
        run_one "$label" "$(segments_for "$label")" limit --limit-rate "$LIMIT_TEXT"
    done
done
# The limiter's own cost: ten times the bytes (so that the CPU time is large enough to compare)
# with no limit and with one that never binds; more runs, each order in turn, since a shared
# machine's CPU times wander.
COSTS=(nolimit nobind ${BASE:+base-nolimit})
COST_RUNS=$((RUNS < 9 ? (RUNS == 1 ? 1 : 9) : RUNS))
for ((R = 1; R <= COST_RUNS; R++)); do
    k=$(((R - 1) % ${#COSTS[@]}))
    for label in "${COSTS[@]:k}" "${COSTS[@]:0:k}"; do
        RUN="$WORK/run/$label/$R"
        mkdir -p "$RUN"
        case $label in
        nobind) run_one "$label" "$COST_N" cost --limit-rate 100G ;;
        *) run_one "$label" "$COST_N" cost ;;
        esac
    done
done

# ---------------------------------------------------------------- the report
col() { # LABEL FIELD -> median of that field of runs.tsv over the runs
    awk -F'\t' -v l="$1" -v f="$2" '$1 == l && $f != "-" && $f != "" { print $f }' "$WORK/rec/runs.tsv" | median
}
share() { # LABEL FIELD -> median of bytes / that field (seconds) / limit
    awk -F'\t' -v l="$1" -v f="$2" -v lim="$LIMIT" '$1 == l && $f != "-" && $f > 0 { print $6 / $f / lim }' "$WORK/rec/runs.tsv" | median
}
correct() { # LABEL -> "y" or "k/R"
    awk -F'\t' -v l="$1" '$1 == l { n++; if ($8 == "y") ok++ } END { print (n && ok == n) ? "y" : sprintf("**%d/%d**", ok, n) }' "$WORK/rec/runs.tsv"
}
{
    echo "# Keeping a speed limit: rutube-dl --limit-rate against its peers"
    echo
    echo "Written by \`bench/limit-rate.sh --runs $RUNS --limit $LIMIT_TEXT --segments $N\` on $STARTED (load average at start: $LOAD0; $(nproc) cores, $(uname -sr)). Medians of $RUNS run(s) per tool, the order rotated each run, a fresh fake per run."
    echo
    echo "The stream: the first $N real 4 s segments of the bench media ($BYTES_N bytes; three videos get the first $((N / 3)) each), from the fake RuTube on the loopback with no shaping, so the limit is the only brake. The limit: **$LIMIT_TEXT = $LIMIT bytes a second** for every tool (each reads K and M as 1024s). At the limit these bytes take $(calc "$BYTES_N / $LIMIT" | xargs printf '%.2f') s."
    echo
    echo "- **over the transfers**: every body byte the fake sent ÷ the time from the first segment request (the fake's \`--log\`) to the tool's end, as a share of the limit: 1.00 is the limit, under it is within it. Start-up and API calls are left out, so a slow start (yt-dlp's Python) does not pass for accuracy."
    echo "- **over the run**: the same bytes ÷ the tool's whole wall time."
    echo
    echo "(Bytes are counted where they leave the fake, over the whole transfer: how they went second by second is not measured, because on the loopback the kernel's socket buffers take whole segments at once, whatever the client reads.)"
    echo
    echo "| tool | over the transfers | over the run | wall s | bytes sent | user+sys s | correct |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
    for label in "${LABELS[@]}"; do
        grep -q "^$label	" "$WORK/rec/runs.tsv" || { echo "| $(describe "$label") | not installed | | | | | |"; continue; }
        echo "| $(describe "$label") | $(fmt "$(share "$label" 7)") | $(fmt "$(share "$label" 4)") | $(fmt "$(col "$label" 4)") | $(col "$label" 6 | xargs printf '%.0f') | $(fmt "$(col "$label" 5)") | $(correct "$label") |"
    done
    echo
    echo "## What the limiter costs rutube-dl"
    echo
    echo "$COST_N segments ($(stat -c %s "${SEGFILES[@]:0:$COST_N}" | awk '{ b += $1 } END { printf "%.0f", b / 1048576 }') MiB) with no limit, and with \`--limit-rate 100G\` (the bucket is asked for every 16 KiB delivery but never runs dry), CPU time (user+sys), medians of $COST_RUNS runs:"
    echo
    echo "| rutube-dl | user+sys s | wall s | correct |"
    echo "| --- | ---: | ---: | --- |"
    for label in nolimit nobind ${BASE:+base-nolimit}; do
        case $label in
        nolimit) what="no limit" ;;
        nobind) what="--limit-rate 100G" ;;
        base-nolimit) what="no limit, built before --limit-rate ($BASE)" ;;
        esac
        echo "| $what | $(fmt "$(col "$label" 5)") | $(fmt "$(col "$label" 4)") | $(correct "$label") |"
    done
    echo
    echo "## Every run"
    echo
    echo "label, kind, run, wall s, user+sys s, body bytes sent, seconds from the first segment request to the end, correct:"
    echo
    echo '```'
    cat "$WORK/rec/runs.tsv"
    echo '```'
    echo
    echo "## Exact commands (run 1; the fake's ports change every run)"
    echo
    echo '```'
    cat "$WORK/rec/cmds"
    echo '```'
} >"$RESULTS"
echo "bench: wrote $RESULTS"
cat "$RESULTS" | sed -n '/^| tool/,/^$/p'
