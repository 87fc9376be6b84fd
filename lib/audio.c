/* The format to fetch for the audio alone: RuTube muxes the same sound into most renditions of
 * a video, so the smallest one that carries it saves most of the bytes. */
#include "base/client.h"
#include "base/i18n.h"

#include "base/buf.h"
#include "base/errors.h"
#include "base/http.h"
#include "base/url.h"
#include "hls/source.h"
#include "media/audio_probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The start of a segment is enough: a second of AAC needs 10-20 KB, and even at 1080p the
 * first 512 KiB hold a few seconds of it. A server that ignores the range sends the segment,
 * which this bounds. */
#define PROBE_RANGE "0-524287"
#define PROBE_MAX   (64u << 20)
/* Renditions read at most: the reference and a few candidates, smallest first. */
#define PROBES_MAX 6
/* Formats a request names at most. */
#define MIRRORS_MAX 16

/* One format's first segment, on each of its mirrors: refs resolved against the playlists. */
static enum rt_code first_segment_urls(const struct rt_format *f, const struct rt__media *media,
                                       char **urls, size_t *count, struct rt_error *err)
{
    *count = 0;
    size_t mirrors = f->mirror_count < MIRRORS_MAX ? f->mirror_count : MIRRORS_MAX;
    for (size_t m = 0; m < mirrors; m++) {
        enum rt_code result = rt__url_resolve(f->mirrors[m], media->segments[0].ref, &urls[m], err);
        if (result != RT_OK)
            return result;
        (*count)++;
    }
    return RT_OK;
}

enum probe {
    PROBE_READ,
    PROBE_UNREADABLE, /* fragmented MP4, another codec: other formats may still be read */
    PROBE_FAILED,     /* a request failed: the network or the CDN, no use asking more now */
};

/* What the audio of format `f` is, from the start of its first segment (the reason it could
 * not be read is logged). A cancel is RT_E_CANCELLED in `*result`, the rest RT_OK. */
static enum probe probe_format(struct rt_client *client, const struct rt_format *f,
                               struct rt__audio_traits *traits, enum rt_code *result)
{
    struct rt__media media = {0};
    struct rt_error err = {0};
    struct rt__buf body;
    char *urls[MIRRORS_MAX] = {NULL};
    size_t url_count = 0;
    enum probe outcome = PROBE_FAILED;
    rt__buf_init(&body, PROBE_MAX);
    *result = rt__source_playlist(client, (const char *const *)f->mirrors, f->mirror_count, NULL,
                                  NULL, NULL, &media, &err);
    if (*result == RT_OK && media.map_ref) {
        outcome = PROBE_UNREADABLE;
        snprintf(err.message, sizeof err.message, "fragmented MP4");
    } else if (*result == RT_OK) {
        *result = first_segment_urls(f, &media, urls, &url_count, &err);
    }
    if (*result == RT_OK && !media.map_ref) {
        long status;
        struct rt__request request = {.urls = (const char *const *)urls,
                                      .url_count = url_count,
                                      .what = "the audio of a format",
                                      .range = PROBE_RANGE};
        *result = rt__http_get(client, &request, &body, &status, &err);
        if (*result == RT_OK) {
            outcome = rt__audio_probe_ts((const uint8_t *)body.data, body.len, traits)
                          ? PROBE_READ
                          : PROBE_UNREADABLE;
            if (outcome == PROBE_UNREADABLE)
                snprintf(err.message, sizeof err.message, "no AAC audio that can be read");
        }
    }
    rt__log(client, RT_LOG_DEBUG, "audio of %dx%d (%ld bit/s): %s", f->width, f->height,
            f->bandwidth, outcome == PROBE_READ ? "read" : err.message);
    if (*result != RT_E_CANCELLED)
        *result = RT_OK;
    for (size_t m = 0; m < url_count; m++)
        free(urls[m]);
    rt__buf_cleanup(&body);
    rt__media_cleanup(&media);
    return outcome;
}

