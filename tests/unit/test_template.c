/* Unit tests for lib/output/template.c and the ASCII mode of lib/output/name.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output/name.h"
#include "rutube/rutube.h"

#define ID "2ce725b3dc1a243f8456458975ecd872"

static struct rt_video video(const char *title)
{
    struct rt_video v;
    memset(&v, 0, sizeof v);
    v.id = (char *)ID;
    v.title = (char *)title;
    v.author = (char *)"PREMIER онлайн-кинотеатр";
    v.author_id = (char *)"5518074";
    v.published = (char *)"2024-10-29T12:00:00";
    v.duration = 59.329;
    return v;
}

static const struct rt_format format = {1280, 712, 4166000, 25, (char *)"", NULL, 0, false};

static const char *expand(const char *tpl, const char *title, bool ascii)
{
    static char out[1024];
    struct rt_video v = video(title);
    struct rt_error err = {0};
    if (rt_filename_from_template(tpl, &v, &format, "mp4", ascii, out, sizeof out, &err) != RT_OK)
        fail_msg("\"%s\": %s", tpl, err.message);
    return out;
}

static void template_default_and_fields(void **state)
{
    assert_string_equal(expand(NULL, "Пальцы | Трейлер | PREMIER", false),
                        "Пальцы | Трейлер | PREMIER.mp4");
    assert_string_equal(expand("%(id)s.%(ext)s", "x", false), ID ".mp4");
    assert_string_equal(expand("%(upload_date)s %(title)s [%(height)sp].%(ext)s", "Кино", false),
                        "20241029 Кино [712p].mp4");
    assert_string_equal(expand("%(author)s/%(title)s.%(ext)s", "Кино", false),
                        "PREMIER онлайн-кинотеатр/Кино.mp4");
    assert_string_equal(
        expand("%(uploader)s-%(author_id)s-%(resolution)s-%(width)d-%(duration)s", "x", false),
        "PREMIER онлайн-кинотеатр-5518074-1280x712-1280-59");
    assert_string_equal(expand("100%% %(title)s", "x", false), "100% x");
}

static void template_fields_cannot_add_folders(void **state)
{
    const char *out = expand("%(title)s.%(ext)s", "../../etc/passwd", false);
    assert_null(strchr(out, '/'));
    out = expand("videos/%(title)s.%(ext)s", "a/b", false);
    assert_string_equal(out, "videos/a_b.mp4");
}

static void template_missing_values(void **state)
{
    struct rt_video v = video("");
    v.published = (char *)"";
    v.author = (char *)"";
    char out[512];
    struct rt_error err = {0};
    assert_int_equal(rt_filename_from_template("%(title)s %(author)s %(upload_date)s.%(ext)s", &v,
                                               NULL, "mp4", false, out, sizeof out, &err),
                     RT_OK);
    assert_string_equal(out, ID " NA NA.mp4");
    assert_int_equal(
        rt_filename_from_template("%(height)s", &v, NULL, "mp4", false, out, sizeof out, &err),
        RT_OK);
    assert_string_equal(out, "NA");
}

static void template_errors(void **state)
{
    struct rt_video v = video("x");
    char out[512];
    const char *bad[] = {"%(nope)s", "%(title", "%(title)x", "50%", "%s", "dir/", ".", ".."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rt_error err = {0};
        if (rt_filename_from_template(bad[i], &v, &format, "mp4", false, out, sizeof out, &err) !=
            RT_E_USAGE)
            fail_msg("\"%s\" accepted as \"%s\"", bad[i], out);
        assert_true(strlen(err.message) > 0);
    }
}

static void template_long_title_fits(void **state)
{
    char title[3000] = "";
    for (int i = 0; i < 100; i++)
        strcat(title, "Очень длинное ");
    const char *out = expand("%(id)s - %(title)s.%(ext)s", title, false);
    assert_true(strlen(out) <= RT_FILENAME_MAX);
    assert_string_equal(out + strlen(out) - 4, ".mp4");
    assert_true(strncmp(out, ID " - Очень", strlen(ID " - Очень")) == 0);
}

/* Found by fuzz_name: the title in a folder and in the file name, and over 200 bytes, used to
 * overflow a buffer; a reserved stem pushed a long name to 201 bytes. */
