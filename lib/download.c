/* One download from start to end: segments into <name>.part, remux, extras, the final name. */
#include "base/abi.h"
#include "base/buf.h"
#include "base/errors.h"
#include "base/http.h"
#include "base/i18n.h"
#include "hls/fetch.h"
#include "hls/hls.h"
#include "hls/live.h"
#include "hls/resume.h"
#include "hls/sink.h"
#include "hls/source.h"
#include "media/container.h"
#include "media/mux.h"
#include "media/mux_stream.h"
#include "output/extras.h"
#include "output/publish.h"
#include "output/section.h"
#include "output/tags.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A file the download makes, and the names it goes by until it is whole. */
struct target {
    char *path;       /* the final file */
    char *part_path;  /* <path>.part: the MPEG-TS stream while it downloads */
    char *base;       /* <path> without its extension, for the files beside it */
    char *state_path; /* <path>.part.state: what the .part holds, for resuming */
    const struct rt_chapter *chapter; /* split_chapters: the one it holds; else NULL */
};

struct rt_download {
    struct rt_client *client;
    const struct rt_video *video;
    size_t format_index;
    char *dir;           /* the folder the files go into (the template may add some) */
    struct target whole; /* the video, or the part asked for; names the extras beside it */
    struct target *chapters; /* split_chapters: a file per chapter (chapter_count), or NULL */
    size_t chapter_count;
    struct target *at;   /* the one being made */
    size_t done_segments; /* of the chapters made before, for the progress */
    uint64_t done_bytes;
    size_t last_segment_count; /* of the last stream fetched */
    bool restrict_filenames;
    char *sub_langs;
    bool no_continue; /* start over even when a matching .part is there */
    bool overwrite;   /* the one switch for every file this download writes */
    enum rt_container container;
    bool is_file;    /* a progressive MP4 (Yappy): saved as fetched, no remux */
    bool fragmented; /* the segments are fragmented MP4 (#EXT-X-MAP), not MPEG-TS */
    bool embed_thumbnail, embed_subs, embed_chapters;
    struct rt__extras extras; /* what goes beside the video, pointing into the fields above */
    rt_progress_fn progress;
    void *progress_data;
    atomic_bool cancel;
    atomic_bool stop;      /* a live recording ends here (rt_download_stop()) */
    double live_duration;  /* rt_download_options' */
    bool live_from_start;
    double duration; /* the media playlist's, or the section's */
    /* The part asked for (rt_download_options), and where it lies in the fetched segments. */
    bool has_section;
    double section_start, section_end; /* section_end HUGE_VAL: to the end */
    double cut_start, cut_end;         /* for the remux (mux_job.h) */
};

void rt_download_options_init_size(struct rt_download_options *opts, size_t size)
{
    const struct rt_download_options defaults = {
        .output_dir = ".",
        .output_template = RT_DEFAULT_TEMPLATE,
        .container = RT_CONTAINER_MP4,
        .embed_chapters = true,
    };
    rt__options_init(opts, size, &defaults, sizeof defaults);
}

/* `a` + `b` + `c` in a new string. */
static char *concat3(const char *a, const char *b, const char *c)
{
    size_t size = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(size);
    if (s)
        snprintf(s, size, "%s%s%s", a, b, c);
    return s;
}

/* A target's names from its final path (taken). */
static enum rt_code name_target(struct target *t, char *path, const char *ext)
{
    t->path = path;
    if (!t->path)
        return RT_E_NOMEM;
    t->part_path = concat3(t->path, ".part", "");
    t->state_path = concat3(t->path, ".part.state", "");
    t->base = strdup(t->path);
    if (!t->part_path || !t->state_path || !t->base)
        return RT_E_NOMEM;
    /* The stem of the files beside it: the name without ".<ext>" when it ends so. */
    size_t len = strlen(t->base), ext_len = strlen(ext);
    if (len > ext_len + 1 && t->base[len - ext_len - 1] == '.' &&
        strcmp(t->base + len - ext_len, ext) == 0)
        t->base[len - ext_len - 1] = '\0';
    return RT_OK;
}

static void free_target(struct target *t)
{
    free(t->path);
    free(t->part_path);
    free(t->base);
    free(t->state_path);
}

