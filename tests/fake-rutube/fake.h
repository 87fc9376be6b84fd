/* What the fake RuTube server's files share: catalog model, settings, each file's entry points. */
#ifndef FAKE_H
#define FAKE_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Invariants: everything here is built once at start-up by fake_main.c, catalog.c and live.c
 * and is read-only afterwards, except the per-segment request counts (guarded by faults.c's mutex),
 * the counters in observe.c and --total-rate's shared clock in pace.c (each behind its own
 * mutex). So connection threads may read it without locks.
 */

#define FAKE_PROGRAM "fake-rutube"

/* The four listeners; the numeric values are also the mirror numbers used by the switches. */
enum fake_role {
    FAKE_ROLE_MIRROR0 = 0,
    FAKE_ROLE_MIRROR1 = 1,
    FAKE_ROLE_API = 2,
    FAKE_ROLE_PROXY = 3, /* a forward proxy: answers as the listener its absolute URL names */
    FAKE_ROLE_COUNT = 4,
};

enum fake_access {
    FAKE_ACCESS_OK,
    FAKE_ACCESS_PRIVATE,
    FAKE_ACCESS_GEO,
    FAKE_ACCESS_REMOVED,
    FAKE_ACCESS_BLOCKING_RULE, /* 2026's region block: detail.type "blocking_rule" */
};

/* The master playlist's shape: today's, or 2017's (no RESOLUTION, no FRAME-RATE, one mirror). */
enum fake_master {
    FAKE_MASTER_CURRENT,
    FAKE_MASTER_2017,
};

/* A quality folder's video codec, from its name's suffix (none, -hevc, -av1); also the order of
   qualities of one size in the master playlist. */
enum fake_codec {
    FAKE_CODEC_H264,
    FAKE_CODEC_HEVC,
    FAKE_CODEC_AV1,
};

/* What rutube.ru calls the video's origin: a regular video ("rtb") or a short ("rshorts"). */
enum fake_kind {
    FAKE_KIND_VIDEO,
    FAKE_KIND_SHORT,
};

enum fake_live {
    FAKE_LIVE_NONE,
    FAKE_LIVE_ON_AIR,   /* live_streams.hls instead of video_balancer */
    FAKE_LIVE_ENDED,    /* a stream's recording: a video like any other, marked is_livestream */
    FAKE_LIVE_UPCOMING, /* not on the air until --live-starts-in has gone by; then like ON_AIR */
};

/* A file read whole at start-up; data is NUL-terminated (not counted in len) and owned. */
struct fake_blob {
    char *data;
    size_t len;
};

/*
 * One pass over a quality's MPEG-TS files, as a live stream that comes round them again needs
 * it: how far each PID's continuity counter advances (its packets with a payload, mod 16) and
 * how far the timestamps reach, so that pass p adds p times each and counters and clocks run
 * on across the wrap. Made by live.c (ts_shift.c) for live qualities.
 */
#define FAKE_TS_PIDS 16
struct fake_ts_cycle {
    size_t pid_count; /* PIDs past FAKE_TS_PIDS are left as they are */
    uint16_t pids[FAKE_TS_PIDS];
    uint8_t steps[FAKE_TS_PIDS];
    /* 90 kHz: the longest stream's end (its last PTS plus its last frame, or for ADTS audio
       the last PES's frames) minus its first PTS; 0 when no PES had a PTS. */
    uint64_t span;
};

/* One .ts (or fMP4 .m4s, or init) file of one quality, as listed by ffmpeg's index.m3u8. */
struct fake_segment {
    char *path;      /* absolute or relative to the working directory, ready for open() */
    double duration; /* seconds, from #EXTINF */
    uint64_t size;   /* bytes, from stat() at start-up */
};

/* One quality folder (DIR/<media>/<W>x<H>[-hevc|-av1]/). */
struct fake_quality {
    unsigned width, height;
    enum fake_codec codec;
    char *name;   /* the folder's name, "1920x1080-av1": names the rendition's CDN paths */
    char *codecs; /* the master's CODECS value, from stream-inf.txt (or today's default) */
    unsigned fps; /* the master's FRAME-RATE, from stream-inf.txt (or 25) */
    bool is_fmp4; /* index.m3u8 has #EXT-X-MAP: fragmented MP4 with an init section */
    struct fake_segment init; /* fMP4 only: the #EXT-X-MAP file (path NULL otherwise) */
    struct fake_segment *segments;
    size_t segment_count;
    double duration;                /* sum of the segments' durations, seconds */
    uint64_t bytes;                 /* sum of the segments' sizes */
    unsigned bandwidth;             /* real average bit rate, bits per second */
    struct fake_ts_cycle *ts_cycle; /* live qualities only (live.c), else NULL; owned */
};

