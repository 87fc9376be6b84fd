/* One download from start to end: media playlist, segments into <name>.part, remux, extras. */
#include "site/api.h"
#include "base/i18n.h"
#include "base/buf.h"
#include "base/errors.h"
#include "output/extras.h"
#include "hls/fetch.h"
#include "hls/hls.h"
#include "base/http.h"
#include "media/image.h"
#include "media/container.h"
#include "media/mux.h"
#include "output/tags.h"
#include "hls/resume.h"
#include "hls/sink.h"
#include "base/url.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A 24-hour video has ~22,000 segments, ~1.5 MB of playlist text. */
#define MEDIA_MAX_BYTES (16u << 20)

struct rt_download {
    struct rt_client *client;
    const struct rt_video *video;
    size_t format_index;
    char *dir;        /* the folder the file goes into (the template may add some) */
    char *path;       /* the final file */
    char *part_path;  /* <path>.part: the MPEG-TS stream while it downloads */
    char *base;       /* <path> without its extension, for the files beside it */
    char *state_path; /* <path>.part.state: what the .part holds, for resuming */
    bool no_continue; /* start over even when a matching .part is there */
    enum rt_container container;
    bool is_file; /* a progressive MP4 (Yappy): saved as fetched, no remux */
    bool overwrite;
    bool embed_thumbnail, write_thumbnail, embed_subs, write_subs, write_info_json;
    char *sub_langs;
    rt_progress_fn progress;
    void *progress_data;
    atomic_bool cancel;
    double duration; /* the media playlist's */
};