/* Where the files go: the template's result under the output folder (unless absolute). */
static enum rt_code make_paths(struct rt_download *d, const char *dir, const char *name,
                               const char *ext)
{
    const char *sep = name[0] == '/' || !*dir || dir[strlen(dir) - 1] == '/' ? "" : "/";
    if (name_target(&d->whole, name[0] == '/' ? strdup(name) : concat3(dir, sep, name), ext) !=
            RT_OK ||
        !(d->dir = strdup(d->whole.path)))
        return RT_E_NOMEM;
    char *slash = strrchr(d->dir, '/');
    if (slash == d->dir)
        slash[1] = '\0'; /* "/name": the root */
    else if (slash)
        *slash = '\0';
    else
        strcpy(d->dir, ".");
    return RT_OK;
}

/*
 * split_chapters: a target per chapter, "<stem> - 001 <title>.<ext>" beside the whole's name.
 * The chapter's title is cut so that the name, with ".part.state" after it, stays within what
 * file systems allow (255 bytes).
 */
static enum rt_code make_chapter_paths(struct rt_download *d, const char *ext)
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
        if (name_target(&d->chapters[i], path, ext) != RT_OK)
            return RT_E_NOMEM;
    }
    return RT_OK;
}

/* The time `seconds` as a person reads it, for messages. */
static void clock_text(double seconds, char *out, size_t size)
{
    long s = (long)seconds;
    if (s >= 3600)
        snprintf(out, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, size, "%ld:%02ld", s / 60, s % 60);
}

/* " [1:00-2:30]" into `name` before ".ext": the parts of one video get names of their own. */
static enum rt_code add_section_suffix(char *name, size_t size, const char *ext,
                                       const struct rt_download_options *opts, struct rt_error *err)
{
    char suffix[64];
    rt__section_suffix(opts->section_start, opts->section_end, opts->restrict_filenames, suffix,
                       sizeof suffix);
    size_t len = strlen(name), ext_len = strlen(ext);
    size_t stem = len > ext_len + 1 && name[len - ext_len - 1] == '.' ? len - ext_len - 1 : len;
    if (len + strlen(suffix) + 1 > size)
        return rt__fail(err, RT_E_USAGE, _("the file name is too long for a section's suffix"));
    memmove(name + stem + strlen(suffix), name + stem, len - stem + 1);
    memcpy(name + stem, suffix, strlen(suffix));
    return RT_OK;
}

/* rt_download_new() since 0.2 (see base/abi.h; 0.1's is in compat_0_1.c). */
RT__EXPORTED enum rt_code rt__download_new_0_2(struct rt_client *client,
                                               const struct rt_video *video, size_t format_index,
                                               const struct rt_download_options *given,
                                               struct rt_download **out, struct rt_error *err);
RT__CURRENT_SYMBOL(rt__download_new_0_2, rt_download_new, "LIBRUTUBE_0.2");
enum rt_code rt__download_new_0_2(struct rt_client *client, const struct rt_video *video,
                                  size_t format_index, const struct rt_download_options *given,
                                  struct rt_download **out, struct rt_error *err)
{
    struct rt_download_options opts;
    char name[4096];
    if (!client || !video || !out)
        return rt__fail(err, RT_E_USAGE, _("rt_download_new needs a client, a video and a result"));
    *out = NULL;
    if (format_index >= video->format_count)
        return rt__fail(err, RT_E_USAGE, _("format %zu does not exist"), format_index);
    rt_download_options_init(&opts);
    if (!rt__options_take(&opts, sizeof opts, given))
        return rt__fail(err, RT_E_USAGE, _("the download's options were not filled by %s"),
                        "rt_download_options_init()");
    if (!rt__container_is_known(opts.container))
        return rt__fail(err, RT_E_USAGE, _("unknown container %d"), (int)opts.container);
    /* A progressive file is an MP4 already: it is saved as it comes, unless only its audio
     * is wanted. */
    const struct rt_format *format = &video->formats[format_index];
    bool is_file = format->is_file;
    bool as_served = is_file && rt_container_has_video(opts.container);
    bool has_section = rt__section_is_set(opts.section_start, opts.section_end);
    if (has_section && (opts.section_start < 0 ||
                        !(opts.section_start < opts.section_end || opts.section_end <= 0)))
        return rt__fail(err, RT_E_USAGE, _("a section must end after it starts"));
    if (has_section && video->duration > 0 && opts.section_start >= video->duration) {
        char from[32], length[32];
        clock_text(opts.section_start, from, sizeof from);
        clock_text(video->duration, length, sizeof length);
        return rt__fail(err, RT_E_USAGE, _("the section starts at %s, after the video ends (%s)"),
                        from, length);
    }
    if (opts.split_chapters && has_section)
        return rt__fail(err, RT_E_USAGE, _("a video is split into its chapters or cut to a "
                                           "section, not both"));
    if (opts.split_chapters && !rt__container_muxer(opts.container))
        return rt__fail(err, RT_E_USAGE,
                        _("chapters cannot be cut out of a .%s file, which keeps the segments as "
                          "served; choose MP4, MKV or an audio format"),
                        rt_container_extension(opts.container));
    if (video->on_air && (has_section || opts.split_chapters))
        return rt__fail(err, RT_E_USAGE,
                        _("a live stream is recorded as it comes: no section of it, nor one file "
                          "per chapter"));
    if (!(opts.live_duration >= 0))
        return rt__fail(err, RT_E_USAGE, _("a recording cannot last %g s"), opts.live_duration);
    bool split = opts.split_chapters && video->chapter_count > 0;
    /* A part of a file is cut from it by the remux. */
    as_served = as_served && !has_section && !split;
    const char *ext = as_served ? "mp4" : rt_container_extension(opts.container);
    enum rt_code result = rt_filename_from_template(
        opts.output_template, video, format, ext, opts.restrict_filenames, name, sizeof name, err);
    if (result != RT_OK)
        return result;
    if (has_section && (result = add_section_suffix(name, sizeof name, ext, &opts, err)) != RT_OK)
        return result;

