/* Unit tests for lib/hls/sink.c: positioned writes, the prefix, checkpoints, cutting back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/growing.h"
#include "base/spool.h"
#include "hls/sink.h"

static void read_file(const char *path, char *out, size_t size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(out, 1, size - 1, f);
    out[n] = '\0';
    fclose(f);
}

static long file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (long)st.st_size;
}

static void temp_path(char *path)
{
    strcpy(path, "/tmp/rt-sink-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
}

/* A sink on a new temporary file, whose name goes to `path`. */
static struct rt__sink *new_sink(char *path)
{
    temp_path(path);
    struct rt__sink *sink;
    struct rt_error err = {0};
    assert_int_equal(rt__sink_open(path, 0, 0, &sink, &err), RT_OK);
    return sink;
}

struct seen {
    size_t calls, segments;
    uint64_t bytes;
};

static void remember(size_t segments, uint64_t bytes, void *data)
{
    struct seen *s = data;
    s->calls++;
    s->segments = segments;
    s->bytes = bytes;
}

static void sink_writes_at_offsets(void **state)
{
    char path[32];
    struct rt_error err = {0};
    struct rt__sink *sink = new_sink(path);
    /* Segments "AAA" "B" "CC" "D": the third arrives first. */
    assert_int_equal(rt__sink_write_at(sink, 4, "CC", 2, &err), RT_OK);
    assert_int_equal(rt__sink_write_at(sink, 0, "AAA", 3, &err), RT_OK);
    assert_int_equal(rt__sink_advance(sink, 1, 3, &err), RT_OK);
    assert_int_equal(rt__sink_next(sink), 1);
    assert_int_equal(rt__sink_written(sink), 3);
    assert_int_equal(rt__sink_write_at(sink, 3, "B", 1, &err), RT_OK);
    assert_int_equal(rt__sink_write_at(sink, 6, "D", 1, &err), RT_OK);
    assert_int_equal(rt__sink_advance(sink, 4, 7, &err), RT_OK);
    assert_int_equal(rt__sink_advance(sink, 2, 4, &err), RT_OK); /* never backwards */
    assert_int_equal(rt__sink_next(sink), 4);
    assert_int_equal(rt__sink_finish(sink, &err), RT_OK);
    rt__sink_free(sink);
    char text[64];
    read_file(path, text, sizeof text);
    assert_string_equal(text, "AAABCCD");
    unlink(path);
}

static void sink_cuts_back_to_the_prefix(void **state)
{
    char path[32];
    struct rt_error err = {0};
    struct seen seen = {0};
    struct rt__sink *sink = new_sink(path);
    rt__sink_set_checkpoint(sink, remember, &seen, 1000);
    assert_int_equal(rt__sink_write_at(sink, 0, "AAA", 3, &err), RT_OK);
    assert_int_equal(rt__sink_write_at(sink, 5, "later", 5, &err), RT_OK); /* past a gap */
    assert_int_equal(rt__sink_advance(sink, 1, 3, &err), RT_OK);
    assert_int_equal(seen.calls, 0); /* the interval has not passed */
    assert_int_equal(rt__sink_checkpoint(sink, &err), RT_OK);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.segments, 1);
    assert_int_equal(seen.bytes, 3);
    assert_int_equal(file_size(path), 3); /* what is past the gap is not kept */
    rt__sink_free(sink);
    unlink(path);
}

static void sink_checkpoints_as_the_prefix_grows(void **state)
{
    char path[32];
    struct rt_error err = {0};
    struct seen seen = {0};
    struct rt__sink *sink = new_sink(path);
    rt__sink_set_checkpoint(sink, remember, &seen, 0);
    assert_int_equal(rt__sink_write_at(sink, 0, "AB", 2, &err), RT_OK);
    assert_int_equal(rt__sink_advance(sink, 2, 2, &err), RT_OK);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.segments, 2);
    rt__sink_free(sink);
    unlink(path);
}

static void sink_resumes_after_the_prefix(void **state)
{
    char path[32];
    temp_path(path);
    FILE *f = fopen(path, "wb");
    fputs("AAABB-half-written", f);
    fclose(f);
    struct rt__sink *sink;
    struct rt_error err = {0};
    assert_int_equal(rt__sink_open(path, 5, 2, &sink, &err), RT_OK);
    assert_int_equal(rt__sink_next(sink), 2);
    assert_int_equal(rt__sink_written(sink), 5);
    assert_int_equal(file_size(path), 5); /* the half-written segment is gone */
    assert_int_equal(rt__sink_write_at(sink, 5, "C", 1, &err), RT_OK);
    assert_int_equal(rt__sink_advance(sink, 3, 6, &err), RT_OK);
    assert_int_equal(rt__sink_finish(sink, &err), RT_OK);
    rt__sink_free(sink);
    char text[64];
    read_file(path, text, sizeof text);
    assert_string_equal(text, "AAABBC");
    unlink(path);
}

