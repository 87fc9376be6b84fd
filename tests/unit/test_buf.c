/* Unit tests for lib/base/buf.c: growth, the hard cap, detaching, adopting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"

static void buf_appends_and_terminates(void **state)
{
    struct rt__buf b;
    rt__buf_init(&b, 1000);
    for (int i = 0; i < 100; i++)
        assert_int_equal(rt__buf_append(&b, "abc", 3), RT__BUF_OK);
    assert_int_equal(b.len, 300);
    assert_int_equal(b.data[300], '\0');
    assert_int_equal(memcmp(b.data, "abcabc", 6), 0);
    rt__buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    rt__buf_cleanup(&b);
}

static void buf_cap_is_hard(void **state)
{
    struct rt__buf b;
    rt__buf_init(&b, 10);
    assert_int_equal(rt__buf_append(&b, "0123456789", 10), RT__BUF_OK);
    assert_int_equal(rt__buf_append(&b, "x", 1), RT__BUF_TOO_BIG);
    assert_int_equal(b.len, 10); /* unchanged */
    assert_true(b.cap <= 11);
    rt__buf_cleanup(&b);
    rt__buf_init(&b, 10);
    assert_int_equal(rt__buf_append(&b, "0123456789A", 11), RT__BUF_TOO_BIG);
    assert_int_equal(rt__buf_append(&b, "x", SIZE_MAX), RT__BUF_TOO_BIG); /* no overflow */
    rt__buf_cleanup(&b);
}

static void buf_reserve_and_detach(void **state)
{
    struct rt__buf b;
    rt__buf_init(&b, 1 << 20);
    assert_int_equal(rt__buf_reserve(&b, 5000), RT__BUF_OK);
    assert_true(b.cap >= 5001);
    char *before = b.data;
    assert_int_equal(rt__buf_append(&b, "hello", 5), RT__BUF_OK);
    assert_ptr_equal(b.data, before); /* reserved: no reallocation */
    size_t len;
    char *data = rt__buf_detach(&b, &len);
    assert_int_equal(len, 5);
    assert_string_equal(data, "hello");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    free(data);
    assert_null(rt__buf_detach(&b, &len));
    rt__buf_cleanup(&b);
}

/* A detached buffer's memory taken back, with what it held: no copy, the cap and the NUL kept,
 * and appending goes on in place while it fits. */
static void buf_adopts_detached_memory(void **state)
{
    struct rt__buf a, b;
    rt__buf_init(&a, 1 << 20);
    rt__buf_init(&b, 1 << 20);
    assert_int_equal(rt__buf_reserve(&a, 4096), RT__BUF_OK);
    assert_int_equal(rt__buf_append(&a, "segment", 7), RT__BUF_OK);
    assert_int_equal(rt__buf_append(&b, "old", 3), RT__BUF_OK); /* freed by the adoption */
    size_t len, cap = a.cap;
    char *memory = rt__buf_detach(&a, &len);
    rt__buf_adopt(&b, memory, 3, cap); /* keeps "seg" */
    assert_ptr_equal(b.data, memory);
    assert_int_equal(b.len, 3);
    assert_int_equal(b.cap, cap);
    assert_string_equal(b.data, "seg");
    assert_int_equal(rt__buf_append(&b, "ment", 4), RT__BUF_OK);
    assert_ptr_equal(b.data, memory);
    assert_string_equal(b.data, "segment");
    rt__buf_cleanup(&b);
    rt__buf_cleanup(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_appends_and_terminates),
        cmocka_unit_test(buf_cap_is_hard),
        cmocka_unit_test(buf_reserve_and_detach),
        cmocka_unit_test(buf_adopts_detached_memory),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