/* One media folder (landscape, portrait), qualities sorted smallest first. */
struct fake_media {
    char *name;
    struct fake_quality *qualities;
    size_t quality_count;
    /* DIR/<media>/<W>x<H>-audio: the same segmenting without video, served to every quality
       by --no-video (the audio track is the same in all of them). NULL when absent; owned. */
    struct fake_quality *audio_only;
    bool has_fmp4; /* some quality is fMP4: --segments leaves this media's videos alone */
};

/* One quality of one video as the CDN names it. The counts are indexed by segment (0-based). */
struct fake_rendition {
    const struct fake_quality *quality;
    char hash[33];  /* 32 lowercase hex digits: names the .mp4 in the CDN paths */
    char token[23]; /* the signed-looking first path part */
    unsigned number;
    /* What the media playlist lists: the quality's own segments, or --segments virtual ones
       (virtual k, from 1, is real segment ((k - 1) mod real count) + 1). */
    size_t segment_count;
    double duration;  /* sum of those segments' durations, seconds */
    unsigned *counts; /* requests seen per listed segment, across both mirrors; faults.c's lock */
    unsigned init_requests; /* fMP4: requests of the init section, across both mirrors; same lock */
};

/* One subtitle track from catalog.json; captions.c writes its text. */
struct fake_caption {
    char *code;   /* language, e.g. "ru": picks the cue texts (ru: Russian, else English) */
    char *title;  /* langTitle in play options */
    char *format; /* "vtt" or "srt" */
};

struct fake_video {
    char *id;
    char *title;
    char *author;
    char *key; /* private videos only; NULL otherwise */
    char *description;
    char *detail; /* a removed video's "detail" in play options (default "Видео удалено") */
    char *created_ts;
    char *publication_ts;
    char *category;
    json_t *tags; /* array of strings; owned */
    struct fake_caption *captions;
    size_t caption_count;
    long long hits;
    long long numeric_id; /* play options' "id", and the number of /play/embed/<number> */
    long long author_id;  /* also the number of the author's person (channel) collection */
    long long category_id;
    enum fake_access access;
    enum fake_kind kind;
    enum fake_live live;
    enum fake_master master;
    const struct fake_media *media;    /* NULL for a video without media (removed) */
    struct fake_rendition *renditions; /* one per media quality, same order */
    size_t rendition_count;
    /* Streams (on_air, upcoming): the media's smallest and largest MPEG-TS qualities, in that
       order (one when they are the same), the variants of --live-master; the last one is the
       direct playlist's. Borrowed from media; set by fake_live_load(). */
    const struct fake_quality *live_qualities[2];
    size_t live_quality_count;
};

enum fake_collection_kind {
    FAKE_COLLECTION_PLAYLIST, /* /api/playlist/custom/<n>/videos/ */
    FAKE_COLLECTION_PERSON,   /* /api/video/person/<n>/: a person's or channel's videos */
    FAKE_COLLECTION_TAG,      /* /api/tags/video/<n>/ */
    FAKE_COLLECTION_SERIES,   /* /api/metainfo/tv/<n>/video */
    FAKE_COLLECTION_KIND_COUNT,
};

/* One paged list from catalog.json's "collections". */
struct fake_collection {
    enum fake_collection_kind kind;
    long long number;
    char *title;
    unsigned per_page;
    const struct fake_video **videos; /* in list order; the array is owned, the videos borrowed */
    size_t video_count;
    bool is_endless;          /* has_next forever, every page the first page again */
    bool has_empty_last_page; /* the last full page says has_next; the page after it is empty */
    char *slug;               /* persons only: the name in https://rutube.ru/u/<slug>/; or NULL */
    struct fake_blob *pages;  /* recorded pages served verbatim instead of videos; or NULL */
    size_t page_count;
};

/* One Yappy clip from catalog.json's "yappy": a single progressive MP4 file. */
struct fake_yappy {
    char *id;
    char *title;
    char *description;
    struct fake_segment file; /* DIR/yappy/<media>.mp4, served as the clip's body */
    unsigned requests;        /* requests of the file, across both mirrors; faults.c's lock */
};

