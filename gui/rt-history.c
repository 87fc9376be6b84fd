/* The list of downloads kept between runs: its entries, and the file they live in. */
#include "rt-history.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "rt-settings.h"

/* A key file, as the settings are: GLib reads and writes it (escapes, UTF-8 checks), so no
 * new library is needed. A [history] group says what the file is; one group an entry. */
#define HEADER  "history"
#define VERSION 1

RtHistoryEntry *rt_history_entry_new(void)
{
    RtHistoryEntry *entry = g_new0(RtHistoryEntry, 1);
    entry->quality = g_strdup("best");
    entry->opts.container = RT_CONTAINER_MP4;
    entry->state = RT_JOB_WAITING;
    return entry;
}

void rt_history_entry_free(RtHistoryEntry *entry)
{
    if (!entry)
        return;
    g_free(entry->address);
    g_free(entry->quality);
    g_free(entry->title);
    rt_job_options_clear(&entry->opts);
    g_free(entry->path);
    g_free(entry->error_message);
    g_free(entry);
}

char *rt_history_path(void)
{
    return g_build_filename(g_get_user_data_dir(), "rutube-dl", "history.ini", NULL);
}

/* ---- The words for states, formats and errors ------------------------------------------------ */

/* Every state a job can be in has a word; the ones a worker is at are all "running". */
static const char *state_word(RtJobState state)
{
    switch (state) {
    case RT_JOB_WAITING:
        return "waiting";
    case RT_JOB_STARTING:
    case RT_JOB_DOWNLOADING:
    case RT_JOB_CONVERTING:
        return "running";
    case RT_JOB_DONE:
        return "done";
    case RT_JOB_FAILED:
        return "failed";
    case RT_JOB_CANCELLED:
        return "cancelled";
    }
    return "running";
}

static gboolean state_from_word(const char *word, RtJobState *state)
{
    static const RtJobState states[] = {RT_JOB_WAITING, RT_JOB_DOWNLOADING, RT_JOB_DONE,
                                        RT_JOB_FAILED, RT_JOB_CANCELLED};
    for (size_t i = 0; i < G_N_ELEMENTS(states); i++)
        if (strcmp(word, state_word(states[i])) == 0) {
            *state = states[i];
            return TRUE;
        }
    return FALSE;
}

/* The same words as gtk.ini's ("mp4", "opus"): only what the window offers. */
static gboolean container_from_word(const char *word, enum rt_container *container)
{
    return rt_settings_container_from_word(word, container);
}

static const char *container_word(enum rt_container container)
{
    return rt_settings_container_word(container);
}

/* Codes by name ("E_NOT_FOUND"), not number: a later library may number them otherwise. */
static gboolean code_from_word(const char *word, enum rt_code *code)
{
    for (int i = 0; i < RT_CODE_COUNT; i++)
        if (strcmp(word, rt_code_name((enum rt_code)i)) == 0) {
            *code = (enum rt_code)i;
            return TRUE;
        }
    return FALSE;
}

/* ---- Reading ----------------------------------------------------------------------------------
 */

/* One entry's fields. Each getter leaves `*bad` set when the key is there but wrong; a missing
 * optional key keeps the default. */
typedef struct {
    GKeyFile *file;
    const char *group;
    gboolean bad;
} Reader;

static char *get_string(Reader *r, const char *key, gboolean required)
{
    g_autoptr(GError) error = NULL;
    char *value = g_key_file_get_string(r->file, r->group, key, &error);
    if (!value &&
        (required || !g_error_matches(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)))
        r->bad = TRUE;
    return value;
}

static void get_boolean(Reader *r, const char *key, gboolean *out)
{
    if (!g_key_file_has_key(r->file, r->group, key, NULL))
        return;
    g_autoptr(GError) error = NULL;
    gboolean value = g_key_file_get_boolean(r->file, r->group, key, &error);
    if (error)
        r->bad = TRUE;
    else
        *out = value;
}

