#!/usr/bin/env bash
# Set-up for bench/run.sh: install the Debian packages the benchmark needs (only those
# missing: scripts/install-deps.sh bench), then build rutube-dl, the fake RuTube and its media.
#   bench/setup.sh [BUILD_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-${BUILD:-build}}
cd "$ROOT"

# The peers, the measuring tools and what the build and the fake need.
scripts/install-deps.sh bench

# Build: the tool, the fake and its test media (the fake is a test target).
if [ ! -f "$BUILD/build.ninja" ]; then
    meson setup "$BUILD" -Dwerror=true -Dtests=enabled
elif ! meson introspect "$BUILD" --buildoptions 2>/dev/null | jq -e '.[] | select(.name == "tests") | .value == "enabled"' >/dev/null; then
    meson configure "$BUILD" -Dtests=enabled
fi
if ! out=$(ninja -C "$BUILD" cli/rutube-dl tests/fake-rutube/fake-rutube tests/fake-rutube/fake-media.stamp 2>&1); then
    echo "$out" >&2
    echo "bench: the build failed" >&2
    exit 1
fi
echo "bench: set up ($BUILD)"
