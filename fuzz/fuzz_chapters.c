/*
 * Fuzz target for rt_chapters_from_description(): any text as a RuTube description. The first
 * two bytes choose the duration (0 to 65535 seconds, so "too late" and "no duration" are
 * reached too); the rest is the description. Every list must keep the promises of rutube.h,
 * and each title must make a safe part of a file name (--split-chapters: output/section.h).
 */
#include "fuzz.h"

#include "output/section.h"
#include "rutube/rutube.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    double duration = (double)((unsigned)data[0] << 8 | data[1]);
    char *description = fuzz_cstring(data + 2, size - 2);
    struct rt_chapter *chapters = NULL;
    size_t count = 0;
    enum rt_code result = rt_chapters_from_description(description, duration, &chapters, &count);
    FUZZ_CHECK(result == RT_OK);
    FUZZ_CHECK(count == 0 ? chapters == NULL : chapters != NULL);
    FUZZ_CHECK(count == 0 || (count >= 2 && count <= RT_CHAPTERS_MAX));
    for (size_t i = 0; i < count; i++) {
        const struct rt_chapter *c = &chapters[i];
        FUZZ_CHECK(c->start < c->end && c->end <= duration);
        FUZZ_CHECK(i == 0 ? c->start == 0 : c->start == chapters[i - 1].end);
        size_t len = c->title ? strlen(c->title) : 0;
        FUZZ_CHECK(len > 0 && len <= RT_CHAPTER_TITLE_MAX);
        FUZZ_CHECK(fuzz_is_utf8(c->title, len) && !fuzz_has_control(c->title));
        /* Trimmed: no blank at either end (ASCII ones checked; the rest are rarer than rare). */
        FUZZ_CHECK(c->title[0] != ' ' && c->title[len - 1] != ' ' && c->title[len - 1] != '\t');
        char suffix[300];
        for (int ascii = 0; ascii < 2; ascii++) {
            rt__chapter_suffix(i + 1, count, c->title, ascii, data[0], suffix, sizeof suffix);
            size_t n = strlen(suffix);
            FUZZ_CHECK(n <= 16 + (size_t)data[0] && fuzz_is_utf8(suffix, n));
            FUZZ_CHECK(!strchr(suffix, '/') && !fuzz_has_control(suffix));
        }
    }
    rt_chapters_free(chapters);
    free(description);
    return 0;
}
