/* What both remux paths share of a job: its progress report. */
#include "media/mux_job.h"

#include "base/http.h"

void rt__mux_report(const struct rt__mux_job *job, uint64_t done, uint64_t total, bool final,
                    double *last)
{
    double now = rt__http_now();
    if (!job->progress || (!final && now - *last < 0.1))
        return;
    *last = now;
    struct rt_progress p = {0};
    p.phase = RT_PHASE_REMUX;
    p.bytes_done = done;
    p.bytes_expected = total > 0 ? total : done;
    job->progress(&p, job->progress_data);
}