void rt_download_options_init(struct rt_download_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->output_dir = ".";
    opts->output_template = RT_DEFAULT_TEMPLATE;
    opts->container = RT_CONTAINER_MP4;
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

/* Where the files go: the template's result under the output folder (unless absolute). */
static enum rt_code make_paths(struct rt_download *d, const char *dir, const char *name)
{
    const char *sep = name[0] == '/' || !*dir || dir[strlen(dir) - 1] == '/' ? "" : "/";
    d->path = name[0] == '/' ? strdup(name) : concat3(dir, sep, name);
    if (!d->path)
        return RT_E_NOMEM;
    d->part_path = concat3(d->path, ".part", "");
    d->state_path = concat3(d->path, ".part.state", "");
    d->dir = strdup(d->path);
    d->base = strdup(d->path);
    if (!d->part_path || !d->state_path || !d->dir || !d->base)
        return RT_E_NOMEM;
    char *slash = strrchr(d->dir, '/');
    if (slash == d->dir)
        slash[1] = '\0'; /* "/name": the root */
    else if (slash)
        *slash = '\0';
    else
        strcpy(d->dir, ".");
    /* The stem of the files beside it: the name without ".<ext>" when it ends so. */
    const char *ext = rt_container_extension(d->container);
    size_t len = strlen(d->base), ext_len = strlen(ext);
    if (len > ext_len + 1 && d->base[len - ext_len - 1] == '.' &&
        strcmp(d->base + len - ext_len, ext) == 0)
        d->base[len - ext_len - 1] = '\0';
    return RT_OK;
}

enum rt_code rt_download_new(struct rt_client *client, const struct rt_video *video,
                             size_t format_index, const struct rt_download_options *opts,
                             struct rt_download **out, struct rt_error *err)
{
    struct rt_download_options defaults;
    char name[4096];
    if (!client || !video || !out)
        return rt__fail(err, RT_E_USAGE, _("rt_download_new needs a client, a video and a result"));
    *out = NULL;
    if (format_index >= video->format_count)
        return rt__fail(err, RT_E_USAGE, _("format %zu does not exist"), format_index);
    if (!opts) {
        rt_download_options_init(&defaults);
        opts = &defaults;
    }
    if (!rt__container_is_known(opts->container))
        return rt__fail(err, RT_E_USAGE, _("unknown container %d"), (int)opts->container);
    /* A progressive file is an MP4 already: it is saved as it comes. */
    bool is_file = video->formats[format_index].is_file;
    enum rt_code result =
        rt_filename_from_template(opts->output_template, video, &video->formats[format_index],
                                  is_file ? "mp4" : rt_container_extension(opts->container),
                                  opts->restrict_filenames, name, sizeof name, err);
    if (result != RT_OK)
        return result;

    struct rt_download *d = calloc(1, sizeof *d);
    if (!d)
        return rt__fail(err, RT_E_NOMEM, NULL);
    d->client = client;
    d->video = video;
    d->format_index = format_index;
    d->container = opts->container;
    d->is_file = is_file;
    d->overwrite = opts->overwrite;
    /* Only where the container has a place for them (a raw MPEG-TS stream has none). */
    d->embed_thumbnail =
        opts->embed_thumbnail && rt__container_holds(opts->container, RT_HOLDS_COVER) && !is_file;
    d->embed_subs =
        opts->embed_subs && rt__container_subtitle_codec(opts->container) != NULL && !is_file;
    d->write_thumbnail = opts->write_thumbnail;
    d->write_subs = opts->write_subs;
    d->write_info_json = opts->write_info_json;
    d->no_continue = opts->no_continue;
    d->progress = opts->progress;
    d->progress_data = opts->progress_data;
    atomic_init(&d->cancel, false);
    d->sub_langs = strdup(opts->sub_langs ? opts->sub_langs : "");
    const char *dir = opts->output_dir && *opts->output_dir ? opts->output_dir : ".";
    if (!d->sub_langs || make_paths(d, dir, name) != RT_OK) {
        rt_download_free(d);
        return rt__fail(err, RT_E_NOMEM, NULL);
    }
    *out = d;
    return RT_OK;
}

const char *rt_download_path(const struct rt_download *download)
{
    return download ? download->path : NULL;
}

void rt_download_cancel(struct rt_download *download)
{
    if (download)
        atomic_store(&download->cancel, true);
}

void rt_download_free(struct rt_download *download)
{
    if (!download)
        return;
    free(download->dir);
    free(download->path);
    free(download->part_path);
    free(download->base);
    free(download->state_path);
    free(download->sub_langs);
    free(download);
}

/* mkdir -p: every missing folder on the way. */
static enum rt_code make_dirs(const char *dir, struct rt_error *err)
{
    char *path = strdup(dir);
    if (!path)
        return rt__fail(err, RT_E_NOMEM, NULL);
    enum rt_code result = RT_OK;
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            result = rt__io_error(errno, N_("creating the folder"), path, err);
            break;
        }
        *p = saved;
        if (!saved)
            break;
    }
    struct stat st;
    if (result == RT_OK && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        result = rt__fail(err, RT_E_IO, _("%s is not a folder"), dir);
    free(path);
    return result;
}

/*
 * The media playlist, from the first mirror that serves a valid one: rt__http_get already
 * switches mirrors on network and HTTP failures; a malformed playlist is tried elsewhere too.
 */
static enum rt_code fetch_media(struct rt_download *d, const struct rt_format *format,
                                struct rt__media *media, struct rt_error *err)
{
    const char *what = _("media playlist");
    struct rt__buf body;
    long status;
    enum rt_code result = RT_E_BAD_PLAYLIST;
    rt__buf_init(&body, MEDIA_MAX_BYTES);

    size_t count = format->mirror_count < 16 ? format->mirror_count : 16;
    for (size_t first = 0; first < count; first++) {
        const char *urls[16];
        for (size_t k = 0; k < count; k++)
            urls[k] = format->mirrors[(first + k) % format->mirror_count];
        struct rt__request request = {urls, count, what, false, &d->cancel, NULL};
        struct rt_error attempt = {0};
        result = rt__http_get(d->client, &request, &body, &status, &attempt);
        if (result == RT_OK)
            result = rt__hls_parse_media(body.data ? body.data : "", body.len, media, &attempt);
        if (result == RT_OK || result != RT_E_BAD_PLAYLIST || first + 1 == count) {
            if (result != RT_OK)
                rt__fail(err, result, "%s", attempt.message);
            break;
        }
        rt__log(d->client, RT_LOG_INFO, "%s: %s; trying the next mirror", what, attempt.message);
    }
    rt__buf_cleanup(&body);
    return result;
}

