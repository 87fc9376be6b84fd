/* The Preferences window: the defaults of every download, the network, where files go. */
#include "rt-preferences.h"

#include <glib/gi18n.h>
#include <string.h>

struct _RtPreferences {
    AdwPreferencesWindow parent_instance;

    RtSettings *settings; /* borrowed from the application */
    RtQueue *queue;       /* borrowed */
    gboolean loading;     /* filling the widgets: not a change */

    /* Template children. */
    AdwActionRow *folder_row;
    GtkButton *folder_button;
    AdwEntryRow *template_row;
    AdwActionRow *template_example_row;
    AdwComboRow *quality_row;
    GtkStringList *quality_list;
    AdwComboRow *codec_row;
    GtkStringList *codec_list;
    AdwComboRow *container_row;
    GtkStringList *container_list;
    GtkSwitch *audio_switch;
    AdwComboRow *audio_row;
    GtkStringList *audio_list;
    GtkSwitch *subtitles_switch;
    GtkSwitch *thumbnail_switch;
    GtkSpinButton *parallel_spin;
    GtkSpinButton *transfers_spin;
    GtkSpinButton *limit_spin;
    AdwEntryRow *proxy_row;
    AdwActionRow *proxy_status_row;
};

G_DEFINE_TYPE(RtPreferences, rt_preferences, ADW_TYPE_PREFERENCES_WINDOW)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The codec row's items after "Most compatible", in order. */
static const enum rt_codec codecs[] = {RT_CODEC_H264, RT_CODEC_HEVC, RT_CODEC_AV1};

/* ---- Saving ---------------------------------------------------------------------------------- */

static void save(RtPreferences *self)
{
    g_autoptr(GError) error = NULL;
    if (!rt_settings_save(self->settings, &error))
        g_warning("cannot save the settings: %s", error->message);
    g_signal_emit(self, signals[CHANGED], 0);
}

/* A row's look for a value refused (red) or taken. */
static void mark_error(GtkWidget *row, gboolean refused)
{
    if (refused)
        gtk_widget_add_css_class(row, "error");
    else
        gtk_widget_remove_css_class(row, "error");
}

/* ---- The folder ------------------------------------------------------------------------------ */

static void show_folder(RtPreferences *self)
{
    g_autofree char *shown = g_filename_display_name(self->settings->folder);
    adw_action_row_set_subtitle(self->folder_row, shown);
    gtk_widget_set_tooltip_text(GTK_WIDGET(self->folder_row), shown);
}

static void folder_response_cb(GtkNativeDialog *dialog, int response, RtPreferences *self)
{
    if (response == GTK_RESPONSE_ACCEPT) {
        g_autoptr(GFile) file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(dialog));
        g_autofree char *path = file ? g_file_get_path(file) : NULL;
        if (path) {
            g_free(self->settings->folder);
            self->settings->folder = g_steal_pointer(&path);
            show_folder(self);
            save(self);
        }
    }
    gtk_native_dialog_destroy(dialog);
    g_object_unref(dialog);
    g_object_unref(self);
}

