/* One video of a list in the picker: its place in the list, what the rows show, and whether
 * it is checked. */
#pragma once

#include <glib-object.h>
#include <rutube/rutube.h>

G_BEGIN_DECLS

#define RT_TYPE_PICKER_ITEM (rt_picker_item_get_type())
G_DECLARE_FINAL_TYPE(RtPickerItem, rt_picker_item, RT, PICKER_ITEM, GObject)

/* An item for `entry` (copied: the collection may go first), the `position`-th of its list
 * (from 1, as the command's --playlist-items counts), checked. */
RtPickerItem *rt_picker_item_new(const struct rt_entry *entry, guint position);

guint rt_picker_item_get_position(RtPickerItem *item);
/* The title as the row shows it (control characters made harmless; the id when it has none). */
const char *rt_picker_item_get_title(RtPickerItem *item);
/* The title RuTube gave, "" when none: what names the file. */
const char *rt_picker_item_get_raw_title(RtPickerItem *item);
const char *rt_picker_item_get_url(RtPickerItem *item);
/* "12:34", or "" when the list did not say. */
const char *rt_picker_item_get_duration(RtPickerItem *item);
gboolean rt_picker_item_get_checked(RtPickerItem *item);
/* Sets the "checked" property (notifies only on a change). */
void rt_picker_item_set_checked(RtPickerItem *item, gboolean checked);

G_END_DECLS
