/* The moov box declared in mp4_moov.h. Box layouts follow ISO/IEC 14496-12 (and -14, -15). */
#include "media/mp4_moov.h"

#include <math.h>
#include <string.h>

#define MOVIE_TIMESCALE 1000

/* ---- bytes in big-endian order ---- */

static void put(struct rt__buf *b, const void *p, size_t n, bool *ok)
{
    if (*ok && rt__buf_append(b, p, n) != RT__BUF_OK)
        *ok = false;
}

static void put8(struct rt__buf *b, unsigned v, bool *ok)
{
    uint8_t x = (uint8_t)v;
    put(b, &x, 1, ok);
}

static void put16(struct rt__buf *b, unsigned v, bool *ok)
{
    uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    put(b, x, 2, ok);
}

void rt__be32(uint8_t *x, uint32_t v)
{
    x[0] = (uint8_t)(v >> 24);
    x[1] = (uint8_t)(v >> 16);
    x[2] = (uint8_t)(v >> 8);
    x[3] = (uint8_t)v;
}

static void put32(struct rt__buf *b, uint32_t v, bool *ok)
{
    uint8_t x[4];
    rt__be32(x, v);
    put(b, x, 4, ok);
}

static void put64(struct rt__buf *b, uint64_t v, bool *ok)
{
    put32(b, (uint32_t)(v >> 32), ok);
    put32(b, (uint32_t)v, ok);
}

static void put_zeros(struct rt__buf *b, size_t n, bool *ok)
{
    static const uint8_t zeros[64];
    while (n > 0 && *ok) {
        size_t k = n < sizeof zeros ? n : sizeof zeros;
        put(b, zeros, k, ok);
        n -= k;
    }
}

/* A box: its size is filled in by close_box(). */
static size_t open_box(struct rt__buf *b, const char type[4], bool *ok)
{
    size_t at = b->len;
    put32(b, 0, ok);
    put(b, type, 4, ok);
    return at;
}

static size_t open_full_box(struct rt__buf *b, const char type[4], unsigned version, unsigned flags,
                            bool *ok)
{
    size_t at = open_box(b, type, ok);
    put32(b, (uint32_t)version << 24 | flags, ok);
    return at;
}

static void close_box(struct rt__buf *b, size_t at, bool *ok)
{
    if (*ok)
        rt__be32((uint8_t *)b->data + at, (uint32_t)(b->len - at));
}

/* ---- tags ---- */

bool rt__mp4_tag_item(struct rt__buf *tags, const char key[4], const char *value)
{
    bool ok = true;
    size_t item = open_box(tags, key, &ok);
    size_t data = open_box(tags, "data", &ok);
    put32(tags, 1, &ok); /* well-known type 1: UTF-8 */
    put32(tags, 0, &ok); /* locale */
    put(tags, value, strlen(value), &ok);
    close_box(tags, data, &ok);
    close_box(tags, item, &ok);
    return ok;
}

bool rt__mp4_cover_item(struct rt__buf *tags, const void *image, size_t len, bool png)
{
    bool ok = len <= UINT32_MAX - 24;
    size_t item = open_box(tags, "covr", &ok);
    size_t data = open_box(tags, "data", &ok);
    put32(tags, png ? 14 : 13, &ok); /* well-known types 13: JPEG, 14: PNG */
    put32(tags, 0, &ok);             /* locale */
    put(tags, image, len, &ok);
    close_box(tags, data, &ok);
    close_box(tags, item, &ok);
    return ok;
}

bool rt__mp4_track_item(struct rt__buf *tags, unsigned number, unsigned total)
{
    bool ok = true;
    size_t item = open_box(tags, "trkn", &ok);
    size_t data = open_box(tags, "data", &ok);
    put32(tags, 0, &ok); /* type 0: implicit (binary) */
    put32(tags, 0, &ok); /* locale */
    put16(tags, 0, &ok);
    put16(tags, number > 0xFFFF ? 0xFFFF : number, &ok);
    put16(tags, total > 0xFFFF ? 0xFFFF : total, &ok);
    put16(tags, 0, &ok);
    close_box(tags, data, &ok);
    close_box(tags, item, &ok);
    return ok;
}

