/* The main window: an address, what it names, where to save it, and the downloads. */
#include "rt-window.h"

#include <glib/gi18n.h>
#include <string.h>

#include "rt-job-row.h"
#include "rt-link-offer.h"
#include "rt-links.h"
#include "rt-lookup.h"
#include "rt-picker.h"
#include "rt-preferences.h"
#include "rt-text.h"

struct _RtWindow {
    AdwApplicationWindow parent_instance;

    RtQueue *queue;       /* borrowed from the application; its service makes the lookups */
    RtSettings *settings; /* borrowed; saved here when changed */

    GCancellable *lookup_cancellable; /* the lookup under way, if any */
    char *lookup_address;             /* the address last looked up, for Retry */
    RtLookup *lookup;                 /* what the card shows, or NULL */
    char **quality_specs;             /* rt_format_choose() words, one per dropdown item */
    RtJob *current_job;               /* the download the big button started last */
    gboolean loading_settings;        /* filling the widgets: not a change to save */
    RtLinks *links;                   /* the clipboard, drops, the command line */

    /* Template children. */
    GtkEntry *address_entry;
    GtkButton *info_button;
    RtLinkOffer *link_offer;
    GtkRevealer *error_revealer;
    GtkLabel *error_title;
    GtkLabel *error_detail;
    GtkButton *retry_button;
    GtkStack *info_stack;
    GtkSpinner *spinner;
    GtkPicture *thumbnail_picture;
    GtkImage *thumbnail_placeholder;
    GtkLabel *title_label;
    GtkLabel *author_label;
    GtkLabel *duration_label;
    GtkDropDown *quality_dropdown;
    RtPicker *picker; /* a list's videos with check boxes */
    GtkStringList *quality_list;
    AdwActionRow *folder_row;
    AdwActionRow *format_row;
    AdwExpanderRow *options_row;
    AdwEntryRow *section_row;
    AdwActionRow *chapters_row;
    GtkSwitch *chapters_switch;
    AdwActionRow *split_row;
    GtkSwitch *split_switch;
    GtkButton *download_button;
    AdwPreferencesGroup *queue_group;
    GtkButton *clear_button;
    GtkListBox *queue_list;
};

