/* Thumbnail, subtitle files and info JSON: fetched small, written beside the video safely. */
#include "output/extras.h"
#include "base/i18n.h"

#include "base/errors.h"
#include "base/http.h"
#include "media/image.h"
#include "output/publish.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

bool rt__extras_lang_wanted(const char *langs, const char *lang)
{
    if (!langs || !*langs || strcasecmp(langs, "all") == 0)
        return true;
    size_t n = strlen(lang);
    for (const char *p = langs; *p;) {
        size_t len = strcspn(p, ",");
        /* "ru" also chooses "ru-RU". */
        if (len > 0 && len <= n && strncasecmp(p, lang, len) == 0 &&
            (lang[len] == '\0' || lang[len] == '-' || lang[len] == '_'))
            return true;
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}

enum rt_code rt__extras_fetch(struct rt_client *client, const char *url, const char *what,
                              const atomic_bool *cancel, struct rt__buf *body, struct rt_error *err)
{
    long status = 0;
    const char *urls[] = {url};
    struct rt__request request = {.urls = urls, .url_count = 1, .what = what, .cancel = cancel};
    return rt__http_get(client, &request, body, &status, err);
}

enum rt_code rt__extras_write_file(const char *path, const void *data, size_t len, bool overwrite,
                                   struct rt_error *err)
{
    enum rt_code result = rt__publish_check(path, overwrite, err);
    if (result != RT_OK)
        return result;
    size_t size = strlen(path) + 6;
    char *part = malloc(size);
    if (!part)
        return rt__fail(err, RT_E_NOMEM, NULL);
    snprintf(part, size, "%s.part", path);
    int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        result = rt__io_error(errno, N_("creating"), part, err);
        goto out;
    }
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, (const char *)data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            result = rt__io_error(n < 0 ? errno : EIO, N_("writing"), part, err);
            break;
        }
        done += (size_t)n;
    }
    if (close(fd) != 0 && result == RT_OK)
        result = rt__io_error(errno, N_("writing"), part, err);
    if (result == RT_OK)
        result = rt__publish(part, path, overwrite, err);
    if (result != RT_OK && result != RT_E_EXISTS)
        unlink(part); /* what appeared meanwhile leaves ours beside it, as the error says */
out:
    free(part);
    return result;
}

static void set_string(json_t *obj, const char *key, const char *value)
{
    if (value && *value)
        json_object_set_new(obj, key, json_string(value));
}

static json_t *format_object(const struct rt_format *f)
{
    json_t *o = json_object();
    char resolution[32];
    snprintf(resolution, sizeof resolution, "%dx%d", f->width, f->height);
    json_object_set_new(o, "resolution", json_string(resolution));
    json_object_set_new(o, "width", json_integer(f->width));
    json_object_set_new(o, "height", json_integer(f->height));
    json_object_set_new(o, "bandwidth", json_integer(f->bandwidth));
    if (f->frame_rate > 0)
        json_object_set_new(o, "frame_rate", json_real(f->frame_rate));
    set_string(o, "codecs", f->codecs);
    return o;
}

