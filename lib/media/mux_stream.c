/* The streaming remux declared in mux_stream.h: a thread, a growing input, a join. */
#include "media/mux_stream.h"

#include "base/errors.h"
#include "media/mp4_remux.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rt__mux_stream {
    struct rt__mux_job job; /* the thread's: growing set, no progress, warnings kept */
    rt_progress_fn progress;
    void *progress_data;
    struct rt__growing input;
    pthread_t thread;
    bool joined;
    uint64_t length;    /* the input's, once complete */
    double share;       /* of it remuxed by then */
    double cpu_seconds; /* the thread's, when it ended */
    /* the thread's result, read after the join */
    enum rt_code result;
    bool declined;
    char why[128];
    char warning[160];
    struct rt_error err;
};

static void *remux_thread(void *data)
{
    struct rt__mux_stream *s = data;
    s->result = rt__mp4_remux(&s->job, &s->declined, s->why, sizeof s->why, &s->err);
    struct timespec cpu;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu) == 0)
        s->cpu_seconds = (double)cpu.tv_sec + (double)cpu.tv_nsec / 1e9;
    rt__growing_reader_done(&s->input);
    return NULL;
}

struct rt__mux_stream *rt__mux_stream_start(const struct rt__mux_job *job)
{
    struct rt__mux_stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->job = *job;
    s->progress = job->progress;
    s->progress_data = job->progress_data;
    s->job.progress = NULL;
    s->job.progress_data = NULL;
    s->job.growing = &s->input;
    s->job.warning = s->warning;
    s->job.warning_size = sizeof s->warning;
    rt__growing_init(&s->input);
    if (pthread_create(&s->thread, NULL, remux_thread, s) != 0) {
        rt__growing_destroy(&s->input);
        free(s);
        return NULL;
    }
    return s;
}

struct rt__growing *rt__mux_stream_input(struct rt__mux_stream *s)
{
    return &s->input;
}

static void join(struct rt__mux_stream *s)
{
    if (!s->joined)
        pthread_join(s->thread, NULL);
    s->joined = true;
}

void rt__mux_stream_abandon(struct rt__mux_stream *s)
{
    rt__growing_abandon(&s->input);
    join(s);
}

void rt__mux_stream_complete(struct rt__mux_stream *s, uint64_t length)
{
    uint64_t read = atomic_load(&s->input.read);
    s->length = length;
    s->share = length > 0 ? (double)read / (double)length : 1;
    rt__growing_complete(&s->input, length);
}

enum rt_code rt__mux_stream_end(struct rt__mux_stream *s, double *share, bool *declined, char *why,
                                size_t why_size, struct rt_error *err)
{
    uint64_t length = s->length, read = atomic_load(&s->input.read);
    *share = s->share;
    /* The remux phase as the program knows it, from the thread that reports the rest. */
    struct rt__mux_job reporter = s->job;
    reporter.progress = s->progress;
    reporter.progress_data = s->progress_data;
    double last = 0;
    rt__mux_report(&reporter, read, length, false, &last);
    uint64_t readable;
    while (!rt__growing_wait_reader(&s->input, 0.1, &readable, &read)) {
        if (rt__cancelled(s->job.client, s->job.cancel))
            rt__growing_abandon(&s->input); /* it stops at its next block */
        rt__mux_report(&reporter, read, length, false, &last);
    }
    join(s);
    if (s->result == RT_OK && !s->declined)
        rt__mux_report(&reporter, length, length, true, &last);
    if (s->warning[0])
        rt__log(s->job.client, RT_LOG_WARN, "%s", s->warning);
    *declined = s->declined;
    snprintf(why, why_size, "%s", s->why);
    if (s->result != RT_OK)
        rt__fail(err, s->result, "%s", s->err.message);
    return s->result;
}

double rt__mux_stream_cpu_seconds(const struct rt__mux_stream *s)
{
    return s->joined ? s->cpu_seconds : 0;
}

void rt__mux_stream_free(struct rt__mux_stream *s)
{
    if (!s)
        return;
    if (!s->joined)
        rt__mux_stream_abandon(s);
    rt__growing_destroy(&s->input);
    free(s);
}
