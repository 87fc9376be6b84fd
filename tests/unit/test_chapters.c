/* Unit tests for lib/site/chapters.c: the chapters a RuTube description lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rutube/rutube.h"

/* The chapters of `description`, as "start-end title" lines: one string to compare. */
static char *listed(const char *description, double duration)
{
    struct rt_chapter *chapters = (struct rt_chapter *)0x1;
    size_t count = 99;
    assert_int_equal(rt_chapters_from_description(description, duration, &chapters, &count), RT_OK);
    if (count == 0)
        assert_null(chapters);
    size_t size = 64 + count * (RT_CHAPTER_TITLE_MAX + 48);
    char *out = malloc(size);
    assert_non_null(out);
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        const struct rt_chapter *c = &chapters[i];
        /* What every list promises, whatever the text. */
        assert_true(c->start < c->end);
        assert_true(i == 0 ? c->start == 0 : c->start == chapters[i - 1].end);
        assert_true(c->title && c->title[0] && strlen(c->title) <= RT_CHAPTER_TITLE_MAX);
        len += (size_t)snprintf(out + len, size - len, "%g-%g %s\n", c->start, c->end, c->title);
    }
    if (count > 0)
        assert_true(chapters[count - 1].end <= duration);
    rt_chapters_free(chapters);
    return out;
}

#define assert_chapters(description, duration, expected)                                           \
    do {                                                                                           \
        char *got_ = listed((description), (duration));                                            \
        assert_string_equal(got_, (expected));                                                     \
        free(got_);                                                                                \
    } while (0)

static void chapters_russian_timecodes(void **state)
{
    (void)state;
    assert_chapters("Разбираем новый сезон.\n\nТаймкоды:\n0:00 Вступление\n0:20 Основная часть\n"
                    "0:45 Итоги\n\nПодписывайтесь на канал и ставьте лайки!\n#обзор #сериалы",
                    60.48, "0-20 Вступление\n20-45 Основная часть\n45-60.48 Итоги\n");
}

static void chapters_hours_and_leading_zeros(void **state)
{
    (void)state;
    assert_chapters("00:00:00 - Начало стрима\n00:05:30 — Обзор патча\n01:02:03 | Финал\n"
                    "1:30:00 Ответы на вопросы",
                    6000,
                    "0-330 Начало стрима\n330-3723 Обзор патча\n3723-5400 Финал\n"
                    "5400-6000 Ответы на вопросы\n");
    /* Minutes past an hour without hours, as many write them. */
    assert_chapters("00:00 Часть 1\n75:30 Часть 2\n99:59 Часть 3", 7200,
                    "0-4530 Часть 1\n4530-5999 Часть 2\n5999-7200 Часть 3\n");
}

static void chapters_separators(void **state)
{
    (void)state;
    assert_chapters("0:00. Один\n1:00: Два\n2:00 – Три\n3:00 | Четыре\n[4:00] Пять\n(5:00) Шесть\n"
                    "• 6:00 Семь\n▶️ 7:00 Восемь\n- 8:00 Девять\n9:00 - - "
                    "«Десять»\n"
                    "🔥10:00 — Одиннадцать\n  \t11:00\tДвенадцать\n* 12:00 -> Тринадцать",
                    800,
                    "0-60 Один\n60-120 Два\n120-180 Три\n180-240 Четыре\n240-300 Пять\n"
                    "300-360 Шесть\n360-420 Семь\n420-480 Восемь\n480-540 Девять\n"
                    "540-600 «Десять»\n600-660 Одиннадцать\n660-720 Двенадцать\n"
                    "720-800 Тринадцать\n");
}

/* Lines that hold a timestamp without being a chapter; the two real ones still make a list. */
static void chapters_not_every_timestamp(void **state)
{
    (void)state;
    assert_chapters("Смотрите с 5:00, там самое интересное.\n"
                    "0:00 Вступление\n"
                    "0:50\n"                    /* alone on its line */
                    "1:00-Слитно\n"             /* glued: yt-dlp wants a blank */
                    "В 1:30 начнётся финал\n"   /* inside a line */
                    "1:45Вплотную\n"            /* a letter right after */
                    "0:75 Секунд больше 60\n"   /* not a time */
                    "1:60:00 Минут больше 60\n" /* not a time */
                    "123:45 Три цифры минут\n"  /* not a time */
                    "12:34:5 Обрезано\n"        /* not a time */
                    "#1:30 Хэштег\n"            /* a number, not a bullet */
                    "$12:50 Цена\n"
                    "№ 2:15 Номер\n"
                    "1.12:30 Дробь\n"
                    "2:00 Вторая часть",
                    300, "0-120 Вступление\n120-300 Вторая часть\n");
}

static void chapters_sorted_deduplicated_within_duration(void **state)
{
    (void)state;
    /* yt-dlp sorts what it finds; a second line of the same time and times at or past the end
     * are dropped. */
    assert_chapters("00:00 — Начало\n0:40 | Вопросы зрителей\n0:15 - Ответ «эксперта» 😀\n"
                    "0:15 Тот же момент ещё раз\n5:00 Бонус (после титров)\n1:00 Ровно конец\n"
                    "1:00:00 Конец",
                    60, "0-15 Начало\n15-40 Ответ «эксперта» 😀\n40-60 Вопросы зрителей\n");
}

static void chapters_need_two(void **state)
{
    (void)state;
    assert_chapters("0:00 Единственная глава", 60, "");
    assert_chapters("0:30 Одна\n2:00 За концом", 60, "");
    assert_chapters("Без таймкодов вовсе.", 60, "");
    assert_chapters("", 60, "");
    assert_chapters(NULL, 60, "");
}

