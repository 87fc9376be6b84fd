/* librutube: find a RuTube video, choose a quality and save it to a file. */
#ifndef RUTUBE_RUTUBE_H
#define RUTUBE_RUTUBE_H

/*
 * How the pieces fit:
 *
 *   rt_target_parse()   address text  -> struct rt_target   (no network)
 *   rt_video_fetch()    rt_target     -> struct rt_video    (play options + master playlist)
 *   rt_format_choose()  rt_video + "720" -> index into video->formats
 *   rt_download_new()/rt_download_run()  -> the file on disk
 *
 * Invariants every function keeps:
 *  - The library never prints, exits, aborts on bad input or reads stdin. Diagnostics go to
 *    the log callback of struct rt_client_options; failures come back as an enum rt_code.
 *
 * Errors:
 *  - Every function that can fail returns an enum rt_code: RT_OK (0) or the kind of failure.
 *    Each function's comment lists the codes it returns. Besides those, any of them may
 *    return RT_E_USAGE for a NULL where an object is required, and any that allocates may
 *    return RT_E_NOMEM.
 *  - Functions that take a `struct rt_error *err` accept NULL. Otherwise they record one
 *    sentence (UTF-8, naming the video and what went wrong) and the code in it. The first
 *    failure recorded in an rt_error wins; later ones do not overwrite it, so clear it
 *    (rt_error_clear(), or `= {0}`) before reusing it for an unrelated call.
 *  - On failure an output pointer (`struct rt_video **out`...) is set to NULL when it is not
 *    NULL itself; nothing needs freeing.
 *
 * Ownership:
 *  - `_new` and `_fetch` hand the caller an object that the matching `_free` releases;
 *    `_free(NULL)` is a no-op.
 *  - Strings and arrays inside returned structs (rt_video, rt_collection) belong to the
 *    struct: valid until its `_free`, never freed one by one.
 *  - Strings in option structs are copied by the call that takes them (rt_client_new(),
 *    rt_download_new()): the caller's copies may go right after it returns.
 *
 * Versions:
 *  - Option structs (rt_client_options, rt_download_options, rt_collection_options) start with
 *    their size as the program was compiled, which their `_options_init` macro sets: a later
 *    library, whose structs have more fields at the end, gives those their defaults, so a
 *    program keeps working on it unchanged. Always fill them with `_options_init` first.
 *  - Programs built against 0.1's header (whose structs had no size) keep working too: they
 *    call the 0.1 symbols (LIBRUTUBE_0), which the library still provides.
 *  - An rt_download borrows its rt_client and rt_video: both must outlive it.
 *  - Returned `const char *` from rt_strerror(), rt_code_name(), rt_container_extension()
 *    and rt_version_string() point at static storage: never freed, valid for ever.
 *  - What a callback receives (a log message, a struct rt_progress) is valid only during
 *    the call: copy what you keep.
 *
 * Threads:
 *  - Calls that take no object, or only read one (rt_strerror(), rt_code_name(),
 *    rt_target_parse(), rt_target_is_collection(), the `_options_init` functions,
 *    rt_format_choose(), rt_format_estimate_size(), rt_filename_from_title(),
 *    rt_filename_from_template(), rt_container_extension(), rt_chapters_from_description(),
 *    rt_version_string()), keep no
 *    hidden state: any threads may make them at once, each with its own outputs.
 *  - One rt_client may serve several threads at once, each running its own rt_video_fetch(),
 *    rt_collection_fetch() or rt_download_run(); see rt_client_new() for what they share.
 *  - Other objects belong to one thread at a time: an rt_download is run, asked for its path
 *    and freed by one thread; an rt_video or rt_collection may be read by several threads
 *    while none frees it; an rt_error is filled by one call at a time.
 *  - rt_client_cancel() and rt_download_cancel() may be called from any thread at any time
 *    while the object exists, and from a signal handler: they are async-signal-safe (they
 *    only set an atomic flag). No other call is async-signal-safe.
 *  - rt_client_set_limit_rate() may be called from any thread at any time while the client
 *    exists, downloads running or not.
 *  - Callbacks run on the thread of the call that reports: the progress callback on the
 *    thread running rt_download_run(), the log callback on whichever thread is working for
 *    the client. With a client shared by several threads, the log callback may run on
 *    several threads at once: it must be thread-safe then.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(RT_BUILDING_LIBRARY) && defined(__GNUC__)
#define RT_EXTERN __attribute__((visibility("default")))
#else
#define RT_EXTERN
#endif

#define RT_VERSION_MAJOR 0
#define RT_VERSION_MINOR 2
#define RT_VERSION_PATCH 0
#define RT_VERSION       "0.2.0"

/* Opaque objects: made by their _new function, released by their _free. */
struct rt_client;
struct rt_download;

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/*
 * One list makes both the codes and their default messages. The codes describe the user's
 * situation, not which library underneath failed.
 */
#define RT_ERRNO_MAP(XX)                                                                           \
    XX(OK, "success")                                                                              \
    XX(E_USAGE, "invalid argument")                                                                \
    XX(E_BAD_URL, "not a RuTube video address")                                                    \
    XX(E_UNSUPPORTED, "this kind of RuTube address is not supported yet")                          \
    XX(E_NOT_FOUND, "video not found")                                                             \
    XX(E_PRIVATE, "private video: the address needs its access key (?p=...)")                      \
    XX(E_GEO_BLOCKED, "video is blocked in this region")                                           \
    XX(E_UNAVAILABLE, "video is unavailable")                                                      \
    XX(E_FORBIDDEN, "RuTube refused the request")                                                  \
    XX(E_NETWORK, "network error")                                                                 \
    XX(E_HTTP, "server error")                                                                     \
    XX(E_BAD_RESPONSE, "unexpected answer from RuTube")                                            \
    XX(E_BAD_PLAYLIST, "malformed playlist")                                                       \
    XX(E_NO_FORMAT, "requested quality is not available")                                          \
    XX(E_EXISTS, "file already exists")                                                            \
    XX(E_IO, "file error")                                                                         \
    XX(E_DISK_FULL, "disk full")                                                                   \
    XX(E_REMUX, "remux failed")                                                                    \
    XX(E_NOMEM, "out of memory")                                                                   \
    XX(E_CANCELLED, "cancelled")

