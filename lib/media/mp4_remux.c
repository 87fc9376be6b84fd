/* The TS -> MP4 remux declared in mp4_remux.h: ts.c's PES packets into mp4.c's samples. */
#include "media/mp4_remux.h"
#include "base/i18n.h"

#include "media/adts.h"
#include "media/continuity.h"
#include "base/errors.h"
#include "media/h264.h"
#include "media/image.h"
#include "media/mp4.h"
#include "media/mp4_moov.h"
#include "media/ts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TS_CLOCK 90000
/* Lost data, as for mux.c (libavformat's pass then says so). */
#define HOLE_TICKS        ((int64_t)RT__HOLE_MS * TS_CLOCK / 1000)
#define READ_SIZE         (RT__TS_PACKET * 5577) /* about a mebibyte of whole packets */
#define MAX_PARAMETER_SET 256
#define MAX_PPS           8

struct parameter_set {
    uint8_t bytes[MAX_PARAMETER_SET];
    size_t len;
};

struct fast {
    const struct rt__mux_job *job;
    struct rt__mp4 *mp4;
    struct rt__continuity clocks[2]; /* 90 kHz */
    /* video */
    bool video_declared;
    struct parameter_set sps, pps[MAX_PPS];
    size_t pps_count;
    /* audio */
    bool audio_declared;
    struct rt__adts audio_format;
    int64_t audio_next; /* where the last packet's frames end, in samples */
    int64_t audio_last; /* the last frame's time */
    bool audio_started;
    /* the span written, 90 kHz, for the duration check */
    int64_t first_time, end_time;
    /* a section (job->cut_*): where it ends after first_time, 90 kHz; INT64_MAX: no end */
    int64_t cut_end;
    /* why we stopped */
    const char *declined;
    enum rt__mp4_result write_problem;
};

static bool decline(struct fast *f, const char *why)
{
    if (!f->declined)
        f->declined = why;
    return false;
}

static bool write_failed(struct fast *f, enum rt__mp4_result r)
{
    if (r == RT__MP4_BAD_TIMES || r == RT__MP4_NOT_DECLARED)
        return decline(f, "timestamps the MP4 tables cannot hold");
    f->write_problem = r;
    return false;
}

static void note_span(struct fast *f, int64_t start, int64_t end)
{
    if (start < f->first_time)
        f->first_time = start;
    if (end > f->end_time)
        f->end_time = end;
}

/* Whether a sample decoded at `dts` (90 kHz, continuous) comes after the section's end. */
static bool past_cut(const struct fast *f, int64_t dts)
{
    return f->cut_end != INT64_MAX && f->first_time != INT64_MAX &&
           dts - f->first_time >= f->cut_end;
}

static bool remember(struct parameter_set *set, const uint8_t *nal, size_t len)
{
    if (len > sizeof set->bytes)
        return false;
    memcpy(set->bytes, nal, len);
    set->len = len;
    return true;
}

static bool same(const struct parameter_set *set, const uint8_t *nal, size_t len)
{
    return set->len == len && memcmp(set->bytes, nal, len) == 0;
}

/* A PPS first seen is kept for the avcC; one seen later must be one of those. */
static bool check_pps(struct fast *f, const uint8_t *nal, size_t len)
{
    for (size_t i = 0; i < f->pps_count; i++)
        if (same(&f->pps[i], nal, len))
            return true;
    if (f->video_declared || f->pps_count == MAX_PPS)
        return decline(f, "the picture parameters change");
    return remember(&f->pps[f->pps_count++], nal, len) || decline(f, "a parameter set too large");
}

static bool check_sps(struct fast *f, const uint8_t *nal, size_t len)
{
    if (f->sps.len > 0)
        return same(&f->sps, nal, len) || decline(f, "the sequence parameters change");
    return remember(&f->sps, nal, len) || decline(f, "a parameter set too large");
}

