/* The MPEG-TS demuxer declared in ts.h (ISO/IEC 13818-1: PAT, PMT, PES). */
#include "media/ts.h"

#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

/* A PES packet larger than this is not a video frame (a 4K key frame is a few MB). */
#define MAX_PES (64u << 20)

#define PAT_PID  0x0000
#define NULL_PID 0x1FFF

/* PMT stream types (ISO/IEC 13818-1 table 2-34 and its amendments). */
enum {
    TYPE_PRIVATE_SECTIONS = 0x05,
    TYPE_AAC_ADTS = 0x0F,
    TYPE_METADATA_PES = 0x15, /* timed ID3, as HLS packagers add */
    TYPE_H264 = 0x1B,
    TYPE_SCTE35 = 0x86, /* splice cues */
};

struct pes_buffer {
    int pid; /* -1: no such stream */
    struct rt__buf bytes;
    bool open; /* a packet is being gathered */
};

struct rt__ts {
    rt__ts_pes_fn fn;
    void *fn_data;
    int pmt_pid; /* -1 until the PAT is read */
    bool have_pmt;
    struct pes_buffer pes[2]; /* indexed by enum rt__ts_stream */
};

struct rt__ts *rt__ts_new(rt__ts_pes_fn fn, void *data)
{
    struct rt__ts *ts = calloc(1, sizeof *ts);
    if (!ts)
        return NULL;
    ts->fn = fn;
    ts->fn_data = data;
    ts->pmt_pid = -1;
    for (int i = 0; i < 2; i++) {
        ts->pes[i].pid = -1;
        rt__buf_init(&ts->pes[i].bytes, MAX_PES);
    }
    return ts;
}

void rt__ts_free(struct rt__ts *ts)
{
    if (!ts)
        return;
    rt__buf_cleanup(&ts->pes[0].bytes);
    rt__buf_cleanup(&ts->pes[1].bytes);
    free(ts);
}

static uint64_t read_time(const uint8_t *p)
{
    return ((uint64_t)(p[0] & 0x0E) << 29) | ((uint64_t)p[1] << 22) |
           ((uint64_t)(p[2] & 0xFE) << 14) | ((uint64_t)p[3] << 7) | (p[4] >> 1);
}

/* Hand over the gathered packet: its header read, its payload passed on. */
static enum rt__ts_result emit(struct rt__ts *ts, enum rt__ts_stream stream)
{
    struct pes_buffer *b = &ts->pes[stream];
    if (!b->open)
        return RT__TS_OK;
    b->open = false;
    const uint8_t *p = (const uint8_t *)b->bytes.data;
    size_t len = b->bytes.len;
    /* start code, stream id, length, two flag bytes, header length */
    if (len < 9 || p[0] != 0 || p[1] != 0 || p[2] != 1 || (p[6] & 0xC0) != 0x80)
        return RT__TS_BAD_PES;
    size_t header = 9 + (size_t)p[8];
    unsigned times = p[7] >> 6;
    if (header > len || times == 1 || (times == 2 && p[8] < 5) || (times == 3 && p[8] < 10))
        return RT__TS_BAD_PES;
    size_t end = len;
    size_t declared = ((size_t)p[4] << 8) | p[5];
    if (declared != 0 && 6 + declared < end)
        end = 6 + declared; /* stuffing after the packet */
    if (end < header)
        return RT__TS_BAD_PES;
    struct rt__ts_pes pes = {
        .stream = stream,
        .pts = times & 2 ? (int64_t)read_time(p + 9) : RT__TS_NO_TIME,
        .data = p + header,
        .len = end - header,
    };
    pes.dts = times == 3 ? (int64_t)read_time(p + 14) : pes.pts;
    bool go_on = ts->fn(&pes, ts->fn_data);
    rt__buf_reset(&b->bytes);
    return go_on ? RT__TS_OK : RT__TS_STOPPED;
}

static enum rt__ts_result gather(struct pes_buffer *b, const uint8_t *data, size_t len)
{
    switch (rt__buf_append(&b->bytes, data, len)) {
    case RT__BUF_OK:
        return RT__TS_OK;
    case RT__BUF_NOMEM:
        return RT__TS_NOMEM;
    case RT__BUF_TOO_BIG:
        break;
    }
    return RT__TS_BAD_PES;
}

/* A whole PSI section starting in this payload; NULL when it does not fit (then we stop). */
static const uint8_t *section(const uint8_t *payload, size_t len, unsigned table_id, size_t *size)
{
    if (len < 1 || (size_t)payload[0] + 1 + 3 > len)
        return NULL;
    const uint8_t *s = payload + 1 + payload[0];
    size_t room = len - 1 - payload[0];
    size_t length = ((size_t)(s[1] & 0x0F) << 8) | s[2];
    if (s[0] != table_id || length < 9 || 3 + length > room)
        return NULL;
    *size = 3 + length - 4; /* without the CRC */
    return s;
}

static enum rt__ts_result read_pat(struct rt__ts *ts, const uint8_t *payload, size_t len)
{
    size_t size;
    const uint8_t *s = section(payload, len, 0x00, &size);
    if (!s)
        return RT__TS_BAD_TABLE;
    int pmt = -1;
    for (size_t i = 8; i + 4 <= size; i += 4) {
        unsigned program = ((unsigned)s[i] << 8) | s[i + 1];
        if (program == 0)
            continue; /* the network PID */
        if (pmt >= 0)
            return RT__TS_BAD_TABLE; /* several programs: which one to keep is not ours to say */
        pmt = ((s[i + 2] & 0x1F) << 8) | s[i + 3];
    }
    if (pmt < 0 || (ts->pmt_pid >= 0 && pmt != ts->pmt_pid))
        return RT__TS_BAD_TABLE;
    ts->pmt_pid = pmt;
    return RT__TS_OK;
}

