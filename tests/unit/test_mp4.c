/* The pieces of the own TS -> MP4 path: h264.c, adts.c, ts.c and mp4.c (test_remux.sh runs
 * the whole against libavformat). */
#include "media/adts.h"
#include "media/h264.h"
#include "media/mp4.h"
#include "media/mp4_remux.h"
#include "media/ts.h"

#include <setjmp.h> /* before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* The fake media's 1280x712 SPS (High, level 4.1, cropped from 720 rows, with an
 * emulation-prevention byte) and PPS. */
static const uint8_t sps_712[] = {0x67, 0x64, 0x00, 0x29, 0xac, 0xb4, 0x02, 0x80, 0x2d,
                                  0xfc, 0xb8, 0x08, 0x80, 0x00, 0x00, 0x03, 0x00, 0x80,
                                  0x00, 0x00, 0x19, 0x07, 0x8c, 0x19, 0x50};
static const uint8_t pps_712[] = {0x68, 0xce, 0x3c, 0xb0};

static void h264_sps_gives_size_profile_and_aspect(void **state)
{
    (void)state;
    struct rt__h264_sps sps;
    assert_true(rt__h264_parse_sps(sps_712, sizeof sps_712, &sps));
    assert_int_equal(sps.width, 1280);
    assert_int_equal(sps.height, 712);
    assert_int_equal(sps.profile, 100);
    assert_int_equal(sps.level, 41);
    assert_int_equal(sps.chroma_format, 1);
    assert_int_equal(sps.sar_num, 1);
    assert_int_equal(sps.sar_den, 1);
    /* Cut short, or not an SPS at all. */
    assert_false(rt__h264_parse_sps(sps_712, 8, &sps));
    assert_false(rt__h264_parse_sps(pps_712, sizeof pps_712, &sps));
}

static void h264_units_are_cut_as_ffmpeg_cuts_them(void **state)
{
    (void)state;
    /* junk, a 4-byte code, AUD; a 3-byte code, SEI with a trailing zero byte; a 4-byte code,
     * a slice running to the end with its own trailing zeros. */
    static const uint8_t au[] = {0xAA, 0x00, 0x00, 0x00, 0x01, 0x09, 0xF0, 0x00, 0x00, 0x01, 0x06,
                                 0x05, 0x00, 0x00, 0x00, 0x00, 0x01, 0x65, 0x88, 0x00, 0x00};
    struct rt__nal_walk walk;
    const uint8_t *nal;
    size_t len;
    rt__nal_walk_init(&walk, au, sizeof au);
    assert_true(rt__nal_walk_next(&walk, &nal, &len));
    assert_int_equal(len, 2);
    assert_int_equal(nal[0], 0x09);
    assert_true(rt__nal_walk_next(&walk, &nal, &len));
    assert_int_equal(len, 3); /* 06 05 00: one zero of "00 00 00 01" stays with the unit */
    assert_int_equal(nal[0], 0x06);
    assert_true(rt__nal_walk_next(&walk, &nal, &len));
    assert_int_equal(len, 4);
    assert_int_equal(nal[0], 0x65);
    assert_false(rt__nal_walk_next(&walk, &nal, &len));
    /* No start code at all: no units. */
    rt__nal_walk_init(&walk, au, 1);
    assert_false(rt__nal_walk_next(&walk, &nal, &len));
}

/* The first 00 00 01 at or after `i`, byte by byte, or n. */
static size_t next_code(const uint8_t *d, size_t n, size_t i)
{
    for (; i + 3 <= n; i++)
        if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1)
            return i;
    return n;
}

/* The units as the definition cuts them: from after each 00 00 01 to the next one, a zero
 * before it (a four-byte code) not included. */
static size_t reference_units(const uint8_t *d, size_t n, size_t *starts, size_t *lens)
{
    size_t count = 0;
    for (size_t code = next_code(d, n, 0); code + 3 < n;) { /* a code that ends it: no unit */
        size_t start = code + 3, next = next_code(d, n, start), end = next;
        if (next < n && end > start && d[end - 1] == 0)
            end--;
        starts[count] = start;
        lens[count] = end - start;
        count++;
        code = next;
    }
    return count;
}

/* Start codes at every place around the sixteen-byte steps of the scan, in data with no other
 * zeros: each unit found where the definition puts it. */
