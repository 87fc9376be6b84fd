/* Disk space taken ahead of a growing file's writes, and given back at its end. */
#ifndef RT_LIB_RESERVE_H
#define RT_LIB_RESERVE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * ext4 (and XFS) otherwise allocate a file written in pieces page by page, each write
 * reserving its blocks for delayed allocation and write-back then allocating them: on a
 * 210 MB video that bookkeeping was a tenth of the CPU of the remux and of the download.
 * fallocate() ahead in large steps gives the file its blocks in a few long extents at once.
 * The space stays beyond the file's size (FALLOC_FL_KEEP_SIZE): readers, resume and sizes
 * see only what was written. Where the file system cannot (EOPNOTSUPP) or the disk has not
 * that much room left (ENOSPC), the file is written as before, the writes say what fails.
 */
struct rt__reserve {
    uint64_t end;  /* taken up to here (0: from the start) */
    bool taken;    /* something may lie beyond the file's size: rt__reserve_release() */
    bool given_up; /* fallocate() failed once: no more asking */
};

/* The file will be written up to `end`: take a step of room beyond it when it runs out. */
void rt__reserve_ahead(struct rt__reserve *r, int fd, uint64_t end);

/* The file was cut to `size` (ftruncate()): what was taken beyond it went with the cut. */
void rt__reserve_truncated(struct rt__reserve *r, uint64_t size);

/* Give back what lies beyond `size`, the file's final size (ftruncate(), which ext4, tmpfs,
 * XFS and btrfs do for room past the size even when the size stays). Best done after the data is
 * flushed: on a page still being written back, truncation waits for it. 0, or an errno value. */
int rt__reserve_release(struct rt__reserve *r, int fd, uint64_t size);

/* The same for a file whose reserve is gone (reopened later): whatever lies beyond `size`. */
int rt__reserve_give_back(int fd, uint64_t size);

#endif
