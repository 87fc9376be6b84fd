/* Live streams on the air: their clock, sliding (or DVR) playlists, live masters and segments. */
#include "fake.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define M3U8_TYPE "application/vnd.apple.mpegurl"
/* The 90 kHz clock of MPEG-TS timestamps, a 33-bit count. */
#define TS_HZ         90000
#define TS_CLOCK_MASK ((UINT64_C(1) << 33) - 1)

static void reply_not_found(struct fake_reply *reply)
{
    static const char body[] = "<html><body><h1>404 Not Found</h1></body></html>\n";
    fake_reply_copy(reply, MHD_HTTP_NOT_FOUND, "text/html", body, sizeof body - 1);
}

bool fake_live_is_stream(const struct fake_video *video)
{
    return video->live == FAKE_LIVE_ON_AIR || video->live == FAKE_LIVE_UPCOMING;
}

/* When the stream's clock starts (fake_now_ms()): with the server, or --live-starts-in later. */
static uint64_t clock_start(const struct fake_server *server, const struct fake_video *video)
{
    if (video->live == FAKE_LIVE_UPCOMING)
        return server->started_ms + server->config.live_starts_in_ms;
    return server->started_ms;
}

bool fake_live_has_started(const struct fake_server *server, const struct fake_video *video)
{
    return fake_live_is_stream(video) && fake_now_ms() >= clock_start(server, video);
}

/* The direct playlist's quality: the largest MPEG-TS one. */
static const struct fake_quality *largest(const struct fake_video *video)
{
    return video->live_quality_count ? video->live_qualities[video->live_quality_count - 1] : NULL;
}

/*
 * Segments that appeared in elapsed_ms past those the stream had when its clock started: one
 * every --live-period, else one each time a segment's length has gone by (the files' own
 * lengths, cycled from the first).
 */
static size_t steps(const struct fake_server *server, const struct fake_quality *q,
                    uint64_t elapsed_ms)
{
    if (server->config.live_period_ms)
        return (size_t)(elapsed_ms / server->config.live_period_ms);
    double elapsed = (double)elapsed_ms / 1000;
    double cycles = floor(elapsed / q->duration);
    size_t made = (size_t)cycles * q->segment_count;
    double left = elapsed - cycles * q->duration;
    for (size_t k = 0; k < q->segment_count && left >= q->segments[k].duration; k++) {
        left -= q->segments[k].duration;
        made++;
    }
    return made;
}

/*
 * How many segments exist now (segments 1 to this). A stream on the air has had a window's
 * worth from the start (a playlist is full at once); an upcoming one starts with segment 1 at
 * its start time. --live-end stops the count there.
 */
static size_t made_so_far(const struct fake_server *server, const struct fake_video *video)
{
    uint64_t now = fake_now_ms(), start = clock_start(server, video);
    if (now < start)
        return 0;
    size_t made = video->live == FAKE_LIVE_UPCOMING ? 1 : server->config.live_window;
    made += steps(server, largest(video), now - start);
    if (server->config.live_end && made > server->config.live_end)
        made = server->config.live_end;
    return made;
}

/* The first segment the playlist lists once made exist. */
static size_t first_listed(const struct fake_server *server, size_t made)
{
    size_t window = server->config.live_window;
    if (server->config.live_dvr || made <= window)
        return 1;
    return made - window + 1;
}

long long fake_live_expire(const struct fake_server *server)
{
    if (server->config.has_live_expire)
        return (long long)time(NULL) + server->config.live_expire;
    return server->expire;
}

bool fake_live_is_refused(const struct fake_server *server, const char *expire)
{
    if (!server->config.has_live_expire)
        return false;
    /* Digits only, as the server writes it: anything else is a mangled address. */
    if (!expire || !expire[0] || strlen(expire) > 18 ||
        strspn(expire, "0123456789") != strlen(expire))
        return true;
    return strtoll(expire, NULL, 10) < (long long)time(NULL);
}

const struct fake_quality *fake_live_quality(const struct fake_video *video, const char *name,
                                             size_t len)
{
    for (size_t i = 0; i < video->live_quality_count; i++) {
        const char *own = video->live_qualities[i]->name;
        if (strlen(own) == len && memcmp(own, name, len) == 0)
            return video->live_qualities[i];
    }
    return NULL;
}

/* What the addresses the playlist writes carry under --live-expire: the request's own stamp
 * (refused already when stale) and the video's signature. Nothing otherwise. */
static void write_query(FILE *f, const struct fake_server *server, const struct fake_video *video,
                        const char *expire)
{
    if (server->config.has_live_expire && expire)
        fprintf(f, "?expire=%s&sign=%s", expire,
                video->rendition_count ? video->renditions[0].token : "none");
}

/* Two variants, smallest first, each written as the VOD masters write theirs. */
static void write_master(FILE *f, const struct fake_server *server, const struct fake_video *video,
                         unsigned port, const char *expire)
{
    fputs("#EXTM3U\n", f);
    for (size_t i = 0; i < video->live_quality_count; i++) {
        const struct fake_quality *q = video->live_qualities[i];
        fprintf(f,
                "#EXT-X-STREAM-INF:PROGRAM-ID=1, BANDWIDTH=%u000, FRAME-RATE=%u, "
                "CODECS=\"%s\", RESOLUTION=%ux%u\n",
                q->bandwidth / 1000, q->fps, q->codecs, q->width, q->height);
        fprintf(f, "%s://127.0.0.1:%u/live/%s/%s.m3u8", server->scheme, port, video->id, q->name);
        write_query(f, server, video, expire);
        fputc('\n', f);
    }
}