struct fake_catalog {
    struct fake_video *videos;
    size_t video_count;
    struct fake_collection *collections;
    size_t collection_count;
    struct fake_yappy *yappy;
    size_t yappy_count;
    struct fake_media *media;
    size_t media_count;
    unsigned char *thumb; /* DIR/thumb.jpg, NULL when missing */
    size_t thumb_size;
};

/* The answers --options-body, --info-body, --master-body and --media-body replace. */
enum fake_body {
    FAKE_BODY_OPTIONS,
    FAKE_BODY_INFO,
    FAKE_BODY_MASTER,
    FAKE_BODY_MEDIA,
    FAKE_BODY_COUNT,
};

struct fake_config {
    const char *catalog_path;
    const char *media_dir;
    const char *fixture_dir;
    const char *pages_dir; /* --real-data: the recorded list pages the catalog names */
    const char *port_file;
    const char *proxy_port_file;
    const char *log_path;
    const char *timing_path; /* --timing: one line per request once its answer is over */
    const char *stats_path;
    unsigned port[FAKE_ROLE_COUNT]; /* 0: ephemeral */
    unsigned latency_ms;
    unsigned info_latency_ms; /* more for the video info call (--info-latency) */
    uint64_t rate;            /* bytes per second per segment response; 0: unlimited */
    uint64_t total_rate;      /* bytes per second of all segment bodies together; 0: unlimited */
    unsigned fail_503_pct;
    unsigned flaky;
    unsigned cut_pct;
    unsigned stall_pct;
    unsigned stall_ms;
    bool mirror_down[2];
    bool mirror_refused[2];
    bool require_ua;
    bool malformed_json;
    bool malformed_master;
    bool malformed_media;
    unsigned corrupt_segment; /* 1-based segment number served as garbage; 0: none */
    bool no_video;
    bool captions_404;
    const char *caption_404; /* --caption-404: this language's file alone answers 404 */
    bool info_404;
    uint64_t seed;
    const char *body_path[FAKE_BODY_COUNT]; /* NULL: the answer is made as usual */
    const char *tls_cert_path;              /* both NULL, or both set by --tls */
    const char *tls_key_path;
    unsigned slow_loris_pct;
    bool redirect_loop;
    const char *redirect_to;  /* NULL: no --redirect-to */
    unsigned throttle;        /* first K requests of every segment answer 429 */
    unsigned retry_after;     /* seconds, for the 429's Retry-After */
    unsigned storm_ms;        /* 503 for this long after the first segment request */
    unsigned endless_segment; /* 1-based segment sent forever; 0: none */
    unsigned segments;        /* listed segments per quality; 0: the real count */
    /* What segment requests with a Range header get (--range-fault): a CDN that ignores
     * ranges, refuses them, or stalls on them. */
    enum {
        FAKE_RANGE_FAULT_NONE,
        FAKE_RANGE_FAULT_IGNORE,
        FAKE_RANGE_FAULT_503,
        FAKE_RANGE_FAULT_STALL_HEAD,
        FAKE_RANGE_FAULT_STALL,
    } range_fault;
    unsigned stall_head_pct; /* share of segment requests that wait before any byte */
    unsigned stall_head_ms;
    unsigned stall_head_segment; /* 1-based segment whose first requests stall; 0: none */
    unsigned trickle_segment;    /* 1-based segment whose body trickles (--trickle); 0: none */
    unsigned trickle_rate;       /* its bytes per second after its first TRICKLE_AFTER bytes */
    unsigned trickle_first;      /* only its first N requests (both mirrors); 0: every one */
    unsigned stall_head_first;   /* how many of its requests do */
    bool huge_slug_page;         /* /u/<slug>/ pages padded past 8 MiB before their state */
    /* Live streams (live.c). */
    uint64_t live_period_ms;    /* a new segment every this long; 0: each segment's length */
    unsigned live_window;       /* segments a live playlist lists (default 3) */
    bool has_live_keep;         /* --live-keep given: old segments expire */
    unsigned live_keep;         /* periods a segment outlives its leaving the window */
    unsigned live_end;          /* the last segment of the broadcast; 0: never ends */
    bool has_live_expire;       /* --live-expire given: live addresses expire and are checked */
    unsigned live_expire;       /* seconds from the play options call to the address's expire */
    bool live_dvr;              /* the playlist lists every segment from 1 (EVENT) */
    uint64_t live_starts_in_ms; /* when upcoming streams go on the air, after start-up */
    bool live_master;           /* play options' live address is a master of two variants */
};

