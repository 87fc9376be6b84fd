/*
 * The window's download history on its own (gui/rt-history.c): what is written is read back,
 * a bad entry is left out alone, a file that is not a history is set aside. No display.
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "rt-history.h"

#define VIDEO_ADDRESS "https://rutube.ru/video/2ce725b3dc1a243f8456458975ecd872/"

static char *dir; /* this run's temporary folder */

static RtHistoryEntry *sample_entry(void)
{
    RtHistoryEntry *entry = rt_history_entry_new();
    entry->address = g_strdup(VIDEO_ADDRESS);
    g_free(entry->quality);
    entry->quality = g_strdup("1280x712");
    /* What a title may hold: line breaks, brackets, an equals sign, a backslash, emoji. */
    entry->title = g_strdup("Пальцы | [Трейлер]\nвторая строка = \\ 🎬");
    entry->opts.folder = g_strdup("/home/anna/Видео");
    entry->opts.container = RT_CONTAINER_OPUS;
    entry->opts.subtitles = TRUE;
    entry->opts.thumbnail = TRUE;
    entry->opts.chapters = FALSE;
    entry->opts.section_start = 60.5;
    entry->opts.section_end = 150.25;
    entry->path = g_strdup("/home/anna/Видео/Пальцы.opus");
    entry->state = RT_JOB_FAILED;
    entry->error_code = RT_E_NETWORK;
    entry->error_message = g_strdup("segment 17 of 240: HTTP 503 after 5 tries");
    entry->size = 123456789012ULL;
    entry->fraction = 0.375;
    entry->added = 1796300000;
    entry->finished = 1796300600;
    return entry;
}

static GPtrArray *new_entries(void)
{
    return g_ptr_array_new_with_free_func((GDestroyNotify)rt_history_entry_free);
}

static GPtrArray *parse_text(const char *text, guint *skipped, GError **error)
{
    return rt_history_parse(text, strlen(text), skipped, error);
}

static void test_round_trip(void)
{
    g_autoptr(GPtrArray) entries = new_entries();
    g_ptr_array_add(entries, sample_entry());
    RtHistoryEntry *done = rt_history_entry_new();
    done->address = g_strdup("2b920289347334ee93e63873bc444212");
    done->opts.folder = g_strdup("/tmp");
    done->state = RT_JOB_DONE;
    g_ptr_array_add(entries, done);
    g_autofree char *text = rt_history_format(entries);

    guint skipped = 99;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) back = parse_text(text, &skipped, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(skipped, ==, 0);
    g_assert_cmpuint(back->len, ==, 2);
    const RtHistoryEntry *a = g_ptr_array_index(entries, 0), *b = g_ptr_array_index(back, 0);
    g_assert_cmpstr(b->address, ==, a->address);
    g_assert_cmpstr(b->quality, ==, a->quality);
    g_assert_cmpstr(b->title, ==, a->title);
    g_assert_cmpstr(b->opts.folder, ==, a->opts.folder);
    g_assert_cmpint(b->opts.container, ==, RT_CONTAINER_OPUS);
    g_assert_true(b->opts.subtitles && b->opts.thumbnail && !b->opts.chapters);
    g_assert_false(b->opts.split_chapters);
    g_assert_cmpfloat(b->opts.section_start, ==, 60.5);
    g_assert_cmpfloat(b->opts.section_end, ==, 150.25);
    g_assert_cmpstr(b->path, ==, a->path);
    g_assert_cmpint(b->state, ==, RT_JOB_FAILED);
    g_assert_cmpint(b->error_code, ==, RT_E_NETWORK);
    g_assert_cmpstr(b->error_message, ==, a->error_message);
    g_assert_cmpuint(b->size, ==, a->size);
    g_assert_cmpfloat(b->fraction, ==, 0.375);
    g_assert_cmpint(b->added, ==, a->added);
    g_assert_cmpint(b->finished, ==, a->finished);
    /* The defaults of what the second entry did not set. */
    const RtHistoryEntry *c = g_ptr_array_index(back, 1);
    g_assert_cmpstr(c->quality, ==, "best");
    g_assert_null(c->title);
    g_assert_null(c->path);
    g_assert_cmpint(c->state, ==, RT_JOB_DONE);
    g_assert_cmpint(c->opts.container, ==, RT_CONTAINER_MP4);
}

