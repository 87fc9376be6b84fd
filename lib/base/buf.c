/* The capped growable buffer declared in buf.h. */
#include "base/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void rt__buf_init(struct rt__buf *buf, size_t max)
{
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
    buf->max = max;
}

void rt__buf_cleanup(struct rt__buf *buf)
{
    free(buf->data);
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
}

void rt__buf_reset(struct rt__buf *buf)
{
    buf->len = 0;
    if (buf->data)
        buf->data[0] = '\0';
}

static enum rt__buf_result grow_to(struct rt__buf *buf, size_t cap)
{
    char *bigger = realloc(buf->data, cap);
    if (!bigger)
        return RT__BUF_NOMEM;
    buf->data = bigger;
    buf->cap = cap;
    return RT__BUF_OK;
}

enum rt__buf_result rt__buf_reserve(struct rt__buf *buf, size_t want)
{
    if (want > buf->max)
        want = buf->max;
    if (want + 1 <= buf->cap)
        return RT__BUF_OK;
    return grow_to(buf, want + 1);
}

/* Room for `n` more bytes and the NUL; doubling, so that many small pieces stay linear. */
static enum rt__buf_result make_room(struct rt__buf *buf, size_t n)
{
    if (n > buf->max - buf->len)
        return RT__BUF_TOO_BIG;
    size_t need = buf->len + n + 1;
    if (need <= buf->cap)
        return RT__BUF_OK;
    size_t cap = buf->cap ? buf->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > buf->max + 1)
        cap = buf->max + 1;
    return grow_to(buf, cap);
}

enum rt__buf_result rt__buf_append(struct rt__buf *buf, const void *bytes, size_t n)
{
    enum rt__buf_result result = make_room(buf, n);
    if (result != RT__BUF_OK)
        return result;
    memcpy(buf->data + buf->len, bytes, n);
    rt__buf_commit(buf, n);
    return RT__BUF_OK;
}

char *rt__buf_space(struct rt__buf *buf, size_t n)
{
    return make_room(buf, n) == RT__BUF_OK ? buf->data + buf->len : NULL;
}

void rt__buf_commit(struct rt__buf *buf, size_t n)
{
    buf->len += n;
    buf->data[buf->len] = '\0';
}

char *rt__buf_detach(struct rt__buf *buf, size_t *len)
{
    char *data = buf->data;
    if (len)
        *len = buf->len;
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
    return data;
}

void rt__buf_adopt(struct rt__buf *buf, char *data, size_t len, size_t cap)
{
    free(buf->data);
    buf->data = data;
    buf->len = len;
    buf->cap = cap;
    data[len] = '\0';
}
