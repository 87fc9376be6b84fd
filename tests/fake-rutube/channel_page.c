/* https://rutube.ru/u/<slug>/ pages: a web page whose window.reduxState names the channel. */
#include "fake.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --huge-slug-page pads the page past this before the state, so a client's read cap shows. */
#define HUGE_PAGE_BYTES (8u * 1024 * 1024 + 64 * 1024)
/* Enough rules that the page weighs what a real one does: some tens of KiB. */
#define STYLE_RULES 320
#define MAX_CARDS   12
/* RTK Query's time stamps: fixed, so the page is the same from run to run. */
#define STARTED_MS 1767225600000LL

/* nginx's own 404 page, CRLF and all: what rutube.ru's front answers for an unknown name. */
static const char not_found[] = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
                                "<center><h1>404 Not Found</h1></center>\r\n"
                                "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/* The channel's own words: markup a client must not mistake for the end of the script. */
static const char description[] =
    "<p>Рецепты, которые готовятся быстрее, чем греется духовка.</p>"
    "<p>Новые видео по средам &amp; пятницам. Пишите в комментариях, что приготовить: "
    "</script> в описании ничего не ломает.</p>";

static void html_escaped(FILE *f, const char *text)
{
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*p, f);
        }
    }
}

/* Which of the channel's videos a tab shows: all on the main page, else one kind. */
static bool on_tab(const struct fake_video *video, const char *tab)
{
    if (!tab)
        return true;
    return (strcmp(tab, "shorts") == 0) == (video->kind == FAKE_KIND_SHORT);
}

/* One RTK Query cache entry, as the site's store keeps it. */
static json_t *query(const char *endpoint, json_t *args, json_t *data, int n)
{
    char request_id[32];
    snprintf(request_id, sizeof request_id, "qR%04dxV7kLm2Zp9", n);
    return json_pack("{s:s, s:s, s:s, s:o, s:I, s:o, s:I}", "status", "fulfilled", "endpointName",
                     endpoint, "requestId", request_id, "originalArgs", args, "startedTimeStamp",
                     (json_int_t)(STARTED_MS + n * 7), "data", data, "fulfilledTimeStamp",
                     (json_int_t)(STARTED_MS + n * 7 + 42));
}

static json_t *video_list(const struct fake_server *server, const struct fake_collection *c,
                          const char *tab)
{
    json_t *results = json_array();
    for (size_t i = 0; i < c->video_count && json_array_size(results) < MAX_CARDS; i++) {
        const struct fake_video *video = c->videos[i];
        if (!on_tab(video, tab))
            continue;
        char *page = fake_video_page_url(video);
        char *thumb = fake_video_thumb_url(server, video);
        if (page && thumb)
            json_array_append_new(
                results, json_pack("{s:s, s:s, s:s, s:s, s:I}", "id", video->id, "title",
                                   video->title, "video_url", page, "thumbnail_url", thumb,
                                   "duration", (json_int_t)lround(fake_video_duration(video))));
        free(page);
        free(thumb);
    }
    return results;
}

/*
 * window.reduxState: the site's store. yt-dlp (RutubeChannelIE) looks under api.queries for
 * the key that begins "channelIdBySlug" and reads its data.channel_id; the other entries are
 * there because a real page has them too.
 */
