/* Playlists, persons (channels), tags and series: catalog.json's lists as RuTube's JSON pages. */
#include "fake.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How many entries a page holds when the catalog does not say. */
#define DEFAULT_PER_PAGE 20
#define MAX_PER_PAGE     100

/* rutube.ru's origin types: channels filter on them with ?origin__type=a,b,... */
#define ORIGIN_VIDEO "rtb"
#define ORIGIN_SHORT "rshorts"

static const char *const kind_names[FAKE_COLLECTION_KIND_COUNT] = {
    "playlist",
    "person",
    "tag",
    "series",
};

const char *fake_origin_type(const struct fake_video *video)
{
    return video->kind == FAKE_KIND_SHORT ? ORIGIN_SHORT : ORIGIN_VIDEO;
}

static bool has_tag(const struct fake_video *video, const char *name)
{
    size_t i;
    json_t *tag;
    json_array_foreach(video->tags, i, tag)
    {
        if (json_is_string(tag) && strcmp(json_string_value(tag), name) == 0)
            return true;
    }
    return false;
}

/*
 * The catalog must agree with itself, or a test would pass against a list RuTube could not
 * produce: a person's list holds that author's videos, a tag's list videos carrying the tag.
 */
static int check_member(const struct fake_collection *c, const struct fake_video *video)
{
    if (c->kind == FAKE_COLLECTION_PERSON && video->author_id != c->number) {
        fprintf(stderr,
                FAKE_PROGRAM
                ": person %lld lists %s, whose author_id is %lld (set \"author_id\")\n",
                c->number, video->id, video->author_id);
        return -1;
    }
    if (c->kind == FAKE_COLLECTION_TAG && !has_tag(video, c->title)) {
        fprintf(stderr, FAKE_PROGRAM ": tag %lld (\"%s\") lists %s, which lacks that tag\n",
                c->number, c->title, video->id);
        return -1;
    }
    return 0;
}

static int load_kind(json_t *entry, enum fake_collection_kind *kind)
{
    const char *name = json_string_value(json_object_get(entry, "kind"));
    for (int k = 0; name && k < FAKE_COLLECTION_KIND_COUNT; k++) {
        if (strcmp(name, kind_names[k]) == 0) {
            *kind = (enum fake_collection_kind)k;
            return 0;
        }
    }
    fprintf(stderr, FAKE_PROGRAM ": a collection's \"kind\" is playlist, person, tag or series\n");
    return -1;
}