struct fake_server {
    struct fake_config config;
    struct fake_catalog catalog;
    json_t *options_template; /* api_response_fixture.json; never modified */
    const char *template_id;  /* the fixture's own video id, replaced in every copy */
    unsigned port[FAKE_ROLE_COUNT];
    const char *scheme;  /* "http", or "https" under --tls: every address the server writes */
    char api_base[64];   /* "<scheme>://127.0.0.1:PORT" */
    long long expire;    /* the expire= stamp written into addresses */
    uint64_t started_ms; /* fake_now_ms() at start-up: the log's time column counts from it */
    uint64_t started_ns; /* fake_now_ns() at start-up, and the wall clock then (--timing) */
    uint64_t started_unix_ns;
    struct fake_blob body[FAKE_BODY_COUNT]; /* the --*-body files, addresses filled in */
};

/* A response ready to queue. The router owns it once returned and destroys it after queueing. */
struct fake_reply {
    unsigned status;
    struct MHD_Response *response; /* NULL: out of memory, the connection is dropped */
    uint64_t body_bytes; /* counted as sent for buffered bodies; segments count their own */
    bool is_dropped;     /* shutdown began while the answer waited: close without one */
    /* --timing: this answer's body bytes as they go out (a segment body holds it while it
       runs); NULL without --timing */
    struct fake_tally *tally;
};

/* router.c: the MHD callbacks shared by all four listeners. */
struct fake_listener {
    struct fake_server *server;
    enum fake_role role;
};
const char *fake_role_name(enum fake_role role);
enum MHD_Result fake_router_handle(void *cls, struct MHD_Connection *connection, const char *url,
                                   const char *method, const char *version, const char *upload_data,
                                   size_t *upload_data_size, void **req_cls);
void *fake_router_uri_logged(void *cls, const char *uri, struct MHD_Connection *connection);
void fake_router_completed(void *cls, struct MHD_Connection *connection, void **req_cls,
                           enum MHD_RequestTerminationCode toe);
/* Serialises body (and takes it; NULL: out of memory) like rutube.ru: ASCII, ", " and ": ". */
void fake_reply_json(struct fake_reply *reply, unsigned status, json_t *body);
/* Copies body. On allocation failure reply->response stays NULL. */
void fake_reply_copy(struct fake_reply *reply, unsigned status, const char *content_type,
                     const void *body, size_t len);
/* Takes ownership of body (malloc'd), also on failure. */
void fake_reply_take(struct fake_reply *reply, unsigned status, const char *content_type,
                     char *body, size_t len);

/* catalog.c: catalog.json and the media folders it names. Prints its own errors. segments is
 * --segments (0: every rendition lists its quality's real segments); pages_dir holds the
 * recorded list pages collections may name. */
int fake_catalog_load(struct fake_catalog *catalog, const char *catalog_path, const char *media_dir,
                      const char *pages_dir, size_t segments);
void fake_catalog_cleanup(struct fake_catalog *catalog);
/* id need not be NUL-terminated; returns NULL for an unknown id. */
const struct fake_video *fake_catalog_find(const struct fake_catalog *catalog, const char *id,
                                           size_t id_len);
/* By the video's number (numeric_id, written in decimal, not NUL-terminated); NULL when none. */
const struct fake_video *fake_catalog_find_number(const struct fake_catalog *catalog,
                                                  const char *number, size_t len);
/* Reads a number as rutube.ru's addresses write one: 1 to 15 digits, no leading zero. */
bool fake_parse_number(const char *text, size_t len, long long *value);
/* Finds the rendition whose hash is the given 32 characters; NULL when none. */
struct fake_rendition *fake_catalog_find_rendition(const struct fake_catalog *catalog,
                                                   const char *hash,
                                                   const struct fake_video **video);
/* Duration of a video's longest rendition as its media playlist lists it (so --segments
 * counts), in seconds; 0 without media and for a stream on the air. */
double fake_video_duration(const struct fake_video *video);

