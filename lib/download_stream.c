/* A download's segments into <name>.part: which segments (the section's), resumed from an
 * earlier run, the state file following what is flushed. */
#include "download.h"

#include "base/errors.h"
#include "base/http.h"
#include "base/i18n.h"
#include "hls/fetch.h"
#include "hls/hls.h"
#include "hls/resume.h"
#include "hls/sink.h"
#include "hls/source.h"
#include "media/container.h"
#include "media/mux_stream.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What the state of this download looks like, progress aside. */
static void describe_state(const struct rt_download *d, const struct rt__media *media,
                           struct rt__resume *state)
{
    const struct rt_format *format = &d->video->formats[d->format_index];
    memset(state, 0, sizeof *state);
    snprintf(state->stream, sizeof state->stream, "%s", d->video->id);
    state->width = format->width;
    state->height = format->height;
    state->bandwidth = format->bandwidth;
    state->segment_count = media->count;
    state->list_hash = rt__resume_list_hash(media);
}

void rt__download_save_checkpoint(size_t segments, uint64_t bytes, void *data)
{
    struct rt__download_checkpoint *c = data;
    struct rt_error problem = {0};
    c->state.segments_done = segments;
    c->state.bytes_done = bytes;
    if (c->live && segments > 0 && c->live->numbers[segments - 1] >= 0)
        c->state.list_hash = (uint64_t)c->live->numbers[segments - 1];
    if (rt__resume_save(c->d->at->state_path, &c->state, &problem) != RT_OK && !c->warned) {
        c->warned = true; /* once: the download goes on, only resuming would be lost */
        rt__log(c->d->client, RT_LOG_WARN, _("%s; an interruption could not be resumed"),
                problem.message);
    }
}

/* The segments to fetch: the media playlist's, or a progressive file's pieces. */
static enum rt_code find_segments(struct rt_download *d, const struct rt_format *format,
                                  struct rt__media *media, struct rt__range **ranges,
                                  struct rt__extras_thumbnail *cover, struct rt_error *err)
{
    const char *const *mirrors = (const char *const *)format->mirrors;
    enum rt_code result;
    if (format->is_file) {
        result = rt__source_file(d->client, mirrors, format->mirror_count, &d->cancel, media,
                                 ranges, err);
        media->duration = d->video->duration;
    } else {
        result =
            rt__source_playlist(d->client, mirrors, format->mirror_count, &d->cancel,
                                cover ? &cover->job : NULL, cover ? &cover->ran : NULL, media, err);
    }
    if (result == RT_OK)
        result = rt__source_check(media, mirrors[0], err);
    d->fragmented = result == RT_OK && media->map_ref;
    /* The segments kept as served must be what the file says it is. */
    if (d->fragmented && !rt__container_muxer(d->container))
        return rt__fail(err, RT_E_UNSUPPORTED,
                        _("this quality comes as fragmented MP4 (%s), which a .%s file cannot "
                          "hold; save it as MP4 or MKV (--container mp4, --container mkv)"),
                        rt_codec_name(rt_format_codec(format)),
                        rt_container_extension(d->container));
    return result;
}

/*
 * The segments to fetch, as a view of `all` (its segments shared; free only the array): all of
 * them, or those the section overlaps (an fMP4 init section first, always), and where the
 * section then lies in what is fetched (d->cut_start, d->cut_end). A progressive file's
 * pieces are byte ranges, not times: it is fetched whole and cut by the remux.
 */
static enum rt_code section_segments(struct rt_download *d, const struct rt__media *all,
                                     struct rt__media *view, struct rt_error *err)
{
    size_t head = all->map_ref ? 1 : 0, first = all->count, last = all->count;
    double t = 0, first_at = 0;
    if (!d->has_section || d->is_file) {
        first = head;
        last = all->count - 1;
    } else {
        for (size_t i = head; i < all->count; i++) {
            double end = t + all->segments[i].duration;
            if (first == all->count && end > d->section_start) {
                first = i;
                first_at = t;
            }
            if (t < d->section_end)
                last = i;
            t = end;
        }
        if (first == all->count) {
            char from[32], length[32];
            rt__download_clock_text(d->section_start, from, sizeof from);
            rt__download_clock_text(all->duration, length, sizeof length);
            return rt__fail(err, RT_E_USAGE,
                            _("the section starts at %s, after the video ends (%s)"), from, length);
        }
    }
    size_t count = head + (last - first + 1);
    view->segments = malloc(count * sizeof *view->segments);
    if (!view->segments)
        return rt__fail(err, RT_E_NOMEM, NULL);
    view->count = count;
    view->map_ref = all->map_ref;
    view->duration = 0;
    if (head)
        view->segments[0] = all->segments[0];
    for (size_t i = first; i <= last; i++) {
        view->segments[head + i - first] = all->segments[i];
        view->duration += all->segments[i].duration;
    }
    double whole = d->is_file ? d->video->duration : all->duration;
    d->duration = whole;
    if (d->has_section) {
        double end = d->section_end < whole || whole <= 0 ? d->section_end : whole;
        d->cut_start = d->section_start - first_at;
        d->cut_end = end != HUGE_VAL ? end - first_at : 0;
        d->duration = end != HUGE_VAL ? end - d->section_start : whole - d->section_start;
    }
    return RT_OK;
}

