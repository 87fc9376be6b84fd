/* GETs with the library's retry rules, several at once on one libcurl multi handle. */
#include "base/http.h"
#include "base/i18n.h"

#include "base/errors.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* rt__request.urls beyond this many are not tried. */
#define MAX_MIRRORS 16

/* How often the loop looks at cancel flags when libcurl has nothing to say. */
#define WAKE_MS 50

/* Where one job stands: its transfer, its mirrors, its failures so far. */
struct job {
    struct rt__http_job *out;
    const struct rt__request *request;
    struct rt_client *client;
    CURL *easy;
    bool running;  /* in the multi handle */
    bool finished; /* out->result is set */
    bool told;     /* `done` has heard of it */
    double due;    /* when the next try may start (monotonic seconds) */
    bool dead[MAX_MIRRORS];
    size_t count;  /* mirrors */
    size_t mirror; /* the one asked (or to be asked) */
    int failures;  /* tries that failed in a way worth retrying */
    /* The try under way. */
    bool too_big;
    bool stalled;        /* aborted by us: no byte for `timeout` seconds */
    curl_off_t last_now; /* bytes received when last seen */
    double last_change;
    char host[256];
    char curl_message[CURL_ERROR_SIZE];
    char last_failure[256 + CURL_ERROR_SIZE + 32];
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct job *j = userdata;
    size_t n = size * nmemb;
    if (rt__buf_append(j->out->body, data, n) != RT__BUF_OK) {
        j->too_big = true;
        return 0; /* aborts the transfer */
    }
    /* A small request is not held back by the speed limit (see rt_client_options.limit_rate),
     * but its bytes count: the segment transfers make up for them. */
    if (rt__rate_limit(&j->client->rate))
        rt__rate_charge(&j->client->rate, n, rt__http_now());
    return n;
}

static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    struct job *j = userdata;
    if (rt__cancelled(j->client, j->request->cancel))
        return 1;
    /* The same "no byte for the timeout" rule as segment transfers (see fetch.c). */
    double now = rt__http_now();
    if (dlnow != j->last_now) {
        j->last_now = dlnow;
        j->last_change = now;
    } else if (now - j->last_change >= j->client->timeout) {
        j->stalled = true;
        return 1;
    }
    return 0;
}

static void finish(struct job *j, enum rt_code result)
{
    j->out->result = result;
    j->finished = true;
}

/* Take the job's transfer out of the multi handle, if it is in. */
static void stop(CURLM *multi, struct job *j)
{
    if (j->running)
        curl_multi_remove_handle(multi, j->easy);
    j->running = false;
}

/* One try: set the handle up for the job's mirror and hand it to the multi handle. */
static void start(CURLM *multi, struct job *j)
{
    const struct rt__request *request = j->request;
    const char *url = request->urls[j->mirror];
    CURL *easy = j->easy;
    rt__http_host(url, j->host, sizeof j->host);
    curl_easy_reset(easy);
    if (request->api)
        rt__http_setup_api(j->client, easy);
    else
        rt__http_setup(j->client, easy);
    rt__buf_reset(j->out->body);
    j->too_big = j->stalled = false;
    j->last_now = 0;
    j->last_change = rt__http_now();
    j->curl_message[0] = '\0';
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, j);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(easy, CURLOPT_XFERINFODATA, j);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, j->curl_message);
    /* Calls started together to one HTTPS host share its connection when it speaks HTTP/2,
     * as the segment engine's transfers do, instead of each paying for a handshake. */
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, strncasecmp(url, "https:", 6) == 0 ? 1L : 0L);
    if (request->head)
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    if (request->range)
        curl_easy_setopt(easy, CURLOPT_RANGE, request->range);
    if (curl_multi_add_handle(multi, easy) == CURLM_OK)
        j->running = true;
    else
        finish(j, rt__fail(j->out->err, RT_E_NOMEM, NULL));
}

