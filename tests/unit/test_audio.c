/* Unit tests for lib/media/audio_probe.c: what the start of a segment says of its audio. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "media/audio_probe.h"

/* A small MPEG-TS writer: a PAT, a PMT with H.264 on PID 0x100 and AAC on 0x101, then one PES
 * packet of ADTS frames, cut into 188-byte packets. */
struct stream {
    uint8_t bytes[1 << 20];
    size_t len;
};

static void put_packet(struct stream *s, int pid, bool start, const uint8_t *payload, size_t n)
{
    uint8_t *p = s->bytes + s->len;
    assert_true(n <= 184 && s->len + 188 <= sizeof s->bytes);
    p[0] = 0x47;
    p[1] = (uint8_t)((start ? 0x40 : 0) | (pid >> 8));
    p[2] = (uint8_t)pid;
    if (n == 184) {
        p[3] = 0x10; /* payload only */
        memcpy(p + 4, payload, n);
    } else {
        p[3] = 0x30; /* adaptation field (stuffing) and payload */
        p[4] = (uint8_t)(183 - n);
        if (p[4] > 0) {
            p[5] = 0x00;
            memset(p + 6, 0xFF, (size_t)p[4] - 1);
        }
        memcpy(p + 5 + p[4], payload, n);
    }
    s->len += 188;
}

static void put_tables(struct stream *s)
{
    static const uint8_t pat[] = {0x00, 0x00, 0xB0, 0x0D, 0x00, 0x01, 0xC1, 0x00, 0x00,
                                  0x00, 0x01, 0xF0, 0x00, 0x2A, 0xB1, 0x04, 0xB2};
    static const uint8_t pmt[] = {0x00, 0x02, 0xB0, 0x17, 0x00, 0x01, 0xC1, 0x00, 0x00,
                                  0xE1, 0x00, 0xF0, 0x00, 0x1B, 0xE1, 0x00, 0xF0, 0x00,
                                  0x0F, 0xE1, 0x01, 0xF0, 0x00, 0x00, 0x00, 0x00, 0x00};
    put_packet(s, 0x0000, true, pat, sizeof pat);
    put_packet(s, 0x1000, true, pmt, sizeof pmt);
}

/* One ADTS frame of `payload` bytes (7-byte header, no CRC). */
static size_t adts_frame(uint8_t *out, unsigned object_type, unsigned rate_index, unsigned channels,
                         size_t payload)
{
    size_t len = 7 + payload;
    out[0] = 0xFF;
    out[1] = 0xF1;
    out[2] = (uint8_t)(((object_type - 1) << 6) | (rate_index << 2) | (channels >> 2));
    out[3] = (uint8_t)(((channels & 3) << 6) | (len >> 11));
    out[4] = (uint8_t)(len >> 3);
    out[5] = (uint8_t)(((len & 7) << 5) | 0x1F);
    out[6] = 0xFC;
    memset(out + 7, 0x21, payload);
    return len;
}

/* `frames` frames in one audio PES packet (a PTS only), `sizes[i % 2]` bytes of payload
 * each, at 44.1 kHz (rate index 4) unless `mono_after` frames in, where mono begins. */
static void put_audio(struct stream *s, size_t frames, const size_t sizes[2], size_t mono_after)
{
    static uint8_t pes[1 << 19];
    size_t n = 0;
    const uint8_t header[] = {0x00, 0x00, 0x01, 0xC0, 0x00, 0x00, 0x80,
                              0x80, 0x05, 0x21, 0x00, 0x01, 0x00, 0x01};
    memcpy(pes, header, sizeof header);
    n = sizeof header;
    for (size_t i = 0; i < frames; i++) {
        assert_true(n + 7 + sizes[i % 2] <= sizeof pes);
        n += adts_frame(pes + n, 2, 4, i >= mono_after ? 1 : 2, sizes[i % 2]);
    }
    for (size_t at = 0; at < n; at += 184)
        put_packet(s, 0x101, at == 0, pes + at, n - at < 184 ? n - at : 184);
}

