/* The segment engine's answers: body bytes into their place in the file (or memory until
 * their offset is known), and each finished transfer judged, then retried or kept. */
#include "hls/fetch_engine.h"
#include "base/i18n.h"

#include "base/buf.h"
#include "base/errors.h"
#include "base/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A non-200 answer's body is read and dropped (so the connection can be reused), up to this. */
#define DISCARD_MAX (1u << 20)
/* Bytes of a segment are written to the file in pieces of this size: one write per network
 * read would cost a system call per 16 KB. */
#define STAGE_BYTES (256u << 10)
/* A finished body smaller than this says little about the pace of the others. */
#define RATE_SAMPLE_MIN (64u << 10)

/* ---- placement: segments go straight to their offset once it is known ---- */

static enum rt_code write_held(struct engine *e, size_t index, const char *data, size_t len)
{
    return rt__sink_write_at(e->sink, e->offsets[index], data, len, &e->write_error);
}

/* A buffer as large as a segment, no longer needed: kept for the next transfer that must hold
 * one (or freed when enough are kept, or when no larger than a staging buffer). */
static void keep_spare(struct engine *e, char *data, size_t cap)
{
    if (e->spare_count < SPARE_BUFFERS && cap > 2 * STAGE_BYTES)
        e->spares[e->spare_count++] = (struct spare_buffer){data, cap};
    else
        free(data);
}

/* The transfer's body is to hold `need` bytes, more than its staging buffer: a kept buffer that
 * large takes over the bytes, the staging buffer is put aside until the body is done. */
static void grow_from_spare(struct engine *e, struct transfer *t, size_t need)
{
    if (t->body.cap > 2 * STAGE_BYTES)
        return; /* already a segment-sized buffer: it grows as it must */
    for (size_t i = e->spare_count; i-- > 0;) {
        struct spare_buffer spare = e->spares[i];
        if (spare.cap < need)
            continue;
        e->spares[i] = e->spares[--e->spare_count];
        if (t->body.len > 0)
            memcpy(spare.data, t->body.data, t->body.len);
        size_t len, cap = t->body.cap;
        t->parked = rt__buf_detach(&t->body, &len);
        t->parked_cap = cap;
        rt__buf_adopt(&t->body, spare.data, len, spare.cap);
        e->spares_reused++;
        return;
    }
}

/* The body's segment-sized buffer has gone (held, or kept): the staging buffer comes back. */
static void unpark(struct transfer *t)
{
    if (!t->parked)
        return;
    rt__buf_adopt(&t->body, t->parked, 0, t->parked_cap);
    t->parked = NULL;
}

