/* From a master playlist's variants to the formats a user chooses between. */
#ifndef RT_LIB_FORMAT_H
#define RT_LIB_FORMAT_H

#include "hls/hls.h"

/*
 * Group the variants that are one stream on several CDN hosts (same resolution and bandwidth)
 * into one rt_format each, mirrors in playlist order, formats ascending by pixels then
 * bandwidth. On success `video->formats` is set (the video owns it).
 */
enum rt_code rt__formats_from_master(const struct rt__master *master, struct rt_video *video,
                                     struct rt_error *err);

#endif
