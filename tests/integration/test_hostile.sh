#!/usr/bin/env bash
# Hostile servers and hostile answers, through the real binary: each either ends in the right
# file or fails with the right one-line message; none crashes, hangs or writes garbage.
source "$(dirname "$0")/lib.sh"
RTDL_DEFAULTS=(--container ts)
EXPECTED=$(segments_of landscape 1280x712)

# survive LABEL [rutube-dl options --] fake switches...: completes byte-identical.
survive() {
    local label=$1
    shift
    local opts=()
    if [[ " $* " == *" -- "* ]]; then
        while [ "$1" != "--" ]; do opts+=("$1"); shift; done
        shift
    fi
    start_fake "$@"
    rm -rf "$WORK/out"
    rtdl -o "$WORK/out" "${opts[@]}" "$VIDEO"
    expect_status 0 "$label"
    expect_same_bytes "$EXPECTED" "$WORK/out/$TITLE.ts"
    ok "$label"
}

# refuse LABEL PATTERN [rutube-dl options --] fake switches...: exit 1, one line matching
# PATTERN (grep -E), no file.
refuse() {
    local label=$1 text=$2
    shift 2
    local opts=()
    if [[ " $* " == *" -- "* ]]; then
        while [ "$1" != "--" ]; do opts+=("$1"); shift; done
        shift
    fi
    start_fake "$@"
    rm -rf "$WORK/out"
    rtdl -o "$WORK/out" --retries 1 --timeout 2 "${opts[@]}" "$VIDEO"
    expect_status 1 "$label"
    grep -qE -- "$text" "$WORK/stderr" || fail "$label: stderr lacks /$text/"
    [ "$(grep -c . "$WORK/stderr")" -eq 1 ] || fail "$label: not one line: $(cat "$WORK/stderr")"
    expect_no_final_file "$WORK/out"
    ok "$label: \"$(head -c 150 "$WORK/stderr")\""
}

# --- servers -------------------------------------------------------------------------------
# 10%, not 20%: a segment is given up after two hopeless tries on each mirror (the bound issue
# 20 set), so at 20% a run of 15 segments loses one to four slow tries in a row now and then
# (15 x 0.2^4 = 2.4% a run; measured: 2 of 40 runs, the same before and after this stop's
# changes), which made this check fail by chance; at 10% it is 15 x 0.1^4 = 0.15%.
survive "10% of bodies trickle at one byte a second (slow-loris)" --timeout 2 -- --slow-loris 10 --seed 5
# libcurl's low-speed check ("too slow") usually fires first; on a loaded machine the fake's
# one byte a second can come late enough for the engine's own stall check ("no data").
refuse "a server that only trickles" "too slow|no data for 2 s" -- --slow-loris 100
refuse "a redirect loop" "redirect" -- --redirect-loop
refuse "a redirect to file:///etc/passwd" "file" -- --redirect-to file:///etc/passwd
refuse "a redirect to ftp://" "ftp" -- --redirect-to ftp://127.0.0.1/x
survive "every segment first answers 429 with Retry-After: 2" --throttle 1 --retry-after 2
# The retry of each segment came no sooner than the server asked.
# Columns: role method path user-agent referer origin range status milliseconds.
checked=$(awk -F'\t' '$3 ~ /segment-/ { split($3, p, "segment-"); k = p[2]
    if ($8 == 429) asked[k] = $9
    else if (k in asked) { n++; if ($9 - asked[k] < 2000) { print "early", k > "/dev/stderr"; bad = 1 } } }
    END { print n + 0; exit bad }' "$WORK/requests.log") || fail "a retry came before Retry-After ran out"
[ "$checked" -eq 15 ] || fail "saw $checked retries after a 429, not 15"
ok "Retry-After is honoured: each of the $checked retries came 2 s or more after its 429"
survive "a 3-second storm of 503s on every segment" --storm 3000
survive "30% of segments cut short of their Content-Length" -- --cut 30 --seed 9

start_fake --endless 5
rm -rf "$WORK/out"
rtdl -o "$WORK/out" --retries 1 "$VIDEO"
expect_status 1 "an endless segment"
expect_in "$WORK/stderr" "larger than 64 MiB"
expect_in "$WORK/stderr" "4 of 15 segments are kept"
[ "$(stat -c %s "$WORK/out/$TITLE.ts.part")" -lt $((20 << 20)) ] || fail "the endless body reached the disk"
start_fake
rtdl -o "$WORK/out" "$VIDEO"
expect_same_bytes "$EXPECTED" "$WORK/out/$TITLE.ts"
ok "an endless segment body is cut at 64 MiB, never written; the rest resumes later"

# --- JSON ----------------------------------------------------------------------------------
body() { # body NAME CONTENT...: a file for --*-body
    printf '%s' "${@:2}" >"$WORK/$1"
    echo "$WORK/$1"
}
head -c 5000000 /dev/zero | tr '\0' ' ' >"$WORK/huge.json"
printf '{"title": "x"}' >>"$WORK/huge.json"
refuse "a 5 MB play options answer" "larger than" -- --options-body "$WORK/huge.json"
printf '%*s' 200000 '' | tr ' ' '[' >"$WORK/deep.json"
refuse "JSON nested 200,000 deep" "not valid JSON" -- --options-body "$WORK/deep.json"
refuse "wrongly typed fields" "offers no stream" -- --options-body "$(body typed.json \
    '{"title": 5, "video_balancer": "http://x/y.m3u8", "duration": "long", "author": [1]}')"