static void read_head(CURL *easy, struct rt__head_info *info)
{
    curl_off_t length = -1;
    curl_easy_getinfo(easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    info->length = length;
    struct curl_header *h = NULL;
    info->ranges = curl_easy_header(easy, "Accept-Ranges", 0, CURLH_HEADER, -1, &h) == CURLHE_OK &&
                   h && strcasecmp(h->value, "bytes") == 0;
}

/* The next mirror after `current` not ruled out, or `count` when all are. */
static size_t next_mirror(const bool *dead, size_t count, size_t current)
{
    for (size_t k = 1; k <= count; k++) {
        size_t m = (current + k) % count;
        if (!dead[m])
            return m;
    }
    return count;
}

/* A try has ended with `rc`: the job is finished, or its next try is set for a later time. */
static void judge_try(struct job *j, CURLcode rc)
{
    const struct rt__request *request = j->request;
    struct rt__http_job *out = j->out;
    CURL *easy = j->easy;
    if (rc == CURLE_ABORTED_BY_CALLBACK && !j->stalled) {
        finish(j, rt__fail(out->err, RT_E_CANCELLED, NULL));
        return;
    }
    /* libcurl's own low-speed check may fire first on a silent server: with no byte at all
     * received it is the same stall, and said the same way. */
    if (j->stalled || (rc == CURLE_OPERATION_TIMEDOUT && j->last_now == 0))
        snprintf(j->curl_message, CURL_ERROR_SIZE, "no data for %d s", j->client->timeout);
    if (j->too_big) {
        finish(j,
               rt__fail(out->err, RT_E_BAD_RESPONSE, _("%s: the answer is larger than %zu bytes"),
                        request->what, out->body->max));
        return;
    }
    enum rt_code code = RT_E_NETWORK;
    out->status = 0;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &out->status);
        if (out->status >= 200 && out->status < 300) {
            if (request->head)
                read_head(easy, request->head);
            finish(j, RT_OK);
            return;
        }
        struct rt__http_verdict verdict = rt__http_judge(out->status);
        code = verdict.code;
        if (!verdict.retry) {
            if (request->pass_client_errors) {
                finish(j, RT_OK);
                return;
            }
            j->dead[j->mirror] = true; /* this host does not have it; no use asking again */
        }
        snprintf(j->last_failure, sizeof j->last_failure, _("%s answered HTTP %ld"), j->host,
                 out->status);
    } else {
        snprintf(j->last_failure, sizeof j->last_failure, _("cannot reach %s: %s"), j->host,
                 j->curl_message[0] ? j->curl_message : curl_easy_strerror(rc));
        /* An address libcurl cannot use stays unusable, and a machine without a route
         * gets none by waiting a few seconds: asking again only wastes the user's time. */
        if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL ||
            !rt__http_judge_failure(easy, rc, j->host, j->last_failure, sizeof j->last_failure)
                 .retry)
            j->dead[j->mirror] = true;
    }
    rt__log(j->client, RT_LOG_INFO, "%s: %s", request->what, j->last_failure);

    size_t next = next_mirror(j->dead, j->count, j->mirror);
    if (next == j->count) {
        finish(j, rt__fail(out->err, code, "%s: %s", request->what, j->last_failure));
        return;
    }
    if (!j->dead[j->mirror] && ++j->failures > j->client->retries) {
        finish(j, rt__fail(out->err, code, _("%s: %s (after %d tries)"), request->what,
                           j->last_failure, j->failures));
        return;
    }
    /* Straight on to another mirror; wait only when coming back round to one that failed,
     * and then at least as long as that host asked (Retry-After). */
    double delay = next <= j->mirror ? rt__http_backoff(j->failures, 0.5, 5.0) : 0;
    curl_off_t retry_after = 0;
    if (next == j->mirror &&
        curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK &&
        (double)retry_after > delay)
        delay = retry_after > 60 ? 60.0 : (double)retry_after;
    if (delay > 0)
        rt__log(j->client, RT_LOG_INFO, "%s: retrying in %.1f s", request->what, delay);
    j->due = rt__http_now() + delay;
    j->mirror = next;
}

/* Start the tries that are due, end those cancelled; returns how many jobs are not finished. */
static size_t start_due(CURLM *multi, struct job *jobs, size_t count)
{
    size_t left = 0;
    double now = rt__http_now();
    for (size_t i = 0; i < count; i++) {
        struct job *j = &jobs[i];
        if (j->finished)
            continue;
        /* Checked here too, not only in on_progress: a transfer waiting for its first byte,
         * or a job waiting to retry, ends within WAKE_MS of the cancel. */
        if (rt__cancelled(j->client, j->request->cancel)) {
            stop(multi, j);
            finish(j, rt__fail(j->out->err, RT_E_CANCELLED, NULL));
            continue;
        }
        if (!j->running && j->due <= now)
            start(multi, j);
        left += !j->finished;
    }
    return left;
}

