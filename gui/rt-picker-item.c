/* One video of a list in the picker: a GObject, so that a row's check box can be bound to it. */
#include "rt-picker-item.h"

#include "rt-text.h"

struct _RtPickerItem {
    GObject parent_instance;

    guint position;
    char *title;     /* as shown */
    char *raw_title; /* as RuTube gave it */
    char *url;
    char *duration;
    gboolean checked;
};

enum { PROP_0, PROP_CHECKED, N_PROPS };
static GParamSpec *props[N_PROPS];

G_DEFINE_TYPE(RtPickerItem, rt_picker_item, G_TYPE_OBJECT)

static void rt_picker_item_get_property(GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
    RtPickerItem *self = RT_PICKER_ITEM(object);
    if (id == PROP_CHECKED)
        g_value_set_boolean(value, self->checked);
    else
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
}

static void rt_picker_item_set_property(GObject *object, guint id, const GValue *value,
                                        GParamSpec *pspec)
{
    RtPickerItem *self = RT_PICKER_ITEM(object);
    if (id == PROP_CHECKED)
        rt_picker_item_set_checked(self, g_value_get_boolean(value));
    else
        G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
}

static void rt_picker_item_finalize(GObject *object)
{
    RtPickerItem *self = RT_PICKER_ITEM(object);
    g_free(self->title);
    g_free(self->raw_title);
    g_free(self->url);
    g_free(self->duration);
    G_OBJECT_CLASS(rt_picker_item_parent_class)->finalize(object);
}

static void rt_picker_item_class_init(RtPickerItemClass *klass)
{
    GObjectClass *object_class = G_OBJECT_CLASS(klass);
    object_class->get_property = rt_picker_item_get_property;
    object_class->set_property = rt_picker_item_set_property;
    object_class->finalize = rt_picker_item_finalize;
    /* EXPLICIT_NOTIFY: "All" on a list of thousands notifies only the rows that change. */
    props[PROP_CHECKED] =
        g_param_spec_boolean("checked", NULL, NULL, TRUE,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
    g_object_class_install_properties(object_class, N_PROPS, props);
}

static void rt_picker_item_init(RtPickerItem *self)
{
    self->checked = TRUE;
}

RtPickerItem *rt_picker_item_new(const struct rt_entry *entry, guint position)
{
    RtPickerItem *self = g_object_new(RT_TYPE_PICKER_ITEM, NULL);
    self->position = position;
    self->title = rt_text_shown(entry->title[0] ? entry->title : entry->id);
    self->raw_title = g_strdup(entry->title);
    self->url = g_strdup(entry->url);
    self->duration = entry->duration > 0 ? rt_text_duration(entry->duration) : g_strdup("");
    return self;
}

guint rt_picker_item_get_position(RtPickerItem *item)
{
    return item->position;
}

const char *rt_picker_item_get_title(RtPickerItem *item)
{
    return item->title;
}

const char *rt_picker_item_get_raw_title(RtPickerItem *item)
{
    return item->raw_title;
}

const char *rt_picker_item_get_url(RtPickerItem *item)
{
    return item->url;
}

const char *rt_picker_item_get_duration(RtPickerItem *item)
{
    return item->duration;
}

gboolean rt_picker_item_get_checked(RtPickerItem *item)
{
    return item->checked;
}

void rt_picker_item_set_checked(RtPickerItem *item, gboolean checked)
{
    checked = !!checked;
    if (item->checked == checked)
        return;
    item->checked = checked;
    g_object_notify_by_pspec(G_OBJECT(item), props[PROP_CHECKED]);
}
