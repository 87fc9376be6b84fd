/* Subtitle tracks: their entries in play options and the WebVTT or SubRip files they name. */
#include "fake.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The cues, timed for a 60 s video and scaled to any other length. Tests compare the files
 * byte for byte, so README.md quotes them: change both together. The Russian texts carry
 * what a subtitle reader must get right (two text lines, markup, an escaped ampersand);
 * text is stored raw and escaped for WebVTT, where a bare '&' is not allowed.
 */
static const struct cue {
    unsigned start_ms, end_ms;
    const char *ru;
    const char *en;
} cues[] = {
    {2000, 5000, "Привет! Это тестовые субтитры.", "Hello! These are test subtitles."},
    {10000, 14000, "Андрей, Костя, Юра, Даня и Виталик\nбыли лучшими друзьями.",
     "Andrey, Kostya, Yura, Danya and Vitalik\nwere best friends."},
    {20000, 24000, "Это <i>курсив</i> & амперсанд.", "This cue is in <i>italic</i>."},
    {30000, 34000, "Лихие девяностые.", "The wild nineties."},
    {45000, 50000, "Конец.", "The end."},
};

#define CUE_COUNT    (sizeof cues / sizeof cues[0])
#define REFERENCE_MS 60000u
#define NOT_FOUND    "<html><body><h1>404 Not Found</h1></body></html>\n"

static void timestamp(FILE *f, uint64_t ms, char separator)
{
    fprintf(f, "%02llu:%02llu:%02llu%c%03llu", (unsigned long long)(ms / 3600000),
            (unsigned long long)(ms / 60000 % 60), (unsigned long long)(ms / 1000 % 60), separator,
            (unsigned long long)(ms % 1000));
}

static void text_escaped(FILE *f, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '&')
            fputs("&amp;", f);
        else
            fputc(*p, f);
    }
}

/* The file's bytes; *len is set. Caller frees; NULL when out of memory. */
static char *caption_text(const struct fake_video *video, const struct fake_caption *caption,
                          size_t *len)
{
    bool is_vtt = strcmp(caption->format, "vtt") == 0;
    bool is_russian = strcmp(caption->code, "ru") == 0;
    /* A video without media (removed) still gets sensible times: those of the reference. */
    uint64_t duration_ms = (uint64_t)llround(fake_video_duration(video) * 1000);
    if (duration_ms == 0)
        duration_ms = REFERENCE_MS;

    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f)
        return NULL;
    if (is_vtt)
        fputs("WEBVTT\n\n", f);
    for (size_t i = 0; i < CUE_COUNT; i++) {
        if (i > 0)
            fputc('\n', f);
        fprintf(f, "%zu\n", i + 1);
        timestamp(f, cues[i].start_ms * duration_ms / REFERENCE_MS, is_vtt ? '.' : ',');
        fputs(" --> ", f);
        timestamp(f, cues[i].end_ms * duration_ms / REFERENCE_MS, is_vtt ? '.' : ',');
        fputc('\n', f);
        const char *words = is_russian ? cues[i].ru : cues[i].en;
        if (is_vtt)
            text_escaped(f, words);
        else
            fputs(words, f);
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

json_t *fake_captions_json(const struct fake_server *server, const struct fake_video *video)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < video->caption_count; i++) {
        const struct fake_caption *caption = &video->captions[i];
        size_t size = strlen(server->api_base) + strlen(video->id) + strlen(caption->code) + 32;
        char *url = malloc(size);
        if (!url) {
            json_decref(list);
            return NULL;
        }
        snprintf(url, size, "%s/captions/%s/%s.%s", server->api_base, video->id, caption->code,
                 caption->format);
        /* 2026's answers name the syntax too, in words of their own (cobalt reads them). */
        const char *format = strcmp(caption->format, "vtt") == 0 ? "webvtt" : "srt";
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "code", caption->code, "file",
                                              url, "langTitle", caption->title, "format", format));
        free(url);
    }
    return list;
}

void fake_captions_reply(const struct fake_server *server, const char *id, size_t id_len,
                         const char *name, size_t name_len, struct fake_reply *reply)
{
    const struct fake_video *video = fake_catalog_find(&server->catalog, id, id_len);
    const struct fake_caption *found = NULL;
    /* "<code>.<format>": only the format the catalog gives that language is served. */
    for (size_t i = 0; video && !server->config.captions_404 && i < video->caption_count; i++) {
        const struct fake_caption *caption = &video->captions[i];
        size_t code_len = strlen(caption->code), format_len = strlen(caption->format);
        if (name_len == code_len + 1 + format_len && memcmp(name, caption->code, code_len) == 0 &&
            name[code_len] == '.' &&
            memcmp(name + code_len + 1, caption->format, format_len) == 0 &&
            !(server->config.caption_404 && strcmp(server->config.caption_404, caption->code) == 0))
            found = caption;
    }
    if (!found) {
        /* Caption files live on a static host: it fails like nginx, not like the API. */
        fake_reply_copy(reply, MHD_HTTP_NOT_FOUND, "text/html", NOT_FOUND, sizeof NOT_FOUND - 1);
        return;
    }
    size_t len = 0;
    char *text = caption_text(video, found, &len);
    if (text)
        fake_reply_take(reply, MHD_HTTP_OK,
                        strcmp(found->format, "vtt") == 0 ? "text/vtt" : "application/x-subrip",
                        text, len);
}
