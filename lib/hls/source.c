/* A stream's segments: the media playlist from its mirrors, or a file laid out in ranges. */
#include "hls/source.h"
#include "base/i18n.h"

#include "base/buf.h"
#include "base/errors.h"
#include "base/http.h"
#include "base/url.h"

#include <stdlib.h>
#include <string.h>

/* A request names at most this many mirrors (the master playlist lists two). */
#define MIRRORS_MAX 16

/* Fragmented MP4: the init section is the first piece of the stream, fetched (raced,
 * retried, resumed) like any segment, so the .part is init + fragments, a file as it plays. */
static enum rt_code prepend_init(struct rt__media *media, struct rt_error *err)
{
    struct rt__segment *more = realloc(media->segments, (media->count + 1) * sizeof *more);
    if (!more)
        return rt__fail(err, RT_E_NOMEM, NULL);
    media->segments = more;
    memmove(&more[1], &more[0], media->count * sizeof *more);
    more[0] = (struct rt__segment){.ref = strdup(media->map_ref), .duration = 0};
    media->count++;
    return more[0].ref ? RT_OK : rt__fail(err, RT_E_NOMEM, NULL);
}

/* The playlist's request, with `along` beside it when there is one. */
static enum rt_code get_playlist(struct rt_client *client, const struct rt__request *request,
                                 struct rt__buf *body, struct rt__http_job *along,
                                 struct rt_error *err)
{
    struct rt__http_job jobs[2] = {{.request = request, .body = body, .err = err}};
    size_t count = 1;
    if (along)
        jobs[count++] = *along;
    rt__http_get_many(client, jobs, count, NULL, NULL);
    if (along)
        *along = jobs[1];
    return jobs[0].result;
}

enum rt_code rt__source_playlist(struct rt_client *client, const char *const *mirrors,
                                 size_t mirror_count, const atomic_bool *cancel,
                                 struct rt__http_job *along, bool *along_ran,
                                 struct rt__media *media, struct rt_error *err)
{
    const char *what = _("media playlist");
    struct rt__buf body;
    enum rt_code result = RT_E_BAD_PLAYLIST;
    rt__buf_init(&body, RT_SOURCE_PLAYLIST_MAX);
    size_t count = mirror_count < MIRRORS_MAX ? mirror_count : MIRRORS_MAX;
    for (size_t first = 0; first < count; first++) {
        const char *urls[MIRRORS_MAX];
        for (size_t k = 0; k < count; k++)
            urls[k] = mirrors[(first + k) % mirror_count];
        struct rt__request request = {
            .urls = urls, .url_count = count, .what = what, .cancel = cancel};
        struct rt_error attempt = {0};
        result = get_playlist(client, &request, &body, along, &attempt);
        if (along) { /* with the first try only */
            *along_ran = true;
            along = NULL;
        }
        if (result == RT_OK)
            result = rt__hls_parse_media(body.data ? body.data : "", body.len, media, &attempt);
        if (result == RT_OK && media->map_ref)
            result = prepend_init(media, &attempt);
        if (result == RT_OK || result != RT_E_BAD_PLAYLIST || first + 1 == count) {
            if (result != RT_OK)
                rt__fail(err, result, "%s", attempt.message);
            break;
        }
        rt__log(client, RT_LOG_INFO, "%s: %s; trying the next mirror", what, attempt.message);
    }
    rt__buf_cleanup(&body);
    return result;
}

/* Pieces per transfer slot, and their bounds. */
#define FILE_PIECES_PER_SLOT 2
#define FILE_PIECE_MIN       (1u << 20)
#define FILE_PIECE_MAX       (16u << 20)

enum rt_code rt__source_file(struct rt_client *client, const char *const *urls, size_t url_count,
                             const atomic_bool *cancel, struct rt__media *media,
                             struct rt__range **ranges, struct rt_error *err)
{
    struct rt__buf body;
    struct rt__head_info head = {-1, false};
    long status = 0;
    struct rt_error problem = {0};
    *ranges = NULL;
    rt__buf_init(&body, 64 << 10);
    size_t count = url_count < MIRRORS_MAX ? url_count : MIRRORS_MAX;
    struct rt__request request = {
        .urls = urls, .url_count = count, .what = _("file size"), .cancel = cancel, .head = &head};
    enum rt_code result = rt__http_get(client, &request, &body, &status, &problem);
    rt__buf_cleanup(&body);
    if (result == RT_E_CANCELLED || result == RT_E_NOMEM)
        return rt__fail(err, result, NULL);
    if (result != RT_OK) {
        rt__log(client, RT_LOG_INFO, "%s; fetching the file in one piece", problem.message);
        head.length = -1;
    }
    uint64_t total = head.length > 0 ? (uint64_t)head.length : 0;
    uint64_t piece = total / ((uint64_t)client->jobs * FILE_PIECES_PER_SLOT);
    piece = piece < FILE_PIECE_MIN   ? FILE_PIECE_MIN
            : piece > FILE_PIECE_MAX ? FILE_PIECE_MAX
                                     : piece;
    bool ranged = head.ranges && total > 0;
    size_t pieces = ranged ? (size_t)((total + piece - 1) / piece) : 1;
    if (pieces == 1 && total > RT_FETCH_SEGMENT_MAX)
        return rt__fail(err, RT_E_UNSUPPORTED,
                        _("the file is %llu MiB and its server does not send it in pieces; "
                          "files over %u MiB need that"),
                        (unsigned long long)(total >> 20), RT_FETCH_SEGMENT_MAX >> 20);
    media->segments = calloc(pieces, sizeof *media->segments);
    *ranges = ranged ? calloc(pieces, sizeof **ranges) : NULL;
    if (!media->segments || (ranged && !*ranges))
        return rt__fail(err, RT_E_NOMEM, NULL);
    for (size_t i = 0; i < pieces; i++) {
        uint64_t start = (uint64_t)i * piece;
        uint64_t length = total ? (total - start < piece ? total - start : piece) : 0;
        if (*ranges)
            (*ranges)[i] = (struct rt__range){start, length};
        media->segments[i].duration = (double)length;
        if (!(media->segments[i].ref = strdup(urls[0])))
            return rt__fail(err, RT_E_NOMEM, NULL);
        media->count++;
    }
    rt__log(client, RT_LOG_DEBUG, "a %llu-byte file in %zu pieces", (unsigned long long)total,
            pieces);
    return RT_OK;
}

enum rt_code rt__source_check(const struct rt__media *media, const char *base, struct rt_error *err)
{
    for (size_t i = 0; i < media->count; i++) {
        char *url = NULL;
        enum rt_code result = rt__url_resolve(base, media->segments[i].ref, &url, err);
        free(url);
        if (result != RT_OK)
            return result;
    }
    return RT_OK;
}
