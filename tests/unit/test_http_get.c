/* Unit tests for lib/base/http_get.c: several GETs at once on one multi loop, each by the
 * one set of retry rules, against a small HTTP server in this process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- the server: one thread a connection, the path says what to answer ----
 *   /wait/<ms>/<status>      after <ms>, <status> with the path as body
 *   /flaky/<slot>/<n>        503 (Retry-After: 0) for the first <n> requests, then 200
 *   /big                     200 with 4096 bytes
 */

static int port, refused_port;
static atomic_int hits[8];

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void answer(int fd, int status, const char *extra, const char *body, size_t len)
{
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n", status,
                     len, extra);
    if (write(fd, head, (size_t)n) < 0 || write(fd, body, len) < 0)
        return; /* the client went away: nothing to tell */
}

static void *serve_one(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char request[2048] = "";
    size_t got = 0;
    while (got < sizeof request - 1 && !strstr(request, "\r\n\r\n")) {
        ssize_t n = read(fd, request + got, sizeof request - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
        request[got] = '\0';
    }
    request[got] = '\0';
    char path[256] = "";
    sscanf(request, "GET %255s", path);
    long ms, status, slot, fails;
    if (sscanf(path, "/wait/%ld/%ld", &ms, &status) == 2) {
        sleep_ms(ms);
        answer(fd, (int)status, "", path, strlen(path));
    } else if (sscanf(path, "/flaky/%ld/%ld", &slot, &fails) == 2 && slot >= 0 && slot < 8) {
        if (atomic_fetch_add(&hits[slot], 1) < fails)
            answer(fd, 503, "Retry-After: 0\r\n", "busy", 4);
        else
            answer(fd, 200, "", path, strlen(path));
    } else if (strcmp(path, "/big") == 0) {
        static char big[4096];
        memset(big, 'x', sizeof big);
        answer(fd, 200, "", big, sizeof big);
    } else {
        answer(fd, 400, "", "?", 1);
    }
    close(fd);
    return NULL;
}

static void *serve(void *arg)
{
    int listener = (int)(intptr_t)arg;
    for (;;) {
        int fd = accept(listener, NULL, NULL);
        if (fd < 0)
            continue;
        pthread_t t;
        if (pthread_create(&t, NULL, serve_one, (void *)(intptr_t)fd) == 0)
            pthread_detach(t);
        else
            close(fd);
    }
    return NULL;
}

/* A socket bound to 127.0.0.1 on a free port; listening when `listening`, else closed so that
 * its port refuses connections (nobody else binds it within a test this short). */
static int bind_local(bool listening, int *out_port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    *out_port = ntohs(addr.sin_port);
    if (!listening) {
        close(fd);
        return -1;
    }
    assert_int_equal(listen(fd, 64), 0);
    return fd;
}

static int start_server(void **state)
{
    int fd = bind_local(true, &port);
    bind_local(false, &refused_port);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, serve, (void *)(intptr_t)fd), 0);
    pthread_detach(t);
    return 0;
}

/* ---- helpers ---- */

static struct rt_client *new_client(int retries)
{
    struct rt_client_options opts;
    rt_client_options_init(&opts);
    opts.retries = retries;
    opts.timeout = 5;
    struct rt_client *client = NULL;
    assert_int_equal(rt_client_new(&opts, &client, NULL), RT_OK);
    return client;
}

/* One job of a test: its address(es), request, body and error. */
struct call {
    char urls[2][128];
    const char *url_list[2];
    struct rt__request request;
    struct rt__buf body;
    struct rt_error err;
};

static void call_init(struct call *c, struct rt__http_job *job, const char *path, bool mirror)
{
    memset(c, 0, sizeof *c);
    size_t n = 0;
    if (mirror)
        snprintf(c->urls[n++], sizeof c->urls[0], "http://127.0.0.1:%d%s", refused_port, path);
    snprintf(c->urls[n++], sizeof c->urls[0], "http://127.0.0.1:%d%s", port, path);
    for (size_t i = 0; i < n; i++)
        c->url_list[i] = c->urls[i];
    c->request = (struct rt__request){.urls = c->url_list, .url_count = n, .what = path};
    rt__buf_init(&c->body, 1024);
    *job = (struct rt__http_job){.request = &c->request, .body = &c->body, .err = &c->err};
}

/* Up to four jobs for one client: `paths` each on the server alone. */
struct batch {
    struct rt_client *client;
    struct call calls[4];
    struct rt__http_job jobs[4];
    size_t count;
};

static void batch_init(struct batch *b, int retries, const char *const *paths, size_t count)
{
    b->client = new_client(retries);
    b->count = count;
    for (size_t i = 0; i < count; i++)
        call_init(&b->calls[i], &b->jobs[i], paths[i], false);
}

static void batch_cleanup(struct batch *b)
{
    for (size_t i = 0; i < b->count; i++)
        rt__buf_cleanup(&b->calls[i].body);
    rt_client_free(b->client);
}

static void expect_answer(const struct rt__http_job *job, long status, const char *body)
{
    if (job->result != RT_OK)
        fail_msg("%s: %s (%s)", job->request->what, rt_code_name(job->result), job->err->message);
    assert_int_equal(job->status, status);
    assert_int_equal(job->body->len, strlen(body));
    assert_memory_equal(job->body->data, body, strlen(body));
}

/* The order jobs ended in, as `done` heard it; abandons the rest after `stop_after`. */
struct order {
    const struct rt__http_job *jobs;
    size_t ended[4];
    size_t count;
    size_t stop_after; /* 0: never */
};

static bool note_done(const struct rt__http_job *job, void *data)
{
    struct order *o = data;
    o->ended[o->count++] = (size_t)(job - o->jobs);
    return o->stop_after == 0 || o->count < o->stop_after;
}

