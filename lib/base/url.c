/* Addresses as any HTTP client sees them: http(s) or not, resolving references, escaping. */
#include "base/url.h"
#include "base/i18n.h"

#include "base/errors.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool rt__url_is_http(const char *url)
{
    return url && (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0);
}

enum rt_code rt__url_resolve(const char *base, const char *ref, char **out, struct rt_error *err)
{
    *out = NULL;
    enum rt_code result = RT_OK;
    CURLU *u = curl_url();
    if (!u)
        return rt__fail(err, RT_E_NOMEM, NULL);
    if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
        curl_url_set(u, CURLUPART_URL, ref, 0) != CURLUE_OK) {
        result = rt__fail(err, RT_E_BAD_PLAYLIST, _("the playlist holds an unusable address"));
        goto out;
    }
    char *resolved = NULL;
    if (curl_url_get(u, CURLUPART_URL, &resolved, 0) != CURLUE_OK) {
        result = rt__fail(err, RT_E_BAD_PLAYLIST, _("the playlist holds an unusable address"));
        goto out;
    }
    if (!rt__url_is_http(resolved)) {
        curl_free(resolved);
        result = rt__fail(err, RT_E_BAD_PLAYLIST,
                          _("the playlist points outside http(s), which is refused"));
        goto out;
    }
    *out = strdup(resolved);
    curl_free(resolved);
    if (!*out)
        result = rt__fail(err, RT_E_NOMEM, NULL);
out:
    curl_url_cleanup(u);
    return result;
}

bool rt__url_encode(const char *text, char *out, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(out);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        /* ASCII tests by hand: isalnum() would follow the locale. */
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~';
        size_t need = plain ? 1 : 3;
        if (len + need + 1 > size)
            return false;
        if (plain) {
            out[len++] = (char)*p;
        } else {
            out[len++] = '%';
            out[len++] = hex[*p >> 4];
            out[len++] = hex[*p & 15];
        }
    }
    out[len] = '\0';
    return true;
}
