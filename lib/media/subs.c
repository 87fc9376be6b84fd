/* Subtitle files as cues: libavformat parses WebVTT and SubRip, we strip the markup. */
#include "media/subs.h"
#include "base/i18n.h"

#include "media/av.h"
#include "base/errors.h"

#include <stdlib.h>
#include <string.h>

/* A subtitle file is text; past this it is not one. */
#define SUBS_MAX_BYTES (8u << 20)
#define SUBS_MAX_CUES  100000

const char *rt__subs_sniff(const char *data, size_t len)
{
    size_t skip = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (len - skip >= 6 && memcmp(data + skip, "WEBVTT", 6) == 0)
        return "vtt";
    /* SubRip: a cue number line, then "00:00:02,000 --> ...". */
    const char *arrow =
        len > skip ? memmem(data + skip, len - skip < 512 ? len - skip : 512, "-->", 3) : NULL;
    return arrow ? "srt" : NULL;
}

static const char *const lang_pairs[][2] = {
    {"ru", "rus"}, {"en", "eng"}, {"uk", "ukr"}, {"be", "bel"}, {"kk", "kaz"}, {"uz", "uzb"},
    {"ky", "kir"}, {"tg", "tgk"}, {"tk", "tuk"}, {"az", "aze"}, {"hy", "hye"}, {"ka", "kat"},
    {"de", "deu"}, {"fr", "fra"}, {"es", "spa"}, {"it", "ita"}, {"pt", "por"}, {"pl", "pol"},
    {"cs", "ces"}, {"sk", "slk"}, {"bg", "bul"}, {"sr", "srp"}, {"hr", "hrv"}, {"ro", "ron"},
    {"hu", "hun"}, {"fi", "fin"}, {"sv", "swe"}, {"no", "nor"}, {"da", "dan"}, {"nl", "nld"},
    {"el", "ell"}, {"tr", "tur"}, {"ar", "ara"}, {"he", "heb"}, {"fa", "fas"}, {"hi", "hin"},
    {"zh", "zho"}, {"ja", "jpn"}, {"ko", "kor"}, {"vi", "vie"}, {"th", "tha"}, {"id", "ind"},
    {"lt", "lit"}, {"lv", "lav"}, {"et", "est"}, {"tt", "tat"}, {"ba", "bak"}, {"cv", "chv"},
};

const char *rt__subs_lang3(const char *code)
{
    if (!code)
        return "und";
    /* "ru", also as "ru-RU" or "ru_RU". */
    for (size_t i = 0; i < sizeof lang_pairs / sizeof lang_pairs[0]; i++)
        if (strncmp(code, lang_pairs[i][0], 2) == 0 &&
            (code[2] == '\0' || code[2] == '-' || code[2] == '_'))
            return lang_pairs[i][1];
    for (size_t i = 0; i < sizeof lang_pairs / sizeof lang_pairs[0]; i++)
        if (strcmp(code, lang_pairs[i][1]) == 0)
            return lang_pairs[i][1];
    return "und";
}

/* Decode the few entities WebVTT uses; returns the bytes consumed (0: not one of them). */
static size_t entity(const char *p, size_t n, char *out, size_t *out_len)
{
    static const struct {
        const char *name, *text;
    } entities[] = {{"&amp;", "&"},         {"&lt;", "<"},   {"&gt;", ">"},
                    {"&quot;", "\""},       {"&apos;", "'"}, {"&#39;", "'"},
                    {"&nbsp;", "\xC2\xA0"}, {"&lrm;", ""},   {"&rlm;", ""}};
    for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++) {
        size_t len = strlen(entities[i].name);
        if (n >= len && memcmp(p, entities[i].name, len) == 0) {
            size_t t = strlen(entities[i].text);
            memcpy(out + *out_len, entities[i].text, t);
            *out_len += t;
            return len;
        }
    }
    return 0;
}

size_t rt__subs_plain_text(char *text, size_t len)
{
    /* Output never grows: each entity is at least as long as what it stands for. */
    size_t out = 0;
    for (size_t i = 0; i < len;) {
        char c = text[i];
        if (c == '<') {
            const char *close = memchr(text + i, '>', len - i);
            if (close) {
                i = (size_t)(close - text) + 1;
                continue;
            }
        } else if (c == '{' && i + 1 < len && text[i + 1] == '\\') {
            const char *close = memchr(text + i, '}', len - i);
            if (close) {
                i = (size_t)(close - text) + 1;
                continue;
            }
        } else if (c == '&') {
            size_t used = entity(text + i, len - i, text, &out);
            if (used) {
                i += used;
                continue;
            }
        } else if (c == '\r') {
            i++;
            continue;
        }
        text[out++] = c;
        i++;
    }
    while (out > 0 && (text[out - 1] == '\n' || text[out - 1] == ' '))
        out--;
    text[out] = '\0';
    return out;
}

