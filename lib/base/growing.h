/* A file one thread writes and another reads as it grows: how much of it may be read. */
#ifndef RT_LIB_GROWING_H
#define RT_LIB_GROWING_H

#include "base/spool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * The writer publishes how long the readable start of the file is (hls/sink.c: the complete
 * prefix of the .part), then that the file is complete or abandoned; the reader waits for the
 * bytes it wants (media/mp4_remux.c remuxing the .part while it downloads). The reader says
 * how far it got, for progress and the log. Only the readable length is shared, never data:
 * the bytes go through the file (the page cache), written before their length is published.
 */
enum rt__growing_state {
    RT__GROWING,  /* more may come */
    RT__COMPLETE, /* `length` is the file's final size */
    RT__ABANDONED /* the writer failed or was cancelled: the reader stops */
};

struct rt__growing {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    uint64_t length; /* readable from the start */
    uint64_t wanted; /* what the waiting reader waits for: no wake-up before it is there */
    enum rt__growing_state state;
    bool reader_done;           /* the reader stopped (rt__growing_reader_done()) */
    atomic_uint_least64_t read; /* how far the reader got */
    /* How much of the readable start the writer has handed to write-back: pages the reader may
     * let go of once read (posix_fadvise() would otherwise write the others out itself). */
    atomic_uint_least64_t settled;
    /* Where the bytes are while not in the file, or NULL: hls/sink.c may keep a fast download's
     * .part in memory (base/spool.h). The reader looks there first. Freed with the growing. */
    struct rt__spool *spool;
};

void rt__growing_init(struct rt__growing *g);
void rt__growing_destroy(struct rt__growing *g);

/* The writer's side. The length only grows; once complete or abandoned nothing changes but
 * that a complete file may still be abandoned (the reader is to stop early: a cancel). */
void rt__growing_publish(struct rt__growing *g, uint64_t length);
void rt__growing_complete(struct rt__growing *g, uint64_t length);
void rt__growing_abandon(struct rt__growing *g);
/* From now on the bytes are kept in `spool` until drained to the file (rt__spool_drain()); the
 * growing owns it. Before the first publication past 0. */
void rt__growing_attach_spool(struct rt__growing *g, struct rt__spool *spool);
/* The first `length` bytes are on their way to the disk (no waiting reader is woken). */
void rt__growing_settle(struct rt__growing *g, uint64_t length);

/* The reader's side: wait until `want` bytes may be read, the file is complete, or it was
 * abandoned; `*length` is then what may be read. */
enum rt__growing_state rt__growing_wait(struct rt__growing *g, uint64_t want, uint64_t *length);
/* The reader has read the first `bytes` (the spool may let go of them). */
void rt__growing_note_read(struct rt__growing *g, uint64_t bytes);
/* The spool to read from first, or NULL: the file holds everything. */
struct rt__spool *rt__growing_spool(struct rt__growing *g);
uint64_t rt__growing_settled(struct rt__growing *g);
void rt__growing_reader_done(struct rt__growing *g);
/* The writer's question: has the reader stopped? */
bool rt__growing_reader_stopped(struct rt__growing *g);

/* For a third party (the thread that waits for the reader): wait at most `seconds` for the
 * reader to be done; true when it is. `*length` and `*read` are the lengths meanwhile. */
bool rt__growing_wait_reader(struct rt__growing *g, double seconds, uint64_t *length,
                             uint64_t *read);

#endif
