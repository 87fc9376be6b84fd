/* The words the window shows for the library's numbers: sizes, durations, qualities, errors. */
#include "rt-text.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

char *rt_text_size(guint64 bytes)
{
    return g_format_size(bytes);
}

char *rt_text_duration(double seconds)
{
    if (!(seconds >= 0) || seconds > 360000000.0)
        seconds = 0;
    guint64 s = (guint64)llround(seconds);
    if (s >= 3600)
        return g_strdup_printf("%" G_GUINT64_FORMAT ":%02u:%02u", s / 3600, (unsigned)(s / 60 % 60),
                               (unsigned)(s % 60));
    return g_strdup_printf("%u:%02u", (unsigned)(s / 60), (unsigned)(s % 60));
}

char *rt_text_shown(const char *text)
{
    /* An escape is at most four times the bytes it stands for ("\\x1b" for one byte). */
    size_t size = 4 * strlen(text ? text : "") + 1;
    char *shown = g_malloc(size);
    rt_text_printable(text, shown, size);
    return shown;
}

char *rt_text_quality(const struct rt_video *video, const struct rt_format *format)
{
    char *size_text = NULL;
    guint64 size = rt_format_estimate_size(video, format);
    if (size > 0)
        size_text = rt_text_size(size);
    char *text;
    enum rt_codec codec = rt_format_codec(format);
    if (format->width > 0 && format->height > 0 && codec != RT_CODEC_UNKNOWN) {
        if (size_text)
            /* TRANSLATORS: a quality in the list: "3840×2160 · HEVC · ≈ 31.2 MB". */
            text = g_strdup_printf(_("%d×%d · %s · ≈ %s"), format->width, format->height,
                                   rt_codec_name(codec), size_text);
        else
            text =
                g_strdup_printf("%d×%d · %s", format->width, format->height, rt_codec_name(codec));
    } else if (format->width > 0 && format->height > 0) {
        if (size_text)
            /* TRANSLATORS: a quality in the list: "1280×712 · ≈ 31.2 MB". */
            text = g_strdup_printf(_("%d×%d · ≈ %s"), format->width, format->height, size_text);
        else
            text = g_strdup_printf("%d×%d", format->width, format->height);
    } else if (video->on_air) {
        /* A live media playlist names no size: it is whatever the broadcast sends. */
        text = g_strdup(_("As broadcast"));
    } else if (size_text) {
        text = g_strdup_printf(_("Original file · ≈ %s"), size_text);
    } else {
        text = g_strdup(_("Original file"));
    }
    g_free(size_text);
    return text;
}

char *rt_text_quality_spec(const struct rt_video *video, size_t index)
{
    const struct rt_format *format = &video->formats[index];
    enum rt_codec codec = rt_format_codec(format);
    if (format->width > 0 && format->height > 0 && codec != RT_CODEC_UNKNOWN)
        return g_strdup_printf("%dx%d:%s", format->width, format->height, rt_codec_name(codec));
    if (format->width > 0 && format->height > 0)
        return g_strdup_printf("%dx%d", format->width, format->height);
    return g_strdup(index == 0 && video->format_count > 1 ? "worst" : "best");
}

enum rt_code rt_text_choose_quality(const struct rt_video *video, const char *spec, size_t *index,
                                    struct rt_error *err)
{
    g_autofree char *size = g_strdup(spec ? spec : "");
    char *colon = strchr(size, ':');
    enum rt_codec codec = RT_CODEC_UNKNOWN;
    if (colon) {
        *colon = '\0';
        for (int c = RT_CODEC_H264; c <= RT_CODEC_AV1; c++)
            if (strcmp(colon + 1, rt_codec_name((enum rt_codec)c)) == 0)
                codec = (enum rt_codec)c;
    }
    return rt_format_choose_codec(video, size, codec, index, NULL, err);
}

double rt_text_fraction(const struct rt_progress *progress)
{
    if (progress->bytes_expected == 0)
        return 0;
    double fraction = (double)progress->bytes_done / (double)progress->bytes_expected;
    return fraction < 0 ? 0 : fraction > 1 ? 1 : fraction;
}