static void h264_units_are_found_at_every_offset(void **state)
{
    (void)state;
    enum { SIZE = 600 };
    static uint8_t data[SIZE];
    for (size_t gap = 1; gap < 40; gap++) {
        uint32_t x = (uint32_t)gap * 2654435761u;
        for (size_t i = 0; i < SIZE; i++) {
            x = x * 1103515245u + 12345u;
            data[i] = (uint8_t)(2 + (x >> 16) % 250); /* no 0 and no 1 */
        }
        /* codes every `gap`+3 bytes from an offset that moves with it, some with four bytes */
        for (size_t at = gap % 17, k = 0; at + 4 <= SIZE; at += gap + 4, k++) {
            size_t z = 0;
            if (k % 3 == 0)
                data[at + z++] = 0;
            data[at + z] = 0;
            data[at + z + 1] = 0;
            data[at + z + 2] = 1;
        }
        size_t starts[SIZE], lens[SIZE];
        size_t expected = reference_units(data, SIZE, starts, lens);
        struct rt__nal_walk walk;
        const uint8_t *nal;
        size_t len, found = 0;
        rt__nal_walk_init(&walk, data, SIZE);
        while (rt__nal_walk_next(&walk, &nal, &len)) {
            assert_true(found < expected);
            assert_int_equal((size_t)(nal - data), starts[found]);
            assert_int_equal(len, lens[found]);
            found++;
        }
        assert_int_equal(found, expected);
    }
}

static void h264_sei_recovery_point_is_found_among_others(void **state)
{
    (void)state;
    /* user data (type 5, 3 bytes), then a recovery point (type 6), then the stop bit */
    static const uint8_t with[] = {0x06, 0x05, 0x03, 0x01, 0x02, 0x03, 0x06, 0x01, 0x84, 0x80};
    static const uint8_t without[] = {0x06, 0x05, 0x03, 0x01, 0x02, 0x03, 0x80};
    static const uint8_t cut[] = {0x06, 0xFF, 0xFF};
    assert_true(rt__h264_sei_has_recovery_point(with, sizeof with));
    assert_false(rt__h264_sei_has_recovery_point(without, sizeof without));
    assert_false(rt__h264_sei_has_recovery_point(cut, sizeof cut));
}

static void adts_header_gives_the_audio_specific_config(void **state)
{
    (void)state;
    /* AAC LC, 44.1 kHz, stereo, no CRC, a 10-byte frame. */
    uint8_t frame[10] = {0xFF, 0xF1, 0x50, 0x80, 0x01, 0x5F, 0xFC, 1, 2, 3};
    struct rt__adts a;
    assert_true(rt__adts_parse(frame, sizeof frame, &a));
    assert_int_equal(a.object_type, 2);
    assert_int_equal(a.sample_rate, 44100);
    assert_int_equal(a.channel_config, 2);
    assert_int_equal(a.header_len, 7);
    assert_int_equal(a.frame_len, 10);
    uint8_t asc[2];
    rt__adts_audio_specific_config(&a, asc);
    assert_int_equal(asc[0], 0x12); /* 00010 0100 0010 000 */
    assert_int_equal(asc[1], 0x10);
    assert_false(rt__adts_parse(frame, 9, &a)); /* shorter than the frame says */
    frame[3] = 0x00;                            /* channel layout in a PCE: not ours */
    assert_false(rt__adts_parse(frame, sizeof frame, &a));
    frame[0] = 0x47;
    assert_false(rt__adts_parse(frame, sizeof frame, &a));
}

/* ---- a small MPEG-TS made by hand ---- */

enum { VIDEO_PID = 0x100, AUDIO_PID = 0x101, PMT_PID = 0x1000 };

/* One packet: the payload after an adaptation field that pads it to 188 bytes. */
static void packet(uint8_t *out, int pid, bool start, const uint8_t *payload, size_t len)
{
    assert_true(len <= 184);
    out[0] = 0x47;
    out[1] = (uint8_t)((start ? 0x40 : 0) | (pid >> 8));
    out[2] = (uint8_t)pid;
    size_t pad = 184 - len;
    if (pad == 0) {
        out[3] = 0x10;
    } else {
        out[3] = 0x30;
        out[4] = (uint8_t)(pad - 1);
        if (pad > 1) {
            out[5] = 0;
            memset(out + 6, 0xFF, pad - 2);
        }
    }
    memcpy(out + 4 + pad, payload, len);
}

