/* RuTube's JSON API: the play options call and what its answer means. */
#ifndef RT_LIB_API_H
#define RT_LIB_API_H

#include "rutube/rutube.h"

/* Caps on API answers: the recorded play options are 50 KB. */
#define RT_API_MAX_BYTES (4u << 20)

/*
 * The play options address for `target` under `api_base`:
 * <base>/api/play/options/<id>/?no_404=true&referer=https%3A%2F%2Frutube.ru&pver=v2[&p=<key>]
 * with no_404 so that a missing video answers 200 with a readable `detail`. Caller frees.
 */
char *rt__api_options_url(const char *api_base, const struct rt_target *target);

/*
 * Read a play options answer (`status` is its HTTP status) into `video`: id, title,
 * description, author, thumbnail, page address, duration (ms in the JSON, seconds here) and the
 * master playlist address (formats are left empty). Fields of the wrong type count as missing.
 * When RuTube gives no stream, the code says why (RT_E_NOT_FOUND, RT_E_PRIVATE,
 * RT_E_GEO_BLOCKED, RT_E_UNAVAILABLE, RT_E_UNSUPPORTED for live streams, RT_E_FORBIDDEN) and
 * the message carries RuTube's own words. Malformed JSON: RT_E_BAD_RESPONSE.
 * On failure `video`'s strings are freed and zeroed.
 */
enum rt_code rt__api_parse_options(const char *json, size_t len, long status,
                                   const struct rt_target *target, struct rt_video *video,
                                   struct rt_error *err);

/* The video info address: <base>/api/video/<id>/?format=json[&p=<key>]. Caller frees. */
char *rt__api_info_url(const char *api_base, const struct rt_target *target);

/*
 * Add what the video info answer knows to `video`: publication time (publication_ts, else
 * created_ts), views (hits), category, tags, is_adult; and title, description, author,
 * thumbnail and duration (seconds here) where play options left them empty. Fields of the
 * wrong type are skipped. Errors: RT_E_BAD_RESPONSE (not a JSON object), RT_E_NOMEM.
 */
enum rt_code rt__api_parse_info(const char *json, size_t len, struct rt_video *video,
                                struct rt_error *err);

/* Free the strings and formats inside `video`, not `video` itself. */
void rt__video_cleanup(struct rt_video *video);

#endif
