/* Subtitle files (WebVTT or SubRip) as timed plain-text cues, for embedding as tracks. */
#ifndef RT_LIB_SUBS_H
#define RT_LIB_SUBS_H

#include "rutube/rutube.h"

#include <stdint.h>

struct rt__cue {
    int64_t start_ms, end_ms;
    char *text; /* plain UTF-8, markup removed, lines separated by '\n' */
};

struct rt__cues {
    struct rt__cue *cues;
    size_t count;
    const char *format; /* "vtt" or "srt" */
};

/* The file's kind by its first bytes: "vtt" (WEBVTT header), "srt", or NULL. */
const char *rt__subs_sniff(const char *data, size_t len);

/*
 * Read a WebVTT or SubRip file (the bytes, not a path) into cues, with libavformat's own
 * demuxers. Markup such as <i>, <c.x>, {\an8} is dropped and &amp; &lt; &gt; &quot; &nbsp;
 * decoded. Errors: RT_E_BAD_RESPONSE (neither format, or no cue), RT_E_NOMEM.
 * Free with rt__cues_cleanup().
 */
enum rt_code rt__subs_parse(const char *data, size_t len, struct rt__cues *out,
                            struct rt_error *err);
void rt__cues_cleanup(struct rt__cues *cues);

/* ISO 639-2 three-letter code for a two-letter one ("ru" -> "rus", also "ru-RU"); a known
 * three-letter code stays; "und" when unknown. Static storage. */
const char *rt__subs_lang3(const char *code);

/* Remove markup from cue text in place; returns the new length. */
size_t rt__subs_plain_text(char *text, size_t len);

#endif
