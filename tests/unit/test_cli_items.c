/* Unit tests for cli/cli_items.c: --playlist-items parsing, errors, membership and the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli_batch.h"

static void parse_ok(const char *spec, struct cli_items *items)
{
    char error[RT_ERROR_MESSAGE_SIZE];
    if (cli_items_parse(spec, items, error, sizeof error) != RT_OK)
        fail_msg("\"%s\": %s", spec, error);
}

/* The indices from 1 to `up_to` that `spec` names, as "1,3,5". */
static void members(const char *spec, size_t up_to, char *out, size_t size)
{
    struct cli_items items;
    size_t used = 0;
    parse_ok(spec, &items);
    out[0] = '\0';
    for (size_t i = 1; i <= up_to; i++)
        if (cli_items_contains(&items, i))
            used += (size_t)snprintf(out + used, size - used, "%s%zu", used ? "," : "", i);
    cli_items_cleanup(&items);
}

#define EXPECT_MEMBERS(spec, up_to, expected)                                                      \
    do {                                                                                           \
        char got_[256];                                                                            \
        members(spec, up_to, got_, sizeof got_);                                                   \
        assert_string_equal(got_, expected);                                                       \
    } while (0)

static void cli_items_single_and_ranges(void **state)
{
    EXPECT_MEMBERS("3", 10, "3");
    EXPECT_MEMBERS("1,3,5", 10, "1,3,5");
    EXPECT_MEMBERS("2-4", 10, "2,3,4");
    EXPECT_MEMBERS("2:4", 10, "2,3,4");
    EXPECT_MEMBERS("4-4", 10, "4");
    EXPECT_MEMBERS("8-", 10, "8,9,10");
    EXPECT_MEMBERS("8:", 10, "8,9,10");
    EXPECT_MEMBERS(":3", 10, "1,2,3");
    EXPECT_MEMBERS("-", 5, "1,2,3,4,5");
    EXPECT_MEMBERS(":", 5, "1,2,3,4,5");
    EXPECT_MEMBERS("9-inf", 10, "9,10");
    EXPECT_MEMBERS("9:infinite", 10, "9,10");
    /* yt-dlp's own example, less the part counted from the end. */
    EXPECT_MEMBERS("1:3,7", 15, "1,2,3,7");
}

static void cli_items_steps(void **state)
{
    EXPECT_MEMBERS("1:10:3", 12, "1,4,7,10");
    EXPECT_MEMBERS("2-9:3", 12, "2,5,8");
    EXPECT_MEMBERS("5::5", 20, "5,10,15,20");
    EXPECT_MEMBERS("::4", 12, "1,5,9");
}

static void cli_items_order_and_overlap(void **state)
{
    EXPECT_MEMBERS("7,1-3,2", 10, "1,2,3,7");
    EXPECT_MEMBERS(" 1 , 4-5 ,\t9 ", 10, "1,4,5,9");
    EXPECT_MEMBERS("3-6,5-8", 10, "3,4,5,6,7,8");
}

static void expect_error(const char *spec, const char *message)
{
    char error[RT_ERROR_MESSAGE_SIZE];
    struct cli_items items;
    assert_int_equal(cli_items_parse(spec, &items, error, sizeof error), RT_E_USAGE);
    assert_string_equal(error, message);
    assert_null(items.ranges);
    assert_int_equal(items.count, 0);
    cli_items_cleanup(&items);
}

static void cli_items_errors(void **state)
{
    expect_error("0", "\"0\" in --playlist-items: videos are numbered from 1, not 0");
    expect_error("3,0-5", "\"0-5\" in --playlist-items: videos are numbered from 1, not 0");
    expect_error("1:0", "\"1:0\" in --playlist-items: videos are numbered from 1, not 0");
    expect_error("5-3", "\"5-3\" in --playlist-items: the range ends before it starts");
    expect_error("1:9:0", "\"1:9:0\" in --playlist-items: a step of 0 goes nowhere");
    expect_error("abc", "\"abc\" in --playlist-items is not a number or a range (like 3, 1-5, "
                        "7- or 1:9:2)");
    expect_error("1, 2 3", "\"2 3\" in --playlist-items is not a number or a range (like 3, "
                           "1-5, 7- or 1:9:2)");
    expect_error("1-2-3", "\"1-2-3\" in --playlist-items is not a number or a range (like 3, "
                          "1-5, 7- or 1:9:2)");
    expect_error("1:5:", "\"1:5:\" in --playlist-items is not a number or a range (like 3, 1-5, "
                         "7- or 1:9:2)");
    expect_error("inf", "\"inf\" in --playlist-items is not a number or a range (like 3, 1-5, "
                        "7- or 1:9:2)");
    expect_error("2x", "\"2x\" in --playlist-items is not a number or a range (like 3, 1-5, 7- "
                       "or 1:9:2)");
    expect_error("-3", "\"-3\" in --playlist-items: counting from the end is not supported; "
                       "number the videos from 1");
    expect_error("1--3", "\"1--3\" in --playlist-items: counting from the end is not supported; "
                         "number the videos from 1");
    expect_error("9:1:-1", "\"9:1:-1\" in --playlist-items: steps backwards are not supported");
    expect_error("1,,2", "--playlist-items has an empty part: one comma too many?");
    expect_error("1,", "--playlist-items has an empty part: one comma too many?");
    expect_error("", "--playlist-items needs at least one number");
    expect_error("  ", "--playlist-items needs at least one number");
}

