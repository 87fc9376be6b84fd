/* Recording a live stream: its playlist reloaded, what is new fetched on the one engine. */
#ifndef RT_LIB_HLS_LIVE_H
#define RT_LIB_HLS_LIVE_H

#include "hls/sink.h"
#include "rutube/rutube.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Fresh addresses of the live media playlist (one a mirror), when the old ones are refused
 * (RuTube's live addresses expire): `*mirrors` is a new array of new strings the recorder
 * frees. Errors end the recording as rt__live_record()'s.
 */
typedef enum rt_code (*rt__live_refresh_fn)(void *data, char ***mirrors, size_t *count,
                                            struct rt_error *err);

struct rt__live_job {
    struct rt_client *client;
    const char *const *mirrors; /* the live media playlist, on each mirror */
    size_t mirror_count;
    const char *name;          /* the stream in the log: "video 9bc1..." */
    struct rt__sink *sink;     /* where the segments go, after what it holds already */
    const atomic_bool *cancel; /* a failure: what is whole stays in the sink */
    const atomic_bool *stop;   /* the end asked for: the recording so far is the result */
    double max_seconds;        /* stop after this much media; 0: until the broadcast ends */
    bool from_start;           /* the playlist's first segment, not the live edge */
    /* The number of the last segment an earlier run recorded into the sink, or -1: the
     * recording goes on after it (nothing twice). */
    long long resume_after;
    rt__live_refresh_fn refresh; /* may be NULL: a refused address is then a failure */
    void *refresh_data;
    rt_progress_fn progress; /* may be NULL */
    void *progress_data;

    /* What was recorded, as it goes (also after a failure). */
    double recorded; /* seconds of media */
    size_t segments; /* in the sink, those before the recording began included */
    /* Each sink segment's #EXT-X-MEDIA-SEQUENCE number (-1: unknown), for checkpoints;
     * the caller frees it. */
    long long *numbers;
    size_t missed; /* segments that left the playlist before they were fetched */
    bool ended;    /* the playlist said #EXT-X-ENDLIST */
};

/*
 * Record until the broadcast ends (#EXT-X-ENDLIST), `max_seconds` of media are in, or `stop`
 * is set: RT_OK, the sink holding whole segments in order. The playlist is reloaded every
 * target duration (half of it when nothing was new, as RFC 8216 6.3.4 asks); each reload's
 * new segments are fetched with rt__fetch_run() (mirrors, retries, racing). A segment that
 * left the window before it was fetched is a warning naming the gap. A playlist refused with
 * 403, 404 or 410 asks `refresh` for new addresses once in a row.
 * Errors: those of rt__fetch_run() and rt__http_get(), RT_E_BAD_PLAYLIST, RT_E_CANCELLED.
 */
enum rt_code rt__live_record(struct rt__live_job *job, struct rt_error *err);

#endif
