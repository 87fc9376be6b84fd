/* rutube-dl's command line: options, their checks, --help and --version. */
#include "cli.h"
#include "cli_i18n.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --help: each part one message, so that a translation keeps its own line breaks and columns.
 * The options' names, the examples and the file names stay as they are. */
static void print_help(FILE *out)
{
    fputs(_("Usage: rutube-dl [OPTIONS] ADDRESS...\n"
            "       rutube-dl [OPTIONS] -a FILE\n"
            "Save RuTube videos as files.\n"),
          out);
    fputc('\n', out);
    fputs(_("ADDRESS is a video page (https://rutube.ru/video/<id>/), a private video with\n"
            "its key (.../video/private/<id>/?p=<key>), a short (/shorts/<id>/), an embed\n"
            "address (/play/embed/<id or number>), a finished live stream\n"
            "(/live/video/<id>/), a Yappy clip (/yappy/<id>/), a bare 32-character video id,\n"
            "or a list of videos: a playlist (/plst/<n>/), a channel (/channel/<n>/ or by\n"
            "name /u/<name>/, its videos/ or shorts/), an author (/video/person/<n>/), a tag\n"
            "(/tags/video/<n>/) or a series (/metainfo/tv/<n>/).\n"),
          out);
    fputc('\n', out);
    /* TRANSLATORS: in each section of --help, an option's description starts at the 27th
     * character of its line, and no line is longer than 80 characters. */
    fputs(_("Single video:\n"
            "  -q, --quality QUALITY   best (default), worst, a height such as 720 (the best\n"
            "                          format whose shorter side is at most that: 720 picks\n"
            "                          1280x712, or 608x1080 for a vertical short), an exact\n"
            "                          size such as 1280x712, or ask (a numbered list); for\n"
            "                          many videos, each one lacking it gets the nearest\n"
            "                          lower\n"
            "      --prefer-codec CODEC  h264, hevc or av1: where the size chosen comes in\n"
            "                          several codecs, take that one (default: the most\n"
            "                          compatible, H.264, then HEVC, then AV1)\n"
            "  -F, --list-formats      list the formats (size, codec, bit rate) and exit\n"
            "      --list-subs         list the subtitle tracks and exit\n"),
          out);
    fputc('\n', out);
    fputs(_("Many videos:\n"
            "  -a, --batch-file FILE   addresses from FILE (- for standard input), one a\n"
            "                          line;\n"
            "                          blank lines and lines starting with # are skipped\n"
            "  -f FILE                 the same (the original tool's name)\n"
            "  -d, --delimiter TEXT    also split the batch file's lines at TEXT (e.g. \",\")\n"
            "  -J, --jobs N            videos downloaded at once (1-16, default 1); they\n"
            "                          share the -j transfers\n"
            "      --playlist-items SPEC  which videos of a list: 1-3,7,10- (from 1)\n"
            "      --match-title REGEX  only videos of a list whose title matches (any case)\n"
            "      --max-downloads N   stop after N videos are downloaded\n"
            "      --download-archive FILE  skip videos listed in FILE; add each one saved\n"
            "      --flat              list the videos (address, title, seconds) and exit\n"
            "      --print FIELDS      list these fields instead:\n"
            "                          id,url,title,duration,author\n"
            "      --abort-on-error    stop starting videos after the first failure\n"),
          out);
    fputc('\n', out);
    /* xgettext:no-c-format */
    fputs(_("Output:\n"
            "  -o, --output-dir DIR    save into DIR (created if missing; default: here)\n"
            "  -O, --output TEMPLATE   file name template (default %(title)s.%(ext)s);\n"
            "                          fields: title, id, author, author_id, height, width,\n"
            "                          resolution, upload_date, duration, ext; '/' makes\n"
            "                          folders\n"
            "      --restrict-filenames  ASCII names: Cyrillic transliterated, the rest '_'\n"
            "      --container FORMAT  mp4 (default: a real MP4, streams copied, no\n"
            "                          re-encoding), mkv, or ts (the stream as RuTube sends\n"
            "                          it)\n"
            "  -x, --extract-audio     the audio alone: an .m4a with RuTube's AAC copied,\n"
            "                          tags and cover, from the smallest format with the\n"
            "                          best sound\n"
            "      --audio-format FMT  the audio alone as m4a (default), mp3, opus or flac\n"
            "                          (those three encoded here; implies -x)\n"
            "      --download-sections \"*START-END\"  only that part, as its own file\n"
            "                          (\"*1:00-2:30\", \"*90-inf\"; may be given again)\n"
            "      --embed-thumbnail   store the thumbnail as the MP4/MKV cover\n"
            "      --no-embed-thumbnail  no cover (the audio alone gets one unless this)\n"
            "      --write-thumbnail   save the thumbnail beside the video (NAME.jpg)\n"
            "      --embed-subs        store subtitles as tracks (mov_text in MP4)\n"
            "      --embed-chapters    store the chapters the description lists (0:00 Intro\n"
            "                          lines) in the file, any but TS (default)\n"
            "      --no-embed-chapters  do not\n"
            "      --split-chapters    one file per chapter instead: \"NAME - 001 TITLE.mp4\"\n"
            "                          and so on (not with TS or --download-sections)\n"
            "      --live-duration TIME  a live stream: stop recording after TIME of it\n"
            "                          (90, 1:30, 2:00:00; default: until it ends or Ctrl-C)\n"
            "      --live-from-start   a live stream: from the first segment its playlist\n"
            "                          keeps, not from now\n"
            "      --wait-for-video SECONDS  a video not there yet (a stream that has not\n"
            "                          begun): ask again every SECONDS, counting down\n"
            "      --write-subs        save subtitles beside the video (NAME.LANG.vtt|srt)\n"
            "      --sub-langs LANGS   which subtitles: ru,en (default: all)\n"
            "      --write-info-json   save the video's metadata as NAME.info.json\n"
            "      --force             replace files that already exist\n"
            "      --no-continue       start over instead of continuing NAME.part\n"
            "      --quiet             print nothing but errors\n"
            "  -v, --verbose           also print retries and other diagnostics\n"),
          out);
    fputc('\n', out);
    fputs(_("Network:\n"
            "  -j, --concurrent-fragments N  transfers at once, all videos together (1-64,\n"
            "                          default 16)\n"
            "      --retries N         tries per segment after the first (default 10)\n"
            "      --timeout SECONDS   give up on a silent connection after this (default 20)\n"
            "  -r, --limit-rate RATE   at most RATE bytes a second, all videos and transfers\n"
            "                          together: 500K, 2M, 4.2M (K = 1024, M = 1024 K)\n"
            "      --user-agent TEXT   the browser to claim to be (RuTube rejects\n"
            "                          non-browsers)\n"
            "      --proxy URL         e.g. socks5h://127.0.0.1:9050 or http://host:3128\n"
            "      --api-proxy URL     a proxy for RuTube's API calls only (media goes\n"
            "                          direct, or through --proxy): for a server RuTube's\n"
            "                          API refuses while its CDN serves it\n"
            "      --api-base URL      where API calls go (default https://rutube.ru)\n"
            "      --insecure          do not check TLS certificates (unsafe; says so)\n"),
          out);
    fputc('\n', out);
    fputs(_("Config file:\n"
            "      --ignore-config     do not read the config file\n"
            "      --config-location FILE  read FILE (or FILE/config) instead of it\n"),
          out);
    fputc('\n', out);
    fputs(_("  -h, --help              show this help\n"
            "  -V, --version           show versions\n"),
          out);
    fputc('\n', out);
    fputs(_("Examples:\n"), out);
    fputs("  rutube-dl https://rutube.ru/video/2ce725b3dc1a243f8456458975ecd872/\n"
          "  rutube-dl 2ce725b3dc1a243f8456458975ecd872 -o ~/Videos -q 480\n"
          "  rutube-dl -F https://rutube.ru/shorts/2b920289347334ee93e63873bc444212/\n"
          "  rutube-dl --embed-subs --embed-thumbnail -O '%(author)s/%(title)s.%(ext)s' URL\n"
          "  rutube-dl https://rutube.ru/channel/23704195/videos/ -J 3 \\\n"
          "      --download-archive done.txt --playlist-items 1-20\n"
          "  rutube-dl -a links.txt -q 720 -o ~/Videos\n",
          out);
    fputc('\n', out);
    fputs(_("Default options go in the config file, $XDG_CONFIG_HOME/rutube-dl/config (or\n"
            "~/.config/rutube-dl/config): one option a line with its value, as typed here\n"
            "(-q 720, --output-dir ~/Videos; # comments); options on the command line win.\n"),
          out);
    fputc('\n', out);
    fputs(_("A file is written as NAME.part and gets its name only when complete; an existing\n"
            "file is skipped unless --force. An interrupted or failed download keeps its\n"
            "whole segments in NAME.part (and NAME.part.state): the same command continues\n"
            "it.\n"
            "Exit status: 0 all done (or skipped), 1 a download (or batch line) failed,\n"
            "2 bad usage (nothing was downloaded),\n"
            "130 interrupted.\n"),
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

/*
 * --limit-rate's RATE, as yt-dlp reads it: digits with an optional decimal part, then an
 * optional K, M or G in either case (1024, 1024², 1024³): bytes a second, rounded. Read by
 * hand rather than by strtod(), whose decimal point would follow the locale. False for
 * anything else, for what rounds to 0 bytes and for more than 1 PiB a second.
 */
static bool parse_rate(const char *text, uint64_t *out)
{
    uint64_t mantissa = 0;
    int digits = 0, decimals = 0;
    const char *p = text;
    for (; *p >= '0' && *p <= '9'; p++, digits++)
        mantissa = mantissa * 10 + (uint64_t)(*p - '0');
    if (digits == 0)
        return false;
    if (*p == '.') {
        if (p[1] < '0' || p[1] > '9')
            return false;
        for (p++; *p >= '0' && *p <= '9'; p++, digits++, decimals++)
            mantissa = mantissa * 10 + (uint64_t)(*p - '0');
    }
    if (digits > 18) /* past what a 64-bit mantissa holds exactly */
        return false;
    double unit = 1;
    switch (*p) {
    case 'k':
    case 'K':
        unit = 1024.0;
        p++;
        break;
    case 'm':
    case 'M':
        unit = 1024.0 * 1024;
        p++;
        break;
    case 'g':
    case 'G':
        unit = 1024.0 * 1024 * 1024;
        p++;
        break;
    }
    if (*p)
        return false;
    double bytes = (double)mantissa * unit;
    for (int i = 0; i < decimals; i++)
        bytes /= 10;
    if (bytes + 0.5 < 1 || bytes > 1125899906842624.0)
        return false;
    *out = (uint64_t)(bytes + 0.5);
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
    OPT_EMBED_CHAPTERS,
    OPT_NO_EMBED_CHAPTERS,
    OPT_SPLIT_CHAPTERS,
    OPT_LIVE_DURATION,
    OPT_LIVE_FROM_START,
    OPT_WAIT_FOR_VIDEO,
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
    OPT_API_PROXY,
    OPT_API_BASE,
    OPT_PREFER_CODEC,
    OPT_PLAYLIST_ITEMS,
    OPT_MAX_DOWNLOADS,
    OPT_MATCH_TITLE,
    OPT_FLAT,
    OPT_PRINT,
    OPT_ARCHIVE,
    OPT_ABORT_ON_ERROR,
    OPT_IGNORE_CONFIG,
    OPT_CONFIG_LOCATION,
    OPT_AUDIO_FORMAT,
    OPT_NO_EMBED_THUMBNAIL,
    OPT_DOWNLOAD_SECTIONS,
};

const char cli_short_options[] = ":q:Fo:O:vj:J:a:f:d:xr:hV";

const struct option cli_long_options[] = {
    {"quality", required_argument, NULL, 'q'},
    {"list-formats", no_argument, NULL, 'F'},
    {"output-dir", required_argument, NULL, 'o'},
    {"output", required_argument, NULL, 'O'},
    {"restrict-filenames", no_argument, NULL, OPT_RESTRICT},
    {"container", required_argument, NULL, OPT_CONTAINER},
    {"embed-thumbnail", no_argument, NULL, OPT_EMBED_THUMBNAIL},
    {"no-embed-thumbnail", no_argument, NULL, OPT_NO_EMBED_THUMBNAIL},
    {"extract-audio", no_argument, NULL, 'x'},
    {"audio-format", required_argument, NULL, OPT_AUDIO_FORMAT},
    {"download-sections", required_argument, NULL, OPT_DOWNLOAD_SECTIONS},
    {"write-thumbnail", no_argument, NULL, OPT_WRITE_THUMBNAIL},
    {"embed-subs", no_argument, NULL, OPT_EMBED_SUBS},
    {"embed-chapters", no_argument, NULL, OPT_EMBED_CHAPTERS},
    {"no-embed-chapters", no_argument, NULL, OPT_NO_EMBED_CHAPTERS},
    {"split-chapters", no_argument, NULL, OPT_SPLIT_CHAPTERS},
    {"live-duration", required_argument, NULL, OPT_LIVE_DURATION},
    {"live-from-start", no_argument, NULL, OPT_LIVE_FROM_START},
    {"wait-for-video", required_argument, NULL, OPT_WAIT_FOR_VIDEO},
    {"write-subs", no_argument, NULL, OPT_WRITE_SUBS},
    {"sub-langs", required_argument, NULL, OPT_SUB_LANGS},
    {"list-subs", no_argument, NULL, OPT_LIST_SUBS},
    {"write-info-json", no_argument, NULL, OPT_WRITE_INFO_JSON},
    {"force", no_argument, NULL, OPT_FORCE},
    {"no-continue", no_argument, NULL, OPT_NO_CONTINUE},
    {"insecure", no_argument, NULL, OPT_INSECURE},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"verbose", no_argument, NULL, 'v'},
    {"concurrent-fragments", required_argument, NULL, 'j'},
    {"jobs", required_argument, NULL, 'J'},
    {"batch-file", required_argument, NULL, 'a'},
    {"delimiter", required_argument, NULL, 'd'},
    {"playlist-items", required_argument, NULL, OPT_PLAYLIST_ITEMS},
    {"max-downloads", required_argument, NULL, OPT_MAX_DOWNLOADS},
    {"match-title", required_argument, NULL, OPT_MATCH_TITLE},
    {"flat", no_argument, NULL, OPT_FLAT},
    {"print", required_argument, NULL, OPT_PRINT},
    {"download-archive", required_argument, NULL, OPT_ARCHIVE},
    {"abort-on-error", no_argument, NULL, OPT_ABORT_ON_ERROR},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"limit-rate", required_argument, NULL, 'r'},
    {"user-agent", required_argument, NULL, OPT_USER_AGENT},
    {"proxy", required_argument, NULL, OPT_PROXY},
    {"api-proxy", required_argument, NULL, OPT_API_PROXY},
    {"prefer-codec", required_argument, NULL, OPT_PREFER_CODEC},
    {"api-base", required_argument, NULL, OPT_API_BASE},
    {"ignore-config", no_argument, NULL, OPT_IGNORE_CONFIG},
    {"config-location", required_argument, NULL, OPT_CONFIG_LOCATION},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* "FILE:LINE: " while a config file's line is parsed, so that its errors say where they are. */
static char usage_where[4200];

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "rutube-dl: %s", usage_where);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs(_("Try 'rutube-dl --help' for more information.\n"), stderr);
    return -1;
}