/* ISO/IEC 14496-15 5.3.3.1: the AVCDecoderConfigurationRecord, from the first key frame. */
static bool declare_video(struct fast *f)
{
    struct rt__h264_sps info;
    if (f->sps.len == 0 || f->pps_count == 0 ||
        !rt__h264_parse_sps(f->sps.bytes, f->sps.len, &info))
        return decline(f, "the first frame has no readable parameter sets");
    uint8_t avcc[16 + MAX_PARAMETER_SET * (1 + MAX_PPS) + 2 * (1 + MAX_PPS)];
    size_t n = 0;
    avcc[n++] = 1;
    avcc[n++] = info.profile;
    avcc[n++] = info.compatibility;
    avcc[n++] = info.level;
    avcc[n++] = 0xFF; /* four-byte NAL lengths */
    avcc[n++] = 0xE1; /* one SPS */
    avcc[n++] = (uint8_t)(f->sps.len >> 8);
    avcc[n++] = (uint8_t)f->sps.len;
    memcpy(avcc + n, f->sps.bytes, f->sps.len);
    n += f->sps.len;
    avcc[n++] = (uint8_t)f->pps_count;
    for (size_t i = 0; i < f->pps_count; i++) {
        avcc[n++] = (uint8_t)(f->pps[i].len >> 8);
        avcc[n++] = (uint8_t)f->pps[i].len;
        memcpy(avcc + n, f->pps[i].bytes, f->pps[i].len);
        n += f->pps[i].len;
    }
    if (info.profile != 66 && info.profile != 77 && info.profile != 88) {
        avcc[n++] = (uint8_t)(0xFC | info.chroma_format);
        avcc[n++] = (uint8_t)(0xF8 | info.bit_depth_luma);
        avcc[n++] = (uint8_t)(0xF8 | info.bit_depth_chroma);
        avcc[n++] = 0; /* no SPS extensions */
    }
    struct rt__mp4_video video = {avcc, n, info.width, info.height, info.sar_num, info.sar_den};
    if (info.sar_num == info.sar_den)
        video.sar_num = video.sar_den = 0; /* square: nothing to say */
    enum rt__mp4_result r = rt__mp4_declare_video(f->mp4, &video);
    if (r != RT__MP4_OK)
        return write_failed(f, r);
    f->video_declared = true;
    return true;
}

/* One access unit: start codes become four-byte lengths, written straight into the chunk. */
static bool video_frame(struct fast *f, const struct rt__ts_pes *pes)
{
    if (pes->dts == RT__TS_NO_TIME)
        return decline(f, "a video frame without a timestamp");
    /* A frame starts with a start code; a PES that does not carries the rest of one split
     * across packets (allowed, rare), which only a parser can put back together. */
    const uint8_t *d = pes->data;
    if (pes->len < 4 || d[0] != 0 || d[1] != 0 || (d[2] != 1 && (d[2] != 0 || d[3] != 1)))
        return decline(f, "a video frame split across PES packets");
    uint8_t *out = rt__mp4_sample_space(f->mp4, RT__MP4_VIDEO, pes->len + pes->len / 3 + 16);
    if (!out)
        return write_failed(f, RT__MP4_NOMEM);
    struct rt__nal_walk walk;
    rt__nal_walk_init(&walk, pes->data, pes->len);
    const uint8_t *nal;
    size_t len, size = 0;
    bool idr = false, slice = false, recovery = false;
    while (rt__nal_walk_next(&walk, &nal, &len)) {
        switch (nal[0] & 0x1F) {
        case RT__H264_NAL_IDR:
            idr = true;
            break;
        case RT__H264_NAL_SLICE:
            slice = true;
            break;
        case RT__H264_NAL_SEI:
            recovery |= rt__h264_sei_has_recovery_point(nal, len);
            break;
        case RT__H264_NAL_SPS:
            if (!check_sps(f, nal, len))
                return false;
            break;
        case RT__H264_NAL_PPS:
            if (!check_pps(f, nal, len))
                return false;
            break;
        default:
            break;
        }
        rt__be32(out + size, (uint32_t)len);
        memcpy(out + size + 4, nal, len);
        size += 4 + len;
    }
    if (size == 0)
        return decline(f, "an empty video frame");
    /* As FFmpeg's H.264 parser: an IDR, or a slice after a recovery point, is a key frame. */
    bool key = idr || (slice && recovery);
    if (!f->video_declared && (!key || !declare_video(f)))
        return decline(f, "the video does not start with a key frame");
    int64_t dts = pes->dts, pts = pes->pts;
    struct rt__continuity *c = &f->clocks[RT__TS_VIDEO];
    int64_t duration = c->seen ? (dts - c->shift) - c->last_dts : 0;
    int64_t gap; /* a hole: libavformat's pass then reports the damage */
    if (!rt__continuity_apply(c, &dts, &pts, duration > 0 ? duration : c->last_duration, HOLE_TICKS,
                              &gap))
        return decline(f, "a hole in the video timestamps");
    /* Past a section's end: no frame shown in it can need one decoded after its end. */
    if (past_cut(f, dts))
        return true;
    note_span(f, pts, pts + (c->last_duration > 0 ? c->last_duration : 0));
    enum rt__mp4_result r = rt__mp4_sample_commit(f->mp4, RT__MP4_VIDEO, size, dts, pts, key);
    return r == RT__MP4_OK || write_failed(f, r);
}

