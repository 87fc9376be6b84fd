/* The .part file: segments written at their final offsets, and the whole prefix tracked. */
#ifndef RT_LIB_SINK_H
#define RT_LIB_SINK_H

#include "rutube/rutube.h"

#include "base/growing.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * Segments arrive out of order and are written where they belong (their offset is known once
 * the sizes of all segments before them are). The sink tracks the prefix: the first `next`
 * segments, `written` bytes, are complete. Only the prefix counts: a checkpoint records it,
 * a resume keeps it, and on failure the file is cut back to it, so the .part always ends
 * after a whole segment once the sink is done with it.
 */
struct rt__sink;

/*
 * Open `path` for writing. With `resume_bytes` > 0 the file keeps its first `resume_bytes`
 * bytes, the first `resume_index` segments, and anything after them is cut off; otherwise it
 * is emptied. Errors: RT_E_IO, RT_E_DISK_FULL, RT_E_NOMEM.
 */
enum rt_code rt__sink_open(const char *path, uint64_t resume_bytes, size_t resume_index,
                           struct rt__sink **out, struct rt_error *err);

/* Write `len` bytes at `offset`. Errors: RT_E_DISK_FULL (also a file size limit), RT_E_IO. */
enum rt_code rt__sink_write_at(struct rt__sink *sink, uint64_t offset, const void *data, size_t len,
                               struct rt_error *err);

/*
 * The first `segments` segments, `bytes` bytes, are now complete on disk (both only grow).
 * Starts write-back of what accumulated, and checkpoints when it is time.
 */
enum rt_code rt__sink_advance(struct rt__sink *sink, size_t segments, uint64_t bytes,
                              struct rt_error *err);

/* Called after the file was flushed to disk, with what it holds for sure: `segments` whole
 * segments in `bytes` bytes. */
typedef void (*rt__sink_checkpoint_fn)(size_t segments, uint64_t bytes, void *data);

/* Flush and call `fn` at most every `interval` seconds as the prefix grows. */
void rt__sink_set_checkpoint(struct rt__sink *sink, rt__sink_checkpoint_fn fn, void *data,
                             double interval);

/* Cut the file back to the prefix, flush it and call the checkpoint function (if any): what a
 * stopped download leaves. Kept in memory only (rt__sink_in_memory()), nothing: the prefix is
 * then empty. Errors: RT_E_IO, RT_E_DISK_FULL. */
enum rt_code rt__sink_checkpoint(struct rt__sink *sink, struct rt_error *err);

/* From now on the prefix's length is published to `g` as it grows (what is whole already at
 * once): a reader may read the file up to it while segments still arrive. */
void rt__sink_publish_to(struct rt__sink *sink, struct rt__growing *g);

/*
 * A .part made into another file as it arrives and deleted once that is done (an MP4 remuxed
 * while downloading): no write-back and no checkpoint for its first `seconds`, so that a video
 * fetched within them never goes to the disk twice; after them, both as usual (the first
 * checkpoint an interval later). What is handed to write-back is published to the reader
 * (rt__growing_settle()), which may drop those pages once read.
 */
void rt__sink_defer_writeback(struct rt__sink *sink, double seconds);

/*
 * The .part of an MP4 made while downloading, kept in memory for the reader
 * (rt__sink_publish_to(), before anything is written) instead of the file, base/spool.h. The
 * bytes are held until the download shows its pace: if it looks done (`expected_bytes` at the
 * pace of its first 16 MiB) before its write-back would begin (rt__sink_defer_writeback(),
 * called before), they are let go as the reader passes, and the file is never written: no
 * write-back, no checkpoint, and a stopped download keeps nothing (rt__sink_checkpoint(); a
 * download of about a second is fetched again). Otherwise, or
 * should the reader stop before that, everything held goes to the file, which has it from then
 * on as without this call. False (nothing changes) for a resumed .part or without memory.
 */
bool rt__sink_spool(struct rt__sink *sink, uint64_t expected_bytes);
/* Whether the bytes go to memory (rt__sink_spool()), for now or for good. */
bool rt__sink_spooling(const struct rt__sink *sink);
/* Whether the bytes are let go once read: the file will never have them. */
bool rt__sink_in_memory(const struct rt__sink *sink);
/* Whether they take so much memory that no new segment should start before the reader
 * catches up. */
bool rt__sink_full(const struct rt__sink *sink);

size_t rt__sink_next(const struct rt__sink *sink);      /* whole segments in the prefix */
uint64_t rt__sink_written(const struct rt__sink *sink); /* their bytes */

/* Cut to the prefix, flush to stable storage and close. Errors: RT_E_IO, RT_E_DISK_FULL. */
enum rt_code rt__sink_finish(struct rt__sink *sink, struct rt_error *err);

/* The same without the flush: for a file made into another straight away and then deleted,
 * whose caller flushes it only should it outlive the run (and until then claims no more of it
 * than the last checkpoint did). Errors: RT_E_IO, RT_E_DISK_FULL. */
enum rt_code rt__sink_finish_unflushed(struct rt__sink *sink, struct rt_error *err);

/* Close (if still open) and free. */
void rt__sink_free(struct rt__sink *sink);

#endif
