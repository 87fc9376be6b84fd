/* Parsing --playlist-items the way yt-dlp writes it, and asking which videos it names. */
#include "cli_batch.h"
#include "cli_i18n.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A part of the spec as the user wrote it, for messages: not NUL-terminated. */
struct part {
    const char *text;
    int len;
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/*
 * Read the decimal number at *p into *value, moving *p past it. Returns false when *p holds
 * no digit, or when the number is SIZE_MAX or more: SIZE_MAX means "to the end", and no
 * collection comes near it.
 */
static bool read_number(const char **p, size_t *value, bool *too_large)
{
    size_t v = 0;
    const char *s = *p;
    *too_large = false;
    if (!is_digit(*s))
        return false;
    for (; is_digit(*s); s++) {
        size_t digit = (size_t)(*s - '0');
        if (v > (SIZE_MAX - 1 - digit) / 10)
            *too_large = true;
        else
            v = v * 10 + digit;
    }
    *p = s;
    *value = v;
    return !*too_large;
}

/* "inf" or "infinite" (yt-dlp's words for no end) at *p: moves *p past it. */
static bool read_infinite(const char **p)
{
    if (strncmp(*p, "infinite", 8) == 0) {
        *p += 8;
        return true;
    }
    if (strncmp(*p, "inf", 3) == 0) {
        *p += 3;
        return true;
    }
    return false;
}

/* Parse the part [text, end) into `range`. */
static enum rt_code parse_part(struct part part, struct cli_items_range *range, char *error,
                               size_t error_size)
{
    const char *p = part.text, *end = part.text + part.len;
    bool has_first = false, too_large = false;
    size_t number;

    range->first = 1;
    range->step = 1;
    if (*p == '-' && is_digit(p[1]))
        goto from_the_end;
    if (is_digit(*p)) {
        if (!read_number(&p, &range->first, &too_large))
            goto bad_number;
        has_first = true;
    }
    range->last = range->first;
    if (p < end && (*p == ':' || *p == '-')) {
        p++;
        range->last = SIZE_MAX;
        if (*p == '-' && is_digit(p[1]))
            goto from_the_end;
        if (is_digit(*p)) {
            if (!read_number(&p, &range->last, &too_large))
                goto bad_number;
        } else {
            read_infinite(&p);
        }
        if (p < end && *p == ':') {
            p++;
            if (*p == '-' && is_digit(p[1])) {
                snprintf(error, error_size,
                         _("\"%.*s\" in --playlist-items: steps backwards are not supported"),
                         part.len, part.text);
                return RT_E_USAGE;
            }
            if (!read_number(&p, &number, &too_large)) {
                if (too_large)
                    goto bad_number;
                goto garbage;
            }
            range->step = number;
        }
    } else if (!has_first) {
        goto garbage;
    }
    if (p != end)
        goto garbage;

    if (range->first == 0 || range->last == 0) {
        snprintf(error, error_size,
                 _("\"%.*s\" in --playlist-items: videos are numbered from 1, not 0"), part.len,
                 part.text);
        return RT_E_USAGE;
    }
    if (range->step == 0) {
        snprintf(error, error_size, _("\"%.*s\" in --playlist-items: a step of 0 goes nowhere"),
                 part.len, part.text);
        return RT_E_USAGE;
    }
    if (range->first > range->last) {
        snprintf(error, error_size,
                 _("\"%.*s\" in --playlist-items: the range ends before it starts"), part.len,
                 part.text);
        return RT_E_USAGE;
    }
    return RT_OK;

from_the_end:
    snprintf(error, error_size,
             _("\"%.*s\" in --playlist-items: counting from the end is not supported; number the "
               "videos from 1"),
             part.len, part.text);
    return RT_E_USAGE;
bad_number:
    snprintf(error, error_size, _("\"%.*s\" in --playlist-items: the number is too large"),
             part.len, part.text);
    return RT_E_USAGE;
garbage:
    snprintf(
        error, error_size,
        _("\"%.*s\" in --playlist-items is not a number or a range (like 3, 1-5, 7- or 1:9:2)"),
        part.len, part.text);
    return RT_E_USAGE;
}

enum rt_code cli_items_parse(const char *spec, struct cli_items *out, char *error,
                             size_t error_size)
{
    struct cli_items items = {0};
    enum rt_code result = RT_OK;

    memset(out, 0, sizeof *out);
    if (error && error_size)
        error[0] = '\0';
    /* "%.*s" takes an int: a spec longer than that is not something a person typed. */
    if (strlen(spec) > 4096) {
        snprintf(error, error_size, "%s",
                 _("the --playlist-items list is longer than 4096 characters"));
        return RT_E_USAGE;
    }
    size_t parts = 1;
    for (const char *c = spec; *c; c++)
        parts += *c == ',';
    items.ranges = calloc(parts, sizeof *items.ranges);
    if (!items.ranges) {
        snprintf(error, error_size, "%s", _("out of memory"));
        return RT_E_NOMEM;
    }

    const char *p = spec;
    for (;;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        while (p < end && is_space(*p))
            p++;
        while (end > p && is_space(end[-1]))
            end--;
        if (p == end) {
            snprintf(error, error_size, "%s",
                     spec[strspn(spec, " \t")] == '\0'
                         ? _("--playlist-items needs at least one number")
                         : _("--playlist-items has an empty part: one comma too many?"));
            result = RT_E_USAGE;
            goto out;
        }
        struct part part = {p, (int)(end - p)};
        result = parse_part(part, &items.ranges[items.count], error, error_size);
        if (result != RT_OK)
            goto out;
        items.count++;
        if (!comma)
            break;
        p = comma + 1;
    }
    *out = items;
    items = (struct cli_items){0};
out:
    cli_items_cleanup(&items);
    return result;
}

bool cli_items_contains(const struct cli_items *items, size_t index)
{
    for (size_t i = 0; i < items->count; i++) {
        const struct cli_items_range *r = &items->ranges[i];
        if (index >= r->first && index <= r->last && (index - r->first) % r->step == 0)
            return true;
    }
    return false;
}

size_t cli_items_last(const struct cli_items *items)
{
    size_t last = 0;
    for (size_t i = 0; i < items->count; i++) {
        const struct cli_items_range *r = &items->ranges[i];
        if (r->last == SIZE_MAX)
            return SIZE_MAX;
        /* With a step, the range's last video can be short of its stated end. */
        size_t reached = r->first + (r->last - r->first) / r->step * r->step;
        if (reached > last)
            last = reached;
    }
    return last;
}

void cli_items_cleanup(struct cli_items *items)
{
    if (!items)
        return;
    free(items->ranges);
    items->ranges = NULL;
    items->count = 0;
}