static void folder_clicked_cb(RtPreferences *self)
{
    /* GtkFileDialog is GTK 4.10; Debian 12 has 4.8, where this is the way (and a portal's
     * chooser under Flatpak). */
    GtkFileChooserNative *dialog = gtk_file_chooser_native_new(
        _("Choose a Folder for the Videos"), GTK_WINDOW(self),
        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Choose"), _("_Cancel"));
    gtk_native_dialog_set_modal(GTK_NATIVE_DIALOG(dialog), TRUE);
    g_autoptr(GFile) current = g_file_new_for_path(self->settings->folder);
    gtk_file_chooser_set_current_folder(GTK_FILE_CHOOSER(dialog), current, NULL);
    g_signal_connect(dialog, "response", G_CALLBACK(folder_response_cb), g_object_ref(self));
    gtk_native_dialog_show(GTK_NATIVE_DIALOG(dialog));
}

void rt_preferences_choose_folder(RtPreferences *self)
{
    g_return_if_fail(RT_IS_PREFERENCES(self));
    folder_clicked_cb(self);
}

/* ---- The name template ----------------------------------------------------------------------- */

/* Say what the template makes, or why the library refuses it; kept only when it takes it. */
static void template_changed_cb(RtPreferences *self)
{
    const char *text = gtk_editable_get_text(GTK_EDITABLE(self->template_row));
    g_autofree char *example = NULL, *why = NULL;
    gboolean empty = text[0] == '\0';
    /* Empty reads as the library's default, which the example then shows. */
    const char *used = empty ? RT_DEFAULT_TEMPLATE : text;
    gboolean taken =
        rt_settings_template_example(used, rt_settings_container(self->settings), &example, &why);
    mark_error(GTK_WIDGET(self->template_row), !taken);
    mark_error(GTK_WIDGET(self->template_example_row), !taken);
    adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self->template_example_row),
                                  taken ? _("Example") : _("Not a file name template"));
    if (taken) {
        adw_action_row_set_subtitle(self->template_example_row, example);
    } else {
        /* TRANSLATORS: %s is the library's reason, such as "unknown field 'nope'". */
        g_autofree char *line = g_strdup_printf(_("%s; the last good one is kept"), why);
        adw_action_row_set_subtitle(self->template_example_row, line);
    }
    if (self->loading || !taken || strcmp(used, self->settings->name_template) == 0)
        return;
    g_free(self->settings->name_template);
    self->settings->name_template = g_strdup(used);
    save(self);
}

/* ---- The proxy ------------------------------------------------------------------------------- */

static void show_proxy_in_use(RtPreferences *self)
{
    const char *proxy = self->settings->proxy;
    mark_error(GTK_WIDGET(self->proxy_status_row), FALSE);
    adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self->proxy_status_row), _("In use"));
    g_autofree char *line =
        proxy[0] ? g_strdup_printf(_("Through %s"), proxy)
                 : g_strdup(_("None of its own: direct, or as the system says (http_proxy)"));
    adw_action_row_set_subtitle(self->proxy_status_row, line);
}

/* While it is typed: whether libcurl would take it. Applied only with Enter or the button. */
static void proxy_changed_cb(RtPreferences *self)
{
    if (self->loading)
        return;
    g_autofree char *text =
        g_strstrip(g_strdup(gtk_editable_get_text(GTK_EDITABLE(self->proxy_row))));
    g_autofree char *why = NULL;
    if (rt_settings_check_proxy(text, &why)) {
        mark_error(GTK_WIDGET(self->proxy_row), FALSE);
        show_proxy_in_use(self);
        return;
    }
    mark_error(GTK_WIDGET(self->proxy_row), TRUE);
    mark_error(GTK_WIDGET(self->proxy_status_row), TRUE);
    adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self->proxy_status_row), _("Not used"));
    adw_action_row_set_subtitle(self->proxy_status_row, why);
}

/* New clients for the downloads from now on, with the proxy and transfers of `settings`; the
 * running ones keep theirs (rt_service_remake()). FALSE (the library's words in `why`) when
 * the library refuses them. */
static gboolean remake_clients(RtPreferences *self, const char *proxy, guint transfers, char **why)
{
    g_autoptr(GError) error = NULL;
    RtService *service =
        rt_service_remake(rt_queue_get_service(self->queue), proxy, (int)transfers, &error);
    if (!service) {
        *why = g_strdup(error->message);
        return FALSE;
    }
    rt_queue_set_service(self->queue, service);
    rt_service_unref(service);
    return TRUE;
}

static void proxy_apply_cb(RtPreferences *self)
{
    g_autofree char *text =
        g_strstrip(g_strdup(gtk_editable_get_text(GTK_EDITABLE(self->proxy_row))));
    g_autofree char *why = NULL;
    if (!rt_settings_check_proxy(text, &why) ||
        !remake_clients(self, text, self->settings->transfers, &why)) {
        proxy_changed_cb(self); /* says why, in red */
        if (why) {
            mark_error(GTK_WIDGET(self->proxy_status_row), TRUE);
            adw_action_row_set_subtitle(self->proxy_status_row, why);
        }
        return;
    }
    g_free(self->settings->proxy);
    self->settings->proxy = g_steal_pointer(&text);
    show_proxy_in_use(self);
    save(self);
}

/* ---- Every other row ------------------------------------------------------------------------- */

