/* The m3u8 reader: master and media playlists into variants and segments (RFC 8216). */
#include "hls/hls.h"
#include "base/i18n.h"

#include "base/errors.h"
#include "base/url.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A cursor over the playlist text, one line at a time. */
struct lines {
    const char *p, *end;
    size_t number; /* of the line last returned, from 1 */
};

/* Next line without its line break and surrounding blanks; false at the end. */
static bool next_line(struct lines *it, const char **line, size_t *n)
{
    if (it->p >= it->end)
        return false;
    const char *start = it->p;
    const char *nl = memchr(start, '\n', (size_t)(it->end - start));
    const char *stop = nl ? nl : it->end;
    it->p = nl ? nl + 1 : it->end;
    it->number++;
    while (start < stop && (*start == ' ' || *start == '\t'))
        start++;
    while (stop > start && (stop[-1] == '\r' || stop[-1] == ' ' || stop[-1] == '\t'))
        stop--;
    *line = start;
    *n = (size_t)(stop - start);
    return true;
}

static bool starts_with(const char *line, size_t n, const char *tag)
{
    size_t t = strlen(tag);
    return n >= t && memcmp(line, tag, t) == 0;
}

/* Open the text: skip a UTF-8 byte-order mark and blank lines; the first line must be
 * #EXTM3U, or this is not a playlist (an HTML error page, say). */
static enum rt_code open_playlist(const char *text, size_t len, struct lines *it,
                                  struct rt_error *err)
{
    it->p = text;
    it->end = text + len;
    it->number = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        it->p += 3;
    if (memchr(text, '\0', len))
        return rt__fail(err, RT_E_BAD_PLAYLIST, _("the playlist is binary data, not text"));
    const char *line;
    size_t n;
    while (next_line(it, &line, &n)) {
        if (n == 0)
            continue;
        if (n == 7 && memcmp(line, "#EXTM3U", 7) == 0)
            return RT_OK;
        break;
    }
    return rt__fail(err, RT_E_BAD_PLAYLIST, _("the answer is not an m3u8 playlist (no #EXTM3U)"));
}

/* Make room for one more element in a doubling array; false when out of memory. */
static bool grow(void **array, size_t *cap, size_t count, size_t element_size)
{
    if (count < *cap)
        return true;
    size_t bigger = *cap ? *cap * 2 : 16;
    void *more = realloc(*array, bigger * element_size);
    if (!more)
        return false;
    *array = more;
    *cap = bigger;
    return true;
}

