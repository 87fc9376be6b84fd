/* A row of the download list: one RtJob's title, progress and what can be done with it. */
#pragma once

#include <gtk/gtk.h>

#include "rt-job.h"
#include "rt-queue.h"

G_BEGIN_DECLS

#define RT_TYPE_JOB_ROW (rt_job_row_get_type())
G_DECLARE_FINAL_TYPE(RtJobRow, rt_job_row, RT, JOB_ROW, GtkListBoxRow)

/* A row showing `job` (a reference is taken). Its buttons cancel, retry and remove the job
 * through `queue` (borrowed: it outlives its rows), open its folder or play its file. */
GtkWidget *rt_job_row_new(RtJob *job, RtQueue *queue);

RtJob *rt_job_row_get_job(RtJobRow *row);

/* Open the folder that holds `path`, or `path` itself, with the system's default handler,
 * parented to `widget`'s window. Errors go to a toast-less g_warning: the desktop says more. */
void rt_launch_path(GtkWidget *widget, const char *path, gboolean folder);

G_END_DECLS