static enum rt__ts_result read_pmt(struct rt__ts *ts, const uint8_t *payload, size_t len)
{
    size_t size;
    const uint8_t *s = section(payload, len, 0x02, &size);
    if (!s || size < 12)
        return RT__TS_BAD_TABLE;
    size_t i = 12 + (((size_t)(s[10] & 0x0F) << 8) | s[11]);
    int pids[2] = {-1, -1};
    for (; i + 5 <= size; i += 5 + ((((size_t)s[i + 3] & 0x0F) << 8) | s[i + 4])) {
        int pid = ((s[i + 1] & 0x1F) << 8) | s[i + 2];
        switch (s[i]) {
        case TYPE_H264:
        case TYPE_AAC_ADTS: {
            int which = s[i] == TYPE_H264 ? RT__TS_VIDEO : RT__TS_AUDIO;
            if (pids[which] >= 0)
                return RT__TS_OTHER_CODEC; /* a second video or audio stream */
            pids[which] = pid;
            break;
        }
        case TYPE_PRIVATE_SECTIONS:
        case TYPE_METADATA_PES:
        case TYPE_SCTE35:
            break; /* not audio or video: not copied */
        default:
            return RT__TS_OTHER_CODEC;
        }
    }
    if (ts->have_pmt) {
        /* Segments repeat the PMT; a different one is another stream spliced in. */
        if (pids[0] != ts->pes[0].pid || pids[1] != ts->pes[1].pid)
            return RT__TS_BAD_TABLE;
        return RT__TS_OK;
    }
    if (pids[RT__TS_VIDEO] < 0 || pids[RT__TS_VIDEO] == pids[RT__TS_AUDIO])
        return pids[RT__TS_VIDEO] < 0 ? RT__TS_NO_VIDEO : RT__TS_BAD_TABLE;
    ts->pes[RT__TS_VIDEO].pid = pids[RT__TS_VIDEO];
    ts->pes[RT__TS_AUDIO].pid = pids[RT__TS_AUDIO];
    ts->have_pmt = true;
    return RT__TS_OK;
}

static enum rt__ts_result packet(struct rt__ts *ts, const uint8_t *p)
{
    if (p[0] != 0x47 || (p[1] & 0x80))
        return RT__TS_LOST_SYNC;
    int pid = ((p[1] & 0x1F) << 8) | p[2];
    bool unit_start = p[1] & 0x40;
    unsigned control = (p[3] >> 4) & 3;
    if (pid == NULL_PID || !(control & 1))
        return RT__TS_OK; /* padding, or an adaptation field alone */
    if (p[3] & 0xC0)
        return RT__TS_SCRAMBLED;
    size_t start = 4;
    if (control & 2) {
        start += 1 + (size_t)p[4];
        if (start > RT__TS_PACKET)
            return RT__TS_LOST_SYNC;
    }
    const uint8_t *payload = p + start;
    size_t len = RT__TS_PACKET - start;
    if (pid == PAT_PID)
        return unit_start ? read_pat(ts, payload, len) : RT__TS_OK;
    if (pid == ts->pmt_pid)
        return unit_start ? read_pmt(ts, payload, len) : RT__TS_OK;
    for (int s = 0; s < 2; s++) {
        struct pes_buffer *b = &ts->pes[s];
        if (pid != b->pid)
            continue;
        if (unit_start) {
            enum rt__ts_result r = emit(ts, (enum rt__ts_stream)s);
            if (r != RT__TS_OK)
                return r;
            b->open = true;
        }
        return b->open ? gather(b, payload, len) : RT__TS_OK; /* a tail without its start */
    }
    return RT__TS_OK;
}

enum rt__ts_result rt__ts_feed(struct rt__ts *ts, const uint8_t *packets, size_t len)
{
    for (size_t at = 0; at + RT__TS_PACKET <= len; at += RT__TS_PACKET) {
        enum rt__ts_result r = packet(ts, packets + at);
        if (r != RT__TS_OK)
            return r;
    }
    return len % RT__TS_PACKET ? RT__TS_LOST_SYNC : RT__TS_OK;
}

enum rt__ts_result rt__ts_finish(struct rt__ts *ts)
{
    /* In stream order would be better, but the two tails are a frame each. */
    enum rt__ts_result r = emit(ts, RT__TS_VIDEO);
    if (r == RT__TS_OK)
        r = emit(ts, RT__TS_AUDIO);
    if (r == RT__TS_OK && !ts->have_pmt)
        r = RT__TS_NO_VIDEO;
    return r;
}

const char *rt__ts_describe(enum rt__ts_result result)
{
    switch (result) {
    case RT__TS_OK:
        return "no problem";
    case RT__TS_NOMEM:
        return "out of memory";
    case RT__TS_STOPPED:
        return "stopped";
    case RT__TS_LOST_SYNC:
        return "the stream is damaged (a packet out of place)";
    case RT__TS_SCRAMBLED:
        return "the stream is encrypted";
    case RT__TS_BAD_TABLE:
        return "the stream's program tables are unusual or change";
    case RT__TS_OTHER_CODEC:
        return "a stream other than one H.264 and one AAC";
    case RT__TS_BAD_PES:
        return "a PES packet that cannot be read";
    case RT__TS_NO_VIDEO:
        return "no H.264 video stream";
    }
    return "unknown";
}
