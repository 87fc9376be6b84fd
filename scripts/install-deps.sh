#!/usr/bin/env bash
# Install the Debian packages rutube-dl needs, only those missing.
#   scripts/install-deps.sh build   what building and running the tool needs
#   scripts/install-deps.sh test    that, plus what the tests need
#   scripts/install-deps.sh fuzz    the build's, plus clang and libFuzzer
#   scripts/install-deps.sh deb     the build's, plus what dpkg-buildpackage needs
#   scripts/install-deps.sh bench   the tests', plus the benchmark's peers and measuring tools
#   scripts/install-deps.sh demo    the build's, plus the fake RuTube's (make demo)
#   scripts/install-deps.sh format  clang-format alone (make format, make format-check)
set -euo pipefail

build_packages=(gcc make meson ninja-build pkg-config libcurl4-openssl-dev libjansson-dev
    libavformat-dev libavcodec-dev libavutil-dev libswresample-dev ca-certificates
    libgtk-4-dev libadwaita-1-dev gettext adwaita-icon-theme librsvg2-common)
fuzz_packages=(clang libclang-rt-14-dev)
format_packages=(clang-format)
deb_packages=(debhelper dpkg-dev fakeroot bash-completion)
# The fake RuTube and its media: what make demo runs the tool against (cmocka only because
# meson builds tests/, where the fake lives, when it is there).
demo_packages=(libmicrohttpd-dev libcmocka-dev ffmpeg)
# The peers (aria2, yt-dlp, ffmpeg, curl) and the measuring tools (GNU time, jq, bc).
bench_packages=(aria2 yt-dlp ffmpeg curl time jq bc coreutils)
test_packages=(libcmocka-dev libmicrohttpd-dev ffmpeg bsdutils jq valgrind util-linux openssl
    xvfb xauth dbus-daemon desktop-file-utils fonts-cantarell appstream
    groff-base man-db bash-completion zsh fish locales)

case "${1:-build}" in
build) wanted=("${build_packages[@]}") ;;
test) wanted=("${build_packages[@]}" "${test_packages[@]}") ;;
fuzz) wanted=("${build_packages[@]}" "${fuzz_packages[@]}") ;;
deb) wanted=("${build_packages[@]}" "${deb_packages[@]}") ;;
bench) wanted=("${build_packages[@]}" "${test_packages[@]}" "${bench_packages[@]}") ;;
demo) wanted=("${build_packages[@]}" "${demo_packages[@]}") ;;
format) wanted=("${format_packages[@]}") ;;
*)
    echo "usage: $0 build|test|fuzz|deb|bench|demo|format" >&2
    exit 2
    ;;
esac

missing=()
for package in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "run as root or install sudo" >&2; exit 1; }
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
