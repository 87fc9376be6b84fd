#!/usr/bin/env bash
# The config file: its options come first, the command line wins, --ignore-config and
# --config-location, ~ in paths, and a broken line is a usage error naming the file and line.
source "$(dirname "$0")/lib.sh"
start_fake

config_dir="$XDG_CONFIG_HOME/rutube-dl"
config="$config_dir/config"
mkdir -p "$config_dir"
cat >"$config" <<'CONFIG'
# rutube-dl defaults
--container ts
-q 480    # small files

CONFIG

rtdl -o "$WORK/a" "$VIDEO"
expect_status 0 "with the config"
expect_same_bytes "$(segments_of landscape 856x480)" "$WORK/a/$TITLE.ts"
ok "the config's --container ts and -q 480 apply"

rtdl -o "$WORK/b" -q best "$VIDEO"
expect_status 0 "-q best on the command line"
expect_same_bytes "$(segments_of landscape 1280x712)" "$WORK/b/$TITLE.ts"
ok "-q best on the command line wins over the config's -q 480 (the config's ts stays)"

rtdl -o "$WORK/c" --ignore-config "$VIDEO"
expect_status 0 "--ignore-config"
[ ! -e "$WORK/c/$TITLE.ts" ] || fail "--ignore-config still wrote a .ts"
expect_playable "$WORK/c/$TITLE.mp4"
expect_in "$WORK/stdout" "1280x712"
ok "--ignore-config: the defaults (best, MP4)"

cat >"$WORK/other.conf" <<'CONFIG'
-o "~/My Videos"
--container=mkv
CONFIG
HOME="$WORK/home" rtdl --config-location "$WORK/other.conf" "$VIDEO"
expect_status 0 "--config-location"
[ -f "$WORK/home/My Videos/$TITLE.mkv" ] || fail "no $WORK/home/My Videos/$TITLE.mkv"
ok "--config-location FILE replaces the config; \"~/My Videos\" is in the home folder"

printf -- '--container ts\n\n-o "unclosed\n' >"$config"
before=$(requests_matching .)
rtdl "$VIDEO"
expect_status 2 "an unclosed quote"
expect_in "$WORK/stderr" "rutube-dl: $config:3: a \" quote is not closed on this line"
[ "$(requests_matching .)" -eq "$before" ] || fail "a request was made despite the broken config"
ok "a broken line: exit 2, file:line, no request"

printf -- '--quiet\n-q 12345678\n' >"$config"
rtdl "$VIDEO"
expect_status 2 "a bad value"
expect_in "$WORK/stderr" "rutube-dl: $config:2: quality \"12345678\" is not understood"
printf -- '--container ts\n%s\n' "$VIDEO" >"$config"
rtdl "$VIDEO"
expect_status 2 "an address in the config"
expect_in "$WORK/stderr" "rutube-dl: $config:2: \"$VIDEO\" is not an option"
ok "a bad value or an address in the config: exit 2 with file:line"

rtdl --ignore-config --version
expect_status 0 "--version"
expect_in "$WORK/stdout" "librutube 0.2.0, libcurl "
expect_in "$WORK/stdout" ", libavformat "
ok "--version names librutube, libcurl and libavformat"

done_testing
