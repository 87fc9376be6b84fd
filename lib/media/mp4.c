/* The MP4 writer declared in mp4.h: samples into chunks in the file as they come, the moov
 * (mp4_moov.c) into the room kept for it at the end. */
#include "media/mp4.h"

#include "base/buf.h"
#include "base/pwrite.h"
#include "base/reserve.h"
#include "media/mp4_moov.h"
#include "media/mux_job.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK_BYTES (4u << 20) /* a chunk is written at a second or at this size */
/* Write-back is started every this many bytes: the final fdatasync() waits for at most this
 * much and the moov. At 8 MiB it waited 4-5 ms on the 210 MB lan video, at 2 MiB 1.5 ms. */
#define WRITEBACK_CHUNK (2 << 20)
#define FTYP_SIZE       32
#define MDAT_HEADER     16 /* a "free" and a 32-bit mdat header, or a 64-bit mdat header */

struct rt__mp4 {
    int fd;
    int error;
    double expected_seconds;
    struct rt__mp4_table tracks[2];
    uint64_t room;                     /* bytes kept for the moov (and a free box) after ftyp */
    bool started;                      /* room chosen, media data being written */
    uint64_t data_pos;                 /* where the next chunk goes */
    uint64_t synced;                   /* bytes handed to write-back */
    struct rt__reserve reserve;        /* disk space taken ahead of the writes */
    struct rt__buf tags;               /* ilst items, ready made */
    const struct rt_chapter *chapters; /* borrowed */
    size_t chapter_count;
    bool has_window;
    struct rt__mp4_window window;
};

void rt__mp4_set_window(struct rt__mp4 *mp4, const struct rt__mp4_window *window)
{
    mp4->window = *window;
    mp4->has_window = true;
}

struct rt__mp4 *rt__mp4_new(int fd, double expected_seconds)
{
    struct rt__mp4 *mp4 = calloc(1, sizeof *mp4);
    if (!mp4)
        return NULL;
    mp4->fd = fd;
    mp4->expected_seconds = expected_seconds;
    rt__buf_init(&mp4->tags, 1u << 24);
    for (int i = 0; i < 2; i++) {
        rt__buf_init(&mp4->tracks[i].pending, 1u << 30); /* a chunk and one sample at most */
        mp4->tracks[i].wide_limit = UINT32_MAX;
    }
    return mp4;
}

void rt__mp4_free(struct rt__mp4 *mp4)
{
    if (!mp4)
        return;
    for (int i = 0; i < 2; i++) {
        struct rt__mp4_table *t = &mp4->tracks[i];
        free(t->avcc);
        free(t->samples);
        free(t->keys);
        free(t->chunks);
        rt__buf_cleanup(&t->pending);
    }
    rt__buf_cleanup(&mp4->tags);
    free(mp4);
}

int rt__mp4_errno(const struct rt__mp4 *mp4)
{
    return mp4->error;
}

void rt__mp4_set_wide_limit(struct rt__mp4 *mp4, uint64_t limit)
{
    for (int i = 0; i < 2; i++)
        mp4->tracks[i].wide_limit = limit;
}

/* Grow an array of `size`-byte items to hold one more. */
static bool grow(void *array, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return true;
    size_t more = *cap ? *cap * 2 : 1024;
    void *p = realloc(*(void **)array, more * size);
    if (!p)
        return false;
    *(void **)array = p;
    *cap = more;
    return true;
}

enum rt__mp4_result rt__mp4_declare_video(struct rt__mp4 *mp4, const struct rt__mp4_video *video)
{
    struct rt__mp4_table *t = &mp4->tracks[RT__MP4_VIDEO];
    if (!(t->avcc = malloc(video->avcc_len)))
        return RT__MP4_NOMEM;
    memcpy(t->avcc, video->avcc, video->avcc_len);
    t->video = *video;
    t->video.avcc = t->avcc;
    t->timescale = RT__MP4_VIDEO_TIMESCALE;
    t->declared = true;
    return RT__MP4_OK;
}

enum rt__mp4_result rt__mp4_declare_audio(struct rt__mp4 *mp4, const struct rt__mp4_audio *audio)
{
    struct rt__mp4_table *t = &mp4->tracks[RT__MP4_AUDIO];
    t->audio = *audio;
    t->timescale = audio->sample_rate;
    t->is_audio = true;
    t->declared = true;
    return RT__MP4_OK;
}

