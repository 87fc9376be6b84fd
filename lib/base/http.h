/* The request layer shared by API calls, playlists and segments: one way to set up libcurl. */
#ifndef RT_LIB_HTTP_H
#define RT_LIB_HTTP_H

#include "base/buf.h"
#include "base/client.h"

#include <stdatomic.h>

/* Below this many bytes per second for `timeout` seconds a transfer counts as stalled. A
 * server trickling a byte a second (slow-loris) is caught too, not only one sending nothing. */
#define RT_HTTP_LOW_SPEED 1024L

/*
 * Apply what every request of this client needs: browser User-Agent and headers, proxy,
 * http(s) only (also on redirects, at most 5), connect and stall timeouts, TLS checks on,
 * the shared DNS/connection cache. Call again after curl_easy_reset().
 */
void rt__http_setup(struct rt_client *client, CURL *easy);

/* The same for one of RuTube's API calls: the client's api_proxy instead of its proxy. */
void rt__http_setup_api(struct rt_client *client, CURL *easy);

/* Seconds to wait before try number `attempt` (1 = the first retry): exponential from
 * `base` up to `cap`, with +-50% jitter so many clients (or segments) do not retry in step. */
double rt__http_backoff(int attempt, double base, double cap);

/* Seconds on a monotonic clock. */
double rt__http_now(void);

/* What an HTTP status means, for API calls and segments alike (the one rule of the library). */
struct rt__http_verdict {
    enum rt_code code; /* RT_OK for 2xx */
    bool retry;        /* asking the same host again may get another answer */
};

/*
 * 2xx: RT_OK. 429 and 5xx: the server's trouble of the moment, worth retrying (RT_E_HTTP).
 * 404 and 410: RT_E_NOT_FOUND; 401 and 403: RT_E_FORBIDDEN; anything else (another 4xx, a 3xx
 * left unfollowed): RT_E_HTTP. None of those is worth asking the same host again: it would
 * answer the same, so only another mirror can help.
 */
struct rt__http_verdict rt__http_judge(long status);

/*
 * What a transfer libcurl could not complete (`rc` not CURLE_OK) means: RT_E_NETWORK, worth
 * retrying unless nothing can change by asking again soon: the host name does not resolve
 * (no network, or no such host) or there is no route to it (the network is down). Then
 * `reason` (`size` bytes) says so in words a user acts on; else it is left alone.
 */
struct rt__http_verdict rt__http_judge_failure(CURL *easy, CURLcode rc, const char *host,
                                               char *reason, size_t size);

/* One resource to GET, possibly from several mirrors. */
struct rt__request {
    const char *const *urls; /* the same resource on each mirror, preferred first */
    size_t url_count;
    const char *what; /* names it in messages: "play options of video 2ce7..." */
    /* Hand 4xx answers (and their bodies) to the caller instead of failing: the API explains
     * a missing or private video in the body of a 4xx. */
    bool pass_client_errors;
    const atomic_bool *cancel; /* may be NULL */
    /* A HEAD request instead of GET: `head` receives what the answer says of the resource. */
    struct rt__head_info *head;
    /* One of RuTube's API calls: through the client's api_proxy when it has one. */
    bool api;
    /* Only these bytes ("0-524287", as libcurl's CURLOPT_RANGE takes it), or NULL for all: a
     * server that ignores it sends the whole resource (200), which the body's cap bounds. */
    const char *range;
};

struct rt__head_info {
    int64_t length; /* Content-Length, or -1 */
    bool ranges;    /* Accept-Ranges: bytes */
};

/*
 * GET the resource into `body` (whose cap bounds the answer): rt__http_get_many() of one job.
 * Network failures, 5xx and 429 are retried up to the client's retry count, each try on the next
 * mirror, with backoff once every mirror has failed (at least what Retry-After asks). A 4xx other
 * than 429 rules that mirror out; with pass_client_errors it is returned instead, in `*status` with
 * its body. Errors: RT_E_NETWORK, RT_E_HTTP, RT_E_NOT_FOUND, RT_E_FORBIDDEN (rt__http_judge() of
 * the last answer: 5xx or 429 after every retry, or an answer not worth retrying from every
 * mirror), RT_E_BAD_RESPONSE (answer larger than the cap), RT_E_CANCELLED, RT_E_NOMEM.
 */
enum rt_code rt__http_get(struct rt_client *client, const struct rt__request *request,
                          struct rt__buf *body, long *status, struct rt_error *err);

/* One request of rt__http_get_many(): what to get, where the answer goes, and how it went. */
struct rt__http_job {
    const struct rt__request *request; /* borrowed */
    struct rt__buf *body;              /* borrowed: receives the answer; its cap bounds it */
    struct rt_error *err;              /* borrowed, may be NULL: why the job failed */
    long status;                       /* set: as rt__http_get()'s `*status` */
    enum rt_code result;               /* set: as rt__http_get() returns */
};

/* Told of each job as it ends, in the order they end. Returning false abandons the jobs still
 * going: they end RT_E_CANCELLED, and `done` is not told of them. */
typedef bool (*rt__http_done_fn)(const struct rt__http_job *job, void *data);

/*
 * GET every job's resource at once on one libcurl multi handle, in the calling thread, each by
 * exactly rt__http_get()'s rules (its mirrors, retries, backoff, Retry-After, stalls, cancel,
 * the body's cap): a job waiting to retry holds none of the others up. Returns once every job
 * has ended or been abandoned; each job's `result`, `status` and `err` say how it went (out
 * of memory: RT_E_NOMEM in every job). `done` may be NULL.
 */
void rt__http_get_many(struct rt_client *client, struct rt__http_job *jobs, size_t count,
                       rt__http_done_fn done, void *data);

/* The host[:port] part of `url`, for messages, copied into `out`. */
void rt__http_host(const char *url, char *out, size_t size);

#endif
