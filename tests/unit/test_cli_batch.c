/* Unit tests for cli/cli_batch.c: batch file formats, comments, line numbers, hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli_batch.h"

/* A stream holding `len` bytes of `text`. */
static FILE *stream_of(const char *text, size_t len)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    rewind(f);
    return f;
}

/* Read `text` (a string literal, NULs included) with `delimiter`; the read must succeed. */
#define READ_OK(batch, text, delimiter) read_ok(batch, text, sizeof(text) - 1, delimiter)

static void read_ok(struct cli_batch *batch, const char *text, size_t len, const char *delimiter)
{
    char error[RT_ERROR_MESSAGE_SIZE];
    FILE *f = stream_of(text, len);
    enum rt_code result = cli_batch_read(f, "batch.txt", delimiter, batch, error, sizeof error);
    fclose(f);
    if (result != RT_OK)
        fail_msg("cli_batch_read: %s", error);
}

/* Check that `batch` holds `count` items: address, line, address, line... */
static void expect_items(const struct cli_batch *batch, size_t count, ...)
{
    va_list ap;
    assert_int_equal(batch->count, count);
    va_start(ap, count);
    for (size_t i = 0; i < count; i++) {
        const char *address = va_arg(ap, const char *);
        size_t line = va_arg(ap, size_t);
        assert_string_equal(batch->items[i].address, address);
        assert_int_equal(batch->items[i].line, line);
    }
    va_end(ap);
}

static void cli_batch_one_a_line(void **state)
{
    struct cli_batch b;
    READ_OK(&b,
            "https://rutube.ru/video/c6cc4d620b1d4338901770a44b3e82f4/\n"
            "c6cc4d620b1d4338901770a44b3e82f5\n",
            NULL);
    expect_items(&b, 2, "https://rutube.ru/video/c6cc4d620b1d4338901770a44b3e82f4/", (size_t)1,
                 "c6cc4d620b1d4338901770a44b3e82f5", (size_t)2);
    cli_batch_cleanup(&b);

    /* No final newline; white space around the addresses. */
    READ_OK(&b, "  aaa \t\n\tbbb", NULL);
    expect_items(&b, 2, "aaa", (size_t)1, "bbb", (size_t)2);
    cli_batch_cleanup(&b);
}

/* The original tool's -f FILE -d ",": everything on one line, or one a line with commas. */
static void cli_batch_original_tool_formats(void **state)
{
    struct cli_batch b;
    READ_OK(&b, "aaa,bbb,ccc\n", ",");
    expect_items(&b, 3, "aaa", (size_t)1, "bbb", (size_t)1, "ccc", (size_t)1);
    cli_batch_cleanup(&b);

    READ_OK(&b, "aaa,\nbbb,\nccc", ",");
    expect_items(&b, 3, "aaa", (size_t)1, "bbb", (size_t)2, "ccc", (size_t)3);
    cli_batch_cleanup(&b);

    READ_OK(&b, "aaa, bbb ,\n , ccc,ddd\n,,\n", ",");
    expect_items(&b, 4, "aaa", (size_t)1, "bbb", (size_t)1, "ccc", (size_t)2, "ddd", (size_t)2);
    cli_batch_cleanup(&b);

    /* Without -d a comma is part of the item: rt_target_parse() will say what is wrong. */
    READ_OK(&b, "aaa,bbb\n", NULL);
    expect_items(&b, 1, "aaa,bbb", (size_t)1);
    cli_batch_cleanup(&b);
}

static void cli_batch_comments(void **state)
{
    struct cli_batch b;
    READ_OK(&b,
            "# my list\n"
            "   ; old entries\n"
            "]also a comment\n"
            "aaa # the first one\n"
            "https://rutube.ru/video/bbb/#t=10\n"
            "\n"
            "  \t \n"
            "ccc\t#tabbed note\n"
            "#ddd\n",
            NULL);
    expect_items(&b, 3, "aaa", (size_t)4, "https://rutube.ru/video/bbb/#t=10", (size_t)5, "ccc",
                 (size_t)8);
    cli_batch_cleanup(&b);

    /* A comment cuts the rest of its line, delimiters included. */
    READ_OK(&b, "aaa, bbb # ccc, ddd\n# eee, fff\nggg", ",");
    expect_items(&b, 3, "aaa", (size_t)1, "bbb", (size_t)1, "ggg", (size_t)3);
    cli_batch_cleanup(&b);
}

