/* The videos of a list with check boxes: which of them to download, and in what order. */
#include "rt-picker.h"

#include <glib/gi18n.h>

#include "cli_batch.h" /* the command's --playlist-items parser: one syntax for both */

struct _RtPicker {
    GtkBox parent_instance;

    GPtrArray *items; /* RtPickerItem, in the list's order (position 1 first) */
    GListStore *rows; /* the same items in the order shown (a new store for each order) */
    guint checked;    /* how many items are checked, kept as they change */
    gboolean is_bulk; /* changing many items: one "changed" at the end */
    gboolean is_reversed;
    gboolean is_filling; /* setting the order dropdown: not the person's choice */

    GtkLabel *count_label;
    GtkButton *all_button;
    GtkButton *none_button;
    GtkDropDown *order_dropdown;
    GtkStringList *order_list;
    GtkEntry *range_entry;
    GtkButton *range_button;
    GtkLabel *range_error;
    GtkLabel *incomplete_label;
    GtkScrolledWindow *list_scroller;
    GtkListView *list_view;
};

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_TYPE(RtPicker, rt_picker, GTK_TYPE_BOX)

/* ---- What is checked ------------------------------------------------------------------------- */

static void show_count(RtPicker *self)
{
    guint total = self->items->len;
    g_autofree char *text =
        total == 0
            ? g_strdup(_("This list has no videos"))
            /* TRANSLATORS: above the list's check boxes: "3 of 5 videos checked"; the
             * plural follows the second number. */
            : g_strdup_printf(ngettext("%u of %u video checked", "%u of %u videos checked", total),
                              self->checked, total);
    gtk_label_set_text(self->count_label, text);
    gtk_widget_set_sensitive(GTK_WIDGET(self->all_button), self->checked < total);
    gtk_widget_set_sensitive(GTK_WIDGET(self->none_button), self->checked > 0);
}

