/* Unit tests for lib/base/http.c's pure parts: the one status rule, backoff, host names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/http.h"

static void expect_verdict(long status, enum rt_code code, bool retry)
{
    struct rt__http_verdict v = rt__http_judge(status);
    if (v.code != code || v.retry != retry)
        fail_msg("HTTP %ld: %s, retry %d; expected %s, retry %d", status, rt_code_name(v.code),
                 v.retry, rt_code_name(code), retry);
}

/* API calls and segments go by the same table: what a status means, and whether asking the
 * same host again can help. */
static void http_status_rule(void **state)
{
    expect_verdict(200, RT_OK, false);
    expect_verdict(206, RT_OK, false);
    expect_verdict(500, RT_E_HTTP, true);
    expect_verdict(503, RT_E_HTTP, true);
    expect_verdict(599, RT_E_HTTP, true);
    expect_verdict(429, RT_E_HTTP, true);
    expect_verdict(404, RT_E_NOT_FOUND, false);
    expect_verdict(410, RT_E_NOT_FOUND, false);
    expect_verdict(401, RT_E_FORBIDDEN, false);
    expect_verdict(403, RT_E_FORBIDDEN, false);
    expect_verdict(400, RT_E_HTTP, false);
    expect_verdict(416, RT_E_HTTP, false);
    expect_verdict(302, RT_E_HTTP, false); /* a redirect libcurl did not follow */
    expect_verdict(0, RT_E_HTTP, false);
}

static void http_backoff_grows_with_jitter(void **state)
{
    for (int i = 0; i < 200; i++) {
        double first = rt__http_backoff(1, 0.5, 5.0), late = rt__http_backoff(10, 0.5, 5.0);
        assert_true(first >= 0.25 && first <= 0.75);
        assert_true(late >= 2.5 && late <= 7.5);
    }
}

static void http_host_of_an_address(void **state)
{
    char host[32];
    rt__http_host("https://river-1.rutube.ru/hls/x.m3u8?i=1", host, sizeof host);
    assert_string_equal(host, "river-1.rutube.ru");
    rt__http_host("http://127.0.0.1:8080", host, sizeof host);
    assert_string_equal(host, "127.0.0.1:8080");
    rt__http_host("https://a-very-long-host-name-indeed.example.org/", host, 8);
    assert_string_equal(host, "a-very-");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(http_status_rule),
        cmocka_unit_test(http_backoff_grows_with_jitter),
        cmocka_unit_test(http_host_of_an_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
