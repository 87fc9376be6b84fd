#!/usr/bin/env bash
# rutube-dl against its peers on the fake RuTube, in shaped and unshaped scenarios.
#   bench/run.sh [--quick] [--runs R] [--scenarios wan,line,lan,long,faulty,mirror-down,mirror-refused]
# Each tool runs R times (default 3) per scenario, the tool order rotated one place each run,
# every run against a freshly started fake (same seed, same faults) under /usr/bin/time -v,
# into a fresh folder, its output then checked. Prints a table per scenario and writes
# bench/RESULTS.md. See bench/README.md for the scenarios and how the floors are computed.
# Environment: BUILD (build), BENCH_MEDIA (/tmp/rtdl-bench-media), BENCH_WORK
# (/tmp/rtdl-bench), BENCH_TIMEOUT (seconds per tool run, 900), BENCH_RESULTS (bench/RESULTS.md).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$ROOT" && cd "${BUILD:-build}" && pwd)
MEDIA=${BENCH_MEDIA:-/tmp/rtdl-bench-media}
WORK=${BENCH_WORK:-/tmp/rtdl-bench}
TIMEOUT=${BENCH_TIMEOUT:-900}
RESULTS=${BENCH_RESULTS:-$ROOT/bench/RESULTS.md}
RUNS=3
QUICK=0
SCENARIOS=wan,line,lan,long,faulty,mirror-down,mirror-refused
ID=2ce725b3dc1a243f8456458975ecd872 # the fake catalog's main video (media: landscape)
UA='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
JOBS=16