/* ---- chapters ---- */

/* A title's bytes as chpl holds them: 255 at most, cut between UTF-8 characters. */
static size_t chpl_title_len(const char *title)
{
    size_t len = strlen(title);
    if (len <= 255)
        return len;
    len = 255;
    while (len > 0 && ((unsigned char)title[len] & 0xC0) == 0x80)
        len--;
    return len;
}

size_t rt__mp4_chapter_sample(uint8_t *out, const char *title)
{
    static const uint8_t encd[12] = {0, 0, 0, 12, 'e', 'n', 'c', 'd', 0, 0, 1, 0}; /* UTF-8 */
    size_t len = chpl_title_len(title);
    if (out) {
        out[0] = 0;
        out[1] = (uint8_t)len;
        memcpy(out + 2, title, len);
        memcpy(out + 2 + len, encd, sizeof encd);
    }
    return 2 + len + sizeof encd;
}

/* ---- the moov ---- */

/* v * to / from, rounded, without overflow for any time this file can hold. */
static int64_t rescale(int64_t v, int64_t from, int64_t to)
{
    __int128 x = (__int128)v * to;
    __int128 half = from / 2;
    return (int64_t)(x >= 0 ? (x + half) / from : (x - half) / from);
}

/* The last sample lasts as long as the one before it (audio: a frame; a chapter: its own). */
static int64_t sample_duration(const struct rt__mp4_table *t, size_t i)
{
    if (i + 1 < t->count)
        return t->samples[i + 1].dts - t->samples[i].dts;
    if (t->is_text)
        return t->last_duration;
    if (t->is_audio)
        return 1024;
    return t->count >= 2 ? t->samples[i].dts - t->samples[i - 1].dts : t->timescale / 25;
}

/* What the edit list and the headers need, in the track's timescale. */
struct timing {
    int64_t media_duration; /* decode span */
    int64_t first_pts, end_pts;
};

static struct timing track_timing(const struct rt__mp4_table *t)
{
    struct timing tm = {0, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < t->count; i++) {
        int64_t d = sample_duration(t, i), pts = t->samples[i].dts + t->samples[i].offset;
        tm.media_duration += d;
        if (pts < tm.first_pts)
            tm.first_pts = pts;
        if (pts + d > tm.end_pts)
            tm.end_pts = pts + d;
    }
    return tm;
}

static const uint32_t unity_matrix[9] = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};

static void put_matrix(struct rt__buf *b, bool *ok)
{
    for (int i = 0; i < 9; i++)
        put32(b, unity_matrix[i], ok);
}

/* Version 1 (64-bit times) only when a duration needs it. */
static void put_times(struct rt__buf *b, bool wide, uint32_t timescale, bool *ok)
{
    if (wide) {
        put64(b, 0, ok); /* creation time: unknown, as FFmpeg writes without one */
        put64(b, 0, ok);
    } else {
        put32(b, 0, ok);
        put32(b, 0, ok);
    }
    if (timescale)
        put32(b, timescale, ok);
}

static void put_duration(struct rt__buf *b, bool wide, int64_t duration, bool *ok)
{
    if (wide)
        put64(b, (uint64_t)duration, ok);
    else
        put32(b, (uint32_t)duration, ok);
}

static void write_mvhd(struct rt__buf *b, int64_t duration, uint32_t next_track, uint64_t limit,
                       bool *ok)
{
    bool wide = (uint64_t)duration > limit;
    size_t box = open_full_box(b, "mvhd", wide, 0, ok);
    put_times(b, wide, MOVIE_TIMESCALE, ok);
    put_duration(b, wide, duration, ok);
    put32(b, 0x10000, ok); /* rate 1.0 */
    put16(b, 0x100, ok);   /* volume 1.0 */
    put_zeros(b, 10, ok);
    put_matrix(b, ok);
    put_zeros(b, 24, ok); /* pre_defined */
    put32(b, next_track, ok);
    close_box(b, box, ok);
}