enum rt__mp4_result rt__mp4_tag(struct rt__mp4 *mp4, const char key[4], const char *value)
{
    if (!value || !*value)
        return RT__MP4_OK;
    return rt__mp4_tag_item(&mp4->tags, key, value) ? RT__MP4_OK : RT__MP4_NOMEM;
}

enum rt__mp4_result rt__mp4_track(struct rt__mp4 *mp4, unsigned number, unsigned total)
{
    return rt__mp4_track_item(&mp4->tags, number, total) ? RT__MP4_OK : RT__MP4_NOMEM;
}

enum rt__mp4_result rt__mp4_cover(struct rt__mp4 *mp4, const void *image, size_t len, bool png)
{
    return rt__mp4_cover_item(&mp4->tags, image, len, png) ? RT__MP4_OK : RT__MP4_NOMEM;
}

void rt__mp4_chapters(struct rt__mp4 *mp4, const struct rt_chapter *chapters, size_t count)
{
    mp4->chapters = chapters;
    mp4->chapter_count = count;
}

/* ---- media data ---- */

static enum rt__mp4_result write_at(struct rt__mp4 *mp4, const void *p, size_t len, uint64_t pos)
{
    int problem = rt__pwrite_whole(mp4->fd, p, len, pos);
    if (problem != 0) {
        mp4->error = problem;
        return RT__MP4_IO;
    }
    return RT__MP4_OK;
}

/*
 * The room for the moov, from what the first chunk shows: per video sample a size, a
 * composition offset and a share of the sync table; per audio frame a size; per chunk an
 * offset and a sample-to-chunk entry. Half as much again, and the tags, and 16 KB for the
 * fixed boxes. Too little is found at the end (RT__MP4_NO_ROOM); the caller then takes the
 * slower way.
 */
static uint64_t moov_room(const struct rt__mp4 *mp4)
{
    double seconds = mp4->expected_seconds > 0 ? mp4->expected_seconds : 0;
    double per_second = 0;
    const struct rt__mp4_table *v = &mp4->tracks[RT__MP4_VIDEO];
    double fps = 60;
    if (v->count >= 2 && v->samples[v->count - 1].dts > v->samples[0].dts)
        fps = (double)(v->count - 1) * v->timescale /
              (double)(v->samples[v->count - 1].dts - v->samples[0].dts);
    if (fps > 240)
        fps = 240;
    per_second += fps * 13 + 2 * 20;
    const struct rt__mp4_table *a = &mp4->tracks[RT__MP4_AUDIO];
    double frames = a->declared ? (double)a->timescale / 1024 : 50;
    per_second += frames * 4 + 2 * 20;
    /* A chapter: its title in chpl and its sample's entries in the chapter track's tables. */
    uint64_t chapters = mp4->chapter_count > 0 ? 1024 : 0;
    for (size_t i = 0; i < mp4->chapter_count; i++)
        chapters += 9 + rt__mp4_chapter_sample(NULL, mp4->chapters[i].title) + 16;
    return (uint64_t)(seconds * per_second * 1.5) + mp4->tags.len + chapters + (16 << 10);
}

static enum rt__mp4_result flush_chunk(struct rt__mp4 *mp4, struct rt__mp4_table *t)
{
    if (t->pending.len == 0)
        return RT__MP4_OK;
    if (!mp4->started) {
        mp4->room = moov_room(mp4);
        mp4->data_pos = FTYP_SIZE + mp4->room + MDAT_HEADER;
        mp4->started = true;
    }
    if (!grow(&t->chunks, &t->chunk_cap, t->chunk_count, sizeof *t->chunks))
        return RT__MP4_NOMEM;
    t->chunks[t->chunk_count++] = (struct rt__mp4_chunk){
        .pos = mp4->data_pos,
        .first = (uint32_t)t->pending_first,
        .count = (uint32_t)(t->count - t->pending_first),
    };
    rt__reserve_ahead(&mp4->reserve, mp4->fd, mp4->data_pos + t->pending.len);
    enum rt__mp4_result r = write_at(mp4, t->pending.data, t->pending.len, mp4->data_pos);
    if (r != RT__MP4_OK)
        return r;
    mp4->data_pos += t->pending.len;
    rt__buf_reset(&t->pending);
    t->pending_first = t->count;
    if (mp4->data_pos - mp4->synced >= WRITEBACK_CHUNK) {
        /* So the final fdatasync() finds little left, and the page cache holds little. */
        sync_file_range(mp4->fd, (off_t)mp4->synced, (off_t)(mp4->data_pos - mp4->synced),
                        SYNC_FILE_RANGE_WRITE);
        mp4->synced = mp4->data_pos;
    }
    return RT__MP4_OK;
}

