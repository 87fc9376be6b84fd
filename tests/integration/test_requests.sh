#!/usr/bin/env bash
# What goes over the wire: browser-like headers on every request, no_404 on play options.
source "$(dirname "$0")/lib.sh"
# These checks are about the stream as RuTube sends it: byte for byte.
RTDL_DEFAULTS=(--container ts)
start_fake

rtdl -o "$WORK/out" "$VIDEO"
expect_status 0 "download"
total=$(wc -l <"$WORK/requests.log")
[ "$total" -ge 17 ] || fail "only $total requests logged"
# Columns: role method path user-agent referer origin range status
bad=$(awk -F'\t' '$4 !~ /^Mozilla\/5\.0 / || $5 != "https://rutube.ru/" || $6 != "https://rutube.ru"' \
    "$WORK/requests.log" | head -3)
[ -z "$bad" ] || fail "requests without browser headers: $bad"
ok "all $total requests (API, playlists, segments) carry a browser User-Agent, Referer and Origin"

expect_in "$WORK/requests.log" "/api/play/options/$VIDEO/?no_404=true&referer=https%3A%2F%2Frutube.ru&pver=v2&client=wdp&mq=all&av1=1"
ok "play options are asked with no_404=true"

# Connections are kept alive: -j 2 over 15 segments needs a couple per host, not one each.
start_fake
rtdl -o "$WORK/reuse" -j 2 "$VIDEO"
expect_status 0 "-j 2"
stop_fake
connections=$(sed -n 's/.*"connections": *\([0-9]*\).*/\1/p' "$WORK/stats.json")
requests=$(sed -n 's/.*"requests": *\([0-9]*\).*/\1/p' "$WORK/stats.json")
[ -n "$connections" ] && [ "$connections" -le 4 ] ||
    fail "$connections connections for $requests requests with -j 2"
ok "keep-alive: $requests requests over $connections connections"
start_fake

rtdl -o "$WORK/ua" --user-agent "TestBrowser/1.0" "$VIDEO"
expect_status 0 "custom user agent"
[ "$(grep -c $'\tTestBrowser/1.0\t' "$WORK/requests.log")" -ge 17 ] || fail "--user-agent not used everywhere"
ok "--user-agent replaces it everywhere"

# --proxy goes to libcurl: a proxy that is not there makes every request fail.
rtdl -o "$WORK/px" --retries 0 --proxy http://127.0.0.1:9 "$VIDEO"
expect_status 1 "dead proxy"
expect_in "$WORK/stderr" "cannot reach"
ok "--proxy is used"

# --api-proxy: RuTube's API calls through it, the media direct. The fake's proxy listener
# logs what came through it as "proxy".
stop_fake
rm -f "$WORK/proxy"
"$FAKE_RUTUBE" --media "$FAKE_MEDIA" --port-file "$WORK/port" --proxy-port-file "$WORK/proxy" \
    --log "$WORK/requests.log" >"$WORK/fake.out" 2>&1 &
FAKE_PID=$!
for _ in $(seq 100); do [ -s "$WORK/proxy" ] && [ -s "$WORK/port" ] && break; sleep 0.05; done
API=$(head -n1 "$WORK/port")
rtdl -o "$WORK/apx" --api-proxy "$(head -n1 "$WORK/proxy")" "$VIDEO"
expect_status 0 "through --api-proxy"
expect_same_bytes "$(segments_of landscape 1280x712)" "$WORK/apx/$TITLE.ts"
[ "$(requests_matching $'^proxy\tGET\t/api/play/options/')" -eq 1 ] || fail "play options not proxied"
[ "$(requests_matching $'^proxy\tGET\t/api/video/')" -eq 1 ] || fail "video info not proxied"
[ "$(requests_matching $'^proxy\t[A-Z]*\t[^\t]*(segment-|\.m3u8)')" -eq 0 ] ||
    fail "media went through the API proxy"
[ "$(requests_matching $'^mirror[01]\tGET\t[^\t]*segment-')" -ge 15 ] || fail "segments not direct"
ok "--api-proxy carries the API calls only; playlists and segments go direct"

done_testing
