/* "Get info": what an address names, asked of RuTube in a worker thread. */
#pragma once

#include <gdk/gdk.h>
#include <gio/gio.h>

#include "rt-service.h"

G_BEGIN_DECLS

/* What a lookup found. Either `video` or `collection` is set, or `code` says why neither. */
typedef struct {
    char *address; /* the text looked up, trimmed */
    struct rt_target target;
    enum rt_code code;                /* RT_OK or the failure */
    char *message;                    /* the library's sentence about a failure, or NULL */
    struct rt_video *video;           /* a video, or NULL */
    struct rt_collection *collection; /* a playlist, channel..., or NULL */
    GdkTexture *thumbnail;            /* the video's picture, NULL when it could not be had */
} RtLookup;

void rt_lookup_free(RtLookup *lookup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RtLookup, rt_lookup_free)

/*
 * Parse `address`, fetch its video (with its thumbnail) or its collection in a worker thread,
 * then call `callback` on the calling thread's main context. `source_object` (the window) is
 * kept alive until then. A failure of the lookup itself is not a GError: it is the result's
 * `code`; finish fails only when `cancellable` was cancelled.
 */
void rt_lookup_run_async(gpointer source_object, RtService *service, const char *address,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data);
RtLookup *rt_lookup_run_finish(GAsyncResult *result, GError **error);

G_END_DECLS