uint8_t *rt__mp4_sample_space(struct rt__mp4 *mp4, enum rt__mp4_track track, size_t max)
{
    return (uint8_t *)rt__buf_space(&mp4->tracks[track].pending, max);
}

enum rt__mp4_result rt__mp4_sample_commit(struct rt__mp4 *mp4, enum rt__mp4_track track, size_t len,
                                          int64_t dts, int64_t pts, bool key)
{
    struct rt__mp4_table *t = &mp4->tracks[track];
    if (!t->declared)
        return RT__MP4_NOT_DECLARED;
    if ((t->count > 0 && dts <= t->samples[t->count - 1].dts) || pts < dts ||
        pts - dts > INT32_MAX || len > UINT32_MAX)
        return RT__MP4_BAD_TIMES;
    if (!grow(&t->samples, &t->cap, t->count, sizeof *t->samples))
        return RT__MP4_NOMEM;
    if (key && !grow(&t->keys, &t->key_cap, t->key_count, sizeof *t->keys))
        return RT__MP4_NOMEM;
    t->samples[t->count] = (struct rt__mp4_sample){dts, (uint32_t)len, (int32_t)(pts - dts)};
    t->count++;
    if (key)
        t->keys[t->key_count++] = (uint32_t)t->count;
    rt__buf_commit(&t->pending, len);
    t->bytes += len;
    if (len > t->max_sample)
        t->max_sample = (uint32_t)len;
    const struct rt__mp4_sample *first = &t->samples[t->pending_first];
    if (t->pending.len >= CHUNK_BYTES || dts - first->dts >= (int64_t)t->timescale)
        return flush_chunk(mp4, t);
    return RT__MP4_OK;
}

/*
 * The chapter track, once the media's length is known: the chapters that start before the
 * media ends (the last one ending with it), their text samples written after the media data
 * as one chunk, and their table. `samples` is the table's, freed by the caller.
 */
static enum rt__mp4_result chapter_track(struct rt__mp4 *mp4, struct rt__mp4_table *text,
                                         struct rt__mp4_chunk *chunk, struct rt__mp4_chapters *out)
{
    memset(out, 0, sizeof *out);
    double last_end;
    double movie =
        (double)rt__mp4_movie_duration(mp4->tracks, mp4->has_window ? &mp4->window : NULL) / 1000;
    size_t count = mp4->chapter_count < 255 ? mp4->chapter_count : 255; /* chpl's count: a byte */
    size_t n = rt__mux_chapters_within(mp4->chapters, count, movie, &last_end);
    if (n == 0)
        return RT__MP4_OK;
    struct rt__buf data;
    rt__buf_init(&data, 1u << 24);
    if (!(text->samples = calloc(n, sizeof *text->samples))) {
        rt__buf_cleanup(&data);
        return RT__MP4_NOMEM;
    }
    /* Times in milliseconds. The track starts with the movie, as libavformat's does: a first
     * chapter that starts later is read from 0 (the parser's lists all start at 0). */
    for (size_t i = 0; i < n; i++) {
        size_t size = rt__mp4_chapter_sample(NULL, mp4->chapters[i].title);
        uint8_t *p = (uint8_t *)rt__buf_space(&data, size);
        if (!p) {
            rt__buf_cleanup(&data);
            return RT__MP4_NOMEM;
        }
        rt__mp4_chapter_sample(p, mp4->chapters[i].title);
        rt__buf_commit(&data, size);
        int64_t start = i == 0 ? 0 : llround(mp4->chapters[i].start * 1000);
        text->samples[i] = (struct rt__mp4_sample){start, (uint32_t)size, 0};
    }
    *chunk = (struct rt__mp4_chunk){mp4->data_pos, 0, (uint32_t)n};
    enum rt__mp4_result r = write_at(mp4, data.data, data.len, mp4->data_pos);
    mp4->data_pos += data.len;
    rt__buf_cleanup(&data);
    text->declared = text->is_text = true;
    text->timescale = 1000;
    text->wide_limit = mp4->tracks[RT__MP4_VIDEO].wide_limit;
    text->count = text->key_count = n;
    text->chunks = chunk;
    text->chunk_count = 1;
    text->last_duration = llround(last_end * 1000) - text->samples[n - 1].dts;
    if (text->last_duration < 1)
        text->last_duration = 1;
    *out = (struct rt__mp4_chapters){mp4->chapters, n, text};
    return r;
}

