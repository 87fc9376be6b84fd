/* The segment engine declared in fetch.h: scheduling, retries, mirror failover, progress. */
#include "fetch.h"

#include "buf.h"
#include "errors.h"
#include "http.h"
#include "url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A non-200 answer's body is read and dropped (so the connection can be reused), up to this. */
#define DISCARD_MAX (1u << 20)
/* How often the loop wakes at least: bounds how late a cancel or a due retry is noticed. */
#define TICK_MS 100
/* Speed is measured over this many seconds. */
#define SPEED_WINDOW  3.0
#define SPEED_SAMPLES 16

enum segment_state { SEG_NEW, SEG_WAITING, SEG_RUNNING, SEG_DONE };

struct segment {
    unsigned char state;
    unsigned short tries;       /* transfers started */
    unsigned short last_mirror; /* where the last try went */
    double retry_at;            /* when SEG_WAITING may start again */
    int64_t size;               /* Content-Length once known, else -1 */
};

struct transfer {
    struct engine *engine;
    CURL *easy;
    bool busy;
    bool discard; /* the answer is not a 200: drop its body */
    bool too_big;
    bool started;     /* the first body byte arrived */
    bool stalled;     /* dropped by us: no byte for the client's timeout */
    double last_byte; /* when the last byte (or the start) was seen */
    size_t segment, mirror;
    size_t discarded;
    struct rt__buf body;
    char *url;
    char curl_message[CURL_ERROR_SIZE];
};

struct speed_sample {
    double time;
    uint64_t bytes;
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
    size_t next_new;      /* the lowest segment never started */
    int *mirror_failures; /* consecutive failures per mirror */
    uint64_t received;    /* every body byte received, retried ones too (for speed) */
    uint64_t known_bytes; /* sum of the sizes known so far */
    size_t known_count;
    double start, last_report;
    struct speed_sample samples[SPEED_SAMPLES];
    size_t sample_count, sample_next;
    rt_progress_fn progress;
    void *progress_data;
};

static void learn_size(struct engine *e, size_t index, int64_t size)
{
    struct segment *seg = &e->segments[index];
    if (seg->size >= 0 || size < 0)
        return;
    seg->size = size;
    e->known_bytes += (uint64_t)size;
    e->known_count++;
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct transfer *t = userdata;
    size_t n = size * nmemb;
    if (!t->started) {
        t->started = true;
        long status = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
        t->discard = status != 200;
        curl_off_t length = -1;
        curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
        if (!t->discard && length >= 0) {
            if ((uint64_t)length > RT_FETCH_SEGMENT_MAX) {
                t->too_big = true;
                return 0;
            }
            /* One allocation of the right size: no copying as the body grows. */
            if (rt__buf_reserve(&t->body, (size_t)length) != RT__BUF_OK)
                return 0;
            learn_size(t->engine, t->segment, length);
        }
    }
    t->engine->received += n;
    t->last_byte = rt__http_now();
    if (t->discard) {
        t->discarded += n;
        return t->discarded > DISCARD_MAX ? 0 : n;
    }
    if (rt__buf_append(&t->body, data, n) != RT__BUF_OK) {
        t->too_big = true;
        return 0;
    }
    return n;
}

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

static enum rt_code start_transfer(struct engine *e, struct transfer *t, size_t index,
                                   struct rt_error *err)
{
    struct segment *seg = &e->segments[index];
    size_t mirror;
    if (seg->tries == 0)
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
    t->discard = t->too_big = t->started = t->stalled = false;
    t->last_byte = rt__http_now();
    t->discarded = 0;
    t->curl_message[0] = '\0';
    rt__buf_reset(&t->body);
    curl_easy_setopt(t->easy, CURLOPT_URL, t->url);
    if (curl_multi_add_handle(e->multi, t->easy) != CURLM_OK)
        return rt__fail(err, RT_E_NOMEM, "could not start a transfer");
    t->busy = true;
    seg->state = SEG_RUNNING;
    seg->tries++;
    seg->last_mirror = (unsigned short)mirror;
    return RT_OK;
}

