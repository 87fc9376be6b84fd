/* Unit tests for lib/hls/hls.c: the recorded playlists and hostile variants of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "hls/hls.h"

#define MASTER_URL "https://bl.rutube.ru/route/2ce725b3dc1a243f8456458975ecd872.m3u8?guids=x"

static void hls_master_fixture(void **state)
{
    size_t len;
    char *text = fixture_read("master_playlist_fixture.m3u8", &len);
    struct rt__master m;
    struct rt_error err = {0};
    assert_int_equal(rt__hls_parse_master(text, len, MASTER_URL, &m, &err), RT_OK);
    assert_int_equal(m.count, 10);
    assert_int_equal(m.variants[0].width, 256);
    assert_int_equal(m.variants[0].height, 136);
    assert_int_equal(m.variants[0].bandwidth, 419000);
    assert_true(m.variants[0].frame_rate == 25.0);
    assert_string_equal(m.variants[0].codecs, "avc1.42c01f, mp4a.40.2");
    assert_string_equal(m.variants[9].codecs, "avc1.640029, mp4a.40.2");
    assert_int_equal(m.variants[9].width, 1280);
    assert_int_equal(m.variants[9].height, 712);
    assert_non_null(strstr(m.variants[0].url, "https://river-5-537.rutube.ru/hls-vod/"));
    assert_non_null(strstr(m.variants[1].url, "https://river-1.rutube.ru/hls-vod/"));
    assert_non_null(strstr(m.variants[9].url, "?i=1280x712_4166"));
    rt__master_cleanup(&m);
    free(text);
}

static void hls_media_fixture(void **state)
{
    size_t len;
    char *text = fixture_read("video_file_playlist_fixture.mp4.m3u8", &len);
    struct rt__media m;
    struct rt_error err = {0};
    assert_int_equal(rt__hls_parse_media(text, len, &m, &err), RT_OK);
    assert_int_equal(m.count, 16);
    assert_string_equal(m.segments[0].ref,
                        "6f406bae8ae04c07affb857db66de2ce.mp4/segment-1-v1-a1.ts");
    assert_string_equal(m.segments[15].ref,
                        "6f406bae8ae04c07affb857db66de2ce.mp4/segment-16-v1-a1.ts");
    assert_true(m.segments[0].duration == 2.0);
    assert_true(m.segments[15].duration > 3.31 && m.segments[15].duration < 3.33);
    /* 2 + 2 + 13 * 4 + 3.32 */
    assert_true(m.duration > 59.31 && m.duration < 59.33);
    rt__media_cleanup(&m);
    free(text);
}

/* Parse `text` as a media playlist and expect `code` with `words` in the message. */
static void expect_media(const char *text, enum rt_code code, const char *words)
{
    struct rt__media m;
    struct rt_error err = {0};
    enum rt_code result = rt__hls_parse_media(text, strlen(text), &m, &err);
    if (result != code)
        fail_msg("expected %s, got %s (%s) for:\n%s", rt_code_name(code), rt_code_name(result),
                 err.message, text);
    if (words && !strstr(err.message, words))
        fail_msg("message \"%s\" lacks \"%s\"", err.message, words);
    if (result == RT_OK)
        rt__media_cleanup(&m);
}

static void expect_master(const char *text, enum rt_code code, const char *words)
{
    struct rt__master m;
    struct rt_error err = {0};
    enum rt_code result = rt__hls_parse_master(text, strlen(text), MASTER_URL, &m, &err);
    if (result != code)
        fail_msg("expected %s, got %s (%s) for:\n%s", rt_code_name(code), rt_code_name(result),
                 err.message, text);
    if (words && !strstr(err.message, words))
        fail_msg("message \"%s\" lacks \"%s\"", err.message, words);
    if (result == RT_OK)
        rt__master_cleanup(&m);
}

static void hls_media_tolerates_crlf_bom_and_blank_lines(void **state)
{
    expect_media("\xEF\xBB\xBF#EXTM3U\r\n\r\n#EXT-X-TARGETDURATION:4\r\n#EXTINF:4.0,\r\n"
                 "a.ts\r\n#EXT-X-DISCONTINUITY\r\n#EXTINF:4,title\r\n b.ts \r\n"
                 "#EXT-X-ENDLIST\r\n",
                 RT_OK, NULL);
    expect_media("#EXTM3U\n#EXTINF:1,\na.ts\n#EXT-X-KEY:METHOD=NONE\n#EXTINF:1,\nb.ts\n"
                 "#EXT-X-ENDLIST",
                 RT_OK, NULL);
}

