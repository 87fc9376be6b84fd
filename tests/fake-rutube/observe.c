/* What tests see of the server from outside: request log, counters, stats and port files. */
#include "fake.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One lock for the log and the counters: requests are few enough that it is never contended. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_file;
static FILE *timing_file;
static uint64_t timing_started_ns, timing_started_unix_ns;
static uint64_t requests;
static uint64_t segment_requests;
static uint64_t bytes_sent;
static uint64_t segment_bytes;
static unsigned long long connections;
static unsigned connections_open;
static unsigned max_connections_open;
static unsigned long long mirror_connections;
static unsigned mirror_connections_open;
static unsigned max_mirror_connections_open;
static unsigned segments_in_flight;
static unsigned max_segments_in_flight;

int fake_write_file_atomic(const char *path, const char *text)
{
    /* Readers poll for the file, so it must never be seen half-written: write aside, rename. */
    size_t size = strlen(path) + 32;
    char *tmp = malloc(size);
    if (!tmp)
        return -1;
    snprintf(tmp, size, "%s.tmp.%ld", path, (long)getpid());
    int result = -1;
    FILE *f = fopen(tmp, "w");
    if (!f)
        goto out;
    bool written = fputs(text, f) >= 0;
    if (fclose(f) != 0 || !written) {
        unlink(tmp);
        goto out;
    }
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        goto out;
    }
    result = 0;
out:
    if (result != 0)
        fprintf(stderr, FAKE_PROGRAM ": cannot write %s: %m\n", path);
    free(tmp);
    return result;
}

int fake_observe_open_log(const char *path)
{
    log_file = fopen(path, "w");
    if (!log_file) {
        fprintf(stderr, FAKE_PROGRAM ": cannot open log %s: %m\n", path);
        return -1;
    }
    return 0;
}

int fake_observe_open_timing(const char *path, uint64_t started_ns, uint64_t started_unix_ns)
{
    timing_file = fopen(path, "w");
    if (!timing_file) {
        fprintf(stderr, FAKE_PROGRAM ": cannot open timing log %s: %m\n", path);
        return -1;
    }
    timing_started_ns = started_ns;
    timing_started_unix_ns = started_unix_ns;
    return 0;
}

void fake_observe_close(void)
{
    if (log_file)
        fclose(log_file);
    log_file = NULL;
    pthread_mutex_lock(&lock);
    if (timing_file)
        fclose(timing_file);
    timing_file = NULL;
    pthread_mutex_unlock(&lock);
}

/* A header value goes into one tab-separated field, so tabs and line breaks must not survive. */
static void put_field(FILE *f, const char *value)
{
    if (!value) {
        fputc('-', f);
        return;
    }
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
}

void fake_observe_log(enum fake_role role, const char *method, const char *uri, const char *ua,
                      const char *referer, const char *origin, const char *range, unsigned status,
                      uint64_t at_ms)
{
    pthread_mutex_lock(&lock);
    if (log_file) {
        fputs(fake_role_name(role), log_file);
        const char *fields[] = {method, uri, ua, referer, origin, range};
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            fputc('\t', log_file);
            put_field(log_file, fields[i]);
        }
        /* The time goes last so that the older columns keep their numbers. */
        fprintf(log_file, "\t%u\t%llu\n", status, (unsigned long long)at_ms);
        /* Tests read the log while the server runs. */
        fflush(log_file);
    }
    pthread_mutex_unlock(&lock);
}

/* The monotonic clock's moment t as wall-clock seconds, so that a benchmark can set the
   server's times beside its own `date +%s.%N` readings of a client's start and exit. */
static void put_unix_time(FILE *f, uint64_t t)
{
    uint64_t unix_ns = timing_started_unix_ns + (t - timing_started_ns);
    fprintf(f, "\t%llu.%06llu", (unsigned long long)(unix_ns / 1000000000u),
            (unsigned long long)(unix_ns % 1000000000u / 1000u));
}

struct fake_tally {
    atomic_uint_fast64_t bytes;
    atomic_int holders;
};

struct fake_tally *fake_tally_new(void)
{
    struct fake_tally *tally = malloc(sizeof *tally);
    if (tally) {
        atomic_init(&tally->bytes, 0);
        atomic_init(&tally->holders, 1);
    }
    return tally;
}

void fake_tally_hold(struct fake_tally *tally)
{
    atomic_fetch_add(&tally->holders, 1);
}

