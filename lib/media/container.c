/* The container table: RT_CONTAINER_MAP (rutube.h) read row by row. */
#include "media/container.h"

#include <stddef.h>

struct row {
    const char *extension, *muxer, *subtitle_codec, *audio_encoder;
    unsigned holds;
};

static const struct row rows[] = {
#define RT_CONTAINER_ROW(name, ext, muxer, subtitles, audio, holds)                                \
    [RT_CONTAINER_##name] = {ext, muxer, subtitles, audio, holds},
    RT_CONTAINER_MAP(RT_CONTAINER_ROW)
#undef RT_CONTAINER_ROW
};

bool rt__container_is_known(enum rt_container container)
{
    return (unsigned)container < RT_CONTAINER_COUNT;
}

/* Unknown values read as MP4's row, the default container. */
static const struct row *row_of(enum rt_container container)
{
    return &rows[rt__container_is_known(container) ? container : RT_CONTAINER_MP4];
}

const char *rt_container_extension(enum rt_container container)
{
    return row_of(container)->extension;
}

const char *rt__container_muxer(enum rt_container container)
{
    return row_of(container)->muxer;
}

const char *rt__container_subtitle_codec(enum rt_container container)
{
    return row_of(container)->subtitle_codec;
}

const char *rt__container_audio_encoder(enum rt_container container)
{
    return row_of(container)->audio_encoder;
}

bool rt_container_has_video(enum rt_container container)
{
    return rt__container_holds(container, RT_HOLDS_VIDEO);
}

bool rt__container_holds(enum rt_container container, unsigned what)
{
    return (row_of(container)->holds & what) == what;
}
