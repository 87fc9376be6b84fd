/* fake-rutube's entry point: options, the four listeners, a clean stop on SIGTERM/SIGINT. */
#include "fake.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Meson points these at the source and build trees so that the bare binary just works. */
#ifndef FAKE_DATA_DIR
#define FAKE_DATA_DIR "tests/data"
#endif
#ifndef FAKE_CATALOG
#define FAKE_CATALOG "tests/fake-rutube/catalog.json"
#endif
#ifndef FAKE_MEDIA_DIR
#define FAKE_MEDIA_DIR "fake-media"
#endif
#ifndef FAKE_REAL_DIR
#define FAKE_REAL_DIR "tests/data/real"
#endif

#define DEFAULT_STALL_MS      10000
#define DEFAULT_STALL_HEAD_MS 20000
#define DEFAULT_RETRY_AFTER   2
#define DEFAULT_LIVE_WINDOW   3
#define DEFAULT_LIVE_START_MS 5000
/* Per-connection pool MHD carves its read and write buffers from; the default 32 KiB makes
   segment bodies go out in small slices. */
#define CONNECTION_MEMORY (256 * 1024)

static void usage(FILE *f)
{
    fputs("usage: " FAKE_PROGRAM " [options]\n"
          "A fake rutube.ru and CDN on 127.0.0.1; prints the API base address.\n"
          "\n"
          "  --media DIR            media made by make-media.sh (default " FAKE_MEDIA_DIR ")\n"
          "  --catalog FILE         video list (default " FAKE_CATALOG ")\n"
          "  --fixture-dir DIR      folder of api_response_fixture.json (default " FAKE_DATA_DIR
          ")\n"
          "  --real-data DIR        folder of the recorded list pages (default " FAKE_REAL_DIR ")\n"
          "  --port N               API port (default: any free port)\n"
          "  --mirror0-port N       mirror 0 port (default: any free port)\n"
          "  --mirror1-port N       mirror 1 port (default: any free port)\n"
          "  --port-file FILE       write the API base to FILE once listening\n"
          "  --proxy-port-file FILE write the proxy listener's address to FILE\n"
          "  --log FILE             one tab-separated line per request\n"
          "  --timing FILE          one line per request once its answer is over\n"
          "  --stats FILE           counters as JSON, written on exit\n"
          "  --tls CERT KEY         every listener speaks HTTPS with this PEM key pair\n"
          "\n"
          "answers from files (read at start-up; {API}, {MIRROR0}, {MIRROR1} filled in):\n"
          "  --options-body FILE    every play options answer\n"
          "  --info-body FILE       every video info answer\n"
          "  --master-body FILE     every master playlist\n"
          "  --media-body FILE      every media playlist\n"
          "\n"
          "faults:\n"
          "  --latency MS           wait MS before every response's headers\n"
          "  --rate BYTES           segment bodies at most BYTES per second per connection\n"
          "  --total-rate BYTES     all segment bodies together at most BYTES per second\n"
          "  --fail-503 PCT         PCT % of segment requests answer 503\n"
          "  --flaky K              the first K requests of every segment answer 503\n"
          "  --cut PCT              PCT % of segments: full Content-Length, half the body, close\n"
          "  --stall PCT            PCT % of segments: half the body, then a pause\n"
          "  --stall-ms MS          length of that pause (default 10000)\n"
          "  --stall-head PCT       PCT % of segment requests: nothing at all for a while\n"
          "  --stall-head-ms MS     length of that wait (default 20000)\n"
          "  --stall-head-segment K:N  the first N requests of segment K (from 1), whichever\n"
          "                         mirror they go to, get nothing for --stall-head-ms\n"
          "  --range-fault KIND    segment requests with a Range header: ignore (200, the\n"
          "                         whole body), 503, stall-head (nothing for\n"
          "                         --stall-head-ms) or stall (half the body, a pause)\n"
          "  --trickle K:RATE[:N]   segment K's body (from 1): its first 64 KiB at once,\n"
          "                         the rest at RATE bytes/s; only its first N requests\n"
          "                         (both mirrors) when N is given\n"
          "  --mirror-down N        mirror N (0 or 1) answers 404 for segments\n"
          "  --mirror-refused N     mirror N is advertised but refuses connections\n"
          "  --require-ua           API calls need a User-Agent containing Mozilla/\n"
          "  --malformed-json       play options answers are cut in half\n"
          "  --malformed-m3u8 WHICH master or media playlists are garbage\n"
          "  --corrupt-segment K    segment K (from 1) of every quality is garbage, always\n"
          "  --no-video             segments carry only their audio (needs the audio-only set)\n"
          "  --captions-404         every caption file answers 404\n"
          "  --caption-404 CODE     the caption file of language CODE answers 404\n"
          "  --info-404             the video info call answers 404 for every id\n"
          "  --info-latency MS      the video info call waits MS more than --latency\n"
          "  --slow-loris PCT       PCT % of segment bodies go out at one byte per second\n"
          "  --redirect-loop        every segment answers 302 to its own address\n"
          "  --redirect-to URL      every segment answers 302 to URL\n"
          "  --throttle K           the first K requests of every segment answer 429\n"
          "  --retry-after S        the Retry-After of those 429s, seconds (default 2)\n"
          "  --storm MS             every segment answers 503 for MS after the first one asked\n"
          "  --endless K            segment K (from 1) is sent chunked, repeated forever\n"
          "  --segments N           media playlists list N segments, the real ones cycled\n"
          "  --huge-slug-page       /u/<slug>/ pages carry over 8 MiB before their state\n"
          "  --seed N               seed for the percentage faults (default 0)\n"
          "\n"
          "live streams:\n"
          "  --live-period SECONDS  a new live segment every SECONDS (default: its length)\n"
          "  --live-window N        segments a live playlist lists (default 3)\n"
          "  --live-keep K          segments K periods out of the window answer 404\n"
          "                         (default: kept forever)\n"
          "  --live-end N           the broadcast ends with segment N (#EXT-X-ENDLIST)\n"
          "  --live-expire SECONDS  live addresses expire SECONDS after play options; 403 past it\n"
          "  --live-dvr             the live playlist lists every segment from 1 (EVENT)\n"
          "  --live-starts-in SECONDS  upcoming streams go on the air then (default 5)\n"
          "  --live-master          the live address is a master of two variants\n",
          f);
}

