/* One download from start to end: its names, the public calls, and the run that makes each
 * file (the stream, the remux, the extras, the final name) with the files beside it. */
#include "download.h"

#include "base/abi.h"
#include "base/buf.h"
#include "base/errors.h"
#include "base/i18n.h"
#include "media/container.h"
#include "output/extras.h"
#include "output/publish.h"
#include "output/section.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
char *rt__download_concat3(const char *a, const char *b, const char *c)
{
    size_t size = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(size);
    if (s)
        snprintf(s, size, "%s%s%s", a, b, c);
    return s;
}

/* A target's names from its final path (taken). */
enum rt_code rt__download_name_target(struct rt__download_target *t, char *path, const char *ext)
{
    t->path = path;
    if (!t->path)
        return RT_E_NOMEM;
    t->part_path = rt__download_concat3(t->path, ".part", "");
    t->state_path = rt__download_concat3(t->path, ".part.state", "");
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

static void free_target(struct rt__download_target *t)
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
    if (rt__download_name_target(
            &d->whole, name[0] == '/' ? strdup(name) : rt__download_concat3(dir, sep, name), ext) !=
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

/* The time `seconds` as a person reads it, for messages. */
void rt__download_clock_text(double seconds, char *out, size_t size)
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
        rt__download_clock_text(opts.section_start, from, sizeof from);
        rt__download_clock_text(video->duration, length, sizeof length);
        return rt__fail(err, RT_E_USAGE, _("the section starts at %s, after the video ends (%s)"),
                        from, length);
    }
    if (opts.split_chapters && has_section)
        return rt__fail(err, RT_E_USAGE,
                        _("a video is split into its chapters or cut to a "
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
        (split && rt__download_make_chapter_paths(d, ext) != RT_OK)) {
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

enum rt_code rt_download_check(const struct rt_download *download, struct rt_error *err)
{
    if (!download)
        return rt__fail(err, RT_E_USAGE, _("no download"));
    if (!download->chapters)
        return rt__publish_check(download->whole.path, download->overwrite, err);
    for (size_t i = 0; i < download->chapter_count; i++)
        if (!rt__download_chapter_stays(download, &download->chapters[i]))
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

/* The stream of d->at fetched and made into its file. The extras are fetched once, for the
 * first file made; `*extras_fetched` says whether they were. */
enum rt_code rt__download_make_target(struct rt_download *d, struct rt__buf *thumbnail,
                                      struct rt__subtitle_file **subs, size_t *sub_count,
                                      bool *extras_fetched, struct rt_error *err)
{
    const struct rt__extras *extras = &d->extras;
    struct rt__download_remux_plan early = {0};
    bool remux_while_fetching = rt__download_remux_while_fetching(d);
    /* A cover the MP4 made while downloading embeds is fetched first, beside the media
     * playlist: its bytes go into the moov, whose room is chosen as the first samples are
     * written. */
    bool cover_first = remux_while_fetching && d->embed_thumbnail && !*extras_fetched;
    struct rt__extras_thumbnail cover_call;
    if (cover_first) {
        rt__buf_reset(thumbnail);
        if (rt__extras_thumbnail_begin(extras, thumbnail, &cover_call))
            early.cover_call = &cover_call; /* made with the media playlist's request */
    }
    early.cover = d->embed_thumbnail ? thumbnail : NULL;
    enum rt_code result;
    if (d->video->on_air)
        result = rt__download_record_live(d, err);
    else
        result = rt__download_fetch_stream(d, remux_while_fetching ? &early : NULL, err);
    if (result != RT_OK) {
        rt__download_free_plan(&early);
        return result;
    }
    if (!*extras_fetched) {
        *extras_fetched = true;
        if ((d->embed_thumbnail || extras->write_thumbnail) && !cover_first)
            rt__extras_fetch_thumbnail(extras, thumbnail);
        if ((d->embed_subs || extras->write_subs) && d->video->caption_count > 0) {
            if (!(*subs = calloc(d->video->caption_count, sizeof **subs))) {
                rt__download_free_plan(&early);
                return rt__fail(err, RT_E_NOMEM, NULL);
            }
            *sub_count = rt__extras_fetch_subtitles(extras, *subs, d->embed_subs);
        }
    }
    bool as_served = d->is_file && rt_container_has_video(d->container) && !d->has_section;
    if (!rt__container_muxer(d->container) || as_served)
        result = rt__publish(d->at->part_path, d->at->path, d->overwrite, err);
    else if (early.stream)
        result = rt__download_finish_early_remux(d, &early, err);
    else
        result = rt__download_remux(d, d->embed_thumbnail ? thumbnail : NULL, *subs,
                                    d->embed_subs ? *sub_count : 0, err);
    if (access(d->at->part_path, F_OK) != 0)
        unlink(d->at->state_path); /* the .part became a file: nothing left to continue */
    rt__download_free_plan(&early);
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
        result = rt__download_make_chapters(d, &thumbnail, &subs, &sub_count, err);
    else
        result = rt__download_make_target(d, &thumbnail, &subs, &sub_count, &extras_fetched, err);
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
