/* The growing file declared in growing.h: a length under a mutex and a condition. */
#include "base/growing.h"

#include <errno.h>
#include <time.h>

void rt__growing_init(struct rt__growing *g)
{
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->changed, NULL);
    g->length = g->wanted = 0;
    g->state = RT__GROWING;
    g->reader_done = false;
    atomic_init(&g->read, 0);
    atomic_init(&g->settled, 0);
    g->spool = NULL;
}

void rt__growing_destroy(struct rt__growing *g)
{
    rt__spool_free(g->spool);
    pthread_cond_destroy(&g->changed);
    pthread_mutex_destroy(&g->lock);
}

static void change(struct rt__growing *g, uint64_t length, enum rt__growing_state state)
{
    pthread_mutex_lock(&g->lock);
    enum rt__growing_state was = g->state;
    if (g->state == RT__GROWING) {
        if (length > g->length)
            g->length = length;
        g->state = state;
    } else if (state == RT__ABANDONED) {
        g->state = state;
    }
    /* A segment is less than the reader's block: most publications need wake no one. */
    if (g->state != was || g->length >= g->wanted)
        pthread_cond_broadcast(&g->changed);
    pthread_mutex_unlock(&g->lock);
}

void rt__growing_publish(struct rt__growing *g, uint64_t length)
{
    change(g, length, RT__GROWING);
}

void rt__growing_complete(struct rt__growing *g, uint64_t length)
{
    change(g, length, RT__COMPLETE);
}

void rt__growing_abandon(struct rt__growing *g)
{
    change(g, 0, RT__ABANDONED);
}

void rt__growing_settle(struct rt__growing *g, uint64_t length)
{
    atomic_store(&g->settled, length);
}

uint64_t rt__growing_settled(struct rt__growing *g)
{
    return atomic_load(&g->settled);
}

enum rt__growing_state rt__growing_wait(struct rt__growing *g, uint64_t want, uint64_t *length)
{
    pthread_mutex_lock(&g->lock);
    g->wanted = want;
    while (g->state == RT__GROWING && g->length < want)
        pthread_cond_wait(&g->changed, &g->lock);
    enum rt__growing_state state = g->state;
    *length = g->length;
    pthread_mutex_unlock(&g->lock);
    return state;
}

void rt__growing_attach_spool(struct rt__growing *g, struct rt__spool *spool)
{
    pthread_mutex_lock(&g->lock);
    g->spool = spool;
    pthread_mutex_unlock(&g->lock);
}

struct rt__spool *rt__growing_spool(struct rt__growing *g)
{
    pthread_mutex_lock(&g->lock);
    struct rt__spool *spool = g->spool;
    pthread_mutex_unlock(&g->lock);
    return spool;
}

void rt__growing_note_read(struct rt__growing *g, uint64_t bytes)
{
    atomic_store(&g->read, bytes);
    struct rt__spool *spool = rt__growing_spool(g);
    if (spool)
        rt__spool_read_up_to(spool, bytes);
}

void rt__growing_reader_done(struct rt__growing *g)
{
    pthread_mutex_lock(&g->lock);
    g->reader_done = true;
    pthread_cond_broadcast(&g->changed);
    pthread_mutex_unlock(&g->lock);
}

bool rt__growing_reader_stopped(struct rt__growing *g)
{
    pthread_mutex_lock(&g->lock);
    bool done = g->reader_done;
    pthread_mutex_unlock(&g->lock);
    return done;
}

bool rt__growing_wait_reader(struct rt__growing *g, double seconds, uint64_t *length,
                             uint64_t *read)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    long long ns = until.tv_nsec + (long long)(seconds * 1e9);
    until.tv_sec += (time_t)(ns / 1000000000);
    until.tv_nsec = (long)(ns % 1000000000);
    pthread_mutex_lock(&g->lock);
    int r = 0;
    while (!g->reader_done && r != ETIMEDOUT)
        r = pthread_cond_timedwait(&g->changed, &g->lock, &until);
    bool done = g->reader_done;
    *length = g->length;
    pthread_mutex_unlock(&g->lock);
    *read = atomic_load(&g->read);
    return done;
}
