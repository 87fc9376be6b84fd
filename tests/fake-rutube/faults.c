/* Deterministic fault decisions: the same seed, path and request count give the same fate. */
#include "fake.h"

#include <pthread.h>

/*
 * Guards every rendition's counts[], every Yappy clip's request count and the storm clock. A
 * segment is fetched at most a few times, so one lock for the whole table costs nothing measurable
 * and keeps the counting obviously right.
 */
static pthread_mutex_t counts_lock = PTHREAD_MUTEX_INITIALIZER;
/* fake_now_ms() of the first segment request, which starts --storm; 0: none seen yet. */
static uint64_t storm_started_ms;

/* splitmix64's finaliser; fake_hash() also needs it to spread FNV's weak low bits. */
uint64_t fake_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t fake_hash(uint64_t seed, const char *text)
{
    return fake_mix(fnv1a(0xcbf29ce484222325ULL ^ fake_mix(seed), text));
}

/*
 * Each fault kind has its own salt so that, say, --cut 50 and --stall 50 do not always hit
 * the same requests.
 */
static bool hit(uint64_t seed, const char *kind, const char *path, unsigned count, unsigned pct)
{
    if (pct == 0)
        return false;
    if (pct >= 100)
        return true;
    uint64_t h = fnv1a(fake_hash(seed, kind), path);
    h = fake_mix(h ^ count);
    return h % 100 < pct;
}

struct fake_fate fake_faults_decide(const struct fake_config *config, unsigned *requests,
                                    size_t number, enum fake_role role, const char *path)
{
    struct fake_fate fate = {0};
    uint64_t now = fake_now_ms();

    /*
     * Every request of the segment counts, on either mirror and whatever its fate, so that
     * "the first K requests" means what a client retrying across mirrors would expect.
     */
    pthread_mutex_lock(&counts_lock);
    unsigned count = ++*requests;
    /* The storm starts with the client's first segment, not at start-up, so a slow start
       (API calls, playlists, --latency) cannot eat it. */
    if (storm_started_ms == 0)
        storm_started_ms = now ? now : 1;
    bool in_storm = now - storm_started_ms < config->storm_ms;
    pthread_mutex_unlock(&counts_lock);

    /* The wait before any byte comes on top of whatever the answer turns out to be. */
    fate.stall_head = hit(config->seed, "stall-head", path, count, config->stall_head_pct) ||
                      (number == config->stall_head_segment && count <= config->stall_head_first);

    /* Answers without a body first, most drastic first; the first that applies wins. */
    if (role <= FAKE_ROLE_MIRROR1 && config->mirror_down[role]) {
        fate.down = true;
        return fate;
    }
    if (config->redirect_loop || config->redirect_to) {
        fate.redirect = true;
        return fate;
    }
    if (in_storm) {
        fate.fail = true;
        return fate;
    }
    if (count <= config->throttle) {
        fate.throttled = true;
        return fate;
    }
    /* With --flaky too, the 429s take the first requests and the 503s what --flaky leaves. */
    if (count <= config->flaky || hit(config->seed, "503", path, count, config->fail_503_pct)) {
        fate.fail = true;
        return fate;
    }
    /* Unlike the others these are permanent: a retry or the other mirror gets the same. */
    fate.corrupt = number != 0 && number == config->corrupt_segment;
    fate.endless = number != 0 && number == config->endless_segment;
    fate.cut = hit(config->seed, "cut", path, count, config->cut_pct);
    /* A cut response closes at half-way, so a stall there would never be seen. */
    fate.stall = !fate.cut && hit(config->seed, "stall", path, count, config->stall_pct);
    fate.slow = hit(config->seed, "loris", path, count, config->slow_loris_pct);
    if (number != 0 && number == config->trickle_segment &&
        (config->trickle_first == 0 || count <= config->trickle_first))
        fate.trickle = config->trickle_rate;
    return fate;
}

void fake_faults_for_range(const struct fake_config *config, struct fake_fate *fate)
{
    switch (config->range_fault) {
    case FAKE_RANGE_FAULT_IGNORE:
        fate->whole = true;
        break;
    case FAKE_RANGE_FAULT_503:
        fate->fail = true;
        break;
    case FAKE_RANGE_FAULT_STALL_HEAD:
        fate->stall_head = true;
        break;
    case FAKE_RANGE_FAULT_STALL:
        fate->stall = true;
        fate->cut = false;
        break;
    case FAKE_RANGE_FAULT_NONE:
        break;
    }
}
