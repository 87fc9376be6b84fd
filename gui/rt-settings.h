/* The window's choices kept between runs, in $XDG_CONFIG_HOME/rutube-dl/gtk.ini. */
#pragma once

#include <glib.h>
#include <rutube/rutube.h>

G_BEGIN_DECLS

#define RT_SETTINGS_PARALLEL_MAX     8 /* videos downloaded at once */
#define RT_SETTINGS_PARALLEL_DEFAULT 2

typedef struct {
    char *folder;                /* where files go */
    enum rt_container container; /* the video's: one of rt_settings_video_formats() */
    gboolean audio_only;         /* the sound alone, as `audio` */
    enum rt_container audio;     /* one of rt_settings_audio_formats() */
    char *quality;               /* the default of each card: one of rt_settings_qualities() */
    enum rt_codec codec;         /* preferred where a size comes in several; UNKNOWN: H.264 first */
    gboolean subtitles;
    gboolean thumbnail;
    gboolean chapters;       /* the description's chapters into the MP4 file */
    gboolean split_chapters; /* a file per chapter instead of one for the video */
    guint64 limit_rate;      /* bytes a second over every download together; 0: none */
    guint parallel;          /* videos at once, 1..RT_SETTINGS_PARALLEL_MAX */
    guint transfers;         /* segment transfers at once over all of them (the library's jobs) */
    char *proxy;             /* as libcurl takes it (rt_settings_check_proxy()); "": the system's */
    char *name_template;     /* rt_filename_from_template()'s; never "" */
} RtSettings;

/* A choice the window offers, in its order: the value, its word in gtk.ini ("mp4"), and its
 * label, untranslated (N_(); show it with _()). */
typedef struct {
    enum rt_container container;
    const char *key;
    const char *label;
} RtFormatChoice;

/* The video containers (MP4, TS, MKV) and the audio-only ones (M4A, MP3, Opus, FLAC), each
 * table `*count` long. Static storage. */
const RtFormatChoice *rt_settings_video_formats(guint *count);
const RtFormatChoice *rt_settings_audio_formats(guint *count);

/* The position of `container` in `table` (0 for one it lacks). */
guint rt_settings_format_position(const RtFormatChoice *table, guint count,
                                  enum rt_container container);

/* A container's word in gtk.ini ("mp4", "opus"), video and audio-only alike ("mp4" for one
 * the window does not offer); and back, false for a word the window does not offer. */
const char *rt_settings_container_word(enum rt_container container);
gboolean rt_settings_container_from_word(const char *word, enum rt_container *container);

/* What a download writes: the audio container when audio_only, else the video one. */
enum rt_container rt_settings_container(const RtSettings *settings);

/* The default qualities, as the command's -q takes them ("best", "1080", ..., "worst"), and
 * their labels (N_()); NULL-terminated, static. */
const char *const *rt_settings_qualities(void);
const char *const *rt_settings_quality_labels(void);

/* The default quality with the codec preference, in rt_text_choose_quality()'s words
 * ("720:HEVC", "best"). Caller frees. */
char *rt_settings_quality_spec(const RtSettings *settings);

/* Whether libcurl would take `proxy` as a proxy address ("" for none is fine): a scheme it
 * knows (http, https, socks4, socks4a, socks5, socks5h) or none, a host, a port that is a
 * number. FALSE with `*why` (translated, caller frees) saying what is wrong. */
gboolean rt_settings_check_proxy(const char *proxy, char **why);

/* The name `name_template` gives a sample video saved as `container`: FALSE with `*why`
 * (the library's words, caller frees) when the library refuses it. */
gboolean rt_settings_template_example(const char *name_template, enum rt_container container,
                                      char **example, char **why);

/* The saved choices, or the defaults where none are saved (or the file is damaged, or a value
 * is out of range): the XDG Videos folder (else Downloads, else home), MP4, not the audio
 * alone (M4A when it is), the best quality, the most compatible codec, no subtitles, no
 * thumbnail, chapters (as the library's default), one file a video, no speed limit, two
 * videos at once, the library's 16 transfers, the system's proxy, the library's name
 * template. A file from before the audio had its own key ("container=mp3") reads as audio
 * only in MP3. Never NULL. */
RtSettings *rt_settings_load(void);

/* Write them (atomically, by rename). */
gboolean rt_settings_save(const RtSettings *settings, GError **error);

void rt_settings_free(RtSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RtSettings, rt_settings_free)

/* Where the settings live. Caller frees. */
char *rt_settings_path(void);

G_END_DECLS
