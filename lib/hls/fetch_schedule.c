/* The segment engine's scheduling: which segment a free slot fetches next, from which mirror,
 * when a late one is raced, and when a slot asks ahead for its next segment. */
#include "hls/fetch_engine.h"
#include "base/i18n.h"

#include "base/errors.h"
#include "base/http.h"
#include "base/url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Transfers of one segment at once: the first and up to two racers (each on the next mirror
 * in turn), so two stalled answers in a row do not mean waiting out --timeout. */
#define MAX_RACERS 3
/* Bytes held in memory because their offset is not known yet (a segment before them has not
 * answered). Past this, no new segment starts until offsets catch up: what bounds memory
 * when one answer is late and the others race ahead on a fast line. */
#define HOLD_BUDGET (8u << 20)
/* Asking ahead (see fetch_start_successors): only where the wait for a first byte is worth hiding,
 * the wait less a margin before the body ends, so that the next body starts just after the one
 * before ends rather than beside it. The margin is idle time on every slot at every
 * segment, and what keeps jitter from making the two bodies overlap: 3% of the wait (1.5 ms at
 * least) instead of 5% took 8 ms off bench/'s wan (160 segments on 16 connections, 50 ms to each
 * first byte) with never more than 16 bodies at once in 27 runs; at 2% and 1 ms, 3 of 14 runs
 * had 17 for a moment. */
#define AHEAD_MIN_WAIT     0.025
#define AHEAD_MARGIN_MIN   0.0015
#define AHEAD_MARGIN_SHARE 0.03
/* A body's pace is judged only after it has run this long (its first read is often a burst). */
#define AHEAD_MIN_SAMPLE 0.02

/* ---- timings: when is a segment late? ---- */

