/* Sniffing thumbnails: JPEG, PNG or WebP, and their size, without decoding them. */
#include "media/image.h"

#include <string.h>

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* Walk the JPEG markers to the frame header: SOF0..SOF15, except DHT (C4), JPG (C8) and DAC
 * (CC), which share the range. */
static void jpeg_size(const unsigned char *data, size_t len, struct rt__image *img)
{
    size_t i = 2;
    while (i + 9 <= len) {
        if (data[i] != 0xFF)
            return;
        unsigned char marker = data[i + 1];
        if (marker == 0xFF) {
            i++; /* fill byte */
            continue;
        }
        size_t seg = be16(data + i + 2);
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
            marker != 0xCC) {
            img->height = (int)be16(data + i + 5);
            img->width = (int)be16(data + i + 7);
            return;
        }
        if (seg < 2)
            return;
        i += 2 + seg;
    }
}

struct rt__image rt__image_sniff(const unsigned char *data, size_t len)
{
    struct rt__image img = {RT__IMAGE_UNKNOWN, 0, 0};
    if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        img.kind = RT__IMAGE_JPEG;
        jpeg_size(data, len, &img);
    } else if (len >= 24 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0 &&
               memcmp(data + 12, "IHDR", 4) == 0) {
        img.kind = RT__IMAGE_PNG;
        unsigned long w = be32(data + 16), h = be32(data + 20);
        if (w < 65536 && h < 65536) {
            img.width = (int)w;
            img.height = (int)h;
        }
    } else if (len >= 12 && memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WEBP", 4) == 0) {
        img.kind = RT__IMAGE_WEBP;
    }
    return img;
}

const char *rt__image_extension(enum rt__image_kind kind)
{
    switch (kind) {
    case RT__IMAGE_JPEG:
        return "jpg";
    case RT__IMAGE_PNG:
        return "png";
    case RT__IMAGE_WEBP:
        return "webp";
    case RT__IMAGE_UNKNOWN:
        break;
    }
    return "bin";
}
