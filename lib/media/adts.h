/* AAC in ADTS framing (ISO/IEC 13818-7 / 14496-3 1.A.2): the frame header MP4 does without. */
#ifndef RT_LIB_ADTS_H
#define RT_LIB_ADTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RT__ADTS_SAMPLES 1024 /* PCM samples per AAC frame */

struct rt__adts {
    unsigned object_type; /* 2 = AAC LC */
    unsigned rate_index, sample_rate;
    unsigned channel_config; /* 1-7 */
    size_t header_len;       /* 7, or 9 with a CRC */
    size_t frame_len;        /* header included */
};

/* False when `p` does not start a usable ADTS frame: no sync word, a reserved or explicit
 * (program config element) channel layout, several raw blocks in one frame, or `len` shorter
 * than the frame. */
bool rt__adts_parse(const uint8_t *p, size_t len, struct rt__adts *frame);

/* The two-byte AudioSpecificConfig MP4 keeps once instead of a header per frame. */
void rt__adts_audio_specific_config(const struct rt__adts *frame, uint8_t asc[2]);

#endif