struct memory {
    const char *data;
    size_t len, pos;
};

static int read_memory(void *opaque, uint8_t *buf, int size)
{
    struct memory *m = opaque;
    size_t left = m->len - m->pos;
    if (left == 0)
        return AVERROR_EOF;
    size_t n = (size_t)size < left ? (size_t)size : left;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (int)n;
}

void rt__cues_cleanup(struct rt__cues *cues)
{
    if (!cues)
        return;
    for (size_t i = 0; i < cues->count; i++)
        free(cues->cues[i].text);
    free(cues->cues);
    cues->cues = NULL;
    cues->count = 0;
}

static enum rt_code add_cue(const struct rt__av *av, struct rt__cues *out, size_t *cap,
                            const AVPacket *pkt, AVRational tb, struct rt_error *err)
{
    if (out->count == SUBS_MAX_CUES)
        return rt__fail(err, RT_E_BAD_RESPONSE, _("the subtitle file has too many cues"));
    if (out->count == *cap) {
        size_t bigger = *cap ? *cap * 2 : 64;
        struct rt__cue *more = realloc(out->cues, bigger * sizeof *more);
        if (!more)
            return rt__fail(err, RT_E_NOMEM, NULL);
        out->cues = more;
        *cap = bigger;
    }
    char *text = malloc((size_t)pkt->size + 1);
    if (!text)
        return rt__fail(err, RT_E_NOMEM, NULL);
    memcpy(text, pkt->data, (size_t)pkt->size);
    text[pkt->size] = '\0';
    /* A NUL inside the cue would end the text early; it is not text anyway. */
    size_t len = rt__subs_plain_text(text, strnlen(text, (size_t)pkt->size));
    if (len == 0) {
        free(text);
        return RT_OK;
    }
    struct rt__cue *cue = &out->cues[out->count++];
    AVRational ms = {1, 1000};
    cue->start_ms = av->av_rescale_q(pkt->pts, tb, ms);
    cue->end_ms = cue->start_ms + av->av_rescale_q(pkt->duration > 0 ? pkt->duration : 0, tb, ms);
    cue->text = text;
    return RT_OK;
}

enum rt_code rt__subs_parse(const char *data, size_t len, struct rt__cues *out,
                            struct rt_error *err)
{
    enum rt_code result = RT_OK;
    AVFormatContext *fmt = NULL;
    AVIOContext *avio = NULL;
    AVPacket *pkt = NULL;
    struct memory mem = {data, len, 0};
    size_t cap = 0;

    memset(out, 0, sizeof *out);
    const struct rt__av *av = rt__av_load(err);
    if (!av)
        return RT_E_UNSUPPORTED;
    out->format = len <= SUBS_MAX_BYTES ? rt__subs_sniff(data, len) : NULL;
    if (!out->format)
        return rt__fail(err, RT_E_BAD_RESPONSE,
                        _("the subtitle file is neither WebVTT nor SubRip"));
    const AVInputFormat *iformat =
        av->av_find_input_format(strcmp(out->format, "vtt") == 0 ? "webvtt" : "srt");
    unsigned char *buffer = av->av_malloc(4096);
    if (buffer && !(avio = av->avio_alloc_context(buffer, 4096, 0, &mem, read_memory, NULL, NULL)))
        av->av_free(buffer);
    fmt = av->avformat_alloc_context();
    pkt = av->av_packet_alloc();
    if (!iformat || !fmt || !pkt || !avio) {
        av->avformat_free_context(fmt);
        fmt = NULL;
        result = rt__fail(err, RT_E_NOMEM, NULL);
        goto out;
    }
    fmt->pb = avio;
    fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
    if (av->avformat_open_input(&fmt, NULL, iformat, NULL) < 0) {
        fmt = NULL; /* freed by avformat_open_input on failure */
        result = rt__fail(err, RT_E_BAD_RESPONSE, _("the subtitle file cannot be read"));
        goto out;
    }
    AVRational tb = fmt->nb_streams ? fmt->streams[0]->time_base : (AVRational){1, 1000};
    while (av->av_read_frame(fmt, pkt) >= 0) {
        if (pkt->pts != AV_NOPTS_VALUE && pkt->size > 0)
            result = add_cue(av, out, &cap, pkt, tb, err);
        av->av_packet_unref(pkt);
        if (result != RT_OK)
            goto out;
    }
    if (out->count == 0)
        result = rt__fail(err, RT_E_BAD_RESPONSE, _("the subtitle file has no cues"));
out:
    av->avformat_close_input(&fmt);
    if (avio) {
        av->av_freep(&avio->buffer);
        av->avio_context_free(&avio);
    }
    av->av_packet_free(&pkt);
    if (result != RT_OK)
        rt__cues_cleanup(out);
    return result;
}