/* A file is fetched in pieces of about this many per transfer slot, so that every slot has
 * work and a slow piece is small enough to race; within these bounds. */
#define FILE_PIECES_PER_SLOT 2
#define FILE_PIECE_MIN       (1u << 20)
#define FILE_PIECE_MAX       (16u << 20)

/*
 * A progressive file (a Yappy clip) laid out as segments: its size from a HEAD request, then
 * byte ranges when the server takes them. The "segments" are the pieces, each named by the
 * file's address and its length as duration, so a resume state recognises the same layout.
 * A server without ranges (or without a size) gets one plain GET for the whole file.
 */
static enum rt_code layout_file(struct rt_download *d, const struct rt_format *format,
                                struct rt__media *media, struct rt__range **ranges,
                                struct rt_error *err)
{
    const char *what = _("file size");
    struct rt__buf body;
    struct rt__head_info head = {-1, false};
    long status = 0;
    struct rt_error problem = {0};
    rt__buf_init(&body, 64 << 10);
    size_t count = format->mirror_count < 16 ? format->mirror_count : 16;
    struct rt__request request = {
        (const char *const *)format->mirrors, count, what, false, &d->cancel, &head};
    enum rt_code result = rt__http_get(d->client, &request, &body, &status, &problem);
    rt__buf_cleanup(&body);
    if (result == RT_E_CANCELLED || result == RT_E_NOMEM)
        return rt__fail(err, result, NULL);
    if (result != RT_OK) {
        rt__log(d->client, RT_LOG_INFO, "%s; fetching the file in one piece", problem.message);
        head.length = -1;
    }
    uint64_t total = head.length > 0 ? (uint64_t)head.length : 0;
    uint64_t piece = total / ((uint64_t)d->client->jobs * FILE_PIECES_PER_SLOT);
    piece = piece < FILE_PIECE_MIN   ? FILE_PIECE_MIN
            : piece > FILE_PIECE_MAX ? FILE_PIECE_MAX
                                     : piece;
    size_t pieces = head.ranges && total > 0 ? (size_t)((total + piece - 1) / piece) : 1;
    if (pieces == 1 && total > RT_FETCH_SEGMENT_MAX)
        return rt__fail(err, RT_E_UNSUPPORTED,
                        _("the file is %llu MiB and its server does not send it in pieces; "
                          "files over %u MiB need that"),
                        (unsigned long long)(total >> 20), RT_FETCH_SEGMENT_MAX >> 20);
    media->segments = calloc(pieces, sizeof *media->segments);
    *ranges = pieces > 1 || (head.ranges && total > 0) ? calloc(pieces, sizeof **ranges) : NULL;
    if (!media->segments || (head.ranges && total > 0 && !*ranges))
        return rt__fail(err, RT_E_NOMEM, NULL);
    for (size_t i = 0; i < pieces; i++) {
        uint64_t start = (uint64_t)i * piece;
        uint64_t length = total ? (total - start < piece ? total - start : piece) : 0;
        if (*ranges)
            (*ranges)[i] = (struct rt__range){start, length};
        media->segments[i].duration = (double)length;
        if (!(media->segments[i].ref = strdup(format->mirrors[0])))
            return rt__fail(err, RT_E_NOMEM, NULL);
        media->count++;
    }
    media->duration = d->video->duration;
    rt__log(d->client, RT_LOG_DEBUG, "video %s: a %llu-byte file in %zu pieces", d->video->id,
            (unsigned long long)total, pieces);
    return RT_OK;
}

/* Every segment address must resolve to http(s) before anything is written. */
static enum rt_code check_segments(const struct rt__media *media, const char *base,
                                   struct rt_error *err)
{
    for (size_t i = 0; i < media->count; i++) {
        char *url = NULL;
        enum rt_code result = rt__url_resolve(base, media->segments[i].ref, &url, err);
        free(url);
        if (result != RT_OK)
            return result;
    }
    return RT_OK;
}

