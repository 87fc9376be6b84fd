/* Unit tests for lib/media/container.c: every row of RT_CONTAINER_MAP is usable as written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "media/av.h"
#include "media/container.h"

/* Each extension is there and names one container only. */
static void container_extensions_are_distinct(void **state)
{
    for (int a = 0; a < RT_CONTAINER_COUNT; a++) {
        assert_true(rt__container_is_known((enum rt_container)a));
        const char *ext = rt_container_extension((enum rt_container)a);
        assert_true(strlen(ext) > 0);
        for (int b = 0; b < a; b++)
            assert_string_not_equal(ext, rt_container_extension((enum rt_container)b));
    }
    assert_false(rt__container_is_known(RT_CONTAINER_COUNT));
    assert_string_equal(rt_container_extension(RT_CONTAINER_COUNT), "mp4"); /* the default */
    assert_string_equal(rt_container_extension(RT_CONTAINER_MKV), "mkv");
}

/* The muxer and subtitle codec of every row exist in the FFmpeg that is installed, so a row
 * with a misspelt name fails here rather than in a user's remux. */
static void container_names_exist_in_ffmpeg(void **state)
{
    struct rt_error err = {0};
    const struct rt__av *av = rt__av_load(&err);
    if (!av)
        fail_msg("%s", err.message);
    for (int c = 0; c < RT_CONTAINER_COUNT; c++) {
        const char *muxer = rt__container_muxer((enum rt_container)c);
        const char *codec = rt__container_subtitle_codec((enum rt_container)c);
        if (muxer) {
            AVFormatContext *out = NULL;
            assert_true(av->avformat_alloc_output_context2(&out, NULL, muxer, "x") >= 0);
            av->avformat_free_context(out);
        }
        if (codec) {
            const AVCodecDescriptor *d = av->avcodec_descriptor_get_by_name(codec);
            assert_non_null(d);
            assert_int_equal(d->type, AVMEDIA_TYPE_SUBTITLE);
            assert_non_null(muxer); /* tracks need a remux to get into the file */
        }
    }
}

/* What the rows say, as the rest of the library reads it. */
static void container_holds(void **state)
{
    assert_null(rt__container_muxer(RT_CONTAINER_TS)); /* the segments as served */
    assert_false(rt__container_holds(RT_CONTAINER_TS, RT_HOLDS_COVER));
    assert_true(rt__container_holds(RT_CONTAINER_MP4, RT_HOLDS_COVER));
    assert_false(rt__container_holds(RT_CONTAINER_MP4, RT_HOLDS_ANY_TAGS));
    assert_true(rt__container_holds(RT_CONTAINER_MKV, RT_HOLDS_COVER | RT_HOLDS_ANY_TAGS));
    /* Chapters go where a file has a list of them; the stream as served has none. */
    assert_true(rt__container_holds(RT_CONTAINER_MP4, RT_HOLDS_CHAPTERS));
    assert_true(rt__container_holds(RT_CONTAINER_MKV, RT_HOLDS_CHAPTERS));
    assert_false(rt__container_holds(RT_CONTAINER_TS, RT_HOLDS_CHAPTERS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(container_extensions_are_distinct),
        cmocka_unit_test(container_names_exist_in_ffmpeg),
        cmocka_unit_test(container_holds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
