/* The application: one queue of downloads, the library's clients, quitting safely. */
#pragma once

#include <adwaita.h>

#include "rt-inhibit.h"
#include "rt-queue.h"

G_BEGIN_DECLS

#define RT_APPLICATION_ID "io.github.RutubeDl"

#define RT_TYPE_APPLICATION (rt_application_get_type())
G_DECLARE_FINAL_TYPE(RtApplication, rt_application, RT, APPLICATION, AdwApplication)

/*
 * The application. `unique`: a second start hands over to the running one (the desktop's
 * way); tests pass FALSE so that several can run side by side.
 * The API base is, in order: --api-base URL, $RUTUBE_DL_API_BASE, RuTube itself.
 * Actions: app.quit (Ctrl+Q; asks first while downloads run), app.about; the windows'
 * win.show-help-overlay (Ctrl+?, F1) shows the shortcuts window (help-overlay.ui).
 * Arguments (`rutube-dl-gtk ADDRESS...`, %U in the .desktop file) are addresses or text
 * files of them, taken in by the window as a drop is (rt-links.h); a second start hands
 * them to the first over D-Bus, or, without a session bus, opens its own window.
 */
RtApplication *rt_application_new(gboolean unique);

/* The downloads (valid after start-up). Borrowed. */
RtQueue *rt_application_get_queue(RtApplication *app);

/* The request not to suspend while downloads run (valid after start-up). Borrowed. */
const RtInhibit *rt_application_get_inhibit(RtApplication *app);

/* Translations: the user's locale, this program's message catalogue from
 * $RUTUBE_DL_LOCALEDIR (the build folder's po/, for tests and `make gui`) or the installed
 * one. Call once, first thing in main(). */
void rt_application_init_i18n(void);

G_END_DECLS
