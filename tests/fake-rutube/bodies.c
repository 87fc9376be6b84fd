/* The --*-body files: answers served verbatim, with this server's addresses filled in. */
#include "fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Tests craft these by hand; anything bigger is a mistake, not a test. */
#define MAX_BODY (64u * 1024 * 1024)

static const char *const switch_names[FAKE_BODY_COUNT] = {
    "--options-body",
    "--info-body",
    "--master-body",
    "--media-body",
};

static const char *const content_types[FAKE_BODY_COUNT] = {
    "application/json",
    "application/json",
    "application/vnd.apple.mpegurl",
    "application/vnd.apple.mpegurl",
};

int fake_read_file(const char *path, size_t max, struct fake_blob *blob)
{
    int result = -1;
    struct stat st;
    blob->data = NULL;
    blob->len = 0;
    FILE *f = fopen(path, "rb");
    if (!f || fstat(fileno(f), &st) != 0) {
        fprintf(stderr, FAKE_PROGRAM ": cannot read %s: %m\n", path);
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        fprintf(stderr, FAKE_PROGRAM ": %s is not a regular file\n", path);
        goto out;
    }
    if ((uint64_t)st.st_size > max) {
        fprintf(stderr, FAKE_PROGRAM ": %s is larger than %zu bytes\n", path, max);
        goto out;
    }
    size_t size = (size_t)st.st_size;
    blob->data = malloc(size + 1);
    if (!blob->data)
        goto out;
    /* One byte more than stat promised tells a file that grew meanwhile from a whole read. */
    size_t got = fread(blob->data, 1, size + 1, f);
    if (ferror(f) || got != size) {
        fprintf(stderr, FAKE_PROGRAM ": %s changed while being read\n", path);
        goto out;
    }
    blob->data[size] = '\0';
    blob->len = size;
    result = 0;
out:
    if (f)
        fclose(f);
    if (result != 0) {
        free(blob->data);
        blob->data = NULL;
    }
    return result;
}

/*
 * Replaces every {API}, {MIRROR0} and {MIRROR1} in blob. The file is bytes, not a C string (a
 * hostile body may hold NUL), so the search goes by length; nothing else is touched.
 */
static int fill_in(const struct fake_server *server, struct fake_blob *blob)
{
    char mirror[2][64];
    for (int i = 0; i < 2; i++)
        snprintf(mirror[i], sizeof mirror[i], "%s://127.0.0.1:%u", server->scheme, server->port[i]);
    const struct {
        const char *name;
        const char *value;
    } marks[] = {
        {"{API}", server->api_base},
        {"{MIRROR0}", mirror[0]},
        {"{MIRROR1}", mirror[1]},
    };

    char *out = NULL;
    size_t out_len = 0;
    FILE *f = open_memstream(&out, &out_len);
    if (!f)
        return -1;
    const char *p = blob->data, *end = blob->data + blob->len;
    while (p < end) {
        /* Copy up to the next brace in one go: a 64 MiB body must not take a call per byte. */
        const char *brace = memchr(p, '{', (size_t)(end - p));
        if (!brace)
            brace = end;
        fwrite(p, 1, (size_t)(brace - p), f);
        p = brace;
        if (p == end)
            break;
        size_t m = 0;
        while (m < sizeof marks / sizeof marks[0] &&
               ((size_t)(end - p) < strlen(marks[m].name) ||
                memcmp(p, marks[m].name, strlen(marks[m].name)) != 0))
            m++;
        if (m < sizeof marks / sizeof marks[0]) {
            fputs(marks[m].value, f);
            p += strlen(marks[m].name);
        } else {
            fputc('{', f);
            p++;
        }
    }
    if (fclose(f) != 0) {
        free(out);
        return -1;
    }
    free(blob->data);
    blob->data = out; /* open_memstream() keeps it NUL-terminated */
    blob->len = out_len;
    return 0;
}

int fake_bodies_load(struct fake_server *server)
{
    for (int which = 0; which < FAKE_BODY_COUNT; which++) {
        const char *path = server->config.body_path[which];
        if (!path)
            continue;
        if (fake_read_file(path, MAX_BODY, &server->body[which]) != 0) {
            fprintf(stderr, FAKE_PROGRAM ": cannot use %s %s\n", switch_names[which], path);
            return -1;
        }
        if (fill_in(server, &server->body[which]) != 0) {
            fprintf(stderr, FAKE_PROGRAM ": out of memory filling in %s\n", path);
            return -1;
        }
    }
    return 0;
}

void fake_bodies_cleanup(struct fake_server *server)
{
    for (int which = 0; which < FAKE_BODY_COUNT; which++) {
        free(server->body[which].data);
        server->body[which].data = NULL;
        server->body[which].len = 0;
    }
}

bool fake_bodies_reply(const struct fake_server *server, enum fake_body which,
                       struct fake_reply *reply)
{
    const struct fake_blob *body = &server->body[which];
    if (!body->data)
        return false;
    /* The bytes live until every listener has stopped: no copy per request, even for 64 MiB. */
    reply->response =
        MHD_create_response_from_buffer(body->len, body->data, MHD_RESPMEM_PERSISTENT);
    if (reply->response) {
        MHD_add_response_header(reply->response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                content_types[which]);
        reply->status = MHD_HTTP_OK;
        reply->body_bytes = body->len;
    }
    return true;
}
