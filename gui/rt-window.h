/* The main window: an address, what it names, where to save it, and the downloads. */
#pragma once

#include <adwaita.h>

#include "rt-queue.h"
#include "rt-service.h"
#include "rt-settings.h"

G_BEGIN_DECLS

#define RT_TYPE_WINDOW (rt_window_get_type())
G_DECLARE_FINAL_TYPE(RtWindow, rt_window, RT, WINDOW, AdwApplicationWindow)

/*
 * A window of `app` whose downloads go into `queue` (its lookups use the queue's current
 * service too), and whose choices are `settings` (both borrowed from the application, which
 * outlives its windows; the window saves the settings of this video's card when they change;
 * the defaults are the Preferences window's). Its widgets are the template's children
 * (gtk_widget_get_template_child() finds them by their ids in rt-window.ui).
 */
RtWindow *rt_window_new(GtkApplication *app, RtQueue *queue, RtSettings *settings);

/* The settings changed elsewhere (Preferences): show them, and use them from now on. */
void rt_window_settings_changed(RtWindow *window);

/* Look `text` up (one address) or queue it (several lines), as pressing Enter does. */
void rt_window_submit(RtWindow *window, const char *text);

/* What the address field says now. Borrowed. */
const char *rt_window_get_address(RtWindow *window);

/* Say what went wrong where the lookup's errors show (`detail` may be NULL); added to what
 * is shown there already, if anything. */
void rt_window_add_error(RtWindow *window, const char *title, const char *detail);

/* What the window takes in from outside (rt-links.h). Borrowed. */
typedef struct _RtLinks RtLinks;
RtLinks *rt_window_get_links(RtWindow *window);

G_END_DECLS
