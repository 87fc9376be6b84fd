/* mp4_trim.c: a section's MP4 from libavformat shortened to the section, in place, and what
 * is not an MP4 left alone. The files are built here box by box (test_sections.sh runs it on
 * the real HEVC part). */
#include "media/mp4_trim.h"

#include <setjmp.h> /* before cmocka.h */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* A file under construction: boxes opened and closed like brackets. */
struct file {
    uint8_t data[4096];
    size_t len;
    size_t open[8]; /* where each open box starts */
    int depth;
};

static void put(struct file *f, uint64_t v, int bytes)
{
    assert_true(f->len + (size_t)bytes <= sizeof f->data);
    for (int i = bytes - 1; i >= 0; i--)
        f->data[f->len + (size_t)i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
    f->len += (size_t)bytes;
}

static void zeros(struct file *f, size_t n)
{
    assert_true(f->len + n <= sizeof f->data);
    memset(f->data + f->len, 0, n);
    f->len += n;
}

static uint64_t get(const struct file *f, size_t at, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | f->data[at + (size_t)i];
    return v;
}

static void begin(struct file *f, const char *type)
{
    f->open[f->depth++] = f->len;
    put(f, 0, 4);
    memcpy(f->data + f->len, type, 4);
    f->len += 4;
}

static void end(struct file *f)
{
    size_t start = f->open[--f->depth];
    size_t size = f->len - start;
    for (int i = 0; i < 4; i++)
        f->data[start + (size_t)i] = (uint8_t)(size >> (24 - 8 * i));
}

/* Version and flags, then creation and modification times of the version's width. */
static void full_box_times(struct file *f, int version)
{
    put(f, (uint64_t)version << 24, 4);
    put(f, 0, version ? 8 : 4);
    put(f, 0, version ? 8 : 4);
}

/* mvhd; returns where its duration is. */
static size_t mvhd(struct file *f, int version, uint32_t timescale, uint64_t duration)
{
    begin(f, "mvhd");
    full_box_times(f, version);
    put(f, timescale, 4);
    size_t at = f->len;
    put(f, duration, version ? 8 : 4);
    zeros(f, 80); /* rate, volume, matrix, next track: not read */
    end(f);
    return at;
}

static size_t tkhd(struct file *f, int version, uint64_t duration)
{
    begin(f, "tkhd");
    full_box_times(f, version);
    put(f, 1, 4); /* track */
    put(f, 0, 4);
    size_t at = f->len;
    put(f, duration, version ? 8 : 4);
    zeros(f, 60);
    end(f);
    return at;
}

/* edts with an elst of `n` (duration, media time) entries; returns where the first is. */
static size_t edts(struct file *f, int version, const int64_t (*entries)[2], int n)
{
    begin(f, "edts");
    begin(f, "elst");
    put(f, (uint64_t)version << 24, 4);
    put(f, (uint64_t)n, 4);
    size_t at = f->len;
    for (int i = 0; i < n; i++) {
        put(f, (uint64_t)entries[i][0], version ? 8 : 4);
        put(f, (uint64_t)entries[i][1], version ? 8 : 4);
        put(f, 0x10000, 4); /* rate 1.0 */
    }
    end(f);
    end(f);
    return at;
}

/* A media box the walk must step over: stands for mdia and its tables. */
static void mdia(struct file *f)
{
    begin(f, "mdia");
    begin(f, "mdhd");
    zeros(f, 24);
    end(f);
    end(f);
}

/* Where the interesting fields of the file below are. */
struct layout {
    size_t movie, video, video_elst, audio, audio_elst, text; /* the durations */
    size_t moov, audio_trak;                                  /* where boxes start */
};

/*
 * As libavformat writes an HEVC part of 3 s: ftyp, moov (mvhd at 1000 Hz; a video 3.324 s with
 * reordered frames past the end; a version 1 audio track behind an empty edit; a track with no
 * edit list), then mdat. `moov_last` puts a 64-bit mdat first and moov at the end.
 */
static void build(struct file *f, struct layout *at, bool moov_last)
{
    memset(f, 0, sizeof *f);
    begin(f, "ftyp");
    put(f, 0x69736f6d, 4); /* isom */
    put(f, 0x200, 4);
    end(f);
    if (moov_last) {
        put(f, 1, 4);
        memcpy(f->data + f->len, "mdat", 4);
        f->len += 4;
        put(f, 16 + 8, 8);
        put(f, 0, 8);
    }
    at->moov = f->len;
    begin(f, "moov");
    at->movie = mvhd(f, 0, 1000, 3324);
    begin(f, "trak");
    at->video = tkhd(f, 0, 3324);
    static const int64_t video[][2] = {{3323, 195910}};
    at->video_elst = edts(f, 0, video, 1);
    mdia(f);
    end(f);
    at->audio_trak = f->len;
    begin(f, "trak");
    begin(f, "tref"); /* an unknown box before tkhd */
    put(f, 0, 4);
    end(f);
    at->audio = tkhd(f, 1, 3116);
    static const int64_t audio[][2] = {{100, -1}, {3016, 88200}};
    at->audio_elst = edts(f, 1, audio, 2);
    mdia(f);
    end(f);
    begin(f, "trak");
    at->text = tkhd(f, 0, 2500);
    mdia(f);
    end(f);
    end(f);
    if (!moov_last) {
        begin(f, "mdat");
        put(f, 0xdeadbeef, 4);
        end(f);
    }
}

/* `f` into a new temporary file, open for reading and writing (or only reading). */
static int to_file(const struct file *f, char *path, bool writable)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, f->data, f->len), (ssize_t)f->len);
    if (!writable) {
        close(fd);
        fd = open(path, O_RDONLY);
        assert_true(fd >= 0);
    }
    return fd;
}