static json_t *redux_state(const struct fake_server *server, const struct fake_collection *c,
                           const char *tab)
{
    char slug_key[160], info_key[96], list_key[160], path[128], channel_url[96];
    snprintf(slug_key, sizeof slug_key, "channelIdBySlug({\"slug\":\"%s\"})", c->slug);
    snprintf(info_key, sizeof info_key, "channelInfo({\"channelId\":%lld})", c->number);
    snprintf(list_key, sizeof list_key,
             "channelVideos({\"channelId\":%lld,\"page\":1,\"tab\":\"%s\"})", c->number,
             tab ? tab : "all");
    snprintf(path, sizeof path, "/u/%s/%s%s", c->slug, tab ? tab : "", tab ? "/" : "");
    snprintf(channel_url, sizeof channel_url, "https://rutube.ru/channel/%lld/", c->number);

    json_t *queries = json_object();
    json_object_set_new(
        queries, "getRegion(undefined)",
        query("getRegion", json_null(), json_pack("{s:s, s:b}", "country", "RU", "is_ru", 1), 1));
    json_object_set_new(queries, "getHeaderMenu(undefined)",
                        query("getHeaderMenu", json_null(),
                              json_pack("{s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}", "items",
                                        "title", "Главная", "url", "/", "title", "Shorts", "url",
                                        "/shorts/", "title", "Каталог", "url", "/feeds/"),
                              2));
    json_object_set_new(queries, slug_key,
                        query("channelIdBySlug", json_pack("{s:s}", "slug", c->slug),
                              json_pack("{s:I}", "channel_id", (json_int_t)c->number), 3));
    json_object_set_new(
        queries, info_key,
        query("channelInfo", json_pack("{s:I}", "channelId", (json_int_t)c->number),
              json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)c->number, "name",
                        c->title, "description", description, "url", channel_url,
                        "subscribers_count", (json_int_t)15230, "video_count",
                        (json_int_t)c->video_count),
              4));
    json_object_set_new(
        queries, list_key,
        query("channelVideos",
              json_pack("{s:I, s:i, s:s}", "channelId", (json_int_t)c->number, "page", 1, "tab",
                        tab ? tab : "all"),
              json_pack("{s:b, s:o}", "has_next", 0, "results", video_list(server, c, tab)), 5));
    return json_pack("{s:{s:o, s:{}, s:{}, s:{}, s:{s:b, s:b, s:b, s:i, s:s}}, s:{s:b}, "
                     "s:{s:{s:s, s:s, s:s}}}",
                     "api", "queries", queries, "mutations", "provided", "subscriptions", "config",
                     "online", 1, "focused", 1, "middlewareRegistered", 1, "keepUnusedDataFor", 60,
                     "reducerPath", "api", "user", "isAuthorized", 0, "router", "location",
                     "pathname", path, "search", "", "hash", "");
}

/* The state as an inline script: "</" written "<\/" (same JSON), so no "</script>" inside. */
static int write_state(FILE *f, const struct fake_server *server, const struct fake_collection *c,
                       const char *tab)
{
    json_t *state = redux_state(server, c, tab);
    char *text = state ? json_dumps(state, JSON_COMPACT) : NULL;
    json_decref(state);
    if (!text)
        return -1;
    fputs("<script>window.reduxState = ", f);
    for (const char *p = text; *p; p++) {
        fputc(*p, f);
        if (p[0] == '<' && p[1] == '/')
            fputc('\\', f);
    }
    fputs(";</script>\n", f);
    free(text);
    return 0;
}

