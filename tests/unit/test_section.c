/* Unit tests for lib/output/section.c: parts of a video as people write them, and their names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "output/section.h"

static void expect_range(const char *text, double start, double end)
{
    double s = -1, e = -1;
    struct rt_error err = {0};
    assert_int_equal(rt_section_parse(text, &s, &e, &err), RT_OK);
    assert_true(fabs(s - start) < 1e-9);
    if (isinf(end))
        assert_true(isinf(e));
    else
        assert_true(fabs(e - end) < 1e-9);
}

static void expect_refused(const char *text, const char *words)
{
    double s = 7, e = 7;
    struct rt_error err = {0};
    assert_int_equal(rt_section_parse(text, &s, &e, &err), RT_E_USAGE);
    assert_non_null(strstr(err.message, words));
    assert_true(s == 7 && e == 7); /* untouched */
}

static void section_times_in_every_form(void **state)
{
    (void)state;
    expect_range("*1:00-2:30", 60, 150);
    expect_range("1:00-2:30", 60, 150); /* the star is optional */
    expect_range("*90-120.5", 90, 120.5);
    expect_range("*1:02:03-1:02:04.25", 3723, 3724.25);
    expect_range("*0:00:05-0:10", 5, 10);
    expect_range("*10:15-inf", 615, HUGE_VAL);
    expect_range("*10:15-", 615, HUGE_VAL);
    expect_range("*-5:00", 0, 300);
}

static void section_nonsense_refused(void **state)
{
    (void)state;
    expect_refused("*2:30-1:00", "ends before it starts");
    expect_refused("*1:00-1:00", "ends before it starts");
    expect_refused("*1:75-2:00", "\"1:75\" is not a time");
    expect_refused("*1.5:00-2:00", "\"1.5:00\" is not a time");
    expect_refused("*1:2:3:4-9", "is not a time");
    expect_refused("*ten-twenty", "\"ten\" is not a time");
    expect_refused("*10-twenty", "\"twenty\" is not a time");
    expect_refused("*1:00", "is not a time range");
    expect_refused("intro", "is not a time range");
    expect_refused("* 1-2", "is not a time");
    expect_refused("*99999999999-inf", "is not a time");
    double s, e;
    assert_int_equal(rt_section_parse(NULL, &s, &e, NULL), RT_E_USAGE);
}

static void section_names(void **state)
{
    (void)state;
    char out[64];
    rt__section_suffix(60, 150, false, out, sizeof out);
    assert_string_equal(out, " [1:00-2:30]");
    rt__section_suffix(3723, 3724.5, false, out, sizeof out);
    assert_string_equal(out, " [1:02:03-1:02:04.5]");
    rt__section_suffix(50, HUGE_VAL, false, out, sizeof out);
    assert_string_equal(out, " [0:50-end]");
    rt__section_suffix(10, 25, true, out, sizeof out);
    assert_string_equal(out, "_0_10-0_25");
    assert_false(rt__section_is_set(0, 0));
    assert_false(rt__section_is_set(0, HUGE_VAL));
    assert_true(rt__section_is_set(0, 5));
    assert_true(rt__section_is_set(50, HUGE_VAL));
}

/* A chapter's file: its number padded so names sort, its title made safe and cut whole. */
static void chapter_names(void **state)
{
    (void)state;
    char out[300];
    rt__chapter_suffix(3, 7, "Итоги 🎬", false, 100, out, sizeof out);
    assert_string_equal(out, " - 003 Итоги 🎬");
    rt__chapter_suffix(3, 7, "Итоги / выводы", true, 100, out, sizeof out);
    assert_string_equal(out, "_003_Itogi_vyvody");
    rt__chapter_suffix(42, 1200, "x", false, 100, out, sizeof out);
    assert_string_equal(out, " - 0042 x");
    rt__chapter_suffix(1, 2, "../..", false, 100, out, sizeof out);
    assert_null(strchr(out, '/'));
    rt__chapter_suffix(1, 2, "   ", false, 100, out, sizeof out);
    assert_string_equal(out, " - 001"); /* nothing usable left: the number alone */
    rt__chapter_suffix(1, 2, "Вступление", false, 0, out, sizeof out);
    assert_string_equal(out, " - 001");
    rt__chapter_suffix(1, 2, "Вступление", false, 5, out, sizeof out);
    assert_string_equal(out, " - 001 Вс"); /* 5 bytes: two letters, not half of a third */
    rt__chapter_suffix(1, 2, "Вступление", false, 100, out, 8);
    assert_int_equal(strlen(out), 7); /* a small buffer: cut, terminated */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(section_times_in_every_form),
        cmocka_unit_test(section_nonsense_refused),
        cmocka_unit_test(section_names),
        cmocka_unit_test(chapter_names),
    };
    return cmocka_run_group_tests_name("section", tests, NULL, NULL);
}