/* Segments into <path>.part, in playlist order, continuing a matching earlier run; with
 * `early`, the MP4 made from them as they arrive where it can be
 * (rt__download_remux_while_fetching()). Not for a live stream on the air: that one is
 * rt__download_record_live()'s. */
enum rt_code rt__download_fetch_stream(struct rt_download *d, struct rt__download_remux_plan *early,
                                       struct rt_error *err)
{
    const struct rt_format *format = &d->video->formats[d->format_index];
    struct rt__media media = {0};
    struct rt__range *ranges = NULL;
    struct rt__sink *sink = NULL;
    const char **refs = NULL;
    struct rt__download_checkpoint checkpoint = {.d = d};

    struct rt__media all = {0};
    struct rt__extras_thumbnail *cover = early ? early->cover_call : NULL;
    enum rt_code result = find_segments(d, format, &all, &ranges, cover, err);
    if (result == RT_OK && cover) /* judged (or fetched, if it went with no playlist) first */
        rt__extras_thumbnail_end(&d->extras, cover);
    if (result == RT_OK)
        result = section_segments(d, &all, &media, err);
    if (result == RT_OK && !(refs = malloc(media.count * sizeof *refs)))
        result = rt__fail(err, RT_E_NOMEM, NULL);
    if (result != RT_OK)
        goto out;
    rt__log(d->client, RT_LOG_DEBUG, "video %s: %zu segments, %.1f s", d->video->id, media.count,
            media.duration);
    describe_state(d, &media, &checkpoint.state);
    uint64_t resume_bytes;
    size_t first = rt__resume_plan(d->client, d->at->part_path, d->at->state_path,
                                   &checkpoint.state, d->no_continue, &resume_bytes);
    for (size_t i = 0; i < media.count; i++)
        refs[i] = media.segments[i].ref;
    char name[48];
    snprintf(name, sizeof name, "video %s", d->video->id);
    struct rt__fetch_plan plan = {
        .count = media.count,
        .first = first,
        .refs = refs,
        .mirror_count = format->mirror_count,
        .bases = (const char *const *)format->mirrors,
        .expected_bytes = (uint64_t)((double)format->bandwidth / 8.0 * media.duration),
        .name = name,
        .ranges = ranges,
    };
    if (ranges)
        plan.expected_bytes = ranges[media.count - 1].start + ranges[media.count - 1].length;
    d->last_segment_count = media.count;
    void *report_data;
    rt_progress_fn report = rt__download_progress_fn(d, &report_data);
    double started = rt__http_now();
    result = rt__sink_open(d->at->part_path, resume_bytes, first, &sink, err);
    if (result != RT_OK)
        goto out;
    rt__sink_set_checkpoint(sink, rt__download_save_checkpoint, &checkpoint, 1.0);
    if (early)
        rt__download_start_early_remux(d, early, sink, plan.expected_bytes);
    if (first < media.count)
        result = rt__fetch_run(d->client, &plan, sink, &d->cancel, report, report_data, err);
    bool streaming = early && early->stream;
    if (result == RT_OK)
        result = streaming ? rt__sink_finish_unflushed(sink, err) : rt__sink_finish(sink, err);
    if (streaming && result == RT_OK)
        rt__mux_stream_complete(early->stream, rt__sink_written(sink));
    else if (streaming)
        rt__mux_stream_abandon(early->stream); /* its output removed before the .part is cut */
    if (streaming && result == RT_OK) {
        /* Flushed and told complete only should the .part outlive the remux (settle_part(),
         * download_remux.c). */
        early->unsettled = true;
        early->complete = checkpoint;
        early->segments = media.count;
        early->bytes = rt__sink_written(sink);
    } else if (result == RT_OK) {
        /* Complete: should the remux be interrupted, a new run goes straight to it. */
        rt__download_save_checkpoint(media.count, rt__sink_written(sink), &checkpoint);
    }
    if (result == RT_OK) {
        rt__log(d->client, RT_LOG_INFO, "video %s: fetched %zu segments, %.1f MiB, in %.2f s",
                d->video->id, media.count - first, (double)rt__sink_written(sink) / (1 << 20),
                rt__http_now() - started);
    } else if (rt__sink_written(sink) == 0) {
        unlink(d->at->part_path); /* nothing fetched: no litter */
        unlink(d->at->state_path);
    } else {
        /* Keep what is whole, and say so: the next run continues from there. */
        rt__sink_checkpoint(sink, NULL);
        size_t kept = rt__sink_next(sink);
        if (kept > 0) {
            rt__error_append(err,
                             "; %zu of %zu segments are kept in %s: run the same command again "
                             "to continue",
                             kept, media.count, d->at->part_path);
        } else {
            if (rt__sink_in_memory(sink)) /* hls/sink.h: nothing to continue */
                rt__log(d->client, RT_LOG_INFO,
                        "video %s: its stream was kept in memory, so nothing of it is kept",
                        d->video->id);
            unlink(d->at->part_path);
            unlink(d->at->state_path);
        }
    }
out:
    rt__sink_free(sink);
    free(refs);
    free(ranges);
    free(media.segments); /* a view of all's */
    rt__media_cleanup(&all);
    return result;
}