/* media.c: the media folders (DIR/<media>/<quality>/index.m3u8 and the files it lists). */
/* Loads DIR/name into media (zeroed by the caller). Prints its own errors. */
int fake_media_load(struct fake_media *media, const char *media_dir, const char *name);
void fake_media_cleanup(struct fake_media *media);
/* "a/b", malloc'd (NULL when out of memory). */
char *fake_path_join(const char *a, const char *b);

/* answers.c: the JSON API. */
int fake_answers_load_template(struct fake_server *server);
/* asks_all: the request carried client=wdp, mq=all and av1=1 (the full master, 4K and AV1). */
void fake_answers_play_options(const struct fake_server *server, const char *id, size_t id_len,
                               const char *key, bool no_404, bool asks_all,
                               struct fake_reply *reply);
void fake_answers_video_info(const struct fake_server *server, const char *id, size_t id_len,
                             const char *key, struct fake_reply *reply);

/* The addresses every answer about a video shares. Caller frees; NULL when out of memory. */
char *fake_video_page_url(const struct fake_video *video); /* https://rutube.ru/video|shorts/.. */
char *fake_video_thumb_url(const struct fake_server *server, const struct fake_video *video);

/* collections.c: catalog.json's "collections" and their paged lists. */
/* Loads root's "collections" (optional) into catalog, whose videos must be loaded; recorded
 * pages come from pages_dir. Prints its own errors; fake_collections_cleanup() frees what was
 * made, also after a failure. */
int fake_collections_load(struct fake_catalog *catalog, json_t *root, const char *pages_dir);
void fake_collections_cleanup(struct fake_catalog *catalog);
/* The person whose slug is these len bytes; NULL when none. */
const struct fake_collection *fake_collections_find_slug(const struct fake_catalog *catalog,
                                                         const char *slug, size_t len);
/* The number of the tag collection titled name; -1 when there is none. */
long long fake_collections_tag_id(const struct fake_catalog *catalog, const char *name);
/* "rtb" for a video, "rshorts" for a short: origin_type, and what ?origin__type= filters on. */
const char *fake_origin_type(const struct fake_video *video);
struct fake_page_request {
    enum fake_collection_kind kind;
    const char *number; /* the path part naming the collection; not NUL-terminated */
    size_t number_len;
    const char *page;        /* ?page=; NULL when absent */
    const char *origin_type; /* ?origin__type=; NULL when absent (persons only) */
    const char *uri;         /* as the client sent it, query included: "next" repeats it */
};
/* One page of a collection, or RuTube's 404. */
void fake_collections_reply(const struct fake_server *server,
                            const struct fake_page_request *request, struct fake_reply *reply);
/* /api/metainfo/tv/<n>/: the series' id and name. */
void fake_collections_series_info(const struct fake_server *server, const char *number,
                                  size_t number_len, struct fake_reply *reply);

/* yappy.c: catalog.json's "yappy", the feed page and the clips' files. */
/* Loads root's "yappy" (optional) and checks DIR/yappy/<media>.mp4 of each. Prints its own
 * errors; fake_yappy_cleanup() frees what was made, also after a failure. */
int fake_yappy_load(struct fake_catalog *catalog, json_t *root, const char *media_dir);
void fake_yappy_cleanup(struct fake_catalog *catalog);
/* id need not be NUL-terminated; NULL for an unknown clip. The clip's request count is the
 * caller's to bump (under faults.c's lock), hence not const. */
struct fake_yappy *fake_yappy_find(const struct fake_catalog *catalog, const char *id,
                                   size_t id_len);
/* /pangolin/api/web/yappy/yappypage/?videoId=<id>: a feed holding the clip (NULL id: none). */
void fake_yappy_page(const struct fake_server *server, const char *id, struct fake_reply *reply);

/* live.c: streams on the air (catalog live on_air, and upcoming once started). */
/* Picks each stream's qualities (live_qualities) and scans their MPEG-TS files' continuity
 * counters (ts_cycle, also for the media's audio-only set). Prints its own errors; what it made
 * is freed with the media (fake_media_cleanup()). */
int fake_live_load(struct fake_catalog *catalog);
/* Whether video is a stream with a live timeline: on_air, or upcoming (started or not). */
bool fake_live_is_stream(const struct fake_video *video);
/* Whether video is on the air now: on_air, or upcoming and --live-starts-in has gone by. */
bool fake_live_has_started(const struct fake_server *server, const struct fake_video *video);
/* The expire= stamp to write into a live address now (unix time). */
long long fake_live_expire(const struct fake_server *server);
/* --live-expire: whether a live address whose ?expire= is expire (NULL: absent) must be refused
 * with 403 (absent, not a number, or in the past). Always false without the switch. */
