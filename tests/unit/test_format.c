/* Unit tests for lib/format.c: mirrors grouped, qualities chosen, sizes estimated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "site/api.h"
#include "fixture.h"
#include "format.h"

/* A video with the recorded master playlist's formats and a 59.329 s duration. */
static struct rt_video *fixture_video(void)
{
    size_t len;
    char *text = fixture_read("master_playlist_fixture.m3u8", &len);
    struct rt__master m;
    struct rt_error err = {0};
    struct rt_video *v = calloc(1, sizeof *v);
    assert_int_equal(rt__hls_parse_master(text, len, "https://bl.rutube.ru/m.m3u8", &m, &err),
                     RT_OK);
    assert_int_equal(rt__formats_from_master(&m, v, &err), RT_OK);
    v->duration = 59.329;
    rt__master_cleanup(&m);
    free(text);
    return v;
}

/* A vertical short: 400x712 and 608x1080, each on two mirrors, listed biggest first. */
static struct rt_video *vertical_video(void)
{
    const char *text = "#EXTM3U\n"
                       "#EXT-X-STREAM-INF:BANDWIDTH=2000000, RESOLUTION=608x1080\nhttp://a/1.m3u8\n"
                       "#EXT-X-STREAM-INF:BANDWIDTH=2000000, RESOLUTION=608x1080\nhttp://b/1.m3u8\n"
                       "#EXT-X-STREAM-INF:BANDWIDTH=900000, RESOLUTION=400x712\nhttp://a/2.m3u8\n"
                       "#EXT-X-STREAM-INF:BANDWIDTH=900000, RESOLUTION=400x712\nhttp://b/2.m3u8\n";
    struct rt__master m;
    struct rt_error err = {0};
    struct rt_video *v = calloc(1, sizeof *v);
    assert_int_equal(rt__hls_parse_master(text, strlen(text), "http://a/m.m3u8", &m, &err), RT_OK);
    assert_int_equal(rt__formats_from_master(&m, v, &err), RT_OK);
    rt__master_cleanup(&m);
    return v;
}

/* A video of `text`, a master playlist. */
static struct rt_video *master_video(const char *text, size_t len)
{
    struct rt__master m;
    struct rt_error err = {0};
    struct rt_video *v = calloc(1, sizeof *v);
    assert_int_equal(rt__hls_parse_master(text, len, "https://rutube.ru/m.m3u8", &m, &err), RT_OK);
    assert_int_equal(rt__formats_from_master(&m, v, &err), RT_OK);
    rt__master_cleanup(&m);
    v->duration = 60;
    return v;
}

/* The 2026 master with mq=all&av1=1: sizes up to 2160p in three codecs, 1080p twice. Listed
 * in an order of its own, and each on one mirror only, to keep the text short. */
static const char uhd_master[] =
    "#EXTM3U\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=14000000,RESOLUTION=3840x2160,CODECS=\"av01.0.12M.08,mp4a.40.2\"\n"
    "http://a/2160-av1.m3u8\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=4500000,RESOLUTION=1920x1080,CODECS=\"avc1.640028,mp4a.40.2\"\n"
    "http://a/1080-avc.m3u8\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=18000000,RESOLUTION=3840x2160,CODECS=\"hvc1.1.6.L150.90,mp4a.40."
    "2\"\n"
    "http://a/2160-hevc.m3u8\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1920x1080,CODECS=\"av01.0.08M.08,mp4a.40.2\"\n"
    "http://a/1080-av1.m3u8\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=8000000,RESOLUTION=2560x1440,CODECS=\"av01.0.12M.08,mp4a.40.2\"\n"
    "http://a/1440-av1.m3u8\n"
    "#EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\"\n"
    "http://a/720-avc.m3u8\n";

static void free_video(struct rt_video *v)
{
    rt__video_cleanup(v);
    free(v);
}

static void format_mirrors_grouped(void **state)
{
    struct rt_video *v = fixture_video();
    assert_int_equal(v->format_count, 5);
    for (size_t i = 0; i < v->format_count; i++) {
        assert_int_equal(v->formats[i].mirror_count, 2);
        assert_non_null(strstr(v->formats[i].mirrors[0], "river-5-537.rutube.ru"));
        assert_non_null(strstr(v->formats[i].mirrors[1], "river-1.rutube.ru"));
    }
    assert_int_equal(v->formats[0].height, 136);
    assert_int_equal(v->formats[4].width, 1280);
    free_video(v);
}

