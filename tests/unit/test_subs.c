/* Unit tests for lib/media/subs.c: WebVTT and SubRip into plain cues. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "media/subs.h"

static const char vtt[] = "WEBVTT\n\n"
                          "1\n00:00:02.000 --> 00:00:05.000\nПривет, мир!\nВторая строка\n\n"
                          "2\n00:00:10.500 --> 00:00:14.000 align:start\n<i>курсив</i> &amp; "
                          "<c.yellow>цвет</c>\n\n"
                          "NOTE a comment block\n\n"
                          "00:01:00.000 --> 00:01:02.250\nбез номера\n";

static const char srt[] = "\xEF\xBB\xBF"
                          "1\r\n00:00:02,000 --> 00:00:05,000\r\nHello\r\n\r\n"
                          "2\r\n00:00:10,000 --> 00:00:14,000\r\n<i>italic</i> {\\an8}top\r\n";

static void subs_sniff(void **state)
{
    assert_string_equal(rt__subs_sniff(vtt, strlen(vtt)), "vtt");
    assert_string_equal(rt__subs_sniff(srt, strlen(srt)), "srt");
    assert_null(rt__subs_sniff("<html>404</html>", 16));
    assert_null(rt__subs_sniff("", 0));
}

static void subs_parse_webvtt(void **state)
{
    struct rt__cues cues;
    struct rt_error err = {0};
    assert_int_equal(rt__subs_parse(vtt, strlen(vtt), &cues, &err), RT_OK);
    assert_string_equal(cues.format, "vtt");
    assert_int_equal(cues.count, 3);
    assert_int_equal(cues.cues[0].start_ms, 2000);
    assert_int_equal(cues.cues[0].end_ms, 5000);
    assert_string_equal(cues.cues[0].text, "Привет, мир!\nВторая строка");
    assert_int_equal(cues.cues[1].start_ms, 10500);
    assert_string_equal(cues.cues[1].text, "курсив & цвет");
    assert_int_equal(cues.cues[2].start_ms, 60000);
    assert_int_equal(cues.cues[2].end_ms, 62250);
    rt__cues_cleanup(&cues);
}

static void subs_parse_subrip(void **state)
{
    struct rt__cues cues;
    struct rt_error err = {0};
    assert_int_equal(rt__subs_parse(srt, strlen(srt), &cues, &err), RT_OK);
    assert_string_equal(cues.format, "srt");
    assert_int_equal(cues.count, 2);
    assert_string_equal(cues.cues[0].text, "Hello");
    assert_int_equal(cues.cues[1].start_ms, 10000);
    assert_int_equal(cues.cues[1].end_ms, 14000);
    assert_string_equal(cues.cues[1].text, "italic top");
    rt__cues_cleanup(&cues);
}

static void subs_refuses_garbage(void **state)
{
    struct rt__cues cues;
    struct rt_error err = {0};
    assert_int_equal(rt__subs_parse("not subtitles", 13, &cues, &err), RT_E_BAD_RESPONSE);
    rt_error_clear(&err);
    assert_int_equal(rt__subs_parse("WEBVTT\n\n", 8, &cues, &err), RT_E_BAD_RESPONSE);
    assert_non_null(strstr(err.message, "no cues"));
}

static void subs_plain_text(void **state)
{
    char text[] = "a &lt;b&gt; <b>c</b> &quot;d&quot;\r\n&nbsp;e &unknown; <unclosed";
    size_t n = rt__subs_plain_text(text, strlen(text));
    assert_string_equal(text, "a <b> c \"d\"\n\xC2\xA0"
                              "e &unknown; <unclosed");
    assert_int_equal(n, strlen(text));
}

static void subs_lang3(void **state)
{
    assert_string_equal(rt__subs_lang3("ru"), "rus");
    assert_string_equal(rt__subs_lang3("en"), "eng");
    assert_string_equal(rt__subs_lang3("en-US"), "eng");
    assert_string_equal(rt__subs_lang3("rus"), "rus");
    assert_string_equal(rt__subs_lang3("xx"), "und");
    assert_string_equal(rt__subs_lang3(NULL), "und");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(subs_sniff),        cmocka_unit_test(subs_parse_webvtt),
        cmocka_unit_test(subs_parse_subrip), cmocka_unit_test(subs_refuses_garbage),
        cmocka_unit_test(subs_plain_text),   cmocka_unit_test(subs_lang3),
    };
    return cmocka_run_group_tests_name("subs", tests, NULL, NULL);
}
