/* Loads catalog.json: its videos, their renditions, and the media folders they name. */
#include "fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct fake_media *find_or_load_media(struct fake_catalog *catalog,
                                                   const char *media_dir, const char *name)
{
    for (size_t i = 0; i < catalog->media_count; i++)
        if (strcmp(catalog->media[i].name, name) == 0)
            return &catalog->media[i];
    if (strchr(name, '/') || name[0] == '.' || name[0] == '\0') {
        fprintf(stderr, FAKE_PROGRAM ": bad media name \"%s\"\n", name);
        return NULL;
    }
    /* Videos point into this array, so it is sized once in fake_catalog_load() and not grown. */
    struct fake_media *media = &catalog->media[catalog->media_count++];
    memset(media, 0, sizeof *media);
    return fake_media_load(media, media_dir, name) == 0 ? media : NULL;
}

/* Stable names derived from the id, so addresses stay the same from run to run. */
static int make_renditions(struct fake_video *video, size_t segments)
{
    const struct fake_media *media = video->media;
    /* fMP4 fragments cycled would run their timeline backwards (each carries its own decode
       time): --segments leaves such a video at its real length, all renditions alike. */
    if (media->has_fmp4)
        segments = 0;
    video->renditions = calloc(media->quality_count, sizeof *video->renditions);
    if (!video->renditions)
        return -1;
    video->rendition_count = media->quality_count;
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (size_t i = 0; i < media->quality_count; i++) {
        struct fake_rendition *r = &video->renditions[i];
        const struct fake_quality *q = &media->qualities[i];
        char name[256];
        /* The folder name: "<W>x<H>" for H.264 (the names of old), a codec suffix else. */
        snprintf(name, sizeof name, "%s/%s", video->id, q->name);
        uint64_t h1 = fake_hash(1, name), h2 = fake_hash(2, name);
        uint64_t t1 = fake_hash(3, name), t2 = fake_hash(4, name);
        snprintf(r->hash, sizeof r->hash, "%016llx%016llx", (unsigned long long)h1,
                 (unsigned long long)h2);
        for (size_t k = 0; k < sizeof r->token - 1; k++) {
            uint64_t bits = k < 11 ? t1 >> (6 * k) : t2 >> (6 * (k - 11));
            r->token[k] = b64[bits & 63];
        }
        r->token[sizeof r->token - 1] = '\0';
        r->number = 1000 + (unsigned)(h1 % 2000);
        r->quality = q;
        /* --segments lists the real files again and again: a long video out of short media. */
        r->segment_count = segments ? segments : q->segment_count;
        for (size_t k = 0; k < r->segment_count; k++)
            r->duration += q->segments[k % q->segment_count].duration;
        r->counts = calloc(r->segment_count, sizeof *r->counts);
        if (!r->counts)
            return -1;
    }
    return 0;
}

static char *dup_field(json_t *entry, const char *name, const char *fallback)
{
    const char *value = json_string_value(json_object_get(entry, name));
    return strdup(value ? value : fallback);
}

/* A language code goes into an address and a file name: keep it to [a-z0-9-]. */
static bool is_caption_code(const char *code)
{
    size_t len = strlen(code);
    return len > 0 && len <= 16 && strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789-") == len;
}

static int load_captions(struct fake_video *video, json_t *entry)
{
    json_t *list = json_object_get(entry, "captions");
    if (!list)
        return 0;
    if (!json_is_array(list)) {
        fprintf(stderr, FAKE_PROGRAM ": %s: \"captions\" must be an array\n", video->id);
        return -1;
    }
    video->captions = calloc(json_array_size(list) + 1, sizeof *video->captions);
    if (!video->captions)
        return -1;
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        const char *code = json_string_value(json_object_get(item, "code"));
        const char *format = json_string_value(json_object_get(item, "format"));
        if (!code || !is_caption_code(code) || !format ||
            (strcmp(format, "vtt") != 0 && strcmp(format, "srt") != 0)) {
            fprintf(stderr,
                    FAKE_PROGRAM ": %s: a caption needs \"code\" ([a-z0-9-]) and \"format\" "
                                 "(vtt or srt)\n",
                    video->id);
            return -1;
        }
        struct fake_caption *caption = &video->captions[video->caption_count++];
        caption->code = strdup(code);
        caption->format = strdup(format);
        caption->title = dup_field(item, "title", code);
        if (!caption->code || !caption->format || !caption->title)
            return -1;
    }
    return 0;
}

