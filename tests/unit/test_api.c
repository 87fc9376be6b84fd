/* Unit tests for lib/site/api.c: the recorded play options and the ways RuTube says no. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "site/api.h"
#include "fixture.h"

#define ID "2ce725b3dc1a243f8456458975ecd872"

static struct rt_target target(const char *key)
{
    struct rt_target t;
    memset(&t, 0, sizeof t);
    t.kind = RT_TARGET_VIDEO;
    strcpy(t.id, ID);
    strcpy(t.key, key);
    return t;
}

static void api_options_url(void **state)
{
    struct rt_target t = target("");
    char *url = rt__api_options_url("https://rutube.ru", &t);
    /* client=wdp&mq=all&av1=1: or RuTube cuts the master at 1080p and leaves AV1 out. */
    assert_string_equal(url, "https://rutube.ru/api/play/options/" ID
                             "/?no_404=true&referer=https%3A%2F%2Frutube.ru&pver=v2"
                             "&client=wdp&mq=all&av1=1");
    free(url);
    t = target("Ib+A/g=");
    url = rt__api_options_url("http://127.0.0.1:8080", &t);
    assert_string_equal(url, "http://127.0.0.1:8080/api/play/options/" ID
                             "/?no_404=true&referer=https%3A%2F%2Frutube.ru&pver=v2"
                             "&client=wdp&mq=all&av1=1&p=Ib%2BA%2Fg%3D");
    free(url);
}

static void api_fixture(void **state)
{
    size_t len;
    char *json = fixture_read("api_response_fixture.json", &len);
    struct rt_target t = target("");
    struct rt_video v;
    struct rt_error err = {0};
    assert_int_equal(rt__api_parse_options(json, len, 200, &t, &v, &err), RT_OK);
    assert_string_equal(v.id, ID);
    assert_string_equal(v.title, "Пальцы | Трейлер | PREMIER");
    assert_string_equal(v.author, "PREMIER онлайн-кинотеатр");
    assert_true(v.duration > 59.32 && v.duration < 59.34); /* 59329 ms */
    assert_non_null(strstr(v.master_url, "https://bl.rutube.ru/route/" ID ".m3u8?"));
    assert_string_equal(v.page_url, "https://rutube.ru/video/" ID "/");
    assert_non_null(strstr(v.thumbnail_url, "https://pic.rutube.ru/video/"));
    assert_non_null(strstr(v.description, "PREMIER"));
    rt__video_cleanup(&v);
    free(json);
}

/* Parse `json` with `status` and expect `code` with `words` in the message. */
static void expect_refusal(const char *json, long status, const char *key, enum rt_code code,
                           const char *words)
{
    struct rt_target t = target(key);
    struct rt_video v;
    struct rt_error err = {0};
    enum rt_code result = rt__api_parse_options(json, strlen(json), status, &t, &v, &err);
    if (result != code)
        fail_msg("expected %s, got %s (%s) for %s", rt_code_name(code), rt_code_name(result),
                 err.message, json);
    if (words && !strstr(err.message, words))
        fail_msg("message \"%s\" lacks \"%s\"", err.message, words);
    /* The reason alone: rt_video_fetch() names the video in front of it, once. */
    assert_null(strstr(err.message, ID));
    assert_null(v.title);
}

static void api_detail_forms(void **state)
{
    expect_refusal("{\"detail\": {\"languages\": [{\"lang\": \"ru\", \"title\": \"Видео не "
                   "найдено\"}]}}",
                   200, "", RT_E_NOT_FOUND, "Видео не найдено");
    expect_refusal("{\"detail\": \"Видео удалено\"}", 200, "", RT_E_NOT_FOUND, "Видео удалено");
    expect_refusal("{\"detail\": \"Not found.\"}", 404, "", RT_E_NOT_FOUND, "Not found.");
    expect_refusal("{\"detail\": {\"languages\": [{\"lang\": \"ru\", \"title\": \"Это приватное "
                   "видео\"}]}}",
                   200, "", RT_E_PRIVATE, "приватное");
    expect_refusal("{\"detail\": \"Видео недоступно в вашем регионе\"}", 200, "", RT_E_GEO_BLOCKED,
                   "регионе");
    expect_refusal("{\"detail\": \"Что-то пошло не так\"}", 200, "", RT_E_UNAVAILABLE,
                   "Что-то пошло не так");
    /* A detail object without languages still says something sensible. */
    expect_refusal("{\"detail\": {\"code\": 7}}", 200, "", RT_E_UNAVAILABLE, "offers no stream");
    /* 2026's region block: by its type, whatever its words say (cobalt reads it so). */
    expect_refusal("{\"title\": \"x\", \"detail\": {\"type\": \"blocking_rule\", \"languages\": "
                   "[{\"lang\": \"ru\", \"title\": \"Просмотр этого видео недоступен\"}]}}",
                   200, "", RT_E_GEO_BLOCKED, "Просмотр этого видео недоступен");
    expect_refusal("{\"detail\": {\"type\": \"blocking_rule\"}}", 200, "", RT_E_GEO_BLOCKED, NULL);
}

