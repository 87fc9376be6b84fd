/* Setting up libcurl handles the same way everywhere, and single GETs with retries. */
#include "base/http.h"
#include "base/i18n.h"

#include "base/errors.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Everything but the proxy. */
static void setup(struct rt_client *client, CURL *easy)
{
    curl_easy_setopt(easy, CURLOPT_USERAGENT, client->user_agent);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, client->headers);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, (long)client->timeout);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, RT_HTTP_LOW_SPEED);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, (long)client->timeout);
    /* Certificates are always checked, unless the user explicitly asked not to. */
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, client->insecure ? 0L : 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, client->insecure ? 0L : 2L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(easy, CURLOPT_SHARE, client->share);
}

void rt__http_setup(struct rt_client *client, CURL *easy)
{
    setup(client, easy);
    if (client->proxy)
        curl_easy_setopt(easy, CURLOPT_PROXY, client->proxy);
}

void rt__http_setup_api(struct rt_client *client, CURL *easy)
{
    setup(client, easy);
    const char *proxy = client->api_proxy ? client->api_proxy : client->proxy;
    if (proxy)
        curl_easy_setopt(easy, CURLOPT_PROXY, proxy);
}

double rt__http_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double rt__http_backoff(int attempt, double base, double cap)
{
    double delay = base * pow(2.0, attempt > 1 ? attempt - 1 : 0);
    if (delay > cap)
        delay = cap;
    /* rand() is enough for jitter; nothing depends on its quality. */
    double jitter = 0.5 + (double)rand() / ((double)RAND_MAX + 1.0);
    return delay * jitter;
}

bool rt__http_sleep(double seconds, const struct rt_client *client, const atomic_bool *cancel)
{
    double until = rt__http_now() + seconds;
    for (;;) {
        if (rt__cancelled(client, cancel))
            return false;
        double left = until - rt__http_now();
        if (left <= 0)
            return true;
        if (left > 0.05)
            left = 0.05;
        struct timespec ts = {0, (long)(left * 1e9)};
        nanosleep(&ts, NULL);
    }
}

void rt__http_host(const char *url, char *out, size_t size)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t n = strcspn(p, "/?#");
    if (n >= size)
        n = size - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

struct get_state {
    struct rt__buf *body;
    struct rt_client *client;
    const atomic_bool *cancel;
    int timeout;
    bool too_big;
    bool stalled;        /* aborted by us: no byte for `timeout` seconds */
    curl_off_t last_now; /* bytes received when last seen */
    double last_change;
    bool head; /* a HEAD request */
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct get_state *st = userdata;
    size_t n = size * nmemb;
    if (rt__buf_append(st->body, data, n) != RT__BUF_OK) {
        st->too_big = true;
        return 0; /* aborts the transfer */
    }
    /* A small request is not held back by the speed limit (see rt_client_options.limit_rate),
     * but its bytes count: the segment transfers make up for them. */
    if (rt__rate_limit(&st->client->rate))
        rt__rate_charge(&st->client->rate, n, rt__http_now());
    return n;
}

static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    struct get_state *st = userdata;
    if (rt__cancelled(st->client, st->cancel))
        return 1;
    /* The same "no byte for the timeout" rule as segment transfers (see fetch.c). */
    double now = rt__http_now();
    if (dlnow != st->last_now) {
        st->last_now = dlnow;
        st->last_change = now;
    } else if (now - st->last_change >= st->timeout) {
        st->stalled = true;
        return 1;
    }
    return 0;
}

struct rt__http_verdict rt__http_judge_failure(CURL *easy, CURLcode rc, const char *host,
                                               char *reason, size_t size)
{
    long os_errno = 0;
    curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_errno);
    if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY) {
        snprintf(reason, size, _("%s cannot be found (no network, or no such host)"), host);
        return (struct rt__http_verdict){RT_E_NETWORK, false};
    }
    if (rc == CURLE_COULDNT_CONNECT &&
        (os_errno == ENETUNREACH || os_errno == EHOSTUNREACH || os_errno == ENETDOWN)) {
        snprintf(reason, size, _("no route to %s (the network is down)"), host);
        return (struct rt__http_verdict){RT_E_NETWORK, false};
    }
    return (struct rt__http_verdict){RT_E_NETWORK, true};
}

struct rt__http_verdict rt__http_judge(long status)
{
    if (status >= 200 && status < 300)
        return (struct rt__http_verdict){RT_OK, false};
    if (status == 429 || status >= 500)
        return (struct rt__http_verdict){RT_E_HTTP, true};
    if (status == 404 || status == 410)
        return (struct rt__http_verdict){RT_E_NOT_FOUND, false};
    if (status == 401 || status == 403)
        return (struct rt__http_verdict){RT_E_FORBIDDEN, false};
    return (struct rt__http_verdict){RT_E_HTTP, false};
}

