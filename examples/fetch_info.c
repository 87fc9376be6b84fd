/* fetch_info: librutube as another program uses it: find a video, list its formats, save one.
 *
 *   fetch_info [--api-base URL] [-q QUALITY] [-d DIR] ADDRESS
 *   fetch_info --version
 *
 * Only the public header is included and only the installed library is linked:
 *   cc fetch_info.c $(pkg-config --cflags --libs librutube) -o fetch_info
 * Without -d it prints the video's title and formats; with -d it also downloads the chosen
 * format (-q, default best) into DIR, showing progress. Ctrl-C cancels cleanly: the signal
 * handler calls rt_client_cancel(), which is async-signal-safe.
 * Exit status: 0 done, 1 failed, 2 bad usage, 130 cancelled. */
#include <rutube/rutube.h>

#include <signal.h>
#include <stdatomic.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

/* The client a Ctrl-C stops. Set before the handler is installed, read inside it. */
static struct rt_client *_Atomic cancel_target;

static void on_interrupt(int signo)
{
    (void)signo;
    struct rt_client *client = atomic_load(&cancel_target);
    if (client)
        rt_client_cancel(client);
}

/* The library never prints: its warnings (a thumbnail it could not fetch...) come here. */
static void on_log(enum rt_log_level level, const char *message, void *data)
{
    (void)data;
    if (level == RT_LOG_WARN)
        fprintf(stderr, "warning: %s\n", message);
}

/* Called on the thread running rt_download_run(), up to ~10 times a second. */
static void on_progress(const struct rt_progress *progress, void *data)
{
    int *last_percent = data;
    if (progress->phase != RT_PHASE_DOWNLOAD || progress->bytes_expected == 0)
        return;
    int percent = (int)(100.0 * (double)progress->bytes_done / (double)progress->bytes_expected);
    if (percent > 100)
        percent = 100;
    /* One line per quarter: readable in a log, and enough to see it move. */
    if (percent / 25 == *last_percent / 25)
        return;
    *last_percent = percent;
    fprintf(stderr, "progress: %d%% (%zu of %zu segments, %.0f KiB/s)\n", percent,
            progress->segments_done, progress->segments_total, progress->speed / 1024);
}

static void print_formats(const struct rt_video *video)
{
    printf("id: %s\ntitle: %s\nauthor: %s\nduration: %.0f s\nformats:\n", video->id, video->title,
           video->author, video->duration);
    for (size_t i = 0; i < video->format_count; i++) {
        const struct rt_format *f = &video->formats[i];
        uint64_t size = rt_format_estimate_size(video, f);
        printf("  %zu  %dx%d  %ld kbit/s  %s  ~%.1f MiB\n", i + 1, f->width, f->height,
               f->bandwidth / 1000, *f->codecs ? f->codecs : "?", (double)size / (1024.0 * 1024.0));
    }
}

static int usage(void)
{
    fputs("usage: fetch_info [--api-base URL] [-q QUALITY] [-d DIR] ADDRESS\n"
          "       fetch_info --version\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    /* Like any application, the user's locale; the library must not care which it is (a
     * decimal comma in LC_NUMERIC included). */
    setlocale(LC_ALL, "");
    const char *api_base = NULL, *quality = "best", *dir = NULL, *address = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--version") == 0) {
            printf("%s\n", rt_version_string());
            return 0;
        } else if (strcmp(argv[i], "--api-base") == 0 && i + 1 < argc) {
            api_base = argv[++i];
        } else if (strcmp(argv[i], "-q") == 0 && i + 1 < argc) {
            quality = argv[++i];
        } else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (argv[i][0] != '-' && !address) {
            address = argv[i];
        } else {
            return usage();
        }
    }
    if (!address)
        return usage();

    /* Every function takes an rt_error and fills it with one sentence on failure; the
     * returned code says which kind of failure it was. */
    struct rt_error err = {0};
    struct rt_target target;
    if (rt_target_parse(address, &target, &err) != RT_OK) {
        fprintf(stderr, "fetch_info: %s\n", err.message);
        return 2;
    }
    if (rt_target_is_collection(&target)) {
        fprintf(stderr, "fetch_info: %s names a list of videos; give one video\n", address);
        return 2;
    }

    struct rt_client_options client_options;
    rt_client_options_init(&client_options);
    if (api_base)
        client_options.api_base = api_base; /* copied by rt_client_new() */
    client_options.log = on_log;
    struct rt_client *client = NULL;
    if (rt_client_new(&client_options, &client, &err) != RT_OK) {
        fprintf(stderr, "fetch_info: %s\n", err.message);
        return 2;
    }
    atomic_store(&cancel_target, client);
    signal(SIGINT, on_interrupt);

    int status = 1;
    struct rt_video *video = NULL;
    struct rt_download *download = NULL;
    size_t index;
    bool exact;
    enum rt_code result = rt_video_fetch(client, &target, &video, &err);
    if (result == RT_OK) {
        print_formats(video);
        result = rt_format_choose(video, quality, &index, &exact, &err);
    }
    if (result == RT_OK) {
        const struct rt_format *f = &video->formats[index];
        printf("chosen (%s): %dx%d%s\n", quality, f->width, f->height,
               exact ? "" : " (nothing that small: the smallest there is)");
    }
    if (result == RT_OK && dir) {
        int last_percent = 0;
        struct rt_download_options options;
        rt_download_options_init(&options);
        options.output_dir = dir; /* copied by rt_download_new() */
        options.progress = on_progress;
        options.progress_data = &last_percent;
        /* The download borrows `client` and `video`: both outlive it below. */
        result = rt_download_new(client, video, index, &options, &download, &err);
        if (result == RT_OK)
            result = rt_download_run(download, &err);
        if (result == RT_OK)
            printf("saved: %s\n", rt_download_path(download));
    }
    if (result == RT_OK)
        status = 0;
    else if (result == RT_E_CANCELLED)
        status = 130;
    if (result != RT_OK)
        fprintf(stderr, "fetch_info: %s (%s)\n", err.message, rt_code_name(result));

    /* Every _free accepts NULL; the download goes before the video and client it borrows. */
    rt_download_free(download);
    rt_video_free(video);
    signal(SIGINT, SIG_DFL);
    atomic_store(&cancel_target, NULL);
    rt_client_free(client);
    return status;
}
