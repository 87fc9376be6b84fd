/* Parts of a video in people's words ("*1:00-2:30") and in the names of their files. */
#include "output/section.h"
#include "base/i18n.h"

#include "base/errors.h"
#include "output/name.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A section longer than this (a year) is a typo, not a video. */
#define SECONDS_MAX (366.0 * 24 * 3600)

/* A number at `*p`: digits, then (when `fraction`) an optional '.' and digits; read by hand
 * rather than with strtod(), whose decimal point is the locale's (a comma in ru_RU). */
static bool parse_number(const char **p, const char *end, bool fraction, double *out)
{
    const char *q = *p;
    double v = 0;
    if (q == end || *q < '0' || *q > '9')
        return false; /* no sign, no space: "-" separates the start from the end */
    for (; q < end && *q >= '0' && *q <= '9'; q++)
        v = v * 10 + (*q - '0');
    if (fraction && q < end && *q == '.') {
        double scale = 0.1;
        if (++q == end || *q < '0' || *q > '9')
            return false;
        for (; q < end && *q >= '0' && *q <= '9'; q++, scale /= 10)
            v += (*q - '0') * scale;
    }
    *p = q;
    *out = v;
    return true;
}

/* One time in `len` bytes of `text`: seconds, M:SS or H:MM:SS, a fraction on the last field
 * only; false when it is not one. */
static bool parse_time(const char *text, size_t len, double *seconds)
{
    const char *p = text, *end = text + len;
    double total = 0;
    for (int fields = 1;; fields++) {
        const char *colon = memchr(p, ':', (size_t)(end - p));
        double v;
        if (fields > 3 || !parse_number(&p, colon ? colon : end, !colon, &v) ||
            p != (colon ? colon : end))
            return false;
        if (fields > 1 && v >= 60)
            return false; /* 1:75 is not a time */
        total = total * 60 + v;
        if (!colon)
            break;
        p = colon + 1;
    }
    if (!isfinite(total) || total > SECONDS_MAX)
        return false;
    *seconds = total;
    return true;
}

enum rt_code rt_section_parse(const char *text, double *start, double *end, struct rt_error *err)
{
    if (!text || !start || !end)
        return rt__fail(err, RT_E_USAGE, _("no section to read"));
    const char *p = text[0] == '*' ? text + 1 : text;
    /* The dash between the times: the first one (times hold no dash). */
    const char *dash = strchr(p, '-');
    if (!dash)
        return rt__fail(err, RT_E_USAGE, _("section \"%s\" is not a time range such as *1:00-2:30"),
                        text);
    double from = 0, to = HUGE_VAL;
    size_t from_len = (size_t)(dash - p);
    const char *to_text = dash + 1;
    if (from_len > 0 && !parse_time(p, from_len, &from))
        return rt__fail(err, RT_E_USAGE,
                        _("section \"%s\": \"%.*s\" is not a time (90, 1:30, 1:02:03.5)"), text,
                        (int)from_len, p);
    if (*to_text && strcmp(to_text, "inf") != 0 && !parse_time(to_text, strlen(to_text), &to))
        return rt__fail(err, RT_E_USAGE,
                        _("section \"%s\": \"%s\" is not a time (90, 1:30, 1:02:03.5, inf)"), text,
                        to_text);
    if (to <= from)
        return rt__fail(err, RT_E_USAGE, _("section \"%s\" ends before it starts"), text);
    *start = from;
    *end = to;
    return RT_OK;
}

bool rt__section_is_set(double start, double end)
{
    return start > 0 || (end > 0 && end != HUGE_VAL);
}

/* "1:05", "1:02:03", "0:07.5": as typed, the fraction only when there is one. */
static void format_time(double seconds, const char *colon, char *out, size_t size)
{
    long whole = (long)seconds;
    double fraction = seconds - (double)whole;
    char tail[8] = "";
    if (fraction >= 0.05)
        snprintf(tail, sizeof tail, ".%d", (int)(fraction * 10 + 0.5) % 10);
    if (whole >= 3600)
        snprintf(out, size, "%ld%s%02ld%s%02ld%s", whole / 3600, colon, whole / 60 % 60, colon,
                 whole % 60, tail);
    else
        snprintf(out, size, "%ld%s%02ld%s", whole / 60, colon, whole % 60, tail);
}

void rt__section_suffix(double start, double end, bool restrict_ascii, char *out, size_t size)
{
    char from[32], to[32];
    /* ':' stays out of ASCII names (Windows and some file systems refuse it). */
    const char *colon = restrict_ascii ? "_" : ":";
    format_time(start, colon, from, sizeof from);
    if (end > 0 && end != HUGE_VAL)
        format_time(end, colon, to, sizeof to);
    else
        snprintf(to, sizeof to, "end");
    if (restrict_ascii)
        snprintf(out, size, "_%s-%s", from, to);
    else
        snprintf(out, size, " [%s-%s]", from, to);
}

void rt__chapter_suffix(size_t number, size_t total, const char *title, bool restrict_ascii,
                        size_t title_limit, char *out, size_t size)
{
    char clean[256];
    if (title_limit >= sizeof clean)
        title_limit = sizeof clean - 1;
    /* Three digits at least, as yt-dlp's "%(section_number)03d": names sort in order. */
    int width = total >= 1000 ? snprintf(NULL, 0, "%zu", total) : 3;
    size_t len =
        title && title_limit > 0 ? rt__name_clean(title, restrict_ascii, clean, title_limit) : 0;
    clean[len] = '\0';
    if (restrict_ascii)
        snprintf(out, size, "_%0*zu%s%s", width, number, len ? "_" : "", clean);
    else
        snprintf(out, size, " - %0*zu%s%s", width, number, len ? " " : "", clean);
}
