/* Parsing what users paste into a target: the address forms rutube.ru uses. */
#include "site/address.h"
#include "base/i18n.h"

#include "base/errors.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The longest address we look at: RuTube's are under 300 bytes; a paste of a whole page is
 * not an address. */
#define ADDRESS_MAX 4096

/* A view into the pasted text: start and length, never NUL-terminated. */
struct span {
    const char *p;
    size_t n;
};

static bool span_eq(struct span s, const char *word)
{
    return s.n == strlen(word) && strncasecmp(s.p, word, s.n) == 0;
}

static bool is_hex_id(struct span s)
{
    if (s.n != 32)
        return false;
    for (size_t i = 0; i < s.n; i++)
        if (!isxdigit((unsigned char)s.p[i]))
            return false;
    return true;
}

static bool is_number(struct span s)
{
    if (s.n == 0 || s.n > 19)
        return false;
    for (size_t i = 0; i < s.n; i++)
        if (!isdigit((unsigned char)s.p[i]))
            return false;
    return true;
}

/* Split the path into at most `max` segments at '/', ignoring empty ones (so a missing or
 * doubled trailing slash does not matter). Returns the count, or max + 1 when there are more. */
static size_t split_path(struct span path, struct span *parts, size_t max)
{
    size_t count = 0;
    size_t i = 0;
    while (i < path.n) {
        while (i < path.n && path.p[i] == '/')
            i++;
        size_t start = i;
        while (i < path.n && path.p[i] != '/')
            i++;
        if (i > start) {
            if (count == max)
                return max + 1;
            parts[count].p = path.p + start;
            parts[count].n = i - start;
            count++;
        }
    }
    return count;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Find `p=` in the query and percent-decode it into `key`. A key with characters outside
 * the printable ASCII range is refused: RuTube's keys are base64url text. */
static enum rt_code query_key(struct span query, char *key, size_t size, struct rt_error *err)
{
    key[0] = '\0';
    size_t i = 0;
    while (i < query.n) {
        size_t start = i;
        while (i < query.n && query.p[i] != '&' && query.p[i] != ';')
            i++;
        struct span pair = {query.p + start, i - start};
        i++;
        if (pair.n < 2 || pair.p[0] != 'p' || pair.p[1] != '=')
            continue;
        size_t out = 0;
        for (size_t j = 2; j < pair.n; j++) {
            char c = pair.p[j];
            if (c == '%') {
                int hi = j + 2 < pair.n ? hex_value(pair.p[j + 1]) : -1;
                int lo = j + 2 < pair.n ? hex_value(pair.p[j + 2]) : -1;
                if (hi < 0 || lo < 0)
                    return rt__fail(err, RT_E_BAD_URL, _("the access key (p=) is malformed"));
                c = (char)(hi * 16 + lo);
                j += 2;
            }
            if ((unsigned char)c <= ' ' || (unsigned char)c >= 0x7f)
                return rt__fail(err, RT_E_BAD_URL, _("the access key (p=) is malformed"));
            if (out + 1 >= size)
                return rt__fail(err, RT_E_BAD_URL, _("the access key (p=) is too long"));
            key[out++] = c;
        }
        key[out] = '\0';
    }
    return RT_OK;
}

/* An id, lowercased (hex ids, Yappy ids), or as written (numbers, channel names). */
static void copy_id(struct span id, bool lower, char out[65])
{
    for (size_t i = 0; i < id.n; i++)
        out[i] = lower ? (char)tolower((unsigned char)id.p[i]) : id.p[i];
    out[id.n] = '\0';
}

/* Yappy ids seen so far are 32 hex characters; accept any short token of URL-safe letters,
 * since the id goes into a query string and nothing else. */
static bool is_yappy_id(struct span s)
{
    if (s.n == 0 || s.n > 64)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (!isalnum((unsigned char)c) && c != '-' && c != '_')
            return false;
    }
    return true;
}

static enum rt_code take_hex(struct span id, enum rt_target_kind kind, struct rt_target *out,
                             struct rt_error *err)
{
    if (!is_hex_id(id))
        return rt__fail(err, RT_E_BAD_URL,
                        _("the video id in the address is malformed (expected 32 hex characters)"));
    out->kind = kind;
    copy_id(id, true, out->id);
    return RT_OK;
}

static enum rt_code take_number(struct span n, enum rt_target_kind kind, const char *what,
                                struct rt_target *out, struct rt_error *err)
{
    if (!is_number(n))
        return rt__fail(err, RT_E_BAD_URL, _("the %s number in the address is malformed"), _(what));
    out->kind = kind;
    copy_id(n, false, out->id);
    return RT_OK;
}