static bool parse_number(const char *text, unsigned long long max, unsigned long long *value)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || end == text || *end || text[0] == '-' || v > max)
        return false;
    *value = v;
    return true;
}

/* Seconds with a fraction ("0.5", "2") as whole milliseconds, min_ms to max_ms. */
static bool parse_seconds(const char *text, uint64_t min_ms, uint64_t max_ms, uint64_t *ms)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !(v >= 0) || v > (double)max_ms / 1000)
        return false;
    uint64_t rounded = (uint64_t)llround(v * 1000);
    if (rounded < min_ms || rounded > max_ms)
        return false;
    *ms = rounded;
    return true;
}

enum {
    OPT_MEDIA = 256,
    OPT_CATALOG,
    OPT_FIXTURE_DIR,
    OPT_PORT,
    OPT_MIRROR0_PORT,
    OPT_MIRROR1_PORT,
    OPT_PORT_FILE,
    OPT_LOG,
    OPT_TIMING,
    OPT_STATS,
    OPT_LATENCY,
    OPT_RATE,
    OPT_FAIL_503,
    OPT_FLAKY,
    OPT_CUT,
    OPT_STALL,
    OPT_STALL_MS,
    OPT_MIRROR_DOWN,
    OPT_MIRROR_REFUSED,
    OPT_REQUIRE_UA,
    OPT_MALFORMED_JSON,
    OPT_MALFORMED_M3U8,
    OPT_CORRUPT_SEGMENT,
    OPT_NO_VIDEO,
    OPT_CAPTIONS_404,
    OPT_INFO_404,
    OPT_CAPTION_404,
    OPT_INFO_LATENCY,
    OPT_SEED,
    OPT_OPTIONS_BODY,
    OPT_INFO_BODY,
    OPT_MASTER_BODY,
    OPT_MEDIA_BODY,
    OPT_TLS,
    OPT_SLOW_LORIS,
    OPT_REDIRECT_LOOP,
    OPT_REDIRECT_TO,
    OPT_THROTTLE,
    OPT_RETRY_AFTER,
    OPT_STORM,
    OPT_ENDLESS,
    OPT_SEGMENTS,
    OPT_TOTAL_RATE,
    OPT_STALL_HEAD,
    OPT_STALL_HEAD_MS,
    OPT_STALL_HEAD_SEGMENT,
    OPT_REAL_DATA,
    OPT_PROXY_PORT_FILE,
    OPT_HUGE_SLUG_PAGE,
    OPT_TRICKLE,
    OPT_LIVE_PERIOD,
    OPT_LIVE_WINDOW,
    OPT_LIVE_KEEP,
    OPT_LIVE_END,
    OPT_LIVE_EXPIRE,
    OPT_LIVE_DVR,
    OPT_LIVE_STARTS_IN,
    OPT_LIVE_MASTER,
    OPT_RANGE_FAULT,
    OPT_HELP,
};