/* Give the finished file its name, never replacing an existing one unless asked. */
static enum rt_code publish(struct rt_download *d, const char *from, struct rt_error *err)
{
    if (d->overwrite) {
        if (rename(from, d->path) != 0)
            return rt__io_error(errno, N_("renaming to"), d->path, err);
        return RT_OK;
    }
    if (renameat2(AT_FDCWD, from, AT_FDCWD, d->path, RENAME_NOREPLACE) == 0)
        return RT_OK;
    if (errno == EEXIST)
        return rt__fail(err, RT_E_EXISTS,
                        _("%s appeared while downloading; the download is kept as %s"), d->path,
                        from);
    if (errno != EINVAL && errno != ENOSYS)
        return rt__io_error(errno, N_("renaming to"), d->path, err);
    /* No RENAME_NOREPLACE on this file system: a hard link fails on an existing name too. */
    if (link(from, d->path) != 0) {
        if (errno == EEXIST)
            return rt__fail(err, RT_E_EXISTS,
                            _("%s appeared while downloading; the download is kept as %s"), d->path,
                            from);
        return rt__io_error(errno, N_("renaming to"), d->path, err);
    }
    unlink(from);
    return RT_OK;
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

/*
 * Where to start: after the segments a matching state says the .part holds. A state for
 * another video, quality or playlist, a damaged one, or a .part without one means starting
 * over, said in a warning. Returns the segments (and their bytes) to keep.
 */
static size_t plan_resume(struct rt_download *d, const struct rt__resume *fresh, uint64_t *bytes)
{
    struct stat st;
    struct rt__resume saved;
    struct rt_error problem = {0};
    bool has_part = stat(d->part_path, &st) == 0 && S_ISREG(st.st_mode);
    enum rt_code loaded = rt__resume_load(d->state_path, &saved, &problem);
    bool has_state = loaded == RT_OK || loaded == RT_E_BAD_RESPONSE;
    *bytes = 0;
    if (d->no_continue) {
        if (has_part)
            rt__log(d->client, RT_LOG_INFO, "not continuing %s, as asked; starting over",
                    d->part_path);
        return 0;
    }
    if (!has_part) {
        if (has_state)
            rt__log(d->client, RT_LOG_WARN, _("%s has no %s beside it; starting over"),
                    d->state_path, d->part_path);
        return 0;
    }
    if (loaded == RT_E_BAD_RESPONSE) {
        rt__log(d->client, RT_LOG_WARN, _("%s; starting over"), problem.message);
        return 0;
    }
    if (!has_state) {
        if (st.st_size > 0)
            rt__log(d->client, RT_LOG_WARN,
                    _("%s has no state file beside it, so it cannot be trusted; starting over"),
                    d->part_path);
        return 0;
    }
    if (!rt__resume_matches(&saved, fresh)) {
        rt__log(d->client, RT_LOG_WARN,
                _("%s holds another video, quality or playlist than this one; starting over"),
                d->part_path);
        return 0;
    }
    if ((uint64_t)st.st_size < saved.bytes_done) {
        rt__log(d->client, RT_LOG_WARN, _("%s is shorter than its state says; starting over"),
                d->part_path);
        return 0;
    }
    if (saved.segments_done > 0)
        rt__log(d->client, RT_LOG_INFO, "continuing %s: %zu of %zu segments (%.1f MiB) are there",
                d->part_path, saved.segments_done, saved.segment_count,
                (double)saved.bytes_done / (1 << 20));
    *bytes = saved.bytes_done;
    return saved.segments_done;
}

/* The sink's checkpoint: the state file follows the flushed .part. */
struct checkpoint {
    struct rt_download *d;
    struct rt__resume state;
    bool warned;
};

static void save_checkpoint(size_t segments, uint64_t bytes, void *data)
{
    struct checkpoint *c = data;
    struct rt_error problem = {0};
    c->state.segments_done = segments;
    c->state.bytes_done = bytes;
    if (rt__resume_save(c->d->state_path, &c->state, &problem) != RT_OK && !c->warned) {
        c->warned = true; /* once: the download goes on, only resuming would be lost */
        rt__log(c->d->client, RT_LOG_WARN, _("%s; an interruption could not be resumed"),
                problem.message);
    }
}

/* Add to a failure's message what was kept and how to go on. */
static void say_what_is_kept(struct rt_download *d, size_t segments, size_t total,
                             struct rt_error *err)
{
    if (segments > 0)
        rt__error_append(err,
                         "; %zu of %zu segments are kept in %s: run the same command again to "
                         "continue",
                         segments, total, d->part_path);
}

/* Segments into <path>.part, in playlist order, continuing a matching earlier run. */
static enum rt_code fetch_stream(struct rt_download *d, struct rt_error *err)
{
    const struct rt_format *format = &d->video->formats[d->format_index];
    struct rt__media media = {0};
    struct rt__sink *sink = NULL;
    const char **refs = NULL;
    struct checkpoint checkpoint;
    memset(&checkpoint, 0, sizeof checkpoint);
    checkpoint.d = d;

