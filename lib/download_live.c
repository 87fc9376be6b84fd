/* A live stream recorded into <name>.part as it is broadcast, its addresses asked again as
 * they expire. */
#include "download.h"

#include "base/errors.h"
#include "base/http.h"
#include "base/i18n.h"
#include "hls/hls.h"
#include "hls/live.h"
#include "hls/resume.h"
#include "hls/sink.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A live stream's addresses expire: play options asked again, the same quality's mirrors. */
static enum rt_code refresh_live(void *data, char ***mirrors, size_t *count, struct rt_error *err)
{
    struct rt_download *d = data;
    const struct rt_format *had = &d->video->formats[d->format_index];
    struct rt_target target;
    struct rt_video *fresh = NULL;
    enum rt_code result = rt_target_parse(d->video->id, &target, err);
    if (result == RT_OK)
        result = rt_video_fetch(d->client, &target, &fresh, err);
    if (result == RT_OK && !fresh->on_air) {
        *count = 0; /* over: what was recorded is the recording */
        *mirrors = NULL;
        rt_video_free(fresh);
        return RT_OK;
    }
    if (result != RT_OK)
        return result;
    size_t k = fresh->format_count - 1; /* the same size, else the best */
    for (size_t i = 0; i < fresh->format_count; i++)
        if (fresh->formats[i].width == had->width && fresh->formats[i].height == had->height)
            k = i;
    const struct rt_format *f = &fresh->formats[k];
    *mirrors = calloc(f->mirror_count, sizeof **mirrors);
    for (size_t i = 0; *mirrors && i < f->mirror_count; i++)
        if (!((*mirrors)[i] = strdup(f->mirrors[i])))
            result = RT_E_NOMEM;
    *count = *mirrors ? f->mirror_count : 0;
    rt_video_free(fresh);
    return *mirrors && result == RT_OK ? RT_OK : rt__fail(err, RT_E_NOMEM, NULL);
}

/* A live stream on the air into <path>.part, continuing an earlier run's recording. */
enum rt_code rt__download_record_live(struct rt_download *d, struct rt_error *err)
{
    const struct rt_format *format = &d->video->formats[d->format_index];
    struct rt__download_checkpoint checkpoint = {.d = d};
    struct rt__resume *state = &checkpoint.state;
    snprintf(state->stream, sizeof state->stream, RT_RESUME_LIVE_PREFIX "%s", d->video->id);
    state->width = format->width;
    state->height = format->height;
    state->bandwidth = format->bandwidth;
    state->segment_count = RT_HLS_MAX_SEGMENTS; /* open-ended */
    uint64_t resume_bytes;
    size_t first = rt__resume_plan(d->client, d->at->part_path, d->at->state_path, state,
                                   d->no_continue, &resume_bytes);
    struct rt__sink *sink = NULL;
    enum rt_code result = rt__sink_open(d->at->part_path, resume_bytes, first, &sink, err);
    if (result != RT_OK)
        return result;
    /* The number of the last segment an earlier run recorded, so that none comes twice. */
    struct rt__resume saved;
    long long resume_after = -1;
    if (first > 0 && rt__resume_load(d->at->state_path, &saved, NULL) == RT_OK &&
        saved.list_hash < (uint64_t)LLONG_MAX)
        resume_after = (long long)saved.list_hash;
    char name[48];
    snprintf(name, sizeof name, "video %s", d->video->id);
    struct rt__live_job job = {
        .resume_after = resume_after,
        .client = d->client,
        .mirrors = (const char *const *)format->mirrors,
        .mirror_count = format->mirror_count,
        .name = name,
        .sink = sink,
        .cancel = &d->cancel,
        .stop = &d->stop,
        .max_seconds = d->live_duration,
        .from_start = d->live_from_start,
        .refresh = refresh_live,
        .refresh_data = d,
    };
    job.progress = rt__download_progress_fn(d, &job.progress_data);
    checkpoint.live = &job;
    rt__sink_set_checkpoint(sink, rt__download_save_checkpoint, &checkpoint, 1.0);
    double started = rt__http_now();
    result = rt__live_record(&job, err);
    if (result == RT_OK && job.segments == 0)
        result = rt__fail(err, RT_E_CANCELLED,
                          _("stopped before a segment of the live stream "
                            "was recorded"));
    if (result == RT_OK)
        result = rt__sink_finish(sink, err);
    if (result == RT_OK) {
        rt__download_save_checkpoint(job.segments, rt__sink_written(sink), &checkpoint);
        rt__log(d->client, RT_LOG_INFO,
                "video %s: recorded %.1f s live in %.1f s, %zu segments (%zu missed)%s",
                d->video->id, job.recorded, rt__http_now() - started, job.segments, job.missed,
                job.ended ? ", to the broadcast's end" : "");
        d->duration = 0; /* no playlist length to hold the file to */
        atomic_store(&d->stop, false);
    } else if (rt__sink_written(sink) == 0) {
        unlink(d->at->part_path);
        unlink(d->at->state_path);
    } else {
        rt__sink_checkpoint(sink, NULL);
        rt__error_append(err,
                         "; the %zu segments recorded are kept in %s (it plays as it is): run the "
                         "same command again to record on into it",
                         rt__sink_next(sink), d->at->part_path);
    }
    rt__sink_free(sink);
    free(job.numbers);
    return result;
}
