/* The Preferences window: the defaults of every download, the network, where files go. */
#pragma once

#include <adwaita.h>

#include "rt-queue.h"
#include "rt-settings.h"

G_BEGIN_DECLS

#define RT_TYPE_PREFERENCES (rt_preferences_get_type())
G_DECLARE_FINAL_TYPE(RtPreferences, rt_preferences, RT, PREFERENCES, AdwPreferencesWindow)

/*
 * Show the Preferences of `app` over `parent` (NULL: none), the open one if there is one.
 * Every change is saved at once (rt_settings_save()) and applied: to `queue`'s downloads
 * from now on (folder, format, quality, extras, name template), to running ones too where it
 * can be (the speed limit; videos at once, which lets more start or holds new ones back);
 * a new proxy or number of transfers makes new clients (rt_service_remake()) for the
 * downloads that start from then on, the running ones keep theirs. A proxy or a name
 * template the library would refuse is said in its row and not kept. `settings` and `queue`
 * are borrowed from the application, which outlives the window. Signal "changed" (no
 * arguments): a setting changed, for the main window to show it. Its widgets are the
 * template's children (ids in rt-preferences.ui).
 */
RtPreferences *rt_preferences_present(GtkApplication *app, GtkWindow *parent, RtSettings *settings,
                                      RtQueue *queue);

/* Ask for the folder at once, as its row's button does (the main window's Ctrl+O). */
void rt_preferences_choose_folder(RtPreferences *self);

G_END_DECLS
