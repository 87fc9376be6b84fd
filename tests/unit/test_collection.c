/* Unit tests for lib/site/collection.c and lib/site/yappy.c: RuTube's paged lists and Yappy
 * answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "site/api.h"
#include "site/channel.h"
#include "site/collection.h"
#include "site/yappy.h"

#define A "2ce725b3dc1a243f8456458975ecd872"
#define B "2b920289347334ee93e63873bc444212"
#define C "3eac3b4561676c17df9132a9a1e62e3e"

static struct rt__page add(struct rt__collection_builder *b, const char *json, enum rt_code want)
{
    struct rt__page page;
    struct rt_error err = {0};
    enum rt_code got =
        rt__collection_add_page(b, json, strlen(json), "playlist 1, page 1", NULL, &page, &err);
    if (got != want)
        fail_msg("expected %s, got %s (%s)", rt_code_name(want), rt_code_name(got), err.message);
    return page;
}

static void collection_urls(void **state)
{
    struct rt_target t = {.kind = RT_TARGET_PLAYLIST, .id = "42"};
    char *url = rt__collection_page_url("https://rutube.ru", &t, 3);
    assert_string_equal(url, "https://rutube.ru/api/playlist/custom/42/videos/?page=3&format=json");
    free(url);
    t.kind = RT_TARGET_CHANNEL;
    t.section = RT_SECTION_SHORTS;
    url = rt__collection_page_url("http://h:1", &t, 1);
    assert_string_equal(url, "http://h:1/api/video/person/42/?page=1&format=json"
                             "&origin__type=rshorts");
    free(url);
    t.section = RT_SECTION_VIDEOS;
    url = rt__collection_page_url("http://h:1", &t, 1);
    assert_non_null(strstr(url, "&origin__type=rtb,rst,ifrm,rspa"));
    free(url);
    t.kind = RT_TARGET_SERIES;
    url = rt__collection_page_url("http://h", &t, 2);
    assert_string_equal(url, "http://h/api/metainfo/tv/42/video?page=2&format=json");
    free(url);
    t.kind = RT_TARGET_TAG;
    url = rt__collection_page_url("http://h", &t, 1);
    assert_string_equal(url, "http://h/api/tags/video/42/?page=1&format=json");
    free(url);
    t.kind = RT_TARGET_VIDEO;
    assert_null(rt__collection_page_url("http://h", &t, 1));
}

static void collection_pages_dedup_and_skip(void **state)
{
    struct rt_collection c = {0};
    struct rt__collection_builder b = {.collection = &c};
    struct rt__page p =
        add(&b,
            "{\"has_next\": true, \"next\": \"http://x/?page=2\", \"results\": ["
            "{\"id\": \"" A "\", \"title\": \"Первое\", \"duration\": 59,"
            " \"video_url\": \"https://rutube.ru/video/" A "/\","
            " \"author\": {\"id\": 1, \"name\": \"Автор\"}, \"origin_type\": \"rtb\"},"
            "{\"id\": 12345, \"title\": \"no id\"},"
            "{\"id\": \"" B "\", \"origin_type\": \"rshorts\", \"is_livestream\": true}"
            "]}",
            RT_OK);
    assert_true(p.has_next);
    assert_int_equal(p.listed, 3);
    assert_int_equal(p.added, 2);
    assert_int_equal(c.count, 2);
    assert_string_equal(c.entries[0].title, "Первое");
    assert_string_equal(c.entries[0].author, "Автор");
    assert_true(c.entries[0].duration == 59);
    assert_false(c.entries[0].is_short);
    assert_true(c.entries[1].is_short);
    assert_true(c.entries[1].is_live);
    assert_string_equal(c.entries[1].url, "https://rutube.ru/shorts/" B "/");
    assert_string_equal(c.entries[1].title, "");

    /* A page repeating what came before adds nothing: the caller stops there. */
    p = add(&b, "{\"has_next\": true, \"results\": [{\"id\": \"" A "\"}, {\"id\": \"" B "\"}]}",
            RT_OK);
    assert_int_equal(p.added, 0);
    assert_int_equal(c.count, 2);
    /* Upper-case ids are the same videos. */
    p = add(&b,
            "{\"has_next\": false, \"next\": null, \"results\": [{\"id\": \"2CE725B3DC1A243F"
            "8456458975ECD872\"}, {\"id\": \"" C "\"}]}",
            RT_OK);
    assert_false(p.has_next);
    assert_int_equal(p.added, 1);
    assert_string_equal(c.entries[2].id, C);
    /* An empty page. */
    p = add(&b, "{\"has_next\": true, \"results\": []}", RT_OK);
    assert_int_equal(p.listed, 0);

    rt__collection_builder_cleanup(&b);
    struct rt_collection *heap = malloc(sizeof *heap);
    *heap = c;
    rt_collection_free(heap);
}

