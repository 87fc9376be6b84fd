/* "Get info": what an address names, asked of RuTube in a worker thread. */
#include "rt-lookup.h"

#include "rt-thumbnail.h"

/* A collection in the window is a count and a list to queue: a few thousand is plenty. */
#define COLLECTION_MAX_ENTRIES 5000

typedef struct {
    RtService *service;
    char *address;
} Request;

static void request_free(gpointer data)
{
    Request *request = data;
    rt_service_unref(request->service);
    g_free(request->address);
    g_free(request);
}

void rt_lookup_free(RtLookup *lookup)
{
    if (!lookup)
        return;
    g_free(lookup->address);
    g_free(lookup->message);
    rt_video_free(lookup->video);
    rt_collection_free(lookup->collection);
    g_clear_object(&lookup->thumbnail);
    g_free(lookup);
}

static void lookup_thread(GTask *task, gpointer source_object, gpointer task_data,
                          GCancellable *cancellable)
{
    Request *request = task_data;
    struct rt_client *client = rt_service_lookup_client(request->service);
    struct rt_error err = {0};
    RtLookup *lookup = g_new0(RtLookup, 1);
    lookup->address = g_strdup(request->address);

    lookup->code = rt_target_parse(lookup->address, &lookup->target, &err);
    if (lookup->code == RT_OK && rt_target_is_collection(&lookup->target)) {
        struct rt_collection_options opts;
        rt_collection_options_init(&opts);
        opts.max_entries = COLLECTION_MAX_ENTRIES;
        lookup->code =
            rt_collection_fetch(client, &lookup->target, &opts, &lookup->collection, &err);
    } else if (lookup->code == RT_OK) {
        lookup->code = rt_video_fetch(client, &lookup->target, &lookup->video, &err);
    }
    if (lookup->code != RT_OK)
        lookup->message = g_strdup(err.message[0] ? err.message : rt_strerror(err.code));

    if (lookup->video && lookup->video->thumbnail_url[0] &&
        !g_cancellable_is_cancelled(cancellable)) {
        g_autoptr(GError) error = NULL;
        lookup->thumbnail = rt_thumbnail_fetch(lookup->video->thumbnail_url, cancellable, &error);
        if (!lookup->thumbnail)
            g_debug("thumbnail of %s: %s", lookup->video->id, error->message);
    }
    /* A cancelled task reports G_IO_ERROR_CANCELLED and frees the result unseen. */
    g_task_return_pointer(task, lookup, (GDestroyNotify)rt_lookup_free);
}

void rt_lookup_run_async(gpointer source_object, RtService *service, const char *address,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
    Request *request = g_new0(Request, 1);
    request->service = rt_service_ref(service);
    request->address = g_strstrip(g_strdup(address));
    g_autoptr(GTask) task = g_task_new(source_object, cancellable, callback, user_data);
    g_task_set_source_tag(task, rt_lookup_run_async);
    g_task_set_task_data(task, request, request_free);
    g_task_run_in_thread(task, lookup_thread);
}

RtLookup *rt_lookup_run_finish(GAsyncResult *result, GError **error)
{
    return g_task_propagate_pointer(G_TASK(result), error);
}
