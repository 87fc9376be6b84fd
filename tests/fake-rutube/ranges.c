/* The Range header of segment requests: one byte range answered, anything fancier ignored. */
#include "fake.h"

#include <string.h>
#include <strings.h>

/*
 * Reads decimal digits at *p, moving past them. A number too large for 64 bits saturates: as a
 * first byte it is past any body (416), as a last byte or suffix length it means "all".
 */
static bool read_number(const char **p, uint64_t *value)
{
    const char *s = *p;
    uint64_t v = 0;
    while (*s >= '0' && *s <= '9') {
        unsigned digit = (unsigned)(*s - '0');
        v = v > (UINT64_MAX - digit) / 10 ? UINT64_MAX : v * 10 + digit;
        s++;
    }
    if (s == *p)
        return false;
    *p = s;
    *value = v;
    return true;
}

static const char *skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

enum fake_range fake_range_parse(const char *header, uint64_t total, uint64_t *first,
                                 uint64_t *last)
{
    /* RFC 9110 lets a server ignore ranges it does not like; many do so with several ranges
       (which would need multipart/byteranges), and so does this one. */
    if (!header || strncasecmp(header, "bytes=", 6) != 0 || strchr(header, ','))
        return FAKE_RANGE_NONE;
    const char *p = skip_blanks(header + 6);
    uint64_t a = 0, b = 0;
    bool has_first = read_number(&p, &a);
    if (*p != '-')
        return FAKE_RANGE_NONE;
    p++;
    bool has_last = read_number(&p, &b);
    if (*skip_blanks(p) != '\0' || (!has_first && !has_last) || (has_last && has_first && b < a))
        return FAKE_RANGE_NONE;

    if (!has_first) {
        /* bytes=-N: the last N bytes, the whole body when N is larger; none at all is 416. */
        if (b == 0 || total == 0)
            return FAKE_RANGE_UNSATISFIABLE;
        *first = b < total ? total - b : 0;
        *last = total - 1;
        return FAKE_RANGE_PART;
    }
    if (a >= total)
        return FAKE_RANGE_UNSATISFIABLE;
    *first = a;
    *last = has_last && b < total - 1 ? b : total - 1;
    return FAKE_RANGE_PART;
}
