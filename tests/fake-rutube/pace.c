/* Byte clocks that pace segment bodies: one per answer for --rate, one shared for --total-rate. */
#include "fake.h"

#include <pthread.h>

#define NS_PER_S 1000000000u
/* A slice of the body is at most this long at the clock's rate: short enough that a body's
   first byte waits a few milliseconds at most, long enough that sixteen paced connections cost
   about a tenth of a core (2 ms slices cost a quarter). */
#define SLICE_NS 5000000u
/* --total-rate's burst allowance: whichever is larger of this many bytes and this long. */
#define TOTAL_BURST_BYTES (64u * 1024)
#define TOTAL_BURST_NS    50000000u
/* How far one answer's clock may fall behind before it stops catching up: enough to absorb
   late wake-ups and waits on the shared clock, too little to be a burst worth the name. */
#define BODY_SLACK_NS 10000000u

/*
 * The shared clock of every connection thread. Its rate and burst are set before any thread
 * starts and only read afterwards; the mutex guards its time. Threads reserve their slice in
 * turn and then sleep apart, so the lock is held for a few instructions, never while waiting.
 */
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fake_pace total;

static void init(struct fake_pace *pace, uint64_t rate, uint64_t burst_ns, uint64_t due_ns)
{
    pace->rate = rate;
    pace->burst_ns = burst_ns;
    pace->due_ns = due_ns;
}

void fake_pace_body_start(struct fake_pace *pace, uint64_t rate, uint64_t now_ns)
{
    /* No credit at the start: the first bytes wait their own worth, as on a real line. */
    init(pace, rate, BODY_SLACK_NS, now_ns);
}

size_t fake_pace_slice(const struct fake_pace *pace, size_t max)
{
    if (!pace->rate)
        return max;
    uint64_t slice = pace->rate / (NS_PER_S / SLICE_NS);
    if (slice == 0)
        slice = 1;
    return slice < max ? (size_t)slice : max;
}

uint64_t fake_pace_reserve(struct fake_pace *pace, uint64_t n, uint64_t now_ns)
{
    if (!pace->rate)
        return now_ns;
    /*
     * due_ns is when everything reserved so far has gone out at the rate. A clock left behind
     * (idle, or the client not reading) may lag now by the burst allowance and no more, so
     * idle time banks at most a burst; a clock ahead makes these bytes queue behind the
     * earlier ones. The bytes go when they would have finished at the rate: never early, and
     * a small body waits only its own length's worth.
     */
    uint64_t floor = now_ns > pace->burst_ns ? now_ns - pace->burst_ns : 0;
    uint64_t start = pace->due_ns > floor ? pace->due_ns : floor;
    /* Rounded up so that many slices never add up to more than the rate. */
    pace->due_ns = start + (n * NS_PER_S + pace->rate - 1) / pace->rate;
    return pace->due_ns;
}

void fake_pace_total_init(uint64_t rate)
{
    uint64_t burst_ns = 0;
    if (rate) {
        burst_ns = (uint64_t)TOTAL_BURST_BYTES * NS_PER_S / rate;
        if (burst_ns < TOTAL_BURST_NS)
            burst_ns = TOTAL_BURST_NS;
    }
    /* due 0: long past, so the whole burst is there for the first bytes. */
    init(&total, rate, burst_ns, 0);
}

size_t fake_pace_total_slice(size_t max)
{
    return fake_pace_slice(&total, max);
}

bool fake_pace_total_wait(uint64_t n)
{
    if (!total.rate)
        return true;
    uint64_t now = fake_now_ns();
    pthread_mutex_lock(&total_lock);
    uint64_t due = fake_pace_reserve(&total, n, now);
    pthread_mutex_unlock(&total_lock);
    return due <= now || fake_stop_sleep_until_ns(due);
}
