/* The window's choices kept between runs, in $XDG_CONFIG_HOME/rutube-dl/gtk.ini. */
#include "rt-settings.h"

#include <curl/curl.h>
#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

/* A key file rather than GSettings: GSettings would need a schema installed (and compiled)
 * before the window could even start from the build folder. */
#define GROUP "download"

/* The video as RuTube sends it remuxed (MP4 plays everywhere, MKV takes any tag) or kept as
 * served (TS). TS second: gtk.ini files and the window's tests know it there. */
static const RtFormatChoice video_formats[] = {
    {RT_CONTAINER_MP4, "mp4", "MP4"},
    {RT_CONTAINER_TS, "ts", "TS"},
    {RT_CONTAINER_MKV, "mkv", "MKV"},
};

/* The audio alone, copied (M4A) or encoded in-process. */
static const RtFormatChoice audio_formats[] = {
    {RT_CONTAINER_M4A, "m4a", "M4A"},
    {RT_CONTAINER_MP3, "mp3", "MP3"},
    {RT_CONTAINER_OPUS, "opus", "Opus"},
    {RT_CONTAINER_FLAC, "flac", "FLAC"},
};

/* The command's -q words a person picks most; the card still offers every size a video has. */
static const char *const qualities[] = {"best", "1080", "720", "480", "360", "worst", NULL};
static const char *const quality_labels[] = {N_("Best"), "1080p",        "720p", "480p",
                                             "360p",     N_("Smallest"), NULL};

/* libcurl's proxy schemes (CURLOPT_PROXY); with none it takes http. */
static const char *const proxy_schemes[] = {"http",    "https",  "socks4",
                                            "socks4a", "socks5", "socks5h"};

const RtFormatChoice *rt_settings_video_formats(guint *count)
{
    *count = G_N_ELEMENTS(video_formats);
    return video_formats;
}

const RtFormatChoice *rt_settings_audio_formats(guint *count)
{
    *count = G_N_ELEMENTS(audio_formats);
    return audio_formats;
}

guint rt_settings_format_position(const RtFormatChoice *table, guint count,
                                  enum rt_container container)
{
    for (guint i = 0; i < count; i++)
        if (table[i].container == container)
            return i;
    return 0;
}

const char *rt_settings_container_word(enum rt_container container)
{
    guint count;
    const RtFormatChoice *audio = rt_settings_audio_formats(&count);
    for (guint i = 0; i < count; i++)
        if (audio[i].container == container)
            return audio[i].key;
    const RtFormatChoice *video = rt_settings_video_formats(&count);
    return video[rt_settings_format_position(video, count, container)].key;
}

gboolean rt_settings_container_from_word(const char *word, enum rt_container *container)
{
    const RtFormatChoice *tables[2];
    guint counts[2];
    tables[0] = rt_settings_video_formats(&counts[0]);
    tables[1] = rt_settings_audio_formats(&counts[1]);
    for (guint t = 0; t < 2; t++)
        for (guint i = 0; i < counts[t]; i++)
            if (strcmp(word, tables[t][i].key) == 0) {
                *container = tables[t][i].container;
                return TRUE;
            }
    return FALSE;
}

enum rt_container rt_settings_container(const RtSettings *settings)
{
    return settings->audio_only ? settings->audio : settings->container;
}

const char *const *rt_settings_qualities(void)
{
    return qualities;
}

const char *const *rt_settings_quality_labels(void)
{
    return quality_labels;
}

char *rt_settings_quality_spec(const RtSettings *settings)
{
    if (settings->codec == RT_CODEC_UNKNOWN)
        return g_strdup(settings->quality);
    return g_strdup_printf("%s:%s", settings->quality, rt_codec_name(settings->codec));
}

