/* The sample tables an MP4 writer keeps (mp4.c), and the moov box made from them. */
#ifndef RT_LIB_MP4_MOOV_H
#define RT_LIB_MP4_MOOV_H

#include "base/buf.h"
#include "media/mp4.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the moov says of one sample; 16 bytes, so a 3-hour video's tables stay near 12 MB. */
struct rt__mp4_sample {
    int64_t dts;
    uint32_t size;
    int32_t offset; /* presentation minus decode time */
};

/* A run of one track's samples, written together at `pos`. */
struct rt__mp4_chunk {
    uint64_t pos;
    uint32_t first, count; /* samples */
};

/* One track as mp4.c gathers it (tracks[] is indexed by enum rt__mp4_track). */
struct rt__mp4_table {
    bool declared, is_audio;
    uint64_t wide_limit; /* values above it take 64-bit fields (rt__mp4_set_wide_limit) */
    uint32_t timescale;
    struct rt__mp4_video video;
    struct rt__mp4_audio audio;
    uint8_t *avcc;
    struct rt__mp4_sample *samples;
    size_t count, cap;
    uint32_t *keys; /* 1-based sample numbers of the sync samples */
    size_t key_count, key_cap;
    struct rt__mp4_chunk *chunks;
    size_t chunk_count, chunk_cap;
    struct rt__buf pending; /* the chunk being gathered */
    size_t pending_first;   /* its first sample */
    uint32_t max_sample;
    uint64_t bytes;
};

/*
 * The moov box (ISO/IEC 14496-12 8.2) for the tracks that are declared and hold samples, the
 * first as track 1, with `tags` (ilst items, rt__mp4_tag_item()) under udta. Each track starts
 * on the movie's timeline where its first sample is shown (an empty edit for a late one). With
 * a `window` (may be NULL) each track's edit shows only what lies in it, so the movie starts
 * at its start. False when out of memory.
 */
bool rt__mp4_moov_build(const struct rt__mp4_table tracks[2], const struct rt__buf *tags,
                        const struct rt__mp4_window *window, struct rt__buf *moov);

/* One iTunes-style metadata item ("\251nam" and the like) with a UTF-8 value, appended to
 * `tags`. False when out of memory. */
bool rt__mp4_tag_item(struct rt__buf *tags, const char key[4], const char *value);

/* `v` big-endian into p[0..3]. */
void rt__be32(uint8_t *p, uint32_t v);

#endif
