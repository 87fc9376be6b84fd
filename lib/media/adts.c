/* The ADTS header reading declared in adts.h. */
#include "media/adts.h"

static const unsigned sample_rates[13] = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                          22050, 16000, 12000, 11025, 8000,  7350};

bool rt__adts_parse(const uint8_t *p, size_t len, struct rt__adts *frame)
{
    if (len < 7 || p[0] != 0xFF || (p[1] & 0xF6) != 0xF0)
        return false; /* sync word, MPEG version either, layer 0 */
    frame->object_type = (p[2] >> 6) + 1u;
    frame->rate_index = (p[2] >> 2) & 0x0F;
    frame->channel_config = ((p[2] & 1u) << 2) | (p[3] >> 6);
    frame->header_len = p[1] & 1 ? 7 : 9;
    frame->frame_len = ((size_t)(p[3] & 3) << 11) | ((size_t)p[4] << 3) | (p[5] >> 5);
    unsigned raw_blocks = p[6] & 3;
    if (frame->rate_index >= 13 || frame->channel_config == 0 || raw_blocks != 0 ||
        frame->frame_len <= frame->header_len || frame->frame_len > len)
        return false;
    frame->sample_rate = sample_rates[frame->rate_index];
    return true;
}

void rt__adts_audio_specific_config(const struct rt__adts *frame, uint8_t asc[2])
{
    asc[0] = (uint8_t)((frame->object_type << 3) | (frame->rate_index >> 1));
    asc[1] = (uint8_t)(((frame->rate_index & 1) << 7) | (frame->channel_config << 3));
}
