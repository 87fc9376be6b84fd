/* The report of a many-video run: what became of each video, printed as a summary at the end. */
#include "cli.h"
#include "cli_batch.h"
#include "cli_i18n.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A video that needs a line of its own in the summary: a failure or a lower-quality note. */
struct line {
    enum cli_outcome outcome;
    char *name;
    char *detail; /* NULL when there is none */
};

struct cli_report {
    pthread_mutex_t lock; /* guards everything below */
    size_t downloaded, exists, archived, failed;
    uint64_t bytes;
    struct line *lines;
    size_t line_count, line_capacity;
    size_t unlisted; /* lines lost to a lack of memory; the counts still include them */
};

struct cli_report *cli_report_new(void)
{
    struct cli_report *report = calloc(1, sizeof *report);
    if (!report)
        return NULL;
    if (pthread_mutex_init(&report->lock, NULL) != 0) {
        free(report);
        return NULL;
    }
    return report;
}

void cli_report_free(struct cli_report *report)
{
    if (!report)
        return;
    for (size_t i = 0; i < report->line_count; i++) {
        free(report->lines[i].name);
        free(report->lines[i].detail);
    }
    free(report->lines);
    pthread_mutex_destroy(&report->lock);
    free(report);
}

/* Keep the line of a video the summary lists; called with the lock held. */
static enum rt_code keep_line(struct cli_report *report, enum cli_outcome outcome, const char *name,
                              const char *detail)
{
    if (report->line_count == report->line_capacity) {
        size_t capacity = report->line_capacity ? report->line_capacity * 2 : 16;
        struct line *lines = realloc(report->lines, capacity * sizeof *lines);
        if (!lines)
            return RT_E_NOMEM;
        report->lines = lines;
        report->line_capacity = capacity;
    }
    struct line line = {outcome, strdup(name), NULL};
    if (detail)
        line.detail = strdup(detail);
    if (!line.name || (detail && !line.detail)) {
        free(line.name);
        free(line.detail);
        return RT_E_NOMEM;
    }
    report->lines[report->line_count++] = line;
    return RT_OK;
}

enum rt_code cli_report_add(struct cli_report *report, enum cli_outcome outcome, const char *name,
                            uint64_t bytes, const char *detail)
{
    enum rt_code result = RT_OK;
    bool listed = false;

    if (!name)
        name = "";
    if (detail && !detail[0])
        detail = NULL;
    pthread_mutex_lock(&report->lock);
    switch (outcome) {
    case CLI_OUTCOME_DOWNLOADED:
        report->downloaded++;
        report->bytes += bytes;
        listed = detail != NULL;
        break;
    case CLI_OUTCOME_EXISTS:
        report->exists++;
        break;
    case CLI_OUTCOME_ARCHIVED:
        report->archived++;
        break;
    case CLI_OUTCOME_FAILED:
        report->failed++;
        listed = true;
        break;
    }
    if (listed) {
        result = keep_line(report, outcome, name, detail);
        if (result != RT_OK)
            report->unlisted++;
    }
    pthread_mutex_unlock(&report->lock);
    return result;
}

/* The report's lock, for readers that take the report as const: locking changes nothing a
 * reader can see, and every report is made writable by cli_report_new(). */
static pthread_mutex_t *lock_of(const struct cli_report *report)
{
    return (pthread_mutex_t *)&report->lock;
}

bool cli_report_any_failed(const struct cli_report *report)
{
    pthread_mutex_lock(lock_of(report));
    bool failed = report->failed > 0;
    pthread_mutex_unlock(lock_of(report));
    return failed;
}

/* The first line. Each variant is a whole sentence, so that a translation can reorder it; the
 * plural follows the number downloaded, the sentence's subject. */
static void print_counts(FILE *out, const struct cli_report *r)
{
    size_t skipped = r->exists + r->archived;
    size_t n = r->downloaded;
    /* TRANSLATORS: the report after many videos. Counts: downloaded (the plural follows it),
     * skipped, and why they were skipped: the file was there already, or the download
     * archive lists the video; then how many failed. */
    if (r->downloaded + skipped + r->failed == 0)
        fputs(_("No videos to download.\n"), out);
    else if (r->exists && r->archived)
        fprintf(out,
                ngettext("Downloaded %zu, skipped %zu (%zu already there, %zu in archive), "
                         "failed %zu.\n",
                         "Downloaded %zu, skipped %zu (%zu already there, %zu in archive), "
                         "failed %zu.\n",
                         n),
                r->downloaded, skipped, r->exists, r->archived, r->failed);
    else if (r->exists)
        fprintf(out,
                ngettext("Downloaded %zu, skipped %zu (already there), failed %zu.\n",
                         "Downloaded %zu, skipped %zu (already there), failed %zu.\n", n),
                r->downloaded, skipped, r->failed);
    else if (r->archived)
        fprintf(out,
                ngettext("Downloaded %zu, skipped %zu (in archive), failed %zu.\n",
                         "Downloaded %zu, skipped %zu (in archive), failed %zu.\n", n),
                r->downloaded, skipped, r->failed);
    else
        fprintf(out,
                ngettext("Downloaded %zu, skipped 0, failed %zu.\n",
                         "Downloaded %zu, skipped 0, failed %zu.\n", n),
                r->downloaded, r->failed);
}

/* The lines of one outcome, under a heading; nothing when there are none. */
static void print_lines(FILE *out, const struct cli_report *r, enum cli_outcome outcome,
                        const char *heading)
{
    bool headed = false;
    for (size_t i = 0; i < r->line_count; i++) {
        const struct line *line = &r->lines[i];
        if (line->outcome != outcome)
            continue;
        if (!headed) {
            fputs(heading, out);
            headed = true;
        }
        /* Titles and RuTube's reasons: printable, each on its line. */
        char name[1024], detail[2048];
        rt_text_printable(line->name, name, sizeof name);
        if (line->detail) {
            rt_text_printable(line->detail, detail, sizeof detail);
            fprintf(out, "  %s: %s\n", name, detail);
        } else {
            fprintf(out, "  %s\n", name);
        }
    }
}

void cli_report_print(FILE *out, const struct cli_report *report, double seconds)
{
    char size[32], took[32];

    pthread_mutex_lock(lock_of(report));
    print_counts(out, report);
    if (report->downloaded + report->exists + report->archived + report->failed > 0) {
        /* TRANSLATORS: headings of the report, each over a list of videos. */
        print_lines(out, report, CLI_OUTCOME_FAILED, _("Failed:\n"));
        print_lines(out, report, CLI_OUTCOME_DOWNLOADED, _("Lower quality than asked:\n"));
        if (report->unlisted)
            fprintf(out,
                    ngettext("%zu more could not be listed (out of memory).\n",
                             "%zu more could not be listed (out of memory).\n", report->unlisted),
                    report->unlisted);
        cli_format_size((double)report->bytes, size, sizeof size);
        cli_format_duration(seconds, took, sizeof took);
        /* TRANSLATORS: the size of all the files saved, the time the run took ("1:05"). */
        fprintf(out, _("Total: %s in %s.\n"), size, took);
    }
    pthread_mutex_unlock(lock_of(report));
}
