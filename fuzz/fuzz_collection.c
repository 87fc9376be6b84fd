/* Fuzz target for RuTube's list answers: collection pages (rt__collection_add_page), the Yappy
 * page (rt__yappy_parse) and a channel's HTML page (rt__channel_parse_page). The first byte
 * chooses which. */
#include "fuzz.h"

#include "site/api.h"
#include "site/channel.h"
#include "site/collection.h"
#include "site/yappy.h"

static void fuzz_pages(const char *json, size_t len)
{
    struct rt_collection c = {0};
    struct rt__collection_builder b = {.collection = &c, .max_entries = len % 7};
    /* The same bytes twice: the second page must add nothing new. */
    for (int round = 0; round < 2; round++) {
        struct rt__page page;
        struct rt_error err = {0};
        size_t before = c.count;
        enum rt_code result = rt__collection_add_page(&b, json, len, "fuzz", NULL, &page, &err);
        if (result != RT_OK) {
            FUZZ_CHECK(result == RT_E_BAD_RESPONSE);
            FUZZ_CHECK_ERROR(err, result);
            FUZZ_CHECK(c.count == before);
            break;
        }
        FUZZ_CHECK(page.added <= page.listed);
        FUZZ_CHECK(c.count == before + page.added);
        FUZZ_CHECK(round == 0 || page.added == 0 || b.max_entries != 0);
    }
    for (size_t i = 0; i < c.count; i++) {
        const struct rt_entry *e = &c.entries[i];
        FUZZ_CHECK(e->id && strlen(e->id) == 32 && strspn(e->id, "0123456789abcdef") == 32);
        FUZZ_CHECK(e->title && e->author && e->url);
        FUZZ_CHECK(strncasecmp(e->url, "http://", 7) == 0 ||
                   strncasecmp(e->url, "https://", 8) == 0);
        FUZZ_CHECK(e->duration >= 0);
        for (size_t k = 0; k < i; k++)
            FUZZ_CHECK(strcmp(c.entries[k].id, e->id) != 0);
    }
    FUZZ_CHECK(b.max_entries == 0 || c.count <= b.max_entries);
    rt__collection_builder_cleanup(&b);
    for (size_t i = 0; i < c.count; i++) {
        free(c.entries[i].id);
        free(c.entries[i].title);
        free(c.entries[i].url);
        free(c.entries[i].author);
    }
    free(c.entries);
}

static void fuzz_yappy(const char *json, size_t len)
{
    struct rt_video v;
    struct rt_error err = {0};
    enum rt_code result = rt__yappy_parse(json, len, "clip1", &v, &err);
    if (result != RT_OK) {
        FUZZ_CHECK(result == RT_E_BAD_RESPONSE || result == RT_E_NOT_FOUND);
        FUZZ_CHECK_ERROR(err, result);
        FUZZ_CHECK(v.id == NULL && v.format_count == 0);
        return;
    }
    FUZZ_CHECK(strcmp(v.id, "clip1") == 0 && v.is_yappy && v.title && *v.title);
    FUZZ_CHECK(v.format_count == 1 && v.formats[0].is_file && v.formats[0].mirror_count == 1);
    FUZZ_CHECK(strncasecmp(v.formats[0].mirrors[0], "http", 4) == 0);
    rt__video_cleanup(&v);
}

static void fuzz_channel_page(const char *html, size_t len)
{
    char number[24];
    struct rt_error err = {0};
    enum rt_code result = rt__channel_parse_page(html, len, number, sizeof number, &err);
    if (result != RT_OK) {
        FUZZ_CHECK(result == RT_E_BAD_RESPONSE);
        FUZZ_CHECK_ERROR(err, result);
        return;
    }
    FUZZ_CHECK(number[0] >= '1' && number[0] <= '9');
    FUZZ_CHECK(strspn(number, "0123456789") == strlen(number) && strlen(number) <= 19);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *text = (const char *)data + 1;
    switch (data[0] % 3) {
    case 0:
        fuzz_pages(text, size - 1);
        break;
    case 1:
        fuzz_yappy(text, size - 1);
        break;
    default:
        fuzz_channel_page(text, size - 1);
        break;
    }
    return 0;
}