static struct stream *new_stream(void)
{
    struct stream *s = calloc(1, sizeof *s);
    assert_non_null(s);
    put_tables(s);
    return s;
}

static void audio_probe_reads_profile_rate_channels_and_bit_rate(void **state)
{
    (void)state;
    struct stream *s = new_stream();
    const size_t sizes[2] = {250, 270}; /* 260 bytes a frame: 89.6 kbit/s at 44.1 kHz */
    put_audio(s, 100, sizes, SIZE_MAX);
    struct rt__audio_traits t;
    assert_true(rt__audio_probe_ts(s->bytes, s->len, &t));
    assert_int_equal(t.object_type, 2);
    assert_int_equal(t.sample_rate, 44100);
    assert_int_equal(t.channels, 2);
    assert_int_equal(t.frames, 100);
    assert_true(t.bitrate > 89000 && t.bitrate < 90200);
    free(s);
}

/* A range request cuts the segment anywhere: the frame cut off is left out, the rest counts. */
static void audio_probe_cut_anywhere(void **state)
{
    (void)state;
    struct stream *s = new_stream();
    const size_t sizes[2] = {260, 260};
    put_audio(s, 100, sizes, SIZE_MAX);
    struct rt__audio_traits t;
    assert_true(rt__audio_probe_ts(s->bytes, s->len - 188 * 20 - 77, &t));
    assert_true(t.frames >= 80 && t.frames < 100);
    assert_true(t.bitrate > 89000 && t.bitrate < 90200);
    free(s);
}

static void audio_probe_too_few_frames(void **state)
{
    (void)state;
    struct stream *s = new_stream();
    const size_t sizes[2] = {260, 260};
    put_audio(s, RT__AUDIO_PROBE_MIN_FRAMES - 1, sizes, SIZE_MAX);
    struct rt__audio_traits t;
    assert_false(rt__audio_probe_ts(s->bytes, s->len, &t));
    assert_false(rt__audio_probe_ts(s->bytes, 0, &t));
    assert_false(rt__audio_probe_ts((const uint8_t *)"not a transport stream at all", 29, &t));
    free(s);
}

/* Frames that change their channels midway: nothing can be said of such a stream. */
static void audio_probe_mixed_frames_refused(void **state)
{
    (void)state;
    struct stream *s = new_stream();
    const size_t sizes[2] = {260, 260};
    put_audio(s, 100, sizes, 60);
    struct rt__audio_traits t;
    assert_false(rt__audio_probe_ts(s->bytes, s->len, &t));
    free(s);
}

static void audio_as_good_rules(void **state)
{
    (void)state;
    struct rt__audio_traits best = {2, 44100, 2, 128000, 200};
    struct rt__audio_traits same = best, slightly_less = best, half = best, mono = best,
                            other_rate = best, he = best;
    slightly_less.bitrate = 118000; /* 92 % */
    half.bitrate = 64000;
    mono.channels = 1;
    other_rate.sample_rate = 48000;
    he.object_type = 5;
    assert_true(rt__audio_as_good(&same, &best));
    assert_true(rt__audio_as_good(&slightly_less, &best));
    assert_false(rt__audio_as_good(&half, &best));
    assert_false(rt__audio_as_good(&mono, &best));
    assert_false(rt__audio_as_good(&other_rate, &best));
    assert_false(rt__audio_as_good(&he, &best));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(audio_probe_reads_profile_rate_channels_and_bit_rate),
        cmocka_unit_test(audio_probe_cut_anywhere),
        cmocka_unit_test(audio_probe_too_few_frames),
        cmocka_unit_test(audio_probe_mixed_frames_refused),
        cmocka_unit_test(audio_as_good_rules),
    };
    return cmocka_run_group_tests_name("audio", tests, NULL, NULL);
}
