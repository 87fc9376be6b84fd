#!/usr/bin/env bash
# make demo's last step, scripts/demo.sh: the bundled fake RuTube and one video into ./demo/,
# on a terminal so the progress bar shows, then exit 0 with nothing left running.
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$(dirname "$RUTUBE_DL")/.." && pwd)

cd "$WORK"
set +e
COLUMNS=100 script -qefc "stty cols 100; bash '$ROOT/scripts/demo.sh' '$BUILD'" "$WORK/typescript" \
    >/dev/null </dev/null
STATUS=$?
set -e
expect_status 0 "the demo"
grep -q $'\r\e\[K' "$WORK/typescript" || fail "no progress bar redrawn in place"
expect_in "$WORK/typescript" "segments 15/15"
expect_in "$WORK/typescript" "Saved demo/$TITLE.mp4"
expect_in "$WORK/typescript" "demo: done"
expect_playable "$WORK/demo/$TITLE.mp4"
pgrep -f "fake-rutube --media .* --port-file $WORK" >/dev/null && fail "the fake RuTube is still running"
ok "scripts/demo.sh: a fake RuTube, the progress bar, demo/$TITLE.mp4 playable, exit 0"

# Again: the file is there, so it is skipped, still exit 0.
set +e
bash "$ROOT/scripts/demo.sh" "$BUILD" >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
STATUS=$?
set -e
expect_status 0 "the demo again"
expect_in "$WORK/stdout" "already exists; skipping it"
ok "run again: the file is kept, exit 0"

done_testing