/* A reader is told the prefix only: what was whole before, then what each advance makes
 * whole, never a segment written past a gap. */
static void sink_publishes_the_prefix(void **state)
{
    char path[32];
    temp_path(path);
    FILE *f = fopen(path, "wb");
    fputs("AAA", f);
    fclose(f);
    struct rt__sink *sink;
    struct rt_error err = {0};
    struct rt__growing g;
    rt__growing_init(&g);
    assert_int_equal(rt__sink_open(path, 3, 1, &sink, &err), RT_OK);
    rt__sink_publish_to(sink, &g);
    uint64_t length;
    assert_int_equal(rt__growing_wait(&g, 0, &length), RT__GROWING);
    assert_int_equal(length, 3); /* the resumed prefix at once */
    assert_int_equal(rt__sink_write_at(sink, 5, "CC", 2, &err), RT_OK); /* after a gap */
    rt__growing_wait(&g, 0, &length);
    assert_int_equal(length, 3);
    assert_int_equal(rt__sink_write_at(sink, 3, "BB", 2, &err), RT_OK);
    assert_int_equal(rt__sink_advance(sink, 3, 7, &err), RT_OK);
    rt__growing_wait(&g, 0, &length);
    assert_int_equal(length, 7);
    rt__sink_free(sink);
    rt__growing_destroy(&g);
    unlink(path);
}

/* A .part whose write-back is put off: no checkpoint and nothing handed to write-back (the
 * reader is told none is settled) before the time is up, both as usual after it. */
static void sink_defers_writeback(void **state)
{
    char path[32];
    struct rt_error err = {0};
    struct seen seen = {0};
    struct rt__growing g;
    rt__growing_init(&g);
    struct rt__sink *sink = new_sink(path);
    rt__sink_set_checkpoint(sink, remember, &seen, 0);
    rt__sink_publish_to(sink, &g);
    rt__sink_defer_writeback(sink, 0.2);
    size_t size = 9u << 20; /* more than a write-back step */
    char *bytes = calloc(1, size);
    assert_non_null(bytes);
    assert_int_equal(rt__sink_write_at(sink, 0, bytes, size, &err), RT_OK);
    assert_int_equal(rt__sink_advance(sink, 1, size, &err), RT_OK);
    uint64_t length;
    rt__growing_wait(&g, 0, &length);
    assert_int_equal(length, size); /* the reader sees it at once */
    assert_int_equal(seen.calls, 0);
    assert_int_equal(rt__growing_settled(&g), 0);
    usleep(300 * 1000);
    assert_int_equal(rt__sink_write_at(sink, size, "B", 1, &err), RT_OK);
    assert_int_equal(rt__sink_advance(sink, 2, size + 1, &err), RT_OK);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.segments, 2);
    assert_int_equal(rt__growing_settled(&g), size + 1);
    free(bytes);
    rt__sink_free(sink);
    rt__growing_destroy(&g);
    unlink(path);
}

/* The disk space the file at `path` holds beyond its size. */
static long long allocated_beyond(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (long long)st.st_blocks * 512 - (long long)st.st_size;
}

/* Room is taken ahead of the writes (base/reserve.h) and given back when the file is done:
 * finished, or left unfinished with every byte written kept. */
static void sink_gives_back_the_room(void **state)
{
    char path[32];
    struct rt_error err = {0};
    static char segment[1 << 20];
    memset(segment, 'x', sizeof segment);
    struct rt__sink *sink = new_sink(path);
    assert_int_equal(rt__sink_write_at(sink, 0, segment, sizeof segment, &err), RT_OK);
    bool reserved = allocated_beyond(path) >= (1 << 20); /* not where /tmp cannot */
    assert_int_equal(rt__sink_advance(sink, 1, sizeof segment, &err), RT_OK);
    assert_int_equal(rt__sink_finish(sink, &err), RT_OK);
    rt__sink_free(sink);
    assert_int_equal(file_size(path), sizeof segment);
    assert_true(allocated_beyond(path) < 64 * 1024);

    /* Unfinished (a failed run's .part as it is left): the bytes past the prefix stay too. */
    assert_int_equal(rt__sink_open(path, sizeof segment, 1, &sink, &err), RT_OK);
    assert_int_equal(rt__sink_write_at(sink, sizeof segment, segment, 1000, &err), RT_OK);
    if (reserved)
        assert_true(allocated_beyond(path) >= (1 << 20));
    rt__sink_free(sink);
    assert_int_equal(file_size(path), sizeof segment + 1000);
    assert_true(allocated_beyond(path) < 64 * 1024);
    unlink(path);
}

