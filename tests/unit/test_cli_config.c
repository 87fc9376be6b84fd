/* Unit tests for cli/cli_config.c: splitting lines, ~, where the file is, and the options order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"

#define HOME "/home/tester"

/* Parse the string literal `text` (NULs included) as the file "cfg", which must succeed. */
#define PARSE_OK(config, text) parse_ok(config, text, sizeof(text) - 1)

static void parse_ok(struct cli_config *config, const char *text, size_t len)
{
    char error[RT_ERROR_MESSAGE_SIZE];
    if (cli_config_parse(config, text, len, "cfg", error, sizeof error) != RT_OK)
        fail_msg("%s", error);
}

/* Line `i`'s words joined by '|', without the "rutube-dl" in front. */
static const char *joined(const struct cli_config *config, size_t i)
{
    static char out[1024];
    size_t used = 0;
    assert_true(i < config->count);
    assert_string_equal(config->lines[i].argv[0], "rutube-dl");
    assert_null(config->lines[i].argv[config->lines[i].argc]);
    out[0] = '\0';
    for (int w = 1; w < config->lines[i].argc; w++)
        used += (size_t)snprintf(out + used, sizeof out - used, "%s%s", w > 1 ? "|" : "",
                                 config->lines[i].argv[w]);
    return out;
}

static int set_home(void **state)
{
    setenv("HOME", HOME, 1);
    unsetenv("XDG_CONFIG_HOME");
    return 0;
}

static void cli_config_words_quotes_comments(void **state)
{
    struct cli_config config = {0};
    PARSE_OK(&config, "# rutube-dl defaults\n"
                      "\n"
                      "   --container ts   \n"
                      "-q 720 # smaller files\r\n"
                      "-O '%(author)s/%(title)s.%(ext)s'\n"
                      "--user-agent \"Mozilla \\\"5\\\" \\\\ \\x\"\n"
                      "--sub-langs ''\n"
                      "--match-title a\\ b#c\n"
                      "\t# an indented comment\n"
                      "--proxy=socks5h://127.0.0.1:9050");
    assert_int_equal(config.count, 7);
    assert_string_equal(joined(&config, 0), "--container|ts");
    assert_int_equal(config.lines[0].number, 3);
    assert_string_equal(config.lines[0].file, "cfg");
    assert_string_equal(joined(&config, 1), "-q|720");
    assert_int_equal(config.lines[1].number, 4);
    assert_string_equal(joined(&config, 2), "-O|%(author)s/%(title)s.%(ext)s");
    assert_string_equal(joined(&config, 3), "--user-agent|Mozilla \"5\" \\ \\x");
    assert_string_equal(joined(&config, 4), "--sub-langs|");
    assert_int_equal(config.lines[4].argc, 3);
    assert_string_equal(joined(&config, 5), "--match-title|a b#c");
    assert_string_equal(joined(&config, 6), "--proxy=socks5h://127.0.0.1:9050");
    assert_int_equal(config.lines[6].number, 10);
    cli_config_cleanup(&config);
    cli_config_cleanup(&config); /* empty now: harmless */
    cli_config_cleanup(NULL);
}

static void cli_config_home(void **state)
{
    struct cli_config config = {0};
    PARSE_OK(&config, "-o ~/Videos\n"
                      "-o \"~/My Videos\"\n"
                      "--output-dir=~/x\n"
                      "-o ~\n"
                      "--match-title x~/y\n"
                      "--proxy ~user/x\n"
                      "-o '~'/a\n");
    assert_string_equal(joined(&config, 0), "-o|" HOME "/Videos");
    assert_string_equal(joined(&config, 1), "-o|" HOME "/My Videos");
    assert_string_equal(joined(&config, 2), "--output-dir=" HOME "/x");
    assert_string_equal(joined(&config, 3), "-o|" HOME);
    assert_string_equal(joined(&config, 4), "--match-title|x~/y");
    assert_string_equal(joined(&config, 5), "--proxy|~user/x");
    assert_string_equal(joined(&config, 6), "-o|" HOME "/a");
    cli_config_cleanup(&config);
}

