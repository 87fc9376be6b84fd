/* The tags of a saved video: what RuTube says of it, under the names players read. */
#include "output/tags.h"

#include "media/container.h"

#include <stdio.h>
#include <string.h>

size_t rt__tags_for_video(const struct rt_video *v, enum rt_container container, char date[11],
                          struct rt__mux_tag tags[RT__MUX_TAGS])
{
    date[0] = '\0';
    if (v->published && strlen(v->published) >= 10)
        snprintf(date, 11, "%.10s", v->published); /* YYYY-MM-DD */
    bool any_name = rt__container_holds(container, RT_HOLDS_ANY_TAGS);
    const struct rt__mux_tag all[RT__MUX_TAGS] = {
        {"title", v->title},
        {"artist", v->author},
        {"date", date},
        {"description", v->description},
        {"synopsis", v->description},
        {"comment", v->page_url}, /* where it came from, as yt-dlp writes it */
        {"episode_id", v->id},
        {"network", "RuTube"},
        {"encoding_tool", "librutube " RT_VERSION},
        {"PURL", any_name ? v->page_url : NULL},
        {"RUTUBE_ID", any_name ? v->id : NULL},
    };
    size_t n = 0;
    for (size_t i = 0; i < RT__MUX_TAGS; i++)
        if (all[i].value && *all[i].value)
            tags[n++] = all[i];
    return n;
}

size_t rt__tags_for_chapter(struct rt__mux_tag tags[RT__MUX_TAGS], size_t count,
                            const struct rt_video *video, const char *title, const char *track)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(tags[i].name, "title") == 0 && title && *title)
            tags[i].value = title;
    if (video->title && *video->title && count < RT__MUX_TAGS)
        tags[count++] = (struct rt__mux_tag){"album", video->title};
    if (count < RT__MUX_TAGS)
        tags[count++] = (struct rt__mux_tag){"track", track};
    return count;
}