/* --prefer-codec's words: the codecs' names as people type them. */
static bool codec_named(const char *name, enum rt_codec *out)
{
    static const struct {
        const char *name;
        enum rt_codec codec;
    } names[] = {{"h264", RT_CODEC_H264},
                 {"avc", RT_CODEC_H264},
                 {"hevc", RT_CODEC_HEVC},
                 {"h265", RT_CODEC_HEVC},
                 {"av1", RT_CODEC_AV1}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].codec;
            return true;
        }
    return false;
}

/* The containers as librutube's table lists them (RT_CONTAINER_MAP): what --container takes,
 * and what each can hold. */
struct container {
    const char *name, *subtitles;
    unsigned holds;
};
static const struct container containers[] = {
#define CLI_CONTAINER(id, ext, muxer, subtitle_codec, audio, what)                                 \
    [RT_CONTAINER_##id] = {ext, subtitle_codec, what},
    RT_CONTAINER_MAP(CLI_CONTAINER)
#undef CLI_CONTAINER
};

static bool container_named(const char *name, enum rt_container *out)
{
    for (size_t i = 0; i < RT_CONTAINER_COUNT; i++)
        if (strcmp(name, containers[i].name) == 0) {
            *out = (enum rt_container)i;
            return true;
        }
    return false;
}

/* What --audio-format takes: the audio-only rows of the table by their extension, and the
 * words yt-dlp users type for copying RuTube's AAC. */
static bool audio_format_named(const char *name, enum rt_container *out)
{
    if (strcmp(name, "best") == 0 || strcmp(name, "aac") == 0) {
        *out = RT_CONTAINER_M4A;
        return true;
    }
    enum rt_container c;
    if (!container_named(name, &c) || rt_container_has_video(c))
        return false;
    *out = c;
    return true;
}

/* "m4a, mp3, opus, flac": the audio formats, for the usage error. */
static const char *audio_format_names(void)
{
    static char names[128];
    if (!names[0])
        for (size_t i = 0; i < RT_CONTAINER_COUNT; i++)
            if (!rt_container_has_video((enum rt_container)i))
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                         names[0] ? ", " : "", containers[i].name);
    return names;
}

