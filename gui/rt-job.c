/* One download in the queue: the model a row shows, and the worker thread that does it. */
#include "rt-job.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rt-text.h"

struct _RtJob {
    GObject parent_instance;

    /* Main thread only. */
    char *address;
    char *quality;
    char *title;
    RtJobOptions opts;
    RtJobState state;
    double fraction;
    char *status;
    char *path;
    enum rt_code error_code;
    char *error_message;
    guint64 size;      /* DONE: the bytes saved (every file of it), 0 if not known */
    gboolean is_live;  /* on the air: recorded until Stop */
    guint stopped_run; /* the run whose recording the person stopped, 0 for none */

    /* Shared with the worker, under `lock`. */
    GMutex lock;
    guint run;                    /* which start is current; older workers only wind down */
    guint cancelled_run;          /* the run the person cancelled, 0 for none */
    struct rt_download *download; /* while rt_download_run() may be running */
    struct rt_progress progress;  /* the latest snapshot */
    gboolean progress_pending;    /* an update is on its way to the main thread */
};

G_DEFINE_TYPE(RtJob, rt_job, G_TYPE_OBJECT)

enum {
    PROP_0,
    PROP_ADDRESS,
    PROP_TITLE,
    PROP_STATE,
    PROP_FRACTION,
    PROP_STATUS,
    PROP_PATH,
    PROP_ERROR_CODE,
    PROP_ERROR_MESSAGE,
    PROP_IS_ACTIVE,
    PROP_IS_LIVE,
    N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType rt_job_state_get_type(void)
{
    static gsize type = 0;
    static const GEnumValue values[] = {
        {RT_JOB_WAITING, "RT_JOB_WAITING", "waiting"},
        {RT_JOB_STARTING, "RT_JOB_STARTING", "starting"},
        {RT_JOB_DOWNLOADING, "RT_JOB_DOWNLOADING", "downloading"},
        {RT_JOB_CONVERTING, "RT_JOB_CONVERTING", "converting"},
        {RT_JOB_DONE, "RT_JOB_DONE", "done"},
        {RT_JOB_FAILED, "RT_JOB_FAILED", "failed"},
        {RT_JOB_CANCELLED, "RT_JOB_CANCELLED", "cancelled"},
        {0, NULL, NULL},
    };
    if (g_once_init_enter(&type))
        g_once_init_leave(&type, g_enum_register_static("RtJobState", values));
    return type;
}

void rt_job_options_clear(RtJobOptions *opts)
{
    g_clear_pointer(&opts->folder, g_free);
    g_clear_pointer(&opts->name_template, g_free);
}

void rt_job_options_copy(RtJobOptions *copy, const RtJobOptions *opts)
{
    *copy = *opts;
    copy->folder = g_strdup(opts->folder);
    copy->name_template = g_strdup(opts->name_template);
}

/* ---- Changing the model (main thread) ---------------------------------------------------- */

static void set_string(RtJob *job, char **field, const char *value, int prop)
{
    if (g_strcmp0(*field, value) == 0)
        return;
    g_free(*field);
    *field = g_strdup(value);
    g_object_notify_by_pspec(G_OBJECT(job), properties[prop]);
}

static void set_fraction(RtJob *job, double fraction)
{
    if (job->fraction == fraction)
        return;
    job->fraction = fraction;
    g_object_notify_by_pspec(G_OBJECT(job), properties[PROP_FRACTION]);
}

static void set_state(RtJob *job, RtJobState state, const char *status)
{
    gboolean was_active = rt_job_is_active(job);
    g_object_freeze_notify(G_OBJECT(job));
    set_string(job, &job->status, status, PROP_STATUS);
    if (job->state != state) {
        job->state = state;
        g_object_notify_by_pspec(G_OBJECT(job), properties[PROP_STATE]);
    }
    if (was_active != rt_job_is_active(job))
        g_object_notify_by_pspec(G_OBJECT(job), properties[PROP_IS_ACTIVE]);
    g_object_thaw_notify(G_OBJECT(job));
}

static void set_live(RtJob *job, gboolean is_live)
{
    if (job->is_live == is_live)
        return;
    job->is_live = is_live;
    g_object_notify_by_pspec(G_OBJECT(job), properties[PROP_IS_LIVE]);
}

static void set_error(RtJob *job, enum rt_code code, const char *message)
{
    if (job->error_code != code) {
        job->error_code = code;
        g_object_notify_by_pspec(G_OBJECT(job), properties[PROP_ERROR_CODE]);
    }
    g_autofree char *shown = message ? rt_text_shown(message) : NULL; /* RuTube's words */
    set_string(job, &job->error_message, shown, PROP_ERROR_MESSAGE);
}

/* ---- The worker and what it posts back ------------------------------------------------------ */

typedef struct {
    RtJob *job;
    guint run;
    RtService *service;
    char *address;
    char *quality;
    RtJobOptions opts;
} Worker;

typedef enum { POST_TITLE, POST_LIVE, POST_PATH, POST_FINISH } PostKind;

typedef struct {
    RtJob *job;
    guint run;
    PostKind kind;
    char *text;
    enum rt_code code;
    guint64 size;    /* POST_FINISH: the bytes saved */
    gboolean on_air; /* POST_LIVE: what the worker's lookup found */
} Post;

static void post_free(gpointer data)
{
    Post *post = data;
    g_object_unref(post->job);
    g_free(post->text);
    g_free(post);
}

static gboolean apply_post_cb(gpointer data)
{
    Post *post = data;
    RtJob *job = post->job;
    gboolean current = post->run == job->run && rt_job_is_running(job);
    switch (post->kind) {
    case POST_TITLE:
        if (current) {
            g_autofree char *shown = rt_text_shown(post->text); /* the server's title */
            set_string(job, &job->title, shown, PROP_TITLE);
        }
        break;
    case POST_LIVE:
        if (current)
            set_live(job, post->on_air);
        break;
    case POST_PATH:
        if (current) {
            set_string(job, &job->path, post->text, PROP_PATH);
            set_state(job, RT_JOB_DOWNLOADING, _("Starting the download…"));
        }
        break;
    case POST_FINISH:
        if (current) {
            g_object_freeze_notify(G_OBJECT(job));
            set_error(job, post->code, post->code == RT_OK ? NULL : post->text);
            if (post->code == RT_OK) {
                job->size = post->size;
                g_autofree char *size = rt_text_size(post->size);
                g_autofree char *status = g_strdup_printf(_("Saved · %s"), size);
                set_state(job, RT_JOB_DONE, status);
            } else if (post->code == RT_E_EXISTS) {
                set_state(job, RT_JOB_DONE, _("Already in the folder"));
            } else if (post->code == RT_E_CANCELLED && post->run == job->stopped_run) {
                /* Stopped before the first segment was in: there is no file to make. */
                set_state(job, RT_JOB_CANCELLED, _("Stopped before anything was recorded."));
            } else if (post->code == RT_E_CANCELLED) {
                set_state(job, RT_JOB_CANCELLED,
                          _("Cancelled. Download it again to continue where it stopped."));
            } else {
                set_state(job, RT_JOB_FAILED, rt_text_error(post->code));
            }
            g_object_thaw_notify(G_OBJECT(job));
        }
        /* The worker is gone whether or not its run was still current. */
        if (g_application_get_default())
            g_application_release(g_application_get_default());
        break;
    }
    return G_SOURCE_REMOVE;
}

static Post *post_new(Worker *w, PostKind kind, const char *text, enum rt_code code, guint64 size)
{
    Post *p = g_new0(Post, 1);
    p->job = g_object_ref(w->job);
    p->run = w->run;
    p->kind = kind;
    p->text = g_strdup(text);
    p->code = code;
    p->size = size;
    return p;
}

/* Posts reach the main thread in the order they were made (one priority, one context). */
static void post_send(Post *p)
{
    g_main_context_invoke_full(NULL, G_PRIORITY_DEFAULT, apply_post_cb, p, post_free);
}

static void post(Worker *w, PostKind kind, const char *text, enum rt_code code, guint64 size)
{
    post_send(post_new(w, kind, text, code, size));
}

static void post_live(Worker *w, gboolean on_air)
{
    Post *p = post_new(w, POST_LIVE, NULL, RT_OK, 0);
    p->on_air = on_air;
    post_send(p);
}

/* The latest snapshot goes to the main thread; a burst of callbacks makes one update. */
static gboolean apply_progress_cb(gpointer data)
{
    RtJob *job = data;
    g_mutex_lock(&job->lock);
    struct rt_progress progress = job->progress;
    job->progress_pending = FALSE;
    g_mutex_unlock(&job->lock);
    if (job->state != RT_JOB_DOWNLOADING && job->state != RT_JOB_CONVERTING)
        return G_SOURCE_REMOVE;
    g_autofree char *status = rt_text_progress(&progress, job->opts.container);
    /* The last segments of a stopped recording still come in: the row keeps saying why it
     * waits until the file is being made. */
    if (job->stopped_run == job->run && progress.phase == RT_PHASE_DOWNLOAD)
        return G_SOURCE_REMOVE;
    set_fraction(job, rt_text_fraction(&progress)); /* 0 while recording: no end to measure */
    set_state(job, progress.phase == RT_PHASE_REMUX ? RT_JOB_CONVERTING : RT_JOB_DOWNLOADING,
              status);
    return G_SOURCE_REMOVE;
}

/* Called by the library on the worker thread, ~10 times a second. */
static void progress_cb(const struct rt_progress *progress, void *data)
{
    RtJob *job = data;
    g_mutex_lock(&job->lock);
    job->progress = *progress;
    gboolean schedule = !job->progress_pending;
    job->progress_pending = TRUE;
    g_mutex_unlock(&job->lock);
    if (schedule)
        g_main_context_invoke_full(NULL, G_PRIORITY_DEFAULT, apply_progress_cb, g_object_ref(job),
                                   g_object_unref);
}

/* Whether this worker's run was cancelled or replaced by a newer one. Under the lock. */
static gboolean is_stale(Worker *w)
{
    return w->job->run != w->run || w->job->cancelled_run == w->run;
}

/* `on_air`: a live stream, recorded as it comes, whole (the library takes no part of it, nor
 * a file per chapter). */
static void fill_download_options(Worker *w, gboolean on_air, struct rt_download_options *dopts)
{
    /* Inside the file where it has room (a raw TS has none; the audio alone has a cover but
     * no subtitle tracks), else beside it. */
    gboolean remuxed = w->opts.container != RT_CONTAINER_TS;
    gboolean tracks = remuxed && rt_container_has_video(w->opts.container);
    rt_download_options_init(dopts);
    dopts->output_dir = w->opts.folder;
    if (w->opts.name_template)
        dopts->output_template = w->opts.name_template;
    dopts->container = w->opts.container;
    dopts->embed_subs = w->opts.subtitles && tracks;
    dopts->write_subs = w->opts.subtitles && !tracks;
    dopts->embed_thumbnail = w->opts.thumbnail && remuxed;
    dopts->write_thumbnail = w->opts.thumbnail && !remuxed;
    dopts->section_start = on_air ? 0 : w->opts.section_start;
    dopts->section_end = on_air ? 0 : w->opts.section_end;
    dopts->embed_chapters = w->opts.chapters && tracks;
    dopts->split_chapters = w->opts.split_chapters && remuxed && !on_air &&
                            w->opts.section_start == 0 && w->opts.section_end == 0;
    dopts->progress = progress_cb;
    dopts->progress_data = w->job;
}

static gpointer worker_thread(gpointer data)
{
    Worker *w = data;
    struct rt_client *client = rt_service_download_client(w->service);
    struct rt_error err = {0};
    struct rt_target target;
    struct rt_video *video = NULL;
    struct rt_download *download = NULL;
    guint64 size = 0;
    size_t index = 0;

    enum rt_code result = rt_target_parse(w->address, &target, &err);
    if (result == RT_OK)
        result = rt_video_fetch(client, &target, &video, &err);
    if (result == RT_OK) {
        post(w, POST_TITLE, video->title[0] ? video->title : video->id, RT_OK, 0);
        post_live(w, video->on_air); /* the window's guess may be out of date */
        /* The audio alone comes from the cheapest format with the best sound, whatever
         * the quality row says. */
        if (rt_container_has_video(w->opts.container))
            result = rt_text_choose_quality(video, w->quality, &index, &err);
        else
            result = rt_video_audio_format(client, video, &index, &err);
    }
    struct rt_download_options dopts;
    fill_download_options(w, video && video->on_air, &dopts);
    if (result == RT_OK)
        result = rt_download_new(client, video, index, &dopts, &download, &err);
    if (result == RT_OK) {
        g_mutex_lock(&w->job->lock);
        if (is_stale(w))
            rt_download_cancel(download); /* the run then returns at once */
        else
            w->job->download = download;
        g_mutex_unlock(&w->job->lock);
        post(w, POST_PATH, rt_download_path(download), RT_OK, 0);
        result = rt_download_run(download, &err);
        g_mutex_lock(&w->job->lock);
        if (w->job->download == download)
            w->job->download = NULL;
        g_mutex_unlock(&w->job->lock);
        GStatBuf st;
        for (size_t i = 0; result == RT_OK && i < rt_download_file_count(download); i++)
            if (g_stat(rt_download_file_path(download, i), &st) == 0)
                size += (guint64)st.st_size; /* a file per chapter: all of them */
    }
    post(w, POST_FINISH, err.code != RT_OK ? rt_error_reason(&err) : rt_strerror(result), result,
         size);

    rt_download_free(download);
    rt_video_free(video);
    rt_service_unref(w->service);
    g_object_unref(w->job);
    g_free(w->address);
    g_free(w->quality);
    rt_job_options_clear(&w->opts);
    g_free(w);
    return NULL;
}

void rt_job_start(RtJob *job, RtService *service)
{
    g_return_if_fail(!rt_job_is_running(job));
    Worker *w = g_new0(Worker, 1);
    g_mutex_lock(&job->lock);
    w->run = ++job->run;
    g_mutex_unlock(&job->lock);
    w->job = g_object_ref(job);
    w->service = rt_service_ref(service);
    w->address = g_strdup(job->address);
    w->quality = g_strdup(job->quality);
    rt_job_options_copy(&w->opts, &job->opts);

    g_object_freeze_notify(G_OBJECT(job));
    set_error(job, RT_OK, NULL);
    set_fraction(job, 0);
    set_state(job, RT_JOB_STARTING, _("Getting the video's info…"));
    g_object_thaw_notify(G_OBJECT(job));

    if (g_application_get_default())
        g_application_hold(g_application_get_default());
    g_autoptr(GError) error = NULL;
    GThread *thread = g_thread_try_new("rt-download", worker_thread, w, &error);
    if (thread) {
        g_thread_unref(thread);
        return;
    }
    /* No thread: say so in the row, and undo what the worker would have undone. */
    Post p = {.job = g_object_ref(job),
              .run = w->run,
              .kind = POST_FINISH,
              .text = g_strdup(error->message),
              .code = RT_E_NOMEM};
    apply_post_cb(&p);
    g_object_unref(p.job);
    g_free(p.text);
    rt_service_unref(w->service);
    g_object_unref(w->job);
    g_free(w->address);
    g_free(w->quality);
    rt_job_options_clear(&w->opts);
    g_free(w);
}

void rt_job_cancel(RtJob *job)
{
    if (!rt_job_is_active(job))
        return;
    g_mutex_lock(&job->lock);
    job->cancelled_run = job->run;
    struct rt_download *download = job->download;
    if (download)
        rt_download_cancel(download);
    g_mutex_unlock(&job->lock);
    if (download && job->state != RT_JOB_STARTING) {
        /* The worker's end follows within a tenth of a second and sets CANCELLED. */
        set_string(job, &job->status, _("Stopping…"), PROP_STATUS);
        return;
    }
    /* Not downloading yet: nothing to wait for. A worker still asking RuTube winds down by
     * itself; its run is no longer the current one. */
    set_state(job, RT_JOB_CANCELLED, _("Cancelled."));
}

void rt_job_stop(RtJob *job)
{
    if (!rt_job_is_active(job))
        return;
    if (!job->is_live) {
        rt_job_cancel(job);
        return;
    }
    if (job->stopped_run == job->run)
        return; /* pressed twice */
    /* Before the recording began there is nothing to save. */
    if (job->state == RT_JOB_WAITING || job->state == RT_JOB_STARTING) {
        rt_job_cancel(job);
        return;
    }
    /* From DOWNLOADING on the download exists (it is set before the post that says so); gone
     * again, its run is over and the end is on its way. */
    g_mutex_lock(&job->lock);
    if (job->download)
        rt_download_stop(job->download); /* one that turned out not live: a cancel */
    g_mutex_unlock(&job->lock);
    job->stopped_run = job->run;
    /* The worker's end follows once the file is made, and sets DONE. */
    set_string(job, &job->status, _("Finishing the recording…"), PROP_STATUS);
}

void rt_job_set_live(RtJob *job, gboolean is_live)
{
    set_live(job, is_live);
}

void rt_job_restore(RtJob *job, RtJobState state, const char *path, enum rt_code code,
                    const char *message, guint64 size, double fraction, const char *status)
{
    g_return_if_fail(job->run == 0 && !rt_job_is_running(job));
    g_return_if_fail(state == RT_JOB_DONE || state == RT_JOB_FAILED || state == RT_JOB_CANCELLED);
    g_object_freeze_notify(G_OBJECT(job));
    set_string(job, &job->path, path, PROP_PATH);
    set_error(job, code, message);
    job->size = size;
    set_fraction(job, CLAMP(fraction, 0, 1));
    set_state(job, state, status);
    g_object_thaw_notify(G_OBJECT(job));
}

void rt_job_requeue(RtJob *job)
{
    if (rt_job_is_active(job))
        return;
    set_fraction(job, 0);
    set_state(job, RT_JOB_WAITING, _("Waiting…"));
}

/* ---- Properties ---------------------------------------------------------------------------- */

const char *rt_job_get_title(RtJob *job)
{
    return job->title ? job->title : job->address;
}

const char *rt_job_get_address(RtJob *job)
{
    return job->address;
}

const char *rt_job_get_quality(RtJob *job)
{
    return job->quality;
}

const RtJobOptions *rt_job_get_options(RtJob *job)
{
    return &job->opts;
}

RtJobState rt_job_get_state(RtJob *job)
{
    return job->state;
}

double rt_job_get_fraction(RtJob *job)
{
    return job->fraction;
}

const char *rt_job_get_status(RtJob *job)
{
    return job->status;
}

const char *rt_job_get_path(RtJob *job)
{
    return job->path;
}

guint64 rt_job_get_size(RtJob *job)
{
    return job->size;
}

enum rt_code rt_job_get_error_code(RtJob *job)
{
    return job->error_code;
}

const char *rt_job_get_error_message(RtJob *job)
{
    return job->error_message;
}

gboolean rt_job_is_live(RtJob *job)
{
    return job->is_live;
}

gboolean rt_job_is_active(RtJob *job)
{
    return job->state == RT_JOB_WAITING || rt_job_is_running(job);
}

gboolean rt_job_is_running(RtJob *job)
{
    return job->state == RT_JOB_STARTING || job->state == RT_JOB_DOWNLOADING ||
           job->state == RT_JOB_CONVERTING;
}

static void rt_job_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
    RtJob *job = RT_JOB(object);
    switch (prop_id) {
    case PROP_ADDRESS:
        g_value_set_string(value, job->address);
        break;
    case PROP_TITLE:
        g_value_set_string(value, rt_job_get_title(job));
        break;
    case PROP_STATE:
        g_value_set_enum(value, job->state);
        break;
    case PROP_FRACTION:
        g_value_set_double(value, job->fraction);
        break;
    case PROP_STATUS:
        g_value_set_string(value, job->status);
        break;
    case PROP_PATH:
        g_value_set_string(value, job->path);
        break;
    case PROP_ERROR_CODE:
        g_value_set_int(value, job->error_code);
        break;
    case PROP_ERROR_MESSAGE:
        g_value_set_string(value, job->error_message);
        break;
    case PROP_IS_ACTIVE:
        g_value_set_boolean(value, rt_job_is_active(job));
        break;
    case PROP_IS_LIVE:
        g_value_set_boolean(value, job->is_live);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
    }
}

