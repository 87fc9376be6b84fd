/* MPEG-TS rewriting: a live stream's later passes over its files, timestamps and counters run on.
 */
#include "fake.h"

#include <stdlib.h>
#include <string.h>

#define TS_PACKET 188
#define TS_SYNC   0x47
#define TS_HZ     90000
/* PTS, DTS and the PCR base are 33-bit counts of a 90 kHz clock that wrap round. */
#define TS_CLOCK_MASK ((UINT64_C(1) << 33) - 1)
/* The most of one file read to scan it: far above any segment make-media.sh makes. */
#define MAX_SEGMENT_FILE (64u << 20)

static unsigned packet_pid(const unsigned char *p)
{
    return ((unsigned)(p[1] & 0x1f) << 8) | p[2];
}

static bool has_payload(const unsigned char *p)
{
    return (p[3] & 0x10) != 0;
}

/* Where packet p's payload starts (4 to 188); TS_PACKET when its adaptation field is broken. */
static size_t payload_start(const unsigned char *p)
{
    if (!(p[3] & 0x20))
        return 4;
    return p[4] > TS_PACKET - 5 ? TS_PACKET : 5 + (size_t)p[4];
}

/* Stream ids whose PES packets have no optional header (ISO/IEC 13818-1, 2.4.3.7). */
static bool has_pes_header(unsigned stream_id)
{
    return stream_id != 0xbc && stream_id != 0xbe && stream_id != 0xbf && stream_id != 0xf0 &&
           stream_id != 0xf1 && stream_id != 0xf2 && stream_id != 0xf8 && stream_id != 0xff;
}

/* The PES header at the start of packet p's payload when a PES packet starts there (PUSI) with
 * an optional header; NULL otherwise. PSI sections never begin with 00 00 01, so the PAT, PMT
 * and SDT are never one. */
static unsigned char *pes_header(unsigned char *p)
{
    size_t payload = payload_start(p);
    if (!has_payload(p) || !(p[1] & 0x40) || payload + 14 > TS_PACKET)
        return NULL;
    unsigned char *pes = p + payload;
    if (pes[0] != 0 || pes[1] != 0 || pes[2] != 1 || !has_pes_header(pes[3]))
        return NULL;
    return pes;
}

/* A PTS or DTS field (5 bytes: prefix, then 3 + 15 + 15 bits, each part closed by a marker). */
static uint64_t read_timestamp(const unsigned char *b)
{
    return ((uint64_t)(b[0] >> 1) & 0x07) << 30 | (uint64_t)b[1] << 22 |
           (uint64_t)(b[2] >> 1) << 15 | (uint64_t)b[3] << 7 | (uint64_t)(b[4] >> 1);
}

static void shift_timestamp(unsigned char *b, uint64_t ticks)
{
    uint64_t v = (read_timestamp(b) + ticks) & TS_CLOCK_MASK;
    b[0] = (unsigned char)((b[0] & 0xf1) | ((v >> 29) & 0x0e));
    b[1] = (unsigned char)(v >> 22);
    b[2] = (unsigned char)(((v >> 14) & 0xfe) | 1);
    b[3] = (unsigned char)(v >> 7);
    b[4] = (unsigned char)(((v << 1) & 0xfe) | 1);
}

/* A PCR (6 bytes: a 33-bit base at 90 kHz, 6 reserved bits, a 9-bit extension): the base moves,
 * the extension stays. */
static void shift_pcr(unsigned char *b, uint64_t ticks)
{
    uint64_t base = (uint64_t)b[0] << 25 | (uint64_t)b[1] << 17 | (uint64_t)b[2] << 9 |
                    (uint64_t)b[3] << 1 | (uint64_t)(b[4] >> 7);
    base = (base + ticks) & TS_CLOCK_MASK;
    b[0] = (unsigned char)(base >> 25);
    b[1] = (unsigned char)(base >> 17);
    b[2] = (unsigned char)(base >> 9);
    b[3] = (unsigned char)(base >> 1);
    b[4] = (unsigned char)(((base & 1) << 7) | (b[4] & 0x7f));
}

