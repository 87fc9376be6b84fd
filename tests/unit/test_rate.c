/* Unit tests for lib/base/rate.c: the speed limit's token bucket, on a clock the test drives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>

#include <cmocka.h>

#include "base/rate.h"

/* libcurl's largest delivery to a write callback (CURL_MAX_WRITE_SIZE). */
#define PIECE 16384

static void rate_no_limit_lets_everything_in(void **state)
{
    struct rt__rate rate;
    rt__rate_init(&rate, 0, 100.0);
    for (int i = 0; i < 1000; i++)
        assert_true(rt__rate_take(&rate, 1u << 20, 100.0));
    rt__rate_charge(&rate, 1u << 30, 100.0);
    assert_true(rt__rate_wait(&rate, 100.0) == 0);
    assert_int_equal(rt__rate_limit(&rate), 0);
    rt__rate_cleanup(&rate);
}

/* Empty at start: nothing comes before the clock moves, then what it earned (and the piece
 * that goes past it). */
static void rate_starts_empty(void **state)
{
    struct rt__rate rate;
    rt__rate_init(&rate, 1000000, 0.0);
    assert_false(rt__rate_take(&rate, 1, 0.0));
    double wait = rt__rate_wait(&rate, 0.0);
    assert_true(wait > 0.0000009 && wait < 0.0000011); /* one byte's worth */
    assert_true(rt__rate_take(&rate, PIECE, 0.0001));  /* 100 tokens let a piece in */
    assert_false(rt__rate_take(&rate, 1, 0.0001));
    rt__rate_cleanup(&rate);
}

/* After a quiet spell the bucket is full: a tenth of a second of the rate (and the piece that
 * empties it) comes at once, then nothing until the clock moves. */
static void rate_burst_is_a_tenth_of_a_second(void **state)
{
    struct rt__rate rate;
    rt__rate_init(&rate, 1000000, 0.0);
    int taken = 0;
    while (rt__rate_take(&rate, PIECE, 10.0))
        taken++;
    assert_int_equal(taken, 7); /* 6 pieces leave 1696 tokens: the 7th goes into debt */
    assert_false(rt__rate_take(&rate, 1, 10.0));
    /* The debt is 7 * 16384 - 100000 = 14688 bytes: paid, and a byte more, at 1 MB/s. */
    double wait = rt__rate_wait(&rate, 10.0);
    assert_true(wait > 0.014688 && wait < 0.014690);
    assert_false(rt__rate_take(&rate, PIECE, 10.0146));
    assert_true(rt__rate_take(&rate, PIECE, 10.0147));
    rt__rate_cleanup(&rate);
}

/* Below 163,840 B/s a tenth of a second is less than one piece: the bucket still holds one. */
static void rate_slow_limit_holds_one_piece(void **state)
{
    struct rt__rate rate;
    rt__rate_init(&rate, 1000, 0.0);
    assert_true(rt__rate_take(&rate, PIECE - 1, 1000.0));
    assert_true(rt__rate_take(&rate, PIECE, 1000.0)); /* one token left */
    assert_false(rt__rate_take(&rate, 1, 1000.0));
    /* A long quiet spell fills it to the piece, no more. */
    assert_true(rt__rate_take(&rate, PIECE, 2000.0));
    assert_false(rt__rate_take(&rate, 1, 2000.0));
    rt__rate_cleanup(&rate);
}

/*
 * Taking a piece whenever one may come, for ten seconds of a clock ticking by the
 * millisecond, from the start: the total is the rate times the time, plus at most the piece
 * that went past it, and never less (the bucket wastes no token).
 */
static void rate_long_run_average_is_the_limit(void **state)
{
    const uint64_t limits[] = {50000, 1000000, 2097152, 4404019, 100000000};
    for (size_t k = 0; k < sizeof limits / sizeof limits[0]; k++) {
        struct rt__rate rate;
        rt__rate_init(&rate, limits[k], 0.0);
        uint64_t total = 0;
        for (int ms = 0; ms <= 10000; ms++)
            while (rt__rate_take(&rate, PIECE, ms / 1000.0))
                total += PIECE;
        double most = (double)limits[k] * 10.0 + PIECE;
        double least = (double)limits[k] * 10.0;
        if ((double)total > most || (double)total < least)
            fail_msg("limit %llu: %llu bytes in 10 s (expected %.0f to %.0f)",
                     (unsigned long long)limits[k], (unsigned long long)total, least, most);
        rt__rate_cleanup(&rate);
    }
}

/* What the other requests bring is charged even when the bucket is empty: a debt that the
 * takers wait out. */
