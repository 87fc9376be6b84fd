/* The .part file declared in sink.h: positioned writes, the complete prefix, checkpoints. */
#include "hls/sink.h"
#include "base/i18n.h"

#include "base/errors.h"
#include "base/reserve.h"
#include "base/spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Write-back is started every this many bytes of prefix: the final fdatasync() then has
 * little left to do, and the page cache does not fill with a whole video. 2 MiB (as for the
 * MP4, media/mp4.c) rather than 8: a TS's last byte to its exit 14 -> 10 ms on bench/'s lan. */
#define WRITEBACK_CHUNK (2u << 20)

/* Keeping the .part in memory (rt__sink_spool()): decided once this much is in the prefix, kept
 * only when the whole download then looks done, at the pace so far, before its write-back and
 * checkpoints would begin (rt__sink_defer_writeback()), so that an interruption could not have
 * been resumed anyway. A download slower than SPOOL_DECIDE_S to get there, or holding
 * SPOOL_FULL_BYTES (a late segment), goes to the file as always. While kept, new segments wait
 * when SPOOL_FULL_BYTES are taken. */
#define SPOOL_DECIDE_BYTES (16u << 20)
#define SPOOL_DECIDE_S     0.25
#define SPOOL_FULL_BYTES   (48u << 20)

enum sink_place {
    IN_FILE,   /* the bytes go to the file */
    UNDECIDED, /* to the spool, every one kept: they can still go to the file */
    IN_MEMORY  /* to the spool, let go once read: the file never has them */
};