enum rt__mp4_result rt__mp4_finish(struct rt__mp4 *mp4)
{
    if (!mp4->tracks[RT__MP4_VIDEO].declared || mp4->tracks[RT__MP4_VIDEO].count == 0)
        return RT__MP4_NOT_DECLARED;
    for (int i = 0; i < 2; i++) {
        enum rt__mp4_result r = flush_chunk(mp4, &mp4->tracks[i]);
        if (r != RT__MP4_OK)
            return r;
    }
    struct rt__mp4_table text = {0};
    struct rt__mp4_chunk chunk;
    struct rt__mp4_chapters chapters;
    enum rt__mp4_result written = chapter_track(mp4, &text, &chunk, &chapters);
    struct rt__buf moov;
    rt__buf_init(&moov, 1u << 30);
    bool built = written == RT__MP4_OK &&
                 rt__mp4_moov_build(mp4->tracks, &mp4->tags, mp4->has_window ? &mp4->window : NULL,
                                    &chapters, &moov);
    free(text.samples);
    if (!built) {
        rt__buf_cleanup(&moov);
        return written != RT__MP4_OK ? written : RT__MP4_NOMEM;
    }
    /* The moov fills its room exactly, or leaves at least a free box's header. */
    if (moov.len != mp4->room && moov.len + 8 > mp4->room) {
        rt__buf_cleanup(&moov);
        return RT__MP4_NO_ROOM;
    }
    uint8_t head[FTYP_SIZE] = {0,   0,   0,   FTYP_SIZE, 'f', 't', 'y', 'p', 'i', 's', 'o',
                               'm', 0,   0,   2,         0,   'i', 's', 'o', 'm', 'i', 's',
                               'o', '2', 'a', 'v',       'c', '1', 'm', 'p', '4', '1'};
    enum rt__mp4_result r = write_at(mp4, head, sizeof head, 0);
    size_t moov_len = moov.len, free_len = mp4->room - moov.len;
    if (r == RT__MP4_OK)
        r = write_at(mp4, moov.data, moov_len, FTYP_SIZE);
    rt__buf_cleanup(&moov);
    if (r == RT__MP4_OK && free_len > 0) {
        uint8_t box[8] = {0, 0, 0, 0, 'f', 'r', 'e', 'e'};
        rt__be32(box, (uint32_t)free_len);
        r = write_at(mp4, box, sizeof box, FTYP_SIZE + (uint64_t)moov_len);
    }
    /* The media data's header: 32-bit behind a free box when it fits, else 64-bit. */
    uint64_t at = FTYP_SIZE + mp4->room, payload = mp4->data_pos - at - MDAT_HEADER;
    uint8_t mdat[MDAT_HEADER] = {0, 0, 0, 8, 'f', 'r', 'e', 'e', 0, 0, 0, 0, 'm', 'd', 'a', 't'};
    if (payload + 8 <= mp4->tracks[0].wide_limit) {
        rt__be32(mdat + 8, (uint32_t)(payload + 8));
    } else {
        static const uint8_t wide[8] = {0, 0, 0, 1, 'm', 'd', 'a', 't'};
        memcpy(mdat, wide, 8);
        rt__be32(mdat + 8, (uint32_t)((payload + 16) >> 32));
        rt__be32(mdat + 12, (uint32_t)(payload + 16));
    }
    if (r == RT__MP4_OK)
        r = write_at(mp4, mdat, sizeof mdat, at);
    /* The room taken ahead and not written given back: the file ends with its media data. */
    int cut = r == RT__MP4_OK ? rt__reserve_release(&mp4->reserve, mp4->fd, mp4->data_pos) : 0;
    if (cut != 0) {
        mp4->error = cut;
        r = RT__MP4_IO;
    }
    return r;
}
