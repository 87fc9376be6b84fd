/* A remux job: what both remux paths (mp4_remux.c, av_remux.c) are asked to make. */
#ifndef RT_LIB_MEDIA_MUX_JOB_H
#define RT_LIB_MEDIA_MUX_JOB_H

#include "base/client.h"
#include "base/growing.h"
#include "media/subs.h"

#include <stdatomic.h>

/* One subtitle track to embed. */
struct rt__mux_subtitle {
    const char *lang;  /* RuTube's code ("ru"); stored as ISO 639-2 ("rus") */
    const char *title; /* "Русский" */
    const struct rt__cues *cues;
};

/* A tag of the file, by libavformat's name ("title"), and its value. */
struct rt__mux_tag {
    const char *name, *value;
};
/* The most tags a job carries (output/tags.h makes them: a video's, and a chapter's album
 * and track). */
#define RT__MUX_TAGS 13

struct rt__mux_job {
    const char *input;              /* the downloaded stream: MPEG-TS, or fragmented MP4 */
    bool fragmented;                /* the input is an init section + fMP4 fragments */
    const char *output;             /* the file to write (replaced if it exists) */
    enum rt_container container;    /* one with a muxer (media/container.h) */
    const struct rt__mux_tag *tags; /* the file's metadata, none empty */
    size_t tag_count;
    const unsigned char *cover; /* JPEG or PNG bytes, or NULL */
    size_t cover_len;
    const struct rt__mux_subtitle *subs;
    size_t sub_count;
    /* The video's chapters, borrowed; the container must hold them (RT_HOLDS_CHAPTERS). */
    const struct rt_chapter *chapters;
    size_t chapter_count;
    double expected_duration; /* the playlist's, seconds; 0 when unknown */
    /* A part of the input only (rt_download_options' section): from `cut_start` seconds into
     * it to `cut_end` (0: to its end); both 0: all of it. The key frame before cut_start is
     * kept and hidden by an edit list where the container has them. */
    double cut_start, cut_end;
    /* A live recording that missed segments (and said so): their holes are closed, the
     * timestamps after them carried on, instead of the stream being refused as damaged. */
    bool close_holes;
    bool general_only; /* libavformat even where mp4_remux.c would do (for tests) */
    /* The input still downloading (mp4_remux.c only, on a thread of its own): read as far as
     * `growing` says, waiting for more, until it is complete; abandoned, the remux stops as
     * if cancelled. NULL: the input is whole. */
    struct rt__growing *growing;
    /* Where a warning goes instead of the log when set (a thread beside the download must
     * not call the program's log function while the download thread calls it): one line. */
    char *warning;
    size_t warning_size;
    struct rt_client *client; /* for the log */
    const atomic_bool *cancel;
    rt_progress_fn progress;
    void *progress_data;
};

/* The remux's progress to the job's callback: `done` of `total` bytes of the input read, at
 * most every 0.1 s (`last` remembers when) unless `final`. */
void rt__mux_report(const struct rt__mux_job *job, uint64_t done, uint64_t total, bool final,
                    double *last);

/* How many of `chapters` start before `limit` seconds (every one when `limit` is not above 0),
 * each after the one before (a list out of order stops there), and in `*last_end` the end the
 * last of them keeps: its own, or `limit` when that is sooner.
 * A file's chapters stop where its streams do: the video info's duration and the stream's
 * own can differ by a second or two, and a chapter longer than the streams makes a player
 * show a longer video. */
size_t rt__mux_chapters_within(const struct rt_chapter *chapters, size_t count, double limit,
                               double *last_end);

#endif
