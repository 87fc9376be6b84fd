/* Fuzz target for RuTube's JSON: each input is read as play options and as video info. */
#include "fuzz.h"

#include "site/api.h"

#include <math.h>

#define ID "2ce725b3dc1a243f8456458975ecd872"

/* What play options left for the video info call to complete: title and description empty,
 * so that the info answer's fill in. */
static const char base_options[] =
    "{\"video_balancer\": {\"m3u8\": \"https://bl.rutube.ru/route/" ID ".m3u8\"},"
    " \"title\": \"\", \"author\": {\"name\": \"A\", \"id\": 1}, \"duration\": 0}";

static void check_video(const struct rt_video *v)
{
    FUZZ_CHECK(fuzz_is_video_id(v->id));
    FUZZ_CHECK(v->title && v->description && v->author && v->author_id && v->published &&
               v->category);
    FUZZ_CHECK(fuzz_is_http(v->page_url) && fuzz_is_http(v->master_url));
    FUZZ_CHECK(v->thumbnail_url && (v->thumbnail_url[0] == '\0' || fuzz_is_http(v->thumbnail_url)));
    FUZZ_CHECK(isfinite(v->duration) && v->duration >= 0);
    FUZZ_CHECK(v->views >= -1);
    FUZZ_CHECK(v->caption_count <= 64 && (v->caption_count == 0 || v->captions));
    for (size_t i = 0; i < v->caption_count; i++) {
        const struct rt_caption *c = &v->captions[i];
        /* The code becomes part of a file name: <name>.<lang>.vtt. */
        FUZZ_CHECK(c->lang && c->lang[0] && strlen(c->lang) <= 16);
        FUZZ_CHECK(strspn(c->lang, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "0123456789-_") == strlen(c->lang));
        FUZZ_CHECK(c->name && fuzz_is_http(c->url));
    }
    FUZZ_CHECK(v->tag_count <= 256 && (v->tag_count == 0 || v->tags));
    for (size_t i = 0; i < v->tag_count; i++)
        FUZZ_CHECK(v->tags[i] && v->tags[i][0]);
    FUZZ_CHECK(v->format_count == 0 && v->formats == NULL);
}

static bool is_zeroed(const struct rt_video *v)
{
    static const struct rt_video zero;
    return memcmp(v, &zero, sizeof zero) == 0;
}

static void fuzz_options(const char *json, size_t len, long status, const char *key)
{
    struct rt_target target = {RT_TARGET_VIDEO, ID, "", RT_SECTION_ALL};
    snprintf(target.key, sizeof target.key, "%s", key);
    struct rt_video video;
    struct rt_error err = {0};
    enum rt_code result = rt__api_parse_options(json, len, status, &target, &video, &err);

    if (result != RT_OK) {
        FUZZ_CHECK(result == RT_E_BAD_RESPONSE || result == RT_E_NOT_FOUND ||
                   result == RT_E_PRIVATE || result == RT_E_GEO_BLOCKED ||
                   result == RT_E_UNAVAILABLE || result == RT_E_UNSUPPORTED ||
                   result == RT_E_FORBIDDEN);
        FUZZ_CHECK_ERROR(err, result);
        FUZZ_CHECK(is_zeroed(&video));
        return;
    }
    FUZZ_CHECK(status == 200 || status == 0);
    check_video(&video);
    FUZZ_CHECK(video.views == -1 && video.published[0] == '\0');
    rt__video_cleanup(&video);
    FUZZ_CHECK(is_zeroed(&video));
}

static void fuzz_info(const char *json, size_t len)
{
    struct rt_target target = {RT_TARGET_VIDEO, ID, "", RT_SECTION_ALL};
    struct rt_video video;
    struct rt_error err = {0};
    FUZZ_CHECK(rt__api_parse_options(base_options, strlen(base_options), 200, &target, &video,
                                     &err) == RT_OK);
    enum rt_code result = rt__api_parse_info(json, len, &video, &err);

    if (result != RT_OK) {
        FUZZ_CHECK(result == RT_E_BAD_RESPONSE);
        FUZZ_CHECK_ERROR(err, result);
    }
    /* Whatever the answer, the video stays whole: the info call only adds. */
    check_video(&video);
    FUZZ_CHECK(strcmp(video.id, ID) == 0 && strcmp(video.author, "A") == 0);
    rt__video_cleanup(&video);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The bytes exactly, without a NUL after them: the parsers take a length. */
    const char *json = (const char *)data;
    fuzz_options(json, size, 200, "");
    /* The other answers RuTube gives, chosen by the length so that every input stays plain
     * JSON: errors with a status, and a private video's key. */
    static const long statuses[] = {0, 403, 404, 410, 500, 401};
    fuzz_options(json, size, statuses[size % 6], size % 4 < 2 ? "" : "kEy-_0");
    fuzz_info(json, size);
    return 0;
}
