/* The list of downloads kept between runs: its entries, and the file they live in. */
#pragma once

#include <glib.h>

#include "rt-job.h"

G_BEGIN_DECLS

/* A file larger than this is not one the window wrote (about 700 bytes an entry): it is set
 * aside unread, so that a runaway file cannot hold up the start or fill the memory. */
#define RT_HISTORY_MAX_BYTES (4 * 1024 * 1024)

/* At most this many entries are kept, the newest: every row is a widget made at start-up
 * (measured under Xvfb: 200 rows add about 0.6 s to the start, 1000 about 4.7 s), and a list
 * longer than that is not read by a person anyway. */
#define RT_HISTORY_MAX_ENTRIES 200

/* One download as the history keeps it: what the row shows, and what it takes to continue it
 * (the same address, quality and options give the library the same path, whose .part it
 * continues). */
typedef struct {
    char *address;
    char *quality; /* rt_format_choose()'s words: "1280x712", "best" */
    char *title;   /* NULL: not known (the row shows the address) */
    RtJobOptions opts;
    char *path; /* the final file; NULL until the library named it */
    /* RT_JOB_DONE, RT_JOB_FAILED, RT_JOB_CANCELLED; RT_JOB_WAITING for one waiting its turn
     * and RT_JOB_DOWNLOADING for one under way when the list was written. */
    RtJobState state;
    enum rt_code error_code; /* FAILED: why */
    char *error_message;     /* FAILED: the detail, or NULL */
    guint64 size;            /* DONE: the bytes saved, 0 if not known */
    double fraction;         /* how far it had gone when the list was written, 0..1 */
    gint64 added;            /* when it was added, Unix seconds */
    gint64 finished;         /* when it ended, Unix seconds; 0 while not over */
} RtHistoryEntry;

RtHistoryEntry *rt_history_entry_new(void);
void rt_history_entry_free(RtHistoryEntry *entry); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RtHistoryEntry, rt_history_entry_free)

/* $XDG_DATA_HOME/rutube-dl/history.ini. Caller frees. */
char *rt_history_path(void);

/*
 * The entries in `data` (`length` bytes, a key file as rt_history_format() writes it), oldest
 * first, as a GPtrArray of RtHistoryEntry that frees them (caller unrefs). An entry with a
 * missing, wrong-typed or impossible field is left out and counted in `*skipped`. NULL with
 * `error` set when the file as a whole is not a history (not a key file, not UTF-8, no
 * [history] group, another version): nothing in it is to be trusted.
 */
GPtrArray *rt_history_parse(const char *data, gsize length, guint *skipped, GError **error);

/* `entries` (RtHistoryEntry, oldest first; the newest RT_HISTORY_MAX_ENTRIES of them) as the
 * file's text. Caller frees. */
char *rt_history_format(GPtrArray *entries);

/*
 * The entries kept in `path` (never NULL: empty when there is no file). A file that cannot
 * be read as a history (not a regular file, larger than RT_HISTORY_MAX_BYTES, damaged) is
 * renamed to `path`.bad-<date and time> with a warning, so that a fresh list starts and the
 * old one stays there for whoever wants to look; bad entries are skipped with a warning.
 * Never blocks (a FIFO is not opened for reading) and never reads more than the cap.
 */
GPtrArray *rt_history_read(const char *path);

/* Write `entries` to `path` atomically (a new file renamed over the old one), readable by
 * the user alone; the folder is made if needed. */
gboolean rt_history_write(const char *path, GPtrArray *entries, GError **error);

G_END_DECLS