bool fake_live_is_refused(const struct fake_server *server, const char *expire);
/* The quality of video's stream that the variant path part name (not NUL-terminated) names,
 * e.g. "1280x712"; NULL when none. */
const struct fake_quality *fake_live_quality(const struct fake_video *video, const char *name,
                                             size_t len);
/*
 * A live playlist of video: quality NULL for /live/<id>.m3u8 (the direct media playlist of the
 * largest quality, or under --live-master the master), else that variant's media playlist.
 * port is the listener's (the master's variant addresses name it); expire is the request's
 * ?expire= that segment and variant addresses carry on under --live-expire. 404 unless the
 * video is on the air.
 */
void fake_live_playlist(const struct fake_server *server, const struct fake_video *video,
                        const struct fake_quality *quality, unsigned port, const char *expire,
                        struct fake_reply *reply);
/* How a live segment's bytes are rewritten: see struct fake_ts_cycle. */
struct fake_ts_shift {
    uint64_t passes; /* times round the files before this segment; 0: the bytes as they are */
    uint64_t ticks;  /* 90 kHz, added to every PTS, DTS and PCR (mod 2^33) */
    const struct fake_ts_cycle *cycle; /* continuity counter steps per pass; NULL: none */
};
/* The file live segment n (from 1) of quality (NULL: the largest) carries, the audio-only one
 * under no_video, and how to shift it; false when the video is not on the air or the segment
 * is not made yet or has expired (--live-keep). */
bool fake_live_segment(const struct fake_server *server, const struct fake_video *video,
                       const struct fake_quality *quality, size_t n, bool no_video,
                       const struct fake_segment **file, struct fake_ts_shift *shift);

/* ts_shift.c: MPEG-TS rewriting for live segments that come round their files again. */
/* Counts the continuity steps of one pass over quality's segments into a new cycle; prints its
 * own errors. Caller frees. */
struct fake_ts_cycle *fake_ts_cycle_scan(const struct fake_quality *quality);
/* Moves the timestamps and continuity counters of the 188-byte packets in data on. */
void fake_ts_shift_apply(unsigned char *data, size_t len, const struct fake_ts_shift *shift);

/* captions.c: subtitle tracks. */
/* The play options' captions array: code, file (this server's address), langTitle, format. */
json_t *fake_captions_json(const struct fake_server *server, const struct fake_video *video);
/* GET /captions/<id>/<name>: the generated WebVTT or SubRip file, or 404. */
void fake_captions_reply(const struct fake_server *server, const char *id, size_t id_len,
                         const char *name, size_t name_len, struct fake_reply *reply);

/* playlists.c: m3u8 text. */
/* Whether the master lists this rendition: all of them when full (the address carried
 * mq=all&av1=1), else only those up to 1080 on the shorter side and not AV1. */
bool fake_playlists_lists(const struct fake_rendition *rendition, bool full);
void fake_playlists_master(const struct fake_server *server, const struct fake_video *video,
                           bool full, struct fake_reply *reply);
void fake_playlists_media(const struct fake_server *server, const struct fake_rendition *rendition,
                          struct fake_reply *reply);

/* faults.c: deterministic fault decisions, and the hash they (and catalog.c's names) use. */
uint64_t fake_hash(uint64_t seed, const char *text);
/* splitmix64's finaliser: a well-spread 64-bit value from any input. */
uint64_t fake_mix(uint64_t x);
struct fake_fate {
    bool down;        /* 404: the mirror is switched off */
    bool redirect;    /* 302: --redirect-loop or --redirect-to */
    bool fail;        /* 503: storm, flaky or the fail percentage */
    bool throttled;   /* 429 with Retry-After (--throttle) */
    bool cut;         /* announce the full length, send half, close */
    bool stall;       /* send half, pause, send the rest */
    bool corrupt;     /* the body is garbage of the same length (--corrupt-segment) */
    bool endless;     /* chunked, the bytes repeated forever (--endless) */
    bool slow;        /* the body at one byte per second (--slow-loris) */
    unsigned trickle; /* bytes per second after the first TRICKLE_AFTER (--trickle); 0: none */
    bool stall_head;  /* nothing at all for --stall-head-ms, then the answer (--stall-head) */
    bool whole;       /* 200 and the whole body, whatever Range asks (--range-fault ignore) */
};
/* --trickle: a body's first bytes come at once (a fast first byte), the rest at its rate. */
#define TRICKLE_AFTER (64u << 10)

