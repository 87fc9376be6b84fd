/* The JSON API: play options made from the recorded fixture, video info, RuTube's errors. */
#include "fake.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_NOT_FOUND_RU "Видео не найдено"
#define TEXT_NOT_FOUND_EN "Video not found"
#define TEXT_PRIVATE      "Это приватное видео. Для просмотра нужна ссылка с ключом доступа"
#define TEXT_GEO          "Видео недоступно в вашем регионе"
#define TEXT_RULE_RU      "Просмотр этого видео недоступен в вашем регионе"
#define TEXT_RULE_EN      "This video is not available in your region"

int fake_answers_load_template(struct fake_server *server)
{
    size_t size = strlen(server->config.fixture_dir) + 64;
    char *path = malloc(size);
    if (!path)
        return -1;
    snprintf(path, size, "%s/api_response_fixture.json", server->config.fixture_dir);
    json_error_t error;
    server->options_template = json_load_file(path, 0, &error);
    if (!server->options_template)
        fprintf(stderr, FAKE_PROGRAM ": %s:%d: %s\n", path, error.line, error.text);
    free(path);
    if (!server->options_template)
        return -1;
    /* Borrowed from the template, which lives until exit. */
    server->template_id = json_string_value(json_object_get(server->options_template, "video_id"));
    if (!server->template_id || !server->template_id[0]) {
        fprintf(stderr, FAKE_PROGRAM ": the play options fixture has no \"video_id\"\n");
        return -1;
    }
    return 0;
}

/*
 * JSON_ENSURE_ASCII and jansson's default ", " / ": " separators reproduce the fixture's
 * byte layout, \u escapes (and surrogate pairs for emoji) included.
 */
static void reply_json(struct fake_reply *reply, unsigned status, json_t *body, bool cut)
{
    char *text = body ? json_dumps(body, JSON_ENSURE_ASCII) : NULL;
    json_decref(body);
    if (!text)
        return;
    size_t len = strlen(text);
    if (cut)
        len /= 2;
    fake_reply_take(reply, status, "application/json", text, len);
}

void fake_reply_json(struct fake_reply *reply, unsigned status, json_t *body)
{
    reply_json(reply, status, body, false);
}

static void replace_in_strings(json_t *node, const char *from, const char *to);

static void replace_in_string(json_t *string, const char *from, const char *to)
{
    const char *s = json_string_value(string);
    size_t from_len = strlen(from), to_len = strlen(to), hits = 0;
    for (const char *p = s; (p = strstr(p, from)); p += from_len)
        hits++;
    if (hits == 0)
        return;
    size_t len = json_string_length(string) + hits * to_len;
    char *out = malloc(len + 1), *o = out;
    if (!out)
        return;
    for (const char *p = s, *hit; *p; p = hit + from_len) {
        hit = strstr(p, from);
        if (!hit) {
            strcpy(o, p);
            o += strlen(p);
            break;
        }
        memcpy(o, p, (size_t)(hit - p));
        o += hit - p;
        memcpy(o, to, to_len);
        o += to_len;
    }
    *o = '\0';
    json_string_setn(string, out, (size_t)(o - out));
    free(out);
}

/* The fixture names its own video in dozens of places (html, stat urls): rename them all. */
static void replace_in_strings(json_t *node, const char *from, const char *to)
{
    const char *key;
    json_t *value;
    size_t i;
    if (json_is_object(node)) {
        json_object_foreach(node, key, value)
        {
            if (json_is_string(value))
                replace_in_string(value, from, to);
            else
                replace_in_strings(value, from, to);
        }
    } else if (json_is_array(node)) {
        json_array_foreach(node, i, value)
        {
            if (json_is_string(value))
                replace_in_string(value, from, to);
            else
                replace_in_strings(value, from, to);
        }
    }
}

char *fake_video_thumb_url(const struct fake_server *server, const struct fake_video *video)
{
    size_t size = strlen(server->api_base) + strlen(video->id) + 16;
    char *url = malloc(size);
    if (url)
        snprintf(url, size, "%s/thumb/%s.jpg", server->api_base, video->id);
    return url;
}

