/* The segment engine declared in fetch.h: scheduling, placement, hedging, retries, progress. */
#include "fetch.h"
#include "i18n.h"

#include "buf.h"
#include "errors.h"
#include "http.h"
#include "url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A non-200 answer's body is read and dropped (so the connection can be reused), up to this. */
#define DISCARD_MAX (1u << 20)
/* How often the loop wakes at least: bounds how late a cancel, a due retry or a hedge is. */
#define TICK_MS 100
/* The wait while every slot of the client is taken by other downloads. */
#define STARVED_TICK_MS 10
/* Speed is measured over this many seconds. */
#define SPEED_WINDOW  3.0
#define SPEED_SAMPLES 16
/* Recent times to first byte and segment durations, for when to hedge. */
#define TIMING_SAMPLES 32
/* Transfers of one segment at once: the first and up to two racers (each on the next mirror
 * in turn), so two stalled answers in a row do not mean waiting out --timeout. */
#define MAX_RACERS 3
/* Bytes of a segment are written to the file in pieces of this size: one write per network
 * read would cost a system call per 16 KB. */
#define STAGE_BYTES (256u << 10)
/* Bytes held in memory because their offset is not known yet (a segment before them has not
 * answered). Past this, no new segment starts until offsets catch up: what bounds memory
 * when one answer is late and the others race ahead on a fast line. */
#define HOLD_BUDGET (8u << 20)
/* Asking ahead (see start_successors): only where the wait for a first byte is worth hiding,
 * and that much earlier than the first byte would be needed, so that the next body starts just
 * after the one before ends rather than beside it. */
#define AHEAD_MIN_FIRST_BYTE 0.025
#define AHEAD_MARGIN_MIN     0.010
#define AHEAD_MARGIN_SHARE   0.2
/* A body's pace is judged only after it has run this long (its first read is often a burst). */
#define AHEAD_MIN_SAMPLE 0.02

enum segment_state {
    SEG_NEW,      /* not asked for yet */
    SEG_WAITING,  /* failed; a retry is due at retry_at */
    SEG_RUNNING,  /* one or two transfers fetch it */
    SEG_COMPLETE, /* all bytes here, but its offset is not known yet: held in memory */
    SEG_DONE,     /* in the file */
};

struct segment {
    unsigned char state;
    unsigned char running;      /* transfers fetching it: 1, more while raced */
    unsigned short failures;    /* failed transfers so far */
    unsigned short last_mirror; /* where the latest transfer went */
    double retry_at;
    int64_t size; /* Content-Length of its first 200 answer (or its whole body), else -1 */
    char *held;   /* SEG_COMPLETE: its bytes */
};

struct transfer {
    struct engine *engine;
    CURL *easy;
    bool busy;
    bool hedge;      /* racing another transfer of the same segment: keeps bytes in memory */
    bool discard;    /* the answer is not a 200: drop its body */
    bool too_big;    /* over the cap */
    bool wrong_size; /* a Content-Length other than the segment's known size */
    bool write_failed;
    bool started;    /* the first body byte arrived */
    bool stalled;    /* dropped by us: no byte for the client's timeout */
    bool handed_off; /* a successor took over its slot: its end gives none back */
    size_t segment, mirror;
    size_t discarded;
    uint64_t received;   /* body bytes of this answer */
    uint64_t first_read; /* of those, the ones of the first read (not paced: a burst) */
    uint64_t flushed;    /* of those, already written to the file */
    int64_t length;      /* the 200 answer's Content-Length, else -1 */
    struct rt__buf body; /* bytes not written yet: staged, or kept until the offset is known */
    double started_at, body_started, last_byte;
    char *url;
    char curl_message[CURL_ERROR_SIZE];
};

struct speed_sample {
    double time;
    uint64_t bytes;
};

struct timings {
    double values[TIMING_SAMPLES];
    size_t count, next;
};

