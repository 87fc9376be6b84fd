/* From what the user gave (addresses, a batch file, collections) to the list of videos to save. */
#include "cli_i18n.h"
#include "cli_run.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool jobs_grow(struct cli_jobs *jobs)
{
    if (jobs->count < jobs->cap)
        return true;
    size_t cap = jobs->cap ? jobs->cap * 2 : 16;
    struct cli_job *more = realloc(jobs->items, cap * sizeof *more);
    if (!more)
        return false;
    jobs->items = more;
    jobs->cap = cap;
    return true;
}

/* A video to save: `label` names it until its title is known. */
static bool add_video(struct cli_jobs *jobs, const struct rt_target *target, const char *label,
                      const char *title)
{
    if (!jobs_grow(jobs))
        return false;
    struct cli_job *job = &jobs->items[jobs->count];
    memset(job, 0, sizeof *job);
    job->target = *target;
    job->label = strdup(label);
    job->title = title ? strdup(title) : NULL;
    if (!job->label || (title && !job->title)) {
        free(job->label);
        free(job->title);
        return false;
    }
    jobs->count++;
    return true;
}

/* An input that is no video: it goes into the report as failed, in input order. */
static bool add_broken(struct cli_jobs *jobs, const char *label, const char *reason,
                       enum rt_code code)
{
    if (!jobs_grow(jobs))
        return false;
    struct cli_job *job = &jobs->items[jobs->count];
    memset(job, 0, sizeof *job);
    job->label = strdup(label);
    job->broken = strdup(reason);
    job->broken_code = code;
    if (!job->label || !job->broken) {
        free(job->label);
        free(job->broken);
        return false;
    }
    jobs->count++;
    return true;
}

void cli_jobs_cleanup(struct cli_jobs *jobs)
{
    for (size_t i = 0; i < jobs->count; i++) {
        free(jobs->items[i].label);
        free(jobs->items[i].title);
        free(jobs->items[i].broken);
    }
    free(jobs->items);
    memset(jobs, 0, sizeof *jobs);
}

/* The videos of a collection the options choose: --playlist-items by position (from 1),
 * then --match-title. */
static enum rt_code expand_collection(const struct cli_run *run, const struct rt_target *target,
                                      const char *label, struct cli_jobs *jobs,
                                      struct rt_error *err)
{
    struct rt_collection_options copts;
    rt_collection_options_init(&copts);
    size_t last = run->items ? cli_items_last(run->items) : SIZE_MAX;
    if (last != SIZE_MAX)
        copts.max_entries = last; /* no need to read pages past the last wanted video */
    struct rt_collection *c = NULL;
    enum rt_code result = rt_collection_fetch(run->client, target, &copts, &c, err);
    if (result != RT_OK)
        return result;
    size_t taken = 0;
    for (size_t i = 0; i < c->count; i++) {
        const struct rt_entry *e = &c->entries[i];
        if (run->items && !cli_items_contains(run->items, i + 1))
            continue;
        if (run->match_title && regexec(run->match_title, e->title, 0, NULL, 0) != 0)
            continue;
        struct rt_target video = {.kind = RT_TARGET_VIDEO};
        snprintf(video.id, sizeof video.id, "%s", e->id);
        if (!add_video(jobs, &video, e->url, e->title[0] ? e->title : NULL)) {
            rt_collection_free(c);
            return rt__cli_nomem(err);
        }
        struct cli_job *job = &jobs->items[jobs->count - 1];
        job->duration = e->duration;
        job->from_collection = true;
        taken++;
    }
    if (!run->quiet_lists)
        /* TRANSLATORS: the list's address, how many videos it lists, on how many pages (the
         * plural follows this number), how many of them the options chose. */
        cli_say(run,
                ngettext("%s: %zu videos listed on %zu page, %zu chosen\n",
                         "%s: %zu videos listed on %zu pages, %zu chosen\n", c->pages),
                label, c->count, c->pages, taken);
    rt_collection_free(c);
    return RT_OK;
}

/* One address: a video, or the videos of a collection. A bad one is reported, not fatal. */
static enum rt_code add_address(const struct cli_run *run, const char *address, const char *where,
                                struct cli_jobs *jobs)
{
    struct rt_target target;
    struct rt_error err = {0};
    char label[512];
    if (where)
        snprintf(label, sizeof label, "%s: %s", where, address);
    else
        snprintf(label, sizeof label, "%s", address);
    if (rt_target_parse(address, &target, &err) != RT_OK) {
        /* TRANSLATORS: the input ("batch.txt:7: ADDRESS") and the library's English reason. */
        cli_warn(run, _("%s: %s; skipped"), label, err.message);
        return add_broken(jobs, label, err.message, err.code) ? RT_OK : RT_E_NOMEM;
    }
    if (!rt_target_is_collection(&target))
        return add_video(jobs, &target, address, NULL) ? RT_OK : RT_E_NOMEM;
    enum rt_code result = expand_collection(run, &target, label, jobs, &err);
    if (result == RT_E_CANCELLED || result == RT_E_NOMEM)
        return result;
    if (result != RT_OK) {
        cli_error(run, label, &err);
        return add_broken(jobs, label, rt_error_reason(&err), err.code) ? RT_OK : RT_E_NOMEM;
    }
    return RT_OK;
}

enum rt_code cli_jobs_collect(const struct cli_run *run, const struct cli_batch *batch,
                              struct cli_jobs *jobs)
{
    memset(jobs, 0, sizeof *jobs);
    enum rt_code result = RT_OK;
    for (int i = 0; i < run->opts->address_count && result == RT_OK; i++)
        result = add_address(run, run->opts->addresses[i], NULL, jobs);
    for (size_t i = 0; batch && i < batch->count && result == RT_OK; i++) {
        char where[512];
        snprintf(where, sizeof where, "%s:%zu", run->batch_name, batch->items[i].line);
        result = add_address(run, batch->items[i].address, where, jobs);
    }
    return result;
}
