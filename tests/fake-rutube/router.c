/* The handler all listeners share: latency, routing by role and path, logging, counting. */
#include "fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARTS 8

/* A piece of the path between slashes; not NUL-terminated. */
struct part {
    const char *start;
    size_t len;
};

const char *fake_role_name(enum fake_role role)
{
    switch (role) {
    case FAKE_ROLE_MIRROR0:
        return "mirror0";
    case FAKE_ROLE_MIRROR1:
        return "mirror1";
    case FAKE_ROLE_PROXY:
        return "proxy";
    default:
        return "api";
    }
}

void fake_reply_take(struct fake_reply *reply, unsigned status, const char *content_type,
                     char *body, size_t len)
{
    reply->response = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!reply->response) {
        free(body);
        return;
    }
    MHD_add_response_header(reply->response, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    reply->status = status;
    reply->body_bytes = len;
}

void fake_reply_copy(struct fake_reply *reply, unsigned status, const char *content_type,
                     const void *body, size_t len)
{
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return;
    memcpy(copy, body, len);
    fake_reply_take(reply, status, content_type, copy, len);
}

static void reply_not_found(enum fake_role role, struct fake_reply *reply)
{
    /* The API speaks JSON even when it fails; the CDN answers like nginx. */
    static const char api[] = "{\"detail\": \"Not found.\"}";
    static const char cdn[] = "<html><body><h1>404 Not Found</h1></body></html>\n";
    if (role == FAKE_ROLE_API)
        fake_reply_copy(reply, MHD_HTTP_NOT_FOUND, "application/json", api, sizeof api - 1);
    else
        fake_reply_copy(reply, MHD_HTTP_NOT_FOUND, "text/html", cdn, sizeof cdn - 1);
}

static void reply_forbidden(struct fake_reply *reply)
{
    static const char body[] = "<html><body><h1>403 Forbidden</h1></body></html>\n";
    fake_reply_copy(reply, MHD_HTTP_FORBIDDEN, "text/html", body, sizeof body - 1);
}

/* Splits "/a/b/c" into parts; returns how many, or MAX_PARTS + 1 when there are too many. */
static size_t split_path(const char *path, struct part *parts)
{
    size_t n = 0;
    while (*path == '/') {
        path++;
        const char *end = strchr(path, '/');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        if (n == MAX_PARTS)
            return MAX_PARTS + 1;
        parts[n].start = path;
        parts[n].len = len;
        n++;
        path += len;
    }
    return n;
}

static bool part_is(const struct part *part, const char *text)
{
    return part->len == strlen(text) && memcmp(part->start, text, part->len) == 0;
}

static bool is_hash(const char *s)
{
    for (size_t i = 0; i < 32; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* Takes "<id><suffix>" apart; the id is what precedes the suffix. */
static bool strip_suffix(const struct part *part, const char *suffix, size_t *id_len)
{
    size_t suffix_len = strlen(suffix);
    if (part->len <= suffix_len ||
        memcmp(part->start + part->len - suffix_len, suffix, suffix_len) != 0)
        return false;
    *id_len = part->len - suffix_len;
    return true;
}

static bool is_browser(struct MHD_Connection *connection)
{
    const char *ua =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT);
    return ua && strstr(ua, "Mozilla/");
}

static bool no_404_asked(struct MHD_Connection *connection)
{
    const char *value = MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, "no_404");
    return value && (strcmp(value, "true") == 0 || strcmp(value, "1") == 0);
}

static bool query_is(struct MHD_Connection *connection, const char *name, const char *want)
{
    const char *value = MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, name);
    return value && strcmp(value, want) == 0;
}

