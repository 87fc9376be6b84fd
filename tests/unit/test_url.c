/* Unit tests for lib/site/address.c and lib/base/url.c: every address form a user pastes, accepted
 * or refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/url.h"

#define ID "2ce725b3dc1a243f8456458975ecd872"

static void expect_video(const char *text, const char *id, const char *key)
{
    struct rt_target t;
    struct rt_error err = {0};
    enum rt_code result = rt_target_parse(text, &t, &err);
    if (result != RT_OK)
        fail_msg("\"%s\" refused: %s", text, err.message);
    assert_int_equal(t.kind, RT_TARGET_VIDEO);
    assert_string_equal(t.id, id);
    assert_string_equal(t.key, key);
}

static void expect_refused(const char *text, enum rt_code code, const char *words)
{
    struct rt_target t;
    struct rt_error err = {0};
    enum rt_code result = rt_target_parse(text, &t, &err);
    if (result != code)
        fail_msg("\"%s\": expected %s, got %s (%s)", text, rt_code_name(code), rt_code_name(result),
                 err.message);
    assert_int_equal(err.code, code);
    if (words && !strstr(err.message, words))
        fail_msg("\"%s\": message \"%s\" lacks \"%s\"", text, err.message, words);
}

static void url_bare_id(void **state)
{
    expect_video(ID, ID, "");
    expect_video("  " ID "\n", ID, "");
    expect_video("2CE725B3DC1A243F8456458975ECD872", ID, "");
}

static void url_video_page_variants(void **state)
{
    expect_video("https://rutube.ru/video/" ID "/", ID, "");
    expect_video("http://rutube.ru/video/" ID "/", ID, "");
    expect_video("rutube.ru/video/" ID "/", ID, "");
    expect_video("rutube.ru/video/" ID, ID, "");
    expect_video("https://www.rutube.ru/video/" ID "/", ID, "");
    expect_video("https://m.rutube.ru/video/" ID "/", ID, "");
    expect_video("HTTPS://RuTube.RU/video/" ID "/", ID, "");
    expect_video("//rutube.ru/video/" ID "/", ID, "");
    expect_video("https://rutube.ru./video/" ID "/", ID, "");
    expect_video("https://rutube.ru/video/" ID "/?t=42&r=plwd", ID, "");
    expect_video("https://rutube.ru/video/" ID "/#comments", ID, "");
    expect_video("https://rutube.ru/video/" ID "?pl_id=4252&pl_type=source", ID, "");
    expect_video("https://rutube.ru/video/" ID "//", ID, "");
}

static void url_private_key(void **state)
{
    expect_video("https://rutube.ru/video/private/" ID "/?p=IbAigKqWd1do4mjaM5XLIQ", ID,
                 "IbAigKqWd1do4mjaM5XLIQ");
    expect_video("https://rutube.ru/video/private/" ID "/?r=wd&p=a-b_c%2Bd#x", ID, "a-b_c+d");
    /* Without its key it is still a video: the API then says it is private. */
    expect_video("https://rutube.ru/video/private/" ID "/", ID, "");
    expect_refused("https://rutube.ru/video/private/" ID "/?p=%zz", RT_E_BAD_URL, "key");
    expect_refused("https://rutube.ru/video/private/" ID "/?p=a%00b", RT_E_BAD_URL, "key");
}

static void url_shorts_and_embeds(void **state)
{
    expect_video("https://rutube.ru/shorts/" ID "/", ID, "");
    expect_video("https://rutube.ru/play/embed/" ID, ID, "");
    expect_video("https://rutube.ru/play/embed/" ID "?p=key123", ID, "key123");
    expect_video("https://rutube.ru/embed/" ID, ID, "");
}

static void expect_kind(const char *text, enum rt_target_kind kind, const char *id,
                        enum rt_channel_section section)
{
    struct rt_target t;
    struct rt_error err = {0};
    enum rt_code result = rt_target_parse(text, &t, &err);
    if (result != RT_OK)
        fail_msg("\"%s\" refused: %s", text, err.message);
    assert_int_equal(t.kind, kind);
    assert_string_equal(t.id, id);
    assert_int_equal(t.section, section);
}

