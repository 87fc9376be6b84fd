/* The remux through FFmpeg's libavformat: any stream, any container with a muxer. */
#ifndef RT_LIB_MEDIA_AV_REMUX_H
#define RT_LIB_MEDIA_AV_REMUX_H

#include "media/av.h"
#include "media/mux_job.h"

/*
 * One pass of rt__mux_run()'s job through libavformat. `reserved` is the room kept for the
 * MP4 moov box in front of mdat: < 0 estimates it from the duration and frame rates, 0 asks
 * for +faststart instead (which writes the file twice). `*moov_too_small` is set when only
 * the reservation failed (the trailer found it too small): a pass with 0 will do. Errors and
 * the output file as rt__mux_run() says.
 */
enum rt_code rt__av_remux(const struct rt__av *av, const struct rt__mux_job *job, int64_t reserved,
                          bool *moov_too_small, struct rt_error *err);

#endif