/* Picks the index of name in names[0..count); -1 (after saying so) when it is none of them. */
static int pick(const char *id, const char *field, const char *name, const char *const *names,
                int count)
{
    for (int i = 0; i < count; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    fprintf(stderr, FAKE_PROGRAM ": %s: unknown %s \"%s\"\n", id, field, name);
    return -1;
}

/* An optional positive integer field; 0 when absent, -1 (after saying so) when malformed. */
static long long positive_field(const char *id, json_t *entry, const char *name)
{
    json_t *value = json_object_get(entry, name);
    if (!value)
        return 0;
    json_int_t v = json_integer_value(value);
    if (!json_is_integer(value) || v <= 0 || v > 999999999999999LL) {
        fprintf(stderr, FAKE_PROGRAM ": %s: \"%s\" must be a positive integer\n", id, name);
        return -1;
    }
    return v;
}

/* kind, live, master, and the numbers that name the video and its author in addresses. */
static int load_identity(struct fake_video *video, json_t *entry)
{
    static const char *const kinds[] = {"video", "short"};
    static const char *const lives[] = {"none", "on_air", "ended", "upcoming"};
    static const char *const masters[] = {"current", "2017"};
    const char *kind = json_string_value(json_object_get(entry, "kind"));
    const char *live = json_string_value(json_object_get(entry, "live"));
    const char *master = json_string_value(json_object_get(entry, "master"));
    int k = kind ? pick(video->id, "kind", kind, kinds, 2) : FAKE_KIND_VIDEO;
    int l = live ? pick(video->id, "live", live, lives, 4) : FAKE_LIVE_NONE;
    int m = master ? pick(video->id, "master", master, masters, 2) : FAKE_MASTER_CURRENT;
    long long number = positive_field(video->id, entry, "embed_number");
    long long author = positive_field(video->id, entry, "author_id");
    if (k < 0 || l < 0 || m < 0 || number < 0 || author < 0)
        return -1;
    video->kind = (enum fake_kind)k;
    video->live = (enum fake_live)l;
    video->master = (enum fake_master)m;
    /* Every video has a number (the fixture's "id"); embed_number fixes it, else it is made up. */
    video->numeric_id =
        number ? number : 300000000 + (long long)(fake_hash(5, video->id) % 10000000);
    video->author_id =
        author ? author : 5000000 + (long long)(fake_hash(6, video->author) % 1000000);
    return 0;
}

static int load_video(struct fake_catalog *catalog, struct fake_video *video, json_t *entry,
                      const char *media_dir, size_t segments)
{
    const char *id = json_string_value(json_object_get(entry, "id"));
    const char *title = json_string_value(json_object_get(entry, "title"));
    const char *access = json_string_value(json_object_get(entry, "access"));
    if (!id || !id[0] || strpbrk(id, "/?#") || !title || !access) {
        fprintf(stderr, FAKE_PROGRAM ": catalog entry needs \"id\", \"title\" and \"access\"\n");
        return -1;
    }
    static const char *const accesses[] = {"ok", "private", "geo", "removed", "blocking_rule"};
    size_t a = 0;
    while (a < 5 && strcmp(access, accesses[a]) != 0)
        a++;
    if (a == 5) {
        fprintf(stderr, FAKE_PROGRAM ": %s: unknown access \"%s\"\n", id, access);
        return -1;
    }
    video->access = (enum fake_access)a;
    video->id = strdup(id);
    video->title = strdup(title);
    video->author = dup_field(entry, "author", "Тестовый канал");
    video->description = dup_field(entry, "description", "");
    video->detail = dup_field(entry, "detail", "Видео удалено");
    video->created_ts = dup_field(entry, "created_ts", "2024-01-01T00:00:00");
    /* Published when made, unless the catalog says otherwise. */
    video->publication_ts =
        dup_field(entry, "publication_ts", video->created_ts ? video->created_ts : "");
    video->category = dup_field(entry, "category", "Разное");
    const char *key = json_string_value(json_object_get(entry, "key"));
    video->key = key ? strdup(key) : NULL;
    if (!video->id || !video->title || !video->author || !video->description ||
        !video->created_ts || !video->publication_ts || !video->category || (key && !video->key))
        return -1;
    if (video->access == FAKE_ACCESS_PRIVATE && !key) {
        fprintf(stderr, FAKE_PROGRAM ": %s: a private video needs a \"key\"\n", id);
        return -1;
    }
    json_t *tags = json_object_get(entry, "tags");
    video->tags = json_is_array(tags) ? json_incref(tags) : json_array();
    if (load_captions(video, entry) != 0)
        return -1;
    video->hits = json_integer_value(json_object_get(entry, "hits"));
    if (load_identity(video, entry) != 0)
        return -1;
    /* The fixture's category keeps the fixture's id; others get a stable made-up one. */
    video->category_id = strcmp(video->category, "Сериалы") == 0
                             ? 5
                             : 10 + (long long)(fake_hash(7, video->category) % 90);

    const char *media = json_string_value(json_object_get(entry, "media"));
    if (!media) {
        if (video->access != FAKE_ACCESS_REMOVED || video->live != FAKE_LIVE_NONE) {
            fprintf(stderr, FAKE_PROGRAM ": %s: only a removed video may lack \"media\"\n", id);
            return -1;
        }
        return 0;
    }
    video->media = find_or_load_media(catalog, media_dir, media);
    if (!video->media)
        return -1;
    return make_renditions(video, segments);
}

static void load_thumb(struct fake_catalog *catalog, const char *media_dir)
{
    /* Optional: without it /thumb/ answers 404, everything else still works. */
    char *path = fake_path_join(media_dir, "thumb.jpg");
    FILE *f = path ? fopen(path, "rb") : NULL;
    free(path);
    if (!f)
        return;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && st.st_size > 0 && st.st_size < 16 * 1024 * 1024) {
        catalog->thumb = malloc((size_t)st.st_size);
        if (catalog->thumb && fread(catalog->thumb, 1, (size_t)st.st_size, f) == (size_t)st.st_size)
            catalog->thumb_size = (size_t)st.st_size;
        else {
            free(catalog->thumb);
            catalog->thumb = NULL;
        }
    }
    fclose(f);
}

