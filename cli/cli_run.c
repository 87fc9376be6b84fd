/* Saving the jobs: one video at a time, or several side by side sharing the client. */
#include "cli_i18n.h"
#include "cli_run.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Output from several threads: one line at a time, never through a progress line. */
static pthread_mutex_t output_lock = PTHREAD_MUTEX_INITIALIZER;

/* Every line the run prints passes here: made printable (rt_text_printable()), since titles
 * and RuTube's words are in them, and a server must not drive the terminal. */
static void print_line(const struct cli_run *run, FILE *stream, const char *raw)
{
    char text[4096];
    size_t len = strlen(raw);
    bool newline = len > 0 && raw[len - 1] == '\n';
    char line[sizeof text];
    snprintf(line, sizeof line, "%.*s", (int)(newline ? len - 1 : len), raw);
    len = rt_text_printable(line, text, sizeof text - 1);
    if (newline)
        memcpy(text + len, "\n", 2);
    pthread_mutex_lock(&output_lock);
    if (run->board) {
        cli_board_print(run->board, stream, text);
    } else {
        if (run->single)
            cli_progress_clear(run->single);
        fputs(text, stream);
        fflush(stream);
    }
    pthread_mutex_unlock(&output_lock);
}

void cli_say(const struct cli_run *run, const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (!run->opts->quiet)
        print_line(run, stdout, text);
}

/* A diagnostic line on stderr: "rutube-dl: ", the message (framed as a warning when
 * `is_warning`), a newline. */
static void diagnose(const struct cli_run *run, bool is_warning, const char *fmt, va_list ap)
{
    char message[1900], text[2048];
    vsnprintf(message, sizeof message, fmt, ap);
    size_t len = (size_t)snprintf(text, sizeof text, "rutube-dl: ");
    if (is_warning)
        /* TRANSLATORS: the frame of a warning; %s is the warning itself, often the library's
         * English sentence. */
        snprintf(text + len, sizeof text - len - 1, _("warning: %s"), message);
    else
        snprintf(text + len, sizeof text - len - 1, "%s", message);
    strcat(text, "\n");
    if (!run->opts->quiet)
        print_line(run, stderr, text);
}

void cli_warn(const struct cli_run *run, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diagnose(run, true, fmt, ap);
    va_end(ap);
}

void cli_note(const struct cli_run *run, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diagnose(run, false, fmt, ap);
    va_end(ap);
}

/* An error always shows, --quiet or not. The library's reason comes translated from the
 * same catalog (lib/i18n.h); this adds the frame around it. */
void cli_error(const struct cli_run *run, const char *who, const struct rt_error *err)
{
    char text[2048];
    const char *message = err->message[0] ? err->message : rt_strerror(err->code);
    size_t len = (size_t)snprintf(text, sizeof text, "rutube-dl: ");
    if (strcmp(rt_error_reason(err), message) != 0)
        /* TRANSLATORS: %s is the library's reason (translated too), which names the video. */
        snprintf(text + len, sizeof text - len - 1, _("error: %s"), message);
    else
        /* TRANSLATORS: the video's id or address, then the library's reason. */
        snprintf(text + len, sizeof text - len - 1, _("error: %s: %s"), who, message);
    strcat(text, "\n");
    print_line(run, stderr, text);
}

/* A line about the `prefix`'s video ("[3/10] " in a run of many): the prefix, the message
 * (printf-style), a newline, on stdout unless --quiet. */
