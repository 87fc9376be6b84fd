/* A run of rutube-dl over one or many videos: the jobs, the workers, what they share. */
#ifndef RT_CLI_RUN_H
#define RT_CLI_RUN_H

#include "cli.h"
#include "cli_batch.h"

#include <pthread.h>
#include <regex.h>
#include <stdatomic.h>

/* One video to save, or an input that turned out to be none (`broken`). */
struct cli_job {
    struct rt_target target;
    char *label;              /* the address (or "batch.txt:7: <address>") */
    char *title;              /* from the collection's list, or NULL until fetched */
    char *broken;             /* why this input names no video; NULL for a video */
    enum rt_code broken_code; /* and the library's code for it (a bad address, a list not found) */
    double duration;          /* seconds, from the list; 0 when unknown */
    bool from_collection;
};

struct cli_jobs {
    struct cli_job *items;
    size_t count, cap;
};

/* A multi-line display while several videos download at once (cli_board.c). */
struct cli_board;

/* What every worker of a run shares. Fields below `lock` change while workers run. */
struct cli_run {
    const struct cli_options *opts;
    struct rt_client *client;
    const struct cli_items *items; /* --playlist-items, or NULL */
    regex_t *match_title;          /* --match-title, or NULL */
    struct cli_archive *archive;   /* --download-archive, or NULL */
    struct cli_report *report;
    const char *batch_name;
    bool many;               /* more than one video may come: numbered lines and a final report */
    bool quiet_lists;        /* say nothing about collections (--print, --quiet) */
    struct cli_board *board; /* several videos at once on a terminal, or NULL */
    const atomic_int *interrupted;

    pthread_mutex_t lock;        /* guards the fields below and the output */
    size_t next;                 /* the next job to start */
    size_t started;              /* videos begun, for "[3/10]" */
    long downloaded;             /* for --max-downloads */
    bool stop;                   /* --abort-on-error after a failure, or --max-downloads reached */
    struct cli_progress *single; /* the one-line progress of a one-at-a-time run */
};

/* ---- cli_jobs.c ---- */

/* The videos the addresses and the batch file name, collections expanded (and filtered by
 * --playlist-items and --match-title), in input order. Inputs that name nothing downloadable
 * are jobs with `broken` set, already reported. Errors: RT_E_NOMEM, RT_E_CANCELLED. */
enum rt_code cli_jobs_collect(const struct cli_run *run, const struct cli_batch *batch,
                              struct cli_jobs *jobs);
void cli_jobs_cleanup(struct cli_jobs *jobs);

/* ---- cli_run.c ---- */

/* Save every job, `opts->video_jobs` at a time. Returns the exit status. */
int cli_run_jobs(struct cli_run *run, struct cli_jobs *jobs);

/* From a signal handler: end the live recording under way, as finished (rt_download_stop()).
 * False when none is. Async-signal-safe. */
bool cli_run_stop_live(void);

/* Print on stdout / a warning on stderr, serialized with the progress display. */
void cli_say(const struct cli_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An error from the library about `who` (an id or address), one line on stderr even with
 * --quiet: "rutube-dl: error: <the library's sentence>" (naming `who` when it does not). */
void cli_error(const struct cli_run *run, const char *who, const struct rt_error *err);
void cli_warn(const struct cli_run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A diagnostic on stderr ("rutube-dl: ..."), as --verbose shows them. */
void cli_note(const struct cli_run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline enum rt_code rt__cli_nomem(struct rt_error *err)
{
    if (err) {
        err->code = RT_E_NOMEM;
        snprintf(err->message, sizeof err->message, "%s", rt_strerror(RT_E_NOMEM));
    }
    return RT_E_NOMEM;
}

/* ---- cli_print.c ---- */

/* --flat / --print: one tab-separated line per video, nothing downloaded. Videos that are not
 * from a collection's list are asked about first. Returns the exit status. */
int cli_print_jobs(struct cli_run *run, struct cli_jobs *jobs);

/* ---- cli_board.c ---- */

/* A display of `slots` lines (one per worker) under an overall line, redrawn in place. */
struct cli_board *cli_board_new(FILE *out, size_t slots, size_t total);
void cli_board_free(struct cli_board *board);
/* Worker `slot` starts a video called `title`. */
void cli_board_start(struct cli_board *board, size_t slot, const char *title);
/* Worker `slot`'s video is over (its line goes blank); `bytes` were saved. */
void cli_board_finish(struct cli_board *board, size_t slot, uint64_t bytes);
/* An rt_progress_fn for worker slot `data` (a struct cli_board_slot). */
void cli_board_progress(const struct rt_progress *progress, void *data);
/* Clear the display, print a line (printf-style) above it, redraw. */
void cli_board_print(struct cli_board *board, FILE *stream, const char *text);
/* The struct to hand to cli_board_progress for worker `slot`. */
void *cli_board_slot(struct cli_board *board, size_t slot);

#endif
