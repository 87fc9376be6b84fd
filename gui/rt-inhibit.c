/* No suspend while downloading: the session is asked to stay awake while any job runs. */
#include "rt-inhibit.h"

#include <glib/gi18n.h>

struct _RtInhibit {
    GtkApplication *app; /* borrowed: it owns this */
    RtQueue *queue;      /* a reference */
    gboolean held;
    guint cookie;
};

static void release(RtInhibit *inhibit)
{
    if (inhibit->cookie)
        gtk_application_uninhibit(inhibit->app, inhibit->cookie);
    inhibit->cookie = 0;
    inhibit->held = FALSE;
}

static void active_cb(RtQueue *queue, GParamSpec *pspec, RtInhibit *inhibit)
{
    gboolean busy = rt_queue_get_active(queue) > 0;
    if (busy && !inhibit->held) {
        /* The window, when there is one, names who asks (the session shows it when the
         * user wants to suspend anyway). */
        GtkWindow *window = gtk_application_get_active_window(inhibit->app);
        inhibit->cookie =
            gtk_application_inhibit(inhibit->app, window, GTK_APPLICATION_INHIBIT_SUSPEND,
                                    _("Videos are being downloaded"));
        inhibit->held = TRUE;
    } else if (!busy && inhibit->held) {
        release(inhibit);
    }
}

RtInhibit *rt_inhibit_new(GtkApplication *app, RtQueue *queue)
{
    RtInhibit *inhibit = g_new0(RtInhibit, 1);
    inhibit->app = app;
    inhibit->queue = g_object_ref(queue);
    g_signal_connect(queue, "notify::active", G_CALLBACK(active_cb), inhibit);
    active_cb(queue, NULL, inhibit);
    return inhibit;
}

void rt_inhibit_free(RtInhibit *inhibit)
{
    if (!inhibit)
        return;
    release(inhibit);
    g_signal_handlers_disconnect_by_data(inhibit->queue, inhibit);
    g_object_unref(inhibit->queue);
    g_free(inhibit);
}

gboolean rt_inhibit_is_held(const RtInhibit *inhibit)
{
    return inhibit->held;
}

guint rt_inhibit_get_cookie(const RtInhibit *inhibit)
{
    return inhibit->cookie;
}