static int parse_options(int argc, char **argv, struct fake_config *config)
{
    static const struct option options[] = {
        {"media", required_argument, NULL, OPT_MEDIA},
        {"catalog", required_argument, NULL, OPT_CATALOG},
        {"fixture-dir", required_argument, NULL, OPT_FIXTURE_DIR},
        {"port", required_argument, NULL, OPT_PORT},
        {"mirror0-port", required_argument, NULL, OPT_MIRROR0_PORT},
        {"mirror1-port", required_argument, NULL, OPT_MIRROR1_PORT},
        {"port-file", required_argument, NULL, OPT_PORT_FILE},
        {"log", required_argument, NULL, OPT_LOG},
        {"timing", required_argument, NULL, OPT_TIMING},
        {"stats", required_argument, NULL, OPT_STATS},
        {"latency", required_argument, NULL, OPT_LATENCY},
        {"rate", required_argument, NULL, OPT_RATE},
        {"fail-503", required_argument, NULL, OPT_FAIL_503},
        {"flaky", required_argument, NULL, OPT_FLAKY},
        {"cut", required_argument, NULL, OPT_CUT},
        {"stall", required_argument, NULL, OPT_STALL},
        {"stall-ms", required_argument, NULL, OPT_STALL_MS},
        {"mirror-down", required_argument, NULL, OPT_MIRROR_DOWN},
        {"mirror-refused", required_argument, NULL, OPT_MIRROR_REFUSED},
        {"require-ua", no_argument, NULL, OPT_REQUIRE_UA},
        {"malformed-json", no_argument, NULL, OPT_MALFORMED_JSON},
        {"malformed-m3u8", required_argument, NULL, OPT_MALFORMED_M3U8},
        {"corrupt-segment", required_argument, NULL, OPT_CORRUPT_SEGMENT},
        {"no-video", no_argument, NULL, OPT_NO_VIDEO},
        {"captions-404", no_argument, NULL, OPT_CAPTIONS_404},
        {"caption-404", required_argument, NULL, OPT_CAPTION_404},
        {"info-404", no_argument, NULL, OPT_INFO_404},
        {"info-latency", required_argument, NULL, OPT_INFO_LATENCY},
        {"seed", required_argument, NULL, OPT_SEED},
        {"options-body", required_argument, NULL, OPT_OPTIONS_BODY},
        {"info-body", required_argument, NULL, OPT_INFO_BODY},
        {"master-body", required_argument, NULL, OPT_MASTER_BODY},
        {"media-body", required_argument, NULL, OPT_MEDIA_BODY},
        {"tls", required_argument, NULL, OPT_TLS},
        {"slow-loris", required_argument, NULL, OPT_SLOW_LORIS},
        {"redirect-loop", no_argument, NULL, OPT_REDIRECT_LOOP},
        {"redirect-to", required_argument, NULL, OPT_REDIRECT_TO},
        {"throttle", required_argument, NULL, OPT_THROTTLE},
        {"retry-after", required_argument, NULL, OPT_RETRY_AFTER},
        {"storm", required_argument, NULL, OPT_STORM},
        {"endless", required_argument, NULL, OPT_ENDLESS},
        {"segments", required_argument, NULL, OPT_SEGMENTS},
        {"total-rate", required_argument, NULL, OPT_TOTAL_RATE},
        {"stall-head", required_argument, NULL, OPT_STALL_HEAD},
        {"stall-head-ms", required_argument, NULL, OPT_STALL_HEAD_MS},
        {"stall-head-segment", required_argument, NULL, OPT_STALL_HEAD_SEGMENT},
        {"range-fault", required_argument, NULL, OPT_RANGE_FAULT},
        {"real-data", required_argument, NULL, OPT_REAL_DATA},
        {"proxy-port-file", required_argument, NULL, OPT_PROXY_PORT_FILE},
        {"huge-slug-page", no_argument, NULL, OPT_HUGE_SLUG_PAGE},
        {"trickle", required_argument, NULL, OPT_TRICKLE},
        {"live-period", required_argument, NULL, OPT_LIVE_PERIOD},
        {"live-window", required_argument, NULL, OPT_LIVE_WINDOW},
        {"live-keep", required_argument, NULL, OPT_LIVE_KEEP},
        {"live-end", required_argument, NULL, OPT_LIVE_END},
        {"live-expire", required_argument, NULL, OPT_LIVE_EXPIRE},
        {"live-dvr", no_argument, NULL, OPT_LIVE_DVR},
        {"live-starts-in", required_argument, NULL, OPT_LIVE_STARTS_IN},
        {"live-master", no_argument, NULL, OPT_LIVE_MASTER},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };

    config->catalog_path = FAKE_CATALOG;
    config->media_dir = FAKE_MEDIA_DIR;
    config->fixture_dir = FAKE_DATA_DIR;
    config->pages_dir = FAKE_REAL_DIR;
    config->stall_ms = DEFAULT_STALL_MS;
    config->stall_head_ms = DEFAULT_STALL_HEAD_MS;
    config->retry_after = DEFAULT_RETRY_AFTER;
    config->live_window = DEFAULT_LIVE_WINDOW;
    config->live_starts_in_ms = DEFAULT_LIVE_START_MS;

    int c, index = 0;
    while ((c = getopt_long(argc, argv, "", options, &index)) != -1) {
        unsigned long long v = 0;
        bool ok = true;
        switch (c) {
        case OPT_MEDIA:
            config->media_dir = optarg;
            break;
        case OPT_CATALOG:
            config->catalog_path = optarg;
            break;
        case OPT_FIXTURE_DIR:
            config->fixture_dir = optarg;
            break;
        case OPT_PORT:
        case OPT_MIRROR0_PORT:
        case OPT_MIRROR1_PORT:
            ok = parse_number(optarg, 65535, &v);
            config->port[c == OPT_PORT           ? FAKE_ROLE_API
                         : c == OPT_MIRROR0_PORT ? FAKE_ROLE_MIRROR0
                                                 : FAKE_ROLE_MIRROR1] = (unsigned)v;
            break;
        case OPT_PORT_FILE:
            config->port_file = optarg;
            break;
        case OPT_LOG:
            config->log_path = optarg;
            break;
        case OPT_TIMING:
            config->timing_path = optarg;
            break;
        case OPT_STATS:
            config->stats_path = optarg;
            break;
        case OPT_LATENCY:
            ok = parse_number(optarg, 3600000, &v);
            config->latency_ms = (unsigned)v;
            break;
        case OPT_RATE:
            ok = parse_number(optarg, UINT64_MAX / 1000, &v);
            config->rate = v;
            break;
        case OPT_FAIL_503:
            ok = parse_number(optarg, 100, &v);
            config->fail_503_pct = (unsigned)v;
            break;
        case OPT_FLAKY:
            ok = parse_number(optarg, 1000000, &v);
            config->flaky = (unsigned)v;
            break;
        case OPT_CUT:
            ok = parse_number(optarg, 100, &v);
            config->cut_pct = (unsigned)v;
            break;
        case OPT_STALL:
            ok = parse_number(optarg, 100, &v);
            config->stall_pct = (unsigned)v;
            break;
        case OPT_STALL_MS:
            ok = parse_number(optarg, 3600000, &v);
            config->stall_ms = (unsigned)v;
            break;
        case OPT_MIRROR_DOWN:
        case OPT_MIRROR_REFUSED:
            ok = parse_number(optarg, 1, &v);
            if (ok && c == OPT_MIRROR_DOWN)
                config->mirror_down[v] = true;
            else if (ok)
                config->mirror_refused[v] = true;
            break;
        case OPT_REQUIRE_UA:
            config->require_ua = true;
            break;
        case OPT_MALFORMED_JSON:
            config->malformed_json = true;
            break;
        case OPT_MALFORMED_M3U8:
            if (strcmp(optarg, "master") == 0)
                config->malformed_master = true;
            else if (strcmp(optarg, "media") == 0)
                config->malformed_media = true;
            else
                ok = false;
            break;
        case OPT_RANGE_FAULT:
            if (strcmp(optarg, "ignore") == 0)
                config->range_fault = FAKE_RANGE_FAULT_IGNORE;
            else if (strcmp(optarg, "503") == 0)
                config->range_fault = FAKE_RANGE_FAULT_503;
            else if (strcmp(optarg, "stall-head") == 0)
                config->range_fault = FAKE_RANGE_FAULT_STALL_HEAD;
            else if (strcmp(optarg, "stall") == 0)
                config->range_fault = FAKE_RANGE_FAULT_STALL;
            else
                ok = false;
            break;
        case OPT_CORRUPT_SEGMENT:
            ok = parse_number(optarg, 1000000, &v) && v > 0;
            config->corrupt_segment = (unsigned)v;
            break;
        case OPT_NO_VIDEO:
            config->no_video = true;
            break;
        case OPT_CAPTIONS_404:
            config->captions_404 = true;
            break;
        case OPT_CAPTION_404:
            config->caption_404 = optarg;
            break;
        case OPT_INFO_404:
            config->info_404 = true;
            break;
        case OPT_INFO_LATENCY:
            ok = parse_number(optarg, 3600000, &v);
            config->info_latency_ms = (unsigned)v;
            break;
        case OPT_SEED:
            ok = parse_number(optarg, UINT64_MAX, &v);
            config->seed = v;
            break;
        case OPT_OPTIONS_BODY:
        case OPT_INFO_BODY:
        case OPT_MASTER_BODY:
        case OPT_MEDIA_BODY:
            /* The four OPT_*_BODY values are in enum fake_body's order. */
            config->body_path[c - OPT_OPTIONS_BODY] = optarg;
            break;
        case OPT_TLS:
            /* getopt_long() knows only one argument per option: KEY is the word after CERT. */
            if (optind >= argc) {
                fprintf(stderr, FAKE_PROGRAM ": --tls needs CERT and KEY\n");
                return -1;
            }
            config->tls_cert_path = optarg;
            config->tls_key_path = argv[optind++];
            break;
        case OPT_SLOW_LORIS:
            ok = parse_number(optarg, 100, &v);
            config->slow_loris_pct = (unsigned)v;
            break;
        case OPT_REDIRECT_LOOP:
            config->redirect_loop = true;
            break;
        case OPT_REDIRECT_TO:
            /* It goes into a header line: a line break would forge more headers. */
            ok = optarg[0] && !strpbrk(optarg, "\r\n");
            config->redirect_to = optarg;
            break;
        case OPT_THROTTLE:
            ok = parse_number(optarg, 1000000, &v);
            config->throttle = (unsigned)v;
            break;
        case OPT_RETRY_AFTER:
            ok = parse_number(optarg, 86400, &v);
            config->retry_after = (unsigned)v;
            break;
        case OPT_STORM:
            ok = parse_number(optarg, 3600000, &v);
            config->storm_ms = (unsigned)v;
            break;
        case OPT_ENDLESS:
            ok = parse_number(optarg, 1000000, &v) && v > 0;
            config->endless_segment = (unsigned)v;
            break;
        case OPT_SEGMENTS:
            ok = parse_number(optarg, 1000000, &v) && v > 0;
            config->segments = (unsigned)v;
            break;
        case OPT_TOTAL_RATE:
            ok = parse_number(optarg, UINT64_MAX / 1000, &v);
            config->total_rate = v;
            break;
        case OPT_STALL_HEAD:
            ok = parse_number(optarg, 100, &v);
            config->stall_head_pct = (unsigned)v;
            break;
        case OPT_STALL_HEAD_MS:
            ok = parse_number(optarg, 3600000, &v);
            config->stall_head_ms = (unsigned)v;
            break;
        case OPT_STALL_HEAD_SEGMENT: {
            char *colon = strchr(optarg, ':');
            unsigned long long n = 0;
            ok = colon != NULL;
            if (ok) {
                *colon = '\0';
                ok = parse_number(optarg, 1000000, &v) && v > 0 &&
                     parse_number(colon + 1, 1000, &n) && n > 0;
            }
            config->stall_head_segment = (unsigned)v;
            config->stall_head_first = (unsigned)n;
            break;
        }
        case OPT_TRICKLE: {
            /* K:RATE or K:RATE:N */
            unsigned long long k = 0, rate = 0, n = 0;
            char *first = strchr(optarg, ':');
            char *second = first ? strchr(first + 1, ':') : NULL;
            ok = first != NULL;
            if (ok) {
                *first = '\0';
                if (second)
                    *second = '\0';
                ok = parse_number(optarg, 1000000, &k) && k > 0 &&
                     parse_number(first + 1, 1000000000, &rate) && rate > 0 &&
                     (!second || (parse_number(second + 1, 1000, &n) && n > 0));
            }
            config->trickle_segment = (unsigned)k;
            config->trickle_rate = (unsigned)rate;
            config->trickle_first = (unsigned)n;
            break;
        }
        case OPT_REAL_DATA:
            config->pages_dir = optarg;
            break;
        case OPT_PROXY_PORT_FILE:
            config->proxy_port_file = optarg;
            break;
        case OPT_HUGE_SLUG_PAGE:
            config->huge_slug_page = true;
            break;
        case OPT_LIVE_PERIOD:
            ok = parse_seconds(optarg, 10, 3600000, &config->live_period_ms);
            break;
        case OPT_LIVE_WINDOW:
            ok = parse_number(optarg, 100000, &v) && v > 0;
            config->live_window = (unsigned)v;
            break;
        case OPT_LIVE_KEEP:
            ok = parse_number(optarg, 1000000, &v);
            config->live_keep = (unsigned)v;
            config->has_live_keep = true;
            break;
        case OPT_LIVE_END:
            ok = parse_number(optarg, 100000000, &v) && v > 0;
            config->live_end = (unsigned)v;
            break;
        case OPT_LIVE_EXPIRE:
            ok = parse_number(optarg, 864000, &v);
            config->live_expire = (unsigned)v;
            config->has_live_expire = true;
            break;
        case OPT_LIVE_DVR:
            config->live_dvr = true;
            break;
        case OPT_LIVE_STARTS_IN:
            ok = parse_seconds(optarg, 0, 86400000, &config->live_starts_in_ms);
            break;
        case OPT_LIVE_MASTER:
            config->live_master = true;
            break;
        case OPT_HELP:
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            return -1;
        }
        if (!ok) {
            fprintf(stderr, FAKE_PROGRAM ": bad value \"%s\" for --%s\n", optarg,
                    options[index].name);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, FAKE_PROGRAM ": unexpected argument \"%s\"\n", argv[optind]);
        return -1;
    }
    if (config->live_dvr && config->has_live_keep) {
        /* A DVR window keeps every segment: an expiry would contradict it. */
        fprintf(stderr, FAKE_PROGRAM ": --live-dvr keeps every segment; drop --live-keep\n");
        return -1;
    }
    return 0;
}