/* What the scan keeps of one PID (the same index as in the cycle). */
struct pid_scan {
    bool has_pts;
    uint64_t min_pts, max_pts, prev_pts;
    uint64_t min_step;    /* the smallest change between two PES packets' PTS: one frame */
    size_t last_pes_file; /* the file (index) and packet offset of its last PES packet */
    size_t last_pes_at;
    uint64_t last_pes_pts;
};

static void scan_pts(struct pid_scan *scan, uint64_t pts, size_t file, size_t at)
{
    if (!scan->has_pts) {
        scan->has_pts = true;
        scan->min_pts = scan->max_pts = pts;
    } else {
        uint64_t step = pts > scan->prev_pts ? pts - scan->prev_pts : scan->prev_pts - pts;
        if (step && (!scan->min_step || step < scan->min_step))
            scan->min_step = step;
        if (pts < scan->min_pts)
            scan->min_pts = pts;
        if (pts > scan->max_pts)
            scan->max_pts = pts;
    }
    scan->prev_pts = pts;
    scan->last_pes_file = file;
    scan->last_pes_at = at;
    scan->last_pes_pts = pts;
}

/* Counts file number `file`'s payload packets per PID into cycle (mod 16: all a counter
 * holds), and notes the PTS of its PES packets in scans. */
static void scan_file(struct fake_ts_cycle *cycle, struct pid_scan *scans, unsigned char *data,
                      size_t len, size_t file)
{
    for (size_t at = 0; at + TS_PACKET <= len; at += TS_PACKET) {
        unsigned char *p = data + at;
        if (p[0] != TS_SYNC || !has_payload(p))
            continue;
        unsigned pid = packet_pid(p);
        size_t i = 0;
        while (i < cycle->pid_count && cycle->pids[i] != pid)
            i++;
        if (i == cycle->pid_count) {
            if (i == FAKE_TS_PIDS)
                continue;
            cycle->pids[i] = (uint16_t)pid;
            cycle->steps[i] = 0;
            cycle->pid_count++;
        }
        cycle->steps[i] = (uint8_t)((cycle->steps[i] + 1) & 0x0f);
        const unsigned char *pes = pes_header(p);
        if (pes && (pes[7] & 0x80))
            scan_pts(&scans[i], read_timestamp(pes + 9), file, at);
    }
}

/*
 * The length of the ADTS (AAC) frames in the PES packet of pid that starts at packet offset
 * from, in 90 kHz ticks rounded up; 0 when its payload is not ADTS. An audio PES packet holds
 * several frames, so its PTS plus one frame is not where the audio ends.
 */
static uint64_t adts_ticks(const unsigned char *data, size_t len, size_t from, unsigned pid)
{
    static const unsigned rates[] = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                     22050, 16000, 12000, 11025, 8000,  7350};
    unsigned char *pes = malloc(len);
    if (!pes)
        return 0;
    size_t n = 0;
    for (size_t at = from; at + TS_PACKET <= len; at += TS_PACKET) {
        const unsigned char *p = data + at;
        if (p[0] != TS_SYNC || packet_pid(p) != pid || !has_payload(p))
            continue;
        if (at != from && (p[1] & 0x40))
            break; /* the next PES packet */
        size_t payload = payload_start(p);
        memcpy(pes + n, p + payload, TS_PACKET - payload);
        n += TS_PACKET - payload;
    }
    uint64_t samples = 0;
    unsigned rate = 0;
    size_t pos = n >= 9 ? 9 + (size_t)pes[8] : n;
    while (pos + 7 <= n && pes[pos] == 0xff && (pes[pos + 1] & 0xf0) == 0xf0) {
        unsigned index = (pes[pos + 2] >> 2) & 0x0f;
        size_t frame = (size_t)(pes[pos + 3] & 0x03) << 11 | (size_t)pes[pos + 4] << 3 |
                       (size_t)(pes[pos + 5] >> 5);
        if (index >= sizeof rates / sizeof rates[0] || frame < 7 || (rate && rate != rates[index]))
            break;
        rate = rates[index];
        samples += 1024 * (uint64_t)((pes[pos + 6] & 0x03) + 1);
        pos += frame;
    }
    free(pes);
    return rate ? (samples * TS_HZ + rate - 1) / rate : 0;
}