struct engine {
    struct rt_client *client;
    const struct rt__fetch_plan *plan;
    struct rt__sink *sink;
    const atomic_bool *cancel;
    CURLM *multi;
    struct transfer *transfers;
    size_t transfer_count;
    struct segment *segments;
    uint64_t *offsets;           /* offsets[i] is where segment i starts, valid for i <= placed */
    size_t placed;               /* the sizes of all segments before this one are known */
    size_t done;                 /* all segments before this one are in the file */
    size_t next_new;             /* the lowest segment never asked for */
    size_t window;               /* how far past `done` new segments may start */
    bool starved;                /* work was waiting for a slot of the client's budget */
    struct rt__slot_user slots;  /* this download's claim on them */
    int *mirror_failures;        /* consecutive failures per mirror */
    struct rt_error write_error; /* the file refused bytes inside a callback */
    uint64_t held;               /* bytes of SEG_COMPLETE segments, waiting for their offset */
    uint64_t received;           /* every body byte received, retried ones too (for speed) */
    uint64_t completed;          /* bytes of whole segments (resumed ones included) */
    uint64_t known_bytes;        /* sum of the sizes known so far */
    size_t asked_ahead;          /* requests sent before their slot's body ended */
    size_t known_count;
    struct timings first_byte, duration;
    double start, last_report;
    struct speed_sample samples[SPEED_SAMPLES];
    size_t sample_count, sample_next;
    rt_progress_fn progress;
    void *progress_data;
};

/* ---- timings: when is a segment late? ---- */

static void add_timing(struct timings *t, double value)
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

static double median_timing(const struct timings *t, double fallback)
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
    double wait = 4 * median_timing(&e->first_byte, 0.5);
    double cap = e->client->timeout / 2.0;
    if (wait < 0.5)
        wait = 0.5;
    return wait < cap ? wait : cap;
}

/* A segment running this long holds the window back for no good reason. */
static double hedge_after_duration(const struct engine *e)
{
    double wait = 2.5 * median_timing(&e->duration, 2.0);
    return wait < 1.0 ? 1.0 : wait;
}

/* ---- placement: segments go straight to their offset once it is known ---- */

static enum rt_code write_held(struct engine *e, size_t index, const char *data, size_t len)
{
    return rt__sink_write_at(e->sink, e->offsets[index], data, len, &e->write_error);
}

/* Move `done` past the segments that are in the file, and tell the sink. */
static enum rt_code advance_done(struct engine *e, struct rt_error *err)
{
    size_t before = e->done;
    while (e->done < e->plan->count && e->segments[e->done].state == SEG_DONE)
        e->done++;
    if (e->done == before)
        return RT_OK;
    return rt__sink_advance(e->sink, e->done, e->offsets[e->done], err);
}

/* Extend the known offsets over the segments whose sizes are known, writing out any segment
 * that was complete and only waited for its place. */
static enum rt_code advance_placement(struct engine *e)
{
    while (e->placed < e->plan->count && e->segments[e->placed].size >= 0) {
        struct segment *seg = &e->segments[e->placed];
        e->offsets[e->placed + 1] = e->offsets[e->placed] + (uint64_t)seg->size;
        if (seg->state == SEG_COMPLETE) {
            enum rt_code result = write_held(e, e->placed, seg->held, (size_t)seg->size);
            free(seg->held);
            seg->held = NULL;
            e->held -= (uint64_t)seg->size;
            if (result != RT_OK)
                return result;
            seg->state = SEG_DONE;
        }
        e->placed++;
    }
    return RT_OK;
}

static void learn_size(struct engine *e, size_t index, int64_t size)
{
    e->segments[index].size = size;
    e->known_bytes += (uint64_t)size;
    e->known_count++;
}

/* Write what this transfer holds to its place in the file. */
static bool flush_staged(struct transfer *t)
{
    struct engine *e = t->engine;
    if (t->body.len == 0)
        return true;
    uint64_t at = e->offsets[t->segment] + t->flushed;
    if (rt__sink_write_at(e->sink, at, t->body.data, t->body.len, &e->write_error) != RT_OK) {
        t->write_failed = true;
        return false;
    }
    t->flushed += t->body.len;
    rt__buf_reset(&t->body);
    return true;
}

/* Bytes of an answer: staged and written to the file in large pieces once the segment's
 * offset is known (unless this transfer is a hedge, which might lose the race), else kept in
 * memory until then. */