/* The spin button's MB/s (as the window shows sizes: 1 MB is 1,000,000 bytes) in bytes. */
static guint64 limit_from_spin(GtkSpinButton *spin)
{
    double megabytes = gtk_spin_button_get_value(spin);
    return megabytes > 0 ? (guint64)(megabytes * 1e6 + 0.5) : 0;
}

static enum rt_container chosen_format(AdwComboRow *row, const RtFormatChoice *table, guint count)
{
    guint selected = adw_combo_row_get_selected(row);
    return table[selected < count ? selected : 0].container;
}

static void changed_cb(RtPreferences *self)
{
    if (self->loading)
        return;
    RtSettings *settings = self->settings;
    const char *const *qualities = rt_settings_qualities();
    guint quality = adw_combo_row_get_selected(self->quality_row);
    if (quality < g_strv_length((char **)qualities)) {
        g_free(settings->quality);
        settings->quality = g_strdup(qualities[quality]);
    }
    guint codec = adw_combo_row_get_selected(self->codec_row);
    settings->codec =
        codec >= 1 && codec <= G_N_ELEMENTS(codecs) ? codecs[codec - 1] : RT_CODEC_UNKNOWN;
    guint count;
    const RtFormatChoice *video = rt_settings_video_formats(&count);
    settings->container = chosen_format(self->container_row, video, count);
    const RtFormatChoice *audio = rt_settings_audio_formats(&count);
    settings->audio = chosen_format(self->audio_row, audio, count);
    settings->audio_only = gtk_switch_get_active(self->audio_switch);
    gtk_widget_set_sensitive(GTK_WIDGET(self->audio_row), settings->audio_only);
    gtk_widget_set_sensitive(GTK_WIDGET(self->container_row), !settings->audio_only);
    gtk_widget_set_sensitive(GTK_WIDGET(self->quality_row), !settings->audio_only);
    gtk_widget_set_sensitive(GTK_WIDGET(self->codec_row), !settings->audio_only);
    settings->subtitles = gtk_switch_get_active(self->subtitles_switch);
    settings->thumbnail = gtk_switch_get_active(self->thumbnail_switch);

    settings->parallel = (guint)gtk_spin_button_get_value_as_int(self->parallel_spin);
    rt_queue_set_running_max(self->queue, settings->parallel); /* more start, or wait */
    guint64 limit = limit_from_spin(self->limit_spin);
    if (limit != settings->limit_rate) {
        settings->limit_rate = limit;
        rt_service_set_limit_rate(rt_queue_get_service(self->queue), limit); /* running too */
    }
    template_changed_cb(self); /* the example's extension follows the format */
    save(self);
}

static void network_changed_cb(RtPreferences *self)
{
    if (self->loading)
        return;
    guint transfers = (guint)gtk_spin_button_get_value_as_int(self->transfers_spin);
    g_autofree char *why = NULL;
    if (transfers == self->settings->transfers)
        return;
    if (!remake_clients(self, self->settings->proxy, transfers, &why)) {
        g_warning("%s", why); /* 1..64 is what the spin button allows and the library takes */
        return;
    }
    self->settings->transfers = transfers;
    save(self);
}

/* ---- Life cycle ------------------------------------------------------------------------------ */

static void fill_formats(GtkStringList *list, const RtFormatChoice *table, guint count)
{
    for (guint i = 0; i < count; i++)
        gtk_string_list_append(list, table[i].label);
}