static void route_master(struct fake_server *server, struct MHD_Connection *connection,
                         const char *id, size_t id_len, struct fake_reply *reply)
{
    if (fake_bodies_reply(server, FAKE_BODY_MASTER, reply))
        return;
    const struct fake_video *video = fake_catalog_find(&server->catalog, id, id_len);
    /* The play options' mq=all&av1=1, carried in the address as RuTube's signed one would. */
    bool full = query_is(connection, "mq", "all") && query_is(connection, "av1", "1");
    /* A stream on the air has no VOD master: its address is in live_streams instead. */
    if (!video || !video->media || fake_live_is_stream(video))
        reply_not_found(FAKE_ROLE_API, reply);
    else if (video->access == FAKE_ACCESS_GEO || video->access == FAKE_ACCESS_BLOCKING_RULE)
        reply_forbidden(reply);
    else
        fake_playlists_master(server, video, full, reply);
}

static const char *query_value(struct MHD_Connection *connection, const char *name)
{
    return MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, name);
}

/* /u/<slug>/, /u/<slug>/videos/, /u/<slug>/shorts/ (m parts, the trailing slash aside). */
static void route_channel_page(struct fake_server *server, const struct part *parts, size_t m,
                               struct fake_reply *reply)
{
    const char *tab = NULL;
    if (m == 3 && (part_is(&parts[2], "videos") || part_is(&parts[2], "shorts")))
        tab = part_is(&parts[2], "videos") ? "videos" : "shorts";
    if ((m == 2 && parts[1].len) || tab)
        fake_channel_page(server, parts[1].start, parts[1].len, tab, reply);
    else
        fake_channel_page(server, NULL, 0, NULL, reply); /* another path: the site's 404 page */
}

/*
 * The paged lists (m path parts, the trailing slash aside):
 *   /api/playlist/custom/<n>/videos/   /api/video/person/<n>/   /api/tags/video/<n>/
 *   /api/metainfo/tv/<n>/video         and /api/metainfo/tv/<n>/ (the series itself)
 * Returns false for any other path.
 */
static bool route_collection(struct fake_server *server, struct MHD_Connection *connection,
                             const char *uri, const struct part *parts, size_t m,
                             struct fake_reply *reply)
{
    struct fake_page_request request = {
        .page = query_value(connection, "page"),
        .origin_type = query_value(connection, "origin__type"),
        .uri = uri,
    };
    const struct part *number = NULL;
    if (m == 5 && part_is(&parts[1], "playlist") && part_is(&parts[2], "custom") &&
        part_is(&parts[4], "videos")) {
        request.kind = FAKE_COLLECTION_PLAYLIST;
        number = &parts[3];
    } else if (m == 4 && part_is(&parts[1], "video") && part_is(&parts[2], "person")) {
        request.kind = FAKE_COLLECTION_PERSON;
        number = &parts[3];
    } else if (m == 4 && part_is(&parts[1], "tags") && part_is(&parts[2], "video")) {
        request.kind = FAKE_COLLECTION_TAG;
        number = &parts[3];
    } else if (m == 5 && part_is(&parts[1], "metainfo") && part_is(&parts[2], "tv") &&
               part_is(&parts[4], "video")) {
        request.kind = FAKE_COLLECTION_SERIES;
        number = &parts[3];
    } else if (m == 4 && part_is(&parts[1], "metainfo") && part_is(&parts[2], "tv")) {
        fake_collections_series_info(server, parts[3].start, parts[3].len, reply);
        return true;
    } else {
        return false;
    }
    request.number = number->start;
    request.number_len = number->len;
    fake_collections_reply(server, &request, reply);
    return true;
}

