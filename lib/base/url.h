/* Addresses as any HTTP client sees them: scheme checks, RFC 3986 resolution, escaping. */
#ifndef RT_LIB_BASE_URL_H
#define RT_LIB_BASE_URL_H

#include "rutube/rutube.h"

#include <stdbool.h>

/* Whether `url` is an absolute http:// or https:// address (case-insensitive scheme). */
bool rt__url_is_http(const char *url);

/*
 * Resolve `ref` (as written in a playlist) against `base` per RFC 3986 and check that the
 * result is http(s). `*out` is malloc'd; the caller frees it.
 * Errors: RT_E_BAD_PLAYLIST (unparsable, or another scheme such as file:), RT_E_NOMEM.
 */
enum rt_code rt__url_resolve(const char *base, const char *ref, char **out, struct rt_error *err);

/* Append `text` to `out` percent-encoded (everything but RFC 3986 unreserved characters).
 * Returns false when it does not fit `size` bytes. */
bool rt__url_encode(const char *text, char *out, size_t size);

#endif
