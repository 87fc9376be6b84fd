/* The ordered writer: segments arrive in any order and leave for the file in playlist order. */
#ifndef RT_LIB_SINK_H
#define RT_LIB_SINK_H

#include "rutube/rutube.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * Invariants: segments [0, next) are in the file, back to back, and nothing else is;
 * at most `window` segments after `next` wait in memory. The fetcher asks rt__sink_has_room()
 * before starting a transfer, which is what bounds memory whatever the video's length.
 */
struct rt__sink;

/*
 * Open `path` for writing. With `resume_bytes` > 0 the file keeps its first `resume_bytes`
 * bytes (the first `resume_index` segments; anything after is cut off) and writing goes on
 * from segment `resume_index`; otherwise it is emptied. Errors: RT_E_IO, RT_E_DISK_FULL,
 * RT_E_NOMEM.
 */
enum rt_code rt__sink_open(const char *path, size_t window, uint64_t resume_bytes,
                           size_t resume_index, struct rt__sink **out, struct rt_error *err);

/* Called after the file was flushed to disk, with what it now holds: `segments` whole
 * segments in `bytes` bytes. */
typedef void (*rt__sink_checkpoint_fn)(size_t segments, uint64_t bytes, void *data);

/* Flush and call `fn` at most every `interval` seconds as segments are written. */
void rt__sink_set_checkpoint(struct rt__sink *sink, rt__sink_checkpoint_fn fn, void *data,
                             double interval);

/* Flush to disk now and call the checkpoint function (if any). Errors: RT_E_IO,
 * RT_E_DISK_FULL. */
enum rt_code rt__sink_checkpoint(struct rt__sink *sink, struct rt_error *err);

/* Whether segment `index` may be fetched now: it is within the window after `next`. */
bool rt__sink_has_room(const struct rt__sink *sink, size_t index);

/*
 * Hand over segment `index` (which has room and was not put before). Takes ownership of
 * `data` (malloc'd; freed by the sink, also on failure). Writes every segment that is now in
 * order. Errors: RT_E_DISK_FULL, RT_E_IO (the file then still ends after the last whole
 * segment when the system allows it).
 */
enum rt_code rt__sink_put(struct rt__sink *sink, size_t index, char *data, size_t len,
                          struct rt_error *err);

size_t rt__sink_next(const struct rt__sink *sink);            /* segments in the file */
uint64_t rt__sink_written(const struct rt__sink *sink);       /* their bytes */
uint64_t rt__sink_waiting_bytes(const struct rt__sink *sink); /* bytes held in memory */

/* Flush to stable storage and close. Errors: RT_E_IO, RT_E_DISK_FULL. */
enum rt_code rt__sink_finish(struct rt__sink *sink, struct rt_error *err);

/* Close (if still open) and free, dropping segments still waiting. */
void rt__sink_free(struct rt__sink *sink);

/* An errno from writing, as the library's code and a sentence about `path`. */
enum rt_code rt__sink_io_error(int errnum, const char *doing, const char *path,
                               struct rt_error *err);

#endif