G_DEFINE_TYPE(RtWindow, rt_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- Errors ---------------------------------------------------------------------------------- */

static void show_error(RtWindow *self, const char *title, const char *detail, gboolean can_retry)
{
    g_autofree char *shown = rt_text_shown(detail); /* it quotes RuTube's words */
    gtk_label_set_text(self->error_title, title);
    gtk_label_set_text(self->error_detail, shown);
    gtk_widget_set_visible(GTK_WIDGET(self->error_detail), detail && detail[0]);
    gtk_widget_set_visible(GTK_WIDGET(self->retry_button), can_retry);
    /* Hidden, not only folded: a folded revealer still measures its wrapping labels. */
    gtk_widget_set_visible(GTK_WIDGET(self->error_revealer), TRUE);
    gtk_revealer_set_reveal_child(self->error_revealer, TRUE);
}

static void hide_error(RtWindow *self)
{
    gtk_revealer_set_reveal_child(self->error_revealer, FALSE);
    gtk_widget_set_visible(GTK_WIDGET(self->error_revealer), FALSE);
}

/* ---- The big button: Download (Record), or Cancel (Stop) while its download runs ------------ */

/* Whether the card shows a live stream on the air. */
static gboolean is_on_air(RtWindow *self)
{
    return self->lookup && self->lookup->video && self->lookup->video->on_air;
}

static void update_download_button(RtWindow *self)
{
    GtkWidget *button = GTK_WIDGET(self->download_button);
    if (self->current_job && rt_job_is_active(self->current_job)) {
        /* A recording has no end of its own: the button ends it, and the file is kept. */
        gboolean live = rt_job_is_live(self->current_job);
        gtk_button_set_label(self->download_button, live ? _("_Stop") : _("_Cancel"));
        gtk_widget_set_tooltip_text(button, live ? _("Stop and save the recording") : NULL);
        gtk_widget_remove_css_class(button, "suggested-action");
        gtk_widget_add_css_class(button, "destructive-action");
        gtk_widget_set_sensitive(button, TRUE);
        return;
    }
    gtk_widget_set_tooltip_text(button, NULL);
    gtk_widget_remove_css_class(button, "destructive-action");
    gtk_widget_add_css_class(button, "suggested-action");
    if (self->lookup && self->lookup->collection) {
        guint n = rt_picker_get_checked(self->picker); /* the checked ones only */
        g_autofree char *label =
            g_strdup_printf(ngettext("_Download %u video", "_Download %u videos", n), n);
        gtk_button_set_label(self->download_button, label);
        gtk_widget_set_sensitive(button, n > 0);
    } else {
        gtk_button_set_label(self->download_button,
                             is_on_air(self) ? _("_Record") : _("_Download"));
        gtk_widget_set_sensitive(button, self->lookup != NULL);
    }
}

static void current_job_state_cb(RtJob *job, GParamSpec *pspec, RtWindow *self)
{
    update_download_button(self);
}

static void set_current_job(RtWindow *self, RtJob *job)
{
    if (self->current_job)
        g_signal_handlers_disconnect_by_data(self->current_job, self);
    g_set_object(&self->current_job, job);
    if (job) {
        g_signal_connect(job, "notify::is-active", G_CALLBACK(current_job_state_cb), self);
        g_signal_connect(job, "notify::is-live", G_CALLBACK(current_job_state_cb), self);
    }
    update_download_button(self);
}

/* ---- Settings -------------------------------------------------------------------------------- */

static void show_folder(RtWindow *self)
{
    const char *folder = self->settings->folder;
    const char *home = g_get_home_dir();
    size_t home_len = strlen(home);
    g_autofree char *shown = NULL;
    /* "~/Videos" reads better than "/home/anna/Videos" and fits the row. */
    /* (Not home itself: a lone "~" is narrower than the ellipsis the row keeps room for.) */
    if (strncmp(folder, home, home_len) == 0 && folder[home_len] == '/' && folder[home_len + 1])
        shown = g_strconcat("~", folder + home_len, NULL);
    else
        shown = g_filename_display_name(folder);
    adw_action_row_set_subtitle(self->folder_row, shown);
    gtk_widget_set_tooltip_text(GTK_WIDGET(self->folder_row), folder);
}

/* The defaults the Preferences window keeps, in one line: "MP4 · subtitles · thumbnail · at most
 * 2.5 MB/s". The card shows them, it does not change them: one place for each setting. */
static char *defaults_summary(const RtSettings *settings)
{
    guint count;
    const RtFormatChoice *formats = settings->audio_only ? rt_settings_audio_formats(&count)
                                                         : rt_settings_video_formats(&count);
    const RtFormatChoice *format =
        &formats[rt_settings_format_position(formats, count, rt_settings_container(settings))];
    GString *summary = g_string_new(NULL);
    if (settings->audio_only)
        /* TRANSLATORS: the format in the card's summary: "Audio only (MP3)". */
        g_string_printf(summary, _("Audio only (%s)"), format->label);
    else
        g_string_assign(summary, format->label);
    if (settings->subtitles)
        g_string_append_printf(summary, " · %s", _("subtitles"));
    if (settings->thumbnail)
        g_string_append_printf(summary, " · %s", _("thumbnail"));
    if (settings->limit_rate > 0) {
        g_autofree char *rate = rt_text_size(settings->limit_rate);
        /* TRANSLATORS: the speed limit in the card's summary: "at most 2.5 MB/s". */
        g_autofree char *limit = g_strdup_printf(_("at most %s/s"), rate);
        g_string_append_printf(summary, " · %s", limit);
    }
    return g_string_free(summary, FALSE);
}

/* The folded row of this video's choices says what they are: "chapters", "a file per
 * chapter". Chapters go into an MP4 or MKV only: with TS the switch has nothing to do, and
 * says so by being greyed. */
static void show_options(RtWindow *self)
{
    const RtSettings *settings = self->settings;
    gboolean ts = rt_settings_container(settings) == RT_CONTAINER_TS;
    g_autofree char *defaults = defaults_summary(settings);
    adw_action_row_set_subtitle(self->format_row, defaults);
    const char *summary = "";
    if (settings->split_chapters && !ts)
        summary = _("a file per chapter");
    else if (settings->chapters && !ts)
        summary = _("chapters");
    adw_expander_row_set_subtitle(self->options_row, summary);
    gtk_widget_set_sensitive(GTK_WIDGET(self->chapters_row), !ts && !settings->split_chapters);
    /* A file per chapter, or a part: not both; and a TS file is not cut at all. A live stream
     * is recorded whole, as it comes: neither. */
    gboolean live = is_on_air(self);
    gtk_widget_set_sensitive(GTK_WIDGET(self->split_row), !ts && !live);
    gtk_widget_set_sensitive(GTK_WIDGET(self->section_row),
                             (ts || !settings->split_chapters) && !live);
    /* The audio alone comes from the cheapest quality with the best sound: no choice to make. */
    gtk_widget_set_sensitive(GTK_WIDGET(self->quality_dropdown), !settings->audio_only);
}

static void save_settings(RtWindow *self)
{
    g_autoptr(GError) error = NULL;
    if (!rt_settings_save(self->settings, &error))
        g_warning("cannot save the settings: %s", error->message);
}

static void options_changed_cb(RtWindow *self)
{
    if (self->loading_settings)
        return;
    self->settings->chapters = gtk_switch_get_active(self->chapters_switch);
    self->settings->split_chapters = gtk_switch_get_active(self->split_switch);
    show_options(self);
    save_settings(self);
}

/* How to save, from the settings and the part asked for; FALSE (the error shown) when that
 * part cannot be read. `live`: a stream on the air, recorded whole. */
static gboolean job_options(RtWindow *self, gboolean live, RtJobOptions *opts)
{
    enum rt_container container = rt_settings_container(self->settings);
    *opts = (RtJobOptions){self->settings->folder,
                           container,
                           self->settings->subtitles,
                           self->settings->thumbnail,
                           self->settings->chapters,
                           0,
                           0,
                           self->settings->split_chapters && !live && container != RT_CONTAINER_TS,
                           self->settings->name_template};
    g_autofree char *part =
        g_strstrip(g_strdup(gtk_editable_get_text(GTK_EDITABLE(self->section_row))));
    struct rt_error err = {0};
    /* A file per chapter (or a live stream) greys the part out: what it still says is not
     * asked for. */
    if (opts->split_chapters || live)
        part[0] = '\0';
    if (part[0] &&
        rt_section_parse(part, &opts->section_start, &opts->section_end, &err) != RT_OK) {
        gtk_widget_add_css_class(GTK_WIDGET(self->section_row), "error");
        show_error(self, _("The part to download is not a time range such as 1:00-2:30."),
                   err.message, FALSE);
        return FALSE;
    }
    if (gtk_widget_has_css_class(GTK_WIDGET(self->section_row), "error")) {
        gtk_widget_remove_css_class(GTK_WIDGET(self->section_row), "error");
        hide_error(self); /* the complaint about the part is answered */
    }
    return TRUE;
}

/* ---- What an address names ------------------------------------------------------------------- */

/* The dropdown's items, `selected` chosen (the default quality's). */
static void set_qualities(RtWindow *self, const char *const *labels, char **specs, guint selected)
{
    guint old = g_list_model_get_n_items(G_LIST_MODEL(self->quality_list));
    gtk_string_list_splice(self->quality_list, 0, old, labels);
    g_strfreev(self->quality_specs);
    self->quality_specs = specs;
    gtk_drop_down_set_selected(self->quality_dropdown, selected);
}

/* The duration line as a red "Live now" badge, or back to a dim line of numbers. */
static void show_live_badge(RtWindow *self, gboolean live)
{
    GtkWidget *label = GTK_WIDGET(self->duration_label);
    if (live) {
        gtk_widget_remove_css_class(label, "dim-label");
        gtk_widget_add_css_class(label, "live-badge");
    } else {
        gtk_widget_remove_css_class(label, "live-badge");
        gtk_widget_add_css_class(label, "dim-label");
    }
}

static void show_video(RtWindow *self, const RtLookup *lookup)
{
    const struct rt_video *video = lookup->video;
    g_autofree char *title = rt_text_shown(video->title[0] ? video->title : video->id);
    g_autofree char *author = rt_text_shown(video->author);
    gtk_label_set_text(self->title_label, title);
    gtk_widget_set_tooltip_text(GTK_WIDGET(self->title_label), title);
    gtk_label_set_text(self->author_label, author);
    gtk_widget_set_visible(GTK_WIDGET(self->author_label), video->author[0] != '\0');
    g_autofree char *duration = rt_text_duration(video->duration);
    /* On the air there is no length yet: a badge says why, and what Record will do. */
    gtk_label_set_text(self->duration_label, video->on_air ? _("Live now") : duration);
    gtk_widget_set_visible(GTK_WIDGET(self->duration_label), video->on_air || video->duration > 0);
    show_live_badge(self, video->on_air);
    gtk_picture_set_paintable(self->thumbnail_picture, GDK_PAINTABLE(lookup->thumbnail));
    gtk_image_set_from_icon_name(self->thumbnail_placeholder, "video-x-generic-symbolic");
    gtk_widget_set_visible(GTK_WIDGET(self->thumbnail_placeholder), lookup->thumbnail == NULL);

    /* The best first; chosen, the one the default quality (Preferences) picks, as the
     * command's -q would. */
    size_t n = video->format_count;
    g_autofree char *spec = rt_settings_quality_spec(self->settings);
    size_t chosen = n - 1;
    if (rt_text_choose_quality(video, spec, &chosen, NULL) != RT_OK)
        chosen = n - 1;
    g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func(g_free);
    char **specs = g_new0(char *, n + 1);
    for (size_t i = 0; i < n; i++) {
        size_t index = n - 1 - i;
        g_ptr_array_add(labels, rt_text_quality(video, &video->formats[index]));
        specs[i] = rt_text_quality_spec(video, index);
    }
    g_ptr_array_add(labels, NULL);
    set_qualities(self, (const char *const *)labels->pdata, specs, (guint)(n - 1 - chosen));
}

static const char *collection_kind(enum rt_target_kind kind)
{
    switch (kind) {
    case RT_TARGET_PLAYLIST:
        return _("Playlist");
    case RT_TARGET_CHANNEL:
    case RT_TARGET_CHANNEL_NAME:
        return _("Channel");
    case RT_TARGET_PERSON:
        return _("Author's videos");
    case RT_TARGET_TAG:
        return _("Tag");
    case RT_TARGET_SERIES:
        return _("Series");
    default:
        return _("Videos");
    }
}

static void show_collection(RtWindow *self, const RtLookup *lookup)
{
    const struct rt_collection *list = lookup->collection;
    g_autofree char *title =
        g_strdup_printf("%s %s", collection_kind(lookup->target.kind), lookup->target.id);
    gtk_label_set_text(self->title_label, title);
    gtk_widget_set_tooltip_text(GTK_WIDGET(self->title_label), title);
    g_autofree char *author = rt_text_shown(list->count > 0 ? list->entries[0].author : "");
    gtk_label_set_text(self->author_label, author);
    gtk_widget_set_visible(GTK_WIDGET(self->author_label), author[0] != '\0');
    double seconds = 0;
    for (size_t i = 0; i < list->count; i++)
        seconds += list->entries[i].duration;
    g_autofree char *total = rt_text_duration(seconds);
    g_autofree char *count =
        g_strdup_printf(ngettext("%zu video", "%zu videos", list->count), list->count);
    g_autofree char *line = seconds > 0 ? g_strdup_printf("%s · %s", count, total) : NULL;
    gtk_label_set_text(self->duration_label, line ? line : count);
    gtk_widget_set_visible(GTK_WIDGET(self->duration_label), TRUE);
    show_live_badge(self, FALSE);
    gtk_picture_set_paintable(self->thumbnail_picture, NULL);
    gtk_image_set_from_icon_name(self->thumbnail_placeholder, "view-list-symbolic");
    gtk_widget_set_visible(GTK_WIDGET(self->thumbnail_placeholder), TRUE);

    /* Each video has its own qualities: the choice is a rule, as with the command's -q (with
     * the codec preferred, as --prefer-codec), the default one chosen. */
    const char *const *words = rt_settings_qualities();
    const char *const *names = rt_settings_quality_labels();
    guint n = g_strv_length((char **)words), selected = 0;
    const char **labels = g_new0(const char *, n + 1);
    char **specs = g_new0(char *, n + 1);
    for (guint i = 0; i < n; i++) {
        labels[i] = _(names[i]); /* "1080p" is in no catalogue: it stays as it is */
        specs[i] = self->settings->codec == RT_CODEC_UNKNOWN
                       ? g_strdup(words[i])
                       : g_strdup_printf("%s:%s", words[i], rt_codec_name(self->settings->codec));
        if (strcmp(words[i], self->settings->quality) == 0)
            selected = i;
    }
    set_qualities(self, labels, specs, selected);
    g_free(labels);
    rt_picker_set_collection(self->picker, list, lookup->target.kind);
}

static void lookup_done_cb(GObject *source, GAsyncResult *result, gpointer data)
{
    RtWindow *self = RT_WINDOW(source);
    g_autoptr(GError) error = NULL;
    RtLookup *lookup = rt_lookup_run_finish(result, &error);
    g_application_release(g_application_get_default());
    if (!lookup)
        return; /* cancelled: a newer lookup or the window's end took over */
    g_clear_object(&self->lookup_cancellable);
    gtk_spinner_stop(self->spinner);
    if (lookup->code != RT_OK) {
        show_error(self, rt_text_error(lookup->code), lookup->message,
                   rt_text_error_is_transient(lookup->code));
        gtk_stack_set_visible_child_name(self->info_stack, "empty");
        rt_lookup_free(lookup);
        update_download_button(self);
        return;
    }
    g_clear_pointer(&self->lookup, rt_lookup_free);
    self->lookup = lookup;
    if (lookup->video)
        show_video(self, lookup);
    else
        show_collection(self, lookup);
    gtk_stack_set_visible_child_name(self->info_stack, "video");
    gtk_widget_set_visible(GTK_WIDGET(self->picker), lookup->collection != NULL);
    show_options(self); /* a live stream greys out the part and a file per chapter */
    update_download_button(self);
    /* A second Enter in the address field now downloads; so does Space on the button. */
    GtkWidget *focus = gtk_root_get_focus(GTK_ROOT(self));
    GtkWidget *entry = GTK_WIDGET(self->address_entry);
    gboolean in_entry = focus && (focus == entry || gtk_widget_is_ancestor(focus, entry));
    if (gtk_widget_get_sensitive(GTK_WIDGET(self->download_button)) && !in_entry)
        gtk_widget_grab_focus(GTK_WIDGET(self->download_button));
}

static void start_lookup(RtWindow *self, const char *address)
{
    if (self->lookup_cancellable)
        g_cancellable_cancel(self->lookup_cancellable);
    g_clear_object(&self->lookup_cancellable);
    self->lookup_cancellable = g_cancellable_new();
    char *copy = g_strdup(address); /* `address` may be lookup_address itself (Retry) */
    g_free(self->lookup_address);
    self->lookup_address = copy;
    g_clear_pointer(&self->lookup, rt_lookup_free);
    gtk_widget_set_visible(GTK_WIDGET(self->picker), FALSE);
    show_options(self);
    hide_error(self);
    gtk_stack_set_visible_child_name(self->info_stack, "loading");
    gtk_spinner_start(self->spinner);
    update_download_button(self);
    /* The program does not end under a worker still using the library. */
    g_application_hold(g_application_get_default());
    rt_lookup_run_async(self, rt_queue_get_service(self->queue), self->lookup_address,
                        self->lookup_cancellable, lookup_done_cb, NULL);
}

/* Several addresses at once: each video goes straight to the queue, in the best quality. */
static void queue_addresses(RtWindow *self, char **addresses)
{
    g_autoptr(GString) refused = g_string_new(NULL);
    guint refused_count = 0;
    RtJobOptions opts;
    if (!job_options(self, FALSE, &opts))
        return;
    /* No card to choose on: the default quality. */
    g_autofree char *quality = rt_settings_quality_spec(self->settings);
    for (char **address = addresses; *address; address++) {
        struct rt_target target;
        struct rt_error err = {0};
        if (rt_target_parse(*address, &target, &err) != RT_OK) {
            g_string_append_printf(refused, "%s%s — %s", refused->len ? "\n" : "", *address,
                                   rt_text_error(err.code));
            refused_count++;
        } else if (rt_target_is_collection(&target)) {
            g_string_append_printf(refused, "%s%s — %s", refused->len ? "\n" : "", *address,
                                   _("a list of videos: paste it alone to see what it holds"));
            refused_count++;
        } else {
            g_autoptr(RtJob) job = rt_job_new(*address, quality, NULL, &opts);
            rt_queue_add(self->queue, job);
        }
    }
    gtk_editable_set_text(GTK_EDITABLE(self->address_entry), "");
    if (refused_count > 0) {
        g_autofree char *title = g_strdup_printf(
            ngettext("%u line is not a video address and was left out",
                     "%u lines are not video addresses and were left out", refused_count),
            refused_count);
        show_error(self, title, refused->str, FALSE);
    } else {
        hide_error(self);
    }
}

void rt_window_submit(RtWindow *self, const char *text)
{
    g_auto(GStrv) addresses = rt_text_split_addresses(text);
    guint n = g_strv_length(addresses);
    if (n == 0) {
        show_error(self, _("Paste a RuTube address first."), NULL, FALSE);
    } else if (n == 1) {
        /* From outside (a drop, the clipboard's offer, the command line) it shows as typed. */
        GtkEditable *entry = GTK_EDITABLE(self->address_entry);
        if (g_strcmp0(gtk_editable_get_text(entry), addresses[0]) != 0)
            gtk_editable_set_text(entry, addresses[0]);
        start_lookup(self, addresses[0]);
    } else {
        queue_addresses(self, addresses);
    }
}

/* ---- Signal handlers from the template --------------------------------------------------------
 */

static void download_clicked_cb(RtWindow *self);

static void address_activate_cb(RtWindow *self)
{
    const char *text = gtk_editable_get_text(GTK_EDITABLE(self->address_entry));
    g_autofree char *trimmed = g_strstrip(g_strdup(text));
    /* Enter on the address already shown downloads it: Ctrl+V, Enter, Enter. */
    if (self->lookup && g_strcmp0(trimmed, self->lookup->address) == 0 &&
        !(self->current_job && rt_job_is_active(self->current_job))) {
        download_clicked_cb(self);
        return;
    }
    rt_window_submit(self, text);
}

static void info_clicked_cb(RtWindow *self)
{
    rt_window_submit(self, gtk_editable_get_text(GTK_EDITABLE(self->address_entry)));
}

static void retry_clicked_cb(RtWindow *self)
{
    if (self->lookup_address)
        start_lookup(self, self->lookup_address);
}

/* Whether `job` is what the window would start now, so Download continues it instead. */
static gboolean is_same_download(RtJob *job, const char *address, const char *quality,
                                 const RtJobOptions *opts)
{
    const RtJobOptions *had = rt_job_get_options(job);
    return g_strcmp0(rt_job_get_address(job), address) == 0 &&
           g_strcmp0(rt_job_get_quality(job), quality) == 0 &&
           g_strcmp0(had->folder, opts->folder) == 0 && had->container == opts->container &&
           had->subtitles == opts->subtitles && had->thumbnail == opts->thumbnail &&
           had->section_start == opts->section_start && had->section_end == opts->section_end &&
           had->chapters == opts->chapters && had->split_chapters == opts->split_chapters &&
           g_strcmp0(had->name_template, opts->name_template) == 0;
}

static void download_clicked_cb(RtWindow *self)
{
    if (self->current_job && rt_job_is_active(self->current_job)) {
        if (rt_job_is_live(self->current_job))
            rt_job_stop(self->current_job); /* the recording so far is saved */
        else
            rt_job_cancel(self->current_job);
        return;
    }
    if (!self->lookup || !self->quality_specs)
        return;
    guint position = gtk_drop_down_get_selected(self->quality_dropdown);
    if (position >= g_strv_length(self->quality_specs))
        position = 0;
    const char *spec = self->quality_specs[position];
    RtJobOptions opts;
    if (!job_options(self, is_on_air(self), &opts))
        return;

    if (self->lookup->collection) {
        /* The checked videos, in the order the list shows them. */
        g_autoptr(GPtrArray) checked = rt_picker_get_checked_items(self->picker);
        for (guint i = 0; i < checked->len; i++) {
            RtPickerItem *item = checked->pdata[i];
            const char *title = rt_picker_item_get_raw_title(item);
            g_autoptr(RtJob) job =
                rt_job_new(rt_picker_item_get_url(item), spec, title[0] ? title : NULL, &opts);
            rt_queue_add(self->queue, job);
        }
        return;
    }
    RtJob *previous = self->current_job;
    RtJobState state = previous ? rt_job_get_state(previous) : RT_JOB_WAITING;
    if (previous && (state == RT_JOB_CANCELLED || state == RT_JOB_FAILED) &&
        is_same_download(previous, self->lookup->address, spec, &opts)) {
        rt_queue_retry(self->queue, previous); /* the library continues the .part */
        update_download_button(self);
        return;
    }
    const struct rt_video *video = self->lookup->video;
    g_autoptr(RtJob) job =
        rt_job_new(self->lookup->address, spec, video->title[0] ? video->title : NULL, &opts);
    rt_job_set_live(job, video->on_air); /* Stop, not Cancel, from the first moment */
    rt_queue_add(self->queue, job);
    set_current_job(self, job);
}

/* Text pasted with line breaks: one address is trimmed, several go to the queue. */
static gboolean queue_pasted_cb(gpointer data)
{
    gpointer *pair = data;
    RtWindow *self = pair[0];
    queue_addresses(self, pair[1]);
    g_strfreev(pair[1]);
    g_object_unref(self);
    g_free(pair);
    return G_SOURCE_REMOVE;
}

static void insert_text_cb(GtkEditable *editable, const char *text, int length, int *position,
                           RtWindow *self)
{
    g_autofree char *copy = g_strndup(text, length < 0 ? strlen(text) : (size_t)length);
    if (!strpbrk(copy, "\r\n"))
        return;
    g_signal_stop_emission_by_name(editable, "insert-text");
    char **addresses = rt_text_split_addresses(copy);
    if (g_strv_length(addresses) <= 1) {
        g_signal_handlers_block_by_func(editable, insert_text_cb, self);
        gtk_editable_insert_text(editable, addresses[0] ? addresses[0] : "", -1, position);
        g_signal_handlers_unblock_by_func(editable, insert_text_cb, self);
        g_strfreev(addresses);
        return;
    }
    /* Not from inside the entry's own insertion: change its text once that is over. */
    gpointer *pair = g_new0(gpointer, 2);
    pair[0] = g_object_ref(self);
    pair[1] = addresses;
    g_idle_add(queue_pasted_cb, pair);
}

static void paste_done_cb(GObject *source, GAsyncResult *result, gpointer data)
{
    RtWindow *self = data;
    g_autofree char *text = gdk_clipboard_read_text_finish(GDK_CLIPBOARD(source), result, NULL);
    if (text) {
        g_auto(GStrv) addresses = rt_text_split_addresses(text);
        if (g_strv_length(addresses) == 1)
            gtk_editable_set_text(GTK_EDITABLE(self->address_entry), addresses[0]);
        rt_window_submit(self, text);
    }
    g_object_unref(self);
}

static void paste_icon_cb(RtWindow *self)
{
    GdkClipboard *clipboard = gtk_widget_get_clipboard(GTK_WIDGET(self->address_entry));
    gdk_clipboard_read_text_async(clipboard, NULL, paste_done_cb, g_object_ref(self));
}

static void queue_changed_cb(GListModel *model, guint position, guint removed, guint added,
                             RtWindow *self)
{
    gtk_widget_set_visible(GTK_WIDGET(self->queue_group), g_list_model_get_n_items(model) > 0);
}

static void clear_clicked_cb(RtWindow *self)
{
    rt_queue_clear_finished(self->queue);
}

static GtkWidget *create_row_cb(gpointer item, gpointer data)
{
    return rt_job_row_new(RT_JOB(item), RT_QUEUE(data));
}

static void focus_address_action(GtkWidget *widget, const char *action, GVariant *parameter)
{
    RtWindow *self = RT_WINDOW(widget);
    gtk_widget_grab_focus(GTK_WIDGET(self->address_entry));
}

/* Ctrl+D: what the big button does, but only ever the start: Cancel and Stop stay a click,
 * not a key pressed by habit. */
static void download_action(GtkWidget *widget, const char *action, GVariant *parameter)
{
    RtWindow *self = RT_WINDOW(widget);
    if (!(self->current_job && rt_job_is_active(self->current_job)))
        download_clicked_cb(self);
}

/* Ctrl+O: the folder is a default, in Preferences: they open, asking for it at once. */
static void choose_folder_action(GtkWidget *widget, const char *action, GVariant *parameter)
{
    GtkApplication *app = gtk_window_get_application(GTK_WINDOW(widget));
    if (!app)
        return;
    g_action_group_activate_action(G_ACTION_GROUP(app), "preferences", NULL);
    for (GList *l = gtk_application_get_windows(app); l; l = l->next)
        if (RT_IS_PREFERENCES(l->data)) {
            rt_preferences_choose_folder(RT_PREFERENCES(l->data));
            break;
        }
}

/* ---- Life cycle --------------------------------------------------------------------------------
 */

static gboolean rt_window_close_request(GtkWindow *window)
{
    RtWindow *self = RT_WINDOW(window);
    GApplication *app = G_APPLICATION(gtk_window_get_application(window));
    /* Running downloads: the application asks first (the same question as Ctrl+Q). */
    if (app && rt_queue_get_active(self->queue) > 0) {
        g_action_group_activate_action(G_ACTION_GROUP(app), "quit", NULL);
        return TRUE;
    }
    return GTK_WINDOW_CLASS(rt_window_parent_class)->close_request(window);
}

static void rt_window_dispose(GObject *object)
{
    RtWindow *self = RT_WINDOW(object);
    if (self->lookup_cancellable)
        g_cancellable_cancel(self->lookup_cancellable);
    g_clear_object(&self->lookup_cancellable);
    if (self->current_job)
        g_signal_handlers_disconnect_by_data(self->current_job, self);
    g_clear_object(&self->current_job);
    if (self->queue)
        g_signal_handlers_disconnect_by_data(rt_queue_get_model(self->queue), self);
    self->queue = NULL;
    g_clear_pointer(&self->links, rt_links_detach);
    g_clear_pointer(&self->lookup, rt_lookup_free);
    g_clear_pointer(&self->lookup_address, g_free);
    g_clear_pointer(&self->quality_specs, g_strfreev);
    gtk_widget_dispose_template(GTK_WIDGET(self), RT_TYPE_WINDOW);
    G_OBJECT_CLASS(rt_window_parent_class)->dispose(object);
}

static void rt_window_class_init(RtWindowClass *klass)
{
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    G_OBJECT_CLASS(klass)->dispose = rt_window_dispose;
    GTK_WINDOW_CLASS(klass)->close_request = rt_window_close_request;

    g_type_ensure(RT_TYPE_PICKER); /* the template names it */
    g_type_ensure(RT_TYPE_LINK_OFFER);
    gtk_widget_class_set_template_from_resource(widget_class, "/io/github/RutubeDl/rt-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child(widget_class, RtWindow, name)
    BIND(address_entry);
    BIND(info_button);
    BIND(link_offer);
    BIND(error_revealer);
    BIND(error_title);
    BIND(error_detail);
    BIND(retry_button);
    BIND(info_stack);
    BIND(spinner);
    BIND(thumbnail_picture);
    BIND(thumbnail_placeholder);
    BIND(title_label);
    BIND(author_label);
    BIND(duration_label);
    BIND(quality_dropdown);
    BIND(quality_list);
    BIND(picker);
    BIND(folder_row);
    BIND(format_row);
    BIND(options_row);
    BIND(section_row);
    BIND(chapters_row);
    BIND(chapters_switch);
    BIND(split_row);
    BIND(split_switch);
    BIND(download_button);
    BIND(queue_group);
    BIND(clear_button);
    BIND(queue_list);
#undef BIND
    gtk_widget_class_bind_template_callback(widget_class, address_activate_cb);
    gtk_widget_class_bind_template_callback(widget_class, paste_icon_cb);
    gtk_widget_class_bind_template_callback(widget_class, info_clicked_cb);
    gtk_widget_class_bind_template_callback(widget_class, retry_clicked_cb);
    gtk_widget_class_bind_template_callback(widget_class, options_changed_cb);
    gtk_widget_class_bind_template_callback(widget_class, download_clicked_cb);
    gtk_widget_class_bind_template_callback(widget_class, clear_clicked_cb);
    gtk_widget_class_bind_template_callback(widget_class, update_download_button);

    gtk_widget_class_install_action(widget_class, "win.focus-address", NULL, focus_address_action);
    gtk_widget_class_add_binding_action(widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                        "win.focus-address", NULL);
    /* Listed in help-overlay.ui, the shortcuts window: a key added here goes there too. */
    gtk_widget_class_install_action(widget_class, "win.download", NULL, download_action);
    gtk_widget_class_add_binding_action(widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "win.download",
                                        NULL);
    gtk_widget_class_install_action(widget_class, "win.choose-folder", NULL, choose_folder_action);
    gtk_widget_class_add_binding_action(widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                        "win.choose-folder", NULL);
}

static void rt_window_init(RtWindow *self)
{
    gtk_widget_init_template(GTK_WIDGET(self));
    GtkEditable *text = gtk_editable_get_delegate(GTK_EDITABLE(self->address_entry));
    g_signal_connect(text, "insert-text", G_CALLBACK(insert_text_cb), self);
    gtk_window_set_focus(GTK_WINDOW(self), GTK_WIDGET(self->address_entry));
}

void rt_window_settings_changed(RtWindow *self)
{
    show_folder(self);
    show_options(self);
}

RtWindow *rt_window_new(GtkApplication *app, RtQueue *queue, RtSettings *settings)
{
    RtWindow *self = g_object_new(RT_TYPE_WINDOW, "application", app, NULL);
    self->queue = queue;
    self->settings = settings;

    self->loading_settings = TRUE;
    show_folder(self);
    gtk_switch_set_active(self->chapters_switch, settings->chapters);
    gtk_switch_set_active(self->split_switch, settings->split_chapters);
    show_options(self);
    self->loading_settings = FALSE;

    GListModel *model = rt_queue_get_model(queue);
    gtk_list_box_bind_model(self->queue_list, model, create_row_cb, queue, NULL);
    g_signal_connect(model, "items-changed", G_CALLBACK(queue_changed_cb), self);
    queue_changed_cb(model, 0, 0, 0, self);
    self->links = rt_links_new(self, self->link_offer);
    return self;
}

RtLinks *rt_window_get_links(RtWindow *self)
{
    return self->links;
}

const char *rt_window_get_address(RtWindow *self)
{
    return gtk_editable_get_text(GTK_EDITABLE(self->address_entry));
}

void rt_window_add_error(RtWindow *self, const char *title, const char *detail)
{
    if (!gtk_revealer_get_reveal_child(self->error_revealer)) {
        show_error(self, title, detail, FALSE);
        return;
    }
    /* Shown already (the lines left out of what came with it): both are said. */
    g_autofree char *titles =
        g_strdup_printf("%s\n%s", gtk_label_get_text(self->error_title), title);
    g_autofree char *details =
        g_strdup_printf("%s\n%s", gtk_label_get_text(self->error_detail), detail ? detail : "");
    gtk_label_set_text(self->error_title, titles);
    gtk_label_set_text(self->error_detail, g_strstrip(details));
    gtk_widget_set_visible(GTK_WIDGET(self->error_detail), details[0] != '\0');
}