static void api_acl_denied(void **state)
{
    expect_refusal("{\"title\": \"x\", \"acl_access\": {\"allowed\": false, \"err_code\": \"geo\","
                   " \"err_text\": \"Видео недоступно в вашем регионе\"}}",
                   200, "", RT_E_GEO_BLOCKED, "регионе");
    /* Even with a stream address, a denied video is refused before any segment. */
    expect_refusal("{\"video_balancer\": {\"m3u8\": \"https://bl.rutube.ru/x.m3u8\"}, "
                   "\"acl_access\": {\"allowed\": false, \"err_text\": \"Доступ ограничен\"}}",
                   200, "", RT_E_UNAVAILABLE, "Доступ ограничен");
}

static void api_status_without_json(void **state)
{
    expect_refusal("<html>Not Found</html>", 404, "", RT_E_NOT_FOUND, "HTTP 404");
    expect_refusal("<html>Forbidden</html>", 403, "", RT_E_FORBIDDEN, "User-Agent");
    expect_refusal("<html>Forbidden</html>", 403, "somekey", RT_E_PRIVATE, "HTTP 403");
    expect_refusal("{}", 401, "", RT_E_FORBIDDEN, NULL);
}

static void api_malformed(void **state)
{
    expect_refusal("", 200, "", RT_E_BAD_RESPONSE, "not valid JSON");
    expect_refusal("{\"title\": \"x\", \"video_bal", 200, "", RT_E_BAD_RESPONSE, "not valid");
    expect_refusal("[1, 2, 3]", 200, "", RT_E_BAD_RESPONSE, "not an object");
    expect_refusal("\"just a string\"", 200, "", RT_E_BAD_RESPONSE, NULL);
    /* Wrong types: a balancer that is not an object, an address that is not http(s). */
    expect_refusal("{\"video_balancer\": \"https://x/y.m3u8\"}", 200, "", RT_E_UNAVAILABLE, NULL);
    expect_refusal("{\"video_balancer\": {\"m3u8\": \"file:///etc/passwd\"}}", 200, "",
                   RT_E_UNAVAILABLE, NULL);
    expect_refusal("{\"video_balancer\": {\"m3u8\": 42}}", 200, "", RT_E_UNAVAILABLE, NULL);

    /* Deep nesting is refused by the JSON parser, not by a crash. */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 1);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = '\0';
    expect_refusal(deep, 200, "", RT_E_BAD_RESPONSE, NULL);
    free(deep);
}

/* A stream on the air: its live address stands for the master, and it says so. */
static void api_live_stream(void **state)
{
    const char *json = "{\"title\": \"Эфир\", \"duration\": 5000, \"video_balancer\": {}, "
                       "\"live_streams\": {\"hls\": [{\"url\": \"https://x/live.m3u8\"}]}}";
    struct rt_target t = target("");
    struct rt_video v;
    struct rt_error err = {0};
    assert_int_equal(rt__api_parse_options(json, strlen(json), 200, &t, &v, &err), RT_OK);
    assert_true(v.on_air && v.is_live);
    assert_string_equal(v.master_url, "https://x/live.m3u8");
    assert_true(v.duration == 0); /* no length yet, whatever the field says */
    rt__video_cleanup(&v);
    /* An address that is not http(s) is no stream: refused, not recorded. */
    expect_refusal("{\"title\": \"Эфир\", \"live_streams\": {\"hls\": [{\"url\": "
                   "\"file:///etc/passwd\"}]}}",
                   200, "", RT_E_BAD_RESPONSE, "live");
}

static void api_wrong_types_count_as_missing(void **state)
{
    const char *json = "{\"title\": 42, \"description\": null, \"author\": \"nobody\", "
                       "\"duration\": \"long\", \"thumbnail_url\": \"javascript:x\", "
                       "\"effective_video\": \"../../etc\", \"video_url\": 7, "
                       "\"video_balancer\": {\"m3u8\": 5, \"default\": \"https://x/m.m3u8\"}}";
    struct rt_target t = target("");
    struct rt_video v;
    struct rt_error err = {0};
    assert_int_equal(rt__api_parse_options(json, strlen(json), 200, &t, &v, &err), RT_OK);
    assert_string_equal(v.title, "");
    assert_string_equal(v.description, "");
    assert_string_equal(v.author, "");
    assert_string_equal(v.thumbnail_url, "");
    assert_string_equal(v.id, ID);
    assert_string_equal(v.master_url, "https://x/m.m3u8");
    assert_true(v.duration == 0);
    rt__video_cleanup(&v);
}

