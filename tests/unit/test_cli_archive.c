/* Unit tests for cli/cli_archive.c: yt-dlp's format, whole lines only, several threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_batch.h"

#define ID1 "c6cc4d620b1d4338901770a44b3e82f4"
#define ID2 "0b9ee7ac6bb6e4d2f3e56e5a48ec1a42"
#define ID3 "a9a4d8a5bfa4c0a8d8a9c4d6e2f1a3b5"

/* Each test gets a fresh folder; the archive file in it is `path`. */
struct dir {
    char root[64];
    char path[96];
};

static int make_dir(void **state)
{
    struct dir *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(d->root, sizeof d->root, "%s/test_cli_archive.XXXXXX",
             tmp && strlen(tmp) < 32 ? tmp : "/tmp");
    if (!mkdtemp(d->root)) {
        free(d);
        return -1;
    }
    snprintf(d->path, sizeof d->path, "%s/archive.txt", d->root);
    *state = d;
    return 0;
}

static int remove_dir(void **state)
{
    struct dir *d = *state;
    unlink(d->path);
    int result = rmdir(d->root);
    free(d);
    return result;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* The whole file, NUL-terminated; the caller frees. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *text = calloc(1, 1 << 16);
    assert_non_null(text);
    size_t len = fread(text, 1, (1 << 16) - 1, f);
    text[len] = '\0';
    fclose(f);
    return text;
}

static void expect_file(const char *path, const char *expected)
{
    char *text = read_file(path);
    assert_string_equal(text, expected);
    free(text);
}

static struct cli_archive *load_ok(const char *path)
{
    char error[RT_ERROR_MESSAGE_SIZE];
    struct cli_archive *a = NULL;
    if (cli_archive_new(path, &a, error, sizeof error) != RT_OK)
        fail_msg("cli_archive_new: %s", error);
    return a;
}

static void add_ok(struct cli_archive *a, const char *key, const char *id)
{
    char error[RT_ERROR_MESSAGE_SIZE];
    if (cli_archive_add(a, key, id, error, sizeof error) != RT_OK)
        fail_msg("cli_archive_add: %s", error);
}

static void cli_archive_round_trip(void **state)
{
    struct dir *d = *state;
    struct cli_archive *a = load_ok(d->path);
    assert_int_equal(cli_archive_count(a), 0);
    assert_false(cli_archive_contains(a, "rutube", ID1));
    cli_archive_free(a);
    /* Loading a missing archive does not make the file. */
    assert_int_equal(access(d->path, F_OK), -1);

    a = load_ok(d->path);
    add_ok(a, CLI_ARCHIVE_KEY_RUTUBE, ID1);
    add_ok(a, CLI_ARCHIVE_KEY_RUTUBE, ID2);
    assert_true(cli_archive_contains(a, "rutube", ID1));
    assert_true(cli_archive_contains(a, "rutube", ID2));
    assert_false(cli_archive_contains(a, "rutube", ID3));
    assert_false(cli_archive_contains(a, "youtube", ID1));
    cli_archive_free(a);
    expect_file(d->path, "rutube " ID1 "\nrutube " ID2 "\n");

    a = load_ok(d->path);
    assert_int_equal(cli_archive_count(a), 2);
    assert_true(cli_archive_contains(a, "rutube", ID1));
    assert_true(cli_archive_contains(a, "rutube", ID2));
    cli_archive_free(a);
    cli_archive_free(NULL);
}

static void cli_archive_no_duplicates(void **state)
{
    struct dir *d = *state;
    struct cli_archive *a = load_ok(d->path);
    add_ok(a, "rutube", ID1);
    add_ok(a, "rutube", ID1);
    assert_int_equal(cli_archive_count(a), 1);
    cli_archive_free(a);

    /* Nor across runs. */
    a = load_ok(d->path);
    add_ok(a, "rutube", ID1);
    add_ok(a, "rutube:yappy", ID1); /* another key is another entry */
    cli_archive_free(a);
    expect_file(d->path, "rutube " ID1 "\nrutube:yappy " ID1 "\n");
}

