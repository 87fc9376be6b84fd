/* The queue kept on disk: the history's entries become rows at start-up, and every change to
 * the list is written back. */
#include "rt-history-keeper.h"

#include <glib/gi18n.h>

#include "rt-history.h"
#include "rt-text.h"

struct _RtHistoryKeeper {
    GObject parent_instance;
    RtQueue *queue;
    char *path;
    guint write_id;        /* the idle that writes what changed, or 0 */
    gboolean write_failed; /* warned once; said again only after a write that worked */
};

G_DEFINE_TYPE(RtHistoryKeeper, rt_history_keeper, G_TYPE_OBJECT)

/* What the history knows of a job that the job itself does not: kept on the job. */
typedef struct {
    gint64 added;    /* Unix seconds */
    gint64 finished; /* 0 while not over */
    int tenths;      /* the progress last written, in tenths */
} Record;

static GQuark record_quark(void)
{
    return g_quark_from_static_string("rt-history-record");
}

static Record *record_of(RtJob *job)
{
    return g_object_get_qdata(G_OBJECT(job), record_quark());
}

/* ---- Writing -------------------------------------------------------------------------------- */

static RtHistoryEntry *entry_of(RtJob *job)
{
    RtHistoryEntry *entry = rt_history_entry_new();
    const RtJobOptions *opts = rt_job_get_options(job);
    const Record *record = record_of(job);
    const char *title = rt_job_get_title(job);
    entry->address = g_strdup(rt_job_get_address(job));
    g_free(entry->quality);
    entry->quality = g_strdup(rt_job_get_quality(job));
    /* Without a title of its own a job shows its address: nothing to keep. */
    entry->title = g_strcmp0(title, entry->address) == 0 ? NULL : g_strdup(title);
    rt_job_options_clear(&entry->opts);
    rt_job_options_copy(&entry->opts, opts); /* its strings its own */
    entry->path = g_strdup(rt_job_get_path(job));
    entry->state = rt_job_get_state(job);
    entry->error_code = rt_job_get_error_code(job);
    entry->error_message = g_strdup(rt_job_get_error_message(job));
    entry->size = rt_job_get_size(job);
    entry->fraction = rt_job_get_fraction(job);
    entry->added = record ? record->added : 0;
    entry->finished = record ? record->finished : 0;
    return entry;
}

void rt_history_keeper_flush(RtHistoryKeeper *keeper)
{
    g_clear_handle_id(&keeper->write_id, g_source_remove);
    GListModel *model = rt_queue_get_model(keeper->queue);
    guint n = g_list_model_get_n_items(model);
    g_autoptr(GPtrArray) entries = g_ptr_array_new_full(n, (GDestroyNotify)rt_history_entry_free);
    for (guint i = 0; i < n; i++) {
        g_autoptr(RtJob) job = g_list_model_get_item(model, i);
        g_ptr_array_add(entries, entry_of(job));
    }
    g_autoptr(GError) error = NULL;
    if (rt_history_write(keeper->path, entries, &error)) {
        keeper->write_failed = FALSE;
    } else if (!keeper->write_failed) {
        g_warning("cannot save the download history: %s", error->message);
        keeper->write_failed = TRUE;
    }
}

static gboolean write_cb(gpointer data)
{
    RtHistoryKeeper *keeper = data;
    keeper->write_id = 0;
    rt_history_keeper_flush(keeper);
    return G_SOURCE_REMOVE;
}

/* Changes come in bursts (a list of fifty videos queued, Clear Finished): one write each. */
static void schedule_write(RtHistoryKeeper *keeper)
{
    if (!keeper->write_id)
        keeper->write_id = g_idle_add(write_cb, keeper);
}

/* ---- Watching the queue ------------------------------------------------------------------------
 */

static void job_notify_cb(RtJob *job, GParamSpec *pspec, RtHistoryKeeper *keeper)
{
    const char *name = g_param_spec_get_name(pspec);
    if (g_strcmp0(name, "state") == 0) {
        Record *record = record_of(job);
        if (record)
            record->finished = rt_job_is_active(job) ? 0 : g_get_real_time() / G_USEC_PER_SEC;
        /* rt_job_start() says STARTING before it makes the worker: the entry is on disk as
         * under way before anything is fetched, so that a kill -9 brings it back paused. */
        if (rt_job_get_state(job) == RT_JOB_STARTING)
            rt_history_keeper_flush(keeper);
        else
            schedule_write(keeper);
    } else if (g_strcmp0(name, "path") == 0 || g_strcmp0(name, "title") == 0) {
        schedule_write(keeper);
    } else if (g_strcmp0(name, "fraction") == 0) {
        /* Not every tick: a tenth of the way at a time, so that a download that comes back
         * after a crash shows about how far it had got. */
        Record *record = record_of(job);
        int tenths = (int)(rt_job_get_fraction(job) * 10);
        if (record && tenths != record->tenths) {
            record->tenths = tenths;
            schedule_write(keeper);
        }
    }
}

