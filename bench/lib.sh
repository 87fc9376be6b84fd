# What the benchmarks share (bench/run.sh, bench/limit-rate.sh): numbers, quoting, the fake
# RuTube and what a client reads from it. Sourced; uses the caller's RUN (this run's folder),
# FAKE, MEDIA (or FAKE_MEDIA_DIR when set: a scenario's own media), TIMING (when set: the
# fake's --timing file), ID and UA, and sets FAKE_PID, API, MASTER, PROGRAM and $RUN/urls
# (discover) or $RUN/masters (discover_masters).
median() { sort -g | awk '{ v[NR] = $1 } END { if (!NR) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
calc() { echo "scale=6; $*" | bc -l 2>/dev/null | sed 's/^\./0./; s/^-\./-0./'; }
fmt() { [ "$1" = "-" ] && echo - || printf "%.${2:-2}f" "$1"; }
quote() { local a out=; for a in "$@"; do out+="$(printf '%q' "$a") "; done; echo "${out% }"; }

start_fake() { # switches... ; sets FAKE_PID, API
    rm -f "$RUN/port" "$RUN/stats.json"
    local timing=()
    [ -n "${TIMING:-}" ] && rm -f "$TIMING" && timing=(--timing "$TIMING")
    "$FAKE" --media "${FAKE_MEDIA_DIR:-$MEDIA}" --port-file "$RUN/port" --stats "$RUN/stats.json" \
        "${timing[@]}" "$@" >/dev/null 2>"$RUN/fake.err" &
    FAKE_PID=$!
    for _ in $(seq 200); do
        [ -s "$RUN/port" ] && break
        kill -0 "$FAKE_PID" 2>/dev/null || break
        sleep 0.05
    done
    [ -s "$RUN/port" ] || die "the fake did not start: $(quote "$FAKE" "$@"): $(head -c 500 "$RUN/fake.err")"
    API=$(cat "$RUN/port")
}
stop_fake() {
    kill -TERM "$FAKE_PID" 2>/dev/null
    wait "$FAKE_PID" 2>/dev/null
    FAKE_PID=
}

# Like a client: play options -> master -> the best variant's media playlist -> segment
# addresses (relative, resolved against the playlist's address). Sets MASTER, PROGRAM (the
# best variant's index in the master: ffmpeg's program) and writes $RUN/urls.
discover() {
    local options media base
    options=$(curl -sS -A "$UA" -e https://rutube.ru/ -H 'Origin: https://rutube.ru' \
        "$API/api/play/options/$ID/?no_404=true&referer=https%3A%2F%2Frutube.ru&pver=v2") || return 1
    MASTER=$(jq -r '.video_balancer.m3u8 // empty' <<<"$options")
    [ -n "$MASTER" ] || return 1
    curl -sS -A "$UA" -e https://rutube.ru/ "$MASTER" >"$RUN/master.m3u8" || return 1
    # Variants in order; the best is the first with the highest BANDWIDTH (mirror 0's).
    awk '/^#EXT-X-STREAM-INF/ { match($0, /BANDWIDTH=[0-9]+/); bw = substr($0, RSTART + 10, RLENGTH - 10); next }
         /^[^#]/ && bw != "" { print n++ "\t" bw "\t" $0; bw = "" }' "$RUN/master.m3u8" >"$RUN/variants"
    read -r PROGRAM _ MEDIA_URL < <(sort -t$'\t' -k2,2nr -k1,1n "$RUN/variants" | head -n1)
    [ -n "${MEDIA_URL:-}" ] || return 1
    # The media playlist: mirror 0's; if its port refuses, the same playlist from the mirror
    # 1 variant of that quality (identical relative addresses), resolved against mirror 0's
    # address, which is the list a client reading the master in order would end up with.
    media=$(curl -sS -f -A "$UA" -e https://rutube.ru/ "$MEDIA_URL" 2>/dev/null)
    if [ -z "$media" ]; then
        local bw other
        bw=$(awk -F'\t' -v p="$PROGRAM" '$1 == p { print $2 }' "$RUN/variants")
        other=$(awk -F'\t' -v p="$PROGRAM" -v bw="$bw" '$2 == bw && $1 != p { print $3; exit }' "$RUN/variants")
        media=$(curl -sS -f -A "$UA" -e https://rutube.ru/ "$other") || return 1
        DISCOVER_NOTE="media playlist read from mirror 1 (mirror 0 refused); segment list on mirror 0"
    fi
    base=${MEDIA_URL%%\?*}
    base=${base%/*}/
    awk -v base="$base" '/^[^#]/ && NF { print base $0 }' <<<"$media" >"$RUN/urls"
    [ -s "$RUN/urls" ]
}

# Like a client that was handed a list of videos: each one's play options (at most 8 at once,
# so that 40 of them at 50 ms do not take two seconds per run) -> its master address, in the
# list's order. IDS_FILE: one id a line. Writes $RUN/masters.
discover_masters() { # IDS_FILE
    local cfg="$RUN/options.cfg" n=0 id k
    : >"$cfg"
    while read -r id; do
        n=$((n + 1))
        printf 'url = "%s"\noutput = "%s"\n' \
            "$API/api/play/options/$id/?no_404=true&referer=https%3A%2F%2Frutube.ru&pver=v2" \
            "$RUN/options-$n.json" >>"$cfg"
    done <"$1"
    # -Z draws a progress meter even with -s: its output goes aside.
    curl -sS -Z --parallel-max 8 -A "$UA" -e https://rutube.ru/ -H 'Origin: https://rutube.ru' \
        -K "$cfg" >/dev/null 2>"$RUN/options.err" || return 1
    for ((k = 1; k <= n; k++)); do
        jq -r '.video_balancer.m3u8 // empty' "$RUN/options-$k.json" || return 1
    done >"$RUN/masters"
    [ "$(grep -c . "$RUN/masters")" = "$n" ]
}
