/* Fuzz target for rt_target_parse(): any text a user might paste as a RuTube address; the
 * same text as rt_section_parse() reads a --download-sections part. */
#include "fuzz.h"

#include "base/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstring(data, size);
    /* The same words as a part of a video (--download-sections): a range, or refused. */
    double start = -1, end = -1;
    struct rt_error section_err = {0};
    if (rt_section_parse(text, &start, &end, &section_err) == RT_OK)
        FUZZ_CHECK(start >= 0 && end > start && section_err.code == RT_OK);
    else
        FUZZ_CHECK_ERROR(section_err, RT_E_USAGE);
    struct rt_target target;
    struct rt_error err = {0};
    enum rt_code result = rt_target_parse(text, &target, &err);

    if (result != RT_OK) {
        FUZZ_CHECK(result == RT_E_BAD_URL || result == RT_E_UNSUPPORTED);
        FUZZ_CHECK_ERROR(err, result);
        free(text);
        return 0;
    }
    FUZZ_CHECK(err.code == RT_OK);
    FUZZ_CHECK(memchr(target.id, '\0', sizeof target.id) != NULL);
    FUZZ_CHECK(memchr(target.key, '\0', sizeof target.key) != NULL);
    for (const char *p = target.key; *p; p++)
        FUZZ_CHECK(*p > ' ' && *p < 0x7F); /* it goes into every API address */
    /* Whatever the kind, the id goes into an API path or query: URL-safe characters only
     * (RFC 3986's unreserved ones; a channel name's '.' never makes "." or ".."). */
    FUZZ_CHECK(target.id[0] &&
               strspn(target.id, "0123456789abcdefghijklmnopqrstuvwxyz"
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.") == strlen(target.id));
    switch (target.kind) {
    case RT_TARGET_VIDEO:
    case RT_TARGET_LIVE:
        FUZZ_CHECK(fuzz_is_video_id(target.id));
        break;
    case RT_TARGET_YAPPY:
        FUZZ_CHECK(strlen(target.id) <= 64);
        break;
    case RT_TARGET_EMBED:
    case RT_TARGET_PLAYLIST:
    case RT_TARGET_CHANNEL:
    case RT_TARGET_PERSON:
    case RT_TARGET_TAG:
    case RT_TARGET_SERIES:
        FUZZ_CHECK(strspn(target.id, "0123456789") == strlen(target.id) && strlen(target.id) <= 19);
        break;
    case RT_TARGET_CHANNEL_NAME:
        FUZZ_CHECK(strlen(target.id) >= 1 && strlen(target.id) <= 64);
        FUZZ_CHECK(strspn(target.id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789._-") == strlen(target.id));
        FUZZ_CHECK(strcmp(target.id, ".") != 0 && strcmp(target.id, "..") != 0);
        break;
    default:
        FUZZ_CHECK(!"an unknown kind");
    }
    FUZZ_CHECK(target.kind == RT_TARGET_CHANNEL || target.kind == RT_TARGET_CHANNEL_NAME ||
               target.section == RT_SECTION_ALL);
    FUZZ_CHECK(rt_target_is_collection(&target) ==
               ((target.kind >= RT_TARGET_PLAYLIST && target.kind <= RT_TARGET_SERIES) ||
                target.kind == RT_TARGET_CHANNEL_NAME));
    if (target.kind != RT_TARGET_VIDEO) {
        free(text);
        return 0;
    }

    /* Round trip: the canonical address of what was parsed names the same video and key. */
    char canonical[80 + 3 * sizeof target.key] = "https://rutube.ru/video/private/";
    strcat(canonical, target.id);
    strcat(canonical, "/?p=");
    FUZZ_CHECK(rt__url_encode(target.key, canonical, sizeof canonical));
    struct rt_target again;
    struct rt_error again_err = {0};
    FUZZ_CHECK(rt_target_parse(canonical, &again, &again_err) == RT_OK);
    FUZZ_CHECK(strcmp(again.id, target.id) == 0);
    FUZZ_CHECK(strcmp(again.key, target.key) == 0);

    free(text);
    return 0;
}
