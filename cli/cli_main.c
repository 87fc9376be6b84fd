/* rutube-dl: save RuTube videos from the command line, on top of librutube. */
#include "cli.h"
#include "cli_i18n.h"
#include "cli_run.h"

#include <errno.h>
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
static atomic_int interrupted; /* lock-free, so safe to set in a signal handler */

static void on_signal(int signo)
{
    if (atomic_load(&interrupted)) {
        /* A second Ctrl-C: the user does not want to wait for a clean stop. */
        signal(signo, SIG_DFL);
        raise(signo);
        return;
    }
    if (cli_run_stop_live())
        return; /* the recording ends as finished: a second Ctrl-C stops everything */
    atomic_store(&interrupted, 1);
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
 * (retries, mirror switches) only with --verbose. Downloads on several threads log through
 * the run's serialized output. */
static void on_log(enum rt_log_level level, const char *message, void *data)
{
    const struct cli_run *run = data;
    if (run->opts->quiet || (level != RT_LOG_WARN && !run->opts->verbose))
        return;
    if (level == RT_LOG_WARN)
        cli_warn(run, "%s", message);
    else
        cli_note(run, "%s", message);
}

/* The batch file's addresses (-a FILE, "-" for standard input). */
static int read_batch(const struct cli_options *opts, struct cli_batch *batch, const char **name)
{
    char problem[RT_ERROR_MESSAGE_SIZE];
    bool stdin_file = strcmp(opts->batch_file, "-") == 0;
    *name = stdin_file ? _("standard input") : opts->batch_file;
    FILE *in = stdin_file ? stdin : fopen(opts->batch_file, "r");
    if (!in) {
        cli_complain(_("cannot read the batch file %s: %s"), opts->batch_file, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    enum rt_code result =
        cli_batch_read(in, *name, opts->delimiter, batch, problem, sizeof problem);
    if (!stdin_file)
        fclose(in);
    if (result != RT_OK) {
        cli_complain("%s", problem);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* Options that need parsing beyond getopt's: --playlist-items, --match-title, the archive. */
static int prepare_filters(const struct cli_options *opts, struct cli_items *items, regex_t *regex,
                           struct cli_archive **archive)
{
    char problem[RT_ERROR_MESSAGE_SIZE];
    if (opts->playlist_items &&
        cli_items_parse(opts->playlist_items, items, problem, sizeof problem) != RT_OK) {
        cli_complain("--playlist-items: %s", problem);
        return CLI_EXIT_USAGE;
    }
    if (opts->match_title) {
        int rc = regcomp(regex, opts->match_title, REG_EXTENDED | REG_ICASE | REG_NOSUB);
        if (rc != 0) {
            regerror(rc, regex, problem, sizeof problem);
            cli_complain("--match-title: %s", problem);
            return CLI_EXIT_USAGE;
        }
    }
    if (opts->archive &&
        cli_archive_new(opts->archive, archive, problem, sizeof problem) != RT_OK) {
        cli_complain("--download-archive: %s", problem);
        if (opts->match_title)
            regfree(regex);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* The whole run, once the config file's options are known. */
static int run_tool(int argc, char **argv, const struct cli_config *config)
{
    /* Segment-sized buffers come and go thousands of times in a long video. glibc raises its
     * mmap threshold as such blocks are freed and then keeps them in the heap, so the process
     * would grow with the video's length; a fixed threshold returns them on free. It lies
     * above libcurl's receive buffer (128 KiB, allocated for every transfer and freed at its
     * end), which is then reused from the heap instead of being mapped anew, a page fault
     * every 4 KiB: a fifth of the CPU on a fast line. The heap's top is kept up to 1 MiB so
     * that freeing one such buffer does not give its pages back either. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024);

    struct cli_options opts;
    struct rt_error err = {0};
    int parsed = cli_options_parse(argc, argv, config, &opts);
    if (parsed != 0)
        return parsed < 0 ? CLI_EXIT_USAGE : CLI_EXIT_OK;

    /* Addresses on the command line are checked before the first request: a typo there is a
     * usage error. Batch file lines are checked as they come, and a bad one only skipped. */
    for (int i = 0; i < opts.address_count; i++) {
        struct rt_target target;
        rt_error_clear(&err);
        if (rt_target_parse(opts.addresses[i], &target, &err) != RT_OK) {
            /* TRANSLATORS: an address given on the command line, and the library's English
             * reason it is not one RuTube has. */
            cli_complain(_("\"%s\": %s"), opts.addresses[i], err.message);
            return CLI_EXIT_USAGE;
        }
    }
    struct cli_batch batch = {0};
    const char *batch_name = NULL;
    if (opts.batch_file) {
        int status = read_batch(&opts, &batch, &batch_name);
        if (status != CLI_EXIT_OK)
            return status;
        if (batch.count == 0 && opts.address_count == 0) {
            cli_complain(_("%s holds no address"), batch_name);
            cli_batch_cleanup(&batch);
            return CLI_EXIT_USAGE;
        }
    }
    struct cli_items items = {0};
    regex_t regex;
    struct cli_archive *archive = NULL;
    int status = prepare_filters(&opts, &items, &regex, &archive);
    if (status != CLI_EXIT_OK) {
        cli_batch_cleanup(&batch);
        cli_items_cleanup(&items);
        return status;
    }

    struct cli_progress progress;
    cli_progress_init(&progress, stdout, opts.quiet);
    struct cli_run run = {
        .opts = &opts,
        .items = opts.playlist_items ? &items : NULL,
        .match_title = opts.match_title ? &regex : NULL,
        .archive = archive,
        .report = cli_report_new(),
        .batch_name = batch_name,
        .quiet_lists = opts.quiet || opts.print_fields,
        .interrupted = &interrupted,
        .single = opts.video_jobs == 1 ? &progress : NULL,
    };
    pthread_mutex_init(&run.lock, NULL);
    opts.client.log = on_log;
    opts.client.log_data = &run;
    struct rt_client *client = NULL;
    if (!run.report) {
        status = CLI_EXIT_FAILED;
    } else if (rt_client_new(&opts.client, &client, &err) != RT_OK) {
        cli_complain("%s", err.message);
        status = CLI_EXIT_USAGE;
    }
    if (client) {
        run.client = client;
        srand((unsigned)time(NULL) ^ (unsigned)getpid());
        atomic_store(&signalled_client, client);
        install_signals();

        struct cli_jobs jobs;
        enum rt_code collected = cli_jobs_collect(&run, &batch, &jobs);
        bool any_collection = false;
        for (size_t i = 0; i < jobs.count; i++)
            any_collection |= jobs.items[i].from_collection;
        run.many = jobs.count > 1 || opts.batch_file || any_collection;
        if (collected == RT_E_CANCELLED || atomic_load(&interrupted))
            status = CLI_EXIT_INTERRUPTED;
        else if (collected != RT_OK)
            status = CLI_EXIT_FAILED;
        else if (opts.print_fields)
            status = cli_print_jobs(&run, &jobs);
        else
            status = cli_run_jobs(&run, &jobs);
        cli_jobs_cleanup(&jobs);
        atomic_store(&signalled_client, NULL);
        rt_client_free(client);
    }
    cli_report_free(run.report);
    cli_archive_free(archive);
    if (opts.match_title)
        regfree(&regex);
    cli_items_cleanup(&items);
    cli_batch_cleanup(&batch);
    pthread_mutex_destroy(&run.lock);
    return status;
}

int main(int argc, char **argv)
{
    /* The user's language for messages and character set (so that --match-title's case
     * folding knows Cyrillic), before the first message. */
    cli_i18n_init();
    /* The config file's options go first, so the command line wins; they live until the end,
     * as the parsed options point into them. */
    struct cli_config config;
    char problem[RT_ERROR_MESSAGE_SIZE + 4096];
    int status = CLI_EXIT_USAGE;
    if (cli_config_load(argc, argv, &config, problem, sizeof problem) == RT_OK)
        status = run_tool(argc, argv, &config);
    else
        cli_complain("%s", problem);
    cli_config_cleanup(&config);
    return status;
}