static size_t psi(uint8_t *out, const uint8_t *section, size_t len)
{
    out[0] = 0; /* pointer field */
    memcpy(out + 1, section, len);
    memset(out + 1 + len, 0, 4); /* the CRC, which the demuxer does not check */
    return 1 + len + 4;
}

static size_t tables(uint8_t *ts, uint8_t audio_type)
{
    uint8_t buf[184];
    const uint8_t pat[] = {0x00,          0xB0, 13, 0, 1, 0xC1, 0, 0, 0, 1, 0xE0 | (PMT_PID >> 8),
                           PMT_PID & 0xFF};
    packet(ts, 0, true, buf, psi(buf, pat, sizeof pat));
    const uint8_t pmt[] = {0x02, 0xB0, 23,   0,    1,    0xC1, 0,          0,    0xE1, 0x00, 0xF0,
                           0,    0x1B, 0xE1, 0x00, 0xF0, 0,    audio_type, 0xE1, 0x01, 0xF0, 0};
    packet(ts + 188, PMT_PID, true, buf, psi(buf, pmt, sizeof pmt));
    return 2 * 188;
}

/* A PES with PTS (and DTS) in front of `payload`, in as many packets as it takes. */
static size_t pes(uint8_t *ts, int pid, int64_t pts, int64_t dts, const uint8_t *payload,
                  size_t len)
{
    uint8_t whole[1024];
    size_t n = 0;
    whole[n++] = 0;
    whole[n++] = 0;
    whole[n++] = 1;
    whole[n++] = pid == VIDEO_PID ? 0xE0 : 0xC0;
    whole[n++] = 0; /* length: unbounded */
    whole[n++] = 0;
    whole[n++] = 0x80;
    whole[n++] = 0xC0;
    whole[n++] = 10;
    int64_t times[2] = {pts, dts};
    for (int i = 0; i < 2; i++) {
        int64_t t = times[i];
        whole[n++] = (uint8_t)((i ? 0x11 : 0x31) | ((t >> 29) & 0x0E));
        whole[n++] = (uint8_t)(t >> 22);
        whole[n++] = (uint8_t)(((t >> 14) & 0xFE) | 1);
        whole[n++] = (uint8_t)(t >> 7);
        whole[n++] = (uint8_t)(((t << 1) & 0xFE) | 1);
    }
    memcpy(whole + n, payload, len);
    n += len;
    size_t out = 0;
    for (size_t at = 0; at < n; at += 184, out += 188)
        packet(ts + out, pid, at == 0, whole + at, n - at < 184 ? n - at : 184);
    return out;
}

struct seen {
    int count[2];
    int64_t pts[2], dts[2];
    size_t len[2];
    uint8_t first[2];
};

static bool remember(const struct rt__ts_pes *p, void *data)
{
    struct seen *s = data;
    s->count[p->stream]++;
    s->pts[p->stream] = p->pts;
    s->dts[p->stream] = p->dts;
    s->len[p->stream] = p->len;
    s->first[p->stream] = p->len ? p->data[0] : 0;
    return true;
}

static void ts_gives_whole_pes_packets_with_times(void **state)
{
    (void)state;
    static uint8_t ts[188 * 12];
    uint8_t frame[300];
    memset(frame, 0x5A, sizeof frame);
    frame[0] = 0x11;
    size_t n = tables(ts, 0x0F);
    n += pes(ts + n, VIDEO_PID, 0x1FFFFFFFFLL, 0x1FFFFFFF0LL, frame, sizeof frame); /* 33 bits */
    n += pes(ts + n, AUDIO_PID, 1234, 1234, frame, 20);
    n += pes(ts + n, VIDEO_PID, 7, 7, frame, 5);
    struct seen s = {0};
    struct rt__ts *demux = rt__ts_new(remember, &s);
    assert_non_null(demux);
    assert_int_equal(rt__ts_feed(demux, ts, n), RT__TS_OK);
    assert_int_equal(s.count[RT__TS_VIDEO], 1); /* the second is whole only at the end */
    assert_int_equal(s.len[RT__TS_VIDEO], sizeof frame);
    assert_int_equal(s.first[RT__TS_VIDEO], 0x11);
    assert_int_equal(s.pts[RT__TS_VIDEO], 0x1FFFFFFFFLL);
    assert_int_equal(s.dts[RT__TS_VIDEO], 0x1FFFFFFF0LL);
    assert_int_equal(rt__ts_finish(demux), RT__TS_OK);
    assert_int_equal(s.count[RT__TS_VIDEO], 2);
    assert_int_equal(s.pts[RT__TS_VIDEO], 7);
    assert_int_equal(s.count[RT__TS_AUDIO], 1);
    assert_int_equal(s.len[RT__TS_AUDIO], 20);
    assert_int_equal(s.pts[RT__TS_AUDIO], 1234);
    rt__ts_free(demux);
}