static void write_tkhd(struct rt__buf *b, const struct rt__mp4_table *t, uint32_t id,
                       int64_t duration, bool *ok)
{
    bool wide = (uint64_t)duration > t->wide_limit;
    /* In the movie; enabled, but for the chapter track, which is there to be read, not shown. */
    size_t box = open_full_box(b, "tkhd", wide, t->is_text ? 2 : 3, ok);
    put_times(b, wide, 0, ok);
    put32(b, id, ok);
    put32(b, 0, ok);
    put_duration(b, wide, duration, ok);
    put_zeros(b, 8, ok);
    put16(b, 0, ok);                       /* layer */
    put16(b, t->is_audio ? 1 : 0, ok);     /* alternate group */
    put16(b, t->is_audio ? 0x100 : 0, ok); /* volume */
    put16(b, 0, ok);
    put_matrix(b, ok);
    uint32_t width = 0, height = 0;
    if (!t->is_audio && !t->is_text) {
        /* The display size: the coded width stretched by the sample aspect ratio. */
        uint64_t w = (uint64_t)t->video.width << 16;
        if (t->video.sar_num && t->video.sar_den)
            w = w * t->video.sar_num / t->video.sar_den;
        width = (uint32_t)w;
        height = t->video.height << 16;
    }
    put32(b, width, ok);
    put32(b, height, ok);
    close_box(b, box, ok);
}

static void write_edts(struct rt__buf *b, int64_t empty, int64_t duration, int64_t media_time,
                       uint64_t limit, bool *ok)
{
    bool wide =
        (uint64_t)empty > limit || (uint64_t)duration > limit || (uint64_t)media_time > limit / 2;
    size_t edts = open_box(b, "edts", ok);
    size_t elst = open_full_box(b, "elst", wide, 0, ok);
    put32(b, empty > 0 ? 2 : 1, ok);
    if (empty > 0) {
        put_duration(b, wide, empty, ok);
        put_duration(b, wide, -1, ok); /* an empty edit: nothing shown until the track starts */
        put32(b, 0x10000, ok);
    }
    put_duration(b, wide, duration, ok);
    put_duration(b, wide, media_time, ok);
    put32(b, 0x10000, ok);
    close_box(b, elst, ok);
    close_box(b, edts, ok);
}

static void write_hdlr(struct rt__buf *b, const char type[4], const char *name, bool *ok)
{
    size_t box = open_full_box(b, "hdlr", 0, 0, ok);
    put32(b, 0, ok);
    put(b, type, 4, ok);
    put_zeros(b, 12, ok);
    put(b, name, strlen(name) + 1, ok);
    close_box(b, box, ok);
}

/* MPEG-4 descriptors (14496-1 7.2.2) carry their length in four 7-bit groups, as FFmpeg
 * writes them; `at` is where the length goes once the content is there. */
static size_t open_descriptor(struct rt__buf *b, unsigned tag, bool *ok)
{
    put8(b, tag, ok);
    size_t at = b->len;
    put32(b, 0, ok);
    return at;
}

static void close_descriptor(struct rt__buf *b, size_t at, bool *ok)
{
    if (!*ok)
        return;
    size_t len = b->len - at - 4;
    uint8_t *p = (uint8_t *)b->data + at;
    p[0] = (uint8_t)(0x80 | ((len >> 21) & 0x7F));
    p[1] = (uint8_t)(0x80 | ((len >> 14) & 0x7F));
    p[2] = (uint8_t)(0x80 | ((len >> 7) & 0x7F));
    p[3] = (uint8_t)(len & 0x7F);
}