static void route_api(struct fake_server *server, struct MHD_Connection *connection,
                      const char *url, const char *uri, struct fake_reply *reply)
{
    struct part parts[MAX_PARTS];
    size_t n = split_path(url, parts);
    size_t id_len;
    const char *key = query_value(connection, "p");
    if (n > MAX_PARTS) {
        reply_not_found(FAKE_ROLE_API, reply); /* no API path is that deep */
        return;
    }

    bool is_api = n >= 1 && (part_is(&parts[0], "api") || part_is(&parts[0], "pangolin"));
    if (is_api && server->config.require_ua && !is_browser(connection)) {
        reply_forbidden(reply);
        return;
    }
    /* Accept the address with or without its trailing slash, as rutube.ru redirects. */
    bool slash_end = n >= 1 && parts[n - 1].len == 0;
    size_t m = slash_end ? n - 1 : n;

    /* A --*-body file stands in for that answer whatever the id: known, unknown, private. */
    if (m == 4 && part_is(&parts[0], "api") && part_is(&parts[1], "play") &&
        part_is(&parts[2], "options") && parts[3].len) {
        /* What the 2026 web player sends for the full master (4K, AV1). */
        bool asks_all = query_is(connection, "client", "wdp") &&
                        query_is(connection, "mq", "all") && query_is(connection, "av1", "1");
        if (!fake_bodies_reply(server, FAKE_BODY_OPTIONS, reply))
            fake_answers_play_options(server, parts[3].start, parts[3].len, key,
                                      no_404_asked(connection), asks_all, reply);
    } else if (m == 3 && part_is(&parts[0], "api") && part_is(&parts[1], "video") && parts[2].len) {
        if (!fake_bodies_reply(server, FAKE_BODY_INFO, reply))
            fake_answers_video_info(server, parts[2].start, parts[2].len, key, reply);
    } else if (m >= 4 && part_is(&parts[0], "api") &&
               route_collection(server, connection, uri, parts, m, reply)) {
        /* answered */
    } else if (m == 6 && part_is(&parts[0], "pangolin") && part_is(&parts[1], "api") &&
               part_is(&parts[2], "web") && part_is(&parts[3], "yappy") &&
               part_is(&parts[4], "v4") && part_is(&parts[5], "yappypage")) {
        /* Only v4 since 2026: the old .../yappy/yappypage/ falls through to the 404. */
        fake_yappy_page(server, query_value(connection, "videoId"), reply);
    } else if (m >= 1 && part_is(&parts[0], "u")) {
        route_channel_page(server, parts, m, reply);
    } else if (n == 2 && part_is(&parts[0], "route") && strip_suffix(&parts[1], ".m3u8", &id_len)) {
        route_master(server, connection, parts[1].start, id_len, reply);
    } else if (n == 3 && part_is(&parts[0], "captions")) {
        fake_captions_reply(server, parts[1].start, parts[1].len, parts[2].start, parts[2].len,
                            reply);
    } else if (n == 2 && part_is(&parts[0], "thumb") && strip_suffix(&parts[1], ".jpg", &id_len) &&
               fake_catalog_find(&server->catalog, parts[1].start, id_len) &&
               server->catalog.thumb) {
        fake_reply_copy(reply, MHD_HTTP_OK, "image/jpeg", server->catalog.thumb,
                        server->catalog.thumb_size);
    } else {
        reply_not_found(FAKE_ROLE_API, reply);
    }
}

static bool ends_with(const char *text, const char *suffix)
{
    size_t len = strlen(text), suffix_len = strlen(suffix);
    return len >= suffix_len && memcmp(text + len - suffix_len, suffix, suffix_len) == 0;
}

/* A body with a fate decided: the --stall-head wait, then the answer. */
static void serve_body(struct fake_server *server, struct MHD_Connection *connection,
                       enum fake_role role, const char *uri, const struct fake_segment *segment,
                       const char *content_type, struct fake_fate fate,
                       const struct fake_ts_shift *shift, struct fake_reply *reply)
{
    /* Before anything is built: the client sees no status line, no headers, not a byte. */
    if (fate.stall_head && !fake_stop_sleep_ms(server->config.stall_head_ms)) {
        reply->is_dropped = true;
        return;
    }
    struct fake_segment_request request = {
        .role = role,
        .uri = uri,
        .segment = segment,
        .range = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE),
        .content_type = content_type,
        .fate = fate,
    };
    if (shift)
        request.shift = *shift;
    fake_segments_reply(server, &request, reply);
}

