/* One download in the queue: the model a row shows, and the worker thread that does it. */
#pragma once

#include <gio/gio.h>
#include <rutube/rutube.h>

#include "rt-service.h"

G_BEGIN_DECLS

typedef enum {
    RT_JOB_WAITING,     /* queued, not started */
    RT_JOB_STARTING,    /* asking RuTube about the video */
    RT_JOB_DOWNLOADING, /* fetching segments into <name>.part (a live stream: recording) */
    RT_JOB_CONVERTING,  /* remuxing into MP4 */
    RT_JOB_DONE,        /* the file is there ("path") */
    RT_JOB_FAILED,      /* "error-code" and "error-message" say why */
    RT_JOB_CANCELLED,   /* stopped by the person; a restart continues the .part */
} RtJobState;

GType rt_job_state_get_type(void) G_GNUC_CONST;
#define RT_TYPE_JOB_STATE (rt_job_state_get_type())

/* How to save: taken when the job is made, so later changes in the window do not touch it. */
typedef struct {
    char *folder;
    enum rt_container container;       /* rt_settings_container()'s */
    gboolean subtitles;                /* MP4: tracks inside; TS: files beside */
    gboolean thumbnail;                /* MP4: the cover; TS: a .jpg beside */
    gboolean chapters;                 /* MP4: the description's chapters inside; TS: none */
    double section_start, section_end; /* a part of the video (rt_section_parse()); 0, 0: all */
    gboolean split_chapters;           /* a file per chapter (not with TS, nor with a part) */
    char *name_template;               /* rt_filename_from_template()'s; NULL: the library's */
} RtJobOptions;

/* A copy of `opts` into `copy`, its strings duplicated; rt_job_options_clear() frees them. */
void rt_job_options_copy(RtJobOptions *copy, const RtJobOptions *opts);

void rt_job_options_clear(RtJobOptions *opts);

#define RT_TYPE_JOB (rt_job_get_type())
G_DECLARE_FINAL_TYPE(RtJob, rt_job, RT, JOB, GObject)

/*
 * A job for `address` in quality `quality` (rt_format_choose()'s words: "1280x712", "best").
 * `title` is what to show until RuTube names the video (NULL: the address). `opts` is copied.
 * Properties (read on the main thread, where they also change and notify): "title",
 * "address", "state", "fraction" (0..1 of the current phase; 0 while a live stream is
 * recorded, as nobody knows its length), "status" (one line for the person), "path" (the
 * final file, once known), "error-code", "error-message", "is-active", "is-live" (a stream
 * on the air: recorded until rt_job_stop()).
 */
RtJob *rt_job_new(const char *address, const char *quality, const char *title,
                  const RtJobOptions *opts);

/* Start (or, after a failure or cancel, start again: the library continues the .part) in a
 * new worker thread that uses `service`. Main thread only. The application is held until the
 * worker has finished. */
void rt_job_start(RtJob *job, RtService *service);

/* Stop the download: within about 0.1 s it ends as CANCELLED, keeping its .part and state.
 * Before the download began, the job is CANCELLED at once. Main thread only. */
void rt_job_cancel(RtJob *job);

/*
 * End a live recording as finished: the library makes the MP4 of what was recorded and the
 * job ends DONE with the file saved, no .part left. Not recording yet (waiting, asking
 * RuTube), or not a live stream: rt_job_cancel(). Main thread only; what it tells the worker
 * goes through rt_download_stop(), which any thread may call.
 */
void rt_job_stop(RtJob *job);

/* What the window's lookup found: the video is on the air. The job shows itself as a
 * recording (is-live) from the start; its worker's own lookup has the last word. Main
 * thread only. */
void rt_job_set_live(RtJob *job, gboolean is_live);

/* A job from an earlier run, as the history kept it (`state` DONE, FAILED or CANCELLED;
 * one that was under way comes back CANCELLED, for Continue to pick its .part up). Before
 * the job is queued or started. Main thread only. */
void rt_job_restore(RtJob *job, RtJobState state, const char *path, enum rt_code code,
                    const char *message, guint64 size, double fraction, const char *status);

/* Back to WAITING after a failure or cancel, for the queue to start again. */
void rt_job_requeue(RtJob *job);

const char *rt_job_get_title(RtJob *job);
const char *rt_job_get_address(RtJob *job);
const char *rt_job_get_quality(RtJob *job);
const RtJobOptions *rt_job_get_options(RtJob *job);
RtJobState rt_job_get_state(RtJob *job);
double rt_job_get_fraction(RtJob *job);
const char *rt_job_get_status(RtJob *job);
const char *rt_job_get_path(RtJob *job);
/* DONE: the bytes saved, every file of it (0 if not known). */
guint64 rt_job_get_size(RtJob *job);
enum rt_code rt_job_get_error_code(RtJob *job);
const char *rt_job_get_error_message(RtJob *job);

/* A live stream on the air: Stop ends the recording, there is no percent. */
gboolean rt_job_is_live(RtJob *job);

/* WAITING, STARTING, DOWNLOADING or CONVERTING: not over yet. */
gboolean rt_job_is_active(RtJob *job);
/* STARTING, DOWNLOADING or CONVERTING: a worker is at it. */
gboolean rt_job_is_running(RtJob *job);

G_END_DECLS
