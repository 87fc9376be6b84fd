/* FFmpeg's libraries, loaded the first time a remux needs them. */
#ifndef RT_LIB_AV_H
#define RT_LIB_AV_H

#include "rutube/rutube.h"

#include <libavcodec/avcodec.h>
#include <libavcodec/codec_desc.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

/*
 * Why not link them: libavformat pulls in libavcodec and with it every codec library Debian
 * builds it with (x265, librsvg, ICU, glib...), and loading those touches ~24 MB of pages
 * before the first byte is fetched. A TS download never needs them, and an MP4 download
 * needs them only after the segments are in, when the engine's memory is already freed.
 * The pointers have the headers' own types, so calls are checked as if linked.
 */
#define RT__AV_FUNCTIONS(X)                                                                        \
    X(av_calloc)                                                                                   \
    X(av_dict_free)                                                                                \
    X(av_dict_set)                                                                                 \
    X(av_dict_set_int)                                                                             \
    X(av_find_input_format)                                                                        \
    X(av_free)                                                                                     \
    X(av_freep)                                                                                    \
    X(av_interleaved_write_frame)                                                                  \
    X(av_log_get_level)                                                                            \
    X(av_log_set_level)                                                                            \
    X(av_malloc)                                                                                   \
    X(av_mallocz)                                                                                  \
    X(av_new_packet)                                                                               \
    X(av_packet_alloc)                                                                             \
    X(av_packet_free)                                                                              \
    X(av_packet_rescale_ts)                                                                        \
    X(av_packet_unref)                                                                             \
    X(av_read_frame)                                                                               \
    X(av_rescale_q)                                                                                \
    X(av_strerror)                                                                                 \
    X(av_write_trailer)                                                                            \
    X(avcodec_descriptor_get_by_name)                                                              \
    X(avcodec_parameters_copy)                                                                     \
    X(avformat_alloc_context)                                                                      \
    X(avformat_alloc_output_context2)                                                              \
    X(avformat_close_input)                                                                        \
    X(avformat_find_stream_info)                                                                   \
    X(avformat_free_context)                                                                       \
    X(avformat_new_stream)                                                                         \
    X(avformat_open_input)                                                                         \
    X(avformat_version)                                                                            \
    X(avformat_write_header)                                                                       \
    X(avio_alloc_context)                                                                          \
    X(avio_context_free)                                                                           \
    X(avio_flush)                                                                                  \
    X(avio_seek)

struct rt__av {
#define RT__AV_POINTER(name) __typeof__(name) *name;
    RT__AV_FUNCTIONS(RT__AV_POINTER)
#undef RT__AV_POINTER
};

/* What encoding audio needs besides (libavcodec, libavutil, libswresample): looked up only when
 * a download asks for MP3, Opus or FLAC, so that a missing encoder library never stops a
 * remux. Found through libavformat's handle, which reaches its dependencies. */
#define RT__AV_CODEC_FUNCTIONS(X)                                                                  \
    X(av_audio_fifo_alloc)                                                                         \
    X(av_audio_fifo_free)                                                                          \
    X(av_audio_fifo_read)                                                                          \
    X(av_audio_fifo_size)                                                                          \
    X(av_audio_fifo_write)                                                                         \
    X(av_channel_layout_copy)                                                                      \
    X(av_channel_layout_default)                                                                   \
    X(av_channel_layout_uninit)                                                                    \
    X(av_frame_alloc)                                                                              \
    X(av_frame_free)                                                                               \
    X(av_frame_get_buffer)                                                                         \
    X(av_frame_unref)                                                                              \
    X(av_get_bytes_per_sample)                                                                     \
    X(av_opt_set)                                                                                  \
    X(av_sample_fmt_is_planar)                                                                     \
    X(av_samples_set_silence)                                                                      \
    X(avcodec_alloc_context3)                                                                      \
    X(avcodec_find_decoder)                                                                        \
    X(avcodec_find_encoder_by_name)                                                                \
    X(avcodec_free_context)                                                                        \
    X(avcodec_open2)                                                                               \
    X(avcodec_parameters_from_context)                                                             \
    X(avcodec_parameters_to_context)                                                               \
    X(avcodec_receive_frame)                                                                       \
    X(avcodec_receive_packet)                                                                      \
    X(avcodec_send_frame)                                                                          \
    X(avcodec_send_packet)                                                                         \
    X(swr_alloc_set_opts2)                                                                         \
    X(swr_convert)                                                                                 \
    X(swr_free)                                                                                    \
    X(swr_get_out_samples)                                                                         \
    X(swr_init)

struct rt__av_codec {
#define RT__AV_POINTER(name) __typeof__(name) *name;
    RT__AV_CODEC_FUNCTIONS(RT__AV_POINTER)
#undef RT__AV_POINTER
};

/*
 * The functions, loaded once (thread-safe). NULL when the libraries (of the major version
 * this was built against) are not installed; then `err` says so, as RT_E_UNSUPPORTED.
 * FFmpeg's own logging is quieted on load unless the application set a level itself: a
 * library must not print.
 */
const struct rt__av *rt__av_load(struct rt_error *err);

/* The encoding functions, once rt__av_load() succeeded (thread-safe). NULL, with `err` saying
 * which is missing (RT_E_UNSUPPORTED), when this FFmpeg lacks one. */
const struct rt__av_codec *rt__av_codec_load(struct rt_error *err);

#endif
