/* The resume state file: a few fields of JSON written atomically beside the .part. */
#include "hls/resume.h"
#include "base/i18n.h"

#include "base/errors.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A state file is a few hundred bytes; anything much bigger is not ours. */
#define STATE_MAX_BYTES 65536
#define STATE_VERSION   1

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t rt__resume_list_hash(const struct rt__media *media)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < media->count; i++) {
        const char *ref = media->segments[i].ref;
        char duration[32];
        h = fnv1a(h, ref, strcspn(ref, "?#"));
        /* The text "%.3f" gives in the C locale, built from whole milliseconds so that an
         * application's LC_NUMERIC (a decimal comma) cannot change the fingerprint. */
        long long ms = llround(media->segments[i].duration * 1000.0);
        int n = snprintf(duration, sizeof duration, "|%lld.%03lld|", ms / 1000, ms % 1000);
        h = fnv1a(h, duration, (size_t)n);
    }
    return h;
}

/* Whether `s` can name a stream in the file: 1 to 64 letters, digits, '-' or '_' (a RuTube
 * video id is 32 hex digits), so it goes into the JSON as it is. */
static bool is_stream_name(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n >= sizeof((struct rt__resume *)0)->stream)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i]; /* ASCII by hand: isalnum() would follow the locale */
        if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') &&
            c != '-' && c != '_')
            return false;
    }
    return true;
}

/* A JSON integer in [0, max] into *out; false otherwise. */
static bool get_count(json_t *root, const char *key, uint64_t max, uint64_t *out)
{
    json_t *v = json_object_get(root, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max)
        return false;
    *out = (uint64_t)json_integer_value(v);
    return true;
}

enum rt_code rt__resume_load(const char *path, struct rt__resume *out, struct rt_error *err)
{
    json_error_t jerr;
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return rt__fail(err, RT_E_IO, _("cannot read %s"), path);
    char text[STATE_MAX_BYTES + 1];
    size_t len = fread(text, 1, sizeof text, f);
    fclose(f);
    json_t *root = len <= STATE_MAX_BYTES ? json_loadb(text, len, 0, &jerr) : NULL;
    enum rt_code result = RT_OK;
    uint64_t version, width, height, bandwidth, count, done, bytes, hash = 0;
    /* The file format predates other streams: the name is kept under "video_id". */
    const char *id = json_string_value(json_object_get(root, "video_id"));
    const char *hash_text = json_string_value(json_object_get(root, "segment_list"));
    char *end = NULL;
    if (hash_text)
        hash = strtoull(hash_text, &end, 16);
    if (!json_is_object(root) || !get_count(root, "version", 100, &version) ||
        version != STATE_VERSION || !is_stream_name(id) ||
        !get_count(root, "width", 65535, &width) || !get_count(root, "height", 65535, &height) ||
        !get_count(root, "bandwidth", 100000000000ULL, &bandwidth) ||
        !get_count(root, "segment_count", RT_HLS_MAX_SEGMENTS, &count) ||
        !get_count(root, "segments_done", count, &done) ||
        !get_count(root, "bytes_done", UINT64_MAX >> 2, &bytes) || !hash_text || !end || *end ||
        end == hash_text) {
        result = rt__fail(err, RT_E_BAD_RESPONSE, _("%s is damaged"), path);
    } else {
        snprintf(out->stream, sizeof out->stream, "%s", id);
        out->width = (int)width;
        out->height = (int)height;
        out->bandwidth = (long)bandwidth;
        out->segment_count = (size_t)count;
        out->list_hash = hash;
        out->segments_done = (size_t)done;
        out->bytes_done = bytes;
    }
    json_decref(root);
    return result;
}

