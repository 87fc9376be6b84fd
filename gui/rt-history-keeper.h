/* The queue kept on disk: the history's entries become rows at start-up, and every change to
 * the list is written back. */
#pragma once

#include <gio/gio.h>

#include "rt-queue.h"

G_BEGIN_DECLS

#define RT_TYPE_HISTORY_KEEPER (rt_history_keeper_get_type())
G_DECLARE_FINAL_TYPE(RtHistoryKeeper, rt_history_keeper, RT, HISTORY_KEEPER, GObject)

/*
 * Read the history in `path` (rt_history_read(): a bad file is set aside) into `queue` as
 * jobs that wait for the person: done ones as done ("File moved or deleted" when their file
 * is gone), failed ones as failed, and ones that were waiting or under way when the program
 * ended (or crashed) as cancelled, which Continue picks up from their .part. Then watch the
 * queue (a reference is taken) and write the list whenever a job is added, removed, named,
 * changes state or gets another tenth of the way: within the same turn of the main loop, and
 * before a download's worker is started, so that a crash leaves it on disk as under way.
 * Main thread only.
 */
RtHistoryKeeper *rt_history_keeper_new(RtQueue *queue, const char *path);

/* Write now what is waiting to be written (at the end of the program). */
void rt_history_keeper_flush(RtHistoryKeeper *keeper);

G_END_DECLS
