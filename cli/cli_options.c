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
          "      --list-subs         list the subtitle tracks and exit\n"
          "\n"
          "Output:\n"
          "  -o, --output-dir DIR    save into DIR (created if missing; default: here)\n"
          "  -O, --output TEMPLATE   file name template (default %(title)s.%(ext)s); fields:\n"
          "                          title, id, author, author_id, height, width,\n"
          "                          resolution, upload_date, duration, ext; '/' makes folders\n"
          "      --restrict-filenames  ASCII names: Cyrillic transliterated, the rest '_'\n"
          "      --container FORMAT  mp4 (default: a real MP4, streams copied, no\n"
          "                          re-encoding), mkv, or ts (the stream as RuTube sends it)\n"
          "      --embed-thumbnail   store the thumbnail as the MP4/MKV cover\n"
          "      --write-thumbnail   save the thumbnail beside the video (NAME.jpg)\n"
          "      --embed-subs        store subtitles as tracks (mov_text in MP4)\n"
          "      --write-subs        save subtitles beside the video (NAME.LANG.vtt|srt)\n"
          "      --sub-langs LANGS   which subtitles: ru,en (default: all)\n"
          "      --write-info-json   save the video's metadata as NAME.info.json\n"
          "      --force             replace files that already exist\n"
          "      --no-continue       start over instead of continuing NAME.part\n"
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
          "      --insecure          do not check TLS certificates (unsafe; says so)\n"
          "\n"
          "  -h, --help              show this help\n"
          "  -V, --version           show versions\n"
          "\n"
          "Examples:\n"
          "  rutube-dl https://rutube.ru/video/2ce725b3dc1a243f8456458975ecd872/\n"
          "  rutube-dl 2ce725b3dc1a243f8456458975ecd872 -o ~/Videos -q 480\n"
          "  rutube-dl -F https://rutube.ru/shorts/2b920289347334ee93e63873bc444212/\n"
          "  rutube-dl --embed-subs --embed-thumbnail -O '%(author)s/%(title)s.%(ext)s' URL\n"
          "\n"
          "A file is written as NAME.part and gets its name only when complete; an existing\n"
          "file is skipped unless --force. An interrupted or failed download keeps its whole\n"
          "segments in NAME.part (and NAME.part.state): the same command continues it.\n"
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
    OPT_RESTRICT,
    OPT_EMBED_THUMBNAIL,
    OPT_WRITE_THUMBNAIL,
    OPT_EMBED_SUBS,
    OPT_WRITE_SUBS,
    OPT_SUB_LANGS,
    OPT_LIST_SUBS,
    OPT_WRITE_INFO_JSON,
    OPT_FORCE,
    OPT_NO_CONTINUE,
    OPT_INSECURE,
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
    {"output", required_argument, NULL, 'O'},
    {"restrict-filenames", no_argument, NULL, OPT_RESTRICT},
    {"container", required_argument, NULL, OPT_CONTAINER},
    {"embed-thumbnail", no_argument, NULL, OPT_EMBED_THUMBNAIL},
    {"write-thumbnail", no_argument, NULL, OPT_WRITE_THUMBNAIL},
    {"embed-subs", no_argument, NULL, OPT_EMBED_SUBS},
    {"write-subs", no_argument, NULL, OPT_WRITE_SUBS},
    {"sub-langs", required_argument, NULL, OPT_SUB_LANGS},
    {"list-subs", no_argument, NULL, OPT_LIST_SUBS},
    {"write-info-json", no_argument, NULL, OPT_WRITE_INFO_JSON},
    {"force", no_argument, NULL, OPT_FORCE},
    {"no-continue", no_argument, NULL, OPT_NO_CONTINUE},
    {"insecure", no_argument, NULL, OPT_INSECURE},
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
    opts->quality = "best";
    rt_download_options_init(&opts->download);
    rt_client_options_init(&opts->client);

    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":q:Fo:O:vj:hV", long_options, NULL)) != -1) {
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
            opts->download.output_dir = optarg;
            break;
        case 'O':
            if (!*optarg)
                return usage_error("the output template is empty");
            opts->download.output_template = optarg;
            break;
        case OPT_RESTRICT:
            opts->download.restrict_filenames = true;
            break;
        case OPT_CONTAINER:
            if (strcmp(optarg, "mp4") == 0)
                opts->download.container = RT_CONTAINER_MP4;
            else if (strcmp(optarg, "mkv") == 0)
                opts->download.container = RT_CONTAINER_MKV;
            else if (strcmp(optarg, "ts") == 0)
                opts->download.container = RT_CONTAINER_TS;
            else
                return usage_error("container \"%s\" is not one of mp4, mkv, ts", optarg);
            break;
        case OPT_EMBED_THUMBNAIL:
            opts->download.embed_thumbnail = true;
            break;
        case OPT_WRITE_THUMBNAIL:
            opts->download.write_thumbnail = true;
            break;
        case OPT_EMBED_SUBS:
            opts->download.embed_subs = true;
            break;
        case OPT_WRITE_SUBS:
            opts->download.write_subs = true;
            break;
        case OPT_SUB_LANGS:
            opts->download.sub_langs = optarg;
            break;
        case OPT_LIST_SUBS:
            opts->list_subs = true;
            break;
        case OPT_WRITE_INFO_JSON:
            opts->download.write_info_json = true;
            break;
        case OPT_FORCE:
            opts->force = true;
            opts->download.overwrite = true;
            break;
        case OPT_NO_CONTINUE:
            opts->download.no_continue = true;
            break;
        case OPT_INSECURE:
            opts->client.insecure = true;
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
    if (opts->client.insecure)
        fputs("rutube-dl: warning: --insecure: TLS certificates are not checked, so anyone on "
              "the way can read and change what is downloaded\n",
              stderr);
    if (opts->download.container == RT_CONTAINER_TS &&
        (opts->download.embed_subs || opts->download.embed_thumbnail))
        fputs("rutube-dl: warning: an MPEG-TS file cannot hold a cover or subtitle tracks; "
              "--embed-* is ignored with --container ts\n",
              stderr);
    opts->addresses = argv + optind;
    opts->address_count = argc - optind;
    if (opts->address_count == 0)
        return usage_error("no video address given");
    return 0;
}