static void hls_media_hostile(void **state)
{
    expect_media("", RT_E_BAD_PLAYLIST, "#EXTM3U");
    expect_media("<html>502 Bad Gateway</html>", RT_E_BAD_PLAYLIST, "#EXTM3U");
    expect_media("#EXTM3U\n#EXT-X-ENDLIST\n", RT_E_BAD_PLAYLIST, "no segments");
    expect_media("#EXTM3U\n#EXTINF:4,\na.ts\n", RT_E_BAD_PLAYLIST, "ENDLIST");
    expect_media("#EXTM3U\na.ts\n#EXT-X-ENDLIST\n", RT_E_BAD_PLAYLIST, "without #EXTINF");
    expect_media("#EXTM3U\n#EXTINF:-4,\na.ts\n#EXT-X-ENDLIST\n", RT_E_BAD_PLAYLIST, "impossible");
    expect_media("#EXTM3U\n#EXTINF:99999999,\na.ts\n#EXT-X-ENDLIST\n", RT_E_BAD_PLAYLIST,
                 "impossible");
    /* A number from the server is quoted clipped, not as 300 digits. */
    expect_media("#EXTM3U\n#EXTINF:1e300,\na.ts\n#EXT-X-ENDLIST\n", RT_E_BAD_PLAYLIST,
                 "impossible segment duration 1e+300 s");
    expect_media("#EXTM3U\n#EXTINF:nan,\na.ts\n#EXT-X-ENDLIST\n", RT_E_BAD_PLAYLIST, NULL);
    expect_media("#EXTM3U\n#EXTINF:inf,\na.ts\n#EXT-X-ENDLIST\n", RT_E_BAD_PLAYLIST, NULL);
    expect_media("#EXTM3U\n#EXTINF:1e999,\na.ts\n#EXT-X-ENDLIST\n", RT_E_BAD_PLAYLIST, NULL);
    expect_media("#EXTM3U\n#EXTINF:,\na.ts\n#EXT-X-ENDLIST\n", RT_E_BAD_PLAYLIST, "#EXTINF");
    expect_media("#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:4,\na.ts\n"
                 "#EXT-X-ENDLIST\n",
                 RT_E_BAD_PLAYLIST, "encrypted");
    expect_media("#EXTM3U\n#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"k\"\n#EXTINF:4,\na.ts\n"
                 "#EXT-X-ENDLIST\n",
                 RT_E_BAD_PLAYLIST, "encrypted");
    expect_media("#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\",BYTERANGE=\"720@0\"\n#EXTINF:4,\na.m4s\n"
                 "#EXT-X-ENDLIST\n",
                 RT_E_BAD_PLAYLIST, "byte range");
    expect_media("#EXTM3U\n#EXT-X-MAP:URI=\"a.mp4\"\n#EXTINF:4,\na.m4s\n#EXT-X-MAP:URI=\"b.mp4\"\n"
                 "#EXTINF:4,\nb.m4s\n#EXT-X-ENDLIST\n",
                 RT_E_BAD_PLAYLIST, "changes");
    expect_media("#EXTM3U\n#EXTINF:4,\na.m4s\n#EXT-X-MAP:URI=\"a.mp4\"\n#EXTINF:4,\nb.m4s\n"
                 "#EXT-X-ENDLIST\n",
                 RT_E_BAD_PLAYLIST, "after the first segment");
    expect_media("#EXTM3U\n#EXT-X-MAP:BYTES=1\n#EXTINF:4,\na.m4s\n#EXT-X-ENDLIST\n",
                 RT_E_BAD_PLAYLIST, "malformed #EXT-X-MAP");
    /* Found by fuzz_hls: an unquoted URI, with a stray quote in it. */
    expect_media("#EXTM3U\n#EXT-X-MAP:URI=Aa.mp4/init.mp4\"\n#EXTINF:4,\na.m4s\n#EXT-X-ENDLIST\n",
                 RT_E_BAD_PLAYLIST, "malformed #EXT-X-MAP");
    expect_media("#EXTM3U\n#EXTINF:4,\n#EXT-X-BYTERANGE:1000@0\na.ts\n#EXT-X-ENDLIST\n",
                 RT_E_BAD_PLAYLIST, "BYTERANGE");
    expect_media("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n", RT_E_BAD_PLAYLIST, "master");
    const char binary[] = "#EXTM3U\n#EXTINF:4,\na\0.ts\n#EXT-X-ENDLIST\n";
    struct rt__media m;
    struct rt_error err = {0};
    assert_int_equal(rt__hls_parse_media(binary, sizeof binary - 1, &m, &err), RT_E_BAD_PLAYLIST);
}