/* ---- the cases ---- */

/* Three answers 300 ms away each take 300 ms together, not 900. */
static void http_get_many_at_once(void **state)
{
    const char *paths[] = {"/wait/300/200", "/wait/300/201", "/wait/300/404"};
    struct batch b;
    batch_init(&b, 0, paths, 3);
    b.calls[2].request.pass_client_errors = true;
    double started = rt__http_now();
    rt__http_get_many(b.client, b.jobs, 3, NULL, NULL);
    double took = rt__http_now() - started;
    expect_answer(&b.jobs[0], 200, paths[0]);
    expect_answer(&b.jobs[1], 201, paths[1]);
    expect_answer(&b.jobs[2], 404, paths[2]); /* handed over, as asked */
    if (took > 0.75)
        fail_msg("three 300 ms answers took %.2f s: one after another", took);
    batch_cleanup(&b);
}

/* A job waiting to retry (503, backoff) holds the other up not at all, and gets its answer. */
static void http_get_many_retry_waits_alone(void **state)
{
    const char *paths[] = {"/flaky/0/2", "/wait/100/200"};
    struct batch b;
    batch_init(&b, 3, paths, 2);
    struct order order = {.jobs = b.jobs};
    rt__http_get_many(b.client, b.jobs, 2, note_done, &order);
    expect_answer(&b.jobs[0], 200, paths[0]);
    expect_answer(&b.jobs[1], 200, paths[1]);
    assert_int_equal(atomic_load(&hits[0]), 3); /* two 503s, then the answer */
    assert_int_equal(order.count, 2);
    assert_int_equal(order.ended[0], 1); /* the 100 ms job, long before the retries are done */
    batch_cleanup(&b);
}

/* A failing job fails by the same rules: the retries run out (after 1 + retries tries), a
 * 404 rules its mirror out, an answer over the cap is refused, a refused mirror is skipped. */
static void http_get_many_failures(void **state)
{
    const char *paths[] = {"/flaky/1/100", "/wait/0/404", "/big", "/wait/0/200"};
    struct batch b;
    batch_init(&b, 1, paths, 4);
    call_init(&b.calls[3], &b.jobs[3], paths[3], true); /* behind a mirror that refuses */
    rt__http_get_many(b.client, b.jobs, 4, NULL, NULL);
    assert_int_equal(b.jobs[0].result, RT_E_HTTP);
    assert_int_equal(b.jobs[0].status, 503);
    assert_int_equal(atomic_load(&hits[1]), 2);
    assert_non_null(strstr(b.calls[0].err.message, "after 2 tries"));
    assert_int_equal(b.jobs[1].result, RT_E_NOT_FOUND);
    assert_int_equal(b.jobs[2].result, RT_E_BAD_RESPONSE);
    assert_non_null(strstr(b.calls[2].err.message, "larger than 1024 bytes"));
    expect_answer(&b.jobs[3], 200, paths[3]);
    batch_cleanup(&b);
}

/* `done` returning false ends the jobs still going at once, as cancelled. */
static void http_get_many_done_abandons(void **state)
{
    const char *paths[] = {"/wait/3000/200", "/wait/100/404"};
    struct batch b;
    batch_init(&b, 0, paths, 2);
    b.calls[1].request.pass_client_errors = true;
    struct order order = {.jobs = b.jobs, .stop_after = 1};
    double started = rt__http_now();
    rt__http_get_many(b.client, b.jobs, 2, note_done, &order);
    double took = rt__http_now() - started;
    assert_int_equal(order.count, 1);
    assert_int_equal(order.ended[0], 1);
    expect_answer(&b.jobs[1], 404, paths[1]);
    assert_int_equal(b.jobs[0].result, RT_E_CANCELLED);
    if (took > 1.0)
        fail_msg("abandoning took %.2f s", took);
    batch_cleanup(&b);
}

static void *cancel_later(void *arg)
{
    sleep_ms(200);
    atomic_store((atomic_bool *)arg, true);
    return NULL;
}

/* A job's own cancel flag ends that job promptly, and only that one. */
static void http_get_many_cancel_one(void **state)
{
    const char *paths[] = {"/wait/2000/200", "/wait/600/200"};
    struct batch b;
    batch_init(&b, 0, paths, 2);
    atomic_bool cancel = false;
    b.calls[0].request.cancel = &cancel;
    struct order order = {.jobs = b.jobs};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, cancel_later, &cancel), 0);
    rt__http_get_many(b.client, b.jobs, 2, note_done, &order);
    pthread_join(t, NULL);
    assert_int_equal(b.jobs[0].result, RT_E_CANCELLED);
    expect_answer(&b.jobs[1], 200, paths[1]);
    assert_int_equal(order.count, 2);
    assert_int_equal(order.ended[0], 0); /* told of the cancel at once, not at the end */
    batch_cleanup(&b);
}

/* rt__http_get() is the one-job case: the same answer, the same status. */
static void http_get_one(void **state)
{
    const char *paths[] = {"/wait/0/204"};
    struct batch b;
    batch_init(&b, 0, paths, 1);
    struct call *c = &b.calls[0];
    long status = 0;
    assert_int_equal(rt__http_get(b.client, &c->request, &c->body, &status, &c->err), RT_OK);
    assert_int_equal(status, 204);
    batch_cleanup(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(http_get_many_at_once),
        cmocka_unit_test(http_get_many_retry_waits_alone),
        cmocka_unit_test(http_get_many_failures),
        cmocka_unit_test(http_get_many_done_abandons),
        cmocka_unit_test(http_get_many_cancel_one),
        cmocka_unit_test(http_get_one),
    };
    return cmocka_run_group_tests(tests, start_server, NULL);
}
