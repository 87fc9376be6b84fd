/* The audio probe declared in audio_probe.h: MPEG-TS demuxed (ts.c), ADTS frames counted. */
#include "media/audio_probe.h"

#include "media/adts.h"
#include "media/ts.h"

/* Enough frames (about five seconds at 44.1 kHz) for a bit rate within a few per cent. */
#define ENOUGH_FRAMES 220

struct probe {
    struct rt__audio_traits *traits;
    uint64_t payload_bytes; /* of the frames, headers aside */
    bool mixed;             /* frames that disagree on the format */
};

static bool take_frames(struct probe *p, const uint8_t *data, size_t len)
{
    struct rt__audio_traits *t = p->traits;
    struct rt__adts frame;
    while (len > 0 && rt__adts_parse(data, len, &frame)) {
        if (t->frames == 0) {
            t->object_type = frame.object_type;
            t->sample_rate = frame.sample_rate;
            t->channels = frame.channel_config;
        } else if (frame.object_type != t->object_type || frame.sample_rate != t->sample_rate ||
                   frame.channel_config != t->channels) {
            p->mixed = true;
            return false;
        }
        p->payload_bytes += frame.frame_len - frame.header_len;
        t->frames++;
        data += frame.frame_len;
        len -= frame.frame_len;
    }
    return t->frames < ENOUGH_FRAMES;
}

static bool on_pes(const struct rt__ts_pes *pes, void *data)
{
    if (pes->stream != RT__TS_AUDIO)
        return true;
    return take_frames(data, pes->data, pes->len);
}

bool rt__audio_probe_ts(const uint8_t *data, size_t len, struct rt__audio_traits *traits)
{
    *traits = (struct rt__audio_traits){0};
    struct probe p = {traits, 0, false};
    struct rt__ts *ts = rt__ts_new(on_pes, &p);
    if (!ts)
        return false;
    /* Whole packets only; the PES packet still open at the cut is handed over by finish()
     * and its last, cut frame fails to parse. */
    enum rt__ts_result result = rt__ts_feed(ts, data, len - len % RT__TS_PACKET);
    if (result == RT__TS_OK)
        rt__ts_finish(ts);
    rt__ts_free(ts);
    if (p.mixed || traits->frames < RT__AUDIO_PROBE_MIN_FRAMES || traits->sample_rate == 0)
        return false;
    double seconds = (double)traits->frames * RT__ADTS_SAMPLES / traits->sample_rate;
    traits->bitrate = (double)p.payload_bytes * 8 / seconds;
    return true;
}

bool rt__audio_as_good(const struct rt__audio_traits *candidate,
                       const struct rt__audio_traits *best)
{
    return candidate->object_type == best->object_type &&
           candidate->sample_rate == best->sample_rate && candidate->channels == best->channels &&
           candidate->bitrate >= 0.9 * best->bitrate;
}