/* /yappy/<id>.mp4: the clip's one progressive file, with the segments' faults and ranges. */
static void route_yappy_file(struct fake_server *server, struct MHD_Connection *connection,
                             enum fake_role role, const char *url, const char *uri,
                             const struct part *parts, size_t n, struct fake_reply *reply,
                             bool *is_segment)
{
    size_t id_len;
    struct fake_yappy *clip = n == 2 && strip_suffix(&parts[1], ".mp4", &id_len)
                                  ? fake_yappy_find(&server->catalog, parts[1].start, id_len)
                                  : NULL;
    if (!clip) {
        reply_not_found(role, reply);
        return;
    }
    *is_segment = true;
    /* No segment number: --corrupt-segment and --endless do not reach it. */
    struct fake_fate fate = fake_faults_decide(&server->config, &clip->requests, 0, role, url);
    serve_body(server, connection, role, uri, &clip->file, "video/mp4", fate, NULL, reply);
}

/* "segment-<k>.ts" (k from 1); false for anything else. */
static bool live_segment_number(const struct part *part, size_t *k)
{
    char name[64];
    int used = 0;
    if (part->len >= sizeof name)
        return false;
    memcpy(name, part->start, part->len);
    name[part->len] = '\0';
    return sscanf(name, "segment-%zu.ts%n", k, &used) == 1 && used > 0 && name[used] == '\0';
}

/*
 * /live/<id>.m3u8                  the address play options give: the live media playlist of
 *                                  the largest quality, or under --live-master a live master
 * /live/<id>/segment-<k>.ts        segment k (from 1) of that media playlist, once made
 * /live/<id>/<WxH>.m3u8            the live media playlist of one of the master's variants
 * /live/<id>/<WxH>/segment-<k>.ts  its segment k
 */
static void route_live(struct fake_server *server, struct MHD_Connection *connection,
                       enum fake_role role, const char *uri, const struct part *parts, size_t n,
                       struct fake_reply *reply, bool *is_segment)
{
    /* --live-expire: a CDN looks at the signed stamp before anything else. */
    const char *expire = query_value(connection, "expire");
    if (fake_live_is_refused(server, expire)) {
        reply_forbidden(reply);
        return;
    }
    size_t id_len = 0, k = 0;
    const struct fake_video *video = NULL;
    if (n == 2 && strip_suffix(&parts[1], ".m3u8", &id_len))
        video = fake_catalog_find(&server->catalog, parts[1].start, id_len);
    else if (n == 3 || n == 4)
        video = fake_catalog_find(&server->catalog, parts[1].start, parts[1].len);
    if (!video) {
        reply_not_found(role, reply);
        return;
    }
    unsigned port = server->port[role];
    if (n == 2) {
        fake_live_playlist(server, video, NULL, port, expire, reply);
        return;
    }
    const struct fake_quality *quality = NULL;
    size_t name_len = 0;
    if (n == 3 && strip_suffix(&parts[2], ".m3u8", &name_len)) {
        quality = fake_live_quality(video, parts[2].start, name_len);
        if (quality)
            fake_live_playlist(server, video, quality, port, expire, reply);
        else
            reply_not_found(role, reply);
        return;
    }
    if (n == 4)
        quality = fake_live_quality(video, parts[2].start, parts[2].len);
    const struct fake_segment *segment = NULL;
    struct fake_ts_shift shift = {0, 0, NULL};
    bool is_found =
        (n == 3 || quality) && live_segment_number(&parts[n - 1], &k) &&
        fake_live_segment(server, video, quality, k, server->config.no_video, &segment, &shift);
    if (!is_found) {
        reply_not_found(role, reply);
        return;
    }
    /* The fault switches stay with VOD segments; --rate and --total-rate pace these too. */
    *is_segment = true;
    serve_body(server, connection, role, uri, segment, NULL, (struct fake_fate){0}, &shift, reply);
}

