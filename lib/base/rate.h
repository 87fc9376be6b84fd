/* The client's speed limit: one token bucket over every transfer of all its downloads. */
#ifndef RT_LIB_BASE_RATE_H
#define RT_LIB_BASE_RATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The bucket holds at most this much of the rate (a tenth of a second), and never less than
 * one delivery of libcurl's write callback (CURL_MAX_WRITE_SIZE): what may come at once after
 * a quiet spell. Small, so that the average over any few seconds is close to the limit.
 */
#define RT__RATE_BURST_SECONDS 0.1
#define RT__RATE_MIN_BURST     16384

/*
 * Invariants: `limit` 0 means no limit, and then nothing else is looked at (the fast path is
 * one relaxed atomic load, no lock). Otherwise `tokens` (bytes that may come now) is at most
 * `capacity`, which fills in a quiet spell; it may be below 0, a debt that bytes let in regardless
 * (rt__rate_charge()) ran up, which later takers wait out. Every clock passed in is the same
 * monotonic one, in seconds; a clock older than the last one seen adds no tokens.
 *
 * The clock is a parameter, never read here, so that tests drive the bucket through any
 * timeline; thread-safe (one mutex) for the rest.
 */
struct rt__rate {
    _Atomic uint64_t limit; /* bytes a second; 0: none */
    pthread_mutex_t lock;   /* guards the three below */
    double tokens;
    double capacity;
    double updated; /* the clock at which `tokens` was last brought up to date */
};

/* A bucket with this limit (0: none), empty: from the start, the bytes that come in any time
 * are at most the limit's worth of it (and a piece). rt__rate_cleanup() releases it. */
void rt__rate_init(struct rt__rate *rate, uint64_t limit, double now);
void rt__rate_cleanup(struct rt__rate *rate);

/* Change the limit at once (0 lifts it). The tokens earned so far at the old rate are kept, up
 * to the new capacity; a debt is kept. A limit set where there was none starts empty. */
void rt__rate_set(struct rt__rate *rate, uint64_t limit, double now);

/* The limit now, bytes a second (0: none). Lock-free. */
static inline uint64_t rt__rate_limit(const struct rt__rate *rate)
{
    return atomic_load_explicit(&rate->limit, memory_order_relaxed);
}

/* Whether `n` bytes may come now: true (and they are taken, leaving a debt if they are more
 * than the bucket holds) when it holds any token or there is no limit; false, taking nothing,
 * when it is empty. */
bool rt__rate_take(struct rt__rate *rate, size_t n, double now);

/* Count `n` bytes that came (or must come) whatever the bucket holds: a debt when it is empty.
 * Nothing without a limit. */
void rt__rate_charge(struct rt__rate *rate, size_t n, double now);

/* Seconds until rt__rate_take() can succeed: 0 when it can now, or without a limit. */
double rt__rate_wait(struct rt__rate *rate, double now);

#endif
