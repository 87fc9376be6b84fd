/* The segment engine: every segment transfer of a download, driven by one libcurl multi loop. */
#ifndef RT_LIB_FETCH_H
#define RT_LIB_FETCH_H

#include "base/client.h"
#include "hls/sink.h"

#include <stdatomic.h>

/* The largest segment we accept. Real ones are 1-5 MB; an answer this big is a broken or
 * hostile server, and the cap is what keeps memory bounded. */
#define RT_FETCH_SEGMENT_MAX (64u << 20)

/* Bytes `start` to `start + length - 1` of a file. */
struct rt__range {
    uint64_t start, length;
};

/* What to fetch. Segment i on mirror m is refs[i] resolved against bases[m]: the mirrors
 * serve the same media playlist, so a relative address means the same file on each host.
 * With `ranges`, segment i is instead that byte range of refs[i] (one file fetched in pieces:
 * each answer must be a 206 of exactly that range). */
struct rt__fetch_plan {
    size_t count;
    size_t first; /* segments already in the sink (a resumed download); they are not fetched */
    const char *const *refs;
    size_t mirror_count;
    const char *const *bases;
    uint64_t expected_bytes;        /* estimate before any answer, 0 when unknown */
    const char *name;               /* the stream in the log: "video 2ce7..." */
    const struct rt__range *ranges; /* NULL: whole segments */
};

/*
 * Fetch every segment of `plan` into `sink`, at most client->jobs transfers at once (shared
 * with every other download of the client, see rt__client_take_slot()), started in
 * playlist order within a window ahead of the first missing segment. Each segment's bytes go
 * straight to their place in the file once the sizes before it are known (they are kept in
 * memory only until then). A failed segment (network error, stall longer than client->timeout,
 * HTTP status other than 200, short body, body over the cap) is retried up to client->retries
 * times, first on the other mirrors at once, then with exponential backoff and jitter (at
 * least what a Retry-After asks for). A status rt__http_judge() finds not worth asking again
 * (a 404, a 403) rules that mirror out for the segment; once every mirror is, it fails at once. A
 * segment whose first byte is late, or one that holds the window back, is raced by a second
 * transfer on another mirror: the first to finish wins. Where first bytes are slow to come (a
 * distant CDN), a transfer whose body is about to end hands its slot to the next segment early, on
 * a spare connection, so that the wait for the next first byte overlaps the last bytes of this body
 * (up to 2 * jobs requests are then open, but their bodies follow one another: still about `jobs`
 * bodies at once). Under the client's speed limit (base/rate.h, shared by every download of the
 * client) a transfer whose bytes the bucket cannot pay for is held back (paused, never dropped,
 * judged stalled or slow, or raced for it) and let go, each in turn, as the bucket refills; while
 * one is held no new segment starts, since the limit and not the servers sets the pace. Errors:
 * RT_E_NETWORK, RT_E_HTTP, RT_E_NOT_FOUND or RT_E_FORBIDDEN (a segment
 * failed every try, or every mirror refused it: rt__http_judge() of the last answer; the message
 * names the segment and the last cause), RT_E_CANCELLED, RT_E_DISK_FULL, RT_E_IO,
 * RT_E_BAD_PLAYLIST, RT_E_NOMEM.
 */
enum rt_code rt__fetch_run(struct rt_client *client, const struct rt__fetch_plan *plan,
                           struct rt__sink *sink, const atomic_bool *cancel,
                           rt_progress_fn progress, void *progress_data, struct rt_error *err);

#endif
