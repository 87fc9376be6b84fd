/* The memory-held file declared in spool.h: blocks indexed by offset, reused once let go. */
#include "base/spool.h"

#include "base/pwrite.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A mebibyte: a reader's block (media/mp4_remux.c reads about that much at once) mostly lies in
 * one, and a 200 MB video needs a table of 200 entries. */
#define BLOCK_BITS 20
#define BLOCK_SIZE ((size_t)1 << BLOCK_BITS)
/* Let-go blocks kept for reuse: touching fresh memory costs the kernel a zeroed page each. */
#define SPARE_MAX 64

struct rt__spool {
    pthread_mutex_t lock;
    unsigned char **blocks; /* by offset >> BLOCK_BITS; NULL: not held */
    size_t block_count;
    size_t first;  /* blocks before it are let go */
    uint64_t end;  /* where the furthest byte written ends */
    uint64_t read; /* the reader has everything before this */
    size_t held;   /* blocks allocated */
    /* What was written, as sorted, disjoint [start, end) spans: what a drain writes (never the
     * unwritten rest of a block). Not kept once blocks may be let go, as no drain follows. */
    struct span {
        uint64_t start, end;
    } * spans;
    size_t span_count, span_cap;
    unsigned char *spares[SPARE_MAX];
    size_t spare_count;
    bool letting_go, drained;
};

/* A block with its pages in place at once (MAP_POPULATE): the kernel's fault for each of its
 * 256 pages, as the first copy into it touched them, was a tenth of the download's CPU on a
 * 210 MB video (bench/'s lan). */
