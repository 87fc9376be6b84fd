/*
 * One download's shared state, for the files that make it (not installed): download.c (the
 * public calls and the run), download_stream.c (segments into the .part, the checkpoint),
 * download_live.c (a live recording), download_remux.c (the remux, also while downloading)
 * and download_chapters.c (a file per chapter).
 */
#ifndef RT_LIB_DOWNLOAD_H
#define RT_LIB_DOWNLOAD_H

#include "base/buf.h"
#include "hls/live.h"
#include "hls/resume.h"
#include "hls/sink.h"
#include "media/mux_job.h"
#include "media/mux_stream.h"
#include "output/extras.h"
#include "rutube/rutube.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A file the download makes, and the names it goes by until it is whole. */
struct rt__download_target {
    char *path;                       /* the final file */
    char *part_path;                  /* <path>.part: the MPEG-TS stream while it downloads */
    char *base;                       /* <path> without its extension, for the files beside it */
    char *state_path;                 /* <path>.part.state: what the .part holds, for resuming */
    const struct rt_chapter *chapter; /* split_chapters: the one it holds; else NULL */
};

struct rt_download {
    struct rt_client *client;
    const struct rt_video *video;
    size_t format_index;
    char *dir; /* the folder the files go into (the template may add some) */
    /* The video, or the part asked for; names the extras beside it. */
    struct rt__download_target whole;
    /* split_chapters: a file per chapter (chapter_count), or NULL. */
    struct rt__download_target *chapters;
    size_t chapter_count;
    struct rt__download_target *at; /* the one being made */
    size_t done_segments;           /* of the chapters made before, for the progress */
    uint64_t done_bytes;
    size_t last_segment_count; /* of the last stream fetched */
    bool restrict_filenames;
    char *sub_langs;
    bool no_continue; /* start over even when a matching .part is there */
    bool overwrite;   /* the one switch for every file this download writes */
    enum rt_container container;
    bool is_file;    /* a progressive MP4 (Yappy): saved as fetched, no remux */
    bool fragmented; /* the segments are fragmented MP4 (#EXT-X-MAP), not MPEG-TS */
    bool embed_thumbnail, embed_subs, embed_chapters;
    struct rt__extras extras; /* what goes beside the video, pointing into the fields above */
    rt_progress_fn progress;
    void *progress_data;
    atomic_bool cancel;
    atomic_bool stop;     /* a live recording ends here (rt_download_stop()) */
    double live_duration; /* rt_download_options' */
    bool live_from_start;
    double duration; /* the media playlist's, or the section's */
    /* The part asked for (rt_download_options), and where it lies in the fetched segments. */
    bool has_section;
    double section_start, section_end; /* section_end HUGE_VAL: to the end */
    double cut_start, cut_end;         /* for the remux (mux_job.h) */
};

/* The sink's checkpoint: the state file follows the flushed .part. */
struct rt__download_checkpoint {
    struct rt_download *d;
    struct rt__resume state;
    bool warned;
    const struct rt__live_job *live; /* a live recording: its segments' numbers */
};

/* What a remux is asked to make, and what its job points into. */
struct rt__download_remux_plan {
    struct rt__mux_job job;
    struct rt__mux_subtitle tracks[64];
    struct rt__mux_tag tags[RT__MUX_TAGS];
    char date[11], track[48];
    struct rt_chapter *part_chapters;
    char *tmp;                     /* <path>.remux.part */
    struct rt__mux_stream *stream; /* the remux while the segments arrive, or NULL */
    const struct rt__buf *cover;   /* the thumbnail it embeds (fetched before), or NULL */
    /* The cover's request, made with the media playlist's (rt__download_fetch_stream()); NULL
     * when it needs none. */
    struct rt__extras_thumbnail *cover_call;
    /* The download complete, its .part not yet flushed nor its state told
     * (rt__download_fetch_stream()): what settle_part() does should the .part outlive the
     * remux. */
    bool unsettled;
    struct rt__download_checkpoint complete;
    size_t segments;
    uint64_t bytes;
};

/* download.c: names. */
char *rt__download_concat3(const char *a, const char *b, const char *c);
enum rt_code rt__download_name_target(struct rt__download_target *t, char *path, const char *ext);
void rt__download_clock_text(double seconds, char *out, size_t size);

/* download.c: the stream of d->at fetched and made into its file, the extras fetched once. */
enum rt_code rt__download_make_target(struct rt_download *d, struct rt__buf *thumbnail,
                                      struct rt__subtitle_file **subs, size_t *sub_count,
                                      bool *extras_fetched, struct rt_error *err);

/* download_stream.c: segments into d->at's .part, and the state file that follows it. */
enum rt_code rt__download_fetch_stream(struct rt_download *d, struct rt__download_remux_plan *early,
                                       struct rt_error *err);
void rt__download_save_checkpoint(size_t segments, uint64_t bytes, void *data);

/* download_live.c: a live stream on the air into d->at's .part. */
enum rt_code rt__download_record_live(struct rt_download *d, struct rt_error *err);

/* download_remux.c: the .part into the container, after the download or while it runs. */
enum rt_code rt__download_remux(struct rt_download *d, const struct rt__buf *cover,
                                const struct rt__subtitle_file *subs, size_t sub_count,
                                struct rt_error *err);
bool rt__download_remux_while_fetching(const struct rt_download *d);
void rt__download_start_early_remux(struct rt_download *d, struct rt__download_remux_plan *p,
                                    struct rt__sink *sink, uint64_t expected_bytes);
enum rt_code rt__download_finish_early_remux(struct rt_download *d,
                                             struct rt__download_remux_plan *p,
                                             struct rt_error *err);
void rt__download_free_plan(struct rt__download_remux_plan *p);

/* download_chapters.c: split_chapters, a file per chapter. */
enum rt_code rt__download_make_chapter_paths(struct rt_download *d, const char *ext);
bool rt__download_chapter_stays(const struct rt_download *d, const struct rt__download_target *t);
rt_progress_fn rt__download_progress_fn(struct rt_download *d, void **data);
enum rt_code rt__download_make_chapters(struct rt_download *d, struct rt__buf *thumbnail,
                                        struct rt__subtitle_file **subs, size_t *sub_count,
                                        struct rt_error *err);

#endif