static void sink_disk_full(void **state)
{
    struct rt__sink *sink;
    struct rt_error err = {0};
    /* /dev/full answers every write with ENOSPC. */
    assert_int_equal(rt__sink_open("/dev/full", 0, 0, &sink, &err), RT_OK);
    assert_int_equal(rt__sink_write_at(sink, 0, "data", 4, &err), RT_E_DISK_FULL);
    assert_non_null(strstr(err.message, "disk full"));
    assert_non_null(strstr(err.message, "/dev/full"));
    rt__sink_free(sink);
}

static void sink_cannot_create(void **state)
{
    struct rt__sink *sink;
    struct rt_error err = {0};
    assert_int_equal(rt__sink_open("/nonexistent-dir/x.part", 0, 0, &sink, &err), RT_E_IO);
    assert_non_null(strstr(err.message, "/nonexistent-dir/x.part"));
}

/* ---- a .part kept in memory (rt__sink_spool()) ---- */

#define SEGMENT  (1u << 20)
#define SEGMENTS 17 /* past the 16 MiB after which the sink decides */

/* A sink whose prefix a reader follows, its bytes offered to memory: write-back put off for
 * `defer` seconds, the download said to be `expected` bytes. */
static struct rt__sink *spooled_sink(char *path, struct rt__growing *g, double defer,
                                     uint64_t expected, struct seen *seen)
{
    struct rt__sink *sink = new_sink(path);
    rt__growing_init(g);
    rt__sink_set_checkpoint(sink, remember, seen, 0);
    rt__sink_publish_to(sink, g);
    rt__sink_defer_writeback(sink, defer);
    assert_true(rt__sink_spool(sink, expected));
    assert_true(rt__sink_spooling(sink));
    return sink;
}

/* Segment i of the test stream: SEGMENT bytes of 'a' + i % 26. */
static void write_segments(struct rt__sink *sink, size_t from, size_t to)
{
    static char bytes[SEGMENT];
    struct rt_error err = {0};
    for (size_t i = from; i < to; i++) {
        memset(bytes, 'a' + (int)(i % 26), sizeof bytes);
        assert_int_equal(rt__sink_write_at(sink, (uint64_t)i * SEGMENT, bytes, SEGMENT, &err),
                         RT_OK);
        assert_int_equal(rt__sink_advance(sink, i + 1, (uint64_t)(i + 1) * SEGMENT, &err), RT_OK);
    }
}

/* A download that looks done long before its write-back would start: the bytes stay in memory
 * for the reader, the file is never written, nothing is checkpointed, and a stop keeps nothing. */
static void sink_spool_keeps_a_quick_download_in_memory(void **state)
{
    char path[32];
    struct rt__growing g;
    struct seen seen = {0};
    struct rt_error err = {0};
    struct rt__sink *sink = spooled_sink(path, &g, 30, (uint64_t)20 * SEGMENT, &seen);
    write_segments(sink, 0, SEGMENTS);
    assert_true(rt__sink_in_memory(sink));
    assert_int_equal(file_size(path), 0);
    assert_int_equal(seen.calls, 0);
    struct rt__spool *spool = rt__growing_spool(&g);
    assert_non_null(spool);
    char b;
    assert_int_equal(rt__spool_read(spool, 3 * SEGMENT + 5, &b, 1), 1);
    assert_int_equal(b, 'd');
    /* The reader passes: what is behind it goes. */
    uint64_t before = rt__spool_held(spool);
    rt__growing_note_read(&g, 10 * SEGMENT);
    assert_true(rt__spool_held(spool) < before);
    assert_int_equal(rt__spool_read(spool, 3 * SEGMENT + 5, &b, 1), 0);
    /* Stopped here: nothing of it is on the disk, and nothing is claimed. */
    assert_int_equal(rt__sink_checkpoint(sink, &err), RT_OK);
    assert_int_equal(rt__sink_next(sink), 0);
    assert_int_equal(rt__sink_written(sink), 0);
    assert_int_equal(seen.calls, 0);
    assert_int_equal(file_size(path), 0);
    rt__sink_free(sink);
    rt__growing_destroy(&g);
    unlink(path);
}

static void expect_segments_in_file(const char *path, size_t count)
{
    assert_int_equal(file_size(path), (long)count * SEGMENT);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(fseek(f, (long)(i * SEGMENT + SEGMENT / 2), SEEK_SET), 0);
        assert_int_equal(fgetc(f), 'a' + (int)(i % 26));
    }
    fclose(f);
}

/* One that would still run when its write-back starts goes to the file, everything held so far
 * first: from then on it is a .part as always, checkpointed as it grows. */