static void write_esds(struct rt__buf *b, const struct rt__mp4_table *t, uint32_t id,
                       int64_t duration, bool *ok)
{
    uint32_t bitrate =
        duration > 0 ? (uint32_t)(t->bytes * 8 * t->timescale / (uint64_t)duration) : 0;
    size_t box = open_full_box(b, "esds", 0, 0, ok);
    size_t es = open_descriptor(b, 0x03, ok); /* ES_Descriptor */
    put16(b, id, ok);
    put8(b, 0, ok);
    size_t config = open_descriptor(b, 0x04, ok); /* DecoderConfigDescriptor */
    put8(b, 0x40, ok);                            /* MPEG-4 audio */
    put8(b, 0x15, ok);                            /* audio stream, upstream 0, reserved 1 */
    put8(b, t->max_sample >> 16, ok);             /* bufferSizeDB, 24 bits */
    put16(b, t->max_sample & 0xFFFF, ok);
    put32(b, bitrate, ok); /* max: the average will do, as for a CBR-like AAC stream */
    put32(b, bitrate, ok);
    size_t specific = open_descriptor(b, 0x05, ok); /* DecoderSpecificInfo */
    put(b, t->audio.asc, 2, ok);
    close_descriptor(b, specific, ok);
    close_descriptor(b, config, ok);
    size_t sl = open_descriptor(b, 0x06, ok); /* SLConfigDescriptor: predefined MP4 */
    put8(b, 0x02, ok);
    close_descriptor(b, sl, ok);
    close_descriptor(b, es, ok);
    close_box(b, box, ok);
}

/* The chapter track's sample description, libavformat's: a "text" entry holding a 3GPP
 * TextSampleEntry's fields (display flags 1, no justification, transparent background, an
 * empty box, one style of font 1) and a font table naming font 1 with no name. */
static const uint8_t text_entry[] = {
    0, 0, 0, 1,                                     /* display flags */
    0, 0,                                           /* justification */
    0, 0, 0, 0,                                     /* background */
    0, 0, 0, 0,  0,   0,   0,   0,                  /* text box */
    0, 0, 0, 0,  0,   1,   0,   0,   0, 0, 0, 0,    /* style: font 1 */
    0, 0, 0, 13, 'f', 't', 'a', 'b', 0, 1, 0, 1, 0, /* font table: font 1, no name */
};

static void write_stsd(struct rt__buf *b, const struct rt__mp4_table *t, uint32_t id,
                       int64_t duration, bool *ok)
{
    size_t stsd = open_full_box(b, "stsd", 0, 0, ok);
    put32(b, 1, ok);
    size_t entry = open_box(b, t->is_text ? "text" : t->is_audio ? "mp4a" : "avc1", ok);
    put_zeros(b, 6, ok);
    put16(b, 1, ok); /* data reference index */
    if (t->is_text) {
        put(b, text_entry, sizeof text_entry, ok);
    } else if (t->is_audio) {
        put_zeros(b, 8, ok);
        put16(b, t->audio.channels, ok);
        put16(b, 16, ok); /* sample size */
        put32(b, 0, ok);
        put32(b, t->audio.sample_rate << 16, ok);
        write_esds(b, t, id, duration, ok);
    } else {
        put_zeros(b, 16, ok);
        put16(b, t->video.width, ok);
        put16(b, t->video.height, ok);
        put32(b, 0x480000, ok); /* 72 dpi */
        put32(b, 0x480000, ok);
        put32(b, 0, ok);
        put16(b, 1, ok);      /* frames per sample */
        put_zeros(b, 32, ok); /* compressor name */
        put16(b, 0x18, ok);   /* depth */
        put16(b, 0xFFFF, ok); /* pre_defined -1 */
        size_t avcc = open_box(b, "avcC", ok);
        put(b, t->video.avcc, t->video.avcc_len, ok);
        close_box(b, avcc, ok);
        if (t->video.sar_num && t->video.sar_den) {
            size_t pasp = open_box(b, "pasp", ok);
            put32(b, t->video.sar_num, ok);
            put32(b, t->video.sar_den, ok);
            close_box(b, pasp, ok);
        }
    }
    close_box(b, entry, ok);
    close_box(b, stsd, ok);
}

static int64_t sample_offset(const struct rt__mp4_table *t, size_t i)
{
    return t->samples[i].offset;
}