    struct rt_download *d = calloc(1, sizeof *d);
    if (!d)
        return rt__fail(err, RT_E_NOMEM, NULL);
    d->client = client;
    d->video = video;
    d->format_index = format_index;
    d->container = opts.container;
    d->is_file = is_file;
    d->overwrite = opts.overwrite;
    d->restrict_filenames = opts.restrict_filenames;
    d->at = &d->whole;
    d->has_section = has_section;
    d->section_start = has_section ? opts.section_start : 0;
    d->section_end = has_section && opts.section_end > 0 ? opts.section_end : HUGE_VAL;
    /* Only where the container has a place for them (a raw MPEG-TS stream has none). */
    d->embed_thumbnail =
        opts.embed_thumbnail && rt__container_holds(opts.container, RT_HOLDS_COVER) && !as_served;
    d->embed_subs =
        opts.embed_subs && rt__container_subtitle_codec(opts.container) != NULL && !is_file;
    d->embed_chapters = opts.embed_chapters && video->chapter_count > 0 &&
                        rt__container_holds(opts.container, RT_HOLDS_CHAPTERS) && !as_served &&
                        !split; /* a chapter's own file is one chapter */
    d->no_continue = opts.no_continue;
    d->progress = opts.progress;
    d->progress_data = opts.progress_data;
    atomic_init(&d->cancel, false);
    atomic_init(&d->stop, false);
    d->live_duration = opts.live_duration;
    d->live_from_start = opts.live_from_start;
    d->sub_langs = strdup(opts.sub_langs ? opts.sub_langs : "");
    const char *dir = opts.output_dir && *opts.output_dir ? opts.output_dir : ".";
    if (!d->sub_langs || make_paths(d, dir, name, ext) != RT_OK ||
        (split && make_chapter_paths(d, ext) != RT_OK)) {
        rt_download_free(d);
        return rt__fail(err, RT_E_NOMEM, NULL);
    }
    d->extras = (struct rt__extras){
        .client = client,
        .video = video,
        .format = format,
        .cancel = &d->cancel,
        .path = d->whole.path,
        .base = d->whole.base,
        .sub_langs = d->sub_langs,
        .overwrite = d->overwrite,
        .write_thumbnail = opts.write_thumbnail,
        .write_subs = opts.write_subs,
        .write_info_json = opts.write_info_json,
    };
    *out = d;
    return RT_OK;
}

const char *rt_download_path(const struct rt_download *download)
{
    return rt_download_file_path(download, 0);
}

size_t rt_download_file_count(const struct rt_download *download)
{
    return !download ? 0 : download->chapters ? download->chapter_count : 1;
}

