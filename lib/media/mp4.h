/*
 * An MP4 writer for one H.264 and one AAC track (ISO/IEC 14496-12 and -15), moov first.
 * Samples go to the file in chunks of about a second per track as they come; the sample
 * tables stay in memory (16 bytes a sample) and make the moov at the end, written into room
 * kept for it before the media data, so the file needs one pass and plays while it is copied.
 */
#ifndef RT_LIB_MP4_H
#define RT_LIB_MP4_H

#include "rutube/rutube.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rt__mp4_track { RT__MP4_VIDEO, RT__MP4_AUDIO };

#define RT__MP4_VIDEO_TIMESCALE 90000 /* MPEG-TS's clock; audio uses its sample rate */

struct rt__mp4_video {
    const uint8_t *avcc; /* the AVCDecoderConfigurationRecord */
    size_t avcc_len;
    unsigned width, height;
    unsigned sar_num, sar_den; /* 0/0: square pixels, nothing written */
};

struct rt__mp4_audio {
    uint8_t asc[2]; /* AudioSpecificConfig */
    unsigned sample_rate, channels;
};

enum rt__mp4_result {
    RT__MP4_OK,
    RT__MP4_NOMEM,
    RT__MP4_IO,           /* a write failed: rt__mp4_errno() says why */
    RT__MP4_NO_ROOM,      /* the moov turned out larger than the room kept for it */
    RT__MP4_BAD_TIMES,    /* a decode time that does not rise, or a presentation before it */
    RT__MP4_NOT_DECLARED, /* a sample for a track not declared yet */
};

struct rt__mp4;

/* `expected_seconds` (> 0) sizes the room for the moov. */
struct rt__mp4 *rt__mp4_new(int fd, double expected_seconds);
void rt__mp4_free(struct rt__mp4 *mp4);

enum rt__mp4_result rt__mp4_declare_video(struct rt__mp4 *mp4, const struct rt__mp4_video *video);
enum rt__mp4_result rt__mp4_declare_audio(struct rt__mp4 *mp4, const struct rt__mp4_audio *audio);

/* A format-level tag: `key` is the iTunes-style item name ("\xA9nam", "desc", "tven"...). */
enum rt__mp4_result rt__mp4_tag(struct rt__mp4 *mp4, const char key[4], const char *value);

/* The track number: `number` of `total` (the "track" tag, "3/7"). */
enum rt__mp4_result rt__mp4_track(struct rt__mp4 *mp4, unsigned number, unsigned total);

/* The cover picture, JPEG or PNG (`png`), after the tags; copied. */
enum rt__mp4_result rt__mp4_cover(struct rt__mp4 *mp4, const void *image, size_t len, bool png);

/*
 * The movie's chapters, borrowed until rt__mp4_finish(): a Nero chpl box and a QuickTime
 * chapter track (mp4_moov.h). Those starting after the media's end are left out, and the last
 * ends with the media. Before the first sample: the moov's room counts them.
 */
void rt__mp4_chapters(struct rt__mp4 *mp4, const struct rt_chapter *chapters, size_t count);

/*
 * A sample in two steps, so it is written into place without another copy: space for at most
 * `max` bytes (NULL when out of memory), then the bytes actually used with the sample's times
 * in the track's timescale.
 */
uint8_t *rt__mp4_sample_space(struct rt__mp4 *mp4, enum rt__mp4_track track, size_t max);
enum rt__mp4_result rt__mp4_sample_commit(struct rt__mp4 *mp4, enum rt__mp4_track track, size_t len,
                                          int64_t dts, int64_t pts, bool key);

/* What the file shows of its samples, in RT__MP4_VIDEO_TIMESCALE on the samples' own clock:
 * from `start` to `end` (INT64_MAX: to the last one). The samples outside stay in the file,
 * hidden by the edit lists: a cut needs the key frame before it, and no re-encoding. */
struct rt__mp4_window {
    int64_t start, end;
};

/* Show only `window` of the samples (see struct rt__mp4_window); before rt__mp4_finish(). */
void rt__mp4_set_window(struct rt__mp4 *mp4, const struct rt__mp4_window *window);

/* Writes what is pending, the moov and the box headers. The caller syncs and closes `fd`. */
enum rt__mp4_result rt__mp4_finish(struct rt__mp4 *mp4);

int rt__mp4_errno(const struct rt__mp4 *mp4);

/* For tests: values above `limit` (normally UINT32_MAX) get the 64-bit forms of the boxes
 * (co64, version 1 times, a large mdat), so that layout is checked without a 4 GiB file. */
void rt__mp4_set_wide_limit(struct rt__mp4 *mp4, uint64_t limit);

#endif