refuse "a balancer pointing at file://" "offers no stream" -- --options-body "$(body file.json \
    '{"title": "x", "video_balancer": {"m3u8": "file:///etc/passwd"}}')"
start_fake --options-body "$(body nul.json "{\"title\": \"a\\u0000b\\u0007c\", \"video_balancer\": {\"m3u8\": \"{API}/route/$VIDEO.m3u8?x=1\"}}")"
rm -rf "$WORK/out"
rtdl -o "$WORK/out" "$VIDEO"
expect_status 0 "NUL in the title"
expect_same_bytes "$EXPECTED" "$WORK/out/a b c.ts"
ok "a title with NUL and BEL in it downloads as \"a b c.ts\""

# --- m3u8 ----------------------------------------------------------------------------------
refuse "a master playlist without variants" "lists no streams" -- --master-body "$(body m0.m3u8 \
    $'#EXTM3U\n#EXT-X-VERSION:3\n')"
refuse "a master pointing at file://" "not http\\(s\\)" -- --master-body "$(body m1.m3u8 \
    $'#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000, RESOLUTION=640x352\nfile:///etc/passwd\n')"
media() { # media NAME BODY: a master on the real mirrors whose media playlist is BODY
    body "$1.master" $'#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000, RESOLUTION=1280x712\n{MIRROR0}/m.m3u8\n' >/dev/null
    body "$1.media" "$2" >/dev/null
    echo --master-body "$WORK/$1.master" --media-body "$WORK/$1.media"
}
# shellcheck disable=SC2046
refuse "a negative segment duration" "impossible segment duration" -- $(media neg \
    $'#EXTM3U\n#EXTINF:-4,\na.ts\n#EXT-X-ENDLIST\n')
# shellcheck disable=SC2046
refuse "an absurd segment duration" "impossible segment duration" -- $(media absurd \
    $'#EXTM3U\n#EXTINF:1e12,\na.ts\n#EXT-X-ENDLIST\n')
{ echo '#EXTM3U'; for i in $(seq 110000); do printf '#EXTINF:1,\ns%d.ts\n' "$i"; done; echo '#EXT-X-ENDLIST'; } >"$WORK/many.m3u8"
# shellcheck disable=SC2046
refuse "110,000 segments" "more than 100000 segments" -- $(media many "$(cat "$WORK/many.m3u8")")
awk 'BEGIN { print "#EXTM3U"; for (i = 0; i < 2000000; i++) print "#EXT-X-DISCONTINUITY" }' >"$WORK/lines.m3u8"
start_fake --master-body "$(body big.master $'#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000, RESOLUTION=1280x712\n{MIRROR0}/m.m3u8\n')" \
    --media-body "$WORK/lines.m3u8"
rtdl -o "$WORK/out" --retries 1 "$VIDEO"
expect_status 1 "two million lines"
expect_in "$WORK/stderr" "larger than"
ok "a media playlist of two million lines (40 MB) is refused at its size cap"
# shellcheck disable=SC2046
refuse "segments on file://" "outside http\\(s\\)" -- $(media file \
    $'#EXTM3U\n#EXTINF:4,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n')
[ "$(requests_matching 'passwd')" -eq 0 ] || fail "asked for /etc/passwd"
# shellcheck disable=SC2046
refuse "AES-128 encryption" "encrypted" -- $(media aes \
    $'#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI="k.key"\n#EXTINF:4,\na.ts\n#EXT-X-ENDLIST\n')
# shellcheck disable=SC2046
refuse "byte ranges" "byte ranges" -- $(media range \
    $'#EXTM3U\n#EXTINF:4,\n#EXT-X-BYTERANGE:1000@0\na.ts\n#EXT-X-ENDLIST\n')
# shellcheck disable=SC2046
refuse "addresses climbing above the host" "HTTP 404" -- $(media climb \
    $'#EXTM3U\n#EXTINF:4,\n../../../../../../../evil.example/x.ts\n#EXT-X-ENDLIST\n')
climbed=$(awk -F'\t' '$3 ~ /x\.ts/ { print $1, $3 }' "$WORK/requests.log" | sort -u)
[ "$climbed" = "mirror0 /evil.example/x.ts" ] || fail "the climbing address went to: $climbed"
ok "a climbing relative address stays on the mirror's host, at its root ($climbed)"

# --- TLS -------------------------------------------------------------------------------------
if command -v openssl >/dev/null; then
    openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
        -days 2 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
    refuse "a self-signed certificate" "certificate" -- --tls "$WORK/cert.pem" "$WORK/key.pem"
    rtdl -o "$WORK/out" --insecure "$VIDEO"
    expect_status 0 "--insecure"
    expect_in "$WORK/stderr" "--insecure: TLS certificates are not checked"
    expect_same_bytes "$EXPECTED" "$WORK/out/$TITLE.ts"
    ok "--insecure downloads over the self-signed TLS, and says it does not check"
else
    ok "# SKIP openssl is missing"
fi

done_testing
