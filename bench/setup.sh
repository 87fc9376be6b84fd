#!/usr/bin/env bash
# Set-up for bench/run.sh: install the Debian packages the benchmark needs (only those
# missing, like scripts/install-deps.sh), then build rutube-dl, the fake RuTube and its media.
#   bench/setup.sh [BUILD_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-${BUILD:-build}}
cd "$ROOT"

# The peers (aria2, yt-dlp, ffmpeg, curl), the measuring tools (GNU time, jq, bc) and what
# the build and the fake need (scripts/install-deps.sh test: libmicrohttpd, cmocka...).
wanted=(aria2 yt-dlp ffmpeg curl time jq bc coreutils)
missing=()
for package in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: installing ${missing[*]}"
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "run as root or install sudo" >&2; exit 1; }
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
scripts/install-deps.sh test

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