/* A channel's name as /u/<name>/ writes it: RuTube's names are letters, digits, '-', '_' and
 * '.'; at most 64, so it fits the target's id. */
static bool is_channel_name(struct span s)
{
    if (s.n == 0 || s.n > 64)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (!isalnum((unsigned char)c) && c != '-' && c != '_' && c != '.')
            return false;
    }
    return !span_eq(s, ".") && !span_eq(s, "..");
}

/* /channel/<n>/ or /u/<name>/ lists everything; videos/ and shorts/ are its two lists of
 * videos. */
static enum rt_code take_channel(struct span *parts, size_t count, struct rt_target *out,
                                 struct rt_error *err)
{
    out->section = RT_SECTION_ALL;
    if (count == 3 && span_eq(parts[2], "videos"))
        out->section = RT_SECTION_VIDEOS;
    else if (count == 3 && span_eq(parts[2], "shorts"))
        out->section = RT_SECTION_SHORTS;
    else if (count != 2)
        return rt__fail(err, RT_E_BAD_URL,
                        _("this part of a channel is not a list of videos: use the channel's "
                          "address, or its videos/ or shorts/ section"));
    if (span_eq(parts[0], "channel"))
        return take_number(parts[1], RT_TARGET_CHANNEL, N_("channel"), out, err);
    if (!is_channel_name(parts[1]))
        return rt__fail(err, RT_E_BAD_URL, _("the channel name in the address is malformed"));
    out->kind = RT_TARGET_CHANNEL_NAME;
    copy_id(parts[1], false, out->id);
    return RT_OK;
}

/* The path of a rutube.ru address: what does it name? */
static enum rt_code parse_path(struct span path, struct rt_target *out, struct rt_error *err)
{
    struct span parts[5];
    size_t count = split_path(path, parts, 4);
    if (count == 0 || count > 4)
        goto unknown;
    struct span first = parts[0];

    if (count == 2 && (span_eq(first, "video") || span_eq(first, "shorts")))
        return take_hex(parts[1], RT_TARGET_VIDEO, out, err);
    if (count == 3 && span_eq(first, "video") && span_eq(parts[1], "private"))
        return take_hex(parts[2], RT_TARGET_VIDEO, out, err);
    if ((count == 2 && span_eq(first, "embed")) ||
        (count == 3 && (span_eq(first, "play") || span_eq(first, "video")) &&
         span_eq(parts[1], "embed"))) {
        struct span id = parts[count - 1];
        if (is_number(id))
            return take_number(id, RT_TARGET_EMBED, N_("embed"), out, err);
        return take_hex(id, RT_TARGET_VIDEO, out, err);
    }
    if (count == 3 && span_eq(first, "live") && span_eq(parts[1], "video"))
        return take_hex(parts[2], RT_TARGET_LIVE, out, err);
    if (count == 4 && span_eq(first, "live") && span_eq(parts[1], "video") &&
        span_eq(parts[2], "private"))
        return take_hex(parts[3], RT_TARGET_LIVE, out, err);
    if (count == 2 && span_eq(first, "yappy")) {
        if (!is_yappy_id(parts[1]))
            return rt__fail(err, RT_E_BAD_URL, _("the Yappy clip id in the address is malformed"));
        out->kind = RT_TARGET_YAPPY;
        copy_id(parts[1], true, out->id); /* the API knows them in lowercase only */
        return RT_OK;
    }
    if (count == 2 && span_eq(first, "plst"))
        return take_number(parts[1], RT_TARGET_PLAYLIST, N_("playlist"), out, err);
    if ((span_eq(first, "channel") || span_eq(first, "u")) && count >= 2)
        return take_channel(parts, count, out, err);
    if (count == 3 && span_eq(first, "video") && span_eq(parts[1], "person"))
        return take_number(parts[2], RT_TARGET_PERSON, N_("author"), out, err);
    if (count == 3 && span_eq(first, "tags") && span_eq(parts[1], "video"))
        return take_number(parts[2], RT_TARGET_TAG, N_("tag"), out, err);
    /* A series page may also be addressed by its list: /metainfo/tv/<n>/video/. */
    if ((count == 3 || (count == 4 && span_eq(parts[3], "video"))) && span_eq(first, "metainfo") &&
        span_eq(parts[1], "tv"))
        return take_number(parts[2], RT_TARGET_SERIES, N_("series"), out, err);
    if (span_eq(first, "feeds"))
        return rt__fail(err, RT_E_UNSUPPORTED,
                        _("RuTube's feeds are not supported: give a video, playlist, channel, "
                          "author, tag or series address"));
unknown:
    return rt__fail(err, RT_E_BAD_URL,
                    _("this rutube.ru address names neither a video nor a list of videos "
                      "(expected /video/<id>/, /shorts/<id>/, /plst/<n>/, /channel/<n>/...)"));
}