gboolean rt_settings_check_proxy(const char *proxy, char **why)
{
    *why = NULL;
    if (!proxy[0])
        return TRUE;
    CURLU *url = curl_url();
    if (!url) {
        *why = g_strdup(g_strerror(ENOMEM));
        return FALSE;
    }
    char *scheme = NULL, *host = NULL, *path = NULL;
    /* Without a scheme libcurl takes http; "socks5h" is no URL scheme it fetches, hence
     * CURLU_NON_SUPPORT_SCHEME. A port that is no number is refused by the parser itself. */
    CURLUcode code =
        curl_url_set(url, CURLUPART_URL, proxy, CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME);
    if (code == CURLUE_OK)
        code = curl_url_get(url, CURLUPART_SCHEME, &scheme, 0);
    if (code == CURLUE_OK)
        code = curl_url_get(url, CURLUPART_HOST, &host, 0);
    if (code == CURLUE_OK)
        curl_url_get(url, CURLUPART_PATH, &path, 0);
    gboolean known = FALSE;
    for (size_t i = 0; scheme && i < G_N_ELEMENTS(proxy_schemes); i++)
        known |= g_ascii_strcasecmp(scheme, proxy_schemes[i]) == 0;
    if (code != CURLUE_OK || !host || !host[0] || strpbrk(proxy, " \t\r\n"))
        *why = g_strdup(_("Not a proxy address: write it as http://host:3128 or "
                          "socks5h://127.0.0.1:9050"));
    else if (!known)
        /* TRANSLATORS: %s is the scheme written, such as "ftp". */
        *why = g_strdup_printf(_("%s is not a kind of proxy: http, https, socks4, socks4a, "
                                 "socks5 or socks5h"),
                               scheme);
    else if (path && strcmp(path, "/") != 0)
        *why = g_strdup(_("A proxy address has no path: only the scheme, host and port"));
    curl_free(scheme);
    curl_free(host);
    curl_free(path);
    curl_url_cleanup(url);
    return *why == NULL;
}

gboolean rt_settings_template_example(const char *name_template, enum rt_container container,
                                      char **example, char **why)
{
    /* A made-up video with every field the template may ask for. */
    char *empty = (char *)"";
    struct rt_format format = {.width = 1280, .height = 712, .codecs = empty};
    struct rt_video video = {
        .id = (char *)"2ce725b3dc1a243f8456458975ecd872",
        .title = (char *)_("Example video"),
        .description = empty,
        .author = (char *)_("Author"),
        .author_id = (char *)"23704195",
        .thumbnail_url = empty,
        .page_url = empty,
        .master_url = empty,
        .duration = 754,
        .formats = &format,
        .format_count = 1,
        .published = (char *)"2024-10-29T12:00:00",
        .category = empty,
        .views = -1,
    };
    char out[4096];
    struct rt_error err = {0};
    *example = *why = NULL;
    if (rt_filename_from_template(name_template, &video, &format, rt_container_extension(container),
                                  false, out, sizeof out, &err) != RT_OK) {
        *why = g_strdup(err.message[0] ? err.message : rt_strerror(err.code));
        return FALSE;
    }
    *example = g_strdup(out);
    return TRUE;
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

/* (g_set_str() is GLib 2.76.) */
static void replace_string(char **field, const char *value)
{
    g_free(*field);
    *field = g_strdup(value);
}

/* The container `key` names in `table`, or FALSE. */
static gboolean find_format(const RtFormatChoice *table, guint count, const char *key,
                            enum rt_container *out)
{
    for (guint i = 0; key && i < count; i++)
        if (strcmp(key, table[i].key) == 0) {
            *out = table[i].container;
            return TRUE;
        }
    return FALSE;
}

/* A whole number `key` holds within min..max, or `fallback`. */
static guint64 read_number(GKeyFile *file, const char *key, guint64 min, guint64 max,
                           guint64 fallback)
{
    g_autoptr(GError) error = NULL;
    guint64 value = g_key_file_get_uint64(file, GROUP, key, &error);
    return !error && value >= min && value <= max ? value : fallback;
}

static void read_formats(GKeyFile *file, RtSettings *settings)
{
    g_autofree char *container = g_key_file_get_string(file, GROUP, "container", NULL);
    g_autofree char *audio = g_key_file_get_string(file, GROUP, "audio", NULL);
    find_format(video_formats, G_N_ELEMENTS(video_formats), container, &settings->container);
    find_format(audio_formats, G_N_ELEMENTS(audio_formats), audio, &settings->audio);
    settings->audio_only = g_key_file_get_boolean(file, GROUP, "audio-only", NULL);
    /* Before the audio had keys of its own, "container" named it too. */
    if (find_format(audio_formats, G_N_ELEMENTS(audio_formats), container, &settings->audio))
        settings->audio_only = TRUE;
}

static void read_quality(GKeyFile *file, RtSettings *settings)
{
    g_autofree char *quality = g_key_file_get_string(file, GROUP, "quality", NULL);
    g_autofree char *codec = g_key_file_get_string(file, GROUP, "codec", NULL);
    if (quality && g_strv_contains(qualities, quality))
        replace_string(&settings->quality, quality);
    for (int c = RT_CODEC_H264; codec && c <= RT_CODEC_AV1; c++)
        if (strcmp(codec, rt_codec_name((enum rt_codec)c)) == 0)
            settings->codec = (enum rt_codec)c;
}

static void read_network(GKeyFile *file, RtSettings *settings)
{
    g_autofree char *proxy = g_key_file_get_string(file, GROUP, "proxy", NULL);
    g_autofree char *name_template = g_key_file_get_string(file, GROUP, "name-template", NULL);
    g_autofree char *why = NULL, *example = NULL;
    /* A value the window would have refused (written by hand) is not used. */
    if (proxy && rt_settings_check_proxy(proxy, &why))
        replace_string(&settings->proxy, proxy);
    if (name_template && name_template[0] &&
        rt_settings_template_example(name_template, RT_CONTAINER_MP4, &example, &why))
        replace_string(&settings->name_template, name_template);
    settings->limit_rate = read_number(file, "limit-rate", 0, G_MAXUINT64, 0);
    settings->parallel = (guint)read_number(file, "parallel", 1, RT_SETTINGS_PARALLEL_MAX,
                                            RT_SETTINGS_PARALLEL_DEFAULT);
    settings->transfers = (guint)read_number(file, "transfers", 1, 64, RT_DEFAULT_JOBS);
}

RtSettings *rt_settings_load(void)
{
    RtSettings *settings = g_new0(RtSettings, 1);
    settings->container = RT_CONTAINER_MP4;
    settings->audio = RT_CONTAINER_M4A;
    settings->quality = g_strdup("best");
    settings->chapters = TRUE;
    settings->parallel = RT_SETTINGS_PARALLEL_DEFAULT;
    settings->transfers = RT_DEFAULT_JOBS;
    settings->proxy = g_strdup("");
    settings->name_template = g_strdup(RT_DEFAULT_TEMPLATE);
    g_autofree char *path = rt_settings_path();
    g_autoptr(GKeyFile) file = g_key_file_new();
    if (g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, NULL)) {
        g_autofree char *folder = g_key_file_get_string(file, GROUP, "folder", NULL);
        if (folder && g_path_is_absolute(folder))
            settings->folder = g_steal_pointer(&folder);
        read_formats(file, settings);
        read_quality(file, settings);
        settings->subtitles = g_key_file_get_boolean(file, GROUP, "subtitles", NULL);
        settings->thumbnail = g_key_file_get_boolean(file, GROUP, "thumbnail", NULL);
        /* A file from before the switch has no key: the default, on. */
        if (g_key_file_has_key(file, GROUP, "chapters", NULL))
            settings->chapters = g_key_file_get_boolean(file, GROUP, "chapters", NULL);
        settings->split_chapters = g_key_file_get_boolean(file, GROUP, "split-chapters", NULL);
        read_network(file, settings);
    }
    if (!settings->folder)
        settings->folder = default_folder();
    return settings;
}