/* A first chapter after 0:00 gets an untitled one before it, as yt-dlp adds it. */
static void chapters_untitled_first(void **state)
{
    (void)state;
    assert_chapters("0:10 Первая\n0:30 Вторая", 45,
                    "0-10 <Untitled Chapter 1>\n10-30 Первая\n30-45 Вторая\n");
}

/* Only when no line starts with a timestamp: lines that end with one. */
static void chapters_trailing_timestamps(void **state)
{
    (void)state;
    assert_chapters("Содержание:\nВступление - 0:00\nОсновная часть — 0:20\nИтоги 0:45\n"
                    "Ссылка: https://rutube.ru/video/2ce725b3dc1a243f8456458975ecd872/",
                    60, "0-20 Вступление\n20-45 Основная часть\n45-60 Итоги\n");
    /* Both kinds: the leading ones win. */
    assert_chapters("0:00 Начало\nСередина - 0:10\n0:30 Конец", 60, "0-30 Начало\n30-60 Конец\n");
    /* A title must end in a letter or digit, the time be whole and after a blank. */
    assert_chapters("Вступление (0:00)\nИтоги:0:45", 60, "");
}

static void chapters_titles_kept(void **state)
{
    (void)state;
    /* Windows line ends, blanks around, a no-break space inside, emoji and another script. */
    assert_chapters("0:00   Вступление  \r\n0:20 Основная\xc2\xa0часть 🎬\r\n0:45 日本語 ✅\r\n", 60,
                    "0-20 Вступление\n20-45 Основная\xc2\xa0часть 🎬\n45-60 日本語 ✅\n");
    /* Bytes that are not UTF-8 become U+FFFD; control characters spaces. */
    assert_chapters("0:00 A\xff"
                    "B\n0:10 C\x01"
                    "D\x1b[31m\n",
                    20,
                    "0-10 A\xef\xbf\xbd"
                    "B\n10-20 C D [31m\n");
    /* A title of control characters only is no title. */
    assert_chapters("0:00 \x01\x02\n0:10 Раз\n0:20 Два", 30,
                    "0-10 <Untitled Chapter 1>\n10-20 Раз\n20-30 Два\n");
}

/* A long title is cut to RT_CHAPTER_TITLE_MAX bytes, between characters. */
static void chapters_long_title_cut(void **state)
{
    (void)state;
    char description[2048] = "0:00 ";
    for (int i = 0; i < 300; i++)
        strcat(description, "ж"); /* two bytes each */
    strcat(description, "\n0:10 Дальше");
    struct rt_chapter *chapters;
    size_t count;
    assert_int_equal(rt_chapters_from_description(description, 20, &chapters, &count), RT_OK);
    assert_int_equal(count, 2);
    assert_int_equal(strlen(chapters[0].title), 254);
    assert_memory_equal(chapters[0].title, description + 5, 254);
    assert_string_equal(chapters[1].title, "Дальше");
    rt_chapters_free(chapters);
}

/* At most RT_CHAPTERS_MAX chapters: the next time ends the last one kept. */
static void chapters_capped(void **state)
{
    (void)state;
    size_t size = 3000 * 32;
    char *description = malloc(size);
    assert_non_null(description);
    size_t len = 0;
    for (int i = 0; i < 3000; i++)
        len += (size_t)snprintf(description + len, size - len, "%d:%02d:%02d Глава %d\n", i / 3600,
                                i / 60 % 60, i % 60, i + 1);
    struct rt_chapter *chapters;
    size_t count;
    assert_int_equal(rt_chapters_from_description(description, 10000, &chapters, &count), RT_OK);
    assert_int_equal(count, RT_CHAPTERS_MAX);
    assert_string_equal(chapters[254].title, "Глава 255");
    assert_true(chapters[254].start == 254 && chapters[254].end == 255);
    rt_chapters_free(chapters);
    /* Only the first 1024 timestamped lines are read: the real list is further down. */
    len = 0;
    for (int i = 0; i < 1100; i++)
        len += (size_t)snprintf(description + len, size - len, "0:00 Шум %d\n", i);
    snprintf(description + len, size - len, "0:10 Поздно\n0:20 Слишком поздно\n");
    assert_int_equal(rt_chapters_from_description(description, 60, &chapters, &count), RT_OK);
    assert_int_equal(count, 0);
    free(description);
}

static void chapters_need_a_duration(void **state)
{
    (void)state;
    const char *text = "0:00 Раз\n0:10 Два";
    assert_chapters(text, 0, "");
    assert_chapters(text, -5, "");
    assert_chapters(text, NAN, "");
    assert_chapters(text, INFINITY, "");
    struct rt_chapter *chapters;
    size_t count;
    assert_int_equal(rt_chapters_from_description(text, 60, NULL, &count), RT_E_USAGE);
    assert_int_equal(rt_chapters_from_description(text, 60, &chapters, NULL), RT_E_USAGE);
    rt_chapters_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chapters_russian_timecodes),
        cmocka_unit_test(chapters_hours_and_leading_zeros),
        cmocka_unit_test(chapters_separators),
        cmocka_unit_test(chapters_not_every_timestamp),
        cmocka_unit_test(chapters_sorted_deduplicated_within_duration),
        cmocka_unit_test(chapters_need_two),
        cmocka_unit_test(chapters_untitled_first),
        cmocka_unit_test(chapters_trailing_timestamps),
        cmocka_unit_test(chapters_titles_kept),
        cmocka_unit_test(chapters_long_title_cut),
        cmocka_unit_test(chapters_capped),
        cmocka_unit_test(chapters_need_a_duration),
    };
    return cmocka_run_group_tests_name("chapters", tests, NULL, NULL);
}
