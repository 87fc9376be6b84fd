/* The metadata a saved video carries inside its file. */
#ifndef RT_LIB_OUTPUT_TAGS_H
#define RT_LIB_OUTPUT_TAGS_H

#include "media/mux_job.h"

/*
 * The tags of `video` for a file in `container`: title, artist (the author), date
 * (publication, YYYY-MM-DD), description and synopsis, comment (the page address, as yt-dlp
 * writes it), episode_id (the RuTube id), network ("RuTube"), encoding_tool; where the
 * container holds tags by any name (RT_HOLDS_ANY_TAGS), PURL and RUTUBE_ID too. Empty values
 * are left out. `date` is room for the date the tag points at; the values are borrowed from
 * `video`. Returns how many.
 */
size_t rt__tags_for_video(const struct rt_video *video, enum rt_container container, char date[11],
                          struct rt__mux_tag tags[RT__MUX_TAGS]);

/*
 * The tags of one chapter's own file, from the video's (`count` of them, in `tags`): the
 * chapter's title as the title, the video's as the album, `track` ("3/7") as the track.
 * Returns how many.
 */
size_t rt__tags_for_chapter(struct rt__mux_tag tags[RT__MUX_TAGS], size_t count,
                            const struct rt_video *video, const char *title, const char *track);

#endif
