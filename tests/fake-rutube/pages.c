/* Recorded list pages: real RuTube answers (tests/data/real) a collection serves as they are. */
#include "fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The recorded pages are some tens of KiB; anything near this is not one of them. */
#define MAX_PAGE (16u * 1024 * 1024)

/* A file name inside pages_dir: no way out of it. */
static bool is_plain_name(const char *name)
{
    return name[0] && name[0] != '.' && !strchr(name, '/');
}

/* A page must at least be a JSON object: a truncated copy is a mistake, not a test. */
static int check_json(const struct fake_blob *blob, const char *path)
{
    json_error_t error;
    json_t *page = json_loadb(blob->data, blob->len, 0, &error);
    bool is_object = json_is_object(page);
    json_decref(page);
    if (!is_object) {
        fprintf(stderr, FAKE_PROGRAM ": %s is not a JSON object (%s)\n", path, error.text);
        return -1;
    }
    return 0;
}

int fake_pages_load(struct fake_collection *c, json_t *entry, const char *pages_dir)
{
    json_t *list = json_object_get(entry, "pages");
    if (!json_is_array(list) || json_array_size(list) == 0) {
        fprintf(stderr, FAKE_PROGRAM ": collection %lld: \"pages\" must list file names\n",
                c->number);
        return -1;
    }
    c->pages = calloc(json_array_size(list), sizeof *c->pages);
    if (!c->pages)
        return -1;
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        const char *name = json_string_value(item);
        if (!name || !is_plain_name(name)) {
            fprintf(stderr, FAKE_PROGRAM ": collection %lld: a page is a file name in %s\n",
                    c->number, pages_dir);
            return -1;
        }
        size_t size = strlen(pages_dir) + strlen(name) + 2;
        char *path = malloc(size);
        if (!path)
            return -1;
        snprintf(path, size, "%s/%s", pages_dir, name);
        int loaded = fake_read_file(path, MAX_PAGE, &c->pages[c->page_count]);
        if (loaded == 0) {
            c->page_count++;
            loaded = check_json(&c->pages[c->page_count - 1], path);
        }
        free(path);
        if (loaded != 0)
            return -1;
    }
    return 0;
}

void fake_pages_cleanup(struct fake_collection *c)
{
    for (size_t i = 0; i < c->page_count; i++)
        free(c->pages[i].data);
    free(c->pages);
    c->pages = NULL;
    c->page_count = 0;
}

void fake_pages_reply(const struct fake_collection *c, long long page, struct fake_reply *reply)
{
    if (page > (long long)c->page_count) {
        /* Past the recording: the same empty last page as every other list. */
        fake_reply_json(reply, MHD_HTTP_OK,
                        json_pack("{s:b, s:n, s:I, s:I, s:[]}", "has_next", 0, "next", "page",
                                  (json_int_t)page, "per_page", (json_int_t)c->per_page,
                                  "results"));
        return;
    }
    /* The bytes as recorded, rutube.ru's own "next" addresses included; they live until exit. */
    const struct fake_blob *blob = &c->pages[page - 1];
    reply->response =
        MHD_create_response_from_buffer(blob->len, blob->data, MHD_RESPMEM_PERSISTENT);
    if (!reply->response)
        return;
    MHD_add_response_header(reply->response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    reply->status = MHD_HTTP_OK;
    reply->body_bytes = blob->len;
}
