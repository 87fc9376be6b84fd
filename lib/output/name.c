/* From a video title to a file name that is safe on disk and still reads like the title. */
#include "output/name.h"

#include "base/errors.h"
#include "base/utf8.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

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

/* Russian (and Ukrainian, Belarusian) letters in Latin, as the original tool's slugs had them:
 * "Пальцы | Трейлер" -> "Paltsy_Treiler". Indexed by code point - 0x410 (А..я). */
static const char *const cyrillic[64] = {
    "A", "B", "V", "G", "D", "E",  "Zh", "Z",  "I",  "I",    "K", "L", "M", "N", "O",  "P",
    "R", "S", "T", "U", "F", "Kh", "Ts", "Ch", "Sh", "Shch", "",  "Y", "",  "E", "Iu", "Ia",
    "a", "b", "v", "g", "d", "e",  "zh", "z",  "i",  "i",    "k", "l", "m", "n", "o",  "p",
    "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "",  "y", "",  "e", "iu", "ia",
};

/* Latin-1 letters with accents, U+00C0..U+00FF; NULL for the two signs among them. */
static const char *const latin1[64] = {
    "A", "A", "A", "A", "A", "A", "AE", "C",  "E", "E", "E", "E", "I", "I", "I",  "I",
    "D", "N", "O", "O", "O", "O", "O",  NULL, "O", "U", "U", "U", "U", "Y", "Th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c",  "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", "th", "y",
};

static bool is_ascii_alnum(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
}

/* The ASCII spelling of a non-ASCII letter, "" for letters that vanish (ь, ъ), NULL when it
 * has none. */
static const char *transliterate(uint32_t cp)
{
    if (cp >= 0x410 && cp <= 0x44F)
        return cyrillic[cp - 0x410];
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1[cp - 0xC0];
    switch (cp) {
    case 0x401:
        return "Io"; /* Ё */
    case 0x451:
        return "io";
    case 0x404:
        return "Ie"; /* Є */
    case 0x454:
        return "ie";
    case 0x406:
        return "I"; /* І */
    case 0x456:
        return "i";
    case 0x407:
        return "Yi"; /* Ї */
    case 0x457:
        return "yi";
    case 0x40E:
        return "U"; /* Ў */
    case 0x45E:
        return "u";
    case 0x490:
        return "G"; /* Ґ */
    case 0x491:
        return "g";
    }
    return NULL;
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

static size_t clean_ascii(const unsigned char *s, size_t n, char *out, size_t limit)
{
    size_t len = 0;
    bool pending_gap = false;
    while (n > 0) {
        uint32_t cp;
        size_t step = rt__utf8_decode(s, n, &cp);
        const char *spelling = NULL;
        size_t spelling_n = 0;
        if (step && is_ascii_alnum(cp)) {
            spelling = (const char *)s;
            spelling_n = 1;
        } else if (step && (spelling = transliterate(cp))) {
            spelling_n = strlen(spelling);
        }
        s += step ? step : 1;
        n -= step ? step : 1;
        if (!spelling) {
            pending_gap = true;
            continue;
        }
        if (spelling_n == 0)
            continue; /* a soft or hard sign: no letter, no gap */
        if (pending_gap && len > 0 && !put(out, &len, limit, "_", 1))
            break;
        pending_gap = false;
        if (!put(out, &len, limit, spelling, spelling_n))
            break;
    }
    while (len > 0 && out[len - 1] == '_')
        len--;
    out[len] = '\0';
    return len;
}

static size_t clean_plain(const unsigned char *s, size_t n, char *out, size_t limit)
{
    size_t len = 0;
    bool pending_space = false;
    while (n > 0) {
        uint32_t cp;
        size_t step = rt__utf8_decode(s, n, &cp);
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
    /* A name of nothing but '/' replacements says nothing. */
    if (strspn(out, "_") == len)
        len = 0;
    out[len] = '\0';
    return len;
}

size_t rt__name_clean(const char *text, bool ascii, char *out, size_t limit)
{
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    size_t n = strlen((const char *)s);
    return ascii ? clean_ascii(s, n, out, limit) : clean_plain(s, n, out, limit);
}

bool rt__name_is_reserved(const char *name, size_t len)
{
    /* Names Windows reserves for devices; a file so named cannot be opened there, so a copy
     * to a USB stick would fail. */
    static const char *const reserved[] = {"CON", "PRN", "AUX", "NUL"};
    for (size_t i = 0; i < 4; i++)
        if (len == 3 && strncasecmp(name, reserved[i], 3) == 0)
            return true;
    return len == 4 && (strncasecmp(name, "COM", 3) == 0 || strncasecmp(name, "LPT", 3) == 0) &&
           name[3] >= '1' && name[3] <= '9';
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

    size_t len = rt__name_clean(title, false, out, limit);
    if (len == 0) {
        const char *f = fallback && *fallback ? fallback : "video";
        len = strlen(f) < limit ? strlen(f) : limit;
        memcpy(out, f, len);
        out[len] = '\0';
    } else if (rt__name_is_reserved(out, len)) {
        out[len++] = '_';
        out[len] = '\0';
    }
    if (*ext) {
        out[len++] = '.';
        strcpy(out + len, ext);
    }
    return RT_OK;
}
