/* The window's choices kept between runs, in $XDG_CONFIG_HOME/rutube-dl/gtk.ini. */
#pragma once

#include <glib.h>
#include <rutube/rutube.h>

G_BEGIN_DECLS

typedef struct {
    char *folder;                /* where files go */
    enum rt_container container; /* one of rt_settings_formats() */
    gboolean subtitles;
    gboolean thumbnail;
    gboolean chapters;       /* the description's chapters into the MP4 file */
    gboolean split_chapters; /* a file per chapter instead of one for the video */
    guint64 limit_rate; /* bytes a second over every download together; 0: none */
} RtSettings;

/* The file formats the window offers, in its order: the container, its word in gtk.ini
 * ("mp4"), and its label, translated ("Audio only (MP3)"). */
typedef struct {
    enum rt_container container;
    const char *key;
    const char *label;
} RtFormatChoice;

/* The table, `*count` long. Static storage. */
const RtFormatChoice *rt_settings_formats(guint *count);

/* The position of `container` in it (0, MP4's, for one it lacks). */
guint rt_settings_format_position(enum rt_container container);

/* The saved choices, or the defaults where none are saved (or the file is damaged): the XDG
 * Videos folder (else Downloads, else home), MP4, no subtitles, no thumbnail, chapters (as
 * the library's default), one file a video, no speed limit. Never NULL. */
RtSettings *rt_settings_load(void);

/* Write them (atomically, by rename). */
gboolean rt_settings_save(const RtSettings *settings, GError **error);

void rt_settings_free(RtSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RtSettings, rt_settings_free)

/* Where the settings live. Caller frees. */
char *rt_settings_path(void);

G_END_DECLS