/* The segment to start next: a due retry first (the lowest, which is what holds the writer
 * back), else the next new one while the sink's window has room. */
static bool pick_segment(struct engine *e, double now, size_t *index)
{
    for (size_t i = rt__sink_next(e->sink); i < e->next_new; i++) {
        if (e->segments[i].state == SEG_WAITING && e->segments[i].retry_at <= now) {
            *index = i;
            return true;
        }
    }
    if (e->next_new < e->plan->count && rt__sink_has_room(e->sink, e->next_new)) {
        *index = e->next_new++;
        return true;
    }
    return false;
}

static enum rt_code start_transfers(struct engine *e, struct rt_error *err)
{
    double now = rt__http_now();
    for (size_t k = 0; k < e->transfer_count; k++) {
        struct transfer *t = &e->transfers[k];
        if (t->busy)
            continue;
        size_t index;
        if (!pick_segment(e, now, &index))
            break;
        enum rt_code result = start_transfer(e, t, index, err);
        if (result != RT_OK)
            return result;
    }
    return RT_OK;
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
    if (rc != CURLE_OK) {
        snprintf(why, size, "%s", t->curl_message[0] ? t->curl_message : curl_easy_strerror(rc));
        return why;
    }
    if (status != 200) {
        *is_http = true;
        snprintf(why, size, "HTTP %ld", status);
        return why;
    }
    curl_off_t length = -1;
    curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    if (length >= 0 && (uint64_t)length != t->body.len) {
        snprintf(why, size, "got %zu of %lld bytes", t->body.len, (long long)length);
        return why;
    }
    if (t->body.len == 0) {
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
    if (seg->tries > (unsigned)e->client->retries) {
        return rt__fail(err, is_http ? RT_E_HTTP : RT_E_NETWORK,
                        "video %s: segment %zu of %zu failed after %u tries (last from %s: %s)",
                        plan->video_id, t->segment + 1, plan->count, seg->tries, host, why);
    }
    /* The first retries go to the other mirrors at once: a different host is the best cure
     * for a broken one. Only once every mirror failed does waiting help. */
    double delay = 0;
    if (seg->tries >= plan->mirror_count)
        delay = rt__http_backoff((int)(seg->tries - plan->mirror_count + 1), 0.25, 8.0);
    curl_off_t retry_after = 0;
    if (curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK &&
        retry_after > 0) {
        double asked = retry_after > 60 ? 60.0 : (double)retry_after;
        if (asked > delay)
            delay = asked;
    }
    rt__log(e->client, RT_LOG_INFO, "segment %zu of %zu: %s from %s; retry %u of %d in %.1f s",
            t->segment + 1, plan->count, why, host, seg->tries, e->client->retries, delay);
    seg->state = SEG_WAITING;
    seg->retry_at = rt__http_now() + delay;
    return RT_OK;
}

static enum rt_code finish_transfer(struct engine *e, struct transfer *t, CURLcode rc,
                                    struct rt_error *err)
{
    long status = 0;
    char why[CURL_ERROR_SIZE + 64];
    bool is_http;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    const char *failure = judge(t, rc, status, why, sizeof why, &is_http);
    enum rt_code result;

    if (failure) {
        result = on_failure(e, t, failure, is_http, err);
    } else {
        e->mirror_failures[t->mirror] = 0;
        e->segments[t->segment].state = SEG_DONE;
        learn_size(e, t->segment, (int64_t)t->body.len);
        size_t len;
        char *data = rt__buf_detach(&t->body, &len);
        result = rt__sink_put(e->sink, t->segment, data, len, err);
    }
    curl_multi_remove_handle(e->multi, t->easy);
    t->busy = false;
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
        enum rt_code result = finish_transfer(e, t, msg->data.result, err);
        if (result != RT_OK)
            return result;
    }
    return RT_OK;
}

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
    p.bytes_done = rt__sink_written(e->sink) + rt__sink_waiting_bytes(e->sink);
    for (size_t k = 0; k < e->transfer_count; k++)
        if (e->transfers[k].busy && !e->transfers[k].discard)
            p.bytes_done += e->transfers[k].body.len;
    /* Sizes seen so far stand in for the ones still unknown. */
    if (e->known_count > 0)
        p.bytes_expected =
            e->known_bytes + (e->plan->count - e->known_count) * (e->known_bytes / e->known_count);
    else
        p.bytes_expected = e->plan->expected_bytes;
    if (final || p.bytes_expected < p.bytes_done)
        p.bytes_expected = p.bytes_done;
    p.segments_done = rt__sink_next(e->sink);
    p.segments_total = e->plan->count;
    p.elapsed = now - e->start;
    p.speed = measure_speed(e, now);
    e->progress(&p, e->progress_data);
}

