/* The downloads of this run: a list model of RtJob, started a few at a time. */
#include "rt-queue.h"

struct _RtQueue {
    GObject parent_instance;
    RtService *service;
    GListStore *jobs;
    guint active;
    guint running_max;
    gboolean scheduling; /* starting a job notifies, which asks to schedule again */
    gboolean reschedule;
};

G_DEFINE_TYPE(RtQueue, rt_queue, G_TYPE_OBJECT)

enum { PROP_0, PROP_ACTIVE, N_PROPS };
enum { JOB_FINISHED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Count what is active, and start waiting jobs while fewer than the maximum run. */
static void schedule_once(RtQueue *queue)
{
    guint n = g_list_model_get_n_items(G_LIST_MODEL(queue->jobs));
    guint running = 0, active = 0;
    for (guint i = 0; i < n; i++) {
        g_autoptr(RtJob) job = g_list_model_get_item(G_LIST_MODEL(queue->jobs), i);
        running += rt_job_is_running(job);
    }
    for (guint i = 0; i < n; i++) {
        g_autoptr(RtJob) job = g_list_model_get_item(G_LIST_MODEL(queue->jobs), i);
        if (rt_job_get_state(job) == RT_JOB_WAITING && running < queue->running_max) {
            rt_job_start(job, queue->service);
            running++;
        }
        active += rt_job_is_active(job);
    }
    if (active != queue->active) {
        queue->active = active;
        g_object_notify_by_pspec(G_OBJECT(queue), properties[PROP_ACTIVE]);
    }
}

static void schedule(RtQueue *queue)
{
    if (queue->scheduling) {
        queue->reschedule = TRUE;
        return;
    }
    queue->scheduling = TRUE;
    do {
        queue->reschedule = FALSE;
        schedule_once(queue);
    } while (queue->reschedule);
    queue->scheduling = FALSE;
}

static void job_state_cb(RtJob *job, GParamSpec *pspec, RtQueue *queue)
{
    RtJobState state = rt_job_get_state(job);
    if (state == RT_JOB_DONE || state == RT_JOB_FAILED || state == RT_JOB_CANCELLED)
        g_signal_emit(queue, signals[JOB_FINISHED], 0, job);
    schedule(queue);
}

GListModel *rt_queue_get_model(RtQueue *queue)
{
    return G_LIST_MODEL(queue->jobs);
}

void rt_queue_add(RtQueue *queue, RtJob *job)
{
    g_signal_connect_object(job, "notify::state", G_CALLBACK(job_state_cb), queue, 0);
    g_list_store_append(queue->jobs, job);
    schedule(queue);
}

void rt_queue_retry(RtQueue *queue, RtJob *job)
{
    rt_job_requeue(job); /* notify::state schedules it */
}

void rt_queue_remove(RtQueue *queue, RtJob *job)
{
    guint position;
    if (rt_job_is_active(job) || !g_list_store_find(queue->jobs, job, &position))
        return;
    g_signal_handlers_disconnect_by_data(job, queue);
    g_list_store_remove(queue->jobs, position);
    schedule(queue);
}

void rt_queue_clear_finished(RtQueue *queue)
{
    for (guint i = g_list_model_get_n_items(G_LIST_MODEL(queue->jobs)); i-- > 0;) {
        g_autoptr(RtJob) job = g_list_model_get_item(G_LIST_MODEL(queue->jobs), i);
        if (!rt_job_is_active(job))
            rt_queue_remove(queue, job);
    }
}

guint rt_queue_get_active(RtQueue *queue)
{
    return queue->active;
}

void rt_queue_set_running_max(RtQueue *queue, guint running_max)
{
    queue->running_max = MAX(running_max, 1);
    schedule(queue);
}

guint rt_queue_get_running_max(RtQueue *queue)
{
    return queue->running_max;
}

void rt_queue_set_service(RtQueue *queue, RtService *service)
{
    RtService *old = queue->service;
    queue->service = rt_service_ref(service);
    rt_service_unref(old);
}

RtService *rt_queue_get_service(RtQueue *queue)
{
    return queue->service;
}

void rt_queue_cancel_all(RtQueue *queue)
{
    guint n = g_list_model_get_n_items(G_LIST_MODEL(queue->jobs));
    /* Waiting ones first, so that cancelling a running one does not start the next. */
    for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; i < n; i++) {
            g_autoptr(RtJob) job = g_list_model_get_item(G_LIST_MODEL(queue->jobs), i);
            if ((pass == 0) == (rt_job_get_state(job) == RT_JOB_WAITING))
                rt_job_cancel(job);
        }
}

static void rt_queue_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
    RtQueue *queue = RT_QUEUE(object);
    switch (prop_id) {
    case PROP_ACTIVE:
        g_value_set_uint(value, queue->active);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
    }
}

static void rt_queue_dispose(GObject *object)
{
    RtQueue *queue = RT_QUEUE(object);
    if (queue->jobs) {
        guint n = g_list_model_get_n_items(G_LIST_MODEL(queue->jobs));
        for (guint i = 0; i < n; i++) {
            g_autoptr(RtJob) job = g_list_model_get_item(G_LIST_MODEL(queue->jobs), i);
            g_signal_handlers_disconnect_by_data(job, queue);
        }
    }
    g_clear_object(&queue->jobs);
    g_clear_pointer(&queue->service, rt_service_unref);
    G_OBJECT_CLASS(rt_queue_parent_class)->dispose(object);
}

static void rt_queue_class_init(RtQueueClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    object_class->get_property = rt_queue_get_property;
    object_class->dispose = rt_queue_dispose;
    properties[PROP_ACTIVE] =
        g_param_spec_uint("active", NULL, NULL, 0, G_MAXUINT, 0,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
    g_object_class_install_properties(object_class, N_PROPS, properties);
    signals[JOB_FINISHED] =
        g_signal_new("job-finished", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                     NULL, G_TYPE_NONE, 1, RT_TYPE_JOB);
}

static void rt_queue_init(RtQueue *queue)
{
    queue->jobs = g_list_store_new(RT_TYPE_JOB);
    queue->running_max = 2;
}

RtQueue *rt_queue_new(RtService *service)
{
    RtQueue *queue = g_object_new(RT_TYPE_QUEUE, NULL);
    queue->service = rt_service_ref(service);
    return queue;
}
