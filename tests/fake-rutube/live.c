/* Live streams on the air: a sliding media playlist without an end, and its segments. */
#include "fake.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Segments a live playlist lists at once; the stream starts with this many already made. */
#define WINDOW 3

/* The stream's own quality: the video's largest, its real files played again and again. */
static const struct fake_quality *stream_quality(const struct fake_video *video)
{
    if (video->live != FAKE_LIVE_ON_AIR || video->rendition_count == 0)
        return NULL;
    return video->renditions[video->rendition_count - 1].quality;
}

static double segment_seconds(const struct fake_quality *q, size_t n)
{
    return q->segments[(n - 1) % q->segment_count].duration;
}

/*
 * How many segments exist now: the window the stream started with, plus one for each segment
 * length gone by since the server started (the files' own lengths, cycled).
 */
static size_t made_so_far(const struct fake_server *server, const struct fake_quality *q)
{
    double elapsed = (double)(fake_now_ms() - server->started_ms) / 1000;
    double cycles = floor(elapsed / q->duration);
    size_t made = WINDOW + (size_t)cycles * q->segment_count;
    double left = elapsed - cycles * q->duration;
    for (size_t k = 0; k < q->segment_count && left >= q->segments[k].duration; k++) {
        left -= q->segments[k].duration;
        made++;
    }
    return made;
}

void fake_live_playlist(const struct fake_server *server, const struct fake_video *video,
                        struct fake_reply *reply)
{
    static const char not_found[] = "<html><body><h1>404 Not Found</h1></body></html>\n";
    const struct fake_quality *q = stream_quality(video);
    if (!q) {
        fake_reply_copy(reply, MHD_HTTP_NOT_FOUND, "text/html", not_found, sizeof not_found - 1);
        return;
    }
    double longest = 0;
    for (size_t k = 0; k < q->segment_count; k++)
        if (q->segments[k].duration > longest)
            longest = q->segments[k].duration;
    long target = lround(longest);
    size_t last = made_so_far(server, q), first = last - WINDOW + 1;

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    /* A live playlist: no PLAYLIST-TYPE, no ENDLIST; the sequence number moves on. */
    fprintf(f, "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:%ld\n#EXT-X-MEDIA-SEQUENCE:%zu\n",
            target > 0 ? target : 1, first);
    for (size_t n = first; n <= last; n++)
        fprintf(f, "#EXTINF:%.3f,\n%s/segment-%zu.ts\n", segment_seconds(q, n), video->id, n);
    if (fclose(f) != 0) {
        free(text);
        return;
    }
    fake_reply_take(reply, MHD_HTTP_OK, "application/vnd.apple.mpegurl", text, len);
}

const struct fake_segment *fake_live_segment(const struct fake_server *server,
                                             const struct fake_video *video, size_t n,
                                             bool no_video)
{
    const struct fake_quality *q = stream_quality(video);
    /* Segments already made stay (a client late by a window still gets them); later ones do
       not exist yet. */
    if (!q || n == 0 || n > made_so_far(server, q))
        return NULL;
    /* --no-video: the audio-only file in the same place (the folders line up, catalog.c
       checks). */
    if (no_video && video->media->audio_only)
        q = video->media->audio_only;
    return &q->segments[(n - 1) % q->segment_count];
}