bool rt_target_is_collection(const struct rt_target *target)
{
    if (!target)
        return false;
    switch (target->kind) {
    case RT_TARGET_PLAYLIST:
    case RT_TARGET_CHANNEL:
    case RT_TARGET_CHANNEL_NAME:
    case RT_TARGET_PERSON:
    case RT_TARGET_TAG:
    case RT_TARGET_SERIES:
        return true;
    case RT_TARGET_VIDEO:
    case RT_TARGET_EMBED:
    case RT_TARGET_LIVE:
    case RT_TARGET_YAPPY:
        break;
    }
    return false;
}

static bool is_rutube_host(struct span host)
{
    /* A trailing dot is the same host name. */
    if (host.n > 0 && host.p[host.n - 1] == '.')
        host.n--;
    return span_eq(host, "rutube.ru") || span_eq(host, "www.rutube.ru") ||
           span_eq(host, "m.rutube.ru");
}

enum rt_code rt_target_parse(const char *text, struct rt_target *out, struct rt_error *err)
{
    if (!text || !out)
        return rt__fail(err, RT_E_USAGE, _("no address given"));
    memset(out, 0, sizeof *out);

    struct span s = {text, strlen(text)};
    while (s.n > 0 && isspace((unsigned char)s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n > 0 && isspace((unsigned char)s.p[s.n - 1]))
        s.n--;
    if (s.n == 0)
        return rt__fail(err, RT_E_BAD_URL, _("the address is empty"));
    if (s.n > ADDRESS_MAX)
        return rt__fail(err, RT_E_BAD_URL, _("the address is too long"));
    for (size_t i = 0; i < s.n; i++)
        if ((unsigned char)s.p[i] < ' ' || s.p[i] == ' ' || s.p[i] == 0x7f)
            return rt__fail(err, RT_E_BAD_URL,
                            _("the address contains spaces or control characters"));

    if (is_hex_id(s)) {
        out->kind = RT_TARGET_VIDEO;
        copy_id(s, true, out->id);
        return RT_OK;
    }

    /* Scheme: http, https or none (also "//host"). */
    const char *colon = memchr(s.p, ':', s.n);
    const char *slash = memchr(s.p, '/', s.n);
    if (colon && (!slash || colon < slash)) {
        struct span scheme = {s.p, (size_t)(colon - s.p)};
        if (!span_eq(scheme, "http") && !span_eq(scheme, "https"))
            return rt__fail(err, RT_E_BAD_URL,
                            _("not a RuTube address: only http(s) addresses "
                              "of rutube.ru or a 32-character video id"));
        s.p = colon + 1;
        s.n -= scheme.n + 1;
        if (s.n < 2 || s.p[0] != '/' || s.p[1] != '/')
            return rt__fail(err, RT_E_BAD_URL, _("not a RuTube address: malformed address"));
    }
    if (s.n >= 2 && s.p[0] == '/' && s.p[1] == '/') {
        s.p += 2;
        s.n -= 2;
    }

    /* Fragment first, then query, then host and path. */
    const char *hash = memchr(s.p, '#', s.n);
    if (hash)
        s.n = (size_t)(hash - s.p);
    struct span query = {NULL, 0};
    const char *question = memchr(s.p, '?', s.n);
    if (question) {
        query.p = question + 1;
        query.n = s.n - (size_t)(question + 1 - s.p);
        s.n = (size_t)(question - s.p);
    }
    const char *path_start = memchr(s.p, '/', s.n);
    struct span host = {s.p, path_start ? (size_t)(path_start - s.p) : s.n};
    struct span path = {path_start ? path_start : s.p + s.n, path_start ? s.n - host.n : 0};

    if (memchr(host.p, '@', host.n) || memchr(host.p, ':', host.n) || !is_rutube_host(host)) {
        if (host.n > 0 && host.n < 200)
            return rt__fail(err, RT_E_BAD_URL,
                            _("not a RuTube address: the host is %.*s, not rutube.ru"), (int)host.n,
                            host.p);
        return rt__fail(err, RT_E_BAD_URL, _("not a RuTube address"));
    }

    enum rt_code result = parse_path(path, out, err);
    if (result != RT_OK)
        return result;
    return query_key(query, out->key, sizeof out->key, err);
}

bool rt__is_video_id(const char *s)
{
    return s && is_hex_id((struct span){s, strlen(s)});
}
