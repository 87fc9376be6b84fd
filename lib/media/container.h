/* The containers of RT_CONTAINER_MAP (rutube.h), as the library's modules ask about them. */
#ifndef RT_LIB_MEDIA_CONTAINER_H
#define RT_LIB_MEDIA_CONTAINER_H

#include "rutube/rutube.h"

#include <stdbool.h>

/* Whether `container` is a row of the map. */
bool rt__container_is_known(enum rt_container container);

/* libavformat's muxer for it ("matroska"), or NULL when the segments are kept as served. */
const char *rt__container_muxer(enum rt_container container);

/* FFmpeg's name of the codec subtitle tracks take in it ("mov_text"), or NULL: none. */
const char *rt__container_subtitle_codec(enum rt_container container);

/* FFmpeg's encoder for its audio ("libopus"), or NULL: RuTube's AAC is copied. */
const char *rt__container_audio_encoder(enum rt_container container);

/* Whether it holds `what` (RT_HOLDS_COVER, RT_HOLDS_ANY_TAGS, RT_HOLDS_VIDEO, RT_HOLDS_CHAPTERS).
 */
bool rt__container_holds(enum rt_container container, unsigned what);

#endif
