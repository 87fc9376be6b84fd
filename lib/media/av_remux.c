/* The remux loop through libavformat (after FFmpeg's doc/examples/remux.c): TS in, the
 * container's muxer out, streams copied. */
#include "media/av_remux.h"
#include "base/i18n.h"

#include "media/av.h"
#include "media/av_audio.h"
#include "media/container.h"
#include "media/continuity.h"
#include "base/errors.h"
#include "base/http.h"
#include "media/image.h"
#include "media/mp4_trim.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where each input stream goes, and how its timestamps are kept continuous. */
struct track {
    int out_index;                   /* -1: not copied */
    struct rt__audio_encode *encode; /* NULL: copied as it is; else decoded and encoded again */
    struct rt__continuity clock;     /* input time base */
    int64_t last_out_dts;            /* in the output stream's time base */
    bool seen_out;
};

/*
 * The output file, written through our own AVIOContext rather than avio_open(): so that
 * write-back starts as the file grows (the final fdatasync() then finds little left to do)
 * and a full disk is reported as such.
 */
struct output {
    int fd;
    int64_t written_end; /* the highest offset written so far */
    int64_t synced;      /* bytes handed to write-back */
    int error;           /* the first errno seen */
};

struct remux {
    const struct rt__av *av; /* FFmpeg, loaded for this */
    const struct rt__mux_job *job;
    struct output file;
    int in_fd;           /* the downloaded stream, read through our own AVIOContext */
    int64_t reserved;    /* bytes kept for the moov box before mdat; 0: +faststart instead */
    bool trailer_failed; /* av_write_trailer() refused: with `reserved`, the room was too small */
    AVFormatContext *in, *out;
    struct track *tracks;
    unsigned in_streams; /* how many `tracks` has */
    AVPacket *pkt;
    int64_t input_size;
    double last_report;
    double end_seconds; /* the latest timestamp written, for the duration check */
};

static enum rt_code av_failure(const struct remux *r, int averr, const char *doing,
                               struct rt_error *err)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = "";
    /* Our own output reports a full disk as ENOSPC from write(), which lands here. */
    r->av->av_strerror(averr, text, sizeof text);
    if (averr == AVERROR(ENOSPC) || averr == AVERROR(EDQUOT) || averr == AVERROR(EFBIG))
        return rt__fail(err, RT_E_DISK_FULL, _("disk full while %s"), _(doing));
    if (averr == AVERROR(ENOMEM))
        return rt__fail(err, RT_E_NOMEM, NULL);
    return rt__fail(err, RT_E_REMUX, _("remux failed while %s: %s"), _(doing), text);
}

static void set_tag(const struct remux *r, AVDictionary **dict, const char *key, const char *value)
{
    if (value && *value)
        r->av->av_dict_set(dict, key, value, 0);
}

static void set_metadata(struct remux *r)
{
    for (size_t i = 0; i < r->job->tag_count; i++)
        set_tag(r, &r->out->metadata, r->job->tags[i].name, r->job->tags[i].value);
    /* A file of the audio alone: on its stream too, where Ogg keeps its comments (OpusTags). */
    if (rt_container_has_video(r->job->container))
        return;
    for (unsigned i = 0; i < r->out->nb_streams; i++)
        if (r->out->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO)
            for (size_t k = 0; k < r->job->tag_count; k++)
                set_tag(r, &r->out->streams[i]->metadata, r->job->tags[k].name,
                        r->job->tags[k].value);
}

