/* The audio transcoder declared in av_audio.h: decode, resample (libswresample), gather whole
 * encoder frames (an AVAudioFifo: AAC frames are 1024 samples, MP3's 1152, Opus's 960), encode. */
#include "media/av_audio.h"
#include "base/i18n.h"

#include "base/errors.h"

#include <stdlib.h>
#include <string.h>

struct rt__audio_encode {
    const struct rt__av *av;
    const struct rt__av_codec *c;
    AVCodecContext *decoder, *encoder;
    SwrContext *resampler;
    AVAudioFifo *fifo;
    AVFrame *decoded, *converted, *frame;
    AVPacket *pkt;
    AVRational out_time_base;
    int out_index;
    int frame_size; /* samples per encoder frame */
    bool trims;     /* samples before time 0 are dropped, and after `end` when it is > 0 */
    double end;
    int64_t next_pts; /* samples sent to the encoder */
};

static enum rt_code codec_failure(const struct rt__audio_encode *enc, int averr, const char *doing,
                                  struct rt_error *err)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = "";
    enc->av->av_strerror(averr, text, sizeof text);
    if (averr == AVERROR(ENOMEM))
        return rt__fail(err, RT_E_NOMEM, NULL);
    return rt__fail(err, RT_E_REMUX, _("encoding the audio failed while %s: %s"), _(doing), text);
}

/* The input's rate when the encoder takes it, else the encoder's highest up to 48 kHz. */
static int pick_rate(const AVCodec *codec, int wanted)
{
    if (!codec->supported_samplerates)
        return wanted;
    int best = 0;
    for (const int *r = codec->supported_samplerates; *r; r++) {
        if (*r == wanted)
            return wanted;
        if (*r <= 48000 && *r > best)
            best = *r;
    }
    return best > 0 ? best : codec->supported_samplerates[0];
}

/* Floating point where the encoder takes it (no quantizing twice), else its first format. */
static enum AVSampleFormat pick_format(const AVCodec *codec)
{
    if (!codec->sample_fmts)
        return AV_SAMPLE_FMT_FLTP;
    for (const enum AVSampleFormat *f = codec->sample_fmts; *f != AV_SAMPLE_FMT_NONE; f++)
        if (*f == AV_SAMPLE_FMT_FLTP || *f == AV_SAMPLE_FMT_FLT)
            return *f;
    return codec->sample_fmts[0];
}

static enum rt_code open_decoder(struct rt__audio_encode *enc, const AVStream *in,
                                 struct rt_error *err)
{
    const AVCodec *codec = enc->c->avcodec_find_decoder(in->codecpar->codec_id);
    if (!codec)
        return rt__fail(err, RT_E_UNSUPPORTED, _("this FFmpeg cannot decode the audio"));
    if (!(enc->decoder = enc->c->avcodec_alloc_context3(codec)))
        return rt__fail(err, RT_E_NOMEM, NULL);
    int ret = enc->c->avcodec_parameters_to_context(enc->decoder, in->codecpar);
    if (ret >= 0) {
        enc->decoder->pkt_timebase = in->time_base;
        ret = enc->c->avcodec_open2(enc->decoder, codec, NULL);
    }
    return ret < 0 ? codec_failure(enc, ret, N_("opening the decoder"), err) : RT_OK;
}

static enum rt_code open_encoder(struct rt__audio_encode *enc, const char *name,
                                 const AVFormatContext *muxer, struct rt_error *err)
{
    const AVCodec *codec = enc->c->avcodec_find_encoder_by_name(name);
    if (!codec)
        return rt__fail(err, RT_E_UNSUPPORTED,
                        _("this FFmpeg has no %s encoder (Debian's libavcodec59 has it)"), name);
    AVCodecContext *e = enc->encoder = enc->c->avcodec_alloc_context3(codec);
    if (!e)
        return rt__fail(err, RT_E_NOMEM, NULL);
    const AVCodecContext *d = enc->decoder;
    e->sample_rate = pick_rate(codec, d->sample_rate);
    e->sample_fmt = pick_format(codec);
    int channels = d->ch_layout.nb_channels > 2 ? 2 : d->ch_layout.nb_channels;
    enc->c->av_channel_layout_default(&e->ch_layout, channels > 0 ? channels : 2);
    e->time_base = (AVRational){1, e->sample_rate};
    if (strcmp(name, "libmp3lame") == 0) {
        e->flags |= AV_CODEC_FLAG_QSCALE; /* VBR: -q:a 2 */
        e->global_quality = 2 * FF_QP2LAMBDA;
    } else if (strcmp(name, "libopus") == 0) {
        e->bit_rate = 64000L * e->ch_layout.nb_channels;
    }
    if (muxer->oformat->flags & AVFMT_GLOBALHEADER)
        e->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    int ret = enc->c->avcodec_open2(e, codec, NULL);
    if (ret < 0)
        return codec_failure(enc, ret, N_("opening the encoder"), err);
    bool any_size = codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE;
    enc->frame_size = e->frame_size > 0 && !any_size ? e->frame_size : 1024;
    return RT_OK;
}