char *rt__extras_info_json(const struct rt_video *v, const struct rt_format *format,
                           const char *filename)
{
    json_t *root = json_object();
    if (!root)
        return NULL;
    set_string(root, "id", v->id);
    set_string(root, "title", v->title);
    set_string(root, "description", v->description);
    set_string(root, "author", v->author);
    set_string(root, "uploader", v->author);
    set_string(root, "uploader_id", v->author_id);
    if (v->duration > 0)
        json_object_set_new(root, "duration", json_real(v->duration));
    set_string(root, "published", v->published);
    if (v->published && strlen(v->published) >= 10) {
        char date[9] = {v->published[0], v->published[1], v->published[2],
                        v->published[3], v->published[5], v->published[6],
                        v->published[8], v->published[9], 0};
        set_string(root, "upload_date", date);
    }
    if (v->views >= 0) {
        json_object_set_new(root, "views", json_integer(v->views));
        json_object_set_new(root, "view_count", json_integer(v->views));
    }
    json_t *tags = json_array();
    for (size_t i = 0; i < v->tag_count; i++)
        json_array_append_new(tags, json_string(v->tags[i]));
    json_object_set_new(root, "tags", tags);
    if (v->category && *v->category) {
        set_string(root, "category", v->category);
        json_t *categories = json_array();
        json_array_append_new(categories, json_string(v->category));
        json_object_set_new(root, "categories", categories);
    }
    json_object_set_new(root, "age_limit", json_integer(v->is_adult ? 18 : 0));
    if (format) {
        json_object_set_new(root, "format", format_object(format));
        char id[32];
        snprintf(id, sizeof id, "%dx%d", format->width, format->height);
        set_string(root, "format_id", id);
        json_object_set_new(root, "width", json_integer(format->width));
        json_object_set_new(root, "height", json_integer(format->height));
    }
    set_string(root, "webpage_url", v->page_url);
    set_string(root, "thumbnail", v->thumbnail_url);
    json_t *subtitles = json_object();
    for (size_t i = 0; i < v->caption_count; i++) {
        json_t *track = json_object();
        set_string(track, "url", v->captions[i].url);
        set_string(track, "name", v->captions[i].name);
        json_t *list = json_array();
        json_array_append_new(list, track);
        json_object_set_new(subtitles, v->captions[i].lang, list);
    }
    json_object_set_new(root, "subtitles", subtitles);
    /* yt-dlp's shape: seconds, and the title; [] for a video without chapters. */
    json_t *chapters = json_array();
    for (size_t i = 0; i < v->chapter_count; i++) {
        json_t *chapter = json_object();
        json_object_set_new(chapter, "start_time", json_real(v->chapters[i].start));
        json_object_set_new(chapter, "end_time", json_real(v->chapters[i].end));
        json_object_set_new(chapter, "title", json_string(v->chapters[i].title));
        json_array_append_new(chapters, chapter);
    }
    json_object_set_new(root, "chapters", chapters);
    set_string(root, "filename", filename);
    set_string(root, "extractor", "rutube");
    set_string(root, "_generator", "librutube " RT_VERSION);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return text;
}

bool rt__extras_thumbnail_begin(const struct rt__extras *x, struct rt__buf *picture,
                                struct rt__extras_thumbnail *call)
{
    const struct rt_video *v = x->video;
    memset(call, 0, sizeof *call);
    if (!v->thumbnail_url || !*v->thumbnail_url) {
        rt__log(x->client, RT_LOG_WARN, _("video %s has no thumbnail"), v->id);
        return false;
    }
    call->urls[0] = v->thumbnail_url;
    call->request = (struct rt__request){
        .urls = call->urls, .url_count = 1, .what = _("thumbnail"), .cancel = x->cancel};
    call->job =
        (struct rt__http_job){.request = &call->request, .body = picture, .err = &call->problem};
    return true;
}

void rt__extras_thumbnail_end(const struct rt__extras *x, struct rt__extras_thumbnail *call)
{
    if (!call->ran) {
        rt__http_get_many(x->client, &call->job, 1, NULL, NULL);
        call->ran = true;
    }
    if (call->job.result != RT_OK) {
        rt__log(x->client, RT_LOG_WARN, _("video %s: %s; going on without it"), x->video->id,
                call->problem.message);
        rt__buf_reset(call->job.body);
    }
}

void rt__extras_fetch_thumbnail(const struct rt__extras *x, struct rt__buf *picture)
{
    struct rt__extras_thumbnail call;
    if (rt__extras_thumbnail_begin(x, picture, &call))
        rt__extras_thumbnail_end(x, &call);
}

/* One subtitle file's request while all are under way. */
struct track_call {
    char what[96];
    const char *urls[1];
    struct rt__request request;
    struct rt_error problem;
};

/* What came back for `f`: checked and, when `parse`, parsed; false (a warning said why) when
 * it cannot be used. */
static bool take_subtitles(const struct rt__extras *x, struct rt__subtitle_file *f,
                           const char *stated, enum rt_code result, struct track_call *call,
                           bool parse)
{
    if (result == RT_OK) {
        /* The content says best what it is; where it does not, RuTube's word for it. */
        f->format = rt__subs_sniff(f->data.data ? f->data.data : "", f->data.len);
        if (!f->format && stated && *stated)
            f->format = stated;
        if (!f->format)
            result = rt__fail(&call->problem, RT_E_BAD_RESPONSE,
                              _("%s: the file is neither WebVTT nor SubRip"), call->what);
    }
    if (result == RT_OK && parse)
        result = rt__subs_parse(f->data.data, f->data.len, &f->cues, &call->problem);
    if (result == RT_OK)
        return true;
    rt__log(x->client, RT_LOG_WARN, _("video %s: %s; going on without them"), x->video->id,
            call->problem.message);
    rt__buf_cleanup(&f->data);
    rt__cues_cleanup(&f->cues);
    return false;
}

