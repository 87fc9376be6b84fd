/* The application: one queue of downloads, the library's clients, quitting safely. */
#include "rt-application.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "rt-history-keeper.h"
#include "rt-history.h"
#include "rt-inhibit.h"
#include "rt-links.h"
#include "rt-preferences.h"
#include "rt-resources.h"
#include "rt-settings.h"
#include "rt-window.h"

struct _RtApplication {
    AdwApplication parent_instance;
    char *api_base; /* --api-base, or NULL */
    RtSettings *settings;
    RtService *service;
    RtQueue *queue;
    RtHistoryKeeper *history; /* the queue kept between runs */
    RtInhibit *inhibit;       /* no suspend while downloading */
    gboolean quitting;        /* downloads were told to stop; the last one's end ends the program */
};

G_DEFINE_TYPE(RtApplication, rt_application, ADW_TYPE_APPLICATION)

void rt_application_init_i18n(void)
{
    const char *dir = g_getenv("RUTUBE_DL_LOCALEDIR");
    setlocale(LC_ALL, "");
    bindtextdomain(GETTEXT_PACKAGE, dir && dir[0] ? dir : LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);
}

RtQueue *rt_application_get_queue(RtApplication *app)
{
    return app->queue;
}

const RtInhibit *rt_application_get_inhibit(RtApplication *app)
{
    return app->inhibit;
}

/* ---- Quitting -------------------------------------------------------------------------------- */

/* Stop every download; the program ends when the last worker has let go of it (each holds
 * the application), so every .part and its state are left whole for next time. */
static void stop_and_quit(RtApplication *app)
{
    app->quitting = TRUE;
    rt_queue_cancel_all(app->queue);
    rt_service_cancel(app->service); /* lookups too: they end within a tenth of a second */
    GList *windows = g_list_copy(gtk_application_get_windows(GTK_APPLICATION(app)));
    for (GList *l = windows; l; l = l->next)
        gtk_window_destroy(GTK_WINDOW(l->data));
    g_list_free(windows);
}

static gboolean stop_and_quit_cb(gpointer data)
{
    stop_and_quit(data);
    return G_SOURCE_REMOVE;
}

static void quit_response_cb(AdwMessageDialog *dialog, const char *response, RtApplication *app)
{
    /* Not from inside the dialog's own "response": destroying the window it is transient for
     * there left it to unhook itself from a freed window when it closed (a critical). */
    if (g_strcmp0(response, "quit") == 0)
        g_idle_add(stop_and_quit_cb, app);
}

static void quit_action(GSimpleAction *action, GVariant *parameter, gpointer data)
{
    RtApplication *app = data;
    guint active = rt_queue_get_active(app->queue);
    GtkWindow *window = gtk_application_get_active_window(GTK_APPLICATION(app));
    if (active == 0 || !window) {
        stop_and_quit(app);
        return;
    }
    g_autofree char *body =
        g_strdup_printf(ngettext("%u download is not finished. What is downloaded so far is "
                                 "kept: downloading the same video again continues it.",
                                 "%u downloads are not finished. What is downloaded so far is "
                                 "kept: downloading the same videos again continues them.",
                                 active),
                        active);
    GtkWidget *dialog = adw_message_dialog_new(window, _("Stop the Downloads and Quit?"), body);
    adw_message_dialog_add_responses(ADW_MESSAGE_DIALOG(dialog), "cancel", _("_Keep Downloading"),
                                     "quit", _("_Stop and Quit"), NULL);
    adw_message_dialog_set_response_appearance(ADW_MESSAGE_DIALOG(dialog), "quit",
                                               ADW_RESPONSE_DESTRUCTIVE);
    adw_message_dialog_set_default_response(ADW_MESSAGE_DIALOG(dialog), "cancel");
    adw_message_dialog_set_close_response(ADW_MESSAGE_DIALOG(dialog), "cancel");
    g_signal_connect(dialog, "response", G_CALLBACK(quit_response_cb), app);
    gtk_window_present(GTK_WINDOW(dialog));
}

static void about_action(GSimpleAction *action, GVariant *parameter, gpointer data)
{
    RtApplication *app = data;
    GtkWindow *window = gtk_application_get_active_window(GTK_APPLICATION(app));
    GtkWidget *about = adw_about_window_new();
    gtk_window_set_transient_for(GTK_WINDOW(about), window);
    g_object_set(about, "application-name", _("RuTube Downloader"), "application-icon",
                 RT_APPLICATION_ID, "version", RT_VERSION, "developer-name",
                 _("The rutube-dl authors"), "comments",
                 _("Save RuTube videos as files: fast on a fast line, sure on a bad one."),
                 "license-type", GTK_LICENSE_MIT_X11, "debug-info", rt_version_string(), NULL);
    gtk_window_present(GTK_WINDOW(about));
}

