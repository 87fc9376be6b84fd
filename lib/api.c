/* The play options answer: from RuTube's JSON to a struct rt_video, or to why there is none. */
#include "api.h"

#include "errors.h"
#include "url.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *rt__api_options_url(const char *api_base, const struct rt_target *target)
{
    char key[3 * sizeof target->key + 1] = "";
    if (target->key[0] && !rt__url_encode(target->key, key, sizeof key))
        return NULL;
    size_t size = strlen(api_base) + strlen(key) + 160;
    char *url = malloc(size);
    if (!url)
        return NULL;
    snprintf(url, size,
             "%s/api/play/options/%s/?no_404=true&referer=https%%3A%%2F%%2Frutube.ru"
             "&pver=v2%s%s",
             api_base, target->id, key[0] ? "&p=" : "", key);
    return url;
}

void rt__video_cleanup(struct rt_video *video)
{
    if (!video)
        return;
    free(video->id);
    free(video->title);
    free(video->description);
    free(video->author);
    free(video->thumbnail_url);
    free(video->page_url);
    free(video->master_url);
    for (size_t i = 0; i < video->format_count; i++) {
        struct rt_format *f = &video->formats[i];
        free(f->codecs);
        for (size_t m = 0; m < f->mirror_count; m++)
            free(f->mirrors[m]);
        free(f->mirrors);
    }
    free(video->formats);
    memset(video, 0, sizeof *video);
}

