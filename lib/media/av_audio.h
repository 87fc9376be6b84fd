/* RuTube's AAC decoded and encoded again (MP3, Opus, FLAC) inside the libavformat remux. */
#ifndef RT_LIB_MEDIA_AV_AUDIO_H
#define RT_LIB_MEDIA_AV_AUDIO_H

#include "media/av.h"

struct rt__audio_encode;

/* Where each encoded packet goes (its stream index and time base already the output's). */
typedef enum rt_code (*rt__audio_packet_fn)(AVPacket *pkt, void *data, struct rt_error *err);

/*
 * Prepare decoding `in` and encoding with FFmpeg's `encoder` ("libmp3lame", "libopus", "flac")
 * into `out`, a new stream of `muxer` whose parameters and time base this sets: the input's
 * sample rate where the encoder takes it (Opus: 48 kHz), mono or stereo kept (more channels
 * mixed down to stereo), MP3 as LAME's VBR quality 2 (about 190 kbit/s), Opus at 64 kbit/s a
 * channel, FLAC 16 bits at its default compression. Call before avformat_write_header().
 * Errors: RT_E_UNSUPPORTED (FFmpeg without that encoder), RT_E_REMUX, RT_E_NOMEM.
 */
enum rt_code rt__audio_encode_open(const struct rt__av *av, const struct rt__av_codec *codec,
                                   const AVStream *in, const char *encoder, AVFormatContext *muxer,
                                   AVStream *out, struct rt__audio_encode **enc,
                                   struct rt_error *err);

/* Keep only the samples from time 0 (the input's times already moved so that a section
 * starts there) to `end` seconds (0: to the end): a cut to the sample, as encoding allows. */
void rt__audio_encode_set_window(struct rt__audio_encode *enc, double end);

/* One input packet (in the input stream's time base): decoded, and what is ready encoded and
 * handed to `fn`. A packet the decoder refuses (a damaged frame) is skipped, as players do. */
enum rt_code rt__audio_encode_packet(struct rt__audio_encode *enc, const AVPacket *pkt,
                                     rt__audio_packet_fn fn, void *data, struct rt_error *err);

/* The end: what the decoder, the resampler and the encoder still hold, handed to `fn`. */
enum rt_code rt__audio_encode_finish(struct rt__audio_encode *enc, rt__audio_packet_fn fn,
                                     void *data, struct rt_error *err);

/* Seconds of audio encoded so far (the file's length). */
double rt__audio_encode_seconds(const struct rt__audio_encode *enc);

void rt__audio_encode_free(struct rt__audio_encode *enc);

#endif