/* Bits a second, or pixels when the master gives no bandwidth: smaller is cheaper. */
static double cost(const struct rt_format *f)
{
    return f->bandwidth > 0 ? (double)f->bandwidth : (double)f->width * f->height;
}

/* Indexes of the formats, cheapest first (insertion sort: a master lists a dozen). */
static void by_cost(const struct rt_video *video, size_t *order)
{
    for (size_t i = 0; i < video->format_count; i++) {
        size_t k = i;
        for (; k > 0 && cost(&video->formats[i]) < cost(&video->formats[order[k - 1]]); k--)
            order[k] = order[k - 1];
        order[k] = i;
    }
}

static const char *channel_words(unsigned channels)
{
    return channels == 1 ? "mono" : channels == 2 ? "stereo" : "multichannel";
}

static void log_choice(struct rt_client *client, const struct rt_video *video, size_t chosen,
                       size_t reference, const struct rt__audio_traits *audio)
{
    const struct rt_format *c = &video->formats[chosen], *r = &video->formats[reference];
    double d = video->duration;
    if (chosen == reference) {
        rt__log(client, RT_LOG_INFO,
                "audio: no smaller format carries the audio of %dx%d (AAC, %u Hz, %s, %.0f kbit/s)",
                r->width, r->height, audio->sample_rate, channel_words(audio->channels),
                audio->bitrate / 1000);
        return;
    }
    rt__log(client, RT_LOG_INFO,
            "audio: %dx%d carries the audio of %dx%d (AAC, %u Hz, %s, %.0f kbit/s): fetching "
            "~%.1f MiB instead of ~%.1f MiB",
            c->width, c->height, r->width, r->height, audio->sample_rate,
            channel_words(audio->channels), audio->bitrate / 1000,
            d * (double)c->bandwidth / 8 / (1 << 20), d * (double)r->bandwidth / 8 / (1 << 20));
}

enum rt_code rt_video_audio_format(struct rt_client *client, const struct rt_video *video,
                                   size_t *format_index, struct rt_error *err)
{
    if (!client || !video || !format_index || video->format_count == 0)
        return rt__fail(err, RT_E_USAGE, _("no video to choose the audio of"));
    size_t count = video->format_count;
    *format_index = count - 1; /* the best, unless a smaller one is as good */
    if (count == 1 || video->formats[count - 1].is_file)
        return RT_OK;
    size_t *order = malloc(count * sizeof *order);
    if (!order)
        return rt__fail(err, RT_E_NOMEM, NULL);
    by_cost(video, order);

    /* The reference: the costliest format whose audio can be read. */
    enum rt_code result = RT_OK;
    enum probe outcome = PROBE_UNREADABLE;
    struct rt__audio_traits best, candidate;
    size_t probes = 0, reference = count;
    for (size_t k = count; k-- > 0 && probes < PROBES_MAX && outcome == PROBE_UNREADABLE;) {
        probes++;
        outcome = probe_format(client, &video->formats[order[k]], &best, &result);
        if (outcome == PROBE_READ)
            reference = k;
    }
    if (result == RT_OK && reference == count)
        rt__log(client, RT_LOG_INFO, "audio: no format's audio could be read; fetching the best");
    /* Then from the cheapest up: the first as good as the reference wins. */
    size_t chosen = reference;
    for (size_t k = 0; k < reference && probes < PROBES_MAX && outcome != PROBE_FAILED; k++) {
        probes++;
        outcome = probe_format(client, &video->formats[order[k]], &candidate, &result);
        if (outcome == PROBE_READ && rt__audio_as_good(&candidate, &best)) {
            chosen = k;
            break;
        }
    }
    if (result == RT_OK && reference < count) {
        *format_index = order[chosen];
        log_choice(client, video, order[chosen], order[reference], &best);
    }
    free(order);
    if (result != RT_OK)
        return rt__fail(err, result, NULL);
    return RT_OK;
}