/* Counts this request in *requests (a segment's or a Yappy clip's count) and decides what
 * happens to it. number is the listed segment number (from 1) that --corrupt-segment and
 * --endless look for; 0 for a body without one. Thread-safe. */
struct fake_fate fake_faults_decide(const struct fake_config *config, unsigned *requests,
                                    size_t number, enum fake_role role, const char *path);

/* A segment request with a Range header: what --range-fault does to it, on top of its fate. */
void fake_faults_for_range(const struct fake_config *config, struct fake_fate *fate);

/* segments.c: segment answers. A corrupt fate sends garbage seeded by --corrupt-segment. */
struct fake_segment_request {
    enum fake_role role;
    const char *uri; /* as the client sent it, query included: --redirect-loop points back here */
    const struct fake_segment *segment; /* the real file, after --segments and --no-video */
    const char *range;                  /* the Range header; NULL when none */
    const char *content_type;           /* NULL: video/MP2T */
    struct fake_fate fate;
    struct fake_ts_shift shift; /* live segments come round again: passes 0 for the rest */
};
void fake_segments_reply(const struct fake_server *server,
                         const struct fake_segment_request *request, struct fake_reply *reply);

/* pages.c: recorded list pages (tests/data/real) that collections serve verbatim. */
/* Loads entry's "pages" (file names in pages_dir) into c. Prints its own errors. */
int fake_pages_load(struct fake_collection *c, json_t *entry, const char *pages_dir);
void fake_pages_cleanup(struct fake_collection *c);
/* Page `page` (from 1): the recorded file, or past them the empty last page. */
void fake_pages_reply(const struct fake_collection *c, long long page, struct fake_reply *reply);

/* channel_page.c: https://rutube.ru/u/<slug>/ pages, whose reduxState names the channel. */
/* tab: NULL for the channel's main page, else "videos" or "shorts". */
void fake_channel_page(const struct fake_server *server, const char *slug, size_t slug_len,
                       const char *tab, struct fake_reply *reply);

/* proxy.c: the proxy listener's absolute-form requests. */
struct fake_proxy_target {
    enum fake_role role; /* the listener the absolute URL names */
    const char *url;     /* the path alone, as MHD gave it (unescaped) */
    const char *uri;     /* path and query, as sent */
    char *owned;         /* what the two point into when made up (no path: "/"); free it */
};
/* Reads the request target of a proxy request; false when it names none of the listeners
 * (the caller answers 502). */
bool fake_proxy_resolve(const struct fake_server *server, const char *method, const char *url,
                        const char *uri, struct fake_proxy_target *target);
void fake_proxy_bad_gateway(struct fake_reply *reply);

/* ranges.c: the Range header of segment requests. */
enum fake_range {
    FAKE_RANGE_NONE,          /* no header, or one to ignore (malformed, several ranges): 200 */
    FAKE_RANGE_PART,          /* 206 with bytes first..last */
    FAKE_RANGE_UNSATISFIABLE, /* 416 */
};
/* Reads header (NULL: none) against a body of total bytes; *first and *last (inclusive) are
 * set for FAKE_RANGE_PART only. */
enum fake_range fake_range_parse(const char *header, uint64_t total, uint64_t *first,
                                 uint64_t *last);

/* pace.c: byte clocks for --rate (one per answer) and --total-rate (one for all). */
struct fake_pace {
    uint64_t rate;     /* bytes per second; 0: unlimited */
    uint64_t burst_ns; /* how far behind now the clock may lag: idle time banks this at most */
    uint64_t due_ns;   /* fake_now_ns() at which everything reserved so far has gone out */
};
/* A body's own clock for rate, starting at now_ns without credit. Not thread-safe. */
void fake_pace_body_start(struct fake_pace *pace, uint64_t rate, uint64_t now_ns);
/* How many of max bytes to hand over at once under this clock (max when unlimited). */
size_t fake_pace_slice(const struct fake_pace *pace, size_t max);
/* Books n bytes and returns the fake_now_ns() time before which they must not go out. */
uint64_t fake_pace_reserve(struct fake_pace *pace, uint64_t n, uint64_t now_ns);
/* Sets the shared clock; call before any connection thread starts. 0: unlimited. */
void fake_pace_total_init(uint64_t rate);
/* fake_pace_slice() of the shared clock. */
size_t fake_pace_total_slice(size_t max);
/* Books n bytes on the shared clock and sleeps until they may go. Thread-safe; false when
 * shutdown began meanwhile. */