static int output_write(void *opaque, uint8_t *buf, int size)
{
    struct output *o = opaque;
    for (int done = 0; done < size;) {
        ssize_t n = write(o->fd, buf + done, (size_t)(size - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            o->error = n < 0 ? errno : EIO;
            return AVERROR(o->error);
        }
        done += (int)n;
    }
    off_t pos = lseek(o->fd, 0, SEEK_CUR);
    if (pos > o->written_end)
        o->written_end = pos;
    if (o->written_end - o->synced >= (8 << 20)) {
        sync_file_range(o->fd, o->synced, o->written_end - o->synced, SYNC_FILE_RANGE_WRITE);
        o->synced = o->written_end;
    }
    return size;
}

static int64_t output_seek(void *opaque, int64_t offset, int whence)
{
    struct output *o = opaque;
    if (whence == AVSEEK_SIZE) {
        struct stat st;
        return fstat(o->fd, &st) == 0 ? st.st_size : AVERROR(errno);
    }
    off_t pos = lseek(o->fd, offset, whence & ~AVSEEK_FORCE);
    return pos < 0 ? AVERROR(errno) : pos;
}

static enum rt_code open_output(struct remux *r, struct rt_error *err)
{
    r->file.fd = open(r->job->output, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (r->file.fd < 0)
        return rt__io_error(errno, N_("creating"), r->job->output, err);
    enum { BUFFER = 256 << 10 };
    unsigned char *buffer = r->av->av_malloc(BUFFER);
    if (buffer && !(r->out->pb = r->av->avio_alloc_context(buffer, BUFFER, 1, &r->file, NULL,
                                                           output_write, output_seek)))
        r->av->av_free(buffer);
    if (!r->out->pb)
        return rt__fail(err, RT_E_NOMEM, NULL);
    r->out->flags |= AVFMT_FLAG_CUSTOM_IO;
    /* By default libavformat flushes after every packet (a write system call per 2 KB audio
     * frame: 486,000 of them for a 1 GiB file); the buffer is there to avoid exactly that. */
    r->out->flush_packets = 0;
    return RT_OK;
}

/* Flush our buffer and the file, so the final name never points at data only in memory. */
static enum rt_code close_output(struct remux *r, bool keep, struct rt_error *err)
{
    enum rt_code result = RT_OK;
    if (r->out && r->out->pb) {
        r->av->avio_flush(r->out->pb);
        r->av->av_freep(&r->out->pb->buffer);
        r->av->avio_context_free(&r->out->pb);
    }
    if (r->file.fd < 0)
        return RT_OK;
    if (keep && r->file.error)
        result = rt__io_error(r->file.error, N_("writing"), r->job->output, err);
    if (keep && result == RT_OK && fdatasync(r->file.fd) != 0)
        result = rt__io_error(errno, N_("flushing"), r->job->output, err);
    if (close(r->file.fd) != 0 && keep && result == RT_OK)
        result = rt__io_error(errno, N_("closing"), r->job->output, err);
    r->file.fd = -1;
    return result;
}

static int input_read(void *opaque, uint8_t *buf, int size)
{
    const struct remux *r = opaque;
    for (;;) {
        ssize_t n = read(r->in_fd, buf, (size_t)size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return AVERROR(errno);
        return n == 0 ? AVERROR_EOF : (int)n;
    }
}

static int64_t input_seek(void *opaque, int64_t offset, int whence)
{
    const struct remux *r = opaque;
    if (whence == AVSEEK_SIZE)
        return r->input_size;
    off_t pos = lseek(r->in_fd, offset, whence & ~AVSEEK_FORCE);
    return pos < 0 ? AVERROR(errno) : pos;
}

/* 64 KiB: each step back costs that much re-read; the AV1 remux went from 1.38x ffmpeg's CPU
 * (1 MiB) to 0.84x (bench/codecs.sh). */
#define FRAGMENTED_BUFFER (64 << 10)

/* The downloaded stream, read a mebibyte at a time (libavformat's own file reader takes
 * 32 KB per system call) and announced as sequential, so the kernel reads ahead. Fragmented
 * MP4 is read in smaller blocks: within each fragment the demuxer goes back and forth between
 * the video and the audio samples of its mdat, and every step back refills the buffer (with
 * 1 MiB, an AV1 stream was read 18 times over: bench/RESULTS-codecs.md). */
static enum rt_code open_input(struct remux *r, struct rt_error *err)
{
    const int BUFFER = r->job->fragmented ? FRAGMENTED_BUFFER : 1 << 20;
    struct stat st;
    r->in_fd = open(r->job->input, O_RDONLY | O_CLOEXEC);
    if (r->in_fd < 0 || fstat(r->in_fd, &st) != 0)
        return rt__io_error(errno, N_("reading"), r->job->input, err);
    r->input_size = st.st_size;
    posix_fadvise(r->in_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    unsigned char *buffer = r->av->av_malloc(BUFFER);
    AVIOContext *pb = NULL;
    if (buffer &&
        !(pb = r->av->avio_alloc_context(buffer, BUFFER, 0, r, input_read, NULL, input_seek)))
        r->av->av_free(buffer);
    if (!pb || !(r->in = r->av->avformat_alloc_context())) {
        if (pb) {
            r->av->av_freep(&pb->buffer);
            r->av->avio_context_free(&pb);
        }
        return rt__fail(err, RT_E_NOMEM, NULL);
    }
    r->in->pb = pb;
    r->in->flags |= AVFMT_FLAG_CUSTOM_IO;
    /* Said, not probed: the playlist told which it is (#EXT-X-MAP for fragmented MP4). */
    const AVInputFormat *format =
        r->av->av_find_input_format(r->job->fragmented ? "mov" : "mpegts");
    int ret = r->av->avformat_open_input(&r->in, NULL, format, NULL);
    if (ret < 0) {
        r->in = NULL; /* freed by avformat_open_input; our AVIOContext is not */
        r->av->av_freep(&pb->buffer);
        r->av->avio_context_free(&pb);
        return av_failure(r, ret, N_("opening the downloaded stream"), err);
    }
    ret = r->av->avformat_find_stream_info(r->in, NULL);
    if (ret < 0)
        return av_failure(r, ret, N_("reading the downloaded stream"), err);
    return RT_OK;
}

/* avformat_close_input() leaves a custom AVIOContext alone. */
static void close_input(struct remux *r)
{
    AVIOContext *pb = r->in ? r->in->pb : NULL;
    r->av->avformat_close_input(&r->in);
    if (pb) {
        r->av->av_freep(&pb->buffer);
        r->av->avio_context_free(&pb);
    }
    if (r->in_fd >= 0)
        close(r->in_fd);
    r->in_fd = -1;
}

/* A stream of the output for input stream `i`: its parameters copied, or those of the
 * container's audio encoder (container.h) for an audio stream to encode. */
static enum rt_code add_stream(struct remux *r, unsigned i, int64_t start, struct rt_error *err)
{
    AVStream *in_st = r->in->streams[i];
    AVStream *out_st = r->av->avformat_new_stream(r->out, NULL);
    if (!out_st)
        return rt__fail(err, RT_E_NOMEM, NULL);
    /* Every stream moves by the same amount, so that audio and video stay in sync and the
     * earliest one (or a section's start) is at 0; what comes before a section's start keeps
     * negative times, hidden by the MP4's edit list. */
    int64_t cut = (int64_t)(r->job->cut_start * AV_TIME_BASE + 0.5);
    r->tracks[i].clock.shift = r->av->av_rescale_q(start + cut, AV_TIME_BASE_Q, in_st->time_base);
    r->tracks[i].clock.close_holes = r->job->close_holes;
    const char *encoder = rt__container_audio_encoder(r->job->container);
    if (encoder && in_st->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) {
        const struct rt__av_codec *codec = rt__av_codec_load(err);
        if (!codec)
            return RT_E_UNSUPPORTED;
        r->tracks[i].out_index = out_st->index;
        enum rt_code result = rt__audio_encode_open(r->av, codec, in_st, encoder, r->out, out_st,
                                                    &r->tracks[i].encode, err);
        const struct rt__mux_job *job = r->job;
        if (result == RT_OK && (job->cut_start > 0 || job->cut_end > 0))
            rt__audio_encode_set_window(r->tracks[i].encode,
                                        job->cut_end > 0 ? job->cut_end - job->cut_start : 0);
        return result;
    }
    int ret = r->av->avcodec_parameters_copy(out_st->codecpar, in_st->codecpar);
    if (ret < 0)
        return av_failure(r, ret, N_("copying stream parameters"), err);
    out_st->codecpar->codec_tag = 0; /* let the muxer pick its own tag */
    /* HEVC in an MP4: "hvc1" (parameter sets in the sample entry only), the tag Apple's
     * players insist on, where libavformat's default "hev1" leaves them refusing it. */
    if (in_st->codecpar->codec_id == AV_CODEC_ID_HEVC && strcmp(r->out->oformat->name, "mp4") == 0)
        out_st->codecpar->codec_tag = MKTAG('h', 'v', 'c', '1');
    out_st->time_base = in_st->time_base;
    r->tracks[i].out_index = out_st->index;
    return RT_OK;
}

/* Video (where the container holds it) and audio streams go in; data streams (timed ID3 and
 * the like) do not. A file of the audio alone takes the first audio stream. */
static enum rt_code add_av_streams(struct remux *r, struct rt_error *err)
{
    bool with_video = rt_container_has_video(r->job->container);
    int videos = 0, audios = 0;
    r->tracks = r->av->av_calloc(r->in->nb_streams, sizeof *r->tracks);
    if (!r->tracks)
        return rt__fail(err, RT_E_NOMEM, NULL);
    r->in_streams = r->in->nb_streams;
    int64_t start = r->in->start_time != AV_NOPTS_VALUE ? r->in->start_time : 0;
    for (unsigned i = 0; i < r->in->nb_streams; i++)
        r->tracks[i].out_index = -1;
    for (unsigned i = 0; i < r->in->nb_streams; i++) {
        const AVCodecParameters *par = r->in->streams[i]->codecpar;
        bool video = par->codec_type == AVMEDIA_TYPE_VIDEO;
        bool audio = par->codec_type == AVMEDIA_TYPE_AUDIO;
        if ((!video && !audio) || par->codec_id == AV_CODEC_ID_NONE || (video && !with_video) ||
            (audio && !with_video && audios > 0))
            continue;
        enum rt_code result = add_stream(r, i, start, err);
        if (result != RT_OK)
            return result;
        videos += video;
        audios += audio;
    }
    if (with_video && videos == 0)
        return rt__fail(err, RT_E_REMUX, _("remux failed: the downloaded stream has no video"));
    if (!with_video && audios == 0)
        return rt__fail(err, RT_E_REMUX, _("remux failed: the downloaded stream has no audio"));
    return RT_OK;
}

static enum rt_code add_cover(struct remux *r, int *index, struct rt_error *err)
{
    *index = -1;
    if (!r->job->cover)
        return RT_OK;
    struct rt__image img = rt__image_sniff(r->job->cover, r->job->cover_len);
    if (img.kind != RT__IMAGE_JPEG && img.kind != RT__IMAGE_PNG) {
        rt__log(r->job->client, RT_LOG_WARN,
                _("the thumbnail is not JPEG or PNG; it is not embedded"));
        return RT_OK;
    }
    AVStream *st = r->av->avformat_new_stream(r->out, NULL);
    if (!st)
        return rt__fail(err, RT_E_NOMEM, NULL);
    st->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
    st->codecpar->codec_id = img.kind == RT__IMAGE_JPEG ? AV_CODEC_ID_MJPEG : AV_CODEC_ID_PNG;
    st->codecpar->width = img.width;
    st->codecpar->height = img.height;
    st->disposition = AV_DISPOSITION_ATTACHED_PIC;
    st->time_base = (AVRational){1, 90000};
    /* Matroska stores a cover as a named file; other muxers leave these alone. */
    r->av->av_dict_set(&st->metadata, "filename",
                       img.kind == RT__IMAGE_JPEG ? "cover.jpg" : "cover.png", 0);
    r->av->av_dict_set(&st->metadata, "mimetype",
                       img.kind == RT__IMAGE_JPEG ? "image/jpeg" : "image/png", 0);
    *index = st->index;
    return RT_OK;
}

/* The 3GPP timed text sample description mov_text tracks need: bottom centre, white, 18 px
 * "Serif" (3GPP TS 26.245, TextSampleEntry after its box header). */
static const uint8_t tx3g_defaults[] = {
    0x00, 0x00, 0x00, 0x00,                         /* display flags */
    0x01, 0xFF,                                     /* centred, at the bottom */
    0x00, 0x00, 0x00, 0x00,                         /* background: transparent */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* text box: the whole frame */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, /* style */
    0x00, 0x00, 0x00, 0x12, 'f',  't',  'a',  'b',  0x00, 0x01, 0x00, 0x01,
    0x05, 'S',  'e',  'r',  'i',  'f', /* font table */
};

/* The subtitle codec the container's row names (container.h). */
static enum rt_code subtitle_codec(const struct remux *r, enum AVCodecID *id, struct rt_error *err)
{
    const char *name = rt__container_subtitle_codec(r->job->container);
    const AVCodecDescriptor *codec = name ? r->av->avcodec_descriptor_get_by_name(name) : NULL;
    if (!codec || codec->type != AVMEDIA_TYPE_SUBTITLE)
        return rt__fail(err, RT_E_REMUX, _("remux failed: %s files hold no subtitle tracks"),
                        rt_container_extension(r->job->container));
    *id = codec->id;
    return RT_OK;
}

static enum rt_code add_subtitle_streams(struct remux *r, int *first, struct rt_error *err)
{
    *first = (int)r->out->nb_streams;
    enum AVCodecID codec = AV_CODEC_ID_NONE;
    if (r->job->sub_count > 0) {
        enum rt_code result = subtitle_codec(r, &codec, err);
        if (result != RT_OK)
            return result;
    }
    for (size_t i = 0; i < r->job->sub_count; i++) {
        const struct rt__mux_subtitle *sub = &r->job->subs[i];
        AVStream *st = r->av->avformat_new_stream(r->out, NULL);
        if (!st)
            return rt__fail(err, RT_E_NOMEM, NULL);
        st->codecpar->codec_type = AVMEDIA_TYPE_SUBTITLE;
        st->codecpar->codec_id = codec;
        st->time_base = (AVRational){1, 1000};
        if (codec == AV_CODEC_ID_MOV_TEXT) {
            st->codecpar->extradata =
                r->av->av_mallocz(sizeof tx3g_defaults + AV_INPUT_BUFFER_PADDING_SIZE);
            if (!st->codecpar->extradata)
                return rt__fail(err, RT_E_NOMEM, NULL);
            memcpy(st->codecpar->extradata, tx3g_defaults, sizeof tx3g_defaults);
            st->codecpar->extradata_size = sizeof tx3g_defaults;
        }
        r->av->av_dict_set(&st->metadata, "language", rt__subs_lang3(sub->lang), 0);
        set_tag(r, &st->metadata, "title", sub->title);
        set_tag(r, &st->metadata, "handler_name", sub->title);
    }
    return RT_OK;
}

/* The job's chapters as the output's AVChapters, before the header: Matroska writes them
 * there, the mp4 muxer makes its chpl box and its QuickTime chapter track from them. They end
 * where the playlist says the stream does. avformat_free_context() frees them. */
static enum rt_code add_chapters(struct remux *r, struct rt_error *err)
{
    double last_end;
    size_t n = rt__mux_chapters_within(r->job->chapters, r->job->chapter_count,
                                       r->job->expected_duration, &last_end);
    if (n == 0 || !rt__container_holds(r->job->container, RT_HOLDS_CHAPTERS))
        return RT_OK;
    if (!(r->out->chapters = r->av->av_calloc(n, sizeof *r->out->chapters)))
        return rt__fail(err, RT_E_NOMEM, NULL);
    /* A part's chapters are on its clock (0 at the section's start). A muxer without edit
     * lists (Matroska) moves the key frame before that start to 0 instead of hiding it, and
     * encoded audio starts at the cut itself: the chapters move with the file's clock, the
     * first one covering the lead-in. */
    double lead_in = 0;
    if (!(r->out->oformat->flags & AVFMT_TS_NEGATIVE) &&
        !rt__container_audio_encoder(r->job->container))
        lead_in = r->job->cut_start;
    const AVRational ms = {1, 1000};
    for (size_t i = 0; i < n; i++) {
        const struct rt_chapter *from = &r->job->chapters[i];
        AVChapter *c = r->av->av_mallocz(sizeof *c);
        if (!c)
            return rt__fail(err, RT_E_NOMEM, NULL);
        r->out->chapters[r->out->nb_chapters++] = c;
        c->id = (int64_t)i + 1; /* Matroska's ChapterUID: never 0 */
        c->time_base = ms;
        c->start = from->start <= 0 ? 0 : llround((from->start + lead_in) * 1000);
        c->end = llround(((i + 1 < n ? from->end : last_end) + lead_in) * 1000);
        if (r->av->av_dict_set(&c->metadata, "title", from->title, 0) < 0)
            return rt__fail(err, RT_E_NOMEM, NULL);
    }
    return RT_OK;
}

static enum rt_code write_packet(struct remux *r, AVPacket *pkt, struct rt_error *err)
{
    int ret = r->av->av_interleaved_write_frame(r->out, pkt);
    if (ret < 0)
        return av_failure(r, ret, N_("writing the new file"), err);
    return RT_OK;
}

static enum rt_code write_cover(struct remux *r, int index, struct rt_error *err)
{
    if (index < 0)
        return RT_OK;
    AVPacket *pkt = r->pkt;
    if (r->av->av_new_packet(pkt, (int)r->job->cover_len) < 0)
        return rt__fail(err, RT_E_NOMEM, NULL);
    memcpy(pkt->data, r->job->cover, r->job->cover_len);
    pkt->stream_index = index;
    pkt->flags |= AV_PKT_FLAG_KEY;
    pkt->pts = pkt->dts = 0;
    return write_packet(r, pkt, err);
}

/* Every cue as one packet: mov_text samples are a 16-bit length and the text; SubRip packets
 * are the text. The muxer's interleaver puts them in place among the audio and video. */
static enum rt_code write_subtitles(struct remux *r, int first, struct rt_error *err)
{
    for (size_t i = 0; i < r->job->sub_count; i++) {
        AVStream *st = r->out->streams[first + (int)i];
        bool mp4 = st->codecpar->codec_id == AV_CODEC_ID_MOV_TEXT;
        const struct rt__cues *cues = r->job->subs[i].cues;
        for (size_t k = 0; k < cues->count; k++) {
            const struct rt__cue *cue = &cues->cues[k];
            size_t len = strlen(cue->text);
            if (len > 65535)
                len = 65535;
            size_t size = len + (mp4 ? 2 : 0);
            if (r->av->av_new_packet(r->pkt, (int)size) < 0)
                return rt__fail(err, RT_E_NOMEM, NULL);
            uint8_t *p = r->pkt->data;
            if (mp4) {
                *p++ = (uint8_t)(len >> 8);
                *p++ = (uint8_t)len;
            }
            memcpy(p, cue->text, len);
            AVRational ms = {1, 1000};
            r->pkt->stream_index = st->index;
            r->pkt->pts = r->pkt->dts = r->av->av_rescale_q(cue->start_ms, ms, st->time_base);
            r->pkt->duration = r->av->av_rescale_q(cue->end_ms - cue->start_ms, ms, st->time_base);
            r->pkt->flags |= AV_PKT_FLAG_KEY;
            enum rt_code result = write_packet(r, r->pkt, err);
            if (result != RT_OK)
                return result;
        }
    }
    return RT_OK;
}

static void report(struct remux *r, bool final)
{
    int64_t pos = final ? r->input_size : r->av->avio_seek(r->in->pb, 0, SEEK_CUR);
    rt__mux_report(r->job, pos > 0 ? (uint64_t)pos : 0,
                   r->input_size > 0 ? (uint64_t)r->input_size : 0, final, &r->last_report);
}

/* Keep one stream's timestamps continuous (continuity.h); a hole of more than RT__HOLE_MS is
 * data that never arrived: an error saying where. */
static enum rt_code continue_timestamps(struct remux *r, struct track *t, AVPacket *pkt,
                                        AVRational tb, struct rt_error *err)
{
    if (pkt->dts == AV_NOPTS_VALUE)
        pkt->dts = pkt->pts;
    if (pkt->dts == AV_NOPTS_VALUE)
        return RT_OK; /* the muxer fills it in */
    if (pkt->pts == AV_NOPTS_VALUE)
        pkt->pts = pkt->dts;
    int64_t hole = r->av->av_rescale_q(RT__HOLE_MS, (AVRational){1, 1000}, tb);
    int64_t gap;
    if (!rt__continuity_apply(&t->clock, &pkt->dts, &pkt->pts, pkt->duration, hole, &gap)) {
        double at = (double)t->clock.last_dts * av_q2d(tb);
        return rt__fail(err, RT_E_REMUX,
                        _("remux failed: the downloaded stream is damaged (%.1f s of it are "
                          "missing after %d:%02d)"),
                        (double)gap * av_q2d(tb), (int)at / 60, (int)at % 60);
    }
    double end = (double)(pkt->dts + (pkt->duration > 0 ? pkt->duration : 0)) * av_q2d(tb);
    if (end > r->end_seconds)
        r->end_seconds = end;
    return RT_OK;
}

/* Whether a packet (its times already moved, in `tb`) is decoded after a section's end: no
 * frame shown in the section can need it. */
static bool past_cut(const struct remux *r, const AVPacket *pkt, AVRational tb)
{
    const struct rt__mux_job *job = r->job;
    if (job->cut_end <= 0 || pkt->dts == AV_NOPTS_VALUE)
        return false;
    int64_t length = (int64_t)((job->cut_end - job->cut_start) * AV_TIME_BASE + 0.5);
    return pkt->dts >= r->av->av_rescale_q(length, AV_TIME_BASE_Q, tb);
}

/* An encoded audio packet (av_audio.c) into the file. */
static enum rt_code write_encoded(AVPacket *pkt, void *data, struct rt_error *err)
{
    return write_packet(data, pkt, err);
}

/* What the encoders still hold, at the end of the input. */
static enum rt_code finish_encoders(struct remux *r, struct rt_error *err)
{
    for (unsigned i = 0; i < r->in->nb_streams; i++) {
        if (!r->tracks[i].encode)
            continue;
        enum rt_code result = rt__audio_encode_finish(r->tracks[i].encode, write_encoded, r, err);
        if (result != RT_OK)
            return result;
        double seconds = rt__audio_encode_seconds(r->tracks[i].encode);
        if (seconds > r->end_seconds)
            r->end_seconds = seconds;
    }
    return RT_OK;
}

static enum rt_code copy_packets(struct remux *r, struct rt_error *err)
{
    AVPacket *pkt = r->pkt;
    for (;;) {
        if (rt__cancelled(r->job->client, r->job->cancel))
            return rt__fail(err, RT_E_CANCELLED, NULL);
        int ret = r->av->av_read_frame(r->in, pkt);
        if (ret == AVERROR_EOF)
            return finish_encoders(r, err);
        if (ret < 0)
            return av_failure(r, ret, N_("reading the downloaded stream"), err);
        if ((unsigned)pkt->stream_index >= r->in->nb_streams ||
            r->tracks[pkt->stream_index].out_index < 0) {
            r->av->av_packet_unref(pkt); /* a stream that appeared late, or one not copied */
            continue;
        }
        struct track *t = &r->tracks[pkt->stream_index];
        AVRational in_tb = r->in->streams[pkt->stream_index]->time_base;
        enum rt_code result = continue_timestamps(r, t, pkt, in_tb, err);
        if (result == RT_OK && past_cut(r, pkt, in_tb)) {
            r->av->av_packet_unref(pkt);
            continue;
        }
        if (result == RT_OK && t->encode)
            result = rt__audio_encode_packet(t->encode, pkt, write_encoded, r, err);
        if (result != RT_OK || t->encode) {
            r->av->av_packet_unref(pkt);
            if (result != RT_OK)
                return result;
            report(r, false);
            continue;
        }
        AVStream *out_st = r->out->streams[t->out_index];
        r->av->av_packet_rescale_ts(pkt, in_tb, out_st->time_base);
        /* Two packets a tick apart in 1/90000 s can round to one tick of 1/44100 s; the
         * muxer needs every dts to rise. */
        if (pkt->dts != AV_NOPTS_VALUE) {
            if (t->seen_out && pkt->dts <= t->last_out_dts) {
                int64_t lift = t->last_out_dts + 1 - pkt->dts;
                pkt->dts += lift;
                if (pkt->pts != AV_NOPTS_VALUE && pkt->pts < pkt->dts)
                    pkt->pts = pkt->dts;
            }
            t->last_out_dts = pkt->dts;
            t->seen_out = true;
        }
        pkt->stream_index = t->out_index;
        pkt->pos = -1;
        result = write_packet(r, pkt, err);
        if (result != RT_OK)
            return result;
        report(r, false);
    }
}

/*
 * Room for the moov box in front of mdat, so the file comes out "fast start" in one pass:
 * +faststart writes the whole file a second time to move moov forward (for 1 GiB, 1.8 of
 * 5.6 s here). A video sample costs moov about 12 bytes (size, composition offset, chunk
 * share), an audio sample about 5; 28 and 10 leave a margin of ~1.5x, and a reservation the
 * muxer finds too small falls back to +faststart. Returns 0 when the duration is unknown.
 */
static int64_t moov_reservation(const struct remux *r)
{
    double duration = r->job->expected_duration;
    if (duration <= 0 && r->in->duration > 0)
        duration = (double)r->in->duration / AV_TIME_BASE;
    if (duration <= 0 || duration > 48 * 3600)
        return 0;
    double bytes_per_second = 0;
    for (unsigned i = 0; i < r->in->nb_streams; i++) {
        if (r->tracks[i].out_index < 0)
            continue;
        const AVStream *st = r->in->streams[i];
        if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) {
            double fps = av_q2d(st->avg_frame_rate);
            bytes_per_second += 28 * (fps > 0 && fps <= 240 ? fps : 60);
        } else {
            int rate = st->codecpar->sample_rate, frame = st->codecpar->frame_size;
            bytes_per_second += 10 * (rate > 0 ? (double)rate / (frame > 0 ? frame : 1024) : 50);
        }
    }
    size_t cues = 0;
    for (size_t i = 0; i < r->job->sub_count; i++)
        cues += r->job->subs[i].cues->count;
    /* Plus the tags (a description runs to a few KB), the cover, the subtitle samples and the
     * chapters: a title in chpl, a sample of the chapter track (its tables and its text). */
    size_t chapter_bytes = 0;
    for (size_t i = 0; i < r->job->chapter_count; i++)
        chapter_bytes += 2 * strlen(r->job->chapters[i].title) + 64;
    return (int64_t)(duration * bytes_per_second) + (int64_t)r->job->cover_len +
           (int64_t)cues * 32 + (int64_t)chapter_bytes + (64 << 10);
}

/*
 * A section's MP4 made to last the section (mp4_trim.h): libavformat ends each edit list at the
 * last frame shown, and with reordered frames (HEVC) that is a few frames past the end. The
 * frames stay, those shown within the section need them. A file whose boxes the walk does not
 * understand is kept as libavformat wrote it: it plays, only its last frames too long.
 */
static enum rt_code trim_to_section(struct remux *r, struct rt_error *err)
{
    const struct rt__mux_job *job = r->job;
    r->av->avio_flush(r->out->pb); /* the trailer's last bytes, before reading them back */
    if (r->file.error)
        return RT_OK; /* close_output() reports it */
    int errnum;
    switch (rt__mp4_trim(r->file.fd, job->cut_end - job->cut_start, &errnum)) {
    case RT__MP4_TRIM_OK:
        break;
    case RT__MP4_TRIM_IO:
        return rt__io_error(errnum, N_("writing"), job->output, err);
    case RT__MP4_TRIM_MALFORMED:
        rt__log(job->client, RT_LOG_DEBUG, "%s: edit lists not shortened (unexpected boxes)",
                job->output);
        break;
    }
    return RT_OK;
}

static enum rt_code remux(struct remux *r, struct rt_error *err)
{
    const struct rt__mux_job *job = r->job;
    const char *format = rt__container_muxer(job->container);
    /* moov_size and +faststart are options of the MP4 muxers (those that write a moov). */
    bool has_moov = format && (strcmp(format, "mp4") == 0 || strcmp(format, "ipod") == 0);
    int cover_index, first_sub;
    if (!format)
        return rt__fail(err, RT_E_USAGE, "%s files are not remuxed",
                        rt_container_extension(job->container));
    enum rt_code result = open_input(r, err);
    if (result != RT_OK)
        return result;
    int ret = r->av->avformat_alloc_output_context2(&r->out, NULL, format, job->output);
    if (ret < 0 || !r->out)
        return av_failure(r, ret < 0 ? ret : AVERROR(ENOMEM), N_("preparing the new file"), err);
    if ((result = add_av_streams(r, err)) != RT_OK ||
        (result = add_cover(r, &cover_index, err)) != RT_OK ||
        (result = add_subtitle_streams(r, &first_sub, err)) != RT_OK ||
        (result = add_chapters(r, err)) != RT_OK)
        return result;
    if (r->reserved < 0)
        r->reserved = has_moov ? moov_reservation(r) : 0;
    set_metadata(r);
    result = open_output(r, err);
    if (result != RT_OK)
        return result;
    /* moov before mdat: the file plays while it is still being copied or fetched. */
    AVDictionary *options = NULL;
    if (has_moov && r->reserved > 0)
        r->av->av_dict_set_int(&options, "moov_size", r->reserved, 0);
    else if (has_moov)
        r->av->av_dict_set(&options, "movflags", "+faststart", 0);
    ret = r->av->avformat_write_header(r->out, &options);
    r->av->av_dict_free(&options);
    if (ret < 0)
        return av_failure(r, ret, N_("writing the new file's header"), err);
    if ((result = write_cover(r, cover_index, err)) != RT_OK ||
        (result = write_subtitles(r, first_sub, err)) != RT_OK ||
        (result = copy_packets(r, err)) != RT_OK)
        return result;
    ret = r->av->av_write_trailer(r->out);
    if (ret < 0) {
        r->trailer_failed = true;
        return av_failure(r, ret, N_("finishing the new file"), err);
    }
    if (has_moov && job->cut_end > 0 && (result = trim_to_section(r, err)) != RT_OK)
        return result;
    if (job->expected_duration > 0 && r->end_seconds < job->expected_duration - 2.0)
        rt__log(job->client, RT_LOG_WARN, _("the stream lasts %.1f s, the playlist says %.1f s"),
                r->end_seconds, job->expected_duration);
    report(r, true);
    return RT_OK;
}

enum rt_code rt__av_remux(const struct rt__av *av, const struct rt__mux_job *job, int64_t reserved,
                          bool *moov_too_small, struct rt_error *err)
{
    struct remux state, *r = &state;
    memset(r, 0, sizeof *r);
    r->av = av;
    r->job = job;
    r->reserved = reserved;
    r->file.fd = -1;
    r->in_fd = -1;
    r->pkt = r->av->av_packet_alloc();
    enum rt_code result = r->pkt ? remux(r, err) : rt__fail(err, RT_E_NOMEM, NULL);
    /* Only the trailer can find the reservation too small, and then the data itself was fine. */
    *moov_too_small = result == RT_E_REMUX && r->trailer_failed && r->reserved > 0;

    r->av->av_packet_free(&r->pkt);
    close_input(r);
    enum rt_code closed = close_output(r, result == RT_OK, err);
    if (result == RT_OK)
        result = closed;
    r->av->avformat_free_context(r->out);
    for (unsigned i = 0; r->tracks && i < r->in_streams; i++)
        rt__audio_encode_free(r->tracks[i].encode);
    r->av->av_free(r->tracks);
    if (result != RT_OK)
        unlink(job->output);
    return result;
}
