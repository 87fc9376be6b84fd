/* Client life cycle: validated settings shared by every request the library makes, and the
 * headers rutube.ru wants on each. */
#include "base/client.h"
#include "base/i18n.h"

#include "base/abi.h"
#include "base/errors.h"
#include "base/http.h"
#include "base/url.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rt_client_options_init_size(struct rt_client_options *opts, size_t size)
{
    const struct rt_client_options defaults = {
        .api_base = RT_DEFAULT_API_BASE,
        .user_agent = RT_DEFAULT_USER_AGENT,
        .jobs = RT_DEFAULT_JOBS,
        .retries = RT_DEFAULT_RETRIES,
        .timeout = RT_DEFAULT_TIMEOUT,
    };
    rt__options_init(opts, size, &defaults, sizeof defaults);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* The headers a desktop browser sends when rutube.ru's player asks for these resources. */
static struct curl_slist *browser_headers(void)
{
    static const char *const lines[] = {
        "Referer: https://rutube.ru/",
        "Origin: https://rutube.ru",
        "Accept: */*",
        "Accept-Language: ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7",
    };
    struct curl_slist *list = NULL;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        struct curl_slist *more = curl_slist_append(list, lines[i]);
        if (!more) {
            curl_slist_free_all(list);
            return NULL;
        }
        list = more;
    }
    return list;
}

static void share_lock(CURL *easy, curl_lock_data data, curl_lock_access access, void *userptr)
{
    (void)easy;
    (void)access;
    struct rt_client *client = userptr;
    if ((unsigned)data < CURL_LOCK_DATA_LAST)
        pthread_mutex_lock(&client->share_locks[data]);
}

static void share_unlock(CURL *easy, curl_lock_data data, void *userptr)
{
    (void)easy;
    struct rt_client *client = userptr;
    if ((unsigned)data < CURL_LOCK_DATA_LAST)
        pthread_mutex_unlock(&client->share_locks[data]);
}

/* rt_client_new() since 0.2 (see base/abi.h; 0.1's is in compat_0_1.c). */
RT__EXPORTED enum rt_code rt__client_new_0_2(const struct rt_client_options *given,
                                             struct rt_client **out, struct rt_error *err);
RT__CURRENT_SYMBOL(rt__client_new_0_2, rt_client_new, "LIBRUTUBE_0.2");
enum rt_code rt__client_new_0_2(const struct rt_client_options *given, struct rt_client **out,
                                struct rt_error *err)
{
    struct rt_client_options taken, *opts = &taken;
    if (!out)
        return rt__fail(err, RT_E_USAGE, _("no place to put the client"));
    *out = NULL;
    rt_client_options_init(&taken);
    if (!rt__options_take(&taken, sizeof taken, given))
        return rt__fail(err, RT_E_USAGE, _("the client's options were not filled by %s"),
                        "rt_client_options_init()");
    const char *api_base = opts->api_base ? opts->api_base : RT_DEFAULT_API_BASE;
    const char *user_agent = opts->user_agent ? opts->user_agent : RT_DEFAULT_USER_AGENT;
    if (!rt__url_is_http(api_base))
        return rt__fail(err, RT_E_USAGE, _("the API base must be an http(s) address, not \"%s\""),
                        api_base);
    if (opts->jobs < 1 || opts->jobs > 64)
        return rt__fail(err, RT_E_USAGE, _("concurrent transfers must be between 1 and 64"));
    if (opts->retries < 0 || opts->retries > 100)
        return rt__fail(err, RT_E_USAGE, _("retries must be between 0 and 100"));
    if (opts->timeout < 1 || opts->timeout > 3600)
        return rt__fail(err, RT_E_USAGE, _("the timeout must be between 1 and 3600 seconds"));
    if (strpbrk(user_agent, "\r\n"))
        return rt__fail(err, RT_E_USAGE, _("the User-Agent must be one line"));

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return rt__fail(err, RT_E_NOMEM, _("libcurl could not start"));

    struct rt_client *client = calloc(1, sizeof *client);
    if (!client)
        return rt__fail(err, RT_E_NOMEM, NULL);
    client->api_base = strdup(api_base);
    client->user_agent = strdup(user_agent);
    client->proxy = dup_or_null(opts->proxy);
    client->api_proxy = dup_or_null(opts->api_proxy);
    client->jobs = opts->jobs;
    client->retries = opts->retries;
    client->timeout = opts->timeout;
    client->log = opts->log;
    client->log_data = opts->log_data;
    client->insecure = opts->insecure;
    atomic_init(&client->cancel, false);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&client->share_locks[i], NULL);
    pthread_mutex_init(&client->slots_lock, NULL);
    client->slots_free = client->jobs;
    rt__rate_init(&client->rate, opts->limit_rate, rt__http_now());
    client->headers = browser_headers();
    client->share = curl_share_init();
    if (!client->api_base || !client->user_agent || (opts->proxy && !client->proxy) ||
        (opts->api_proxy && !client->api_proxy) || !client->headers || !client->share) {
        rt_client_free(client);
        return rt__fail(err, RT_E_NOMEM, NULL);
    }
    size_t len = strlen(client->api_base);
    while (len > 0 && client->api_base[len - 1] == '/')
        client->api_base[--len] = '\0';
    curl_share_setopt(client->share, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(client->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(client->share, CURLSHOPT_USERDATA, client);
    curl_share_setopt(client->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(client->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_share_setopt(client->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    *out = client;
    return RT_OK;
}

void rt_client_cancel(struct rt_client *client)
{
    if (client)
        atomic_store(&client->cancel, true);
}

void rt_client_set_limit_rate(struct rt_client *client, uint64_t bytes_per_second)
{
    if (client)
        rt__rate_set(&client->rate, bytes_per_second, rt__http_now());
}

void rt_client_free(struct rt_client *client)
{
    if (!client)
        return;
    if (client->share)
        curl_share_cleanup(client->share);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&client->share_locks[i]);
    pthread_mutex_destroy(&client->slots_lock);
    rt__rate_cleanup(&client->rate);
    curl_slist_free_all(client->headers);
    free(client->api_base);
    free(client->user_agent);
    free(client->proxy);
    free(client->api_proxy);
    free(client);
}
