/* The window's choices kept between runs, in $XDG_CONFIG_HOME/rutube-dl/gtk.ini. */
#pragma once

#include <glib.h>
#include <rutube/rutube.h>

G_BEGIN_DECLS

typedef struct {
    char *folder;                /* where files go */
    enum rt_container container; /* MP4 or TS */
    gboolean subtitles;
    gboolean thumbnail;
    guint64 limit_rate; /* bytes a second over every download together; 0: none */
} RtSettings;

/* The saved choices, or the defaults where none are saved (or the file is damaged): the XDG
 * Videos folder (else Downloads, else home), MP4, no subtitles, no thumbnail, no speed limit.
 * Never NULL. */
RtSettings *rt_settings_load(void);

/* Write them (atomically, by rename). */
gboolean rt_settings_save(const RtSettings *settings, GError **error);

void rt_settings_free(RtSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RtSettings, rt_settings_free)

/* Where the settings live. Caller frees. */
char *rt_settings_path(void);

G_END_DECLS