/* One try: set the handle up for `url` and perform it. */
static CURLcode get_once(struct rt_client *client, CURL *easy, const char *url,
                         const struct rt__request *request, struct get_state *st,
                         char *curl_message)
{
    curl_easy_reset(easy);
    if (request->api)
        rt__http_setup_api(client, easy);
    else
        rt__http_setup(client, easy);
    rt__buf_reset(st->body);
    st->too_big = st->stalled = false;
    st->last_now = 0;
    st->last_change = rt__http_now();
    curl_message[0] = '\0';
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, st);
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(easy, CURLOPT_XFERINFODATA, st);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, curl_message);
    if (st->head)
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    if (request->range)
        curl_easy_setopt(easy, CURLOPT_RANGE, request->range);
    return curl_easy_perform(easy);
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

/* The next mirror after `current` not ruled out, or url_count when all are. */
static size_t next_mirror(const bool *dead, size_t count, size_t current)
{
    for (size_t k = 1; k <= count; k++) {
        size_t m = (current + k) % count;
        if (!dead[m])
            return m;
    }
    return count;
}

enum rt_code rt__http_get(struct rt_client *client, const struct rt__request *request,
                          struct rt__buf *body, long *status, struct rt_error *err)
{
    enum rt_code result = RT_OK;
    char host[256];
    char curl_message[CURL_ERROR_SIZE];
    char last_failure[sizeof host + CURL_ERROR_SIZE + 32] = "";
    struct get_state st = {body, client, request->cancel,      client->timeout, false, false,
                           0,    0,      request->head != NULL};
    bool dead[16] = {false};
    size_t count = request->url_count < 16 ? request->url_count : 16;
    size_t mirror = 0;
    int failures = 0; /* tries that failed in a way worth retrying */
    CURL *easy = curl_easy_init();
    if (!easy)
        return rt__fail(err, RT_E_NOMEM, NULL);

    *status = 0;
    for (;;) {
        if (rt__cancelled(client, request->cancel)) {
            result = rt__fail(err, RT_E_CANCELLED, NULL);
            break;
        }
        const char *url = request->urls[mirror];
        rt__http_host(url, host, sizeof host);
        CURLcode rc = get_once(client, easy, url, request, &st, curl_message);
        if (rc == CURLE_ABORTED_BY_CALLBACK && !st.stalled) {
            result = rt__fail(err, RT_E_CANCELLED, NULL);
            break;
        }
        /* libcurl's own low-speed check may fire first on a silent server: with no byte at
         * all received it is the same stall, and said the same way. */
        if (st.stalled || (rc == CURLE_OPERATION_TIMEDOUT && st.last_now == 0))
            snprintf(curl_message, CURL_ERROR_SIZE, "no data for %d s", client->timeout);
        if (st.too_big) {
            result = rt__fail(err, RT_E_BAD_RESPONSE, _("%s: the answer is larger than %zu bytes"),
                              request->what, body->max);
            break;
        }
        enum rt_code code = RT_E_NETWORK;
        *status = 0;
        if (rc == CURLE_OK) {
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, status);
            if (*status >= 200 && *status < 300) {
                if (request->head)
                    read_head(easy, request->head);
                break;
            }
            struct rt__http_verdict verdict = rt__http_judge(*status);
            code = verdict.code;
            if (!verdict.retry) {
                if (request->pass_client_errors)
                    break;
                dead[mirror] = true; /* this host does not have it; no use asking again */
            }
            snprintf(last_failure, sizeof last_failure, _("%s answered HTTP %ld"), host, *status);
        } else {
            snprintf(last_failure, sizeof last_failure, _("cannot reach %s: %s"), host,
                     curl_message[0] ? curl_message : curl_easy_strerror(rc));
            /* An address libcurl cannot use stays unusable, and a machine without a route
             * gets none by waiting a few seconds: asking again only wastes the user's time. */
            if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL ||
                !rt__http_judge_failure(easy, rc, host, last_failure, sizeof last_failure).retry)
                dead[mirror] = true;
        }
        rt__log(client, RT_LOG_INFO, "%s: %s", request->what, last_failure);

        size_t next = next_mirror(dead, count, mirror);
        if (next == count) {
            result = rt__fail(err, code, "%s: %s", request->what, last_failure);
            break;
        }
        if (!dead[mirror] && ++failures > client->retries) {
            result = rt__fail(err, code, _("%s: %s (after %d tries)"), request->what, last_failure,
                              failures);
            break;
        }
        /* Straight on to another mirror; wait only when coming back round to one that
         * failed, and then at least as long as that host asked (Retry-After). */
        double delay = next <= mirror ? rt__http_backoff(failures, 0.5, 5.0) : 0;
        curl_off_t retry_after = 0;
        if (next == mirror &&
            curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK &&
            (double)retry_after > delay)
            delay = retry_after > 60 ? 60.0 : (double)retry_after;
        if (delay > 0) {
            rt__log(client, RT_LOG_INFO, "%s: retrying in %.1f s", request->what, delay);
            if (!rt__http_sleep(delay, client, request->cancel)) {
                result = rt__fail(err, RT_E_CANCELLED, NULL);
                break;
            }
        }
        mirror = next;
    }
    curl_easy_cleanup(easy);
    return result;
}