enum rt_code {
#define RT_CODE_ENUM(name, msg) RT_##name,
    RT_ERRNO_MAP(RT_CODE_ENUM)
#undef RT_CODE_ENUM
        RT_CODE_COUNT
};

/* The size of rt_error.message: enough for a sentence with an address in it. */
#define RT_ERROR_MESSAGE_SIZE 512

struct rt_error {
    enum rt_code code; /* RT_OK until the first failure is recorded */
    /* One sentence, UTF-8, without a final newline: what it is about, then why ("video
     * 2ce7...: segment 17 of 240 failed ..."); rt_error_reason() gives the why alone. Read it
     * as a string: its last byte is the library's (it marks where the reason begins). */
    char message[RT_ERROR_MESSAGE_SIZE];
};

/* The fixed text for `code` (no final period). Never NULL; unknown codes give
 * "unknown error". Static storage. Thread-safe.
 * Language: this text and every rt_error message are English unless the application binds
 * gettext's "rutube-dl" domain (bindtextdomain("rutube-dl", "/usr/share/locale"), as the
 * command and the window do) and sets a locale for messages; then they are looked up in that
 * catalog (Russian: po/ru.po) with dgettext(), whatever the application's own textdomain(). */
RT_EXTERN const char *rt_strerror(enum rt_code code);

/* The name of `code` as a C identifier without "RT_" ("E_NOT_FOUND"): for logs and tests.
 * Never NULL; unknown codes give "UNKNOWN". Static storage. Thread-safe. */
RT_EXTERN const char *rt_code_name(enum rt_code code);

/* Reset `err` to RT_OK with an empty message, so the next failure can be recorded.
 * Accepts NULL. */
RT_EXTERN void rt_error_clear(struct rt_error *err);

/*
 * The reason in `err` without the subject its message starts with: "segment 17 of 240 failed
 * ..." for "video 2ce7...: segment 17 of 240 failed ...", for a program that names the video
 * itself (a report line, a row of a window). The whole message when it names no subject,
 * rt_strerror() of the code when the message is empty, "" for RT_OK or a NULL `err`.
 * Borrowed from `err`: valid while it is unchanged. Since 0.2.
 */