static void ts_refuses_what_it_cannot_copy(void **state)
{
    (void)state;
    static uint8_t ts[188 * 4];
    uint8_t frame[10] = {0};
    struct seen s = {0};

    size_t n = tables(ts, 0x03); /* MPEG-1 audio */
    struct rt__ts *demux = rt__ts_new(remember, &s);
    assert_int_equal(rt__ts_feed(demux, ts, n), RT__TS_OTHER_CODEC);
    rt__ts_free(demux);

    n = tables(ts, 0x0F);
    n += pes(ts + n, VIDEO_PID, 0, 0, frame, sizeof frame);
    ts[n - 188 + 3] |= 0x80; /* scrambled */
    demux = rt__ts_new(remember, &s);
    assert_int_equal(rt__ts_feed(demux, ts, n), RT__TS_SCRAMBLED);
    rt__ts_free(demux);

    ts[n - 188] = 0x48; /* no sync byte */
    demux = rt__ts_new(remember, &s);
    assert_int_equal(rt__ts_feed(demux, ts, n), RT__TS_LOST_SYNC);
    assert_int_equal(rt__ts_feed(demux, ts, 100), RT__TS_LOST_SYNC); /* not whole packets */
    rt__ts_free(demux);

    demux = rt__ts_new(remember, &s); /* no tables at all */
    assert_int_equal(rt__ts_finish(demux), RT__TS_NO_VIDEO);
    rt__ts_free(demux);
}

/* A frame split across two PES packets (each with a time): the own path must step aside,
 * since cutting at PES boundaries would lose the second part's bytes. */
static void remux_declines_a_frame_split_across_pes_packets(void **state)
{
    (void)state;
    static uint8_t ts[188 * 8];
    uint8_t first[64] = {0, 0, 0, 1, 0x09, 0xF0, 0, 0, 0, 1};
    size_t n = 10;
    memcpy(first + n, sps_712, sizeof sps_712);
    n += sizeof sps_712;
    memcpy(first + n, (const uint8_t[]){0, 0, 1, 0x68, 0xce, 0x3c, 0xb0, 0, 0, 1, 0x65, 0x88}, 12);
    n += 12;
    const uint8_t rest[20] = {0x84, 0x21, 0x7F};
    size_t len = tables(ts, 0x0F);
    len += pes(ts + len, VIDEO_PID, 3600, 3600, first, n);
    len += pes(ts + len, VIDEO_PID, 3600, 3600, rest, sizeof rest);
    char in[] = "/tmp/rtdl-test-split.XXXXXX";
    int fd = mkstemp(in);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, ts, len), (ssize_t)len);
    close(fd);
    char out[64];
    snprintf(out, sizeof out, "%s.mp4", in);
    const struct rt__mux_tag tags[] = {{"title", "t"}};
    struct rt__mux_job job = {.input = in,
                              .output = out,
                              .container = RT_CONTAINER_MP4,
                              .tags = tags,
                              .tag_count = 1,
                              .expected_duration = 1};
    bool declined = false;
    char why[128] = "";
    struct rt_error err = {0};
    assert_int_equal(rt__mp4_remux(&job, &declined, why, sizeof why, &err), RT_OK);
    assert_true(declined);
    assert_string_equal(why, "a video frame split across PES packets");
    assert_int_equal(access(out, F_OK), -1); /* nothing left behind */
    unlink(in);
}

/* ---- the writer, with 64-bit fields forced ---- */

