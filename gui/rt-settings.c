/* The window's choices kept between runs, in $XDG_CONFIG_HOME/rutube-dl/gtk.ini. */
#include "rt-settings.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

/* A key file rather than GSettings: GSettings would need a schema installed (and compiled)
 * before the window could even start from the build folder. */
#define GROUP "download"

/* The video as RuTube sends it, remuxed or not; then the audio alone, copied (M4A) or
 * encoded in-process. */
static const RtFormatChoice formats[] = {
    {RT_CONTAINER_MP4, "mp4", "MP4"},
    {RT_CONTAINER_TS, "ts", "TS"},
    {RT_CONTAINER_M4A, "m4a", N_("Audio only (M4A)")},
    {RT_CONTAINER_MP3, "mp3", N_("Audio only (MP3)")},
    {RT_CONTAINER_OPUS, "opus", N_("Audio only (Opus)")},
    {RT_CONTAINER_FLAC, "flac", N_("Audio only (FLAC)")},
};

const RtFormatChoice *rt_settings_formats(guint *count)
{
    *count = G_N_ELEMENTS(formats);
    return formats;
}

guint rt_settings_format_position(enum rt_container container)
{
    for (guint i = 0; i < G_N_ELEMENTS(formats); i++)
        if (formats[i].container == container)
            return i;
    return 0;
}

char *rt_settings_path(void)
{
    return g_build_filename(g_get_user_config_dir(), "rutube-dl", "gtk.ini", NULL);
}

static char *default_folder(void)
{
    const GUserDirectory kinds[] = {G_USER_DIRECTORY_VIDEOS, G_USER_DIRECTORY_DOWNLOAD};
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        const char *dir = g_get_user_special_dir(kinds[i]);
        if (dir && g_file_test(dir, G_FILE_TEST_IS_DIR))
            return g_strdup(dir);
    }
    return g_strdup(g_get_home_dir());
}

RtSettings *rt_settings_load(void)
{
    RtSettings *settings = g_new0(RtSettings, 1);
    settings->container = RT_CONTAINER_MP4;
    settings->chapters = TRUE;
    g_autofree char *path = rt_settings_path();
    g_autoptr(GKeyFile) file = g_key_file_new();
    if (g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, NULL)) {
        g_autofree char *folder = g_key_file_get_string(file, GROUP, "folder", NULL);
        g_autofree char *container = g_key_file_get_string(file, GROUP, "container", NULL);
        if (folder && g_path_is_absolute(folder))
            settings->folder = g_steal_pointer(&folder);
        for (guint i = 0; container && i < G_N_ELEMENTS(formats); i++)
            if (strcmp(container, formats[i].key) == 0)
                settings->container = formats[i].container;
        settings->subtitles = g_key_file_get_boolean(file, GROUP, "subtitles", NULL);
        settings->thumbnail = g_key_file_get_boolean(file, GROUP, "thumbnail", NULL);
        /* A file from before the switch has no key: the default, on. */
        if (g_key_file_has_key(file, GROUP, "chapters", NULL))
            settings->chapters = g_key_file_get_boolean(file, GROUP, "chapters", NULL);
        settings->split_chapters = g_key_file_get_boolean(file, GROUP, "split-chapters", NULL);
        settings->limit_rate = g_key_file_get_uint64(file, GROUP, "limit-rate", NULL);
    }
    if (!settings->folder)
        settings->folder = default_folder();
    return settings;
}

gboolean rt_settings_save(const RtSettings *settings, GError **error)
{
    g_autofree char *path = rt_settings_path();
    g_autofree char *dir = g_path_get_dirname(path);
    g_autoptr(GKeyFile) file = g_key_file_new();
    g_key_file_set_string(file, GROUP, "folder", settings->folder);
    g_key_file_set_string(file, GROUP, "container",
                          formats[rt_settings_format_position(settings->container)].key);
    g_key_file_set_boolean(file, GROUP, "subtitles", settings->subtitles);
    g_key_file_set_boolean(file, GROUP, "thumbnail", settings->thumbnail);
    g_key_file_set_boolean(file, GROUP, "chapters", settings->chapters);
    g_key_file_set_boolean(file, GROUP, "split-chapters", settings->split_chapters);
    g_key_file_set_uint64(file, GROUP, "limit-rate", settings->limit_rate);
    if (g_mkdir_with_parents(dir, 0700) != 0) {
        int saved = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "%s: %s", dir,
                    g_strerror(saved));
        return FALSE;
    }
    return g_key_file_save_to_file(file, path, error);
}

void rt_settings_free(RtSettings *settings)
{
    if (!settings)
        return;
    g_free(settings->folder);
    g_free(settings);
}
