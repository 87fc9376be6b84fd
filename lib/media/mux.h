/* Copying the downloaded MPEG-TS stream into MP4 or Matroska, with metadata, cover, subtitles. */
#ifndef RT_LIB_MEDIA_MUX_H
#define RT_LIB_MEDIA_MUX_H

#include "media/mux_job.h"

/*
 * Remux without re-encoding. An MP4 without subtitle tracks is made by mp4_remux.c when the
 * stream is the usual H.264 + AAC; everything else, and any stream it declines, by libavformat
 * (av_remux.c): H.264 and AAC copied (ADTS headers become an AudioSpecificConfig through
 * libavformat's automatic bitstream filter), timestamps moved to start at 0 and kept continuous
 * across discontinuities, the moov box first. The job's tags go into the file as far as the
 * container holds them. A forward hole of more than a second in a stream's timestamps means
 * data was lost (a corrupt segment), which is an error rather than a silently broken file.
 * Errors: RT_E_REMUX (no video stream, damaged data, or libavformat refused; the message says
 * which), RT_E_DISK_FULL, RT_E_IO, RT_E_CANCELLED, RT_E_UNSUPPORTED (FFmpeg cannot be loaded),
 * RT_E_NOMEM. On failure `output` is removed; `input` is never touched.
 */
enum rt_code rt__mux_run(const struct rt__mux_job *job, struct rt_error *err);

#endif
