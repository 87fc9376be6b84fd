/* rutube-dl's command line: options, their checks, --help and --version. */
#include "cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void print_help(FILE *out)
{
    fputs("Usage: rutube-dl [OPTIONS] ADDRESS...\n"
          "Save RuTube videos as files.\n"
          "\n"
          "ADDRESS is a video page (https://rutube.ru/video/<id>/), a private video with its\n"
          "key (.../video/private/<id>/?p=<key>), a short (/shorts/<id>/), an embed address\n"
          "(/play/embed/<id>) or a bare 32-character video id.\n"
          "\n"
          "Single video:\n"
          "  -q, --quality QUALITY   best (default), worst, a height such as 720 (the best\n"
          "                          format whose shorter side is at most that: 720 picks\n"
          "                          1280x712, or 608x1080 for a vertical short), an exact\n"
          "                          size such as 1280x712, or ask (a numbered list)\n"
          "  -F, --list-formats      list the formats (size, bit rate, codecs) and exit\n"
          "\n"
          "Output:\n"
          "  -o, --output-dir DIR    save into DIR (created if missing; default: here)\n"
          "      --container ts      the stream as RuTube sends it (MPEG-TS, .ts)\n"
          "      --force             replace a file that already exists\n"
          "      --quiet             print nothing but errors\n"
          "  -v, --verbose           also print retries and other diagnostics\n"
          "\n"
          "Network:\n"
          "  -j, --jobs N            segments fetched at once (1-64, default 16)\n"
          "      --retries N         tries per segment after the first (default 10)\n"
          "      --timeout SECONDS   give up on a silent connection after this (default 20)\n"
          "      --user-agent TEXT   the browser to claim to be (RuTube rejects non-browsers)\n"
          "      --proxy URL         e.g. socks5h://127.0.0.1:9050 or http://host:3128\n"
          "      --api-base URL      where API calls go (default https://rutube.ru)\n"
          "\n"
          "  -h, --help              show this help\n"
          "  -V, --version           show versions\n"
          "\n"
          "Examples:\n"
          "  rutube-dl https://rutube.ru/video/2ce725b3dc1a243f8456458975ecd872/\n"
          "  rutube-dl 2ce725b3dc1a243f8456458975ecd872 -o ~/Videos -q 480\n"
          "  rutube-dl -F https://rutube.ru/shorts/2b920289347334ee93e63873bc444212/\n"
          "\n"
          "A file is written as NAME.part and gets its name only when complete; an existing\n"
          "file is skipped unless --force.\n"
          "Exit status: 0 all done (or skipped), 1 a download failed, 2 bad usage,\n"
          "130 interrupted.\n",
          out);
}

/* A whole number in [min, max], or false. */
static bool parse_int(const char *text, int min, int max, int *out)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (end == text || *end || v < min || v > max)
        return false;
    *out = (int)v;
    return true;
}

/* The quality words rt_format_choose() understands, plus "ask", checked before any request. */
static bool quality_is_valid(const char *q)
{
    if (strcmp(q, "best") == 0 || strcmp(q, "worst") == 0 || strcmp(q, "ask") == 0)
        return true;
    const char *p = q;
    if (*p < '1' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '\0' || ((*p == 'p' || *p == 'P') && p[1] == '\0'))
        return p - q <= 5;
    if (*p != 'x' && *p != 'X')
        return false;
    const char *h = ++p;
    if (*p < '1' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    return *p == '\0' && p - h <= 5;
}

enum {
    OPT_CONTAINER = 256,
    OPT_FORCE,
    OPT_QUIET,
    OPT_RETRIES,
    OPT_TIMEOUT,
    OPT_USER_AGENT,
    OPT_PROXY,
    OPT_API_BASE,
};

static const struct option long_options[] = {
    {"quality", required_argument, NULL, 'q'},
    {"list-formats", no_argument, NULL, 'F'},
    {"output-dir", required_argument, NULL, 'o'},
    {"container", required_argument, NULL, OPT_CONTAINER},
    {"force", no_argument, NULL, OPT_FORCE},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"verbose", no_argument, NULL, 'v'},
    {"jobs", required_argument, NULL, 'j'},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"user-agent", required_argument, NULL, OPT_USER_AGENT},
    {"proxy", required_argument, NULL, OPT_PROXY},
    {"api-base", required_argument, NULL, OPT_API_BASE},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("rutube-dl: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'rutube-dl --help' for more information.\n", stderr);
    return -1;
}

int cli_options_parse(int argc, char **argv, struct cli_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->output_dir = ".";
    opts->quality = "best";
    opts->container = RT_CONTAINER_TS;
    rt_client_options_init(&opts->client);

    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":q:Fo:vj:hV", long_options, NULL)) != -1) {
        switch (c) {
        case 'q':
            if (!quality_is_valid(optarg))
                return usage_error("quality \"%s\" is not understood (use best, worst, ask, "
                                   "a height such as 720, or a size such as 1280x712)",
                                   optarg);
            opts->quality = optarg;
            break;
        case 'F':
            opts->list_formats = true;
            break;
        case 'o':
            if (!*optarg)
                return usage_error("the output folder is empty");
            opts->output_dir = optarg;
            break;
        case OPT_CONTAINER:
            if (strcmp(optarg, "ts") != 0)
                return usage_error("container \"%s\" is not available (this version writes "
                                   "ts)",
                                   optarg);
            opts->container = RT_CONTAINER_TS;
            break;
        case OPT_FORCE:
            opts->force = true;
            break;
        case OPT_QUIET:
            opts->quiet = true;
            break;
        case 'v':
            opts->verbose = true;
            break;
        case 'j':
            if (!parse_int(optarg, 1, 64, &opts->client.jobs))
                return usage_error("--jobs needs a number from 1 to 64, not \"%s\"", optarg);
            break;
        case OPT_RETRIES:
            if (!parse_int(optarg, 0, 100, &opts->client.retries))
                return usage_error("--retries needs a number from 0 to 100, not \"%s\"", optarg);
            break;
        case OPT_TIMEOUT:
            if (!parse_int(optarg, 1, 3600, &opts->client.timeout))
                return usage_error("--timeout needs seconds from 1 to 3600, not \"%s\"", optarg);
            break;
        case OPT_USER_AGENT:
            opts->client.user_agent = optarg;
            break;
        case OPT_PROXY:
            opts->client.proxy = optarg;
            break;
        case OPT_API_BASE:
            if (strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0)
                return usage_error("--api-base must be an http(s) address, not \"%s\"", optarg);
            opts->client.api_base = optarg;
            break;
        case 'h':
            print_help(stdout);
            return 1;
        case 'V':
            printf("rutube-dl %s\n%s\n", RT_VERSION, rt_version_string());
            return 1;
        case ':':
            return usage_error("option %s needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option %s", argv[optind - 1]);
        }
    }
    opts->addresses = argv + optind;
    opts->address_count = argc - optind;
    if (opts->address_count == 0)
        return usage_error("no video address given");
    return 0;
}
