/* The sample tables an MP4 writer keeps (mp4.c), and the moov box made from them. */
#ifndef RT_LIB_MP4_MOOV_H
#define RT_LIB_MP4_MOOV_H

#include "base/buf.h"
#include "media/mp4.h"
#include "rutube/rutube.h"

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

/* One track as mp4.c gathers it (tracks[] is indexed by enum rt__mp4_track), or the chapter
 * track it makes at the end (`is_text`: timescale 1000, every sample a sync sample). */
struct rt__mp4_table {
    bool declared, is_audio, is_text;
    int64_t last_duration; /* is_text: how long the last sample lasts */
    uint64_t wide_limit;   /* values above it take 64-bit fields (rt__mp4_set_wide_limit) */
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

/* The chapters as the moov lists them. */
struct rt__mp4_chapters {
    const struct rt_chapter *list; /* those kept, in order (chpl's 255 at most) */
    size_t count;                  /* 0: no chapters */
    /* The chapter track: one text sample a chapter, in movie ticks from the movie's start,
     * written by mp4.c as one chunk. */
    const struct rt__mp4_table *track;
};

/* A chapter's sample in the chapter track, written into `out` unless NULL: its title's length
 * (16 bits), the title (as chpl holds it: 255 bytes at most, cut between characters), and an
 * "encd" box saying UTF-8, as libavformat writes them. Returns its size. */
size_t rt__mp4_chapter_sample(uint8_t *out, const char *title);

/* The movie's length in its timescale (milliseconds), from the earliest start of a track that
 * holds samples to the latest end, within `window` (may be NULL); 0 when none does. */
int64_t rt__mp4_movie_duration(const struct rt__mp4_table tracks[2],
                               const struct rt__mp4_window *window);

/*
 * The moov box (ISO/IEC 14496-12 8.2) for the tracks that are declared and hold samples, the
 * first as track 1, with `tags` (ilst items, rt__mp4_tag_item()) under udta. Each track starts
 * on the movie's timeline where its first sample is shown (an empty edit for a late one). With
 * a `window` (may be NULL) each track's edit shows only what lies in it, so the movie starts
 * at its start. Chapters (`chapters` NULL or with count 0: none) take two forms, both as
 * libavformat's mp4 muxer writes them: Nero's chpl box in udta (read by libavformat, mpv, VLC)
 * and a QuickTime chapter track, a text track the others point at with tref "chap" (read by
 * Apple's players, and by libavformat, which then lists it as a data stream). False when out
 * of memory.
 */
bool rt__mp4_moov_build(const struct rt__mp4_table tracks[2], const struct rt__buf *tags,
                        const struct rt__mp4_window *window,
                        const struct rt__mp4_chapters *chapters, struct rt__buf *moov);

/* One iTunes-style metadata item ("\251nam" and the like) with a UTF-8 value, appended to
 * `tags`. False when out of memory. */
bool rt__mp4_tag_item(struct rt__buf *tags, const char key[4], const char *value);

/* The cover item (covr: the picture's bytes, typed JPEG or PNG), appended to `tags`: where
 * libavformat's MP4 muxer puts an attached picture, and players look for one. False when out
 * of memory. */
bool rt__mp4_cover_item(struct rt__buf *tags, const void *image, size_t len, bool png);

/* The track number item (trkn: `number` of `total`, binary, as iTunes writes it), appended to
 * `tags`. False when out of memory. */
bool rt__mp4_track_item(struct rt__buf *tags, unsigned number, unsigned total);

/* `v` big-endian into p[0..3]. */
void rt__be32(uint8_t *p, uint32_t v);

#endif
