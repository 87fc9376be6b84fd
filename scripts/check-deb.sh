#!/usr/bin/env bash
# Build the Debian packages from a clean export of the committed tree and check them:
#   scripts/check-deb.sh [OUT_DIR]        (default: a temporary folder, removed afterwards)
# dpkg-buildpackage -b -us -uc must make rutube-dl, rutube-dl-gtk, librutube0 and
# librutube-dev; each is unpacked into a scratch root (dpkg -x), its files and dependencies
# are checked, and the unpacked rutube-dl must run (--version) against the unpacked library.
# The packages' own tests are skipped (DEB_BUILD_OPTIONS=nocheck): `make test` runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh deb

work=$(mktemp -d "${TMPDIR:-/tmp}/rutube-deb.XXXXXX")
keep=${1:-}
trap '[ -n "$keep" ] || rm -rf "$work"' EXIT
fail() {
    echo "check-deb: FAIL: $*" >&2
    exit 1
}

# The committed tree plus debian/ as it is now (so a change to the packaging is tried before
# it is committed), built outside the working copy so no build folder leaks in.
mkdir "$work/src"
git archive HEAD | tar -x -C "$work/src"
rm -rf "$work/src/debian" && cp -r debian "$work/src/debian"
(cd "$work/src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
    dpkg-buildpackage -b -us -uc >"$work/build.log" 2>&1) ||
    { tail -n 40 "$work/build.log" >&2; fail "dpkg-buildpackage failed (log: $work/build.log)"; }
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

root="$work/root"
mkdir "$root"
for package in rutube-dl rutube-dl-gtk librutube0 librutube-dev; do
    deb="$work/${package}_${version}_${arch}.deb"
    [ -f "$deb" ] || fail "no package $package"
    dpkg-deb -x "$deb" "$root"
    echo "check-deb: $package $(dpkg-deb -f "$deb" Version): $(dpkg-deb -c "$deb" | grep -vc '/$') files"
done

expect_file() {
    [ -e "$root/$1" ] || fail "$1 is in no package"
}
expect_file usr/bin/rutube-dl
expect_file usr/bin/rutube-dl-gtk
expect_file "usr/lib/$multiarch/librutube.so.0"
expect_file "usr/lib/$multiarch/librutube.so"
expect_file "usr/lib/$multiarch/librutube.a"
expect_file "usr/lib/$multiarch/pkgconfig/librutube.pc"
expect_file usr/include/rutube/rutube.h
expect_file usr/share/man/man1/rutube-dl.1.gz
expect_file usr/share/man/man3/librutube.3.gz
expect_file usr/share/bash-completion/completions/rutube-dl
expect_file usr/share/applications/io.github.RutubeDl.desktop
expect_file usr/share/metainfo/io.github.RutubeDl.metainfo.xml
expect_file usr/share/locale/ru/LC_MESSAGES/rutube-dl.mo

# The messages' catalog is the command's (the window shares it and recommends rutube-dl).
grep -q 'usr/share/locale/ru/LC_MESSAGES/rutube-dl.mo$' <<<"$(dpkg-deb -c "$work/rutube-dl_${version}_${arch}.deb")" ||
    fail "the Russian catalog is not in the rutube-dl package"
dpkg-deb -f "$work/rutube-dl-gtk_${version}_${arch}.deb" Recommends | grep -q "rutube-dl (= $version)" ||
    fail "rutube-dl-gtk does not recommend rutube-dl (= $version), which holds its translations"
out=$(RUTUBE_DL_LOCALEDIR="$root/usr/share/locale" LC_ALL=C.UTF-8 LANGUAGE=ru \
    LD_LIBRARY_PATH="$root/usr/lib/$multiarch" "$root/usr/bin/rutube-dl" --ignore-config --help)
grep -q "Использование: rutube-dl" <<<"$out" || fail "the packaged catalog gives no Russian --help"

# The split: the command and the window need the library package, at exactly this version.
for package in rutube-dl rutube-dl-gtk librutube-dev; do
    dpkg-deb -f "$work/${package}_${version}_${arch}.deb" Depends | grep -q "librutube0 (= $version)" ||
        fail "$package does not depend on librutube0 (= $version)"
done
dpkg-deb -f "$work/librutube0_${version}_${arch}.deb" Depends | grep -q libavformat ||
    fail "librutube0 does not depend on libavformat (loaded with dlopen, so it must be said)"

# The unpacked command runs against the unpacked library, not anything installed.
out=$(LD_LIBRARY_PATH="$root/usr/lib/$multiarch" "$root/usr/bin/rutube-dl" --version)
grep -q "librutube" <<<"$out" || fail "rutube-dl --version said: $out"
ldd_out=$(LD_LIBRARY_PATH="$root/usr/lib/$multiarch" ldd "$root/usr/bin/rutube-dl")
grep -q "librutube.so.0 => $root" <<<"$ldd_out" || fail "rutube-dl does not load the packaged librutube: $ldd_out"
echo "check-deb: $(head -n1 <<<"$out")"
echo "check-deb: 4 packages built and checked"
[ -z "$keep" ] || { mkdir -p "$keep" && cp "$work"/*.deb "$keep"/ && echo "check-deb: packages in $keep"; }