int fake_catalog_load(struct fake_catalog *catalog, const char *catalog_path, const char *media_dir,
                      const char *pages_dir, size_t segments)
{
    int result = -1;
    json_error_t error;
    memset(catalog, 0, sizeof *catalog);
    json_t *root = json_load_file(catalog_path, 0, &error);
    if (!root) {
        fprintf(stderr, FAKE_PROGRAM ": %s:%d: %s\n", catalog_path, error.line, error.text);
        return -1;
    }
    json_t *videos = json_object_get(root, "videos");
    size_t count = json_array_size(videos);
    if (count == 0) {
        fprintf(stderr, FAKE_PROGRAM ": %s: no \"videos\"\n", catalog_path);
        goto out;
    }
    catalog->videos = calloc(count, sizeof *catalog->videos);
    /* At most one media folder per video: enough room for find_or_load_media(). */
    catalog->media = calloc(count, sizeof *catalog->media);
    if (!catalog->videos || !catalog->media)
        goto out;
    for (size_t i = 0; i < count; i++) {
        struct fake_video *video = &catalog->videos[i];
        catalog->video_count++;
        if (load_video(catalog, video, json_array_get(videos, i), media_dir, segments) != 0)
            goto out;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(catalog->videos[j].id, video->id) == 0) {
                fprintf(stderr, FAKE_PROGRAM ": %s: id listed twice\n", video->id);
                goto out;
            }
            if (catalog->videos[j].numeric_id == video->numeric_id) {
                fprintf(stderr, FAKE_PROGRAM ": %s and %s share the number %lld\n",
                        catalog->videos[j].id, video->id, video->numeric_id);
                goto out;
            }
        }
    }
    /* Both name videos, so they come once every video is in place. */
    if (fake_collections_load(catalog, root, pages_dir) != 0 ||
        fake_yappy_load(catalog, root, media_dir) != 0)
        goto out;
    load_thumb(catalog, media_dir);
    result = 0;