    struct rt__range *ranges = NULL;
    enum rt_code result = format->is_file ? layout_file(d, format, &media, &ranges, err)
                                          : fetch_media(d, format, &media, err);
    if (result == RT_OK)
        result = check_segments(&media, format->mirrors[0], err);
    if (result == RT_OK && !(refs = malloc(media.count * sizeof *refs)))
        result = rt__fail(err, RT_E_NOMEM, NULL);
    if (result != RT_OK)
        goto out;
    rt__log(d->client, RT_LOG_DEBUG, "video %s: %zu segments, %.1f s", d->video->id, media.count,
            media.duration);
    d->duration = media.duration;
    describe_state(d, &media, &checkpoint.state);
    uint64_t resume_bytes;
    size_t first = plan_resume(d, &checkpoint.state, &resume_bytes);
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
    double started = rt__http_now();
    result = rt__sink_open(d->part_path, resume_bytes, first, &sink, err);
    if (result != RT_OK)
        goto out;
    rt__sink_set_checkpoint(sink, save_checkpoint, &checkpoint, 1.0);
    if (first < media.count)
        result =
            rt__fetch_run(d->client, &plan, sink, &d->cancel, d->progress, d->progress_data, err);
    if (result == RT_OK)
        result = rt__sink_finish(sink, err);
    if (result == RT_OK) {
        /* Complete: should the remux be interrupted, a new run goes straight to it. */
        save_checkpoint(media.count, rt__sink_written(sink), &checkpoint);
        rt__log(d->client, RT_LOG_INFO, "video %s: fetched %zu segments, %.1f MiB, in %.2f s",
                d->video->id, media.count - first, (double)rt__sink_written(sink) / (1 << 20),
                rt__http_now() - started);
    } else if (rt__sink_written(sink) == 0) {
        unlink(d->part_path); /* nothing fetched: no litter */
        unlink(d->state_path);
    } else {
        /* Keep what is whole, and say so: the next run continues from there. */
        rt__sink_checkpoint(sink, NULL);
        say_what_is_kept(d, rt__sink_next(sink), media.count, err);
    }
out:
    rt__sink_free(sink);
    free(refs);
    free(ranges);
    rt__media_cleanup(&media);
    return result;
}

/* The subtitle tracks the options choose, fetched (and parsed when they are to be embedded).
 * A track that cannot be had is a warning. */
static size_t fetch_subtitles(struct rt_download *d, struct rt__subtitle_file *files, bool parse)
{
    const struct rt_video *v = d->video;
    size_t count = 0;
    for (size_t i = 0; i < v->caption_count; i++) {
        const struct rt_caption *c = &v->captions[i];
        if (!rt__extras_lang_wanted(d->sub_langs, c->lang))
            continue;
        struct rt__subtitle_file *f = &files[count];
        struct rt_error problem = {0};
        char what[96];
        snprintf(what, sizeof what, _("%s subtitles"), c->lang);
        f->caption = c;
        rt__buf_init(&f->data, RT_EXTRAS_SUBTITLE_MAX);
        enum rt_code result =
            rt__extras_fetch(d->client, c->url, what, &d->cancel, &f->data, &problem);
        if (result == RT_OK) {
            f->format = rt__subs_sniff(f->data.data ? f->data.data : "", f->data.len);
            if (!f->format)
                result = rt__fail(&problem, RT_E_BAD_RESPONSE,
                                  _("%s: the file is neither WebVTT nor SubRip"), what);
        }
        if (result == RT_OK && parse)
            result = rt__subs_parse(f->data.data, f->data.len, &f->cues, &problem);
        if (result != RT_OK) {
            rt__log(d->client, RT_LOG_WARN, _("video %s: %s; going on without them"), v->id,
                    problem.message);
            rt__buf_cleanup(&f->data);
            rt__cues_cleanup(&f->cues);
            continue;
        }
        count++;
    }
    return count;
}

static void free_subtitles(struct rt__subtitle_file *files, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        rt__buf_cleanup(&files[i].data);
        rt__cues_cleanup(&files[i].cues);
    }
    free(files);
}

