/* Unit tests for lib/base/growing.c: a reader that waits for a file another thread writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>

#include "base/growing.h"

/* A reader on its own thread: waits once for `want` bytes, says what it saw, and is done. */
struct reader {
    struct rt__growing *g;
    uint64_t want, length;
    enum rt__growing_state state;
    pthread_t thread;
};

static void *read_once(void *data)
{
    struct reader *r = data;
    r->state = rt__growing_wait(r->g, r->want, &r->length);
    rt__growing_note_read(r->g, r->length);
    rt__growing_reader_done(r->g);
    return NULL;
}

static void start_reader(struct reader *r, struct rt__growing *g, uint64_t want)
{
    r->g = g;
    r->want = want;
    assert_int_equal(pthread_create(&r->thread, NULL, read_once, r), 0);
}

static bool reader_is_done(struct rt__growing *g, double seconds)
{
    uint64_t length, read;
    return rt__growing_wait_reader(g, seconds, &length, &read);
}

static void growing_reader_waits_for_its_bytes(void **state)
{
    struct rt__growing g;
    struct reader r;
    rt__growing_init(&g);
    start_reader(&r, &g, 100);
    rt__growing_publish(&g, 50);
    assert_false(reader_is_done(&g, 0.05)); /* 50 of the 100 it waits for */
    rt__growing_publish(&g, 150);
    assert_true(reader_is_done(&g, 5));
    pthread_join(r.thread, NULL);
    assert_int_equal(r.state, RT__GROWING);
    assert_int_equal(r.length, 150);
    uint64_t length, read;
    assert_true(rt__growing_wait_reader(&g, 0, &length, &read));
    assert_int_equal(length, 150);
    assert_int_equal(read, 150);
    rt__growing_destroy(&g);
}

static void growing_complete_ends_a_wait_short(void **state)
{
    struct rt__growing g;
    struct reader r;
    rt__growing_init(&g);
    start_reader(&r, &g, 1000);
    rt__growing_complete(&g, 300);
    assert_true(reader_is_done(&g, 5));
    pthread_join(r.thread, NULL);
    assert_int_equal(r.state, RT__COMPLETE);
    assert_int_equal(r.length, 300);
    /* Complete is final: nothing grows it. */
    rt__growing_publish(&g, 500);
    rt__growing_complete(&g, 600);
    uint64_t length;
    assert_int_equal(rt__growing_wait(&g, 1000, &length), RT__COMPLETE);
    assert_int_equal(length, 300);
    rt__growing_destroy(&g);
}

static void growing_abandoned_stops_the_reader(void **state)
{
    struct rt__growing g;
    struct reader r;
    rt__growing_init(&g);
    rt__growing_publish(&g, 10);
    start_reader(&r, &g, 1000);
    rt__growing_abandon(&g);
    assert_true(reader_is_done(&g, 5));
    pthread_join(r.thread, NULL);
    assert_int_equal(r.state, RT__ABANDONED);
    /* A complete file may still be abandoned (a cancel during the remux's tail), not the
     * other way round. */
    struct rt__growing h;
    rt__growing_init(&h);
    rt__growing_complete(&h, 20);
    rt__growing_abandon(&h);
    rt__growing_complete(&h, 30);
    uint64_t length;
    assert_int_equal(rt__growing_wait(&h, 0, &length), RT__ABANDONED);
    rt__growing_destroy(&h);
    rt__growing_destroy(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(growing_reader_waits_for_its_bytes),
        cmocka_unit_test(growing_complete_ends_a_wait_short),
        cmocka_unit_test(growing_abandoned_stops_the_reader),
    };
    return cmocka_run_group_tests_name("growing", tests, NULL, NULL);
}