static void collection_max_entries(void **state)
{
    struct rt_collection c = {0};
    struct rt__collection_builder b = {.collection = &c, .max_entries = 2};
    add(&b,
        "{\"has_next\": true, \"results\": [{\"id\": \"" A "\"}, {\"id\": \"" B "\"}, {\"id\": \"" C
        "\"}]}",
        RT_OK);
    assert_int_equal(c.count, 2);
    rt__collection_builder_cleanup(&b);
    struct rt_collection *heap = malloc(sizeof *heap);
    *heap = c;
    rt_collection_free(heap);
}

static void collection_malformed(void **state)
{
    struct rt_collection c = {0};
    struct rt__collection_builder b = {.collection = &c};
    add(&b, "", RT_E_BAD_RESPONSE);
    add(&b, "[]", RT_E_BAD_RESPONSE);
    add(&b, "{\"results\": {}}", RT_E_BAD_RESPONSE);
    add(&b, "{\"detail\": \"Not found.\"}", RT_E_BAD_RESPONSE);
    add(&b, "{\"results\": [1, \"x\", null, {\"id\": [\"" A "\"]}]}", RT_OK);
    assert_int_equal(c.count, 0);
    rt__collection_builder_cleanup(&b);
    free(c.entries);
}

static void yappy_finds_the_clip(void **state)
{
    const char *json = "{\"results\": ["
                       "{\"id\": \"other\", \"link\": \"https://cdn/other.mp4\"},"
                       "{\"id\": \"clip1\", \"link\": \"https://cdn/clip1.mp4\","
                       " \"description\": \"Танцы\", \"duration\": 15.5}]}";
    struct rt_video v;
    struct rt_error err = {0};
    assert_int_equal(rt__yappy_parse(json, strlen(json), "clip1", &v, &err), RT_OK);
    assert_string_equal(v.id, "clip1");
    assert_string_equal(v.title, "Танцы");
    assert_true(v.is_yappy);
    assert_int_equal(v.format_count, 1);
    assert_true(v.formats[0].is_file);
    assert_string_equal(v.formats[0].mirrors[0], "https://cdn/clip1.mp4");
    assert_string_equal(v.page_url, "https://rutube.ru/yappy/clip1/");
    assert_true(v.duration == 15.5);
    rt__video_cleanup(&v);

    rt_error_clear(&err);
    assert_int_equal(rt__yappy_parse(json, strlen(json), "missing", &v, &err), RT_E_NOT_FOUND);
    const char *bad_link = "{\"results\": [{\"id\": \"c\", \"link\": \"file:///etc/passwd\"}]}";
    rt_error_clear(&err);
    assert_int_equal(rt__yappy_parse(bad_link, strlen(bad_link), "c", &v, &err), RT_E_BAD_RESPONSE);
    rt_error_clear(&err);
    assert_int_equal(rt__yappy_parse("{}", 2, "c", &v, &err), RT_E_BAD_RESPONSE);
    assert_null(v.id);

    char *url = rt__yappy_url("https://rutube.ru", "a b");
    assert_string_equal(url, "https://rutube.ru/pangolin/api/web/yappy/v4/yappypage/"
                             "?client=wdp&videoId=a%20b&page=1&page_size=1");
    free(url);
}

static int warnings;

static void count_warnings(enum rt_log_level level, const char *message, void *data)
{
    (void)message;
    (void)data;
    warnings += level == RT_LOG_WARN;
}

/* A page of tests/data/real/ (real answers from 2019), read into a fresh builder. */
static struct rt__page real_page(const char *name, struct rt_collection *c)
{
    struct rt_client_options opts;
    rt_client_options_init(&opts);
    opts.log = count_warnings;
    struct rt_client *client = NULL;
    assert_int_equal(rt_client_new(&opts, &client, NULL), RT_OK);
    size_t len;
    char *json = fixture_read(name, &len);
    struct rt__collection_builder b = {.collection = c, .about = "list 1"};
    struct rt__page page;
    struct rt_error err = {0};
    warnings = 0;
    enum rt_code got = rt__collection_add_page(&b, json, len, "page 1", client, &page, &err);
    if (got != RT_OK)
        fail_msg("%s: %s", name, err.message);
    rt__collection_builder_cleanup(&b);
    free(json);
    rt_client_free(client);
    return page;
}

static void free_entries(struct rt_collection *c)
{
    for (size_t i = 0; i < c->count; i++) {
        free(c->entries[i].id);
        free(c->entries[i].title);
        free(c->entries[i].url);
        free(c->entries[i].author);
    }
    free(c->entries);
    memset(c, 0, sizeof *c);
}