/* Other sites' entries and lines of other shapes stay in the file; only entries count. */
static void cli_archive_foreign_lines_kept(void **state)
{
    struct dir *d = *state;
    static const char original[] = "youtube dQw4w9WgXcQ\n"
                                   "not-an-entry\n"
                                   "  rutube " ID1 "  \r\n"
                                   "\n"
                                   "rutube  " ID2 "\n"
                                   "rutube a b\n"
                                   "vimeo 12345\n";
    write_file(d->path, original);
    struct cli_archive *a = load_ok(d->path);
    assert_int_equal(cli_archive_count(a), 3);
    assert_true(cli_archive_contains(a, "youtube", "dQw4w9WgXcQ"));
    assert_true(cli_archive_contains(a, "vimeo", "12345"));
    assert_true(cli_archive_contains(a, "rutube", ID1));
    assert_false(cli_archive_contains(a, "rutube", ID2)); /* two spaces: not yt-dlp's entry */
    add_ok(a, "rutube", ID1);                             /* there already: nothing written */
    add_ok(a, "rutube", ID3);
    cli_archive_free(a);
    expect_file(d->path, "youtube dQw4w9WgXcQ\n"
                         "not-an-entry\n"
                         "  rutube " ID1 "  \r\n"
                         "\n"
                         "rutube  " ID2 "\n"
                         "rutube a b\n"
                         "vimeo 12345\n"
                         "rutube " ID3 "\n");
}

/* A last line without its newline counts, and the next entry does not run into it. */
static void cli_archive_partial_last_line(void **state)
{
    struct dir *d = *state;
    write_file(d->path, "rutube " ID1 "\nrutube " ID2);
    struct cli_archive *a = load_ok(d->path);
    assert_true(cli_archive_contains(a, "rutube", ID2));
    add_ok(a, "rutube", ID3);
    cli_archive_free(a);
    expect_file(d->path, "rutube " ID1 "\nrutube " ID2 "\nrutube " ID3 "\n");

    /* Half a line left by another program's crash is skipped. */
    write_file(d->path, "rutube " ID1 "\nrutu");
    a = load_ok(d->path);
    assert_int_equal(cli_archive_count(a), 1);
    add_ok(a, "rutube", ID2);
    cli_archive_free(a);
    expect_file(d->path, "rutube " ID1 "\nrutu\nrutube " ID2 "\n");
    a = load_ok(d->path);
    assert_int_equal(cli_archive_count(a), 2);
    assert_true(cli_archive_contains(a, "rutube", ID2));
    cli_archive_free(a);
}

/* Lines longer than an entry can be, even longer than the read buffer, are skipped whole. */
static void cli_archive_long_lines(void **state)
{
    struct dir *d = *state;
    size_t big = 200 * 1024;
    char *text = malloc(big + 1024);
    assert_non_null(text);
    memset(text, 'x', big);
    memcpy(text, "rutube ", 7);
    snprintf(text + big, 1024, "\nrutube " ID1 "\nrutube %0600d\n", 7);
    write_file(d->path, text);
    free(text);

    struct cli_archive *a = load_ok(d->path);
    assert_int_equal(cli_archive_count(a), 1);
    assert_true(cli_archive_contains(a, "rutube", ID1));
    cli_archive_free(a);
}

struct worker {
    struct cli_archive *archive;
    int number;
    int failures;
};

#define WORKERS    8
#define PER_WORKER 150
#define SHARED_IDS 40

static void *add_many(void *data)
{
    struct worker *w = data;
    char id[33];
    for (int i = 0; i < PER_WORKER; i++) {
        /* Every worker also adds the same SHARED_IDS ids, racing to be first. */
        if (i < SHARED_IDS)
            snprintf(id, sizeof id, "%032x", i);
        else
            snprintf(id, sizeof id, "%08x%024x", w->number + 1, i);
        if (cli_archive_add(w->archive, "rutube", id, NULL, 0) != RT_OK)
            w->failures++;
        if (!cli_archive_contains(w->archive, "rutube", id))
            w->failures++;
    }
    return NULL;
}

static void cli_archive_concurrent_adds(void **state)
{
    struct dir *d = *state;
    struct cli_archive *a = load_ok(d->path);
    pthread_t threads[WORKERS];
    struct worker workers[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        workers[i] = (struct worker){a, i, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, add_many, &workers[i]), 0);
    }
    for (int i = 0; i < WORKERS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(workers[i].failures, 0);
    }
    size_t expected = SHARED_IDS + WORKERS * (PER_WORKER - SHARED_IDS);
    assert_int_equal(cli_archive_count(a), expected);
    cli_archive_free(a);

    /* Every line whole, each entry once. */
    char *text = read_file(d->path);
    size_t lines = 0;
    for (char *line = text; *line;) {
        char *end = strchr(line, '\n');
        assert_non_null(end);
        assert_int_equal(end - line, strlen("rutube ") + 32);
        assert_memory_equal(line, "rutube ", 7);
        lines++;
        line = end + 1;
    }
    free(text);
    assert_int_equal(lines, expected);
    a = load_ok(d->path);
    assert_int_equal(cli_archive_count(a), expected);
    cli_archive_free(a);
}