/* A channel's name in https://rutube.ru/u/<slug>/: one path part, plain characters. */
static bool is_slug(const char *slug)
{
    size_t len = strlen(slug);
    return len > 0 && len <= 64 &&
           strspn(slug, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") ==
               len &&
           slug[0] != '.';
}

static int load_slug(struct fake_collection *c, json_t *entry)
{
    json_t *value = json_object_get(entry, "slug");
    if (!value)
        return 0;
    const char *slug = json_string_value(value);
    if (c->kind != FAKE_COLLECTION_PERSON || !slug || !is_slug(slug)) {
        fprintf(stderr,
                FAKE_PROGRAM ": %s %lld: only a person has a \"slug\" (letters, digits, _-.)\n",
                kind_names[c->kind], c->number);
        return -1;
    }
    c->slug = strdup(slug);
    return c->slug ? 0 : -1;
}

static int load_videos(struct fake_catalog *catalog, struct fake_collection *c, json_t *videos)
{
    c->videos = calloc(json_array_size(videos) + 1, sizeof *c->videos);
    if (!c->videos)
        return -1;
    size_t i;
    json_t *id;
    json_array_foreach(videos, i, id)
    {
        const char *text = json_string_value(id);
        const struct fake_video *video =
            text ? fake_catalog_find(catalog, text, strlen(text)) : NULL;
        if (!video) {
            fprintf(stderr, FAKE_PROGRAM ": %s %lld lists \"%s\", which is not in \"videos\"\n",
                    kind_names[c->kind], c->number, text ? text : "(not a string)");
            return -1;
        }
        if (check_member(c, video) != 0)
            return -1;
        c->videos[c->video_count++] = video;
    }
    return 0;
}

static int load_one(struct fake_catalog *catalog, struct fake_collection *c, json_t *entry,
                    const char *pages_dir)
{
    if (load_kind(entry, &c->kind) != 0)
        return -1;
    json_t *number = json_object_get(entry, "number");
    json_t *per_page = json_object_get(entry, "per_page");
    json_t *videos = json_object_get(entry, "videos");
    c->number = json_integer_value(number);
    if (!json_is_integer(number) || c->number <= 0 || c->number > 999999999999999LL) {
        fprintf(stderr, FAKE_PROGRAM ": a %s needs a positive integer \"number\"\n",
                kind_names[c->kind]);
        return -1;
    }
    c->per_page = DEFAULT_PER_PAGE;
    if (per_page) {
        json_int_t p = json_integer_value(per_page);
        if (!json_is_integer(per_page) || p < 1 || p > MAX_PER_PAGE) {
            fprintf(stderr, FAKE_PROGRAM ": %s %lld: \"per_page\" is 1 to %d\n",
                    kind_names[c->kind], c->number, MAX_PER_PAGE);
            return -1;
        }
        c->per_page = (unsigned)p;
    }
    const char *title = json_string_value(json_object_get(entry, "title"));
    c->title = strdup(title ? title : "");
    if (!c->title)
        return -1;
    c->is_endless = json_is_true(json_object_get(entry, "endless"));
    c->has_empty_last_page = json_is_true(json_object_get(entry, "empty_last_page"));
    if (load_slug(c, entry) != 0)
        return -1;
    /* Recorded pages stand for the list: no videos of the catalog's, no flags shaping pages. */
    if (json_object_get(entry, "pages")) {
        if (videos || c->is_endless || c->has_empty_last_page) {
            fprintf(stderr,
                    FAKE_PROGRAM ": %s %lld: \"pages\" excludes \"videos\", \"endless\" and "
                                 "\"empty_last_page\"\n",
                    kind_names[c->kind], c->number);
            return -1;
        }
        return fake_pages_load(c, entry, pages_dir);
    }
    if (!json_is_array(videos) || (c->is_endless && json_array_size(videos) == 0) ||
        (c->is_endless && c->has_empty_last_page)) {
        fprintf(stderr,
                FAKE_PROGRAM ": %s %lld needs a \"videos\" array (not empty when endless; "
                             "endless and empty_last_page exclude each other)\n",
                kind_names[c->kind], c->number);
        return -1;
    }
    return load_videos(catalog, c, videos);
}

int fake_collections_load(struct fake_catalog *catalog, json_t *root, const char *pages_dir)
{
    json_t *list = json_object_get(root, "collections");
    if (!list)
        return 0;
    if (!json_is_array(list)) {
        fprintf(stderr, FAKE_PROGRAM ": \"collections\" must be an array\n");
        return -1;
    }
    catalog->collections = calloc(json_array_size(list) + 1, sizeof *catalog->collections);
    if (!catalog->collections)
        return -1;
    size_t i;
    json_t *entry;
    json_array_foreach(list, i, entry)
    {
        struct fake_collection *c = &catalog->collections[catalog->collection_count++];
        if (load_one(catalog, c, entry, pages_dir) != 0)
            return -1;
        for (size_t j = 0; j < i; j++) {
            const struct fake_collection *other = &catalog->collections[j];
            if (other->kind == c->kind && other->number == c->number) {
                fprintf(stderr, FAKE_PROGRAM ": %s %lld listed twice\n", kind_names[c->kind],
                        c->number);
                return -1;
            }
            /* A tag's id is its number everywhere: one name, one number. */
            if (c->kind == FAKE_COLLECTION_TAG && other->kind == FAKE_COLLECTION_TAG &&
                strcmp(other->title, c->title) == 0) {
                fprintf(stderr, FAKE_PROGRAM ": tag \"%s\" listed twice\n", c->title);
                return -1;
            }
            if (c->slug && other->slug && strcmp(c->slug, other->slug) == 0) {
                fprintf(stderr, FAKE_PROGRAM ": slug \"%s\" listed twice\n", c->slug);
                return -1;
            }
        }
    }
    return 0;
}

void fake_collections_cleanup(struct fake_catalog *catalog)
{
    for (size_t i = 0; i < catalog->collection_count; i++) {
        free(catalog->collections[i].title);
        free(catalog->collections[i].videos);
        free(catalog->collections[i].slug);
        fake_pages_cleanup(&catalog->collections[i]);
    }
    free(catalog->collections);
    catalog->collections = NULL;
    catalog->collection_count = 0;
}

const struct fake_collection *fake_collections_find_slug(const struct fake_catalog *catalog,
                                                         const char *slug, size_t len)
{
    for (size_t i = 0; i < catalog->collection_count; i++) {
        const struct fake_collection *c = &catalog->collections[i];
        if (c->slug && strlen(c->slug) == len && memcmp(c->slug, slug, len) == 0)
            return c;
    }
    return NULL;
}

long long fake_collections_tag_id(const struct fake_catalog *catalog, const char *name)
{
    for (size_t i = 0; i < catalog->collection_count; i++) {
        const struct fake_collection *c = &catalog->collections[i];
        if (c->kind == FAKE_COLLECTION_TAG && strcmp(c->title, name) == 0)
            return c->number;
    }
    return -1;
}

static const struct fake_collection *find(const struct fake_catalog *catalog,
                                          enum fake_collection_kind kind, const char *number,
                                          size_t number_len)
{
    long long n;
    if (!fake_parse_number(number, number_len, &n))
        return NULL;
    for (size_t i = 0; i < catalog->collection_count; i++)
        if (catalog->collections[i].kind == kind && catalog->collections[i].number == n)
            return &catalog->collections[i];
    return NULL;
}

/* origin__type=a,b,...: keep the videos whose origin is one of them; absent or empty: all. */
static bool origin_matches(const char *filter, const struct fake_video *video)
{
    if (!filter || !filter[0])
        return true;
    const char *origin = fake_origin_type(video);
    size_t len = strlen(origin);
    for (const char *p = filter;;) {
        const char *comma = strchr(p, ',');
        size_t part = comma ? (size_t)(comma - p) : strlen(p);
        if (part == len && memcmp(p, origin, len) == 0)
            return true;
        if (!comma)
            return false;
        p = comma + 1;
    }
}

/* One entry of "results", shaped like rutube.ru's list entries. */
static json_t *entry_json(const struct fake_server *server, const struct fake_video *video)
{
    char *page = fake_video_page_url(video);
    char *thumb = fake_video_thumb_url(server, video);
    json_t *entry = NULL;
    if (page && thumb)
        entry = json_pack(
            "{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:s, s:{s:I, s:s}, "
            "s:{s:I, s:s}, s:b, s:s, s:b}",
            "id", video->id, "title", video->title, "description", video->description, "video_url",
            page, "duration", (json_int_t)lround(fake_video_duration(video)), "created_ts",
            video->created_ts, "publication_ts", video->publication_ts, "hits",
            (json_int_t)video->hits, "thumbnail_url", thumb, "author", "id",
            (json_int_t)video->author_id, "name", video->author, "category", "id",
            (json_int_t)video->category_id, "name", video->category, "is_livestream",
            video->live != FAKE_LIVE_NONE, "origin_type", fake_origin_type(video), "is_adult", 0);
    free(page);
    free(thumb);
    return entry;
}

/*
 * The next page's address: this server, the path as asked, the query as asked with its page
 * parameter set to `page` (added at the end when there was none, later copies dropped).
 */
static char *next_url(const struct fake_server *server, const char *uri, long long page)
{
    char *url = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&url, &size);
    if (!f)
        return NULL;
    const char *query = strchr(uri, '?');
    size_t path_len = query ? (size_t)(query - uri) : strlen(uri);
    fprintf(f, "%s%.*s?", server->api_base, (int)path_len, uri);
    bool has_page = false;
    const char *sep = "";
    for (const char *p = query ? query + 1 : NULL; p && *p;) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        size_t name_len = eq ? (size_t)(eq - p) : len;
        bool is_page = name_len == 4 && memcmp(p, "page", 4) == 0;
        if (is_page && !has_page)
            fprintf(f, "%spage=%lld", sep, page);
        else if (!is_page && len > 0)
            fprintf(f, "%s%.*s", sep, (int)len, p);
        if (len > 0 && !(is_page && has_page))
            sep = "&";
        has_page = has_page || is_page;
        p = amp ? amp + 1 : NULL;
    }
    if (!has_page)
        fprintf(f, "%spage=%lld", sep, page);
    if (fclose(f) != 0) {
        free(url);
        return NULL;
    }
    return url;
}

