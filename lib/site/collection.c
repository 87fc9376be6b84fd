/* Collections: RuTube's paged video lists (playlists, channels, persons, tags, series). */
#include "site/collection.h"
#include "base/i18n.h"

#include "base/abi.h"
#include "base/buf.h"
#include "base/client.h"
#include "base/errors.h"
#include "base/http.h"
#include "base/url.h"
#include "site/address.h"
#include "site/channel.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A page of 100 entries with long descriptions is ~200 KB; 4 MB is already absurd. */
#define PAGE_MAX_BYTES (4u << 20)
/* Pages of cards and no video read in a row before the list is taken as something else. */
#define CARD_PAGES_MAX 5

/* Which list RuTube keeps for each kind, and what the user calls it. */
static const char *kind_name(enum rt_target_kind kind)
{
    switch (kind) {
    case RT_TARGET_PLAYLIST:
        return _("playlist");
    case RT_TARGET_CHANNEL:
    case RT_TARGET_CHANNEL_NAME:
        return _("channel");
    case RT_TARGET_PERSON:
        return _("author");
    case RT_TARGET_TAG:
        return _("tag");
    case RT_TARGET_SERIES:
        return _("series");
    default:
        return _("collection");
    }
}

char *rt__collection_page_url(const char *api_base, const struct rt_target *target, size_t page)
{
    /* The list's path before and after the number, and what the query adds. */
    const char *before, *after, *tail = "";
    switch (target->kind) {
    case RT_TARGET_PLAYLIST:
        before = "/api/playlist/custom/", after = "/videos/";
        break;
    case RT_TARGET_CHANNEL:
        /* A channel is its owner's person list, split by origin type. */
        before = "/api/video/person/", after = "/";
        if (target->section == RT_SECTION_VIDEOS)
            tail = "&origin__type=rtb,rst,ifrm,rspa";
        else if (target->section == RT_SECTION_SHORTS)
            tail = "&origin__type=rshorts";
        break;
    case RT_TARGET_PERSON:
        before = "/api/video/person/", after = "/";
        break;
    case RT_TARGET_TAG:
        before = "/api/tags/video/", after = "/";
        break;
    case RT_TARGET_SERIES:
        before = "/api/metainfo/tv/", after = "/video"; /* RuTube's path: no slash before '?' */
        break;
    default:
        return NULL;
    }
    size_t size =
        strlen(api_base) + strlen(before) + strlen(target->id) + strlen(after) + strlen(tail) + 48;
    char *url = malloc(size);
    if (url)
        snprintf(url, size, "%s%s%s%s?page=%zu&format=json%s", api_base, before, target->id, after,
                 page, tail);
    return url;
}

/* ---- the ids seen so far: a small open-addressing set ---- */