static size_t choose(const struct rt_video *v, const char *spec, bool *exact)
{
    size_t index = 999;
    struct rt_error err = {0};
    enum rt_code result = rt_format_choose(v, spec, &index, exact, &err);
    if (result != RT_OK)
        fail_msg("\"%s\": %s", spec, err.message);
    return index;
}

static void format_choose_landscape(void **state)
{
    struct rt_video *v = fixture_video();
    bool exact;
    assert_int_equal(v->formats[choose(v, "best", &exact)].height, 712);
    assert_int_equal(v->formats[choose(v, NULL, &exact)].height, 712);
    assert_int_equal(v->formats[choose(v, "worst", &exact)].height, 136);
    assert_int_equal(v->formats[choose(v, "720", &exact)].height, 712); /* RuTube's 720p */
    assert_true(exact);
    assert_int_equal(v->formats[choose(v, "720p", &exact)].height, 712);
    assert_int_equal(v->formats[choose(v, "1080", &exact)].height, 712);
    assert_int_equal(v->formats[choose(v, "711", &exact)].height, 480);
    assert_int_equal(v->formats[choose(v, "480", &exact)].height, 480);
    assert_int_equal(v->formats[choose(v, "360", &exact)].height, 352);
    assert_int_equal(v->formats[choose(v, "240", &exact)].height, 232);
    assert_int_equal(v->formats[choose(v, "1280x712", &exact)].width, 1280);
    assert_int_equal(v->formats[choose(v, "432x232", &exact)].width, 432);
    /* Nothing that small: the smallest, and the caller is told. */
    assert_int_equal(v->formats[choose(v, "100", &exact)].height, 136);
    assert_false(exact);
    free_video(v);
}

static void format_choose_vertical(void **state)
{
    struct rt_video *v = vertical_video();
    bool exact;
    assert_int_equal(v->format_count, 2);
    assert_int_equal(v->formats[1].height, 1080); /* sorted ascending */
    /* "720" means 720p: the shorter side, so the 608x1080 short qualifies. */
    assert_int_equal(v->formats[choose(v, "720", &exact)].width, 608);
    assert_int_equal(v->formats[choose(v, "480", &exact)].width, 400);
    assert_int_equal(v->formats[choose(v, "608x1080", &exact)].height, 1080);
    free_video(v);
}

static void format_choose_refusals(void **state)
{
    struct rt_video *v = fixture_video();
    size_t index;
    struct rt_error err = {0};
    assert_int_equal(rt_format_choose(v, "1920x1080", &index, NULL, &err), RT_E_NO_FORMAT);
    assert_non_null(strstr(err.message, "1280x712"));
    const char *bad[] = {"abc", "720x", "x720", "0", "-5", "720pp", "99999999", "1280x712x1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rt_error_clear(&err);
        if (rt_format_choose(v, bad[i], &index, NULL, &err) != RT_E_USAGE)
            fail_msg("\"%s\" accepted", bad[i]);
    }
    free_video(v);
}

/* Sorted by size, then from the least compatible codec to the most: the last of a size is the
 * one "best" and the heights take, and --prefer-codec picks another of the same size. */