/* A table of (sample count, value) runs: stts with durations, ctts with offsets. */
static void write_runs(struct rt__buf *b, const char type[4], const struct rt__mp4_table *t,
                       int64_t (*value)(const struct rt__mp4_table *, size_t), bool *ok)
{
    size_t box = open_full_box(b, type, 0, 0, ok);
    size_t count_at = b->len;
    uint32_t runs = 0;
    put32(b, 0, ok);
    for (size_t i = 0; i < t->count;) {
        int64_t v = value(t, i);
        size_t j = i + 1;
        while (j < t->count && value(t, j) == v)
            j++;
        put32(b, (uint32_t)(j - i), ok);
        put32(b, (uint32_t)v, ok);
        runs++;
        i = j;
    }
    if (*ok)
        rt__be32((uint8_t *)b->data + count_at, runs);
    close_box(b, box, ok);
}

static void write_stts_ctts(struct rt__buf *b, const struct rt__mp4_table *t, bool *ok)
{
    write_runs(b, "stts", t, sample_duration, ok);
    for (size_t i = 0; i < t->count; i++)
        if (t->samples[i].offset != 0) {
            write_runs(b, "ctts", t, sample_offset, ok); /* only with B-frames */
            return;
        }
}

static void write_stss(struct rt__buf *b, const struct rt__mp4_table *t, bool *ok)
{
    if (t->key_count == t->count)
        return; /* every sample is a sync sample: the box is left out */
    size_t box = open_full_box(b, "stss", 0, 0, ok);
    put32(b, (uint32_t)t->key_count, ok);
    for (size_t i = 0; i < t->key_count; i++)
        put32(b, t->keys[i], ok);
    close_box(b, box, ok);
}

static void write_chunk_tables(struct rt__buf *b, const struct rt__mp4_table *t, bool *ok)
{
    size_t box = open_full_box(b, "stsc", 0, 0, ok);
    size_t count_at = b->len;
    uint32_t runs = 0;
    put32(b, 0, ok);
    for (size_t i = 0; i < t->chunk_count; i++) {
        if (i > 0 && t->chunks[i].count == t->chunks[i - 1].count)
            continue;
        put32(b, (uint32_t)i + 1, ok);
        put32(b, t->chunks[i].count, ok);
        put32(b, 1, ok); /* sample description index */
        runs++;
    }
    if (*ok)
        rt__be32((uint8_t *)b->data + count_at, runs);
    close_box(b, box, ok);

    box = open_full_box(b, "stsz", 0, 0, ok);
    put32(b, 0, ok); /* sizes differ: one each */
    put32(b, (uint32_t)t->count, ok);
    for (size_t i = 0; i < t->count; i++)
        put32(b, t->samples[i].size, ok);
    close_box(b, box, ok);

    bool wide = t->chunk_count > 0 && t->chunks[t->chunk_count - 1].pos > t->wide_limit;
    box = open_full_box(b, wide ? "co64" : "stco", 0, 0, ok);
    put32(b, (uint32_t)t->chunk_count, ok);
    for (size_t i = 0; i < t->chunk_count; i++) {
        if (wide)
            put64(b, t->chunks[i].pos, ok);
        else
            put32(b, (uint32_t)t->chunks[i].pos, ok);
    }
    close_box(b, box, ok);
}

/* QuickTime's generic media header, which its text tracks (the chapter track) have: a
 * graphics mode and colour, then a "text" box holding a unity matrix, as libavformat writes
 * it (Apple's players want it to take the track for chapters). */
static void write_gmhd(struct rt__buf *b, bool *ok)
{
    size_t gmhd = open_box(b, "gmhd", ok);
    size_t gmin = open_full_box(b, "gmin", 0, 0, ok);
    put16(b, 0x40, ok); /* graphics mode: copy */
    for (int i = 0; i < 3; i++)
        put16(b, 0x8000, ok); /* opcolor */
    put16(b, 0, ok);          /* balance */
    put16(b, 0, ok);
    close_box(b, gmin, ok);
    size_t text = open_box(b, "text", ok);
    put_matrix(b, ok);
    close_box(b, text, ok);
    close_box(b, gmhd, ok);
}

/* One track, placed on the movie's timeline `empty` movie ticks after its start; `chapters`
 * (not 0) is the chapter track's id, which a video or audio track points at. */
