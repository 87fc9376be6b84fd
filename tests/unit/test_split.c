/* Unit tests for split_chapters (lib/download.c, lib/download_chapters.c): the files a
 * download split into its chapters names, which of them stop it, and what it refuses. No
 * request is made: rt_download_new() and rt_download_check() touch no network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rutube/rutube.h"

static const struct rt_chapter chapters[] = {
    {0, 20, "Вступление"},
    {20, 45, "Основная часть"},
    {45, 60, "Итоги / выводы"},
};

struct fixture {
    char dir[64];
    struct rt_client *client;
    struct rt_format format;
    struct rt_video video;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/rtdl-split.XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    struct rt_client_options copts;
    rt_client_options_init(&copts);
    if (rt_client_new(&copts, &f->client, NULL) != RT_OK)
        return -1;
    f->format = (struct rt_format){.width = 1280, .height = 712, .bandwidth = 1368665};
    f->video = (struct rt_video){.id = "c4a97e2b5d1f4a3c8e6b0d2f4a6c8e0a",
                                 .title = "Разбор сезона",
                                 .description = "",
                                 .author = "",
                                 .author_id = "",
                                 .thumbnail_url = "",
                                 .page_url = "",
                                 .master_url = "",
                                 .duration = 60,
                                 .formats = &f->format,
                                 .format_count = 1,
                                 .published = "",
                                 .category = "",
                                 .views = -1,
                                 .chapters = chapters,
                                 .chapter_count = 3};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", f->dir);
    if (system(command) != 0)
        return -1;
    rt_client_free(f->client);
    free(f);
    return 0;
}

static struct rt_download_options split_options(const struct fixture *f)
{
    struct rt_download_options opts;
    rt_download_options_init(&opts);
    opts.output_dir = f->dir;
    opts.split_chapters = true;
    return opts;
}

static void touch(const char *path)
{
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fclose(file);
}

/* One file per chapter, in order, beside where the whole would go; the first is the path. */
static void split_names_a_file_per_chapter(void **state)
{
    struct fixture *f = *state;
    struct rt_download_options opts = split_options(f);
    struct rt_download *d = NULL;
    assert_int_equal(rt_download_new(f->client, &f->video, 0, &opts, &d, NULL), RT_OK);
    assert_int_equal(rt_download_file_count(d), 3);
    char want[256];
    snprintf(want, sizeof want, "%s/Разбор сезона - 001 Вступление.mp4", f->dir);
    assert_string_equal(rt_download_file_path(d, 0), want);
    assert_string_equal(rt_download_path(d), want);
    snprintf(want, sizeof want, "%s/Разбор сезона - 003 Итоги _ выводы.mp4", f->dir);
    assert_string_equal(rt_download_file_path(d, 2), want);
    assert_null(rt_download_file_path(d, 3));
    rt_download_free(d);

    opts.restrict_filenames = true;
    opts.container = RT_CONTAINER_MP3;
    assert_int_equal(rt_download_new(f->client, &f->video, 0, &opts, &d, NULL), RT_OK);
    snprintf(want, sizeof want, "%s/Razbor_sezona_002_Osnovnaia_chast.mp3", f->dir);
    assert_string_equal(rt_download_file_path(d, 1), want);
    rt_download_free(d);
    assert_int_equal(rt_download_file_count(NULL), 0);
    assert_null(rt_download_file_path(NULL, 0));
}

/* The check stops a download only when every chapter's file is there (overwrite off). */
static void split_check_wants_every_file(void **state)
{
    struct fixture *f = *state;
    struct rt_download_options opts = split_options(f);
    struct rt_download *d = NULL;
    assert_int_equal(rt_download_new(f->client, &f->video, 0, &opts, &d, NULL), RT_OK);
    struct rt_error err = {0};
    assert_int_equal(rt_download_check(d, &err), RT_OK);
    touch(rt_download_file_path(d, 0));
    touch(rt_download_file_path(d, 2));
    assert_int_equal(rt_download_check(d, &err), RT_OK); /* chapter 2 is still to make */
    touch(rt_download_file_path(d, 1));
    assert_int_equal(rt_download_check(d, &err), RT_E_EXISTS);
    rt_download_free(d);
    opts.overwrite = true;
    assert_int_equal(rt_download_new(f->client, &f->video, 0, &opts, &d, NULL), RT_OK);
    assert_int_equal(rt_download_check(d, &err), RT_OK);
    rt_download_free(d);
}

/* Not with a section, nor with TS; a video without chapters is one file; off is one file. */
static void split_refusals_and_plain_videos(void **state)
{
    struct fixture *f = *state;
    struct rt_download_options opts = split_options(f);
    struct rt_download *d = NULL;
    struct rt_error err = {0};
    opts.section_start = 10;
    opts.section_end = 20;
    assert_int_equal(rt_download_new(f->client, &f->video, 0, &opts, &d, &err), RT_E_USAGE);
    assert_null(d);
    assert_non_null(strstr(err.message, "not both"));
    opts = split_options(f);
    opts.container = RT_CONTAINER_TS;
    memset(&err, 0, sizeof err);
    assert_int_equal(rt_download_new(f->client, &f->video, 0, &opts, &d, &err), RT_E_USAGE);
    assert_non_null(strstr(err.message, ".ts file"));

    opts = split_options(f);
    struct rt_video plain = f->video;
    plain.chapters = NULL;
    plain.chapter_count = 0;
    assert_int_equal(rt_download_new(f->client, &plain, 0, &opts, &d, NULL), RT_OK);
    assert_int_equal(rt_download_file_count(d), 1);
    char want[256];
    snprintf(want, sizeof want, "%s/Разбор сезона.mp4", f->dir);
    assert_string_equal(rt_download_path(d), want);
    rt_download_free(d);
    opts.split_chapters = false;
    assert_int_equal(rt_download_new(f->client, &f->video, 0, &opts, &d, NULL), RT_OK);
    assert_int_equal(rt_download_file_count(d), 1);
    assert_string_equal(rt_download_path(d), want);
    rt_download_free(d);
}

/* A title as long as names get: each chapter's name, with ".part.state" after it, still fits
 * the 255 bytes file systems allow. */
static void split_names_fit(void **state)
{
    struct fixture *f = *state;
    char title[400];
    memset(title, 0, sizeof title);
    for (size_t i = 0; i + 2 < 390; i += 2)
        memcpy(title + i, "ж", 2);
    struct rt_video video = f->video;
    video.title = title;
    struct rt_download_options opts = split_options(f);
    struct rt_download *d = NULL;
    assert_int_equal(rt_download_new(f->client, &video, 0, &opts, &d, NULL), RT_OK);
    for (size_t i = 0; i < rt_download_file_count(d); i++) {
        const char *name = strrchr(rt_download_file_path(d, i), '/') + 1;
        assert_true(strlen(name) + strlen(".part.state") <= 255);
        char number[32];
        snprintf(number, sizeof number, " - %03zu", i + 1);
        assert_non_null(strstr(name, number));
    }
    rt_download_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(split_names_a_file_per_chapter, setup, teardown),
        cmocka_unit_test_setup_teardown(split_check_wants_every_file, setup, teardown),
        cmocka_unit_test_setup_teardown(split_refusals_and_plain_videos, setup, teardown),
        cmocka_unit_test_setup_teardown(split_names_fit, setup, teardown),
    };
    return cmocka_run_group_tests_name("split", tests, NULL, NULL);
}
