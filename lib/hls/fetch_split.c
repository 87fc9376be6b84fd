/*
 * Splitting at the tail. Once every segment has been asked for, a connection that comes free
 * would idle while the last bodies run on the others, each at its own connection's pace. So
 * it takes the second half of the longest of them instead: the transfer running it stops at a
 * cut and a piece (a byte range, 206) brings the bytes from the cut on. The cut is where both
 * end together, the piece's wait for its first byte counted.
 *
 * A split never costs what was fetched: the transfer goes on past the cut unless the piece's
 * body is flowing when it gets there (a late, refused or ignored piece is dropped quietly);
 * only when one half fails after the other stopped is the segment fetched again whole.
 */
#include "hls/fetch_engine.h"

#include "base/client.h"
#include "base/rate.h"

/* A piece smaller than this is not worth a request. */
#define PIECE_MIN (64u << 10)
/* Splitting saves half of what is left less the piece's wait: worth it only when that is this
 * long at least, and this share of the wait (a request costs the server too). */
#define SPLIT_MIN_GAIN_S    0.005
#define SPLIT_MIN_GAIN_WAIT 0.125
/* Pieces that may go wrong in a download before its servers are not asked for more. */
#define SPLIT_FAILURES_MAX 2

uint64_t fetch_transfer_span(const struct engine *e, const struct transfer *t)
{
    const struct segment *seg = &e->segments[t->segment];
    if (seg->size < 0)
        return 0;
    if (t->piece)
        return (uint64_t)seg->size - t->from;
    if (seg->cut && !t->hedge)
        return seg->cut;
    return (uint64_t)seg->size;
}

struct transfer *fetch_piece_of(struct engine *e, size_t segment)
{
    for (size_t k = 0; k < e->transfer_count; k++) {
        struct transfer *t = &e->transfers[k];
        if (t->busy && t->piece && !t->abandoned && t->segment == segment)
            return t;
    }
    return NULL;
}

/* Whether the piece's body has begun as asked: only then may its first transfer stop. */
bool fetch_piece_flowing(const struct transfer *piece)
{
    return piece && piece->started && !piece->discard && !piece->wrong_size && !piece->abandoned &&
           piece->received > 0;
}

/* The segment is whole again: its piece (if still running) is dropped. `failed`: because a
 * piece went wrong, so the segment is not split again, nor, after a few, any other. */
void fetch_end_split(struct engine *e, size_t segment, bool failed)
{
    struct segment *seg = &e->segments[segment];
    if (failed) {
        seg->split_failed = true;
        e->split_failures++;
    }
    struct transfer *piece = fetch_piece_of(e, segment);
    if (piece)
        piece->abandoned = true; /* stopped by the loop, outside libcurl's callbacks */
    seg->cut = 0;
    seg->head_done = seg->tail_done = false;
}

/* The wait a new request has before its first byte: the slower of the two measures. */
static double request_wait(const struct engine *e)
{
    double first = fetch_median_timing(&e->first_byte, 0.1);
    double server = fetch_median_timing(&e->server_wait, 0.1);
    return first > server ? first : server;
}

/* Whether this transfer's segment may be split: a whole segment, its body flowing straight to
 * its known place in the file, alone on it, never failed (a segment in trouble is raced or
 * asked again, not given more requests to the same trouble). */
static bool splittable(const struct engine *e, const struct transfer *t)
{
    if (!t->busy || t->hedge || t->piece || t->discard || !t->started || t->handed_off)
        return false;
    const struct segment *seg = &e->segments[t->segment];
    return seg->state == SEG_RUNNING && seg->running == 1 && seg->cut == 0 && seg->size > 0 &&
           !seg->split_failed && seg->failures == 0 && seg->hopeless == 0 &&
           t->segment <= e->placed;
}

bool fetch_pick_split(struct engine *e, double now, struct work *work)
{
    if (e->ranges_refused || e->split_failures >= SPLIT_FAILURES_MAX ||
        e->next_new < e->plan->count || rt__rate_limit(&e->client->rate))
        return false;
    /* With other downloads of the client running, a slot this one does not need is theirs. */
    if (!rt__client_slots_alone(e->client))
        return false;
    /* Only once bodies have come whole: servers that drip every body (a slow-loris) would
     * only get more requests to drip. */
    if (e->body_rate.count < SLOW_MIN_SAMPLES)
        return false;
    double wait = request_wait(e);
    double need =
        wait + 2 * (SPLIT_MIN_GAIN_S > SPLIT_MIN_GAIN_WAIT * wait ? SPLIT_MIN_GAIN_S
                                                                  : SPLIT_MIN_GAIN_WAIT * wait);
    struct transfer *best = NULL;
    double best_left = need;
    for (size_t k = 0; k < e->transfer_count; k++) {
        struct transfer *t = &e->transfers[k];
        if (!splittable(e, t))
            continue;
        double left = fetch_time_left(e, t, now);
        if (left > best_left) {
            best = t;
            best_left = left;
        }
    }
    if (!best)
        return false;
    /* Its part ends after a / rate, the piece's after wait + (rest - a) / rate: equal at
     * a = (rest + rate * wait) / 2. */
    uint64_t size = (uint64_t)e->segments[best->segment].size;
    uint64_t rest = size - best->received;
    double rate = (double)rest / best_left;
    double a = ((double)rest + rate * wait) / 2;
    uint64_t cut = best->received + (uint64_t)a;
    if (cut >= size || size - cut < PIECE_MIN)
        return false;
    work->index = best->segment;
    work->hedge = false;
    work->split = best;
    work->cut = cut;
    return true;
}

void fetch_begin_split(struct engine *e, const struct work *work, struct transfer *piece)
{
    struct segment *seg = &e->segments[work->index];
    seg->cut = work->cut;
    seg->head_done = seg->tail_done = false;
    piece->piece = true;
    piece->from = work->cut;
    e->pieces++;
}
