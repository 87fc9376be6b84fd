/* The play options answer: from RuTube's JSON to a struct rt_video, or to why there is none. */
#include "site/api.h"
#include "base/i18n.h"

#include "base/errors.h"
#include "base/http.h"
#include "base/url.h"
#include "site/address.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* `<api_base><path><id>/<query>[&p=<key>]`: every API call carries a private video's key. */
static char *api_url(const char *api_base, const char *path, const struct rt_target *target,
                     const char *query)
{
    char key[3 * sizeof target->key + 1] = "";
    if (target->key[0] && !rt__url_encode(target->key, key, sizeof key))
        return NULL;
    size_t size = strlen(api_base) + strlen(path) + strlen(query) + strlen(key) + 48;
    char *url = malloc(size);
    if (url)
        snprintf(url, size, "%s%s%s/%s%s%s", api_base, path, target->id, query, key[0] ? "&p=" : "",
                 key);
    return url;
}

char *rt__api_options_url(const char *api_base, const struct rt_target *target)
{
    /* client=wdp&mq=all&av1=1 as RuTube's own player asks: without them the master stops at
     * 1080p and leaves out the AV1 renditions. */
    return api_url(api_base, "/api/play/options/", target,
                   "?no_404=true&referer=https%3A%2F%2Frutube.ru&pver=v2&client=wdp&mq=all&av1=1");
}

char *rt__api_info_url(const char *api_base, const struct rt_target *target)
{
    return api_url(api_base, "/api/video/", target, "?format=json");
}

