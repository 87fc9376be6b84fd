/* Fuzz target for rt__subs_parse(): subtitle files (WebVTT, SubRip) read through libavformat. */
#include "fuzz.h"

#include "media/av.h"
#include "media/subs.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* FFmpeg is loaded on first use (which also quiets its logging); load it here so that its
     * one-time set-up is not counted against the first input, and so a missing libavformat
     * stops the fuzzer at once instead of failing every input. */
    struct rt_error err = {0};
    if (!rt__av_load(&err)) {
        fprintf(stderr, "fuzz_subs: %s\n", err.message);
        exit(1);
    }
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
