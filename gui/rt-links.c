/* Addresses that come from outside the window: the clipboard when the window opens or gets
 * the focus, links and text files dropped on it, the program's command line. */
#include "rt-links.h"

#include <glib/gi18n.h>
#include <rutube/rutube.h>
#include <string.h>

#include "rt-text.h"

/* Clipboard text longer than this is not a handful of addresses: not even looked at. */
#define OFFER_TEXT_MAX (64 * 1024)
/* A text file of addresses is small; a bigger one dropped by mistake (a video) is not read
 * whole. */
#define LIST_FILE_MAX (1024 * 1024)

struct _RtLinks {
    GObject parent_instance;
    RtWindow *window;           /* NULL once the window is gone */
    RtLinkOffer *offer;         /* borrowed from the window */
    GtkDropTarget *drop_target; /* the window's */
    char *clipboard_seen; /* the clipboard text last read: the same text is not offered twice */
};

G_DEFINE_TYPE(RtLinks, rt_links, G_TYPE_OBJECT)

/* ---- The clipboard ------------------------------------------------------------------------- */

char **rt_links_offerable(const char *text)
{
    if (!text || strlen(text) > OFFER_TEXT_MAX)
        return NULL;
    g_auto(GStrv) lines = rt_text_split_addresses(text);
    if (!lines[0])
        return NULL;
    for (char **line = lines; *line; line++) {
        struct rt_target target;
        struct rt_error err = {0};
        if (!strchr(*line, '/') || rt_target_parse(*line, &target, &err) != RT_OK)
            return NULL;
    }
    return g_steal_pointer(&lines);
}

static void clipboard_read_cb(GObject *source, GAsyncResult *result, gpointer data)
{
    g_autoptr(RtLinks) links = data;
    g_autofree char *text = gdk_clipboard_read_text_finish(GDK_CLIPBOARD(source), result, NULL);
    if (!links->window || !text || g_strcmp0(text, links->clipboard_seen) == 0)
        return;
    g_free(links->clipboard_seen);
    links->clipboard_seen = g_strdup(text);
    g_auto(GStrv) addresses = rt_links_offerable(text);
    /* What the row offered is no longer on the clipboard: it would offer something else. */
    rt_link_offer_hide(links->offer);
    if (!addresses)
        return;
    size_t count = g_strv_length(addresses);
    /* Copied from the address field itself: there is nothing to offer. */
    if (count == 1 && g_strcmp0(addresses[0], rt_window_get_address(links->window)) == 0)
        return;
    rt_link_offer_show(links->offer, text, count, addresses[0]);
}

void rt_links_check_clipboard(RtLinks *links)
{
    g_return_if_fail(RT_IS_LINKS(links));
    if (!links->window)
        return;
    GdkClipboard *clipboard = gtk_widget_get_clipboard(GTK_WIDGET(links->window));
    /* Text only: a copied picture is not fetched to find out it is no address. */
    if (!gdk_content_formats_contain_gtype(gdk_clipboard_get_formats(clipboard), G_TYPE_STRING))
        return;
    gdk_clipboard_read_text_async(clipboard, NULL, clipboard_read_cb, g_object_ref(links));
}

const char *rt_links_get_clipboard_seen(RtLinks *links)
{
    g_return_val_if_fail(RT_IS_LINKS(links), NULL);
    return links->clipboard_seen;
}

static void active_cb(GtkWindow *window, GParamSpec *pspec, RtLinks *links)
{
    if (gtk_window_is_active(window))
        rt_links_check_clipboard(links);
}

static void map_cb(GtkWidget *window, RtLinks *links)
{
    rt_links_check_clipboard(links);
}

static void offer_used_cb(RtLinkOffer *offer, const char *text, RtLinks *links)
{
    if (links->window)
        rt_window_submit(links->window, text);
}

/* ---- Gathering addresses from lines and files ---------------------------------------------- */

