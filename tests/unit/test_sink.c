/* Unit tests for lib/sink.c: out-of-order segments become an in-order file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sink.h"

static char *copy(const char *s)
{
    return strdup(s);
}

static void read_file(const char *path, char *out, size_t size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(out, 1, size - 1, f);
    out[n] = '\0';
    fclose(f);
}

static void sink_orders_segments(void **state)
{
    char path[] = "/tmp/rt-sink-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    struct rt__sink *sink;
    struct rt_error err = {0};
    assert_int_equal(rt__sink_open(path, 3, 0, 0, &sink, &err), RT_OK);
    assert_true(rt__sink_has_room(sink, 0));
    assert_true(rt__sink_has_room(sink, 2));
    assert_false(rt__sink_has_room(sink, 3)); /* the window bounds memory */

    assert_int_equal(rt__sink_put(sink, 2, copy("CC"), 2, &err), RT_OK);
    assert_int_equal(rt__sink_put(sink, 1, copy("B"), 1, &err), RT_OK);
    assert_int_equal(rt__sink_next(sink), 0);
    assert_int_equal(rt__sink_waiting_bytes(sink), 3);
    assert_int_equal(rt__sink_put(sink, 0, copy("AAA"), 3, &err), RT_OK);
    assert_int_equal(rt__sink_next(sink), 3);
    assert_int_equal(rt__sink_written(sink), 6);
    assert_int_equal(rt__sink_waiting_bytes(sink), 0);
    assert_true(rt__sink_has_room(sink, 5));
    assert_false(rt__sink_has_room(sink, 2)); /* already written */
    assert_int_equal(rt__sink_put(sink, 3, copy("D"), 1, &err), RT_OK);
    assert_int_equal(rt__sink_finish(sink, &err), RT_OK);
    rt__sink_free(sink);

    char text[64];
    read_file(path, text, sizeof text);
    assert_string_equal(text, "AAABCCD");
    unlink(path);
}

static void sink_refuses_out_of_window(void **state)
{
    char path[] = "/tmp/rt-sink-XXXXXX";
    close(mkstemp(path));
    struct rt__sink *sink;
    struct rt_error err = {0};
    assert_int_equal(rt__sink_open(path, 2, 0, 0, &sink, &err), RT_OK);
    assert_int_equal(rt__sink_put(sink, 5, copy("x"), 1, &err), RT_E_IO);
    rt_error_clear(&err);
    assert_int_equal(rt__sink_put(sink, 1, copy("x"), 1, &err), RT_OK);
    assert_int_equal(rt__sink_put(sink, 1, copy("y"), 1, &err), RT_E_IO); /* twice */
    rt__sink_free(sink); /* frees the waiting segment: no leak under ASan */
    unlink(path);
}

static void sink_disk_full(void **state)
{
    struct rt__sink *sink;
    struct rt_error err = {0};
    /* /dev/full answers every write with ENOSPC. */
    assert_int_equal(rt__sink_open("/dev/full", 2, 0, 0, &sink, &err), RT_OK);
    assert_int_equal(rt__sink_put(sink, 0, copy("data"), 4, &err), RT_E_DISK_FULL);
    assert_non_null(strstr(err.message, "disk full"));
    assert_non_null(strstr(err.message, "/dev/full"));
    rt__sink_free(sink);
}

static void sink_cannot_create(void **state)
{
    struct rt__sink *sink;
    struct rt_error err = {0};
    assert_int_equal(rt__sink_open("/nonexistent-dir/x.part", 2, 0, 0, &sink, &err), RT_E_IO);
    assert_non_null(strstr(err.message, "/nonexistent-dir/x.part"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sink_orders_segments),
        cmocka_unit_test(sink_refuses_out_of_window),
        cmocka_unit_test(sink_disk_full),
        cmocka_unit_test(sink_cannot_create),
    };
    return cmocka_run_group_tests_name("sink", tests, NULL, NULL);
}