static void back_from_file(struct file *f, int fd)
{
    assert_int_equal(pread(fd, f->data, f->len, 0), (ssize_t)f->len);
}

/* trim `f` to `seconds` through a file; `f` then holds what the file does. */
static enum rt__mp4_trim_result trim(struct file *f, double seconds, int *errnum)
{
    char path[] = "/tmp/rtdl-test-trim.XXXXXX";
    int fd = to_file(f, path, true);
    enum rt__mp4_trim_result result = rt__mp4_trim(fd, seconds, errnum);
    back_from_file(f, fd);
    close(fd);
    unlink(path);
    return result;
}

static void check_trimmed_to_3s(const struct file *f, const struct layout *at)
{
    /* The video's window ends at 3 s; so does its tkhd. */
    assert_int_equal(get(f, at->video_elst, 4), 3000);
    assert_int_equal((int32_t)get(f, at->video_elst + 4, 4), 195910); /* media time kept */
    assert_int_equal(get(f, at->video, 4), 3000);
    /* The audio's empty edit counts: 100 + 2900. */
    assert_int_equal(get(f, at->audio_elst, 8), 100);
    assert_int_equal((int64_t)get(f, at->audio_elst + 8, 8), -1);
    assert_int_equal(get(f, at->audio_elst + 20, 8), 2900);
    assert_int_equal(get(f, at->audio, 8), 3000);
    /* No edit list: left as it is. */
    assert_int_equal(get(f, at->text, 4), 2500);
    /* The movie: its longest track. */
    assert_int_equal(get(f, at->movie, 4), 3000);
}

static void mp4_trim_shortens_edit_lists_and_durations(void **state)
{
    (void)state;
    struct file f;
    struct layout at;
    int errnum = -1;
    build(&f, &at, false);
    assert_int_equal(trim(&f, 3.0, &errnum), RT__MP4_TRIM_OK);
    assert_int_equal(errnum, 0);
    check_trimmed_to_3s(&f, &at);
    /* Moov after a 64-bit mdat: found all the same. */
    build(&f, &at, true);
    assert_int_equal(trim(&f, 3.0, &errnum), RT__MP4_TRIM_OK);
    check_trimmed_to_3s(&f, &at);
    /* Once is enough: a second run finds nothing to do. */
    struct file again = f;
    assert_int_equal(trim(&again, 3.0, &errnum), RT__MP4_TRIM_OK);
    assert_memory_equal(again.data, f.data, f.len);
}

static void mp4_trim_leaves_what_is_short_enough(void **state)
{
    (void)state;
    struct file f, before;
    struct layout at;
    int errnum;
    build(&f, &at, false);
    before = f;
    assert_int_equal(trim(&f, 4.0, &errnum), RT__MP4_TRIM_OK);
    assert_memory_equal(f.data, before.data, f.len);
    assert_int_equal(trim(&f, 0, &errnum), RT__MP4_TRIM_OK);
    assert_memory_equal(f.data, before.data, f.len);
}

/* A version 1 mvhd at 90 kHz: the window in the movie's own timescale. */
static void mp4_trim_reads_version_1_and_other_timescales(void **state)
{
    (void)state;
    struct file f = {.len = 0};
    begin(&f, "moov");
    size_t movie = mvhd(&f, 1, 90000, 5 * 90000);
    begin(&f, "trak");
    size_t track = tkhd(&f, 1, 5 * 90000);
    static const int64_t edit[][2] = {{5 * 90000, 0}};
    size_t elst = edts(&f, 1, edit, 1);
    end(&f);
    end(&f);
    int errnum;
    assert_int_equal(trim(&f, 2.5, &errnum), RT__MP4_TRIM_OK);
    assert_int_equal(get(&f, elst, 8), 225000);
    assert_int_equal(get(&f, track, 8), 225000);
    assert_int_equal(get(&f, movie, 8), 225000);
}

