/* The m3u8 texts: the master playlist (two mirrors per quality) and media playlists. */
#include "fake.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define M3U8_TYPE "application/vnd.apple.mpegurl"

/* What --malformed-m3u8 serves: no #EXTM3U, a broken tag, control bytes. */
static const char garbage[] = "<html>\x01\x02 this is not a playlist\n#EXTINF:abc,\n"
                              "#EXT-X-STREAM-INF:BANDWIDTH=, RESOLUTION=x\n\n";

static void reply_garbage(struct fake_reply *reply)
{
    fake_reply_copy(reply, MHD_HTTP_OK, M3U8_TYPE, garbage, sizeof garbage - 1);
}

/* text and len are open_memstream()'s: only valid once the stream is closed. */
static void reply_stream(struct fake_reply *reply, FILE *f, char **text, size_t *len)
{
    if (fclose(f) != 0) {
        free(*text);
        return;
    }
    fake_reply_take(reply, MHD_HTTP_OK, M3U8_TYPE, *text, *len);
}

void fake_playlists_master(const struct fake_server *server, const struct fake_video *video,
                           struct fake_reply *reply)
{
    if (server->config.malformed_master) {
        reply_garbage(reply);
        return;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    fputs("#EXTM3U\n", f);
    for (size_t i = 0; i < video->rendition_count; i++) {
        const struct fake_rendition *r = &video->renditions[i];
        const struct fake_quality *q = r->quality;
        /* RuTube rounds BANDWIDTH down to whole kbit/s and repeats the kbit/s in ?i=. */
        unsigned kbps = q->bandwidth / 1000;
        for (int mirror = FAKE_ROLE_MIRROR0; mirror <= FAKE_ROLE_MIRROR1; mirror++) {
            fprintf(f,
                    "#EXT-X-STREAM-INF:PROGRAM-ID=1, BANDWIDTH=%u000, FRAME-RATE=25, "
                    "CODECS=\"avc1.640029, mp4a.40.2\", RESOLUTION=%ux%u\n",
                    kbps, q->width, q->height);
            fprintf(f, "%s://127.0.0.1:%u/hls-vod/%s/%lld/%u/%s.mp4.m3u8?i=%ux%u_%u\n",
                    server->scheme, server->port[mirror], r->token, server->expire, r->number,
                    r->hash, q->width, q->height, kbps);
        }
    }
    reply_stream(reply, f, &text, &len);
}

void fake_playlists_media(const struct fake_server *server, const struct fake_rendition *rendition,
                          struct fake_reply *reply)
{
    if (server->config.malformed_media) {
        reply_garbage(reply);
        return;
    }
    const struct fake_quality *q = rendition->quality;
    double longest = 0;
    for (size_t k = 0; k < q->segment_count; k++)
        if (q->segments[k].duration > longest)
            longest = q->segments[k].duration;
    /* RFC 8216: every EXTINF rounded to the nearest integer must not exceed the target. */
    long target = lround(longest);

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    fprintf(f,
            "#EXTM3U\n#EXT-X-TARGETDURATION:%ld\n#EXT-X-ALLOW-CACHE:YES\n"
            "#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:1\n",
            target > 0 ? target : 1);
    /* Relative addresses, resolved by the client against this playlist's own address. Under
       --segments the real files come round again, each with its own duration. */
    for (size_t k = 0; k < rendition->segment_count; k++)
        fprintf(f, "#EXTINF:%.3f,\n%s.mp4/segment-%zu-v1-a1.ts\n",
                q->segments[k % q->segment_count].duration, rendition->hash, k + 1);
    fputs("#EXT-X-ENDLIST\n", f);
    reply_stream(reply, f, &text, &len);
}
