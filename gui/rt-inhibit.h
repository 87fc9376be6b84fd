/* No suspend while downloading: the session is asked to stay awake while any job runs. */
#pragma once

#include <gtk/gtk.h>

#include "rt-queue.h"

G_BEGIN_DECLS

typedef struct _RtInhibit RtInhibit;

/* Watch `queue` (its "active" count) for `app`: the first job waiting or running asks the
 * session not to suspend (gtk_application_inhibit()), the last one's end lets go. */
RtInhibit *rt_inhibit_new(GtkApplication *app, RtQueue *queue);

/* Let go (if held) and stop watching. */
void rt_inhibit_free(RtInhibit *inhibit);

/* Whether the application holds the request now. The session may have said no (no session
 * manager, no portal): then the cookie is 0 and the request is not asked again until the
 * downloads have ended. */
gboolean rt_inhibit_is_held(const RtInhibit *inhibit);

/* The session's cookie for the request, 0 when none is held or the session said no. */
guint rt_inhibit_get_cookie(const RtInhibit *inhibit);

G_END_DECLS