/* `f` with the 4-byte big-endian value at `at` replaced. */
static struct file patched(const struct file *f, size_t at, uint32_t value)
{
    struct file g = *f;
    for (int i = 0; i < 4; i++)
        g.data[at + (size_t)i] = (uint8_t)(value >> (24 - 8 * i));
    return g;
}

static void expect_malformed(struct file *f)
{
    struct file before = *f;
    int errnum;
    assert_int_equal(trim(f, 3.0, &errnum), RT__MP4_TRIM_MALFORMED);
    assert_memory_equal(f->data, before.data, f->len); /* nothing written */
}

static void mp4_trim_refuses_malformed_boxes(void **state)
{
    (void)state;
    struct file f, g;
    struct layout at;
    build(&f, &at, false);
    const size_t moov = at.moov, trak2 = at.audio_trak;
    const size_t video_tkhd = at.video - 28, movie_mvhd = at.movie - 24; /* version 0 */
    assert_memory_equal(f.data + moov + 4, "moov", 4);
    assert_memory_equal(f.data + trak2 + 4, "trak", 4);
    assert_memory_equal(f.data + video_tkhd + 4, "tkhd", 4);
    assert_memory_equal(f.data + movie_mvhd + 4, "mvhd", 4);

    /* moov longer than the file; a box smaller than its header; one past its parent; size 0
     * (to the end of the file) inside moov. */
    g = patched(&f, moov, (uint32_t)f.len);
    expect_malformed(&g);
    g = patched(&f, moov + 8, 4);
    expect_malformed(&g);
    g = patched(&f, trak2, 0x10000);
    expect_malformed(&g);
    g = patched(&f, trak2, 0);
    expect_malformed(&g);
    /* A 64-bit size (mvhd's type and version read as one) far past its parent. */
    g = patched(&f, moov + 8, 1);
    expect_malformed(&g);
    /* More elst entries than the box holds; an elst of version 2; a tkhd of version 2. */
    g = patched(&f, at.video_elst - 4, 0x20000000);
    expect_malformed(&g);
    g = patched(&f, at.video_elst - 4, 2); /* the second would be the next box */
    expect_malformed(&g);
    g = patched(&f, at.video_elst - 8, 0x02000000);
    expect_malformed(&g);
    g = patched(&f, video_tkhd + 8, 0x02000000);
    expect_malformed(&g);
    /* A trak without tkhd (renamed). */
    g = f;
    memcpy(g.data + video_tkhd + 4, "free", 4);
    expect_malformed(&g);
    /* mvhd with timescale 0; no mvhd; no moov at all. */
    g = patched(&f, at.movie - 4, 0);
    expect_malformed(&g);
    g = f;
    memcpy(g.data + movie_mvhd + 4, "free", 4);
    expect_malformed(&g);
    g = f;
    memcpy(g.data + moov + 4, "free", 4);
    expect_malformed(&g);

    /* Cut short anywhere, the moov is missing a part: refused, nothing written, no read past
     * the end (under ASan too). Cut in the mdat, after the moov, it is still whole. */
    size_t mdat = f.len - 12;
    for (size_t len = 0; len < f.len; len++) {
        g = f;
        g.len = len;
        int errnum;
        enum rt__mp4_trim_result result = trim(&g, 3.0, &errnum);
        if (len >= mdat) {
            assert_int_equal(result, RT__MP4_TRIM_OK);
            continue;
        }
        assert_int_equal(result, RT__MP4_TRIM_MALFORMED);
        assert_memory_equal(g.data, f.data, len);
    }
}

/* A file it may not write: the failure's errno, not a crash or a success. */
static void mp4_trim_reports_a_failed_write(void **state)
{
    (void)state;
    struct file f;
    struct layout at;
    build(&f, &at, false);
    char path[] = "/tmp/rtdl-test-trim.XXXXXX";
    int fd = to_file(&f, path, false);
    int errnum;
    assert_int_equal(rt__mp4_trim(fd, 3.0, &errnum), RT__MP4_TRIM_IO);
    assert_int_equal(errnum, EBADF);
    close(fd);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mp4_trim_shortens_edit_lists_and_durations),
        cmocka_unit_test(mp4_trim_leaves_what_is_short_enough),
        cmocka_unit_test(mp4_trim_reads_version_1_and_other_timescales),
        cmocka_unit_test(mp4_trim_refuses_malformed_boxes),
        cmocka_unit_test(mp4_trim_reports_a_failed_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