static void url_other_kinds(void **state)
{
    expect_kind("https://rutube.ru/play/embed/6722881", RT_TARGET_EMBED, "6722881", 0);
    expect_kind("https://rutube.ru/video/embed/6722881/", RT_TARGET_EMBED, "6722881", 0);
    expect_kind("https://rutube.ru/embed/6722881?p=k", RT_TARGET_EMBED, "6722881", 0);
    expect_kind("https://rutube.ru/live/video/" ID "/", RT_TARGET_LIVE, ID, 0);
    /* Yappy's API knows its ids in lowercase only. */
    expect_kind("https://rutube.ru/yappy/abc-123_XY/", RT_TARGET_YAPPY, "abc-123_xy", 0);
    expect_kind("https://rutube.ru/yappy/2CE92619C4E6B4F729458647958B2BC8/", RT_TARGET_YAPPY,
                "2ce92619c4e6b4f729458647958b2bc8", 0);
    expect_kind("https://rutube.ru/plst/123456/", RT_TARGET_PLAYLIST, "123456", 0);
    expect_kind("https://rutube.ru/channel/639184/", RT_TARGET_CHANNEL, "639184", RT_SECTION_ALL);
    expect_kind("https://rutube.ru/channel/639184/videos/", RT_TARGET_CHANNEL, "639184",
                RT_SECTION_VIDEOS);
    expect_kind("rutube.ru/channel/639184/shorts", RT_TARGET_CHANNEL, "639184", RT_SECTION_SHORTS);
    expect_kind("https://rutube.ru/video/person/313878/", RT_TARGET_PERSON, "313878", 0);
    expect_kind("https://rutube.ru/tags/video/1800/?page=2", RT_TARGET_TAG, "1800", 0);
    expect_kind("https://rutube.ru/metainfo/tv/123/", RT_TARGET_SERIES, "123", 0);
    expect_kind("https://rutube.ru/metainfo/tv/123/video/", RT_TARGET_SERIES, "123", 0);
    /* Channels by name since 2026, as yt-dlp's RutubeChannelIE knows them. */
    expect_kind("https://rutube.ru/u/kuhnya5min/", RT_TARGET_CHANNEL_NAME, "kuhnya5min",
                RT_SECTION_ALL);
    expect_kind("rutube.ru/u/kuhnya5min/videos/", RT_TARGET_CHANNEL_NAME, "kuhnya5min",
                RT_SECTION_VIDEOS);
    expect_kind("https://www.rutube.ru/u/Ku.hnya-5_min/shorts?x=1", RT_TARGET_CHANNEL_NAME,
                "Ku.hnya-5_min", RT_SECTION_SHORTS);

    struct rt_target t;
    assert_int_equal(rt_target_parse("https://rutube.ru/u/kuhnya5min/", &t, NULL), RT_OK);
    assert_true(rt_target_is_collection(&t));
    /* A private live stream, with its key. */
    assert_int_equal(
        rt_target_parse("https://rutube.ru/live/video/private/" ID "/?p=AbC-1", &t, NULL), RT_OK);
    assert_int_equal(t.kind, RT_TARGET_LIVE);
    assert_string_equal(t.id, ID);
    assert_string_equal(t.key, "AbC-1");
    assert_int_equal(rt_target_parse("https://rutube.ru/plst/1/", &t, NULL), RT_OK);
    assert_true(rt_target_is_collection(&t));
    assert_int_equal(rt_target_parse(ID, &t, NULL), RT_OK);
    assert_false(rt_target_is_collection(&t));
    assert_int_equal(rt_target_parse("https://rutube.ru/yappy/x/", &t, NULL), RT_OK);
    assert_false(rt_target_is_collection(&t));
    assert_false(rt_target_is_collection(NULL));

    expect_refused("https://rutube.ru/plst/12a/", RT_E_BAD_URL, "playlist");
    expect_refused("https://rutube.ru/plst/", RT_E_BAD_URL, NULL);
    expect_refused("https://rutube.ru/channel/639184/about/", RT_E_BAD_URL, "videos/");
    expect_refused("https://rutube.ru/channel/x/", RT_E_BAD_URL, "channel");
    expect_refused("https://rutube.ru/u/a%2Fb/", RT_E_BAD_URL, "channel name");
    expect_refused("https://rutube.ru/u/../", RT_E_BAD_URL, NULL);
    expect_refused("https://rutube.ru/u/kuhnya5min/about/", RT_E_BAD_URL, "videos/");
    expect_refused("https://rutube.ru/u/"
                   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/",
                   RT_E_BAD_URL, "channel name");
    expect_refused("https://rutube.ru/live/video/123/", RT_E_BAD_URL, "32 hex");
    expect_refused("https://rutube.ru/yappy/a%2Fb/", RT_E_BAD_URL, "Yappy");
    expect_refused("https://rutube.ru/play/embed/12345678901234567890123/", RT_E_BAD_URL, NULL);
    expect_refused("https://rutube.ru/video/person/12/x/", RT_E_BAD_URL, NULL);
}

