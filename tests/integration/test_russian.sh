#!/usr/bin/env bash
# The command in Russian: --help, usage errors, a download's lines, the many-video report and
# an error with the library's reason come from po/ru.po when the language is Russian
# (LANGUAGE=ru, or a real ru_RU.UTF-8 locale); English with LANGUAGE=en or the C locale. The catalog is the build's ($RUTUBE_DL_LOCALEDIR, set by meson).
source "$(dirname "$0")/lib.sh"
: "${RUTUBE_DL_LOCALEDIR:?set RUTUBE_DL_LOCALEDIR to the build folder\'s po/}"
[ -f "$RUTUBE_DL_LOCALEDIR/ru/LC_MESSAGES/rutube-dl.mo" ] ||
    fail "no catalog in $RUTUBE_DL_LOCALEDIR/ru/LC_MESSAGES"
start_fake

PLAYLIST=https://rutube.ru/plst/410001/ # main, E1, removed, C1, E2; 4 pages, the last empty

# ru ARGS...: rtdl in Russian, the way gettext allows it under C.UTF-8 (LC_ALL of meson).
ru() { LANGUAGE=ru rtdl "$@"; }

# Every line of FILE holds a Cyrillic letter: nothing was left in English.
expect_all_russian() {
    local english
    # Cyrillic letters are U+0400..U+04FF: UTF-8 lead bytes 0xD0 and 0xD1.
    english=$(LC_ALL=C grep -v $'[\xd0\xd1]' "$1" || true)
    [ -z "$english" ] || fail "$(basename "$1") has lines in English: $english"
}

# The long options a --help text names (FILE), sorted.
help_options() {
    grep -oE -- '--[a-z][a-z0-9-]*[a-z0-9]' "$1" | LC_ALL=C sort -u
}

# ---- --help ----
ru --help
expect_status 0 "--help in Russian"
cp "$WORK/stdout" "$WORK/help.ru"
for heading in "Использование: rutube-dl [ПАРАМЕТРЫ] АДРЕС..." "Одно видео:" "Много видео:" \
    "Вывод:" "Сеть:" "Файл настроек:" "Примеры:" "Код выхода:"; do
    expect_in "$WORK/help.ru" "$heading"
done
expect_not_in "$WORK/help.ru" "Single video:"
# GNU wc -L counts characters (columns) under C.UTF-8, not bytes.
width=$(wc -L <"$WORK/help.ru")
[ "$width" -le 80 ] || fail "a line of the Russian --help is $width characters wide"
# Descriptions start in the 27th column, as in English: every line that continues one.
misaligned=$(grep -nE '^ {20,}' "$WORK/help.ru" | grep -vE '^[0-9]+: {26}[^ ]' || true)
[ -z "$misaligned" ] || fail "continuation lines not in column 27: $misaligned"
LANGUAGE=en rtdl --help
cp "$WORK/stdout" "$WORK/help.en"
width=$(wc -L <"$WORK/help.en")
[ "$width" -le 80 ] || fail "a line of the English --help is $width characters wide"
[ "$(help_options "$WORK/help.ru")" = "$(help_options "$WORK/help.en")" ] ||
    fail "the Russian --help names other options: $(diff <(help_options "$WORK/help.en") \
        <(help_options "$WORK/help.ru"))"
ok "--help: Russian headings, lines within 80 characters in both languages, the same options"

# ---- usage errors ----
ru -q foo "$VIDEO"
expect_status 2 "a bad quality"
expect_in "$WORK/stderr" "rutube-dl: качество «foo» непонятно"
expect_in "$WORK/stderr" "Подробнее: «rutube-dl --help»."
expect_all_russian "$WORK/stderr"
ru --bogus "$VIDEO"
expect_status 2 "an unknown option"
expect_in "$WORK/stderr" "rutube-dl: неизвестный параметр --bogus"
ru
expect_status 2 "no address"
expect_in "$WORK/stderr" "rutube-dl: не указан адрес видео"
ok "usage errors in Russian, with the hint, exit 2"

