/* What both remux paths share of a job: its progress report, its chapters' end. */
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

size_t rt__mux_chapters_within(const struct rt_chapter *chapters, size_t count, double limit,
                               double *last_end)
{
    size_t n = 0;
    while (n < count && (limit <= 0 || chapters[n].start < limit) &&
           (n == 0 || chapters[n].start > chapters[n - 1].start))
        n++;
    *last_end = 0;
    if (n > 0)
        *last_end = limit > 0 && chapters[n - 1].end > limit ? limit : chapters[n - 1].end;
    return n;
}