static void cli_config_bom_and_empty(void **state)
{
    struct cli_config config = {0};
    PARSE_OK(&config, "\xEF\xBB\xBF--quiet\n");
    PARSE_OK(&config, "");
    PARSE_OK(&config, "\n\n# nothing\n   \n");
    assert_int_equal(config.count, 1);
    assert_string_equal(joined(&config, 0), "--quiet");
    assert_int_equal(config.file_count, 3);
    cli_config_cleanup(&config);
}

static void expect_error(const char *text, size_t len, const char *message)
{
    struct cli_config config = {0};
    char error[RT_ERROR_MESSAGE_SIZE];
    PARSE_OK(&config, "--quiet\n");
    assert_int_equal(cli_config_parse(&config, text, len, "conf", error, sizeof error), RT_E_USAGE);
    assert_string_equal(error, message);
    /* A failed file adds nothing: what was there before stays. */
    assert_int_equal(config.count, 1);
    cli_config_cleanup(&config);
}

#define EXPECT_ERROR(text, message) expect_error(text, sizeof(text) - 1, message)

static void cli_config_errors(void **state)
{
    EXPECT_ERROR("-q 720\n-o 'My Videos\n", "conf:2: a ' quote is not closed on this line");
    EXPECT_ERROR("-q 720\n\n-o \"My Videos\n\"\n", "conf:3: a \" quote is not closed on this line");
    EXPECT_ERROR("--quiet\n-o \\\nVideos\n", "conf:2: the line ends with a backslash: an "
                                             "option and its value go on one line");
    EXPECT_ERROR("-q 720\n-o a\0b\n", "conf:2: a NUL byte: this is not a text file");
}

static void cli_config_default_path_xdg(void **state)
{
    char path[256];
    assert_true(cli_config_default_path(path, sizeof path));
    assert_string_equal(path, HOME "/.config/rutube-dl/config");
    setenv("XDG_CONFIG_HOME", "/tmp/xdg", 1);
    assert_true(cli_config_default_path(path, sizeof path));
    assert_string_equal(path, "/tmp/xdg/rutube-dl/config");
    /* The XDG rules: a relative (or empty) XDG_CONFIG_HOME is ignored. */
    setenv("XDG_CONFIG_HOME", "relative", 1);
    assert_true(cli_config_default_path(path, sizeof path));
    assert_string_equal(path, HOME "/.config/rutube-dl/config");
    setenv("XDG_CONFIG_HOME", "", 1);
    assert_true(cli_config_default_path(path, sizeof path));
    assert_string_equal(path, HOME "/.config/rutube-dl/config");
    assert_false(cli_config_default_path(path, 10));
    assert_string_equal(path, "");
    unsetenv("XDG_CONFIG_HOME");
}

/* A scratch XDG_CONFIG_HOME holding rutube-dl/config with "--container ts", and a second
 * file `other` beside it with "-q 480". */