# ---- one download ----
ru -o "$WORK/one" "$VIDEO"
expect_status 0 "a download in Russian"
expect_in "$WORK/stdout" "Скачивание «$TITLE» (1280x712, ~"
expect_in "$WORK/stdout" "сегменты 15/15"
expect_in "$WORK/stdout" "[remux] копирование потоков в MP4"
grep -qE "^Сохранено: $WORK/one/.*\.mp4 \([0-9.]+ (КиБ|МиБ)\) за [0-9.]+ с$" "$WORK/stdout" ||
    fail "no Russian \"Сохранено\" line"
expect_all_russian "$WORK/stdout"
expect_playable "$WORK/one/$TITLE.mp4"
ru -o "$WORK/one" "$VIDEO"
expect_status 0 "the file is there"
expect_in "$WORK/stdout" "$TITLE.mp4 уже существует; пропускаем (--force, чтобы заменить)"
ok "a download: its lines, the progress and \"Сохранено\" in Russian; an existing file skipped"

# ---- many videos: the report ----
ru -o "$WORK/many" --container ts "$PLAYLIST"
expect_status 1 "the playlist's removed video"
expect_in "$WORK/stdout" "$PLAYLIST: в списке 5 видео на 4 страницах, выбрано 5"
expect_in "$WORK/stdout" "[1/5] Скачивание «"
expect_in "$WORK/stdout" "Скачано 4 видео, пропущено 0, не удалось скачать 1."
expect_in "$WORK/stdout" "Не удалось скачать:"
# The report names the video by its title, then the library's reason alone (rt_error_reason):
# no "видео <id>:" in between, which stripping the English "video " left in before.
expect_in "$WORK/stdout" "  Удалённое видео: видео не найдено (ответ RuTube: «Видео удалено»)"
expect_not_in "$WORK/stdout" "a10e53b86e8f349080f718582ce4c661"
grep -qE "^Всего: [0-9.]+ МиБ за [0-9]+:[0-9]{2}\.$" "$WORK/stdout" || fail "no Russian total line"
expect_in "$WORK/stderr" "rutube-dl: ошибка: "
ru -o "$WORK/many" --container ts --playlist-items 1 "$PLAYLIST"
expect_status 0 "the first video again"
expect_in "$WORK/stdout" "в списке 1 видео на 1 странице, выбрано 1"
expect_in "$WORK/stdout" "Скачано 0 видео, пропущено 1 (уже есть), не удалось скачать 0."
ok "many videos: the list's line (plural of pages), the numbered lines and the report in Russian"

# ---- an error for an unknown video ----
ru -o "$WORK/unknown" "$UNKNOWN"
expect_status 1 "an unknown video"
[ "$(grep -c . "$WORK/stderr")" -eq 1 ] || fail "the error is not one line: $(cat "$WORK/stderr")"
expect_in "$WORK/stderr" "rutube-dl: ошибка: "
expect_in "$WORK/stderr" "$UNKNOWN"
# The library's reason is Russian too (lib/ marks it for po/ru.po).
expect_in "$WORK/stderr" "видео не найдено"
expect_not_in "$WORK/stderr" "not found"
expect_all_russian "$WORK/stderr"
ok "an unknown video: one line in Russian, the library's reason too, exit 1"

# ---- an address of another site ----
ru -o "$WORK/elsewhere" https://example.com/video/0123456789abcdef0123456789abcdef/
expect_status 2 "an address of another site"
expect_in "$WORK/stderr" "не адрес RuTube: сервер — example.com, а не rutube.ru"
expect_not_in "$WORK/stderr" "not a RuTube address"
expect_all_russian "$WORK/stderr"
ok "an address of another site: the library's reason in Russian"

# ---- -F and -q ask ----
ru -F "$VIDEO"
expect_status 0 "-F in Russian"
expect_in "$WORK/stdout" "Форматы «$TITLE»"
expect_in "$WORK/stdout" "(лучший)"
# The headings are padded by characters: "битрейт" ends where the bit rates end.
heading_end=$(grep 'разрешение' "$WORK/stdout" | sed 's/битрейт.*/битрейт/' | wc -m)
row_end=$(grep -m1 'кбит/с' "$WORK/stdout" | sed 's|кбит/с.*|кбит/с|' | wc -m)
[ "$heading_end" -eq "$row_end" ] || fail "the bit rate column: heading ends at $heading_end, rows at $row_end"
ok "-F's table in Russian, its columns lined up by characters"
LANGUAGE=ru rtdl_stdin $'x\n1\n' -q ask -o "$WORK/ask-ru" "$VIDEO" --container ts
expect_status 0 "-q ask in Russian"
expect_in "$WORK/stdout" "Выберите формат [1-"
expect_in "$WORK/stdout" "«x» — не число от 1 до "
ok "-q ask: the prompt and its complaint in Russian"

