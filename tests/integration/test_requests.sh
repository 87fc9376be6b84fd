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

expect_in "$WORK/requests.log" "/api/play/options/$VIDEO/?no_404=true&referer=https%3A%2F%2Frutube.ru&pver=v2"
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

done_testing