struct scratch {
    char dir[64];
    char config[128];
    char other[128];
};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void make_scratch(struct scratch *s)
{
    char sub[96];
    snprintf(s->dir, sizeof s->dir, "/tmp/rtdl-config.XXXXXX");
    assert_non_null(mkdtemp(s->dir));
    snprintf(sub, sizeof sub, "%s/rutube-dl", s->dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(s->config, sizeof s->config, "%s/config", sub);
    snprintf(s->other, sizeof s->other, "%s/other", s->dir);
    write_file(s->config, "--container ts\n");
    write_file(s->other, "-q 480\n");
    setenv("XDG_CONFIG_HOME", s->dir, 1);
}

static void remove_scratch(struct scratch *s)
{
    char sub[96];
    unlink(s->config);
    unlink(s->other);
    snprintf(sub, sizeof sub, "%s/rutube-dl", s->dir);
    rmdir(sub);
    rmdir(s->dir);
    unsetenv("XDG_CONFIG_HOME");
}

/* Load with the words of `args` (space-separated, at most 15) after "rutube-dl"; the lines
 * loaded, joined by ';'. */
static const char *load(const char *args, enum rt_code expected, char *error, size_t size)
{
    static char out[512];
    char copy[512];
    char *argv[16] = {"rutube-dl"};
    int argc = 1;
    snprintf(copy, sizeof copy, "%s", args);
    for (char *w = strtok(copy, " "); w && argc < 15; w = strtok(NULL, " "))
        argv[argc++] = w;
    argv[argc] = NULL;
    struct cli_config config;
    assert_int_equal(cli_config_load(argc, argv, &config, error, size), expected);
    /* argv is left as it was: getopt_long() looked at a copy. */
    assert_string_equal(argv[argc - 1], strrchr(args, ' ') ? strrchr(args, ' ') + 1 : args);
    out[0] = '\0';
    for (size_t i = 0; i < config.count; i++) {
        strcat(out, i ? ";" : "");
        strcat(out, joined(&config, i));
    }
    cli_config_cleanup(&config);
    return out;
}

static void cli_config_load_locations(void **state)
{
    struct scratch s;
    char error[RT_ERROR_MESSAGE_SIZE + 256];
    char args[512];
    make_scratch(&s);
    assert_string_equal(load("ID", RT_OK, error, sizeof error), "--container|ts");
    assert_string_equal(load("--ignore-config ID", RT_OK, error, sizeof error), "");
    /* As getopt_long() reads it: an abbreviation counts, a value or an address does not. */
    assert_string_equal(load("--ignore-c ID", RT_OK, error, sizeof error), "");
    assert_string_equal(load("--match-title --ignore-config ID", RT_OK, error, sizeof error),
                        "--container|ts");
    assert_string_equal(load("ID -- --ignore-config", RT_OK, error, sizeof error),
                        "--container|ts");
    /* --config-location instead of the default file; a folder means its `config`. */
    snprintf(args, sizeof args, "--config-location %s ID", s.other);
    assert_string_equal(load(args, RT_OK, error, sizeof error), "-q|480");
    snprintf(args, sizeof args, "ID --config-location=%s", s.other);
    assert_string_equal(load(args, RT_OK, error, sizeof error), "-q|480");
    snprintf(args, sizeof args, "--config-location %s/rutube-dl ID", s.dir);
    assert_string_equal(load(args, RT_OK, error, sizeof error), "--container|ts");
    snprintf(args, sizeof args, "--config-location %s --config-location %s ID", s.other, s.config);
    assert_string_equal(load(args, RT_OK, error, sizeof error), "-q|480;--container|ts");
    snprintf(args, sizeof args, "--ignore-config --config-location %s ID", s.other);
    assert_string_equal(load(args, RT_OK, error, sizeof error), "-q|480");
    /* A missing --config-location is an error; a missing default file is not. */
    snprintf(args, sizeof args, "--config-location %s/none ID", s.dir);
    load(args, RT_E_USAGE, error, sizeof error);
    assert_non_null(strstr(error, "cannot read the config file"));
    assert_non_null(strstr(error, "/none: No such file or directory"));
    unlink(s.config);
    assert_string_equal(load("ID", RT_OK, error, sizeof error), "");
    /* A broken default file names itself and the line. */
    write_file(s.config, "--quiet\n-o 'x\n");
    load("ID", RT_E_USAGE, error, sizeof error);
    snprintf(args, sizeof args, "%s:2: a ' quote is not closed on this line", s.config);
    assert_string_equal(error, args);
    remove_scratch(&s);
}

/* Parse the options with `config` first; stderr goes to `err_out` for the test to read. */
static int parse_options(int argc, char **argv, const struct cli_config *config,
                         struct cli_options *opts, char *err_out, size_t size)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    FILE *capture = tmpfile();
    assert_non_null(capture);
    dup2(fileno(capture), STDERR_FILENO);
    int parsed = cli_options_parse(argc, argv, config, opts);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(capture);
    size_t n = fread(err_out, 1, size - 1, capture);
    err_out[n] = '\0';
    fclose(capture);
    return parsed;
}

