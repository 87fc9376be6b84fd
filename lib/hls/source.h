/* Where a stream's segments come from: its media playlist, or one file in byte ranges. */
#ifndef RT_LIB_HLS_SOURCE_H
#define RT_LIB_HLS_SOURCE_H

#include "base/client.h"
#include "base/http.h"
#include "hls/fetch.h"
#include "hls/hls.h"

#include <stdatomic.h>

/* A 24-hour video has ~22,000 segments, ~1.5 MB of playlist text. */
#define RT_SOURCE_PLAYLIST_MAX (16u << 20)

/*
 * The media playlist, from the first of `mirrors` (addresses of the same playlist) that serves
 * a valid one: rt__http_get() already switches mirrors on network and HTTP failures; a
 * malformed playlist is tried elsewhere too. Fragmented MP4 segments come after their init
 * section, which is then the first segment (and `media->map_ref` says so). On success the
 * caller owns `media` (rt__media_cleanup()). `along`, when not NULL, is another request made
 * at once with the first try (a cover the download needs before its segments), its outcome
 * in the job and `along_ran` set. Errors as rt__http_get() and rt__hls_parse_media().
 */
enum rt_code rt__source_playlist(struct rt_client *client, const char *const *mirrors,
                                 size_t mirror_count, const atomic_bool *cancel,
                                 struct rt__http_job *along, bool *along_ran,
                                 struct rt__media *media, struct rt_error *err);

/*
 * A progressive file (addresses of the same file) laid out as segments: its size from a HEAD
 * request, then byte ranges when the server takes them, about two per transfer slot of the
 * client (1 to 16 MiB each), so that every slot has work and a slow piece is small enough to
 * race. Each piece is a segment named by the file's first address with its length as its
 * "duration", so a resume state recognises the same layout. A server without ranges (or
 * without a size) gets one plain GET for the whole file, and `*ranges` stays NULL. On
 * success the caller owns `media` and frees `*ranges`.
 * Errors: RT_E_UNSUPPORTED (over RT_FETCH_SEGMENT_MAX and no ranges), RT_E_CANCELLED,
 * RT_E_NOMEM; a failed HEAD only means one plain GET.
 */
enum rt_code rt__source_file(struct rt_client *client, const char *const *urls, size_t url_count,
                             const atomic_bool *cancel, struct rt__media *media,
                             struct rt__range **ranges, struct rt_error *err);

/* Whether every segment address of `media` resolves against `base` to http(s): checked before
 * anything is written. Errors: RT_E_BAD_PLAYLIST, RT_E_NOMEM. */
enum rt_code rt__source_check(const struct rt__media *media, const char *base,
                              struct rt_error *err);

#endif