static size_t id_hash(const char *id)
{
    size_t h = 1469598103934665603u;
    for (const char *p = id; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    return h;
}

static bool id_set_has(const struct rt__id_set *set, const char *id)
{
    if (set->cap == 0)
        return false;
    for (size_t i = id_hash(id) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
        if (!set->slots[i])
            return false;
        if (strcmp(set->slots[i], id) == 0)
            return true;
    }
}

static bool id_set_add(struct rt__id_set *set, const char *id)
{
    if ((set->count + 1) * 2 > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        const char **slots = calloc(cap, sizeof *slots);
        if (!slots)
            return false;
        for (size_t k = 0; k < set->cap; k++) {
            if (!set->slots[k])
                continue;
            size_t i = id_hash(set->slots[k]) & (cap - 1);
            while (slots[i])
                i = (i + 1) & (cap - 1);
            slots[i] = set->slots[k];
        }
        free(set->slots);
        set->slots = slots;
        set->cap = cap;
    }
    size_t i = id_hash(id) & (set->cap - 1);
    while (set->slots[i])
        i = (i + 1) & (set->cap - 1);
    set->slots[i] = id;
    set->count++;
    return true;
}

/* ---- pages ---- */

static void entry_cleanup(struct rt_entry *e)
{
    free(e->id);
    free(e->title);
    free(e->url);
    free(e->author);
    memset(e, 0, sizeof *e);
}

static char *dup_string(json_t *obj, const char *name)
{
    const char *value = json_string_value(json_object_get(obj, name));
    return strdup(value ? value : "");
}

/*
 * The video a result is: the result itself, or, for a feed's card ({content_type: {model},
 * object, object_id}), its object when the card is a video's; NULL for cards of anything else.
 * Every other field of a result may be missing, null or of another type (pages since 2019 show
 * fields come and go): they read as empty.
 */
static json_t *video_of(json_t *item)
{
    json_t *type = json_object_get(item, "content_type");
    if (!type || !json_object_get(item, "object"))
        return item;
    const char *model = json_string_value(json_object_get(type, "model"));
    json_t *object = json_object_get(item, "object");
    return model && strcmp(model, "video") == 0 && json_is_object(object) ? object : NULL;
}

/* One result of a page whose id has been checked. */
static enum rt_code read_entry(json_t *item, struct rt_entry *e, struct rt_error *err)
{
    memset(e, 0, sizeof *e);
    const char *id = json_string_value(json_object_get(item, "id"));
    e->id = strdup(id);
    for (char *p = e->id; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    const char *origin = json_string_value(json_object_get(item, "origin_type"));
    e->is_short = origin && strcmp(origin, "rshorts") == 0;
    const char *page = json_string_value(json_object_get(item, "video_url"));
    if (rt__url_is_http(page)) {
        e->url = strdup(page);
    } else if (e->id) {
        char fallback[96];
        snprintf(fallback, sizeof fallback, "https://rutube.ru/%s/%s/",
                 e->is_short ? "shorts" : "video", e->id);
        e->url = strdup(fallback);
    }
    e->title = dup_string(item, "title");
    e->author = dup_string(json_object_get(item, "author"), "name");
    json_t *duration = json_object_get(item, "duration");
    double seconds = json_is_number(duration) ? json_number_value(duration) : 0;
    e->duration = seconds > 0 && seconds < 1e8 ? seconds : 0;
    e->is_live = json_is_true(json_object_get(item, "is_livestream"));
    if (!e->id || !e->url || !e->title || !e->author) {
        entry_cleanup(e);
        return rt__fail(err, RT_E_NOMEM, NULL);
    }
    return RT_OK;
}

/*
 * RuTube's `next` may carry another scheme or host than the one asked (it is built behind
 * RuTube's proxies), so only whether there is one counts: the next page's address is built
 * on the client's API base.
 */
enum rt_code rt__collection_add_page(struct rt__collection_builder *builder, const char *json,
                                     size_t len, const char *what, const struct rt_client *client,
                                     struct rt__page *page, struct rt_error *err)
{
    struct rt_collection *c = builder->collection;
    size_t max_entries = builder->max_entries;
    json_error_t jerr;
    enum rt_code result = RT_OK;
    memset(page, 0, sizeof *page);
    json_t *root = json_loadb(json, len, JSON_ALLOW_NUL, &jerr);
    json_t *results = json_object_get(root, "results");
    if (!json_is_object(root) || !json_is_array(results)) {
        result = rt__fail(err, RT_E_BAD_RESPONSE, _("%s: RuTube's answer is not a list of videos"),
                          what);
        goto out;
    }
    json_t *next = json_object_get(root, "next");
    page->has_next = json_is_true(json_object_get(root, "has_next")) ||
                     (json_is_string(next) && json_string_length(next) > 0);
    page->listed = json_array_size(results);
    for (size_t i = 0; i < page->listed; i++) {
        if (max_entries && c->count >= max_entries)
            break;
        json_t *item = video_of(json_array_get(results, i));
        if (!item) {
            /* A card of something else (a series, a channel) in a feed: not a video, and
             * nothing the user needs to hear about. */
            page->cards++;
            rt__log(client, RT_LOG_DEBUG, "%s, %s: entry %zu is not a video; skipped",
                    builder->about ? builder->about : "", what, i + 1);
            continue;
        }
        const char *id = json_string_value(json_object_get(item, "id"));
        if (!rt__is_video_id(id)) {
            rt__log(client, RT_LOG_WARN, _("%s, %s: entry %zu names no video; skipped"),
                    builder->about ? builder->about : "", what, i + 1);
            continue;
        }
        char lower[33];
        for (size_t k = 0; k < 33; k++)
            lower[k] = (char)tolower((unsigned char)id[k]);
        if (id_set_has(&builder->seen, lower))
            continue;
        if (c->count == builder->cap) {
            size_t grown = builder->cap ? builder->cap * 2 : 64;
            struct rt_entry *more = realloc(c->entries, grown * sizeof *more);
            if (!more) {
                result = rt__fail(err, RT_E_NOMEM, NULL);
                goto out;
            }
            c->entries = more;
            builder->cap = grown;
        }
        result = read_entry(item, &c->entries[c->count], err);
        if (result != RT_OK)
            goto out;
        if (!id_set_add(&builder->seen, c->entries[c->count].id)) {
            entry_cleanup(&c->entries[c->count]);
            result = rt__fail(err, RT_E_NOMEM, NULL);
            goto out;
        }
        c->count++;
        page->added++;
    }
out:
    json_decref(root);
    return result;
}

void rt__collection_builder_cleanup(struct rt__collection_builder *builder)
{
    free(builder->seen.slots);
    memset(&builder->seen, 0, sizeof builder->seen);
}

/* A page RuTube refused. A 404 for the first page is the list itself not there (a deleted
 * playlist answers 404 {"detail": "Not found."}): said of the list, which the caller names. */
static enum rt_code refuse_page(const struct rt__buf *body, long status, size_t page,
                                const char *what, struct rt_error *err)
{
    json_t *root = json_loadb(body->data ? body->data : "", body->len, JSON_ALLOW_NUL, NULL);
    const char *detail = json_string_value(json_object_get(root, "detail"));
    enum rt_code code = rt__http_judge(status).code;
    const char *why = code == RT_E_NOT_FOUND ? _("not found") : rt_strerror(code);
    enum rt_code result;
    if (page == 1 && code == RT_E_NOT_FOUND)
        result = detail && *detail
                     ? rt__fail(err, code, _("not found (RuTube says: %.200s)"), detail)
                     : rt__fail(err, code, _("not found (HTTP %ld)"), status);
    else if (detail && *detail)
        result = rt__fail(err, code, _("%s: %s (RuTube says: %.200s)"), what, why, detail);
    else
        result = rt__fail(err, code, _("%s: %s (HTTP %ld)"), what, why, status);
    json_decref(root);
    return result;
}

void rt_collection_options_init_size(struct rt_collection_options *opts, size_t size)
{
    const struct rt_collection_options defaults = {0};
    rt__options_init(opts, size, &defaults, sizeof defaults);
}

/* rt_collection_fetch() since 0.2 (see base/abi.h; 0.1's is in compat_0_1.c). */
RT__EXPORTED enum rt_code rt__collection_fetch_0_2(struct rt_client *client,
                                                   const struct rt_target *target,
                                                   const struct rt_collection_options *given,
                                                   struct rt_collection **out,
                                                   struct rt_error *err);
RT__CURRENT_SYMBOL(rt__collection_fetch_0_2, rt_collection_fetch, "LIBRUTUBE_0.2");
enum rt_code rt__collection_fetch_0_2(struct rt_client *client, const struct rt_target *target,
                                      const struct rt_collection_options *given,
                                      struct rt_collection **out, struct rt_error *err)
{
    if (!client || !target || !out)
        return rt__fail(err, RT_E_USAGE,
                        _("rt_collection_fetch needs a client, a target and a result"));
    *out = NULL;
    if (!rt_target_is_collection(target))
        return rt__fail(err, RT_E_USAGE, _("the address names one video, not a list of videos"));
    struct rt_collection_options opts;
    rt_collection_options_init(&opts);
    if (!rt__options_take(&opts, sizeof opts, given))
        return rt__fail(err, RT_E_USAGE, _("the list's options were not filled by %s"),
                        "rt_collection_options_init()");
    size_t max_entries = opts.max_entries;
    size_t max_pages = opts.max_pages ? opts.max_pages : RT_DEFAULT_MAX_PAGES;
    struct rt_target numbered;
    if (target->kind == RT_TARGET_CHANNEL_NAME) {
        enum rt_code result = rt__channel_resolve(client, target, &numbered, err);
        if (result != RT_OK) {
            rt__error_about(err, _("channel %s"), target->id);
            return result;
        }
        target = &numbered;
    }

    struct rt_collection *c = calloc(1, sizeof *c);
    if (!c)
        return rt__fail(err, RT_E_NOMEM, NULL);
    char about[sizeof target->id + 64];
    snprintf(about, sizeof about, "%s %s", kind_name(target->kind), target->id);
    struct rt__collection_builder builder = {
        .collection = c, .max_entries = max_entries, .about = about};
    struct rt__buf body;
    enum rt_code result = RT_OK;
    rt__buf_init(&body, PAGE_MAX_BYTES);
    bool more = true;
    size_t cards_only = 0; /* pages in a row that held cards and no video */
    while (more) {
        if (c->pages == max_pages) {
            rt__log(client, RT_LOG_WARN, _("%s: stopped after %zu pages; there may be more"), about,
                    max_pages);
            break;
        }
        if (max_entries && c->count >= max_entries)
            break;
        char what[96];
        snprintf(what, sizeof what, _("page %zu"), c->pages + 1);
        char *url = rt__collection_page_url(client->api_base, target, c->pages + 1);
        if (!url) {
            result = rt__fail(err, RT_E_NOMEM, NULL);
            break;
        }
        long status = 0;
        rt__buf_reset(&body);
        const char *urls[] = {url};
        struct rt__request request = {
            .urls = urls, .url_count = 1, .what = what, .pass_client_errors = true, .api = true};
        result = rt__http_get(client, &request, &body, &status, err);
        free(url);
        if (result == RT_OK && status != 200)
            result = refuse_page(&body, status, c->pages + 1, what, err);
        struct rt__page page;
        if (result == RT_OK)
            result = rt__collection_add_page(&builder, body.data ? body.data : "", body.len, what,
                                             client, &page, err);
        if (result != RT_OK)
            break;
        c->pages++;
        rt__log(client, RT_LOG_DEBUG, "%s, %s: %zu videos, %zu new", about, what, page.listed,
                page.added);
        /* An empty page ends the list whatever has_next says, and so does a page of videos
         * seen already: a server that repeats itself would otherwise be read to the cap. A
         * page of cards alone (a feed of series) is read past, a few of them at most. */
        cards_only = page.listed > 0 && page.cards == page.listed ? cards_only + 1 : 0;
        more = page.has_next && page.listed > 0 &&
               (page.added > 0 || (cards_only > 0 && cards_only < CARD_PAGES_MAX));
        if (page.has_next && page.listed > page.cards && page.added == 0 &&
            !(max_entries && c->count >= max_entries))
            rt__log(client, RT_LOG_WARN, _("%s, %s repeats earlier videos; taking it as the end"),
                    about, what);
    }
    c->complete = result == RT_OK && !more;
    rt__buf_cleanup(&body);
    rt__collection_builder_cleanup(&builder);
    if (result != RT_OK) {
        rt_collection_free(c);
        rt__error_about(err, "%s", about);
        return result;
    }
    *out = c;
    return RT_OK;
}

void rt_collection_free(struct rt_collection *collection)
{
    if (!collection)
        return;
    for (size_t i = 0; i < collection->count; i++)
        entry_cleanup(&collection->entries[i]);
    free(collection->entries);
    free(collection);
}