/* Start watching `job`, first seen now or restored with `record`'s dates. */
static void watch(RtHistoryKeeper *keeper, RtJob *job, gint64 added, gint64 finished)
{
    if (record_of(job))
        return;
    Record *record = g_new0(Record, 1);
    record->added = added;
    record->finished = finished;
    g_object_set_qdata_full(G_OBJECT(job), record_quark(), record, g_free);
    g_signal_connect_object(job, "notify", G_CALLBACK(job_notify_cb), keeper, 0);
}

static void items_changed_cb(GListModel *model, guint position, guint removed, guint added,
                             RtHistoryKeeper *keeper)
{
    gint64 now = g_get_real_time() / G_USEC_PER_SEC;
    for (guint i = position; i < position + added; i++) {
        g_autoptr(RtJob) job = g_list_model_get_item(model, i);
        watch(keeper, job, now, 0);
    }
    schedule_write(keeper);
}

/* ---- Restoring ---------------------------------------------------------------------------------
 */

/* What the row says of a job from an earlier run. Caller frees. */
static char *restored_status(const RtHistoryEntry *entry, RtJobState *state)
{
    *state = entry->state;
    switch (entry->state) {
    case RT_JOB_DONE:
        if (!entry->path || !g_file_test(entry->path, G_FILE_TEST_EXISTS))
            return g_strdup(_("File moved or deleted"));
        if (entry->size > 0) {
            g_autofree char *size = rt_text_size(entry->size);
            return g_strdup_printf(_("Saved · %s"), size);
        }
        return g_strdup(_("Saved"));
    case RT_JOB_FAILED:
        return g_strdup(rt_text_error(entry->error_code));
    case RT_JOB_CANCELLED:
        return g_strdup(_("Paused. Continue where it stopped."));
    case RT_JOB_WAITING:
    case RT_JOB_STARTING:
    case RT_JOB_DOWNLOADING:
    case RT_JOB_CONVERTING:
        break;
    }
    /* Waiting or under way when the program ended: nothing runs by itself at start-up (the
     * person may be on another network now, or have quit for a reason). */
    *state = RT_JOB_CANCELLED;
    return g_strdup(_("Interrupted when the program ended. Continue where it stopped."));
}

static void restore(RtHistoryKeeper *keeper, const char *path)
{
    g_autoptr(GPtrArray) entries = rt_history_read(path);
    for (guint i = 0; i < entries->len; i++) {
        const RtHistoryEntry *entry = g_ptr_array_index(entries, i);
        RtJobState state;
        g_autofree char *status = restored_status(entry, &state);
        g_autoptr(RtJob) job =
            rt_job_new(entry->address, entry->quality, entry->title, &entry->opts);
        rt_job_restore(job, state, entry->path, entry->error_code, entry->error_message,
                       entry->size, entry->fraction, status);
        watch(keeper, job, entry->added, entry->finished);
        rt_queue_add(keeper->queue, job);
    }
}

/* ---- Life cycle --------------------------------------------------------------------------------
 */

static void rt_history_keeper_dispose(GObject *object)
{
    RtHistoryKeeper *keeper = RT_HISTORY_KEEPER(object);
    if (keeper->write_id)
        rt_history_keeper_flush(keeper);
    if (keeper->queue)
        g_signal_handlers_disconnect_by_data(rt_queue_get_model(keeper->queue), keeper);
    g_clear_object(&keeper->queue);
    G_OBJECT_CLASS(rt_history_keeper_parent_class)->dispose(object);
}

static void rt_history_keeper_finalize(GObject *object)
{
    RtHistoryKeeper *keeper = RT_HISTORY_KEEPER(object);
    g_free(keeper->path);
    G_OBJECT_CLASS(rt_history_keeper_parent_class)->finalize(object);
}

static void rt_history_keeper_class_init(RtHistoryKeeperClass *klass)
{
    G_OBJECT_CLASS(klass)->dispose = rt_history_keeper_dispose;
    G_OBJECT_CLASS(klass)->finalize = rt_history_keeper_finalize;
}

static void rt_history_keeper_init(RtHistoryKeeper *keeper)
{
}

RtHistoryKeeper *rt_history_keeper_new(RtQueue *queue, const char *path)
{
    RtHistoryKeeper *keeper = g_object_new(RT_TYPE_HISTORY_KEEPER, NULL);
    keeper->queue = g_object_ref(queue);
    keeper->path = g_strdup(path);
    /* Before watching: putting the old rows back is not a change to write. */
    restore(keeper, path);
    g_signal_connect(rt_queue_get_model(queue), "items-changed", G_CALLBACK(items_changed_cb),
                     keeper);
    return keeper;
}
