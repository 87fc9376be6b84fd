/* Unit tests for lib/base/abi.c: option structs that carry their size, older and newer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/abi.h"
#include "base/client.h"
#include "rutube/rutube.h"

/* A program built when rt_client_options ended before `timeout`: the library gives the fields
 * it lacks their defaults, not zeros, and reads nothing past its struct. */
static void abi_older_struct_gets_defaults(void **state)
{
    size_t cut = offsetof(struct rt_client_options, timeout);
    unsigned char older[sizeof(struct rt_client_options) + 16];
    memset(older, 0xAA, sizeof older); /* what lies past the program's struct */
    struct rt_client_options *given = (struct rt_client_options *)older;
    rt_client_options_init_size(given, cut);
    assert_int_equal(given->size, cut);
    assert_int_equal(given->jobs, RT_DEFAULT_JOBS); /* inside: the default */
    assert_int_equal(older[cut], 0xAA);             /* past it: untouched */
    given->jobs = 3;

    struct rt_client_options taken;
    rt_client_options_init(&taken);
    assert_true(rt__options_take(&taken, sizeof taken, given));
    assert_int_equal(taken.size, sizeof taken);
    assert_int_equal(taken.jobs, 3);                     /* the program's */
    assert_int_equal(taken.timeout, RT_DEFAULT_TIMEOUT); /* not the 0xAA bytes past it */
    assert_string_equal(taken.api_base, RT_DEFAULT_API_BASE);
}

/* A program built against a later header (a bigger struct): the library fills what it knows,
 * zeros the rest, and takes only its own fields back. */
static void abi_newer_struct_is_read_as_far_as_known(void **state)
{
    unsigned char newer[sizeof(struct rt_download_options) + 32];
    memset(newer, 0xAA, sizeof newer);
    struct rt_download_options *given = (struct rt_download_options *)newer;
    rt_download_options_init_size(given, sizeof newer);
    assert_int_equal(given->size, sizeof newer);
    assert_string_equal(given->output_dir, ".");
    for (size_t i = sizeof(struct rt_download_options); i < sizeof newer; i++)
        assert_int_equal(newer[i], 0);
    given->container = RT_CONTAINER_MKV;
    struct rt_download_options taken;
    rt_download_options_init(&taken);
    assert_true(rt__options_take(&taken, sizeof taken, given));
    assert_int_equal(taken.container, RT_CONTAINER_MKV);
    assert_int_equal(taken.size, sizeof taken);
}

/* A program built before embed_chapters (0.2's first struct ended at progress_data) gets
 * chapters, the default, rather than the zero it never wrote. */
static void abi_older_download_options_embed_chapters(void **state)
{
    (void)state;
    size_t cut = offsetof(struct rt_download_options, embed_chapters);
    unsigned char older[sizeof(struct rt_download_options)];
    memset(older, 0, sizeof older);
    struct rt_download_options *given = (struct rt_download_options *)older;
    rt_download_options_init_size(given, cut);
    assert_int_equal(given->size, cut);
    /* As rt_download_new() takes them: today's defaults, then the program's struct. */
    struct rt_download_options taken;
    rt_download_options_init(&taken);
    assert_true(rt__options_take(&taken, sizeof taken, given));
    assert_int_equal(taken.size, sizeof taken);
    assert_true(taken.embed_chapters);
    /* A program that knows the field and turns it off is heard. */
    rt_download_options_init(given);
    given->embed_chapters = false;
    rt_download_options_init(&taken);
    assert_true(rt__options_take(&taken, sizeof taken, given));
    assert_false(taken.embed_chapters);
}

/* A struct no init filled says no size: refused, so the program hears of it instead of
 * losing its settings silently; NULL means every default. */
static void abi_struct_without_init_is_refused(void **state)
{
    struct rt_collection_options zeroed = {0}, taken;
    zeroed.max_entries = 5;
    rt_collection_options_init(&taken);
    assert_false(rt__options_take(&taken, sizeof taken, &zeroed));
    assert_true(rt__options_take(&taken, sizeof taken, NULL));
    assert_int_equal(taken.max_entries, 0);

    struct rt_client *client = NULL;
    struct rt_client_options raw;
    memset(&raw, 0, sizeof raw);
    struct rt_error err = {0};
    assert_int_equal(rt_client_new(&raw, &client, &err), RT_E_USAGE);
    assert_null(client);
    assert_non_null(strstr(err.message, "rt_client_options_init()"));
}

/* A 0.2 program built before limit_rate (its struct ends at api_proxy), with garbage where
 * the field would be: its client has no speed limit, and one set later takes. */
static void abi_limit_rate_defaults_to_none(void **state)
{
    size_t cut = offsetof(struct rt_client_options, limit_rate);
    unsigned char older[sizeof(struct rt_client_options) + 16];
    memset(older, 0xAA, sizeof older);
    struct rt_client_options *given = (struct rt_client_options *)older;
    rt_client_options_init_size(given, cut);
    struct rt_client *client = NULL;
    struct rt_error err = {0};
    assert_int_equal(rt_client_new(given, &client, &err), RT_OK);
    assert_int_equal(rt__rate_limit(&client->rate), 0);
    rt_client_set_limit_rate(client, 2097152);
    assert_int_equal(rt__rate_limit(&client->rate), 2097152);
    rt_client_set_limit_rate(client, 0);
    assert_int_equal(rt__rate_limit(&client->rate), 0);
    rt_client_free(client);
    rt_client_set_limit_rate(NULL, 1); /* accepted, nothing done */

    /* Today's struct: the default is none, and a value set is the client's. */
    struct rt_client_options opts;
    rt_client_options_init(&opts);
    assert_int_equal(opts.limit_rate, 0);
    opts.limit_rate = 500 * 1024;
    assert_int_equal(rt_client_new(&opts, &client, &err), RT_OK);
    assert_int_equal(rt__rate_limit(&client->rate), 500 * 1024);
    rt_client_free(client);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(abi_older_struct_gets_defaults),
        cmocka_unit_test(abi_newer_struct_is_read_as_far_as_known),
        cmocka_unit_test(abi_older_download_options_embed_chapters),
        cmocka_unit_test(abi_struct_without_init_is_refused),
        cmocka_unit_test(abi_limit_rate_defaults_to_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