/* A delimiter that yt-dlp would take for a comment marker splits instead. */
static void cli_batch_delimiter_beats_comment(void **state)
{
    struct cli_batch b;
    READ_OK(&b, "aaa;bbb\n;ccc\n# note\n", ";");
    expect_items(&b, 3, "aaa", (size_t)1, "bbb", (size_t)1, "ccc", (size_t)2);
    cli_batch_cleanup(&b);

    READ_OK(&b, "aaa#bbb\n#ccc # ddd\n; note\n", "#");
    expect_items(&b, 4, "aaa", (size_t)1, "bbb", (size_t)1, "ccc", (size_t)2, "ddd", (size_t)2);
    cli_batch_cleanup(&b);
}

static void cli_batch_crlf(void **state)
{
    struct cli_batch b;
    READ_OK(&b, "aaa\r\nbbb\r\n\r\n# note\r\nccc\r\n", NULL);
    expect_items(&b, 3, "aaa", (size_t)1, "bbb", (size_t)2, "ccc", (size_t)5);
    cli_batch_cleanup(&b);

    READ_OK(&b, "aaa,bbb\r\nccc,\r\n", ",");
    expect_items(&b, 3, "aaa", (size_t)1, "bbb", (size_t)1, "ccc", (size_t)2);
    cli_batch_cleanup(&b);
}

static void cli_batch_bom(void **state)
{
    struct cli_batch b;
    READ_OK(&b,
            "\xEF\xBB\xBF"
            "aaa\nbbb\n",
            NULL);
    expect_items(&b, 2, "aaa", (size_t)1, "bbb", (size_t)2);
    cli_batch_cleanup(&b);

    /* A comment right after the BOM is still a comment. */
    READ_OK(&b, "\xEF\xBB\xBF# list\naaa\n", NULL);
    expect_items(&b, 1, "aaa", (size_t)2);
    cli_batch_cleanup(&b);

    /* Only at the start: elsewhere the bytes belong to the item. */
    READ_OK(&b,
            "aaa\n\xEF\xBB\xBF"
            "bbb\n",
            NULL);
    expect_items(&b, 2, "aaa", (size_t)1,
                 "\xEF\xBB\xBF"
                 "bbb",
                 (size_t)2);
    cli_batch_cleanup(&b);
}

static void cli_batch_empty(void **state)
{
    struct cli_batch b;
    READ_OK(&b, "", NULL);
    expect_items(&b, 0);
    cli_batch_cleanup(&b);

    READ_OK(&b, "\xEF\xBB\xBF", NULL);
    expect_items(&b, 0);
    cli_batch_cleanup(&b);

    READ_OK(&b, "\n\n  \n# only a comment\n, ,\n", ",");
    expect_items(&b, 0);
    cli_batch_cleanup(&b);
}

static void cli_batch_custom_delimiters(void **state)
{
    struct cli_batch b;
    READ_OK(&b, "aaa||bbb|ccc||\n||ddd", "||");
    expect_items(&b, 3, "aaa", (size_t)1, "bbb|ccc", (size_t)1, "ddd", (size_t)2);
    cli_batch_cleanup(&b);

    /* Multi-byte UTF-8: a full-width semicolon. */
    READ_OK(&b,
            "aaa\xEF\xBC\x9B"
            "bbb\xEF\xBC\x9B\nccc",
            "\xEF\xBC\x9B");
    expect_items(&b, 3, "aaa", (size_t)1, "bbb", (size_t)1, "ccc", (size_t)2);
    cli_batch_cleanup(&b);

    /* A space splits too; trimming happens after splitting. */
    READ_OK(&b, "aaa bbb  ccc\nddd", " ");
    expect_items(&b, 4, "aaa", (size_t)1, "bbb", (size_t)1, "ccc", (size_t)1, "ddd", (size_t)2);
    cli_batch_cleanup(&b);

    /* "" and "\n" mean the default; a delimiter with a line break adds nothing. */
    READ_OK(&b, "aaa,bbb\nccc\n", "");
    expect_items(&b, 2, "aaa,bbb", (size_t)1, "ccc", (size_t)2);
    cli_batch_cleanup(&b);
    READ_OK(&b, "aaa,bbb\nccc\n", "\n");
    expect_items(&b, 2, "aaa,bbb", (size_t)1, "ccc", (size_t)2);
    cli_batch_cleanup(&b);
    READ_OK(&b, "aaa\r\nbbb\n", "\r\n");
    expect_items(&b, 2, "aaa", (size_t)1, "bbb", (size_t)2);
    cli_batch_cleanup(&b);
}