static unsigned char *new_block(void)
{
    void *p = mmap(NULL, BLOCK_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void free_block(unsigned char *block)
{
    munmap(block, BLOCK_SIZE);
}

struct rt__spool *rt__spool_new(void)
{
    struct rt__spool *s = calloc(1, sizeof *s);
    if (s)
        pthread_mutex_init(&s->lock, NULL);
    return s;
}

void rt__spool_free(struct rt__spool *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->block_count; i++)
        if (s->blocks[i])
            free_block(s->blocks[i]);
    for (size_t i = 0; i < s->spare_count; i++)
        free_block(s->spares[i]);
    free(s->blocks);
    free(s->spans);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* Where `at` lies: its block, the offset in it, and how many of `len` bytes from it the block
 * holds. */
static size_t in_block(uint64_t at, uint64_t len, size_t *index, size_t *offset)
{
    *index = (size_t)(at >> BLOCK_BITS);
    *offset = (size_t)(at & (BLOCK_SIZE - 1));
    return BLOCK_SIZE - *offset < len ? BLOCK_SIZE - *offset : (size_t)len;
}

/* The block at `index` while it holds bytes to read: not let go, not drained. */
static unsigned char *held_block(const struct rt__spool *s, size_t index)
{
    return !s->drained && index >= s->first && index < s->block_count ? s->blocks[index] : NULL;
}

static unsigned char *block_for(struct rt__spool *s, size_t index)
{
    if (index >= s->block_count) {
        size_t count = s->block_count ? s->block_count : 16;
        while (count <= index)
            count *= 2;
        unsigned char **grown = realloc(s->blocks, count * sizeof *grown);
        if (!grown)
            return NULL;
        memset(grown + s->block_count, 0, (count - s->block_count) * sizeof *grown);
        s->blocks = grown;
        s->block_count = count;
    }
    if (!s->blocks[index]) {
        s->blocks[index] = s->spare_count ? s->spares[--s->spare_count] : new_block();
        if (!s->blocks[index])
            return NULL;
        s->held++;
    }
    return s->blocks[index];
}

/* The blocks wholly before the reader, once they may go: kept for reuse, or freed. */
static void let_go_behind(struct rt__spool *s)
{
    if (!s->letting_go)
        return;
    size_t before = (size_t)(s->read >> BLOCK_BITS);
    for (; s->first < before && s->first < s->block_count; s->first++) {
        unsigned char *block = s->blocks[s->first];
        if (!block)
            continue;
        s->blocks[s->first] = NULL;
        s->held--;
        if (s->spare_count < SPARE_MAX)
            s->spares[s->spare_count++] = block;
        else
            free_block(block);
    }
}

/* [start, end) is written: merged into the spans it touches. Writes mostly continue one
 * span (a segment's body in order), so the search from the end is short. */
static bool note_written(struct rt__spool *s, uint64_t start, uint64_t end)
{
    size_t i = s->span_count;
    while (i > 0 && s->spans[i - 1].start > end)
        i--;
    /* spans[i - 1] may touch [start, end); those after it do not */
    size_t first = i;
    while (first > 0 && s->spans[first - 1].end >= start)
        first--;
    if (first == i) { /* touches nothing: a new span at i */
        if (s->span_count == s->span_cap) {
            size_t cap = s->span_cap ? 2 * s->span_cap : 16;
            struct span *grown = realloc(s->spans, cap * sizeof *grown);
            if (!grown)
                return false;
            s->spans = grown;
            s->span_cap = cap;
        }
        memmove(s->spans + i + 1, s->spans + i, (s->span_count - i) * sizeof *s->spans);
        s->spans[i] = (struct span){start, end};
        s->span_count++;
        return true;
    }
    /* spans[first .. i) merge with it into spans[first] */
    if (s->spans[first].start < start)
        start = s->spans[first].start;
    if (s->spans[i - 1].end > end)
        end = s->spans[i - 1].end;
    s->spans[first] = (struct span){start, end};
    memmove(s->spans + first + 1, s->spans + i, (s->span_count - i) * sizeof *s->spans);
    s->span_count -= i - first - 1;
    return true;
}

bool rt__spool_write(struct rt__spool *s, uint64_t at, const void *data, size_t len)
{
    pthread_mutex_lock(&s->lock);
    bool ok = !s->drained;
    for (size_t done = 0; ok && done < len;) {
        size_t index, offset, n = in_block(at + done, len - done, &index, &offset);
        if (index < s->first) { /* already read and let go: the same bytes again */
            done += n;
            continue;
        }
        unsigned char *block = block_for(s, index);
        if (!block) {
            ok = false;
            break;
        }
        memcpy(block + offset, (const unsigned char *)data + done, n);
        done += n;
    }
    if (ok && !s->letting_go && len > 0)
        ok = note_written(s, at, at + len);
    if (ok && at + len > s->end)
        s->end = at + len;
    pthread_mutex_unlock(&s->lock);
    return ok;
}

size_t rt__spool_read(struct rt__spool *s, uint64_t at, void *out, size_t len)
{
    pthread_mutex_lock(&s->lock);
    size_t index, offset, n = in_block(at, len, &index, &offset);
    const unsigned char *block = held_block(s, index);
    if (block)
        memcpy(out, block + offset, n);
    pthread_mutex_unlock(&s->lock);
    return block ? n : 0;
}

const void *rt__spool_peek(struct rt__spool *s, uint64_t at, size_t max, size_t *len)
{
    pthread_mutex_lock(&s->lock);
    size_t index, offset, n = in_block(at, max, &index, &offset);
    const unsigned char *block = s->letting_go ? held_block(s, index) : NULL;
    pthread_mutex_unlock(&s->lock);
    *len = block ? n : 0;
    return block ? block + offset : NULL;
}

void rt__spool_let_go(struct rt__spool *s)
{
    pthread_mutex_lock(&s->lock);
    s->letting_go = true;
    s->span_count = 0; /* no drain can follow */
    let_go_behind(s);
    pthread_mutex_unlock(&s->lock);
}

void rt__spool_read_up_to(struct rt__spool *s, uint64_t at)
{
    pthread_mutex_lock(&s->lock);
    if (at > s->read)
        s->read = at;
    let_go_behind(s);
    pthread_mutex_unlock(&s->lock);
}

uint64_t rt__spool_held(struct rt__spool *s)
{
    pthread_mutex_lock(&s->lock);
    uint64_t bytes = (uint64_t)s->held * BLOCK_SIZE;
    pthread_mutex_unlock(&s->lock);
    return bytes;
}

bool rt__spool_whole(struct rt__spool *s)
{
    pthread_mutex_lock(&s->lock);
    bool whole = !s->letting_go && !s->drained;
    pthread_mutex_unlock(&s->lock);
    return whole;
}

bool rt__spool_drained(struct rt__spool *s)
{
    pthread_mutex_lock(&s->lock);
    bool drained = s->drained;
    pthread_mutex_unlock(&s->lock);
    return drained;
}

int rt__spool_drain(struct rt__spool *s, int fd, uint64_t *end)
{
    pthread_mutex_lock(&s->lock);
    int problem = s->drained || s->letting_go ? EINVAL : 0;
    for (size_t k = 0; problem == 0 && k < s->span_count; k++) {
        for (uint64_t at = s->spans[k].start; problem == 0 && at < s->spans[k].end;) {
            size_t index, offset, n = in_block(at, s->spans[k].end - at, &index, &offset);
            problem = rt__pwrite_whole(fd, s->blocks[index] + offset, n, at);
            at += n;
        }
    }
    if (problem == 0) {
        if (s->end > *end)
            *end = s->end;
        for (size_t i = 0; i < s->block_count; i++) {
            if (s->blocks[i])
                free_block(s->blocks[i]);
            s->blocks[i] = NULL;
        }
        s->held = 0;
        s->span_count = 0;
        s->drained = true;
    }
    pthread_mutex_unlock(&s->lock);
    return problem;
}