/* "mp4, ts, mkv": for the usage error. */
static const char *container_names(void)
{
    static char names[128];
    if (!names[0])
        for (size_t i = 0; i < RT_CONTAINER_COUNT; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                     containers[i].name);
    return names;
}

/* The options a config file may not hold, by name; NULL for the others. */
static const char *command_line_only(int c)
{
    switch (c) {
    case 'h':
        return "--help";
    case 'V':
        return "--version";
    case OPT_IGNORE_CONFIG:
        return "--ignore-config";
    case OPT_CONFIG_LOCATION:
        return "--config-location";
    }
    return NULL;
}

/* Apply the options of argv[1..] to `opts`, later ones over earlier ones; leaves optind at the
 * first word that is not an option. A config file's line (`in_config`) may not ask for help,
 * versions or other config files. Returns what cli_options_parse() does. */
static int parse_words(int argc, char **argv, bool in_config, struct cli_options *opts)
{
    int c;
    opterr = 0;
    optind = 0; /* glibc: start afresh, even after an earlier argv */
    while ((c = getopt_long(argc, argv, cli_short_options, cli_long_options, NULL)) != -1) {
        const char *only_here = in_config ? command_line_only(c) : NULL;
        if (only_here)
            return usage_error(_("%s only works on the command line"), only_here);
        switch (c) {
        case 'q':
            opts->quality_given = true;
            if (!quality_is_valid(optarg))
                return usage_error(_("quality \"%s\" is not understood (use best, worst, ask, "
                                     "a height such as 720, or a size such as 1280x712)"),
                                   optarg);
            opts->quality = optarg;
            break;
        case 'F':
            opts->list_formats = true;
            break;
        case 'o':
            if (!*optarg)
                return usage_error(_("the output folder is empty"));
            opts->download.output_dir = optarg;
            break;
        case 'O':
            if (!*optarg)
                return usage_error(_("the output template is empty"));
            opts->download.output_template = optarg;
            break;
        case OPT_RESTRICT:
            opts->download.restrict_filenames = true;
            break;
        case OPT_CONTAINER:
            if (!container_named(optarg, &opts->download.container))
                return usage_error(_("container \"%s\" is not one of %s"), optarg,
                                   container_names());
            break;
        case OPT_EMBED_THUMBNAIL:
            opts->download.embed_thumbnail = true;
            opts->no_embed_thumbnail = false;
            break;
        case OPT_NO_EMBED_THUMBNAIL:
            opts->download.embed_thumbnail = false;
            opts->no_embed_thumbnail = true;
            break;
        case 'x':
            opts->extract_audio = true;
            break;
        case OPT_DOWNLOAD_SECTIONS: {
            struct rt_error err = {0};
            if (opts->section_count == CLI_SECTIONS_MAX)
                return usage_error(_("at most %d --download-sections"), CLI_SECTIONS_MAX);
            size_t k = opts->section_count;
            if (rt_section_parse(optarg, &opts->sections[k].start, &opts->sections[k].end, &err) !=
                RT_OK)
                return usage_error("%s", err.message);
            opts->section_count++;
            break;
        }
        case OPT_AUDIO_FORMAT:
            if (!audio_format_named(optarg, &opts->audio_container))
                return usage_error(_("audio format \"%s\" is not one of %s"), optarg,
                                   audio_format_names());
            opts->extract_audio = true;
            break;
        case OPT_WRITE_THUMBNAIL:
            opts->download.write_thumbnail = true;
            break;
        case OPT_EMBED_SUBS:
            opts->download.embed_subs = true;
            break;
        case OPT_EMBED_CHAPTERS:
        case OPT_NO_EMBED_CHAPTERS:
            opts->download.embed_chapters = c == OPT_EMBED_CHAPTERS;
            break;
        case OPT_SPLIT_CHAPTERS:
            opts->download.split_chapters = true;
            break;
        case OPT_LIVE_DURATION: {
            /* The section reader knows every way of writing a time: "90", "1:30", "1:02:03". */
            char range[64];
            double from, to;
            snprintf(range, sizeof range, "*0-%s", optarg);
            if (strlen(optarg) > 32 || rt_section_parse(range, &from, &to, NULL) != RT_OK ||
                !(to > 0 && to < 1e9))
                return usage_error(_("--live-duration needs a time such as 90, 1:30 or 2:00:00, "
                                     "not \"%s\""),
                                   optarg);
            opts->download.live_duration = to;
            break;
        }
        case OPT_LIVE_FROM_START:
            opts->download.live_from_start = true;
            break;
        case OPT_WAIT_FOR_VIDEO: {
            char *end = NULL;
            double seconds = strtod(optarg, &end);
            if (end == optarg || *end || !(seconds >= 1 && seconds <= 86400))
                return usage_error(_("--wait-for-video needs seconds between tries, from 1 to "
                                     "86400, not \"%s\""),
                                   optarg);
            opts->wait_for_video = seconds;
            break;
        }
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
                return usage_error(
                    _("--concurrent-fragments needs a number from 1 to 64, not \"%s\""), optarg);
            break;
        case 'J':
            if (!parse_int(optarg, 1, 16, &opts->video_jobs))
                return usage_error(_("--jobs needs a number of videos from 1 to 16, not \"%s\""),
                                   optarg);
            break;
        case 'a':
        case 'f': /* the original tool's name for it */
            if (!*optarg)
                return usage_error(_("the batch file name is empty"));
            opts->batch_file = optarg;
            break;
        case 'd':
            opts->delimiter = optarg;
            break;
        case OPT_PLAYLIST_ITEMS:
            opts->playlist_items = optarg;
            break;
        case OPT_MAX_DOWNLOADS: {
            int n;
            if (!parse_int(optarg, 1, INT_MAX, &n))
                return usage_error(_("--max-downloads needs a number above 0, not \"%s\""), optarg);
            opts->max_downloads = n;
            break;
        }
        case OPT_MATCH_TITLE:
            opts->match_title = optarg;
            break;
        case OPT_FLAT:
            opts->print_fields = CLI_FLAT_FIELDS;
            break;
        case OPT_PRINT:
            if (!cli_print_fields_valid(optarg))
                return usage_error(_("--print takes fields from id, url, title, duration, author, "
                                     "separated by commas, not \"%s\""),
                                   optarg);
            opts->print_fields = optarg;
            break;
        case OPT_ARCHIVE:
            if (!*optarg)
                return usage_error(_("the download archive's file name is empty"));
            opts->archive = optarg;
            break;
        case OPT_ABORT_ON_ERROR:
            opts->abort_on_error = true;
            break;
        case OPT_RETRIES:
            if (!parse_int(optarg, 0, 100, &opts->client.retries))
                return usage_error(_("--retries needs a number from 0 to 100, not \"%s\""), optarg);
            break;
        case OPT_TIMEOUT:
            if (!parse_int(optarg, 1, 3600, &opts->client.timeout))
                return usage_error(_("--timeout needs seconds from 1 to 3600, not \"%s\""), optarg);
            break;
        case 'r':
            if (!parse_rate(optarg, &opts->client.limit_rate))
                return usage_error(_("--limit-rate needs bytes a second above 0, such as 500K, "
                                     "2M or 4.2M, not \"%s\""),
                                   optarg);
            break;
        case OPT_USER_AGENT:
            opts->client.user_agent = optarg;
            break;
        case OPT_PROXY:
            opts->client.proxy = optarg;
            break;
        case OPT_API_PROXY:
            if (!*optarg)
                return usage_error(_("--api-proxy needs a proxy address"));
            opts->client.api_proxy = optarg;
            break;
        case OPT_PREFER_CODEC:
            if (!codec_named(optarg, &opts->prefer_codec))
                return usage_error(_("codec \"%s\" is not one of h264, hevc, av1"), optarg);
            break;
        case OPT_API_BASE:
            if (strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0)
                return usage_error(_("--api-base must be an http(s) address, not \"%s\""), optarg);
            opts->client.api_base = optarg;
            break;
        case OPT_IGNORE_CONFIG:
        case OPT_CONFIG_LOCATION:
            break; /* cli_config_load() has seen them */
        case 'h':
            print_help(stdout);
            return 1;
        case 'V':
            printf("rutube-dl %s\n%s\n", RT_VERSION, rt_version_string());
            return 1;
        case ':':
            return usage_error(_("option %s needs a value"), argv[optind - 1]);
        default:
            return usage_error(_("unknown option %s"), argv[optind - 1]);
        }
    }
    if (in_config && optind < argc)
        return usage_error(_("\"%s\" is not an option: a config file holds options, addresses go "
                             "on the command line"),
                           argv[optind]);
    return 0;
}

