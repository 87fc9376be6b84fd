/* A video's thumbnail picture, fetched over HTTP(S) in a worker thread. */
#pragma once

#include <gdk/gdk.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* Thumbnails are a few hundred kilobytes; anything past this is not a thumbnail. */
#define RT_THUMBNAIL_MAX_BYTES (8 * 1024 * 1024)

/*
 * Fetch the picture at `url` (http or https only, also on redirects, at most 20 s) and decode
 * it. Blocks: call it from a worker thread. Cancelling `cancellable` stops the transfer.
 * Returns a new texture, or NULL with `error` set.
 */
GdkTexture *rt_thumbnail_fetch(const char *url, GCancellable *cancellable, GError **error);

G_END_DECLS