static void format_codecs(void **state)
{
    struct rt_video *v = master_video(uhd_master, sizeof uhd_master - 1);
    assert_int_equal(v->format_count, 6);
    static const struct {
        int height;
        enum rt_codec codec;
    } order[] = {{720, RT_CODEC_H264}, {1080, RT_CODEC_AV1}, {1080, RT_CODEC_H264},
                 {1440, RT_CODEC_AV1}, {2160, RT_CODEC_AV1}, {2160, RT_CODEC_HEVC}};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(v->formats[i].height, order[i].height);
        assert_int_equal(rt_format_codec(&v->formats[i]), order[i].codec);
    }
    assert_string_equal(rt_codec_name(RT_CODEC_HEVC), "HEVC");
    assert_string_equal(rt_codec_name((enum rt_codec)99), "?");
    size_t index;
    bool exact;
    struct rt_error err = {0};
    /* best: the largest picture, in the most compatible of its codecs */
    assert_int_equal(rt_format_choose(v, "best", &index, &exact, &err), RT_OK);
    assert_int_equal(v->formats[index].height, 2160);
    assert_int_equal(rt_format_codec(&v->formats[index]), RT_CODEC_HEVC);
    assert_int_equal(rt_format_choose_codec(v, "best", RT_CODEC_AV1, &index, &exact, &err), RT_OK);
    assert_int_equal(rt_format_codec(&v->formats[index]), RT_CODEC_AV1);
    assert_int_equal(v->formats[index].height, 2160);
    /* 1080: H.264 unless AV1 is preferred; HEVC preferred where there is none: the size's own */
    assert_int_equal(rt_format_choose(v, "1080", &index, &exact, &err), RT_OK);
    assert_int_equal(rt_format_codec(&v->formats[index]), RT_CODEC_H264);
    assert_int_equal(rt_format_choose_codec(v, "1080", RT_CODEC_AV1, &index, &exact, &err), RT_OK);
    assert_int_equal(rt_format_codec(&v->formats[index]), RT_CODEC_AV1);
    assert_int_equal(v->formats[index].height, 1080);
    assert_int_equal(rt_format_choose_codec(v, "1080", RT_CODEC_HEVC, &index, &exact, &err), RT_OK);
    assert_int_equal(rt_format_codec(&v->formats[index]), RT_CODEC_H264);
    assert_int_equal(rt_format_choose_codec(v, "1920x1080", RT_CODEC_AV1, &index, &exact, &err),
                     RT_OK);
    assert_int_equal(rt_format_codec(&v->formats[index]), RT_CODEC_AV1);
    assert_int_equal(rt_format_choose(v, "1440", &index, &exact, &err), RT_OK);
    assert_int_equal(v->formats[index].width, 2560);
    /* worst: the smallest size, in its most compatible codec */
    assert_int_equal(rt_format_choose(v, "worst", &index, &exact, &err), RT_OK);
    assert_int_equal(v->formats[index].height, 720);
    /* a size listed in two codecs is named once in the refusal */
    assert_int_equal(rt_format_choose(v, "1x1", &index, &exact, &err), RT_E_NO_FORMAT);
    assert_non_null(strstr(err.message, "1280x720, 1920x1080, 2560x1440, 3840x2160)"));
    free_video(v);
}

/* An older master (tests/data/real/, 2017) gives no RESOLUTION: the sizes come from the
 * variant addresses' ?i=<W>x<H>_<kbit/s>, so -q and -F are right. */
static void format_sizes_of_older_masters(void **state)
{
    size_t len;
    char *text = fixture_read("real/dandy_master_2017_noresolution.m3u8", &len);
    struct rt_video *v = master_video(text, len);
    free(text);
    assert_int_equal(v->format_count, 4);
    assert_int_equal(v->formats[0].width, 512);
    assert_int_equal(v->formats[0].height, 288);
    assert_int_equal(v->formats[3].width, 1280);
    assert_int_equal(v->formats[3].height, 720);
    assert_int_equal(v->formats[3].mirror_count, 1);
    size_t index;
    bool exact;
    struct rt_error err = {0};
    assert_int_equal(rt_format_choose(v, "480", &index, &exact, &err), RT_OK);
    assert_int_equal(v->formats[index].height, 360);
    assert_int_equal(rt_format_choose(v, "896x504", &index, &exact, &err), RT_OK);
    assert_int_equal(rt_format_codec(&v->formats[index]), RT_CODEC_H264);
    free_video(v);

    /* A size in the address only where RESOLUTION is missing; a malformed one stays 0x0. */
    const char odd[] =
        "#EXTM3U\n"
        "#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360\nhttp://a/1.m3u8?i=1x1_9\n"
        "#EXT-X-STREAM-INF:BANDWIDTH=800000\nhttp://a/2.m3u8?x=1&i=abc\n";
    v = master_video(odd, sizeof odd - 1);
    assert_int_equal(v->formats[0].width, 0);
    assert_int_equal(v->formats[1].width, 640);
    free_video(v);
}

static void format_estimate(void **state)
{
    struct rt_video *v = fixture_video();
    uint64_t size = rt_format_estimate_size(v, &v->formats[4]);
    /* 4,166,000 bit/s for 59.329 s */
    assert_true(size > 30800000 && size < 31000000);
    v->duration = 0;
    assert_int_equal(rt_format_estimate_size(v, &v->formats[4]), 0);
    free_video(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format_mirrors_grouped),
        cmocka_unit_test(format_choose_landscape),
        cmocka_unit_test(format_choose_vertical),
        cmocka_unit_test(format_choose_refusals),
        cmocka_unit_test(format_estimate),
        cmocka_unit_test(format_codecs),
        cmocka_unit_test(format_sizes_of_older_masters),
    };
    return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