static void cli_config_command_line_wins(void **state)
{
    struct cli_config config = {0};
    struct cli_options opts;
    char err[1024];
    PARSE_OK(&config, "--container ts\n-q 480\n--retries 3\n-o ~/Videos\n");
    char *argv[] = {"rutube-dl", "-q", "best", "ID", NULL};
    assert_int_equal(parse_options(4, argv, &config, &opts, err, sizeof err), 0);
    assert_string_equal(opts.quality, "best");
    assert_int_equal(opts.download.container, RT_CONTAINER_TS);
    assert_int_equal(opts.client.retries, 3);
    assert_string_equal(opts.download.output_dir, HOME "/Videos");
    assert_int_equal(opts.address_count, 1);
    assert_string_equal(opts.addresses[0], "ID");
    assert_string_equal(err, "");
    /* Without the config: the defaults. */
    char *argv2[] = {"rutube-dl", "ID", NULL};
    assert_int_equal(parse_options(2, argv2, NULL, &opts, err, sizeof err), 0);
    assert_string_equal(opts.quality, "best");
    assert_int_equal(opts.download.container, RT_CONTAINER_MP4);
    cli_config_cleanup(&config);
}

/* Chapters are stored unless asked not to: in the config file, and the command line over it. */
static void cli_config_embed_chapters(void **state)
{
    (void)state;
    struct cli_config config = {0};
    struct cli_options opts;
    char err[1024];
    char *argv[] = {"rutube-dl", "ID", NULL};
    assert_int_equal(parse_options(2, argv, NULL, &opts, err, sizeof err), 0);
    assert_true(opts.download.embed_chapters);
    PARSE_OK(&config, "--no-embed-chapters # not in my files\n");
    assert_int_equal(parse_options(2, argv, &config, &opts, err, sizeof err), 0);
    assert_false(opts.download.embed_chapters);
    char *again[] = {"rutube-dl", "--embed-chapters", "ID", NULL};
    assert_int_equal(parse_options(3, again, &config, &opts, err, sizeof err), 0);
    assert_true(opts.download.embed_chapters);
    assert_string_equal(err, "");
    cli_config_cleanup(&config);
}

/* A config line `line` (on line 2 of "cfg") makes the options fail with `message`. */
static void expect_option_error(const char *line, const char *message)
{
    struct cli_config config = {0};
    struct cli_options opts;
    char text[256], err[1024];
    snprintf(text, sizeof text, "--quiet\n%s\n", line);
    parse_ok(&config, text, strlen(text));
    char *argv[] = {"rutube-dl", "ID", NULL};
    assert_int_equal(parse_options(2, argv, &config, &opts, err, sizeof err), -1);
    if (!strstr(err, message))
        fail_msg("expected \"%s\" in \"%s\"", message, err);
    cli_config_cleanup(&config);
}

static void cli_config_option_errors_name_the_line(void **state)
{
    expect_option_error("-q 12345678", "rutube-dl: cfg:2: quality \"12345678\" is not understood");
    expect_option_error("-q", "rutube-dl: cfg:2: option -q needs a value");
    expect_option_error("--frobnicate", "rutube-dl: cfg:2: unknown option --frobnicate");
    expect_option_error("--container ts https://rutube.ru/video/x/",
                        "rutube-dl: cfg:2: \"https://rutube.ru/video/x/\" is not an option");
    expect_option_error("--help", "rutube-dl: cfg:2: --help only works on the command line");
    expect_option_error("--ignore-config",
                        "rutube-dl: cfg:2: --ignore-config only works on the command line");
    expect_option_error("--config-location x", "cfg:2: --config-location only works");
    /* An error on the command line after a config says nothing about the config. */
    struct cli_config config = {0};
    struct cli_options opts;
    char err[1024];
    PARSE_OK(&config, "--quiet\n");
    char *argv[] = {"rutube-dl", "-q", "nonsense", "ID", NULL};
    assert_int_equal(parse_options(4, argv, &config, &opts, err, sizeof err), -1);
    assert_non_null(strstr(err, "rutube-dl: quality \"nonsense\""));
    cli_config_cleanup(&config);
}

/* --limit-rate: yt-dlp's RATE (binary multiples, decimals), from the command line or a
 * config line, the command line winning; 0 and garbage are usage errors. */
static uint64_t limit_from(const char *rate)
{
    struct cli_options opts;
    char err[1024];
    char *argv[] = {"rutube-dl", "--limit-rate", (char *)rate, "ID", NULL};
    if (parse_options(4, argv, NULL, &opts, err, sizeof err) != 0)
        fail_msg("--limit-rate %s refused: %s", rate, err);
    return opts.client.limit_rate;
}

