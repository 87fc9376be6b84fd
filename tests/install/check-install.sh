#!/usr/bin/env bash
# `meson install` into a scratch root, then check what a user (and a Debian package) gets: the
# files in their standard places and nothing outside the prefix, the tool running from there,
# and librutube usable by another program through pkg-config, shared and static.
#   tests/install/check-install.sh MESON BUILD_DIR SOURCE_DIR
# (No `producer | grep -q` here: with pipefail, grep's early exit would fail the producer.)
# Environment (meson's test sets it): PREFIX BINDIR LIBDIR INCLUDEDIR MANDIR DATADIR LOCALEDIR
# as meson was configured, CC, CATALOG (yes when the messages' catalog is built); optionally
# FAKE_RUTUBE and FAKE_MEDIA to run the example against.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 MESON BUILD_DIR SOURCE_DIR" >&2; exit 2; }
meson=$1 build=$2 source=$3
: "${PREFIX:?}" "${BINDIR:?}" "${LIBDIR:?}" "${INCLUDEDIR:?}" "${MANDIR:?}" "${DATADIR:?}"
: "${LOCALEDIR:?}" "${CATALOG:?}"

root=$(mktemp -d "${TMPDIR:-/tmp}/rtdl-install.XXXXXX")
fake_pid=
cleanup() {
    [ -z "$fake_pid" ] || kill "$fake_pid" 2>/dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT
checks=0
ok() {
    checks=$((checks + 1))
    echo "ok $checks - $*"
}
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Meson's directories are relative to the prefix unless absolute.
under_prefix() {
    case $1 in /*) echo "$1" ;; *) echo "$PREFIX/$1" ;; esac
}
bindir=$root$(under_prefix "$BINDIR")
libdir=$root$(under_prefix "$LIBDIR")
includedir=$root$(under_prefix "$INCLUDEDIR")
mandir=$root$(under_prefix "$MANDIR")
datadir=$root$(under_prefix "$DATADIR")

"$meson" install -C "$build" --no-rebuild --destdir "$root" >"$root.log" 2>&1 ||
    { cat "$root.log" >&2; rm -f "$root.log"; fail "meson install failed"; }
rm -f "$root.log"
ok "meson install --destdir into a scratch root"

for f in "$bindir/rutube-dl" "$libdir/librutube.so.0.2.0" "$libdir/librutube.a" \
    "$includedir/rutube/rutube.h" "$libdir/pkgconfig/librutube.pc" \
    "$mandir/man1/rutube-dl.1" "$mandir/man3/librutube.3"; do
    [ -f "$f" ] || fail "not installed: ${f#"$root"}"
done
[ "$(readlink "$libdir/librutube.so.0")" = librutube.so.0.2.0 ] ||
    fail "librutube.so.0 is not a link to librutube.so.0.2.0"
[ "$(readlink "$libdir/librutube.so")" = librutube.so.0 ] ||
    fail "librutube.so (for the linker) is not a link to librutube.so.0"
soname=$(objdump -p "$libdir/librutube.so.0.2.0" | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = librutube.so.0 ] || fail "the soname is \"$soname\", not librutube.so.0"
ok "bin/rutube-dl, librutube.so.0 -> librutube.so.0.2.0 (soname librutube.so.0), librutube.a, rutube/rutube.h, librutube.pc, rutube-dl.1, librutube.3"

for name in bash-completion/completions/rutube-dl zsh/site-functions/_rutube-dl \
    fish/vendor_completions.d/rutube-dl.fish; do
    found=$(find "$root" -path "*/$name" | head -n1)
    [ -n "$found" ] || fail "no completion */$name installed"
done
ok "bash, zsh and fish completions"

# Everything lands under the prefix (a Debian package's files), and no build path is left in
# the binaries (meson drops the build tree's RUNPATH on install).
outside=$(cd "$root" && find . ! -type d | sed 's|^\.||' | grep -v "^$PREFIX/" || true)
[ -z "$outside" ] || fail "installed outside $PREFIX: $outside"
for f in "$bindir/rutube-dl" "$libdir/librutube.so.0.2.0"; do
    if grep -qE 'RPATH|RUNPATH' <<<"$(readelf -d "$f")"; then
        fail "${f#"$root"} keeps a RUNPATH: $(readelf -d "$f" | grep -E 'RPATH|RUNPATH')"
    fi
done
ok "every file under $PREFIX; no RUNPATH in the installed binaries"

export LD_LIBRARY_PATH=$libdir
grep -qF "librutube.so.0 => $libdir/librutube.so.0" <<<"$(ldd "$bindir/rutube-dl")" ||
    fail "the installed rutube-dl does not load the installed librutube.so.0: $(ldd "$bindir/rutube-dl")"
version=$("$bindir/rutube-dl" --ignore-config --version)
for part in "librutube 0.2.0" "libcurl " "libavformat "; do
    grep -qF "$part" <<<"$version" || fail "rutube-dl --version lacks \"$part\": $version"
done
ok "the installed rutube-dl runs on the installed librutube.so.0: $(tail -n1 <<<"$version")"

# The command's Russian: the catalog where the binary looks for it (its LOCALEDIR, compiled in),
# and read from there (pointed into the scratch root, as the path is the prefix's).
if [ "$CATALOG" = yes ]; then
    localedir=$(under_prefix "$LOCALEDIR")
    [ -f "$root$localedir/ru/LC_MESSAGES/rutube-dl.mo" ] ||
        fail "no $localedir/ru/LC_MESSAGES/rutube-dl.mo installed"
    grep -qaF "$localedir" "$bindir/rutube-dl" || fail "rutube-dl does not look in $localedir"
    help=$(RUTUBE_DL_LOCALEDIR=$root$localedir LC_ALL=C.UTF-8 LANGUAGE=ru \
        "$bindir/rutube-dl" --ignore-config --help)
    grep -qF "Использование: rutube-dl" <<<"$help" || fail "the installed catalog gives no Russian --help"
    ok "the Russian catalog in $localedir, where rutube-dl looks, and --help in Russian from it"
fi

# Another program, built from the installed files only: pkg-config with the prefix moved.
export PKG_CONFIG_PATH=$libdir/pkgconfig
pc=(pkg-config --define-variable=prefix="$root$PREFIX")
cflags=$("${pc[@]}" --cflags librutube) || fail "pkg-config --cflags librutube failed"
libs=$("${pc[@]}" --libs librutube) || fail "pkg-config --libs librutube failed"
[ "$("${pc[@]}" --modversion librutube)" = 0.2.0 ] || fail "librutube.pc's version is not 0.2.0"
grep -qF -- "-I$includedir" <<<"$cflags" || fail "--cflags does not point into the scratch root: $cflags"
grep -qF -- "-L$libdir" <<<"$libs" || fail "--libs does not point into the scratch root: $libs"
# shellcheck disable=SC2086 # the flags are words
"${CC:-cc}" -std=c11 -Wall -Wextra -Werror "$source/examples/fetch_info.c" $cflags $libs \
    -o "$root/fetch_info" || fail "examples/fetch_info.c does not build against the installed copy"
grep -qF "librutube.so.0 => $libdir/librutube.so.0" <<<"$(ldd "$root/fetch_info")" ||
    fail "fetch_info does not load the installed librutube.so.0"
grep -qF "librutube 0.2.0" <<<"$("$root/fetch_info" --version)" || fail "fetch_info --version failed"
ok "pkg-config --cflags --libs librutube: $cflags $libs; fetch_info builds and runs"

# librutube.a with what librutube.pc says it needs (Libs.private, and Requires.private linked
# as shared libraries: Debian ships libcurl's own dependencies without static archives).
pc_file=$libdir/pkgconfig/librutube.pc
private_libs=$(sed -n 's/^Libs.private: //p' "$pc_file")
private_requires=$(sed -n 's/^Requires.private: //p' "$pc_file" | sed -E 's/[<>=]+ *[0-9.]+//g; s/,/ /g')
# shellcheck disable=SC2086 # the flags are words
static_libs="$private_libs $(pkg-config --libs $private_requires)"
# shellcheck disable=SC2086
"${CC:-cc}" -std=c11 -Wall -Wextra -Werror "$source/examples/fetch_info.c" $cflags \
    "$libdir/librutube.a" $static_libs -o "$root/fetch_info_static" ||
    fail "examples/fetch_info.c does not link with librutube.a and librutube.pc's private libraries"
if grep -q librutube <<<"$(ldd "$root/fetch_info_static")"; then
    fail "the static build loads librutube.so"
fi
grep -qF "librutube 0.2.0" <<<"$(LD_LIBRARY_PATH= "$root/fetch_info_static" --version)" ||
    fail "the static fetch_info does not run"
ok "librutube.a with librutube.pc's Libs.private and Requires.private: $static_libs"

if [ -n "${FAKE_RUTUBE:-}" ] && [ -n "${FAKE_MEDIA:-}" ]; then
    "$FAKE_RUTUBE" --media "$FAKE_MEDIA" --port-file "$root/port" >"$root/fake.out" 2>&1 &
    fake_pid=$!
    for _ in $(seq 100); do
        [ -s "$root/port" ] && break
        sleep 0.05
    done
    [ -s "$root/port" ] || fail "fake-rutube did not start: $(cat "$root/fake.out")"
    api=$(head -n1 "$root/port")
    out=$("$root/fetch_info" --api-base "$api" 2ce725b3dc1a243f8456458975ecd872) ||
        fail "the installed-copy fetch_info failed against the fake: $out"
    grep -qF "chosen (best): 1280x712" <<<"$out" || fail "unexpected fetch_info output: $out"
    ok "fetch_info built against the installed copy reads a video from the fake RuTube"
fi
echo "1..$checks"
