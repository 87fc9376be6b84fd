/* A file's bytes kept in memory instead of the file, for a reader that follows the writer. */
#ifndef RT_LIB_SPOOL_H
#define RT_LIB_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * hls/sink.c keeps the .part of an MP4 made while downloading here rather than on the disk: on a
 * fast line writing the stream to the page cache, reading it back and freeing it as the .part
 * is deleted cost more than the remux itself (bench/README.md). The bytes sit in blocks at
 * their offsets in the file, written in any order, overlapping writes the same bytes again (a
 * split segment's two halves). The reader (media/mp4_remux.c) copies out what it wants; once
 * the spool may let go, the blocks wholly behind the reader are reused for what comes next.
 * `rt__spool_drain()` writes everything to the file instead, after which the spool holds
 * nothing and the file is the place to read. One writer and one reader, each on its own
 * thread: a mutex guards the blocks.
 */
struct rt__spool;

struct rt__spool *rt__spool_new(void);
void rt__spool_free(struct rt__spool *s);

/* Keep `len` bytes for offset `at`. False when out of memory (nothing of them then kept). */
bool rt__spool_write(struct rt__spool *s, uint64_t at, const void *data, size_t len);

/* Copy up to `len` bytes from offset `at` into `out`: how many, as far as its block goes;
 * 0 when `at` is not held (never written, let go, or drained: the file has it). */
size_t rt__spool_read(struct rt__spool *s, uint64_t at, void *out, size_t len);

/* The bytes from `at` on without a copy: a pointer to as many as its block holds (`*len`, at
 * most `max`), valid until the reader reads past them (rt__spool_read_up_to()). Only once the
 * spool lets go (rt__spool_let_go()): before, a drain might take the block away. NULL when it
 * does not let go yet or does not hold `at`. */
const void *rt__spool_peek(struct rt__spool *s, uint64_t at, size_t max, size_t *len);

/* From now on, the blocks wholly before where the reader got (rt__spool_read_up_to()) may be
 * let go: the file will never need them. Until then every byte written is kept. */
void rt__spool_let_go(struct rt__spool *s);

/* The reader has read everything before `at`. */
void rt__spool_read_up_to(struct rt__spool *s, uint64_t at);

/* Bytes of memory its blocks take. */
uint64_t rt__spool_held(struct rt__spool *s);

/* Whether it still holds every byte ever written to it: not letting go (rt__spool_let_go()),
 * not drained. */
bool rt__spool_whole(struct rt__spool *s);

/* Whether it was drained: the file holds everything. */
bool rt__spool_drained(struct rt__spool *s);

/* Write every byte written to it to `fd`, at its offset (`*end` is then at least where the
 * furthest ends), and hold nothing from now on: writes are refused, reads find nothing. 0, or
 * the errno of the write that failed (the spool then still holds everything); EINVAL once it
 * may let go (rt__spool_let_go()) or was drained. */
int rt__spool_drain(struct rt__spool *s, int fd, uint64_t *end);

#endif