/* The transfer's bytes become the segment's until its offset is known. */
static void hold_segment(struct engine *e, struct transfer *t, struct segment *seg)
{
    size_t len, cap = t->body.cap;
    seg->held = rt__buf_detach(&t->body, &len);
    seg->held_cap = cap;
    seg->state = SEG_COMPLETE;
    e->held += len;
    e->held_segments++;
    unpark(t);
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
enum rt_code fetch_advance_placement(struct engine *e)
{
    while (e->placed < e->plan->count && e->segments[e->placed].size >= 0) {
        struct segment *seg = &e->segments[e->placed];
        e->offsets[e->placed + 1] = e->offsets[e->placed] + (uint64_t)seg->size;
        if (seg->state == SEG_COMPLETE) {
            enum rt_code result = write_held(e, e->placed, seg->held, (size_t)seg->size);
            keep_spare(e, seg->held, seg->held_cap);
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

void fetch_learn_size(struct engine *e, size_t index, int64_t size)
{
    e->segments[index].size = size;
    e->known_bytes += (uint64_t)size;
    e->known_count++;
}

/* Write what this transfer holds to its place in the file. */
/* `n` bytes of this transfer's body, the next after those written, to their place in the file. */
static bool write_placed(struct transfer *t, const char *data, size_t n)
{
    struct engine *e = t->engine;
    uint64_t at = e->offsets[t->segment] + t->from + t->flushed;
    if (rt__sink_write_at(e->sink, at, data, n, &e->write_error) != RT_OK) {
        t->write_failed = true;
        return false;
    }
    t->flushed += n;
    return true;
}

static bool flush_staged(struct transfer *t)
{
    if (t->body.len == 0)
        return true;
    if (!write_placed(t, t->body.data, t->body.len))
        return false;
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
    bool placeable = !t->hedge && t->segment <= t->engine->placed;
    if (placeable && t->body.len == 0 && rt__sink_spooling(t->engine->sink)) {
        /* Kept in memory (hls/sink.h): no system call to save by staging, only a copy. */
        t->received += n;
        return write_placed(t, data, n);
    }
    if (!placeable && t->body.len + n >= t->body.cap)
        grow_from_spare(t->engine, t, t->body.len + n + 1);
    if (rt__buf_append(&t->body, data, n) != RT__BUF_OK) {
        t->too_big = true;
        return false;
    }
    t->received += n;
    if (placeable && t->body.len >= STAGE_BYTES)
        return flush_staged(t);
    return true;
}

/* A whole segment answers 200; a piece of a file or a segment's tail, 206 Partial Content. */
static long expected_status(const struct transfer *t)
{
    return t->engine->plan->ranges || t->piece ? 206 : 200;
}

/* Whether a 206 answer holds the range asked for: a server that sends another piece would
 * otherwise put bytes at the wrong place in the file. */
static bool range_matches(struct transfer *t)
{
    const struct engine *e = t->engine;
    uint64_t base = e->plan->ranges ? e->plan->ranges[t->segment].start : 0;
    uint64_t length = e->plan->ranges ? e->plan->ranges[t->segment].length
                                      : (uint64_t)e->segments[t->segment].size;
    struct curl_header *h = NULL;
    if (curl_easy_header(t->easy, "Content-Range", 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h)
        return false;
    unsigned long long first, last;
    if (sscanf(h->value, "bytes %llu-%llu/", &first, &last) != 2)
        return false;
    return first == base + t->from && last == base + length - 1;
}

/* A piece's first bytes. Anything but the tail asked for (an error, or the whole segment from
 * a server that ignores ranges) drops the piece quietly: its first transfer goes on. */
static bool begin_piece(struct transfer *t, long status)
{
    struct engine *e = t->engine;
    if (status == 200)
        e->ranges_refused = true; /* asking again would bring the same */
    if (status != 206 || !range_matches(t)) {
        rt__log(e->client, RT_LOG_DEBUG,
                "segment %zu of %zu: its tail answered HTTP %ld; "
                "fetched whole instead",
                t->segment + 1, e->plan->count, status);
        fetch_end_split(e, t->segment, true); /* marks this piece abandoned */
        return false;
    }
    t->body_started = rt__http_now();
    t->held_before_body = t->held_before;
    fetch_add_timing(&e->first_byte, t->answered_at - t->started_at);
    return true;
}

/* The first bytes of an answer: its status, and its size against what is known. */
static bool begin_body(struct transfer *t)
{
    struct engine *e = t->engine;
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    if (t->piece)
        return begin_piece(t, status);
    t->discard = status != expected_status(t);
    if (t->discard)
        return true;
    if (e->plan->ranges && !range_matches(t)) {
        t->wrong_size = true;
        return false;
    }
    t->body_started = rt__http_now();
    t->held_before_body = t->held_before;
    fetch_add_timing(&e->first_byte, t->answered_at - t->started_at);
    curl_off_t sent = 0, answered = 0;
    if (curl_easy_getinfo(t->easy, CURLINFO_PRETRANSFER_TIME_T, &sent) == CURLE_OK &&
        curl_easy_getinfo(t->easy, CURLINFO_STARTTRANSFER_TIME_T, &answered) == CURLE_OK &&
        answered >= sent)
        fetch_note_server_wait(e, (double)(answered - sent) / 1e6);
    curl_off_t length = -1;
    curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    if (length < 0)
        return true;
    if ((uint64_t)length > RT_FETCH_SEGMENT_MAX) {
        t->too_big = true;
        return false;
    }
    struct segment *seg = &e->segments[t->segment];
    if (seg->size >= 0 && seg->size != length) {
        /* Later segments may already sit at offsets this size decided. */
        t->wrong_size = true;
        return false;
    }
    if (seg->size < 0) {
        fetch_learn_size(e, t->segment, length);
        if (fetch_advance_placement(e) != RT_OK) {
            t->write_failed = true;
            return false;
        }
    }
    return true;
}

/* ---- the speed limit: transfers held back while the client's bucket is empty ---- */

/* Whether the client's speed limit lets these `n` bytes in now. If not, the transfer is held
 * back: libcurl keeps the bytes and hands the same ones again once fetch_release_held() lets
 * it go, so nothing of them may be looked at before this. */
static bool limit_admits(struct transfer *t, size_t n)
{
    struct rt__rate *rate = &t->engine->client->rate;
    if (!rt__rate_limit(rate))
        return true; /* no limit: one atomic load, nothing more */
    double now = rt__http_now();
    if (t->granted) {
        t->granted = false;
        rt__rate_charge(rate, n, now);
        return true;
    }
    if (rt__rate_take(rate, n, now))
        return true;
    t->held = true;
    t->held_since = now;
    t->engine->held_count++;
    return false;
}

/* The transfer goes on: what it was held back for counts as such, not as the server's. */
static void unhold(struct engine *e, struct transfer *t, double now)
{
    t->held = false;
    t->held_before += now - t->held_since;
    t->last_byte = now; /* its stall clock restarts: the server had been waiting for us */
    e->held_count--;
}

/*
 * Let transfers held back by the speed limit go while the bucket has tokens (all of them once
 * the limit is lifted), each in turn from where the last turn stopped, so that every one gets
 * its share. Each is granted the bytes libcurl kept for it, which curl_easy_pause() hands over
 * at once, through fetch_on_data(): the bucket may go into debt by them (a piece of at most
 * 16 KiB each) rather than hold a transfer back again before it got anything.
 */
enum rt_code fetch_release_held(struct engine *e, struct rt_error *err)
{
    struct rt__rate *rate = &e->client->rate;
    size_t first = e->release_next;
    for (size_t k = 0; k < e->transfer_count && e->held_count > 0; k++) {
        double now = rt__http_now();
        if (rt__rate_wait(rate, now) > 0)
            break;
        struct transfer *t = &e->transfers[(first + k) % e->transfer_count];
        if (!t->held)
            continue;
        /* Before the call: its bytes may be refused again inside it, which holds it anew. */
        unhold(e, t, now);
        t->granted = rt__rate_limit(rate) != 0;
        e->release_next = (size_t)(t - e->transfers + 1) % e->transfer_count;
        CURLcode rc = curl_easy_pause(t->easy, CURLPAUSE_CONT);
        if (rc != CURLE_OK) /* the bytes handed over were refused: the transfer is over */
            return fetch_finish_transfer(e, t, rc, err);
        if (t->granted && rt__rate_limit(rate))
            break; /* its bytes come later, not inside the call: let it have them first */
    }
    return RT_OK;
}

/* The first transfer of a split segment: its bytes up to the cut. There it stops once the
 * piece is flowing or done (its bytes are the rest); else the split is called off and it
 * brings the whole segment itself. */
static size_t take_to_cut(struct transfer *t, const char *data, size_t n)
{
    struct engine *e = t->engine;
    struct segment *seg = &e->segments[t->segment];
    uint64_t room = seg->cut - t->received;
    if (n < room)
        return take_bytes(t, data, n) ? n : 0;
    if (!seg->tail_done && !fetch_piece_flowing(fetch_piece_of(e, t->segment))) {
        fetch_end_split(e, t->segment, false); /* late, not wrong: other splits may go on */
        seg->split_failed = true;
        return take_bytes(t, data, n) ? n : 0;
    }
    if (!take_bytes(t, data, (size_t)room))
        return 0;
    t->reached_cut = true;
    return 0; /* libcurl ends the transfer here */
}

size_t fetch_on_data(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct transfer *t = userdata;
    size_t n = size * nmemb;
    if (t->abandoned)
        return 0; /* a piece no longer needed: ended here, stopped by the loop */
    if (!t->answered) {
        t->answered = true;
        t->answered_at = rt__http_now();
    }
    if (!limit_admits(t, n))
        return CURL_WRITEFUNC_PAUSE;
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
    if (!t->piece && !t->hedge && t->engine->segments[t->segment].cut)
        return take_to_cut(t, data, n);
    return take_bytes(t, data, n) ? n : 0;
}

/* ---- finishing transfers ---- */

static void stop_transfer(struct engine *e, struct transfer *t)
{
    curl_multi_remove_handle(e->multi, t->easy);
    if (t->held)
        unhold(e, t, rt__http_now());
    t->granted = false;
    t->busy = false;
    e->segments[t->segment].running--;
    if (!t->handed_off)
        rt__client_give_slot(e->client, &e->slots);
}

/* A transfer that had to hold a whole segment keeps a buffer that large; it goes to the spares
 * (or is freed), or over a long video every transfer would end up holding one (memory growing
 * with length), and the staging buffer comes back. */
static void trim_buffer(struct engine *e, struct transfer *t)
{
    if (t->body.cap <= 2 * STAGE_BYTES)
        return;
    size_t cap = t->body.cap;
    keep_spare(e, rt__buf_detach(&t->body, NULL), cap);
    unpark(t);
}

/* A body's pace for a message: KB/s up to 10 MB/s, then MB/s. */
static void format_rate(double bytes_per_second, char *out, size_t size)
{
    if (bytes_per_second < 10e6)
        snprintf(out, size, "%.1f KB/s", bytes_per_second / 1e3);
    else
        snprintf(out, size, "%.0f MB/s", bytes_per_second / 1e6);
}

/* What went wrong with a finished transfer, or NULL when it brought a whole segment; an
 * unexpected status is left in `*http` (else 0). */
static const char *judge(struct transfer *t, CURLcode rc, long status, char *why, size_t size,
                         long *http)
{
    *http = 0;
    if (t->reached_cut)
        return NULL; /* stopped at the cut by us, every byte before it in */
    if (t->stalled) {
        snprintf(why, size, "no data for %.0f s", t->stall_after);
        return why;
    }
    if (t->trickled) {
        snprintf(why, size, "under %ld B/s for %.0f s", RT_HTTP_LOW_SPEED, t->stall_after);
        return why;
    }
    if (t->too_slow) {
        double ran = fetch_body_seconds(t, rt__http_now());
        double rate = ran > 0 ? (double)(t->received - t->first_read) / ran : 0;
        char slow[32], usual[32];
        format_rate(rate, slow, sizeof slow);
        format_rate(fetch_median_timing(&t->engine->body_rate, 0), usual, sizeof usual);
        snprintf(why, size, "%s, far slower than the usual %s", slow, usual);
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
    if (status != expected_status(t)) {
        *http = status;
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

/* Whether every mirror of the plan has refused the segment for good. */
static bool every_mirror_refused(const struct engine *e, const struct segment *seg)
{
    size_t mirrors = e->plan->mirror_count < 16 ? e->plan->mirror_count : 16;
    return mirrors == e->plan->mirror_count && seg->refused == (1u << mirrors) - 1;
}

/* A split segment one of whose halves failed. While the first transfer is still before the
 * cut, a failed piece only calls the split off (true: nothing more to do). Otherwise the halves
 * are let go and the failure is the segment's, fetched again whole like any other. */
static bool unsplit_on_failure(struct engine *e, struct transfer *t, const char *why)
{
    struct segment *seg = &e->segments[t->segment];
    if (t->piece && !seg->head_done) {
        rt__log(e->client, RT_LOG_DEBUG,
                "segment %zu of %zu: its tail failed (%s); its first "
                "transfer brings it",
                t->segment + 1, e->plan->count, why);
        fetch_end_split(e, t->segment, true);
        return true;
    }
    struct transfer *piece = fetch_piece_of(e, t->segment);
    if (piece)
        stop_transfer(e, piece);
    fetch_end_split(e, t->segment, t->piece);
    return false;
}

static enum rt_code on_failure(struct engine *e, struct transfer *t, const char *why, long http,
                               CURLcode rc, struct rt_error *err)
{
    struct segment *seg = &e->segments[t->segment];
    const struct rt__fetch_plan *plan = e->plan;
    char host[256];
    rt__http_host(t->url, host, sizeof host);
    if (seg->cut && unsplit_on_failure(e, t, why))
        return RT_OK;
    /* Started before a speed limit was set, libcurl's low-speed check was on, and the limit
     * held the transfer back below its floor: our doing, not the mirror's. Asked again at once,
     * under the limit's own check (start_transfer()), with nothing held against the segment. */
    if (rc == CURLE_OPERATION_TIMEDOUT && !t->limited && !t->stalled && !t->too_slow &&
        t->held_before > 0) {
        rt__log(e->client, RT_LOG_INFO,
                "segment %zu of %zu: held back by the speed limit past "
                "libcurl's low-speed check; asked again",
                t->segment + 1, plan->count);
        if (seg->running == 0) {
            seg->state = SEG_WAITING;
            seg->retry_at = rt__http_now();
        }
        return RT_OK;
    }
    e->mirror_failures[t->mirror]++;
    seg->failures++;
    /* The same rule as for API calls: a status not worth retrying rules that mirror out for
     * this segment; network trouble and 5xx are retried. */
    struct rt__http_verdict verdict = {RT_E_NETWORK, true};
    char hopeless[CURL_ERROR_SIZE + 64];
    if (http)
        verdict = rt__http_judge(http);
    else if (rc != CURLE_OK && !t->stalled && !t->too_slow && !t->trickled)
        verdict = rt__http_judge_failure(t->easy, rc, host, hopeless, sizeof hopeless);
    if (!http && !verdict.retry)
        why = hopeless;                /* the words a user acts on: no network, no such host */
    if (http && verdict.code == RT_OK) /* a 200 where a 206 was asked for: asked again, as ever */
        verdict = (struct rt__http_verdict){RT_E_HTTP, true};
    if (!verdict.retry && t->mirror < 16)
        seg->refused |= (unsigned short)(1u << t->mirror);
    /* Stalled, trickled or dripping under the low-speed limit: each try costs its wait, so a
     * segment that got nowhere twice on every mirror is given up rather than tried --retries
     * times (at the default 20 s timeout that would be minutes on one segment). */
    if (t->stalled || t->too_slow || t->trickled || rc == CURLE_OPERATION_TIMEDOUT)
        seg->hopeless++;
    /* A segment that has had its tries is given up even while a racing twin runs: racers that
     * stall one after another would otherwise keep one running, and the download, forever. */
    if (seg->hopeless >= 2 * (plan->mirror_count < 16 ? plan->mirror_count : 16))
        return rt__fail(err, RT_E_NETWORK,
                        _("segment %zu of %zu: every try got nowhere (last from %s: %s)"),
                        t->segment + 1, plan->count, host, why);
    if (every_mirror_refused(e, seg))
        return rt__fail(err, verdict.code,
                        _("no mirror serves segment %zu of %zu (last from %s: %s)"), t->segment + 1,
                        plan->count, host, why);
    if (seg->failures > (unsigned)e->client->retries)
        return rt__fail(err, verdict.code,
                        _("segment %zu of %zu failed after %u tries (last from %s: %s)"),
                        t->segment + 1, plan->count, seg->failures, host, why);
    if (seg->running > 0) {
        rt__log(e->client, RT_LOG_INFO, "segment %zu of %zu: %s from %s; the race goes on",
                t->segment + 1, plan->count, why, host);
        return RT_OK; /* its racing twin may still bring it */
    }
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

/* One half of a split segment is in the file (its offset is known: fetch_split.c splits no
 * other); with the other, the segment is done. */
static enum rt_code half_done(struct engine *e, struct transfer *t, struct rt_error *err)
{
    struct segment *seg = &e->segments[t->segment];
    if (!flush_staged(t))
        return rt__fail(err, e->write_error.code, "%s", e->write_error.message);
    if (t->piece)
        seg->tail_done = true;
    else
        seg->head_done = true;
    if (!seg->head_done || !seg->tail_done)
        return RT_OK;
    seg->cut = 0;
    seg->head_done = seg->tail_done = false;
    seg->state = SEG_DONE;
    return advance_done(e, err);
}

/* A whole segment arrived: into the file (or held for its offset); its racing twin stops. */
static enum rt_code on_success(struct engine *e, struct transfer *t, struct rt_error *err)
{
    size_t index = t->segment;
    struct segment *seg = &e->segments[index];
    e->mirror_failures[t->mirror] = 0;
    double now = rt__http_now();
    bool half = seg->cut && (t->piece || t->reached_cut);
    if (!half) /* how long a whole segment takes, for when one is late */
        fetch_add_timing(&e->duration, now - t->started_at);
    /* Its body's pace, the yardstick of far_slower() (fetch.c); a small body says little. */
    double ran = fetch_body_seconds(t, now);
    if (t->received - t->first_read >= RATE_SAMPLE_MIN && ran > 0)
        fetch_add_timing(&e->body_rate, (double)(t->received - t->first_read) / ran);
    e->completed += t->received;
    if (half)
        return half_done(e, t, err);
    for (size_t k = 0; k < e->transfer_count; k++) {
        struct transfer *other = &e->transfers[k];
        if (other != t && other->busy && other->segment == index) {
            stop_transfer(e, other);
            trim_buffer(e, other);
        }
    }
    if (seg->size < 0)
        fetch_learn_size(e, index, (int64_t)t->received);
    if (index <= e->placed) {
        if (!flush_staged(t))
            return rt__fail(err, e->write_error.code, "%s", e->write_error.message);
        seg->state = SEG_DONE;
    } else {
        hold_segment(e, t, seg);
    }
    if (fetch_advance_placement(e) != RT_OK)
        return rt__fail(err, e->write_error.code, "%s", e->write_error.message);
    return advance_done(e, err);
}

enum rt_code fetch_finish_transfer(struct engine *e, struct transfer *t, CURLcode rc,
                                   struct rt_error *err)
{
    long status = 0;
    char why[CURL_ERROR_SIZE + 64];
    long http;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    stop_transfer(e, t);
    if (t->abandoned) { /* a piece no longer needed: nothing to judge */
        trim_buffer(e, t);
        return RT_OK;
    }
    if (t->write_failed)
        return rt__fail(err, e->write_error.code, "%s", e->write_error.message);
    const char *failure = judge(t, rc, status, why, sizeof why, &http);
    enum rt_code result =
        failure ? on_failure(e, t, failure, http, rc, err) : on_success(e, t, err);
    trim_buffer(e, t); /* only now: on_success writes what the buffer still holds */
    return result;
}