/* Every shape the real pages show is read: items without origin_type, with is_deleted,
 * is_hidden, episode, season, num_pages; a feed's cards that are series, not videos, are
 * skipped without a word. */
static void collection_real_pages(void **state)
{
    static const struct {
        const char *name;
        size_t entries;
        bool has_next;
    } pages[] = {
        {"real/dandy_page_tags_4188_p1.json", 20, true},
        {"real/dandy_page_lastpage_8188.json", 12, false},
        {"real/dandy_page_metainfo_tv_1523_p1.json", 20, true},
        {"real/dandy_page_person_1370728_p1.json", 20, true},
        {"real/dandy_page_cardgroup_829_p1.json", 0, true},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        struct rt_collection c = {0};
        struct rt__page page = real_page(pages[i].name, &c);
        if (c.count != pages[i].entries || page.has_next != pages[i].has_next || warnings)
            fail_msg("%s: %zu entries, has_next %d, %d warnings", pages[i].name, c.count,
                     page.has_next, warnings);
        for (size_t k = 0; k < c.count; k++) {
            assert_int_equal(strlen(c.entries[k].id), 32);
            assert_non_null(strstr(c.entries[k].url, "https://rutube.ru/video/"));
            assert_true(c.entries[k].title[0] != '\0');
            assert_false(c.entries[k].is_short); /* no origin_type: a video */
        }
        free_entries(&c);
    }
    struct rt_collection c = {0};
    real_page("real/dandy_page_cardgroup_829_p1.json", &c);
    assert_int_equal(c.count, 0);
    free_entries(&c);
    /* A card that is a video's is that video. */
    struct rt__collection_builder b = {.collection = &c};
    add(&b,
        "{\"results\": [{\"content_type\": {\"model\": \"video\"}, \"object_id\": 1, "
        "\"object\": {\"id\": \"" A "\", \"title\": null, \"duration\": \"x\"}}]}",
        RT_OK);
    assert_int_equal(c.count, 1);
    assert_string_equal(c.entries[0].id, A);
    assert_string_equal(c.entries[0].title, "");
    rt__collection_builder_cleanup(&b);
    free_entries(&c);
}

/* A channel's page: the number is in window.reduxState's channelIdBySlug query, as a number
 * or a string; a page without it is refused. */
static void collection_channel_page(void **state)
{
    char number[32];
    struct rt_error err = {0};
    const char page[] =
        "<html><head><script>var x = 'window.reduxState';</script></head><body>"
        "<script>window.reduxState = {\"api\": {\"queries\": {"
        "\"videoList({\\\"page\\\":1})\": {\"data\": {\"channel_id\": 5}},"
        "\"channelIdBySlug({\\\"slug\\\":\\\"kuhnya5min\\\"})\": {\"status\": \"fulfilled\", "
        "\"data\": {\"channel_id\": 24550718}}}}, \"x\": \"<\\/script>\"};"
        "window.other = 1;</script></body></html>";
    assert_int_equal(rt__channel_parse_page(page, sizeof page - 1, number, sizeof number, &err),
                     RT_OK);
    assert_string_equal(number, "24550718");
    const char as_text[] = "<script>window.reduxState={\"api\":{\"queries\":{"
                           "\"channelIdBySlug({})\":{\"data\":{\"channel_id\":\"777\"}}}}}"
                           "</script>";
    assert_int_equal(
        rt__channel_parse_page(as_text, sizeof as_text - 1, number, sizeof number, &err), RT_OK);
    assert_string_equal(number, "777");
    const char *bad[] = {
        "<html>404 Not Found</html>",
        "<script>window.reduxState = {\"api\": {\"queries\": {}}};</script>",
        "<script>window.reduxState = {\"api\": {\"queries\": {\"channelIdBySlug()\": "
        "{\"data\": {\"channel_id\": \"01x\"}}}}};</script>",
        "<script>window.reduxState = {\"api\": {\"queries\": {\"channelIdBySlug()\": "
        "{\"status\": \"rejected\"}}}};</script>",
        "<script>window.reduxState = {\"api\": </script>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rt_error_clear(&err);
        if (rt__channel_parse_page(bad[i], strlen(bad[i]), number, sizeof number, &err) !=
            RT_E_BAD_RESPONSE)
            fail_msg("accepted: %s", bad[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(collection_urls),
        cmocka_unit_test(collection_pages_dedup_and_skip),
        cmocka_unit_test(collection_max_entries),
        cmocka_unit_test(collection_malformed),
        cmocka_unit_test(yappy_finds_the_clip),
        cmocka_unit_test(collection_real_pages),
        cmocka_unit_test(collection_channel_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
