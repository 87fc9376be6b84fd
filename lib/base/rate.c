/* The client's speed limit, a token bucket (see rate.h): what may come now, and when. */
#include "base/rate.h"

static double capacity_of(uint64_t limit)
{
    double burst = (double)limit * RT__RATE_BURST_SECONDS;
    return burst > RT__RATE_MIN_BURST ? burst : RT__RATE_MIN_BURST;
}

/* Bring the tokens up to `now` at the present rate. Called with the lock held and a limit. */
static void refill(struct rt__rate *rate, uint64_t limit, double now)
{
    if (now <= rate->updated)
        return; /* another thread saw a later clock first: nothing more has been earned */
    rate->tokens += (double)limit * (now - rate->updated);
    if (rate->tokens > rate->capacity)
        rate->tokens = rate->capacity;
    rate->updated = now;
}

void rt__rate_init(struct rt__rate *rate, uint64_t limit, double now)
{
    pthread_mutex_init(&rate->lock, NULL);
    atomic_init(&rate->limit, limit);
    rate->capacity = capacity_of(limit);
    rate->tokens = 0; /* empty: the bytes over any time from the start are at most its worth */
    rate->updated = now;
}

void rt__rate_cleanup(struct rt__rate *rate)
{
    pthread_mutex_destroy(&rate->lock);
}

void rt__rate_set(struct rt__rate *rate, uint64_t limit, double now)
{
    pthread_mutex_lock(&rate->lock);
    uint64_t before = rt__rate_limit(rate);
    if (before)
        refill(rate, before, now);
    rate->capacity = capacity_of(limit);
    if (!before)
        rate->tokens = 0;
    else if (rate->tokens > rate->capacity)
        rate->tokens = rate->capacity;
    if (now > rate->updated)
        rate->updated = now;
    /* Last, so that a lock-free reader that sees the limit finds the bucket made for it. */
    atomic_store_explicit(&rate->limit, limit, memory_order_relaxed);
    pthread_mutex_unlock(&rate->lock);
}

bool rt__rate_take(struct rt__rate *rate, size_t n, double now)
{
    if (!rt__rate_limit(rate))
        return true;
    pthread_mutex_lock(&rate->lock);
    uint64_t limit = rt__rate_limit(rate);
    bool taken = true;
    if (limit) {
        refill(rate, limit, now);
        /* Any token lets a whole delivery in: libcurl's pieces are up to 16 KiB, and one
         * larger than the bucket must pass too. The debt it leaves is waited out. */
        taken = rate->tokens > 0;
        if (taken)
            rate->tokens -= (double)n;
    }
    pthread_mutex_unlock(&rate->lock);
    return taken;
}

void rt__rate_charge(struct rt__rate *rate, size_t n, double now)
{
    if (!rt__rate_limit(rate))
        return;
    pthread_mutex_lock(&rate->lock);
    uint64_t limit = rt__rate_limit(rate);
    if (limit) {
        refill(rate, limit, now);
        rate->tokens -= (double)n;
    }
    pthread_mutex_unlock(&rate->lock);
}

double rt__rate_wait(struct rt__rate *rate, double now)
{
    if (!rt__rate_limit(rate))
        return 0;
    pthread_mutex_lock(&rate->lock);
    uint64_t limit = rt__rate_limit(rate);
    double wait = 0;
    if (limit) {
        refill(rate, limit, now);
        /* Until the debt is paid and a byte more earned. */
        if (rate->tokens <= 0)
            wait = (1.0 - rate->tokens) / (double)limit;
    }
    pthread_mutex_unlock(&rate->lock);
    return wait;
}
