/* Helpers shared by the fuzz targets: input copies and invariant checks that abort loudly. */
#ifndef RT_FUZZ_H
#define RT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* libFuzzer's entry points, declared here because the targets are C, not C++. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A broken invariant is a finding like a crash: say which one, then abort so that libFuzzer
 * saves the input as crash-<sha1>.
 */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The input as a C string the parser may read up to its NUL (an embedded NUL ends it early,
 * as it would for a caller). Never NULL: running out of memory here is not a finding. */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF. */
static inline bool fuzz_is_utf8(const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

/* Whether `text` has a byte below 0x20 or DEL: nothing read off the network should keep one
 * where it becomes part of an address or a name. */
static inline bool fuzz_has_control(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return true;
    return false;
}

/* 32 lowercase hexadecimal digits and nothing else: a RuTube video id as the library keeps it. */
static inline bool fuzz_is_video_id(const char *id)
{
    if (!id || strlen(id) != 32)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

/* An absolute http:// or https:// address (the scheme in any case, as URLs allow). */
static inline bool fuzz_is_http(const char *url)
{
    return url && (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0);
}

/* What every failing call leaves in its struct rt_error: the code it returned and a message. */
#define FUZZ_CHECK_ERROR(err, result)                                                              \
    do {                                                                                           \
        FUZZ_CHECK((err).code == (result));                                                        \
        FUZZ_CHECK(memchr((err).message, '\0', sizeof((err).message)) != NULL);                    \
        FUZZ_CHECK((err).message[0] != '\0');                                                      \
    } while (0)

#endif
