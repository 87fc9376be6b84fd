/* The segment engine declared in fetch.h: its loop, stalls, progress. What each slot does
 * next is fetch_schedule.c's; what comes back is fetch_answer.c's. */
#include "hls/fetch_engine.h"
#include "base/i18n.h"

#include "base/buf.h"
#include "base/errors.h"
#include "base/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How often the loop wakes at least: bounds how late a cancel, a due retry or a hedge is. */
#define TICK_MS 100
/* The wait while every slot of the client is taken by other downloads. */
#define STARVED_TICK_MS 10

/*
 * Whether a transfer's body runs far slower than this download's others (under a tenth of the
 * median rate of finished bodies, judged after SLOW_JUDGE_S), with more to come than a fresh
 * try would take: a server trickling one segment (Surge and N_m3u8DL-RE check the same way).
 * A download that is slow everywhere is slow for all of them, and nothing is dropped.
 */
static bool far_slower(const struct engine *e, const struct transfer *t, double now)
{
    double ran = fetch_body_seconds(t, now);
    if (!t->started || t->discard || ran < SLOW_JUDGE_S || e->body_rate.count < SLOW_MIN_SAMPLES)
        return false;
    double usual = fetch_median_timing(&e->body_rate, 0);
    double rate = (double)(t->received - t->first_read) / ran;
    if (usual <= 0 || rate >= SLOW_SHARE * usual)
        return false;
    curl_off_t length = -1;
    curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    if (length < 0)
        return true; /* no end in sight: an endless body at a crawl */
    double left = (double)((uint64_t)length > t->received ? (uint64_t)length - t->received : 0);
    double fresh = left / usual + fetch_median_timing(&e->first_byte, 0.5);
    double remaining = rate > 0 ? left / rate : 1e9;
    return remaining > SLOW_JUDGE_S && remaining > 4 * fresh;
}

/*
 * libcurl's low-speed check (under RT_HTTP_LOW_SPEED for stall_after seconds) for a transfer
 * under the speed limit, where libcurl's own is off: it counts the time the transfer is held
 * back, whose bytes are waiting on us, not on the server. Here only the time it was not held
 * back counts, window after window of stall_after seconds of it.
 */
static bool trickles(struct transfer *t, double now)
{
    if (!t->limited)
        return false;
    double active = now - t->started_at - fetch_held_for(t, now);
    if (active - t->slow_mark < t->stall_after)
        return false;
    uint64_t bytes = t->received + t->discarded;
    if (bytes - t->slow_mark_bytes < (uint64_t)(RT_HTTP_LOW_SPEED * t->stall_after))
        return true;
    t->slow_mark = active;
    t->slow_mark_bytes = bytes;
    return false;
}

/*
 * Drop transfers that got nowhere: nothing received for their stall_after (not connecting, no
 * answer, a body that stopped; libcurl's own low-speed check averages over several seconds, so
 * after a fast start it notices a stall late), a body far slower than the others, or, under a
 * speed limit, one under the low-speed limit. Each is asked again like any failure, on the next
 * mirror first. A transfer held back by the speed limit is none of these: its bytes are there.
 */
static enum rt_code drop_hopeless(struct engine *e, struct rt_error *err)
{
    double now = rt__http_now();
    for (size_t k = 0; k < e->transfer_count; k++) {
        struct transfer *t = &e->transfers[k];
        if (!t->busy)
            continue;
        if (t->abandoned) { /* a piece called off inside a callback: stopped here */
            enum rt_code result = fetch_finish_transfer(e, t, CURLE_OK, err);
            if (result != RT_OK)
                return result;
            continue;
        }
        if (t->held)
            continue;
        if (now - t->last_byte >= t->stall_after)
            t->stalled = true;
        else if (far_slower(e, t, now))
            t->too_slow = true;
        else if (trickles(t, now))
            t->trickled = true;
        else
            continue;
        enum rt_code result = fetch_finish_transfer(e, t, CURLE_OPERATION_TIMEDOUT, err);
        if (result != RT_OK)
            return result;
    }
    return RT_OK;
}

