/* MPEG-TS to MP4 by our own demuxer and writer, for the streams RuTube sends. */
#ifndef RT_LIB_MP4_REMUX_H
#define RT_LIB_MP4_REMUX_H

#include "media/mux_job.h"

/*
 * The fast way to the MP4 that rt__mux_run() promises, for one H.264 and one AAC (ADTS)
 * stream, with its tags, chapters and cover (JPEG or PNG), without subtitle tracks. Why:
 * libavformat's demuxer re-parses every byte of the video to find frame boundaries MPEG-TS already
 * gives (one frame per PES packet), and its muxer copies each frame twice more; this reads each
 * byte once, converts it in place and writes it once, at about a third of the CPU
 * (bench/RESULTS.md, lan).
 *
 * Anything unusual (another codec, a damaged or encrypted stream, tables that change, a hole
 * in the timestamps, a moov larger than the room kept for it) makes it step aside: it returns
 * RT_OK with *declined set and `why` filled, having removed `output`, and libavformat does
 * the job instead, with its own error messages. Otherwise the result is rt__mux_run()'s.
 */
enum rt_code rt__mp4_remux(const struct rt__mux_job *job, bool *declined, char *why,
                           size_t why_size, struct rt_error *err);

#endif