__attribute__((format(printf, 3, 4))) static void
say_about(const struct cli_run *run, const char *prefix, const char *fmt, ...)
{
    char text[1900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cli_say(run, "%s%s\n", prefix, text);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "[3/10] " in a run of many, "" otherwise. */
static void number_prefix(const struct cli_run *run, size_t number, size_t total, char *out,
                          size_t size)
{
    if (run->many)
        snprintf(out, size, "[%zu/%zu] ", number, total);
    else
        out[0] = '\0';
}

/*
 * The format -q names. A height the video does not reach takes the nearest lower format,
 * and `note` says so for the report ("asked 1080, got 1280x712"); so does taking the
 * smallest when every format is larger.
 */
static enum rt_code choose_format(const struct cli_run *run, const struct rt_video *video,
                                  size_t *index, char *note, size_t note_size, struct rt_error *err)
{
    const char *quality = run->opts->quality;
    note[0] = '\0';
    if (strcmp(quality, "ask") == 0) {
        if (!cli_formats_ask(stdin, stdout, video, index))
            return RT_E_USAGE;
        return RT_OK;
    }
    /* The audio alone: the cheapest format with the best sound, unless -q named one. */
    if (!rt_container_has_video(run->opts->download.container) && !run->opts->quality_given)
        return rt_video_audio_format(run->client, video, index, err);
    bool exact = true;
    enum rt_code result =
        rt_format_choose_codec(video, quality, run->opts->prefer_codec, index, &exact, err);
    if (result != RT_OK)
        return result;
    const struct rt_format *f = &video->formats[*index];
    long asked = strtol(quality, NULL, 10);
    int shorter = f->width < f->height ? f->width : f->height;
    if (!exact) {
        snprintf(note, note_size, _("asked %s, but no format is that small: got %dx%d"), quality,
                 f->width, f->height);
        cli_say(run, _("No format is %s or smaller; taking the smallest, %dx%d.\n"), quality,
                f->width, f->height);
    } else if (asked > 0 && !strchr(quality, 'x') && shorter > 0 && shorter < asked - 16)
        /* RuTube's 712 is its "720": only a real step down is worth a note. */
        snprintf(note, note_size, _("asked %s, got %dx%d"), quality, f->width, f->height);
    return RT_OK;
}

/* Progress for this worker: the shared board, the one-line display, or nothing. */
static void progress_for(struct cli_run *run, size_t slot, struct rt_download_options *dopts)
{
    if (run->board) {
        dopts->progress = cli_board_progress;
        dopts->progress_data = cli_board_slot(run->board, slot);
    } else if (run->single) {
        struct cli_progress *p = run->single;
        p->phase = RT_PHASE_DOWNLOAD;
        p->last_tenth = -1;
        /* The extension in capitals names the container: "MP4", "MKV". */
        const char *ext = rt_container_extension(dopts->container);
        size_t i = 0;
        for (; ext[i] && i + 1 < sizeof p->container; i++)
            p->container[i] = ext[i] >= 'a' && ext[i] <= 'z' ? (char)(ext[i] - 'a' + 'A') : ext[i];
        p->container[i] = '\0';
        p->audio_only = !rt_container_has_video(dopts->container);
        dopts->progress = cli_progress_update;
        dopts->progress_data = p;
    }
}

/* The live recording under way, for Ctrl-C to end (the last one begun, with -J). */
static struct rt_download *_Atomic live_download;

bool cli_run_stop_live(void)
{
    struct rt_download *live = atomic_exchange(&live_download, NULL);
    if (live)
        rt_download_stop(live);
    return live != NULL;
}

/* What one video's save came to. */
struct outcome {
    enum rt_code code;
    uint64_t bytes;
    char note[160];
};

/* One file: the video, or part `section` of it (an index into opts->sections; SIZE_MAX: all). */
static void save(struct cli_run *run, const struct rt_video *video, size_t index, size_t section,
                 size_t slot, const char *prefix, struct outcome *out, struct rt_error *err)
{
    const struct cli_options *opts = run->opts;
    struct rt_download_options dopts = opts->download;
    double share = 1; /* of the video, for the size to expect */
    if (section != SIZE_MAX) {
        dopts.section_start = opts->sections[section].start;
        dopts.section_end = opts->sections[section].end;
        double end = dopts.section_end < video->duration ? dopts.section_end : video->duration;
        if (video->duration > 0 && end > dopts.section_start)
            share = (end - dopts.section_start) / video->duration;
    }
    struct rt_download *download = NULL;
    const struct rt_format *format = &video->formats[index];
    progress_for(run, slot, &dopts);
    if ((dopts.write_subs || dopts.embed_subs) && video->caption_count == 0)
        say_about(run, prefix, _("Video %s has no subtitles."), video->id);
    out->code = rt_download_new(run->client, video, index, &dopts, &download, err);
    if (out->code != RT_OK)
        return;
    const char *path = rt_download_path(download);
    size_t files = rt_download_file_count(download);
    struct stat st;
    struct rt_error taken = {0};
    if (dopts.split_chapters && video->chapter_count == 0)
        say_about(run, prefix, _("Video %s has no chapters; saving it whole."), video->id);
    /* The library's own check, before "Downloading" would mislead; with a file per chapter
     * it stops only when every one is there, and the others name themselves below. */
    bool nothing_to_do = rt_download_check(download, &taken) == RT_E_EXISTS;
    bool *stays = files > 1 ? calloc(files, sizeof *stays) : NULL;
    for (size_t i = 0; stays && i < files; i++) {
        stays[i] = !dopts.overwrite && stat(rt_download_file_path(download, i), &st) == 0;
        if (stays[i] && !nothing_to_do)
            say_about(run, prefix, _("%s already exists; skipping it (use --force to replace it)"),
                      rt_download_file_path(download, i));
    }
    if (nothing_to_do) {
        out->code = RT_E_EXISTS;
        say_about(run, prefix, _("%s already exists; skipping it (use --force to replace it)"),
                  files > 1 ? _("every chapter's file") : path);
        rt_download_free(download);
        free(stays);
        return;
    }
    char size[32] = "", resolution[32] = "";
    uint64_t estimate = (uint64_t)((double)rt_format_estimate_size(video, format) * share);
    if (estimate)
        cli_format_size((double)estimate, size, sizeof size);
    if (format->width > 0)
        snprintf(resolution, sizeof resolution, "%dx%d", format->width, format->height);
    else
        snprintf(resolution, sizeof resolution, "%s",
                 format->is_file ? _("MP4 file")
                 : video->on_air ? _("live")
                                 : "?");
    if (files > 1)
        /* TRANSLATORS: the title, the format ("1280x712"), about how large it is, how many
         * files, the first of them. */
        say_about(run, prefix,
                  ngettext("Downloading \"%s\" (%s, ~%s) as %zu file, one per chapter, from %s",
                           "Downloading \"%s\" (%s, ~%s) as %zu files, one per chapter, from %s",
                           files),
                  video->title, resolution, size, files, path);
    else if (estimate)
        /* TRANSLATORS: the title, the format ("1280x712"), about how large it is, the file. */
        say_about(run, prefix, _("Downloading \"%s\" (%s, ~%s) to %s"), video->title, resolution,
                  size, path);
    else
        say_about(run, prefix, _("Downloading \"%s\" (%s) to %s"), video->title, resolution, path);
    if (run->board)
        cli_board_start(run->board, slot, video->title);
    double started = now_seconds();
    if (video->on_air) {
        char limit[32];
        cli_format_duration(dopts.live_duration, limit, sizeof limit);
        if (dopts.live_duration > 0)
            say_about(run, prefix,
                      _("Recording the live stream until it ends or %s of it are in; "
                        "Ctrl-C ends the recording and keeps it"),
                      limit);
        else
            say_about(run, prefix,
                      _("Recording the live stream until it ends; Ctrl-C ends the recording and "
                        "keeps it"));
        atomic_store(&live_download, download);
    }
    out->code = rt_download_run(download, err);
    if (video->on_air)
        atomic_store(&live_download, NULL);
    out->bytes = 0;
    for (size_t i = 0; out->code == RT_OK && i < files; i++)
        if (!(stays && stays[i]) && stat(rt_download_file_path(download, i), &st) == 0)
            out->bytes += (uint64_t)st.st_size;
    if (run->board)
        cli_board_finish(run->board, slot, out->bytes);
    if (out->code == RT_OK) {
        char took[32], saved[32];
        double seconds = now_seconds() - started;
        if (seconds < 60)
            /* TRANSLATORS: seconds, as in "Saved NAME (27.1 MiB) in 4.2 s". */
            snprintf(took, sizeof took, _("%.1f s"), seconds);
        else
            cli_format_duration(seconds, took, sizeof took);
        cli_format_size((double)out->bytes, saved, sizeof saved);
        if (files > 1) {
            size_t made = 0;
            for (size_t i = 0; i < files; i++) {
                if (stays && stays[i])
                    continue;
                char one[32];
                made++;
                stat(rt_download_file_path(download, i), &st);
                cli_format_size((double)st.st_size, one, sizeof one);
                /* TRANSLATORS: a file of a video split into its chapters, and its size. */
                say_about(run, prefix, _("Saved %s (%s)"), rt_download_file_path(download, i), one);
            }
            /* TRANSLATORS: how many chapter files, their size, how long it took. */
            say_about(
                run, prefix,
                ngettext("%zu chapter saved (%s) in %s", "%zu chapters saved (%s) in %s", made),
                made, saved, took);
        } else {
            /* TRANSLATORS: the file, its size, how long the download took. */
            say_about(run, prefix, _("Saved %s (%s) in %s"), path, saved, took);
        }
    } else if (out->code == RT_E_EXISTS) {
        say_about(run, prefix, _("%s already exists; skipping it (use --force to replace it)"),
                  path);
    }
    free(stays);
    rt_download_free(download);
}

static bool in_archive(const struct cli_run *run, const char *id)
{
    return run->archive && cli_archive_contains(run->archive, CLI_ARCHIVE_KEY_RUTUBE, id);
}

static void remember(struct cli_run *run, const char *id)
{
    char problem[RT_ERROR_MESSAGE_SIZE];
    if (run->archive &&
        cli_archive_add(run->archive, CLI_ARCHIVE_KEY_RUTUBE, id, problem, sizeof problem) != RT_OK)
        cli_warn(run, "%s", problem);
}

/* After a video is over: --max-downloads and --abort-on-error decide whether more start. */
static void count_outcome(struct cli_run *run, enum rt_code code)
{
    pthread_mutex_lock(&run->lock);
    if (code == RT_OK && ++run->downloaded >= run->opts->max_downloads &&
        run->opts->max_downloads > 0)
        run->stop = true;
    if (code != RT_OK && code != RT_E_EXISTS && run->opts->abort_on_error)
        run->stop = true;
    pthread_mutex_unlock(&run->lock);
}

/* --wait-for-video: a countdown to the next try (a line a second on a terminal, one line in a
 * log). False when interrupted. */
static bool wait_for_video(struct cli_run *run, const char *prefix, const char *label)
{
    double until = now_seconds() + run->opts->wait_for_video;
    bool tty = isatty(fileno(stdout)) && !run->board;
    if (!tty)
        say_about(run, prefix,
                  _("%s is not there yet (a stream that has not begun?); asking again "
                    "in %.0f s"),
                  label, run->opts->wait_for_video);
    while (!atomic_load(run->interrupted) && now_seconds() < until) {
        if (tty && !run->opts->quiet) {
            char left[32];
            cli_format_duration(until - now_seconds() + 0.999, left, sizeof left);
            pthread_mutex_lock(&output_lock);
            /* TRANSLATORS: a countdown, redrawn each second. */
            char shown[512];
            rt_text_printable(label, shown, sizeof shown); /* an address is outside text */
            fputs("\r\033[K", stdout);
            printf(_("Waiting for %s to begin: asking again in %s (Ctrl-C stops)"), shown, left);
            fflush(stdout);
            pthread_mutex_unlock(&output_lock);
        }
        struct timespec step = {0, 200 * 1000 * 1000};
        nanosleep(&step, NULL);
    }
    if (tty && !run->opts->quiet) {
        pthread_mutex_lock(&output_lock);
        fputs("\r\033[K", stdout);
        fflush(stdout);
        pthread_mutex_unlock(&output_lock);
    }
    return !atomic_load(run->interrupted);
}

/* Everything for one job; the outcome goes into the report. Returns the library's code. */
static enum rt_code run_job(struct cli_run *run, struct cli_job *job, size_t slot, size_t number,
                            size_t total)
{
    char prefix[48];
    struct rt_error err = {0};
    number_prefix(run, number, total, prefix, sizeof prefix);
    if (job->broken) {
        cli_report_add(run->report, CLI_OUTCOME_FAILED, job->label, 0, job->broken);
        return job->broken_code;
    }
    bool id_known = job->target.kind == RT_TARGET_VIDEO || job->target.kind == RT_TARGET_LIVE;
    if (id_known && in_archive(run, job->target.id)) {
        say_about(run, prefix, _("%s is in the download archive; skipped"),
                  job->title ? job->title : job->label);
        cli_report_add(run->report, CLI_OUTCOME_ARCHIVED, job->title ? job->title : job->label, 0,
                       NULL);
        return RT_OK;
    }
    struct rt_video *video = NULL;
    enum rt_code result = rt_video_fetch(run->client, &job->target, &video, &err);
    while (result == RT_E_NOT_FOUND && run->opts->wait_for_video > 0 &&
           wait_for_video(run, prefix, job->label)) {
        rt_error_clear(&err);
        result = rt_video_fetch(run->client, &job->target, &video, &err);
    }
    if (result == RT_OK && !id_known && in_archive(run, video->id)) {
        say_about(run, prefix, _("%s is in the download archive; skipped"), video->title);
        cli_report_add(run->report, CLI_OUTCOME_ARCHIVED, video->title, 0, NULL);
        rt_video_free(video);
        return RT_OK;
    }
    const char *name = video ? video->title : job->title ? job->title : job->label;
    if (result == RT_OK && (run->opts->list_formats || run->opts->list_subs)) {
        pthread_mutex_lock(&output_lock);
        if (run->opts->list_formats)
            cli_formats_print(stdout, video);
        if (run->opts->list_subs)
            cli_subs_print(stdout, video);
        pthread_mutex_unlock(&output_lock);
        rt_video_free(video);
        return RT_OK;
    }
    struct outcome outcome = {0};
    size_t index = 0;
    if (result == RT_OK)
        result = choose_format(run, video, &index, outcome.note, sizeof outcome.note, &err);
    /* Each part of a video (--download-sections) is a file of its own; the first failure
     * ends the video's turn. */
    size_t parts = run->opts->section_count ? run->opts->section_count : 1;
    uint64_t bytes = 0;
    bool any_saved = false;
    for (size_t k = 0; result == RT_OK && k < parts; k++) {
        save(run, video, index, run->opts->section_count ? k : SIZE_MAX, slot, prefix, &outcome,
             &err);
        bytes += outcome.bytes;
        any_saved |= outcome.code == RT_OK;
        result = outcome.code == RT_E_EXISTS && (any_saved || k + 1 < parts) ? RT_OK : outcome.code;
    }
    outcome.bytes = bytes;
    if (result == RT_OK && !any_saved)
        result = RT_E_EXISTS;
    if (result == RT_OK) {
        remember(run, video->id);
        cli_report_add(run->report, CLI_OUTCOME_DOWNLOADED, name, outcome.bytes,
                       outcome.note[0] ? outcome.note : NULL);
        if (outcome.note[0])
            say_about(run, prefix, _("Note: %s"), outcome.note);
    } else if (result == RT_E_EXISTS) {
        cli_report_add(run->report, CLI_OUTCOME_EXISTS, name, 0, NULL);
    } else if (result == RT_E_CANCELLED) {
        char text[sizeof err.message + 256];
        if (strcmp(err.message, rt_strerror(result)) == 0)
            snprintf(text, sizeof text, "rutube-dl: %s\n",
                     _("cancelled before any segment was complete"));
        else
            snprintf(text, sizeof text, "rutube-dl: %s\n", err.message);
        print_line(run, stderr, text);
        cli_report_add(run->report, CLI_OUTCOME_FAILED, name, 0, _("interrupted"));
    } else {
        cli_error(run, video ? video->id : job->target.id[0] ? job->target.id : job->label, &err);
        cli_report_add(run->report, CLI_OUTCOME_FAILED, name, 0, rt_error_reason(&err));
    }
    count_outcome(run, result);
    rt_video_free(video);
    return result;
}

/* The next job to start, or false when none may (all taken, stopped, interrupted). */
static bool take_job(struct cli_run *run, size_t total, size_t *index, size_t *number)
{
    pthread_mutex_lock(&run->lock);
    bool ok = !run->stop && !atomic_load(run->interrupted) && run->next < total;
    if (ok) {
        *index = run->next++;
        *number = ++run->started;
    }
    pthread_mutex_unlock(&run->lock);
    return ok;
}

struct worker {
    struct cli_run *run;
    struct cli_jobs *jobs;
    size_t slot;
    enum rt_code worst; /* the first failure of this worker, for a one-video run's status */
    pthread_t thread;
};

static void *work(void *data)
{
    struct worker *w = data;
    size_t index, number;
    while (take_job(w->run, w->jobs->count, &index, &number)) {
        enum rt_code result =
            run_job(w->run, &w->jobs->items[index], w->slot, number, w->jobs->count);
        if (result != RT_OK && result != RT_E_EXISTS && w->worst == RT_OK)
            w->worst = result;
    }
    return NULL;
}

static int exit_status(enum rt_code code)
{
    switch (code) {
    case RT_OK:
    case RT_E_EXISTS:
        return CLI_EXIT_OK;
    case RT_E_USAGE:
    case RT_E_BAD_URL:
        return CLI_EXIT_USAGE;
    case RT_E_CANCELLED:
        return CLI_EXIT_INTERRUPTED;
    default:
        return CLI_EXIT_FAILED;
    }
}

int cli_run_jobs(struct cli_run *run, struct cli_jobs *jobs)
{
    size_t workers_count = (size_t)run->opts->video_jobs;
    if (workers_count > jobs->count)
        workers_count = jobs->count ? jobs->count : 1;
    struct worker *workers = calloc(workers_count, sizeof *workers);
    if (!workers)
        return CLI_EXIT_FAILED;
    double started = now_seconds();
    bool tty = isatty(fileno(stdout));
    if (workers_count > 1 && tty && !run->opts->quiet)
        run->board = cli_board_new(stdout, workers_count, jobs->count);
    for (size_t k = 0; k < workers_count; k++) {
        workers[k] = (struct worker){run, jobs, k, RT_OK, 0};
    }
    /* The first worker is this thread: a one-video run has no thread at all. */
    size_t spawned = 1;
    for (size_t k = 1; k < workers_count; k++, spawned++)
        if (pthread_create(&workers[k].thread, NULL, work, &workers[k]) != 0)
            break;
    work(&workers[0]);
    for (size_t k = 1; k < spawned; k++)
        pthread_join(workers[k].thread, NULL);
    cli_board_free(run->board);
    run->board = NULL;

    enum rt_code worst = RT_OK;
    for (size_t k = 0; k < workers_count && worst == RT_OK; k++)
        worst = workers[k].worst;
    free(workers);
    if (atomic_load(run->interrupted))
        worst = RT_E_CANCELLED;
    if (run->many) {
        if (!run->opts->quiet || cli_report_any_failed(run->report)) {
            pthread_mutex_lock(&output_lock);
            cli_report_print(stdout, run->report, now_seconds() - started);
            pthread_mutex_unlock(&output_lock);
        }
        if (worst == RT_E_CANCELLED)
            return CLI_EXIT_INTERRUPTED;
        return cli_report_any_failed(run->report) ? CLI_EXIT_FAILED : CLI_EXIT_OK;
    }
    return exit_status(worst);
}
