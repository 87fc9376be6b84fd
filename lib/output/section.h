/* Parts of a video (rt_download_options.section_start/_end): whether one is asked, and how
 * the file's name says which. rt_section_parse() is public (rutube.h). */
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

#endif