void fake_tally_add(struct fake_tally *tally, uint64_t bytes)
{
    atomic_fetch_add(&tally->bytes, bytes);
}

uint64_t fake_tally_bytes(const struct fake_tally *tally)
{
    return atomic_load(&tally->bytes);
}

void fake_tally_release(struct fake_tally *tally)
{
    if (tally && atomic_fetch_sub(&tally->holders, 1) == 1)
        free(tally);
}

void fake_observe_timing(enum fake_role role, const char *method, const char *uri,
                         const char *range, unsigned status, uint64_t arrived_ns,
                         uint64_t answered_ns, uint64_t done_ns, uint64_t bytes, const char *end)
{
    pthread_mutex_lock(&lock);
    if (timing_file) {
        fputs(fake_role_name(role), timing_file);
        const char *fields[] = {method, uri, range};
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            fputc('\t', timing_file);
            put_field(timing_file, fields[i]);
        }
        fprintf(timing_file, "\t%u", status);
        put_unix_time(timing_file, arrived_ns);
        put_unix_time(timing_file, answered_ns);
        put_unix_time(timing_file, done_ns);
        fprintf(timing_file, "\t%llu\t%s\n", (unsigned long long)bytes, end);
        fflush(timing_file);
    }
    pthread_mutex_unlock(&lock);
}

void fake_observe_request(bool is_segment)
{
    pthread_mutex_lock(&lock);
    requests++;
    if (is_segment)
        segment_requests++;
    pthread_mutex_unlock(&lock);
}

void fake_observe_bytes(uint64_t bytes)
{
    pthread_mutex_lock(&lock);
    bytes_sent += bytes;
    pthread_mutex_unlock(&lock);
}

void fake_observe_segment_bytes(uint64_t bytes)
{
    pthread_mutex_lock(&lock);
    bytes_sent += bytes;
    segment_bytes += bytes;
    pthread_mutex_unlock(&lock);
}

void fake_observe_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                             enum MHD_ConnectionNotificationCode code)
{
    const struct fake_listener *listener = cls;
    (void)connection;
    (void)socket_context;
    /* The CDN's connections apart: a cap on them is what a client shares among its videos. */
    bool is_mirror = listener && listener->role <= FAKE_ROLE_MIRROR1;
    pthread_mutex_lock(&lock);
    /* MHD closes every connection it started, at shutdown too; the guards only keep a stray
       report from wrapping a count round. */
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        connections++;
        connections_open++;
        if (connections_open > max_connections_open)
            max_connections_open = connections_open;
        if (is_mirror) {
            mirror_connections++;
            mirror_connections_open++;
            if (mirror_connections_open > max_mirror_connections_open)
                max_mirror_connections_open = mirror_connections_open;
        }
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        if (connections_open > 0)
            connections_open--;
        if (is_mirror && mirror_connections_open > 0)
            mirror_connections_open--;
    }
    pthread_mutex_unlock(&lock);
}

void fake_observe_segment_started(void)
{
    pthread_mutex_lock(&lock);
    segments_in_flight++;
    if (segments_in_flight > max_segments_in_flight)
        max_segments_in_flight = segments_in_flight;
    pthread_mutex_unlock(&lock);
}

void fake_observe_segment_finished(void)
{
    pthread_mutex_lock(&lock);
    segments_in_flight--;
    pthread_mutex_unlock(&lock);
}

int fake_observe_write_stats(const char *path)
{
    char text[768];
    pthread_mutex_lock(&lock);
    /* New counters go last, so the older ones keep their place in the line. */
    snprintf(text, sizeof text,
             "{\"requests\": %llu, \"segment_requests\": %llu, \"max_concurrent_segments\": %u, "
             "\"bytes_sent\": %llu, \"connections\": %llu, \"max_concurrent_connections\": %u, "
             "\"segment_bytes\": %llu, \"mirror_connections\": %llu, "
             "\"max_concurrent_mirror_connections\": %u}\n",
             (unsigned long long)requests, (unsigned long long)segment_requests,
             max_segments_in_flight, (unsigned long long)bytes_sent, connections,
             max_connections_open, (unsigned long long)segment_bytes, mirror_connections,
             max_mirror_connections_open);
    pthread_mutex_unlock(&lock);
    return fake_write_file_atomic(path, text);
}
