/* The segment engine's own types, shared by its three parts (not part of librutube's API):
 * fetch.c runs the loop, fetch_schedule.c decides what each slot fetches next, fetch_answer.c
 * takes the bytes that come back and judges each finished transfer. */
#ifndef RT_FETCH_ENGINE_H
#define RT_FETCH_ENGINE_H

#include "base/buf.h"
#include "hls/fetch.h"

#include <stdbool.h>
#include <stdint.h>

/* Speed is measured over this many seconds. */
#define SPEED_WINDOW  3.0
#define SPEED_SAMPLES 16
/* Recent times to first byte and segment durations, for when to hedge. */
#define TIMING_SAMPLES 32
/* A body is judged slow only after this long, against the median rate of this many finished
 * ones at least, and when it runs at under this share of it: "far slower than the others". */
#define SLOW_JUDGE_S     2.0
#define SLOW_MIN_SAMPLES 3
#define SLOW_SHARE       0.1
/* After a try of a segment got nowhere (stalled, trickled, dripped), its next tries are given
 * this long without a byte, or under the low-speed limit, instead of the client's timeout. */
#define HOPELESS_RETRY_S 5

/* Held segments' buffers kept for reuse, at most. */
#define SPARE_BUFFERS 8

enum segment_state {
    SEG_NEW,      /* not asked for yet */
    SEG_WAITING,  /* failed; a retry is due at retry_at */
    SEG_RUNNING,  /* one or two transfers fetch it */
    SEG_COMPLETE, /* all bytes here, but its offset is not known yet: held in memory */
    SEG_DONE,     /* in the file */
};

struct segment {
    unsigned char state;
    unsigned char running;      /* transfers fetching it: 1, more while raced */
    unsigned short failures;    /* failed transfers so far */
    unsigned short last_mirror; /* where the latest transfer went */
    /* Mirrors whose answer is not worth asking again (rt__http_judge(): a 404, a 403...), one
     * bit each for the first 16. */
    unsigned short refused;
    /* Tries that got nowhere: no byte for the timeout, a drip under the low-speed limit, a
     * body far slower than the others. Every mirror twice, and the segment is given up. */
    unsigned char hopeless;
    double retry_at;
    int64_t size;    /* Content-Length of its first 200 answer (or its whole body), else -1 */
    char *held;      /* SEG_COMPLETE: its bytes */
    size_t held_cap; /* the memory they are in (a transfer's body buffer, detached) */
    /* Split at the tail (fetch_split.c): its transfer stops at `cut` and a piece brings the
     * bytes from there on another connection. 0: fetched whole. */
    uint64_t cut;
    bool head_done, tail_done; /* while split: the bytes before the cut, and from it, are in */
    bool split_failed;         /* a piece of it went wrong: fetched whole from now on */
};

struct transfer {
    struct engine *engine;
    CURL *easy;
    bool busy;
    bool hedge;      /* racing another transfer of the same segment: keeps bytes in memory */
    bool discard;    /* the answer is not a 200: drop its body */
    bool too_big;    /* over the cap */
    bool wrong_size; /* a Content-Length other than the segment's known size */
    bool write_failed;
    bool answered;      /* body bytes came, maybe held back by the speed limit */
    bool started;       /* the first body byte was taken in */
    bool stalled;       /* dropped by us: no byte for stall_after seconds */
    bool too_slow;      /* dropped by us: its body far slower than the others' (fetch.c) */
    bool trickled;      /* dropped by us: under the low-speed limit while not held back */
    double stall_after; /* seconds without a byte before it counts as stalled */
    bool handed_off;    /* a successor took over its slot: its end gives none back */
    /* A piece: the segment's bytes from `from` on, the rest of a split segment (a 206). */
    bool piece;
    bool reached_cut; /* the transfer a piece was cut from took every byte before the cut */
    bool abandoned;   /* a piece no longer needed (the first transfer went past the cut) */
    uint64_t from;    /* where its bytes start in the segment: 0, or the cut for a piece */
    size_t segment, mirror;
    size_t discarded;
    uint64_t received;   /* body bytes of this answer */
    uint64_t first_read; /* of those, the ones of the first read (not paced: a burst) */
    uint64_t flushed;    /* of those, already written to the file */
    struct rt__buf body; /* bytes not written yet: staged, or kept until the offset is known */
    /* Its staging buffer, put aside while `body` is a kept segment-sized one (spares) */
    char *parked;
    size_t parked_cap;
    double started_at, answered_at, body_started, last_byte;
    /* The client's speed limit (base/rate.h). A transfer started under one is `limited`:
     * libcurl's low-speed check, which would count the time it is held back, is off and
     * fetch.c judges its pace on the time it was not. `held`: its last bytes were refused
     * (CURL_WRITEFUNC_PAUSE), libcurl keeps them until fetch.c lets it go; `granted`: just let
     * go, so its next bytes come in whatever the bucket holds (else a transfer let go could
     * lose them to the others again and again). */
    bool limited, held, granted;
    double held_since;        /* when it was held back, while `held` */
    double held_before;       /* seconds held back in earlier spells */
    double held_before_body;  /* of those, the ones before its body started */
    double slow_mark;         /* limited: seconds not held back when its pace window began */
    uint64_t slow_mark_bytes; /* and the bytes received by then */
    char *url;
    char curl_message[CURL_ERROR_SIZE];
};

