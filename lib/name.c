/* From a video title to a file name that is safe on disk and still reads like the title. */
#include "errors.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Decode one UTF-8 character at `s` (at most `n` bytes). Returns its length, or 0 when the
 * bytes are not valid UTF-8 (overlong forms, surrogates and values past U+10FFFF included). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len;
    uint32_t min;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2;
        min = 0x80;
        *cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3;
        min = 0x800;
        *cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4;
        min = 0x10000;
        *cp = s[0] & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

/* Characters that change how the rest of the name is shown without being visible: bidi
 * overrides can make "gpj.ts" look like "st.jpg"; zero-width ones make two names look equal. */
static bool is_invisible(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x00AD;
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029;
}

/* Names Windows reserves for devices; a file so named cannot be opened there, so a copy to a
 * USB stick would fail. */
static bool is_reserved_name(const char *name, size_t len)
{
    static const char *const reserved[] = {"CON", "PRN", "AUX", "NUL"};
    for (size_t i = 0; i < 4; i++)
        if (len == 3 && strncasecmp(name, reserved[i], 3) == 0)
            return true;
    if (len == 4 && (strncasecmp(name, "COM", 3) == 0 || strncasecmp(name, "LPT", 3) == 0) &&
        name[3] >= '1' && name[3] <= '9')
        return true;
    return false;
}

/* Append `n` bytes if they fit `limit`; false (and nothing appended) when they do not. */
static bool put(char *out, size_t *len, size_t limit, const void *bytes, size_t n)
{
    if (*len + n > limit)
        return false;
    memcpy(out + *len, bytes, n);
    *len += n;
    return true;
}

enum rt_code rt_filename_from_title(const char *title, const char *fallback, const char *ext,
                                    char *out, size_t size)
{
    if (!ext)
        ext = "";
    if (!out || size == 0)
        return RT_E_USAGE;
    size_t ext_len = strlen(ext) + (*ext ? 1 : 0);
    size_t limit = size - 1 < RT_FILENAME_MAX ? size - 1 : RT_FILENAME_MAX;
    if (limit < ext_len + 33)
        return RT_E_USAGE; /* not even room for the id */
    limit -= ext_len;      /* room for the stem */

    size_t len = 0;
    bool pending_space = false;
    const unsigned char *s = (const unsigned char *)(title ? title : "");
    size_t n = strlen((const char *)s);
    while (n > 0) {
        uint32_t cp;
        size_t step = utf8_decode(s, n, &cp);
        const void *bytes = s;
        size_t bytes_n = step;
        if (step == 0) {
            step = 1;
            cp = '_';
            bytes = "_";
            bytes_n = 1;
        } else if (is_control(cp) || is_space(cp)) {
            pending_space = true;
            bytes_n = 0;
        } else if (is_invisible(cp)) {
            bytes_n = 0;
        } else if (cp == '/') {
            bytes = "_";
            bytes_n = 1;
        }
        s += step;
        n -= step;
        if (bytes_n == 0)
            continue;
        /* Nothing at the start that hides the file or reads as an option: ".x", "-x". */
        if (len == 0 && (cp == '.' || cp == '-'))
            continue;
        if (pending_space && len > 0 && !put(out, &len, limit, " ", 1))
            break;
        pending_space = false;
        if (!put(out, &len, limit, bytes, bytes_n))
            break; /* cut on a character boundary */
    }
    /* Trailing spaces and dots: invisible in listings and refused by some file systems. */
    while (len > 0 && (out[len - 1] == ' ' || out[len - 1] == '.'))
        len--;
    out[len] = '\0';

    if (len == 0 || strcmp(out, "_") == 0) {
        const char *f = fallback && *fallback ? fallback : "video";
        len = strlen(f);
        if (len > limit)
            len = limit;
        memcpy(out, f, len);
        out[len] = '\0';
    } else if (is_reserved_name(out, len)) {
        out[len++] = '_';
        out[len] = '\0';
    }
    if (*ext) {
        out[len++] = '.';
        strcpy(out + len, ext);
    }
    return RT_OK;
}
