/* Text from outside made safe to show: what a server sends must never drive a terminal. */
#include "rutube/rutube.h"

#include "base/utf8.h"

#include <stdio.h>
#include <string.h>

/* What a terminal or a text renderer would act on rather than show: C0 and C1 controls and
 * DEL, and the marks that reorder or isolate the text around them (a title could otherwise
 * show "exe.txt" for "txt.exe"). */
static bool is_active(uint32_t code)
{
    return code < 0x20 || (code >= 0x7F && code <= 0x9F) || code == 0x061C || code == 0x200E ||
           code == 0x200F || (code >= 0x202A && code <= 0x202E) ||
           (code >= 0x2066 && code <= 0x2069);
}

size_t rt_text_printable(const char *text, char *out, size_t size)
{
    if (!out || size == 0)
        return 0;
    size_t len = 0;
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    size_t left = strlen((const char *)p);
    while (left > 0) {
        char piece[12];
        uint32_t code = 0;
        size_t n = rt__utf8_decode(p, left, &code);
        size_t piece_len;
        if (n == 0) {
            /* Not UTF-8 (a raw 0x9b, a cut sequence): the byte, visibly. */
            piece_len = (size_t)snprintf(piece, sizeof piece, "\\x%02x", p[0]);
            n = 1;
        } else if (code == '\t' || code == '\n' || code == '\r') {
            piece[0] = ' '; /* one line: what separates words stays a space */
            piece_len = 1;
        } else if (is_active(code)) {
            piece_len =
                (size_t)snprintf(piece, sizeof piece, code < 0x80 ? "\\x%02x" : "\\u%04x", code);
        } else {
            memcpy(piece, p, n);
            piece_len = n;
        }
        if (len + piece_len + 1 > size)
            break; /* cut before a piece, never inside one */
        memcpy(out + len, piece, piece_len);
        len += piece_len;
        p += n;
        left -= n;
    }
    out[len] = '\0';
    return len;
}
