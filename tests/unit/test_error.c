/* Unit tests for lib/base/error.c: every code has words, the first failure wins, the subject
 * is named once and the reason can be had alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/errors.h"

static void error_every_code_has_text(void **state)
{
    for (int c = 0; c < RT_CODE_COUNT; c++) {
        assert_non_null(rt_strerror((enum rt_code)c));
        assert_true(strlen(rt_strerror((enum rt_code)c)) > 0);
        assert_true(strlen(rt_code_name((enum rt_code)c)) > 0);
    }
    assert_string_equal(rt_strerror((enum rt_code)9999), "unknown error");
    assert_string_equal(rt_strerror((enum rt_code) - 1), "unknown error");
    assert_string_equal(rt_code_name(RT_E_NOT_FOUND), "E_NOT_FOUND");
    assert_int_equal(RT_OK, 0);
}

/* lib/base/error.c writes RT_ERRNO_MAP's texts out again for xgettext: the two must not drift.
 * No catalog is bound here, so rt_strerror() gives the English msgid. */
static void error_texts_match_the_header(void **state)
{
#define RT_CODE_CHECK(name, msg) assert_string_equal(rt_strerror(RT_##name), msg);
    RT_ERRNO_MAP(RT_CODE_CHECK)
#undef RT_CODE_CHECK
}

static void error_first_failure_wins(void **state)
{
    struct rt_error err = {0};
    assert_int_equal(rt__fail(&err, RT_E_HTTP, "segment %d: HTTP %d", 17, 503), RT_E_HTTP);
    assert_int_equal(rt__fail(&err, RT_E_IO, "later"), RT_E_IO);
    assert_int_equal(err.code, RT_E_HTTP);
    assert_string_equal(err.message, "segment 17: HTTP 503");
    rt_error_clear(&err);
    assert_int_equal(err.code, RT_OK);
    assert_int_equal(rt__fail(&err, RT_E_NOMEM, NULL), RT_E_NOMEM);
    assert_string_equal(err.message, "out of memory");
    assert_int_equal(rt__fail(NULL, RT_E_IO, "nowhere"), RT_E_IO);
}

static void error_long_message_stays_valid_utf8(void **state)
{
    char text[2000];
    for (size_t i = 0; i + 2 < sizeof text; i += 2)
        memcpy(text + i, "Ж", 2);
    text[sizeof text - 1] = '\0';
    struct rt_error err = {0};
    /* One ASCII byte first, so the cut falls inside a two-byte character. */
    rt__fail(&err, RT_E_IO, "x%s", text);
    size_t len = strlen(err.message);
    assert_true(len < sizeof err.message);
    assert_true(((unsigned char)err.message[len - 1] & 0xC0) == 0x80); /* ends whole */
    assert_true(((unsigned char)err.message[len - 2] & 0xE0) == 0xC0);
}

/* The public call names the subject once; rt_error_reason() gives the reason back. */
static void error_subject_named_once(void **state)
{
    struct rt_error err = {0};
    rt__error_about(&err, "video %s", "abc");
    assert_int_equal(err.code, RT_OK); /* nothing to name: no failure */
    assert_string_equal(err.message, "");
    assert_string_equal(rt_error_reason(&err), "");
    rt__fail(&err, RT_E_HTTP, "segment %d of %d failed", 3, 15);
    assert_string_equal(rt_error_reason(&err), "segment 3 of 15 failed"); /* no subject yet */
    rt__error_about(&err, "video %s", "abc");
    rt__error_about(&err, "playlist %d", 7); /* already named: no second subject */
    assert_string_equal(err.message, "video abc: segment 3 of 15 failed");
    assert_string_equal(rt_error_reason(&err), "segment 3 of 15 failed");
    struct rt_error copy = err; /* a struct copy keeps the split */
    assert_string_equal(rt_error_reason(&copy), "segment 3 of 15 failed");
    rt_error_clear(&err);
    assert_string_equal(rt_error_reason(&err), "");
    rt__fail(&err, RT_E_IO, "a reason with: a colon");
    assert_string_equal(rt_error_reason(&err), "a reason with: a colon"); /* not a subject */
    assert_string_equal(rt_error_reason(NULL), "");
}

/* A caller who builds an rt_error by hand (or one from 0.1.0) gets its whole message back,
 * whatever the last byte holds; an empty message gives the code's text. */
static void error_reason_of_foreign_errors(void **state)
{
    struct rt_error err = {0};
    err.code = RT_E_NOT_FOUND;
    assert_string_equal(rt_error_reason(&err), "video not found");
    strcpy(err.message, "video abc: gone");
    err.message[RT_ERROR_MESSAGE_SIZE - 1] = (char)200; /* past the end of the text */
    assert_string_equal(rt_error_reason(&err), "video abc: gone");
    err.message[RT_ERROR_MESSAGE_SIZE - 1] = (char)5; /* not just after ": " */
    assert_string_equal(rt_error_reason(&err), "video abc: gone");
}

/* Appending (what was kept) and naming both respect the size and stay whole UTF-8. */
static void error_append_and_subject_fit(void **state)
{
    char text[600];
    for (size_t i = 0; i + 2 < sizeof text; i += 2)
        memcpy(text + i, "Ж", 2);
    text[sizeof text - 1] = '\0';
    struct rt_error err = {0};
    rt__fail(&err, RT_E_NETWORK, "%s", "cut");
    rt__error_append(&err, "; %zu of %zu segments are kept", (size_t)4, (size_t)15);
    assert_string_equal(err.message, "cut; 4 of 15 segments are kept");
    rt__error_append(&err, "x%s", text);
    size_t len = strlen(err.message);
    assert_true(len < RT_ERROR_MESSAGE_SIZE - 1);
    assert_true(((unsigned char)err.message[len - 1] & 0xC0) == 0x80);
    rt__error_about(&err, "видео %s", "abc");
    assert_memory_equal(err.message, "видео abc: cut; 4 of 15", strlen("видео abc: cut; 4 of 15"));
    assert_memory_equal(rt_error_reason(&err), "cut; 4 of 15", 12);
    len = strlen(err.message);
    assert_true(len < RT_ERROR_MESSAGE_SIZE - 1);
    assert_true(((unsigned char)err.message[len - 1] & 0xC0) == 0x80);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_every_code_has_text),
        cmocka_unit_test(error_texts_match_the_header),
        cmocka_unit_test(error_first_failure_wins),
        cmocka_unit_test(error_long_message_stays_valid_utf8),
        cmocka_unit_test(error_subject_named_once),
        cmocka_unit_test(error_reason_of_foreign_errors),
        cmocka_unit_test(error_append_and_subject_fit),
    };
    return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