static void rt_job_finalize(GObject *object)
{
    RtJob *job = RT_JOB(object);
    g_free(job->address);
    g_free(job->quality);
    g_free(job->title);
    rt_job_options_clear(&job->opts);
    g_free(job->status);
    g_free(job->path);
    g_free(job->error_message);
    g_mutex_clear(&job->lock);
    G_OBJECT_CLASS(rt_job_parent_class)->finalize(object);
}

static void rt_job_class_init(RtJobClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    object_class->get_property = rt_job_get_property;
    object_class->finalize = rt_job_finalize;

    GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
    properties[PROP_ADDRESS] = g_param_spec_string("address", NULL, NULL, NULL, flags);
    properties[PROP_TITLE] = g_param_spec_string("title", NULL, NULL, NULL, flags);
    properties[PROP_STATE] =
        g_param_spec_enum("state", NULL, NULL, RT_TYPE_JOB_STATE, RT_JOB_WAITING, flags);
    properties[PROP_FRACTION] = g_param_spec_double("fraction", NULL, NULL, 0, 1, 0, flags);
    properties[PROP_STATUS] = g_param_spec_string("status", NULL, NULL, NULL, flags);
    properties[PROP_PATH] = g_param_spec_string("path", NULL, NULL, NULL, flags);
    properties[PROP_ERROR_CODE] =
        g_param_spec_int("error-code", NULL, NULL, 0, RT_CODE_COUNT, RT_OK, flags);
    properties[PROP_ERROR_MESSAGE] = g_param_spec_string("error-message", NULL, NULL, NULL, flags);
    properties[PROP_IS_ACTIVE] = g_param_spec_boolean("is-active", NULL, NULL, TRUE, flags);
    properties[PROP_IS_LIVE] = g_param_spec_boolean("is-live", NULL, NULL, FALSE, flags);
    g_object_class_install_properties(object_class, N_PROPS, properties);
}

static void rt_job_init(RtJob *job)
{
    g_mutex_init(&job->lock);
    job->state = RT_JOB_WAITING;
    job->status = g_strdup(_("Waiting…"));
}

RtJob *rt_job_new(const char *address, const char *quality, const char *title,
                  const RtJobOptions *opts)
{
    RtJob *job = g_object_new(RT_TYPE_JOB, NULL);
    job->address = g_strdup(address);
    job->quality = g_strdup(quality ? quality : "best");
    job->title = title ? rt_text_shown(title) : NULL; /* a list's title for it: the server's */
    rt_job_options_copy(&job->opts, opts);
    return job;
}
