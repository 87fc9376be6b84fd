/* Yappy clips: catalog.json's "yappy", the feed page that names their MP4 files, the files. */
#include "fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool is_hex_id(const char *id)
{
    return strlen(id) == 32 && strspn(id, "0123456789abcdef") == 32;
}

static int load_one(struct fake_yappy *clip, json_t *entry, const char *media_dir)
{
    const char *id = json_string_value(json_object_get(entry, "id"));
    const char *title = json_string_value(json_object_get(entry, "title"));
    const char *description = json_string_value(json_object_get(entry, "description"));
    const char *media = json_string_value(json_object_get(entry, "media"));
    if (!id || !is_hex_id(id) || !title || !media || strchr(media, '/') || media[0] == '.') {
        fprintf(stderr, FAKE_PROGRAM ": a yappy clip needs \"id\" (32 lowercase hex digits), "
                                     "\"title\" and \"media\"\n");
        return -1;
    }
    clip->id = strdup(id);
    clip->title = strdup(title);
    clip->description = strdup(description ? description : "");
    size_t size = strlen(media_dir) + strlen(media) + 16;
    clip->file.path = malloc(size);
    if (!clip->id || !clip->title || !clip->description || !clip->file.path)
        return -1;
    snprintf(clip->file.path, size, "%s/yappy/%s.mp4", media_dir, media);
    struct stat st;
    if (stat(clip->file.path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
        fprintf(stderr, FAKE_PROGRAM ": %s: missing or empty (rerun make-media.sh)\n",
                clip->file.path);
        return -1;
    }
    clip->file.size = (uint64_t)st.st_size;
    return 0;
}

int fake_yappy_load(struct fake_catalog *catalog, json_t *root, const char *media_dir)
{
    json_t *list = json_object_get(root, "yappy");
    if (!list)
        return 0;
    if (!json_is_array(list)) {
        fprintf(stderr, FAKE_PROGRAM ": \"yappy\" must be an array\n");
        return -1;
    }
    catalog->yappy = calloc(json_array_size(list) + 1, sizeof *catalog->yappy);
    if (!catalog->yappy)
        return -1;
    size_t i;
    json_t *entry;
    json_array_foreach(list, i, entry)
    {
        struct fake_yappy *clip = &catalog->yappy[catalog->yappy_count++];
        if (load_one(clip, entry, media_dir) != 0)
            return -1;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(catalog->yappy[j].id, clip->id) == 0) {
                fprintf(stderr, FAKE_PROGRAM ": yappy %s listed twice\n", clip->id);
                return -1;
            }
        }
    }
    return 0;
}

void fake_yappy_cleanup(struct fake_catalog *catalog)
{
    for (size_t i = 0; i < catalog->yappy_count; i++) {
        free(catalog->yappy[i].id);
        free(catalog->yappy[i].title);
        free(catalog->yappy[i].description);
        free(catalog->yappy[i].file.path);
    }
    free(catalog->yappy);
    catalog->yappy = NULL;
    catalog->yappy_count = 0;
}

struct fake_yappy *fake_yappy_find(const struct fake_catalog *catalog, const char *id,
                                   size_t id_len)
{
    for (size_t i = 0; i < catalog->yappy_count; i++) {
        struct fake_yappy *clip = &catalog->yappy[i];
        if (strlen(clip->id) == id_len && memcmp(clip->id, id, id_len) == 0)
            return clip;
    }
    return NULL;
}

static json_t *clip_json(const struct fake_server *server, const struct fake_yappy *clip)
{
    char link[160];
    /* The file lives on the CDN, as rutube.ru's links point away from the API host. */
    snprintf(link, sizeof link, "%s://127.0.0.1:%u/yappy/%s.mp4", server->scheme,
             server->port[FAKE_ROLE_MIRROR0], clip->id);
    return json_pack("{s:s, s:s, s:s, s:s}", "id", clip->id, "link", link, "title", clip->title,
                     "description", clip->description);
}

void fake_yappy_page(const struct fake_server *server, const char *id, struct fake_reply *reply)
{
    const struct fake_catalog *catalog = &server->catalog;
    const struct fake_yappy *clip = id ? fake_yappy_find(catalog, id, strlen(id)) : NULL;
    json_t *results = json_array();
    if (clip && results) {
        /*
         * A feed around the clip: the next clip in catalog order, the clip asked for, the one
         * after. rutube.ru does not promise the asked-for clip comes first, so here it never
         * does: a client must look for its id.
         */
        size_t at = (size_t)(clip - catalog->yappy), n = catalog->yappy_count;
        size_t order[3] = {(at + 1) % n, at, (at + 2) % n};
        for (size_t i = 0; i < 3; i++) {
            bool seen = false;
            for (size_t j = 0; j < i; j++)
                seen = seen || order[j] == order[i];
            if (!seen)
                json_array_append_new(results, clip_json(server, &catalog->yappy[order[i]]));
        }
    }
    fake_reply_json(reply, MHD_HTTP_OK, results ? json_pack("{s:o}", "results", results) : NULL);
}
