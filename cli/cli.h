/* What the rutube-dl command's files share: parsed options and the helpers main() calls. */
#ifndef RT_CLI_H
#define RT_CLI_H

#include <rutube/rutube.h>

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses, as documented in --help. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILED = 1, /* a download failed */
    CLI_EXIT_USAGE = 2,  /* bad options or addresses: nothing was requested */
    CLI_EXIT_INTERRUPTED = 130,
};

struct cli_options {
    char **addresses; /* borrowed from argv */
    int address_count;
    const char *quality; /* best, worst, ask, <height>, <W>x<H> */
    bool list_formats;
    bool list_subs;
    bool force;
    bool quiet;
    bool verbose;
    /* Many videos. */
    const char *batch_file;     /* -a FILE ("-": standard input), or NULL */
    const char *delimiter;      /* -d: splits batch file items besides newlines, or NULL */
    const char *playlist_items; /* --playlist-items SPEC, or NULL */
    const char *match_title;    /* --match-title REGEX (POSIX extended, any case), or NULL */
    const char *archive;        /* --download-archive FILE, or NULL */
    const char *print_fields;   /* --print FIELDS / --flat: list instead of downloading */
    long max_downloads;         /* --max-downloads N; 0: no limit */
    int video_jobs;             /* -J: videos at once, 1..16 */
    bool abort_on_error;
    struct rt_download_options download; /* output folder, template, container, extras */
    struct rt_client_options client;
};

/* Whether FIELDS is a comma list of id, url, title, duration, author (cli_print.c). */
bool cli_print_fields_valid(const char *fields);

/* The fields --flat prints. */
#define CLI_FLAT_FIELDS "url,title,duration"

/* Parse argv. Returns -1 after printing why to stderr (exit 2), 1 when --help or --version
 * printed everything there is to do (exit 0), 0 to go on. */
int cli_options_parse(int argc, char **argv, struct cli_options *opts);

/* ---- cli_formats.c ---- */

/* Print `video`'s formats as a numbered table (1 = the smallest). */
void cli_formats_print(FILE *out, const struct rt_video *video);

/* Print `video`'s subtitle tracks (code, name, address). */
void cli_subs_print(FILE *out, const struct rt_video *video);

/* Show the table and ask on `out` for a number read from `in`. Returns false (after saying
 * why) when no valid answer comes: end of input or three wrong answers. */
bool cli_formats_ask(FILE *in, FILE *out, const struct rt_video *video, size_t *index);

/* ---- cli_progress.c ---- */

struct cli_progress {
    FILE *out;
    bool is_tty;    /* redraw one line in place */
    bool quiet;     /* say nothing */
    bool drawn;     /* a line is on screen and needs clearing */
    int last_tenth; /* for plain output: the last 10% step printed */
    enum rt_phase phase;
    const char *container; /* "MP4", for the remux line */
};

void cli_progress_init(struct cli_progress *p, FILE *out, bool quiet);
/* An rt_progress_fn; `data` is the struct cli_progress. */
void cli_progress_update(const struct rt_progress *progress, void *data);
/* Clear the progress line, if any, before other output. */
void cli_progress_clear(struct cli_progress *p);

/* The figures of a download line ("42.0%  12.1 MiB / 28.9 MiB  3.2 MiB/s  ETA 0:05  segments
 * 12/29") and how far along it is (0..1). */
void cli_progress_describe(const struct rt_progress *progress, char *out, size_t size,
                           double *fraction);

/* The terminal's width in columns (80 when `out` is not one). */
int cli_terminal_width(FILE *out);

/* "27.1 MiB" */
void cli_format_size(double bytes, char *out, size_t size);
/* "0:04", "1:02:03" */
void cli_format_duration(double seconds, char *out, size_t size);

#endif
