/* Client life cycle: validated settings shared by every request the library makes. */
#include "base/client.h"
#include "base/i18n.h"

#include "media/av.h"

#include "base/errors.h"
#include "base/url.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rt_client_options_init(struct rt_client_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->api_base = RT_DEFAULT_API_BASE;
    opts->user_agent = RT_DEFAULT_USER_AGENT;
    opts->jobs = RT_DEFAULT_JOBS;
    opts->retries = RT_DEFAULT_RETRIES;
    opts->timeout = RT_DEFAULT_TIMEOUT;
}

void rt__log(const struct rt_client *client, enum rt_log_level level, const char *fmt, ...)
{
    if (!client || !client->log)
        return;
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    client->log(level, message, client->log_data);
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

void rt__client_slots_enter(struct rt_client *client, struct rt__slot_user *user)
{
    user->held = 0;
    user->starved = false;
    pthread_mutex_lock(&client->slots_lock);
    client->users++;
    pthread_mutex_unlock(&client->slots_lock);
}

void rt__client_slots_leave(struct rt_client *client, struct rt__slot_user *user)
{
    pthread_mutex_lock(&client->slots_lock);
    client->users--;
    if (user->starved)
        client->starved--;
    user->starved = false;
    pthread_mutex_unlock(&client->slots_lock);
}

bool rt__client_take_slot(struct rt_client *client, struct rt__slot_user *user)
{
    pthread_mutex_lock(&client->slots_lock);
    int users = client->users > 0 ? client->users : 1;
    int share = (client->jobs + users - 1) / users;
    bool below = user->held < share;
    /* Others waiting below their share count only when this one is not below its own. */
    int others = client->starved - (user->starved ? 1 : 0);
    bool taken = client->slots_free > 0 && (below || others == 0);
    if (taken) {
        client->slots_free--;
        user->held++;
    }
    bool starved = !taken && below;
    if (starved != user->starved) {
        client->starved += starved ? 1 : -1;
        user->starved = starved;
    }
    pthread_mutex_unlock(&client->slots_lock);
    return taken;
}

void rt__client_give_slot(struct rt_client *client, struct rt__slot_user *user)
{
    pthread_mutex_lock(&client->slots_lock);
    client->slots_free++;
    user->held--;
    pthread_mutex_unlock(&client->slots_lock);
}

enum rt_code rt_client_new(const struct rt_client_options *opts, struct rt_client **out,
                           struct rt_error *err)
{
    struct rt_client_options defaults;
    if (!out)
        return rt__fail(err, RT_E_USAGE, _("no place to put the client"));
    *out = NULL;
    if (!opts) {
        rt_client_options_init(&defaults);
        opts = &defaults;
    }
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
    client->headers = browser_headers();
    client->share = curl_share_init();
    if (!client->api_base || !client->user_agent || (opts->proxy && !client->proxy) ||
        !client->headers || !client->share) {
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

void rt_client_free(struct rt_client *client)
{
    if (!client)
        return;
    if (client->share)
        curl_share_cleanup(client->share);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&client->share_locks[i]);
    pthread_mutex_destroy(&client->slots_lock);
    curl_slist_free_all(client->headers);
    free(client->api_base);
    free(client->user_agent);
    free(client->proxy);
    free(client);
}

static char version_text[160];

static void make_version_text(void)
{
    const curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);
    const struct rt__av *av = rt__av_load(NULL);
    unsigned v = av ? av->avformat_version() : 0;
    char avformat[48] = "not found (MP4 and MKV need it)";
    if (av)
        snprintf(avformat, sizeof avformat, "%u.%u.%u", v >> 16, (v >> 8) & 0xFF, v & 0xFF);
    snprintf(version_text, sizeof version_text,
             "librutube %s, libcurl %s, jansson %s, libavformat %s", RT_VERSION,
             curl && curl->version ? curl->version : "?", jansson_version_str(), avformat);
}

const char *rt_version_string(void)
{
    /* The versions of the libraries actually loaded, not those we were built against. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_version_text);
    return version_text;
}
