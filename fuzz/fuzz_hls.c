/* Fuzz target for the m3u8 readers: each input is parsed as a master and as a media playlist. */
#include "fuzz.h"

#include "hls/hls.h"

#include <math.h>

/* Where video.c would have fetched the master playlist from: relative addresses resolve here. */
#define BASE_URL "https://bl.rutube.ru/route/2ce725b3dc1a243f8456458975ecd872.m3u8?guids=x&sign=y"

static void fuzz_master(const char *text, size_t len)
{
    struct rt__master master;
    struct rt_error err = {0};
    enum rt_code result = rt__hls_parse_master(text, len, BASE_URL, &master, &err);

    if (result != RT_OK) {
        FUZZ_CHECK(result == RT_E_BAD_PLAYLIST);
        FUZZ_CHECK_ERROR(err, result);
        FUZZ_CHECK(master.variants == NULL && master.count == 0);
        return;
    }
    FUZZ_CHECK(master.count >= 1 && master.count <= RT_HLS_MAX_VARIANTS);
    for (size_t i = 0; i < master.count; i++) {
        const struct rt__variant *v = &master.variants[i];
        /* libcurl writes the resolved address back with its scheme in lowercase. */
        FUZZ_CHECK(fuzz_is_http(v->url) && strncmp(v->url, "http", 4) == 0);
        FUZZ_CHECK(!fuzz_has_control(v->url) && !strchr(v->url, ' '));
        FUZZ_CHECK(v->codecs != NULL && !strchr(v->codecs, '\n'));
        FUZZ_CHECK((v->width == 0) == (v->height == 0));
        FUZZ_CHECK(v->width >= 0 && v->width <= 16384 && v->height >= 0 && v->height <= 16384);
        FUZZ_CHECK(v->bandwidth >= 0);
        FUZZ_CHECK(isfinite(v->frame_rate) && v->frame_rate >= 0 && v->frame_rate <= 1000);
    }
    rt__master_cleanup(&master);
    FUZZ_CHECK(master.variants == NULL && master.count == 0);
}

static void fuzz_media(const char *text, size_t len)
{
    struct rt__media media;
    struct rt_error err = {0};
    enum rt_code result = rt__hls_parse_media(text, len, &media, &err);

    if (result != RT_OK) {
        FUZZ_CHECK(result == RT_E_BAD_PLAYLIST);
        FUZZ_CHECK_ERROR(err, result);
        FUZZ_CHECK(media.segments == NULL && media.count == 0 && media.map_ref == NULL);
        return;
    }
    /* An init section, when there is one, is a real address line: not empty, one line. */
    FUZZ_CHECK(!media.map_ref || (media.map_ref[0] != '\0' && !strchr(media.map_ref, '\n') &&
                                  !strchr(media.map_ref, '"')));
    FUZZ_CHECK(media.count >= 1 && media.count <= RT_HLS_MAX_SEGMENTS);
    double sum = 0;
    for (size_t i = 0; i < media.count; i++) {
        const struct rt__segment *s = &media.segments[i];
        FUZZ_CHECK(s->ref != NULL && s->ref[0] != '\0' && s->ref[0] != '#');
        FUZZ_CHECK(!strchr(s->ref, '\n'));
        FUZZ_CHECK(isfinite(s->duration) && s->duration >= 0 &&
                   s->duration <= RT_HLS_MAX_SEGMENT_DURATION);
        sum += s->duration;
    }
    FUZZ_CHECK(sum == media.duration);
    rt__media_cleanup(&media);
}

/* A live playlist: no ENDLIST needed, an empty window fine, the numbers in range. */
static void fuzz_live(const char *text, size_t len)
{
    struct rt__media media;
    struct rt__live_info info;
    struct rt_error err = {0};
    enum rt_code result = rt__hls_parse_live(text, len, &media, &info, &err);
    if (result != RT_OK) {
        FUZZ_CHECK(result == RT_E_BAD_PLAYLIST);
        FUZZ_CHECK_ERROR(err, result);
        FUZZ_CHECK(media.segments == NULL && media.count == 0);
        return;
    }
    FUZZ_CHECK(media.map_ref == NULL && media.count <= RT_HLS_MAX_SEGMENTS);
    FUZZ_CHECK(info.first_sequence >= 0 && info.target_duration >= 0 &&
               info.target_duration <= RT_HLS_MAX_SEGMENT_DURATION);
    for (size_t i = 0; i < media.count; i++)
        FUZZ_CHECK(media.segments[i].ref && media.segments[i].ref[0] != '#' &&
                   !strchr(media.segments[i].ref, '\n'));
    rt__media_cleanup(&media);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The bytes exactly, without a NUL after them: the parsers take a length, so reading past
     * it is a bug even where the library's own buffers happen to end in a NUL. */
    fuzz_master((const char *)data, size);
    fuzz_media((const char *)data, size);
    fuzz_live((const char *)data, size);
    return 0;
}
