/* A video's thumbnail picture, fetched over HTTP(S) in a worker thread. */
#include "rt-thumbnail.h"

#include <curl/curl.h>
#include <rutube/rutube.h>

struct transfer {
    GByteArray *body;
    GCancellable *cancellable;
    gboolean too_big;
};

static size_t write_cb(char *data, size_t size, size_t count, void *user)
{
    struct transfer *t = user;
    size_t n = size * count;
    if (t->body->len + n > RT_THUMBNAIL_MAX_BYTES) {
        t->too_big = TRUE;
        return 0; /* libcurl stops with CURLE_WRITE_ERROR */
    }
    g_byte_array_append(t->body, (const guint8 *)data, (guint)n);
    return n;
}

static int progress_cb(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    struct transfer *t = user;
    return g_cancellable_is_cancelled(t->cancellable) ? 1 : 0;
}

GdkTexture *rt_thumbnail_fetch(const char *url, GCancellable *cancellable, GError **error)
{
    GdkTexture *texture = NULL;
    struct transfer t = {g_byte_array_new(), cancellable, FALSE};
    char problem[CURL_ERROR_SIZE] = "";
    CURL *easy = curl_easy_init();
    if (!easy) {
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED, "out of memory");
        goto out;
    }
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, RT_DEFAULT_USER_AGENT);
    curl_easy_setopt(easy, CURLOPT_REFERER, "https://rutube.ru/");
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, problem);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, progress_cb);
    curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
    CURLcode rc = curl_easy_perform(easy);
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
        goto out;
    }
    if (t.too_big) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: larger than %d bytes", url,
                    RT_THUMBNAIL_MAX_BYTES);
        goto out;
    }
    if (rc != CURLE_OK) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", url,
                    problem[0] ? problem : curl_easy_strerror(rc));
        goto out;
    }
    GBytes *bytes = g_byte_array_free_to_bytes(t.body);
    t.body = NULL;
    /* The decoders GTK ships (JPEG, PNG, TIFF) touch no display: a worker may run them. */
    texture = gdk_texture_new_from_bytes(bytes, error);
    g_bytes_unref(bytes);
out:
    if (t.body)
        g_byte_array_unref(t.body);
    if (easy)
        curl_easy_cleanup(easy);
    return texture;
}