enum rt_code rt__resume_save(const char *path, const struct rt__resume *s, struct rt_error *err)
{
    char text[1024], hash[17], tmp[4096];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)s->list_hash);
    int n = snprintf(text, sizeof text,
                     "{\"version\": %d, \"program\": \"librutube " RT_VERSION "\",\n"
                     " \"video_id\": \"%s\", \"width\": %d, \"height\": %d, \"bandwidth\": %ld,\n"
                     " \"segment_count\": %zu, \"segment_list\": \"%s\",\n"
                     " \"segments_done\": %zu, \"bytes_done\": %llu}\n",
                     STATE_VERSION, s->stream, s->width, s->height, s->bandwidth, s->segment_count,
                     hash, s->segments_done, (unsigned long long)s->bytes_done);
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return rt__fail(err, RT_E_IO, _("the path %s is too long"), path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return rt__io_error(errno, N_("creating"), tmp, err);
    enum rt_code result = RT_OK;
    errno = 0;
    if (write(fd, text, (size_t)n) != n)
        result = rt__io_error(errno ? errno : EIO, N_("writing"), tmp, err);
    if (close(fd) != 0 && result == RT_OK)
        result = rt__io_error(errno, N_("writing"), tmp, err);
    if (result == RT_OK && rename(tmp, path) != 0)
        result = rt__io_error(errno, N_("renaming to"), path, err);
    if (result != RT_OK)
        unlink(tmp);
    return result;
}

bool rt__resume_matches(const struct rt__resume *a, const struct rt__resume *b)
{
    /* A live recording has no list to compare: its list_hash is its last segment's number. */
    bool live = strncmp(a->stream, RT_RESUME_LIVE_PREFIX, strlen(RT_RESUME_LIVE_PREFIX)) == 0;
    return strcmp(a->stream, b->stream) == 0 && a->width == b->width && a->height == b->height &&
           a->bandwidth == b->bandwidth && a->segment_count == b->segment_count &&
           (live || a->list_hash == b->list_hash);
}

size_t rt__resume_plan(const struct rt_client *client, const char *part_path,
                       const char *state_path, const struct rt__resume *fresh, bool no_continue,
                       uint64_t *bytes)
{
    struct stat st;
    struct rt__resume saved;
    struct rt_error problem = {0};
    bool has_part = stat(part_path, &st) == 0 && S_ISREG(st.st_mode);
    enum rt_code loaded = rt__resume_load(state_path, &saved, &problem);
    bool has_state = loaded == RT_OK || loaded == RT_E_BAD_RESPONSE;
    *bytes = 0;
    if (no_continue) {
        if (has_part)
            rt__log(client, RT_LOG_INFO, "not continuing %s, as asked; starting over", part_path);
        return 0;
    }
    if (!has_part) {
        if (has_state)
            rt__log(client, RT_LOG_WARN, _("%s has no %s beside it; starting over"), state_path,
                    part_path);
        return 0;
    }
    if (loaded == RT_E_BAD_RESPONSE) {
        rt__log(client, RT_LOG_WARN, _("%s; starting over"), problem.message);
        return 0;
    }
    if (!has_state) {
        if (st.st_size > 0)
            rt__log(client, RT_LOG_WARN,
                    _("%s has no state file beside it, so it cannot be trusted; starting over"),
                    part_path);
        return 0;
    }
    if (!rt__resume_matches(&saved, fresh)) {
        rt__log(client, RT_LOG_WARN,
                _("%s holds another video, quality or playlist than this one; starting over"),
                part_path);
        return 0;
    }
    if ((uint64_t)st.st_size < saved.bytes_done) {
        rt__log(client, RT_LOG_WARN, _("%s is shorter than its state says; starting over"),
                part_path);
        return 0;
    }
    if (saved.segments_done > 0)
        rt__log(client, RT_LOG_INFO, "continuing %s: %zu of %zu segments (%.1f MiB) are there",
                part_path, saved.segments_done, saved.segment_count,
                (double)saved.bytes_done / (1 << 20));
    *bytes = saved.bytes_done;
    return saved.segments_done;
}