/* A number in [low, high]; NaN and the infinities are not numbers here. */
static void get_double(Reader *r, const char *key, double low, double high, double *out)
{
    if (!g_key_file_has_key(r->file, r->group, key, NULL))
        return;
    g_autoptr(GError) error = NULL;
    double value = g_key_file_get_double(r->file, r->group, key, &error);
    if (error || !isfinite(value) || value < low || value > high)
        r->bad = TRUE;
    else
        *out = value;
}

/* A whole number in [0, max], in decimal digits alone (GKeyFile's own getter would take
 * "-1" as the largest number there is). */
static void get_count(Reader *r, const char *key, guint64 max, guint64 *out)
{
    if (!g_key_file_has_key(r->file, r->group, key, NULL))
        return;
    g_autofree char *text = get_string(r, key, TRUE);
    guint64 value = 0;
    if (!text || !g_ascii_string_to_unsigned(text, 10, 0, max, &value, NULL))
        r->bad = TRUE;
    else
        *out = value;
}

static void get_time(Reader *r, const char *key, gint64 *out)
{
    guint64 value = (guint64)*out;
    get_count(r, key, G_MAXINT64, &value);
    *out = (gint64)value;
}

/* A video's address (a list's is never queued as such: its videos are). */
static gboolean is_video_address(const char *address)
{
    struct rt_target target;
    struct rt_error err = {0};
    return rt_target_parse(address, &target, &err) == RT_OK && !rt_target_is_collection(&target);
}

/* The entry in `group`, or NULL when anything in it is wrong. */
static RtHistoryEntry *read_entry(GKeyFile *file, const char *group)
{
    g_autoptr(RtHistoryEntry) entry = rt_history_entry_new();
    Reader r = {file, group, FALSE};
    RtJobOptions *opts = &entry->opts;
    entry->address = get_string(&r, "address", TRUE);
    g_autofree char *quality = get_string(&r, "quality", FALSE);
    entry->title = get_string(&r, "title", FALSE);
    opts->folder = get_string(&r, "folder", TRUE);
    g_autofree char *container = get_string(&r, "container", FALSE);
    get_boolean(&r, "subtitles", &opts->subtitles);
    get_boolean(&r, "thumbnail", &opts->thumbnail);
    get_boolean(&r, "chapters", &opts->chapters);
    get_double(&r, "section-start", 0, 1e9, &opts->section_start);
    get_double(&r, "section-end", 0, 1e9, &opts->section_end);
    get_boolean(&r, "split-chapters", &opts->split_chapters);
    opts->name_template = get_string(&r, "name-template", FALSE);
    entry->path = get_string(&r, "path", FALSE);
    g_autofree char *state = get_string(&r, "state", TRUE);
    g_autofree char *code = get_string(&r, "error", FALSE);
    entry->error_message = get_string(&r, "error-message", FALSE);
    get_count(&r, "size", G_MAXUINT64, &entry->size);
    get_double(&r, "fraction", 0, 1, &entry->fraction);
    get_time(&r, "added", &entry->added);
    get_time(&r, "finished", &entry->finished);
    if (r.bad)
        return NULL;
    if (quality) {
        g_free(entry->quality);
        entry->quality = g_steal_pointer(&quality);
    }
    if (!is_video_address(entry->address) || !entry->quality[0] ||
        !g_path_is_absolute(opts->folder) || (entry->path && !g_path_is_absolute(entry->path)) ||
        !state_from_word(state, &entry->state) ||
        (container && !container_from_word(container, &opts->container)) ||
        (code && !code_from_word(code, &entry->error_code)))
        return NULL;
    /* A part ends after it begins; none at all is 0, 0. */
    if (opts->section_end != 0 && opts->section_end <= opts->section_start)
        return NULL;
    if (entry->title && !entry->title[0])
        g_clear_pointer(&entry->title, g_free);
    return g_steal_pointer(&entry);
}