static void cli_config_limit_rate(void **state)
{
    assert_int_equal(limit_from("1"), 1);
    assert_int_equal(limit_from("1000"), 1000);
    assert_int_equal(limit_from("50K"), 50 * 1024);
    assert_int_equal(limit_from("50k"), 50 * 1024);
    assert_int_equal(limit_from("2M"), 2 * 1048576);
    assert_int_equal(limit_from("2m"), 2 * 1048576);
    assert_int_equal(limit_from("4.2M"), 4404019); /* 4.2 * 1048576 = 4404019.2, rounded */
    assert_int_equal(limit_from("0.5K"), 512);
    assert_int_equal(limit_from("1.5G"), 1610612736);
    assert_int_equal(limit_from("0.0005K"), 1); /* 0.512 bytes, rounded up to 1 */
    assert_int_equal(limit_from("1048576G"), 1125899906842624ULL); /* 1 PiB/s: the most */

    struct cli_options opts;
    char err[1024];
    char *plain[] = {"rutube-dl", "ID", NULL};
    assert_int_equal(parse_options(2, plain, NULL, &opts, err, sizeof err), 0);
    assert_int_equal(opts.client.limit_rate, 0); /* no limit unless asked */
    char *short_form[] = {"rutube-dl", "-r", "300K", "ID", NULL};
    assert_int_equal(parse_options(4, short_form, NULL, &opts, err, sizeof err), 0);
    assert_int_equal(opts.client.limit_rate, 300 * 1024);
    char *joined_form[] = {"rutube-dl", "--limit-rate=1.5M", "ID", NULL};
    assert_int_equal(parse_options(3, joined_form, NULL, &opts, err, sizeof err), 0);
    assert_int_equal(opts.client.limit_rate, 1572864);

    /* A config key like any other; the command line wins. */
    struct cli_config config = {0};
    PARSE_OK(&config, "--limit-rate 2M\n");
    assert_int_equal(parse_options(2, plain, &config, &opts, err, sizeof err), 0);
    assert_int_equal(opts.client.limit_rate, 2 * 1048576);
    char *override[] = {"rutube-dl", "-r", "500K", "ID", NULL};
    assert_int_equal(parse_options(4, override, &config, &opts, err, sizeof err), 0);
    assert_int_equal(opts.client.limit_rate, 500 * 1024);
    cli_config_cleanup(&config);

    static const char *const bad[] = {
        "0",   "0.0", "0K",  "0.0004K", "-1",   "-2M",      "2MB",
        "2 M", " 2M", "1e3", ".5M",     "5.",   "5.M",      "2T",
        "M",   "",    "abc", "1,5M",    "0x10", "1048577G", "1234567890123456789"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *argv[] = {"rutube-dl", "--limit-rate", (char *)bad[i], "ID", NULL};
        assert_int_equal(parse_options(4, argv, NULL, &opts, err, sizeof err), -1);
        char expected[128];
        snprintf(expected, sizeof expected,
                 "rutube-dl: --limit-rate needs bytes a second above 0, such as 500K, 2M or "
                 "4.2M, not \"%s\"\n",
                 bad[i]);
        if (!strstr(err, expected))
            fail_msg("--limit-rate \"%s\": expected \"%s\" in \"%s\"", bad[i], expected, err);
    }
    expect_option_error("--limit-rate 0", "rutube-dl: cfg:2: --limit-rate needs bytes a second");
    expect_option_error("--limit-rate", "rutube-dl: cfg:2: option --limit-rate needs a value");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(cli_config_words_quotes_comments, set_home),
        cmocka_unit_test_setup(cli_config_home, set_home),
        cmocka_unit_test_setup(cli_config_bom_and_empty, set_home),
        cmocka_unit_test_setup(cli_config_errors, set_home),
        cmocka_unit_test_setup(cli_config_default_path_xdg, set_home),
        cmocka_unit_test_setup(cli_config_load_locations, set_home),
        cmocka_unit_test_setup(cli_config_command_line_wins, set_home),
        cmocka_unit_test_setup(cli_config_embed_chapters, set_home),
        cmocka_unit_test_setup(cli_config_option_errors_name_the_line, set_home),
        cmocka_unit_test_setup(cli_config_limit_rate, set_home),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