const char *rt_download_file_path(const struct rt_download *download, size_t index)
{
    if (!download || index >= rt_download_file_count(download))
        return NULL;
    return download->chapters ? download->chapters[index].path : download->whole.path;
}

/* Whether the chapter's file is there already and stays (no overwrite): it is not made. */
static bool chapter_stays(const struct rt_download *d, const struct target *t)
{
    struct rt_error ignored = {0};
    return rt__publish_check(t->path, d->overwrite, &ignored) == RT_E_EXISTS;
}

enum rt_code rt_download_check(const struct rt_download *download, struct rt_error *err)
{
    if (!download)
        return rt__fail(err, RT_E_USAGE, _("no download"));
    if (!download->chapters)
        return rt__publish_check(download->whole.path, download->overwrite, err);
    for (size_t i = 0; i < download->chapter_count; i++)
        if (!chapter_stays(download, &download->chapters[i]))
            return RT_OK;
    return rt__publish_check(download->chapters[0].path, download->overwrite, err);
}

void rt_download_cancel(struct rt_download *download)
{
    if (download) {
        atomic_store(&download->cancel, true);
        atomic_store(&download->stop, true); /* what a live recording's transfers watch */
    }
}

void rt_download_stop(struct rt_download *download)
{
    if (!download)
        return;
    atomic_store(&download->stop, true);
    if (!download->video->on_air)
        atomic_store(&download->cancel, true);
}

void rt_download_free(struct rt_download *download)
{
    if (!download)
        return;
    free(download->dir);
    free_target(&download->whole);
    for (size_t i = 0; i < download->chapter_count; i++)
        free_target(&download->chapters[i]);
    free(download->chapters);
    free(download->sub_langs);
    free(download);
}

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

/* The sink's checkpoint: the state file follows the flushed .part. */
struct checkpoint {
    struct rt_download *d;
    struct rt__resume state;
    bool warned;
    const struct rt__live_job *live; /* a live recording: its segments' numbers */
};