/* The frames and the FIFO; the resampler waits for the first decoded frame, whose layout,
 * format and rate are the decoder's real ones (a stream's parameters can be vague on those). */
static enum rt_code open_buffers(struct rt__audio_encode *enc, struct rt_error *err)
{
    const AVCodecContext *e = enc->encoder;
    enc->fifo =
        enc->c->av_audio_fifo_alloc(e->sample_fmt, e->ch_layout.nb_channels, enc->frame_size * 4);
    enc->decoded = enc->c->av_frame_alloc();
    enc->converted = enc->c->av_frame_alloc();
    enc->frame = enc->c->av_frame_alloc();
    enc->pkt = enc->av->av_packet_alloc();
    if (!enc->fifo || !enc->decoded || !enc->converted || !enc->frame || !enc->pkt)
        return rt__fail(err, RT_E_NOMEM, NULL);
    return RT_OK;
}

/* (libswresample 4 takes its layouts as non-const pointers.) */
static enum rt_code open_resampler(struct rt__audio_encode *enc, AVFrame *in, struct rt_error *err)
{
    AVCodecContext *e = enc->encoder;
    int ret =
        enc->c->swr_alloc_set_opts2(&enc->resampler, &e->ch_layout, e->sample_fmt, e->sample_rate,
                                    &in->ch_layout, in->format, in->sample_rate, 0, NULL);
    if (ret >= 0)
        ret = enc->c->swr_init(enc->resampler);
    return ret < 0 ? codec_failure(enc, ret, N_("preparing the resampler"), err) : RT_OK;
}

enum rt_code rt__audio_encode_open(const struct rt__av *av, const struct rt__av_codec *codec,
                                   const AVStream *in, const char *encoder, AVFormatContext *muxer,
                                   AVStream *out, struct rt__audio_encode **out_enc,
                                   struct rt_error *err)
{
    struct rt__audio_encode *enc = calloc(1, sizeof *enc);
    *out_enc = enc;
    if (!enc)
        return rt__fail(err, RT_E_NOMEM, NULL);
    enc->av = av;
    enc->c = codec;
    enc->out_index = out->index;
    enum rt_code result = open_decoder(enc, in, err);
    if (result == RT_OK)
        result = open_encoder(enc, encoder, muxer, err);
    if (result == RT_OK)
        result = open_buffers(enc, err);
    if (result != RT_OK)
        return result;
    int ret = codec->avcodec_parameters_from_context(out->codecpar, enc->encoder);
    if (ret < 0)
        return codec_failure(enc, ret, N_("copying stream parameters"), err);
    out->time_base = enc->encoder->time_base;
    enc->out_time_base = out->time_base;
    return RT_OK;
}

