/* The room taken ahead declared in reserve.h. */
#include "base/reserve.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Large enough that a 200 MB file takes seven calls (about 0.1 ms each here), small enough
 * that a disk near full does not refuse it long before the file itself would be. */
#define RESERVE_STEP (32u << 20)

void rt__reserve_ahead(struct rt__reserve *r, int fd, uint64_t end)
{
    if (r->given_up || end <= r->end)
        return;
    uint64_t to = end + RESERVE_STEP;
    if (fallocate(fd, FALLOC_FL_KEEP_SIZE, (off_t)r->end, (off_t)(to - r->end)) != 0) {
        r->given_up = true;
        /* Not a file that can (a device, a file system without it): nothing was taken. Out
         * of room, or interrupted, part of it may have been. */
        if (errno != EOPNOTSUPP && errno != ENOSYS && errno != ENODEV && errno != ESPIPE &&
            errno != EINVAL && errno != EBADF)
            r->taken = true;
        return;
    }
    r->taken = true;
    r->end = to;
}

void rt__reserve_truncated(struct rt__reserve *r, uint64_t size)
{
    r->taken = false;
    r->end = size;
}

int rt__reserve_give_back(int fd, uint64_t size)
{
    if (ftruncate(fd, (off_t)size) != 0)
        return errno;
    /* ext4, tmpfs, XFS and btrfs give the room back on a cut to the same size; a file system
     * that takes an unchanged size for nothing to do gives it back on a real cut: one byte
     * more, then the size again. */
    struct stat st;
    if (fstat(fd, &st) == 0 && (uint64_t)st.st_blocks * 512 >= size + RESERVE_STEP / 2 &&
        (ftruncate(fd, (off_t)size + 1) != 0 || ftruncate(fd, (off_t)size) != 0))
        return errno;
    return 0;
}

int rt__reserve_release(struct rt__reserve *r, int fd, uint64_t size)
{
    if (!r->taken)
        return 0;
    rt__reserve_truncated(r, size);
    return rt__reserve_give_back(fd, size);
}