die() { echo "bench: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) QUICK=1; RUNS=1 ;;
    --runs) RUNS=${2:?}; shift ;;
    --runs=*) RUNS=${1#*=} ;;
    --scenarios) SCENARIOS=${2:?}; shift ;;
    --scenarios=*) SCENARIOS=${1#*=} ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[ "$RUNS" -ge 1 ] 2>/dev/null || die "--runs wants a number >= 1"

for tool in /usr/bin/time jq bc curl ffprobe; do
    command -v "$tool" >/dev/null || die "$tool is missing: run bench/setup.sh"
done
[ -x "$BUILD/cli/rutube-dl" ] && [ -x "$BUILD/tests/fake-rutube/fake-rutube" ] ||
    die "no binaries in $BUILD: run bench/setup.sh"
"$ROOT/bench/make-media.sh" "$MEDIA" "$BUILD" || die "could not make the media"
SEGDIR="$MEDIA/landscape/1280x712"
mapfile -t SEGFILES < <(find "$SEGDIR" -name 'seg-*.ts' | sort)
REAL=${#SEGFILES[@]}

# A snapshot of the binaries: others may rebuild build/ while the benchmark runs.
# The command finds librutube.so.0 at $ORIGIN/../lib, as in the build tree.
rm -rf "$WORK" && mkdir -p "$WORK/bin" "$WORK/lib" "$WORK/rec" "$WORK/expect" || die "cannot make $WORK"
cp "$BUILD/cli/rutube-dl" "$BUILD/tests/fake-rutube/fake-rutube" "$WORK/bin/"
cp -P "$BUILD"/lib/librutube.so* "$WORK/lib/"
RTDL="$WORK/bin/rutube-dl"
FAKE="$WORK/bin/fake-rutube"
FAKEHELP=$("$FAKE" --help 2>&1)
has_switch() { grep -q -- "$1" <<<"$FAKEHELP"; }

FAKE_PID=
cleanup() { [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- scenarios
# name | fake switches | segments (full) | segments (quick) | tools | needs switch
WAN="--latency 50 --rate 4000000"
PEERS="rutube-dl aria2c yt-dlp ffmpeg curl"
scenario_table() {
    cat <<EOF
wan|$WAN|160|40|$PEERS|
line|$WAN --total-rate 25000000|160|40|$PEERS|--total-rate
lan||320|80|rutube-dl rutube-dl-mp4 aria2c yt-dlp ffmpeg curl|
long-10min|$WAN|150|150|rutube-dl aria2c|
long-3h|$WAN|2700|600|rutube-dl aria2c|
faulty|$WAN --fail-503 3 --cut 2 --stall-head 1 --stall-head-ms 20000 --seed 7|160|40|$PEERS|--stall-head
mirror-down|$WAN --mirror-down 0|160|40|$PEERS|
mirror-refused|$WAN --mirror-refused 0|160|40|$PEERS|
EOF
}
wanted=",${SCENARIOS//long/long-10min,long-3h},"

# ---------------------------------------------------------------- helpers
# median, calc, fmt, quote, start_fake, stop_fake, discover
source "$ROOT/bench/lib.sh"

# The expected bytes of N segments: sha256 and size; and (when asked) ffprobe's duration and
# packet counts per stream of that stream, cached.
expect_sha() { # N
    local f="$WORK/expect/$1.sha"
    [ -f "$f" ] || cat "${SEGFILES[@]:0:$1}" | sha256sum | cut -d' ' -f1 >"$f"
    cat "$f"
}
probe() { # FILE -> "duration video_packets audio_packets"
    ffprobe -v error -count_packets -show_entries format=duration:stream=codec_type,nb_read_packets \
        -of json "$1" 2>/dev/null | jq -r '[.format.duration // "0",
            ([.streams[] | select(.codec_type == "video") | .nb_read_packets | tonumber] | add // 0),
            ([.streams[] | select(.codec_type == "audio") | .nb_read_packets | tonumber] | add // 0)] | @tsv'
}
expect_probe() { # N
    local f="$WORK/expect/$1.probe"
    if [ ! -f "$f" ]; then
        cat "${SEGFILES[@]:0:$1}" >"$WORK/expect/tmp.ts"
        probe "$WORK/expect/tmp.ts" >"$f"
        rm -f "$WORK/expect/tmp.ts"
    fi
    cat "$f"
}
check_bytes() { # FILE N -> sets OK, NOTE
    if [ ! -s "$1" ]; then OK=n; NOTE="no output"; return; fi
    if [ "$(sha256sum <"$1" | cut -d' ' -f1)" = "$(expect_sha "$2")" ]; then OK=y; NOTE=; else
        OK=n; NOTE="bytes differ ($(stat -c %s "$1") of $(cat "${SEGFILES[@]:0:$2}" | wc -c))"
    fi
}
check_probe() { # FILE N -> sets OK, NOTE: duration within 0.5 s, same packet counts
    if [ ! -s "$1" ]; then OK=n; NOTE="no output"; return; fi
    local got want
    got=$(probe "$1")
    want=$(expect_probe "$2")
    read -r gd gv ga <<<"$got"
    read -r wd wv wa <<<"$want"
    if [ "$(calc "d = $gd - $wd; if (d < 0) d = -d; d <= 0.5")" = 1 ] && [ "$gv" = "$wv" ] && [ "$ga" = "$wa" ]; then
        OK=y; NOTE=
    else
        OK=n; NOTE="probe: ${gd:-?} s, $gv video + $ga audio packets; expected $wd s, $wv + $wa"
    fi
}

# measure TAG CMD...: runs CMD under /usr/bin/time -v (and timeout) with stdout and stderr
# to $RUN/TAG.log; sets WALL (s, from date), USER, SYS (s), RSS (KiB), RC.
measure() {
    local tag=$1 t0 t1
    shift
    t0=$(date +%s.%N)
    /usr/bin/time -v -o "$RUN/$tag.time" timeout -k 10 "$TIMEOUT" "$@" </dev/null >"$RUN/$tag.log" 2>&1
    RC=$?
    t1=$(date +%s.%N)
    WALL=$(calc "$t1 - $t0")
    [ "$RC" = 124 ] && echo "timed out after ${TIMEOUT}s" >>"$RUN/$tag.log"
    USER=$(awk -F': ' '/User time/ { print $2 }' "$RUN/$tag.time")
    SYS=$(awk -F': ' '/System time/ { print $2 }' "$RUN/$tag.time")
    RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$RUN/$tag.time")
    : "${USER:=0}" "${SYS:=0}" "${RSS:=0}"
}

# run_tool TOOL N: one measured run of TOOL against the running fake; appends a record.
run_tool() {
    local tool=$1 n=$2 out="$RUN/out" extra=0 cmd=() cmd2=()
    rm -rf "$out" && mkdir -p "$out"
    NOTE=
    case "$tool" in
    rutube-dl | rutube-dl-mp4)
        local container=ts
        [ "$tool" = rutube-dl-mp4 ] && container=mp4
        # --ignore-config: the user's ~/.config/rutube-dl/config must not change the figures.
        cmd=("$RTDL" --ignore-config --api-base "$API" -j "$JOBS" -q best
            --container "$container" --quiet -o "$out" -O "out.%(ext)s" "$ID")
        ;;
    aria2c)
        awk '{ printf "%s\n  out=seg-%05d.ts\n", $0, NR }' "$RUN/urls" >"$RUN/aria2.list"
        cmd=(aria2c -j "$JOBS" -x 1 --file-allocation=none --max-tries=10 --retry-wait=1
            --console-log-level=error --summary-interval=0 --download-result=hide -d "$out" -i "$RUN/aria2.list")
        cmd2=(sh -c 'cd "$1" && cat seg-*.ts >out.ts && rm -f seg-*.ts' concat "$out")
        ;;
    yt-dlp)
        cmd=(yt-dlp -N "$JOBS" --hls-prefer-native --fixup never --no-part --no-progress --no-cache-dir
            --user-agent "$UA" --add-header "Referer:https://rutube.ru/" --add-header "Origin:https://rutube.ru"
            -o "$out/out.ts" "$MASTER")
        ;;
    ffmpeg)
        cmd=(ffmpeg -nostdin -v error -user_agent "$UA" -headers $'Referer: https://rutube.ru/\r\nOrigin: https://rutube.ru\r\n'
            -i "$MASTER" -map "0:p:$PROGRAM" -c copy -f mpegts "$out/out.ts")
        ;;
    curl)
        awk '{ printf "url = \"%s\"\n", $0 }' "$RUN/urls" >"$RUN/curl.cfg"
        cmd=(sh -c 'exec curl -sS --fail -K "$1" >"$2"' curl "$RUN/curl.cfg" "$out/out.ts")
        ;;
    esac
    if ! command -v "${cmd[0]}" >/dev/null; then
        stop_fake
        printf '%s\t%s\t%s\t-\t-\t-\t-\t-\tn\tnot installed\t-\t-\t-\t-\t-\t-\n' "$SCEN" "$tool" "$R" >>"$WORK/rec/$SCEN.tsv"
        echo "  run $R $tool: not installed"
        return
    fi
    if [ "$R" = 1 ]; then
        case "$tool" in
        aria2c) echo "aria2c: $(quote "${cmd[@]}")"$'\n'"  then (timed apart): cd $out && cat seg-*.ts >out.ts && rm -f seg-*.ts   # seg-00001.ts... in playlist order" ;;
        curl) echo "curl: curl -sS --fail -K $RUN/curl.cfg >$out/out.ts   # the config: one url = \"...\" line per segment, in order" ;;
        *) echo "$tool: $(quote "${cmd[@]}")" ;;
        esac >>"$WORK/rec/$SCEN.cmds"
    fi
    measure "$tool" "${cmd[@]}"
    local wall=$WALL user=$USER sys=$SYS rss=$RSS rc=$RC
    if [ ${#cmd2[@]} -gt 0 ]; then # aria2c's concatenation, timed apart and added
        measure "$tool-concat" "${cmd2[@]}"
        extra=$WALL
        wall=$(calc "$wall + $WALL")
        user=$(calc "$user + $USER")
        sys=$(calc "$sys + $SYS")
        [ "$RSS" -gt "$rss" ] && rss=$RSS
        [ "$rc" = 0 ] && rc=$RC
    fi
    stop_fake
    local f="$out/out.ts"
    [ "$tool" = rutube-dl-mp4 ] && f="$out/out.mp4"
    case "$tool" in
    ffmpeg | rutube-dl-mp4) check_probe "$f" "$n" ;;
    *) check_bytes "$f" "$n" ;;
    esac
    if [ "$rc" != 0 ]; then
        OK=n
        local said
        said=$(grep -v '^\[http @' "$RUN/$tool.log" | grep -v '^[[:space:]]*$' | head -n1 | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-160 | tr '\t|' '  ')
        NOTE="exit $rc${NOTE:+; $NOTE}${said:+; said: $said}"
    fi
    local st="$RUN/stats.json" mc conns bytes segreq
    mc=$(jq -r '.max_concurrent_segments // "-"' "$st" 2>/dev/null || echo -)
    conns=$(jq -r '.connections // "-"' "$st" 2>/dev/null || echo -)
    bytes=$(jq -r '.segment_bytes // .bytes_sent // "-"' "$st" 2>/dev/null || echo -)
    segreq=$(jq -r '.segment_requests // "-"' "$st" 2>/dev/null || echo -)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$SCEN" "$tool" "$R" \
        "$wall" "$user" "$sys" "$rss" "$rc" "$OK" "$NOTE" "$extra" "$mc" "$conns" "$bytes" "$segreq" "$SETUP_WALL" \
        >>"$WORK/rec/$SCEN.tsv"
    printf '  run %s %-14s %7.2f s  cpu %6.2f s  rss %6.1f MiB  %s%s\n' "$R" "$tool" "$wall" \
        "$(calc "$user + $sys")" "$(calc "$rss / 1024")" "$OK" "${NOTE:+  ($NOTE)}"
    rm -rf "$out"
}