# ---- English when asked for, or in the C locale ----
LANGUAGE=en rtdl -q foo "$VIDEO"
expect_in "$WORK/stderr" "quality \"foo\" is not understood"
LANGUAGE=ru LC_ALL=C rtdl --help
expect_in "$WORK/stdout" "Single video:"
LANGUAGE=ru LC_ALL=C rtdl -q foo "$VIDEO"
expect_in "$WORK/stderr" "Try 'rutube-dl --help' for more information."
LANGUAGE=en rtdl -o "$WORK/en" --container ts "$VIDEO" "$UNKNOWN"
expect_status 1 "English run"
expect_in "$WORK/stdout" "Saved $WORK/en/$TITLE.ts"
expect_in "$WORK/stdout" "Downloaded 1, skipped 0, failed 1."
expect_in "$WORK/stderr" "rutube-dl: error: "
expect_in "$WORK/stderr" "video not found"
expect_not_in "$WORK/stderr" "видео"
LANGUAGE=en rtdl -o "$WORK/en" https://example.com/video/0123456789abcdef0123456789abcdef/
expect_in "$WORK/stderr" "not a RuTube address: the host is example.com, not rutube.ru"
ok "LANGUAGE=en and the C locale keep everything in English, the library's reasons too"

# ---- a real ru_RU.UTF-8 locale: Russian, and numbers still in C ----
# Built into the work folder with localedef when the locales' sources are there (Debian's
# `locales` package): no root, nothing generated system-wide.
mkdir -p "$WORK/locale"
if command -v localedef >/dev/null && [ -f /usr/share/i18n/locales/ru_RU ] &&
    localedef -i ru_RU -f UTF-8 "$WORK/locale/ru_RU.UTF-8" 2>/dev/null; then
    # libp11-kit (under libcurl's TLS) calls newlocale() as it loads, before main(), and keeps
    # that locale; with LOCPATH set, glibc's newlocale() allocates the folder list for it
    # (argz), which LeakSanitizer then reports in the sanitizer build. Not ours, LOCPATH only.
    echo "leak:__argz_add_sep" >"$WORK/lsan.supp"
    in_ru_locale() {
        LOCPATH="$WORK/locale" LC_ALL=ru_RU.UTF-8 LANGUAGE= \
            LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$WORK/lsan.supp" rtdl "$@"
    }
    [ "$(LOCPATH="$WORK/locale" LC_ALL=ru_RU.UTF-8 locale decimal_point)" = "," ] ||
        fail "the ru_RU locale has no decimal comma: this check would prove nothing"
    in_ru_locale -o "$WORK/locale-dl" "$VIDEO"
    expect_status 0 "a download in ru_RU.UTF-8 (the playlist's #EXTINF:4.000 read in C)"
    expect_playable "$WORK/locale-dl/$TITLE.mp4"
    grep -qE "^Сохранено: .* \([0-9]+\.[0-9] МиБ\) за [0-9]+\.[0-9] с$" "$WORK/stdout" ||
        fail "ru_RU.UTF-8: no \"Сохранено\" line with decimal dots: $(cat "$WORK/stdout")"
    in_ru_locale --print id,duration "$VIDEO"
    expect_status 0 "--print in ru_RU.UTF-8"
    grep -qE "^$VIDEO	[0-9]+$" "$WORK/stdout" || fail "--print's columns changed: $(cat "$WORK/stdout")"
    ok "ru_RU.UTF-8: Russian messages, numbers with a dot, a download and --print unharmed"
else
    ok "# skip no ru_RU locale sources to build ru_RU.UTF-8 from (Debian's locales package)"
fi

done_testing
