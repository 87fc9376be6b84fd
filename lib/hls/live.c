/* A live stream into the sink: reload, take what is new, fetch it, wait; until it ends. */
#include "hls/live.h"
#include "base/i18n.h"

#include "base/buf.h"
#include "base/client.h"
#include "base/errors.h"
#include "base/http.h"
#include "hls/fetch.h"
#include "hls/hls.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A live playlist is a few KB; the cap of a VOD one is plenty. */
#define LIVE_PLAYLIST_MAX (4u << 20)
/* When the playlist gives no target duration. */
#define DEFAULT_TARGET 4.0

/* Everything recorded so far: the segments' addresses (as written) and lengths. */
struct recording {
    struct rt__live_job *job;
    char **refs;
    double *durations;
    size_t count, cap;
    long long last_sequence; /* of the newest segment taken; -1 before the first */
    char **own_mirrors;      /* after a refresh: the recorder's own addresses */
    size_t own_count;
    double started; /* rt__http_now() when the recording began */
    double last_report;
};

static void free_mirrors(char **mirrors, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(mirrors[i]);
    free(mirrors);
}

static void report(struct recording *r, const struct rt_progress *from_fetch)
{
    struct rt__live_job *job = r->job;
    if (!job->progress)
        return;
    struct rt_progress p = {0};
    if (from_fetch)
        p = *from_fetch;
    else
        p.bytes_done = rt__sink_written(job->sink);
    p.phase = RT_PHASE_DOWNLOAD;
    p.live = true;
    p.recorded = job->recorded;
    p.bytes_expected = 0; /* nobody knows how long a broadcast goes on */
    p.segments_done = from_fetch ? from_fetch->segments_done : job->segments;
    p.segments_total = 0;
    p.elapsed = rt__http_now() - r->started;
    r->last_report = rt__http_now();
    job->progress(&p, job->progress_data);
}

static void fetch_progress(const struct rt_progress *p, void *data)
{
    report(data, p);
}

/* Take the segment `ref` of `duration` seconds, number `number`, into the recording. */
static enum rt_code take(struct recording *r, const char *ref, double duration, long long number,
                         struct rt_error *err)
{
    if (r->count == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        char **refs = realloc(r->refs, cap * sizeof *refs);
        if (refs)
            r->refs = refs;
        double *durations = refs ? realloc(r->durations, cap * sizeof *durations) : NULL;
        if (durations)
            r->durations = durations;
        long long *numbers = durations ? realloc(r->job->numbers, cap * sizeof *numbers) : NULL;
        if (!numbers)
            return rt__fail(err, RT_E_NOMEM, NULL);
        r->job->numbers = numbers;
        r->cap = cap;
    }
    if (!(r->refs[r->count] = strdup(ref)))
        return rt__fail(err, RT_E_NOMEM, NULL);
    r->durations[r->count] = duration;
    r->job->numbers[r->count++] = number;
    return RT_OK;
}

/* The live playlist, once; `*status` is the HTTP status (a 4xx comes back, not as an error). */
static enum rt_code load(struct recording *r, struct rt__media *media, struct rt__live_info *info,
                         long *status, struct rt_error *err)
{
    struct rt__live_job *job = r->job;
    const char *const *mirrors =
        r->own_mirrors ? (const char *const *)r->own_mirrors : job->mirrors;
    size_t count = r->own_mirrors ? r->own_count : job->mirror_count;
    struct rt__buf body;
    rt__buf_init(&body, LIVE_PLAYLIST_MAX);
    struct rt__request request = {.urls = mirrors,
                                  .url_count = count,
                                  .what = _("live playlist"),
                                  .pass_client_errors = true,
                                  .cancel = job->stop};
    enum rt_code result = rt__http_get(job->client, &request, &body, status, err);
    if (result == RT_OK && *status == 200)
        result = rt__hls_parse_live(body.data ? body.data : "", body.len, media, info, err);
    rt__buf_cleanup(&body);
    return result;
}

/* New addresses for a refused playlist. */
static enum rt_code refresh(struct recording *r, long status, struct rt_error *err)
{
    struct rt__live_job *job = r->job;
    if (!job->refresh)
        return rt__fail(err, rt__http_judge(status).code, _("the live playlist: HTTP %ld"), status);
    char **mirrors = NULL;
    size_t count = 0;
    enum rt_code result = job->refresh(job->refresh_data, &mirrors, &count, err);
    if (result != RT_OK)
        return result;
    if (count == 0) {
        free(mirrors);
        return rt__fail(err, RT_E_UNAVAILABLE, _("the live stream has no address any more"));
    }
    free_mirrors(r->own_mirrors, r->own_count);
    r->own_mirrors = mirrors;
    r->own_count = count;
    rt__log(job->client, RT_LOG_INFO, "%s: the live address was refused (HTTP %ld); asked again",
            job->name, status);
    return RT_OK;
}

/* The segments of `media` after the last taken go into the recording (up to max_seconds);
 * those that left the window first are named in a warning. Returns how many were taken. */