/* prefix: what segment lines start with, relative to the playlist's own address. */
static void write_media(FILE *f, const struct fake_server *server, const struct fake_video *video,
                        const struct fake_quality *q, const char *prefix, const char *expire)
{
    double longest = 0;
    for (size_t k = 0; k < q->segment_count; k++)
        if (q->segments[k].duration > longest)
            longest = q->segments[k].duration;
    long target = lround(longest);
    size_t made = made_so_far(server, video), first = first_listed(server, made);
    bool has_ended = server->config.live_end && made >= server->config.live_end;

    /* A live playlist: no PLAYLIST-TYPE (EVENT under --live-dvr), no ENDLIST until the
       broadcast is over; the sequence number moves on. */
    fprintf(f, "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:%ld\n#EXT-X-MEDIA-SEQUENCE:%zu\n",
            target > 0 ? target : 1, first);
    if (server->config.live_dvr)
        fputs("#EXT-X-PLAYLIST-TYPE:EVENT\n", f);
    for (size_t n = first; n <= made; n++) {
        fprintf(f, "#EXTINF:%.3f,\n%s/segment-%zu.ts",
                q->segments[(n - 1) % q->segment_count].duration, prefix, n);
        write_query(f, server, video, expire);
        fputc('\n', f);
    }
    if (has_ended)
        fputs("#EXT-X-ENDLIST\n", f);
}

void fake_live_playlist(const struct fake_server *server, const struct fake_video *video,
                        const struct fake_quality *quality, unsigned port, const char *expire,
                        struct fake_reply *reply)
{
    if (!fake_live_has_started(server, video) || !largest(video)) {
        reply_not_found(reply);
        return;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    if (!quality && server->config.live_master)
        write_master(f, server, video, port, expire);
    else if (quality)
        write_media(f, server, video, quality, quality->name, expire);
    else
        write_media(f, server, video, largest(video), video->id, expire);
    if (fclose(f) != 0) {
        free(text);
        return;
    }
    fake_reply_take(reply, MHD_HTTP_OK, M3U8_TYPE, text, len);
}

bool fake_live_segment(const struct fake_server *server, const struct fake_video *video,
                       const struct fake_quality *quality, size_t n, bool no_video,
                       const struct fake_segment **file, struct fake_ts_shift *shift)
{
    const struct fake_config *config = &server->config;
    if (!fake_live_has_started(server, video) || !largest(video) || n == 0)
        return false;
    /* Segments already made stay (a client late by a window still gets them) unless
       --live-keep lets them go; later ones do not exist yet. */
    size_t made = made_so_far(server, video);
    if (n > made)
        return false;
    if (!config->live_dvr && config->has_live_keep &&
        (uint64_t)n + config->live_window + config->live_keep <= made)
        return false;
    const struct fake_quality *q = quality ? quality : largest(video);
    /* --no-video: the audio-only file in the same place (the folders line up, media.c
       checks). */
    if (no_video && video->media->audio_only)
        q = video->media->audio_only;
    *file = &q->segments[(n - 1) % q->segment_count];
    /* Pass p over the files plays p times their span later (the longest stream's, so no
       timestamp goes back; the EXTINF sum when the scan found none), its counters run on. */
    uint64_t per_pass = q->ts_cycle && q->ts_cycle->span ? q->ts_cycle->span
                                                         : (uint64_t)llround(q->duration * TS_HZ);
    shift->passes = (n - 1) / q->segment_count;
    shift->ticks = ((shift->passes & TS_CLOCK_MASK) * per_pass) & TS_CLOCK_MASK;
    shift->cycle = q->ts_cycle;
    return true;
}

/* The qualities of one stream; scans each one's counters once (media are shared). */
static int load_stream(struct fake_catalog *catalog, struct fake_video *video)
{
    struct fake_media *media = &catalog->media[video->media - catalog->media];
    struct fake_quality *picked[2] = {NULL, NULL};
    /* Sorted smallest first: the first and the last MPEG-TS quality. */
    for (size_t i = 0; i < media->quality_count; i++) {
        if (media->qualities[i].is_fmp4)
            continue;
        if (!picked[0])
            picked[0] = &media->qualities[i];
        picked[1] = &media->qualities[i];
    }
    if (!picked[0]) {
        fprintf(stderr, FAKE_PROGRAM ": %s: a live stream needs MPEG-TS media, %s has none\n",
                video->id, media->name);
        return -1;
    }
    video->live_quality_count = picked[0] == picked[1] ? 1 : 2;
    video->live_qualities[0] = picked[0];
    video->live_qualities[1] = picked[1];
    struct fake_quality *scan[3] = {picked[0], picked[1], media->audio_only};
    for (size_t i = 0; i < 3; i++) {
        if (!scan[i] || scan[i]->ts_cycle)
            continue;
        scan[i]->ts_cycle = fake_ts_cycle_scan(scan[i]);
        if (!scan[i]->ts_cycle)
            return -1;
    }
    return 0;
}

int fake_live_load(struct fake_catalog *catalog)
{
    for (size_t i = 0; i < catalog->video_count; i++) {
        struct fake_video *video = &catalog->videos[i];
        if (fake_live_is_stream(video) && video->media && load_stream(catalog, video) != 0)
            return -1;
    }
    return 0;
}