GPtrArray *rt_history_parse(const char *data, gsize length, guint *skipped, GError **error)
{
    *skipped = 0;
    g_autoptr(GKeyFile) file = g_key_file_new();
    if (!g_key_file_load_from_data(file, data, length, G_KEY_FILE_NONE, error))
        return NULL;
    g_autoptr(GError) version_error = NULL;
    gint64 version = g_key_file_get_int64(file, HEADER, "version", &version_error);
    if (version_error) {
        g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "not a download history: %s", version_error->message);
        return NULL;
    }
    /* A newer program's file is left alone rather than half understood and overwritten. */
    if (version != VERSION) {
        g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                    "history version %" G_GINT64_FORMAT ", this program reads %d", version,
                    VERSION);
        return NULL;
    }
    /* The newest first, up to the cap: the older ones of a long file are not even looked at. */
    GPtrArray *entries = g_ptr_array_new_with_free_func((GDestroyNotify)rt_history_entry_free);
    gsize count = 0;
    g_auto(GStrv) groups = g_key_file_get_groups(file, &count);
    for (gsize i = count; i-- > 0 && entries->len < RT_HISTORY_MAX_ENTRIES;) {
        if (strcmp(groups[i], HEADER) == 0)
            continue;
        RtHistoryEntry *entry = read_entry(file, groups[i]);
        if (entry)
            g_ptr_array_add(entries, entry);
        else
            (*skipped)++;
    }
    /* Oldest first, as the queue lists them. */
    for (guint a = 0, b = entries->len; b-- > a + 1; a++) {
        gpointer older = entries->pdata[b];
        entries->pdata[b] = entries->pdata[a];
        entries->pdata[a] = older;
    }
    return entries;
}

/* ---- Writing ----------------------------------------------------------------------------------
 */

static void set_optional(GKeyFile *file, const char *group, const char *key, const char *value)
{
    if (value)
        g_key_file_set_string(file, group, key, value);
}

static void write_entry(GKeyFile *file, const char *group, const RtHistoryEntry *entry)
{
    const RtJobOptions *opts = &entry->opts;
    g_key_file_set_string(file, group, "address", entry->address);
    g_key_file_set_string(file, group, "quality", entry->quality);
    set_optional(file, group, "title", entry->title);
    g_key_file_set_string(file, group, "folder", opts->folder);
    g_key_file_set_string(file, group, "container", container_word(opts->container));
    g_key_file_set_boolean(file, group, "subtitles", opts->subtitles);
    g_key_file_set_boolean(file, group, "thumbnail", opts->thumbnail);
    g_key_file_set_boolean(file, group, "chapters", opts->chapters);
    g_key_file_set_double(file, group, "section-start", opts->section_start);
    g_key_file_set_double(file, group, "section-end", opts->section_end);
    g_key_file_set_boolean(file, group, "split-chapters", opts->split_chapters);
    set_optional(file, group, "name-template", opts->name_template);
    set_optional(file, group, "path", entry->path);
    g_key_file_set_string(file, group, "state", state_word(entry->state));
    if (entry->state == RT_JOB_FAILED) {
        g_key_file_set_string(file, group, "error", rt_code_name(entry->error_code));
        set_optional(file, group, "error-message", entry->error_message);
    }
    g_key_file_set_uint64(file, group, "size", entry->size);
    g_key_file_set_double(file, group, "fraction", entry->fraction);
    g_key_file_set_int64(file, group, "added", entry->added);
    if (entry->finished)
        g_key_file_set_int64(file, group, "finished", entry->finished);
}

char *rt_history_format(GPtrArray *entries)
{
    g_autoptr(GKeyFile) file = g_key_file_new();
    g_key_file_set_integer(file, HEADER, "version", VERSION);
    guint first = entries->len > RT_HISTORY_MAX_ENTRIES ? entries->len - RT_HISTORY_MAX_ENTRIES : 0;
    for (guint i = first; i < entries->len; i++) {
        g_autofree char *group = g_strdup_printf("download %u", i - first + 1);
        write_entry(file, group, g_ptr_array_index(entries, i));
    }
    return g_key_file_to_data(file, NULL, NULL);
}