char *fake_video_page_url(const struct fake_video *video)
{
    /* The page address is the video's identity, not something the fake serves. */
    size_t size = strlen(video->id) + 32;
    char *url = malloc(size);
    if (url)
        snprintf(url, size, "https://rutube.ru/%s/%s/",
                 video->kind == FAKE_KIND_SHORT ? "shorts" : "video", video->id);
    return url;
}

/* A guids= entry's codecs: "avc1.640029, mp4a.40.2" as "avc1.640029_mp4a.40.2". */
static void guid_codecs(FILE *f, const char *codecs)
{
    for (const char *p = codecs; *p; p++) {
        if (*p == ',')
            fputc('_', f);
        else if (*p != ' ')
            fputc(*p, f);
    }
}

/* The master playlist address, as play options announce it. Caller frees. full: the request
 * asked for every quality, which the address carries on to the master (mq=all&av1=1). */
static char *master_url(const struct fake_server *server, const struct fake_video *video, bool full)
{
    char *url = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&url, &size);
    if (!f)
        return NULL;
    /* Like the fixture's guids=: one entry per quality the master lists, largest first. */
    fprintf(f, "%s/route/%s.m3u8?guids=", server->api_base, video->id);
    unsigned ms = (unsigned)lround(fake_video_duration(video) * 1000);
    const char *comma = "";
    for (size_t i = video->rendition_count; i-- > 0;) {
        const struct fake_rendition *r = &video->renditions[i];
        if (!fake_playlists_lists(r, full))
            continue;
        fprintf(f, "%s%.8s-%.4s-%.4s-%.4s-%.12s_%ux%u_%u_D%u_F%uA44100_", comma, r->hash,
                r->hash + 8, r->hash + 12, r->hash + 16, r->hash + 20, r->quality->width,
                r->quality->height, r->quality->bandwidth, ms, r->quality->fps);
        guid_codecs(f, r->quality->codecs);
        comma = ",";
    }
    fprintf(f, "&sign=%s&expire=%lld&guarantee=5&scheme=%s%s",
            video->rendition_count ? video->renditions[0].token : "none", server->expire,
            server->scheme, full ? "&mq=all&av1=1" : "");
    if (fclose(f) != 0) {
        free(url);
        return NULL;
    }
    return url;
}

static json_t *tags_json(const struct fake_catalog *catalog, const struct fake_video *video)
{
    json_t *tags = json_array();
    size_t i;
    json_t *tag;
    json_array_foreach(video->tags, i, tag)
    {
        const char *name = json_string_value(tag);
        if (!name)
            continue;
        /* A tag with a collection has that collection's number, as /tags/video/<n>/ shows. */
        long long id = fake_collections_tag_id(catalog, name);
        if (id < 0)
            id = 7000 + (long long)(fake_hash(8, name) % 1000);
        json_array_append_new(tags, json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name));
    }
    return tags;
}

/*
 * A stream on the air: no video_balancer entries (rutube.ru keeps the key, an empty object,
 * the way the fixture keeps an empty live_streams for a video) and one live HLS address on
 * the CDN. A recording keeps its video_balancer and has an empty hls list.
 */
static void set_live(const struct fake_server *server, const struct fake_video *video, json_t *o)
{
    json_t *hls = json_array();
    if (fake_live_is_stream(video)) {
        char url[192];
        snprintf(url, sizeof url, "%s://127.0.0.1:%u/live/%s.m3u8?expire=%lld&sign=%s",
                 server->scheme, server->port[FAKE_ROLE_MIRROR0], video->id,
                 fake_live_expire(server),
                 video->rendition_count ? video->renditions[0].token : "none");
        json_array_append_new(hls, json_pack("{s:s}", "url", url));
        json_object_set_new(o, "video_balancer", json_object());
    }
    json_object_set_new(o, "live_streams", json_pack("{s:o}", "hls", hls));
    json_object_set_new(o, "is_livestream", json_true());
}