/* Judge the transfers libcurl has finished. */
static void harvest(CURLM *multi)
{
    CURLMsg *msg;
    int queued = 0;
    while ((msg = curl_multi_info_read(multi, &queued))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        char *private = NULL;
        CURLcode rc = msg->data.result;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &private);
        struct job *j = (void *)private;
        stop(multi, j);
        judge_try(j, rc);
    }
}

/* Tell `done` of the jobs that have ended since; false when it abandons the rest. */
static bool tell(struct job *jobs, size_t count, rt__http_done_fn done, void *data)
{
    for (size_t i = 0; i < count; i++) {
        if (!jobs[i].finished || jobs[i].told)
            continue;
        jobs[i].told = true;
        if (done && !done(jobs[i].out, data))
            return false;
    }
    return true;
}

static bool unfinished(const struct job *jobs, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!jobs[i].finished)
            return true;
    return false;
}

/* Milliseconds the loop may sleep: until the first retry is due, at most WAKE_MS. */
static long wait_ms(const struct job *jobs, size_t count)
{
    double now = rt__http_now(), wait = WAKE_MS / 1000.0;
    for (size_t i = 0; i < count; i++)
        if (!jobs[i].finished && !jobs[i].running && jobs[i].due - now < wait)
            wait = jobs[i].due - now;
    return wait > 0 ? (long)(wait * 1000.0) + 1 : 0;
}

static void run(CURLM *multi, struct job *jobs, size_t count, rt__http_done_fn done, void *data)
{
    for (;;) {
        size_t left = start_due(multi, jobs, count);
        if (!tell(jobs, count, done, data) || left == 0)
            return;
        int running = 0;
        CURLMcode mc = curl_multi_perform(multi, &running);
        if (mc == CURLM_OK) {
            harvest(multi);
            if (!tell(jobs, count, done, data) || !unfinished(jobs, count))
                return;
            mc = curl_multi_poll(multi, NULL, 0, (int)wait_ms(jobs, count), NULL);
        }
        if (mc != CURLM_OK) {
            for (size_t i = 0; i < count; i++)
                if (!jobs[i].finished)
                    finish(&jobs[i], rt__fail(jobs[i].out->err, RT_E_NETWORK, _("libcurl: %s"),
                                              curl_multi_strerror(mc)));
            tell(jobs, count, done, data);
            return;
        }
    }
}

void rt__http_get_many(struct rt_client *client, struct rt__http_job *out, size_t count,
                       rt__http_done_fn done, void *data)
{
    struct job *jobs = calloc(count ? count : 1, sizeof *jobs);
    CURLM *multi = curl_multi_init();
    for (size_t i = 0; i < count; i++) {
        out[i].status = 0;
        out[i].result = RT_E_NOMEM;
        if (!jobs || !multi) {
            rt__fail(out[i].err, RT_E_NOMEM, NULL);
            continue;
        }
        struct job *j = &jobs[i];
        j->out = &out[i];
        j->request = out[i].request;
        j->client = client;
        j->count = j->request->url_count < MAX_MIRRORS ? j->request->url_count : MAX_MIRRORS;
        j->due = 0; /* at once */
        if (!(j->easy = curl_easy_init()))
            finish(j, rt__fail(out[i].err, RT_E_NOMEM, NULL));
    }
    if (jobs && multi)
        run(multi, jobs, count, done, data);
    for (size_t i = 0; jobs && i < count; i++) {
        struct job *j = &jobs[i];
        if (multi)
            stop(multi, j);
        /* Abandoned by `done`: ended as if cancelled, and told nobody. */
        if (multi && !j->finished)
            finish(j, rt__fail(out[i].err, RT_E_CANCELLED, NULL));
        if (j->easy)
            curl_easy_cleanup(j->easy);
    }
    if (multi)
        curl_multi_cleanup(multi);
    free(jobs);
}

enum rt_code rt__http_get(struct rt_client *client, const struct rt__request *request,
                          struct rt__buf *body, long *status, struct rt_error *err)
{
    struct rt__http_job job = {.request = request, .body = body, .err = err};
    rt__http_get_many(client, &job, 1, NULL, NULL);
    *status = job.status;
    return job.result;
}