# Floors (s). wan-like at concurrency JOBS: set-up (3 round trips: play options and video info at once,
# master, media playlist, each one latency; their bodies are not rate-shaped) + for each round
# of JOBS segments in playlist order, latency + the round's largest segment / per-connection
# rate. line: set-up + total bytes / total cap.
segment_sizes() { stat -c %s "${SEGFILES[@]:0:$1}"; }
floor_rounds() { # N LATENCY_MS RATE
    segment_sizes "$1" | awk -v j="$JOBS" -v lat="$2" -v rate="$3" '
        { m = (NR - 1) % j == 0 ? $1 : (m > $1 ? m : $1) }
        NR % j == 0 { t += lat / 1000 + m / rate; m = 0 }
        END { if (NR % j) t += lat / 1000 + m / rate; printf "%.4f\n", 3 * lat / 1000 + t }'
}
floor_cap() { # N LATENCY_MS CAP
    segment_sizes "$1" | awk -v lat="$2" -v cap="$3" '{ b += $1 } END { printf "%.4f\n", 3 * lat / 1000 + b / cap }'
}
switch_value() { # SWITCHES NAME
    awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<<"$1"
}

# ---------------------------------------------------------------- the runs
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: $REAL real segments in $MEDIA; runs $RUNS; $( ((QUICK)) && echo quick || echo full); work in $WORK"
: >"$WORK/scenarios"
mapfile -t TABLE < <(scenario_table)
for line in "${TABLE[@]}"; do
    IFS='|' read -r SCEN SWITCHES NFULL NQUICK TOOLS NEEDS <<<"$line"
    case "$wanted" in *",$SCEN,"*) ;; *) continue ;; esac
    N=$NFULL
    ((QUICK)) && N=$NQUICK
    [ "$N" -le "$REAL" ] || die "$SCEN wants $N segments, the media has $REAL"
    SKIP=
    if [ -n "$NEEDS" ] && ! has_switch "$NEEDS"; then
        SKIP="skipped: the fake has no $NEEDS yet (needs $NEEDS)"
    fi
    BYTES=$(segment_sizes "$N" | awk '{ b += $1 } END { print b }')
    LAT=$(switch_value "$SWITCHES" --latency)
    RATE=$(switch_value "$SWITCHES" --rate)
    CAP=$(switch_value "$SWITCHES" --total-rate)
    FLOOR=-
    [ -n "$RATE" ] && FLOOR=$(floor_rounds "$N" "${LAT:-0}" "$RATE")
    [ -n "$CAP" ] && FLOOR=$(floor_cap "$N" "${LAT:-0}" "$CAP")
    {
        echo "name=$SCEN"
        echo "switches=--segments $N $SWITCHES"
        echo "segments=$N"
        echo "bytes=$BYTES"
        echo "floor=$FLOOR"
        echo "tools=$TOOLS"
        echo "skip=$SKIP"
    } >"$WORK/rec/$SCEN.meta"
    echo "$SCEN" >>"$WORK/scenarios"
    echo
    echo "== $SCEN: fake $SWITCHES --segments $N: $N segments, $BYTES bytes ($(calc "$BYTES / 1048576" | xargs printf '%.1f') MiB)"
    [ "$FLOOR" != - ] && echo "   floor (j=$JOBS): $FLOOR s"
    if [ -n "$SKIP" ]; then
        echo "   $SKIP"
        continue
    fi
    read -ra tools <<<"$TOOLS"
    : >"$WORK/rec/$SCEN.tsv"
    : >"$WORK/rec/$SCEN.cmds"
    for ((R = 1; R <= RUNS; R++)); do
        k=$(((R - 1) % ${#tools[@]}))
        order=("${tools[@]:k}" "${tools[@]:0:k}")
        for tool in "${order[@]}"; do
            RUN="$WORK/run/$SCEN/$R"
            mkdir -p "$RUN"
            read -ra sw <<<"$SWITCHES"
            start_fake --segments "$N" "${sw[@]}"
            [ "$R" = 1 ] && [ ! -s "$WORK/rec/$SCEN.fake" ] && quote "$FAKE" --media "$MEDIA" --segments "$N" "${sw[@]}" >"$WORK/rec/$SCEN.fake"
            DISCOVER_NOTE=
            t0=$(date +%s.%N)
            if ! discover; then
                stop_fake
                die "$SCEN: could not read the fake's playlists (see $RUN)"
            fi
            SETUP_WALL=$(calc "$(date +%s.%N) - $t0")
            [ -n "$DISCOVER_NOTE" ] && echo "$DISCOVER_NOTE" >"$WORK/rec/$SCEN.note"
            run_tool "$tool" "$N"
        done
    done
done

# ---------------------------------------------------------------- the report
# Medians per scenario and tool: wall, user+sys, RSS (MiB), concat wall; correct = runs ok / runs.
summary() { # SCEN TOOL -> "wall cpu rss_mib extra okcount runs maxconc segreq conns setup note"
    local f="$WORK/rec/$1.tsv"
    [ -s "$f" ] || { echo "- - - - 0 0 - - - - -"; return; }
    local rows
    rows=$(awk -F'\t' -v t="$2" '$2 == t' "$f")
    [ -n "$rows" ] || { echo "- - - - 0 0 - - - - -"; return; }
    local wall cpu rss extra ok runs mc note sr cn su
    wall=$(awk -F'\t' '$4 != "-" { print $4 }' <<<"$rows" | median)
    cpu=$(awk -F'\t' '$4 != "-" { print $5 + $6 }' <<<"$rows" | median)
    rss=$(awk -F'\t' '$4 != "-" { print $7 / 1024 }' <<<"$rows" | median)
    extra=$(awk -F'\t' '$4 != "-" { print $11 }' <<<"$rows" | median)
    mc=$(awk -F'\t' '$12 != "-" { print $12 }' <<<"$rows" | median)
    sr=$(awk -F'\t' '$15 != "-" { print $15 }' <<<"$rows" | median)
    cn=$(awk -F'\t' '$13 != "-" { print $13 }' <<<"$rows" | median)
    su=$(awk -F'\t' '$16 != "-" { print $16 }' <<<"$rows" | median)
    ok=$(awk -F'\t' '$9 == "y"' <<<"$rows" | wc -l)
    runs=$(wc -l <<<"$rows")
    note=$(awk -F'\t' '$10 != "" { print $10; exit }' <<<"$rows")
    echo "$wall $cpu $rss $extra $ok $runs ${mc:--} ${sr:--} ${cn:--} ${su:--} ${note:--}"
}
ratio() { # A B
    [ "$1" = - ] || [ "$2" = - ] && { echo -; return; }
    [ "$(calc "$2 > 0")" = 1 ] || { echo -; return; }
    printf '%.2f' "$(calc "$1 / $2")"
}
meta() { sed -n "s/^$2=//p" "$WORK/rec/$1.meta" 2>/dev/null; }

targets=()
target() { targets+=("| $1 | $2 | $3 |"); }
verdict() { [ "$1" = 1 ] && echo met || echo "**NOT MET**"; }
# judge RATIO LIMIT [PEER]: met / NOT MET; not measured when the ratio could not be formed or
# PEER's output (in scenario $JS) was not correct in every run.
judge() {
    if [ "$1" = - ]; then echo "— (not measured)"; return; fi
    if [ -n "${3:-}" ] && ! ok_all "$JS" "$3"; then echo "— ($3 failed: no comparison)"; return; fi
    verdict "$(le "$1" "$2")"
}

report_scenario() { # SCEN -> markdown on stdout
    local s=$1 tools skip n bytes floor
    tools=$(meta "$s" tools)
    skip=$(meta "$s" skip)
    n=$(meta "$s" segments)
    bytes=$(meta "$s" bytes)
    floor=$(meta "$s" floor)
    echo "### $s"
    echo
    echo "Fake: \`$(meta "$s" switches)\` — $n segments, $bytes bytes ($(printf '%.1f' "$(calc "$bytes / 1048576")") MiB)."
    [ "$floor" != - ] && echo "Floor at -j $JOBS: **$floor s**."
    [ -s "$WORK/rec/$s.note" ] && echo "Note: $(cat "$WORK/rec/$s.note")."
    echo
    if [ -n "$skip" ]; then
        echo "_${skip}._"
        echo
        return
    fi
    local rt
    read -r rwall _ <<<"$(summary "$s" rutube-dl)"
    echo "| tool | wall s | user+sys s | peak RSS MiB | correct | max conc. | seg. requests | connections | rutube-dl wall ÷ this | notes |"
    echo "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |"
    for t in $tools; do
        read -r wall cpu rss extra ok runs mc sr cn su note <<<"$(summary "$s" "$t")"
        local c="y"
        [ "$ok" != "$runs" ] && c="**n** ($ok/$runs)"
        [ "$runs" = 0 ] && c="not run"
        local nt=
        [ "$t" = aria2c ] && [ "$extra" != - ] && nt="incl. concatenation $(fmt "$extra") s"
        if { [ "$t" = aria2c ] || [ "$t" = curl ]; } && [ "$wall" != - ] && [ "$su" != - ]; then
            local ws
            ws=$(calc "$wall + $su")
            nt+="${nt:+; }with the harness's set-up requests ($(fmt "$su") s): $(fmt "$ws") s, ratio $(ratio "$rwall" "$ws")"
        fi
        [ "$note" != - ] && nt+="${nt:+; }$note"
        local r
        r=$(ratio "$rwall" "$wall")
        [ "$t" = rutube-dl ] && r=1.00
        [ "$c" != y ] && [ "$r" != - ] && r="$r†"
        echo "| $t | $(fmt "$wall") | $(fmt "$cpu") | $(fmt "$rss" 1) | $c | $mc | $sr | $cn | $r | $nt |"
    done
    echo
    if [ "$floor" != - ] && [ "$rwall" != - ]; then
        echo "rutube-dl wall ÷ floor: **$(ratio "$rwall" "$floor")** ($(fmt "$rwall") s ÷ $floor s)."
        echo
    fi
}

{
    echo "# Benchmark results"
    echo
    echo "Written by \`bench/run.sh$( ((QUICK)) && echo ' --quick') --runs $RUNS --scenarios $SCENARIOS\` on $STARTED (load average at start: $LOAD0). Medians of $RUNS run(s) per tool; the tool order rotated one place each run; a fresh fake per run."
    echo
    echo "## Machine"
    echo
    echo "- $(uname -srm); $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1); $(nproc) cores; $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM"
    echo "- disk of $WORK: $(df -h --output=source,fstype,size "$WORK" | tail -n1 | xargs)$(d=$(df --output=source "$WORK" | tail -n1); b=$(basename "$d"); [ -r "/sys/block/$b/queue/rotational" ] && { [ "$(cat "/sys/block/$b/queue/rotational")" = 0 ] && echo ", not rotational" || echo ", rotational"; })"
    echo "- the fake RuTube serves from the same machine (loopback), sharing the 2 cores with the tool under test"
    echo
    echo "## Versions"
    echo
    echo "- rutube-dl: $("$RTDL" -V 2>&1 | head -n1) (tree $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ', with uncommitted changes'))"
    echo "- aria2c: $(aria2c --version 2>/dev/null | head -n1 || echo missing)"
    echo "- yt-dlp: $(yt-dlp --version 2>/dev/null || echo missing)"
    echo "- ffmpeg: $(ffmpeg -version 2>/dev/null | head -n1 | cut -d' ' -f1-3 || echo missing)"
    echo "- curl: $(curl --version 2>/dev/null | head -n1 | cut -d' ' -f1-2)"
    echo
    echo "## Results"
    echo
    echo "wall: seconds from start to exit (aria2c: its download plus the concatenation of its segment files, timed apart). user+sys: CPU seconds of the tool and its children. peak RSS: /usr/bin/time's maximum resident set size. correct: TS outputs byte-identical to the concatenated segments (sha256); ffmpeg and MP4 outputs by ffprobe (duration within 0.5 s, same video and audio packet counts). max conc.: the fake's highest count of segment bodies in flight at once. † the peer's output was not correct in every run. aria2c and curl are handed the segment list (the harness asks the fake for play options, master and media playlist like a client would): their walls hold no set-up requests; rutube-dl, yt-dlp and ffmpeg make theirs."
    echo
    while read -r s; do report_scenario "$s"; done <"$WORK/scenarios"
} >"$WORK/report.md"

# lan: CPU per GiB; long: RSS 10 min vs 3 h; targets.
cpu_per_gib() { # SCEN TOOL
    local cpu bytes
    read -r _ cpu _ <<<"$(summary "$1" "$2")"
    bytes=$(meta "$1" bytes)
    [ "$cpu" = - ] || [ -z "$bytes" ] && { echo -; return; }
    printf '%.3f' "$(calc "$cpu / ($bytes / 1073741824)")"
}
ran() { grep -qx "$1" "$WORK/scenarios" 2>/dev/null && [ -z "$(meta "$1" skip)" ]; }
ok_all() { local a; read -r _ _ _ _ a b _ <<<"$(summary "$1" "$2")"; [ "$b" != 0 ] && [ "$a" = "$b" ]; }
wall_of() { local w; read -r w _ <<<"$(summary "$1" "$2")"; echo "$w"; }
le() { [ "$1" != - ] && [ "$2" != - ] && [ "$(calc "$1 <= $2")" = 1 ] && echo 1 || echo 0; }
na() { target "$1" "not measured: $2" "—"; }

extra_sections=
if ran lan; then
    extra_sections+=$'\n### lan: CPU per GiB (user+sys seconds per GiB written)\n\n| tool | CPU s/GiB | ÷ curl |\n| --- | ---: | ---: |\n'
    curlg=$(cpu_per_gib lan curl)
    for t in $(meta lan tools); do
        g=$(cpu_per_gib lan "$t")
        extra_sections+="| $t | $g | $(ratio "$g" "$curlg") |"$'\n'
    done
fi
if ran long-10min || ran long-3h; then
    extra_sections+=$'\n### long: peak RSS, short vs long video (MiB, medians)\n\n| tool | '"$(meta long-10min segments) segments | $(meta long-3h segments) segments | long ÷ short |"$'\n| --- | ---: | ---: | ---: |\n'
    for t in rutube-dl aria2c; do
        read -r _ _ a _ <<<"$(summary long-10min "$t")"
        read -r _ _ b _ <<<"$(summary long-3h "$t")"
        extra_sections+="| $t | $(fmt "$a" 1) | $(fmt "$b" 1) | $(ratio "$b" "$a") |"$'\n'
    done
fi

# Targets from the issue.
if ran wan; then
    w=$(wall_of wan rutube-dl)
    a=$(wall_of wan aria2c)
    y=$(wall_of wan yt-dlp)
    f=$(meta wan floor)
    cw=$(ok_all wan rutube-dl && echo 1 || echo 0)
    read -r _ _ _ _ _ _ _ _ _ asu _ <<<"$(summary wan aria2c)"
    x=$(ratio "$w" "$a")
    xs=-
    [ "$a" != - ] && [ "$asu" != - ] && xs=$(ratio "$w" "$(calc "$a + $asu")")
    JS=wan
    target "wan: wall ≤ 1.0× aria2c's (-j 16 both)" "$x× ($(fmt "$w") s vs $(fmt "$a") s; $xs× if aria2c paid the $(fmt "$asu") s of set-up requests the harness made for it)$(ok_all wan aria2c || echo '; aria2c not always correct')" "$(judge "$x" 1.0 aria2c)"
    x=$(ratio "$w" "$y"); target "wan: wall ≤ 0.7× yt-dlp's (-N 16)" "$x× ($(fmt "$w") s vs $(fmt "$y") s)$(ok_all wan yt-dlp || echo '; yt-dlp not always correct')" "$(judge "$x" 0.7 yt-dlp)"
    x=$(ratio "$w" "$f"); target "wan: wall ≤ 1.05× the floor at -j 16" "$x× ($(fmt "$w") s vs $f s)" "$(judge "$x" 1.05)"
    target "wan: rutube-dl's file correct" "$( ((cw)) && echo 'yes, every run' || echo no)" "$(verdict "$cw")"
else
    na "wan targets" "wan not run"
fi
if ran line; then
    w=$(wall_of line rutube-dl); f=$(meta line floor); x=$(ratio "$w" "$f")
    v=$(judge "$x" 1.05)
    ok_all line rutube-dl || v="**NOT MET**"
    target "line: wall ≤ 1.05× (set-up + bytes ÷ total cap)" "$x× ($(fmt "$w") s vs $f s)$(ok_all line rutube-dl || echo '; output NOT correct')" "$v"
else
    na "line: wall ≤ 1.05× the floor" "$(meta line skip || true)$(grep -qx line "$WORK/scenarios" || echo 'line not run')"
fi
if ran lan; then
    c=$(cpu_per_gib lan curl)
    for t in rutube-dl:1.3:TS rutube-dl-mp4:2:MP4; do
        IFS=: read -r tool lim kind <<<"$t"
        g=$(cpu_per_gib lan "$tool"); x=$(ratio "$g" "$c")
        JS=lan
        v=$(judge "$x" "$lim" curl)
        ok_all lan "$tool" || v="**NOT MET**"
        target "lan: CPU per GiB ≤ ${lim}× sequential curl's, $kind output" "$x× ($g vs $c s/GiB)$(ok_all lan "$tool" || echo '; output NOT correct')" "$v"
    done
else
    na "lan: CPU per GiB targets" "lan not run"
fi
if ran long-3h && ran long-10min; then
    read -r _ _ b _ <<<"$(summary long-3h rutube-dl)"
    read -r _ _ a _ <<<"$(summary long-10min rutube-dl)"
    target "long: peak RSS ≤ 48 MiB at -j 16 ($(meta long-3h segments) segments)" "$(fmt "$b" 1) MiB" "$(verdict "$(le "$b" 48)")"
    x=$(ratio "$b" "$a")
    target "long: RSS within +10% between $(meta long-10min segments) and $(meta long-3h segments) segments" "$x× ($(fmt "$a" 1) → $(fmt "$b" 1) MiB)" "$(verdict "$(le "$x" 1.10)")"
else
    na "long: RSS targets" "long not run"
fi
wan_w=$(ran wan && wall_of wan rutube-dl || echo -)
for pair in faulty:2 mirror-down:1.5 mirror-refused:1.5; do
    IFS=: read -r s lim <<<"$pair"
    if ran "$s" && [ "$wan_w" = - ]; then
        na "$s: a correct file in ≤ ${lim}× the wan time" "wan not run (rutube-dl's $s wall: $(fmt "$(wall_of "$s" rutube-dl)") s, correct: $(ok_all "$s" rutube-dl && echo yes || echo NO))"
    elif ran "$s"; then
        w=$(wall_of "$s" rutube-dl)
        x=$(ratio "$w" "$wan_w")
        c=$(ok_all "$s" rutube-dl && echo 1 || echo 0)
        v=$(le "$x" "$lim")
        ((c)) || v=0
        target "$s: a correct file in ≤ ${lim}× the wan time" "$( ((c)) && echo correct || echo 'NOT correct'), $x× ($(fmt "$w") s vs wan $(fmt "$wan_w") s)" "$(verdict "$v")"
    else
        na "$s: ≤ ${lim}× the wan time" "$(meta "$s" skip)$(grep -qx "$s" "$WORK/scenarios" || echo "$s not run")"
    fi
done

{
    cat "$WORK/report.md"
    if [ -n "$extra_sections" ]; then echo "$extra_sections"; fi
    echo "## Targets (from the issue)"
    echo
    echo "| target | measured | |"
    echo "| --- | --- | --- |"
    printf '%s\n' "${targets[@]}"
    echo
    echo "## Exact commands"
    echo
    echo "Each run: the fake started afresh (\`--port-file\` and \`--stats\` added), the set-up requests made with curl, then one tool. \$WORK = $WORK; ports are those of run 1."
    while read -r s; do
        [ -s "$WORK/rec/$s.cmds" ] || continue
        echo
        echo "**$s**"
        echo
        echo '```'
        echo "fake: $(cat "$WORK/rec/$s.fake")"
        cat "$WORK/rec/$s.cmds"
        echo '```'
    done <"$WORK/scenarios"
} >"$RESULTS"

echo
sed -n '/^## Results/,$p' "$RESULTS" | grep -v '^wall: seconds' | sed '/^## Exact commands/,$d'
echo "bench: wrote $RESULTS"
