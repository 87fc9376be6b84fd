/* The ordered writer declared in sink.h: a ring of waiting segments in front of one file. */
#include "sink.h"

#include "errors.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct waiting {
    char *data; /* NULL: not arrived yet */
    size_t len;
};

struct rt__sink {
    int fd;
    char *path;
    size_t window;
    size_t next;
    struct waiting *ring; /* segment i waits in ring[i % window] */
    uint64_t written;
    uint64_t waiting_bytes;
    uint64_t synced; /* bytes handed to the kernel's write-back so far */
    rt__sink_checkpoint_fn checkpoint;
    void *checkpoint_data;
    double checkpoint_interval, last_checkpoint;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum rt_code rt__sink_io_error(int errnum, const char *doing, const char *path,
                               struct rt_error *err)
{
    if (errnum == ENOSPC || errnum == EDQUOT)
        return rt__fail(err, RT_E_DISK_FULL, "disk full while %s %s", doing, path);
    if (errnum == EFBIG)
        return rt__fail(err, RT_E_DISK_FULL, "file size limit reached while %s %s", doing, path);
    return rt__fail(err, RT_E_IO, "error while %s %s: %s", doing, path, strerror(errnum));
}

enum rt_code rt__sink_open(const char *path, size_t window, uint64_t resume_bytes,
                           size_t resume_index, struct rt__sink **out, struct rt_error *err)
{
    *out = NULL;
    if (window == 0)
        window = 1;
    struct rt__sink *sink = calloc(1, sizeof *sink);
    if (!sink)
        return rt__fail(err, RT_E_NOMEM, NULL);
    sink->fd = -1;
    sink->window = window;
    sink->path = strdup(path);
    sink->ring = calloc(window, sizeof *sink->ring);
    if (!sink->path || !sink->ring) {
        rt__sink_free(sink);
        return rt__fail(err, RT_E_NOMEM, NULL);
    }
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (resume_bytes > 0 ? 0 : O_TRUNC);
    sink->fd = open(path, flags, 0644);
    enum rt_code result = RT_OK;
    if (sink->fd < 0) {
        result = rt__sink_io_error(errno, "creating", path, err);
    } else if (resume_bytes > 0) {
        /* Keep the whole segments, drop a segment that was being written. */
        if (ftruncate(sink->fd, (off_t)resume_bytes) != 0 ||
            lseek(sink->fd, (off_t)resume_bytes, SEEK_SET) < 0)
            result = rt__sink_io_error(errno, "resuming", path, err);
        sink->next = resume_index;
        sink->written = sink->synced = resume_bytes;
    }
    if (result != RT_OK) {
        rt__sink_free(sink);
        return result;
    }
    sink->last_checkpoint = now_seconds();
    *out = sink;
    return RT_OK;
}

bool rt__sink_has_room(const struct rt__sink *sink, size_t index)
{
    return index >= sink->next && index - sink->next < sink->window;
}

static enum rt_code write_all(struct rt__sink *sink, const char *data, size_t len,
                              struct rt_error *err)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(sink->fd, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int errnum = n < 0 ? errno : EIO;
            /* Cut the half-written segment off, so the file stays "whole segments only"
             * (what a later resume relies on). */
            if (ftruncate(sink->fd, (off_t)sink->written) == 0)
                lseek(sink->fd, (off_t)sink->written, SEEK_SET);
            return rt__sink_io_error(errnum, "writing", sink->path, err);
        }
        done += (size_t)n;
    }
    return RT_OK;
}

/* Start write-back of what has accumulated, without waiting for it: the final fdatasync()
 * then has little left to do, and the page cache does not fill with a whole video. */
static void start_writeback(struct rt__sink *sink)
{
    const uint64_t chunk = 8u << 20;
    if (sink->written - sink->synced < chunk)
        return;
#ifdef SYNC_FILE_RANGE_WRITE
    sync_file_range(sink->fd, (off_t)sink->synced, (off_t)(sink->written - sink->synced),
                    SYNC_FILE_RANGE_WRITE);
#endif
    sink->synced = sink->written;
}

enum rt_code rt__sink_put(struct rt__sink *sink, size_t index, char *data, size_t len,
                          struct rt_error *err)
{
    if (sink->fd < 0 || !rt__sink_has_room(sink, index) || sink->ring[index % sink->window].data) {
        free(data);
        return rt__fail(err, RT_E_IO, "internal error: segment %zu handed over out of turn",
                        index + 1);
    }
    if (!data) {
        /* An empty segment still takes its turn; give it a non-NULL marker. */
        data = malloc(1);
        if (!data)
            return rt__fail(err, RT_E_NOMEM, NULL);
        len = 0;
    }
    struct waiting *slot = &sink->ring[index % sink->window];
    slot->data = data;
    slot->len = len;
    sink->waiting_bytes += len;

    for (;;) {
        slot = &sink->ring[sink->next % sink->window];
        if (!slot->data)
            return RT_OK;
        enum rt_code result = write_all(sink, slot->data, slot->len, err);
        sink->waiting_bytes -= slot->len;
        free(slot->data);
        slot->data = NULL;
        if (result != RT_OK)
            return result;
        sink->written += slot->len;
        sink->next++;
        start_writeback(sink);
        if (sink->checkpoint &&
            now_seconds() - sink->last_checkpoint >= sink->checkpoint_interval) {
            result = rt__sink_checkpoint(sink, err);
            if (result != RT_OK)
                return result;
        }
    }
}

void rt__sink_set_checkpoint(struct rt__sink *sink, rt__sink_checkpoint_fn fn, void *data,
                             double interval)
{
    sink->checkpoint = fn;
    sink->checkpoint_data = data;
    sink->checkpoint_interval = interval;
}

enum rt_code rt__sink_checkpoint(struct rt__sink *sink, struct rt_error *err)
{
    /* Data first, then the state that points at it: after a crash the state may lag the
     * .part (harmless, the extra is cut off) but never run ahead of it. */
    if (sink->fd >= 0 && fdatasync(sink->fd) != 0 && errno != EINVAL)
        return rt__sink_io_error(errno, "flushing", sink->path, err);
    sink->last_checkpoint = now_seconds();
    if (sink->checkpoint)
        sink->checkpoint(sink->next, sink->written, sink->checkpoint_data);
    return RT_OK;
}

size_t rt__sink_next(const struct rt__sink *sink)
{
    return sink->next;
}

uint64_t rt__sink_written(const struct rt__sink *sink)
{
    return sink->written;
}

uint64_t rt__sink_waiting_bytes(const struct rt__sink *sink)
{
    return sink->waiting_bytes;
}

enum rt_code rt__sink_finish(struct rt__sink *sink, struct rt_error *err)
{
    enum rt_code result = RT_OK;
    if (sink->fd < 0)
        return RT_OK;
    /* The final name must never point at data still only in memory: a crash after the
     * rename would leave a complete-looking name over a hole. */
    if (fdatasync(sink->fd) != 0 && errno != EINVAL)
        result = rt__sink_io_error(errno, "flushing", sink->path, err);
    if (close(sink->fd) != 0 && result == RT_OK)
        result = rt__sink_io_error(errno, "closing", sink->path, err);
    sink->fd = -1;
    return result;
}

void rt__sink_free(struct rt__sink *sink)
{
    if (!sink)
        return;
    if (sink->fd >= 0)
        close(sink->fd);
    if (sink->ring)
        for (size_t i = 0; i < sink->window; i++)
            free(sink->ring[i].data);
    free(sink->ring);
    free(sink->path);
    free(sink);
}