static void template_title_twice_and_long(void **state)
{
    char title[400];
    memset(title, 'a', 300);
    title[300] = '\0';
    const char *out = expand("%(title)s/%(title)s.%(ext)s", title, false);
    const char *slash = strchr(out, '/');
    assert_non_null(slash);
    assert_true(strlen(slash + 1) <= RT_FILENAME_MAX);
    assert_string_equal(out + strlen(out) - 4, ".mp4");

    char con[400] = "CON.";
    memset(con + 4, 'a', 300);
    con[304] = '\0';
    out = expand(NULL, con, false);
    assert_true(strlen(out) <= RT_FILENAME_MAX);
    assert_true(strncmp(out, "CON_.", 5) == 0);

    out = expand("%(title)s %(title)s %(title)s.%(ext)s", title, false);
    assert_true(strlen(out) <= RT_FILENAME_MAX);
}

static void restrict_transliterates(void **state)
{
    assert_string_equal(expand(NULL, "Пальцы | Трейлер", true), "Paltsy_Treiler.mp4");
    assert_string_equal(expand(NULL, "Пальцы | Трейлер | PREMIER", true),
                        "Paltsy_Treiler_PREMIER.mp4");
    assert_string_equal(expand(NULL, "Щука и ёж: Юля, Яна, Жора, Чук, Гек, Шура, Хан, Цой", true),
                        "Shchuka_i_iozh_Iulia_Iana_Zhora_Chuk_Gek_Shura_Khan_Tsoi.mp4");
    assert_string_equal(expand(NULL, "Їжак і Ґанок, Єва", true), "Yizhak_i_Ganok_Ieva.mp4");
    assert_string_equal(expand(NULL, "Café déjà vu", true), "Cafe_deja_vu.mp4");
    assert_string_equal(expand(NULL, "🎬 Кино 🍿", true), "Kino.mp4");
    assert_string_equal(expand("%(author)s.%(ext)s", "x", true), "PREMIER_onlain_kinoteatr.mp4");
}

static void template_reserved_device_names(void **state)
{
    assert_string_equal(expand(NULL, "CON", false), "CON_.mp4");
    assert_string_equal(expand(NULL, "con", true), "con_.mp4");
    assert_string_equal(expand("%(title)s.info.%(ext)s", "LPT1", false), "LPT1_.info.mp4");
    assert_string_equal(expand(NULL, "CONSOLE", false), "CONSOLE.mp4");
    assert_string_equal(expand("dir/%(title)s.%(ext)s", "AUX", false), "dir/AUX_.mp4");
}

static void restrict_never_empty(void **state)
{
    assert_string_equal(expand(NULL, "🎬🍿!!!", true), ID ".mp4");
    assert_string_equal(expand(NULL, "../../", true), ID ".mp4");
    assert_string_equal(expand(NULL, "", true), ID ".mp4");
    char out[64];
    assert_int_equal(rt__name_clean("ъЪьЬ", true, out, sizeof out - 1), 0);
}

static void restrict_hostile_titles_are_plain_ascii(void **state)
{
    const char *titles[] = {"../../x",
                            "/etc/passwd",
                            "a\x01\x02\x7f b",
                            "CON",
                            "---",
                            "\xE2\x80\xAE"
                            "evil",
                            "\xFF\xFE bad utf8"};
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
        const char *out = expand("%(title)s", titles[i], true);
        assert_true(strlen(out) > 0);
        for (const char *p = out; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '_'))
                fail_msg("\"%s\" gave \"%s\"", titles[i], out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(template_default_and_fields),
        cmocka_unit_test(template_fields_cannot_add_folders),
        cmocka_unit_test(template_missing_values),
        cmocka_unit_test(template_errors),
        cmocka_unit_test(template_long_title_fits),
        cmocka_unit_test(restrict_transliterates),
        cmocka_unit_test(template_reserved_device_names),
        cmocka_unit_test(template_title_twice_and_long),
        cmocka_unit_test(restrict_never_empty),
        cmocka_unit_test(restrict_hostile_titles_are_plain_ascii),
    };
    return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