char *rt_text_progress(const struct rt_progress *progress, enum rt_container container)
{
    int percent = (int)floor(rt_text_fraction(progress) * 100.0);
    if (progress->phase == RT_PHASE_REMUX) {
        /* The extension in capitals names the container: "MP4", "MKV". */
        g_autofree char *name = g_ascii_strup(rt_container_extension(container), -1);
        /* TRANSLATORS: the file is being put into its container: "Converting to MP4… 45 %". */
        return g_strdup_printf(_("Converting to %s… %d %%"), name, percent);
    }
    if (progress->live) {
        /* No end to measure against: how much is in, in time and in bytes. */
        g_autofree char *recorded = rt_text_duration(progress->recorded);
        g_autofree char *size = rt_text_size(progress->bytes_done);
        /* TRANSLATORS: a live stream being recorded: time and bytes recorded so far,
         * "Recording · 0:12 · 3.4 MB". */
        return g_strdup_printf(_("Recording · %s · %s"), recorded, size);
    }
    char *done = rt_text_size(progress->bytes_done);
    char *expected = rt_text_size(progress->bytes_expected);
    char *speed = rt_text_size(progress->speed > 0 ? (guint64)progress->speed : 0);
    char *text;
    if (progress->speed > 0 && progress->bytes_expected > progress->bytes_done) {
        char *eta = rt_text_duration((double)(progress->bytes_expected - progress->bytes_done) /
                                     progress->speed);
        /* TRANSLATORS: percent, bytes done, bytes expected, speed, time left:
         * "45 % · 14.1 MB of 31.2 MB · 2.1 MB/s · 0:09 left". */
        text = g_strdup_printf(_("%d %% · %s of %s · %s/s · %s left"), percent, done, expected,
                               speed, eta);
        g_free(eta);
    } else {
        text = g_strdup_printf(_("%d %% · %s of %s"), percent, done, expected);
    }
    g_free(done);
    g_free(expected);
    g_free(speed);
    return text;
}

const char *rt_text_error(enum rt_code code)
{
    switch (code) {
    case RT_OK:
        return _("Done.");
    case RT_E_BAD_URL:
        return _("This is not a RuTube video address. Paste the address from the browser's "
                 "address bar, for example https://rutube.ru/video/…");
    case RT_E_UNSUPPORTED:
        return _("This kind of RuTube address is not supported yet.");
    case RT_E_NOT_FOUND:
        return _("Video not found. Check the address: it may be mistyped, or the video was "
                 "removed.");
    case RT_E_PRIVATE:
        return _("This video is private. Paste its whole address, with the access key "
                 "(…?p=…).");
    case RT_E_GEO_BLOCKED:
        return _("This video is blocked in your region.");
    case RT_E_UNAVAILABLE:
        return _("RuTube does not offer this video now.");
    case RT_E_FORBIDDEN:
        return _("RuTube refused the request. Try again later.");
    case RT_E_NETWORK:
        return _("Cannot reach RuTube. Check the internet connection, then retry.");
    case RT_E_HTTP:
        return _("RuTube's server did not answer properly. Try again in a minute.");
    case RT_E_BAD_RESPONSE:
    case RT_E_BAD_PLAYLIST:
        return _("RuTube answered in a way this program does not understand.");
    case RT_E_NO_FORMAT:
        return _("This quality is not available any more. Get the info again.");
    case RT_E_EXISTS:
        return _("The file is already in the folder.");
    case RT_E_IO:
        return _("Cannot write the file. Check that the folder exists and can be written to.");
    case RT_E_DISK_FULL:
        return _("The disk is full. Free some space or choose another folder, then retry.");
    case RT_E_REMUX:
        return _("The video could not be converted. The downloaded stream was kept in the "
                 "folder.");
    case RT_E_NOMEM:
        return _("Out of memory.");
    case RT_E_CANCELLED:
        return _("Cancelled.");
    case RT_E_USAGE:
    case RT_CODE_COUNT:
        break;
    }
    return _("Something went wrong.");
}

gboolean rt_text_error_is_transient(enum rt_code code)
{
    switch (code) {
    case RT_E_NETWORK:
    case RT_E_HTTP:
    case RT_E_FORBIDDEN:
    case RT_E_BAD_RESPONSE:
    case RT_E_BAD_PLAYLIST:
    case RT_E_IO:
    case RT_E_DISK_FULL:
    case RT_E_REMUX:
    case RT_E_NOMEM:
        return TRUE;
    default:
        return FALSE;
    }
}

char **rt_text_split_addresses(const char *text)
{
    GPtrArray *out = g_ptr_array_new();
    char **lines = g_strsplit_set(text ? text : "", "\r\n", -1);
    for (char **line = lines; *line; line++) {
        char *trimmed = g_strstrip(*line);
        /* As in the command's batch files: blank lines and comments are skipped. */
        if (trimmed[0] && trimmed[0] != '#' && trimmed[0] != ';')
            g_ptr_array_add(out, g_strdup(trimmed));
    }
    g_strfreev(lines);
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}