bool fake_pace_total_wait(uint64_t n);

/* bodies.c: the --*-body files. */
/* Reads a whole file of at most max bytes; prints its own errors. */
int fake_read_file(const char *path, size_t max, struct fake_blob *blob);
/* Reads every --*-body file and fills in {API}, {MIRROR0}, {MIRROR1}. Needs the ports and the
 * scheme set; prints its own errors. */
int fake_bodies_load(struct fake_server *server);
void fake_bodies_cleanup(struct fake_server *server);
/* Answers with that body when its switch was given (and returns true); else returns false. */
bool fake_bodies_reply(const struct fake_server *server, enum fake_body which,
                       struct fake_reply *reply);

/* tls.c: --tls. */
struct fake_tls {
    struct fake_blob cert; /* PEM, NUL-terminated as libmicrohttpd wants it */
    struct fake_blob key;
};
/* Loads the key pair, or refuses (printing why) when libmicrohttpd has no TLS. */
int fake_tls_load(struct fake_tls *tls, const char *cert_path, const char *key_path);
void fake_tls_cleanup(struct fake_tls *tls);

/* observe.c: request log and counters. All thread-safe. */
int fake_observe_open_log(const char *path);
/* at_ms: when the request arrived, in milliseconds since the server started. */
void fake_observe_log(enum fake_role role, const char *method, const char *uri, const char *ua,
                      const char *referer, const char *origin, const char *range, unsigned status,
                      uint64_t at_ms);
/* The bytes one answer's body really sent, for its --timing line. Shared by the request (its
   line is written when MHD says the answer is over) and its segment body (MHD frees that on
   its own schedule, before or after): each holds it, the last release frees it. */
struct fake_tally *fake_tally_new(void);
void fake_tally_hold(struct fake_tally *tally);
void fake_tally_add(struct fake_tally *tally, uint64_t bytes);
uint64_t fake_tally_bytes(const struct fake_tally *tally);
void fake_tally_release(struct fake_tally *tally); /* NULL is fine */
/* --timing: a request whose answer is over (sent whole, or given up: end says how). The
   times are fake_now_ns() values; the line gives them as wall-clock seconds. */
int fake_observe_open_timing(const char *path, uint64_t started_ns, uint64_t started_unix_ns);
void fake_observe_timing(enum fake_role role, const char *method, const char *uri,
                         const char *range, unsigned status, uint64_t arrived_ns,
                         uint64_t answered_ns, uint64_t done_ns, uint64_t bytes, const char *end);
void fake_observe_request(bool is_segment);
void fake_observe_bytes(uint64_t bytes);
/* Segment body bytes: counted in both bytes_sent and segment_bytes. */
void fake_observe_segment_bytes(uint64_t bytes);
/* MHD_OPTION_NOTIFY_CONNECTION, cls the struct fake_listener: counts the TCP connections
 * clients opened (keep-alive shows as few connections for many requests) and how many were
 * open at once, on all listeners and on the two mirrors alone. */
void fake_observe_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                             enum MHD_ConnectionNotificationCode code);
void fake_observe_segment_started(void);
void fake_observe_segment_finished(void);
int fake_observe_write_stats(const char *path);
void fake_observe_close(void);

/* stop.c: the shutdown flag and sleeps that end early when it is raised. */
void fake_stop_raise(void);
bool fake_stop_raised(void);
/* Sleeps ms milliseconds; returns false (early) when shutdown began. */
bool fake_stop_sleep_ms(uint64_t ms);
/* Sleeps until fake_now_ns() reaches deadline_ns; false (early) when shutdown began. */
bool fake_stop_sleep_until_ns(uint64_t deadline_ns);
/* The monotonic clock. */
uint64_t fake_now_ms(void);
uint64_t fake_now_ns(void);

/* Writes text to path atomically (temporary file, then rename). */
int fake_write_file_atomic(const char *path, const char *text);

#endif