static char *run(const char *command)
{
    static char out[4096];
    FILE *p = popen(command, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    pclose(p);
    return out;
}

/* Where the first box of `type` starts in `file` (its size field), or SIZE_MAX. */
static size_t find_box(const uint8_t *file, size_t len, const char *type)
{
    for (size_t i = 4; i + 4 <= len; i++)
        if (memcmp(file + i, type, 4) == 0)
            return i - 4;
    return SIZE_MAX;
}

static bool has_box(const uint8_t *file, size_t len, const char *type)
{
    return find_box(file, len, type) != SIZE_MAX;
}

/* A writer's two tracks, as the fake media's 1280x712 stream and 44.1 kHz stereo AAC. */
static void declare_tracks(struct rt__mp4 *mp4)
{
    uint8_t avcc[64] = {1, 0x64, 0x00, 0x29, 0xFF, 0xE1, 0, sizeof sps_712};
    size_t n = 8;
    memcpy(avcc + n, sps_712, sizeof sps_712);
    n += sizeof sps_712;
    avcc[n++] = 1;
    avcc[n++] = 0;
    avcc[n++] = sizeof pps_712;
    memcpy(avcc + n, pps_712, sizeof pps_712);
    n += sizeof pps_712;
    struct rt__mp4_video video = {avcc, n, 1280, 712, 0, 0};
    struct rt__mp4_audio audio = {{0x12, 0x10}, 44100, 2};
    assert_int_equal(rt__mp4_declare_video(mp4, &video), RT__MP4_OK);
    assert_int_equal(rt__mp4_declare_audio(mp4, &audio), RT__MP4_OK);
}

/* A writer into a new file from `path` (a mkstemp() template), its two tracks declared. */
static struct rt__mp4 *open_writer(char *path, int *fd)
{
    *fd = mkstemp(path);
    assert_true(*fd >= 0);
    struct rt__mp4 *mp4 = rt__mp4_new(*fd, 4.0);
    assert_non_null(mp4);
    declare_tracks(mp4);
    return mp4;
}

/* The writer finished and freed, its file read back into `file`; returns its length. */
static size_t finish_and_read(struct rt__mp4 *mp4, int fd, uint8_t *file, size_t size)
{
    assert_int_equal(rt__mp4_finish(mp4), RT__MP4_OK);
    rt__mp4_free(mp4);
    ssize_t len = pread(fd, file, size, 0);
    close(fd);
    assert_true(len > 0);
    return (size_t)len;
}

/* 100 video frames at 25 fps (B-frame-like offsets, a key frame every 25) and two audio
 * frames with each: 4 s. */
static void write_frames(struct rt__mp4 *mp4)
{
    for (int i = 0; i < 100; i++) {
        uint8_t *v = rt__mp4_sample_space(mp4, RT__MP4_VIDEO, 1000);
        assert_non_null(v);
        /* One NAL unit: an IDR slice on key frames, another slice elsewhere (FFmpeg reads
         * the slice type back when it lists the packets). */
        memset(v, 0x5A, 1000);
        memcpy(v, (const uint8_t[]){0, 0, 3, 0xE4, i % 25 == 0 ? 0x65 : 0x41, 0x88}, 6);
        int64_t dts = (int64_t)i * 3600;
        assert_int_equal(
            rt__mp4_sample_commit(mp4, RT__MP4_VIDEO, 1000, dts, dts + 7200 * (i % 2), i % 25 == 0),
            RT__MP4_OK);
        for (int k = 0; k < 2; k++) {
            uint8_t *a = rt__mp4_sample_space(mp4, RT__MP4_AUDIO, 300);
            assert_non_null(a);
            memset(a, k, 300);
            assert_int_equal(rt__mp4_sample_commit(mp4, RT__MP4_AUDIO, 300, (i * 2 + k) * 882LL,
                                                   (i * 2 + k) * 882LL, true),
                             RT__MP4_OK);
        }
    }
}

static void mp4_wide_layout_reads_back(void **state)
{
    (void)state;
    char path[] = "/tmp/rtdl-test-mp4.XXXXXX";
    int fd;
    struct rt__mp4 *mp4 = open_writer(path, &fd);
    rt__mp4_set_wide_limit(mp4, 30000); /* past 30000: co64, a 64-bit mdat, version 1 times */
    assert_int_equal(rt__mp4_tag(mp4, "\251nam", "Пальцы"), RT__MP4_OK);
    write_frames(mp4);
    /* A decode time that does not rise is refused. */
    assert_non_null(rt__mp4_sample_space(mp4, RT__MP4_VIDEO, 10));
    assert_int_equal(rt__mp4_sample_commit(mp4, RT__MP4_VIDEO, 10, 0, 0, true), RT__MP4_BAD_TIMES);
    static uint8_t file[1 << 20];
    size_t len = finish_and_read(mp4, fd, file, sizeof file);
    assert_true(len > 160000);
    assert_true(has_box(file, len, "co64"));
    assert_true(has_box(file, len, "ctts"));
    assert_true(has_box(file, len, "stss"));

    char command[256];
    snprintf(command, sizeof command,
             "ffprobe -v error -show_entries packet=stream_index,size,flags -of csv=p=0 %s | "
             "sort | uniq -c | tr -s ' ' | tr '\\n' ';'",
             path);
    assert_string_equal(run(command), " 4 0,1000,K_; 96 0,1000,__; 200 1,300,K_;");
    snprintf(command, sizeof command,
             "ffprobe -v error -show_entries format_tags=title:stream=codec_name,width,height "
             "-of csv=p=0 %s | tr '\\n' ';'",
             path);
    assert_string_equal(run(command), "h264,1280,712;aac;Пальцы;");
    unlink(path);
}

/* A 2x2 red PNG. */
static const uint8_t red_png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd,
    0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
    0xcf, 0xc0, 0x00, 0x44, 0x0c, 0x10, 0x0a, 0x00, 0x1f, 0xee, 0x03, 0xfd, 0x8b, 0x5f, 0x14,
    0xd4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

/* The cover goes into ilst as libavformat puts an attached picture: a covr item typed PNG (14)
 * after the tags, which FFmpeg reads back as the file's attached picture, byte for byte. */
static void mp4_cover_reads_back(void **state)
{
    (void)state;
    char path[] = "/tmp/rtdl-test-cover.XXXXXX";
    int fd;
    struct rt__mp4 *mp4 = open_writer(path, &fd);
    assert_int_equal(rt__mp4_tag(mp4, "\251nam", "Пальцы"), RT__MP4_OK);
    assert_int_equal(rt__mp4_cover(mp4, red_png, sizeof red_png, true), RT__MP4_OK);
    write_frames(mp4);
    static uint8_t file[1 << 20];
    size_t len = finish_and_read(mp4, fd, file, sizeof file);
    size_t at = find_box(file, len, "covr");
    assert_true(at != SIZE_MAX && at + 8 + 16 + sizeof red_png <= len);
    const uint8_t *item = file + at;
    assert_int_equal((item[0] << 24 | item[1] << 16 | item[2] << 8 | item[3]),
                     8 + 16 + (int)sizeof red_png);
    assert_memory_equal(item + 12, "data", 4);
    assert_int_equal(item[19], 14); /* PNG */
    assert_memory_equal(item + 24, red_png, sizeof red_png);

    char command[320];
    snprintf(command, sizeof command,
             "ffprobe -v error -show_entries "
             "format_tags=title:stream=codec_name,width,height:stream_disposition=attached_pic "
             "-of csv=p=0 %s | tr '\\n' ';'",
             path);
    assert_string_equal(run(command), "h264,1280,712,0;aac,0;png,2,2,1;Пальцы;");
    snprintf(
        command, sizeof command,
        "ffmpeg -v error -i %s -map 0:2 -c copy -f image2pipe - | cmp -s - %s.png && echo same",
        path, path);
    char png_path[64];
    snprintf(png_path, sizeof png_path, "%s.png", path);
    FILE *f = fopen(png_path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(red_png, 1, sizeof red_png, f), sizeof red_png);
    fclose(f);
    assert_string_equal(run(command), "same\n");
    unlink(png_path);
    unlink(path);
}

/* The chpl box of `file`: its count, and each chapter's start (100 ns) and title, as
 * "start title;" into `out`. */
static void read_chpl(const uint8_t *file, size_t len, char *out, size_t size)
{
    size_t at = 4;
    while (at + 4 <= len && memcmp(file + at, "chpl", 4) != 0)
        at++;
    assert_true(at + 13 <= len);
    const uint8_t *p = file + at + 4;
    assert_int_equal(p[0], 1); /* version 1: four reserved bytes after the flags */
    size_t count = p[8], used = (size_t)snprintf(out, size, "%zu:", count);
    p += 9;
    for (size_t i = 0; i < count; i++) {
        uint64_t start = 0;
        for (int k = 0; k < 8; k++)
            start = start << 8 | p[k];
        used += (size_t)snprintf(out + used, size - used, " %llu %.*s;", (unsigned long long)start,
                                 (int)p[8], (const char *)p + 9);
        p += 9 + p[8];
    }
}

/* An MP4 of write_frames()' 4 s with `chapters` into `path` (a mkstemp() template), read back
 * into `file`; returns its length. */
static size_t write_with_chapters(char *path, const struct rt_chapter *chapters, size_t count,
                                  uint8_t *file, size_t size)
{
    int fd;
    struct rt__mp4 *mp4 = open_writer(path, &fd);
    rt__mp4_chapters(mp4, chapters, count);
    write_frames(mp4);
    return finish_and_read(mp4, fd, file, size);
}

/* What ffprobe says of `path`: `entries` as CSV, lines joined by ';'. */
static const char *probe(const char *path, const char *entries)
{
    char command[512];
    snprintf(command, sizeof command,
             "ffprobe -v quiet -show_entries %s -of csv=p=0 %s | tr '\\n' ';'", entries, path);
    return run(command);
}

/* Chapters: Nero's chpl and the chapter track, which ffprobe reads them from; one that starts
 * after the media's end is left out, and the last ends with the media. */
static void mp4_chapters_read_back(void **state)
{
    (void)state;
    static const struct rt_chapter chapters[] = {
        {0, 1.5, "Вступление"}, {1.5, 3, "Середина 🎬"}, {3, 10, "Конец"}, {10, 12, "После конца"}};
    static uint8_t file[1 << 20];
    char path[] = "/tmp/rtdl-test-mp4.XXXXXX";
    size_t len = write_with_chapters(path, chapters, 4, file, sizeof file);
    char chpl[512];
    read_chpl(file, len, chpl, sizeof chpl);
    assert_string_equal(chpl, "3: 0 Вступление; 15000000 Середина 🎬; 30000000 Конец;");
    assert_true(has_box(file, len, "tref") && has_box(file, len, "gmhd"));
    char duration[32], expected[256];
    snprintf(duration, sizeof duration, "%s", probe(path, "format=duration"));
    duration[strcspn(duration, ";")] = '\0';
    snprintf(expected, sizeof expected,
             "0.000000,1.500000,Вступление;1.500000,3.000000,Середина 🎬;3.000000,%s,Конец;",
             duration);
    assert_string_equal(probe(path, "chapter=start_time,end_time:chapter_tags=title"), expected);
    assert_string_equal(probe(path, "stream=codec_type"), "video;audio;data;");
    unlink(path);

    /* A first chapter after the start is read from 0, as from libavformat's own files (whose
     * chapter track starts with the movie too); chpl keeps its time. */
    static const struct rt_chapter late[] = {{0.5, 2, "Позже"}, {2, 3.25, "Ещё"}};
    char path2[] = "/tmp/rtdl-test-mp4.XXXXXX";
    len = write_with_chapters(path2, late, 2, file, sizeof file);
    assert_string_equal(probe(path2, "chapter=start_time,end_time:chapter_tags=title"),
                        "0.000000,2.000000,Позже;2.000000,3.250000,Ещё;");
    read_chpl(file, len, chpl, sizeof chpl);
    assert_string_equal(chpl, "2: 5000000 Позже; 20000000 Ещё;");
    unlink(path2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(h264_sps_gives_size_profile_and_aspect),
        cmocka_unit_test(h264_units_are_cut_as_ffmpeg_cuts_them),
        cmocka_unit_test(h264_units_are_found_at_every_offset),
        cmocka_unit_test(h264_sei_recovery_point_is_found_among_others),
        cmocka_unit_test(adts_header_gives_the_audio_specific_config),
        cmocka_unit_test(ts_gives_whole_pes_packets_with_times),
        cmocka_unit_test(ts_refuses_what_it_cannot_copy),
        cmocka_unit_test(remux_declines_a_frame_split_across_pes_packets),
        cmocka_unit_test(mp4_wide_layout_reads_back),
        cmocka_unit_test(mp4_cover_reads_back),
        cmocka_unit_test(mp4_chapters_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