gboolean rt_history_write(const char *path, GPtrArray *entries, GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);
    if (g_mkdir_with_parents(dir, 0700) != 0) {
        int saved = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "%s: %s", dir,
                    g_strerror(saved));
        return FALSE;
    }
    g_autofree char *text = rt_history_format(entries);
    /* Written beside and renamed over, synced first: a crash leaves the old list or the new
     * one, never half of one. */
    return g_file_set_contents_full(
        path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING, 0600,
        error);
}

/* ---- A file that is not a history ----------------------------------------------------------- */

/* Rename `path` out of the way, to path.bad-20261203-174941 (-2, -3… when that is taken). */
static void set_aside(const char *path, const char *why)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autofree char *stamp = g_date_time_format(now, "%Y%m%d-%H%M%S");
    g_autofree char *aside = g_strdup_printf("%s.bad-%s", path, stamp);
    for (int n = 2; g_file_test(aside, G_FILE_TEST_EXISTS) && n < 100; n++) {
        g_free(aside);
        aside = g_strdup_printf("%s.bad-%s-%d", path, stamp, n);
    }
    if (g_rename(path, aside) == 0)
        g_warning("the download history %s is unreadable (%s): moved to %s, a new list starts",
                  path, why, aside);
    else
        g_warning("the download history %s is unreadable (%s), and cannot be moved aside: %s", path,
                  why, g_strerror(errno));
}

/* The file's bytes, at most the cap; NULL with `why` set when it is not a file to read. */
static char *read_capped(const char *path, gsize *length, char **why)
{
    /* Non-blocking: a FIFO put there would otherwise wait for a writer forever. */
    int fd = g_open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
    if (fd < 0) {
        *why = errno == ENOENT ? NULL : g_strdup(g_strerror(errno));
        return NULL;
    }
    GStatBuf st;
    char *data = NULL;
    if (fstat(fd, &st) != 0) {
        *why = g_strdup(g_strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        *why = g_strdup("not a regular file");
    } else if (st.st_size > RT_HISTORY_MAX_BYTES) {
        *why = g_strdup_printf("%" G_GINT64_FORMAT " bytes, more than %d", (gint64)st.st_size,
                               RT_HISTORY_MAX_BYTES);
    } else {
        /* One byte past the cap tells a file that grew since fstat() from one that fits. */
        data = g_malloc(RT_HISTORY_MAX_BYTES + 1);
        gsize got = 0;
        for (;;) {
            ssize_t n = read(fd, data + got, RT_HISTORY_MAX_BYTES + 1 - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                *why = g_strdup(g_strerror(errno));
                g_clear_pointer(&data, g_free);
                break;
            }
            got += (gsize)n;
            if (n == 0 || got > RT_HISTORY_MAX_BYTES)
                break;
        }
        if (data && got > RT_HISTORY_MAX_BYTES) {
            *why = g_strdup_printf("more than %d bytes", RT_HISTORY_MAX_BYTES);
            g_clear_pointer(&data, g_free);
        }
        *length = got;
    }
    close(fd);
    return data;
}

GPtrArray *rt_history_read(const char *path)
{
    gsize length = 0;
    char *why = NULL;
    g_autofree char *data = read_capped(path, &length, &why);
    if (!data) {
        if (why)
            set_aside(path, why);
        g_free(why);
        return g_ptr_array_new_with_free_func((GDestroyNotify)rt_history_entry_free);
    }
    guint skipped = 0;
    g_autoptr(GError) error = NULL;
    GPtrArray *entries = rt_history_parse(data, length, &skipped, &error);
    if (!entries) {
        set_aside(path, error->message);
        return g_ptr_array_new_with_free_func((GDestroyNotify)rt_history_entry_free);
    }
    if (skipped > 0)
        g_warning("the download history %s: %u damaged entr%s left out", path, skipped,
                  skipped == 1 ? "y" : "ies");
    return entries;
}
