/* Formats: grouping mirrors of one stream, choosing one by the user's words, sizing it. */
#include "format.h"
#include "base/i18n.h"

#include "base/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The codec named first in a CODECS list ("avc1.640029, mp4a.40.2"): RFC 6381 names, of which
 * the video ones RuTube sends start so. */
static enum rt_codec codec_of(const char *codecs)
{
    static const struct {
        const char *prefix;
        enum rt_codec codec;
    } names[] = {{"avc1", RT_CODEC_H264},
                 {"avc3", RT_CODEC_H264},
                 {"hvc1", RT_CODEC_HEVC},
                 {"hev1", RT_CODEC_HEVC},
                 {"av01", RT_CODEC_AV1}};
    for (const char *p = codecs ? codecs : ""; *p;) {
        p += strspn(p, " ,");
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strncmp(p, names[i].prefix, 4) == 0 && (p[4] == '.' || p[4] == ',' || !p[4]))
                return names[i].codec;
        p += strcspn(p, ",");
    }
    return RT_CODEC_UNKNOWN;
}

enum rt_codec rt_format_codec(const struct rt_format *format)
{
    return format ? codec_of(format->codecs) : RT_CODEC_UNKNOWN;
}

const char *rt_codec_name(enum rt_codec codec)
{
    switch (codec) {
    case RT_CODEC_H264:
        return "H.264";
    case RT_CODEC_HEVC:
        return "HEVC";
    case RT_CODEC_AV1:
        return "AV1";
    case RT_CODEC_UNKNOWN:
        break;
    }
    return "?";
}

/* How widely a codec plays, higher is wider: what "best" takes among formats of one size.
 * A master that names no codec is an older one, all H.264. */
static int compatibility(enum rt_codec codec)
{
    return codec == RT_CODEC_AV1 ? 0 : codec == RT_CODEC_HEVC ? 1 : 2;
}

static bool same_stream(const struct rt_format *f, const struct rt__variant *v)
{
    return f->width == v->width && f->height == v->height && f->bandwidth == v->bandwidth &&
           codec_of(f->codecs) == codec_of(v->codecs);
}

static int compare_formats(const void *a, const void *b)
{
    const struct rt_format *x = a, *y = b;
    long px = (long)x->width * x->height, py = (long)y->width * y->height;
    if (px != py)
        return px < py ? -1 : 1;
    int cx = compatibility(rt_format_codec(x)), cy = compatibility(rt_format_codec(y));
    if (cx != cy)
        return cx < cy ? -1 : 1;
    if (x->bandwidth != y->bandwidth)
        return x->bandwidth < y->bandwidth ? -1 : 1;
    return 0;
}

/* Older masters give no RESOLUTION: the size is then only in the variant address's
 * `?i=<W>x<H>_<kbit/s>` (as RuTube has written it since 2017). */
static void size_from_address(const char *url, int *width, int *height)
{
    const char *query = strchr(url, '?');
    for (const char *p = query; p && *p; p = strchr(p + 1, '&')) {
        int w, h, used = 0;
        if (sscanf(p + 1, "i=%5dx%5d%n", &w, &h, &used) == 2 && used > 0 && w > 0 && h > 0 &&
            (p[1 + used] == '_' || p[1 + used] == '&' || p[1 + used] == '\0')) {
            *width = w;
            *height = h;
            return;
        }
    }
}

static enum rt_code add_mirror(struct rt_format *f, const char *url, struct rt_error *err)
{
    for (size_t i = 0; i < f->mirror_count; i++)
        if (strcmp(f->mirrors[i], url) == 0)
            return RT_OK; /* listed twice on the same host: not a second mirror */
    char **more = realloc(f->mirrors, (f->mirror_count + 1) * sizeof *more);
    if (!more)
        return rt__fail(err, RT_E_NOMEM, NULL);
    f->mirrors = more;
    if (!(f->mirrors[f->mirror_count] = strdup(url)))
        return rt__fail(err, RT_E_NOMEM, NULL);
    f->mirror_count++;
    return RT_OK;
}

enum rt_code rt__formats_from_master(const struct rt__master *master, struct rt_video *video,
                                     struct rt_error *err)
{
    struct rt_format *formats = calloc(master->count, sizeof *formats);
    size_t count = 0;
    if (!formats)
        return rt__fail(err, RT_E_NOMEM, NULL);
    /* Owned by the video from here on, so one cleanup frees a half-built list too. */
    video->formats = formats;
    video->format_count = 0;

    for (size_t i = 0; i < master->count; i++) {
        struct rt__variant sized = master->variants[i], *v = &sized;
        if (v->width <= 0 || v->height <= 0)
            size_from_address(v->url, &v->width, &v->height);
        size_t k = 0;
        while (k < count && !same_stream(&formats[k], v))
            k++;
        if (k == count) {
            struct rt_format *f = &formats[count++];
            video->format_count = count;
            f->width = v->width;
            f->height = v->height;
            f->bandwidth = v->bandwidth;
            f->frame_rate = v->frame_rate;
            if (!(f->codecs = strdup(v->codecs)))
                return rt__fail(err, RT_E_NOMEM, NULL);
        }
        enum rt_code result = add_mirror(&formats[k], v->url, err);
        if (result != RT_OK)
            return result;
    }
    qsort(formats, count, sizeof *formats, compare_formats);
    return RT_OK;
}

