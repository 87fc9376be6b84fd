/* The library's clients the window shares among its worker threads, kept alive by references. */
#include "rt-service.h"
#include "rt-text.h"

#include <gio/gio.h>

/* The services made from one another (rt_service_remake()): what the person changes for all
 * downloads (the speed limit, quitting) reaches every one still alive. */
typedef struct {
    GMutex lock;
    GPtrArray *members; /* RtService *, not referenced: each leaves as it is freed */
    guint64 limit_rate;
} Family;

struct _RtService {
    struct rt_client *lookup;
    struct rt_client *download;
    char *api_base;
    Family *family;
};

/* The library's diagnostics (retries, mirror switches) for G_MESSAGES_DEBUG=all; they may
 * quote a server's words, so printable (rt_text_shown()) like every other text. */
static void log_cb(enum rt_log_level level, const char *message, void *data)
{
    g_autofree char *shown = rt_text_shown(message);
    if (level == RT_LOG_WARN)
        g_message("%s", shown);
    else
        g_debug("%s", shown);
}

static struct rt_client *make_client(const char *api_base, const char *proxy, int retries,
                                     int transfers, GError **error)
{
    struct rt_client_options opts;
    struct rt_client *client = NULL;
    struct rt_error err = {0};
    rt_client_options_init(&opts);
    if (api_base)
        opts.api_base = api_base;
    if (proxy && proxy[0])
        opts.proxy = proxy;
    if (transfers > 0)
        opts.jobs = transfers;
    opts.retries = retries;
    opts.log = log_cb;
    if (rt_client_new(&opts, &client, &err) != RT_OK) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                    err.message[0] ? err.message : rt_strerror(err.code));
        return NULL;
    }
    return client;
}

static void family_free(gpointer data)
{
    Family *family = data;
    g_ptr_array_unref(family->members);
    g_mutex_clear(&family->lock);
}

static RtService *make_service(const char *api_base, const char *proxy, int transfers,
                               Family *family, GError **error)
{
    RtService *service = g_atomic_rc_box_new0(RtService);
    service->api_base = g_strdup(api_base);
    service->family = family;
    /* A lookup is a handful of small requests: two retries ride out a hiccup, more would
     * leave the person looking at a spinner while the network is down. */
    service->lookup = make_client(api_base, proxy, 2, 0, error);
    struct rt_client *download =
        service->lookup ? make_client(api_base, proxy, RT_DEFAULT_RETRIES, transfers, error) : NULL;
    /* Into the family with the limit it has now, under its lock: a change of the limit either
     * came before (and is read here) or comes after (and finds this member). */
    g_mutex_lock(&family->lock);
    g_ptr_array_add(family->members, service);
    service->download = download;
    rt_client_set_limit_rate(download, family->limit_rate);
    g_mutex_unlock(&family->lock);
    if (!download) {
        rt_service_unref(service);
        return NULL;
    }
    return service;
}

RtService *rt_service_new(const char *api_base, const char *proxy, int transfers, GError **error)
{
    Family *family = g_atomic_rc_box_new0(Family);
    g_mutex_init(&family->lock);
    family->members = g_ptr_array_new();
    return make_service(api_base, proxy, transfers, family, error);
}

RtService *rt_service_remake(RtService *service, const char *proxy, int transfers, GError **error)
{
    return make_service(service->api_base, proxy, transfers,
                        g_atomic_rc_box_acquire(service->family), error);
}

RtService *rt_service_ref(RtService *service)
{
    return g_atomic_rc_box_acquire(service);
}

static void service_clear(gpointer data)
{
    RtService *service = data;
    /* Out of the family first, so that no one sets a limit on clients being freed. */
    g_mutex_lock(&service->family->lock);
    g_ptr_array_remove_fast(service->family->members, service);
    g_mutex_unlock(&service->family->lock);
    g_atomic_rc_box_release_full(service->family, family_free);
    rt_client_free(service->lookup);
    rt_client_free(service->download);
    g_free(service->api_base);
}

void rt_service_unref(RtService *service)
{
    if (service)
        g_atomic_rc_box_release_full(service, service_clear);
}

struct rt_client *rt_service_lookup_client(RtService *service)
{
    return service->lookup;
}

struct rt_client *rt_service_download_client(RtService *service)
{
    return service->download;
}

void rt_service_set_limit_rate(RtService *service, guint64 bytes_per_second)
{
    Family *family = service->family;
    g_mutex_lock(&family->lock);
    family->limit_rate = bytes_per_second;
    for (guint i = 0; i < family->members->len; i++) {
        RtService *member = g_ptr_array_index(family->members, i);
        rt_client_set_limit_rate(member->download, bytes_per_second);
    }
    g_mutex_unlock(&family->lock);
}

void rt_service_cancel(RtService *service)
{
    Family *family = service->family;
    g_mutex_lock(&family->lock);
    for (guint i = 0; i < family->members->len; i++) {
        RtService *member = g_ptr_array_index(family->members, i);
        rt_client_cancel(member->lookup);
        rt_client_cancel(member->download);
    }
    g_mutex_unlock(&family->lock);
}