void fetch_add_timing(struct timings *t, double value)
{
    t->values[t->next] = value;
    t->next = (t->next + 1) % TIMING_SAMPLES;
    if (t->count < TIMING_SAMPLES)
        t->count++;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double fetch_median_timing(const struct timings *t, double fallback)
{
    if (t->count == 0)
        return fallback;
    double sorted[TIMING_SAMPLES];
    memcpy(sorted, t->values, t->count * sizeof *sorted);
    qsort(sorted, t->count, sizeof *sorted, compare_doubles);
    return sorted[t->count / 2];
}

/* A first byte this late is not coming soon: four times the usual wait, at least half a
 * second (a loaded server), at most half the stall timeout (which would drop it anyway). */
static double hedge_after_first_byte(const struct engine *e)
{
    double wait = 4 * fetch_median_timing(&e->first_byte, 0.5);
    double cap = e->client->timeout / 2.0;
    if (wait < 0.5)
        wait = 0.5;
    return wait < cap ? wait : cap;
}

/* A segment running this long holds the window back for no good reason. */
static double hedge_after_duration(const struct engine *e)
{
    double wait = 2.5 * fetch_median_timing(&e->duration, 2.0);
    return wait < 1.0 ? 1.0 : wait;
}

/* ---- starting transfers ---- */

/* The mirror new segments go to: the one with the fewest failures in a row (the first on a
 * tie, which is the one the master playlist prefers). */
static size_t preferred_mirror(const struct engine *e)
{
    size_t best = 0;
    for (size_t m = 1; m < e->plan->mirror_count; m++)
        if (e->mirror_failures[m] < e->mirror_failures[best])
            best = m;
    return best;
}

static enum rt_code start_transfer(struct engine *e, struct transfer *t, const struct work *work,
                                   struct rt_error *err)
{
    size_t index = work->index;
    bool hedge = work->hedge;
    struct segment *seg = &e->segments[index];
    size_t count = e->plan->mirror_count, mirror;
    if (seg->failures == 0 && !hedge)
        mirror = preferred_mirror(e);
    else
        mirror = (seg->last_mirror + 1u) % count; /* the next host in turn */
    /* Past the hosts that refused this segment for good, while one has not. */
    for (size_t k = 0; k < count && mirror < 16 && (seg->refused >> mirror & 1u); k++)
        mirror = (mirror + 1) % count;

    free(t->url);
    t->url = NULL;
    enum rt_code result =
        rt__url_resolve(e->plan->bases[mirror], e->plan->refs[index], &t->url, err);
    if (result != RT_OK)
        return result;
    t->segment = index;
    t->mirror = mirror;
    t->hedge = hedge;
    t->discard = t->too_big = t->wrong_size = t->write_failed = false;
    t->answered = t->started = t->stalled = t->too_slow = t->trickled = t->handed_off = false;
    t->piece = t->reached_cut = t->abandoned = false;
    t->from = 0;
    /* A segment whose tries got nowhere before is given less time to show it again. */
    long window = e->client->timeout;
    if (seg->hopeless > 0 && window > HOPELESS_RETRY_S)
        window = HOPELESS_RETRY_S;
    t->stall_after = (double)window;
    /* Under a speed limit libcurl's low-speed check would count the time the transfer is held
     * back (it skips a paused transfer, but its pace is averaged over the pauses): off, and
     * fetch.c checks the same on the time it was not held back. */
    t->limited = rt__rate_limit(&e->client->rate) != 0;
    curl_easy_setopt(t->easy, CURLOPT_LOW_SPEED_TIME, t->limited ? 0L : window);
    t->held = t->granted = false;
    t->held_before = t->held_before_body = t->slow_mark = 0;
    t->slow_mark_bytes = 0;
    t->discarded = 0;
    t->received = t->flushed = t->first_read = 0;
    t->started_at = t->last_byte = rt__http_now();
    t->curl_message[0] = '\0';
    rt__buf_reset(&t->body);
    curl_easy_setopt(t->easy, CURLOPT_URL, t->url);
    /* Wait for a connection being set up to the same host to say whether it multiplexes
     * (HTTP/2, offered only over TLS) rather than open another: over plain HTTP it never does,
     * and libcurl would hold the transfer until that connection's whole answer is in. */
    curl_easy_setopt(t->easy, CURLOPT_PIPEWAIT, strncasecmp(t->url, "https:", 6) == 0 ? 1L : 0L);
    if (work->split)
        fetch_begin_split(e, work, t);
    /* The bytes asked for: a piece of a file (plan->ranges) and/or a segment's tail. */
    uint64_t base = e->plan->ranges ? e->plan->ranges[index].start : 0;
    if (e->plan->ranges || t->piece) {
        char range[48];
        uint64_t length = e->plan->ranges ? e->plan->ranges[index].length : (uint64_t)seg->size;
        snprintf(range, sizeof range, "%llu-%llu", (unsigned long long)(base + t->from),
                 (unsigned long long)(base + length - 1));
        curl_easy_setopt(t->easy, CURLOPT_RANGE, range); /* libcurl copies it */
    } else {
        curl_easy_setopt(t->easy, CURLOPT_RANGE, NULL); /* this handle may have had a piece */
    }
    if (curl_multi_add_handle(e->multi, t->easy) != CURLM_OK)
        return rt__fail(err, RT_E_NOMEM, _("could not start a transfer"));
    t->busy = true;
    seg->state = SEG_RUNNING;
    seg->running++;
    seg->last_mirror = (unsigned short)mirror;
    if (hedge)
        rt__log(e->client, RT_LOG_INFO, "segment %zu of %zu is slow; racing it on mirror %zu",
                index + 1, e->plan->count, mirror + 1);
    else if (t->piece)
        rt__log(e->client, RT_LOG_DEBUG,
                "segment %zu of %zu: its bytes from %llu of %lld on "
                "another connection",
                index + 1, e->plan->count, (unsigned long long)t->from, (long long)seg->size);
    return RT_OK;
}

/* Whether every transfer of the segment is still without a first byte, each for too long. */
static bool all_late(const struct engine *e, size_t segment, double now, double late)
{
    for (size_t k = 0; k < e->transfer_count; k++) {
        const struct transfer *t = &e->transfers[k];
        if (t->busy && t->segment == segment && (t->answered || now - t->started_at <= late))
            return false;
    }
    return true;
}

/*
 * A running segment worth racing: no first byte for too long on any of its transfers (the
 * racer may land on a stalled server too: then another, up to MAX_RACERS), or, when nothing
 * new may start, the lowest running segment once it has run far longer than usual.
 */
static bool pick_hedge(struct engine *e, double now, bool window_blocked, size_t *index)
{
    double late_first_byte = hedge_after_first_byte(e);
    double late_segment = hedge_after_duration(e);
    for (size_t k = 0; k < e->transfer_count; k++) {
        const struct transfer *t = &e->transfers[k];
        /* A split segment's halves are not raced: a late piece is dropped instead. */
        if (!t->busy || e->segments[t->segment].running >= MAX_RACERS ||
            e->segments[t->segment].cut)
            continue;
        /* The time a transfer was held back by the speed limit is not the server's. */
        double age = now - t->started_at - fetch_held_for(t, now);
        bool slow = window_blocked && !t->hedge && e->segments[t->segment].running == 1 &&
                    t->segment == e->done && age > late_segment;
        bool late =
            !t->answered && age > late_first_byte && all_late(e, t->segment, now, late_first_byte);
        if (late || slow) {
            *index = t->segment;
            return true;
        }
    }
    return false;
}

/* Bytes in memory that cannot go to the file yet: held segments, and what transfers without
 * a known offset (or racing as hedges) have received. */
static uint64_t unplaced_bytes(const struct engine *e)
{
    uint64_t bytes = e->held;
    for (size_t k = 0; k < e->transfer_count; k++) {
        const struct transfer *t = &e->transfers[k];
        if (t->busy && (t->hedge || t->segment > e->placed))
            bytes += t->body.len;
    }
    return bytes;
}

/* The next thing a free slot should do: a due retry (the lowest first, as it holds the file
 * back), a hedge, a new segment within the window, or, once every segment has been asked
 * for, the tail of the longest running one (fetch_split.c). */
static bool pick_work(struct engine *e, double now, struct work *work)
{
    *work = (struct work){0};
    size_t limit = e->done + e->window;
    for (size_t i = e->done; i < e->next_new; i++) {
        if (e->segments[i].state == SEG_WAITING && e->segments[i].retry_at <= now) {
            work->index = i;
            return true;
        }
    }
    /* A .part kept in memory (hls/sink.h) waits for its reader as the held bytes wait for
     * their offsets. */
    bool can_start_new = e->next_new < e->plan->count && e->next_new < limit &&
                         (e->next_new <= e->placed || unplaced_bytes(e) < HOLD_BUDGET) &&
                         !rt__sink_full(e->sink);
    if (pick_hedge(e, now, !can_start_new, &work->index)) {
        work->hedge = true;
        return true;
    }
    /* While the speed limit holds one of this download's transfers back, the limit is what
     * sets the pace, not the servers: a new transfer would only share it thinner, leaving every
     * segment longer unfinished (and each connection longer idle). */
    if (can_start_new && e->held_count == 0) {
        work->index = e->next_new++;
        return true;
    }
    return fetch_pick_split(e, now, work);
}

enum rt_code fetch_start_transfers(struct engine *e, struct rt_error *err)
{
    double now = rt__http_now();
    e->starved = false;
    for (size_t k = 0; k < e->transfer_count; k++) {
        struct transfer *t = &e->transfers[k];
        if (t->busy)
            continue;
        /* A slot of the client's budget first: other downloads may hold them all. */
        if (!rt__client_take_slot(e->client, &e->slots)) {
            e->starved = true;
            break;
        }
        struct work work;
        if (!pick_work(e, now, &work)) {
            rt__client_give_slot(e->client, &e->slots);
            /* Nothing wakes the loop when the reader catches up: look again soon. */
            if (rt__sink_full(e->sink))
                e->starved = true;
            break;
        }
        enum rt_code result = start_transfer(e, t, &work, err);
        if (result != RT_OK) {
            rt__client_give_slot(e->client, &e->slots);
            return result;
        }
    }
    return RT_OK;
}

/* ---- asking ahead ---- */

/* A server's wait from a request to its answer, and so how long before a body ends the next
 * request should go out: the usual wait less a margin, -1 when answers come too soon for
 * hiding the wait to matter. Worked out here, once per answer, not on every turn of the loop. */
void fetch_note_server_wait(struct engine *e, double seconds)
{
    fetch_add_timing(&e->server_wait, seconds);
    double wait = fetch_median_timing(&e->server_wait, 0);
    double margin = AHEAD_MARGIN_SHARE * wait;
    if (margin < AHEAD_MARGIN_MIN)
        margin = AHEAD_MARGIN_MIN;
    e->ahead_lead = wait < AHEAD_MIN_WAIT ? -1 : wait - margin;
}

/* Seconds until this transfer's body ends at its pace so far, or -1 when that is unknown
 * (no body yet, not a 200 or 206, no length, already handed off, too soon to judge). */
double fetch_time_left(const struct engine *e, const struct transfer *t, double now)
{
    if (!t->busy || !t->started || t->discard || t->handed_off || t->abandoned)
        return -1;
    uint64_t size = fetch_transfer_span(e, t); /* known by the answer's length, if not before */
    if (size == 0)
        return -1;
    double spent = now - t->body_started;
    if (spent < AHEAD_MIN_SAMPLE || t->received <= t->first_read)
        return -1;
    if (size <= t->received)
        return 0;
    double rate = (double)(t->received - t->first_read) / spent;
    return (double)(size - t->received) / rate;
}

static struct transfer *idle_transfer(struct engine *e)
{
    for (size_t k = 0; k < e->transfer_count; k++)
        if (!e->transfers[k].busy)
            return &e->transfers[k];
    return NULL;
}

/*
 * HTTP/1.1 connections carry one request at a time (libcurl does not pipeline), so every
 * segment would leave its slot idle for a whole wait for the first byte: on a distant CDN a
 * fifth of the time or more. Instead, a transfer whose body will end within that wait hands its
 * slot to the next piece of work, started now on a spare handle (another connection): the
 * new body starts as the old one ends, so bodies at once stay within -j while the waits
 * overlap the bytes before them.
 */
enum rt_code fetch_start_successors(struct engine *e, struct rt_error *err)
{
    double lead = e->ahead_lead;
    if (lead < 0)
        return RT_OK;
    double now = rt__http_now();
    for (size_t k = 0; k < e->transfer_count; k++) {
        struct transfer *t = &e->transfers[k];
        double left = fetch_time_left(e, t, now);
        if (left < 0 || left > lead)
            continue;
        struct transfer *spare = idle_transfer(e);
        struct work work;
        if (!spare || !pick_work(e, now, &work))
            return RT_OK;
        if (work.hedge && work.index == t->segment)
            continue; /* racing a body about to end would only waste a connection */
        enum rt_code result = start_transfer(e, spare, &work, err);
        if (result != RT_OK)
            return result;
        t->handed_off = true;
        e->asked_ahead++;
    }
    return RT_OK;
}

/* How long until the next transfer is due to hand its slot on; `wait` when none is sooner. */
double fetch_next_successor_due(const struct engine *e, double now, double wait)
{
    double lead = e->ahead_lead;
    if (lead < 0)
        return wait;
    for (size_t k = 0; k < e->transfer_count; k++) {
        double left = fetch_time_left(e, &e->transfers[k], now);
        if (left > lead && left - lead < wait)
            wait = left - lead;
    }
    return wait;
}
