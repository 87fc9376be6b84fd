/* Fuzz target for the own TS -> MP4 path (mp4_remux.c: ts.c, h264.c, adts.c, mp4.c): any bytes
 * as the downloaded stream. It must either write an MP4 or step aside, never crash or leak.
 * The same bytes go through the audio probe (audio_probe.c), as a segment's first bytes. */
#include "fuzz.h"

#include "media/audio_probe.h"
#include "media/mp4_remux.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

static struct rt_client *client;
static char input[64], output[64];
static int input_fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct rt_error err = {0};
    if (rt_client_new(NULL, &client, &err) != RT_OK) {
        fprintf(stderr, "fuzz_ts: %s\n", err.message);
        exit(1);
    }
    input_fd = memfd_create("fuzz_ts", 0);
    if (input_fd < 0)
        exit(1);
    snprintf(input, sizeof input, "/proc/self/fd/%d", input_fd);
    snprintf(output, sizeof output, "/dev/shm/fuzz_ts.%d.mp4", (int)getpid());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(input_fd, 0) != 0 || pwrite(input_fd, data, size, 0) != (ssize_t)size)
        abort();
    /* The audio probe reads the same bytes, as the start of a segment cut anywhere. */
    struct rt__audio_traits audio;
    if (rt__audio_probe_ts(data, size, &audio))
        FUZZ_CHECK(audio.frames >= RT__AUDIO_PROBE_MIN_FRAMES && audio.sample_rate > 0 &&
                   audio.channels > 0 && audio.bitrate > 0);
    const struct rt__mux_tag tags[] = {{"title", "t"}, {"episode_id", "2ce7"}};
    struct rt__mux_job job = {
        .input = input,
        .output = output,
        .container = RT_CONTAINER_MP4,
        .tags = tags,
        .tag_count = 2,
        .expected_duration = 60,
        .client = client,
    };
    bool declined = false;
    char why[128] = "";
    struct rt_error err = {0};
    enum rt_code result = rt__mp4_remux(&job, &declined, why, sizeof why, &err);
    FUZZ_CHECK(result == RT_OK); /* no disk or memory trouble here: done, or declined */
    if (declined) {
        FUZZ_CHECK(why[0] != '\0');
        FUZZ_CHECK(access(output, F_OK) != 0); /* nothing left behind */
        return 0;
    }
    /* An MP4 that starts as one: ftyp, then the moov. */
    uint8_t head[40];
    int fd = open(output, O_RDONLY);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(read(fd, head, sizeof head) == (ssize_t)sizeof head);
    close(fd);
    FUZZ_CHECK(memcmp(head + 4, "ftyp", 4) == 0 && memcmp(head + 36, "moov", 4) == 0);
    unlink(output);
    return 0;
}