void rt__video_cleanup(struct rt_video *video)
{
    if (!video)
        return;
    free(video->id);
    free(video->title);
    free(video->description);
    free(video->author);
    free(video->author_id);
    free(video->thumbnail_url);
    free(video->page_url);
    free(video->master_url);
    free(video->published);
    free(video->category);
    for (size_t i = 0; i < video->tag_count; i++)
        free(video->tags[i]);
    free(video->tags);
    for (size_t i = 0; i < video->caption_count; i++) {
        free(video->captions[i].lang);
        free(video->captions[i].name);
        free(video->captions[i].url);
        if (video->caption_formats)
            free(video->caption_formats[i]);
    }
    free(video->captions);
    free(video->caption_formats);
    for (size_t i = 0; i < video->format_count; i++) {
        struct rt_format *f = &video->formats[i];
        free(f->codecs);
        for (size_t m = 0; m < f->mirror_count; m++)
            free(f->mirrors[m]);
        free(f->mirrors);
    }
    free(video->formats);
    rt_chapters_free((struct rt_chapter *)video->chapters); /* made by the library: its own */
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

/* A region block as RuTube writes it since 2026: detail {"type": "blocking_rule", "languages":
 * [...]} (imputnet/cobalt reads it so); whatever the words, the video is blocked here. */
static bool is_blocking_rule(json_t *root)
{
    const char *type = get_string(json_object_get(root, "detail"), "type");
    return type && strcmp(type, "blocking_rule") == 0;
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
    /* Then the status, by the library's one rule; a refusal of a keyed address is its key's. */
    enum rt_code by_status = rt__http_judge(status).code;
    if (by_status == RT_E_NOT_FOUND)
        return RT_E_NOT_FOUND;
    if (by_status == RT_E_FORBIDDEN)
        return has_key ? RT_E_PRIVATE : RT_E_FORBIDDEN;
    return RT_E_UNAVAILABLE;
}

static enum rt_code refuse(enum rt_code code, const char *text, long status, struct rt_error *err)
{
    const char *what = rt_strerror(code);
    if (code == RT_E_FORBIDDEN)
        what = _("RuTube refused the request (it may be rejecting the User-Agent; try "
                 "--user-agent)");
    if (text && *text)
        return rt__fail(err, code, _("%s (RuTube says: \"%.200s\")"), what, text);
    if (status != 200)
        return rt__fail(err, code, _("%s (HTTP %ld)"), what, status);
    return rt__fail(err, code, "%s", what);
}

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

/* A text member as a C string: "" when missing or not a string; a NUL inside (JSON allows
 * \u0000) becomes a space instead of cutting the text short. */
static char *dup_text(json_t *obj, const char *name)
{
    json_t *v = json_object_get(obj, name);
    if (!json_is_string(v))
        return strdup("");
    size_t len = json_string_length(v);
    char *text = malloc(len + 1);
    if (!text)
        return NULL;
    memcpy(text, json_string_value(v), len);
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\0')
            text[i] = ' ';
    text[len] = '\0';
    return text;
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

/* A stream on the air: the first live_streams.hls[] address. */
static const char *live_address(json_t *root)
{
    json_t *hls = json_object_get(json_object_get(root, "live_streams"), "hls");
    const char *url = get_string(json_array_get(hls, 0), "url");
    return rt__url_is_http(url) ? url : NULL;
}

/* A language code becomes part of a file name (<name>.<lang>.vtt): letters, digits, '-' and
 * '_' only, or the track is skipped. */
static bool is_safe_lang(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (n == 0 || n > 16)
        return false;
    for (const char *p = code; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

/* A caption's stated format as the file extension it means: "vtt", "srt", or "" unknown. */
static const char *caption_format(const char *format)
{
    if (!format)
        return "";
    if (strcasecmp(format, "webvtt") == 0 || strcasecmp(format, "vtt") == 0)
        return "vtt";
    if (strcasecmp(format, "srt") == 0 || strcasecmp(format, "subrip") == 0)
        return "srt";
    return "";
}

/* captions[]: {code, file, langTitle, format}; entries without a usable code or address are
 * skipped. */
static enum rt_code read_captions(json_t *captions, struct rt_video *video, struct rt_error *err)
{
    size_t count = json_array_size(captions);
    if (count == 0)
        return RT_OK;
    if (count > 64)
        count = 64;
    video->captions = calloc(count, sizeof *video->captions);
    video->caption_formats = calloc(count, sizeof *video->caption_formats);
    if (!video->captions || !video->caption_formats)
        return rt__fail(err, RT_E_NOMEM, NULL);
    for (size_t i = 0; i < count; i++) {
        json_t *entry = json_array_get(captions, i);
        const char *code = get_string(entry, "code");
        const char *file = get_string(entry, "file");
        if (!is_safe_lang(code) || !rt__url_is_http(file))
            continue;
        size_t k = video->caption_count++;
        struct rt_caption *c = &video->captions[k];
        c->lang = strdup(code);
        c->name = dup_or_empty(get_string(entry, "langTitle"));
        c->url = strdup(file);
        video->caption_formats[k] = strdup(caption_format(get_string(entry, "format")));
        if (!c->lang || !c->name || !c->url || !video->caption_formats[k])
            return rt__fail(err, RT_E_NOMEM, NULL);
    }
    return RT_OK;
}

/* tags[]: objects with a name (RuTube's shape) or plain strings. Replaces earlier tags. */
static enum rt_code read_tags(json_t *tags, struct rt_video *video, struct rt_error *err)
{
    size_t count = json_array_size(tags);
    if (count == 0)
        return RT_OK;
    if (count > 256)
        count = 256;
    char **names = calloc(count, sizeof *names);
    if (!names)
        return rt__fail(err, RT_E_NOMEM, NULL);
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        json_t *tag = json_array_get(tags, i);
        const char *name = json_is_string(tag) ? json_string_value(tag) : get_string(tag, "name");
        if (!name || !*name)
            continue;
        if (!(names[used] = strdup(name))) {
            for (size_t k = 0; k < used; k++)
                free(names[k]);
            free(names);
            return rt__fail(err, RT_E_NOMEM, NULL);
        }
        used++;
    }
    for (size_t i = 0; i < video->tag_count; i++)
        free(video->tags[i]);
    free(video->tags);
    video->tags = names;
    video->tag_count = used;
    return RT_OK;
}

static enum rt_code fill_video(json_t *root, const struct rt_target *target, const char *master,
                               struct rt_video *video, struct rt_error *err)
{
    const char *id = get_string(root, "effective_video");
    if (!rt__is_video_id(id))
        id = get_string(root, "video_id");
    if (!rt__is_video_id(id) && target->kind == RT_TARGET_EMBED)
        return rt__fail(err, RT_E_BAD_RESPONSE,
                        _("RuTube's answer does not say which video it shows"));
    if (!rt__is_video_id(id))
        id = target->id;
    json_t *author = json_object_get(root, "author");
    const char *page = get_string(root, "video_url");
    char fallback_page[128];
    if (!rt__url_is_http(page)) {
        snprintf(fallback_page, sizeof fallback_page, "https://rutube.ru/video/%s/", id);
        page = fallback_page;
    }
    const char *thumbnail = get_string(root, "thumbnail_url");

    char author_id[32] = "";
    json_t *author_id_value = json_object_get(author, "id");
    if (json_is_integer(author_id_value))
        snprintf(author_id, sizeof author_id, "%lld",
                 (long long)json_integer_value(author_id_value));

    video->id = strdup(id);
    video->title = dup_text(root, "title");
    video->description = dup_text(root, "description");
    video->author = dup_text(author, "name");
    video->author_id = strdup(author_id);
    video->thumbnail_url = dup_or_empty(rt__url_is_http(thumbnail) ? thumbnail : NULL);
    video->page_url = strdup(page);
    video->master_url = strdup(master);
    video->published = strdup("");
    video->category = dup_or_empty(get_string(json_object_get(root, "category"), "name"));
    video->views = -1;
    json_t *adult = json_object_get(root, "is_adult");
    video->is_adult = json_is_true(adult);
    video->is_live = json_is_true(json_object_get(root, "is_livestream")) || has_live_stream(root);
    if (!video->id || !video->title || !video->description || !video->author || !video->author_id ||
        !video->thumbnail_url || !video->page_url || !video->master_url || !video->published ||
        !video->category)
        return rt__fail(err, RT_E_NOMEM, NULL);
    enum rt_code result = read_captions(json_object_get(root, "captions"), video, err);
    if (result != RT_OK)
        return result;
    result = read_tags(json_object_get(root, "tags"), video, err);
    if (result != RT_OK)
        return result;
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
    json_t *root = json_loadb(json, len, JSON_ALLOW_NUL, &jerr);
    if (!json_is_object(root)) {
        if (status != 200 && status != 0) {
            result = refuse(classify(NULL, status, has_key), NULL, status, err);
        } else {
            result = rt__fail(err, RT_E_BAD_RESPONSE,
                              _("RuTube's answer is not valid JSON (%s at line %d)"),
                              root ? "not an object" : jerr.text, jerr.line);
        }
        goto out;
    }

    const char *master = master_address(root);
    const char *detail = detail_text(root);
    const char *live = master || detail ? NULL : live_address(root);
    bool on_air = live && (status == 200 || status == 0);
    if (on_air)
        master = live;
    json_t *acl = json_object_get(root, "acl_access");
    json_t *allowed = json_object_get(acl, "allowed");

    if (!master || (status != 200 && status != 0)) {
        if (!master && !detail && has_live_stream(root)) {
            result = rt__fail(err, RT_E_BAD_RESPONSE,
                              _("a live stream on the air without a usable address"));
            goto out;
        }
        const char *why = detail;
        if (!why && json_is_false(allowed))
            why = get_string(acl, "err_text");
        enum rt_code code =
            is_blocking_rule(root) ? RT_E_GEO_BLOCKED : classify(why, status, has_key);
        if (!why && status == 200) {
            /* RuTube gave no reason: say what we saw, not words in its mouth. */
            result =
                rt__fail(err, code, _("%s (RuTube's answer offers no stream)"), rt_strerror(code));
            goto out;
        }
        result = refuse(code, why, status, err);
        goto out;
    }
    if (json_is_false(allowed)) {
        /* A stream address next to "not allowed": RuTube would refuse the segments. */
        const char *why = get_string(acl, "err_text");
        result =
            refuse(classify(why ? why : detail, status, has_key), why ? why : detail, status, err);
        goto out;
    }
    result = fill_video(root, target, master, video, err);
    if (result == RT_OK && on_air) {
        video->on_air = video->is_live = true;
        video->duration = 0;
    }

out:
    if (result != RT_OK)
        rt__video_cleanup(video);
    json_decref(root);
    return result;
}

/* Replace `*field` with `value` when `*field` is empty and `value` is a non-empty string. */
static enum rt_code fill_if_empty(char **field, const char *value, struct rt_error *err)
{
    if (!value || !*value || (*field && **field))
        return RT_OK;
    char *copy = strdup(value);
    if (!copy)
        return rt__fail(err, RT_E_NOMEM, NULL);
    free(*field);
    *field = copy;
    return RT_OK;
}

enum rt_code rt__api_parse_info(const char *json, size_t len, struct rt_video *video,
                                struct rt_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_ALLOW_NUL, &jerr);
    enum rt_code result = RT_OK;
    if (!json_is_object(root)) {
        result = rt__fail(err, RT_E_BAD_RESPONSE, _("the video info is not a JSON object"));
        goto out;
    }
    const char *published = get_string(root, "publication_ts");
    if (!published || !*published)
        published = get_string(root, "created_ts");
    const char *thumbnail = get_string(root, "thumbnail_url");
    json_t *author = json_object_get(root, "author");
    struct {
        char **field;
        const char *value;
    } strings[] = {
        {&video->published, published},
        {&video->category, get_string(json_object_get(root, "category"), "name")},
        {&video->title, get_string(root, "title")},
        {&video->description, get_string(root, "description")},
        {&video->author, get_string(author, "name")},
        {&video->thumbnail_url, rt__url_is_http(thumbnail) ? thumbnail : NULL},
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0] && result == RT_OK; i++)
        result = fill_if_empty(strings[i].field, strings[i].value, err);
    if (result != RT_OK)
        goto out;
    json_t *hits = json_object_get(root, "hits");
    if (json_is_integer(hits) && json_integer_value(hits) >= 0)
        video->views = (long long)json_integer_value(hits);
    if (json_is_true(json_object_get(root, "is_adult")))
        video->is_adult = true;
    if (json_is_true(json_object_get(root, "is_livestream")))
        video->is_live = true;
    /* Seconds here, milliseconds in play options. */
    json_t *duration = json_object_get(root, "duration");
    if (video->duration <= 0 && json_is_number(duration) && json_number_value(duration) > 0 &&
        json_number_value(duration) < 1e8)
        video->duration = json_number_value(duration);
    result = read_tags(json_object_get(root, "tags"), video, err);
out:
    json_decref(root);
    return result;
}
