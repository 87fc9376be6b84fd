#!/usr/bin/env bash
# examples/fetch_info: a program built against the public header and the shared library only,
# run against the fake RuTube: formats listed, a download with progress, errors by code.
# With FETCH_INFO_ABI=LIBRUTUBE_0 the binary is the one built against 0.1's header
# (tests/abi/), which must call the 0.1 symbols of the options calls and work all the same.
source "$(dirname "$0")/lib.sh"
: "${FETCH_INFO:?set FETCH_INFO to the fetch_info example binary}"
start_fake

if [ -n "${FETCH_INFO_ABI:-}" ]; then
    # The versions the binary asks the dynamic linker for, of the calls that take options.
    for call in rt_client_options_init rt_client_new rt_download_options_init rt_download_new; do
        objdump -T "$FETCH_INFO" | grep -qE "[[:space:]]\\($FETCH_INFO_ABI\\)[[:space:]]+$call\$" ||
            fail "$FETCH_INFO does not call $call@$FETCH_INFO_ABI: $(objdump -T "$FETCH_INFO" | grep "$call")"
    done
    ok "the binary calls the $FETCH_INFO_ABI symbols of the options calls"
fi

# FETCH_INFO_LIBRARY: the folder of the library to run it on (the 0.1 build was linked against
# a stand-in, which its run path names).
example() {
    set +e
    LD_LIBRARY_PATH="${FETCH_INFO_LIBRARY:-${LD_LIBRARY_PATH:-}}" \
        "$FETCH_INFO" "$@" >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
    STATUS=$?
    set -e
}

example --api-base "$API" "https://rutube.ru/video/$VIDEO/"
expect_status 0 "formats"
expect_in "$WORK/stdout" "title: $TITLE"
expect_in "$WORK/stdout" "  1  640x352  "
expect_in "$WORK/stdout" "  3  1280x712  "
expect_in "$WORK/stdout" "chosen (best): 1280x712"
[ "$(requests_matching 'segment-')" -eq 0 ] || fail "listing the formats fetched segments"
ok "fetch_info lists the formats and fetches no segment"

example --api-base "$API" -q 480 -d "$WORK/out" "$VIDEO"
expect_status 0 "download"
expect_in "$WORK/stdout" "chosen (480): 856x480"
expect_in "$WORK/stdout" "saved: $WORK/out/$TITLE.mp4"
expect_in "$WORK/stderr" "progress: 100% (15 of 15 segments"
expect_playable "$WORK/out/$TITLE.mp4"
ok "fetch_info -q 480 -d DIR saves a playable MP4 through rt_download_run()"

# The description's chapters go into its file by default, for a program built against 0.1's
# header too (its options had no embed_chapters: it gets the default).
CHAPTERED=c4a97e2b5d1f4a3c8e6b0d2f4a6c8e0a
example --api-base "$API" -d "$WORK/chapters" "$CHAPTERED"
expect_status 0 "download with chapters"
[ "$(ffprobe -v error -show_entries chapter_tags=title -of csv=p=0 "$WORK/chapters/Разбор сезона: три части.mp4" | tr '\n' ';')" = "Вступление;Основная часть;Итоги 🎬;" ] ||
    fail "chapters: $(ffprobe -v error -show_entries chapter_tags=title -of csv=p=0 "$WORK/chapters/"*.mp4)"
ok "the description's three chapters are in the MP4, embed_chapters being on by default"

example --api-base "$API" "$UNKNOWN"
expect_status 1 "unknown video"
expect_in "$WORK/stderr" "(E_NOT_FOUND)"
ok "an unknown video is RT_E_NOT_FOUND with the library's sentence"

example --api-base "$API" "https://example.com/video/$VIDEO/"
expect_status 2 "bad address"
expect_in "$WORK/stderr" "fetch_info: "
ok "an address of another site is refused before any request"

example --version
expect_status 0 "--version"
expect_in "$WORK/stdout" "librutube 0.2.0, libcurl "
expect_in "$WORK/stdout" ", libavformat "
ok "rt_version_string() names librutube, libcurl and libavformat"

# The library in an application that set a locale with a decimal comma (ru_RU.UTF-8, built
# into the work folder with localedef when Debian's locale sources are there): playlists still
# read "#EXTINF:4.000" and the download is whole.
mkdir -p "$WORK/locale"
if command -v localedef >/dev/null && [ -f /usr/share/i18n/locales/ru_RU ] &&
    localedef -i ru_RU -f UTF-8 "$WORK/locale/ru_RU.UTF-8" 2>/dev/null &&
    [ "$(LOCPATH="$WORK/locale" LC_ALL=ru_RU.UTF-8 locale decimal_point)" = "," ]; then
    # glibc's newlocale() under LOCPATH keeps a folder list LeakSanitizer reports (not ours).
    echo "leak:__argz_add_sep" >"$WORK/lsan.supp"
    LOCPATH="$WORK/locale" LC_ALL=ru_RU.UTF-8 \
        LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$WORK/lsan.supp" \
        example --api-base "$API" -d "$WORK/ru" "$VIDEO"
    expect_status 0 "download with LC_NUMERIC=ru_RU"
    expect_playable "$WORK/ru/$TITLE.mp4"
    ok "an application in ru_RU.UTF-8 (decimal comma) downloads a whole file"
else
    ok "# skip no ru_RU locale sources to build ru_RU.UTF-8 from (Debian's locales package)"
fi

done_testing
