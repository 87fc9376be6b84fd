/* Unit tests for lib/site/collection.c and lib/site/yappy.c: RuTube's paged lists and Yappy
 * answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "site/api.h"
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
    assert_string_equal(url, "https://rutube.ru/pangolin/api/web/yappy/yappypage/"
                             "?client=wdp&source=shorts&videoId=a%20b");
    free(url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(collection_urls),        cmocka_unit_test(collection_pages_dedup_and_skip),
        cmocka_unit_test(collection_max_entries), cmocka_unit_test(collection_malformed),
        cmocka_unit_test(yappy_finds_the_clip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