static json_t *full_options(const struct fake_server *server, const struct fake_video *video,
                            bool asks_all)
{
    json_t *o = json_deep_copy(server->options_template);
    char *master = master_url(server, video, asks_all);
    char *thumb = fake_video_thumb_url(server, video);
    char *page = fake_video_page_url(video);
    if (!o || !master || !thumb || !page) {
        json_decref(o);
        o = NULL;
        goto out;
    }
    replace_in_strings(o, server->template_id, video->id);

    json_object_set_new(o, "id", json_integer(video->numeric_id));
    json_object_set_new(o, "thumbnail_url", json_string(thumb));
    json_object_set_new(o, "captions", fake_captions_json(server, video));
    json_object_set_new(o, "title", json_string(video->title));
    json_object_set_new(o, "description", json_string(video->description));
    json_object_set_new(o, "video_balancer",
                        json_pack("{s:s, s:s}", "default", master, "m3u8", master));
    json_object_set_new(o, "acl_access",
                        json_pack("{s:b, s:n, s:s}", "allowed", 1, "err_code", "err_text", ""));
    json_object_set_new(o, "effective_video", json_string(video->id));
    json_object_set_new(o, "video_id", json_string(video->id));
    json_object_set_new(o, "video_url", json_string(page));
    json_object_set_new(o, "duration", json_integer(lround(fake_video_duration(video) * 1000)));
    json_object_set_new(o, "is_adult", json_false());
    json_object_set_new(o, "has_video", json_true());
    json_object_set_new(o, "tags", tags_json(&server->catalog, video));
    /* Shorts are told apart by origin_type on rutube.ru; keep that true here too. */
    json_object_set_new(o, "origin_type", json_string(fake_origin_type(video)));
    if (video->live != FAKE_LIVE_NONE)
        set_live(server, video, o);

    json_t *author = json_object_get(o, "author");
    if (json_is_object(author)) {
        char url[96];
        snprintf(url, sizeof url, "https://rutube.ru/video/person/%lld/", video->author_id);
        json_object_set_new(author, "id", json_integer(video->author_id));
        json_object_set_new(author, "name", json_string(video->author));
        json_object_set_new(author, "url", json_string(url));
    }
    json_t *category = json_object_get(o, "category");
    if (json_is_object(category)) {
        char url[64];
        snprintf(url, sizeof url, "/video/category/%lld/", video->category_id);
        json_object_set_new(category, "id", json_integer(video->category_id));
        json_object_set_new(category, "category_url", json_string(url));
        json_object_set_new(category, "name", json_string(video->category));
        if (video->category_id != 5)
            json_object_set_new(category, "short_name", json_string("other"));
    }
out:
    free(master);
    free(thumb);
    free(page);
    return o;
}

static json_t *languages(const char *ru, const char *en)
{
    json_t *list = json_array();
    json_array_append_new(list, json_pack("{s:s, s:s}", "lang", "ru", "title", ru));
    if (en)
        json_array_append_new(list, json_pack("{s:s, s:s}", "lang", "en", "title", en));
    return list;
}

static json_t *languages_detail(const char *ru, const char *en)
{
    return json_pack("{s:{s:o}}", "detail", "languages", languages(ru, en));
}

void fake_answers_play_options(const struct fake_server *server, const char *id, size_t id_len,
                               const char *key, bool no_404, bool asks_all,
                               struct fake_reply *reply)
{
    /* /play/embed/<number> asks the options by the video's number; the answer names the id. */
    const struct fake_video *video = fake_catalog_find(&server->catalog, id, id_len);
    if (!video)
        video = fake_catalog_find_number(&server->catalog, id, id_len);
    bool cut = server->config.malformed_json;