static bool declare_audio(struct fast *f, const struct rt__adts *frame)
{
    struct rt__mp4_audio audio = {
        {0}, frame->sample_rate, frame->channel_config == 7 ? 8 : frame->channel_config};
    rt__adts_audio_specific_config(frame, audio.asc);
    enum rt__mp4_result r = rt__mp4_declare_audio(f->mp4, &audio);
    if (r != RT__MP4_OK)
        return write_failed(f, r);
    f->audio_format = *frame;
    f->audio_declared = true;
    return true;
}

/* A PES packet of ADTS frames: each frame a sample without its header, 1024 samples apart. */
static bool audio_frames(struct fast *f, const struct rt__ts_pes *pes)
{
    if (pes->pts == RT__TS_NO_TIME)
        return decline(f, "an audio packet without a timestamp");
    struct rt__adts frame;
    size_t count = 0;
    for (size_t at = 0; at < pes->len; at += frame.frame_len, count++)
        if (!rt__adts_parse(pes->data + at, pes->len - at, &frame))
            return decline(f, "audio that is not plain ADTS");
    if (count == 0)
        return true;
    if (!f->audio_declared && !declare_audio(f, &frame))
        return false;
    if (frame.sample_rate != f->audio_format.sample_rate ||
        frame.channel_config != f->audio_format.channel_config ||
        frame.object_type != f->audio_format.object_type)
        return decline(f, "the audio format changes");
    unsigned rate = frame.sample_rate;
    int64_t dts = pes->pts, pts = pes->pts;
    int64_t duration = (int64_t)count * RT__ADTS_SAMPLES * TS_CLOCK / rate;
    int64_t gap;
    if (!rt__continuity_apply(&f->clocks[RT__TS_AUDIO], &dts, &pts, duration, HOLE_TICKS, &gap))
        return decline(f, "a hole in the audio timestamps");
    note_span(f, dts, dts + duration);
    /* The PES time in samples. Within 1/64 of a frame of where the last packet ended it is
     * rounding in the 90 kHz clock, and the frames follow on. A packet that overlaps the last
     * (as a splice leaves them) keeps its time, so that sound stays with picture; its frames
     * that would not come after the last written are moved just after it, as mux.c does. */
    int64_t t = (dts * rate + TS_CLOCK / 2) / TS_CLOCK;
    if (f->audio_started && llabs(t - f->audio_next) <= RT__ADTS_SAMPLES / 64)
        t = f->audio_next;
    for (size_t at = 0; at < pes->len; at += frame.frame_len) {
        if (past_cut(f, t * TS_CLOCK / rate))
            return true;
        rt__adts_parse(pes->data + at, pes->len - at, &frame);
        size_t payload = frame.frame_len - frame.header_len;
        uint8_t *out = rt__mp4_sample_space(f->mp4, RT__MP4_AUDIO, payload);
        if (!out)
            return write_failed(f, RT__MP4_NOMEM);
        memcpy(out, pes->data + at + frame.header_len, payload);
        int64_t when = f->audio_started && t <= f->audio_last ? f->audio_last + 1 : t;
        enum rt__mp4_result r =
            rt__mp4_sample_commit(f->mp4, RT__MP4_AUDIO, payload, when, when, true);
        if (r != RT__MP4_OK)
            return write_failed(f, r);
        f->audio_last = when;
        f->audio_started = true;
        t += RT__ADTS_SAMPLES;
    }
    f->audio_next = t;
    return true;
}

static bool on_pes(const struct rt__ts_pes *pes, void *data)
{
    struct fast *f = data;
    return pes->stream == RT__TS_VIDEO ? video_frame(f, pes) : audio_frames(f, pes);
}