static void api_captions_and_tags(void **state)
{
    const char *json =
        "{\"video_balancer\": {\"m3u8\": \"https://bl.rutube.ru/m.m3u8\"},"
        " \"author\": {\"id\": 5518074, \"name\": \"A\"},"
        " \"tags\": [{\"id\": 1, \"name\": \"Трейлеры\"}, \"plain\", 5, {\"name\": \"\"}],"
        " \"category\": {\"name\": \"Сериалы\"},"
        " \"captions\": [{\"code\": \"ru\", \"file\": \"https://x/ru.vtt\", \"langTitle\": "
        "\"Русский\", \"format\": \"webvtt\"},"
        "  {\"code\": \"../../etc\", \"file\": \"https://x/evil.vtt\"},"
        "  {\"code\": \"en\", \"file\": \"file:///etc/passwd\"},"
        "  {\"code\": \"en\", \"file\": \"https://x/en.srt\", \"format\": \"srt\"},"
        "  {\"code\": \"de\", \"file\": \"https://x/de\", \"format\": \"ttml\"}, 7]}";
    struct rt_target t = target("");
    struct rt_video v;
    struct rt_error err = {0};
    assert_int_equal(rt__api_parse_options(json, strlen(json), 200, &t, &v, &err), RT_OK);
    assert_int_equal(v.caption_count, 3); /* unsafe code and non-http address skipped */
    assert_string_equal(v.captions[0].lang, "ru");
    assert_string_equal(v.captions[0].name, "Русский");
    assert_string_equal(v.captions[0].url, "https://x/ru.vtt");
    assert_string_equal(v.captions[1].lang, "en");
    assert_string_equal(v.captions[1].name, "");
    /* RuTube's stated formats, as file extensions; one it names otherwise is unknown */
    assert_string_equal(v.caption_formats[0], "vtt");
    assert_string_equal(v.caption_formats[1], "srt");
    assert_string_equal(v.caption_formats[2], "");
    assert_int_equal(v.tag_count, 2);
    assert_string_equal(v.tags[0], "Трейлеры");
    assert_string_equal(v.tags[1], "plain");
    assert_string_equal(v.category, "Сериалы");
    assert_string_equal(v.author_id, "5518074");
    assert_int_equal(v.views, -1);
    rt__video_cleanup(&v);
}

static void api_video_info(void **state)
{
    size_t len;
    char *options = fixture_read("api_response_fixture.json", &len);
    struct rt_target t = target("");
    struct rt_video v;
    struct rt_error err = {0};
    assert_int_equal(rt__api_parse_options(options, len, 200, &t, &v, &err), RT_OK);
    free(options);
    const char *info = "{\"id\": \"" ID "\", \"title\": \"other\", \"duration\": 59,"
                       " \"created_ts\": \"2024-10-29T12:00:00\","
                       " \"publication_ts\": \"2024-10-30T09:15:00\", \"hits\": 12345,"
                       " \"is_adult\": true, \"tags\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}";
    assert_int_equal(rt__api_parse_info(info, strlen(info), &v, &err), RT_OK);
    assert_string_equal(v.published, "2024-10-30T09:15:00"); /* publication beats creation */
    assert_int_equal(v.views, 12345);
    assert_true(v.is_adult);
    assert_int_equal(v.tag_count, 2);
    assert_string_equal(v.title, "Пальцы | Трейлер | PREMIER"); /* play options win */
    assert_true(v.duration > 59.3);                             /* ms from play options kept */

    const char *wrong_types = "{\"created_ts\": 5, \"hits\": \"many\", \"tags\": {}}";
    assert_int_equal(rt__api_parse_info(wrong_types, strlen(wrong_types), &v, &err), RT_OK);
    assert_int_equal(v.views, 12345);
    assert_int_equal(rt__api_parse_info("[]", 2, &v, &err), RT_E_BAD_RESPONSE);
    rt__video_cleanup(&v);
}

static void api_info_url(void **state)
{
    struct rt_target t = target("k+y");
    char *url = rt__api_info_url("https://rutube.ru", &t);
    assert_string_equal(url, "https://rutube.ru/api/video/" ID "/?format=json&p=k%2By");
    free(url);
}

static void api_nul_in_title(void **state)
{
    const char json[] =
        "{\"title\": \"a\\u0000b\", \"video_balancer\": {\"m3u8\": \"https://x/m\"}}";
    struct rt_target t = target("");
    struct rt_video v;
    struct rt_error err = {0};
    assert_int_equal(rt__api_parse_options(json, sizeof json - 1, 200, &t, &v, &err), RT_OK);
    assert_string_equal(v.title, "a b");
    rt__video_cleanup(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(api_options_url),
        cmocka_unit_test(api_fixture),
        cmocka_unit_test(api_detail_forms),
        cmocka_unit_test(api_acl_denied),
        cmocka_unit_test(api_status_without_json),
        cmocka_unit_test(api_malformed),
        cmocka_unit_test(api_live_stream),
        cmocka_unit_test(api_wrong_types_count_as_missing),
        cmocka_unit_test(api_captions_and_tags),
        cmocka_unit_test(api_video_info),
        cmocka_unit_test(api_info_url),
        cmocka_unit_test(api_nul_in_title),
    };
    return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