static void cli_items_overflow(void **state)
{
    char huge[64];
    /* SIZE_MAX itself means "to the end", so it is one too many. */
    snprintf(huge, sizeof huge, "%zu", (size_t)SIZE_MAX);
    char message[128];
    snprintf(message, sizeof message, "\"%s\" in --playlist-items: the number is too large", huge);
    expect_error(huge, message);
    expect_error("99999999999999999999999999-",
                 "\"99999999999999999999999999-\" in --playlist-items: the number is too large");
    expect_error("1-99999999999999999999999999",
                 "\"1-99999999999999999999999999\" in --playlist-items: the number is too large");
    expect_error("1::99999999999999999999999999",
                 "\"1::99999999999999999999999999\" in --playlist-items: the number is too large");

    /* The largest number that is not SIZE_MAX still works. */
    snprintf(huge, sizeof huge, "%zu", (size_t)SIZE_MAX - 1);
    struct cli_items items;
    parse_ok(huge, &items);
    assert_true(cli_items_contains(&items, SIZE_MAX - 1));
    assert_false(cli_items_contains(&items, SIZE_MAX - 2));
    assert_int_equal(cli_items_last(&items), SIZE_MAX - 1);
    cli_items_cleanup(&items);

    /* A spec nobody typed is refused before "%.*s" could be asked to print it. */
    char *longer = malloc(5000);
    assert_non_null(longer);
    memset(longer, '1', 4999);
    longer[4999] = '\0';
    char error[RT_ERROR_MESSAGE_SIZE];
    assert_int_equal(cli_items_parse(longer, &items, error, sizeof error), RT_E_USAGE);
    free(longer);
}

static size_t last_of(const char *spec)
{
    struct cli_items items;
    parse_ok(spec, &items);
    size_t last = cli_items_last(&items);
    cli_items_cleanup(&items);
    return last;
}

static void cli_items_last_index(void **state)
{
    assert_int_equal(last_of("3"), 3);
    assert_int_equal(last_of("7,1-3"), 7);
    assert_int_equal(last_of("1-3,12,5-9"), 12);
    assert_int_equal(last_of("2-4,6-"), SIZE_MAX);
    assert_int_equal(last_of(":5"), 5);
    assert_int_equal(last_of("1-inf"), SIZE_MAX);
    /* A step can stop short of the range's stated end. */
    assert_int_equal(last_of("1:10:4"), 9);
    assert_int_equal(last_of("1:10:3"), 10);

    struct cli_items empty = {0};
    assert_int_equal(cli_items_last(&empty), 0);
    assert_false(cli_items_contains(&empty, 1));
    cli_items_cleanup(&empty);
    cli_items_cleanup(NULL);
}

static void cli_items_membership_edges(void **state)
{
    struct cli_items items;
    parse_ok("2-4,10:20:5", &items);
    assert_false(cli_items_contains(&items, 0));
    assert_false(cli_items_contains(&items, 1));
    assert_true(cli_items_contains(&items, 2));
    assert_true(cli_items_contains(&items, 4));
    assert_false(cli_items_contains(&items, 5));
    assert_true(cli_items_contains(&items, 15));
    assert_false(cli_items_contains(&items, 16));
    assert_true(cli_items_contains(&items, 20));
    assert_false(cli_items_contains(&items, 25));
    assert_false(cli_items_contains(&items, SIZE_MAX));
    assert_int_equal(items.count, 2);
    cli_items_cleanup(&items);

    parse_ok("3-", &items);
    assert_true(cli_items_contains(&items, SIZE_MAX - 1));
    cli_items_cleanup(&items);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cli_items_single_and_ranges), cmocka_unit_test(cli_items_steps),
        cmocka_unit_test(cli_items_order_and_overlap), cmocka_unit_test(cli_items_errors),
        cmocka_unit_test(cli_items_overflow),          cmocka_unit_test(cli_items_last_index),
        cmocka_unit_test(cli_items_membership_edges),
    };
    return cmocka_run_group_tests_name("cli_items", tests, NULL, NULL);
}