struct rt__sink {
    int fd;
    char *path;
    size_t next;             /* whole segments in the prefix */
    uint64_t written;        /* their bytes */
    uint64_t synced;         /* prefix bytes handed to write-back */
    uint64_t extent;         /* the file's size: where its last byte written ends */
    struct rt__reserve room; /* disk space taken ahead of the writes */
    rt__sink_checkpoint_fn checkpoint;
    void *checkpoint_data;
    double checkpoint_interval, last_checkpoint;
    double writeback_from; /* no write-back or checkpoint before (rt__sink_defer_writeback()) */
    struct rt__growing *readers; /* rt__sink_publish_to()'s, or NULL */
    enum sink_place place;
    struct rt__spool *spool; /* the readers' (rt__sink_spool()), while not IN_FILE */
    uint64_t expected;       /* the download's bytes, as estimated */
    double spool_started;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum rt_code rt__sink_open(const char *path, uint64_t resume_bytes, size_t resume_index,
                           struct rt__sink **out, struct rt_error *err)
{
    *out = NULL;
    struct rt__sink *sink = calloc(1, sizeof *sink);
    if (!sink)
        return rt__fail(err, RT_E_NOMEM, NULL);
    sink->fd = -1;
    if (!(sink->path = strdup(path))) {
        rt__sink_free(sink);
        return rt__fail(err, RT_E_NOMEM, NULL);
    }
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (resume_bytes > 0 ? 0 : O_TRUNC);
    sink->fd = open(path, flags, 0644);
    enum rt_code result = RT_OK;
    if (sink->fd < 0) {
        result = rt__io_error(errno, N_("creating"), path, err);
    } else if (resume_bytes > 0) {
        /* Keep the whole segments, drop a segment that was being written. */
        if (ftruncate(sink->fd, (off_t)resume_bytes) != 0)
            result = rt__io_error(errno, N_("resuming"), path, err);
        sink->next = resume_index;
        sink->written = sink->synced = sink->extent = resume_bytes;
        sink->room.end = resume_bytes;
    }
    if (result != RT_OK) {
        rt__sink_free(sink);
        return result;
    }
    sink->last_checkpoint = now_seconds();
    *out = sink;
    return RT_OK;
}

/* Everything the spool holds written to the file, which is where the bytes go from now on. */
static enum rt_code to_file(struct rt__sink *sink, struct rt_error *err)
{
    if (sink->place != UNDECIDED)
        return RT_OK;
    int problem = rt__spool_drain(sink->spool, sink->fd, &sink->extent);
    if (problem != 0)
        return rt__io_error(problem, N_("writing"), sink->path, err);
    sink->place = IN_FILE;
    return RT_OK;
}

/* Whether the download looks done before its write-back would begin, at its pace so far. */
static bool soon_done(const struct rt__sink *sink, double now)
{
    if (sink->expected == 0 || sink->written == 0)
        return false;
    double spent = now - sink->spool_started;
    uint64_t left = sink->expected > sink->written ? sink->expected - sink->written : 0;
    return now + spent * (double)left / (double)sink->written <= sink->writeback_from;
}

/* UNDECIDED until SPOOL_DECIDE_BYTES are in the prefix (then IN_MEMORY if soon done) or held
 * (a late segment: the file), SPOOL_DECIDE_S have passed, or the reader stopped (the file, where
 * a remux after the download will read it). */
static enum rt_code decide_place(struct rt__sink *sink, struct rt_error *err)
{
    if (sink->place != UNDECIDED)
        return RT_OK;
    double now = now_seconds();
    bool reader_done = rt__growing_reader_stopped(sink->readers);
    if (!reader_done && sink->written >= SPOOL_DECIDE_BYTES && soon_done(sink, now)) {
        sink->place = IN_MEMORY;
        rt__spool_let_go(sink->spool);
        return RT_OK;
    }
    if (reader_done || sink->written >= SPOOL_DECIDE_BYTES ||
        rt__spool_held(sink->spool) >= SPOOL_FULL_BYTES ||
        now - sink->spool_started >= SPOOL_DECIDE_S)
        return to_file(sink, err);
    return RT_OK;
}

bool rt__sink_spool(struct rt__sink *sink, uint64_t expected_bytes)
{
    if (!sink->readers || sink->place != IN_FILE || sink->extent > 0 || sink->written > 0)
        return false;
    struct rt__spool *spool = rt__spool_new();
    if (!spool)
        return false;
    rt__growing_attach_spool(sink->readers, spool);
    sink->spool = spool;
    sink->place = UNDECIDED;
    sink->expected = expected_bytes;
    sink->spool_started = now_seconds();
    return true;
}

bool rt__sink_spooling(const struct rt__sink *sink)
{
    return sink->place != IN_FILE;
}

bool rt__sink_in_memory(const struct rt__sink *sink)
{
    return sink->place == IN_MEMORY;
}

bool rt__sink_full(const struct rt__sink *sink)
{
    return sink->place == IN_MEMORY && rt__spool_held(sink->spool) >= SPOOL_FULL_BYTES;
}

enum rt_code rt__sink_write_at(struct rt__sink *sink, uint64_t offset, const void *data, size_t len,
                               struct rt_error *err)
{
    if (sink->place != IN_FILE) {
        if (sink->place == IN_MEMORY && rt__growing_reader_stopped(sink->readers))
            return RT_OK; /* no one reads them, and the file cannot have them: the run will
                             fetch the stream again (download_remux.c) */
        if (!rt__spool_write(sink->spool, offset, data, len))
            return rt__fail(err, RT_E_NOMEM, NULL);
        return decide_place(sink, err); /* should they go to the file, these go with the rest */
    }
    size_t done = 0;
    rt__reserve_ahead(&sink->room, sink->fd, offset + len);
    while (done < len) {
        ssize_t n = pwrite(sink->fd, (const char *)data + done, len - done, (off_t)(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return rt__io_error(n < 0 ? errno : EIO, N_("writing"), sink->path, err);
        done += (size_t)n;
        /* Counted as it goes: a write cut short (a full disk, a size limit) still left bytes
         * past the prefix, which cut_to_prefix() must take off. */
        if (offset + done > sink->extent)
            sink->extent = offset + done;
    }
    return RT_OK;
}

void rt__sink_set_checkpoint(struct rt__sink *sink, rt__sink_checkpoint_fn fn, void *data,
                             double interval)
{
    sink->checkpoint = fn;
    sink->checkpoint_data = data;
    sink->checkpoint_interval = interval;
}

/* Data first, then the state that points at it: after a crash the state may lag the .part
 * (harmless, the rest is cut off) but never run ahead of it. */
static enum rt_code flush_and_report(struct rt__sink *sink, struct rt_error *err)
{
    if (fdatasync(sink->fd) != 0 && errno != EINVAL)
        return rt__io_error(errno, N_("flushing"), sink->path, err);
    sink->last_checkpoint = now_seconds();
    if (sink->checkpoint)
        sink->checkpoint(sink->next, sink->written, sink->checkpoint_data);
    return RT_OK;
}

enum rt_code rt__sink_advance(struct rt__sink *sink, size_t segments, uint64_t bytes,
                              struct rt_error *err)
{
    if (segments <= sink->next)
        return RT_OK;
    sink->next = segments;
    sink->written = bytes;
    if (sink->readers)
        rt__growing_publish(sink->readers, sink->written);
    if (sink->place != IN_FILE) {
        enum rt_code result = decide_place(sink, err);
        if (result != RT_OK || sink->place != IN_FILE)
            return result; /* nothing in the file to write back or checkpoint */
    }
    double now = now_seconds();
    if (now < sink->writeback_from)
        return RT_OK;
    if (sink->written - sink->synced >= WRITEBACK_CHUNK) {
        sync_file_range(sink->fd, (off_t)sink->synced, (off_t)(sink->written - sink->synced),
                        SYNC_FILE_RANGE_WRITE);
        sink->synced = sink->written;
        if (sink->readers)
            rt__growing_settle(sink->readers, sink->synced);
    }
    if (sink->checkpoint && now - sink->last_checkpoint >= sink->checkpoint_interval)
        return flush_and_report(sink, err);
    return RT_OK;
}

void rt__sink_publish_to(struct rt__sink *sink, struct rt__growing *g)
{
    sink->readers = g;
    rt__growing_publish(g, sink->written);
    rt__growing_settle(g, sink->synced);
}

/* Segments written past a gap in the prefix are not counted anywhere: drop them. */
static enum rt_code cut_to_prefix(struct rt__sink *sink, struct rt_error *err)
{
    /* Nothing past it (a whole download): no call, as ext4 waits on write-back for one. */
    if (sink->extent <= sink->written)
        return RT_OK;
    if (ftruncate(sink->fd, (off_t)sink->written) != 0)
        return rt__io_error(errno, N_("cutting"), sink->path, err);
    sink->extent = sink->written;
    rt__reserve_truncated(&sink->room, sink->written);
    return RT_OK;
}

enum rt_code rt__sink_checkpoint(struct rt__sink *sink, struct rt_error *err)
{
    if (sink->fd < 0)
        return RT_OK;
    /* Kept in memory, the prefix was let go once read; a drain that failed left only some of it
     * in the file: either way nothing of it is kept, and nothing is claimed. */
    enum rt_code result = sink->place == IN_MEMORY ? RT_OK : to_file(sink, err);
    if (sink->place == IN_MEMORY || result != RT_OK) {
        sink->next = 0;
        sink->written = 0;
        return result;
    }
    result = cut_to_prefix(sink, err);
    if (result == RT_OK)
        result = flush_and_report(sink, err);
    return result;
}

void rt__sink_defer_writeback(struct rt__sink *sink, double seconds)
{
    sink->writeback_from = now_seconds() + seconds;
    sink->last_checkpoint = sink->writeback_from;
}

size_t rt__sink_next(const struct rt__sink *sink)
{
    return sink->next;
}

uint64_t rt__sink_written(const struct rt__sink *sink)
{
    return sink->written;
}

static enum rt_code finish(struct rt__sink *sink, bool flush, struct rt_error *err)
{
    if (sink->fd < 0)
        return RT_OK;
    enum rt_code result = cut_to_prefix(sink, err);
    if (result == RT_OK && flush && fdatasync(sink->fd) != 0 && errno != EINVAL)
        result = rt__io_error(errno, N_("flushing"), sink->path, err);
    /* After the flush, which the truncation would otherwise wait on. Unflushed, the .part of
     * an MP4 made while downloading is deleted a moment later (or settled, which gives the
     * room back then). Failing, it leaves only unused blocks: the data is whole. */
    if (result == RT_OK && flush)
        rt__reserve_release(&sink->room, sink->fd, sink->written);
    if (close(sink->fd) != 0 && result == RT_OK)
        result = rt__io_error(errno, N_("closing"), sink->path, err);
    sink->fd = -1;
    return result;
}

enum rt_code rt__sink_finish(struct rt__sink *sink, struct rt_error *err)
{
    /* The final name must never point at data still only in memory: a crash after the
     * rename would leave a complete-looking name over a hole. */
    return finish(sink, true, err);
}

enum rt_code rt__sink_finish_unflushed(struct rt__sink *sink, struct rt_error *err)
{
    return finish(sink, false, err);
}

void rt__sink_free(struct rt__sink *sink)
{
    if (!sink)
        return;
    if (sink->fd >= 0) {
        rt__reserve_release(&sink->room, sink->fd, sink->extent); /* every byte written stays */
        close(sink->fd);
    }
    free(sink->path);
    free(sink);
}