static bool take_bytes(struct transfer *t, const char *data, size_t n)
{
    if (t->received + n > RT_FETCH_SEGMENT_MAX) {
        t->too_big = true;
        return false;
    }
    if (rt__buf_append(&t->body, data, n) != RT__BUF_OK) {
        t->too_big = true;
        return false;
    }
    t->received += n;
    bool placeable = !t->hedge && t->segment <= t->engine->placed;
    if (placeable && t->body.len >= STAGE_BYTES)
        return flush_staged(t);
    return true;
}

/* A whole segment answers 200; a piece of a file, 206 Partial Content. */
static long expected_status(const struct engine *e)
{
    return e->plan->ranges ? 206 : 200;
}

/* Whether a 206 answer holds the range asked for: a server that sends another piece would
 * otherwise put bytes at the wrong place in the file. */
static bool range_matches(struct transfer *t)
{
    const struct rt__range *r = &t->engine->plan->ranges[t->segment];
    struct curl_header *h = NULL;
    if (curl_easy_header(t->easy, "Content-Range", 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h)
        return false;
    unsigned long long first, last;
    if (sscanf(h->value, "bytes %llu-%llu/", &first, &last) != 2)
        return false;
    return first == r->start && last == r->start + r->length - 1;
}

/* The first bytes of an answer: its status, and its size against what is known. */
static bool begin_body(struct transfer *t)
{
    struct engine *e = t->engine;
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    t->discard = status != expected_status(e);
    if (t->discard)
        return true;
    if (e->plan->ranges && !range_matches(t)) {
        t->wrong_size = true;
        return false;
    }
    t->body_started = rt__http_now();
    add_timing(&e->first_byte, t->body_started - t->started_at);
    curl_off_t length = -1;
    curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    if (length < 0)
        return true;
    if ((uint64_t)length > RT_FETCH_SEGMENT_MAX) {
        t->too_big = true;
        return false;
    }
    t->length = length;
    struct segment *seg = &e->segments[t->segment];
    if (seg->size >= 0 && seg->size != length) {
        /* Later segments may already sit at offsets this size decided. */
        t->wrong_size = true;
        return false;
    }
    if (seg->size < 0) {
        learn_size(e, t->segment, length);
        if (advance_placement(e) != RT_OK) {
            t->write_failed = true;
            return false;
        }
    }
    return true;
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct transfer *t = userdata;
    size_t n = size * nmemb;
    if (!t->started) {
        t->started = true;
        t->first_read = n;
        if (!begin_body(t))
            return 0;
    }
    t->engine->received += n;
    t->last_byte = rt__http_now();
    if (t->discard) {
        t->discarded += n;
        return t->discarded > DISCARD_MAX ? 0 : n;
    }
    return take_bytes(t, data, n) ? n : 0;
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

static enum rt_code start_transfer(struct engine *e, struct transfer *t, size_t index, bool hedge,
                                   struct rt_error *err)
{
    struct segment *seg = &e->segments[index];
    size_t mirror;
    if (seg->failures == 0 && !hedge)
        mirror = preferred_mirror(e);
    else
        mirror = (seg->last_mirror + 1u) % e->plan->mirror_count; /* the next host in turn */

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
    t->started = t->stalled = t->handed_off = false;
    t->discarded = 0;
    t->received = t->flushed = t->first_read = 0;
    t->length = -1;
    t->started_at = t->last_byte = rt__http_now();
    t->curl_message[0] = '\0';
    rt__buf_reset(&t->body);
    curl_easy_setopt(t->easy, CURLOPT_URL, t->url);
    char range[48];
    if (e->plan->ranges) {
        const struct rt__range *r = &e->plan->ranges[index];
        snprintf(range, sizeof range, "%llu-%llu", (unsigned long long)r->start,
                 (unsigned long long)(r->start + r->length - 1));
        curl_easy_setopt(t->easy, CURLOPT_RANGE, range); /* libcurl copies it */
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
    return RT_OK;
}

/* Whether every transfer of the segment is still without a first byte, each for too long. */
static bool all_late(const struct engine *e, size_t segment, double now, double late)
{
    for (size_t k = 0; k < e->transfer_count; k++) {
        const struct transfer *t = &e->transfers[k];
        if (t->busy && t->segment == segment && (t->started || now - t->started_at <= late))
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
        if (!t->busy || e->segments[t->segment].running >= MAX_RACERS)
            continue;
        double age = now - t->started_at;
        bool slow = window_blocked && !t->hedge && e->segments[t->segment].running == 1 &&
                    t->segment == e->done && age > late_segment;
        bool late =
            !t->started && age > late_first_byte && all_late(e, t->segment, now, late_first_byte);
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
 * back), a hedge, a new segment within the window. */
static bool pick_work(struct engine *e, double now, size_t *index, bool *hedge)
{
    *hedge = false;
    size_t limit = e->done + e->window;
    for (size_t i = e->done; i < e->next_new; i++) {
        if (e->segments[i].state == SEG_WAITING && e->segments[i].retry_at <= now) {
            *index = i;
            return true;
        }
    }
    bool can_start_new = e->next_new < e->plan->count && e->next_new < limit &&
                         (e->next_new <= e->placed || unplaced_bytes(e) < HOLD_BUDGET);
    if (pick_hedge(e, now, !can_start_new, index)) {
        *hedge = true;
        return true;
    }
    if (can_start_new) {
        *index = e->next_new++;
        return true;
    }
    return false;
}

static enum rt_code start_transfers(struct engine *e, struct rt_error *err)
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
        size_t index;
        bool hedge;
        if (!pick_work(e, now, &index, &hedge)) {
            rt__client_give_slot(e->client, &e->slots);
            break;
        }
        enum rt_code result = start_transfer(e, t, index, hedge, err);
        if (result != RT_OK) {
            rt__client_give_slot(e->client, &e->slots);
            return result;
        }
    }
    return RT_OK;
}

/* ---- asking ahead ---- */

/* How long before a body ends the next request should go out: the usual wait for a first
 * byte less a margin, or -1 when first bytes come too soon for hiding them to matter. */
static double ahead_lead(const struct engine *e)
{
    double first_byte = median_timing(&e->first_byte, 0);
    if (first_byte < AHEAD_MIN_FIRST_BYTE)
        return -1;
    double margin = AHEAD_MARGIN_SHARE * first_byte;
    if (margin < AHEAD_MARGIN_MIN)
        margin = AHEAD_MARGIN_MIN;
    return first_byte - margin;
}

/* Seconds until this transfer's body ends at its pace so far, or -1 when that is unknown
 * (no body yet, not a 200 or 206, no length, already handed off, too soon to judge). */
static double time_left(const struct transfer *t, double now)
{
    if (!t->busy || !t->started || t->discard || t->handed_off || t->length <= 0)
        return -1;
    double spent = now - t->body_started;
    if (spent < AHEAD_MIN_SAMPLE || t->received <= t->first_read)
        return -1;
    if ((uint64_t)t->length <= t->received)
        return 0;
    double rate = (double)(t->received - t->first_read) / spent;
    return (double)((uint64_t)t->length - t->received) / rate;
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
static enum rt_code start_successors(struct engine *e, struct rt_error *err)
{
    double lead = ahead_lead(e);
    if (lead < 0)
        return RT_OK;
    double now = rt__http_now();
    for (size_t k = 0; k < e->transfer_count; k++) {
        struct transfer *t = &e->transfers[k];
        double left = time_left(t, now);
        if (left < 0 || left > lead)
            continue;
        struct transfer *spare = idle_transfer(e);
        size_t index;
        bool hedge;
        if (!spare || !pick_work(e, now, &index, &hedge))
            return RT_OK;
        if (hedge && index == t->segment)
            continue; /* racing a body about to end would only waste a connection */
        enum rt_code result = start_transfer(e, spare, index, hedge, err);
        if (result != RT_OK)
            return result;
        t->handed_off = true;
        e->asked_ahead++;
    }
    return RT_OK;
}

/* How long until the next transfer is due to hand its slot on; `wait` when none is sooner. */
static double next_successor_due(const struct engine *e, double now, double wait)
{
    double lead = ahead_lead(e);
    if (lead < 0)
        return wait;
    for (size_t k = 0; k < e->transfer_count; k++) {
        double left = time_left(&e->transfers[k], now);
        if (left > lead && left - lead < wait)
            wait = left - lead;
    }
    return wait;
}

/* ---- finishing transfers ---- */

static void stop_transfer(struct engine *e, struct transfer *t)
{
    curl_multi_remove_handle(e->multi, t->easy);
    t->busy = false;
    e->segments[t->segment].running--;
    if (!t->handed_off)
        rt__client_give_slot(e->client, &e->slots);
}

/* A transfer that had to hold a whole segment keeps a buffer that large; give it back, or
 * over a long video every transfer would end up holding one (memory growing with length). */
static void trim_buffer(struct transfer *t)
{
    if (t->body.cap > 2 * STAGE_BYTES)
        rt__buf_cleanup(&t->body);
}

/* What went wrong with a finished transfer, or NULL when it brought a whole segment. */
static const char *judge(struct transfer *t, CURLcode rc, long status, char *why, size_t size,
                         bool *is_http)
{
    *is_http = false;
    if (t->stalled) {
        snprintf(why, size, "no data for %d s", t->engine->client->timeout);
        return why;
    }
    if (t->too_big) {
        snprintf(why, size, "the answer is larger than %u MiB", RT_FETCH_SEGMENT_MAX >> 20);
        return why;
    }
    if (t->wrong_size) {
        snprintf(why, size, "the answer's size differs from the segment's");
        return why;
    }
    if (rc != CURLE_OK) {
        snprintf(why, size, "%s", t->curl_message[0] ? t->curl_message : curl_easy_strerror(rc));
        return why;
    }
    if (status != expected_status(t->engine)) {
        *is_http = true;
        snprintf(why, size, "HTTP %ld", status);
        return why;
    }
    curl_off_t length = -1;
    curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    if (length >= 0 && (uint64_t)length != t->received) {
        snprintf(why, size, "got %llu of %lld bytes", (unsigned long long)t->received,
                 (long long)length);
        return why;
    }
    if (t->received == 0) {
        snprintf(why, size, "the answer is empty");
        return why;
    }
    return NULL;
}

static enum rt_code on_failure(struct engine *e, struct transfer *t, const char *why, bool is_http,
                               struct rt_error *err)
{
    struct segment *seg = &e->segments[t->segment];
    const struct rt__fetch_plan *plan = e->plan;
    char host[256];
    rt__http_host(t->url, host, sizeof host);
    e->mirror_failures[t->mirror]++;
    seg->failures++;
    if (seg->running > 0) {
        rt__log(e->client, RT_LOG_INFO, "segment %zu of %zu: %s from %s; the race goes on",
                t->segment + 1, plan->count, why, host);
        return RT_OK; /* its racing twin may still bring it */
    }
    if (seg->failures > (unsigned)e->client->retries)
        return rt__fail(err, is_http ? RT_E_HTTP : RT_E_NETWORK,
                        _("video %s: segment %zu of %zu failed after %u tries (last from %s: %s)"),
                        plan->video_id, t->segment + 1, plan->count, seg->failures, host, why);
    /* The first retries go to the other mirrors at once: a different host is the best cure
     * for a broken one. Only once every mirror failed does waiting help. */
    double delay = 0;
    if (seg->failures >= plan->mirror_count)
        delay = rt__http_backoff((int)(seg->failures - plan->mirror_count + 1), 0.25, 8.0);
    curl_off_t retry_after = 0;
    if (curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK &&
        retry_after > 0) {
        double asked = retry_after > 60 ? 60.0 : (double)retry_after;
        if (asked > delay)
            delay = asked;
    }
    rt__log(e->client, RT_LOG_INFO, "segment %zu of %zu: %s from %s; retry %u of %d in %.1f s",
            t->segment + 1, plan->count, why, host, seg->failures, e->client->retries, delay);
    seg->state = SEG_WAITING;
    seg->retry_at = rt__http_now() + delay;
    return RT_OK;
}

/* A whole segment arrived: into the file (or held for its offset); its racing twin stops. */
static enum rt_code on_success(struct engine *e, struct transfer *t, struct rt_error *err)
{
    size_t index = t->segment;
    struct segment *seg = &e->segments[index];
    e->mirror_failures[t->mirror] = 0;
    add_timing(&e->duration, rt__http_now() - t->started_at);
    e->completed += t->received;
    for (size_t k = 0; k < e->transfer_count; k++) {
        struct transfer *other = &e->transfers[k];
        if (other != t && other->busy && other->segment == index) {
            stop_transfer(e, other);
            trim_buffer(other);
        }
    }
    if (seg->size < 0)
        learn_size(e, index, (int64_t)t->received);
    if (index <= e->placed) {
        if (!flush_staged(t))
            return rt__fail(err, e->write_error.code, "%s", e->write_error.message);
        seg->state = SEG_DONE;
    } else {
        size_t len;
        seg->held = rt__buf_detach(&t->body, &len);
        seg->state = SEG_COMPLETE;
        e->held += len;
    }
    if (advance_placement(e) != RT_OK)
        return rt__fail(err, e->write_error.code, "%s", e->write_error.message);
    return advance_done(e, err);
}

static enum rt_code finish_transfer(struct engine *e, struct transfer *t, CURLcode rc,
                                    struct rt_error *err)
{
    long status = 0;
    char why[CURL_ERROR_SIZE + 64];
    bool is_http;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    stop_transfer(e, t);
    if (t->write_failed)
        return rt__fail(err, e->write_error.code, "%s", e->write_error.message);
    const char *failure = judge(t, rc, status, why, sizeof why, &is_http);
    enum rt_code result = failure ? on_failure(e, t, failure, is_http, err) : on_success(e, t, err);
    trim_buffer(t); /* only now: on_success writes what the buffer still holds */
    return result;
}

/*
 * Drop transfers that received nothing for the client's timeout: not connecting, no answer,
 * or a body that stopped. libcurl's own low-speed check averages over several seconds, so
 * after a fast start it notices a stall late; this notices it on time.
 */
static enum rt_code drop_stalled(struct engine *e, struct rt_error *err)
{
    double now = rt__http_now();
    for (size_t k = 0; k < e->transfer_count; k++) {
        struct transfer *t = &e->transfers[k];
        if (!t->busy || now - t->last_byte < e->client->timeout)
            continue;
        t->stalled = true;
        enum rt_code result = finish_transfer(e, t, CURLE_OPERATION_TIMEDOUT, err);
        if (result != RT_OK)
            return result;
    }
    return RT_OK;
}

static enum rt_code harvest(struct engine *e, struct rt_error *err)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(e->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        struct transfer *t = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        if (!t || !t->busy)
            continue; /* a racing twin already stopped by the winner */
        enum rt_code result = finish_transfer(e, t, msg->data.result, err);
        if (result != RT_OK)
            return result;
    }
    return RT_OK;
}

/* ---- progress ---- */

static double measure_speed(struct engine *e, double now)
{
    /* A sample every quarter second; 16 of them cover more than the 3-second window. */
    size_t newest = (e->sample_next + SPEED_SAMPLES - 1) % SPEED_SAMPLES;
    if (e->sample_count == 0 || now - e->samples[newest].time >= 0.25) {
        e->samples[e->sample_next] = (struct speed_sample){now, e->received};
        e->sample_next = (e->sample_next + 1) % SPEED_SAMPLES;
        if (e->sample_count < SPEED_SAMPLES)
            e->sample_count++;
    }
    /* From the oldest sample inside the window; from the start while there is none. */
    struct speed_sample from = {e->start, 0};
    for (size_t k = e->sample_count; k > 0; k--) {
        const struct speed_sample *s =
            &e->samples[(e->sample_next + SPEED_SAMPLES - k) % SPEED_SAMPLES];
        if (now - s->time <= SPEED_WINDOW) {
            if (now - s->time >= 0.2)
                from = *s;
            break;
        }
    }
    double span = now - from.time;
    return span > 0 ? (double)(e->received - from.bytes) / span : 0;
}

static void report(struct engine *e, bool final)
{
    double now = rt__http_now();
    if (!e->progress || (!final && now - e->last_report < 0.1))
        return;
    e->last_report = now;

    struct rt_progress p = {0};
    p.phase = RT_PHASE_DOWNLOAD;
    p.bytes_done = e->completed;
    for (size_t k = 0; k < e->transfer_count; k++)
        if (e->transfers[k].busy && !e->transfers[k].discard && !e->transfers[k].hedge)
            p.bytes_done += e->transfers[k].received;
    /* Sizes seen so far stand in for the ones still unknown. */
    if (e->known_count > 0)
        p.bytes_expected =
            e->known_bytes + (e->plan->count - e->known_count) * (e->known_bytes / e->known_count);
    else
        p.bytes_expected = e->plan->expected_bytes;
    if (final || p.bytes_expected < p.bytes_done)
        p.bytes_expected = p.bytes_done;
    p.segments_done = e->done;
    p.segments_total = e->plan->count;
    p.elapsed = now - e->start;
    p.speed = measure_speed(e, now);
    e->progress(&p, e->progress_data);
}

/* How long the loop may sleep: until the next due retry, at most one tick. */
static long poll_timeout(const struct engine *e)
{
    double now = rt__http_now();
    /* Waiting for a slot another download holds: look again soon, as nothing here will
     * wake the wait when that download frees it. */
    double wait = next_successor_due(e, now, (e->starved ? STARVED_TICK_MS : TICK_MS) / 1000.0);
    for (size_t i = e->done; i < e->next_new; i++) {
        const struct segment *seg = &e->segments[i];
        if (seg->state == SEG_WAITING && seg->retry_at - now < wait)
            wait = seg->retry_at - now;
    }
    return wait > 0 ? (long)(wait * 1000) + 1 : 0;
}

/* ---- the loop ---- */

static enum rt_code engine_init(struct engine *e, struct rt_error *err)
{
    const struct rt__fetch_plan *plan = e->plan;
    e->multi = curl_multi_init();
    e->segments = calloc(plan->count, sizeof *e->segments);
    e->offsets = calloc(plan->count + 1, sizeof *e->offsets);
    e->mirror_failures = calloc(plan->mirror_count, sizeof *e->mirror_failures);
    e->transfer_count = (size_t)e->client->jobs;
    if (e->transfer_count > plan->count - plan->first)
        e->transfer_count = plan->count - plan->first;
    e->transfer_count *= 2; /* a spare for every slot, to ask ahead (start_successors) */
    e->transfers = calloc(e->transfer_count, sizeof *e->transfers);
    if (!e->multi || !e->segments || !e->offsets || !e->mirror_failures || !e->transfers)
        return rt__fail(err, RT_E_NOMEM, NULL);
    for (size_t i = 0; i < plan->count; i++) {
        e->segments[i].size = -1;
        e->segments[i].state = i < plan->first ? SEG_DONE : SEG_NEW;
    }
    /* A resumed download starts after what the file already holds. */
    e->done = e->placed = e->next_new = plan->first;
    e->offsets[plan->first] = rt__sink_written(e->sink);
    e->completed = rt__sink_written(e->sink);
    /* Pieces of a file have their sizes, so every offset, from the start. */
    for (size_t i = plan->first; plan->ranges && i < plan->count; i++)
        learn_size(e, i, (int64_t)plan->ranges[i].length);
    if (plan->ranges && advance_placement(e) != RT_OK)
        return rt__fail(err, e->write_error.code, "%s", e->write_error.message);
    /* How far ahead of the first missing segment transfers may start: enough to keep every
     * connection busy past a slow one; the held bytes are only those without an offset. */
    e->window = 4 * (size_t)e->client->jobs;
    /* Prefer one HTTP/2 connection per host carrying many streams over many connections. */
    curl_multi_setopt(e->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    for (size_t k = 0; k < e->transfer_count; k++) {
        struct transfer *t = &e->transfers[k];
        t->engine = e;
        rt__buf_init(&t->body, RT_FETCH_SEGMENT_MAX);
        if (!(t->easy = curl_easy_init()))
            return rt__fail(err, RT_E_NOMEM, NULL);
        rt__http_setup(e->client, t->easy);
        curl_easy_setopt(t->easy, CURLOPT_PRIVATE, (char *)t);
        curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
        curl_easy_setopt(t->easy, CURLOPT_ERRORBUFFER, t->curl_message);
        curl_easy_setopt(t->easy, CURLOPT_PIPEWAIT, 1L);
        curl_easy_setopt(t->easy, CURLOPT_BUFFERSIZE, 128L * 1024);
    }
    e->start = e->last_report = rt__http_now();
    return RT_OK;
}

static void engine_cleanup(struct engine *e)
{
    for (size_t k = 0; k < e->transfer_count && e->transfers; k++) {
        struct transfer *t = &e->transfers[k];
        if (t->busy) {
            curl_multi_remove_handle(e->multi, t->easy);
            if (!t->handed_off)
                rt__client_give_slot(e->client, &e->slots);
        }
        if (t->easy)
            curl_easy_cleanup(t->easy);
        rt__buf_cleanup(&t->body);
        free(t->url);
    }
    for (size_t i = 0; e->segments && i < e->plan->count; i++)
        free(e->segments[i].held);
    if (e->multi)
        curl_multi_cleanup(e->multi);
    free(e->transfers);
    free(e->segments);
    free(e->offsets);
    free(e->mirror_failures);
}

/* Start what may start and let libcurl send it; slots freed by a finished transfer are
 * refilled at once rather than after the next wait. */
static enum rt_code step(struct engine *e, struct rt_error *err)
{
    enum rt_code result = start_transfers(e, err);
    if (result == RT_OK)
        result = start_successors(e, err);
    if (result != RT_OK)
        return result;
    int running = 0;
    CURLMcode mc = curl_multi_perform(e->multi, &running);
    if (mc != CURLM_OK)
        return rt__fail(err, RT_E_NETWORK, _("libcurl: %s"), curl_multi_strerror(mc));
    return RT_OK;
}

enum rt_code rt__fetch_run(struct rt_client *client, const struct rt__fetch_plan *plan,
                           struct rt__sink *sink, const atomic_bool *cancel,
                           rt_progress_fn progress, void *progress_data, struct rt_error *err)
{
    struct engine e;
    memset(&e, 0, sizeof e);
    e.client = client;
    e.plan = plan;
    e.sink = sink;
    e.cancel = cancel;
    e.progress = progress;
    e.progress_data = progress_data;
    if (plan->count == 0 || plan->mirror_count == 0 || plan->first >= plan->count)
        return rt__fail(err, RT_E_BAD_PLAYLIST, _("nothing to download"));

    rt__client_slots_enter(client, &e.slots);
    enum rt_code result = engine_init(&e, err);
    while (result == RT_OK && e.done < plan->count) {
        if (rt__cancelled(client, cancel)) {
            result = rt__fail(err, RT_E_CANCELLED, NULL);
            break;
        }
        result = step(&e, err);
        if (result == RT_OK)
            result = harvest(&e, err);
        if (result == RT_OK)
            result = drop_stalled(&e, err);
        if (result == RT_OK && e.done < plan->count)
            result = step(&e, err);
        if (result != RT_OK || e.done == plan->count)
            break;
        report(&e, false);
        CURLMcode mc = curl_multi_poll(e.multi, NULL, 0, (int)poll_timeout(&e), NULL);
        if (mc != CURLM_OK)
            result = rt__fail(err, RT_E_NETWORK, _("libcurl: %s"), curl_multi_strerror(mc));
    }
    if (result == RT_OK)
        report(&e, true);
    if (e.asked_ahead > 0)
        rt__log(client, RT_LOG_DEBUG, "video %s: %zu requests sent while a body was ending",
                plan->video_id, e.asked_ahead);
    engine_cleanup(&e);
    rt__client_slots_leave(client, &e.slots);
    return result;
}