/* How far one pass reaches: each stream from its first PTS to its end, the longest of them.
 * last_file is the pass's last file, number last. */
static uint64_t cycle_span(const struct fake_ts_cycle *cycle, const struct pid_scan *scans,
                           const struct fake_blob *last_file, size_t last)
{
    uint64_t span = 0;
    for (size_t i = 0; i < cycle->pid_count; i++) {
        const struct pid_scan *scan = &scans[i];
        if (!scan->has_pts)
            continue;
        uint64_t end = scan->max_pts + scan->min_step;
        uint64_t audio = scan->last_pes_file == last
                             ? adts_ticks((const unsigned char *)last_file->data, last_file->len,
                                          scan->last_pes_at, cycle->pids[i])
                             : 0;
        if (audio)
            end = scan->last_pes_pts + audio;
        if (end - scan->min_pts > span)
            span = end - scan->min_pts;
    }
    return span;
}

struct fake_ts_cycle *fake_ts_cycle_scan(const struct fake_quality *quality)
{
    struct fake_ts_cycle *cycle = calloc(1, sizeof *cycle);
    struct pid_scan scans[FAKE_TS_PIDS];
    memset(scans, 0, sizeof scans);
    if (!cycle)
        return NULL;
    for (size_t k = 0; k < quality->segment_count; k++) {
        struct fake_blob blob = {NULL, 0};
        if (fake_read_file(quality->segments[k].path, MAX_SEGMENT_FILE, &blob) != 0) {
            free(cycle);
            return NULL;
        }
        scan_file(cycle, scans, (unsigned char *)blob.data, blob.len, k);
        if (k + 1 == quality->segment_count)
            cycle->span = cycle_span(cycle, scans, &blob, k);
        free(blob.data);
    }
    return cycle;
}

static uint8_t cycle_step(const struct fake_ts_cycle *cycle, unsigned pid)
{
    for (size_t i = 0; cycle && i < cycle->pid_count; i++)
        if (cycle->pids[i] == pid)
            return cycle->steps[i];
    return 0;
}

void fake_ts_shift_apply(unsigned char *data, size_t len, const struct fake_ts_shift *shift)
{
    uint64_t ticks = shift->ticks & TS_CLOCK_MASK;
    for (size_t at = 0; at + TS_PACKET <= len; at += TS_PACKET) {
        unsigned char *p = data + at;
        if (p[0] != TS_SYNC)
            continue;
        /* Every packet of the PID, with a payload or not, so their relation stays. */
        unsigned step =
            (unsigned)((cycle_step(shift->cycle, packet_pid(p)) * shift->passes) & 0x0f);
        p[3] = (unsigned char)((p[3] & 0xf0) | ((p[3] + step) & 0x0f));
        /* The adaptation field's flags byte, then the PCR when its flag is set. */
        if ((p[3] & 0x20) && p[4] >= 7 && p[4] <= TS_PACKET - 5 && (p[5] & 0x10))
            shift_pcr(p + 6, ticks);
        unsigned char *pes = pes_header(p);
        if (!pes)
            continue;
        unsigned flags = pes[7] >> 6;
        if (flags & 2)
            shift_timestamp(pes + 9, ticks);
        if (flags == 3 && (size_t)(pes - p) + 19 <= TS_PACKET)
            shift_timestamp(pes + 14, ticks);
    }
}