    /* With no_404=true rutube.ru answers 200 and puts the failure in "detail". A stream that
       has not started is not found either (RUTUBE.md: upcoming streams answer 404). */
    if (!video || (video->live == FAKE_LIVE_UPCOMING && !fake_live_has_started(server, video))) {
        reply_json(reply, no_404 ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND,
                   languages_detail(TEXT_NOT_FOUND_RU, TEXT_NOT_FOUND_EN), cut);
        return;
    }
    if (video->access == FAKE_ACCESS_REMOVED) {
        reply_json(reply, no_404 ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND,
                   json_pack("{s:s}", "detail", video->detail), cut);
        return;
    }
    if (video->access == FAKE_ACCESS_PRIVATE && (!key || strcmp(key, video->key) != 0)) {
        reply_json(reply, no_404 ? MHD_HTTP_OK : MHD_HTTP_FORBIDDEN,
                   languages_detail(TEXT_PRIVATE, NULL), cut);
        return;
    }

    json_t *o = full_options(server, video, asks_all);
    if (o && video->access == FAKE_ACCESS_BLOCKING_RULE) {
        /* 2026's block (cobalt tests detail.type): acl_access still says allowed, as in the
           fixture; only detail tells, and there is no way to the stream. */
        json_object_del(o, "video_balancer");
        json_object_set_new(o, "detail",
                            json_pack("{s:s, s:o}", "type", "blocking_rule", "languages",
                                      languages(TEXT_RULE_RU, TEXT_RULE_EN)));
    }
    if (o && video->access == FAKE_ACCESS_GEO) {
        /* A blocked video still has its metadata, but no way to the stream. */
        json_object_del(o, "video_balancer");
        json_object_set_new(
            o, "acl_access",
            json_pack("{s:b, s:s, s:s}", "allowed", 0, "err_code", "geo", "err_text", TEXT_GEO));
        json_object_set_new(o, "detail", json_string(TEXT_GEO));
    }
    reply_json(reply, MHD_HTTP_OK, o, cut);
}

void fake_answers_video_info(const struct fake_server *server, const char *id, size_t id_len,
                             const char *key, struct fake_reply *reply)
{
    /* A slow info call shows whether a client waits for it before it needs to. */
    if (server->config.info_latency_ms && !fake_stop_sleep_ms(server->config.info_latency_ms)) {
        reply->is_dropped = true;
        return;
    }
    const struct fake_video *video = fake_catalog_find(&server->catalog, id, id_len);
    if (!video || video->access == FAKE_ACCESS_REMOVED || server->config.info_404 ||
        (video->live == FAKE_LIVE_UPCOMING && !fake_live_has_started(server, video))) {
        reply_json(reply, MHD_HTTP_NOT_FOUND, json_pack("{s:s}", "detail", "Not found."), false);
        return;
    }
    if (video->access == FAKE_ACCESS_PRIVATE && (!key || strcmp(key, video->key) != 0)) {
        reply_json(reply, MHD_HTTP_FORBIDDEN, json_pack("{s:s}", "detail", TEXT_PRIVATE), false);
        return;
    }
    char *thumb = fake_video_thumb_url(server, video);
    char *page = fake_video_page_url(video);
    json_t *info = NULL;
    if (thumb && page)
        info = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:{s:I, s:s}, s:{s:I, s:s}, s:o, "
                         "s:s, s:s, s:b, s:b}",
                         "id", video->id, "title", video->title, "description", video->description,
                         "duration", (json_int_t)lround(fake_video_duration(video)), "created_ts",
                         video->created_ts, "publication_ts", video->publication_ts, "hits",
                         (json_int_t)video->hits, "author", "id", (json_int_t)video->author_id,
                         "name", video->author, "category", "id", (json_int_t)video->category_id,
                         "name", video->category, "tags", tags_json(&server->catalog, video),
                         "thumbnail_url", thumb, "video_url", page, "is_adult", 0, "is_livestream",
                         video->live != FAKE_LIVE_NONE);
    free(thumb);
    free(page);
    reply_json(reply, MHD_HTTP_OK, info, false);
}
