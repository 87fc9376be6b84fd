/* Formats: grouping mirrors of one stream, choosing one by the user's words, sizing it. */
#include "format.h"
#include "base/i18n.h"

#include "base/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool same_stream(const struct rt_format *f, const struct rt__variant *v)
{
    return f->width == v->width && f->height == v->height && f->bandwidth == v->bandwidth;
}

static int compare_formats(const void *a, const void *b)
{
    const struct rt_format *x = a, *y = b;
    long px = (long)x->width * x->height, py = (long)y->width * y->height;
    if (px != py)
        return px < py ? -1 : 1;
    if (x->bandwidth != y->bandwidth)
        return x->bandwidth < y->bandwidth ? -1 : 1;
    return 0;
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
        const struct rt__variant *v = &master->variants[i];
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

static void list_sizes(const struct rt_video *video, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < video->format_count && len < size; i++) {
        int n = snprintf(out + len, size - len, "%s%dx%d", i ? ", " : "", video->formats[i].width,
                         video->formats[i].height);
        if (n < 0)
            break;
        len += (size_t)n;
    }
}

enum rt_code rt_format_choose(const struct rt_video *video, const char *spec, size_t *index,
                              bool *exact, struct rt_error *err)
{
    bool dummy;
    if (!exact)
        exact = &dummy;
    *exact = true;
    if (!video || video->format_count == 0)
        return rt__fail(err, RT_E_NO_FORMAT, _("the video has no formats"));
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

uint64_t rt_format_estimate_size(const struct rt_video *video, const struct rt_format *format)
{
    if (!video || !format || video->duration <= 0 || format->bandwidth <= 0)
        return 0;
    return (uint64_t)((double)format->bandwidth / 8.0 * video->duration);
}
