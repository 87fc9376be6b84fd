/* What the rutube-dl command's files share: parsed options and the helpers main() calls. */
#ifndef RT_CLI_H
#define RT_CLI_H

#include <rutube/rutube.h>

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses, as documented in --help. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILED = 1, /* a download failed */
    CLI_EXIT_USAGE = 2,  /* bad options or addresses: nothing was requested */
    CLI_EXIT_INTERRUPTED = 130,
};

/* Most --download-sections one command takes. */
#define CLI_SECTIONS_MAX 16

struct cli_options {
    char **addresses; /* borrowed from argv */
    int address_count;
    const char *quality; /* best, worst, ask, <height>, <W>x<H> */
    bool quality_given;  /* -q was said: for the audio alone too, that format is taken */
    bool extract_audio;  /* -x / --audio-format */
    enum rt_container audio_container; /* --audio-format: M4A unless said */
    bool no_embed_thumbnail;           /* --no-embed-thumbnail, over -x's cover */
    /* --download-sections: each part of each video is a file of its own (rt_section_parse()). */
    struct {
        double start, end;
    } sections[CLI_SECTIONS_MAX];
    size_t section_count;
    enum rt_codec prefer_codec; /* --prefer-codec: RT_CODEC_UNKNOWN for the most compatible */
    bool list_formats;
    bool list_subs;
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
    /* --wait-for-video: a video not there yet (an upcoming stream answers 404) is asked for
     * again every this many seconds, with a countdown; 0: not waited for. */
    double wait_for_video;
    struct rt_download_options download; /* output folder, template, container, extras */
    struct rt_client_options client;
};

/* Whether FIELDS is a comma list of id, url, title, duration, author (cli_print.c). */
bool cli_print_fields_valid(const char *fields);

/* The fields --flat prints. */
#define CLI_FLAT_FIELDS "url,title,duration"

/* rutube-dl's options, for getopt_long(): cli_config.c looks for its own two in them. */
extern const char cli_short_options[];
extern const struct option cli_long_options[];

struct cli_config;

/* Parse the options of `config` (a config file's lines, in order; may be NULL), then argv, so
 * that the command line wins. Strings in `opts` point into argv and `config`: both must
 * outlive it. Returns -1 after printing why to stderr (exit 2; an error in a config line
 * names its file and line), 1 when --help or --version printed everything there is to do
 * (exit 0), 0 to go on. */
int cli_options_parse(int argc, char **argv, const struct cli_config *config,
                      struct cli_options *opts);

/* ---- cli_config.c ---- */

/*
 * The config file: default options, one a line, as yt-dlp users know it. Where:
 * `--config-location PATH` (a file, or a folder holding `config`; may be given more than
 * once) if the command line has it, else $XDG_CONFIG_HOME/rutube-dl/config when
 * XDG_CONFIG_HOME is an absolute path, else ~/.config/rutube-dl/config; `--ignore-config`
 * skips the default file. A missing default file is no error; a missing --config-location is.
 *
 * Each line is split into words as a shell would, without running anything: blanks separate
 * words; '...' keeps everything; "..." keeps everything but \" \\ \$ \` (escaped); a
 * backslash outside quotes escapes the next character; a word starting with # starts a
 * comment to the end of the line; empty lines are skipped. A word that is `~` or starts with
 * `~/`, quoted or not, or the value of `--option=~/...`, starts at the home folder. No $VAR
 * expansion, no globbing. A line holds whole options: an option and its value on one line.
 */
struct cli_config_line {
    char **argv;      /* "rutube-dl", the line's words, NULL: what getopt_long() wants */
    int argc;         /* 1 + the number of words, at least 2 */
    size_t number;    /* 1-based line number in the file */
    const char *file; /* the file's path as read; owned by the cli_config */
};

/* Invariant: everything is owned by the struct; an all-zero struct is empty and valid. */
struct cli_config {
    struct cli_config_line *lines; /* the lines holding words, file by file, in order */
    size_t count, cap;
    char **files; /* the paths read */
    size_t file_count;
};

/* The default config file's path, as described above, into `out`. False (and "") when there
 * is no home folder to find it in or it does not fit. */
bool cli_config_default_path(char *out, size_t size);

/*
 * Split `text` (`len` bytes: a config file's contents, read from `name`) into lines of words
 * and add them to `config`. Errors: RT_E_USAGE with "NAME:LINE: why" in `error` (an unclosed
 * quote, a line ending in a backslash, a NUL byte: not a text file), RT_E_NOMEM. On failure
 * `config` keeps what it had before, so cli_config_cleanup() is still right to call.
 */
enum rt_code cli_config_parse(struct cli_config *config, const char *text, size_t len,
                              const char *name, char *error, size_t error_size);

/*
 * Read the config files argv asks for (see above) into `config`, which starts empty. Looks
 * at argv with getopt_long() and the tool's own options, so abbreviations and `--opt=value`
 * read as cli_options_parse() will read them; argv itself is not changed. Errors: RT_E_USAGE
 * (a file that cannot be read, is too large or is not text, a line that does not split;
 * `error` says which file and line), RT_E_IO, RT_E_NOMEM. cli_config_cleanup() is right to
 * call either way.
 */
enum rt_code cli_config_load(int argc, char **argv, struct cli_config *config, char *error,
                             size_t error_size);

/* Free what the config holds and empty it. Accepts NULL. */
void cli_config_cleanup(struct cli_config *config);

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
    char container[8]; /* "MP4", for the remux line */
    bool audio_only;   /* the container keeps the audio alone (MP3...): "writing the audio" */
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
