/* The self-contained pieces of rutube-dl's many-videos mode: batch files, --playlist-items,
 * the download archive and the final report. None of them makes a request. */
#ifndef RT_CLI_BATCH_H
#define RT_CLI_BATCH_H

#include <rutube/rutube.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Conventions shared by these functions:
 *  - Failures return an enum rt_code and write one sentence into `error` (UTF-8, no final
 *    newline, cut to `error_size` bytes) that the caller prints after "rutube-dl: ". `error`
 *    may be NULL when `error_size` is 0. RT_ERROR_MESSAGE_SIZE bytes hold any sentence whole
 *    unless it quotes a long file name or spec.
 *  - User-visible text is whole English sentences in string literals, ready for gettext.
 *  - Nothing here is thread-safe unless its comment says so.
 */

/* ------------------------------------------------------------------------------------------ */
/* cli_batch.c: addresses from a batch file (-a FILE, and the original tool's -f FILE -d DELIM) */
/* ------------------------------------------------------------------------------------------ */

/* A batch file larger than this is refused: it cannot be a list of addresses someone wrote. */
#define CLI_BATCH_MAX_SIZE ((size_t)64 * 1024 * 1024)

struct cli_batch_item {
    const char *address; /* trimmed, never empty; points into cli_batch.text */
    size_t line;         /* 1-based line of the file it was on, for "batch.txt:7: ..." */
};

/* Invariant: `items` are in file order; everything is owned by the struct. */
struct cli_batch {
    struct cli_batch_item *items;
    size_t count;
    char *text; /* the file's bytes, cut into the items in place */
};

/*
 * Read all of `in` (up to CLI_BATCH_MAX_SIZE bytes) and split it into addresses, the way
 * yt-dlp reads --batch-file:
 *  - Items are separated by newlines and, when `delimiter` is neither NULL nor "", also by
 *    that string ("," or ";" or any multi-byte string): the original tool's users kept one
 *    address a line even when they gave -d ",". A delimiter containing a line break adds
 *    nothing, since line breaks always separate.
 *  - ASCII white space around each item is dropped (so CRLF files read like LF files), and
 *    empty items are skipped.
 *  - A line whose first non-blank character is '#', ';' or ']' is a comment, and so is the
 *    rest of a line from white space followed by '#' ("https://... # my note"); a '#' right
 *    after an address is part of it. A character that begins `delimiter` is not a comment
 *    marker, so -d ";" splits on ';' instead of dropping lines.
 *  - A UTF-8 byte order mark at the start is ignored.
 * `name` is how messages call the input ("batch.txt", "standard input"); not NULL.
 *
 * An empty input gives RT_OK with count 0: whether that is a mistake is the caller's call.
 * Errors: RT_E_IO (reading failed), RT_E_USAGE (larger than CLI_BATCH_MAX_SIZE, UTF-16 text,
 * or a NUL byte: not a text file; the message names the line), RT_E_NOMEM. On failure `out` is
 * left empty, so cli_batch_cleanup() is still right to call.
 */
enum rt_code cli_batch_read(FILE *in, const char *name, const char *delimiter,
                            struct cli_batch *out, char *error, size_t error_size);

/* Free what cli_batch_read() gave and empty `batch`. Accepts NULL and an empty batch. */
void cli_batch_cleanup(struct cli_batch *batch);

/* ------------------------------------------------------------------------------------------ */
/* cli_items.c: --playlist-items SPEC                                                         */
/* ------------------------------------------------------------------------------------------ */

/* One comma-separated part of the spec: the indices first, first + step, ... up to last. */
struct cli_items_range {
    size_t first; /* 1-based */
    size_t last;  /* inclusive; SIZE_MAX when open-ended ("5-", "5:") */
    size_t step;  /* 1 unless "START:STOP:STEP" said otherwise */
};

struct cli_items {
    struct cli_items_range *ranges;
    size_t count;
};

/*
 * Parse a --playlist-items spec as yt-dlp writes it: comma-separated parts, each
 *   N            the N-th video (1-based)
 *   N-M  N:M     N to M, both included
 *   N-  N:  :M   open at one end ("-" or ":" alone: everything); "inf" or "infinite" as M
 *   N:M:S  N-M:S every S-th video from N to M (M may be empty)
 * White space around a part is allowed. Counting from the end (-3) and negative steps are
 * refused, since they need the collection's length before the first page is read.
 * Which videos a spec names does not depend on the order of its parts.
 *
 * Errors: RT_E_USAGE (the message quotes the part and says what is wrong: 0, a reversed
 * range, a step of 0, a number too large, an empty part, or text that is not a number),
 * RT_E_NOMEM. On failure `out` is left empty.
 */
enum rt_code cli_items_parse(const char *spec, struct cli_items *out, char *error,
                             size_t error_size);

/* Whether the 1-based `index` is one of the videos `items` names. */
bool cli_items_contains(const struct cli_items *items, size_t index);

/* The highest index `items` can name, or SIZE_MAX when a part is open-ended: a caller paging
 * through a collection can stop once past it. 0 for an empty `items`. */