/* Copy the stream into the container; on failure keep what was fetched as <base>.ts. */
static enum rt_code remux(struct rt_download *d, const struct rt__buf *cover,
                          const struct rt__subtitle_file *subs, size_t sub_count,
                          struct rt_error *err)
{
    struct rt__mux_subtitle tracks[64];
    for (size_t i = 0; i < sub_count && i < 64; i++)
        tracks[i] =
            (struct rt__mux_subtitle){subs[i].caption->lang, subs[i].caption->name, &subs[i].cues};
    char *tmp = concat3(d->path, ".remux.part", "");
    if (!tmp)
        return rt__fail(err, RT_E_NOMEM, NULL);
    struct rt__mux_tag tags[RT__MUX_TAGS];
    char date[11];
    struct rt__mux_job job = {
        .input = d->part_path,
        .output = tmp,
        .container = d->container,
        .tags = tags,
        .tag_count = rt__tags_for_video(d->video, d->container, date, tags),
        .cover = cover && cover->len ? (const unsigned char *)cover->data : NULL,
        .cover_len = cover ? cover->len : 0,
        .subs = tracks,
        .sub_count = sub_count < 64 ? sub_count : 64,
        .expected_duration = d->duration,
        .client = d->client,
        .cancel = &d->cancel,
        .progress = d->progress,
        .progress_data = d->progress_data,
    };
    struct rt_error problem = {0};
    double started = rt__http_now();
    enum rt_code result = rt__mux_run(&job, &problem);
    if (result == RT_OK)
        rt__log(d->client, RT_LOG_INFO, "video %s: remuxed into %s in %.2f s", d->video->id,
                rt_container_extension(d->container), rt__http_now() - started);
    if (result == RT_OK) {
        result = publish(d, tmp, err);
        if (result == RT_OK)
            unlink(d->part_path);
        else
            unlink(tmp);
    } else if (result == RT_E_REMUX) {
        /* Nothing fetched is lost: the stream gets a name a player opens. */
        char *ts = concat3(d->base, ".ts", "");
        if (ts && renameat2(AT_FDCWD, d->part_path, AT_FDCWD, ts, RENAME_NOREPLACE) == 0)
            rt__fail(err, result, _("%s; the downloaded stream is kept as %s"), problem.message,
                     ts);
        else
            rt__fail(err, result, _("%s; the downloaded stream is kept as %s"), problem.message,
                     d->part_path);
        free(ts);
    } else {
        rt__fail(err, result, "%s", problem.message);
    }
    free(tmp);
    return result;
}

