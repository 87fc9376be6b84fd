/* A download's .part into its container: after the download, or while the segments arrive
 * (media/mux_stream.h); a failed remux keeps the stream under a name a player opens. */
#include "download.h"

#include "base/errors.h"
#include "base/http.h"
#include "base/i18n.h"
#include "base/reserve.h"
#include "base/spool.h"
#include "hls/sink.h"
#include "media/mux.h"
#include "media/mux_stream.h"
#include "output/publish.h"
#include "output/tags.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The chapters of a part, on its own clock: those that overlap it, cut to it and moved to
 * start where it does. `*out` (NULL when none) shares the titles; the caller frees it. */
static size_t section_chapters(const struct rt_download *d, struct rt_chapter **out)
{
    const struct rt_video *v = d->video;
    *out = NULL;
    if (!d->has_section)
        return 0;
    struct rt_chapter *list = calloc(v->chapter_count, sizeof *list);
    size_t n = 0;
    for (size_t i = 0; list && i < v->chapter_count; i++) {
        double start =
            v->chapters[i].start > d->section_start ? v->chapters[i].start : d->section_start;
        double end = v->chapters[i].end < d->section_end ? v->chapters[i].end : d->section_end;
        if (end > start)
            list[n++] = (struct rt_chapter){start - d->section_start, end - d->section_start,
                                            v->chapters[i].title};
    }
    *out = list;
    return n;
}

/* The job for d->at, into `p` (zeroed). False when out of memory. */
static bool plan_remux(struct rt_download *d, const struct rt__buf *cover,
                       const struct rt__subtitle_file *subs, size_t sub_count,
                       struct rt__download_remux_plan *p)
{
    for (size_t i = 0; i < sub_count && i < 64; i++)
        p->tracks[i] =
            (struct rt__mux_subtitle){subs[i].caption->lang, subs[i].caption->name, &subs[i].cues};
    if (!(p->tmp = rt__download_concat3(d->at->path, ".remux.part", "")))
        return false;
    void *progress_data;
    size_t part_chapter_count = d->embed_chapters ? section_chapters(d, &p->part_chapters) : 0;
    const struct rt_chapter *chapters = d->has_section ? p->part_chapters : d->video->chapters;
    size_t chapter_count = d->has_section ? part_chapter_count : d->video->chapter_count;
    size_t tag_count = rt__tags_for_video(d->video, d->container, p->date, p->tags);
    if (d->at->chapter) {
        snprintf(p->track, sizeof p->track, "%zu/%zu", (size_t)(d->at - d->chapters) + 1,
                 d->chapter_count);
        tag_count =
            rt__tags_for_chapter(p->tags, tag_count, d->video, d->at->chapter->title, p->track);
    }
    p->job = (struct rt__mux_job){
        .input = d->at->part_path,
        .fragmented = d->fragmented || d->is_file, /* an MP4 file is read like fragments */
        .output = p->tmp,
        .container = d->container,
        .tags = p->tags,
        .tag_count = tag_count,
        .cover = cover && cover->len ? (const unsigned char *)cover->data : NULL,
        .cover_len = cover ? cover->len : 0,
        .subs = p->tracks,
        .sub_count = sub_count < 64 ? sub_count : 64,
        .chapters = d->embed_chapters ? chapters : NULL,
        .chapter_count = d->embed_chapters ? chapter_count : 0,
        .expected_duration = d->duration,
        .cut_start = d->cut_start,
        .cut_end = d->cut_end,
        .close_holes = d->video->on_air, /* the gaps it missed, named when they happened */
        .client = d->client,
        .cancel = &d->cancel,
        .progress = rt__download_progress_fn(d, &progress_data),
        .progress_data = progress_data,
    };
    return true;
}

void rt__download_free_plan(struct rt__download_remux_plan *p)
{
    rt__mux_stream_free(p->stream);
    free(p->tmp);
    free(p->part_chapters);
}

/* The .part, once the file has its name. Said under -v with its time: the kernel frees the
 * .part's pages there (17-20 ms for 210 MB, not yet written to the disk when the MP4 was made
 * while downloading), the largest share of an MP4's finish that a TS does not have. */
static void remove_part(const struct rt_download *d)
{
    struct stat st;
    bool sized = stat(d->at->part_path, &st) == 0;
    double started = rt__http_now();
    if (unlink(d->at->part_path) == 0 && sized)
        rt__log(d->client, RT_LOG_INFO, "video %s: its .part (%.1f MiB) removed in %.3f s",
                d->video->id, (double)st.st_size / (1 << 20), rt__http_now() - started);
}