size_t cli_items_last(const struct cli_items *items);

/* Free what cli_items_parse() gave and empty `items`. Accepts NULL. */
void cli_items_cleanup(struct cli_items *items);

/* ------------------------------------------------------------------------------------------ */
/* cli_archive.c: --download-archive FILE, in yt-dlp's format                                 */
/* ------------------------------------------------------------------------------------------ */

/* The key yt-dlp writes for RuTube videos ("rutube <32 hex digits>"). */
#define CLI_ARCHIVE_KEY_RUTUBE "rutube"

/* A line ("<key> <id>") longer than this is not an archive entry: it is skipped on loading,
 * and cli_archive_add() refuses to write one. */
#define CLI_ARCHIVE_MAX_LINE 512

/* An archive file larger than this is refused. Loading keeps only the entries in memory, but
 * a path such as /dev/zero must not keep the run reading for ever. */
#define CLI_ARCHIVE_MAX_SIZE ((size_t)256 * 1024 * 1024)

/* The set of videos already downloaded, and the file it is kept in. */
struct cli_archive;

/*
 * Load the archive at `path` (borrowed; copied). A missing file is an empty archive: it is
 * created by the first cli_archive_add(). Lines are taken as yt-dlp takes them: white space
 * around them is dropped and "<key> <id>" is the entry; lines of another shape are skipped,
 * and a last line without its newline counts. Entries of other sites stay in the file.
 *
 * Errors: RT_E_IO (the file exists but cannot be read), RT_E_USAGE (larger than
 * CLI_ARCHIVE_MAX_SIZE), RT_E_NOMEM. On failure *out is NULL.
 */
enum rt_code cli_archive_new(const char *path, struct cli_archive **out, char *error,
                             size_t error_size);

/* Whether "<key> <id>" is in the archive. Thread-safe. */
bool cli_archive_contains(struct cli_archive *archive, const char *key, const char *id);

/*
 * Record that the video `key`/`id` is complete: call it only once the file is whole. Appends
 * "<key> <id>\n" to the file with one write() on an O_APPEND descriptor under an exclusive
 * flock (the lock yt-dlp takes), then fsync()s, so a crash or another process never leaves
 * half a line behind; when the file does not end in '\n', that newline is written first in
 * the same write(). An entry already there is not written again. Thread-safe.
 *
 * Errors: RT_E_USAGE (an empty key or id, white space or control characters in them, or a
 * line longer than CLI_ARCHIVE_MAX_LINE), RT_E_DISK_FULL, RT_E_IO (the file could not be
 * opened, written or synced; a partly written line is cut off again).
 */
enum rt_code cli_archive_add(struct cli_archive *archive, const char *key, const char *id,
                             char *error, size_t error_size);

/* How many entries the archive holds, all sites together. Thread-safe. */
size_t cli_archive_count(struct cli_archive *archive);

/* Close the file and free the archive. Accepts NULL. Not while another thread uses it. */
void cli_archive_free(struct cli_archive *archive);

/* ------------------------------------------------------------------------------------------ */
/* cli_report.c: the summary printed at the end of a many-video run                          */
/* ------------------------------------------------------------------------------------------ */

enum cli_outcome {
    CLI_OUTCOME_DOWNLOADED, /* saved; `detail` may note a lower quality ("asked 1080, got 712") */
    CLI_OUTCOME_EXISTS,     /* skipped: the file was already there */
    CLI_OUTCOME_ARCHIVED,   /* skipped: the download archive lists it */
    CLI_OUTCOME_FAILED,     /* `detail` says why */
};

/* What happened to each video of a run. */
struct cli_report;

/* A new, empty report, or NULL when out of memory. */
struct cli_report *cli_report_new(void);

/* Free the report. Accepts NULL. Not while another thread uses it. */
void cli_report_free(struct cli_report *report);

/*
 * Record one video's outcome. `name` is its title or, before the title is known, its
 * address; `bytes` what was written for it (counted for CLI_OUTCOME_DOWNLOADED only);
 * `detail` the failure's reason, or for a download the note that the quality is lower than
 * asked, or NULL. Both strings are copied; control characters in them become spaces, so each
 * prints on one line. Thread-safe.
 *
 * Errors: RT_E_NOMEM (the video is counted all the same, but its line is missing from the
 * summary, which says so).
 */
enum rt_code cli_report_add(struct cli_report *report, enum cli_outcome outcome, const char *name,
                            uint64_t bytes, const char *detail);

/* Whether any video failed. Thread-safe. */
bool cli_report_any_failed(const struct cli_report *report);

/*
 * Print the summary of a run that took `seconds`: the counts ("Downloaded 3, skipped 2 (1
 * already there, 1 in archive), failed 1."), each failure with its reason, each lower-quality
 * note, then the total size and time. Videos are listed in the order they were recorded.
 * Thread-safe.
 */
void cli_report_print(FILE *out, const struct cli_report *report, double seconds);

#endif
