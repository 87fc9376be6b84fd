#!/usr/bin/env bash
# Output files: never overwritten unless asked, hostile titles kept inside the folder.
source "$(dirname "$0")/lib.sh"
# These checks are about the stream as RuTube sends it: byte for byte.
RTDL_DEFAULTS=(--container ts)
start_fake

mkdir -p "$WORK/out"
echo "precious" >"$WORK/out/$TITLE.ts"
rtdl -o "$WORK/out" "$VIDEO"
expect_status 0 "existing file"
expect_in "$WORK/stdout" "already exists"
[ "$(cat "$WORK/out/$TITLE.ts")" = "precious" ] || fail "the existing file was changed"
segs=$(requests_matching 'segment-')
[ "$segs" -eq 0 ] || fail "segments were fetched for a file that exists"
ok "an existing file is skipped (exit 0) and left alone"

rtdl -o "$WORK/out" --force "$VIDEO"
expect_status 0 "--force"
expect_same_bytes "$(segments_of landscape 1280x712)" "$WORK/out/$TITLE.ts"
ok "--force replaces it"

rtdl --quiet -o "$WORK/hostile" "$HOSTILE"
expect_status 0 "hostile title"
[ ! -e "$WORK/etc" ] && [ ! -e /etc/passwd.ts ] || fail "a file escaped the folder"
count=$(find "$WORK/hostile" -type f | wc -l)
[ "$count" -eq 1 ] || fail "expected one file in the folder, found $count"
file=$(find "$WORK/hostile" -type f)
case "$(basename "$file")" in
*/* | .* | -*) fail "unsafe name: $file" ;;
*.ts) ;;
*) fail "no .ts extension: $file" ;;
esac
if LC_ALL=C grep -qP '[\x00-\x1f]' <<<"$(basename "$file")"; then fail "control characters kept"; fi
expect_same_bytes "$(segments_of landscape 1280x712)" "$file"
ok "a title like ../../etc/passwd with control characters stays in the folder: $(basename "$file")"

rtdl --quiet -o "$WORK/long" "$LONG"
expect_status 0 "long title"
file=$(find "$WORK/long" -type f)
len=$(printf '%s' "$(basename "$file")" | wc -c)
[ "$len" -le 200 ] || fail "name is $len bytes"
iconv -f UTF-8 -t UTF-8 <<<"$(basename "$file")" >/dev/null || fail "name is not valid UTF-8"
case "$(basename "$file")" in Очень\ длинное*.ts) ;; *) fail "unexpected name $file" ;; esac
ok "a 400-byte title is cut to $len bytes on a character boundary"

rtdl --container avi "$VIDEO"
expect_status 2 "unknown container"
expect_in "$WORK/stderr" "is not one of mp4, ts, mkv"
ok "an unknown container is bad usage"

done_testing