/* The remux's result made into the file; on failure what was fetched is kept as <base>.ts. */
static enum rt_code conclude_remux(struct rt_download *d, struct rt__download_remux_plan *p,
                                   enum rt_code result, const struct rt_error *problem,
                                   struct rt_error *err)
{
    if (result == RT_OK) {
        result = rt__publish(p->tmp, d->at->path, d->overwrite, err);
        if (result == RT_OK)
            remove_part(d);
        else
            unlink(p->tmp);
    } else if (result == RT_E_REMUX) {
        /* Nothing fetched is lost: the stream gets a name a player opens (fragmented MP4
         * plays as an .mp4, which the final name would have been). */
        char *ts = rt__download_concat3(d->at->base, d->fragmented ? ".frag.mp4" : ".ts", "");
        if (ts && renameat2(AT_FDCWD, d->at->part_path, AT_FDCWD, ts, RENAME_NOREPLACE) == 0)
            rt__fail(err, result, _("%s; the downloaded stream is kept as %s"), problem->message,
                     ts);
        else
            rt__fail(err, result, _("%s; the downloaded stream is kept as %s"), problem->message,
                     d->at->part_path);
        free(ts);
    } else {
        rt__fail(err, result, "%s", problem->message);
    }
    return result;
}

/* The planned remux of the whole .part, after the download. */
static enum rt_code run_remux(struct rt_download *d, struct rt__download_remux_plan *p,
                              struct rt_error *err)
{
    struct rt_error problem = {0};
    double started = rt__http_now();
    enum rt_code result = rt__mux_run(&p->job, &problem);
    if (result == RT_OK)
        rt__log(d->client, RT_LOG_INFO, "video %s: remuxed into %s in %.2f s", d->video->id,
                rt_container_extension(d->container), rt__http_now() - started);
    return conclude_remux(d, p, result, &problem, err);
}

/* Copy the stream into the container. */
enum rt_code rt__download_remux(struct rt_download *d, const struct rt__buf *cover,
                                const struct rt__subtitle_file *subs, size_t sub_count,
                                struct rt_error *err)
{
    struct rt__download_remux_plan plan = {0};
    enum rt_code result = plan_remux(d, cover, subs, sub_count, &plan)
                              ? run_remux(d, &plan, err)
                              : rt__fail(err, RT_E_NOMEM, NULL);
    rt__download_free_plan(&plan);
    return result;
}

/*
 * Whether d->at's MP4 may be made while its segments arrive (media/mux_stream.h): our own
 * writer's job, so no subtitle tracks to embed (they go to libavformat), MPEG-TS segments
 * (rt__download_fetch_stream() checks that they are not fragments), no live recording, no file
 * saved as served. RUTUBE_DL_REMUX_AFTER_DOWNLOAD=1 in the environment turns it off, for the tests
 * that compare the two (tests/integration/test_mp4.sh).
 */
bool rt__download_remux_while_fetching(const struct rt_download *d)
{
    const char *after = getenv("RUTUBE_DL_REMUX_AFTER_DOWNLOAD");
    if (after && *after && strcmp(after, "0") != 0)
        return false;
    return d->container == RT_CONTAINER_MP4 && !d->is_file && !d->video->on_air &&
           !(d->embed_subs && d->video->caption_count > 0);
}

/* How long the .part of an MP4 made while downloading is kept from the disk: on a fast line
 * (a 200 MB video in a third of a second here) writing it out as well as the MP4 costs more
 * CPU than the remux, for a file deleted a moment later. A longer download is written out and
 * checkpointed as usual after it, so that an interrupted one can still be resumed. */
#define EARLY_REMUX_WRITEBACK_DELAY_S 1.0

/* rt__download_fetch_stream() with the sink open: the remux starts on its thread, reading what is
 * whole, with the cover the plan was given. A fresh download's .part may be kept in memory
 * instead of the file, should the download look done in a moment (hls/sink.h): on a fast line
 * writing it to the page cache, reading it back and freeing it took longer than the download
 * itself (bench/README.md). */
void rt__download_start_early_remux(struct rt_download *d, struct rt__download_remux_plan *p,
                                    struct rt__sink *sink, uint64_t expected_bytes)
{
    if (d->fragmented || !plan_remux(d, p->cover, NULL, 0, p))
        return;
    if ((p->stream = rt__mux_stream_start(&p->job))) {
        rt__sink_publish_to(sink, rt__mux_stream_input(p->stream));
        rt__sink_defer_writeback(sink, EARLY_REMUX_WRITEBACK_DELAY_S);
        rt__sink_spool(sink, expected_bytes);
    }
}

