/* A growable byte buffer with a hard size cap, for everything read off the network. */
#ifndef RT_LIB_BUF_H
#define RT_LIB_BUF_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Invariants: `data` is NULL or holds `len` bytes followed by a NUL (so text can be parsed in
 * place); `len <= max`. Appending past `max` fails and leaves the buffer as it was: a server
 * that sends more than we asked for is an error, not a reason to grow.
 */
struct rt__buf {
    char *data;
    size_t len;
    size_t cap; /* allocated bytes, including room for the NUL */
    size_t max; /* largest `len` allowed */
};

enum rt__buf_result { RT__BUF_OK, RT__BUF_NOMEM, RT__BUF_TOO_BIG };

void rt__buf_init(struct rt__buf *buf, size_t max);
/* Frees the bytes; the buffer can be used again with the same cap. */
void rt__buf_cleanup(struct rt__buf *buf);
/* Empty the buffer but keep its memory. */
void rt__buf_reset(struct rt__buf *buf);
/* Make room for `want` bytes in total (a hint from Content-Length); never beyond `max`. */
enum rt__buf_result rt__buf_reserve(struct rt__buf *buf, size_t want);
enum rt__buf_result rt__buf_append(struct rt__buf *buf, const void *bytes, size_t n);
/* Writing in place: room for up to `n` more bytes at the end (NULL when out of memory or past
 * `max`), then rt__buf_commit() counts the `n` (no more than asked) actually written. */
char *rt__buf_space(struct rt__buf *buf, size_t n);
void rt__buf_commit(struct rt__buf *buf, size_t n);
/* Hand the bytes to the caller, who frees them with free(); the buffer becomes empty.
 * Returns NULL for an empty buffer. */
char *rt__buf_detach(struct rt__buf *buf, size_t *len);
/* The other way: the buffer's memory is freed and it takes `data`, `cap` bytes from malloc()
 * of which the first `len` (< cap) are its contents: a detached buffer's memory, used again
 * rather than freed and allocated anew. */
void rt__buf_adopt(struct rt__buf *buf, char *data, size_t len, size_t cap);

#endif
