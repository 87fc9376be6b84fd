/* A channel by its name (/u/<name>/): its number, read off the channel's own page. */
#ifndef RT_LIB_SITE_CHANNEL_H
#define RT_LIB_SITE_CHANNEL_H

#include "base/client.h"

/* A channel page is a few hundred KB of HTML; past this it is not one. */
#define RT_CHANNEL_PAGE_MAX (4u << 20)

/*
 * The channel number in a channel page's HTML: `window.reduxState = {...}` holds, under
 * api.queries, an entry whose key begins "channelIdBySlug" with data.channel_id (as yt-dlp's
 * RutubeChannelIE reads it). `number` gets the decimal digits (up to `size` bytes with NUL).
 * Errors: RT_E_BAD_RESPONSE (no such state, or no number in it).
 */
enum rt_code rt__channel_parse_page(const char *html, size_t len, char *number, size_t size,
                                    struct rt_error *err);

/*
 * Resolve `named` (RT_TARGET_CHANNEL_NAME) into `out`, the RT_TARGET_CHANNEL of that number
 * with the same section: one API call for https://rutube.ru/u/<name>/.
 * Errors: RT_E_NOT_FOUND (no channel of that name), RT_E_BAD_RESPONSE (a page without the
 * number, or larger than RT_CHANNEL_PAGE_MAX), those of rt__http_get().
 */
enum rt_code rt__channel_resolve(struct rt_client *client, const struct rt_target *named,
                                 struct rt_target *out, struct rt_error *err);

#endif