static int64_t write_trak(struct rt__buf *b, const struct rt__mp4_table *t, uint32_t id,
                          const struct timing *tm, int64_t empty, uint32_t chapters, bool *ok)
{
    int64_t shown = rescale(tm->end_pts - tm->first_pts, t->timescale, MOVIE_TIMESCALE);
    int64_t media_time = tm->first_pts - t->samples[0].dts;
    size_t trak = open_box(b, "trak", ok);
    write_tkhd(b, t, id, empty + shown, ok);
    if (chapters) {
        size_t tref = open_box(b, "tref", ok);
        size_t chap = open_box(b, "chap", ok);
        put32(b, chapters, ok);
        close_box(b, chap, ok);
        close_box(b, tref, ok);
    }
    write_edts(b, empty, shown, media_time, t->wide_limit, ok);
    size_t mdia = open_box(b, "mdia", ok);
    bool wide = (uint64_t)tm->media_duration > t->wide_limit;
    size_t mdhd = open_full_box(b, "mdhd", wide, 0, ok);
    put_times(b, wide, t->timescale, ok);
    put_duration(b, wide, tm->media_duration, ok);
    put16(b, 0x55C4, ok); /* "und" */
    put16(b, 0, ok);
    close_box(b, mdhd, ok);
    if (t->is_text)
        write_hdlr(b, "text", "ChapterHandler", ok);
    else
        write_hdlr(b, t->is_audio ? "soun" : "vide", t->is_audio ? "SoundHandler" : "VideoHandler",
                   ok);
    size_t minf = open_box(b, "minf", ok);
    if (t->is_text) {
        write_gmhd(b, ok);
    } else if (t->is_audio) {
        size_t smhd = open_full_box(b, "smhd", 0, 0, ok);
        put32(b, 0, ok);
        close_box(b, smhd, ok);
    } else {
        size_t vmhd = open_full_box(b, "vmhd", 0, 1, ok);
        put_zeros(b, 8, ok);
        close_box(b, vmhd, ok);
    }
    size_t dinf = open_box(b, "dinf", ok);
    size_t dref = open_full_box(b, "dref", 0, 0, ok);
    put32(b, 1, ok);
    size_t url = open_full_box(b, "url ", 0, 1, ok); /* the data is in this file */
    close_box(b, url, ok);
    close_box(b, dref, ok);
    close_box(b, dinf, ok);
    size_t stbl = open_box(b, "stbl", ok);
    write_stsd(b, t, id, tm->media_duration, ok);
    write_stts_ctts(b, t, ok);
    write_stss(b, t, ok);
    write_chunk_tables(b, t, ok);
    close_box(b, stbl, ok);
    close_box(b, minf, ok);
    close_box(b, mdia, ok);
    close_box(b, trak, ok);
    return empty + shown;
}

/* The iTunes metadata: the "mdir" handler, then the items. */
static void write_meta(struct rt__buf *b, const struct rt__buf *tags, bool *ok)
{
    size_t meta = open_full_box(b, "meta", 0, 0, ok);
    size_t hdlr = open_full_box(b, "hdlr", 0, 0, ok);
    put32(b, 0, ok);
    put(b, "mdir", 4, ok);
    put(b, "appl", 4, ok);
    put_zeros(b, 9, ok); /* reserved, and an empty name */
    close_box(b, hdlr, ok);
    size_t ilst = open_box(b, "ilst", ok);
    put(b, tags->data, tags->len, ok);
    close_box(b, ilst, ok);
    close_box(b, meta, ok);
}

/* Nero's chapter list: version 1, four reserved bytes, the count, then each chapter's start
 * in 100 ns units and its title (a length byte, UTF-8). */
static void write_chpl(struct rt__buf *b, const struct rt__mp4_chapters *c, bool *ok)
{
    size_t chpl = open_full_box(b, "chpl", 1, 0, ok);
    put32(b, 0, ok);
    size_t count = c->count < 255 ? c->count : 255;
    put8(b, (unsigned)count, ok);
    for (size_t i = 0; i < count; i++) {
        size_t len = chpl_title_len(c->list[i].title);
        put64(b, (uint64_t)llround(c->list[i].start * 1e7), ok);
        put8(b, (unsigned)len, ok);
        put(b, c->list[i].title, len, ok);
    }
    close_box(b, chpl, ok);
}