/* What a /hls-vod/ address names past its <hash>. */
enum vod_file {
    VOD_NONE,
    VOD_PLAYLIST, /* <hash>.mp4.m3u8 */
    VOD_TS,       /* <hash>.mp4/segment-<k>-v1-a1.ts */
    VOD_M4S,      /* <hash>.mp4/segment-<k>-v1-a1.m4s (fMP4 renditions) */
    VOD_INIT,     /* <hash>.mp4/init-v1-a1.mp4 (fMP4 renditions) */
};

static enum vod_file vod_file(const struct part *parts, size_t n, size_t *k)
{
    if (n == 5 && parts[4].len == 32 + 9 && memcmp(parts[4].start + 32, ".mp4.m3u8", 9) == 0)
        return VOD_PLAYLIST;
    char name[64];
    if (n != 6 || parts[4].len != 32 + 4 || memcmp(parts[4].start + 32, ".mp4", 4) != 0 ||
        parts[5].len >= sizeof name)
        return VOD_NONE;
    memcpy(name, parts[5].start, parts[5].len);
    name[parts[5].len] = '\0';
    if (strcmp(name, "init-v1-a1.mp4") == 0)
        return VOD_INIT;
    int used = 0;
    if (sscanf(name, "segment-%zu-v1-a1.%n", k, &used) != 1 || used == 0 || *k == 0)
        return VOD_NONE;
    if (strcmp(name + used, "ts") == 0)
        return VOD_TS;
    return strcmp(name + used, "m4s") == 0 ? VOD_M4S : VOD_NONE;
}

/*
 * The init section: the status fates (counted on its own across mirrors) and the pacing, but
 * not the body faults: a client fetches it once and needs it whole before any fragment.
 */
static void route_init(struct fake_server *server, struct MHD_Connection *connection,
                       enum fake_role role, const char *url, const char *uri,
                       struct fake_rendition *rendition, struct fake_reply *reply)
{
    struct fake_fate fate =
        fake_faults_decide(&server->config, &rendition->init_requests, 0, role, url);
    fate.cut = fate.stall = fate.slow = fate.stall_head = false;
    serve_body(server, connection, role, uri, &rendition->quality->init, "video/mp4", fate, NULL,
               reply);
}

/*
 * /hls-vod/<token>/<expire>/<n>/<hash>.mp4.m3u8                    media playlist
 * /hls-vod/<token>/<expire>/<n>/<hash>.mp4/segment-<k>-v1-a1.ts    segment k (from 1)
 * /hls-vod/<token>/<expire>/<n>/<hash>.mp4/segment-<k>-v1-a1.m4s   fMP4 fragment k
 * /hls-vod/<token>/<expire>/<n>/<hash>.mp4/init-v1-a1.mp4          fMP4 init section
 */