static void hls_media_too_many_segments(void **state)
{
    size_t count = RT_HLS_MAX_SEGMENTS + 1;
    size_t size = 64 + count * 32;
    char *text = malloc(size);
    size_t len = (size_t)snprintf(text, size, "#EXTM3U\n");
    for (size_t i = 0; i < count; i++)
        len += (size_t)snprintf(text + len, size - len, "#EXTINF:1,\ns%zu.ts\n", i);
    len += (size_t)snprintf(text + len, size - len, "#EXT-X-ENDLIST\n");
    struct rt__media m;
    struct rt_error err = {0};
    assert_int_equal(rt__hls_parse_media(text, len, &m, &err), RT_E_BAD_PLAYLIST);
    assert_non_null(strstr(err.message, "more than"));
    free(text);
}

static void hls_master_hostile(void **state)
{
    expect_master("", RT_E_BAD_PLAYLIST, "#EXTM3U");
    expect_master("{\"detail\": \"nope\"}", RT_E_BAD_PLAYLIST, "#EXTM3U");
    expect_master("#EXTM3U\n", RT_E_BAD_PLAYLIST, "no streams");
    expect_master("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=640x352\nv.m3u8\n", RT_E_BAD_PLAYLIST,
                  "malformed");
    expect_master("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=abc\nv.m3u8\n", RT_E_BAD_PLAYLIST,
                  "malformed");
    expect_master("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1, RESOLUTION=0x0\nv.m3u8\n",
                  RT_E_BAD_PLAYLIST, "malformed");
    expect_master("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1, CODECS=\"avc1\nv.m3u8\n",
                  RT_E_BAD_PLAYLIST, "malformed");
    expect_master("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nfile:///etc/passwd\n", RT_E_BAD_PLAYLIST,
                  "http");
    expect_master("#EXTM3U\n#EXTINF:4,\na.ts\n#EXT-X-ENDLIST\n", RT_E_BAD_PLAYLIST, "media");
}

static void hls_master_relative_and_mixed_schemes(void **state)
{
    const char *text = "#EXTM3U\n"
                       "#EXT-X-STREAM-INF:BANDWIDTH=100,RESOLUTION=640x352\n"
                       "file:///etc/passwd\n"
                       "#EXT-X-STREAM-INF:BANDWIDTH=200,RESOLUTION=1280x712,FRAME-RATE=29.97\n"
                       "../v/high.m3u8\n";
    struct rt__master m;
    struct rt_error err = {0};
    assert_int_equal(rt__hls_parse_master(text, strlen(text), MASTER_URL, &m, &err), RT_OK);
    assert_int_equal(m.count, 1); /* the file: one is dropped */
    assert_string_equal(m.variants[0].url, "https://bl.rutube.ru/v/high.m3u8");
    assert_string_equal(m.variants[0].codecs, "");
    assert_true(m.variants[0].frame_rate > 29.9 && m.variants[0].frame_rate < 30);
    rt__master_cleanup(&m);
}

/* Fragmented MP4 (#EXT-X-MAP, as ffmpeg and CDNs write AV1 renditions): the init section's
 * address, once, and the segments after it; named again identically is still one section. */
static void hls_media_fragmented_mp4(void **state)
{
    const char *text = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n"
                       "#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                       "#EXT-X-MAP:URI=\"abc.mp4/init-v1-a1.mp4\"\n"
                       "#EXTINF:4.000,\nabc.mp4/segment-1-v1-a1.m4s\n"
                       "#EXT-X-MAP:URI=\"abc.mp4/init-v1-a1.mp4\"\n"
                       "#EXTINF:3.500,\nabc.mp4/segment-2-v1-a1.m4s\n#EXT-X-ENDLIST\n";
    struct rt__media m;
    struct rt_error err = {0};
    assert_int_equal(rt__hls_parse_media(text, strlen(text), &m, &err), RT_OK);
    assert_string_equal(m.map_ref, "abc.mp4/init-v1-a1.mp4");
    assert_int_equal(m.count, 2);
    assert_string_equal(m.segments[1].ref, "abc.mp4/segment-2-v1-a1.m4s");
    assert_true(m.duration > 7.49 && m.duration < 7.51);
    rt__media_cleanup(&m);
    assert_null(m.map_ref);
}

/* Real answers kept by other projects (tests/data/real/): a vertical clip's master with no
 * space after commas and one quality on different paths per mirror, its media playlist with
 * #EXT-X-INDEPENDENT-SEGMENTS and a fractional last #EXTINF, and a 2017 master without
 * RESOLUTION. */