static void sink_spool_sends_a_long_download_to_the_file(void **state)
{
    char path[32];
    struct rt__growing g;
    struct seen seen = {0};
    struct rt_error err = {0};
    struct rt__sink *sink = spooled_sink(path, &g, 0, (uint64_t)1 << 40, &seen);
    write_segments(sink, 0, SEGMENTS);
    assert_false(rt__sink_spooling(sink));
    assert_true(rt__spool_drained(rt__growing_spool(&g)));
    write_segments(sink, SEGMENTS, SEGMENTS + 2);
    assert_true(seen.calls > 0); /* checkpointed as usual */
    assert_int_equal(seen.segments, SEGMENTS + 2);
    assert_int_equal(rt__sink_finish(sink, &err), RT_OK);
    expect_segments_in_file(path, SEGMENTS + 2);
    rt__sink_free(sink);
    rt__growing_destroy(&g);
    unlink(path);
}

/* Undecided, a stop keeps everything: it goes to the file, checkpointed. So does a reader that
 * stops (a remux that stepped aside reads the file after the download). */
static void sink_spool_undecided_stop_keeps_everything(void **state)
{
    char path[32];
    struct rt__growing g;
    struct seen seen = {0};
    struct rt_error err = {0};
    struct rt__sink *sink = spooled_sink(path, &g, 30, (uint64_t)20 * SEGMENT, &seen);
    write_segments(sink, 0, 3);
    assert_true(rt__sink_spooling(sink));
    assert_int_equal(file_size(path), 0);
    assert_int_equal(rt__sink_checkpoint(sink, &err), RT_OK);
    assert_int_equal(seen.segments, 3);
    expect_segments_in_file(path, 3);
    rt__sink_free(sink);
    rt__growing_destroy(&g);
    unlink(path);

    seen = (struct seen){0};
    sink = spooled_sink(path, &g, 30, (uint64_t)20 * SEGMENT, &seen);
    write_segments(sink, 0, 2);
    rt__growing_reader_done(&g);
    write_segments(sink, 2, 4);
    assert_false(rt__sink_spooling(sink));
    assert_int_equal(rt__sink_finish(sink, &err), RT_OK);
    expect_segments_in_file(path, 4);
    rt__sink_free(sink);
    rt__growing_destroy(&g);
    unlink(path);
}

/* Kept in memory, the download waits for a reader that falls far behind. */
static void sink_spool_full_until_the_reader_catches_up(void **state)
{
    char path[32];
    struct rt__growing g;
    struct seen seen = {0};
    struct rt__sink *sink = spooled_sink(path, &g, 30, (uint64_t)60 * SEGMENT, &seen);
    write_segments(sink, 0, SEGMENTS);
    assert_true(rt__sink_in_memory(sink));
    assert_false(rt__sink_full(sink));
    write_segments(sink, SEGMENTS, 50);
    assert_true(rt__sink_full(sink));
    rt__growing_note_read(&g, 40 * SEGMENT);
    assert_false(rt__sink_full(sink));
    rt__sink_free(sink);
    rt__growing_destroy(&g);
    unlink(path);
}

/* A resumed .part is read from the file: no memory is offered. */
static void sink_spool_not_for_a_resumed_part(void **state)
{
    char path[32];
    struct rt_error err = {0};
    temp_path(path);
    FILE *f = fopen(path, "wb");
    fputs("AAAB", f);
    fclose(f);
    struct rt__sink *sink;
    assert_int_equal(rt__sink_open(path, 3, 1, &sink, &err), RT_OK);
    struct rt__growing g;
    rt__growing_init(&g);
    rt__sink_publish_to(sink, &g);
    assert_false(rt__sink_spool(sink, 100));
    assert_false(rt__sink_spooling(sink));
    rt__sink_free(sink);
    rt__growing_destroy(&g);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sink_writes_at_offsets),
        cmocka_unit_test(sink_cuts_back_to_the_prefix),
        cmocka_unit_test(sink_checkpoints_as_the_prefix_grows),
        cmocka_unit_test(sink_defers_writeback),
        cmocka_unit_test(sink_resumes_after_the_prefix),
        cmocka_unit_test(sink_publishes_the_prefix),
        cmocka_unit_test(sink_gives_back_the_room),
        cmocka_unit_test(sink_disk_full),
        cmocka_unit_test(sink_cannot_create),
        cmocka_unit_test(sink_spool_keeps_a_quick_download_in_memory),
        cmocka_unit_test(sink_spool_sends_a_long_download_to_the_file),
        cmocka_unit_test(sink_spool_undecided_stop_keeps_everything),
        cmocka_unit_test(sink_spool_full_until_the_reader_catches_up),
        cmocka_unit_test(sink_spool_not_for_a_resumed_part),
    };
    return cmocka_run_group_tests_name("sink", tests, NULL, NULL);
}
