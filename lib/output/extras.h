/* What goes with a video besides its streams: thumbnail, subtitles, info JSON. */
#ifndef RT_LIB_EXTRAS_H
#define RT_LIB_EXTRAS_H

#include "base/buf.h"
#include "base/client.h"
#include "base/http.h"
#include "media/subs.h"

#include <stdatomic.h>

/* A thumbnail is a picture of a few hundred KB; subtitle files are text. */
#define RT_EXTRAS_THUMBNAIL_MAX (10u << 20)
#define RT_EXTRAS_SUBTITLE_MAX  (8u << 20)

/* One subtitle track, fetched. */
struct rt__subtitle_file {
    const struct rt_caption *caption; /* borrowed from the video */
    struct rt__buf data;
    const char *format;   /* "vtt" or "srt", from the content */
    struct rt__cues cues; /* filled only when embedding */
};

/* What goes with one download besides its streams, and where. Everything is borrowed. */
struct rt__extras {
    struct rt_client *client;
    const struct rt_video *video;
    const struct rt_format *format; /* the one saved, for the info JSON */
    const atomic_bool *cancel;      /* the download's; may be NULL */
    const char *path;               /* the video's file, as the info JSON names it */
    const char *base;               /* its path without ".<ext>": <base>.jpg, <base>.ru.vtt */
    const char *sub_langs;          /* see rt__extras_lang_wanted() */
    bool overwrite;                 /* replace files beside the video that are there */
    bool write_thumbnail, write_subs, write_info_json;
};

/* The video's thumbnail into `picture` (whose cap bounds it). A failure, or no thumbnail, is
 * a warning and leaves it empty. */
void rt__extras_fetch_thumbnail(const struct rt__extras *x, struct rt__buf *picture);

/* The same in two steps, so that its request can go with another one (rt__http_get_many()):
 * begin() makes `job`, false (a warning said so) when the video has no thumbnail; end() makes
 * the request itself if `ran` is still false, then judges it as rt__extras_fetch_thumbnail(). */
struct rt__extras_thumbnail {
    const char *urls[1];
    struct rt__request request;
    struct rt_error problem;
    struct rt__http_job job; /* into `picture` */
    bool ran;                /* set by whoever runs the job */
};
bool rt__extras_thumbnail_begin(const struct rt__extras *x, struct rt__buf *picture,
                                struct rt__extras_thumbnail *call);
void rt__extras_thumbnail_end(const struct rt__extras *x, struct rt__extras_thumbnail *call);

/* The subtitle tracks `sub_langs` chooses, fetched into `files` (room for every caption of
 * the video), their cues parsed too when `parse` (for embedding). A track that cannot be had
 * is a warning. Returns how many `files` hold; free them with rt__extras_free_subtitles(). */
size_t rt__extras_fetch_subtitles(const struct rt__extras *x, struct rt__subtitle_file *files,
                                  bool parse);
void rt__extras_free_subtitles(struct rt__subtitle_file *files, size_t count);

/* The files beside the video that `x` asks for: <base>.jpg (or .png...), <base>.<lang>.<fmt>,
 * <base>.info.json. Each failure is a warning: the video itself is done. */
void rt__extras_write(const struct rt__extras *x, const struct rt__buf *picture,
                      const struct rt__subtitle_file *subs, size_t sub_count);

/* Whether `lang` is chosen by `langs` ("ru,en"; NULL, "" or "all" choose every track). */
bool rt__extras_lang_wanted(const char *langs, const char *lang);

/*
 * GET a small resource (thumbnail, subtitle file) into `body`, whose cap bounds it.
 * Errors as rt__http_get(), with any status but 200 an RT_E_HTTP.
 */
enum rt_code rt__extras_fetch(struct rt_client *client, const char *url, const char *what,
                              const atomic_bool *cancel, struct rt__buf *body,
                              struct rt_error *err);

/*
 * Write `len` bytes to `path` through `<path>.part` and a rename, never replacing an existing
 * file unless `overwrite` (output/publish.h decides). Errors: RT_E_EXISTS, RT_E_IO,
 * RT_E_DISK_FULL.
 */
enum rt_code rt__extras_write_file(const char *path, const void *data, size_t len, bool overwrite,
                                   struct rt_error *err);

/*
 * The video's metadata as JSON text (yt-dlp's field names, and RuTube's where they differ):
 * id, title, description, author/uploader, duration, published/upload_date, views/view_count,
 * tags, category/categories, the chosen format, webpage_url, thumbnail, subtitles, chapters
 * ({start_time, end_time, title}, as yt-dlp writes them), filename.
 * Caller frees with free(). NULL when out of memory.
 */
char *rt__extras_info_json(const struct rt_video *video, const struct rt_format *format,
                           const char *filename);

#endif
