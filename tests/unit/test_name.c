/* Unit tests for lib/output/name.c: titles of every kind into safe, readable file names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rutube/rutube.h"

#define ID "2ce725b3dc1a243f8456458975ecd872"

static const char *name(const char *title)
{
    static char out[256];
    assert_int_equal(rt_filename_from_title(title, ID, "ts", out, sizeof out), RT_OK);
    return out;
}

/* Whether `s` is valid UTF-8 (a cut in the middle of a character would not be). */
static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80             ? 1
                   : (*p & 0xE0) == 0xC0 ? 2
                   : (*p & 0xF0) == 0xE0 ? 3
                   : (*p & 0xF8) == 0xF0 ? 4
                                         : 0;
        if (n == 0)
            return false;
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

static void name_keeps_cyrillic_and_punctuation(void **state)
{
    assert_string_equal(name("Пальцы | Трейлер | PREMIER"), "Пальцы | Трейлер | PREMIER.ts");
    assert_string_equal(name("Что? Где? Когда: \"финал\""), "Что? Где? Когда: \"финал\".ts");
    assert_string_equal(name("Котики 🐱 и собаки 🐶"), "Котики 🐱 и собаки 🐶.ts");
}

static void name_replaces_what_the_file_system_forbids(void **state)
{
    assert_string_equal(name("AC/DC / Live"), "AC_DC _ Live.ts");
    assert_string_equal(name("a\nb\tc\rd"), "a b c d.ts");
    assert_string_equal(name("x\x01\x02y\x7fz"), "x y z.ts");
    assert_string_equal(name("  many     spaces   "), "many spaces.ts");
}

static void name_no_escape_from_the_folder(void **state)
{
    const char *n = name("../../etc/passwd");
    assert_null(strchr(n, '/'));
    assert_true(n[0] != '.');
    assert_string_equal(n, "_.._etc_passwd.ts");
    n = name("/etc/passwd");
    assert_null(strchr(n, '/'));
    assert_string_equal(name(".."), ID ".ts");
    assert_string_equal(name("."), ID ".ts");
    assert_string_equal(name("/"), ID ".ts");
    assert_string_equal(name(".hidden"), "hidden.ts");
    assert_string_equal(name("--help"), "help.ts");
    assert_string_equal(name("-rf ."), "rf.ts");
}

static void name_empty_or_punctuation_falls_back_to_id(void **state)
{
    assert_string_equal(name(""), ID ".ts");
    assert_string_equal(name(NULL), ID ".ts");
    assert_string_equal(name("   "), ID ".ts");
    assert_string_equal(name("..."), ID ".ts");
    assert_string_equal(name("\x01\x02"), ID ".ts");
    assert_string_equal(name("!?"), "!?.ts");
}

static void name_invisible_and_bidi_removed(void **state)
{
    /* U+202E would show "evil\u202Est.jpg" as "eviljpg.ts" reversed. */
    assert_string_equal(name("evil\xE2\x80\xAEgpj.ts"), "evilgpj.ts.ts");
    assert_string_equal(name("zero\xE2\x80\x8Bwidth"), "zerowidth.ts");
}

static void name_invalid_utf8_replaced(void **state)
{
    const char *n = name("bad\xC3(\xFF\xFE end");
    assert_true(valid_utf8(n));
    assert_string_equal(n, "bad_(__ end.ts");
    assert_true(valid_utf8(name("\xED\xA0\x80 surrogate")));
    assert_true(valid_utf8(name("\xC0\xAF overlong")));
}

static void name_long_titles_cut_on_character_boundary(void **state)
{
    char title[10001];
    for (size_t i = 0; i + 2 <= 10000; i += 2)
        memcpy(title + i, "Я", 2);
    title[10000] = '\0';
    const char *n = name(title);
    assert_true(strlen(n) <= RT_FILENAME_MAX);
    assert_true(strlen(n) > RT_FILENAME_MAX - 8);
    assert_true(valid_utf8(n));
    assert_string_equal(n + strlen(n) - 3, ".ts");

    /* A 4-byte emoji straddling the limit is dropped whole. */
    char mixed[400];
    memset(mixed, 'a', 196);
    strcpy(mixed + 196, "😀😀😀");
    n = name(mixed);
    assert_true(valid_utf8(n));
    assert_true(strlen(n) <= RT_FILENAME_MAX);
}

static void name_windows_reserved(void **state)
{
    assert_string_equal(name("CON"), "CON_.ts");
    assert_string_equal(name("com1"), "com1_.ts");
    assert_string_equal(name("CONSOLE"), "CONSOLE.ts");
}

static void name_small_buffer_refused(void **state)
{
    char out[16];
    assert_int_equal(rt_filename_from_title("title", ID, "ts", out, sizeof out), RT_E_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(name_keeps_cyrillic_and_punctuation),
        cmocka_unit_test(name_replaces_what_the_file_system_forbids),
        cmocka_unit_test(name_no_escape_from_the_folder),
        cmocka_unit_test(name_empty_or_punctuation_falls_back_to_id),
        cmocka_unit_test(name_invisible_and_bidi_removed),
        cmocka_unit_test(name_invalid_utf8_replaced),
        cmocka_unit_test(name_long_titles_cut_on_character_boundary),
        cmocka_unit_test(name_windows_reserved),
        cmocka_unit_test(name_small_buffer_refused),
    };
    return cmocka_run_group_tests_name("name", tests, NULL, NULL);
}