static void route_vod(struct fake_server *server, struct MHD_Connection *connection,
                      enum fake_role role, const char *url, const char *uri,
                      const struct part *parts, size_t n, struct fake_reply *reply,
                      bool *is_segment)
{
    size_t k = 0;
    enum vod_file file = n == 5 || n == 6 ? vod_file(parts, n, &k) : VOD_NONE;
    const struct fake_video *video = NULL;
    struct fake_rendition *rendition =
        file != VOD_NONE && part_is(&parts[0], "hls-vod") && is_hash(parts[4].start)
            ? fake_catalog_find_rendition(&server->catalog, parts[4].start, &video)
            : NULL;
    /* Each rendition has one kind of segment: .ts, or an init section and .m4s fragments. */
    bool is_fmp4 = rendition && rendition->quality->is_fmp4;
    if (!rendition || k > rendition->segment_count || (file == VOD_TS && is_fmp4) ||
        ((file == VOD_M4S || file == VOD_INIT) && !is_fmp4)) {
        reply_not_found(role, reply);
        return;
    }
    /* The first part plays the signature: a mangled address is refused like a bad signature. */
    if (!part_is(&parts[1], rendition->token)) {
        reply_forbidden(reply);
        return;
    }
    if (file == VOD_PLAYLIST) {
        fake_playlists_media(server, rendition, reply);
        return;
    }
    *is_segment = true;
    if (file == VOD_INIT) {
        route_init(server, connection, role, url, uri, rendition, reply);
        return;
    }
    struct fake_fate fate =
        fake_faults_decide(&server->config, &rendition->counts[k - 1], k, role, url);
    if (MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE))
        fake_faults_for_range(&server->config, &fate);
    /* The playlist still announces the video's durations: only the bytes lose their video.
       The audio-only set is MPEG-TS: it stands in for TS segments only. */
    const struct fake_quality *source = rendition->quality;
    if (server->config.no_video && video->media->audio_only && !is_fmp4)
        source = video->media->audio_only;
    /* Under --segments listed segment k is a real one come round again. */
    serve_body(server, connection, role, uri, &source->segments[(k - 1) % source->segment_count],
               is_fmp4 ? "video/iso.segment" : NULL, fate, NULL, reply);
}

static void route_mirror(struct fake_server *server, struct MHD_Connection *connection,
                         enum fake_role role, const char *url, const char *uri,
                         struct fake_reply *reply, bool *is_segment)
{
    /* Any playlist address will do for --media-body: a --master-body may name its own. */
    if (ends_with(url, ".m3u8") && fake_bodies_reply(server, FAKE_BODY_MEDIA, reply))
        return;
    struct part parts[MAX_PARTS];
    size_t n = split_path(url, parts);
    if (n >= 1 && n <= MAX_PARTS && part_is(&parts[0], "yappy"))
        route_yappy_file(server, connection, role, url, uri, parts, n, reply, is_segment);
    else if (n >= 1 && n <= MAX_PARTS && part_is(&parts[0], "live"))
        route_live(server, connection, role, uri, parts, n, reply, is_segment);
    else
        route_vod(server, connection, role, url, uri, parts, n, reply, is_segment);
}

/* One request's own state, from the URI log callback to the completion callback. */
struct request {
    bool headers_seen;   /* the handler ran once: the next call has the full request */
    uint64_t arrived_ms; /* fake_now_ms() when the request line came in: the log's time */
    /* For --timing, kept until the answer is over: set once the handler has an answer. */
    uint64_t arrived_ns;
    uint64_t answered_ns; /* 0: never answered (dropped), no timing line */
    unsigned status;
    enum fake_role role;
    char method[8];
    char *range;
    uint64_t buffered_bytes;  /* an answer made in memory: its body, counted as sent */
    struct fake_tally *tally; /* a segment body's bytes as they go out */
    char uri[];               /* as the client sent it, query included */
};

void *fake_router_uri_logged(void *cls, const char *uri, struct MHD_Connection *connection)
{
    (void)cls;
    (void)connection;
    /* MHD hands the handler the path without its query; the log wants both, as sent. */
    size_t len = strlen(uri);
    struct request *request = malloc(sizeof *request + len + 1);
    if (request) {
        *request = (struct request){.arrived_ns = fake_now_ns()};
        request->arrived_ms = request->arrived_ns / 1000000u;
        memcpy(request->uri, uri, len + 1);
    }
    return request;
}

/* How an answer ended, in the --timing line's own words. */
static const char *termination_name(enum MHD_RequestTerminationCode toe)
{
    switch (toe) {
    case MHD_REQUEST_TERMINATED_COMPLETED_OK:
        return "ok";
    case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
        return "timeout";
    case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
        return "shutdown";
    default:
        /* Not sent whole: the client went away or a fault (--cut) closed it; MHD tells the
           two apart only as a failed write, so neither is named. */
        return "short";
    }
}