static void write_head(FILE *f, const struct fake_collection *c)
{
    fputs("<!DOCTYPE html>\n<html lang=\"ru\" class=\"no-js\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    html_escaped(f, c->title);
    fputs(" — смотреть видео на RUTUBE</title>\n<meta property=\"og:title\" content=\"", f);
    html_escaped(f, c->title);
    fprintf(f,
            "\">\n<meta property=\"og:url\" content=\"https://rutube.ru/u/%s/\">\n"
            "<link rel=\"canonical\" href=\"https://rutube.ru/channel/%lld/\">\n"
            "<link rel=\"preconnect\" href=\"https://static.rutube.ru\">\n"
            "<link rel=\"stylesheet\" href=\"https://static.rutube.ru/static/wdp/css/"
            "main.4b1c9e.css\">\n<style>\n",
            c->slug, c->number);
    /* A minified stylesheet's worth of rules, made up but fixed. */
    for (unsigned i = 0; i < STYLE_RULES; i++)
        fprintf(f,
                ".wdp-%03x{display:flex;margin:%upx %upx;padding:%upx;color:#%06x;"
                "font:400 14px/20px Inter,Arial,sans-serif;transition:opacity .2s}\n",
                i, i % 16, i % 24, i % 8, (unsigned)(fake_hash(i, "css") & 0xffffff));
    fputs("</style>\n<script>window.__RUTUBE_CONFIG__ = {\"apiHost\":\"https://rutube.ru\","
          "\"staticHost\":\"https://static.rutube.ru\",\"lang\":\"ru\"};</script>\n"
          "<script src=\"https://static.rutube.ru/static/wdp/js/runtime.8f2a1d.js\" "
          "defer></script>\n"
          "<script src=\"https://static.rutube.ru/static/wdp/js/vendors.c3e9b0.js\" "
          "defer></script>\n</head>\n",
          f);
}

static void write_cards(FILE *f, const struct fake_server *server, const struct fake_collection *c,
                        const char *tab)
{
    fputs("<div class=\"video-grid\">\n", f);
    size_t shown = 0;
    for (size_t i = 0; i < c->video_count && shown < MAX_CARDS; i++) {
        const struct fake_video *video = c->videos[i];
        if (!on_tab(video, tab))
            continue;
        shown++;
        char *page = fake_video_page_url(video);
        char *thumb = fake_video_thumb_url(server, video);
        long seconds = lround(fake_video_duration(video));
        fprintf(f, "<a class=\"card\" href=\"%s\"><img src=\"%s\" loading=\"lazy\" alt=\"\">",
                page ? page : "", thumb ? thumb : "");
        fputs("<span class=\"card__title\">", f);
        html_escaped(f, video->title);
        fprintf(f, "</span><span class=\"card__duration\">%ld:%02ld</span></a>\n", seconds / 60,
                seconds % 60);
        free(page);
        free(thumb);
    }
    fputs("</div>\n", f);
}

static void write_body(FILE *f, const struct fake_server *server, const struct fake_collection *c,
                       const char *tab, bool is_huge)
{
    fputs("<body>\n<div id=\"app\">\n<header class=\"header\"><a class=\"header__logo\" "
          "href=\"/\">RUTUBE</a><nav class=\"header__menu\"><a href=\"/\">Главная</a>"
          "<a href=\"/shorts/\">Shorts</a><a href=\"/feeds/\">Каталог</a></nav></header>\n"
          "<main class=\"channel-page\">\n<section class=\"channel-header\">"
          "<h1 class=\"channel-header__title\">",
          f);
    html_escaped(f, c->title);
    fprintf(f,
            "</h1></section>\n<nav class=\"channel-tabs\"><a href=\"/u/%s/\">Главная</a>"
            "<a href=\"/u/%s/videos/\">Видео</a><a href=\"/u/%s/shorts/\">Shorts</a></nav>\n",
            c->slug, c->slug, c->slug);
    write_cards(f, server, c, tab);
    if (is_huge) {
        /* Placeholder cards a lazy grid might send: harmless, and a lot of them. */
        static const char skeleton[] = "<div class=\"skeleton-card\" aria-hidden=\"true\">"
                                       "<div class=\"skeleton-card__thumb\"></div></div>\n";
        for (size_t sent = 0; sent < HUGE_PAGE_BYTES; sent += sizeof skeleton - 1)
            fputs(skeleton, f);
    }
    fputs("</main>\n<footer class=\"footer\">© 2026 RUTUBE</footer>\n</div>\n", f);
}

void fake_channel_page(const struct fake_server *server, const char *slug, size_t slug_len,
                       const char *tab, struct fake_reply *reply)
{
    const struct fake_collection *c =
        slug ? fake_collections_find_slug(&server->catalog, slug, slug_len) : NULL;
    if (!c) {
        fake_reply_copy(reply, MHD_HTTP_NOT_FOUND, "text/html", not_found, sizeof not_found - 1);
        return;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    write_head(f, c);
    write_body(f, server, c, tab, server->config.huge_slug_page);
    int written = write_state(f, server, c, tab);
    fputs("<script src=\"https://static.rutube.ru/static/wdp/js/main.2d7f40.js\" "
          "defer></script>\n<script>(function(){var s=document.createElement('script');"
          "s.async=true;s.src='https://mc.yandex.ru/metrika/tag.js';"
          "document.head.appendChild(s);})();</script>\n</body>\n</html>\n",
          f);
    if (fclose(f) != 0 || written != 0) {
        free(text);
        return;
    }
    fake_reply_take(reply, MHD_HTTP_OK, "text/html; charset=utf-8", text, len);
}
