/* Unit tests for lib/base/spool.c: bytes held at their offsets, read back, let go, drained. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/spool.h"

#define MIB (1u << 20)

/* The byte a test file has at `at`: not periodic in any power of two, so that a block at the
 * wrong offset shows. */
static unsigned char byte_at(uint64_t at)
{
    return (unsigned char)((at * 131 + at / 251) & 0xff);
}

static void fill(unsigned char *p, uint64_t at, size_t len)
{
    for (size_t i = 0; i < len; i++)
        p[i] = byte_at(at + i);
}

/* Write [at, at + len) of the test file. */
static void put(struct rt__spool *s, uint64_t at, size_t len)
{
    unsigned char *p = malloc(len);
    assert_non_null(p);
    fill(p, at, len);
    assert_true(rt__spool_write(s, at, p, len));
    free(p);
}

/* Read [at, at + len) back in as many calls as it takes, and check every byte. */
static void expect_bytes(struct rt__spool *s, uint64_t at, size_t len)
{
    unsigned char *p = malloc(len);
    assert_non_null(p);
    for (size_t got = 0; got < len;) {
        size_t n = rt__spool_read(s, at + got, p + got, len - got);
        assert_true(n > 0);
        got += n;
    }
    for (size_t i = 0; i < len; i++)
        if (p[i] != byte_at(at + i))
            fail_msg("byte %llu differs", (unsigned long long)(at + i));
    free(p);
}

/* Segments arriving out of order, across block ends, one written twice (a split segment's two
 * halves overlap): every byte reads back where it was written. */
static void spool_out_of_order_writes_read_back(void **state)
{
    (void)state;
    struct rt__spool *s = rt__spool_new();
    assert_non_null(s);
    put(s, 3 * MIB + 100, MIB);             /* a later segment first */
    put(s, 0, 700000);                      /* the first */
    put(s, 700000, 3 * MIB + 100 - 700000); /* the second, across three block ends */
    put(s, 600000, 300000);                 /* the same bytes again, over the first two */
    expect_bytes(s, 0, 4 * MIB + 100);
    unsigned char b;
    assert_int_equal(rt__spool_read(s, 9 * MIB, &b, 1), 0); /* never written */
    assert_true(rt__spool_whole(s));
    assert_true(rt__spool_held(s) >= 4 * MIB);
    rt__spool_free(s);
}

/* Until rt__spool_let_go() every byte stays, however far the reader got; after it, the blocks
 * behind the reader go (and are used again), the rest stays readable, and in place. */
static void spool_lets_go_only_when_allowed(void **state)
{
    (void)state;
    struct rt__spool *s = rt__spool_new();
    put(s, 0, 6 * MIB);
    size_t len;
    assert_null(rt__spool_peek(s, 0, MIB, &len)); /* a drain could still take it */
    rt__spool_read_up_to(s, 5 * MIB);
    expect_bytes(s, 0, 6 * MIB);
    assert_true(rt__spool_whole(s));
    uint64_t held = rt__spool_held(s);

    rt__spool_let_go(s);
    assert_false(rt__spool_whole(s));
    assert_true(rt__spool_held(s) < held);
    unsigned char b;
    assert_int_equal(rt__spool_read(s, 0, &b, 1), 0); /* let go */
    expect_bytes(s, 5 * MIB, MIB);
    const unsigned char *p = rt__spool_peek(s, 5 * MIB + 10, 4 * MIB, &len);
    assert_non_null(p);
    assert_true(len > 0 && len <= MIB);
    assert_int_equal(p[0], byte_at(5 * MIB + 10));
    assert_int_equal(p[len - 1], byte_at(5 * MIB + 10 + len - 1));

    /* More written after it: into the blocks let go, at their new offsets. */
    put(s, 6 * MIB, 3 * MIB);
    expect_bytes(s, 5 * MIB, 4 * MIB);
    /* A write behind the reader (the same bytes again) is taken and dropped. */
    put(s, MIB, 1000);
    assert_int_equal(rt__spool_read(s, MIB, &b, 1), 0);
    assert_int_equal(rt__spool_drain(s, -1, &(uint64_t){0}), EINVAL); /* nothing whole to drain */
    rt__spool_free(s);
}

/* A drain writes exactly what was written, at its offsets, and never the unwritten rest of a
 * block; then the spool holds nothing and takes nothing. */
static void spool_drain_writes_what_was_written(void **state)
{
    (void)state;
    char path[] = "/tmp/rt-spool-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    struct rt__spool *s = rt__spool_new();
    put(s, 0, MIB + 5);
    put(s, 2 * MIB + 7, 1000); /* past a gap: a segment ahead of the prefix */
    uint64_t end = 0;
    assert_int_equal(rt__spool_drain(s, fd, &end), 0);
    assert_int_equal(end, 2 * MIB + 1007);
    assert_true(rt__spool_drained(s));
    assert_int_equal(rt__spool_held(s), 0);
    unsigned char b;
    assert_int_equal(rt__spool_read(s, 0, &b, 1), 0);
    assert_false(rt__spool_write(s, 0, &b, 1));

    unsigned char *file = calloc(1, 2 * MIB + 1007);
    assert_int_equal(pread(fd, file, 2 * MIB + 1007, 0), 2 * MIB + 1007);
    for (uint64_t i = 0; i < 2 * MIB + 1007; i++) {
        bool written = i < MIB + 5 || i >= 2 * MIB + 7;
        if (file[i] != (written ? byte_at(i) : 0))
            fail_msg("byte %llu of the file is %u", (unsigned long long)i, file[i]);
    }
    free(file);
    rt__spool_free(s);
    close(fd);
    unlink(path);
}

/* A drain that cannot write keeps everything, for another try. */
static void spool_failed_drain_keeps_the_bytes(void **state)
{
    (void)state;
    struct rt__spool *s = rt__spool_new();
    put(s, 0, 3000);
    uint64_t end = 0;
    assert_int_not_equal(rt__spool_drain(s, -1, &end), 0);
    assert_false(rt__spool_drained(s));
    assert_true(rt__spool_whole(s));
    expect_bytes(s, 0, 3000);
    rt__spool_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spool_out_of_order_writes_read_back),
        cmocka_unit_test(spool_lets_go_only_when_allowed),
        cmocka_unit_test(spool_drain_writes_what_was_written),
        cmocka_unit_test(spool_failed_drain_keeps_the_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