static void reply_detail(struct fake_reply *reply, unsigned status, const char *text)
{
    fake_reply_json(reply, status, json_pack("{s:s}", "detail", text));
}

void fake_collections_reply(const struct fake_server *server,
                            const struct fake_page_request *request, struct fake_reply *reply)
{
    const struct fake_collection *c =
        find(&server->catalog, request->kind, request->number, request->number_len);
    if (!c) {
        reply_detail(reply, MHD_HTTP_NOT_FOUND, "Not found.");
        return;
    }
    long long page = 1;
    if (request->page && !fake_parse_number(request->page, strlen(request->page), &page)) {
        /* Django REST framework's answer to a page that is not a number from 1. */
        reply_detail(reply, MHD_HTTP_NOT_FOUND, "Invalid page.");
        return;
    }
    if (c->pages) {
        fake_pages_reply(c, page, reply);
        return;
    }
    /* Only persons (channels) tell videos from shorts. */
    const char *filter = request->kind == FAKE_COLLECTION_PERSON ? request->origin_type : NULL;
    const struct fake_video **kept = calloc(c->video_count + 1, sizeof *kept);
    json_t *results = json_array();
    if (!kept || !results) {
        free(kept);
        json_decref(results);
        return;
    }
    size_t total = 0;
    for (size_t i = 0; i < c->video_count; i++)
        if (origin_matches(filter, c->videos[i]))
            kept[total++] = c->videos[i];

    /* Pages that hold entries, then the empty one a flagged list ends with. */
    long long full_pages = (long long)((total + c->per_page - 1) / c->per_page);
    long long pages = full_pages + (c->has_empty_last_page ? 1 : 0);
    bool has_next = c->is_endless || page < pages;
    /* An endless list serves its first page again and again. */
    long long shown = c->is_endless ? 1 : page;
    if (shown <= full_pages) {
        size_t first = (size_t)(shown - 1) * c->per_page;
        for (size_t i = first; i < total && i < first + c->per_page; i++)
            json_array_append_new(results, entry_json(server, kept[i]));
    }
    free(kept);

    char *next = has_next ? next_url(server, request->uri, page + 1) : NULL;
    json_t *body = NULL;
    if (!has_next || next)
        body = json_pack("{s:b, s:s?, s:I, s:I, s:o}", "has_next", has_next, "next", next, "page",
                         (json_int_t)page, "per_page", (json_int_t)c->per_page, "results", results);
    else
        json_decref(results);
    free(next);
    fake_reply_json(reply, MHD_HTTP_OK, body);
}

void fake_collections_series_info(const struct fake_server *server, const char *number,
                                  size_t number_len, struct fake_reply *reply)
{
    const struct fake_collection *c =
        find(&server->catalog, FAKE_COLLECTION_SERIES, number, number_len);
    if (!c) {
        reply_detail(reply, MHD_HTTP_NOT_FOUND, "Not found.");
        return;
    }
    fake_reply_json(reply, MHD_HTTP_OK,
                    json_pack("{s:I, s:s}", "id", (json_int_t)c->number, "name", c->title));
}
