#!/usr/bin/env bash
# The shell completions load and complete: options, the values of --container, -q and --print.
#   tests/docs/check-completions.sh bash|zsh|fish FILE
# (check-options.sh checks that each file has every option of --help.)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 bash|zsh|fish FILE" >&2; exit 2; }
shell=$1 file=$2
status=0

# expect WHAT GOT WORD...: GOT (one candidate a line) holds each WORD.
expect() {
    local what=$1 got=$2
    shift 2
    for word in "$@"; do
        if ! grep -qxF -- "$word" <<<"$got"; then
            echo "FAIL: $shell: $what: no \"$word\" among: $(echo $got)" >&2
            status=1
            return
        fi
    done
    echo "ok: $shell: $what"
}

case $shell in
bash)
    # COMP_WORDS as bash would split the line; the function fills COMPREPLY.
    complete_bash() {
        bash --norc --noprofile -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
            _rutube_dl; printf "%s\n" "${COMPREPLY[@]}"' _ "$file" rutube-dl "$@"
    }
    expect "options" "$(complete_bash --con)" --container --concurrent-fragments --config-location
    expect "options" "$(complete_bash --li)" --limit-rate --list-formats --list-subs
    expect "--container" "$(complete_bash --container '')" mp4 mkv ts
    expect "-q" "$(complete_bash -q 7)" 720
    expect "--print" "$(complete_bash --print id,t)" id,title
    ;;
zsh)
    complete_zsh() {
        zsh -f "$(dirname "$0")/zsh-complete.zsh" "$(dirname "$(realpath "$file")")" "rutube-dl $1"
    }
    [ "$(head -n1 "$file")" = "#compdef rutube-dl" ] || { echo "FAIL: zsh: no #compdef line" >&2; exit 1; }
    expect "options" "$(complete_zsh --con)" --container --concurrent-fragments --config-location
    expect "options" "$(complete_zsh --li)" --limit-rate --list-formats --list-subs
    expect "--container" "$(complete_zsh '--container ')" mp4 mkv ts
    expect "-q" "$(complete_zsh '-q ')" 720 best
    expect "--print" "$(complete_zsh '--print t')" title
    ;;
fish)
    complete_fish() {
        fish --no-config -c "source '$file'; complete --do-complete='rutube-dl $1'" | cut -f1
    }
    expect "options" "$(complete_fish --con)" --container --concurrent-fragments --config-location
    expect "options" "$(complete_fish --li)" --limit-rate --list-formats --list-subs
    expect "--container" "$(complete_fish '--container ')" mp4 mkv ts
    expect "-q" "$(complete_fish '-q ')" 720 best
    expect "--print" "$(complete_fish '--print ')" title
    ;;
*)
    echo "unknown shell $shell" >&2
    exit 2
    ;;
esac
exit "$status"
