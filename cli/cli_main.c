/* rutube-dl: save RuTube videos from the command line, on top of librutube. */
#include "cli.h"

#include <malloc.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The client a signal stops: every request it makes, API calls and downloads alike. */
static struct rt_client *_Atomic signalled_client;
static volatile sig_atomic_t interrupted;

static void on_signal(int signo)
{
    if (interrupted) {
        /* A second Ctrl-C: the user does not want to wait for a clean stop. */
        signal(signo, SIG_DFL);
        raise(signo);
        return;
    }
    interrupted = 1;
    struct rt_client *client = atomic_load(&signalled_client);
    if (client)
        rt_client_cancel(client); /* async-signal-safe: it only sets a flag */
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* Errors instead of deaths: a file size limit gives EFBIG, a closed pipe gives EPIPE. */
    signal(SIGXFSZ, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
}

/* Warnings (a thumbnail that could not be had...) always show, unless --quiet; the rest
 * (retries, mirror switches) only with --verbose. */
struct log_settings {
    struct cli_progress *progress;
    bool verbose, quiet;
};

static void on_log(enum rt_log_level level, const char *message, void *data)
{
    const struct log_settings *settings = data;
    if (settings->quiet || (level != RT_LOG_WARN && !settings->verbose))
        return;
    cli_progress_clear(settings->progress);
    fprintf(stderr, "rutube-dl: %s%s\n", level == RT_LOG_WARN ? "warning: " : "", message);
}

/* One sentence on stderr naming the video and the cause. */
static void report_error(const char *address, const char *video_id, const struct rt_error *err)
{
    const char *message = err->message[0] ? err->message : rt_strerror(err->code);
    const char *who = video_id ? video_id : address;
    if (strstr(message, who))
        fprintf(stderr, "rutube-dl: error: %s\n", message);
    else
        fprintf(stderr, "rutube-dl: error: %s: %s\n", who, message);
}

static int exit_status(enum rt_code code)
{
    switch (code) {
    case RT_OK:
        return CLI_EXIT_OK;
    case RT_E_USAGE:
    case RT_E_BAD_URL:
    case RT_E_UNSUPPORTED:
        return CLI_EXIT_USAGE;
    case RT_E_CANCELLED:
        return CLI_EXIT_INTERRUPTED;
    default:
        return CLI_EXIT_FAILED;
    }
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum rt_code choose_format(const struct cli_options *opts, const struct rt_video *video,
                                  size_t *index, struct rt_error *err)
{
    if (strcmp(opts->quality, "ask") == 0) {
        if (!cli_formats_ask(stdin, stdout, video, index))
            return RT_E_USAGE;
        return RT_OK;
    }
    bool exact = true;
    enum rt_code result = rt_format_choose(video, opts->quality, index, &exact, err);
    if (result == RT_OK && !exact && !opts->quiet)
        printf("No format is %s or smaller; taking the smallest, %dx%d.\n", opts->quality,
               video->formats[*index].width, video->formats[*index].height);
    return result;
}

static enum rt_code save(struct rt_client *client, const struct cli_options *opts,
                         const struct rt_video *video, size_t index, struct cli_progress *progress,
                         struct rt_error *err)
{
    struct rt_download_options dopts = opts->download;
    struct rt_download *download = NULL;
    const struct rt_format *format = &video->formats[index];
    dopts.progress = cli_progress_update;
    dopts.progress_data = progress;
    progress->phase = RT_PHASE_DOWNLOAD;
    progress->last_tenth = -1;
    progress->container = dopts.container == RT_CONTAINER_MKV ? "MKV" : "MP4";

    if ((dopts.write_subs || dopts.embed_subs) && video->caption_count == 0 && !opts->quiet)
        printf("Video %s has no subtitles.\n", video->id);
    enum rt_code result = rt_download_new(client, video, index, &dopts, &download, err);
    if (result != RT_OK)
        return result;
    const char *path = rt_download_path(download);
    if (!opts->quiet) {
        char size[32] = "";
        uint64_t estimate = rt_format_estimate_size(video, format);
        if (estimate)
            cli_format_size((double)estimate, size, sizeof size);
        printf("Downloading \"%s\" (%dx%d%s%s) to %s\n", video->title, format->width,
               format->height, estimate ? ", ~" : "", size, path);
        fflush(stdout);
    }
    double started = now_seconds();
    result = rt_download_run(download, err);
    cli_progress_clear(progress);

    if (result == RT_OK && !opts->quiet) {
        char took[32], size[32];
        struct stat st;
        double seconds = now_seconds() - started;
        if (seconds < 60)
            snprintf(took, sizeof took, "%.1f s", seconds);
        else
            cli_format_duration(seconds, took, sizeof took);
        cli_format_size(stat(path, &st) == 0 ? (double)st.st_size : 0, size, sizeof size);
        printf("Saved %s (%s) in %s\n", path, size, took);
    } else if (result == RT_E_EXISTS && !opts->quiet) {
        printf("%s already exists; skipping it (use --force to replace it)\n", path);
    }
    rt_download_free(download);
    return result;
}

/* Everything for one address. Returns the library's code; `err` explains a failure. */
static enum rt_code process(struct rt_client *client, const struct cli_options *opts,
                            const struct rt_target *target, struct cli_progress *progress,
                            struct rt_error *err)
{
    struct rt_video *video = NULL;
    enum rt_code result = rt_video_fetch(client, target, &video, err);
    if (result != RT_OK)
        return result;
    if (opts->list_formats || opts->list_subs) {
        if (opts->list_formats)
            cli_formats_print(stdout, video);
        if (opts->list_subs)
            cli_subs_print(stdout, video);
    } else {
        size_t index = 0;
        result = choose_format(opts, video, &index, err);
        if (result == RT_OK)
            result = save(client, opts, video, index, progress, err);
    }
    rt_video_free(video);
    return result;
}

int main(int argc, char **argv)
{
    /* Segment-sized buffers come and go thousands of times in a long video. glibc raises its
     * mmap threshold as such blocks are freed and then keeps them in the heap, so the process
     * would grow with the video's length; a fixed threshold returns them on free. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);

    struct cli_options opts;
    struct cli_progress progress;
    struct rt_client *client = NULL;
    struct rt_error err = {0};
    int status = CLI_EXIT_OK;

    int parsed = cli_options_parse(argc, argv, &opts);
    if (parsed != 0)
        return parsed < 0 ? CLI_EXIT_USAGE : CLI_EXIT_OK;

    /* Every address is checked before the first request. */
    struct rt_target *targets = calloc((size_t)opts.address_count, sizeof *targets);
    if (!targets)
        return CLI_EXIT_FAILED;
    for (int i = 0; i < opts.address_count; i++) {
        rt_error_clear(&err);
        if (rt_target_parse(opts.addresses[i], &targets[i], &err) != RT_OK) {
            fprintf(stderr, "rutube-dl: \"%s\": %s\n", opts.addresses[i], err.message);
            free(targets);
            return CLI_EXIT_USAGE;
        }
    }

    cli_progress_init(&progress, stdout, opts.quiet);
    struct log_settings log_settings = {&progress, opts.verbose, opts.quiet};
    opts.client.log = on_log;
    opts.client.log_data = &log_settings;
    if (rt_client_new(&opts.client, &client, &err) != RT_OK) {
        fprintf(stderr, "rutube-dl: %s\n", err.message);
        free(targets);
        return CLI_EXIT_USAGE;
    }
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    atomic_store(&signalled_client, client);
    install_signals();

    for (int i = 0; i < opts.address_count && !interrupted; i++) {
        rt_error_clear(&err);
        enum rt_code result = process(client, &opts, &targets[i], &progress, &err);
        if (result == RT_OK || result == RT_E_EXISTS)
            continue;
        if (result == RT_E_CANCELLED && strcmp(err.message, rt_strerror(result)) == 0)
            fprintf(stderr, "rutube-dl: cancelled before any segment was complete\n");
        else if (result == RT_E_CANCELLED)
            fprintf(stderr, "rutube-dl: %s\n", err.message);
        else
            report_error(opts.addresses[i], targets[i].id, &err);
        int s = exit_status(result);
        if (s > status)
            status = s;
    }
    if (interrupted && status == CLI_EXIT_OK)
        status = CLI_EXIT_INTERRUPTED;
    atomic_store(&signalled_client, NULL);
    rt_client_free(client);
    free(targets);
    return status;
}
