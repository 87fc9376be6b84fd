/* Reading the addresses of a batch file: one a line, or split by the user's delimiter. */
#include "cli_batch.h"
#include "cli_i18n.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char utf8_bom[] = "\xEF\xBB\xBF";

static bool is_blank(char c)
{
    /* ASCII only: isspace() would depend on the locale, and a batch file does not. */
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Read everything from `in` into a NUL-terminated buffer of at most CLI_BATCH_MAX_SIZE bytes
 * before the NUL. */
static enum rt_code slurp(FILE *in, const char *name, char **text, size_t *len, char *error,
                          size_t error_size)
{
    size_t cap = 0, used = 0;
    char *data = NULL;
    enum rt_code result = RT_OK;

    for (;;) {
        if (used == cap) {
            /* Reading one byte past the cap tells a file of exactly the cap from a larger
             * one; the buffer never grows further. */
            if (cap > CLI_BATCH_MAX_SIZE) {
                snprintf(error, error_size,
                         _("%s is larger than %zu MiB: that is not a list of addresses"), name,
                         CLI_BATCH_MAX_SIZE / (1024 * 1024));
                result = RT_E_USAGE;
                goto out;
            }
            size_t grown = cap ? cap * 2 : 64 * 1024;
            if (grown > CLI_BATCH_MAX_SIZE + 1)
                grown = CLI_BATCH_MAX_SIZE + 1;
            char *bigger = realloc(data, grown + 1);
            if (!bigger) {
                snprintf(error, error_size, _("out of memory reading %s"), name);
                result = RT_E_NOMEM;
                goto out;
            }
            data = bigger;
            cap = grown;
        }
        size_t got = fread(data + used, 1, cap - used, in);
        used += got;
        if (got == 0) {
            if (ferror(in)) {
                snprintf(error, error_size, _("cannot read %s: %s"), name, strerror(errno));
                result = RT_E_IO;
                goto out;
            }
            break;
        }
    }
    /* The loop allocates before its first read, so `data` is set here. */
    data[used] = '\0';
    *text = data;
    *len = used;
    data = NULL;
out:
    free(data);
    return result;
}

/* The line (1-based) of the byte at `offset`. */
static size_t line_at(const char *text, size_t offset)
{
    size_t line = 1;
    for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + offset - p))) != NULL; p++)
        line++;
    return line;
}

/* Refuse what is not UTF-8 text before cutting it up, naming the line of the first fault. */
static enum rt_code check_text(const char *text, size_t len, const char *name, char *error,
                               size_t error_size)
{
    if (len >= 2 && (memcmp(text, "\xFF\xFE", 2) == 0 || memcmp(text, "\xFE\xFF", 2) == 0)) {
        snprintf(error, error_size, _("%s is UTF-16 text; save it as UTF-8 and try again"), name);
        return RT_E_USAGE;
    }
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        snprintf(error, error_size, _("%s:%zu: a NUL byte: this is not a plain text file"), name,
                 line_at(text, (size_t)(nul - text)));
        return RT_E_USAGE;
    }
    return RT_OK;
}

static enum rt_code add_item(struct cli_batch *batch, size_t *cap, const char *address, size_t line)
{
    if (batch->count == *cap) {
        size_t grown = *cap ? *cap * 2 : 16;
        struct cli_batch_item *bigger = realloc(batch->items, grown * sizeof *bigger);
        if (!bigger)
            return RT_E_NOMEM;
        batch->items = bigger;
        *cap = grown;
    }
    batch->items[batch->count].address = address;
    batch->items[batch->count].line = line;
    batch->count++;
    return RT_OK;
}

/* Which characters start a comment: yt-dlp's three, less one the delimiter begins with. */
struct comment_rules {
    bool hash, semicolon, bracket;
};

static bool starts_comment(const struct comment_rules *rules, char c)
{
    return (c == '#' && rules->hash) || (c == ';' && rules->semicolon) ||
           (c == ']' && rules->bracket);
}

/* The end of the line's content once an inline comment (white space, then '#') is cut. */
static char *strip_inline_comment(const struct comment_rules *rules, char *start, char *end)
{
    if (!rules->hash)
        return end;
    for (char *p = start + 1; p < end; p++)
        if (*p == '#' && is_blank(p[-1]))
            return p;
    return end;
}

/* Add the items of the line [start, end) to `batch`, NUL-terminating each in place. */
static enum rt_code split_line(struct cli_batch *batch, size_t *cap, char *start, char *end,
                               size_t line, const char *delimiter,
                               const struct comment_rules *rules)
{
    size_t delimiter_len = delimiter ? strlen(delimiter) : 0;
    while (start < end && is_blank(*start))
        start++;
    if (start == end || starts_comment(rules, *start))
        return RT_OK;
    end = strip_inline_comment(rules, start, end);

    char *item = start;
    while (item <= end) {
        char *stop = end;
        if (delimiter_len) {
            char *found = memmem(item, (size_t)(end - item), delimiter, delimiter_len);
            if (found)
                stop = found;
        }
        char *next = stop == end ? end + 1 : stop + delimiter_len;
        while (item < stop && is_blank(*item))
            item++;
        while (stop > item && is_blank(stop[-1]))
            stop--;
        if (stop > item) {
            /* `*stop` is white space, a delimiter, the line's end or the buffer's final NUL:
             * nothing still to be read. */
            *stop = '\0';
            if (add_item(batch, cap, item, line) != RT_OK)
                return RT_E_NOMEM;
        }
        item = next;
    }
    return RT_OK;
}

enum rt_code cli_batch_read(FILE *in, const char *name, const char *delimiter,
                            struct cli_batch *out, char *error, size_t error_size)
{
    struct cli_batch batch = {0};
    size_t cap = 0, len = 0;
    char *text = NULL;
    enum rt_code result;

    memset(out, 0, sizeof *out);
    if (error && error_size)
        error[0] = '\0';
    result = slurp(in, name, &text, &len, error, error_size);
    if (result != RT_OK)
        goto out;
    batch.text = text;

    /* The BOM is dropped before checking, so that a UTF-8 file is never taken for UTF-16. */
    char *p = text;
    if (len >= 3 && memcmp(p, utf8_bom, 3) == 0)
        p += 3;
    char *end = text + len;
    result = check_text(p, (size_t)(end - p), name, error, error_size);
    if (result != RT_OK)
        goto out;

    if (delimiter && (delimiter[0] == '\0' || strcmp(delimiter, "\n") == 0))
        delimiter = NULL;
    struct comment_rules rules = {true, true, true};
    if (delimiter) {
        rules.hash = delimiter[0] != '#';
        rules.semicolon = delimiter[0] != ';';
        rules.bracket = delimiter[0] != ']';
    }

    for (size_t line = 1; p < end; line++) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        result = split_line(&batch, &cap, p, eol, line, delimiter, &rules);
        if (result != RT_OK) {
            snprintf(error, error_size, _("out of memory reading %s"), name);
            goto out;
        }
        p = eol + 1;
    }
    *out = batch;
    batch = (struct cli_batch){0};
out:
    cli_batch_cleanup(&batch);
    return result;
}

void cli_batch_cleanup(struct cli_batch *batch)
{
    if (!batch)
        return;
    free(batch->items);
    free(batch->text);
    memset(batch, 0, sizeof *batch);
}