static char *dup_span(const char *p, size_t n)
{
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

/* ---- attribute lists: NAME=VALUE, NAME="quoted, value", ... ---- */

struct attr {
    const char *name, *value;
    size_t name_n, value_n;
};

/* Next attribute of the list at *p (up to end); false when the list is done or malformed
 * (then *bad is set). RuTube writes a space after each comma, which is tolerated. */
static bool next_attr(const char **p, const char *end, struct attr *a, bool *bad)
{
    const char *s = *p;
    while (s < end && (*s == ' ' || *s == ','))
        s++;
    if (s >= end)
        return false;
    a->name = s;
    while (s < end && *s != '=' && *s != ',')
        s++;
    a->name_n = (size_t)(s - a->name);
    if (s >= end || *s != '=' || a->name_n == 0) {
        *bad = true;
        return false;
    }
    s++;
    if (s < end && *s == '"') {
        s++;
        a->value = s;
        const char *q = memchr(s, '"', (size_t)(end - s));
        if (!q) {
            *bad = true;
            return false;
        }
        a->value_n = (size_t)(q - s);
        s = q + 1;
    } else {
        a->value = s;
        while (s < end && *s != ',')
            s++;
        a->value_n = (size_t)(s - a->value);
        while (a->value_n > 0 && a->value[a->value_n - 1] == ' ')
            a->value_n--;
    }
    *p = s;
    return true;
}

static bool attr_is(const struct attr *a, const char *name)
{
    return a->name_n == strlen(name) && memcmp(a->name, name, a->name_n) == 0;
}

/* Parse a whole decimal number in [0, max] from a span. */
static bool parse_long(const char *p, size_t n, long max, long *out)
{
    if (n == 0 || n > 18)
        return false;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

/* The "C" locale, for numbers: playlists write "4.000" whatever the user's locale says, and
 * an application (the GTK window) may well have set a Russian LC_NUMERIC, whose strtod()
 * wants "4,000". */
static locale_t c_numeric;
static pthread_once_t c_numeric_once = PTHREAD_ONCE_INIT;

static void make_c_numeric(void)
{
    c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

static bool parse_double(const char *p, size_t n, double *out)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp)
        return false;
    memcpy(tmp, p, n);
    tmp[n] = '\0';
    pthread_once(&c_numeric_once, make_c_numeric);
    if (c_numeric == (locale_t)0)
        return false; /* out of memory: the playlist is refused rather than misread */
    char *endp;
    errno = 0;
    double v = strtod_l(tmp, &endp, c_numeric);
    if (endp == tmp || *endp != '\0' || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

static bool parse_resolution(const char *p, size_t n, int *w, int *h)
{
    const char *x = memchr(p, 'x', n);
    long lw, lh;
    if (!x || !parse_long(p, (size_t)(x - p), 16384, &lw) ||
        !parse_long(x + 1, n - (size_t)(x - p) - 1, 16384, &lh) || lw == 0 || lh == 0)
        return false;
    *w = (int)lw;
    *h = (int)lh;
    return true;
}

static enum rt_code parse_stream_inf(const char *p, const char *end, struct rt__variant *v,
                                     size_t line, struct rt_error *err)
{
    struct attr a;
    bool bad = false;
    memset(v, 0, sizeof *v);
    v->bandwidth = -1;
    while (next_attr(&p, end, &a, &bad)) {
        if (attr_is(&a, "BANDWIDTH")) {
            if (!parse_long(a.value, a.value_n, 100000000000L, &v->bandwidth))
                bad = true;
        } else if (attr_is(&a, "RESOLUTION")) {
            if (!parse_resolution(a.value, a.value_n, &v->width, &v->height))
                bad = true;
        } else if (attr_is(&a, "FRAME-RATE")) {
            if (!parse_double(a.value, a.value_n, &v->frame_rate) || v->frame_rate < 0 ||
                v->frame_rate > 1000)
                bad = true;
        } else if (attr_is(&a, "CODECS")) {
            free(v->codecs);
            v->codecs = dup_span(a.value, a.value_n);
            if (!v->codecs)
                return rt__fail(err, RT_E_NOMEM, NULL);
        }
        if (bad)
            break;
    }
    if (bad || v->bandwidth < 0) {
        free(v->codecs);
        v->codecs = NULL;
        return rt__fail(err, RT_E_BAD_PLAYLIST,
                        _("master playlist line %zu: malformed #EXT-X-STREAM-INF"), line);
    }
    if (!v->codecs && !(v->codecs = dup_span("", 0)))
        return rt__fail(err, RT_E_NOMEM, NULL);
    return RT_OK;
}

void rt__master_cleanup(struct rt__master *master)
{
    if (!master)
        return;
    for (size_t i = 0; i < master->count; i++) {
        free(master->variants[i].codecs);
        free(master->variants[i].url);
    }
    free(master->variants);
    master->variants = NULL;
    master->count = 0;
}

enum rt_code rt__hls_parse_master(const char *text, size_t len, const char *base_url,
                                  struct rt__master *out, struct rt_error *err)
{
    struct lines it;
    const char *line;
    size_t n;
    struct rt__variant pending;
    bool has_pending = false;
    size_t dropped = 0, cap = 0;
    enum rt_code result;

    memset(out, 0, sizeof *out);
    memset(&pending, 0, sizeof pending);
    result = open_playlist(text, len, &it, err);
    if (result != RT_OK)
        return result;

    while (next_line(&it, &line, &n)) {
        if (n == 0)
            continue;
        if (starts_with(line, n, "#EXT-X-STREAM-INF:")) {
            free(pending.codecs);
            pending.codecs = NULL;
            result = parse_stream_inf(line + 18, line + n, &pending, it.number, err);
            if (result != RT_OK)
                goto fail;
            has_pending = true;
            continue;
        }
        if (starts_with(line, n, "#EXTINF") || starts_with(line, n, "#EXT-X-TARGETDURATION")) {
            result = rt__fail(err, RT_E_BAD_PLAYLIST,
                              _("expected a master playlist but got a media playlist"));
            goto fail;
        }
        if (line[0] == '#')
            continue;
        if (!has_pending)
            continue; /* an address without #EXT-X-STREAM-INF: nothing says what it is */
        has_pending = false;

        char *ref = dup_span(line, n);
        if (!ref) {
            result = rt__fail(err, RT_E_NOMEM, NULL);
            goto fail;
        }
        struct rt_error ignored = {0};
        result = rt__url_resolve(base_url, ref, &pending.url, &ignored);
        free(ref);
        if (result == RT_E_NOMEM) {
            result = rt__fail(err, RT_E_NOMEM, NULL);
            goto fail;
        }
        if (result != RT_OK) {
            /* Another scheme (file:, data:...) or garbage: never follow it. */
            free(pending.codecs);
            pending.codecs = NULL;
            dropped++;
            continue;
        }
        if (out->count == RT_HLS_MAX_VARIANTS) {
            result =
                rt__fail(err, RT_E_BAD_PLAYLIST, _("the master playlist lists too many streams"));
            goto fail;
        }
        if (!grow((void **)&out->variants, &cap, out->count, sizeof *out->variants)) {
            result = rt__fail(err, RT_E_NOMEM, NULL);
            goto fail;
        }
        out->variants[out->count++] = pending;
        memset(&pending, 0, sizeof pending);
    }
    free(pending.codecs);
    if (out->count == 0) {
        if (dropped > 0)
            return rt__fail(err, RT_E_BAD_PLAYLIST,
                            _("the master playlist's streams are not http(s) addresses"));
        return rt__fail(err, RT_E_BAD_PLAYLIST, _("the master playlist lists no streams"));
    }
    return RT_OK;

fail:
    free(pending.url);
    free(pending.codecs);
    rt__master_cleanup(out);
    return result;
}

void rt__media_cleanup(struct rt__media *media)
{
    if (!media)
        return;
    for (size_t i = 0; i < media->count; i++)
        free(media->segments[i].ref);
    free(media->segments);
    free(media->map_ref);
    media->segments = NULL;
    media->map_ref = NULL;
    media->count = 0;
}

/*
 * #EXT-X-MAP:URI="init.mp4": the init section of fragmented MP4 segments. One for the whole
 * playlist, before its first segment (a section that changes midway, or one given as a byte
 * range, is refused rather than guessed at).
 */
static enum rt_code parse_map(const char *p, const char *end, struct rt__media *out, size_t line,
                              struct rt_error *err)
{
    struct attr a;
    bool bad = false;
    const char *uri = NULL;
    size_t uri_n = 0;
    while (next_attr(&p, end, &a, &bad)) {
        if (attr_is(&a, "URI")) {
            /* A quoted-string (RFC 8216 4.3.2.5): unquoted, it is no address to trust. */
            if (a.value[-1] != '"')
                bad = true;
            uri = a.value;
            uri_n = a.value_n;
        } else if (attr_is(&a, "BYTERANGE")) {
            return rt__fail(err, RT_E_BAD_PLAYLIST,
                            _("the stream's init section is a byte range (EXT-X-MAP BYTERANGE), "
                              "which is not supported"));
        }
    }
    if (bad || !uri || uri_n == 0)
        return rt__fail(err, RT_E_BAD_PLAYLIST, _("media playlist line %zu: malformed #EXT-X-MAP"),
                        line);
    if (out->map_ref) {
        if (strlen(out->map_ref) == uri_n && memcmp(out->map_ref, uri, uri_n) == 0)
            return RT_OK; /* the same section named again */
        return rt__fail(err, RT_E_BAD_PLAYLIST,
                        _("media playlist line %zu: the stream's init section changes "
                          "(a second #EXT-X-MAP), which is not supported"),
                        line);
    }
    if (out->count > 0)
        return rt__fail(err, RT_E_BAD_PLAYLIST,
                        _("media playlist line %zu: #EXT-X-MAP after the first segment"), line);
    if (!(out->map_ref = dup_span(uri, uri_n)))
        return rt__fail(err, RT_E_NOMEM, NULL);
    return RT_OK;
}

/* #EXT-X-KEY: only METHOD=NONE means the segments are plain. */
static bool key_is_none(const char *p, const char *end)
{
    struct attr a;
    bool bad = false;
    while (next_attr(&p, end, &a, &bad))
        if (attr_is(&a, "METHOD"))
            return a.value_n == 4 && memcmp(a.value, "NONE", 4) == 0;
    return false;
}

static enum rt_code parse_extinf(const char *p, size_t n, double *duration, size_t line,
                                 struct rt_error *err)
{
    const char *comma = memchr(p, ',', n);
    size_t len = comma ? (size_t)(comma - p) : n;
    if (!parse_double(p, len, duration))
        return rt__fail(err, RT_E_BAD_PLAYLIST, _("media playlist line %zu: malformed #EXTINF"),
                        line);
    if (*duration < 0 || *duration > RT_HLS_MAX_SEGMENT_DURATION)
        return rt__fail(err, RT_E_BAD_PLAYLIST,
                        /* %g: a server's 1e300 is six characters, not 300 digits */
                        _("media playlist line %zu: impossible segment duration %.6g s"), line,
                        *duration);
    return RT_OK;
}

/* A live playlist's header lines; false when one is malformed. */
static bool parse_live_tag(const char *line, size_t n, struct rt__live_info *info)
{
    long value;
    if (starts_with(line, n, "#EXT-X-MEDIA-SEQUENCE:")) {
        if (!parse_long(line + 22, n - 22, LONG_MAX, &value))
            return false;
        info->first_sequence = value;
    } else if (starts_with(line, n, "#EXT-X-TARGETDURATION:")) {
        if (!parse_long(line + 22, n - 22, (long)RT_HLS_MAX_SEGMENT_DURATION, &value))
            return false;
        info->target_duration = (double)value;
    } else if (starts_with(line, n, "#EXT-X-PLAYLIST-TYPE:")) {
        info->whole = n - 21 == 5 && memcmp(line + 21, "EVENT", 5) == 0;
    }
    return true;
}

/* Both kinds of media playlist: `live` NULL for a VOD one (ENDLIST needed), else a live one. */
static enum rt_code parse_media(const char *text, size_t len, struct rt__media *out,
                                struct rt__live_info *live, struct rt_error *err)
{
    struct lines it;
    const char *line;
    size_t n, cap = 0;
    bool has_extinf = false, ended = false;
    double duration = 0;
    enum rt_code result;

    memset(out, 0, sizeof *out);
    if (live)
        memset(live, 0, sizeof *live);
    result = open_playlist(text, len, &it, err);
    if (result != RT_OK)
        return result;

    while (!ended && next_line(&it, &line, &n)) {
        if (n == 0)
            continue;
        if (line[0] == '#') {
            if (starts_with(line, n, "#EXTINF:")) {
                result = parse_extinf(line + 8, n - 8, &duration, it.number, err);
                if (result != RT_OK)
                    goto fail;
                has_extinf = true;
            } else if (starts_with(line, n, "#EXT-X-ENDLIST")) {
                ended = true;
            } else if (starts_with(line, n, "#EXT-X-KEY:")) {
                if (!key_is_none(line + 11, line + n)) {
                    result = rt__fail(err, RT_E_BAD_PLAYLIST,
                                      _("the stream is encrypted (EXT-X-KEY), which is not "
                                        "supported"));
                    goto fail;
                }
            } else if (live && !parse_live_tag(line, n, live)) {
                result = rt__fail(err, RT_E_BAD_PLAYLIST, _("live playlist line %zu: %.*s"),
                                  it.number, (int)(n < 60 ? n : 60), line);
                goto fail;
            } else if (live && starts_with(line, n, "#EXT-X-MAP:")) {
                result = rt__fail(err, RT_E_BAD_PLAYLIST,
                                  _("the live stream is fragmented MP4, which is not supported"));
                goto fail;
            } else if (starts_with(line, n, "#EXT-X-MAP:")) {
                result = parse_map(line + 11, line + n, out, it.number, err);
                if (result != RT_OK)
                    goto fail;
            } else if (starts_with(line, n, "#EXT-X-BYTERANGE")) {
                result = rt__fail(err, RT_E_BAD_PLAYLIST,
                                  _("the stream uses byte ranges (EXT-X-BYTERANGE), which is not "
                                    "supported"));
                goto fail;
            } else if (starts_with(line, n, "#EXT-X-STREAM-INF")) {
                result = rt__fail(err, RT_E_BAD_PLAYLIST,
                                  _("expected a media playlist but got a master playlist"));
                goto fail;
            }
            continue;
        }
        if (!has_extinf) {
            result = rt__fail(err, RT_E_BAD_PLAYLIST,
                              _("media playlist line %zu: a segment without #EXTINF"), it.number);
            goto fail;
        }
        if (out->count == RT_HLS_MAX_SEGMENTS) {
            result =
                rt__fail(err, RT_E_BAD_PLAYLIST, _("the media playlist has more than %d segments"),
                         RT_HLS_MAX_SEGMENTS);
            goto fail;
        }
        if (!grow((void **)&out->segments, &cap, out->count, sizeof *out->segments)) {
            result = rt__fail(err, RT_E_NOMEM, NULL);
            goto fail;
        }
        struct rt__segment *seg = &out->segments[out->count];
        seg->ref = dup_span(line, n);
        if (!seg->ref) {
            result = rt__fail(err, RT_E_NOMEM, NULL);
            goto fail;
        }
        seg->duration = duration;
        out->duration += duration;
        out->count++;
        has_extinf = false;
    }
    if (live) {
        live->ended = ended;
        return RT_OK;
    }
    if (!ended) {
        result = rt__fail(err, RT_E_BAD_PLAYLIST,
                          _("the media playlist has no #EXT-X-ENDLIST (a live stream, or the "
                            "answer was cut off)"));
        goto fail;
    }
    if (out->count == 0) {
        result = rt__fail(err, RT_E_BAD_PLAYLIST, _("the media playlist lists no segments"));
        goto fail;
    }
    return RT_OK;

fail:
    rt__media_cleanup(out);
    return result;
}

enum rt_code rt__hls_parse_media(const char *text, size_t len, struct rt__media *out,
                                 struct rt_error *err)
{
    return parse_media(text, len, out, NULL, err);
}

enum rt_code rt__hls_parse_live(const char *text, size_t len, struct rt__media *out,
                                struct rt__live_info *info, struct rt_error *err)
{
    return parse_media(text, len, out, info, err);
}