/* Judge every transfer libcurl has finished; `*finished` counts them. */
static enum rt_code harvest(struct engine *e, size_t *finished, struct rt_error *err)
{
    CURLMsg *msg;
    int left;
    *finished = 0;
    while ((msg = curl_multi_info_read(e->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        (*finished)++;
        struct transfer *t = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        if (!t || !t->busy)
            continue; /* a racing twin already stopped by the winner */
        enum rt_code result = fetch_finish_transfer(e, t, msg->data.result, err);
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
        if (e->transfers[k].busy && !e->transfers[k].discard && !e->transfers[k].hedge &&
            !e->transfers[k].abandoned)
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

/* How long the loop may sleep: until the next due retry, or until the speed limit lets a
 * transfer held back go on, at most one tick. */
static long poll_timeout(const struct engine *e)
{
    double now = rt__http_now();
    /* Waiting for a slot another download holds: look again soon, as nothing here will
     * wake the wait when that download frees it. */
    double wait =
        fetch_next_successor_due(e, now, (e->starved ? STARVED_TICK_MS : TICK_MS) / 1000.0);
    for (size_t i = e->done; i < e->next_new; i++) {
        const struct segment *seg = &e->segments[i];
        if (seg->state == SEG_WAITING && seg->retry_at - now < wait)
            wait = seg->retry_at - now;
    }
    if (e->held_count > 0) {
        double tokens = rt__rate_wait(&e->client->rate, now);
        if (tokens < wait)
            wait = tokens;
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
    e->transfer_count *= 2; /* a spare for every slot, to ask ahead (fetch_start_successors) */
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
        fetch_learn_size(e, i, (int64_t)plan->ranges[i].length);
    if (plan->ranges && fetch_advance_placement(e) != RT_OK)
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
        curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, fetch_on_data);
        curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
        curl_easy_setopt(t->easy, CURLOPT_ERRORBUFFER, t->curl_message);
        curl_easy_setopt(t->easy, CURLOPT_BUFFERSIZE, 128L * 1024);
    }
    e->ahead_lead = -1; /* until answers say how long the server waits */
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
        free(t->parked);
        free(t->url);
    }
    for (size_t i = 0; e->segments && i < e->plan->count; i++)
        free(e->segments[i].held);
    for (size_t i = 0; i < e->spare_count; i++)
        free(e->spares[i].data);
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
    enum rt_code result = fetch_start_transfers(e, err);
    if (result == RT_OK)
        result = fetch_start_successors(e, err);
    if (result == RT_OK && e->held_count > 0)
        result = fetch_release_held(e, err);
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
        size_t finished = 0;
        result = step(&e, err);
        if (result == RT_OK)
            result = harvest(&e, &finished, err);
        if (result == RT_OK)
            result = drop_hopeless(&e, err);
        if (result == RT_OK && e.done < plan->count)
            result = step(&e, err);
        /* What that step finished has no socket left to wake the wait below: judged now, else
         * the last transfer of all would sit done for a whole tick. */
        if (result == RT_OK)
            result = harvest(&e, &finished, err);
        if (result != RT_OK || e.done == plan->count)
            break;
        if (finished > 0)
            continue; /* its slot is free: fill it before waiting */
        report(&e, false);
        CURLMcode mc = curl_multi_poll(e.multi, NULL, 0, (int)poll_timeout(&e), NULL);
        if (mc != CURLM_OK)
            result = rt__fail(err, RT_E_NETWORK, _("libcurl: %s"), curl_multi_strerror(mc));
    }
    if (result == RT_OK)
        report(&e, true);
    if (e.pieces > 0)
        rt__log(client, RT_LOG_DEBUG, "%s: %zu segments split at the tail", plan->name, e.pieces);
    if (e.held_segments > 0)
        rt__log(client, RT_LOG_DEBUG,
                "%s: %zu segments held until their offset was known, %zu "
                "of them in memory used again",
                plan->name, e.held_segments, e.spares_reused);
    if (e.asked_ahead > 0)
        rt__log(client, RT_LOG_DEBUG, "%s: %zu requests sent while a body was ending", plan->name,
                e.asked_ahead);
    engine_cleanup(&e);
    rt__client_slots_leave(client, &e.slots);
    return result;
}
