/* RuTube's addresses: what a pasted address names (rt_target_parse() in rutube.h), and ids. */
#ifndef RT_LIB_SITE_ADDRESS_H
#define RT_LIB_SITE_ADDRESS_H

#include "rutube/rutube.h"

#include <stdbool.h>

/* Whether `s` is a video id as the API writes it: 32 hex digits (either case). NULL: false. */
bool rt__is_video_id(const char *s);

#endif