/* Every packet the encoder has ready, to `fn`. */
static enum rt_code drain_encoder(struct rt__audio_encode *enc, rt__audio_packet_fn fn, void *data,
                                  struct rt_error *err)
{
    for (;;) {
        int ret = enc->c->avcodec_receive_packet(enc->encoder, enc->pkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return RT_OK;
        if (ret < 0)
            return codec_failure(enc, ret, N_("encoding"), err);
        enc->pkt->stream_index = enc->out_index;
        /* The muxer's time base may differ from the encoder's after avformat_write_header(). */
        enc->av->av_packet_rescale_ts(enc->pkt, enc->encoder->time_base, enc->out_time_base);
        enum rt_code result = fn(enc->pkt, data, err);
        enc->av->av_packet_unref(enc->pkt);
        if (result != RT_OK)
            return result;
    }
}

/* One encoder frame of `samples` from the FIFO (`samples` may be short at the very end: the
 * rest of the frame is silence, unless the encoder takes a small last frame). */
static enum rt_code encode_from_fifo(struct rt__audio_encode *enc, int samples,
                                     rt__audio_packet_fn fn, void *data, struct rt_error *err)
{
    AVCodecContext *e = enc->encoder;
    AVFrame *f = enc->frame;
    bool small_last =
        e->codec->capabilities & (AV_CODEC_CAP_SMALL_LAST_FRAME | AV_CODEC_CAP_VARIABLE_FRAME_SIZE);
    f->nb_samples = samples < enc->frame_size && !small_last ? enc->frame_size : samples;
    f->format = e->sample_fmt;
    f->sample_rate = e->sample_rate;
    int ret = enc->c->av_channel_layout_copy(&f->ch_layout, &e->ch_layout);
    if (ret >= 0)
        ret = enc->c->av_frame_get_buffer(f, 0);
    if (ret < 0)
        return codec_failure(enc, ret, N_("encoding"), err);
    if (f->nb_samples > samples)
        enc->c->av_samples_set_silence(f->extended_data, samples, f->nb_samples - samples,
                                       e->ch_layout.nb_channels, e->sample_fmt);
    if (enc->c->av_audio_fifo_read(enc->fifo, (void **)f->extended_data, samples) < samples) {
        enc->c->av_frame_unref(f);
        return rt__fail(err, RT_E_REMUX, _("encoding the audio failed: samples went missing"));
    }
    f->pts = enc->next_pts;
    enc->next_pts += f->nb_samples;
    ret = enc->c->avcodec_send_frame(e, f);
    enc->c->av_frame_unref(f);
    if (ret < 0)
        return codec_failure(enc, ret, N_("encoding"), err);
    return drain_encoder(enc, fn, data, err);
}

void rt__audio_encode_set_window(struct rt__audio_encode *enc, double end)
{
    enc->trims = true;
    enc->end = end;
}

/* Which of `in`'s samples the window keeps: [*first, *last). */
static void window_of(const struct rt__audio_encode *enc, const AVFrame *in, int *first, int *last)
{
    *first = 0;
    *last = in->nb_samples;
    int64_t pts = in->pts != AV_NOPTS_VALUE ? in->pts : in->best_effort_timestamp;
    if (!enc->trims || pts == AV_NOPTS_VALUE)
        return;
    double t = (double)pts * av_q2d(enc->decoder->pkt_timebase);
    if (t < 0)
        *first = (int)(-t * in->sample_rate + 0.5);
    if (enc->end > 0)
        *last = (int)((enc->end - t) * in->sample_rate + 0.5);
    if (*first > in->nb_samples)
        *first = in->nb_samples;
    if (*last > in->nb_samples)
        *last = in->nb_samples;
    if (*last < *first)
        *last = *first;
}

/* Resample `in` (NULL: what the resampler still holds), the part of it the window keeps, into
 * the FIFO, then encode every whole frame it has. */
static enum rt_code convert_and_encode(struct rt__audio_encode *enc, AVFrame *in,
                                       rt__audio_packet_fn fn, void *data, struct rt_error *err)
{
    const AVCodecContext *e = enc->encoder;
    AVFrame *c = enc->converted;
    if (!enc->resampler && in) {
        enum rt_code result = open_resampler(enc, in, err);
        if (result != RT_OK)
            return result;
    }
    int first = 0, last = 0;
    const uint8_t *planes[64] = {NULL};
    if (in) {
        window_of(enc, in, &first, &last);
        if (last == first)
            return RT_OK; /* all of it outside the window */
        int channels = in->ch_layout.nb_channels;
        bool planar = enc->c->av_sample_fmt_is_planar(in->format);
        int step = enc->c->av_get_bytes_per_sample(in->format) * (planar ? 1 : channels);
        for (int ch = 0; ch < (planar ? channels : 1) && ch < 64; ch++)
            planes[ch] = in->extended_data[ch] + (size_t)first * (size_t)step;
    }
    int count = last - first;
    int room = enc->resampler ? enc->c->swr_get_out_samples(enc->resampler, in ? count : 0) : 0;
    if (room > 0) {
        c->nb_samples = room;
        c->format = e->sample_fmt;
        c->sample_rate = e->sample_rate;
        int ret = enc->c->av_channel_layout_copy(&c->ch_layout, &e->ch_layout);
        if (ret >= 0)
            ret = enc->c->av_frame_get_buffer(c, 0);
        if (ret >= 0)
            ret = enc->c->swr_convert(enc->resampler, c->extended_data, room, in ? planes : NULL,
                                      in ? count : 0);
        if (ret > 0 && enc->c->av_audio_fifo_write(enc->fifo, (void **)c->extended_data, ret) < ret)
            ret = AVERROR(ENOMEM);
        enc->c->av_frame_unref(c);
        if (ret < 0)
            return codec_failure(enc, ret, N_("resampling"), err);
    }
    while (enc->c->av_audio_fifo_size(enc->fifo) >= enc->frame_size) {
        enum rt_code result = encode_from_fifo(enc, enc->frame_size, fn, data, err);
        if (result != RT_OK)
            return result;
    }
    return RT_OK;
}

/* Every frame the decoder has ready, through the resampler and the encoder. */
static enum rt_code drain_decoder(struct rt__audio_encode *enc, rt__audio_packet_fn fn, void *data,
                                  struct rt_error *err)
{
    for (;;) {
        int ret = enc->c->avcodec_receive_frame(enc->decoder, enc->decoded);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return RT_OK;
        if (ret == AVERROR_INVALIDDATA)
            return RT_OK; /* a damaged frame: skipped, as players do */
        if (ret < 0)
            return codec_failure(enc, ret, N_("decoding"), err);
        enum rt_code result = convert_and_encode(enc, enc->decoded, fn, data, err);
        enc->c->av_frame_unref(enc->decoded);
        if (result != RT_OK)
            return result;
    }
}

enum rt_code rt__audio_encode_packet(struct rt__audio_encode *enc, const AVPacket *pkt,
                                     rt__audio_packet_fn fn, void *data, struct rt_error *err)
{
    int ret = enc->c->avcodec_send_packet(enc->decoder, pkt);
    if (ret < 0 && ret != AVERROR_INVALIDDATA && ret != AVERROR(EAGAIN))
        return codec_failure(enc, ret, N_("decoding"), err);
    return drain_decoder(enc, fn, data, err);
}

enum rt_code rt__audio_encode_finish(struct rt__audio_encode *enc, rt__audio_packet_fn fn,
                                     void *data, struct rt_error *err)
{
    int ret = enc->c->avcodec_send_packet(enc->decoder, NULL);
    enum rt_code result = ret < 0 && ret != AVERROR_EOF
                              ? codec_failure(enc, ret, N_("decoding"), err)
                              : drain_decoder(enc, fn, data, err);
    if (result == RT_OK)
        result = convert_and_encode(enc, NULL, fn, data, err);
    int left = result == RT_OK ? enc->c->av_audio_fifo_size(enc->fifo) : 0;
    if (left > 0)
        result = encode_from_fifo(enc, left, fn, data, err);
    if (result != RT_OK)
        return result;
    ret = enc->c->avcodec_send_frame(enc->encoder, NULL);
    if (ret < 0 && ret != AVERROR_EOF)
        return codec_failure(enc, ret, N_("encoding"), err);
    return drain_encoder(enc, fn, data, err);
}

double rt__audio_encode_seconds(const struct rt__audio_encode *enc)
{
    return enc && enc->encoder ? (double)enc->next_pts / enc->encoder->sample_rate : 0;
}

void rt__audio_encode_free(struct rt__audio_encode *enc)
{
    if (!enc)
        return;
    enc->c->avcodec_free_context(&enc->decoder);
    enc->c->avcodec_free_context(&enc->encoder);
    enc->c->swr_free(&enc->resampler);
    if (enc->fifo)
        enc->c->av_audio_fifo_free(enc->fifo);
    enc->c->av_frame_free(&enc->decoded);
    enc->c->av_frame_free(&enc->converted);
    enc->c->av_frame_free(&enc->frame);
    enc->av->av_packet_free(&enc->pkt);
    free(enc);
}