static void url_garbage_refused(void **state)
{
    expect_refused("", RT_E_BAD_URL, "empty");
    expect_refused("   ", RT_E_BAD_URL, "empty");
    expect_refused("https://youtube.com/watch?v=abc", RT_E_BAD_URL, "youtube.com");
    expect_refused("https://rutube.ru.evil.com/video/" ID "/", RT_E_BAD_URL, "evil");
    expect_refused("https://evilrutube.ru/video/" ID "/", RT_E_BAD_URL, "not a RuTube");
    expect_refused("https://user@rutube.ru/video/" ID "/", RT_E_BAD_URL, "not a RuTube");
    expect_refused("https://rutube.ru:8080/video/" ID "/", RT_E_BAD_URL, "not a RuTube");
    expect_refused("ftp://rutube.ru/video/" ID "/", RT_E_BAD_URL, "http");
    expect_refused("file:///etc/passwd", RT_E_BAD_URL, NULL);
    expect_refused("javascript:alert(1)", RT_E_BAD_URL, NULL);
    expect_refused("https://rutube.ru/video/2ce725b3/", RT_E_BAD_URL, "32 hex");
    expect_refused("https://rutube.ru/video/" ID "x/", RT_E_BAD_URL, "32 hex");
    expect_refused("https://rutube.ru/video/zze725b3dc1a243f8456458975ecd872/", RT_E_BAD_URL,
                   "32 hex");
    expect_refused("https://rutube.ru/", RT_E_BAD_URL, "names neither a video");
    expect_refused("https://rutube.ru/video/" ID "/extra/", RT_E_BAD_URL, NULL);
    expect_refused("https://rutube.ru/feeds/top/", RT_E_UNSUPPORTED, NULL);
    expect_refused("2ce725b3dc1a243f8456458975ecd87", RT_E_BAD_URL, NULL);
    expect_refused("https://rutube.ru/video/ 2ce725b3dc1a243f8456458975ecd872/", RT_E_BAD_URL,
                   "spaces");
    expect_refused("https://rutube.ru/video/\x01/", RT_E_BAD_URL, "control");

    char huge[5000];
    memset(huge, 'a', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    expect_refused(huge, RT_E_BAD_URL, "too long");
}

static void url_resolve_relative(void **state)
{
    char *out = NULL;
    struct rt_error err = {0};
    const char *base = "https://river-1.rutube.ru/hls-vod/abc/1737140666/2462/0x5/"
                       "6f40.mp4.m3u8?i=1280x712_4166";
    assert_int_equal(rt__url_resolve(base, "6f40.mp4/segment-1-v1-a1.ts", &out, &err), RT_OK);
    assert_string_equal(out, "https://river-1.rutube.ru/hls-vod/abc/1737140666/2462/0x5/"
                             "6f40.mp4/segment-1-v1-a1.ts");
    free(out);
    /* Climbing above the root stops at the root (RFC 3986 5.2.4). */
    assert_int_equal(rt__url_resolve("http://h/a/b.m3u8", "../../../../x.ts", &out, &err), RT_OK);
    assert_string_equal(out, "http://h/x.ts");
    free(out);
    assert_int_equal(rt__url_resolve(base, "https://other.example/s.ts?x=1", &out, &err), RT_OK);
    assert_string_equal(out, "https://other.example/s.ts?x=1");
    free(out);
}

static void url_resolve_refuses_other_schemes(void **state)
{
    char *out = NULL;
    struct rt_error err = {0};
    assert_int_equal(rt__url_resolve("http://h/a.m3u8", "file:///etc/passwd", &out, &err),
                     RT_E_BAD_PLAYLIST);
    assert_null(out);
    rt_error_clear(&err);
    assert_int_equal(rt__url_resolve("http://h/a.m3u8", "ftp://h/x.ts", &out, &err),
                     RT_E_BAD_PLAYLIST);
    rt_error_clear(&err);
    assert_int_equal(rt__url_resolve("http://h/a.m3u8", "gopher://h/x", &out, &err),
                     RT_E_BAD_PLAYLIST);
    assert_null(out);
}

static void url_encode_key(void **state)
{
    char out[64] = "";
    assert_true(rt__url_encode("a+b/c=d_e-f.g~", out, sizeof out));
    assert_string_equal(out, "a%2Bb%2Fc%3Dd_e-f.g~");
    char tiny[4] = "";
    assert_false(rt__url_encode("+++", tiny, sizeof tiny));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(url_bare_id),          cmocka_unit_test(url_video_page_variants),
        cmocka_unit_test(url_private_key),      cmocka_unit_test(url_shorts_and_embeds),
        cmocka_unit_test(url_other_kinds),      cmocka_unit_test(url_garbage_refused),
        cmocka_unit_test(url_resolve_relative), cmocka_unit_test(url_resolve_refuses_other_schemes),
        cmocka_unit_test(url_encode_key),
    };
    return cmocka_run_group_tests_name("url", tests, NULL, NULL);
}
