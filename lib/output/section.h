/* Parts of a video (rt_download_options.section_start/_end, or its chapters with
 * split_chapters): whether one is asked, and how the file's name says which.
 * rt_section_parse() is public (rutube.h). */
#ifndef RT_LIB_OUTPUT_SECTION_H
#define RT_LIB_OUTPUT_SECTION_H

#include "rutube/rutube.h"

#include <stdbool.h>
#include <stddef.h>

/* Whether [start, end) is a part rather than the whole video (both 0, or 0 to HUGE_VAL). */
bool rt__section_is_set(double start, double end);

/* What the name gets before its extension: " [1:00-2:30]" (" [1:00-end]" to the end), or
 * "_1_00-2_30" for ASCII names. */
void rt__section_suffix(double start, double end, bool restrict_ascii, char *out, size_t size);

/* What a chapter's own file (rt_download_options.split_chapters) gets before its extension:
 * " - 003 Title" (its number of `total`, zero-padded to at least three digits, and its title
 * made safe for a name, cut to `title_limit` bytes; the number alone when nothing is left), or
 * "_003_Title" for ASCII names. */
void rt__chapter_suffix(size_t number, size_t total, const char *title, bool restrict_ascii,
                        size_t title_limit, char *out, size_t size);

#endif
