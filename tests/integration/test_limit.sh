#!/usr/bin/env bash
# --limit-rate: one limit over every transfer of every video at once, through the real binary.
# Timings are checked from below only (a limited download takes at least about its bytes over
# the limit), so a loaded machine cannot fail them; on the loopback an unlimited download of the
# same bytes takes a tenth of a second.
source "$(dirname "$0")/lib.sh"
start_fake

E1=7051fd5f383fe1790f47befd77a1f5f0 # «Пальцы. 1 серия», landscape like the main video

now() { date +%s.%N; }
# at_least SECONDS BYTES LIMIT SHARE WHAT: SECONDS >= SHARE * BYTES / LIMIT, or fail.
at_least() {
    awk -v s="$1" -v b="$2" -v l="$3" -v k="$4" 'BEGIN { exit !(s >= k * b / l) }' ||
        fail "$5 took $1 s for $2 bytes: under $4 of the $(awk -v b="$2" -v l="$3" 'BEGIN { printf "%.2f", b / l }') s its limit allows"
}
size_of() { stat -c %s "$@" | awk '{ s += $1 } END { print s }'; }

# ---- one video: the same bytes, no faster than the limit ----
start=$(now)
rtdl --container ts -q 480 -o "$WORK/one" --limit-rate 3M "$VIDEO"
took=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
expect_status 0 "a limited download"
expect_same_bytes "$(segments_of landscape 856x480)" "$WORK/one/$TITLE.ts"
at_least "$took" "$(size_of "$WORK/one/$TITLE.ts")" $((3 * 1048576)) 0.8 "--limit-rate 3M"
ok "--limit-rate 3M: the segments byte for byte, in $took s (at least 80 % of bytes / 3 MiB/s)"

start=$(now)
rtdl -q 360 -o "$WORK/mp4" -r 2.5M "$VIDEO"
took=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
expect_status 0 "a limited MP4"
expect_playable "$WORK/mp4/$TITLE.mp4"
at_least "$took" "$(size_of "$(segments_of landscape 640x352)")" $((5 * 1048576 / 2)) 0.8 "-r 2.5M"
ok "-r 2.5M (decimals, the short form): a playable MP4 in $took s"

# ---- two videos at once share one limit, set in the config file ----
mkdir -p "$XDG_CONFIG_HOME/rutube-dl"
printf '%s\n' "# slow down" "--limit-rate 4M" >"$XDG_CONFIG_HOME/rutube-dl/config"
start=$(now)
rtdl --container ts -q 360 -J 2 -o "$WORK/two" "$VIDEO" "$E1"
took=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
expect_status 0 "two limited videos at once"
expect_same_bytes "$(segments_of landscape 640x352)" "$WORK/two/$TITLE.ts"
expect_same_bytes "$(segments_of landscape 640x352)" "$WORK/two/Пальцы. 1 серия.ts"
bytes=$(size_of "$WORK/two"/*.ts)
# A limit per video would let them through in half the time.
at_least "$took" "$bytes" $((4 * 1048576)) 0.85 "-J 2 under the config's --limit-rate 4M"
ok "-J 2, --limit-rate 4M from the config file: $bytes bytes of two videos in $took s, one limit for both"
rm "$XDG_CONFIG_HOME/rutube-dl/config"

# ---- held back is not stalled ----
# Fifteen transfers start at once and share 128 KiB/s: each waits up to 15 x 16 KiB / 128 KiB/s,
# about 2 s, for its turn, twice the --timeout of 1 s. None may be dropped as silent, slow or
# trickling, nor raced: the bytes are there, the limit holds them. Interrupted after 5 s.
set +e
timeout --preserve-status -s INT 5 "$RUTUBE_DL" --api-base "$API" --container ts -q 360 -o "$WORK/held" -v \
    --timeout 1 --limit-rate 128K "$VIDEO" >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
set -e
expect_status 130 "interrupted"
for said in "no data for" "far slower" "B/s for" "retry" "racing" "Operation too slow"; do
    expect_not_in "$WORK/stderr" "$said"
done
[ "$(requests_matching 'segment-[0-9]+-v1-a1[.]ts')" -ge 15 ] || fail "not every segment was asked for at once"
ok "transfers held back by --limit-rate 128K for twice --timeout 1 are neither dropped nor raced"

# ---- faults under a limit: retries, cut bodies and races still give the same bytes ----
start_fake --fail-503 10 --cut 10 --stall-head-segment 3:1 --stall-head-ms 700 --seed 5
rtdl --container ts -q 480 -o "$WORK/faults" --limit-rate 6M "$VIDEO"
expect_status 0 "a limited download from a faulty server"
expect_same_bytes "$(segments_of landscape 856x480)" "$WORK/faults/$TITLE.ts"
ok "503s, cut bodies and a late first byte under --limit-rate 6M: the same bytes"

# ---- a bad RATE is a usage error before any request ----
start_fake
for rate in 0 0.0 -1 2MB 1e6 .5M 5. abc ""; do
    rtdl -o "$WORK/bad" --limit-rate "$rate" "$VIDEO"
    expect_status 2 "--limit-rate '$rate'"
    expect_in "$WORK/stderr" "rutube-dl: --limit-rate needs bytes a second above 0, such as 500K, 2M or 4.2M, not \"$rate\""
    expect_in "$WORK/stderr" "Try 'rutube-dl --help'"
    [ "$(wc -l <"$WORK/stderr")" -eq 2 ] || fail "--limit-rate '$rate': more than the usage lines"
done
rtdl -o "$WORK/bad" -r "$VIDEO"
expect_status 2 "-r without a rate (the address taken as one)"
mkdir -p "$XDG_CONFIG_HOME/rutube-dl"
printf '%s\n' "-q 720" "--limit-rate fast" >"$XDG_CONFIG_HOME/rutube-dl/config"
rtdl -o "$WORK/bad" "$VIDEO"
expect_status 2 "a bad rate in the config"
expect_in "$WORK/stderr" "config:2: --limit-rate needs bytes a second above 0"
rm "$XDG_CONFIG_HOME/rutube-dl/config"
[ ! -s "$WORK/requests.log" ] || fail "a bad --limit-rate still made requests: $(head -3 "$WORK/requests.log")"
[ ! -e "$WORK/bad" ] || fail "a bad --limit-rate made the output folder"
ok "a bad RATE (0, negative, 2MB, 1e6, garbage, empty, missing) is a one-line usage error, exit 2, no request"

done_testing
