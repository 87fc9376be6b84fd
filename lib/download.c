/* One download from start to end: media playlist, segments into <name>.part, rename. */
#include "api.h"
#include "buf.h"
#include "errors.h"
#include "fetch.h"
#include "hls.h"
#include "http.h"
#include "sink.h"
#include "url.h"

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
    char *dir, *path, *part_path;
    enum rt_container container;
    bool overwrite;
    rt_progress_fn progress;
    void *progress_data;
    atomic_bool cancel;
};

void rt_download_options_init(struct rt_download_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->output_dir = ".";
    opts->container = RT_CONTAINER_TS;
}

static const char *container_extension(enum rt_container container)
{
    switch (container) {
    case RT_CONTAINER_TS:
        return "ts";
    }
    return "ts";
}

static char *join_path(const char *dir, const char *name, const char *suffix)
{
    size_t size = strlen(dir) + strlen(name) + strlen(suffix) + 2;
    char *path = malloc(size);
    if (path)
        snprintf(path, size, "%s%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "",
                 name, suffix);
    return path;
}

enum rt_code rt_download_new(struct rt_client *client, const struct rt_video *video,
                             size_t format_index, const struct rt_download_options *opts,
                             struct rt_download **out, struct rt_error *err)
{
    struct rt_download_options defaults;
    char name[RT_FILENAME_MAX + 1];
    if (!client || !video || !out)
        return rt__fail(err, RT_E_USAGE, "rt_download_new needs a client, a video and a result");
    *out = NULL;
    if (format_index >= video->format_count)
        return rt__fail(err, RT_E_USAGE, "format %zu does not exist", format_index);
    if (!opts) {
        rt_download_options_init(&defaults);
        opts = &defaults;
    }
    const char *dir = opts->output_dir && *opts->output_dir ? opts->output_dir : ".";
    if (opts->output_name) {
        if (!*opts->output_name || strchr(opts->output_name, '/') ||
            strcmp(opts->output_name, ".") == 0 || strcmp(opts->output_name, "..") == 0)
            return rt__fail(err, RT_E_USAGE, "\"%s\" is not a file name", opts->output_name);
        snprintf(name, sizeof name, "%s", opts->output_name);
    } else if (rt_filename_from_title(video->title, video->id, container_extension(opts->container),
                                      name, sizeof name) != RT_OK) {
        return rt__fail(err, RT_E_USAGE, "cannot make a file name for video %s", video->id);
    }