/* What was dropped or given, in its order: lines as they are, files once read. */
typedef struct {
    RtLinks *links;    /* a reference */
    GPtrArray *pieces; /* char *: the text of each item, NULL while its file is read */
    GString *problems; /* "name — why", a line each */
    guint problem_count;
    guint pending; /* files still being read */
} Gathering;

static Gathering *gathering_new(RtLinks *links)
{
    Gathering *g = g_new0(Gathering, 1);
    g->links = g_object_ref(links);
    g->pieces = g_ptr_array_new_with_free_func(g_free);
    g->problems = g_string_new(NULL);
    g->pending = 1; /* the caller's own, let go by gathering_done() once everything is asked */
    return g;
}

static void add_problem(Gathering *g, GFile *file, const char *why)
{
    g_autofree char *name = g_file_get_parse_name(file);
    g_string_append_printf(g->problems, "%s%s — %s", g->problems->len ? "\n" : "", name, why);
    g->problem_count++;
}

/* One item is in: when it was the last, the window gets the lines, then hears what could
 * not be read (after: taking lines in clears the window's earlier complaints, and says
 * which of them it left out). */
static void gathering_done(Gathering *g)
{
    if (--g->pending > 0)
        return;
    g_autoptr(GString) text = g_string_new(NULL);
    for (guint i = 0; i < g->pieces->len; i++)
        if (g->pieces->pdata[i])
            g_string_append_printf(text, "%s\n", (char *)g->pieces->pdata[i]);
    RtWindow *window = g->links->window;
    g_auto(GStrv) addresses = rt_text_split_addresses(text->str);
    if (window && addresses[0])
        rt_window_submit(window, text->str);
    if (window && g->problem_count > 0) {
        g_autofree char *title = g_strdup_printf(
            ngettext("%u file could not be read as a list of addresses",
                     "%u files could not be read as lists of addresses", g->problem_count),
            g->problem_count);
        rt_window_add_error(window, title, g->problems->str);
    }
    g_ptr_array_unref(g->pieces);
    g_string_free(g->problems, TRUE);
    g_object_unref(g->links);
    g_free(g);
}

typedef struct {
    Gathering *gathering;
    guint index; /* its place in gathering->pieces */
} FileRead;

/* Stop reading a file once it is bigger than a list of addresses would be. */
static gboolean read_more_cb(const char *contents, goffset size, gpointer data)
{
    return size <= LIST_FILE_MAX;
}

static void file_read_cb(GObject *source, GAsyncResult *result, gpointer data)
{
    FileRead *read = data;
    Gathering *g = read->gathering;
    GFile *file = G_FILE(source);
    g_autofree char *contents = NULL;
    gsize length = 0;
    g_autoptr(GError) error = NULL;
    if (!g_file_load_partial_contents_finish(file, result, &contents, &length, NULL, &error))
        add_problem(g, file, error->message);
    else if (length > LIST_FILE_MAX)
        add_problem(g, file, _("too big for a list of addresses"));
    else if (memchr(contents, '\0', length) || !g_utf8_validate(contents, (gssize)length, NULL))
        add_problem(g, file, _("not a text file"));
    else {
        g_auto(GStrv) lines = rt_text_split_addresses(contents);
        if (!lines[0])
            add_problem(g, file, _("no addresses in it"));
        else
            g_ptr_array_index(g->pieces, read->index) = g_steal_pointer(&contents);
    }
    g_free(read);
    gathering_done(g);
}

static void add_line(Gathering *g, const char *line)
{
    g_ptr_array_add(g->pieces, g_strdup(line));
}

static void add_file(Gathering *g, GFile *file)
{
    FileRead *read = g_new0(FileRead, 1);
    read->gathering = g;
    read->index = g->pieces->len;
    g_ptr_array_add(g->pieces, NULL);
    g->pending++;
    g_file_load_partial_contents_async(file, NULL, read_more_cb, file_read_cb, read);
}