/* The MP4 items libavformat writes for the tags' names (output/tags.h), in its order ("\251" is the
 * (c) sign of the iTunes names, in octal: a hex escape would swallow the letters after it). */
static const struct {
    const char *name, *key;
} ilst_items[] = {
    {"title", "\251nam"},   {"artist", "\251ART"},   {"date", "\251day"},
    {"comment", "\251cmt"}, {"description", "desc"}, {"synopsis", "ldes"},
    {"episode_id", "tven"}, {"network", "tvnn"},     {"encoding_tool", "\251too"},
    {"album", "\251alb"},
};

/* A warning: to the job's line when it has one (the thread beside a download), else the log.
 * A second one is added to the first. */
static void warn(const struct fast *f, const char *line)
{
    char *to = f->job->warning;
    if (!to) {
        rt__log(f->job->client, RT_LOG_WARN, "%s", line);
        return;
    }
    size_t used = strlen(to);
    if (used + 2 < f->job->warning_size)
        snprintf(to + used, f->job->warning_size - used, "%s%s", used ? "; " : "", line);
}

/* The cover, as libavformat's muxer stores an attached picture (a covr item); one that is
 * neither JPEG nor PNG is left out with the same warning as there. */
static bool set_cover(struct fast *f)
{
    const struct rt__mux_job *job = f->job;
    if (!job->cover)
        return true;
    enum rt__image_kind kind = rt__image_sniff(job->cover, job->cover_len).kind;
    if (kind != RT__IMAGE_JPEG && kind != RT__IMAGE_PNG) {
        warn(f, _("the thumbnail is not JPEG or PNG; it is not embedded"));
        return true;
    }
    enum rt__mp4_result r =
        rt__mp4_cover(f->mp4, job->cover, job->cover_len, kind == RT__IMAGE_PNG);
    return r == RT__MP4_OK || write_failed(f, r);
}

/* False when out of memory, or declined for a tag this writer has no item for. */
static bool set_tags(struct fast *f)
{
    const struct rt__mux_tag *tags = f->job->tags;
    size_t n = f->job->tag_count, written = 0;
    for (size_t i = 0; i < sizeof ilst_items / sizeof ilst_items[0]; i++)
        for (size_t k = 0; k < n; k++) {
            if (strcmp(tags[k].name, ilst_items[i].name) != 0)
                continue;
            enum rt__mp4_result r = rt__mp4_tag(f->mp4, ilst_items[i].key, tags[k].value);
            if (r != RT__MP4_OK)
                return write_failed(f, r);
            written++;
        }
    /* "3/7", as libavformat reads the track tag into trkn. */
    for (size_t k = 0; k < n; k++) {
        unsigned number = 0, total = 0;
        if (strcmp(tags[k].name, "track") != 0 ||
            sscanf(tags[k].value, "%u/%u", &number, &total) < 1)
            continue;
        enum rt__mp4_result r = rt__mp4_track(f->mp4, number, total);
        if (r != RT__MP4_OK)
            return write_failed(f, r);
        written++;
    }
    if (written != n)
        return decline(f, "a tag without an MP4 item");
    return set_cover(f);
}

/* A whole block from `at`, unless the file ends first: a short read must not split a packet.
 * A growing input (job->growing) is read only as far as it is whole, waiting for the block to
 * be there; 0 with *abandoned set when its download stopped. */