out:
    json_decref(root);
    if (result != 0)
        fake_catalog_cleanup(catalog);
    return result;
}

void fake_catalog_cleanup(struct fake_catalog *catalog)
{
    if (!catalog)
        return;
    for (size_t i = 0; i < catalog->video_count; i++) {
        struct fake_video *video = &catalog->videos[i];
        free(video->id);
        free(video->title);
        free(video->author);
        free(video->key);
        free(video->description);
        free(video->detail);
        free(video->created_ts);
        free(video->publication_ts);
        free(video->category);
        for (size_t c = 0; c < video->caption_count; c++) {
            free(video->captions[c].code);
            free(video->captions[c].title);
            free(video->captions[c].format);
        }
        free(video->captions);
        json_decref(video->tags);
        for (size_t r = 0; r < video->rendition_count; r++)
            free(video->renditions[r].counts);
        free(video->renditions);
    }
    free(catalog->videos);
    for (size_t i = 0; i < catalog->media_count; i++)
        fake_media_cleanup(&catalog->media[i]);
    free(catalog->media);
    fake_collections_cleanup(catalog);
    fake_yappy_cleanup(catalog);
    free(catalog->thumb);
    memset(catalog, 0, sizeof *catalog);
}

const struct fake_video *fake_catalog_find(const struct fake_catalog *catalog, const char *id,
                                           size_t id_len)
{
    for (size_t i = 0; i < catalog->video_count; i++) {
        const struct fake_video *video = &catalog->videos[i];
        if (strlen(video->id) == id_len && memcmp(video->id, id, id_len) == 0)
            return video;
    }
    return NULL;
}

bool fake_parse_number(const char *text, size_t len, long long *value)
{
    /* Written as rutube.ru writes it: digits, no sign, no leading zero, 15 digits at most. */
    if (len == 0 || len > 15 || text[0] == '0')
        return false;
    long long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        v = v * 10 + (text[i] - '0');
    }
    *value = v;
    return true;
}

const struct fake_video *fake_catalog_find_number(const struct fake_catalog *catalog,
                                                  const char *number, size_t len)
{
    long long n;
    if (!fake_parse_number(number, len, &n))
        return NULL;
    for (size_t i = 0; i < catalog->video_count; i++)
        if (catalog->videos[i].numeric_id == n)
            return &catalog->videos[i];
    return NULL;
}

struct fake_rendition *fake_catalog_find_rendition(const struct fake_catalog *catalog,
                                                   const char *hash,
                                                   const struct fake_video **video)
{
    for (size_t i = 0; i < catalog->video_count; i++) {
        const struct fake_video *v = &catalog->videos[i];
        for (size_t r = 0; r < v->rendition_count; r++) {
            if (memcmp(v->renditions[r].hash, hash, 32) == 0) {
                if (video)
                    *video = v;
                return &v->renditions[r];
            }
        }
    }
    return NULL;
}

double fake_video_duration(const struct fake_video *video)
{
    /* A stream under way (or yet to come) has no length yet. */
    if (fake_live_is_stream(video))
        return 0;
    double longest = 0;
    for (size_t r = 0; r < video->rendition_count; r++)
        if (video->renditions[r].duration > longest)
            longest = video->renditions[r].duration;
    return longest;
}
