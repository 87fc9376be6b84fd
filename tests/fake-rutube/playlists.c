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

bool fake_playlists_lists(const struct fake_rendition *rendition, bool full)
{
    /* RuTube's cut without client=wdp&mq=all&av1=1: 1080p at most (the shorter side, so a
       608x1080 short stays), and no AV1. */
    const struct fake_quality *q = rendition->quality;
    unsigned shorter = q->width < q->height ? q->width : q->height;
    return full || (shorter <= 1080 && q->codec != FAKE_CODEC_AV1);
}

static void variant_address(FILE *f, const struct fake_server *server,
                            const struct fake_rendition *r, int mirror, unsigned kbps)
{
    const struct fake_quality *q = r->quality;
    fprintf(f, "%s://127.0.0.1:%u/hls-vod/%s/%lld/%u/%s.mp4.m3u8?i=%ux%u_%u\n", server->scheme,
            server->port[mirror], r->token, server->expire, r->number, r->hash, q->width, q->height,
            kbps);
}

void fake_playlists_master(const struct fake_server *server, const struct fake_video *video,
                           bool full, struct fake_reply *reply)
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
        if (!fake_playlists_lists(r, full))
            continue;
        /* RuTube rounds BANDWIDTH down to whole kbit/s and repeats the kbit/s in ?i=. */
        unsigned kbps = q->bandwidth / 1000;
        if (video->master == FAKE_MASTER_2017) {
            /* dandygithub/kodi's recorded 2017 master: one host, the size only in ?i=, and
               HE-AAC announced (the media's AAC-LC plays under that name anyway). */
            fprintf(f,
                    "#EXT-X-STREAM-INF:PROGRAM-ID=1, BANDWIDTH=%u000, "
                    "CODECS=\"avc1.42c015, mp4a.40.5\"\n",
                    kbps);
            variant_address(f, server, r, FAKE_ROLE_MIRROR0, kbps);
            continue;
        }
        for (int mirror = FAKE_ROLE_MIRROR0; mirror <= FAKE_ROLE_MIRROR1; mirror++) {
            fprintf(f,
                    "#EXT-X-STREAM-INF:PROGRAM-ID=1, BANDWIDTH=%u000, FRAME-RATE=%u, "
                    "CODECS=\"%s\", RESOLUTION=%ux%u\n",
                    kbps, q->fps, q->codecs, q->width, q->height);
            variant_address(f, server, r, mirror, kbps);
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
    /* fMP4 needs EXT-X-MAP, which needs protocol version 6 or later (RFC 8216, 7). */
    fprintf(f,
            "#EXTM3U\n#EXT-X-TARGETDURATION:%ld\n#EXT-X-ALLOW-CACHE:YES\n"
            "#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-VERSION:%d\n#EXT-X-MEDIA-SEQUENCE:1\n",
            target > 0 ? target : 1, q->is_fmp4 ? 7 : 3);
    if (q->is_fmp4)
        fprintf(f, "#EXT-X-MAP:URI=\"%s.mp4/init-v1-a1.mp4\"\n", rendition->hash);
    /* Relative addresses, resolved by the client against this playlist's own address. Under
       --segments the real files come round again, each with its own duration. */
    for (size_t k = 0; k < rendition->segment_count; k++)
        fprintf(f, "#EXTINF:%.3f,\n%s.mp4/segment-%zu-v1-a1.%s\n",
                q->segments[k % q->segment_count].duration, rendition->hash, k + 1,
                q->is_fmp4 ? "m4s" : "ts");
    fputs("#EXT-X-ENDLIST\n", f);
    reply_stream(reply, f, &text, &len);
}