static ssize_t read_block(int fd, uint8_t *block, size_t want, struct rt__growing *growing,
                          uint64_t at, bool *abandoned)
{
    size_t got = 0;
    if (growing) {
        uint64_t length;
        if (rt__growing_wait(growing, at + want, &length) == RT__ABANDONED) {
            *abandoned = true;
            return 0;
        }
        if (length - at < want)
            want = (size_t)(length - at); /* complete: its last block */
    }
    /* While the download keeps the stream in memory (base/spool.h), from there; else the file. */
    struct rt__spool *spool = growing ? rt__growing_spool(growing) : NULL;
    while (got < want) {
        size_t held = spool ? rt__spool_read(spool, at + got, block + got, want - got) : 0;
        if (held > 0) {
            got += held;
            continue;
        }
        ssize_t n = pread(fd, block + got, want - got, (off_t)(at + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* The next whole packets from `at` (`*data`, how many bytes): while the download keeps the
 * stream in memory for good (base/spool.h), in place, as far as the spool's block goes; the
 * packet across the end of a block, and everything else, copied into `block` (read_block()). */
static ssize_t read_packets(int fd, uint8_t *block, struct rt__growing *growing, uint64_t at,
                            const uint8_t **data, bool *abandoned)
{
    *data = block;
    struct rt__spool *spool = growing ? rt__growing_spool(growing) : NULL;
    if (!spool)
        return read_block(fd, block, READ_SIZE, growing, at, abandoned);
    uint64_t length;
    if (rt__growing_wait(growing, at + READ_SIZE, &length) == RT__ABANDONED) {
        *abandoned = true;
        return 0;
    }
    size_t len, left = length - at < READ_SIZE ? (size_t)(length - at) : READ_SIZE;
    const uint8_t *held = rt__spool_peek(spool, at, left, &len);
    if (held && len >= RT__TS_PACKET) {
        *data = held;
        return (ssize_t)(len - len % RT__TS_PACKET);
    }
    return read_block(fd, block, held ? RT__TS_PACKET : READ_SIZE, growing, at, abandoned);
}

/* Read the stream through the demuxer. RT_OK also when declined (f->declined says why). */
/* The .part's bytes, once remuxed, are not read again: their pages are let go as the remux goes
 * (those written back by then), in steps of this many bytes, this far behind it. Unlinking the
 * .part at the end would otherwise free them all at once: 70 ms for 210 MB, at the very end.
 * A growing .part is let go only as far as its writer has handed it to write-back: the call
 * would write the rest out itself, and a .part whose write-back is put off (a short download,
 * rt__sink_defer_writeback()) need never be written. */
#define DROP_STEP   (4u << 20)
#define DROP_BEHIND (4u << 20)

static void drop_read_pages(int in, struct rt__growing *growing, uint64_t done, uint64_t *dropped)
{
    if (done < *dropped + DROP_STEP + DROP_BEHIND)
        return;
    uint64_t to = done - DROP_BEHIND;
    uint64_t settled = growing ? rt__growing_settled(growing) : UINT64_MAX;
    if (settled < to)
        to = settled;
    if (to < *dropped + DROP_STEP)
        return;
    posix_fadvise(in, (off_t)*dropped, (off_t)(to - *dropped), POSIX_FADV_DONTNEED);
    *dropped = to;
}

static enum rt_code read_stream(struct fast *f, int in, uint64_t size, struct rt_error *err)
{
    const struct rt__mux_job *job = f->job;
    uint8_t *block = malloc(READ_SIZE);
    struct rt__ts *ts = rt__ts_new(on_pes, f);
    enum rt_code result = RT_OK;
    enum rt__ts_result tr = RT__TS_OK;
    uint64_t done = 0, dropped = 0;
    double last = 0;
    if (!block || !ts)
        result = rt__fail(err, RT_E_NOMEM, NULL);
    while (result == RT_OK && tr == RT__TS_OK) {
        if (rt__cancelled(job->client, job->cancel)) {
            result = rt__fail(err, RT_E_CANCELLED, NULL);
            break;
        }
        bool abandoned = false;
        const uint8_t *data;
        ssize_t n = read_packets(in, block, job->growing, done, &data, &abandoned);
        if (abandoned) {
            result = rt__fail(err, RT_E_CANCELLED, NULL);
            break;
        }
        if (n < 0) {
            result = rt__io_error(errno, N_("reading"), job->input, err);
            break;
        }
        if (n == 0) {
            tr = rt__ts_finish(ts);
            break;
        }
        tr = rt__ts_feed(ts, data, (size_t)n);
        done += (uint64_t)n;
        drop_read_pages(in, job->growing, done, &dropped);
        if (job->growing)
            rt__growing_note_read(job->growing, done);
        else
            rt__mux_report(job, done, size, done >= size, &last);
    }
    if (result == RT_OK && f->write_problem == RT__MP4_NOMEM)
        result = rt__fail(err, RT_E_NOMEM, NULL);
    else if (result == RT_OK && f->write_problem == RT__MP4_IO)
        result = rt__io_error(rt__mp4_errno(f->mp4), N_("writing"), job->output, err);
    else if (result == RT_OK && tr == RT__TS_NOMEM)
        result = rt__fail(err, RT_E_NOMEM, NULL);
    else if (result == RT_OK && tr != RT__TS_OK && !f->declined)
        f->declined = rt__ts_describe(tr);
    rt__ts_free(ts);
    free(block);
    return result;
}

static enum rt_code finish(struct fast *f, int out, struct rt_error *err)
{
    const struct rt__mux_job *job = f->job;
    if ((job->cut_start > 0 || job->cut_end > 0) && f->first_time != INT64_MAX) {
        /* The section, on the samples' clock: the stream starts where its first sample does. */
        struct rt__mp4_window window = {
            f->first_time + (int64_t)(job->cut_start * TS_CLOCK + 0.5),
            job->cut_end > 0 ? f->first_time + (int64_t)(job->cut_end * TS_CLOCK + 0.5)
                             : INT64_MAX};
        rt__mp4_set_window(f->mp4, &window);
        f->first_time = window.start;
        if (window.end < f->end_time)
            f->end_time = window.end;
    }
    enum rt__mp4_result r = rt__mp4_finish(f->mp4);
    if (r == RT__MP4_NO_ROOM || r == RT__MP4_NOT_DECLARED) {
        decline(f, r == RT__MP4_NO_ROOM ? "the moov outgrew its room" : "no video frames");
        return RT_OK;
    }
    if (r == RT__MP4_NOMEM)
        return rt__fail(err, RT_E_NOMEM, NULL);
    if (r == RT__MP4_IO)
        return rt__io_error(rt__mp4_errno(f->mp4), N_("writing"), f->job->output, err);
    /* The final name must never point at data only in memory. */
    if (fdatasync(out) != 0)
        return rt__io_error(errno, N_("flushing"), f->job->output, err);
    double seconds = (double)(f->end_time - f->first_time) / TS_CLOCK;
    double expected = f->job->expected_duration;
    if (expected > 0 && seconds < expected - 2.0) {
        char line[160];
        snprintf(line, sizeof line, _("the stream lasts %.1f s, the playlist says %.1f s"), seconds,
                 expected);
        warn(f, line);
    }
    return RT_OK;
}

enum rt_code rt__mp4_remux(const struct rt__mux_job *job, bool *declined, char *why,
                           size_t why_size, struct rt_error *err)
{
    *declined = false;
    struct fast f = {.job = job,
                     .first_time = INT64_MAX,
                     .end_time = INT64_MIN,
                     .cut_end =
                         job->cut_end > 0 ? (int64_t)(job->cut_end * TS_CLOCK + 0.5) : INT64_MAX};
    f.clocks[RT__TS_VIDEO].close_holes = f.clocks[RT__TS_AUDIO].close_holes = job->close_holes;
    struct stat st;
    int in = open(job->input, O_RDONLY | O_CLOEXEC);
    if (in < 0 || fstat(in, &st) != 0) {
        enum rt_code r = rt__io_error(errno, N_("reading"), job->input, err);
        if (in >= 0)
            close(in);
        return r;
    }
    posix_fadvise(in, 0, 0, POSIX_FADV_SEQUENTIAL);
    int out = open(job->output, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        enum rt_code r = rt__io_error(errno, N_("creating"), job->output, err);
        close(in);
        return r;
    }
    enum rt_code result = RT_OK;
    if (!(f.mp4 = rt__mp4_new(out, job->expected_duration)) || (!set_tags(&f) && !f.declined))
        result = rt__fail(err, RT_E_NOMEM, NULL);
    else
        rt__mp4_chapters(f.mp4, job->chapters, job->chapter_count);
    if (result == RT_OK && !f.declined)
        result = read_stream(&f, in, (uint64_t)st.st_size, err);
    if (result == RT_OK && !f.declined)
        result = finish(&f, out, err);
    rt__mp4_free(f.mp4);
    close(in);
    if (close(out) != 0 && result == RT_OK && !f.declined)
        result = rt__io_error(errno, N_("closing"), job->output, err);
    if (result != RT_OK || f.declined)
        unlink(job->output);
    if (result == RT_OK && f.declined) {
        *declined = true;
        snprintf(why, why_size, "%s", f.declined);
    }
    return result;
}
