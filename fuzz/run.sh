#!/usr/bin/env bash
# Build the libFuzzer targets with clang, ASan and UBSan, and run each for a while.
#   fuzz/run.sh [SECONDS_PER_TARGET]     default 60; exit 1 when any target finds something
# The seed corpora in fuzz/corpus/ are copied to a scratch folder first: new inputs never land
# in the repository. A finding (crash, leak, timeout, out of memory) is kept there and its path
# printed; reproduce it with `build-fuzz/fuzz/fuzz_<target> <file>`.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
case "$seconds" in
'' | *[!0-9]* | 0)
    echo "usage: $0 [SECONDS_PER_TARGET]   (a whole number above 0; default 60)" >&2
    exit 2
    ;;
esac
build=${FUZZ_BUILD:-build-fuzz}

# The library's build dependencies, clang and libFuzzer's runtime (Debian 12: clang 14).
scripts/install-deps.sh fuzz

# Everything in this build is instrumented: the library gets coverage (fuzzer-no-link) and the
# sanitizers, so the fuzzer sees inside the parsers, not only the targets. UBSan reports abort,
# so libFuzzer saves them like crashes.
if [ ! -f "$build/build.ninja" ]; then
    CC=clang meson setup "$build" -Dfuzz=true -Dtests=disabled -Dbuildtype=debugoptimized \
        -Db_sanitize=address,undefined -Db_lundef=false \
        "-Dc_args=-fsanitize=fuzzer-no-link -fno-sanitize-recover=all"
fi
targets=(url hls api subs name collection ts chapters)
ninja -C "$build" "${targets[@]/#/fuzz/fuzz_}"

# Longest input per target: an address is short (url.c refuses more than 4096 bytes, so a bit
# past that); JSON and playlists are capped far higher, 1 MB is plenty to find structure bugs;
# 256 KB of MPEG-TS holds frames of both kinds; a description is at most a few KB, 64 KB reaches the
# caps (1024 timestamped lines, 255 chapters).
declare -A max_len=([url]=4400 [hls]=1048576 [api]=1048576 [subs]=262144 [name]=16384 [collection]=262144 [ts]=262144 [chapters]=65536)

scratch=$(mktemp -d "${TMPDIR:-/tmp}/rutube-fuzz.XXXXXX")
export ASAN_OPTIONS=detect_leaks=1:symbolize=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# One target's run: its corpus, its log, and what the summary says of it in $work/line (and the
# findings' count in $work/findings). Run side by side, one per core: libFuzzer uses one.
fuzz_target() {
    local target=$1 work="$scratch/$1"
    mkdir -p "$work/corpus" "$work/artifacts"
    cp fuzz/corpus/"$target"/* "$work/corpus/"
    local status=0 start=$SECONDS
    # In a subshell that waits for it, so that bash's "Aborted" notice lands in the log too.
    (
        "$build/fuzz/fuzz_$target" "$work/corpus" \
            -dict="fuzz/dict/$target.dict" -max_len="${max_len[$target]}" \
            -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="$work/artifacts/" -print_final_stats=1
        exit $?
    ) >"$work/log" 2>&1 || status=$?
    local elapsed=$((SECONDS - start))
    # The last status line ("#N DONE cov: C ft: F corp: ...") and libFuzzer's final stats.
    local last runs speed cov ft corp
    last=$(grep -E '^#[0-9]+' "$work/log" | tail -n 1 || true)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
    local line="fuzz_$target: $elapsed s, ${runs:-?} runs, ${speed:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}"
    local found
    mapfile -t found < <(find "$work/artifacts" -type f \
        \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
    local count=0
    if [ "$status" -ne 0 ] || [ ${#found[@]} -gt 0 ]; then
        count=$((${#found[@]} > 0 ? ${#found[@]} : 1))
        line="$line: FINDING (exit $status)"
        {
            grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant broken|.*runtime error)' "$work/log" |
                head -n 5 || true
            for file in "${found[@]}"; do
                echo "reproducer: $file"
                echo "  run it:   $build/fuzz/fuzz_$target $file"
            done
            echo "log: $work/log"
        } >"$work/report"
    fi
    echo "$line" >"$work/line"
    echo "$count" >"$work/findings"
}

jobs_at_once=$(nproc 2>/dev/null || echo 1)
start=$SECONDS
for target in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_at_once" ]; do
        wait -n || true
    done
    echo "== fuzz_$target: $seconds s"
    fuzz_target "$target" &
done
wait
total=$((SECONDS - start))

findings=0
summary=()
for target in "${targets[@]}"; do
    work="$scratch/$target"
    [ -f "$work/report" ] && cat "$work/report"
    summary+=("$(cat "$work/line")")
    findings=$((findings + $(cat "$work/findings")))
done

echo
printf '%s\n' "${summary[@]}"
echo "fuzz: ${#targets[@]} targets, $seconds s each, $jobs_at_once at once, $total s, $findings findings"
if [ "$findings" -gt 0 ]; then
    echo "the inputs and logs are in $scratch" >&2
    exit 1
fi
rm -rf "$scratch"
