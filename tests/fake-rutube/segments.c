/* Segment answers (and Yappy files): the bytes, garbage or a Range of them, shaped by faults. */
#include "fake.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Large enough that an unthrottled segment goes out in a handful of send() calls. */
#define BLOCK_SIZE (128 * 1024)

/* One segment response in flight; owned by MHD through the free callback. Positions in it
   count from the answer's first body byte, which is segment byte `offset`. */
struct body {
    int fd;           /* -1: garbage, or data, instead of the file */
    char *data;       /* the file rewritten in memory (a live segment's later pass); or NULL */
    uint64_t garbage; /* --corrupt-segment's K, seeding the garbage */
    uint64_t offset;  /* first segment byte sent: 0, or the Range's first */
    uint64_t size;    /* bytes of the segment sent (all, or the Range's); endless repeats them */
    bool is_endless;
    bool is_slow;      /* --slow-loris: one byte, then a second's pause, and so on */
    uint64_t cut_at;   /* UINT64_MAX: not cut */
    uint64_t stall_at; /* UINT64_MAX: no stall (or already stalled) */
    unsigned stall_ms;
    uint64_t rate;    /* bytes per second; 0: unlimited */
    uint64_t trickle; /* --trickle: the rate from TRICKLE_AFTER on, over --rate; 0: none */
    bool is_paced;    /* pace runs: started at the first byte, restarted after a stall */
    struct fake_pace pace;
    struct fake_tally *tally; /* --timing: the request's count of this body's bytes; or NULL */
};

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/*
 * Byte pos of the garbage: byte pos % 8 (least significant first) of splitmix64 output
 * number pos / 8 seeded with k. A function of the position alone, so the bytes are the same
 * however the body is sliced. 0x47 (the MPEG-TS sync byte) becomes 0x48, so no demuxer can
 * find a packet boundary in it.
 */
static void fill_garbage(uint64_t k, uint64_t pos, char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t at = pos + i;
        uint64_t word = fake_mix(k + (at / 8 + 1) * 0x9e3779b97f4a7c15ULL);
        unsigned char byte = (unsigned char)(word >> (8 * (at % 8)));
        buf[i] = (char)(byte == 0x47 ? 0x48 : byte);
    }
}

/*
 * Runs on the connection's own thread (thread-per-connection), so sleeping here delays only
 * this response. MHD asks for the next block only after the previous one was handed to the
 * socket, which is what makes "send half, then nothing" observable by the client.
 */
