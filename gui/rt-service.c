/* The library's clients the window shares among its worker threads, kept alive by references. */
#include "rt-service.h"
#include "rt-text.h"

#include <gio/gio.h>

struct _RtService {
    struct rt_client *lookup;
    struct rt_client *download;
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

static struct rt_client *make_client(const char *api_base, int retries, GError **error)
{
    struct rt_client_options opts;
    struct rt_client *client = NULL;
    struct rt_error err = {0};
    rt_client_options_init(&opts);
    if (api_base)
        opts.api_base = api_base;
    opts.retries = retries;
    opts.log = log_cb;
    if (rt_client_new(&opts, &client, &err) != RT_OK) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                    err.message[0] ? err.message : rt_strerror(err.code));
        return NULL;
    }
    return client;
}

RtService *rt_service_new(const char *api_base, GError **error)
{
    RtService *service = g_atomic_rc_box_new0(RtService);
    /* A lookup is a handful of small requests: two retries ride out a hiccup, more would
     * leave the person looking at a spinner while the network is down. */
    service->lookup = make_client(api_base, 2, error);
    if (service->lookup)
        service->download = make_client(api_base, RT_DEFAULT_RETRIES, error);
    if (!service->download) {
        rt_service_unref(service);
        return NULL;
    }
    return service;
}

RtService *rt_service_ref(RtService *service)
{
    return g_atomic_rc_box_acquire(service);
}

static void service_clear(gpointer data)
{
    RtService *service = data;
    rt_client_free(service->lookup);
    rt_client_free(service->download);
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
    rt_client_set_limit_rate(service->download, bytes_per_second);
}

void rt_service_cancel(RtService *service)
{
    rt_client_cancel(service->lookup);
    rt_client_cancel(service->download);
}