/* ---- Preferences ----------------------------------------------------------------------------- */

static void settings_changed_cb(RtPreferences *preferences, RtApplication *app)
{
    for (GList *l = gtk_application_get_windows(GTK_APPLICATION(app)); l; l = l->next)
        if (RT_IS_WINDOW(l->data))
            rt_window_settings_changed(RT_WINDOW(l->data));
}

static void preferences_action(GSimpleAction *action, GVariant *parameter, gpointer data)
{
    RtApplication *app = data;
    GtkWindow *window = gtk_application_get_active_window(GTK_APPLICATION(app));
    RtPreferences *preferences = rt_preferences_present(
        GTK_APPLICATION(app), RT_IS_WINDOW(window) ? window : NULL, app->settings, app->queue);
    g_signal_handlers_disconnect_by_func(preferences, settings_changed_cb, app);
    g_signal_connect(preferences, "changed", G_CALLBACK(settings_changed_cb), app);
}

/* ---- Notifications --------------------------------------------------------------------------- */

static void job_finished_cb(RtQueue *queue, RtJob *job, RtApplication *app)
{
    RtJobState state = rt_job_get_state(job);
    GtkWindow *window = gtk_application_get_active_window(GTK_APPLICATION(app));
    /* Someone looking at the window sees the row change; a notification is for the others. */
    if (app->quitting || state == RT_JOB_CANCELLED || (window && gtk_window_is_active(window)))
        return;
    g_autoptr(GNotification) notification =
        g_notification_new(state == RT_JOB_DONE ? _("Download finished") : _("Download failed"));
    g_notification_set_body(notification, rt_job_get_title(job));
    g_autofree char *id = g_strdup_printf("job-%p", (void *)job);
    g_application_send_notification(G_APPLICATION(app), id, notification);
}

/* ---- GApplication -----------------------------------------------------------------------------
 */

static void rt_application_startup(GApplication *application)
{
    RtApplication *app = RT_APPLICATION(application);
    /* Before the parent's start-up, which loads style.css from the resources. */
    rt_register_resource();
    G_APPLICATION_CLASS(rt_application_parent_class)->startup(application);
    g_set_application_name(_("RuTube Downloader"));
    gtk_window_set_default_icon_name(RT_APPLICATION_ID);

    const char *api_base = app->api_base ? app->api_base : g_getenv("RUTUBE_DL_API_BASE");
    if (api_base && !api_base[0])
        api_base = NULL;
    g_autoptr(GError) error = NULL;
    app->settings = rt_settings_load();
    const RtSettings *settings = app->settings;
    app->service = rt_service_new(api_base, settings->proxy, (int)settings->transfers, &error);
    if (!app->service) {
        g_warning("%s; using %s", error->message, RT_DEFAULT_API_BASE);
        app->service = rt_service_new(NULL, settings->proxy, (int)settings->transfers, NULL);
    }
    rt_service_set_limit_rate(app->service, settings->limit_rate);
    app->queue = rt_queue_new(app->service);
    rt_queue_set_running_max(app->queue, settings->parallel);
    g_signal_connect(app->queue, "job-finished", G_CALLBACK(job_finished_cb), app);
    g_autofree char *history_path = rt_history_path();
    app->history = rt_history_keeper_new(app->queue, history_path);
    app->inhibit = rt_inhibit_new(GTK_APPLICATION(app), app->queue);

    static const GActionEntry actions[] = {
        {"quit", quit_action, NULL, NULL, NULL, {0}},
        {"about", about_action, NULL, NULL, NULL, {0}},
        {"preferences", preferences_action, NULL, NULL, NULL, {0}},
    };
    g_action_map_add_action_entries(G_ACTION_MAP(app), actions, G_N_ELEMENTS(actions), app);
    const char *quit_accels[] = {"<Control>q", NULL};
    const char *close_accels[] = {"<Control>w", NULL};
    /* GTK's own Ctrl+?, and F1: the window has no other help to give. */
    const char *help_accels[] = {"<Control>question", "F1", NULL};
    const char *preferences_accels[] = {"<Control>comma", NULL};
    gtk_application_set_accels_for_action(GTK_APPLICATION(app), "app.preferences",
                                          preferences_accels);
    gtk_application_set_accels_for_action(GTK_APPLICATION(app), "app.quit", quit_accels);
    gtk_application_set_accels_for_action(GTK_APPLICATION(app), "window.close", close_accels);
    gtk_application_set_accels_for_action(GTK_APPLICATION(app), "win.show-help-overlay",
                                          help_accels);
}

