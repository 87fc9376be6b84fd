/* The library's clients the window shares among its worker threads, kept alive by references. */
#pragma once

#include <glib.h>
#include <rutube/rutube.h>

G_BEGIN_DECLS

/*
 * Two clients on one API base: one for looking videos up (few retries, so that a dead network
 * is reported in seconds, not minutes) and one for downloads (the library's patient defaults,
 * its transfer slots shared by every download at once). Each worker thread holds a reference,
 * so the clients are freed only after the last call into them returned, on whichever thread
 * drops the last reference.
 */
typedef struct _RtService RtService;

/* `api_base` NULL means RuTube itself; `proxy` NULL or "" libcurl's environment rules (the
 * system's http_proxy...); `transfers` the download client's segment transfers at once (the
 * library's jobs, 1..64; 0 for its default). Returns NULL with `error` set when the library
 * refuses the options (an API base that is not http(s)). */
RtService *rt_service_new(const char *api_base, const char *proxy, int transfers, GError **error);

/* New clients like `service`'s (its API base and speed limit) with another proxy or number of
 * transfers, for the downloads and lookups that start from now on: those running keep their
 * service, and their connections, to the end. The two are one family: a speed limit or a
 * cancel given to either reaches both (rt_service_set_limit_rate()). NULL with `error` set
 * when the library refuses the options. */
RtService *rt_service_remake(RtService *service, const char *proxy, int transfers, GError **error);
RtService *rt_service_ref(RtService *service);
void rt_service_unref(RtService *service);

/* Borrowed: valid while the caller holds a reference. Thread-safe to use from any thread. */
struct rt_client *rt_service_lookup_client(RtService *service);
struct rt_client *rt_service_download_client(RtService *service);

/* The speed limit of the downloads, bytes a second over all of them together (0: none): at
 * once, also on downloads running now, on every service of the family still alive (each
 * client has its own budget: while downloads of an older proxy setting still run beside new
 * ones, each side may reach the limit). Lookups are not limited. Thread-safe. */
void rt_service_set_limit_rate(RtService *service, guint64 bytes_per_second);

/* Stop every request of both clients of every service of the family, now and for good (the
 * application is quitting). Thread-safe. */
void rt_service_cancel(RtService *service);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RtService, rt_service_unref)

G_END_DECLS
