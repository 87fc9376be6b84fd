/* The downloads of this run: a list model of RtJob, started a few at a time. */
#pragma once

#include <gio/gio.h>

#include "rt-job.h"
#include "rt-service.h"

G_BEGIN_DECLS

#define RT_TYPE_QUEUE (rt_queue_get_type())
G_DECLARE_FINAL_TYPE(RtQueue, rt_queue, RT, QUEUE, GObject)

/*
 * A queue whose jobs use `service` (a reference is taken), two at a time (they share the
 * client's transfer slots, so more at once are not faster, only each slower). Signals:
 * "job-finished" (RtJob*) when a job reaches DONE, FAILED or CANCELLED. Property "active": how many
 * jobs are waiting or running. Main thread only.
 */
RtQueue *rt_queue_new(RtService *service);

/* The jobs, oldest first (a GListModel of RtJob). Borrowed. */
GListModel *rt_queue_get_model(RtQueue *queue);

/* Add `job` (a reference is taken) and start it when a slot is free. */
void rt_queue_add(RtQueue *queue, RtJob *job);

/* A failed or cancelled job goes back in line; the library continues its .part. */
void rt_queue_retry(RtQueue *queue, RtJob *job);

/* Take a job that is over off the list. */
void rt_queue_remove(RtQueue *queue, RtJob *job);

/* Take every job that is over (done, failed, cancelled) off the list. */
void rt_queue_clear_finished(RtQueue *queue);

guint rt_queue_get_active(RtQueue *queue);

/* How many jobs may run side by side (at least 1): more start at once when it grows; when it
 * shrinks, the running ones go on and no new one starts until fewer run. */
void rt_queue_set_running_max(RtQueue *queue, guint running_max);
guint rt_queue_get_running_max(RtQueue *queue);

/* The service jobs started from now on use (a reference is taken); running ones keep theirs. */
void rt_queue_set_service(RtQueue *queue, RtService *service);
/* The current one. Borrowed: valid until the next rt_queue_set_service(). */
RtService *rt_queue_get_service(RtQueue *queue);

/* Cancel every job that is waiting or running. */
void rt_queue_cancel_all(RtQueue *queue);

G_END_DECLS