/* The shorter side: "720" means 720p for landscape and vertical videos alike. */
static int short_side(const struct rt_format *f)
{
    return f->width < f->height ? f->width : f->height;
}

/* Parse a whole positive number followed by `tail` (may be ""); false otherwise. */
static bool parse_size(const char *s, long *out, const char **rest)
{
    if (*s < '0' || *s > '9')
        return false;
    long v = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (*s - '0');
        if (v > 100000)
            return false;
        s++;
    }
    *out = v;
    *rest = s;
    return v > 0;
}

/* "640x352, 1280x712": each size once, though it may come in several codecs. */
static void list_sizes(const struct rt_video *video, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < video->format_count && len < size; i++) {
        const struct rt_format *f = &video->formats[i];
        if (i > 0 && f->width == f[-1].width && f->height == f[-1].height)
            continue;
        int n = snprintf(out + len, size - len, "%s%dx%d", len ? ", " : "", f->width, f->height);
        if (n < 0)
            break;
        len += (size_t)n;
    }
}

/* Among the formats of `index`'s size, the one in `prefer`, else the most compatible (the
 * last of that size, as they are sorted). */
static size_t pick_codec(const struct rt_video *video, size_t index, enum rt_codec prefer)
{
    const struct rt_format *chosen = &video->formats[index];
    size_t best = index, preferred = video->format_count;
    for (size_t i = 0; i < video->format_count; i++) {
        const struct rt_format *f = &video->formats[i];
        if (f->width != chosen->width || f->height != chosen->height)
            continue;
        best = i; /* the last of the size: the most compatible, the highest bit rate */
        if (prefer != RT_CODEC_UNKNOWN && rt_format_codec(f) == prefer)
            preferred = i;
    }
    return preferred < video->format_count ? preferred : best;
}

/* The size the words name, as an index into formats (any format of that size). */
static enum rt_code choose_size(const struct rt_video *video, const char *spec, size_t *index,
                                bool *exact, struct rt_error *err)
{
    size_t last = video->format_count - 1;
    if (!spec || !*spec || strcmp(spec, "best") == 0) {
        *index = last;
        return RT_OK;
    }
    if (strcmp(spec, "worst") == 0) {
        *index = 0;
        return RT_OK;
    }

    long a, b;
    const char *rest;
    if (!parse_size(spec, &a, &rest))
        return rt__fail(err, RT_E_USAGE,
                        _("quality \"%s\" is not understood (use best, worst, a height such as "
                          "720, or a size such as 1280x712)"),
                        spec);
    if ((*rest == 'x' || *rest == 'X') && parse_size(rest + 1, &b, &rest) && *rest == '\0') {
        for (size_t i = video->format_count; i-- > 0;) {
            if (video->formats[i].width == a && video->formats[i].height == b) {
                *index = i;
                return RT_OK;
            }
        }
        char sizes[256];
        list_sizes(video, sizes, sizeof sizes);
        return rt__fail(err, RT_E_NO_FORMAT, _("there is no %ldx%ld format (there is %s)"), a, b,
                        sizes);
    }
    if (!(*rest == '\0' || ((*rest == 'p' || *rest == 'P') && rest[1] == '\0')))
        return rt__fail(err, RT_E_USAGE,
                        _("quality \"%s\" is not understood (use best, worst, a height such as "
                          "720, or a size such as 1280x712)"),
                        spec);
    /* Formats ascend by size, so the last one that fits is the best that fits. */
    for (size_t i = video->format_count; i-- > 0;) {
        if (short_side(&video->formats[i]) <= a) {
            *index = i;
            return RT_OK;
        }
    }
    *index = 0;
    *exact = false;
    return RT_OK;
}

enum rt_code rt_format_choose_codec(const struct rt_video *video, const char *spec,
                                    enum rt_codec prefer, size_t *index, bool *exact,
                                    struct rt_error *err)
{
    bool dummy;
    if (!exact)
        exact = &dummy;
    *exact = true;
    if (!video || video->format_count == 0)
        return rt__fail(err, RT_E_NO_FORMAT, _("the video has no formats"));
    if (!index)
        return rt__fail(err, RT_E_USAGE, _("no place to put the format's index"));
    size_t sized;
    enum rt_code result = choose_size(video, spec, &sized, exact, err);
    if (result == RT_OK)
        *index = pick_codec(video, sized, prefer);
    return result;
}

enum rt_code rt_format_choose(const struct rt_video *video, const char *spec, size_t *index,
                              bool *exact, struct rt_error *err)
{
    return rt_format_choose_codec(video, spec, RT_CODEC_UNKNOWN, index, exact, err);
}

uint64_t rt_format_estimate_size(const struct rt_video *video, const struct rt_format *format)
{
    if (!video || !format || video->duration <= 0 || format->bandwidth <= 0)
        return 0;
    return (uint64_t)((double)format->bandwidth / 8.0 * video->duration);
}
