/* Copying the downloaded MPEG-TS stream into MP4 or Matroska, with metadata, cover, subtitles. */
#ifndef RT_LIB_MUX_H
#define RT_LIB_MUX_H

#include "base/client.h"
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
/* The most tags a job carries (output/tags.h makes them). */
#define RT__MUX_TAGS 11

struct rt__mux_job {
    const char *input;              /* the MPEG-TS file */
    const char *output;             /* the file to write (replaced if it exists) */
    enum rt_container container;    /* one with a muxer (media/container.h) */
    const struct rt__mux_tag *tags; /* the file's metadata, none empty */
    size_t tag_count;
    const unsigned char *cover; /* JPEG or PNG bytes, or NULL */
    size_t cover_len;
    const struct rt__mux_subtitle *subs;
    size_t sub_count;
    double expected_duration; /* the playlist's, seconds; 0 when unknown */
    bool general_only;        /* libavformat even where mp4_remux.c would do (for tests) */
    struct rt_client *client; /* for the log */
    const atomic_bool *cancel;
    rt_progress_fn progress;
    void *progress_data;
};

/* The remux's progress to the job's callback: `done` of `total` bytes of the input read, at
 * most every 0.1 s (`last` remembers when) unless `final`. */
void rt__mux_report(const struct rt__mux_job *job, uint64_t done, uint64_t total, bool final,
                    double *last);

/*
 * Remux without re-encoding. An MP4 without cover or subtitles is made by mp4_remux.c when the
 * stream is the usual H.264 + AAC; everything else, and any stream it declines, by libavformat
 * (av_remux.c): H.264 and AAC copied (ADTS headers become an AudioSpecificConfig through
 * libavformat's automatic bitstream filter), timestamps moved to start at 0 and kept continuous
 * across discontinuities, the moov box first. The job's tags go into the file as far as the
 * container holds them. A forward hole of more than a second in a stream's timestamps means
 * data was lost (a corrupt segment), which is an error rather than a silently broken file.
 * Errors: RT_E_REMUX (no video stream, damaged data, or libavformat refused; the message says
 * which), RT_E_DISK_FULL, RT_E_IO, RT_E_CANCELLED, RT_E_UNSUPPORTED (FFmpeg cannot be loaded),
 * RT_E_NOMEM. On failure `output` is removed; `input` is never touched.
 */
enum rt_code rt__mux_run(const struct rt__mux_job *job, struct rt_error *err);

#endif