struct speed_sample {
    double time;
    uint64_t bytes;
};

struct timings {
    double values[TIMING_SAMPLES];
    size_t count, next;
};

struct engine {
    struct rt_client *client;
    const struct rt__fetch_plan *plan;
    struct rt__sink *sink;
    const atomic_bool *cancel;
    CURLM *multi;
    struct transfer *transfers;
    size_t transfer_count;
    struct segment *segments;
    uint64_t *offsets; /* offsets[i] is where segment i starts, valid for i <= placed */
    size_t placed;     /* the sizes of all segments before this one are known */
    size_t done;       /* all segments before this one are in the file */
    size_t next_new;   /* the lowest segment never asked for */
    size_t window;     /* how far past `done` new segments may start */
    bool starved;      /* work was waiting for a slot of the client's budget, or for the reader of a
                          .part kept in memory (rt__sink_full()) */
    struct rt__slot_user slots;  /* this download's claim on them */
    int *mirror_failures;        /* consecutive failures per mirror */
    struct rt_error write_error; /* the file refused bytes inside a callback */
    uint64_t held;               /* bytes of SEG_COMPLETE segments, waiting for their offset */
    /* The memory of held segments once written, for the next transfer that holds one: a
     * segment's worth allocated anew is a page fault every 4 KiB (and a zeroed page). */
    struct spare_buffer {
        char *data;
        size_t cap;
    } spares[SPARE_BUFFERS];
    size_t spare_count;
    size_t held_segments, spares_reused; /* for the log */
    uint64_t received;     /* every body byte received, retried ones too (for speed) */
    uint64_t completed;    /* bytes of whole segments (resumed ones included) */
    uint64_t known_bytes;  /* sum of the sizes known so far */
    size_t asked_ahead;    /* requests sent before their slot's body ended */
    size_t pieces;         /* segments split at the tail (fetch_split.c) */
    bool ranges_refused;   /* a server answered a piece whole: no more splitting */
    size_t split_failures; /* pieces that went wrong; a few, and no more splitting */
    size_t held_count;     /* transfers held back by the speed limit */
    size_t release_next;   /* the transfer let go first next time: each in turn */
    size_t known_count;
    /* first_byte: from the start of a transfer (a wait for a connection included), for when
     * one is late; server_wait: from the request sent to the answer's first byte, for how
     * early to ask ahead; duration: whole segments, for when one holds the window back. */
    struct timings first_byte, server_wait, duration;
    struct timings body_rate; /* bytes a second of finished bodies, their first read aside */
    double ahead_lead; /* from server_wait, see fetch_note_server_wait(); -1: no asking ahead */
    double start, last_report;
    struct speed_sample samples[SPEED_SAMPLES];
    size_t sample_count, sample_next;
    rt_progress_fn progress;
    void *progress_data;
};

/* Seconds the transfer has been held back by the speed limit, in all, up to `now`. */
static inline double fetch_held_for(const struct transfer *t, double now)
{
    return t->held_before + (t->held ? now - t->held_since : 0);
}

/* Seconds the transfer's body has run, the time it was held back aside: the server's time. */
static inline double fetch_body_seconds(const struct transfer *t, double now)
{
    return now - t->body_started - (fetch_held_for(t, now) - t->held_before_body);
}

/* What a free slot does next (fetch_schedule.c): a segment (a retry, a new one, a race), or
 * the tail of a running one (fetch_split.c). */
struct work {
    size_t index;
    bool hedge;
    struct transfer *split; /* a piece: the transfer whose segment is cut, at `cut` */
    uint64_t cut;
};

/* fetch_split.c */
bool fetch_pick_split(struct engine *e, double now, struct work *work);
void fetch_begin_split(struct engine *e, const struct work *work, struct transfer *piece);
struct transfer *fetch_piece_of(struct engine *e, size_t segment);
bool fetch_piece_flowing(const struct transfer *piece);
void fetch_end_split(struct engine *e, size_t segment, bool failed);
uint64_t fetch_transfer_span(const struct engine *e, const struct transfer *t);

/* fetch_schedule.c */
void fetch_add_timing(struct timings *t, double value);
double fetch_median_timing(const struct timings *t, double fallback);
void fetch_note_server_wait(struct engine *e, double seconds);
enum rt_code fetch_start_transfers(struct engine *e, struct rt_error *err);
enum rt_code fetch_start_successors(struct engine *e, struct rt_error *err);
double fetch_next_successor_due(const struct engine *e, double now, double wait);
double fetch_time_left(const struct engine *e, const struct transfer *t, double now);

/* fetch_answer.c */
size_t fetch_on_data(char *data, size_t size, size_t nmemb, void *userdata);
enum rt_code fetch_release_held(struct engine *e, struct rt_error *err);
enum rt_code fetch_finish_transfer(struct engine *e, struct transfer *t, CURLcode rc,
                                   struct rt_error *err);
void fetch_learn_size(struct engine *e, size_t index, int64_t size);
enum rt_code fetch_advance_placement(struct engine *e);

#endif