/* The widgets from the settings, without taking it as a change. */
static void load(RtPreferences *self)
{
    const RtSettings *settings = self->settings;
    self->loading = TRUE;
    show_folder(self);
    const char *const *qualities = rt_settings_qualities();
    const char *const *labels = rt_settings_quality_labels();
    for (guint i = 0; qualities[i]; i++) {
        gtk_string_list_append(self->quality_list, _(labels[i]));
        if (strcmp(qualities[i], settings->quality) == 0)
            adw_combo_row_set_selected(self->quality_row, i);
    }
    gtk_string_list_append(self->codec_list, _("Most compatible"));
    for (guint i = 0; i < G_N_ELEMENTS(codecs); i++) {
        gtk_string_list_append(self->codec_list, rt_codec_name(codecs[i]));
        if (codecs[i] == settings->codec)
            adw_combo_row_set_selected(self->codec_row, i + 1);
    }
    guint count;
    const RtFormatChoice *video = rt_settings_video_formats(&count);
    fill_formats(self->container_list, video, count);
    adw_combo_row_set_selected(self->container_row,
                               rt_settings_format_position(video, count, settings->container));
    const RtFormatChoice *audio = rt_settings_audio_formats(&count);
    fill_formats(self->audio_list, audio, count);
    adw_combo_row_set_selected(self->audio_row,
                               rt_settings_format_position(audio, count, settings->audio));
    gtk_switch_set_active(self->audio_switch, settings->audio_only);
    gtk_widget_set_sensitive(GTK_WIDGET(self->audio_row), settings->audio_only);
    gtk_widget_set_sensitive(GTK_WIDGET(self->container_row), !settings->audio_only);
    gtk_widget_set_sensitive(GTK_WIDGET(self->quality_row), !settings->audio_only);
    gtk_widget_set_sensitive(GTK_WIDGET(self->codec_row), !settings->audio_only);
    gtk_switch_set_active(self->subtitles_switch, settings->subtitles);
    gtk_switch_set_active(self->thumbnail_switch, settings->thumbnail);
    gtk_spin_button_set_value(self->parallel_spin, settings->parallel);
    gtk_spin_button_set_value(self->transfers_spin, settings->transfers);
    gtk_spin_button_set_value(self->limit_spin, (double)settings->limit_rate / 1e6);
    gtk_editable_set_text(GTK_EDITABLE(self->template_row), settings->name_template);
    template_changed_cb(self);
    gtk_editable_set_text(GTK_EDITABLE(self->proxy_row), settings->proxy);
    show_proxy_in_use(self);
    self->loading = FALSE;
}

static void rt_preferences_dispose(GObject *object)
{
    gtk_widget_dispose_template(GTK_WIDGET(object), RT_TYPE_PREFERENCES);
    G_OBJECT_CLASS(rt_preferences_parent_class)->dispose(object);
}

static void rt_preferences_class_init(RtPreferencesClass *klass)
{
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    G_OBJECT_CLASS(klass)->dispose = rt_preferences_dispose;
    signals[CHANGED] = g_signal_new("changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                    NULL, NULL, G_TYPE_NONE, 0);

    gtk_widget_class_set_template_from_resource(widget_class,
                                                "/io/github/RutubeDl/rt-preferences.ui");
#define BIND(name) gtk_widget_class_bind_template_child(widget_class, RtPreferences, name)
    BIND(folder_row);
    BIND(folder_button);
    BIND(template_row);
    BIND(template_example_row);
    BIND(quality_row);
    BIND(quality_list);
    BIND(codec_row);
    BIND(codec_list);
    BIND(container_row);
    BIND(container_list);
    BIND(audio_switch);
    BIND(audio_row);
    BIND(audio_list);
    BIND(subtitles_switch);
    BIND(thumbnail_switch);
    BIND(parallel_spin);
    BIND(transfers_spin);
    BIND(limit_spin);
    BIND(proxy_row);
    BIND(proxy_status_row);
#undef BIND
    gtk_widget_class_bind_template_callback(widget_class, folder_clicked_cb);
    gtk_widget_class_bind_template_callback(widget_class, template_changed_cb);
    gtk_widget_class_bind_template_callback(widget_class, changed_cb);
    gtk_widget_class_bind_template_callback(widget_class, network_changed_cb);
    gtk_widget_class_bind_template_callback(widget_class, proxy_changed_cb);
    gtk_widget_class_bind_template_callback(widget_class, proxy_apply_cb);
}

static void rt_preferences_init(RtPreferences *self)
{
    gtk_widget_init_template(GTK_WIDGET(self));
}

RtPreferences *rt_preferences_present(GtkApplication *app, GtkWindow *parent, RtSettings *settings,
                                      RtQueue *queue)
{
    for (GList *l = gtk_application_get_windows(app); l; l = l->next)
        if (RT_IS_PREFERENCES(l->data)) {
            gtk_window_present(GTK_WINDOW(l->data));
            return RT_PREFERENCES(l->data);
        }
    RtPreferences *self = g_object_new(RT_TYPE_PREFERENCES, "application", app, "transient-for",
                                       parent, "modal", parent != NULL, NULL);
    self->settings = settings;
    self->queue = queue;
    load(self);
    gtk_window_present(GTK_WINDOW(self));
    return self;
}
