/* The remux: which path makes the file, our own MP4 writer or libavformat. */
#include "media/mux.h"

#include "base/errors.h"
#include "media/av_remux.h"
#include "media/mp4_remux.h"

enum rt_code rt__mux_run(const struct rt__mux_job *job, struct rt_error *err)
{
    if (job->container == RT_CONTAINER_MP4 && job->sub_count == 0 && !job->fragmented &&
        !job->general_only) {
        bool declined;
        char why[128];
        enum rt_code result = rt__mp4_remux(job, &declined, why, sizeof why, err);
        if (result != RT_OK || !declined)
            return result;
        rt__log(job->client, RT_LOG_INFO, "remuxing with libavformat instead: %s", why);
    }
    const struct rt__av *av = rt__av_load(err);
    if (!av)
        return RT_E_UNSUPPORTED;
    struct rt_error first = {0};
    bool moov_too_small = false;
    enum rt_code result = rt__av_remux(av, job, -1, &moov_too_small, &first);
    if (moov_too_small) {
        /* The classic two-pass +faststart. */
        rt__log(job->client, RT_LOG_INFO, "the moov estimate was too small; remuxing again");
        return rt__av_remux(av, job, 0, &moov_too_small, err);
    }
    if (result != RT_OK)
        rt__fail(err, result, "%s", first.message);
    return result;
}