RT_EXTERN const char *rt_error_reason(const struct rt_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Addresses                                                                                  */
/* ------------------------------------------------------------------------------------------ */

enum rt_target_kind {
    RT_TARGET_VIDEO,    /* a video: page, bare id, private, shorts, embed with a hex id */
    RT_TARGET_EMBED,    /* a numeric embed (/play/embed/<number>): rt_video_fetch() resolves it */
    RT_TARGET_LIVE,     /* /live/video/<id>/: a live stream, or the recording of a finished one */
    RT_TARGET_YAPPY,    /* /yappy/<id>/: a Yappy clip, one progressive MP4 file */
    RT_TARGET_PLAYLIST, /* /plst/<number>/: a user's playlist */
    RT_TARGET_CHANNEL,  /* /channel/<number>/[videos/|shorts/] */
    RT_TARGET_PERSON,   /* /video/person/<number>/: an author's videos */
    RT_TARGET_TAG,      /* /tags/video/<number>/ */
    RT_TARGET_SERIES,   /* /metainfo/tv/<number>/: a TV show's episodes */
    /* /u/<name>/[videos/|shorts/]: a channel by its name (since 0.2); rt_collection_fetch()
     * finds its number on the channel's page, then reads it as RT_TARGET_CHANNEL. */
    RT_TARGET_CHANNEL_NAME,
};

/* Which part of a channel: its page without a section lists both kinds. */
enum rt_channel_section {
    RT_SECTION_ALL,
    RT_SECTION_VIDEOS, /* /channel/<n>/videos/ */
    RT_SECTION_SHORTS, /* /channel/<n>/shorts/ */
};

/* What an address names. Plain data: copy it freely, nothing to free. */
struct rt_target {
    enum rt_target_kind kind;
    /* VIDEO, LIVE: 32 lowercase hex characters. YAPPY: the clip's id, lowercased (letters,
     * digits, '-', '_'). EMBED and the collections: the decimal number from the address.
     * CHANNEL_NAME: the name (letters, digits, '-', '_', '.'). */
    char id[65];
    char key[129]; /* the `p` access key of a private video or live stream, or "" */
    enum rt_channel_section section; /* RT_TARGET_CHANNEL and RT_TARGET_CHANNEL_NAME only */
};

/*
 * Parse what a user pasted: a bare id or any rutube.ru address form of the kinds above
 * (with or without scheme, www./m. hosts, trailing query or fragment; private videos as
 * `/video/private/<id>/?p=<key>`). Leading and trailing white space is ignored. Makes no
 * request and needs no client. `*out` is filled in (it is plain data, nothing to free).
 *
 * Errors: RT_E_BAD_URL (not a RuTube address of a known kind, empty, or too long; the message
 * says why), RT_E_USAGE (`text` or `out` is NULL).
 */
RT_EXTERN enum rt_code rt_target_parse(const char *text, struct rt_target *out,
                                       struct rt_error *err);

/* Whether `target` names a list of videos (playlist, channel, person, tag, series) rather
 * than one video: those go to rt_collection_fetch(), the others to rt_video_fetch(). */
RT_EXTERN bool rt_target_is_collection(const struct rt_target *target);

/* ------------------------------------------------------------------------------------------ */
/* Client: settings shared by every request                                                   */
/* ------------------------------------------------------------------------------------------ */

enum rt_log_level { RT_LOG_DEBUG, RT_LOG_INFO, RT_LOG_WARN };

/* Receives the library's diagnostics (retries, mirror switches, a thumbnail that could not
 * be fetched...): one line of UTF-8 without a final newline. `message` is borrowed: valid only
 * during the call. Runs on the thread doing the work (see "Threads" at the top); it must not
 * call back into the library except rt_client_cancel() and rt_download_cancel(). */
typedef void (*rt_log_fn)(enum rt_log_level level, const char *message, void *data);

#define RT_DEFAULT_API_BASE "https://rutube.ru"
#define RT_DEFAULT_USER_AGENT                                                                      \
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "            \
    "Chrome/131.0.0.0 Safari/537.36"
#define RT_DEFAULT_JOBS    16
#define RT_DEFAULT_RETRIES 10
#define RT_DEFAULT_TIMEOUT 20

struct rt_client_options {
    size_t size;          /* sizeof the struct the program knows: set by rt_client_options_init() */
    const char *api_base; /* where API calls go; default RT_DEFAULT_API_BASE */
    const char *user_agent; /* default RT_DEFAULT_USER_AGENT */
    const char *proxy;      /* passed to libcurl as is; NULL keeps libcurl's environment rules */
    int jobs;               /* segment transfers at once, 1..64; default 16 */
    int retries;            /* extra tries per request after the first, 0..100; default 10 */
    int timeout;            /* seconds without a byte (or to connect) before a retry; default 20 */
    bool insecure; /* do not check TLS certificates: only ever on the user's explicit request */
    rt_log_fn log; /* may be NULL */
    void *log_data;
    /* Since 0.2. A proxy for the API calls alone (play options, video info, lists, Yappy, a
     * channel's page), as libcurl takes it; media (playlists, segments, pictures) still goes
     * through `proxy` or direct. RuTube's API refuses data-centre addresses that its CDN
     * serves. NULL: the API calls go like the rest. */
    const char *api_proxy;
    /* Since 0.2. A speed limit, in bytes a second, over every transfer of this client
     * together: the segments and file pieces of all its downloads, on all threads at once.
     * 0 (the default): none. Transfers are held back (paused, not dropped) while the total
     * is over it, so the average over a few seconds stays at or under it; at most a tenth of a
     * second's worth (at least 16 KiB) may come at once after a quiet spell. API answers,
     * playlists, thumbnails and subtitles are not held back (a few small requests a person
     * waits for), but their bytes count: the transfers after them wait until the total is
     * under the limit again. rt_client_set_limit_rate() changes it while downloads run. */
    uint64_t limit_rate;
};

/* Fill `opts` with the defaults above (and NULL for proxy, log and log_data). Strings point
 * at static storage. Call it first, then change what you need: fields added in later versions
 * then keep their defaults. */
#define rt_client_options_init(opts) rt_client_options_init_size((opts), sizeof *(opts))
/* What rt_client_options_init() calls: fills the first `size` bytes (`opts->size` too). */
RT_EXTERN void rt_client_options_init_size(struct rt_client_options *opts, size_t size);

/*
 * Make a client: the settings every request shares, and the connections they reuse.
 * `opts` may be NULL for the defaults; its strings are copied, `log_data` is kept as given.
 * On success `*out` is a new client the caller frees with rt_client_free().
 * Errors: RT_E_USAGE (an option out of range, an api_base that is not http(s), a User-Agent
 * of more than one line, options not filled by rt_client_options_init()), RT_E_NOMEM (also
 * when libcurl cannot start).
 *
 * Threads: may be called from any thread. One client may serve several threads at once,
 * each running its own rt_video_fetch(), rt_collection_fetch() or rt_download_run(). Their
 * segment transfers then share the client's `jobs`: that many at most, in total, at any
 * moment. Connections, DNS answers and TLS sessions are shared too.
 */
RT_EXTERN enum rt_code rt_client_new(const struct rt_client_options *opts, struct rt_client **out,
                                     struct rt_error *err);

/*
 * Stop every request of this client, running or to come: rt_video_fetch(),
 * rt_collection_fetch() and rt_download_run() return RT_E_CANCELLED within about 0.1 s.
 * Thread-safe and async-signal-safe (it only sets an atomic flag), so a SIGINT handler may
 * call it. Accepts NULL. There is no undo: make a new client.
 */
RT_EXTERN void rt_client_cancel(struct rt_client *client);

/*
 * Change the client's speed limit (rt_client_options.limit_rate): bytes a second over all its
 * transfers together, 0 for none. It takes effect at once, also on downloads running on other
 * threads: a lower limit holds their next bytes back, and transfers held back by the old limit
 * go on within about 0.1 s when it is raised or lifted. Thread-safe: may be called from any
 * thread at any time while the client exists (not from a signal handler). Accepts NULL.
 * Since 0.2.
 */
RT_EXTERN void rt_client_set_limit_rate(struct rt_client *client, uint64_t bytes_per_second);

/* Release the client and its connections. Accepts NULL. Only after every call using it (and
 * every rt_download borrowing it) is done: not while another thread still works with it. */
RT_EXTERN void rt_client_free(struct rt_client *client);

/* ------------------------------------------------------------------------------------------ */
/* Videos and their formats                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* One quality of a video. Every mirror address serves the same stream. */
struct rt_format {
    int width, height;   /* pixels; RuTube's heights are odd: 712, 352, 232... 0 if unknown */
    long bandwidth;      /* bits per second, from the master playlist; 0 if unknown */
    double frame_rate;   /* 0 when not given */
    char *codecs;        /* "avc1.640029, mp4a.40.2", or "" */
    char **mirrors;      /* media playlist addresses, the preferred one first */
    size_t mirror_count; /* at least 1 */
    /* A progressive MP4 file (Yappy clips) instead of an HLS stream: `mirrors` are the file's
     * addresses, fetched in byte ranges and saved as MP4 whatever the container asked. */
    bool is_file;
};

/* One subtitle track RuTube offers (play options' captions[]). */
struct rt_caption {
    char *lang; /* RuTube's code: "ru", "en"... */
    char *name; /* its human name ("Русский"), or "" */
    char *url;  /* http(s) address of the file (WebVTT or SubRip) */
};

/*
 * One chapter of a video. RuTube has no chapter field: the chapters are the timestamps at the
 * start of its description's lines, read by rt_chapters_from_description(). A struct of an
 * array (rt_video.chapters): its fields never change.
 */
struct rt_chapter {
    /* Seconds from the video's start: start < end; `end` is the next chapter's start, the last
     * chapter's the video's duration. The first chapter starts at 0. */
    double start, end;
    const char *title; /* UTF-8, never NULL nor empty, at most RT_CHAPTER_TITLE_MAX bytes */
};

/* The most chapters a list holds, and the longest title in bytes: what an MP4's chapter list
 * (Nero's `chpl`, one byte each for the count and a title's length) can carry, so that every
 * file gets the same list. */
#define RT_CHAPTERS_MAX      255
#define RT_CHAPTER_TITLE_MAX 255

/* A video as RuTube describes it. The library makes it (rt_video_fetch()): later versions may
 * add fields at its end, never to the structs in its arrays. */
struct rt_video {
    char *id;            /* 32 hex characters (a Yappy clip: its own id) */
    char *title;         /* as RuTube gives it; "" when missing */
    char *description;   /* "" when missing */
    char *author;        /* "" when missing */
    char *author_id;     /* "" when missing */
    char *thumbnail_url; /* "" when missing */
    char *page_url;      /* https://rutube.ru/video/<id>/ */
    char *master_url;    /* the HLS master playlist address */
    double duration;     /* seconds; 0 when unknown */
    /* Ascending by picture size; formats of one size from the least compatible codec to the
     * most (AV1, HEVC, H.264), then by bit rate: the last one is the best. */
    struct rt_format *formats;
    size_t format_count; /* at least 1 */
    struct rt_caption *captions;
    size_t caption_count;
    /* From the video info call; empty (or -1) when RuTube did not say or the call failed. */
    char *published; /* publication time, ISO 8601 as RuTube gives it ("2024-10-29T12:00:00") */
    char *category;  /* "Сериалы" */
    char **tags;     /* tag names */
    size_t tag_count;
    long long views; /* -1 when unknown */
    bool is_adult;
    bool is_live;  /* the recording of a live stream (one on the air is refused) */
    bool is_yappy; /* a Yappy clip: one MP4 file, few metadata */
    /* Since 0.2 (a program built before never reads past is_yappy): captions[i]'s format as
     * RuTube states it, "vtt" (WebVTT) or "srt" (SubRip), or "" when it does not say. */
    char **caption_formats;
    /* Since 0.2: the chapters of the description (rt_chapters_from_description() with the
     * description and duration above), in order; NULL and 0 when it has none. */
    const struct rt_chapter *chapters;
    size_t chapter_count;
    /* Since 0.2: a live stream on the air (`is_live` too). master_url is its live playlist;
     * its formats are the live master's variants, or one of unknown size when the address is
     * a media playlist itself; `duration` is 0. rt_download_run() records it until the
     * broadcast ends, rt_download_options.live_duration or rt_download_cancel(). */
    bool on_air;
};

/*
 * Ask RuTube about the video `target` names: play options, the video info call (for the
 * publication date, views, category, tags; its failure only leaves those empty) and the
 * master playlist. A numeric embed is resolved to its video (play options' effective_video);
 * a Yappy clip is asked of the Yappy API and has one format, the MP4 file (`is_file`).
 * A live stream on the air is refused with RT_E_UNSUPPORTED; a finished one's recording is
 * an ordinary video with `is_live` set. Collections are refused with RT_E_USAGE.
 * On success `*out` is a new rt_video the caller frees with rt_video_free().
 *
 * Blocks until RuTube answered (retrying per the client's settings), failed or was
 * cancelled. Threads: as many at once on one client as you like, each with its own `out`.
 *
 * Errors: RT_E_NOT_FOUND, RT_E_PRIVATE (a private video without its key or with a wrong one),
 * RT_E_GEO_BLOCKED, RT_E_UNAVAILABLE (RuTube gives no stream and says why: the message carries
 * RuTube's own text), RT_E_UNSUPPORTED (a live stream on the air), RT_E_FORBIDDEN (403),
 * RT_E_HTTP, RT_E_NETWORK, RT_E_BAD_RESPONSE (malformed or oversized JSON), RT_E_BAD_PLAYLIST,
 * RT_E_CANCELLED (rt_client_cancel()), RT_E_USAGE (a collection, or a NULL argument),
 * RT_E_NOMEM.
 */
RT_EXTERN enum rt_code rt_video_fetch(struct rt_client *client, const struct rt_target *target,
                                      struct rt_video **out, struct rt_error *err);

/* Release a video and every string and array in it. Accepts NULL. Not while an rt_download
 * borrowing it still exists. */
RT_EXTERN void rt_video_free(struct rt_video *video);

/*
 * The chapters a description gives, read the way yt-dlp reads them from a YouTube or RuTube
 * description (its _extract_chapters_from_description()):
 *  - A chapter is a line that starts with a timestamp, H:MM:SS, MM:SS or M:SS (hours of up to
 *    six digits, minutes under 60 after hours, seconds under 60), before it only blanks, bullets,
 *    dashes, opening brackets or emoji ("• 0:00", "[00:00]", "▶️ 1:02:03"), then separators
 *    (any run of characters that are neither letters nor digits: "-", "–", "—", ":", "|",
 *    ".", "]", emoji) ending in a blank, then the title: "0:00 Вступление",
 *    "12:34 — Part two", "[1:02:03] Итоги". A title is kept as written, trimmed.
 *  - Only when no two lines are like that: lines that end with one ("Вступление - 0:00").
 *  - Not chapters: a timestamp inside a line ("Смотрите с 5:00"), one alone on its line, one
 *    glued to its title ("0:00-Intro", as yt-dlp reads it), seconds of 60 or more ("0:75"),
 *    minutes of 60 or more after hours ("1:60:00"; "75:30" is 75 minutes). yt-dlp would take
 *    "0:75" as 75 seconds, and a timestamp alone on its line with the next line as its title.
 *  - The times are put in order (a description listing them out of order is sorted, as
 *    yt-dlp does); of two equal times the first line wins; times at or past `duration` are
 *    dropped. Fewer than two left: no chapters (a lone timestamp is not a table of contents).
 *  - A first chapter after 0:00 gets one before it, "<Untitled Chapter 1>" from 0, as yt-dlp
 *    makes it.
 *  - Untrusted text: at most 1024 timestamped lines are read and RT_CHAPTERS_MAX chapters
 *    kept (the next one's start ends the last one kept); titles are cut to
 *    RT_CHAPTER_TITLE_MAX bytes between characters; bytes that are not UTF-8 become U+FFFD
 *    and control characters spaces.
 * `description` NULL reads as "". `duration` (seconds) must be known (above 0): without it
 * there are no chapters, as the last one would have no end.
 *
 * On success `*count` chapters are in `*out`, one block the caller frees with
 * rt_chapters_free(); none: `*out` NULL and `*count` 0. Pure: no request; thread-safe.
 * Errors: RT_E_USAGE (`out` or `count` NULL), RT_E_NOMEM. Since 0.2.
 */
RT_EXTERN enum rt_code rt_chapters_from_description(const char *description, double duration,
                                                    struct rt_chapter **out, size_t *count);

/* Release what rt_chapters_from_description() made: the array and its titles. Accepts NULL.
 * Since 0.2. */
RT_EXTERN void rt_chapters_free(struct rt_chapter *chapters);

/* The video codec of a format, from its CODECS. Since 0.2. */
enum rt_codec {
    RT_CODEC_UNKNOWN,
    RT_CODEC_H264, /* avc1: plays everywhere */
    RT_CODEC_HEVC, /* hvc1/hev1: H.265, the HDR renditions */
    RT_CODEC_AV1,  /* av01 */
};

/* Which codec `format` carries (from `codecs`), RT_CODEC_UNKNOWN when it does not say.
 * Never fails; makes no request. Since 0.2. */
RT_EXTERN enum rt_codec rt_format_codec(const struct rt_format *format);

/* A codec's usual name: "H.264", "HEVC", "AV1", "?" for unknown values. Static storage.
 * Since 0.2. */
RT_EXTERN const char *rt_codec_name(enum rt_codec codec);

/*
 * Choose a format by a user's words:
 *   "best" (also NULL or "")  the last format;
 *   "worst"                   the first;
 *   "<N>" or "<N>p"           the best format whose shorter side is at most N: "720" picks
 *                             1280x712 for a landscape video and 608x1080 for a vertical one
 *                             (the "720p" convention). When every format is bigger, the
 *                             smallest one is taken and `*exact` is set to false;
 *   "<W>x<H>"                 exactly that size.
 * Words pick a picture size; where that size comes in several codecs, the most compatible
 * one is taken (H.264, then HEVC, then AV1: the last of its size in video->formats).
 * On success `*index` is a valid index into video->formats. `exact` may be NULL; it is set to
 * false only in the "every format is bigger" case. Makes no request.
 * Errors: RT_E_USAGE (words not understood), RT_E_NO_FORMAT (no such W x H; the message lists
 * what there is).
 */
RT_EXTERN enum rt_code rt_format_choose(const struct rt_video *video, const char *spec,
                                        size_t *index, bool *exact, struct rt_error *err);

/* As rt_format_choose(), but where the size chosen comes in `prefer` too, that one is taken
 * (RT_CODEC_UNKNOWN: the most compatible, as rt_format_choose()). A preference, not a
 * filter: a size without it keeps its own codec. Since 0.2. */
RT_EXTERN enum rt_code rt_format_choose_codec(const struct rt_video *video, const char *spec,
                                              enum rt_codec prefer, size_t *index, bool *exact,
                                              struct rt_error *err);

/*
 * The format worth fetching for the audio alone (an audio-only container, see
 * rt_container_has_video()): the cheapest (fewest bits a second) whose audio is as good as the
 * best format's (same AAC profile, sample rate and channels, at least 90 % of its audio bit
 * rate). RuTube muxes audio into every rendition, often the same one, so a small picture can
 * bring the same sound for a fraction of the bytes. Found by reading the first 512 KiB of the
 * first segment of the costliest readable format, then of the others from the cheapest up (six
 * requests at most); what was found goes to the client's log (RT_LOG_INFO: the sizes saved).
 * A format that cannot be read (fragmented MP4, another codec) is passed over; when nothing can
 * be read, or a request fails, `*format_index` is the best format (the last), and the download
 * will say what is wrong. A Yappy clip (one file) is its only format.
 * Errors: RT_E_CANCELLED (rt_client_cancel()), RT_E_USAGE (NULL arguments), RT_E_NOMEM.
 * Since 0.2.
 */
RT_EXTERN enum rt_code rt_video_audio_format(struct rt_client *client, const struct rt_video *video,
                                             size_t *format_index, struct rt_error *err);

/* Bytes a download of `format` should take (bandwidth x duration), or 0 when unknown.
 * `format` is one of video->formats. Never fails; makes no request. */
RT_EXTERN uint64_t rt_format_estimate_size(const struct rt_video *video,
                                           const struct rt_format *format);

/* ------------------------------------------------------------------------------------------ */
/* Collections: playlists, channels, persons, tags, series                                    */
/* ------------------------------------------------------------------------------------------ */

/* One video of a collection, as the list gives it. */
struct rt_entry {
    char *id;        /* 32 lowercase hex characters */
    char *title;     /* "" when missing */
    char *url;       /* the video's page address (https://rutube.ru/video/<id>/) */
    char *author;    /* "" when missing */
    double duration; /* seconds; 0 when unknown */
    bool is_short;   /* a vertical short (RuTube's origin type "rshorts") */
    bool is_live;    /* a live stream or its recording */
};

struct rt_collection {
    struct rt_entry *entries; /* in the collection's order, each id once */
    size_t count;
    size_t pages;  /* pages read */
    bool complete; /* false: stopped at max_entries or max_pages before the end */
};

/* How far to read a collection. Zeros mean the defaults. */
struct rt_collection_options {
    size_t size;        /* sizeof the struct the program knows: set by the init below */
    size_t max_entries; /* stop once this many entries are known; 0: all */
    size_t max_pages;   /* stop after this many pages; 0: RT_DEFAULT_MAX_PAGES */
};

/* RuTube lists 20 to 100 videos a page: 1000 pages is more than any real collection. */
#define RT_DEFAULT_MAX_PAGES 1000

/* Fill `opts` with the defaults (zeros, and its size). Call it first, then change what you
 * need. A macro, so the library learns the struct's size as the program knows it. Since 0.2
 * (0.1's struct had no size and no init: zeros were enough). */
#define rt_collection_options_init(opts) rt_collection_options_init_size((opts), sizeof *(opts))
/* What rt_collection_options_init() calls: fills the first `size` bytes (`opts->size` too). */
RT_EXTERN void rt_collection_options_init_size(struct rt_collection_options *opts, size_t size);

/*
 * Read the collection `target` names, page by page: follow has_next, stop on an empty page,
 * on a page that brings no new video (a server repeating itself), at max_pages or once
 * max_entries are known. Entries without a usable id are skipped (logged). `opts` may be
 * NULL. On success `*out` is a new collection (possibly with no entries) that the caller
 * frees with rt_collection_free().
 *
 * Blocks until the last page needed is read. Threads: like rt_video_fetch().
 *
 * Errors: RT_E_USAGE (the target is not a collection, or `opts` not filled by
 * rt_collection_options_init()), RT_E_NOT_FOUND (no such collection),
 * RT_E_FORBIDDEN, RT_E_HTTP, RT_E_NETWORK, RT_E_BAD_RESPONSE (a page that is not RuTube's
 * list JSON), RT_E_CANCELLED, RT_E_NOMEM. A failure after the first page is an error too: a
 * partial list would silently skip videos.
 */
RT_EXTERN enum rt_code rt_collection_fetch(struct rt_client *client, const struct rt_target *target,
                                           const struct rt_collection_options *opts,
                                           struct rt_collection **out, struct rt_error *err);

/* Release a collection and its entries. Accepts NULL. */
RT_EXTERN void rt_collection_free(struct rt_collection *collection);

/* ------------------------------------------------------------------------------------------ */
/* File names                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* Longest file name, in bytes, that rt_filename_from_title() and rt_filename_from_template()
 * make, extension included. It leaves room under the usual 255-byte limit for ".part",
 * ".info.json" and ".<lang>.vtt" suffixes. */
#define RT_FILENAME_MAX 200

/*
 * Turn a video title into a file name `<title>.<ext>`: Cyrillic, emoji and punctuation stay;
 * '/', NUL and control characters become '_' or ' '; white space runs collapse; leading dots,
 * dashes and spaces go (no hidden files, nothing that looks like an option); invalid UTF-8
 * becomes '_'; the result is cut on a character boundary so it fits RT_FILENAME_MAX bytes.
 * An empty result (or "." and "..") falls back to `fallback` (the video id).
 * Writes at most `size` bytes including the terminating NUL into `out` (the caller's buffer;
 * RT_FILENAME_MAX + 1 bytes always suffice). `fallback` and `ext` may be NULL. Pure: no
 * request, no file touched.
 * Errors: RT_E_USAGE (`size` too small for any name, or `out` NULL).
 */
RT_EXTERN enum rt_code rt_filename_from_title(const char *title, const char *fallback,
                                              const char *ext, char *out, size_t size);

/* The default output template: the title, then the extension. */
#define RT_DEFAULT_TEMPLATE "%(title)s.%(ext)s"

/*
 * Expand an output template, as yt-dlp users know them: `%(field)s` is replaced by the field,
 * `%%` by '%'. Fields: title, id, author (also uploader), author_id, height, width,
 * resolution (1280x712), upload_date (YYYYMMDD), duration (whole seconds), ext. A field RuTube
 * did not give becomes "NA". Each field is made safe as rt_filename_from_title() does
 * (so a title cannot add folders); '/' written in the template itself makes subfolders.
 * With `restrict_ascii`, fields are transliterated to ASCII letters, digits and '_'
 * ("Пальцы | Трейлер" -> "Paltsy_Treiler"). The title is shortened so that the last path
 * part fits RT_FILENAME_MAX bytes; no part is ever empty, "." or "..".
 * `format` may be NULL (height, width and resolution then give "NA"); `template_text` NULL
 * means RT_DEFAULT_TEMPLATE. The result goes into the caller's buffer `out` of `size` bytes
 * (4096 is plenty). Pure: no request, no file or folder made.
 * Errors: RT_E_USAGE (unknown field, malformed template, or `size` too small).
 */
RT_EXTERN enum rt_code rt_filename_from_template(const char *template_text,
                                                 const struct rt_video *video,
                                                 const struct rt_format *format, const char *ext,
                                                 bool restrict_ascii, char *out, size_t size,
                                                 struct rt_error *err);

/*
 * Text from outside (a title, an author, RuTube's words in an error) made safe to show on a
 * terminal or in a window, on one line: control characters (C0 but tab, newline and carriage
 * return, which become spaces; DEL; C1), the marks that reorder or isolate text (U+061C,
 * U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) and bytes that are not UTF-8 are written as
 * visible escapes ("\x1b", "\u202e", "\x9b"); everything else is copied. A server must never
 * drive the user's terminal, nor turn "txt.exe" into "exe.txt" on screen. Writes at most
 * `size` bytes including the NUL into `out`, cut between characters; returns the bytes
 * written without the NUL. `text` NULL reads as "". Pure, thread-safe. Since 0.2.
 */
RT_EXTERN size_t rt_text_printable(const char *text, char *out, size_t size);

/*
 * A part of a video in the words people use, yt-dlp's --download-sections: "*1:00-2:30" (the
 * star optional), each time as seconds ("90", "90.5"), M:SS or H:MM:SS (with a fraction); an
 * empty start is 0, an empty end or "inf" the video's end (`*end` = HUGE_VAL). Errors:
 * RT_E_USAGE (not a range, or an end not after its start). Pure. Since 0.2.
 */
RT_EXTERN enum rt_code rt_section_parse(const char *text, double *start, double *end,
                                        struct rt_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Downloads                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* What a container holds (the last column below). */
#define RT_HOLDS_COVER    1u /* the thumbnail as an attached picture */
#define RT_HOLDS_ANY_TAGS 2u /* tags by any name (Matroska's PURL and RUTUBE_ID) */
#define RT_HOLDS_VIDEO    4u /* the video stream: without it a file of the audio alone. Since 0.2 */
#define RT_HOLDS_CHAPTERS 8u /* the video's chapters (since 0.2) */

/*
 * The containers a download writes, one row each, and everything the library decides by them:
 *   XX(NAME, extension, libavformat muxer, subtitle codec, audio encoder, RT_HOLDS_* flags)
 * The muxer is NULL for the segments kept as served (no remux); the subtitle codec (FFmpeg's
 * name) is NULL where subtitle tracks cannot go; the audio encoder (FFmpeg's name) is NULL
 * where RuTube's AAC is copied as it is, else the audio is decoded and encoded again. MP4 is
 * ISO-BMFF with the moov first, the default; TS the segments concatenated, an MPEG-TS stream
 * exactly as RuTube sends it; MKV Matroska. Without RT_HOLDS_VIDEO, the audio alone (since
 * 0.2): M4A the AAC copied into an MP4 audio file, MP3, Opus (in Ogg) and FLAC encoded
 * in-process by libavcodec. Video is always copied, never re-encoded. A new container is a
 * new row (at the end: the values are the ABI).
 */
#define RT_CONTAINER_MAP(XX)                                                                       \
    XX(MP4, "mp4", "mp4", "mov_text", NULL, RT_HOLDS_VIDEO | RT_HOLDS_COVER | RT_HOLDS_CHAPTERS)   \
    XX(TS, "ts", NULL, NULL, NULL, RT_HOLDS_VIDEO)                                                 \
    XX(MKV, "mkv", "matroska", "subrip", NULL,                                                     \
       RT_HOLDS_VIDEO | RT_HOLDS_COVER | RT_HOLDS_ANY_TAGS | RT_HOLDS_CHAPTERS)                    \
    XX(M4A, "m4a", "ipod", NULL, NULL, RT_HOLDS_COVER | RT_HOLDS_CHAPTERS)                         \
    XX(MP3, "mp3", "mp3", NULL, "libmp3lame", RT_HOLDS_COVER | RT_HOLDS_CHAPTERS)                  \
    XX(OPUS, "opus", "opus", NULL, "libopus", RT_HOLDS_CHAPTERS)                                   \
    XX(FLAC, "flac", "flac", NULL, "flac", RT_HOLDS_COVER)

enum rt_container {
#define RT_CONTAINER_ENUM(name, ext, muxer, subtitles, audio, holds) RT_CONTAINER_##name,
    RT_CONTAINER_MAP(RT_CONTAINER_ENUM)
#undef RT_CONTAINER_ENUM
        RT_CONTAINER_COUNT
};

/* The file extension of a container, without the dot ("mp4"); also what a user types for it
 * (--container mkv). Unknown values give "mp4". Static storage. */
RT_EXTERN const char *rt_container_extension(enum rt_container container);

/* Whether the container holds the video (RT_HOLDS_VIDEO): false for the audio-only ones (M4A,
 * MP3, Opus, FLAC), whose downloads keep the audio alone. Unknown values read as MP4. Since
 * 0.2. */
RT_EXTERN bool rt_container_has_video(enum rt_container container);

/* What a download is doing when it reports progress. */
enum rt_phase {
    RT_PHASE_DOWNLOAD, /* fetching segments into <name>.part */
    RT_PHASE_REMUX,    /* copying the streams into the MP4/MKV file */
};

/* A snapshot of a running download, handed to the progress callback. */
struct rt_progress {
    enum rt_phase phase;
    /* RT_PHASE_DOWNLOAD: bytes received so far (written or waiting in memory).
     * RT_PHASE_REMUX: bytes of the downloaded stream read so far; bytes_expected its size. */
    uint64_t bytes_done;
    uint64_t bytes_expected; /* best current estimate of the total; may change */
    size_t segments_done;    /* written to the file in order */
    size_t segments_total;
    double speed;   /* bytes per second over the last few seconds */
    double elapsed; /* seconds since the transfers started */
    /* Since 0.2: a live recording (rt_video.on_air): `recorded` seconds of media so far;
     * bytes_expected and segments_total are 0 then, as nobody knows how long it goes on. */
    bool live;
    double recorded;
};

/* Called on the thread running rt_download_run(), at most ~10 times a second and once at the
 * end. `progress` is borrowed: valid only during the call. It must not call back into the same
 * download except rt_download_cancel(); it should return quickly, as transfers wait for it. */
typedef void (*rt_progress_fn)(const struct rt_progress *progress, void *data);

struct rt_download_options {
    size_t size; /* sizeof the struct the program knows: set by rt_download_options_init() */
    const char *output_dir;      /* created if missing; default "." */
    const char *output_template; /* see rt_filename_from_template(); default RT_DEFAULT_TEMPLATE */
    bool restrict_filenames;     /* ASCII-only names */
    enum rt_container container; /* default RT_CONTAINER_MP4 */
    bool overwrite;              /* replace an existing file instead of failing with RT_E_EXISTS */
    /* Start over even when <name>.part and its state show an earlier run of the same video,
     * quality and playlist (which is otherwise continued from its last whole segment). */
    bool no_continue;

    /* Extras. Failing to fetch one is a warning (through the log), never a failed download. */
    bool embed_thumbnail;  /* the thumbnail as the MP4/MKV cover */
    bool write_thumbnail;  /* the thumbnail beside the video: <name>.jpg */
    bool embed_subs;       /* subtitles as tracks (mov_text in MP4) with their language */
    bool write_subs;       /* subtitles beside the video: <name>.<lang>.vtt|srt */
    const char *sub_langs; /* "ru,en" chooses tracks by code; NULL, "" or "all": every track */
    bool write_info_json;  /* the video's metadata as <name>.info.json */

    rt_progress_fn progress; /* may be NULL */
    void *progress_data;

    /* Since 0.2. The video's chapters (rt_video.chapters) into the file: MP4 (Nero chpl and a
     * QuickTime chapter track) and MKV hold them, a TS file and a Yappy clip saved as served
     * do not. On by default, for programs built before it too. */
    bool embed_chapters;

    /* Since 0.2. Only the part of the video from `section_start` to `section_end` seconds
     * (rt_section_parse() reads "1:00-2:30"): only the segments that cover it are fetched
     * (and resumed), and the file starts at the exact time without re-encoding, the key frame
     * before it kept and hidden by an edit list, and lasts the range within a frame (MP4 and
     * M4A; MP3, Opus and FLAC are cut to the sample). Matroska has no edit lists: it starts at
     * the key frame that begins the first segment; TS keeps the segments whole. The name gets
     * " [1:00-2:30]" before its extension. section_end <= 0 or HUGE_VAL: to the end; both 0
     * (the default): the whole video. */
    double section_start, section_end;

    /* Since 0.2. One file per chapter of the video (rt_video.chapters) instead of one for it
     * all: "<name> - 001 <chapter title>.<ext>" (ASCII names: "<name>_001_<title>"), each cut
     * as a section is, with the chapter's title as its title tag, the video's as its album and
     * its number as its track; no chapter marks inside. Each chapter's segments are fetched
     * (and resumed) on their own, so a segment a chapter boundary splits is fetched for both.
     * rt_download_file_count() and rt_download_file_path() name the files; a file already
     * there is left alone (unless overwrite) and the others are made. A video without
     * chapters is saved whole. Not with a section, nor with RT_CONTAINER_TS (RT_E_USAGE). */
    bool split_chapters;

    /* Since 0.2. A live stream on the air (rt_video.on_air) is recorded from its playlist's
     * window (the live edge) until the broadcast ends, `live_duration` seconds of it are in
     * (0: no limit) or rt_download_stop(); then the file is made as for any video. With
     * `live_from_start`, from the first segment the playlist still lists (the whole broadcast
     * where it keeps it). A recording stopped by a kill is continued by the next run into
     * the same file. */
    double live_duration;
    bool live_from_start;
};

/* Fill `opts` with the defaults: output_dir ".", RT_DEFAULT_TEMPLATE, MP4, embed_chapters on,
 * every other switch off, no callback. Call it first, then change what you need. */
#define rt_download_options_init(opts) rt_download_options_init_size((opts), sizeof *(opts))
/* What rt_download_options_init() calls: fills the first `size` bytes (`opts->size` too). */
RT_EXTERN void rt_download_options_init_size(struct rt_download_options *opts, size_t size);

/*
 * Prepare saving `video->formats[format_index]`. `client` and `video` are borrowed and must
 * outlive the download; option strings are copied, `progress_data` kept as given; `opts` may
 * be NULL for the defaults. The file name is made from the template now, so
 * rt_download_path() is known before anything is fetched. Makes no request and touches no
 * file. On success `*out` is a new download the caller frees with rt_download_free().
 * Errors: RT_E_USAGE (no such format, an unknown container, a template rt_filename_from_template()
 * refuses, options not filled by rt_download_options_init()), RT_E_NOMEM.
 */
RT_EXTERN enum rt_code rt_download_new(struct rt_client *client, const struct rt_video *video,
                                       size_t format_index, const struct rt_download_options *opts,
                                       struct rt_download **out, struct rt_error *err);

/* The final path the download writes (output_dir joined with the name). Borrowed: valid
 * until rt_download_free(). NULL only for a NULL download. */
RT_EXTERN const char *rt_download_path(const struct rt_download *download);

/* How many files the download makes: one, or with split_chapters one per chapter (and their
 * paths, borrowed like rt_download_path()'s, which is file 0). rt_download_file_path() is
 * NULL for an index past the last. Since 0.2. */
RT_EXTERN size_t rt_download_file_count(const struct rt_download *download);
RT_EXTERN const char *rt_download_file_path(const struct rt_download *download, size_t index);

/*
 * Whether the download may start: RT_E_EXISTS ("PATH already exists") when its final path is
 * taken (with split_chapters: every chapter's) and overwrite is off, else RT_OK. It is the check
 * rt_download_run() makes first, for a program that wants to know before it says "downloading".
 * Makes no request. Since 0.2.
 */
RT_EXTERN enum rt_code rt_download_check(const struct rt_download *download, struct rt_error *err);

/*
 * End a live recording now, as a finished one: rt_download_run() then makes the file of what
 * was recorded and returns RT_OK. For any other download it is rt_download_cancel(). Any
 * thread, any time, and async-signal-safe (it only sets a flag). Since 0.2.
 */
RT_EXTERN void rt_download_stop(struct rt_download *download);

/*
 * Fetch the media playlist and every segment, writing the stream to `<path>.part` in playlist
 * order; then, for MP4 and MKV, copy its streams into the container (with the metadata,
 * cover and subtitle tracks asked for) and give the file its final name. Extras beside the
 * video are written last. Blocks until done, failed or cancelled.
 *
 * Errors: RT_E_EXISTS (the final path exists and overwrite is off; nothing was fetched),
 * RT_E_NETWORK / RT_E_HTTP (a segment failed on every mirror after all retries),
 * RT_E_BAD_PLAYLIST, RT_E_REMUX (the stream could not be put into the container: the
 * message says where the downloaded stream was kept, as `<name>.ts` when that name is free),
 * RT_E_IO, RT_E_DISK_FULL, RT_E_UNSUPPORTED (a file too big to fetch whole from a server
 * that does not send ranges), RT_E_CANCELLED
 * (rt_download_cancel() or rt_client_cancel()), RT_E_NOMEM.
 * On failure the final path is never created; whole segments already fetched are kept in
 * `<path>.part` with `<path>.part.state` beside it, and the next run of a download of the
 * same video, quality and playlist continues from there (unless `no_continue`).
 * Threads: run each download on one thread; several downloads may run at once on one client.
 * Run a download once: make a new one to try again.
 */
RT_EXTERN enum rt_code rt_download_run(struct rt_download *download, struct rt_error *err);

/*
 * Ask a running rt_download_run() to stop; it returns RT_E_CANCELLED within about 0.1 s.
 * Thread-safe and async-signal-safe (it only sets an atomic flag), so a SIGINT handler may
 * call it. Calling it before rt_download_run() makes the run return at once.
 */
RT_EXTERN void rt_download_cancel(struct rt_download *download);

/* Release a download. Accepts NULL. Not while rt_download_run() is still running on it: cancel,
 * wait for the run to return, then free. Files on disk are left as they are. */
RT_EXTERN void rt_download_free(struct rt_download *download);

/* ------------------------------------------------------------------------------------------ */
/* Versions                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/*
 * The versions in use, of the libraries actually loaded rather than those built against:
 * "librutube 0.2.0, libcurl 7.88.1, jansson 2.14, libavformat 59.27.100" (libavformat "not
 * found (MP4 and MKV need it)" when FFmpeg cannot be loaded). Static storage; thread-safe
 * (worked out once). RT_VERSION is the version of the header compiled against.
 */
RT_EXTERN const char *rt_version_string(void);

#ifdef __cplusplus
}
#endif

#endif /* RUTUBE_RUTUBE_H */
