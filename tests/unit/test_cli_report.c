/* Unit tests for cli/cli_report.c: the summary's text for the runs people have. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <pthread.h>

#include "cli_batch.h"

/* What cli_report_print() writes for `report` after `seconds`; the caller frees. */
static char *printed(const struct cli_report *report, double seconds)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    cli_report_print(out, report, seconds);
    assert_int_equal(fclose(out), 0);
    return text;
}

static void expect_printed(const struct cli_report *report, double seconds, const char *expected)
{
    char *text = printed(report, seconds);
    assert_string_equal(text, expected);
    free(text);
}

static void cli_report_typical_mix(void **state)
{
    struct cli_report *r = cli_report_new();
    assert_non_null(r);
    assert_int_equal(cli_report_add(r, CLI_OUTCOME_DOWNLOADED, "Video A", 1024 * 1024, NULL),
                     RT_OK);
    assert_int_equal(cli_report_add(r, CLI_OUTCOME_FAILED, "Video B", 0, "network error"), RT_OK);
    assert_int_equal(cli_report_add(r, CLI_OUTCOME_DOWNLOADED, "Video C", 2 * 1024 * 1024,
                                    "asked 1080, got 712"),
                     RT_OK);
    assert_int_equal(cli_report_add(r, CLI_OUTCOME_EXISTS, "Video D", 999, NULL), RT_OK);
    assert_int_equal(cli_report_add(r, CLI_OUTCOME_ARCHIVED, "Video E", 0, NULL), RT_OK);
    assert_int_equal(cli_report_add(r, CLI_OUTCOME_DOWNLOADED, "Video F", 512 * 1024, ""), RT_OK);
    assert_true(cli_report_any_failed(r));
    expect_printed(r, 65.4,
                   "Downloaded 3, skipped 2 (1 already there, 1 in archive), failed 1.\n"
                   "Failed:\n"
                   "  Video B: network error\n"
                   "Lower quality than asked:\n"
                   "  Video C: asked 1080, got 712\n"
                   "Total: 3.5 MiB in 1:05.\n");
    cli_report_free(r);
}

static void cli_report_all_downloaded(void **state)
{
    struct cli_report *r = cli_report_new();
    assert_non_null(r);
    for (int i = 0; i < 4; i++)
        cli_report_add(r, CLI_OUTCOME_DOWNLOADED, "Video", 250, NULL);
    assert_false(cli_report_any_failed(r));
    expect_printed(r, 3725, "Downloaded 4, skipped 0, failed 0.\nTotal: 1000 B in 1:02:05.\n");
    cli_report_free(r);
}

/* Each kind of skip alone gets its own sentence, not "0 already there". */
static void cli_report_one_kind_of_skip(void **state)
{
    struct cli_report *r = cli_report_new();
    assert_non_null(r);
    cli_report_add(r, CLI_OUTCOME_EXISTS, "A", 0, NULL);
    cli_report_add(r, CLI_OUTCOME_EXISTS, "B", 0, NULL);
    expect_printed(r, 1,
                   "Downloaded 0, skipped 2 (already there), failed 0.\nTotal: 0 B in 0:01.\n");
    cli_report_free(r);

    r = cli_report_new();
    assert_non_null(r);
    cli_report_add(r, CLI_OUTCOME_DOWNLOADED, "A", 2048, NULL);
    cli_report_add(r, CLI_OUTCOME_ARCHIVED, "B", 0, NULL);
    expect_printed(r, 1,
                   "Downloaded 1, skipped 1 (in archive), failed 0.\nTotal: 2.0 KiB in 0:01.\n");
    cli_report_free(r);
}

static void cli_report_zero_videos(void **state)
{
    struct cli_report *r = cli_report_new();
    assert_non_null(r);
    assert_false(cli_report_any_failed(r));
    expect_printed(r, 2, "No videos to download.\n");
    cli_report_free(r);
    cli_report_free(NULL);
}

static void cli_report_all_failed(void **state)
{
    struct cli_report *r = cli_report_new();
    assert_non_null(r);
    cli_report_add(r, CLI_OUTCOME_FAILED, "https://rutube.ru/video/aaa/", 0,
                   "not a RuTube video address");
    cli_report_add(r, CLI_OUTCOME_FAILED, "Second", 123, "video is blocked in this region");
    cli_report_add(r, CLI_OUTCOME_FAILED, "Third", 0, NULL);
    assert_true(cli_report_any_failed(r));
    expect_printed(r, 3,
                   "Downloaded 0, skipped 0, failed 3.\n"
                   "Failed:\n"
                   "  https://rutube.ru/video/aaa/: not a RuTube video address\n"
                   "  Second: video is blocked in this region\n"
                   "  Third\n"
                   "Total: 0 B in 0:03.\n");
    cli_report_free(r);
}

/* A title with a line break or an escape sequence cannot break the one-line-a-video layout. */
static void cli_report_one_line_each(void **state)
{
    struct cli_report *r = cli_report_new();
    assert_non_null(r);
    cli_report_add(r, CLI_OUTCOME_FAILED, "Two\nlines\x1b[31m", 0, "why\r\nnot");
    cli_report_add(r, CLI_OUTCOME_FAILED, NULL, 0, "no name");
    cli_report_add(r, CLI_OUTCOME_FAILED,
                   "\xe2\x80\xae"
                   "evil",
                   0,
                   "\x1b]0;x\x07 \xc2\x9b"
                   "2J");
    expect_printed(r, 0,
                   "Downloaded 0, skipped 0, failed 3.\n"
                   "Failed:\n"
                   "  Two lines\\x1b[31m: why  not\n"
                   "  : no name\n"
                   "  \\u202eevil: \\x1b]0;x\\x07 \\u009b2J\n"
                   "Total: 0 B in 0:00.\n");
    cli_report_free(r);
}

#define WORKERS    8
#define PER_WORKER 500

static void *record_many(void *data)
{
    struct cli_report *r = data;
    for (int i = 0; i < PER_WORKER; i++) {
        enum cli_outcome outcome = (enum cli_outcome)(i % 4);
        cli_report_add(r, outcome, "Video", 1, outcome == CLI_OUTCOME_FAILED ? "x" : NULL);
    }
    return NULL;
}

static void cli_report_threads(void **state)
{
    struct cli_report *r = cli_report_new();
    assert_non_null(r);
    pthread_t threads[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, record_many, r), 0);
    for (int i = 0; i < WORKERS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    char *text = printed(r, 10);
    /* A quarter of each: 1000 downloaded of one byte each, 1000 failures listed. */
    assert_memory_equal(text,
                        "Downloaded 1000, skipped 2000 (1000 already there, 1000 in archive), "
                        "failed 1000.\nFailed:\n",
                        strlen("Downloaded 1000, skipped 2000 (1000 already there, 1000 in "
                               "archive), failed 1000.\nFailed:\n"));
    size_t listed = 0;
    for (const char *p = text; (p = strstr(p, "  Video: x\n")) != NULL; p++)
        listed++;
    assert_int_equal(listed, 1000);
    assert_non_null(strstr(text, "Total: 1000 B in 0:10.\n"));
    free(text);
    cli_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cli_report_typical_mix),      cmocka_unit_test(cli_report_all_downloaded),
        cmocka_unit_test(cli_report_one_kind_of_skip), cmocka_unit_test(cli_report_zero_videos),
        cmocka_unit_test(cli_report_all_failed),       cmocka_unit_test(cli_report_one_line_each),
        cmocka_unit_test(cli_report_threads),
    };
    return cmocka_run_group_tests_name("cli_report", tests, NULL, NULL);
}
