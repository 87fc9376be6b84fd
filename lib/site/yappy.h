/* Yappy clips: a different API than videos, and one progressive MP4 file each. */
#ifndef RT_LIB_YAPPY_H
#define RT_LIB_YAPPY_H

#include "rutube/rutube.h"

/* <api_base>/pangolin/api/web/yappy/yappypage/?client=wdp&source=shorts&videoId=<id>.
 * Caller frees; NULL when out of memory. */
char *rt__yappy_url(const char *api_base, const char *id);

/*
 * Read the Yappy page answer (`{"results": [{"id", "link", ...}, ...]}`, a feed in which the
 * clip asked for may stand anywhere) into `video`: the entry whose id is `id`, with one
 * format, its MP4 file (`is_file`). Errors: RT_E_NOT_FOUND (the clip is not in the answer),
 * RT_E_BAD_RESPONSE (not that JSON, or the clip has no http(s) file address), RT_E_NOMEM.
 * On failure `video` is left empty.
 */
enum rt_code rt__yappy_parse(const char *json, size_t len, const char *id, struct rt_video *video,
                             struct rt_error *err);

#endif
