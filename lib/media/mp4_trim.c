/* Shortening a finished MP4's edit lists and durations in place to a section's length
 * (mp4_trim.h): a walk of moov's boxes with pread(), every size bounded, then pwrite(). */
#include "media/mp4_trim.h"

#include "base/pwrite.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One box: where it starts, where its body starts and where it ends (exclusive). */
struct box {
    char type[4];
    int64_t start, body, end;
};

struct trim {
    int fd;
    bool writing; /* false: the checking pass, which only reads */
    int errnum;   /* the failed read or write's errno */
    bool malformed;
    int64_t window;   /* the longest a track may last, in the movie's timescale */
    uint64_t longest; /* the longest track after trimming, movie timescale */
    bool changed;     /* some track lasted longer than the window */
};

/* The boxes are not as they should be; unless a read failed, which says more. Returns false. */
static bool malformed(struct trim *t)
{
    if (t->errnum == 0)
        t->malformed = true;
    return false;
}

static uint64_t get_be(const uint8_t *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    return v;
}

static void put_be(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

/* All of `len` bytes at `at`, or a failure recorded: a file that ends first is malformed
 * (a box said it was longer than what is there). */
static bool read_at(struct trim *t, int64_t at, void *buf, size_t len)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = pread(t->fd, (uint8_t *)buf + done, len - done, (off_t)(at + (int64_t)done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            t->errnum = errno;
            return false;
        }
        if (n == 0)
            return malformed(t);
        done += (size_t)n;
    }
    return true;
}

static bool write_at(struct trim *t, int64_t at, const void *buf, size_t len)
{
    int problem = rt__pwrite_whole(t->fd, buf, len, (uint64_t)at);
    if (problem != 0)
        t->errnum = problem;
    return problem == 0;
}

/*
 * The box at `at` inside a parent ending at `end`: false at the parent's end (nothing left) or
 * on a failure. A size of 0 ("to the end of the file") is allowed only at the top level, where
 * `end` is the file's size; a size below the header's, or past the parent, is malformed.
 */
static bool next_box(struct trim *t, int64_t at, int64_t end, bool top, struct box *b)
{
    uint8_t head[16];
    if (at >= end)
        return false;
    if (end - at < 8)
        return malformed(t);
    if (!read_at(t, at, head, 8))
        return false;
    uint64_t size = get_be(head, 4);
    int64_t header = 8;
    if (size == 1) {
        if (end - at < 16 || !read_at(t, at + 8, head + 8, 8))
            return malformed(t);
        size = get_be(head + 8, 8);
        header = 16;
    } else if (size == 0 && top) {
        size = (uint64_t)(end - at);
    }
    if (size < (uint64_t)header || size > (uint64_t)(end - at))
        return malformed(t);
    memcpy(b->type, head + 4, 4);
    b->start = at;
    b->body = at + header;
    b->end = at + (int64_t)size;
    return true;
}

static bool is(const struct box *b, const char *type)
{
    return memcmp(b->type, type, 4) == 0;
}

/* The first child of `parent` of `type`; false when there is none or on a failure. */
static bool find_child(struct trim *t, const struct box *parent, const char *type, struct box *b)
{
    for (int64_t at = parent->body; next_box(t, at, parent->end, false, b); at = b->end)
        if (is(b, type))
            return true;
    return false;
}

/*
 * A full box's duration field: where it is and how wide (4 or 8 bytes), by its version. For
 * mvhd also the timescale. `v0`/`v1` are the duration's offsets from the body's start.
 */
struct field {
    int64_t at;
    int bytes;
    uint64_t value;
};

static bool duration_field(struct trim *t, const struct box *b, int64_t v0, int64_t v1,
                           struct field *f, uint32_t *timescale)
{
    uint8_t version;
    if (b->end - b->body < 4 || !read_at(t, b->body, &version, 1))
        return malformed(t);
    if (version > 1)
        return malformed(t);
    f->bytes = version ? 8 : 4;
    f->at = b->body + (version ? v1 : v0);
    uint8_t buf[8];
    if (f->at + f->bytes > b->end || !read_at(t, f->at, buf, (size_t)f->bytes))
        return malformed(t);
    f->value = get_be(buf, f->bytes);
    if (timescale) {
        /* mvhd: the timescale is the 4 bytes just before the duration. */
        if (!read_at(t, f->at - 4, buf, 4))
            return false;
        *timescale = (uint32_t)get_be(buf, 4);
    }
    return true;
}

static bool write_field(struct trim *t, const struct field *f, uint64_t value)
{
    uint8_t buf[8];
    put_be(buf, value, f->bytes);
    return write_at(t, f->at, buf, (size_t)f->bytes);
}