/* The files beside the video. Each failure is a warning: the video itself is done. */
static void write_extras(struct rt_download *d, struct rt__buf *thumbnail,
                         const struct rt__subtitle_file *subs, size_t sub_count)
{
    struct rt_error problem = {0};
    char *path = NULL;
    if (d->write_thumbnail && thumbnail->len > 0) {
        struct rt__image img =
            rt__image_sniff((const unsigned char *)thumbnail->data, thumbnail->len);
        path = concat3(d->base, ".", rt__image_extension(img.kind));
        if (path && rt__extras_write_file(path, thumbnail->data, thumbnail->len, d->overwrite,
                                          &problem) != RT_OK)
            rt__log(d->client, RT_LOG_WARN, _("thumbnail not written: %s"), problem.message);
        free(path);
    }
    for (size_t i = 0; d->write_subs && i < sub_count; i++) {
        rt_error_clear(&problem);
        char suffix[64];
        snprintf(suffix, sizeof suffix, ".%s.%s", subs[i].caption->lang, subs[i].format);
        path = concat3(d->base, suffix, "");
        if (path && rt__extras_write_file(path, subs[i].data.data, subs[i].data.len, d->overwrite,
                                          &problem) != RT_OK)
            rt__log(d->client, RT_LOG_WARN, _("subtitles not written: %s"), problem.message);
        free(path);
    }
    if (d->write_info_json) {
        rt_error_clear(&problem);
        char *text = rt__extras_info_json(d->video, &d->video->formats[d->format_index], d->path);
        path = concat3(d->base, ".info.json", "");
        if (text && path &&
            rt__extras_write_file(path, text, strlen(text), d->overwrite, &problem) != RT_OK)
            rt__log(d->client, RT_LOG_WARN, _("info JSON not written: %s"), problem.message);
        free(path);
        free(text);
    }
}

static void fetch_thumbnail(struct rt_download *d, struct rt__buf *thumbnail)
{
    struct rt_error problem = {0};
    if (!d->video->thumbnail_url || !*d->video->thumbnail_url) {
        rt__log(d->client, RT_LOG_WARN, _("video %s has no thumbnail"), d->video->id);
        return;
    }
    if (rt__extras_fetch(d->client, d->video->thumbnail_url, _("thumbnail"), &d->cancel, thumbnail,
                         &problem) != RT_OK) {
        rt__log(d->client, RT_LOG_WARN, _("video %s: %s; going on without it"), d->video->id,
                problem.message);
        rt__buf_reset(thumbnail);
    }
}

static enum rt_code run(struct rt_download *d, struct rt_error *err);

enum rt_code rt_download_run(struct rt_download *d, struct rt_error *err)
{
    if (!d)
        return rt__fail(err, RT_E_USAGE, _("no download"));
    enum rt_code result = run(d, err);
    rt__error_about(err, _("video %s"), d->video->id);
    return result;
}

static enum rt_code run(struct rt_download *d, struct rt_error *err)
{
    struct stat st;
    struct rt__buf thumbnail;
    struct rt__subtitle_file *subs = NULL;
    size_t sub_count = 0;
    if (atomic_load(&d->cancel))
        return rt__fail(err, RT_E_CANCELLED, NULL);
    if (!d->overwrite && lstat(d->path, &st) == 0)
        return rt__fail(err, RT_E_EXISTS, _("%s already exists"), d->path);
    enum rt_code result = make_dirs(d->dir, err);
    if (result == RT_OK)
        result = fetch_stream(d, err);
    if (result != RT_OK)
        return result;

    rt__buf_init(&thumbnail, RT_EXTRAS_THUMBNAIL_MAX);
    if (d->embed_thumbnail || d->write_thumbnail)
        fetch_thumbnail(d, &thumbnail);
    if ((d->embed_subs || d->write_subs) && d->video->caption_count > 0) {
        subs = calloc(d->video->caption_count, sizeof *subs);
        if (!subs)
            result = rt__fail(err, RT_E_NOMEM, NULL);
        else
            sub_count = fetch_subtitles(d, subs, d->embed_subs);
    }
    if (result == RT_OK && (!rt__container_muxer(d->container) || d->is_file))
        result = publish(d, d->part_path, err);
    else if (result == RT_OK)
        result = remux(d, d->embed_thumbnail ? &thumbnail : NULL, subs,
                       d->embed_subs ? sub_count : 0, err);
    if (access(d->part_path, F_OK) != 0)
        unlink(d->state_path); /* the .part became a file: nothing left to continue */
    if (result == RT_OK)
        write_extras(d, &thumbnail, subs, sub_count);
    free_subtitles(subs, sub_count);
    rt__buf_cleanup(&thumbnail);
    return result;
}
