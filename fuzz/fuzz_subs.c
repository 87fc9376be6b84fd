/* Fuzz target for rt__subs_parse(): subtitle files (WebVTT, SubRip) read through libavformat. */
#include "fuzz.h"

#include "subs.h"

#include <libavutil/log.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* libavformat complains on stderr about every broken cue; the library sets no log level,
     * so quiet it here to keep the fuzzer's own output readable. */
    av_log_set_level(AV_LOG_QUIET);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *bytes = (const char *)data;
    struct rt__cues cues;
    struct rt_error err = {0};
    enum rt_code result = rt__subs_parse(bytes, size, &cues, &err);

    if (result != RT_OK) {
        FUZZ_CHECK(result == RT_E_BAD_RESPONSE);
        FUZZ_CHECK_ERROR(err, result);
        FUZZ_CHECK(cues.cues == NULL && cues.count == 0);
        return 0;
    }
    FUZZ_CHECK(cues.format && cues.format == rt__subs_sniff(bytes, size));
    FUZZ_CHECK(cues.count >= 1 && cues.cues);
    for (size_t i = 0; i < cues.count; i++) {
        const struct rt__cue *c = &cues.cues[i];
        size_t n = c->text ? strlen(c->text) : 0;
        FUZZ_CHECK(n > 0);
        FUZZ_CHECK(!strchr(c->text, '\r'));
        FUZZ_CHECK(c->text[n - 1] != '\n' && c->text[n - 1] != ' ');
        FUZZ_CHECK(c->end_ms >= c->start_ms);
    }
    rt__cues_cleanup(&cues);
    FUZZ_CHECK(cues.cues == NULL && cues.count == 0);
    return 0;
}