int cli_options_parse(int argc, char **argv, const struct cli_config *config,
                      struct cli_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->quality = "best";
    opts->video_jobs = 1;
    opts->audio_container = RT_CONTAINER_M4A;
    rt_download_options_init(&opts->download);
    rt_client_options_init(&opts->client);

    /* The config file's lines first, one at a time, so that the command line wins and an
     * error names its line. */
    for (size_t i = 0; config && i < config->count; i++) {
        const struct cli_config_line *line = &config->lines[i];
        snprintf(usage_where, sizeof usage_where, "%s:%zu: ", line->file, line->number);
        int parsed = parse_words(line->argc, line->argv, true, opts);
        usage_where[0] = '\0';
        if (parsed != 0)
            return parsed;
    }
    int parsed = parse_words(argc, argv, false, opts);
    if (parsed != 0)
        return parsed;
    if (opts->client.insecure)
        cli_complain("%s", _("warning: --insecure: TLS certificates are not checked, so anyone on "
                             "the way can read and change what is downloaded"));
    /* -x: the audio alone, in the format asked (M4A: the AAC copied), with its cover unless
     * --no-embed-thumbnail; a --container of an audio format is -x already. */
    if (opts->extract_audio)
        opts->download.container = opts->audio_container;
    if (!rt_container_has_video(opts->download.container) && !opts->no_embed_thumbnail)
        opts->download.embed_thumbnail = true;
    const struct container *c = &containers[opts->download.container];
    if ((opts->download.embed_subs && !c->subtitles) ||
        (opts->download.embed_thumbnail && !(c->holds & RT_HOLDS_COVER)))
        cli_complain(_("warning: a .%s file cannot hold a cover or subtitle tracks; --embed-* is "
                       "ignored with --container %s"),
                     c->name, c->name);
    opts->addresses = argv + optind;
    opts->address_count = argc - optind;
    if (opts->address_count == 0 && !opts->batch_file)
        return usage_error(_("no video address given"));
    if (opts->video_jobs > 1 && strcmp(opts->quality, "ask") == 0)
        return usage_error(_("-q ask asks one video at a time: it cannot go with --jobs above 1"));
    if (opts->batch_file && strcmp(opts->batch_file, "-") == 0 && strcmp(opts->quality, "ask") == 0)
        return usage_error(_("-q ask reads the answer from standard input, which -a - already "
                             "reads addresses from"));
    if (opts->delimiter && !opts->batch_file)
        return usage_error(_("--delimiter splits a batch file: give one with -a FILE"));
    if (opts->download.split_chapters && opts->section_count > 0)
        return usage_error(_("--split-chapters and --download-sections cannot go together"));
    if (opts->download.split_chapters && opts->download.container == RT_CONTAINER_TS)
        return usage_error(_("--split-chapters cannot cut a .ts file, which keeps the segments "
                             "as served: use --container mp4 or mkv, or -x"));
    return 0;
}
