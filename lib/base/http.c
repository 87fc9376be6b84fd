/* Setting up libcurl handles the same way everywhere, and the rules shared by every request. */
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