/* Every state a job can be in is written as one the reader takes back; the ones a worker was
 * at all read as under way. */
static void test_states(void)
{
    const RtJobState states[] = {RT_JOB_WAITING,    RT_JOB_STARTING, RT_JOB_DOWNLOADING,
                                 RT_JOB_CONVERTING, RT_JOB_DONE,     RT_JOB_FAILED,
                                 RT_JOB_CANCELLED};
    const RtJobState read_as[] = {RT_JOB_WAITING,     RT_JOB_DOWNLOADING, RT_JOB_DOWNLOADING,
                                  RT_JOB_DOWNLOADING, RT_JOB_DONE,        RT_JOB_FAILED,
                                  RT_JOB_CANCELLED};
    g_autoptr(GPtrArray) entries = new_entries();
    for (size_t i = 0; i < G_N_ELEMENTS(states); i++) {
        RtHistoryEntry *entry = sample_entry();
        entry->state = states[i];
        g_ptr_array_add(entries, entry);
    }
    g_autofree char *text = rt_history_format(entries);
    guint skipped = 0;
    g_autoptr(GPtrArray) back = parse_text(text, &skipped, NULL);
    g_assert_nonnull(back);
    g_assert_cmpuint(back->len, ==, G_N_ELEMENTS(states));
    for (size_t i = 0; i < G_N_ELEMENTS(states); i++)
        g_assert_cmpint(((RtHistoryEntry *)g_ptr_array_index(back, i))->state, ==, read_as[i]);
}

/* A file as a whole not a history: NULL and why. */
static void test_not_a_history(void)
{
    const char *texts[] = {
        "\xff\xfe garbage \x01\n[[[\n",                /* not a key file */
        "[history]\nversion=1\n\n[download 1]\naddr",  /* cut short in a key */
        "[history]\nversion=one\n",                    /* the version of the wrong type */
        "[history]\nversion=2\n",                      /* a newer program's */
        "[download 1]\naddress=" VIDEO_ADDRESS "\n",   /* no [history] group */
        "",                                            /* empty */
        "[history]\nversion=1\nnot a key file line\n", /* a line that is no key */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
        guint skipped = 0;
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) entries = parse_text(texts[i], &skipped, &error);
        if (entries || !error)
            g_error("text %zu read as a history", i);
    }
}

/* One entry spoilt by one line: it alone is left out, the good one beside it kept. */
static void test_bad_entries(void)
{
    const char *lines[] = {
        "size=lots",
        "size=-1",
        "subtitles=maybe",
        "fraction=nan",
        "fraction=2",
        "section-start=-1",
        "section-start=100\nsection-end=50",
        "added=-5",
        "finished=yesterday",
        "state=exploded",
        "container=avi", /* no container the window offers */
        "error=E_NOPE",
        "folder=relative/folder",
        "path=relative/file.mp4",
        "address=not an address",
        "address=https://rutube.ru/plst/123456/",
        "address=",
        "quality=",
        "title=\xff\xfe",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        /* A key given twice: GKeyFile keeps the last, so the spoilt line wins. */
        g_autofree char *text = g_strdup_printf("[history]\nversion=1\n\n"
                                                "[download 1]\naddress=%s\nfolder=/tmp\n"
                                                "state=done\n%s\n\n"
                                                "[download 2]\naddress=%s\nfolder=/tmp\n"
                                                "state=cancelled\n",
                                                VIDEO_ADDRESS, lines[i], VIDEO_ADDRESS);
        guint skipped = 0;
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) entries = parse_text(text, &skipped, &error);
        if (!entries)
            g_error("%s: the whole file refused: %s", lines[i], error->message);
        if (skipped != 1 || entries->len != 1)
            g_error("%s: %u skipped, %u kept", lines[i], skipped, entries->len);
        g_assert_cmpint(((RtHistoryEntry *)g_ptr_array_index(entries, 0))->state, ==,
                        RT_JOB_CANCELLED);
    }
    /* Missing the address, the folder or the state: left out too. */
    const char *missing = "[history]\nversion=1\n[a]\nfolder=/tmp\nstate=done\n"
                          "[b]\naddress=" VIDEO_ADDRESS "\nstate=done\n"
                          "[c]\naddress=" VIDEO_ADDRESS "\nfolder=/tmp\n";
    guint skipped = 0;
    g_autoptr(GPtrArray) entries = parse_text(missing, &skipped, NULL);
    g_assert_nonnull(entries);
    g_assert_cmpuint(entries->len, ==, 0);
    g_assert_cmpuint(skipped, ==, 3);
}

