/* A row of the download list: one RtJob's title, progress and what can be done with it. */
#include "rt-job-row.h"

#include <glib/gi18n.h>

struct _RtJobRow {
    GtkListBoxRow parent_instance;

    RtJob *job;
    RtQueue *queue; /* borrowed */

    GtkImage *state_icon;
    GtkLabel *title_label;
    GtkProgressBar *progress_bar;
    GtkLabel *status_label;
    GtkButton *cancel_button;
    GtkButton *retry_button;
    GtkButton *folder_button;
    GtkButton *play_button;
    GtkButton *remove_button;

    guint pulse_id; /* the bar's activity while there is no fraction to show, or 0 */
};

G_DEFINE_TYPE(RtJobRow, rt_job_row, GTK_TYPE_LIST_BOX_ROW)

static void launch_done_cb(GObject *source, GAsyncResult *result, gpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *uri = data;
    if (!g_app_info_launch_default_for_uri_finish(result, &error))
        g_warning("cannot open %s: %s", uri, error->message);
}

void rt_launch_path(GtkWidget *widget, const char *path, gboolean folder)
{
    g_autofree char *dir = folder ? g_path_get_dirname(path) : NULL;
    char *uri = g_filename_to_uri(folder ? dir : path, NULL, NULL);
    if (!uri)
        return;
    g_autoptr(GdkAppLaunchContext) context =
        gdk_display_get_app_launch_context(gtk_widget_get_display(widget));
    g_app_info_launch_default_for_uri_async(uri, G_APP_LAUNCH_CONTEXT(context), NULL,
                                            launch_done_cb, uri);
}

/* Five steps a second: the bar moves like a recorder's, without redrawing all the time. */
#define PULSE_INTERVAL_MS 200

static gboolean pulse_cb(gpointer data)
{
    RtJobRow *row = data;
    gtk_progress_bar_pulse(row->progress_bar);
    return G_SOURCE_CONTINUE;
}

/* The bar bounces while `pulsing` (asking RuTube, recording a live stream, whose length
 * nobody knows), else shows the job's fraction. */
static void set_pulsing(RtJobRow *row, gboolean pulsing)
{
    if (pulsing && !row->pulse_id) {
        gtk_progress_bar_pulse(row->progress_bar);
        row->pulse_id = g_timeout_add(PULSE_INTERVAL_MS, pulse_cb, row);
    } else if (!pulsing && row->pulse_id) {
        g_clear_handle_id(&row->pulse_id, g_source_remove);
    }
}

/* Show the job as it is now: every property change comes through here. */
static void update(RtJobRow *row)
{
    RtJob *job = row->job;
    RtJobState state = rt_job_get_state(job);
    const char *icon = "folder-download-symbolic";
    const char *message = rt_job_get_error_message(job);

    gtk_label_set_text(row->title_label, rt_job_get_title(job));
    gtk_widget_set_tooltip_text(GTK_WIDGET(row->title_label), rt_job_get_title(job));
    gtk_label_set_text(row->status_label, rt_job_get_status(job));
    gtk_widget_set_tooltip_text(GTK_WIDGET(row->status_label),
                                state == RT_JOB_FAILED ? message : rt_job_get_path(job));
    gboolean live = rt_job_is_live(job);
    gboolean recording = live && state == RT_JOB_DOWNLOADING;
    /* A fraction set ends the bar's pulsing: only when there is one to show. */
    gboolean pulsing = state == RT_JOB_STARTING || recording;
    if (!pulsing)
        gtk_progress_bar_set_fraction(row->progress_bar, rt_job_get_fraction(job));
    set_pulsing(row, pulsing);
    gtk_widget_set_visible(GTK_WIDGET(row->progress_bar),
                           state == RT_JOB_DOWNLOADING || state == RT_JOB_CONVERTING ||
                               state == RT_JOB_STARTING || state == RT_JOB_CANCELLED);

    gtk_widget_remove_css_class(GTK_WIDGET(row->status_label), "error");
    gtk_widget_remove_css_class(GTK_WIDGET(row->state_icon), "error");
    gtk_widget_remove_css_class(GTK_WIDGET(row->state_icon), "success");
    gtk_widget_remove_css_class(GTK_WIDGET(row->state_icon), "recording");
    switch (state) {
    case RT_JOB_WAITING:
        icon = "content-loading-symbolic";
        break;
    case RT_JOB_DOWNLOADING:
        if (recording) {
            icon = "media-record-symbolic";
            gtk_widget_add_css_class(GTK_WIDGET(row->state_icon), "recording");
        }
        break;
    case RT_JOB_STARTING:
    case RT_JOB_CONVERTING:
        break;
    case RT_JOB_DONE:
        icon = "emblem-ok-symbolic";
        gtk_widget_add_css_class(GTK_WIDGET(row->state_icon), "success");
        break;
    case RT_JOB_FAILED:
        icon = "dialog-error-symbolic";
        gtk_widget_add_css_class(GTK_WIDGET(row->state_icon), "error");
        gtk_widget_add_css_class(GTK_WIDGET(row->status_label), "error");
        break;
    case RT_JOB_CANCELLED:
        icon = "media-playback-pause-symbolic";
        break;
    }
    gtk_image_set_from_icon_name(row->state_icon, icon);

    /* A file from an earlier run may have been moved or deleted since. */
    gboolean done = state == RT_JOB_DONE && rt_job_get_path(job) &&
                    g_file_test(rt_job_get_path(job), G_FILE_TEST_EXISTS);
    gtk_widget_set_visible(GTK_WIDGET(row->cancel_button), rt_job_is_active(job));
    /* A recording has no end of its own: its row ends it, keeping what came in. */
    gtk_button_set_icon_name(row->cancel_button,
                             live ? "media-playback-stop-symbolic" : "process-stop-symbolic");
    gtk_widget_set_tooltip_text(GTK_WIDGET(row->cancel_button),
                                live ? _("Stop and save the recording") : _("Cancel"));
    gtk_widget_set_visible(GTK_WIDGET(row->retry_button),
                           state == RT_JOB_FAILED || state == RT_JOB_CANCELLED);
    const char *retry = _("Download again");
    if (state == RT_JOB_CANCELLED)
        retry = live ? _("Record on into the same file") : _("Continue the download");
    gtk_widget_set_tooltip_text(GTK_WIDGET(row->retry_button), retry);
    gtk_widget_set_visible(GTK_WIDGET(row->folder_button), done);
    gtk_widget_set_visible(GTK_WIDGET(row->play_button), done);
    gtk_widget_set_visible(GTK_WIDGET(row->remove_button), !rt_job_is_active(job));
}

