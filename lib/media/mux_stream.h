/* Our own MP4 writer on a thread of its own, over the .part while it still downloads. */
#ifndef RT_LIB_MEDIA_MUX_STREAM_H
#define RT_LIB_MEDIA_MUX_STREAM_H

#include "media/mux_job.h"

/*
 * Why: the remux reads the stream once, in order, and the download writes it mostly in order,
 * so the in-order prefix can be remuxed while later segments arrive; when the last byte lands
 * only the tail is left (bench/RESULTS.md, lan: the MP4 against the TS). Only rt__mp4_remux()
 * streams: libavformat would need the whole input behind its own I/O.
 *
 * The thread reads files and uses the CPU, nothing else: it makes no network requests and
 * calls none of the program's functions (no progress, no log; a warning waits for
 * rt__mux_stream_end(), which says it from the calling thread).
 */
struct rt__mux_stream;

/* Start rt__mp4_remux() over `job` (its `growing` and progress members are the stream's own;
 * what it points to must live until rt__mux_stream_end()). NULL when no thread could be
 * had: the remux is then done after the download, as always. */
struct rt__mux_stream *rt__mux_stream_start(const struct rt__mux_job *job);

/* What the writer of the input (hls/sink.c) publishes the readable length to. */
struct rt__growing *rt__mux_stream_input(struct rt__mux_stream *s);

/* The download stopped short: the remux stops, its output removed; waits for the thread. */
void rt__mux_stream_abandon(struct rt__mux_stream *s);

/* The input is complete at `length` bytes; the remux goes on to its end. */
void rt__mux_stream_complete(struct rt__mux_stream *s, uint64_t length);

/*
 * After rt__mux_stream_complete(): wait for the remux to end, reporting its phase to the
 * job's progress function from this thread. `*share` is how much of the input had been
 * remuxed when it became complete (0 to 1). The result is rt__mp4_remux()'s: RT_OK with
 * *declined and `why` when it stepped aside, or an error; either way its output removed.
 */
enum rt_code rt__mux_stream_end(struct rt__mux_stream *s, double *share, bool *declined, char *why,
                                size_t why_size, struct rt_error *err);

/* After rt__mux_stream_end(): the CPU seconds the remux's thread used, for the log (the
 * remux's cost apart from the download's, which sharing the cores blurs in wall time). */
double rt__mux_stream_cpu_seconds(const struct rt__mux_stream *s);

void rt__mux_stream_free(struct rt__mux_stream *s);

#endif