static const char *format_key(const RtFormatChoice *table, guint count, enum rt_container container)
{
    return table[rt_settings_format_position(table, count, container)].key;
}

gboolean rt_settings_save(const RtSettings *settings, GError **error)
{
    g_autofree char *path = rt_settings_path();
    g_autofree char *dir = g_path_get_dirname(path);
    g_autoptr(GKeyFile) file = g_key_file_new();
    g_key_file_set_string(file, GROUP, "folder", settings->folder);
    g_key_file_set_string(
        file, GROUP, "container",
        format_key(video_formats, G_N_ELEMENTS(video_formats), settings->container));
    g_key_file_set_boolean(file, GROUP, "audio-only", settings->audio_only);
    g_key_file_set_string(file, GROUP, "audio",
                          format_key(audio_formats, G_N_ELEMENTS(audio_formats), settings->audio));
    g_key_file_set_string(file, GROUP, "quality", settings->quality);
    g_key_file_set_string(file, GROUP, "codec",
                          settings->codec == RT_CODEC_UNKNOWN ? ""
                                                              : rt_codec_name(settings->codec));
    g_key_file_set_boolean(file, GROUP, "subtitles", settings->subtitles);
    g_key_file_set_boolean(file, GROUP, "thumbnail", settings->thumbnail);
    g_key_file_set_boolean(file, GROUP, "chapters", settings->chapters);
    g_key_file_set_boolean(file, GROUP, "split-chapters", settings->split_chapters);
    g_key_file_set_uint64(file, GROUP, "limit-rate", settings->limit_rate);
    g_key_file_set_uint64(file, GROUP, "parallel", settings->parallel);
    g_key_file_set_uint64(file, GROUP, "transfers", settings->transfers);
    g_key_file_set_string(file, GROUP, "proxy", settings->proxy);
    g_key_file_set_string(file, GROUP, "name-template", settings->name_template);
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
    g_free(settings->quality);
    g_free(settings->proxy);
    g_free(settings->name_template);
    g_free(settings);
}