/*
 * Binds 127.0.0.1:want (0: any free port) and reports the port. The listeners bind here
 * rather than inside MHD so that every port, and so the addresses built from them, is fixed
 * before the first connection thread can run.
 *
 * --mirror-refused uses it with should_listen false: Linux answers SYNs to a bound socket
 * that does not listen with RST (connection refused), and unlike bind-then-close nobody else
 * can take the port while the master playlist still advertises it.
 */
static int bind_loopback(unsigned want, bool should_listen, unsigned *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)want),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        (should_listen && listen(fd, SOMAXCONN) != 0) ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

static bool has_audio_only(const struct fake_catalog *catalog)
{
    for (size_t i = 0; i < catalog->media_count; i++)
        if (catalog->media[i].audio_only)
            return true;
    return false;
}

/*
 * Takes ownership of fd: MHD closes it when the daemon stops, and here on failure. tls is
 * NULL for plain HTTP; else its key pair must outlive the daemon.
 */
static struct MHD_Daemon *start_listener(struct fake_listener *listener, int fd,
                                         const struct fake_tls *tls)
{
    struct MHD_OptionItem tls_options[] = {
        {MHD_OPTION_END, 0, NULL},
        {MHD_OPTION_END, 0, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
    if (tls) {
        flags |= MHD_USE_TLS;
        tls_options[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, tls->cert.data};
        tls_options[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, tls->key.data};
    }
    /*
     * A thread per connection: --latency, --rate, --total-rate, --stall and --stall-head sleep
     * inside callbacks, and that must delay only the connection concerned.
     */
    struct MHD_Daemon *daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, fake_router_handle, listener, MHD_OPTION_LISTEN_SOCKET,
        (MHD_socket)fd, MHD_OPTION_URI_LOG_CALLBACK, fake_router_uri_logged, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, fake_router_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION,
        fake_observe_connection, listener, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONNECTION_MEMORY, MHD_OPTION_ARRAY, tls_options, MHD_OPTION_END);
    if (!daemon)
        close(fd);
    return daemon;
}

int main(int argc, char **argv)
{
    int result = 1;
    struct fake_server server = {0};
    struct fake_listener listeners[FAKE_ROLE_COUNT];
    struct MHD_Daemon *daemons[FAKE_ROLE_COUNT] = {NULL};
    int refusing[2] = {-1, -1};
    struct fake_tls tls = {{NULL, 0}, {NULL, 0}};
    server.started_ns = fake_now_ns();
    server.started_ms = server.started_ns / 1000000u;
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    server.started_unix_ns = (uint64_t)wall.tv_sec * 1000000000u + (uint64_t)wall.tv_nsec;
    server.scheme = "http";

    if (parse_options(argc, argv, &server.config) != 0)
        return 2;

    /*
     * Block the stop signals before any thread exists so every MHD thread inherits the mask
     * and only sigwait() below ever sees them.
     */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (fake_catalog_load(&server.catalog, server.config.catalog_path, server.config.media_dir,
                          server.config.pages_dir, server.config.segments) != 0 ||
        fake_live_load(&server.catalog) != 0 || fake_answers_load_template(&server) != 0)
        goto out;
    if (server.config.tls_cert_path) {
        if (fake_tls_load(&tls, server.config.tls_cert_path, server.config.tls_key_path) != 0)
            goto out;
        server.scheme = "https";
    }
    if (server.config.no_video && !has_audio_only(&server.catalog)) {
        /* Media made before the audio-only set existed would make the switch do nothing. */
        fprintf(stderr,
                FAKE_PROGRAM ": --no-video needs an audio-only folder such as %s/"
                             "landscape/1280x712-audio (rerun make-media.sh)\n",
                server.config.media_dir);
        goto out;
    }
    if (server.config.log_path && fake_observe_open_log(server.config.log_path) != 0)
        goto out;
    if (server.config.timing_path &&
        fake_observe_open_timing(server.config.timing_path, server.started_ns,
                                 server.started_unix_ns) != 0)
        goto out;
    /* About a day, like rutube.ru's expire=. */
    server.expire = (long long)time(NULL) + 86400;

    int fds[FAKE_ROLE_COUNT] = {-1, -1, -1, -1};
    for (int role = 0; role < FAKE_ROLE_COUNT; role++) {
        listeners[role].server = &server;
        listeners[role].role = (enum fake_role)role;
        bool is_refused = role <= FAKE_ROLE_MIRROR1 && server.config.mirror_refused[role];
        fds[role] = bind_loopback(server.config.port[role], !is_refused, &server.port[role]);
        if (fds[role] < 0) {
            fprintf(stderr, FAKE_PROGRAM ": cannot listen on 127.0.0.1:%u (%s): %m\n",
                    server.config.port[role], fake_role_name((enum fake_role)role));
            for (int i = 0; i < role; i++)
                close(fds[i]);
            goto out;
        }
        if (is_refused) {
            refusing[role] = fds[role];
            fds[role] = -1;
        }
    }
    snprintf(server.api_base, sizeof server.api_base, "%s://127.0.0.1:%u", server.scheme,
             server.port[FAKE_ROLE_API]);
    /* The body files name the listeners, so they are filled in once every port is known. */
    bool started = fake_bodies_load(&server) == 0;
    fake_pace_total_init(server.config.total_rate);
    /* Everything the handlers read is set: from here on the server only reads it. */
    for (int role = 0; role < FAKE_ROLE_COUNT; role++) {
        if (fds[role] < 0)
            continue;
        if (started)
            daemons[role] = start_listener(&listeners[role], fds[role],
                                           server.config.tls_cert_path ? &tls : NULL);
        else
            close(fds[role]);
        if (started && !daemons[role]) {
            fprintf(stderr, FAKE_PROGRAM ": cannot start the %s listener%s\n",
                    fake_role_name((enum fake_role)role),
                    server.config.tls_cert_path ? " (is --tls given a matching PEM certificate "
                                                  "and unencrypted key?)"
                                                : "");
            started = false;
        }
    }
    if (!started)
        goto out;

    /* The proxy's file first: a test that saw the port file may read it at once. */
    char line[sizeof server.api_base + 1];
    snprintf(line, sizeof line, "%s://127.0.0.1:%u\n", server.scheme, server.port[FAKE_ROLE_PROXY]);
    if (server.config.proxy_port_file &&
        fake_write_file_atomic(server.config.proxy_port_file, line) != 0)
        goto out;
    snprintf(line, sizeof line, "%s\n", server.api_base);
    if (server.config.port_file && fake_write_file_atomic(server.config.port_file, line) != 0)
        goto out;
    fputs(line, stdout);
    fflush(stdout);

    int sig = 0;
    while (sigwait(&stop_signals, &sig) != 0)
        ;
    result = 0;

out:
    /* Wake every sleeping callback first, or MHD_stop_daemon() would wait for them. */
    fake_stop_raise();
    for (int role = 0; role < FAKE_ROLE_COUNT; role++)
        if (daemons[role])
            MHD_stop_daemon(daemons[role]);
    for (int i = 0; i < 2; i++)
        if (refusing[i] >= 0)
            close(refusing[i]);
    if (result == 0 && server.config.stats_path &&
        fake_observe_write_stats(server.config.stats_path) != 0)
        result = 1;
    fake_observe_close();
    fake_bodies_cleanup(&server);
    fake_tls_cleanup(&tls);
    fake_catalog_cleanup(&server.catalog);
    json_decref(server.options_template);
    return result;
}
