/* Telling what kind of picture a thumbnail is, and its size, from its first bytes. */
#ifndef RT_LIB_IMAGE_H
#define RT_LIB_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

enum rt__image_kind { RT__IMAGE_UNKNOWN, RT__IMAGE_JPEG, RT__IMAGE_PNG, RT__IMAGE_WEBP };

struct rt__image {
    enum rt__image_kind kind;
    int width, height; /* 0 when the header does not say */
};

/* Look at `data`: JPEG (SOI, then the first SOFn frame header), PNG (IHDR) or WebP (RIFF). */
struct rt__image rt__image_sniff(const unsigned char *data, size_t len);

/* "jpg", "png", "webp", or "bin". */
const char *rt__image_extension(enum rt__image_kind kind);

#endif