/* Line numbers stay right across lines of several items, blank lines and comments. */
static void cli_batch_line_numbers(void **state)
{
    struct cli_batch b;
    READ_OK(&b,
            "a1, a2\n"
            "\n"
            "# skip\n"
            "b1\r\n"
            " , c1 , c2 , c3\n"
            "\n"
            "d1,\n",
            ",");
    expect_items(&b, 7, "a1", (size_t)1, "a2", (size_t)1, "b1", (size_t)4, "c1", (size_t)5, "c2",
                 (size_t)5, "c3", (size_t)5, "d1", (size_t)7);
    cli_batch_cleanup(&b);
}

static enum rt_code read_error(const char *text, size_t len, char *error, size_t size)
{
    struct cli_batch b;
    FILE *f = stream_of(text, len);
    enum rt_code result = cli_batch_read(f, "batch.txt", NULL, &b, error, size);
    fclose(f);
    assert_int_equal(b.count, 0);
    assert_null(b.items);
    assert_null(b.text);
    cli_batch_cleanup(&b);
    return result;
}

static void cli_batch_refuses_binary(void **state)
{
    char error[RT_ERROR_MESSAGE_SIZE];
    static const char nul[] = "aaa\n# fine\nbb\0b\nccc\n";
    assert_int_equal(read_error(nul, sizeof nul - 1, error, sizeof error), RT_E_USAGE);
    assert_string_equal(error, "batch.txt:3: a NUL byte: this is not a plain text file");

    static const char utf16[] = "\xFF\xFE"
                                "a\0a\0\n\0";
    assert_int_equal(read_error(utf16, sizeof utf16 - 1, error, sizeof error), RT_E_USAGE);
    assert_non_null(strstr(error, "UTF-16"));

    /* No room for the message: the code alone says it. */
    assert_int_equal(read_error(nul, sizeof nul - 1, NULL, 0), RT_E_USAGE);
}

/* A stream of `remaining` bytes of 'a', made as it is read: no 64 MiB fixture on disk. */
static ssize_t endless_read(void *cookie, char *buf, size_t size)
{
    size_t *remaining = cookie;
    size_t n = size < *remaining ? size : *remaining;
    memset(buf, 'a', n);
    *remaining -= n;
    return (ssize_t)n;
}

static FILE *stream_of_size(size_t *remaining)
{
    cookie_io_functions_t io = {.read = endless_read};
    FILE *f = fopencookie(remaining, "r", io);
    assert_non_null(f);
    return f;
}

static void cli_batch_size_cap(void **state)
{
    char error[RT_ERROR_MESSAGE_SIZE];
    struct cli_batch b;

    size_t remaining = CLI_BATCH_MAX_SIZE + 1;
    FILE *f = stream_of_size(&remaining);
    assert_int_equal(cli_batch_read(f, "big.txt", NULL, &b, error, sizeof error), RT_E_USAGE);
    fclose(f);
    assert_string_equal(error, "big.txt is larger than 64 MiB: that is not a list of addresses");
    assert_int_equal(b.count, 0);

    /* Exactly the cap is allowed. */
    remaining = CLI_BATCH_MAX_SIZE;
    f = stream_of_size(&remaining);
    assert_int_equal(cli_batch_read(f, "big.txt", NULL, &b, error, sizeof error), RT_OK);
    fclose(f);
    assert_int_equal(b.count, 1);
    assert_int_equal(strlen(b.items[0].address), CLI_BATCH_MAX_SIZE);
    cli_batch_cleanup(&b);
}

static void cli_batch_read_error(void **state)
{
    char error[RT_ERROR_MESSAGE_SIZE];
    struct cli_batch b;
    /* A directory opens as a stream on Linux, and reading it fails with EISDIR. */
    FILE *f = fopen(".", "r");
    assert_non_null(f);
    assert_int_equal(cli_batch_read(f, "folder", NULL, &b, error, sizeof error), RT_E_IO);
    fclose(f);
    assert_string_equal(error, "cannot read folder: Is a directory");
    assert_int_equal(b.count, 0);
    cli_batch_cleanup(&b);
    cli_batch_cleanup(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cli_batch_one_a_line),
        cmocka_unit_test(cli_batch_original_tool_formats),
        cmocka_unit_test(cli_batch_comments),
        cmocka_unit_test(cli_batch_delimiter_beats_comment),
        cmocka_unit_test(cli_batch_crlf),
        cmocka_unit_test(cli_batch_bom),
        cmocka_unit_test(cli_batch_empty),
        cmocka_unit_test(cli_batch_custom_delimiters),
        cmocka_unit_test(cli_batch_line_numbers),
        cmocka_unit_test(cli_batch_refuses_binary),
        cmocka_unit_test(cli_batch_size_cap),
        cmocka_unit_test(cli_batch_read_error),
    };
    return cmocka_run_group_tests_name("cli_batch", tests, NULL, NULL);
}