void fake_router_completed(void *cls, struct MHD_Connection *connection, void **req_cls,
                           enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)connection;
    struct request *request = *req_cls;
    /* Called once the last body byte went out or the answer was given up: a body's end. */
    if (request && request->answered_ns)
        fake_observe_timing(
            request->role, request->method, request->uri, request->range, request->status,
            request->arrived_ns, request->answered_ns, fake_now_ns(),
            request->buffered_bytes + (request->tally ? fake_tally_bytes(request->tally) : 0),
            termination_name(toe));
    if (request) {
        free(request->range);
        fake_tally_release(request->tally);
    }
    free(request);
    *req_cls = NULL;
}

enum MHD_Result fake_router_handle(void *cls, struct MHD_Connection *connection, const char *url,
                                   const char *method, const char *version, const char *upload_data,
                                   size_t *upload_data_size, void **req_cls)
{
    const struct fake_listener *listener = cls;
    struct fake_server *server = listener->server;
    struct fake_reply reply = {0};
    struct fake_proxy_target target = {.role = listener->role};
    bool is_segment = false;
    (void)version;
    (void)upload_data;

    struct request *request = *req_cls;
    if (!request)
        return MHD_NO; /* the URI log callback ran out of memory */
    /*
     * Answer only once the whole request is in: MHD keeps the connection alive only for a
     * response queued after the request (body included, ignored here) was fully read.
     */
    if (!request->headers_seen) {
        request->headers_seen = true;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0;
        return MHD_YES;
    }

    if (server->config.latency_ms && !fake_stop_sleep_ms(server->config.latency_ms))
        return MHD_NO;
    if (server->config.timing_path && !request->tally)
        request->tally = fake_tally_new();
    reply.tally = request->tally;

    /* The proxy answers as the listener its absolute URL names, with that URL's own path:
       everything below then runs as if the request had gone there. */
    target.url = url;
    target.uri = request->uri;
    bool is_proxied = listener->role == FAKE_ROLE_PROXY;
    bool is_bad_gateway =
        is_proxied && !fake_proxy_resolve(server, method, url, request->uri, &target);

    if (is_bad_gateway) {
        fake_proxy_bad_gateway(&reply);
    } else if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
               strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        static const char body[] = "Method Not Allowed\n";
        fake_reply_copy(&reply, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", body, sizeof body - 1);
        if (reply.response)
            MHD_add_response_header(reply.response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    } else if (target.role == FAKE_ROLE_API) {
        route_api(server, connection, target.url, target.uri, &reply);
    } else {
        route_mirror(server, connection, target.role, target.url, target.uri, &reply, &is_segment);
    }
    if (reply.is_dropped) {
        free(target.owned);
        return MHD_NO; /* shutdown cut a wait short, as after --latency */
    }
    fake_observe_request(is_segment);

    /* A proxied line is the target's line with the role "proxy"; a refused one says what
       was sent. */
    fake_observe_log(
        listener->role, method, is_bad_gateway ? request->uri : target.uri,
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT),
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_REFERER),
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_ORIGIN),
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE),
        reply.response ? reply.status : 500, request->arrived_ms - server->started_ms);
    free(target.owned);
    if (server->config.timing_path && reply.response) {
        const char *range =
            MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
        request->answered_ns = fake_now_ns();
        request->status = reply.status;
        request->role = listener->role;
        snprintf(request->method, sizeof request->method, "%s", method);
        request->range = range ? strdup(range) : NULL;
        request->buffered_bytes = reply.body_bytes;
    }

    if (!reply.response)
        return MHD_NO; /* out of memory: dropping the connection is all that is left */
    fake_observe_bytes(reply.body_bytes);
    enum MHD_Result result = MHD_queue_response(connection, reply.status, reply.response);
    MHD_destroy_response(reply.response);
    return result;
}
