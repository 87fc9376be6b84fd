/* Channels by name: https://rutube.ru/u/<name>/ and the number its page carries. */
#include "site/channel.h"
#include "base/i18n.h"

#include "base/buf.h"
#include "base/errors.h"
#include "base/http.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The page's state object: the JSON value after "window.reduxState =". */
static json_t *page_state(const char *html, size_t len)
{
    static const char marker[] = "window.reduxState";
    const char *end = html + len;
    for (const char *p = html; p && p < end;) {
        const char *found = memmem(p, (size_t)(end - p), marker, sizeof marker - 1);
        if (!found)
            return NULL;
        const char *q = found + sizeof marker - 1;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
            q++;
        if (q < end && *q == '=') {
            q++;
            while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
                q++;
            /* One value, whatever script follows it. */
            json_t *state = json_loadb(q, (size_t)(end - q), JSON_DISABLE_EOF_CHECK, NULL);
            if (json_is_object(state))
                return state;
            json_decref(state);
        }
        p = found + 1;
    }
    return NULL;
}

/* channel_id as digits, whether RuTube wrote it as a number or a string. */
static bool number_of(json_t *value, char *out, size_t size)
{
    if (json_is_integer(value) && json_integer_value(value) > 0) {
        snprintf(out, size, "%lld", (long long)json_integer_value(value));
        return true;
    }
    const char *text = json_string_value(value);
    size_t n = text ? strlen(text) : 0;
    if (n == 0 || n >= size || n > 18 || text[0] == '0' || strspn(text, "0123456789") != n)
        return false;
    memcpy(out, text, n + 1);
    return true;
}

enum rt_code rt__channel_parse_page(const char *html, size_t len, char *number, size_t size,
                                    struct rt_error *err)
{
    json_t *state = page_state(html, len);
    json_t *queries = json_object_get(json_object_get(state, "api"), "queries");
    const char *key;
    json_t *query;
    bool found = false;
    json_object_foreach(queries, key, query)
    {
        if (strncmp(key, "channelIdBySlug", 15) == 0 &&
            number_of(json_object_get(json_object_get(query, "data"), "channel_id"), number,
                      size)) {
            found = true;
            break;
        }
    }
    json_decref(state);
    if (!found)
        return rt__fail(err, RT_E_BAD_RESPONSE,
                        state ? _("the channel's page does not say the channel's number")
                              : _("the channel's page carries no state to read its number from"));
    return RT_OK;
}

enum rt_code rt__channel_resolve(struct rt_client *client, const struct rt_target *named,
                                 struct rt_target *out, struct rt_error *err)
{
    char url[512];
    struct rt__buf body;
    long status = 0;
    snprintf(url, sizeof url, "%s/u/%s/", client->api_base, named->id);
    rt__buf_init(&body, RT_CHANNEL_PAGE_MAX);
    const char *urls[] = {url};
    struct rt__request request = {.urls = urls,
                                  .url_count = 1,
                                  .what = _("the channel's page"),
                                  .pass_client_errors = true,
                                  .api = true};
    enum rt_code result = rt__http_get(client, &request, &body, &status, err);
    if (result == RT_OK && status != 200) {
        enum rt_code code = rt__http_judge(status).code;
        result = code == RT_E_NOT_FOUND
                     ? rt__fail(err, code, _("there is no channel of that name (HTTP %ld)"), status)
                     : rt__fail(err, code, _("the channel's page: HTTP %ld"), status);
    }
    if (result == RT_OK) {
        *out = *named;
        out->kind = RT_TARGET_CHANNEL;
        result = rt__channel_parse_page(body.data ? body.data : "", body.len, out->id,
                                        sizeof out->id, err);
    }
    if (result == RT_OK)
        rt__log(client, RT_LOG_DEBUG, "channel %s is channel %s", named->id, out->id);
    rt__buf_cleanup(&body);
    return result;
}
