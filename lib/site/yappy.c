/* Yappy clips: the Yappy page answer into a struct rt_video with one MP4 file. */
#include "site/yappy.h"
#include "base/i18n.h"

#include "site/api.h"
#include "base/errors.h"
#include "base/url.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *rt__yappy_url(const char *api_base, const char *id)
{
    char encoded[3 * 64 + 1] = "";
    if (!rt__url_encode(id, encoded, sizeof encoded))
        return NULL;
    size_t size = strlen(api_base) + strlen(encoded) + 112;
    char *url = malloc(size);
    /* v4 since 2026 (imputnet/cobalt, "fix yappy downloading"): the path without it is gone. */
    if (url)
        snprintf(url, size,
                 "%s/pangolin/api/web/yappy/v4/yappypage/?client=wdp&videoId=%s&page=1&page_size=1",
                 api_base, encoded);
    return url;
}

static const char *string_of(json_t *obj, const char *name)
{
    const char *s = json_string_value(json_object_get(obj, name));
    return s && *s ? s : NULL;
}

/* The first of `names` that `obj` has as a non-empty string. */
static const char *first_string(json_t *obj, const char *const *names)
{
    for (; *names; names++) {
        const char *s = string_of(obj, *names);
        if (s)
            return s;
    }
    return NULL;
}

static char *dup_or(const char *s, const char *fallback)
{
    return strdup(s ? s : fallback);
}

/* The clip's one format: the file at `link`, its size and bit rate unknown until asked. */
static enum rt_code add_file_format(struct rt_video *video, const char *link, json_t *clip,
                                    struct rt_error *err)
{
    video->formats = calloc(1, sizeof *video->formats);
    if (!video->formats)
        return rt__fail(err, RT_E_NOMEM, NULL);
    video->format_count = 1;
    struct rt_format *f = &video->formats[0];
    f->is_file = true;
    f->codecs = strdup("");
    f->mirrors = calloc(1, sizeof *f->mirrors);
    if (!f->codecs || !f->mirrors || !(f->mirrors[0] = strdup(link)))
        return rt__fail(err, RT_E_NOMEM, NULL);
    f->mirror_count = 1;
    json_t *width = json_object_get(clip, "width"), *height = json_object_get(clip, "height");
    if (json_is_integer(width) && json_is_integer(height) && json_integer_value(width) > 0 &&
        json_integer_value(width) < 100000 && json_integer_value(height) > 0 &&
        json_integer_value(height) < 100000) {
        f->width = (int)json_integer_value(width);
        f->height = (int)json_integer_value(height);
    }
    return RT_OK;
}

static enum rt_code fill_clip(json_t *clip, const char *id, const char *link,
                              struct rt_video *video, struct rt_error *err)
{
    static const char *const titles[] = {"title", "description", "name", NULL};
    static const char *const thumbnails[] = {"thumbnail_url", "thumbnail", "cover", NULL};
    char page[128];
    snprintf(page, sizeof page, "https://rutube.ru/yappy/%s/", id);
    const char *thumbnail = first_string(clip, thumbnails);
    json_t *author = json_object_get(clip, "author");
    if (!json_is_object(author))
        author = json_object_get(clip, "user");
    char fallback_title[96];
    snprintf(fallback_title, sizeof fallback_title, "Yappy %s", id);

    video->id = strdup(id);
    video->title = dup_or(first_string(clip, titles), fallback_title);
    video->description = dup_or(string_of(clip, "description"), "");
    video->author =
        dup_or(first_string(author, (const char *const[]){"name", "nickname", NULL}), "");
    video->author_id = strdup("");
    video->thumbnail_url = dup_or(rt__url_is_http(thumbnail) ? thumbnail : NULL, "");
    video->page_url = strdup(page);
    video->master_url = strdup(link);
    video->published = dup_or(string_of(clip, "publication_ts"), "");
    video->category = strdup("");
    video->views = -1;
    video->is_yappy = true;
    if (!video->id || !video->title || !video->description || !video->author || !video->author_id ||
        !video->thumbnail_url || !video->page_url || !video->master_url || !video->published ||
        !video->category)
        return rt__fail(err, RT_E_NOMEM, NULL);
    json_t *duration = json_object_get(clip, "duration");
    double seconds = json_is_number(duration) ? json_number_value(duration) : 0;
    video->duration = seconds > 0 && seconds < 1e6 ? seconds : 0;
    return add_file_format(video, link, clip, err);
}

enum rt_code rt__yappy_parse(const char *json, size_t len, const char *id, struct rt_video *video,
                             struct rt_error *err)
{
    json_error_t jerr;
    enum rt_code result;
    memset(video, 0, sizeof *video);
    json_t *root = json_loadb(json, len, JSON_ALLOW_NUL, &jerr);
    json_t *results = json_object_get(root, "results");
    if (!json_is_object(root) || !json_is_array(results)) {
        result = rt__fail(err, RT_E_BAD_RESPONSE, _("RuTube's answer is not a list"));
        goto out;
    }
    json_t *clip = NULL;
    for (size_t i = 0; i < json_array_size(results) && !clip; i++) {
        json_t *item = json_array_get(results, i);
        const char *item_id = string_of(item, "id");
        if (item_id && strcmp(item_id, id) == 0)
            clip = item;
    }
    if (!clip) {
        result = rt__fail(err, RT_E_NOT_FOUND, NULL);
        goto out;
    }
    const char *link = string_of(clip, "link");
    if (!rt__url_is_http(link)) {
        result = rt__fail(err, RT_E_BAD_RESPONSE,
                          _("RuTube's answer gives no http(s) address for the file"));
        goto out;
    }
    result = fill_clip(clip, id, link, video, err);
out:
    if (result != RT_OK)
        rt__video_cleanup(video);
    json_decref(root);
    return result;
}