/*
 * One track: its edit list cut at the window (each entry no further than what is left of it),
 * and its tkhd then lasting the list's length. In the checking pass nothing is written.
 */
static bool trim_track(struct trim *t, const struct box *trak)
{
    struct box tkhd, edts, elst;
    struct field length;
    /* tkhd: version and flags (4), creation and modification (4 or 8 each), track (4),
     * reserved (4), then the duration. */
    if (!find_child(t, trak, "tkhd", &tkhd))
        return malformed(t);
    if (!duration_field(t, &tkhd, 20, 28, &length, NULL))
        return false;
    if (!find_child(t, trak, "edts", &edts) || !find_child(t, &edts, "elst", &elst)) {
        /* No edit list: the track lasts its samples; there is no window here to shorten. */
        if (t->malformed || t->errnum)
            return false;
        if (length.value > t->longest)
            t->longest = length.value;
        return true;
    }
    uint8_t head[8];
    if (elst.end - elst.body < 8 || !read_at(t, elst.body, head, 8))
        return malformed(t);
    int version = head[0];
    uint64_t count = get_be(head + 4, 4);
    int64_t entry = version == 1 ? 20 : version == 0 ? 12 : 0;
    if (entry == 0 || count > (uint64_t)((elst.end - elst.body - 8) / entry))
        return malformed(t);
    int width = version == 1 ? 8 : 4;
    uint64_t elapsed = 0;
    bool shortened = false;
    for (uint64_t i = 0; i < count; i++) {
        int64_t at = elst.body + 8 + (int64_t)i * entry;
        uint8_t buf[8];
        if (!read_at(t, at, buf, (size_t)width))
            return false;
        /* Empty edits (media time -1) count too: they are time on the track's timeline. */
        uint64_t duration = get_be(buf, width);
        uint64_t left = (uint64_t)t->window - elapsed;
        if (duration > left) {
            duration = left;
            shortened = true;
            put_be(buf, duration, width);
            if (t->writing && !write_at(t, at, buf, (size_t)width))
                return false;
        }
        elapsed += duration;
    }
    uint64_t lasts = length.value;
    if (shortened) {
        t->changed = true;
        if (elapsed < lasts)
            lasts = elapsed;
        if (t->writing && lasts != length.value && !write_field(t, &length, lasts))
            return false;
    }
    if (lasts > t->longest)
        t->longest = lasts;
    return true;
}

/* Every trak of the moov, in one pass (checking or writing). */
static bool trim_tracks(struct trim *t, const struct box *moov)
{
    struct box b;
    t->longest = 0;
    t->changed = false;
    for (int64_t at = moov->body; next_box(t, at, moov->end, false, &b); at = b.end)
        if (is(&b, "trak") && !trim_track(t, &b))
            return false;
    return !t->malformed && t->errnum == 0;
}

static enum rt__mp4_trim_result trim(struct trim *t, double seconds)
{
    struct stat st;
    struct box moov, mvhd;
    if (fstat(t->fd, &st) != 0) {
        t->errnum = errno;
        return RT__MP4_TRIM_IO;
    }
    /* The moov at the top level, before the media data (moov_size, +faststart) or after. */
    int64_t at = 0;
    while (next_box(t, at, st.st_size, true, &moov) && !is(&moov, "moov"))
        at = moov.end;
    if (at >= st.st_size)
        malformed(t); /* no moov at all */
    /* mvhd: version and flags (4), creation and modification (4 or 8 each), timescale (4),
     * then the duration. */
    struct field movie;
    uint32_t timescale = 0;
    if (t->malformed || t->errnum || !find_child(t, &moov, "mvhd", &mvhd) ||
        !duration_field(t, &mvhd, 16, 24, &movie, &timescale) || timescale == 0) {
        malformed(t);
        goto out;
    }
    double ticks = seconds * timescale;
    if (!(ticks < 9e18))
        goto out; /* a window no file reaches */
    t->window = llround(ticks);
    if (!trim_tracks(t, &moov) || !t->changed)
        goto out;
    /* Checked and something to shorten: now for real. mvhd last, from the tracks' new lengths. */
    t->writing = true;
    if (trim_tracks(t, &moov) && t->longest < movie.value)
        write_field(t, &movie, t->longest);
out:
    if (t->errnum)
        return RT__MP4_TRIM_IO;
    return t->malformed ? RT__MP4_TRIM_MALFORMED : RT__MP4_TRIM_OK;
}

enum rt__mp4_trim_result rt__mp4_trim(int fd, double seconds, int *errnum)
{
    struct trim t = {.fd = fd};
    *errnum = 0;
    if (!(seconds > 0))
        return RT__MP4_TRIM_OK;
    enum rt__mp4_trim_result result = trim(&t, seconds);
    *errnum = t.errnum;
    return result;
}