/* A dropped GFile: a local file is a list to read; anything else (https://…) is a link. */
static void add_dropped(Gathering *g, GFile *file)
{
    if (g_file_has_uri_scheme(file, "file")) {
        add_file(g, file);
    } else {
        g_autofree char *uri = g_file_get_uri(file);
        add_line(g, uri);
    }
}

gboolean rt_links_take_value(RtLinks *links, const GValue *value)
{
    g_return_val_if_fail(RT_IS_LINKS(links), FALSE);
    Gathering *g = gathering_new(links);
    gboolean taken = TRUE;
    if (G_VALUE_HOLDS(value, GDK_TYPE_FILE_LIST)) {
        GSList *files = gdk_file_list_get_files(g_value_get_boxed(value));
        for (GSList *l = files; l; l = l->next)
            add_dropped(g, G_FILE(l->data));
        g_slist_free(files);
    } else if (G_VALUE_HOLDS_STRING(value) && g_value_get_string(value)) {
        add_line(g, g_value_get_string(value));
    } else {
        taken = FALSE;
    }
    gathering_done(g);
    return taken;
}

void rt_links_take_arguments(RtLinks *links, const char *const *arguments, const char *cwd)
{
    g_return_if_fail(RT_IS_LINKS(links));
    Gathering *g = gathering_new(links);
    for (const char *const *arg = arguments; arg && *arg; arg++) {
        struct rt_target target;
        struct rt_error err = {0};
        g_autoptr(GFile) file = rt_target_parse(*arg, &target, &err) == RT_OK
                                    ? NULL
                                    : g_file_new_for_commandline_arg_and_cwd(*arg, cwd);
        /* Neither an address nor a file: the window says why it is no address. */
        if (file && g_file_has_uri_scheme(file, "file") &&
            g_file_query_file_type(file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_REGULAR)
            add_file(g, file);
        else
            add_line(g, *arg);
    }
    gathering_done(g);
}

/* ---- Drops --------------------------------------------------------------------------------- */

static gboolean drop_cb(GtkDropTarget *target, const GValue *value, double x, double y,
                        RtLinks *links)
{
    return rt_links_take_value(links, value);
}

/* ---- Life cycle ---------------------------------------------------------------------------- */

RtLinks *rt_links_new(RtWindow *window, RtLinkOffer *offer)
{
    RtLinks *links = g_object_new(RT_TYPE_LINKS, NULL);
    links->window = window;
    links->offer = offer;
    g_signal_connect(window, "notify::is-active", G_CALLBACK(active_cb), links);
    g_signal_connect(window, "map", G_CALLBACK(map_cb), links);
    g_signal_connect(offer, "use", G_CALLBACK(offer_used_cb), links);

    /* Files first: a browser's link comes as text/uri-list, read as a file list of https://
     * addresses; plain text (a selection of lines) is the fallback. */
    GtkDropTarget *target = gtk_drop_target_new(G_TYPE_INVALID, GDK_ACTION_COPY);
    GType types[] = {GDK_TYPE_FILE_LIST, G_TYPE_STRING};
    gtk_drop_target_set_gtypes(target, types, G_N_ELEMENTS(types));
    g_signal_connect(target, "drop", G_CALLBACK(drop_cb), links);
    links->drop_target = target;
    gtk_widget_add_controller(GTK_WIDGET(window), GTK_EVENT_CONTROLLER(target));
    return links;
}

void rt_links_detach(RtLinks *links)
{
    g_signal_handlers_disconnect_by_data(links->window, links);
    g_signal_handlers_disconnect_by_data(links->drop_target, links);
    g_signal_handlers_disconnect_by_data(links->offer, links);
    links->window = NULL;
    g_object_unref(links);
}

static void rt_links_finalize(GObject *object)
{
    g_free(RT_LINKS(object)->clipboard_seen);
    G_OBJECT_CLASS(rt_links_parent_class)->finalize(object);
}

static void rt_links_class_init(RtLinksClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = rt_links_finalize;
}

static void rt_links_init(RtLinks *links)
{
}
