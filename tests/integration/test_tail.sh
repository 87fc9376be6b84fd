#!/usr/bin/env bash
# Splitting at the tail: once every segment has been asked for, an idle connection takes the
# second half of a running segment as a byte range. The file is the same bytes whatever the
# servers do with those ranges, and a piece that goes wrong never costs what was fetched.
source "$(dirname "$0")/lib.sh"
RTDL_DEFAULTS=(--container ts -j 4)

# Five segments on four connections, 500 kB/s each, 100 ms to a first byte: the fifth starts
# alone while three connections come free, with over a second of its body still to come.
SHAPE=(--latency 100 --rate 500000 --segments 5)
EXPECTED="$WORK/expected.ts"
cat "$FAKE_MEDIA"/landscape/1280x712/seg-00[0-4].ts >"$EXPECTED"

# ranged_requests [STATUS]: segment requests that asked for a range (answered STATUS).
ranged_requests() {
    awk -F'\t' -v s="${1:-}" '$3 ~ /segment-/ && $7 ~ /^bytes=/ && (s == "" || $8 == s)' \
        "$WORK/requests.log" | wc -l
}

# whole_requests K: requests of segment K without a range.
whole_requests() {
    awk -F'\t' -v k="/segment-$1-" '$3 ~ k && $7 == "-"' "$WORK/requests.log" | wc -l
}

# download LABEL fake-switches...: the video through the shaped fake, byte-identical.
download() {
    local label=$1
    shift
    start_fake "${SHAPE[@]}" "$@"
    rm -rf "$WORK/out"
    rtdl -o "$WORK/out" --timeout 2 -vv "$VIDEO"
    expect_status 0 "$label"
    expect_same_bytes "$EXPECTED" "$WORK/out/$TITLE.ts"
}

# At half the rate here: when the machine is busy the first four bodies end further apart, and
# at 500 kB/s the fifth once had too little left by the third's end to be worth a piece.
download "tail split" --rate 250000
[ "$(ranged_requests 206)" -ge 1 ] || fail "no segment's tail was asked for as a range"
expect_in "$WORK/stderr" "segments split at the tail"
ok "the last segment's tail comes on another connection (206), the file byte-identical"

# The piece asked for exactly the bytes from its cut to the segment's end.
line=$(awk -F'\t' '$3 ~ /segment-/ && $7 ~ /^bytes=/' "$WORK/requests.log" | head -n1)
range=$(cut -f7 <<<"$line")
k=$(sed -E 's/.*segment-([0-9]+)-.*/\1/' <<<"$(cut -f3 <<<"$line")")
size=$(stat -c %s "$(printf '%s/landscape/1280x712/seg-%03d.ts' "$FAKE_MEDIA" $((k - 1)))")
[[ "$range" =~ ^bytes=([0-9]+)-([0-9]+)$ ]] || fail "odd range $range"
[ "${BASH_REMATCH[2]}" -eq $((size - 1)) ] || fail "$range does not end at segment $k's last byte ($size)"
[ "${BASH_REMATCH[1]}" -gt 0 ] || fail "$range starts at 0"
[ "$(whole_requests "$k")" -eq 1 ] || fail "segment $k was asked for whole more than once"
ok "the piece runs from its cut to the segment's last byte; the segment is asked for whole once"

download "ranges ignored" --range-fault ignore
[ "$(ranged_requests 200)" -eq 1 ] || fail "expected one range answered whole, got $(ranged_requests 200)"
[ "$(ranged_requests)" -eq 1 ] || fail "asked for ranges again after one was ignored"
ok "a server that ignores ranges (200): one piece tried, then none; the file byte-identical"

download "ranges refused" --range-fault 503
[ "$(ranged_requests 503)" -ge 1 ] || fail "no range was refused"
for k in 1 2 3 4 5; do
    [ "$(whole_requests $k)" -eq 1 ] || fail "segment $k asked for whole $(whole_requests $k) times"
done
ok "a refused piece (503) is dropped: its segment's first transfer brings it, asked once"

start=$SECONDS
download "ranges stall" --range-fault stall-head --stall-head-ms 20000
[ $((SECONDS - start)) -lt 10 ] || fail "the download waited for a piece that never answered"
for k in 1 2 3 4 5; do
    [ "$(whole_requests $k)" -eq 1 ] || fail "segment $k asked for whole $(whole_requests $k) times"
done
ok "a piece without an answer does not hold the segment: its first transfer goes on past the cut"

download "ranges stall half-way" --range-fault stall --stall-ms 30000
k=$(awk -F'\t' '$3 ~ /segment-/ && $7 ~ /^bytes=/ { sub(/.*segment-/, "", $3); sub(/-.*/, "", $3); print $3; exit }' \
    "$WORK/requests.log")
[ -n "$k" ] || fail "no piece was asked for"
[ "$(whole_requests "$k")" -eq 2 ] || fail "segment $k: expected a whole retry after its piece stalled"
ok "a piece that stalls after its first transfer stopped at the cut: the segment is fetched again whole"

done_testing
