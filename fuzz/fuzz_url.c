/* Fuzz target for rt_target_parse(): any text a user might paste as a RuTube address. */
#include "fuzz.h"

#include "url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstring(data, size);
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
    FUZZ_CHECK(target.kind == RT_TARGET_VIDEO);
    FUZZ_CHECK(fuzz_is_video_id(target.id));
    FUZZ_CHECK(memchr(target.key, '\0', sizeof target.key) != NULL);
    for (const char *p = target.key; *p; p++)
        FUZZ_CHECK(*p > ' ' && *p < 0x7F); /* it goes into every API address */

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