static void write_udta(struct rt__buf *b, const struct rt__buf *tags,
                       const struct rt__mp4_chapters *chapters, bool *ok)
{
    bool has_chapters = chapters && chapters->count > 0;
    if (tags->len == 0 && !has_chapters)
        return;
    size_t udta = open_box(b, "udta", ok);
    if (tags->len > 0)
        write_meta(b, tags, ok);
    if (has_chapters)
        write_chpl(b, chapters, ok);
    close_box(b, udta, ok);
}

/* The tracks that are declared and hold samples, with their timing; the movie's start (the
 * earliest track's, in movie ticks) and duration. */
struct movie {
    const struct rt__mp4_table *present[2];
    struct timing timing[2];
    int count;
    int64_t start, duration;
};

/* What of a track the window shows: its first and last shown times moved inside it. */
static void clamp_to_window(struct timing *tm, const struct rt__mp4_table *t,
                            const struct rt__mp4_window *window)
{
    int64_t start = rescale(window->start, RT__MP4_VIDEO_TIMESCALE, t->timescale);
    if (start > tm->first_pts && start < tm->end_pts)
        tm->first_pts = start;
    if (window->end != INT64_MAX) {
        int64_t end = rescale(window->end, RT__MP4_VIDEO_TIMESCALE, t->timescale);
        if (end < tm->end_pts && end > tm->first_pts)
            tm->end_pts = end;
    }
}

static void movie_of(const struct rt__mp4_table tracks[2], const struct rt__mp4_window *window,
                     struct movie *m)
{
    m->count = 0;
    for (int i = 0; i < 2; i++)
        if (tracks[i].declared && tracks[i].count > 0) {
            m->present[m->count] = &tracks[i];
            m->timing[m->count] = track_timing(&tracks[i]);
            if (window)
                clamp_to_window(&m->timing[m->count], &tracks[i], window);
            m->count++;
        }
    /* The movie starts when the earliest track does; a later one waits in an empty edit. */
    m->start = INT64_MAX;
    for (int i = 0; i < m->count; i++) {
        int64_t s = rescale(m->timing[i].first_pts, m->present[i]->timescale, MOVIE_TIMESCALE);
        if (s < m->start)
            m->start = s;
    }
    m->duration = 0;
    for (int i = 0; i < m->count; i++) {
        int64_t end = rescale(m->timing[i].end_pts, m->present[i]->timescale, MOVIE_TIMESCALE);
        if (end - m->start > m->duration)
            m->duration = end - m->start;
    }
}

int64_t rt__mp4_movie_duration(const struct rt__mp4_table tracks[2],
                               const struct rt__mp4_window *window)
{
    struct movie m;
    movie_of(tracks, window, &m);
    return m.duration;
}

bool rt__mp4_moov_build(const struct rt__mp4_table tracks[2], const struct rt__buf *tags,
                        const struct rt__mp4_window *window,
                        const struct rt__mp4_chapters *chapters, struct rt__buf *b)
{
    bool ok = true;
    struct movie m;
    movie_of(tracks, window, &m);
    bool has_chapters = chapters && chapters->count > 0 && chapters->track;
    uint32_t chapter_id = has_chapters ? (uint32_t)m.count + 1 : 0;
    size_t moov = open_box(b, "moov", &ok);
    /* The movie's duration goes in before the tracks are written: worked out first. */
    write_mvhd(b, m.duration, (uint32_t)m.count + 1 + has_chapters, tracks[0].wide_limit, &ok);
    for (int i = 0; i < m.count; i++) {
        int64_t empty =
            rescale(m.timing[i].first_pts, m.present[i]->timescale, MOVIE_TIMESCALE) - m.start;
        write_trak(b, m.present[i], (uint32_t)i + 1, &m.timing[i], empty, chapter_id, &ok);
    }
    if (has_chapters) {
        struct timing tm = track_timing(chapters->track);
        write_trak(b, chapters->track, chapter_id, &tm, 0, 0, &ok);
    }
    write_udta(b, tags, chapters, &ok);
    close_box(b, moov, &ok);
    return ok;
}