/* A string member, or NULL when missing or not a string. */
static const char *get_string(json_t *obj, const char *name)
{
    json_t *v = json_object_get(obj, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* RuTube's explanation: `detail` as a string, or `detail.languages[0].title`. */
static const char *detail_text(json_t *root)
{
    json_t *detail = json_object_get(root, "detail");
    if (json_is_string(detail))
        return json_string_value(detail);
    if (json_is_object(detail)) {
        json_t *first = json_array_get(json_object_get(detail, "languages"), 0);
        const char *title = get_string(first, "title");
        if (title)
            return title;
        return get_string(detail, "message");
    }
    return NULL;
}

/* Case-insensitive (ASCII) substring search; Cyrillic words are matched in the cases RuTube
 * writes them. */
static bool has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)word[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

static bool has_any(const char *text, const char *const *words)
{
    for (; *words; words++)
        if (has_word(text, *words))
            return true;
    return false;
}

/* Which situation RuTube's words describe. */
static enum rt_code classify(const char *text, long status, bool has_key)
{
    /* Words chosen so that they do not hide inside others ("ключ" is in "включить",
     * "стран" in "страница"). */
    static const char *const private_words[] = {
        "приват",         "Приват",     "private",          "ключ доступа",
        "ключом доступа", "access key", "доступ по ссылке", NULL};
    static const char *const geo_words[] = {"регион",      "Регион",   "вашей стран",
                                            "Вашей стран", "region",   "country",
                                            "geo-block",   "geoblock", NULL};
    static const char *const gone_words[] = {
        "не найден", "Не найден", "not found", "удален",        "Удален",         "удалён",
        "Удалён",    "removed",   "deleted",   "не существует", "does not exist", NULL};
    if (text && has_any(text, private_words))
        return RT_E_PRIVATE;
    if (text && has_any(text, geo_words))
        return RT_E_GEO_BLOCKED;
    if (text && has_any(text, gone_words))
        return RT_E_NOT_FOUND;
    if (status == 404 || status == 410)
        return RT_E_NOT_FOUND;
    if (status == 401 || status == 403)
        return has_key ? RT_E_PRIVATE : RT_E_FORBIDDEN;
    return RT_E_UNAVAILABLE;
}

static enum rt_code refuse(enum rt_code code, const char *text, const char *id, long status,
                           struct rt_error *err)
{
    const char *what = rt_strerror(code);
    if (code == RT_E_FORBIDDEN)
        what = "RuTube refused the request (it may be rejecting the User-Agent; try "
               "--user-agent)";
    if (text && *text)
        return rt__fail(err, code, "video %s: %s (RuTube says: \"%.200s\")", id, what, text);
    if (status != 200)
        return rt__fail(err, code, "video %s: %s (HTTP %ld)", id, what, status);
    return rt__fail(err, code, "video %s: %s", id, what);
}

static bool is_hex_id(const char *s)
{
    if (!s || strlen(s) != 32)
        return false;
    for (; *s; s++)
        if (!isxdigit((unsigned char)*s))
            return false;
    return true;
}

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

/* The master playlist address: video_balancer.m3u8, else .default. */
static const char *master_address(json_t *root)
{
    json_t *balancer = json_object_get(root, "video_balancer");
    const char *url = get_string(balancer, "m3u8");
    if (!rt__url_is_http(url))
        url = get_string(balancer, "default");
    return rt__url_is_http(url) ? url : NULL;
}

static bool has_live_stream(json_t *root)
{
    json_t *hls = json_object_get(json_object_get(root, "live_streams"), "hls");
    return json_is_array(hls) && json_array_size(hls) > 0;
}

static enum rt_code fill_video(json_t *root, const struct rt_target *target, const char *master,
                               struct rt_video *video, struct rt_error *err)
{
    const char *id = get_string(root, "effective_video");
    if (!is_hex_id(id))
        id = get_string(root, "video_id");
    if (!is_hex_id(id))
        id = target->id;
    json_t *author = json_object_get(root, "author");
    const char *page = get_string(root, "video_url");
    char fallback_page[80];
    if (!rt__url_is_http(page)) {
        snprintf(fallback_page, sizeof fallback_page, "https://rutube.ru/video/%s/", id);
        page = fallback_page;
    }
    const char *thumbnail = get_string(root, "thumbnail_url");

    video->id = strdup(id);
    video->title = dup_or_empty(get_string(root, "title"));
    video->description = dup_or_empty(get_string(root, "description"));
    video->author = dup_or_empty(get_string(author, "name"));
    video->thumbnail_url = dup_or_empty(rt__url_is_http(thumbnail) ? thumbnail : NULL);
    video->page_url = strdup(page);
    video->master_url = strdup(master);
    if (!video->id || !video->title || !video->description || !video->author ||
        !video->thumbnail_url || !video->page_url || !video->master_url)
        return rt__fail(err, RT_E_NOMEM, NULL);
    for (char *p = video->id; *p; p++)
        *p = (char)tolower((unsigned char)*p);

    /* Milliseconds here (the video info call gives seconds). */
    json_t *duration = json_object_get(root, "duration");
    double ms = json_is_number(duration) ? json_number_value(duration) : 0;
    video->duration = ms > 0 && ms < 1e11 ? ms / 1000.0 : 0;
    return RT_OK;
}

enum rt_code rt__api_parse_options(const char *json, size_t len, long status,
                                   const struct rt_target *target, struct rt_video *video,
                                   struct rt_error *err)
{
    enum rt_code result;
    json_error_t jerr;
    bool has_key = target->key[0] != '\0';

    memset(video, 0, sizeof *video);
    json_t *root = json_loadb(json, len, 0, &jerr);
    if (!json_is_object(root)) {
        if (status != 200 && status != 0) {
            result = refuse(classify(NULL, status, has_key), NULL, target->id, status, err);
        } else {
            result = rt__fail(err, RT_E_BAD_RESPONSE,
                              "video %s: RuTube's answer is not valid JSON (%s at line %d)",
                              target->id, root ? "not an object" : jerr.text, jerr.line);
        }
        goto out;
    }

    const char *master = master_address(root);
    const char *detail = detail_text(root);
    json_t *acl = json_object_get(root, "acl_access");
    json_t *allowed = json_object_get(acl, "allowed");

    if (!master || (status != 200 && status != 0)) {
        if (!master && !detail && has_live_stream(root)) {
            result = rt__fail(err, RT_E_UNSUPPORTED,
                              "video %s is a live stream, and recording live streams is not "
                              "supported yet",
                              target->id);
            goto out;
        }
        const char *why = detail;
        if (!why && json_is_false(allowed))
            why = get_string(acl, "err_text");
        enum rt_code code = classify(why, status, has_key);
        if (!why && status == 200)
            why = "no stream is offered for this video";
        result = refuse(code, why, target->id, status, err);
        goto out;
    }
    if (json_is_false(allowed)) {
        /* A stream address next to "not allowed": RuTube would refuse the segments. */
        const char *why = get_string(acl, "err_text");
        result = refuse(classify(why ? why : detail, status, has_key), why ? why : detail,
                        target->id, status, err);
        goto out;
    }
    result = fill_video(root, target, master, video, err);

out:
    if (result != RT_OK)
        rt__video_cleanup(video);
    json_decref(root);
    return result;
}
