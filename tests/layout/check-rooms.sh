#!/usr/bin/env bash
# lib/'s rooms follow the data flow (lib/README.md): a file may include the headers of its own
# room and of the rooms before it, never one after it, and the top level (lib/*.c) only from
# above. The HLS engine and the media room know nothing of rutube.ru: they include nothing
# from site/. Every include of the library's own headers names its room ("hls/sink.h").
#   check-rooms.sh LIBDIR              check (a meson test)
#   check-rooms.sh --self-test LIBDIR  also prove that a wrong include is caught
set -euo pipefail

rooms=(base site hls media output)
# Rooms that must stay generic: they may not include site/ whatever the order says.
generic=(base hls media)

index_of() {
    local i
    for i in "${!rooms[@]}"; do
        [ "${rooms[$i]}" = "$1" ] && { echo "$i"; return; }
    done
    echo -1
}

# check LIBDIR: prints one line per fault, exits 1 when there is any.
check() {
    local lib=$1 faults=0 file room from inc target to
    while IFS= read -r file; do
        room=$(dirname "${file#"$lib"/}")
        [ "$room" = . ] && room=top
        if [ "$room" = top ]; then
            from=${#rooms[@]}
        else
            from=$(index_of "$room")
            if [ "$from" -lt 0 ]; then
                echo "$file: lib/$room/ is not a room of lib/README.md"
                faults=$((faults + 1))
                continue
            fi
        fi
        while IFS= read -r inc; do
            [ -n "$inc" ] || continue
            case $inc in
            rutube/*) continue ;; # the public header
            */*) target=${inc%%/*} ;;
            *) target=top ;; # lib/format.h: the top level's own headers
            esac
            if [ ! -f "$lib/$inc" ]; then
                if [ -f "$(dirname "$file")/$inc" ]; then
                    echo "$file: #include \"$inc\" does not name its room"
                else
                    echo "$file: #include \"$inc\": no such header in lib/"
                fi
                faults=$((faults + 1))
                continue
            fi
            if [ "$target" = top ]; then
                to=${#rooms[@]}
            else
                to=$(index_of "$target")
            fi
            if [ "$to" -gt "$from" ]; then
                echo "$file: #include \"$inc\": $room/ comes before $target/ in the flow"
                faults=$((faults + 1))
            fi
            if [ "$target" = site ] && [[ " ${generic[*]} " == *" $room "* ]]; then
                echo "$file: #include \"$inc\": $room/ must not know rutube.ru"
                faults=$((faults + 1))
            fi
        done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file")
    done < <(find "$lib" -name '*.[ch]' | LC_ALL=C sort)
    [ "$faults" -eq 0 ]
}

self_test=false
if [ "${1:-}" = --self-test ]; then
    self_test=true
    shift
fi
[ $# -eq 1 ] || { echo "usage: $0 [--self-test] LIBDIR" >&2; exit 2; }
lib=${1%/}

if ! out=$(check "$lib"); then
    echo "not ok 1 - lib/'s includes follow the rooms:"
    echo "$out" | sed 's/^/#   /'
    exit 1
fi
echo "ok 1 - every include in lib/ names its room, and no room includes one after it"
n=1
if $self_test; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/rtdl-rooms.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    # Each case: a file to plant, its include line, and the words the fault must carry.
    cases=(
        "base/planted.c|#include \"hls/sink.h\"|base/ comes before hls/"
        "hls/planted.c|#include \"site/api.h\"|must not know rutube.ru"
        "media/planted.h|#include \"output/name.h\"|media/ comes before output/"
        "output/planted.c|#include \"name.h\"|does not name its room"
        "site/planted.c|#include \"format.h\"|site/ comes before top/"
        "hls/planted.c|#include \"hls/nothing.h\"|no such header"
    )
    for c in "${cases[@]}"; do
        IFS='|' read -r where line words <<<"$c"
        n=$((n + 1))
        rm -rf "$work/lib"
        cp -r "$lib" "$work/lib"
        printf '%s\n' "$line" >"$work/lib/$where"
        if out=$(check "$work/lib"); then
            echo "not ok $n - a planted $line in $where went unnoticed"
            exit 1
        fi
        echo "$out" | grep -qF "$words" || {
            echo "not ok $n - the fault for $line in $where does not say \"$words\": $out"
            exit 1
        }
        echo "ok $n - $line in lib/$where is caught ($words)"
    done
fi
echo "1..$n"
