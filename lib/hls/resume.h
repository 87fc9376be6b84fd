/* The state kept beside <name>.part, so that an interrupted download continues later. */
#ifndef RT_LIB_RESUME_H
#define RT_LIB_RESUME_H

#include "base/client.h"
#include "hls/hls.h"

#include <stdint.h>

/*
 * What the .part holds and what it belongs to. The first `bytes_done` bytes of the .part are
 * exactly the first `segments_done` segments of this stream in this quality; anything after
 * them is a segment that was still being written and is cut off on resume. Saved after the
 * .part was flushed, so the state never claims more than the disk holds.
 */
/* The stream name of a live recording ("live-<id>"), whose list_hash is the number
 * (#EXT-X-MEDIA-SEQUENCE) of its last whole segment, and whose segment_count is
 * RT_HLS_MAX_SEGMENTS: it has no end to count to. */
#define RT_RESUME_LIVE_PREFIX "live-"

struct rt__resume {
    char stream[65]; /* which stream, as the caller names it: 1-64 of [A-Za-z0-9_-] */
    int width, height;
    long bandwidth;
    size_t segment_count;
    uint64_t list_hash; /* of the segment names and durations: the same playlist? */
    size_t segments_done;
    uint64_t bytes_done;
};

/* A fingerprint of the media playlist that survives its addresses being signed anew: each
 * segment's address without its query, and its duration. */
uint64_t rt__resume_list_hash(const struct rt__media *media);

/*
 * Read a state file. Errors: RT_E_IO (no such file: errno ENOENT is left in errno),
 * RT_E_BAD_RESPONSE (damaged: not our JSON, fields missing or out of range).
 */
enum rt_code rt__resume_load(const char *path, struct rt__resume *out, struct rt_error *err);

/* Write it atomically (a temporary file, then rename). Errors: RT_E_IO, RT_E_DISK_FULL. */
enum rt_code rt__resume_save(const char *path, const struct rt__resume *state,
                             struct rt_error *err);

/* Whether `saved` describes the same stream, quality and playlist as `fresh` (their progress
 * fields are not compared). */
bool rt__resume_matches(const struct rt__resume *saved, const struct rt__resume *fresh);

/*
 * Where a download continues: after the segments a state at `state_path` matching `fresh`
 * says `part_path` holds. A state for another stream, quality or playlist, a damaged one, a
 * .part without one, or a .part shorter than its state means starting over, said in a
 * warning through the client's log; `no_continue` starts over as asked. Returns the segments
 * to keep, and their bytes in `*bytes`.
 */
size_t rt__resume_plan(const struct rt_client *client, const char *part_path,
                       const char *state_path, const struct rt__resume *fresh, bool no_continue,
                       uint64_t *bytes);

#endif
