/* split_chapters: a video into a file per chapter, each a section of its own, named after the
 * whole and reporting its progress as a share of them all. */
#include "download.h"

#include "base/errors.h"
#include "output/publish.h"
#include "output/section.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * split_chapters: a target per chapter, "<stem> - 001 <title>.<ext>" beside the whole's name.
 * The chapter's title is cut so that the name, with ".part.state" after it, stays within what
 * file systems allow (255 bytes).
 */
enum rt_code rt__download_make_chapter_paths(struct rt_download *d, const char *ext)
{
    const struct rt_video *v = d->video;
    if (!(d->chapters = calloc(v->chapter_count, sizeof *d->chapters)))
        return RT_E_NOMEM;
    d->chapter_count = v->chapter_count;
    const char *slash = strrchr(d->whole.base, '/');
    size_t stem = strlen(slash ? slash + 1 : d->whole.base);
    size_t room = 255 - strlen(".part.state") - strlen(ext) - 1;
    size_t fixed = stem + 16; /* " - 0001 " and more */
    for (size_t i = 0; i < v->chapter_count; i++) {
        char suffix[300];
        rt__chapter_suffix(i + 1, v->chapter_count, v->chapters[i].title, d->restrict_filenames,
                           room > fixed ? room - fixed : 0, suffix, sizeof suffix);
        char *path = malloc(strlen(d->whole.base) + strlen(suffix) + strlen(ext) + 2);
        if (path)
            sprintf(path, "%s%s.%s", d->whole.base, suffix, ext);
        d->chapters[i].chapter = &v->chapters[i];
        if (rt__download_name_target(&d->chapters[i], path, ext) != RT_OK)
            return RT_E_NOMEM;
    }
    return RT_OK;
}

/* Whether the chapter's file is there already and stays (no overwrite): it is not made. */
bool rt__download_chapter_stays(const struct rt_download *d, const struct rt__download_target *t)
{
    struct rt_error ignored = {0};
    return rt__publish_check(t->path, d->overwrite, &ignored) == RT_E_EXISTS;
}

/* The progress of a chapter's file as a share of them all: what the chapters made before
 * fetched is added, and the rest are expected at this one's rate. */
static void chapter_progress(const struct rt_progress *p, void *data)
{
    const struct rt_download *d = data;
    struct rt_progress all = *p;
    if (p->phase == RT_PHASE_DOWNLOAD && d->at->chapter) {
        const struct rt_chapter *c = d->at->chapter;
        double this_one = c->end - c->start;
        double rest = d->chapters[d->chapter_count - 1].chapter->end - c->end;
        double scale = this_one > 0 && rest > 0 ? rest / this_one : 0;
        all.bytes_done += d->done_bytes;
        all.bytes_expected += d->done_bytes + (uint64_t)((double)p->bytes_expected * scale);
        all.segments_done += d->done_segments;
        all.segments_total += d->done_segments + (size_t)((double)p->segments_total * scale);
    }
    d->progress(&all, d->progress_data);
}

/* Where a stage reports: the program's callback, through chapter_progress() for a chapter. */
rt_progress_fn rt__download_progress_fn(struct rt_download *d, void **data)
{
    *data = d->chapters && d->progress ? (void *)d : d->progress_data;
    return d->chapters && d->progress ? chapter_progress : d->progress;
}

/* split_chapters: each chapter as a section of its own, into its own file; those already
 * there stay. The first failure stops: what it fetched is kept for the next run. */
enum rt_code rt__download_make_chapters(struct rt_download *d, struct rt__buf *thumbnail,
                                        struct rt__subtitle_file **subs, size_t *sub_count,
                                        struct rt_error *err)
{
    bool extras_fetched = false;
    enum rt_code result = RT_OK;
    d->has_section = true;
    for (size_t i = 0; result == RT_OK && i < d->chapter_count; i++) {
        d->at = &d->chapters[i];
        if (rt__download_chapter_stays(d, d->at)) {
            rt__log(d->client, RT_LOG_INFO, "video %s: %s is there already", d->video->id,
                    d->at->path);
            continue;
        }
        d->section_start = d->at->chapter->start;
        /* The last to the stream's end, whatever the description thought the length was. */
        d->section_end = i + 1 < d->chapter_count ? d->at->chapter->end : HUGE_VAL;
        rt__log(d->client, RT_LOG_INFO, "video %s: chapter %zu of %zu, \"%s\"", d->video->id, i + 1,
                d->chapter_count, d->at->chapter->title);
        result = rt__download_make_target(d, thumbnail, subs, sub_count, &extras_fetched, err);
        struct stat st;
        if (result == RT_OK && stat(d->at->path, &st) == 0)
            d->done_bytes += (uint64_t)st.st_size;
        d->done_segments += d->last_segment_count;
    }
    d->at = &d->chapters[0];
    return result;
}