static void job_notify_cb(RtJob *job, GParamSpec *pspec, RtJobRow *row)
{
    update(row);
}

static void cancel_clicked_cb(RtJobRow *row)
{
    if (rt_job_is_live(row->job))
        rt_job_stop(row->job);
    else
        rt_job_cancel(row->job);
}

static void retry_clicked_cb(RtJobRow *row)
{
    rt_queue_retry(row->queue, row->job);
}

static void folder_clicked_cb(RtJobRow *row)
{
    rt_launch_path(GTK_WIDGET(row), rt_job_get_path(row->job), TRUE);
}

static void play_clicked_cb(RtJobRow *row)
{
    rt_launch_path(GTK_WIDGET(row), rt_job_get_path(row->job), FALSE);
}

static void remove_clicked_cb(RtJobRow *row)
{
    rt_queue_remove(row->queue, row->job);
}

RtJob *rt_job_row_get_job(RtJobRow *row)
{
    return row->job;
}

static void rt_job_row_dispose(GObject *object)
{
    RtJobRow *row = RT_JOB_ROW(object);
    g_clear_handle_id(&row->pulse_id, g_source_remove);
    if (row->job)
        g_signal_handlers_disconnect_by_data(row->job, row);
    g_clear_object(&row->job);
    gtk_widget_dispose_template(GTK_WIDGET(row), RT_TYPE_JOB_ROW);
    G_OBJECT_CLASS(rt_job_row_parent_class)->dispose(object);
}

static void rt_job_row_class_init(RtJobRowClass *klass)
{
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    G_OBJECT_CLASS(klass)->dispose = rt_job_row_dispose;
    gtk_widget_class_set_template_from_resource(widget_class, "/io/github/RutubeDl/rt-job-row.ui");
    gtk_widget_class_bind_template_child(widget_class, RtJobRow, state_icon);
    gtk_widget_class_bind_template_child(widget_class, RtJobRow, title_label);
    gtk_widget_class_bind_template_child(widget_class, RtJobRow, progress_bar);
    gtk_widget_class_bind_template_child(widget_class, RtJobRow, status_label);
    gtk_widget_class_bind_template_child(widget_class, RtJobRow, cancel_button);
    gtk_widget_class_bind_template_child(widget_class, RtJobRow, retry_button);
    gtk_widget_class_bind_template_child(widget_class, RtJobRow, folder_button);
    gtk_widget_class_bind_template_child(widget_class, RtJobRow, play_button);
    gtk_widget_class_bind_template_child(widget_class, RtJobRow, remove_button);
    gtk_widget_class_bind_template_callback(widget_class, cancel_clicked_cb);
    gtk_widget_class_bind_template_callback(widget_class, retry_clicked_cb);
    gtk_widget_class_bind_template_callback(widget_class, folder_clicked_cb);
    gtk_widget_class_bind_template_callback(widget_class, play_clicked_cb);
    gtk_widget_class_bind_template_callback(widget_class, remove_clicked_cb);
}

static void rt_job_row_init(RtJobRow *row)
{
    gtk_widget_init_template(GTK_WIDGET(row));
}

GtkWidget *rt_job_row_new(RtJob *job, RtQueue *queue)
{
    RtJobRow *row = g_object_new(RT_TYPE_JOB_ROW, NULL);
    row->job = g_object_ref(job);
    row->queue = queue;
    g_signal_connect(job, "notify", G_CALLBACK(job_notify_cb), row);
    update(row);
    return GTK_WIDGET(row);
}