static ssize_t read_body(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct body *body = cls;

    if (fake_stop_raised())
        return MHD_CONTENT_READER_END_WITH_ERROR;
    if (pos >= body->cut_at)
        return MHD_CONTENT_READER_END_WITH_ERROR; /* MHD closes; the client sees a short body */
    if (pos >= body->stall_at) {
        body->stall_at = UINT64_MAX;
        if (!fake_stop_sleep_ms(body->stall_ms))
            return MHD_CONTENT_READER_END_WITH_ERROR;
        /* The pause must not bank credit that lets the rest go out unthrottled. */
        body->is_paced = false;
    }
    if (pos >= body->size && !body->is_endless)
        return MHD_CONTENT_READER_END_OF_STREAM;

    /* An endless body is the same bytes again and again; the offset into one copy of them. */
    uint64_t at = pos % body->size;
    uint64_t n = min_u64(max, body->size - at);
    n = min_u64(n, body->cut_at - pos);
    n = min_u64(n, body->stall_at - pos);
    if (body->trickle && pos < TRICKLE_AFTER) {
        n = min_u64(n, TRICKLE_AFTER - pos); /* the fast part ends exactly there */
    } else if (body->trickle && body->rate != body->trickle) {
        body->rate = body->trickle; /* from here on at the trickle's pace */
        body->is_paced = false;
    }
    /* Sliced for both clocks before either books it: each must book what really goes out. */
    n = fake_pace_total_slice((size_t)n);
    if (body->is_slow) {
        /* The first byte goes out at once (the client sees the headers and a start), each
           later one a second after the previous: the pace of a slow-loris trickle. */
        n = 1;
        if (pos > 0 && !fake_stop_sleep_ms(1000))
            return MHD_CONTENT_READER_END_WITH_ERROR;
    } else if (body->rate) {
        uint64_t now = fake_now_ns();
        if (!body->is_paced) {
            body->is_paced = true;
            fake_pace_body_start(&body->pace, body->rate, now);
        }
        /* Small slices keep the pace smooth and the first byte early. */
        n = fake_pace_slice(&body->pace, (size_t)n);
        uint64_t due = fake_pace_reserve(&body->pace, n, now);
        if (due > now && !fake_stop_sleep_until_ns(due))
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    /* The shared clock last: it books bytes this answer is ready to send now, so a connection
       held back by its own --rate takes no share from the others. */
    if (!fake_pace_total_wait(n))
        return MHD_CONTENT_READER_END_WITH_ERROR;

    ssize_t got = (ssize_t)n;
    if (body->data)
        memcpy(buf, body->data + body->offset + at, (size_t)n);
    else if (body->fd < 0)
        fill_garbage(body->garbage, body->offset + at, buf, (size_t)n);
    else
        got = pread(body->fd, buf, (size_t)n, (off_t)(body->offset + at));
    if (got <= 0)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    fake_observe_segment_bytes((uint64_t)got);
    if (body->tally)
        fake_tally_add(body->tally, (uint64_t)got);
    return got;
}

static void free_body(void *cls)
{
    struct body *body = cls;
    if (body->fd >= 0)
        close(body->fd);
    free(body->data);
    fake_tally_release(body->tally);
    free(body);
    fake_observe_segment_finished();
}

/* The answers without a segment body: 404, 302, 503, 429. Returns false for a body fate. */
static bool reply_status(const struct fake_server *server,
                         const struct fake_segment_request *request, struct fake_reply *reply)
{
    static const char not_found[] = "<html><body><h1>404 Not Found</h1></body></html>\n";
    static const char found[] = "<html><body><h1>302 Found</h1></body></html>\n";
    static const char unavailable[] =
        "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>\n";
    static const char too_many[] = "<html><body><h1>429 Too Many Requests</h1></body></html>\n";
    const struct fake_fate *fate = &request->fate;

    if (fate->down) {
        fake_reply_copy(reply, MHD_HTTP_NOT_FOUND, "text/html", not_found, sizeof not_found - 1);
    } else if (fate->redirect) {
        char *location = NULL;
        if (server->config.redirect_to) {
            location = strdup(server->config.redirect_to);
        } else {
            /* The very address asked for, query and all, so following it never gets anywhere. */
            size_t size = strlen(server->scheme) + strlen(request->uri) + 32;
            location = malloc(size);
            if (location)
                snprintf(location, size, "%s://127.0.0.1:%u%s", server->scheme,
                         server->port[request->role], request->uri);
        }
        if (location)
            fake_reply_copy(reply, MHD_HTTP_FOUND, "text/html", found, sizeof found - 1);
        if (reply->response && MHD_add_response_header(reply->response, MHD_HTTP_HEADER_LOCATION,
                                                       location) != MHD_YES) {
            MHD_destroy_response(reply->response);
            reply->response = NULL;
        }
        free(location);
    } else if (fate->fail) {
        fake_reply_copy(reply, MHD_HTTP_SERVICE_UNAVAILABLE, "text/html", unavailable,
                        sizeof unavailable - 1);
    } else if (fate->throttled) {
        char seconds[16];
        snprintf(seconds, sizeof seconds, "%u", server->config.retry_after);
        fake_reply_copy(reply, MHD_HTTP_TOO_MANY_REQUESTS, "text/html", too_many,
                        sizeof too_many - 1);
        if (reply->response)
            MHD_add_response_header(reply->response, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
    } else {
        return false;
    }
    return true;
}

/* 416 for a Range past the segment's end, with the length a client needs to ask again. */
static void reply_unsatisfiable(uint64_t total, struct fake_reply *reply)
{
    static const char body[] =
        "<html><body><h1>416 Requested Range Not Satisfiable</h1></body></html>\n";
    char content_range[48];
    snprintf(content_range, sizeof content_range, "bytes */%llu", (unsigned long long)total);
    fake_reply_copy(reply, MHD_HTTP_RANGE_NOT_SATISFIABLE, "text/html", body, sizeof body - 1);
    if (reply->response) {
        MHD_add_response_header(reply->response, MHD_HTTP_HEADER_CONTENT_RANGE, content_range);
        MHD_add_response_header(reply->response, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
    }
}

void fake_segments_reply(const struct fake_server *server,
                         const struct fake_segment_request *request, struct fake_reply *reply)
{
    const struct fake_config *config = &server->config;
    const struct fake_segment *segment = request->segment;
    struct fake_fate fate = request->fate;

    if (reply_status(server, request, reply))
        return;
    /* The status fates above come first: a CDN refuses before it looks at the bytes asked. */
    uint64_t first = 0, last = segment->size ? segment->size - 1 : 0;
    enum fake_range range = fate.whole
                                ? FAKE_RANGE_NONE
                                : fake_range_parse(request->range, segment->size, &first, &last);
    if (range == FAKE_RANGE_UNSATISFIABLE) {
        reply_unsatisfiable(segment->size, reply);
        return;
    }
    uint64_t size = range == FAKE_RANGE_PART ? last - first + 1 : segment->size;

    struct body *body = calloc(1, sizeof *body);
    if (!body)
        return;
    body->fd = -1;
    body->garbage = config->corrupt_segment;
    /* A live segment on a later pass: the whole file, its timestamps and counters moved on. */
    bool is_shifted = !fate.corrupt && request->shift.passes;
    bool is_broken = false;
    if (is_shifted) {
        struct fake_blob blob = {NULL, 0};
        /* The size checked at start-up is what the headers announce: it must still hold. */
        is_broken = fake_read_file(segment->path, (size_t)64 << 20, &blob) != 0 ||
                    blob.len != segment->size;
        if (!is_broken)
            fake_ts_shift_apply((unsigned char *)blob.data, blob.len, &request->shift);
        body->data = blob.data;
    } else if (!fate.corrupt) {
        body->fd = open(segment->path, O_RDONLY | O_CLOEXEC);
        is_broken = body->fd < 0;
        if (is_broken)
            fprintf(stderr, FAKE_PROGRAM ": cannot open %s: %m\n", segment->path);
    }
    if (is_broken) {
        free(body->data);
        free(body);
        static const char broken[] =
            "<html><body><h1>500 Internal Server Error</h1></body></html>\n";
        fake_reply_copy(reply, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/html", broken,
                        sizeof broken - 1);
        return;
    }
    /* A ranged answer is a body of its own: the faults cut, stall and repeat its bytes. */
    body->offset = first;
    body->size = size;
    body->is_endless = fate.endless;
    body->is_slow = fate.slow;
    body->cut_at = fate.cut ? size / 2 : UINT64_MAX;
    body->stall_at = fate.stall ? size / 2 : UINT64_MAX;
    body->stall_ms = config->stall_ms;
    body->rate = config->rate;
    body->trickle = fate.trickle;
    body->tally = reply->tally;
    if (body->tally)
        fake_tally_hold(body->tally);

    /* The in-flight count starts here and ends in free_body(), whatever happens in between. */
    fake_observe_segment_started();
    /* No length for an endless body: MHD then sends it chunked (close-delimited to HTTP/1.0). */
    reply->response = MHD_create_response_from_callback(fate.endless ? MHD_SIZE_UNKNOWN : size,
                                                        BLOCK_SIZE, read_body, body, free_body);
    if (!reply->response) {
        free_body(body);
        return;
    }
    MHD_add_response_header(reply->response, MHD_HTTP_HEADER_CONTENT_TYPE,
                            request->content_type ? request->content_type : "video/MP2T");
    MHD_add_response_header(reply->response, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
    reply->status = MHD_HTTP_OK;
    if (range == FAKE_RANGE_PART) {
        char content_range[80];
        snprintf(content_range, sizeof content_range, "bytes %llu-%llu/%llu",
                 (unsigned long long)first, (unsigned long long)last,
                 (unsigned long long)segment->size);
        MHD_add_response_header(reply->response, MHD_HTTP_HEADER_CONTENT_RANGE, content_range);
        reply->status = MHD_HTTP_PARTIAL_CONTENT;
    }
    reply->body_bytes = 0; /* read_body() counts what really leaves */
}
