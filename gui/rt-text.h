/* The words the window shows for the library's numbers: sizes, durations, qualities, errors. */
#pragma once

#include <glib.h>
#include <rutube/rutube.h>

G_BEGIN_DECLS

/* "31.2 MB": GLib's decimal units, in the user's language. Caller frees. */
char *rt_text_size(guint64 bytes);

/* "0:42", "12:05", "1:02:03". Caller frees. */
char *rt_text_duration(double seconds);

/* Text from RuTube (a title, an author, its words in an error) as the window shows it: control
 * characters, direction overrides and bytes that are not UTF-8 made visible, on one line
 * (rt_text_printable()). NULL reads as "". Caller frees. */
char *rt_text_shown(const char *text);

/* A quality as the dropdown shows it: "3840×2160 · HEVC · ≈ 31.2 MB" (without the codec when
 * the master does not say it, without the size when that is unknown), "Original file" for a
 * file without a size, "As broadcast" for a live stream's playlist that names none. Caller
 * frees. */
char *rt_text_quality(const struct rt_video *video, const struct rt_format *format);

/* The words that name this format for rt_text_choose_quality(): "1920x1080:AV1", "1280x712"
 * without a codec, or "best"/"worst" when the playlist gave no size. Caller frees. */
char *rt_text_quality_spec(const struct rt_video *video, size_t index);

/* The format a spec of rt_text_quality_spec() names in `video` (a fresh lookup of the same
 * video: "1920x1080:AV1" is that size in that codec, or the most compatible of the size). */
enum rt_code rt_text_choose_quality(const struct rt_video *video, const char *spec, size_t *index,
                                    struct rt_error *err);

/* One line for a running download: "45 % · 14.1 MB of 31.2 MB · 2.1 MB/s · 0:09 left",
 * "Recording · 0:12 · 3.4 MB" for a live stream, or "Converting to MP4… 45 %" while
 * remuxing. Caller frees. */
char *rt_text_progress(const struct rt_progress *progress, enum rt_container container);

/* The fraction of the work done that the progress bar shows, 0 to 1. */
double rt_text_fraction(const struct rt_progress *progress);

/* What a failure means for the person, in plain words ("Video not found. Check the
 * address…"). Static, translated. */
const char *rt_text_error(enum rt_code code);

/* Whether trying the same thing again may help: the network, the server, a full disk. */
gboolean rt_text_error_is_transient(enum rt_code code);

/* Split pasted text into addresses, one a line, as the command's batch files: each line
 * trimmed, blank lines and lines starting with '#' or ';' skipped. Caller frees with
 * g_strfreev(). */
char **rt_text_split_addresses(const char *text);

G_END_DECLS
