/* The videos of a list (playlist, channel, tag, series) with check boxes: all or none, a range
 * in the command's --playlist-items words, newest or oldest first. */
#pragma once

#include <gtk/gtk.h>
#include <rutube/rutube.h>

#include "rt-picker-item.h"

G_BEGIN_DECLS

#define RT_TYPE_PICKER (rt_picker_get_type())
G_DECLARE_FINAL_TYPE(RtPicker, rt_picker, RT, PICKER, GtkBox)

/*
 * Show the videos of `collection` (copied: the picker keeps nothing of it), all checked, in
 * the list's order. `kind` says what the order means: a channel's or an author's videos come
 * from RuTube newest first, so the order choice reads "Newest first"/"Oldest first"; other
 * lists keep their owner's order, and it reads "As listed"/"Reversed". Emits "changed".
 */
void rt_picker_set_collection(RtPicker *self, const struct rt_collection *collection,
                              enum rt_target_kind kind);

/* How many videos there are, and how many are checked. */
guint rt_picker_get_total(RtPicker *self);
guint rt_picker_get_checked(RtPicker *self);

/* The rows as shown (a GListModel of RtPickerItem, in the chosen order). Borrowed. */
GListModel *rt_picker_get_model(RtPicker *self);

/* The checked items in the order shown, which is the order to download them in. Caller
 * unrefs the array (it holds references). */
GPtrArray *rt_picker_get_checked_items(RtPicker *self);

/* Check every video, or none. Emits "changed" once. */
void rt_picker_check_all(RtPicker *self, gboolean checked);

/*
 * Check exactly the videos `spec` names by their place in the list, in the command's
 * --playlist-items words ("1-5,8", "10-", "1:9:2"), and uncheck the rest. FALSE, with the
 * reason in `*problem` (caller frees) and nothing changed, when `spec` is not such a list.
 */
gboolean rt_picker_check_range(RtPicker *self, const char *spec, char **problem);

/* Show (and download) the list backwards: oldest first for a channel. */
void rt_picker_set_reversed(RtPicker *self, gboolean reversed);
gboolean rt_picker_get_reversed(RtPicker *self);

/* Signal "changed" (no arguments): what is checked, or the order, changed. */

G_END_DECLS
