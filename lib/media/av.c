/* Loading FFmpeg's libraries at the first remux (see av.h for why not at start-up). */
#include "media/av.h"
#include "base/i18n.h"

#include "base/errors.h"

#include <dlfcn.h>
#include <libavutil/macros.h>
#include <pthread.h>
#include <stdio.h>

#define LIBAVFORMAT_NAME "libavformat.so." AV_STRINGIFY(LIBAVFORMAT_VERSION_MAJOR)

static struct rt__av table;
static bool loaded;
static char problem[256];
static void *library; /* libavformat's handle, for the encoding functions */

static struct rt__av_codec codec_table;
static bool codec_loaded;
static char codec_problem[256];

static void load(void)
{
    /* RTLD_LOCAL: the symbols stay ours; dlsym on the handle also searches libavformat's own
     * dependencies (libavcodec, libavutil). */
    void *handle = dlopen(LIBAVFORMAT_NAME, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(problem, sizeof problem, "%s", dlerror());
        return;
    }
    library = handle;
#define RT__AV_LOOKUP(name)                                                                        \
    if (!(*(void **)&table.name = dlsym(handle, #name))) {                                         \
        snprintf(problem, sizeof problem, "%s has no %s", LIBAVFORMAT_NAME, #name);                \
        return;                                                                                    \
    }
    RT__AV_FUNCTIONS(RT__AV_LOOKUP)
#undef RT__AV_LOOKUP
    if (table.avformat_version() >> 16 != LIBAVFORMAT_VERSION_MAJOR) {
        snprintf(problem, sizeof problem, "%s is not version %d", LIBAVFORMAT_NAME,
                 LIBAVFORMAT_VERSION_MAJOR);
        return;
    }
    if (table.av_log_get_level() == AV_LOG_INFO)
        table.av_log_set_level(AV_LOG_QUIET);
    loaded = true;
}

const struct rt__av *rt__av_load(struct rt_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, load);
    if (loaded)
        return &table;
    rt__fail(err, RT_E_UNSUPPORTED,
             _("MP4 and MKV files need FFmpeg's libavformat %d (Debian: libavformat%d), which "
               "cannot be loaded (%s); use --container ts, or install it"),
             LIBAVFORMAT_VERSION_MAJOR, LIBAVFORMAT_VERSION_MAJOR, problem);
    return NULL;
}

static void load_codec(void)
{
    if (!library) {
        snprintf(codec_problem, sizeof codec_problem, "%s", problem);
        return;
    }
#define RT__AV_CODEC_LOOKUP(name)                                                                  \
    if (!(*(void **)&codec_table.name = dlsym(library, #name))) {                                  \
        snprintf(codec_problem, sizeof codec_problem, "FFmpeg's libraries have no %s", #name);     \
        return;                                                                                    \
    }
    RT__AV_CODEC_FUNCTIONS(RT__AV_CODEC_LOOKUP)
#undef RT__AV_CODEC_LOOKUP
    codec_loaded = true;
}

const struct rt__av_codec *rt__av_codec_load(struct rt_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (!rt__av_load(err))
        return NULL;
    pthread_once(&once, load_codec);
    if (codec_loaded)
        return &codec_table;
    rt__fail(err, RT_E_UNSUPPORTED, _("encoding audio needs FFmpeg's libavcodec (%s)"),
             codec_problem);
    return NULL;
}
