/* Unit tests for lib/output/printable.c: text from a server shown, never obeyed, by a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rutube/rutube.h"

static const char *shown(const char *text)
{
    static char out[512];
    size_t len = rt_text_printable(text, out, sizeof out);
    assert_int_equal(len, strlen(out));
    return out;
}

static void printable_keeps_ordinary_text(void **state)
{
    (void)state;
    assert_string_equal(shown("Пальцы | Трейлер | PREMIER"), "Пальцы | Трейлер | PREMIER");
    assert_string_equal(shown("日本語 🎬 émoji"), "日本語 🎬 émoji");
    assert_string_equal(shown(""), "");
    assert_string_equal(shown(NULL), "");
}

static void printable_escapes_terminal_sequences(void **state)
{
    (void)state;
    /* A window title set, a colour, a screen cleared: each ESC and BEL made visible. */
    assert_string_equal(shown("\x1b]0;pwned\x07\x1b[31mred\x1b[0m\x1b[2J"),
                        "\\x1b]0;pwned\\x07\\x1b[31mred\\x1b[0m\\x1b[2J");
    assert_string_equal(shown("a\x7f"
                              "b\x01"
                              "c"),
                        "a\\x7fb\\x01c");
}

static void printable_escapes_c1_controls(void **state)
{
    (void)state;
    /* U+009B (CSI in one character, as UTF-8 C2 9B) and a lone 0x9b byte (not UTF-8). */
    assert_string_equal(shown("x\xc2\x9b"
                              "31m"),
                        "x\\u009b31m");
    assert_string_equal(shown("x\x9b"
                              "31m"),
                        "x\\x9b31m");
    assert_string_equal(shown("\xc2\x85"), "\\u0085");
}

static void printable_escapes_direction_marks(void **state)
{
    (void)state;
    assert_string_equal(shown("\xe2\x80\xae"
                              "evil\xe2\x80\xac"),
                        "\\u202eevil\\u202c");
    assert_string_equal(shown("\xe2\x81\xa6"
                              "x\xe2\x81\xa9"),
                        "\\u2066x\\u2069");
    assert_string_equal(shown("\xe2\x80\x8f\xd8\x9c"), "\\u200f\\u061c");
}

static void printable_one_line(void **state)
{
    (void)state;
    assert_string_equal(shown("one\ntwo\r\nthree\tfour"), "one two  three four");
}

static void printable_invalid_utf8_made_visible(void **state)
{
    (void)state;
    assert_string_equal(shown("\xff\xfe"), "\\xff\\xfe");
    assert_string_equal(shown("\xc0\xaf"), "\\xc0\\xaf");          /* overlong '/' */
    assert_string_equal(shown("\xed\xa0\x80"), "\\xed\\xa0\\x80"); /* a surrogate */
    assert_string_equal(shown("ok\xd0"), "ok\\xd0");               /* cut at the end */
}

/* A small buffer ends the text before a whole piece, never inside a character or an escape. */
static void printable_cut_on_piece_boundary(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(rt_text_printable("abcd\x1b"
                                       "ef",
                                       out, sizeof out),
                     4);
    assert_string_equal(out, "abcd");
    assert_int_equal(rt_text_printable("абвг", out, sizeof out), 6);
    assert_string_equal(out, "абв");
    assert_int_equal(rt_text_printable("x", out, 0), 0);
    assert_int_equal(rt_text_printable("x", NULL, 8), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(printable_keeps_ordinary_text),
        cmocka_unit_test(printable_escapes_terminal_sequences),
        cmocka_unit_test(printable_escapes_c1_controls),
        cmocka_unit_test(printable_escapes_direction_marks),
        cmocka_unit_test(printable_one_line),
        cmocka_unit_test(printable_invalid_utf8_made_visible),
        cmocka_unit_test(printable_cut_on_piece_boundary),
    };
    return cmocka_run_group_tests_name("printable", tests, NULL, NULL);
}