/* Where the stream is, once the remux beside the download is over: in memory, let go as it was
 * remuxed (hls/sink.h), NULL when the .part has it all. */
static struct rt__spool *stream_in_memory(const struct rt__download_remux_plan *p)
{
    struct rt__spool *spool = rt__growing_spool(rt__mux_stream_input(p->stream));
    return spool && !rt__spool_drained(spool) ? spool : NULL;
}

/*
 * The .part flushed and its state saying it is complete, as rt__download_fetch_stream() leaves it
 * when the remux comes after the download. Put off while the MP4 is made from it: on success the
 * .part is deleted a moment later, and the flush (tens of milliseconds here, for nothing) would
 * only delay the file; until then the state claims no more than the last checkpoint flushed.
 * Done when the .part stays (kept after a failure, or renamed to .ts) so that it is whole on
 * disk and the next run goes straight to the remux, as before. A stream still all in memory is
 * written to it first. False when the .part cannot have it: it was let go as it was remuxed.
 */
static bool settle_part(struct rt_download *d, struct rt__download_remux_plan *p)
{
    if (!p->unsettled)
        return true;
    p->unsettled = false;
    struct rt__spool *memory = stream_in_memory(p);
    if (memory && !rt__spool_whole(memory))
        return false;
    int fd = open(d->at->part_path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return !memory;
    uint64_t end = 0;
    int problem = memory ? rt__spool_drain(memory, fd, &end) : 0;
    bool flushed = problem == 0 && fdatasync(fd) == 0;
    /* The disk space the download took ahead (base/reserve.h), given back: every byte stays. */
    int kept = flushed ? rt__reserve_give_back(fd, p->bytes) : 0;
    if (kept != 0)
        rt__log(d->client, RT_LOG_INFO, "%s: space beyond its end kept: %s", d->at->part_path,
                strerror(kept));
    close(fd);
    if (flushed)
        rt__download_save_checkpoint(p->segments, p->bytes, &p->complete);
    return problem == 0;
}

/* The download done, the remux that ran beside it finished. Declined (an unusual stream) or
 * failed (disk, memory), the remux is done again after the download: nothing fetched is lost,
 * but for a stream kept only in memory (a download of a second at most), fetched again. */
enum rt_code rt__download_finish_early_remux(struct rt_download *d,
                                             struct rt__download_remux_plan *p,
                                             struct rt_error *err)
{
    struct rt_error problem = {0};
    double started = rt__http_now(), share;
    bool declined;
    char why[128];
    enum rt_code result =
        rt__mux_stream_end(p->stream, &share, &declined, why, sizeof why, &problem);
    if (stream_in_memory(p))
        rt__log(d->client, RT_LOG_INFO, "video %s: its stream was kept in memory, not in %s",
                d->video->id, d->at->part_path);
    if (result == RT_OK && !declined) {
        rt__log(d->client, RT_LOG_INFO,
                "video %s: remuxed into mp4, %.0f%% while downloading, the rest in %.2f s; "
                "%.3f s of CPU",
                d->video->id, share * 100, rt__http_now() - started,
                rt__mux_stream_cpu_seconds(p->stream));
        result = conclude_remux(d, p, result, &problem, err);
        if (!settle_part(d, p)) /* when the file could not take its name, the .part stays */
            unlink(d->at->part_path);
        return result;
    }
    bool in_part = settle_part(d, p);
    if (result == RT_E_CANCELLED) {
        if (!in_part)
            unlink(d->at->part_path);
        return conclude_remux(d, p, result, &problem, err);
    }
    if (declined) {
        rt__log(d->client, RT_LOG_INFO, "remuxing with libavformat instead: %s", why);
        p->job.general_only = true; /* our writer would step aside again */
    } else {
        rt__log(d->client, RT_LOG_INFO,
                "video %s: the remux while downloading failed (%s); "
                "remuxing after it",
                d->video->id, problem.message);
    }
    if (!in_part) {
        rt__log(d->client, RT_LOG_INFO, "video %s: fetching the stream again, into %s",
                d->video->id, d->at->part_path);
        result = rt__download_fetch_stream(d, NULL, err);
        if (result != RT_OK)
            return result;
    }
    return run_remux(d, p, err);
}