static void save_checkpoint(size_t segments, uint64_t bytes, void *data)
{
    struct checkpoint *c = data;
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
                                  struct rt_error *err)
{
    const char *const *mirrors = (const char *const *)format->mirrors;
    enum rt_code result;
    if (format->is_file) {
        result = rt__source_file(d->client, mirrors, format->mirror_count, &d->cancel, media,
                                 ranges, err);
        media->duration = d->video->duration;
    } else {
        result =
            rt__source_playlist(d->client, mirrors, format->mirror_count, &d->cancel, media, err);
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
            clock_text(d->section_start, from, sizeof from);
            clock_text(all->duration, length, sizeof length);
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
static rt_progress_fn progress_fn(struct rt_download *d, void **data)
{
    *data = d->chapters && d->progress ? (void *)d : d->progress_data;
    return d->chapters && d->progress ? chapter_progress : d->progress;
}

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
static enum rt_code record_live(struct rt_download *d, struct rt_error *err)
{
    const struct rt_format *format = &d->video->formats[d->format_index];
    struct checkpoint checkpoint = {.d = d};
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
    job.progress = progress_fn(d, &job.progress_data);
    checkpoint.live = &job;
    rt__sink_set_checkpoint(sink, save_checkpoint, &checkpoint, 1.0);
    double started = rt__http_now();
    result = rt__live_record(&job, err);
    if (result == RT_OK && job.segments == 0)
        result = rt__fail(err, RT_E_CANCELLED, _("stopped before a segment of the live stream "
                                                 "was recorded"));
    if (result == RT_OK)
        result = rt__sink_finish(sink, err);
    if (result == RT_OK) {
        save_checkpoint(job.segments, rt__sink_written(sink), &checkpoint);
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

/* What a remux is asked to make, and what its job points into. */
struct remux_plan {
    struct rt__mux_job job;
    struct rt__mux_subtitle tracks[64];
    struct rt__mux_tag tags[RT__MUX_TAGS];
    char date[11], track[48];
    struct rt_chapter *part_chapters;
    char *tmp;                     /* <path>.remux.part */
    struct rt__mux_stream *stream; /* the remux while the segments arrive, or NULL */
    /* The download complete, its .part not yet flushed nor its state told (fetch_stream()):
     * what settle_part() does should the .part outlive the remux. */
    bool unsettled;
    struct checkpoint complete;
    size_t segments;
    uint64_t bytes;
};

/* The job for d->at, into `p` (zeroed). False when out of memory. */
static bool plan_remux(struct rt_download *d, const struct rt__buf *cover,
                       const struct rt__subtitle_file *subs, size_t sub_count,
                       struct remux_plan *p)
{
    for (size_t i = 0; i < sub_count && i < 64; i++)
        p->tracks[i] =
            (struct rt__mux_subtitle){subs[i].caption->lang, subs[i].caption->name, &subs[i].cues};
    if (!(p->tmp = concat3(d->at->path, ".remux.part", "")))
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
        .progress = progress_fn(d, &progress_data),
        .progress_data = progress_data,
    };
    return true;
}

static void free_plan(struct remux_plan *p)
{
    rt__mux_stream_free(p->stream);
    free(p->tmp);
    free(p->part_chapters);
}

/* The remux's result made into the file; on failure what was fetched is kept as <base>.ts. */
static enum rt_code conclude_remux(struct rt_download *d, struct remux_plan *p,
                                   enum rt_code result, const struct rt_error *problem,
                                   struct rt_error *err)
{
    if (result == RT_OK) {
        result = rt__publish(p->tmp, d->at->path, d->overwrite, err);
        if (result == RT_OK)
            unlink(d->at->part_path);
        else
            unlink(p->tmp);
    } else if (result == RT_E_REMUX) {
        /* Nothing fetched is lost: the stream gets a name a player opens (fragmented MP4
         * plays as an .mp4, which the final name would have been). */
        char *ts = concat3(d->at->base, d->fragmented ? ".frag.mp4" : ".ts", "");
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
static enum rt_code run_remux(struct rt_download *d, struct remux_plan *p, struct rt_error *err)
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
static enum rt_code remux(struct rt_download *d, const struct rt__buf *cover,
                          const struct rt__subtitle_file *subs, size_t sub_count,
                          struct rt_error *err)
{
    struct remux_plan plan = {0};
    enum rt_code result = plan_remux(d, cover, subs, sub_count, &plan)
                              ? run_remux(d, &plan, err)
                              : rt__fail(err, RT_E_NOMEM, NULL);
    free_plan(&plan);
    return result;
}

/*
 * Whether d->at's MP4 may be made while its segments arrive (media/mux_stream.h): our own
 * writer's job, so no cover or subtitles to embed (they go to libavformat), MPEG-TS segments
 * (fetch_stream() checks that they are not fragments), no live recording, no file saved as
 * served. RUTUBE_DL_REMUX_AFTER_DOWNLOAD=1 in the environment turns it off, for the tests that
 * compare the two (tests/integration/test_mp4.sh).
 */
static bool remux_while_fetching(const struct rt_download *d)
{
    const char *after = getenv("RUTUBE_DL_REMUX_AFTER_DOWNLOAD");
    if (after && *after && strcmp(after, "0") != 0)
        return false;
    return d->container == RT_CONTAINER_MP4 && !d->is_file && !d->video->on_air &&
           !d->embed_thumbnail && !(d->embed_subs && d->video->caption_count > 0);
}

/* fetch_stream() with the sink open: the remux starts on its thread, reading what is whole. */
static void start_early_remux(struct rt_download *d, struct remux_plan *p, struct rt__sink *sink)
{
    if (d->fragmented || !plan_remux(d, NULL, NULL, 0, p))
        return;
    if ((p->stream = rt__mux_stream_start(&p->job)))
        rt__sink_publish_to(sink, rt__mux_stream_input(p->stream));
}

/*
 * The .part flushed and its state saying it is complete, as fetch_stream() leaves it when the
 * remux comes after the download. Put off while the MP4 is made from it: on success the .part
 * is deleted a moment later, and the flush (tens of milliseconds here, for nothing) would
 * only delay the file; until then the state claims no more than the last checkpoint flushed.
 * Done when the .part stays (kept after a failure, or renamed to .ts) so that it is whole on
 * disk and the next run goes straight to the remux, as before.
 */
static void settle_part(struct rt_download *d, struct remux_plan *p)
{
    if (!p->unsettled)
        return;
    p->unsettled = false;
    int fd = open(d->at->part_path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    bool flushed = fdatasync(fd) == 0;
    close(fd);
    if (flushed)
        save_checkpoint(p->segments, p->bytes, &p->complete);
}

/* The download done, the remux that ran beside it finished. Declined (an unusual stream) or
 * failed (disk, memory), the remux is done again after the download: nothing fetched is lost. */
static enum rt_code finish_early_remux(struct rt_download *d, struct remux_plan *p,
                                       struct rt_error *err)
{
    struct rt_error problem = {0};
    double started = rt__http_now(), share;
    bool declined;
    char why[128];
    enum rt_code result = rt__mux_stream_end(p->stream, &share, &declined, why, sizeof why,
                                             &problem);
    if (result == RT_OK && !declined) {
        rt__log(d->client, RT_LOG_INFO,
                "video %s: remuxed into mp4, %.0f%% while downloading, the rest in %.2f s",
                d->video->id, share * 100, rt__http_now() - started);
        result = conclude_remux(d, p, result, &problem, err);
        settle_part(d, p); /* when the file could not take its name, the .part stays */
        return result;
    }
    settle_part(d, p);
    if (result == RT_E_CANCELLED)
        return conclude_remux(d, p, result, &problem, err);
    if (declined) {
        rt__log(d->client, RT_LOG_INFO, "remuxing with libavformat instead: %s", why);
        p->job.general_only = true; /* our writer would step aside again */
    } else {
        rt__log(d->client, RT_LOG_INFO, "video %s: the remux while downloading failed (%s); "
                "remuxing after it", d->video->id, problem.message);
    }
    return run_remux(d, p, err);
}

/* Segments into <path>.part, in playlist order, continuing a matching earlier run; with
 * `early`, the MP4 made from them as they arrive where it can be (remux_while_fetching()). */
static enum rt_code fetch_stream(struct rt_download *d, struct remux_plan *early,
                                 struct rt_error *err)
{
    if (d->video->on_air)
        return record_live(d, err);
    const struct rt_format *format = &d->video->formats[d->format_index];
    struct rt__media media = {0};
    struct rt__range *ranges = NULL;
    struct rt__sink *sink = NULL;
    const char **refs = NULL;
    struct checkpoint checkpoint = {.d = d};

    struct rt__media all = {0};
    enum rt_code result = find_segments(d, format, &all, &ranges, err);
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
    size_t first = rt__resume_plan(d->client, d->at->part_path, d->at->state_path, &checkpoint.state,
                                   d->no_continue, &resume_bytes);
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
    rt_progress_fn report = progress_fn(d, &report_data);
    double started = rt__http_now();
    result = rt__sink_open(d->at->part_path, resume_bytes, first, &sink, err);
    if (result != RT_OK)
        goto out;
    rt__sink_set_checkpoint(sink, save_checkpoint, &checkpoint, 1.0);
    if (early)
        start_early_remux(d, early, sink);
    if (first < media.count)
        result =
            rt__fetch_run(d->client, &plan, sink, &d->cancel, report, report_data, err);
    bool streaming = early && early->stream;
    if (result == RT_OK)
        result = streaming ? rt__sink_finish_unflushed(sink, err) : rt__sink_finish(sink, err);
    if (streaming && result == RT_OK)
        rt__mux_stream_complete(early->stream, rt__sink_written(sink));
    else if (streaming)
        rt__mux_stream_abandon(early->stream); /* its output removed before the .part is cut */
    if (streaming && result == RT_OK) {
        /* Flushed and told complete only should the .part outlive the remux (settle_part()). */
        early->unsettled = true;
        early->complete = checkpoint;
        early->segments = media.count;
        early->bytes = rt__sink_written(sink);
    } else if (result == RT_OK) {
        /* Complete: should the remux be interrupted, a new run goes straight to it. */
        save_checkpoint(media.count, rt__sink_written(sink), &checkpoint);
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
        if (kept > 0)
            rt__error_append(err,
                             "; %zu of %zu segments are kept in %s: run the same command again "
                             "to continue",
                             kept, media.count, d->at->part_path);
    }
out:
    rt__sink_free(sink);
    free(refs);
    free(ranges);
    free(media.segments); /* a view of all's */
    rt__media_cleanup(&all);
    return result;
}

/* The stream of d->at fetched and made into its file. The extras are fetched once, for the
 * first file made; `*extras_fetched` says whether they were. */
static enum rt_code make_target(struct rt_download *d, struct rt__buf *thumbnail,
                                struct rt__subtitle_file **subs, size_t *sub_count,
                                bool *extras_fetched, struct rt_error *err)
{
    const struct rt__extras *extras = &d->extras;
    struct remux_plan early = {0};
    enum rt_code result = fetch_stream(d, remux_while_fetching(d) ? &early : NULL, err);
    if (result != RT_OK) {
        free_plan(&early);
        return result;
    }
    if (!*extras_fetched) {
        *extras_fetched = true;
        if (d->embed_thumbnail || extras->write_thumbnail)
            rt__extras_fetch_thumbnail(extras, thumbnail);
        if ((d->embed_subs || extras->write_subs) && d->video->caption_count > 0) {
            if (!(*subs = calloc(d->video->caption_count, sizeof **subs))) {
                free_plan(&early);
                return rt__fail(err, RT_E_NOMEM, NULL);
            }
            *sub_count = rt__extras_fetch_subtitles(extras, *subs, d->embed_subs);
        }
    }
    bool as_served = d->is_file && rt_container_has_video(d->container) && !d->has_section;
    if (!rt__container_muxer(d->container) || as_served)
        result = rt__publish(d->at->part_path, d->at->path, d->overwrite, err);
    else if (early.stream)
        result = finish_early_remux(d, &early, err);
    else
        result = remux(d, d->embed_thumbnail ? thumbnail : NULL, *subs,
                       d->embed_subs ? *sub_count : 0, err);
    if (access(d->at->part_path, F_OK) != 0)
        unlink(d->at->state_path); /* the .part became a file: nothing left to continue */
    free_plan(&early);
    return result;
}

/* split_chapters: each chapter as a section of its own, into its own file; those already
 * there stay. The first failure stops: what it fetched is kept for the next run. */
static enum rt_code make_chapters(struct rt_download *d, struct rt__buf *thumbnail,
                                  struct rt__subtitle_file **subs, size_t *sub_count,
                                  struct rt_error *err)
{
    bool extras_fetched = false;
    enum rt_code result = RT_OK;
    d->has_section = true;
    for (size_t i = 0; result == RT_OK && i < d->chapter_count; i++) {
        d->at = &d->chapters[i];
        if (chapter_stays(d, d->at)) {
            rt__log(d->client, RT_LOG_INFO, "video %s: %s is there already", d->video->id,
                    d->at->path);
            continue;
        }
        d->section_start = d->at->chapter->start;
        /* The last to the stream's end, whatever the description thought the length was. */
        d->section_end = i + 1 < d->chapter_count ? d->at->chapter->end : HUGE_VAL;
        rt__log(d->client, RT_LOG_INFO, "video %s: chapter %zu of %zu, \"%s\"", d->video->id,
                i + 1, d->chapter_count, d->at->chapter->title);
        result = make_target(d, thumbnail, subs, sub_count, &extras_fetched, err);
        struct stat st;
        if (result == RT_OK && stat(d->at->path, &st) == 0)
            d->done_bytes += (uint64_t)st.st_size;
        d->done_segments += d->last_segment_count;
    }
    d->at = &d->chapters[0];
    return result;
}

static enum rt_code run(struct rt_download *d, struct rt_error *err)
{
    struct rt__buf thumbnail;
    struct rt__subtitle_file *subs = NULL;
    size_t sub_count = 0;
    bool extras_fetched = false;
    if (atomic_load(&d->cancel))
        return rt__fail(err, RT_E_CANCELLED, NULL);
    enum rt_code result = rt_download_check(d, err);
    if (result == RT_OK)
        result = rt__publish_make_dirs(d->dir, err);
    if (result != RT_OK)
        return result;
    rt__buf_init(&thumbnail, RT_EXTRAS_THUMBNAIL_MAX);
    if (d->chapters)
        result = make_chapters(d, &thumbnail, &subs, &sub_count, err);
    else
        result = make_target(d, &thumbnail, &subs, &sub_count, &extras_fetched, err);
    if (result == RT_OK)
        rt__extras_write(&d->extras, &thumbnail, subs, sub_count);
    rt__extras_free_subtitles(subs, sub_count);
    rt__buf_cleanup(&thumbnail);
    return result;
}

enum rt_code rt_download_run(struct rt_download *d, struct rt_error *err)
{
    if (!d)
        return rt__fail(err, RT_E_USAGE, _("no download"));
    enum rt_code result = run(d, err);
    rt__error_about(err, _("video %s"), d->video->id);
    return result;
}