/* The newest RT_HISTORY_MAX_ENTRIES, written and read. */
static void test_cap_entries(void)
{
    g_autoptr(GPtrArray) entries = new_entries();
    for (guint i = 0; i < RT_HISTORY_MAX_ENTRIES + 5; i++) {
        RtHistoryEntry *entry = sample_entry();
        entry->added = i;
        g_ptr_array_add(entries, entry);
    }
    g_autofree char *text = rt_history_format(entries);
    guint skipped = 0;
    g_autoptr(GPtrArray) back = parse_text(text, &skipped, NULL);
    g_assert_cmpuint(back->len, ==, RT_HISTORY_MAX_ENTRIES);
    g_assert_cmpint(((RtHistoryEntry *)g_ptr_array_index(back, 0))->added, ==, 5);

    /* A file with more (written by hand) is read as its newest. */
    GString *many = g_string_new("[history]\nversion=1\n");
    for (guint i = 0; i < RT_HISTORY_MAX_ENTRIES + 7; i++)
        g_string_append_printf(many, "[d%u]\naddress=%s\nfolder=/tmp\nstate=done\nadded=%u\n", i,
                               VIDEO_ADDRESS, i);
    g_autoptr(GPtrArray) newest = rt_history_parse(many->str, many->len, &skipped, NULL);
    g_string_free(many, TRUE);
    g_assert_cmpuint(newest->len, ==, RT_HISTORY_MAX_ENTRIES);
    g_assert_cmpint(((RtHistoryEntry *)g_ptr_array_index(newest, 0))->added, ==, 7);
    g_assert_cmpint(
        ((RtHistoryEntry *)g_ptr_array_index(newest, RT_HISTORY_MAX_ENTRIES - 1))->added, ==,
        RT_HISTORY_MAX_ENTRIES + 6);

    /* As long a file as the cap lets in: how long it takes to read. */
    GString *full = g_string_new("[history]\nversion=1\n");
    guint n = 0;
    for (; full->len < RT_HISTORY_MAX_BYTES - 200; n++)
        g_string_append_printf(full, "[d%u]\naddress=%s\nfolder=/tmp\nstate=done\nadded=%u\n", n,
                               VIDEO_ADDRESS, n);
    gint64 before = g_get_monotonic_time();
    g_autoptr(GPtrArray) longest = rt_history_parse(full->str, full->len, &skipped, NULL);
    g_test_message("%u entries, %zu bytes, read in %.3f s", n, full->len,
                   (double)(g_get_monotonic_time() - before) / G_USEC_PER_SEC);
    g_string_free(full, TRUE);
    g_assert_cmpuint(longest->len, ==, RT_HISTORY_MAX_ENTRIES);
    g_assert_cmpint(((RtHistoryEntry *)g_ptr_array_index(longest, 0))->added, ==,
                    n - RT_HISTORY_MAX_ENTRIES);
}

/* ---- The file ------------------------------------------------------------------------------- */

static char *aside_of(const char *path)
{
    g_autofree char *folder = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *prefix = g_strconcat(base, ".bad-", NULL);
    g_autoptr(GDir) listing = g_dir_open(folder, 0, NULL);
    const char *name;
    while (listing && (name = g_dir_read_name(listing)))
        if (g_str_has_prefix(name, prefix))
            return g_build_filename(folder, name, NULL);
    return NULL;
}

static char *fresh_path(const char *name)
{
    g_autofree char *sub = g_build_filename(dir, name, NULL);
    g_mkdir_with_parents(sub, 0700);
    return g_build_filename(sub, "history.ini", NULL);
}