static void emit_changed(RtPicker *self)
{
    show_count(self);
    g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

static void item_checked_cb(RtPickerItem *item, GParamSpec *pspec, RtPicker *self)
{
    if (rt_picker_item_get_checked(item))
        self->checked++;
    else
        self->checked--;
    if (!self->is_bulk)
        emit_changed(self);
}

guint rt_picker_get_total(RtPicker *self)
{
    return self->items->len;
}

guint rt_picker_get_checked(RtPicker *self)
{
    return self->checked;
}

GListModel *rt_picker_get_model(RtPicker *self)
{
    return G_LIST_MODEL(self->rows);
}

GPtrArray *rt_picker_get_checked_items(RtPicker *self)
{
    GPtrArray *checked = g_ptr_array_new_with_free_func(g_object_unref);
    guint n = g_list_model_get_n_items(G_LIST_MODEL(self->rows));
    for (guint i = 0; i < n; i++) {
        RtPickerItem *item = g_list_model_get_item(G_LIST_MODEL(self->rows), i);
        if (rt_picker_item_get_checked(item))
            g_ptr_array_add(checked, item);
        else
            g_object_unref(item);
    }
    return checked;
}

void rt_picker_check_all(RtPicker *self, gboolean checked)
{
    self->is_bulk = TRUE;
    for (guint i = 0; i < self->items->len; i++)
        rt_picker_item_set_checked(self->items->pdata[i], checked);
    self->is_bulk = FALSE;
    emit_changed(self);
}

gboolean rt_picker_check_range(RtPicker *self, const char *spec, char **problem)
{
    struct cli_items wanted;
    char error[RT_ERROR_MESSAGE_SIZE];
    *problem = NULL;
    if (cli_items_parse(spec, &wanted, error, sizeof error) != RT_OK) {
        *problem = g_strdup(error);
        return FALSE;
    }
    gboolean any = FALSE;
    for (guint i = 0; i < self->items->len && !any; i++)
        any = cli_items_contains(&wanted, rt_picker_item_get_position(self->items->pdata[i]));
    if (!any) {
        guint total = self->items->len;
        *problem = g_strdup_printf(
            ngettext("None of these numbers is in the list: it has %u video.",
                     "None of these numbers is in the list: its videos are 1 to %u.", total),
            total);
        cli_items_cleanup(&wanted);
        return FALSE;
    }
    self->is_bulk = TRUE;
    for (guint i = 0; i < self->items->len; i++) {
        RtPickerItem *item = self->items->pdata[i];
        rt_picker_item_set_checked(item,
                                   cli_items_contains(&wanted, rt_picker_item_get_position(item)));
    }
    self->is_bulk = FALSE;
    cli_items_cleanup(&wanted);
    emit_changed(self);
    return TRUE;
}

/* ---- The order ------------------------------------------------------------------------------- */

/*
 * Fill the rows from the items, forwards or backwards, into a new model: the view then starts
 * from its first row. (Reordering the old model would not: the view keeps in sight the row it
 * showed, now at the other end; and gtk_list_view_scroll_to() is GTK 4.12, Debian 12 has 4.8.)
 */
static void fill_rows(RtPicker *self)
{
    guint n = self->items->len;
    g_autofree gpointer *shown = g_new(gpointer, n + 1);
    for (guint i = 0; i < n; i++)
        shown[i] = self->items->pdata[self->is_reversed ? n - 1 - i : i];
    g_clear_object(&self->rows);
    self->rows = g_list_store_new(RT_TYPE_PICKER_ITEM);
    g_list_store_splice(self->rows, 0, 0, shown, n);
    /* No selection: the check boxes are the choice, a highlighted row would be a second one. */
    GtkNoSelection *selection = gtk_no_selection_new(G_LIST_MODEL(g_object_ref(self->rows)));
    gtk_list_view_set_model(self->list_view, GTK_SELECTION_MODEL(selection));
    g_object_unref(selection);
}

void rt_picker_set_reversed(RtPicker *self, gboolean reversed)
{
    if (self->is_reversed == !!reversed)
        return;
    self->is_reversed = !!reversed;
    self->is_filling = TRUE;
    gtk_drop_down_set_selected(self->order_dropdown, self->is_reversed ? 1 : 0);
    self->is_filling = FALSE;
    fill_rows(self);
    emit_changed(self);
}

gboolean rt_picker_get_reversed(RtPicker *self)
{
    return self->is_reversed;
}

/* ---- Rows ------------------------------------------------------------------------------------ */

/* A row is one check button whose child holds the number, the title and the duration: a click
 * anywhere on it toggles, and the whole row is what a screen reader names. */
static GtkWidget *row_new(void)
{
    GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
    GtkWidget *number = gtk_label_new(NULL);
    gtk_label_set_width_chars(GTK_LABEL(number), 3);
    gtk_label_set_xalign(GTK_LABEL(number), 1);
    gtk_widget_add_css_class(number, "dim-label");
    gtk_widget_add_css_class(number, "numeric");
    GtkWidget *title = gtk_label_new(NULL);
    gtk_label_set_xalign(GTK_LABEL(title), 0);
    gtk_label_set_ellipsize(GTK_LABEL(title), PANGO_ELLIPSIZE_END);
    gtk_widget_set_hexpand(title, TRUE);
    GtkWidget *duration = gtk_label_new(NULL);
    gtk_widget_add_css_class(duration, "dim-label");
    gtk_widget_add_css_class(duration, "numeric");
    gtk_box_append(GTK_BOX(box), number);
    gtk_box_append(GTK_BOX(box), title);
    gtk_box_append(GTK_BOX(box), duration);
    GtkWidget *check = gtk_check_button_new();
    gtk_check_button_set_child(GTK_CHECK_BUTTON(check), box);
    gtk_widget_add_css_class(check, "picker-row");
    return check;
}

static void setup_row_cb(GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
    gtk_list_item_set_child(list_item, row_new());
}

/*
 * The window's page scrolls as a whole, and a scrolled page gives each part its minimum
 * height only: without one of its own, the list would shrink to a row or two as soon as the
 * downloads below it fill the page. Its minimum is its rows, up to the list's highest.
 */
static void size_list(RtPicker *self, guint rows)
{
    GtkWidget *probe = row_new(); /* measured where the rows' style applies, then dropped */
    gtk_widget_set_parent(probe, GTK_WIDGET(self));
    int height = 0;
    gtk_widget_measure(probe, GTK_ORIENTATION_VERTICAL, -1, NULL, &height, NULL, NULL);
    gtk_widget_unparent(probe);
    int highest = gtk_scrolled_window_get_max_content_height(self->list_scroller);
    gtk_scrolled_window_set_min_content_height(self->list_scroller,
                                               (int)MIN((gint64)rows * height, (gint64)highest));
}

static void bind_row_cb(GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
    RtPickerItem *item = gtk_list_item_get_item(list_item);
    GtkWidget *check = gtk_list_item_get_child(list_item);
    GtkWidget *number =
        gtk_widget_get_first_child(gtk_check_button_get_child(GTK_CHECK_BUTTON(check)));
    GtkWidget *title = gtk_widget_get_next_sibling(number);
    GtkWidget *duration = gtk_widget_get_next_sibling(title);
    g_autofree char *position = g_strdup_printf("%u", rt_picker_item_get_position(item));
    gtk_label_set_text(GTK_LABEL(number), position);
    gtk_label_set_text(GTK_LABEL(title), rt_picker_item_get_title(item));
    gtk_widget_set_tooltip_text(title, rt_picker_item_get_title(item));
    /* A check button with a child of its own has no name for a screen reader: the title. */
    gtk_accessible_update_property(GTK_ACCESSIBLE(check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                   rt_picker_item_get_title(item), -1);
    gtk_label_set_text(GTK_LABEL(duration), rt_picker_item_get_duration(item));
    GBinding *binding = g_object_bind_property(item, "checked", check, "active",
                                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
    /* A reference of our own: a binding ends by itself when its check button goes, which at
     * the window's end can come before the unbind below, and the pointer would be left
     * dangling. */
    g_object_set_data_full(G_OBJECT(list_item), "rt-picker-binding", g_object_ref(binding),
                           g_object_unref);
}

static void unbind_row_cb(GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer data)
{
    GBinding *binding = g_object_get_data(G_OBJECT(list_item), "rt-picker-binding");
    if (binding) {
        g_binding_unbind(binding); /* nothing when it has ended already */
        g_object_set_data(G_OBJECT(list_item), "rt-picker-binding", NULL); /* our reference */
    }
}

/* Enter on a row toggles it, as Space on its check box does. */
static void row_activate_cb(RtPicker *self, guint position)
{
    g_autoptr(RtPickerItem) item = g_list_model_get_item(G_LIST_MODEL(self->rows), position);
    if (item)
        rt_picker_item_set_checked(item, !rt_picker_item_get_checked(item));
}

/* ---- Filling --------------------------------------------------------------------------------- */

/* A channel's or an author's list comes newest first from RuTube (and from the fake: person
 * 24550718's videos are dated 5, 4, 3, 2 and 1 March); a playlist, a tag or a series is in
 * the order its owner or RuTube set, which need not be by date. */
static gboolean is_newest_first(enum rt_target_kind kind)
{
    return kind == RT_TARGET_CHANNEL || kind == RT_TARGET_CHANNEL_NAME || kind == RT_TARGET_PERSON;
}

static void clear_items(RtPicker *self)
{
    for (guint i = 0; i < self->items->len; i++)
        g_signal_handlers_disconnect_by_data(self->items->pdata[i], self);
    g_ptr_array_set_size(self->items, 0);
}

void rt_picker_set_collection(RtPicker *self, const struct rt_collection *collection,
                              enum rt_target_kind kind)
{
    clear_items(self);
    for (size_t i = 0; i < collection->count; i++) {
        RtPickerItem *item = rt_picker_item_new(&collection->entries[i], (guint)i + 1);
        g_signal_connect(item, "notify::checked", G_CALLBACK(item_checked_cb), self);
        g_ptr_array_add(self->items, item);
    }
    self->checked = self->items->len;
    self->is_reversed = FALSE;

    const char *orders[3] = {NULL};
    if (is_newest_first(kind)) {
        orders[0] = _("Newest first");
        orders[1] = _("Oldest first");
    } else {
        orders[0] = _("As listed");
        orders[1] = _("Reversed");
    }
    self->is_filling = TRUE;
    guint old = g_list_model_get_n_items(G_LIST_MODEL(self->order_list));
    gtk_string_list_splice(self->order_list, 0, old, orders);
    gtk_drop_down_set_selected(self->order_dropdown, 0);
    self->is_filling = FALSE;
    fill_rows(self);

    gtk_editable_set_text(GTK_EDITABLE(self->range_entry), "");
    gboolean complete = collection->complete;
    if (!complete) {
        g_autofree char *note =
            g_strdup_printf(ngettext("Only the first %zu video is shown: the list goes on "
                                     "past what the window reads.",
                                     "Only the first %zu videos are shown: the list goes on "
                                     "past what the window reads.",
                                     collection->count),
                            collection->count);
        gtk_label_set_text(self->incomplete_label, note);
    }
    gtk_widget_set_visible(GTK_WIDGET(self->incomplete_label), !complete);
    gtk_widget_set_visible(GTK_WIDGET(self->list_scroller), collection->count > 0);
    size_list(self, self->items->len);
    emit_changed(self);
}

/* ---- Signal handlers from the template ------------------------------------------------------- */

static void all_clicked_cb(RtPicker *self)
{
    rt_picker_check_all(self, TRUE);
}

static void none_clicked_cb(RtPicker *self)
{
    rt_picker_check_all(self, FALSE);
}

static void order_changed_cb(RtPicker *self)
{
    if (!self->is_filling)
        rt_picker_set_reversed(self, gtk_drop_down_get_selected(self->order_dropdown) == 1);
}

static void show_range_problem(RtPicker *self, const char *problem)
{
    GtkWidget *entry = GTK_WIDGET(self->range_entry);
    if (problem) {
        gtk_widget_add_css_class(entry, "error");
        gtk_label_set_text(self->range_error, problem);
    } else {
        gtk_widget_remove_css_class(entry, "error");
    }
    gtk_widget_set_visible(GTK_WIDGET(self->range_error), problem != NULL);
}

static void range_activate_cb(RtPicker *self)
{
    g_autofree char *problem = NULL;
    const char *spec = gtk_editable_get_text(GTK_EDITABLE(self->range_entry));
    rt_picker_check_range(self, spec, &problem);
    show_range_problem(self, problem);
}

/* Typing again answers the complaint: it comes back only if Enter finds the new text wrong. */
static void range_edited_cb(RtPicker *self)
{
    show_range_problem(self, NULL);
}

/* ---- Life cycle ------------------------------------------------------------------------------ */

static void rt_picker_dispose(GObject *object)
{
    RtPicker *self = RT_PICKER(object);
    if (self->items)
        clear_items(self);
    gtk_widget_dispose_template(GTK_WIDGET(self), RT_TYPE_PICKER);
    g_clear_object(&self->rows);
    G_OBJECT_CLASS(rt_picker_parent_class)->dispose(object);
}

static void rt_picker_finalize(GObject *object)
{
    RtPicker *self = RT_PICKER(object);
    g_ptr_array_unref(self->items);
    G_OBJECT_CLASS(rt_picker_parent_class)->finalize(object);
}

static void rt_picker_class_init(RtPickerClass *klass)
{
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    G_OBJECT_CLASS(klass)->dispose = rt_picker_dispose;
    G_OBJECT_CLASS(klass)->finalize = rt_picker_finalize;
    signals[SIGNAL_CHANGED] = g_signal_new("changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

    gtk_widget_class_set_template_from_resource(widget_class, "/io/github/RutubeDl/rt-picker.ui");
#define BIND(name) gtk_widget_class_bind_template_child(widget_class, RtPicker, name)
    BIND(count_label);
    BIND(all_button);
    BIND(none_button);
    BIND(order_dropdown);
    BIND(order_list);
    BIND(range_entry);
    BIND(range_button);
    BIND(range_error);
    BIND(incomplete_label);
    BIND(list_scroller);
    BIND(list_view);
#undef BIND
    gtk_widget_class_bind_template_callback(widget_class, all_clicked_cb);
    gtk_widget_class_bind_template_callback(widget_class, none_clicked_cb);
    gtk_widget_class_bind_template_callback(widget_class, order_changed_cb);
    gtk_widget_class_bind_template_callback(widget_class, range_activate_cb);
    gtk_widget_class_bind_template_callback(widget_class, range_edited_cb);
    gtk_widget_class_bind_template_callback(widget_class, row_activate_cb);
}

static void rt_picker_init(RtPicker *self)
{
    self->items = g_ptr_array_new_with_free_func(g_object_unref);
    gtk_widget_init_template(GTK_WIDGET(self));
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new();
    g_signal_connect(factory, "setup", G_CALLBACK(setup_row_cb), NULL);
    g_signal_connect(factory, "bind", G_CALLBACK(bind_row_cb), NULL);
    g_signal_connect(factory, "unbind", G_CALLBACK(unbind_row_cb), NULL);
    gtk_list_view_set_factory(self->list_view, factory);
    g_object_unref(factory);
    fill_rows(self);
    show_count(self);
}