static enum rt_code take_new(struct recording *r, const struct rt__media *media,
                             const struct rt__live_info *info, size_t *taken, struct rt_error *err)
{
    struct rt__live_job *job = r->job;
    *taken = 0;
    size_t from = 0;
    if (r->last_sequence < 0) {
        if (job->from_start && !info->whole && info->first_sequence > 1)
            rt__log(job->client, RT_LOG_WARN,
                    _("%s: the live playlist keeps only its last %zu segments: recording from "
                      "segment %lld, not from the start"),
                    job->name, media->count, info->first_sequence);
    } else {
        long long next = r->last_sequence + 1;
        if (info->first_sequence > next) {
            long long gap = info->first_sequence - next;
            double seconds = media->count ? gap * (media->duration / (double)media->count) : 0;
            job->missed += (size_t)gap;
            rt__log(job->client, RT_LOG_WARN,
                    _("%s: segments %lld to %lld (about %.0f s) left the live playlist before "
                      "they were fetched; the recording skips them"),
                    job->name, next, info->first_sequence - 1, seconds);
        } else {
            long long skip = next - info->first_sequence;
            from = skip < (long long)media->count ? (size_t)skip : media->count;
        }
    }
    double planned = job->recorded; /* everything taken before is fetched by now */
    for (size_t i = from; i < media->count; i++) {
        if (job->max_seconds > 0 && planned >= job->max_seconds)
            break;
        enum rt_code result = take(r, media->segments[i].ref, media->segments[i].duration,
                                   info->first_sequence + (long long)i, err);
        if (result != RT_OK)
            return result;
        planned += media->segments[i].duration;
        r->last_sequence = info->first_sequence + (long long)i;
        (*taken)++;
    }
    return RT_OK;
}

/* Fetch what the recording has that the sink does not. */
static enum rt_code fetch_new(struct recording *r, struct rt_error *err)
{
    struct rt__live_job *job = r->job;
    size_t first = rt__sink_next(job->sink);
    if (first >= r->count)
        return RT_OK;
    const char *const *mirrors =
        r->own_mirrors ? (const char *const *)r->own_mirrors : job->mirrors;
    struct rt__fetch_plan plan = {
        .count = r->count,
        .first = first,
        .refs = (const char *const *)r->refs,
        .mirror_count = r->own_mirrors ? r->own_count : job->mirror_count,
        .bases = mirrors,
        .name = job->name,
    };
    enum rt_code result =
        rt__fetch_run(job->client, &plan, job->sink, job->stop, fetch_progress, r, err);
    for (size_t i = first; i < rt__sink_next(job->sink); i++)
        job->recorded += r->durations[i];
    job->segments = rt__sink_next(job->sink);
    return result;
}

static bool halted(const struct rt__live_job *job)
{
    return rt__cancelled(job->client, job->cancel) || atomic_load(job->stop);
}

/* Until `until` (rt__http_now()'s clock), or a stop; progress once a second. */
static void wait_until(struct recording *r, double until)
{
    while (!halted(r->job) && rt__http_now() < until) {
        double left = until - rt__http_now();
        struct timespec step = {0, (long)((left < 0.05 ? left : 0.05) * 1e9)};
        nanosleep(&step, NULL);
        if (rt__http_now() - r->last_report >= 1.0)
            report(r, NULL);
    }
}

enum rt_code rt__live_record(struct rt__live_job *job, struct rt_error *err)
{
    struct recording r = {
        .job = job, .last_sequence = job->resume_after, .started = rt__http_now()};
    enum rt_code result = RT_OK;
    bool refreshed = false;
    /* Whatever the sink holds already (an earlier run of this recording) stays first. */
    for (size_t i = 0; i < rt__sink_next(job->sink) && result == RT_OK; i++)
        result = take(&r, "", 0, i + 1 == rt__sink_next(job->sink) ? job->resume_after : -1, err);
    job->segments = rt__sink_next(job->sink);
    while (result == RT_OK && !halted(job)) {
        double loaded_at = rt__http_now();
        struct rt__media media = {0};
        struct rt__live_info info = {0};
        long status = 0;
        struct rt_error attempt = {0};
        result = load(&r, &media, &info, &status, &attempt);
        if (result == RT_OK && (status == 403 || status == 404 || status == 410) && !refreshed) {
            refreshed = true; /* once in a row: a fresh address refused too is the end */
            result = refresh(&r, status, err);
            rt__media_cleanup(&media);
            continue;
        }
        if (result == RT_OK && status != 200)
            result = rt__fail(&attempt, rt__http_judge(status).code,
                              _("the live playlist: HTTP %ld"), status);
        size_t taken = 0;
        if (result == RT_OK) {
            refreshed = false;
            result = take_new(&r, &media, &info, &taken, &attempt);
        }
        if (result == RT_OK)
            result = fetch_new(&r, &attempt);
        rt__media_cleanup(&media);
        if (result == RT_E_CANCELLED && !rt__cancelled(job->client, job->cancel)) {
            result = RT_OK; /* stopped as asked, inside a fetch: what is whole is recorded */
            break;
        }
        if (result != RT_OK) {
            rt__fail(err, result, "%s", attempt.message);
            break;
        }
        report(&r, NULL);
        if (info.ended && rt__sink_next(job->sink) == r.count) {
            job->ended = true;
            break;
        }
        if (job->max_seconds > 0 && job->recorded >= job->max_seconds)
            break;
        /* RFC 8216 6.3.4: a target duration after a reload that changed the playlist, half of
         * it after one that did not. */
        double target = info.target_duration > 0 ? info.target_duration : DEFAULT_TARGET;
        wait_until(&r, loaded_at + (taken > 0 ? target : target / 2));
    }
    if (result == RT_OK && rt__cancelled(job->client, job->cancel))
        result = rt__fail(err, RT_E_CANCELLED, NULL);
    for (size_t i = 0; i < r.count; i++)
        free(r.refs[i]);
    free(r.refs);
    free(r.durations);
    free_mirrors(r.own_mirrors, r.own_count);
    return result;
}