static void rate_charge_is_a_debt(void **state)
{
    struct rt__rate rate;
    rt__rate_init(&rate, 1000000, 0.0);
    rt__rate_charge(&rate, 1000000, 0.0); /* 1 MB owed */
    assert_false(rt__rate_take(&rate, PIECE, 0.5));
    double wait = rt__rate_wait(&rate, 0.5);
    assert_true(wait > 0.4999 && wait < 0.5001);
    assert_false(rt__rate_take(&rate, PIECE, 0.9999));
    assert_true(rt__rate_take(&rate, PIECE, 1.0001));
    rt__rate_cleanup(&rate);
}

static void rate_set_changes_it_at_once(void **state)
{
    struct rt__rate rate;
    rt__rate_init(&rate, 1000000, 0.0);
    /* Lower, with a full bucket: the tokens kept are at most the new, smaller burst. */
    rt__rate_set(&rate, 200000, 10.0);
    assert_int_equal(rt__rate_limit(&rate), 200000);
    int taken = 0;
    while (rt__rate_take(&rate, PIECE, 10.0))
        taken++;
    assert_int_equal(taken, 2); /* 20000 tokens: one piece, then one into debt */
    /* Lifted: everything passes, nothing waits. */
    rt__rate_set(&rate, 0, 10.0);
    assert_true(rt__rate_wait(&rate, 10.0) == 0);
    assert_true(rt__rate_take(&rate, 1u << 30, 10.0));
    /* Set again later: it starts empty, the unlimited time earning nothing. */
    rt__rate_set(&rate, 1000000, 50.0);
    assert_false(rt__rate_take(&rate, 1, 50.0));
    taken = 0;
    while (rt__rate_take(&rate, PIECE, 60.0))
        taken++;
    assert_int_equal(taken, 7);
    /* Raised while in debt: the debt is kept and paid at the new rate. */
    rt__rate_set(&rate, 10000000, 60.0);
    double wait = rt__rate_wait(&rate, 60.0);
    assert_true(wait > 0.0014688 && wait < 0.0014690);
    rt__rate_cleanup(&rate);
}

/* A clock older than one already seen (another thread read it first) neither earns nor
 * loses anything. */
static void rate_clock_never_goes_back(void **state)
{
    struct rt__rate rate;
    rt__rate_init(&rate, 100000, 10.0);
    rt__rate_charge(&rate, 16384, 10.0); /* 16384 owed */
    assert_false(rt__rate_take(&rate, 1, 9.0));
    assert_false(rt__rate_take(&rate, 1, 10.1));   /* 10000 earned, 6384 still owed */
    assert_false(rt__rate_take(&rate, 1, 10.05));  /* earlier than 10.1: no change */
    assert_true(rt__rate_take(&rate, 1, 10.2));    /* 3616 tokens, 3615 left */
    assert_true(rt__rate_take(&rate, 1000, 10.0)); /* still 3615: the old clock took none */
    assert_true(rt__rate_wait(&rate, 10.0) == 0);
    rt__rate_cleanup(&rate);
}

/* Threads taking at once, on one clock that does not move: exactly the bucket's worth passes,
 * whatever the interleaving. */
struct taker {
    struct rt__rate *rate;
    int taken;
};

static void *take_all(void *data)
{
    struct taker *taker = data;
    for (int i = 0; i < 5000; i++)
        taker->taken += rt__rate_take(taker->rate, 1000, 7.0);
    return NULL;
}

static void rate_threads_share_one_bucket(void **state)
{
    struct rt__rate rate;
    rt__rate_init(&rate, 1000000, 0.0); /* full by 7.0: 100000 tokens */
    pthread_t threads[4];
    struct taker takers[4];
    for (int i = 0; i < 4; i++) {
        takers[i] = (struct taker){&rate, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, take_all, &takers[i]), 0);
    }
    int total = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        total += takers[i].taken;
    }
    assert_int_equal(total, 100);
    rt__rate_cleanup(&rate);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rate_no_limit_lets_everything_in),
        cmocka_unit_test(rate_starts_empty),
        cmocka_unit_test(rate_burst_is_a_tenth_of_a_second),
        cmocka_unit_test(rate_slow_limit_holds_one_piece),
        cmocka_unit_test(rate_long_run_average_is_the_limit),
        cmocka_unit_test(rate_charge_is_a_debt),
        cmocka_unit_test(rate_set_changes_it_at_once),
        cmocka_unit_test(rate_clock_never_goes_back),
        cmocka_unit_test(rate_threads_share_one_bucket),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