static void test_write_read(void)
{
    g_autofree char *path = fresh_path("write");
    g_autoptr(GPtrArray) entries = new_entries();
    g_ptr_array_add(entries, sample_entry());
    g_autoptr(GError) error = NULL;
    g_assert_true(rt_history_write(path, entries, &error));
    g_assert_no_error(error);
    GStatBuf st;
    g_assert_cmpint(g_stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_autoptr(GPtrArray) back = rt_history_read(path);
    g_assert_cmpuint(back->len, ==, 1);
    g_assert_null(aside_of(path));

    /* No file yet: an empty list, nothing said. */
    g_autofree char *none = fresh_path("none");
    g_autoptr(GPtrArray) empty = rt_history_read(none);
    g_assert_cmpuint(empty->len, ==, 0);

    /* A folder not made yet is made. */
    g_autofree char *deeper = g_build_filename(dir, "new", "rutube-dl", "history.ini", NULL);
    g_assert_true(rt_history_write(deeper, entries, NULL));
    g_assert_true(g_file_test(deeper, G_FILE_TEST_IS_REGULAR));
}

/* Read `path` expecting it set aside: an empty list, the warning, the file renamed. */
static void expect_set_aside(const char *path)
{
    g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*unreadable*moved to*");
    g_autoptr(GPtrArray) entries = rt_history_read(path);
    g_test_assert_expected_messages();
    g_assert_cmpuint(entries->len, ==, 0);
    g_autofree char *aside = aside_of(path);
    g_assert_nonnull(aside);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

static void test_set_aside(void)
{
    g_autofree char *garbage = fresh_path("garbage");
    static const char bytes[] = "\x00\x01\x02 not a history";
    g_assert_true(g_file_set_contents(garbage, bytes, sizeof bytes - 1, NULL));
    expect_set_aside(garbage);
    g_autofree char *aside = aside_of(garbage);
    g_autofree char *kept = NULL;
    gsize length = 0;
    g_assert_true(g_file_get_contents(aside, &kept, &length, NULL));
    g_assert_cmpuint(length, ==, sizeof bytes - 1); /* whole, for whoever wants to look */

    /* Past the cap: a sparse file, so that the test writes nothing much. */
    g_autofree char *huge = fresh_path("huge");
    g_assert_true(g_file_set_contents(huge, "[history]\nversion=1\n", -1, NULL));
    g_assert_cmpint(truncate(huge, (off_t)RT_HISTORY_MAX_BYTES + 1), ==, 0);
    expect_set_aside(huge);

    /* Not a regular file: a FIFO would block a plain open(), a folder cannot be read. */
    g_autofree char *fifo = fresh_path("fifo");
    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    expect_set_aside(fifo);
    g_autofree char *folder = fresh_path("folder");
    g_assert_cmpint(g_mkdir(folder, 0700), ==, 0);
    expect_set_aside(folder);

    /* Twice in the same second: the second one set aside beside the first, not over it. */
    g_autofree char *twice = fresh_path("twice");
    g_file_set_contents(twice, "garbage one", -1, NULL);
    expect_set_aside(twice);
    g_file_set_contents(twice, "garbage two", -1, NULL);
    expect_set_aside(twice);
    g_autofree char *sub = g_path_get_dirname(twice);
    g_autoptr(GDir) listing = g_dir_open(sub, 0, NULL);
    guint count = 0;
    while (g_dir_read_name(listing))
        count++;
    g_assert_cmpuint(count, ==, 2);
}

/* A bad entry is skipped with a warning, and the file kept. */
static void test_read_skips(void)
{
    g_autofree char *path = fresh_path("skips");
    g_assert_true(g_file_set_contents(path,
                                      "[history]\nversion=1\n[a]\naddress=" VIDEO_ADDRESS
                                      "\nfolder=/tmp\nstate=done\n[b]\nstate=done\n",
                                      -1, NULL));
    g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*1 damaged entry left out*");
    g_autoptr(GPtrArray) entries = rt_history_read(path);
    g_test_assert_expected_messages();
    g_assert_cmpuint(entries->len, ==, 1);
    g_assert_null(aside_of(path));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    dir = g_dir_make_tmp("rtdl-history.XXXXXX", NULL);
    g_test_add_func("/history/round-trip", test_round_trip);
    g_test_add_func("/history/states", test_states);
    g_test_add_func("/history/not-a-history", test_not_a_history);
    g_test_add_func("/history/bad-entries", test_bad_entries);
    g_test_add_func("/history/cap-entries", test_cap_entries);
    g_test_add_func("/history/write-read", test_write_read);
    g_test_add_func("/history/set-aside", test_set_aside);
    g_test_add_func("/history/read-skips", test_read_skips);
    int result = g_test_run();
    const char *argv_rm[] = {"rm", "-rf", dir, NULL};
    g_spawn_sync(NULL, (char **)argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                 NULL);
    g_free(dir);
    return result;
}
