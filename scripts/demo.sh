#!/usr/bin/env bash
# The tool at work without a network: the bundled fake RuTube (tests/fake-rutube/) on
# 127.0.0.1, and one video downloaded from it into ./demo/ with the progress bar.
#   scripts/demo.sh [BUILD_DIR]      (make demo builds first; BUILD_DIR default build)
# Exits with rutube-dl's status (0: saved, or already there); nothing is opened.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
FAKE="$BUILD/tests/fake-rutube/fake-rutube"
TOOL="$BUILD/cli/rutube-dl"
MEDIA="$BUILD/tests/fake-rutube/media"
VIDEO=2ce725b3dc1a243f8456458975ecd872 # the catalog's main video: a 60 s trailer
for f in "$FAKE" "$TOOL"; do
    [ -x "$f" ] || { echo "demo: $f is missing: run make demo" >&2; exit 1; }
done
[ -d "$MEDIA" ] || { echo "demo: no media in $MEDIA: run make demo" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/rutube-demo.XXXXXX")
fake=
cleanup() {
    [ -n "$fake" ] && kill "$fake" 2>/dev/null && wait "$fake" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
"$FAKE" --media "$MEDIA" --port-file "$work/port" >"$work/fake.log" 2>&1 &
fake=$!
for _ in $(seq 100); do
    [ -s "$work/port" ] && break
    kill -0 "$fake" 2>/dev/null || { cat "$work/fake.log" >&2; exit 1; }
    sleep 0.05
done
[ -s "$work/port" ] || { echo "demo: the fake RuTube did not start" >&2; exit 1; }
api=$(head -n1 "$work/port")

echo "demo: a fake RuTube answers at $api (tests/fake-rutube/: real answers' shapes, test media)"
echo "demo: rutube-dl --api-base $api -o demo https://rutube.ru/video/$VIDEO/"
set +e
RUTUBE_DL_LOCALEDIR="$BUILD/po" "$TOOL" --ignore-config --api-base "$api" -o demo \
    "https://rutube.ru/video/$VIDEO/"
status=$?
set -e
[ "$status" -eq 0 ] && echo "demo: done; the file is in ./demo/ (play it with any player)"
exit "$status"
