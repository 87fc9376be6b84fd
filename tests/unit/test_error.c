/* Unit tests for lib/error.c: every code has words, the first failure wins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "errors.h"

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

/* lib/error.c writes RT_ERRNO_MAP's texts out again for xgettext: the two must not drift.
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_every_code_has_text),
        cmocka_unit_test(error_texts_match_the_header),
        cmocka_unit_test(error_first_failure_wins),
        cmocka_unit_test(error_long_message_stays_valid_utf8),
    };
    return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