    struct rt_download *d = calloc(1, sizeof *d);
    if (!d)
        return rt__fail(err, RT_E_NOMEM, NULL);
    d->client = client;
    d->video = video;
    d->format_index = format_index;
    d->container = opts->container;
    d->overwrite = opts->overwrite;
    d->progress = opts->progress;
    d->progress_data = opts->progress_data;
    atomic_init(&d->cancel, false);
    d->dir = strdup(dir);
    d->path = join_path(dir, name, "");
    d->part_path = join_path(dir, name, ".part");
    if (!d->dir || !d->path || !d->part_path) {
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
            result = rt__sink_io_error(errno, "creating the folder", path, err);
            break;
        }
        *p = saved;
        if (!saved)
            break;
    }
    struct stat st;
    if (result == RT_OK && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        result = rt__fail(err, RT_E_IO, "%s is not a folder", dir);
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
    char what[96];
    struct rt__buf body;
    long status;
    enum rt_code result = RT_E_BAD_PLAYLIST;
    snprintf(what, sizeof what, "video %s: media playlist", d->video->id);
    rt__buf_init(&body, MEDIA_MAX_BYTES);

    for (size_t first = 0; first < format->mirror_count; first++) {
        const char *urls[16];
        size_t count = format->mirror_count < 16 ? format->mirror_count : 16;
        for (size_t k = 0; k < count; k++)
            urls[k] = format->mirrors[(first + k) % format->mirror_count];
        struct rt__request request = {urls, count, what, false, &d->cancel};
        struct rt_error attempt = {0};
        result = rt__http_get(d->client, &request, &body, &status, &attempt);
        if (result == RT_OK)
            result = rt__hls_parse_media(body.data ? body.data : "", body.len, media, &attempt);
        if (result == RT_OK || result != RT_E_BAD_PLAYLIST || first + 1 == count) {
            if (result != RT_OK)
                rt__fail(err, result, "%s", attempt.message);
            break;
        }
        rt__log(d->client, RT_LOG_WARN, "%s: %s; trying the next mirror", what, attempt.message);
    }
    rt__buf_cleanup(&body);
    return result;
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
static enum rt_code publish(struct rt_download *d, struct rt_error *err)
{
    if (d->overwrite) {
        if (rename(d->part_path, d->path) != 0)
            return rt__sink_io_error(errno, "renaming to", d->path, err);
        return RT_OK;
    }
    if (renameat2(AT_FDCWD, d->part_path, AT_FDCWD, d->path, RENAME_NOREPLACE) == 0)
        return RT_OK;
    if (errno == EEXIST)
        return rt__fail(err, RT_E_EXISTS,
                        "%s appeared while downloading; the download is kept "
                        "as %s",
                        d->path, d->part_path);
    if (errno != EINVAL && errno != ENOSYS)
        return rt__sink_io_error(errno, "renaming to", d->path, err);
    /* No RENAME_NOREPLACE on this file system: a hard link fails on an existing name too. */
    if (link(d->part_path, d->path) != 0) {
        if (errno == EEXIST)
            return rt__fail(err, RT_E_EXISTS,
                            "%s appeared while downloading; the download is "
                            "kept as %s",
                            d->path, d->part_path);
        return rt__sink_io_error(errno, "renaming to", d->path, err);
    }
    unlink(d->part_path);
    return RT_OK;
}

static enum rt_code run(struct rt_download *d, struct rt__media *media, struct rt_error *err)
{
    const struct rt_format *format = &d->video->formats[d->format_index];
    struct rt__sink *sink = NULL;
    enum rt_code result;

    result = fetch_media(d, format, media, err);
    if (result != RT_OK)
        return result;
    result = check_segments(media, format->mirrors[0], err);
    if (result != RT_OK)
        return result;
    rt__log(d->client, RT_LOG_DEBUG, "video %s: %zu segments, %.1f s", d->video->id, media->count,
            media->duration);

    const char **refs = malloc(media->count * sizeof *refs);
    if (!refs)
        return rt__fail(err, RT_E_NOMEM, NULL);
    for (size_t i = 0; i < media->count; i++)
        refs[i] = media->segments[i].ref;
    struct rt__fetch_plan plan = {
        .count = media->count,
        .refs = refs,
        .mirror_count = format->mirror_count,
        .bases = (const char *const *)format->mirrors,
        .expected_bytes = (uint64_t)((double)format->bandwidth / 8.0 * media->duration),
        .video_id = d->video->id,
    };
    /* Twice the transfers: room to keep every connection busy while one slow segment holds
     * the head of the window. */
    result = rt__sink_open(d->part_path, 2 * (size_t)d->client->jobs, &sink, err);
    if (result == RT_OK)
        result =
            rt__fetch_run(d->client, &plan, sink, &d->cancel, d->progress, d->progress_data, err);
    if (result == RT_OK)
        result = rt__sink_finish(sink, err);
    if (result == RT_OK)
        result = publish(d, err);
    else if (sink && rt__sink_written(sink) == 0)
        unlink(d->part_path); /* nothing fetched: no litter */
    rt__sink_free(sink);
    free(refs);
    return result;
}

enum rt_code rt_download_run(struct rt_download *d, struct rt_error *err)
{
    struct rt__media media = {0};
    struct stat st;
    if (!d)
        return rt__fail(err, RT_E_USAGE, "no download");
    if (atomic_load(&d->cancel))
        return rt__fail(err, RT_E_CANCELLED, NULL);
    if (!d->overwrite && lstat(d->path, &st) == 0)
        return rt__fail(err, RT_E_EXISTS, "%s already exists", d->path);
    enum rt_code result = make_dirs(d->dir, err);
    if (result == RT_OK)
        result = run(d, &media, err);
    rt__media_cleanup(&media);
    return result;
}