/* The main window, made when there is none (the about window is no RtWindow). */
static RtWindow *main_window(RtApplication *app)
{
    for (GList *l = gtk_application_get_windows(GTK_APPLICATION(app)); l; l = l->next)
        if (RT_IS_WINDOW(l->data))
            return l->data;
    return rt_window_new(GTK_APPLICATION(app), app->queue, app->settings);
}

static void rt_application_activate(GApplication *application)
{
    gtk_window_present(GTK_WINDOW(main_window(RT_APPLICATION(application))));
}

/* `rutube-dl-gtk ADDRESS...`, here or handed over by a second start: the window takes the
 * addresses in as if they were dropped on it, then comes to the front. */
static int rt_application_command_line(GApplication *application,
                                       GApplicationCommandLine *command_line)
{
    RtApplication *app = RT_APPLICATION(application);
    if (app->quitting)
        return 0; /* the window is gone, and a new one would keep the program alive */
    int argc = 0;
    g_auto(GStrv) argv = g_application_command_line_get_arguments(command_line, &argc);
    if (argc > 1)
        rt_links_take_arguments(rt_window_get_links(main_window(app)),
                                (const char *const *)argv + 1,
                                g_application_command_line_get_cwd(command_line));
    g_application_activate(application);
    return 0;
}

static int rt_application_handle_local_options(GApplication *application, GVariantDict *options)
{
    RtApplication *app = RT_APPLICATION(application);
    g_variant_dict_lookup(options, "api-base", "s", &app->api_base);
    if (g_variant_dict_contains(options, "version")) {
        g_print("rutube-dl-gtk %s (%s)\n", RT_VERSION, rt_version_string());
        return 0;
    }
    return -1;
}

static void rt_application_shutdown(GApplication *application)
{
    RtApplication *app = RT_APPLICATION(application);
    /* Workers still running (a forced quit) keep their own reference to the clients. */
    if (app->queue) {
        rt_queue_cancel_all(app->queue);
        g_signal_handlers_disconnect_by_data(app->queue, app);
    }
    if (app->history)
        rt_history_keeper_flush(app->history); /* the states the cancels left */
    g_clear_object(&app->history);
    g_clear_pointer(&app->inhibit, rt_inhibit_free);
    g_clear_object(&app->queue);
    g_clear_pointer(&app->service, rt_service_unref);
    g_clear_pointer(&app->settings, rt_settings_free);
    G_APPLICATION_CLASS(rt_application_parent_class)->shutdown(application);
}

static void rt_application_finalize(GObject *object)
{
    RtApplication *app = RT_APPLICATION(object);
    g_free(app->api_base);
    G_OBJECT_CLASS(rt_application_parent_class)->finalize(object);
}

static void rt_application_class_init(RtApplicationClass *klass)
{
    GApplicationClass *app_class = G_APPLICATION_CLASS(klass);
    G_OBJECT_CLASS(klass)->finalize = rt_application_finalize;
    app_class->startup = rt_application_startup;
    app_class->activate = rt_application_activate;
    app_class->command_line = rt_application_command_line;
    app_class->handle_local_options = rt_application_handle_local_options;
    app_class->shutdown = rt_application_shutdown;
}

static void rt_application_init(RtApplication *app)
{
    static const GOptionEntry entries[] = {
        {"api-base", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Where API calls go (for tests)"),
         N_("URL")},
        {"version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_application_add_main_option_entries(G_APPLICATION(app), entries);
    g_application_set_option_context_parameter_string(G_APPLICATION(app), _("[ADDRESS…]"));
}

RtApplication *rt_application_new(gboolean unique)
{
    /* The addresses of a second start go to the first one's window. */
    GApplicationFlags flags = G_APPLICATION_HANDLES_COMMAND_LINE |
                              (unique ? G_APPLICATION_DEFAULT_FLAGS : G_APPLICATION_NON_UNIQUE);
    return g_object_new(RT_TYPE_APPLICATION, "application-id", RT_APPLICATION_ID, "flags", flags,
                        NULL);
}
