/* H.264 in Annex B form (as MPEG-TS carries it): NAL units, the SPS fields MP4 needs. */
#ifndef RT_LIB_H264_H
#define RT_LIB_H264_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    RT__H264_NAL_SLICE = 1,
    RT__H264_NAL_IDR = 5,
    RT__H264_NAL_SEI = 6,
    RT__H264_NAL_SPS = 7,
    RT__H264_NAL_PPS = 8,
};

/*
 * Walks the NAL units of one access unit. The units are cut exactly as FFmpeg cuts them when
 * it writes MP4 (libavformat's ff_avc_parse_nal_units): bytes before the first start code are
 * dropped, and a zero byte just before a start code belongs to that start code.
 */
struct rt__nal_walk {
    const uint8_t *next, *end;
};
void rt__nal_walk_init(struct rt__nal_walk *walk, const uint8_t *data, size_t len);
/* The next unit (at least one byte), or false at the end. */
bool rt__nal_walk_next(struct rt__nal_walk *walk, const uint8_t **nal, size_t *len);

/* The sequence parameter set's facts that an MP4 sample description holds. */
struct rt__h264_sps {
    uint8_t profile, compatibility, level;
    unsigned chroma_format, bit_depth_luma, bit_depth_chroma;
    unsigned width, height;    /* after cropping */
    unsigned sar_num, sar_den; /* 0/0: not given */
};

/* False for a unit that is not a readable SPS (including the NAL header byte). */
bool rt__h264_parse_sps(const uint8_t *nal, size_t len, struct rt__h264_sps *sps);

/* Whether an SEI unit carries a recovery point: FFmpeg counts a frame after one as a key
 * frame even without an IDR slice (open-GOP streams). */
bool rt__h264_sei_has_recovery_point(const uint8_t *nal, size_t len);

#endif
