/* --flat and --print: list the videos a run would save, one tab-separated line each. */
#include "cli_i18n.h"
#include "cli_run.h"

#include <stdlib.h>
#include <string.h>

static const char *const known_fields[] = {"id", "url", "title", "duration", "author", NULL};

/* Calls `fn` for each field of a comma list; false at the first unknown one. */
static bool each_field(const char *fields, bool (*fn)(const char *name, size_t len, void *data),
                       void *data)
{
    const char *p = fields;
    do {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (!fn(p, len, data))
            return false;
        p = end ? end + 1 : NULL;
    } while (p);
    return true;
}

static bool is_known(const char *name, size_t len, void *data)
{
    (void)data;
    for (size_t i = 0; known_fields[i]; i++)
        if (strlen(known_fields[i]) == len && strncmp(known_fields[i], name, len) == 0)
            return true;
    return false;
}

bool cli_print_fields_valid(const char *fields)
{
    return fields && *fields && each_field(fields, is_known, NULL);
}

/* One video's values, for the fields. */
struct row {
    const char *id, *url, *title, *author;
    double duration;
    FILE *out;
    bool first;
};

/* A column's value: printable (rt_text_printable()), and on one line without a tab of its own,
 * which would break the columns. */
static void put_value(FILE *out, const char *value)
{
    char shown[4096];
    rt_text_printable(value, shown, sizeof shown);
    fputs(shown, out);
}

static bool print_field(const char *name, size_t len, void *data)
{
    struct row *r = data;
    if (!r->first)
        fputc('\t', r->out);
    r->first = false;
    if (len == 2 && strncmp(name, "id", 2) == 0)
        put_value(r->out, r->id);
    else if (len == 3 && strncmp(name, "url", 3) == 0)
        put_value(r->out, r->url);
    else if (len == 5 && strncmp(name, "title", 5) == 0)
        put_value(r->out, r->title);
    else if (len == 6 && strncmp(name, "author", 6) == 0)
        put_value(r->out, r->author);
    else if (r->duration > 0)
        fprintf(r->out, "%.0f", r->duration);
    return true;
}

int cli_print_jobs(struct cli_run *run, struct cli_jobs *jobs)
{
    bool failed = false;
    for (size_t i = 0; i < jobs->count && !atomic_load(run->interrupted); i++) {
        struct cli_job *job = &jobs->items[i];
        if (job->broken) {
            failed = true;
            continue; /* reported when collected */
        }
        struct row r = {job->target.id, job->label, job->title, NULL, job->duration, stdout, true};
        struct rt_video *video = NULL;
        if (!job->from_collection) {
            /* A single video: its title and duration are only known by asking. */
            struct rt_error err = {0};
            if (rt_video_fetch(run->client, &job->target, &video, &err) != RT_OK) {
                cli_complain(_("error: %s"), err.message);
                failed = true;
                continue;
            }
            r = (struct row){video->id,       video->page_url, video->title, video->author,
                             video->duration, stdout,          true};
        }
        each_field(run->opts->print_fields, print_field, &r);
        fputc('\n', stdout);
        rt_video_free(video);
    }
    fflush(stdout);
    if (atomic_load(run->interrupted))
        return CLI_EXIT_INTERRUPTED;
    return failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