size_t rt__extras_fetch_subtitles(const struct rt__extras *x, struct rt__subtitle_file *files,
                                  bool parse)
{
    const struct rt_video *v = x->video;
    size_t wanted = 0, count = 0;
    size_t *index = calloc(v->caption_count ? v->caption_count : 1, sizeof *index);
    struct track_call *calls = calloc(v->caption_count ? v->caption_count : 1, sizeof *calls);
    struct rt__http_job *jobs = calloc(v->caption_count ? v->caption_count : 1, sizeof *jobs);
    if (!index || !calls || !jobs) {
        rt__log(x->client, RT_LOG_WARN, _("video %s: out of memory; going on without subtitles"),
                v->id);
        goto out;
    }
    for (size_t i = 0; i < v->caption_count; i++) {
        const struct rt_caption *c = &v->captions[i];
        if (!rt__extras_lang_wanted(x->sub_langs, c->lang))
            continue;
        struct track_call *call = &calls[wanted];
        struct rt__subtitle_file *f = &files[wanted];
        snprintf(call->what, sizeof call->what, _("%s subtitles"), c->lang);
        call->urls[0] = c->url;
        call->request = (struct rt__request){
            .urls = call->urls, .url_count = 1, .what = call->what, .cancel = x->cancel};
        f->caption = c;
        rt__buf_init(&f->data, RT_EXTRAS_SUBTITLE_MAX);
        jobs[wanted] = (struct rt__http_job){
            .request = &call->request, .body = &f->data, .err = &call->problem};
        index[wanted++] = i;
    }
    /* The tracks do not depend on each other: asked all at once, one round trip for all. */
    rt__http_get_many(x->client, jobs, wanted, NULL, NULL);
    for (size_t k = 0; k < wanted; k++) {
        const char *stated = v->caption_formats ? v->caption_formats[index[k]] : "";
        if (!take_subtitles(x, &files[k], stated, jobs[k].result, &calls[k], parse))
            continue;
        if (count != k) { /* close the gap a failed track left */
            files[count] = files[k];
            memset(&files[k], 0, sizeof files[k]);
        }
        count++;
    }
out:
    free(index);
    free(calls);
    free(jobs);
    return count;
}

void rt__extras_free_subtitles(struct rt__subtitle_file *files, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        rt__buf_cleanup(&files[i].data);
        rt__cues_cleanup(&files[i].cues);
    }
    free(files);
}

/* <base><suffix>, written; false with `problem` filled when it could not be. */
static bool write_beside(const struct rt__extras *x, const char *suffix, const void *data,
                         size_t len, struct rt_error *problem)
{
    size_t size = strlen(x->base) + strlen(suffix) + 1;
    char *path = malloc(size);
    if (!path) {
        rt__fail(problem, RT_E_NOMEM, NULL);
        return false;
    }
    snprintf(path, size, "%s%s", x->base, suffix);
    enum rt_code result = rt__extras_write_file(path, data, len, x->overwrite, problem);
    free(path);
    return result == RT_OK;
}

void rt__extras_write(const struct rt__extras *x, const struct rt__buf *picture,
                      const struct rt__subtitle_file *subs, size_t sub_count)
{
    char suffix[64];
    struct rt_error problem = {0};
    if (x->write_thumbnail && picture->len > 0) {
        struct rt__image img = rt__image_sniff((const unsigned char *)picture->data, picture->len);
        snprintf(suffix, sizeof suffix, ".%s", rt__image_extension(img.kind));
        if (!write_beside(x, suffix, picture->data, picture->len, &problem))
            rt__log(x->client, RT_LOG_WARN, _("thumbnail not written: %s"), problem.message);
    }
    for (size_t i = 0; x->write_subs && i < sub_count; i++) {
        rt_error_clear(&problem);
        snprintf(suffix, sizeof suffix, ".%s.%s", subs[i].caption->lang, subs[i].format);
        if (!write_beside(x, suffix, subs[i].data.data, subs[i].data.len, &problem))
            rt__log(x->client, RT_LOG_WARN, _("subtitles not written: %s"), problem.message);
    }
    if (x->write_info_json) {
        rt_error_clear(&problem);
        char *text = rt__extras_info_json(x->video, x->format, x->path);
        if (text && !write_beside(x, ".info.json", text, strlen(text), &problem))
            rt__log(x->client, RT_LOG_WARN, _("info JSON not written: %s"), problem.message);
        free(text);
    }
}