static void hls_real_answers(void **state)
{
    size_t len;
    struct rt_error err = {0};
    char *text = fixture_read("real/nlinker_master_portrait.m3u8", &len);
    struct rt__master master;
    assert_int_equal(rt__hls_parse_master(text, len, "https://rutube.ru/m.m3u8", &master, &err),
                     RT_OK);
    assert_int_equal(master.count, 10);
    assert_int_equal(master.variants[0].width, 136);
    assert_int_equal(master.variants[0].height, 240);
    assert_true(master.variants[0].frame_rate == 30);
    assert_string_equal(master.variants[0].codecs, "avc1.42c01f, mp4a.40.2");
    assert_non_null(strstr(master.variants[3].url, "river-1.rutube.ru/hls-vod/Om-QwR"));
    rt__master_cleanup(&master);
    free(text);

    text = fixture_read("real/nlinker_media_portrait.m3u8", &len);
    struct rt__media media;
    assert_int_equal(rt__hls_parse_media(text, len, &media, &err), RT_OK);
    assert_int_equal(media.count, 3);
    assert_null(media.map_ref);
    assert_true(media.duration > 7.16 && media.duration < 7.17);
    rt__media_cleanup(&media);
    free(text);

    text = fixture_read("real/dandy_master_2017_noresolution.m3u8", &len);
    assert_int_equal(rt__hls_parse_master(text, len, "http://rutube.ru/m.m3u8", &master, &err),
                     RT_OK);
    assert_int_equal(master.count, 4);
    assert_int_equal(master.variants[0].width, 0); /* no RESOLUTION: format.c reads ?i= */
    assert_true(master.variants[0].frame_rate == 0);
    assert_string_equal(master.variants[3].codecs, "avc1.64001f, mp4a.40.5");
    rt__master_cleanup(&master);
    free(text);
}

/* A live window: its first number, target duration, no ENDLIST needed; then the end; and
 * an EVENT playlist that keeps the whole broadcast. */
static void hls_live_window(void **state)
{
    (void)state;
    const char *window = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n"
                         "#EXT-X-MEDIA-SEQUENCE:1041\n#EXTINF:4.000,\nid/segment-1041.ts\n"
                         "#EXTINF:4.000,\nid/segment-1042.ts\n#EXTINF:3.960,\nid/segment-1043.ts\n";
    struct rt__media m;
    struct rt__live_info info;
    struct rt_error err = {0};
    assert_int_equal(rt__hls_parse_live(window, strlen(window), &m, &info, &err), RT_OK);
    assert_int_equal(info.first_sequence, 1041);
    assert_true(info.target_duration == 4 && !info.ended && !info.whole);
    assert_int_equal(m.count, 3);
    assert_string_equal(m.segments[2].ref, "id/segment-1043.ts");
    rt__media_cleanup(&m);
    /* The same as VOD is refused: it never ends. */
    assert_int_equal(rt__hls_parse_media(window, strlen(window), &m, &err), RT_E_BAD_PLAYLIST);

    const char *ended = "#EXTM3U\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-TARGETDURATION:4\n"
                        "#EXTINF:4,\ns1.ts\n#EXT-X-ENDLIST\n";
    assert_int_equal(rt__hls_parse_live(ended, strlen(ended), &m, &info, NULL), RT_OK);
    assert_true(info.ended && info.whole && info.first_sequence == 0 && m.count == 1);
    rt__media_cleanup(&m);

    const char *empty = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:7\n";
    assert_int_equal(rt__hls_parse_live(empty, strlen(empty), &m, &info, NULL), RT_OK);
    assert_int_equal(m.count, 0);

    const char *bad[] = {
        "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:-3\n",
        "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:12345678901234567890\n",
        "#EXTM3U\n#EXT-X-TARGETDURATION:99999\n",
        "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:4,\na.m4s\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rt_error e = {0};
        assert_int_equal(rt__hls_parse_live(bad[i], strlen(bad[i]), &m, &info, &e),
                         RT_E_BAD_PLAYLIST);
        assert_null(m.segments);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hls_master_fixture),
        cmocka_unit_test(hls_media_fixture),
        cmocka_unit_test(hls_media_tolerates_crlf_bom_and_blank_lines),
        cmocka_unit_test(hls_media_hostile),
        cmocka_unit_test(hls_media_too_many_segments),
        cmocka_unit_test(hls_master_hostile),
        cmocka_unit_test(hls_master_relative_and_mixed_schemes),
        cmocka_unit_test(hls_media_fragmented_mp4),
        cmocka_unit_test(hls_real_answers),
        cmocka_unit_test(hls_live_window),
    };
    return cmocka_run_group_tests_name("hls", tests, NULL, NULL);
}