/* How long the loop may sleep: until the next due retry, at most one tick. */
static long poll_timeout(const struct engine *e)
{
    double now = rt__http_now();
    double wait = TICK_MS / 1000.0;
    for (size_t i = rt__sink_next(e->sink); i < e->next_new; i++) {
        const struct segment *seg = &e->segments[i];
        if (seg->state == SEG_WAITING && seg->retry_at - now < wait)
            wait = seg->retry_at - now;
    }
    return wait > 0 ? (long)(wait * 1000) + 1 : 0;
}

static enum rt_code engine_init(struct engine *e, struct rt_error *err)
{
    e->multi = curl_multi_init();
    e->segments = calloc(e->plan->count, sizeof *e->segments);
    e->mirror_failures = calloc(e->plan->mirror_count, sizeof *e->mirror_failures);
    e->transfer_count = (size_t)e->client->jobs;
    if (e->transfer_count > e->plan->count - e->plan->first)
        e->transfer_count = e->plan->count - e->plan->first;
    e->transfers = calloc(e->transfer_count, sizeof *e->transfers);
    if (!e->multi || !e->segments || !e->mirror_failures || !e->transfers)
        return rt__fail(err, RT_E_NOMEM, NULL);
    for (size_t i = 0; i < e->plan->count; i++) {
        e->segments[i].size = -1;
        e->segments[i].state = i < e->plan->first ? SEG_DONE : SEG_NEW;
    }
    /* What a resumed download already has counts towards the size estimate. */
    e->next_new = e->plan->first;
    e->known_bytes = rt__sink_written(e->sink);
    e->known_count = e->plan->first;
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
        if (t->busy)
            curl_multi_remove_handle(e->multi, t->easy);
        if (t->easy)
            curl_easy_cleanup(t->easy);
        rt__buf_cleanup(&t->body);
        free(t->url);
    }
    if (e->multi)
        curl_multi_cleanup(e->multi);
    free(e->transfers);
    free(e->segments);
    free(e->mirror_failures);
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
        return rt__fail(err, RT_E_BAD_PLAYLIST, "nothing to download");

    enum rt_code result = engine_init(&e, err);
    while (result == RT_OK && rt__sink_next(sink) < plan->count) {
        if (rt__cancelled(client, cancel)) {
            result = rt__fail(err, RT_E_CANCELLED, NULL);
            break;
        }
        result = start_transfers(&e, err);
        if (result != RT_OK)
            break;
        int running = 0;
        CURLMcode mc = curl_multi_perform(e.multi, &running);
        if (mc != CURLM_OK) {
            result = rt__fail(err, RT_E_NETWORK, "libcurl: %s", curl_multi_strerror(mc));
            break;
        }
        result = harvest(&e, err);
        if (result == RT_OK)
            result = drop_stalled(&e, err);
        if (result != RT_OK || rt__sink_next(sink) == plan->count)
            break;
        report(&e, false);
        mc = curl_multi_poll(e.multi, NULL, 0, (int)poll_timeout(&e), NULL);
        if (mc != CURLM_OK) {
            result = rt__fail(err, RT_E_NETWORK, "libcurl: %s", curl_multi_strerror(mc));
            break;
        }
    }
    if (result == RT_OK)
        report(&e, true);
    engine_cleanup(&e);
    return result;
}
