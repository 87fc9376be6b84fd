/* A positioned write that writes everything or says why not. */
#ifndef RT_LIB_PWRITE_H
#define RT_LIB_PWRITE_H

#include <stddef.h>
#include <stdint.h>

/* All `len` bytes of `data` at offset `at` of `fd`, however many pwrite() calls it takes (a
 * signal in between, a short write). 0, or the errno of the call that failed (EIO for a write
 * of nothing). For the files written whole where they belong: the MP4 and its fixes, a spool
 * drained to its .part. */
int rt__pwrite_whole(int fd, const void *data, size_t len, uint64_t at);

#endif
