/* rutube-dl's config file: default options, one a line, read before the command line. */
#include "cli.h"
#include "cli_i18n.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A config file is a few lines written by hand: past this it is something else. */
#define CONFIG_MAX_SIZE (1024 * 1024)

/* The home folder, for ~ and the default path: $HOME, else the password database's. */
static const char *home_folder(void)
{
    const char *home = getenv("HOME");
    if (home && *home)
        return home;
    const struct passwd *pw = getpwuid(getuid());
    return pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
}

bool cli_config_default_path(char *out, size_t size)
{
    /* The XDG base directory rules: a relative XDG_CONFIG_HOME is to be ignored. */
    const char *xdg = getenv("XDG_CONFIG_HOME");
    int n;
    if (xdg && xdg[0] == '/') {
        n = snprintf(out, size, "%s/rutube-dl/config", xdg);
    } else {
        const char *home = home_folder();
        n = home ? snprintf(out, size, "%s/.config/rutube-dl/config", home) : -1;
    }
    if (n < 0 || (size_t)n >= size) {
        if (size > 0)
            out[0] = '\0';
        return false;
    }
    return true;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* A line's words while they are being split: `argv` grows, NULL-terminated. */
struct words {
    char **argv;
    int argc;
};

static void words_cleanup(struct words *w)
{
    for (int i = 0; i < w->argc; i++)
        free(w->argv[i]);
    free(w->argv);
    w->argv = NULL;
    w->argc = 0;
}

static bool words_add(struct words *w, char *word)
{
    char **more = realloc(w->argv, (size_t)(w->argc + 2) * sizeof *more);
    if (!more) {
        free(word);
        return false;
    }
    w->argv = more;
    w->argv[w->argc++] = word;
    w->argv[w->argc] = NULL;
    return true;
}

/* A new string of the `len` bytes at `word`, with a leading ~ (or the ~ after "--option=")
 * turned into the home folder: yt-dlp expands ~ in its config's paths, quoted or not, and
 * `-o "~/My Videos"` is what people write. */
static char *expand_home(const char *word, size_t len)
{
    size_t at = 0;
    if (len >= 2 && word[0] == '-' && word[1] == '-') {
        const char *eq = memchr(word, '=', len);
        at = eq ? (size_t)(eq - word) + 1 : len;
    }
    const char *home = at < len && word[at] == '~' && (at + 1 == len || word[at + 1] == '/')
                           ? home_folder()
                           : NULL;
    if (!home)
        return strndup(word, len);
    size_t home_len = strlen(home);
    char *out = malloc(len + home_len);
    if (out) {
        memcpy(out, word, at);
        memcpy(out + at, home, home_len);
        memcpy(out + at + home_len, word + at + 1, len - at - 1);
        out[len + home_len - 1] = '\0';
    }
    return out;
}

/*
 * Split one line [p, end) into `w`, the words after "rutube-dl". `buffer` has room for the
 * line. Returns RT_OK, RT_E_USAGE with `*why` set, or RT_E_NOMEM.
 */
static enum rt_code split_line(const char *p, const char *end, char *buffer, struct words *w,
                               const char **why)
{
    for (;;) {
        while (p < end && is_blank(*p))
            p++;
        if (p == end || *p == '#')
            return RT_OK;
        size_t n = 0;
        bool quoted = false; /* "" and '' are words too, empty ones */
        while (p < end && !is_blank(*p)) {
            char c = *p++;
            if (c == '\'') {
                const char *close = memchr(p, '\'', (size_t)(end - p));
                if (!close) {
                    *why = _("a ' quote is not closed on this line");
                    return RT_E_USAGE;
                }
                memcpy(buffer + n, p, (size_t)(close - p));
                n += (size_t)(close - p);
                p = close + 1;
                quoted = true;
            } else if (c == '"') {
                while (p < end && *p != '"') {
                    if (*p == '\\' && p + 1 < end && strchr("\"\\$`", p[1]))
                        p++;
                    buffer[n++] = *p++;
                }
                if (p == end) {
                    *why = _("a \" quote is not closed on this line");
                    return RT_E_USAGE;
                }
                p++;
                quoted = true;
            } else if (c == '\\') {
                if (p == end) {
                    *why = _("the line ends with a backslash: an option and its value go on one "
                             "line");
                    return RT_E_USAGE;
                }
                buffer[n++] = *p++;
            } else {
                buffer[n++] = c;
            }
        }
        if (n == 0 && !quoted)
            continue;
        char *word = expand_home(buffer, n);
        if (!word || !words_add(w, word))
            return RT_E_NOMEM;
    }
}

/* Keep `w` (its words and all) as the config's next line. */
static bool add_line(struct cli_config *config, struct words *w, size_t number, const char *file)
{
    if (config->count == config->cap) {
        size_t cap = config->cap ? config->cap * 2 : 16;
        struct cli_config_line *more = realloc(config->lines, cap * sizeof *more);
        if (!more)
            return false;
        config->lines = more;
        config->cap = cap;
    }
    config->lines[config->count++] =
        (struct cli_config_line){.argv = w->argv, .argc = w->argc, .number = number, .file = file};
    w->argv = NULL;
    w->argc = 0;
    return true;
}

/* Forget the lines from `keep` on: what a failed parse added. */
static void drop_lines(struct cli_config *config, size_t keep)
{
    while (config->count > keep) {
        struct cli_config_line *line = &config->lines[--config->count];
        struct words w = {line->argv, line->argc};
        words_cleanup(&w);
    }
}

/* Remember `name` for the lines' messages; the copy lives as long as the config. */
static const char *keep_file_name(struct cli_config *config, const char *name)
{
    char **more = realloc(config->files, (config->file_count + 1) * sizeof *more);
    if (!more)
        return NULL;
    config->files = more;
    char *copy = strdup(name);
    if (copy)
        config->files[config->file_count++] = copy;
    return copy;
}

enum rt_code cli_config_parse(struct cli_config *config, const char *text, size_t len,
                              const char *name, char *error, size_t error_size)
{
    const char *end = text + len;
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        size_t line = 1;
        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        snprintf(error, error_size, _("%s:%zu: a NUL byte: this is not a text file"), name, line);
        return RT_E_USAGE;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3; /* a UTF-8 byte order mark, as some editors write */

    const char *file = keep_file_name(config, name);
    char *buffer = malloc(len + 1);
    if (!file || !buffer) {
        free(buffer);
        snprintf(error, error_size, "%s", rt_strerror(RT_E_NOMEM));
        return RT_E_NOMEM;
    }
    size_t first = config->count;
    enum rt_code result = RT_OK;
    size_t number = 0;
    for (const char *p = text; p < end && result == RT_OK;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        number++;
        struct words w = {0};
        const char *why = NULL;
        char *program = strdup("rutube-dl"); /* argv[0], as getopt_long() wants */
        result = program && words_add(&w, program) ? RT_OK : RT_E_NOMEM;
        if (result == RT_OK)
            result = split_line(p, eol, buffer, &w, &why);
        if (result == RT_OK && w.argc > 1 && !add_line(config, &w, number, file))
            result = RT_E_NOMEM;
        words_cleanup(&w);
        if (result == RT_E_USAGE)
            snprintf(error, error_size, "%s:%zu: %s", name, number, why);
        else if (result != RT_OK)
            snprintf(error, error_size, "%s", rt_strerror(result));
        p = eol + 1;
    }
    free(buffer);
    if (result != RT_OK)
        drop_lines(config, first);
    return result;
}

/* Read and parse one file. A missing file is fine when `optional`; a folder means the
 * `config` inside it when `in_folder` (--config-location). */
static enum rt_code load_file(struct cli_config *config, const char *path, bool optional,
                              bool in_folder, char *error, size_t error_size)
{
    char inside[4096];
    struct stat st;
    if (in_folder && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (snprintf(inside, sizeof inside, "%s/config", path) >= (int)sizeof inside) {
            snprintf(error, error_size, _("the config location %s is too long"), path);
            return RT_E_USAGE;
        }
        path = inside;
    }
    FILE *in = fopen(path, "r");
    if (!in) {
        if (optional && errno == ENOENT)
            return RT_OK;
        snprintf(error, error_size, _("cannot read the config file %s: %s"), path, strerror(errno));
        return RT_E_USAGE;
    }
    enum rt_code result = RT_OK;
    char *text = NULL;
    size_t len = 0;
    if (fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(error, error_size, _("the config file %s is not a file"), path);
        result = RT_E_USAGE;
    } else if (st.st_size > CONFIG_MAX_SIZE) {
        snprintf(error, error_size, _("the config file %s is over %d KiB: not a config file"), path,
                 CONFIG_MAX_SIZE / 1024);
        result = RT_E_USAGE;
    } else if (!(text = malloc((size_t)st.st_size + 1))) {
        snprintf(error, error_size, "%s", rt_strerror(RT_E_NOMEM));
        result = RT_E_NOMEM;
    } else {
        len = fread(text, 1, (size_t)st.st_size, in);
        if (ferror(in)) {
            snprintf(error, error_size, _("cannot read the config file %s: %s"), path,
                     strerror(errno));
            result = RT_E_IO;
        }
    }
    fclose(in);
    if (result == RT_OK)
        result = cli_config_parse(config, text, len, path, error, error_size);
    free(text);
    return result;
}

/* The `val` getopt_long() returns for the long option `name`. */
static int option_value(const char *name)
{
    for (const struct option *o = cli_long_options; o->name; o++)
        if (strcmp(o->name, name) == 0)
            return o->val;
    return -1;
}

enum rt_code cli_config_load(int argc, char **argv, struct cli_config *config, char *error,
                             size_t error_size)
{
    memset(config, 0, sizeof *config);
    /* getopt_long() moves words about: look at a copy, and leave it to start afresh. */
    char **copy = calloc((size_t)argc + 1, sizeof *copy);
    const char **locations = calloc((size_t)argc + 1, sizeof *locations);
    if (!copy || !locations) {
        free(copy);
        free(locations);
        snprintf(error, error_size, "%s", rt_strerror(RT_E_NOMEM));
        return RT_E_NOMEM;
    }
    memcpy(copy, argv, (size_t)argc * sizeof *copy);
    int ignore_config = option_value("ignore-config");
    int config_location = option_value("config-location");
    bool ignore = false;
    size_t location_count = 0;
    int c;
    opterr = 0;
    optind = 0;
    while ((c = getopt_long(argc, copy, cli_short_options, cli_long_options, NULL)) != -1) {
        if (c == ignore_config)
            ignore = true;
        else if (c == config_location)
            locations[location_count++] = optarg;
    }
    optind = 0;

    enum rt_code result = RT_OK;
    char path[4096];
    for (size_t i = 0; i < location_count && result == RT_OK; i++)
        result = load_file(config, locations[i], false, true, error, error_size);
    if (location_count == 0 && !ignore && cli_config_default_path(path, sizeof path))
        result = load_file(config, path, true, false, error, error_size);
    free(copy);
    free(locations);
    return result;
}

void cli_config_cleanup(struct cli_config *config)
{
    if (!config)
        return;
    drop_lines(config, 0);
    free(config->lines);
    for (size_t i = 0; i < config->file_count; i++)
        free(config->files[i]);
    free(config->files);
    memset(config, 0, sizeof *config);
}