static void cli_archive_bad_entries(void **state)
{
    struct dir *d = *state;
    char error[RT_ERROR_MESSAGE_SIZE];
    char long_id[CLI_ARCHIVE_MAX_LINE + 8];
    memset(long_id, 'a', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';

    struct cli_archive *a = load_ok(d->path);
    assert_int_equal(cli_archive_add(a, "rutube", "", error, sizeof error), RT_E_USAGE);
    assert_int_equal(cli_archive_add(a, "", ID1, error, sizeof error), RT_E_USAGE);
    assert_int_equal(cli_archive_add(a, "rutube", "a b", error, sizeof error), RT_E_USAGE);
    assert_string_equal(error, "a download archive entry cannot be empty or hold spaces or control "
                               "characters: \"rutube a b\"");
    assert_int_equal(cli_archive_add(a, "rutube", ID1 "\nrutube x", error, sizeof error),
                     RT_E_USAGE);
    assert_int_equal(cli_archive_add(a, "rutube", long_id, error, sizeof error), RT_E_USAGE);
    /* The reason comes first, so that a long entry cut short in the message cannot hide it. */
    assert_memory_equal(
        error, "a download archive entry cannot be longer than 512 bytes: \"rutube aaa",
        strlen("a download archive entry cannot be longer than 512 bytes: \"rutube aaa"));
    assert_int_equal(strlen(error), sizeof error - 1);
    assert_false(cli_archive_contains(a, "rutube", long_id));
    assert_int_equal(cli_archive_count(a), 0);
    cli_archive_free(a);
    assert_int_equal(access(d->path, F_OK), -1); /* nothing was written */
}

static void cli_archive_unreadable(void **state)
{
    struct dir *d = *state;
    char error[RT_ERROR_MESSAGE_SIZE];
    struct cli_archive *a = (struct cli_archive *)1;

    /* A folder opens but cannot be read: an error, not an empty archive. */
    assert_int_equal(cli_archive_new(d->root, &a, error, sizeof error), RT_E_IO);
    assert_null(a);
    assert_non_null(strstr(error, "Is a directory"));

    /* Something that never ends is refused instead of read for ever. */
    assert_int_equal(cli_archive_new("/dev/zero", &a, error, sizeof error), RT_E_USAGE);
    assert_null(a);
    assert_string_equal(error, "the download archive /dev/zero is larger than 256 MiB: it "
                               "cannot be one");
}

static void cli_archive_unwritable(void **state)
{
    struct dir *d = *state;
    char error[RT_ERROR_MESSAGE_SIZE];
    char path[160];
    snprintf(path, sizeof path, "%s/no-such-folder/archive.txt", d->root);

    /* A missing folder reads as an empty archive; writing is what fails. */
    struct cli_archive *a = load_ok(path);
    assert_int_equal(cli_archive_add(a, "rutube", ID1, error, sizeof error), RT_E_IO);
    assert_non_null(strstr(error, "No such file or directory"));
    assert_false(cli_archive_contains(a, "rutube", ID1));
    cli_archive_free(a);
}

/* A write that fits only in part (here: the file size limit) leaves the file as it was. */
static void cli_archive_half_line_cut_off(void **state)
{
    struct dir *d = *state;
    char error[RT_ERROR_MESSAGE_SIZE];
    static const char original[] = "rutube " ID1 "\n";
    write_file(d->path, original);
    struct cli_archive *a = load_ok(d->path);

    struct rlimit saved, limit;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    limit = saved;
    limit.rlim_cur = sizeof original - 1 + 10;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &limit), 0);
    enum rt_code partial = cli_archive_add(a, "rutube", ID2, error, sizeof error);
    limit.rlim_cur = sizeof original - 1;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &limit), 0);
    enum rt_code none = cli_archive_add(a, "rutube", ID3, NULL, 0);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, old_handler);

    assert_int_equal(partial, RT_E_DISK_FULL);
    assert_non_null(strstr(error, "only 10 of 40 bytes fit"));
    assert_int_equal(none, RT_E_IO);
    assert_false(cli_archive_contains(a, "rutube", ID2));
    expect_file(d->path, original);

    /* Once there is room again, the entry goes in whole. */
    add_ok(a, "rutube", ID2);
    cli_archive_free(a);
    expect_file(d->path, "rutube " ID1 "\nrutube " ID2 "\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(cli_archive_round_trip, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(cli_archive_no_duplicates, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(cli_archive_foreign_lines_kept, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(cli_archive_partial_last_line, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(cli_archive_long_lines, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(cli_archive_concurrent_adds, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(cli_archive_bad_entries, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(cli_archive_unreadable, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(cli_archive_unwritable, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(cli_archive_half_line_cut_off, make_dir, remove_dir),
    };
    return cmocka_run_group_tests_name("cli_archive", tests, NULL, NULL);
}
