/* The media folders make-media.sh fills: each quality's index.m3u8, its files, its codecs. */
#include "fake.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* What today's masters say of every quality folder that has no stream-inf.txt. */
#define DEFAULT_CODECS "avc1.640029, mp4a.40.2"
#define DEFAULT_FPS    25

char *fake_path_join(const char *a, const char *b)
{
    size_t size = strlen(a) + strlen(b) + 2;
    char *path = malloc(size);
    if (path)
        snprintf(path, size, "%s/%s", a, b);
    return path;
}

static void quality_cleanup(struct fake_quality *quality)
{
    for (size_t i = 0; i < quality->segment_count; i++)
        free(quality->segments[i].path);
    free(quality->segments);
    free(quality->init.path);
    free(quality->name);
    free(quality->codecs);
    free(quality->ts_cycle);
}

/* DIR/name as a file to serve: its path and size. */
static int load_file(struct fake_segment *file, const char *dir, const char *name)
{
    if (strchr(name, '/') || name[0] == '\0') {
        fprintf(stderr, FAKE_PROGRAM ": %s/index.m3u8: bad entry %s\n", dir, name);
        return -1;
    }
    file->path = fake_path_join(dir, name);
    if (!file->path)
        return -1;
    struct stat st;
    if (stat(file->path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
        fprintf(stderr, FAKE_PROGRAM ": %s: missing or empty segment\n", file->path);
        return -1;
    }
    file->size = (uint64_t)st.st_size;
    return 0;
}

static int add_segment(struct fake_quality *quality, const char *dir, const char *name,
                       double duration, size_t *capacity)
{
    if (duration <= 0) {
        fprintf(stderr, FAKE_PROGRAM ": %s/index.m3u8: bad entry %s\n", dir, name);
        return -1;
    }
    if (quality->segment_count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 32;
        struct fake_segment *segments = realloc(quality->segments, grown * sizeof *segments);
        if (!segments)
            return -1;
        quality->segments = segments;
        *capacity = grown;
    }
    struct fake_segment *segment = &quality->segments[quality->segment_count];
    memset(segment, 0, sizeof *segment);
    quality->segment_count++;
    if (load_file(segment, dir, name) != 0)
        return -1;
    segment->duration = duration;
    quality->duration += duration;
    quality->bytes += segment->size;
    return 0;
}

/* #EXT-X-MAP:URI="init.mp4": the fMP4 init section every fragment needs before it. */
static int load_map(struct fake_quality *quality, const char *dir, const char *line)
{
    const char *uri = strstr(line, "URI=\"");
    const char *end = uri ? strchr(uri + 5, '"') : NULL;
    if (!end || quality->is_fmp4) {
        fprintf(stderr, FAKE_PROGRAM ": %s/index.m3u8: bad or second #EXT-X-MAP\n", dir);
        return -1;
    }
    char *name = strndup(uri + 5, (size_t)(end - uri - 5));
    int loaded = name ? load_file(&quality->init, dir, name) : -1;
    free(name);
    quality->is_fmp4 = loaded == 0;
    return loaded;
}

/*
 * stream-inf.txt (optional): CODECS=<the master's CODECS value> and FRAME-RATE=<N> lines, what
 * make-media.sh knows of the encoding. Without it the quality is today's H.264 at 25 fps.
 */
static int load_stream_inf(struct fake_quality *quality, const char *dir)
{
    quality->fps = DEFAULT_FPS;
    char *path = fake_path_join(dir, "stream-inf.txt");
    FILE *f = path ? fopen(path, "r") : NULL;
    free(path);
    if (!f) {
        quality->codecs = strdup(DEFAULT_CODECS);
        return quality->codecs ? 0 : -1;
    }
    int result = -1;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        unsigned fps = 0;
        int used = 0;
        if (strncmp(line, "CODECS=", 7) == 0 && line[7] && !strpbrk(line, "\"\t") &&
            !quality->codecs) {
            quality->codecs = strdup(line + 7);
            if (!quality->codecs)
                goto out;
        } else if (sscanf(line, "FRAME-RATE=%u%n", &fps, &used) == 1 && !line[used] && fps) {
            quality->fps = fps;
        } else if (line[0]) {
            fprintf(stderr, FAKE_PROGRAM ": %s/stream-inf.txt: bad line \"%s\"\n", dir, line);
            goto out;
        }
    }
    if (!quality->codecs) {
        fprintf(stderr, FAKE_PROGRAM ": %s/stream-inf.txt has no CODECS= line\n", dir);
        goto out;
    }
    result = 0;
out:
    fclose(f);
    return result;
}

/* Reads the segment names and durations ffmpeg wrote; the server never invents its own. */
static int load_quality(struct fake_quality *quality, const char *dir)
{
    int result = -1;
    size_t capacity = 0;
    char *line = NULL;
    size_t line_size = 0;
    double pending = -1;
    char *index = fake_path_join(dir, "index.m3u8");
    FILE *f = index ? fopen(index, "r") : NULL;
    if (!f) {
        fprintf(stderr, FAKE_PROGRAM ": cannot read %s/index.m3u8: %m\n", dir);
        goto out;
    }
    ssize_t len;
    while ((len = getline(&line, &line_size, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (strncmp(line, "#EXTINF:", 8) == 0) {
            pending = strtod(line + 8, NULL);
        } else if (strncmp(line, "#EXT-X-MAP:", 11) == 0) {
            if (load_map(quality, dir, line) != 0)
                goto out;
        } else if (line[0] && line[0] != '#') {
            if (add_segment(quality, dir, line, pending, &capacity) != 0)
                goto out;
            pending = -1;
        }
    }
    if (quality->segment_count == 0) {
        fprintf(stderr, FAKE_PROGRAM ": %s/index.m3u8 lists no segments\n", dir);
        goto out;
    }
    if (load_stream_inf(quality, dir) != 0)
        goto out;
    quality->bandwidth = (unsigned)((double)quality->bytes * 8 / quality->duration);
    result = 0;
out:
    if (f)
        fclose(f);
    free(line);
    free(index);
    return result;
}

/* "<W>x<H>" (H.264), "<W>x<H>-hevc" or "<W>x<H>-av1"; anything else is not a quality. */
static bool parse_folder(const char *name, unsigned *width, unsigned *height,
                         enum fake_codec *codec)
{
    static const char *const suffixes[] = {"", "-hevc", "-av1"};
    int used = 0;
    if (sscanf(name, "%ux%u%n", width, height, &used) != 2 || *width == 0 || *height == 0 ||
        (name[used] && name[used] != '-'))
        return false;
    for (int c = FAKE_CODEC_H264; c <= FAKE_CODEC_AV1; c++) {
        if (strcmp(name + used, suffixes[c]) == 0) {
            *codec = (enum fake_codec)c;
            return true;
        }
    }
    return false;
}

/* Smallest first by pixels, as RuTube lists them; one size: H.264, HEVC, AV1. */
static int by_pixels(const void *a, const void *b)
{
    const struct fake_quality *qa = a, *qb = b;
    unsigned long pa = (unsigned long)qa->width * qa->height;
    unsigned long pb = (unsigned long)qb->width * qb->height;
    if (pa != pb)
        return (pa > pb) - (pa < pb);
    return (qa->codec > qb->codec) - (qa->codec < qb->codec);
}

/* make-media.sh's audio-only set: "<W>x<H>-audio". */
static bool is_audio_only(const char *name)
{
    unsigned width, height;
    int used = 0;
    return sscanf(name, "%ux%u-audio%n", &width, &height, &used) == 2 && name[used] == '\0';
}

static int load_audio_only(struct fake_media *media, const char *dir, const char *name)
{
    if (media->audio_only) {
        fprintf(stderr, FAKE_PROGRAM ": %s holds more than one audio-only folder\n", dir);
        return -1;
    }
    media->audio_only = calloc(1, sizeof *media->audio_only);
    char *audio_dir = fake_path_join(dir, name);
    int loaded = media->audio_only && audio_dir ? load_quality(media->audio_only, audio_dir) : -1;
    free(audio_dir);
    return loaded;
}

/* --no-video swaps segment k for the audio-only one: both lists must line up. */
static int check_audio_only(const struct fake_media *media, const char *dir)
{
    for (size_t q = 0; q < media->quality_count; q++) {
        if (media->qualities[q].segment_count != media->audio_only->segment_count) {
            fprintf(stderr,
                    FAKE_PROGRAM ": %s: the audio-only folder has %zu segments, %s has %zu\n", dir,
                    media->audio_only->segment_count, media->qualities[q].name,
                    media->qualities[q].segment_count);
            return -1;
        }
    }
    return 0;
}

static int add_quality(struct fake_media *media, const char *dir, const char *name, unsigned width,
                       unsigned height, enum fake_codec codec)
{
    struct fake_quality *grown =
        realloc(media->qualities, (media->quality_count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    media->qualities = grown;
    struct fake_quality *quality = &media->qualities[media->quality_count++];
    memset(quality, 0, sizeof *quality);
    quality->width = width;
    quality->height = height;
    quality->codec = codec;
    quality->name = strdup(name);
    char *quality_dir = fake_path_join(dir, name);
    int loaded = quality_dir && quality->name ? load_quality(quality, quality_dir) : -1;
    free(quality_dir);
    media->has_fmp4 = media->has_fmp4 || quality->is_fmp4;
    return loaded;
}

int fake_media_load(struct fake_media *media, const char *media_dir, const char *name)
{
    int result = -1;
    DIR *d = NULL;
    media->name = strdup(name);
    char *dir = fake_path_join(media_dir, name);
    if (!media->name || !dir)
        goto out;
    d = opendir(dir);
    if (!d) {
        fprintf(stderr, FAKE_PROGRAM ": cannot open media folder %s: %m (run make-media.sh)\n",
                dir);
        goto out;
    }
    struct dirent *entry;
    while ((entry = readdir(d))) {
        unsigned width, height;
        enum fake_codec codec;
        if (is_audio_only(entry->d_name)) {
            if (load_audio_only(media, dir, entry->d_name) != 0)
                goto out;
        } else if (parse_folder(entry->d_name, &width, &height, &codec) &&
                   add_quality(media, dir, entry->d_name, width, height, codec) != 0) {
            goto out;
        }
    }
    if (media->quality_count == 0) {
        fprintf(stderr, FAKE_PROGRAM ": %s holds no WxH quality folders\n", dir);
        goto out;
    }
    if (media->audio_only && check_audio_only(media, dir) != 0)
        goto out;
    qsort(media->qualities, media->quality_count, sizeof *media->qualities, by_pixels);
    result = 0;
out:
    if (d)
        closedir(d);
    free(dir);
    return result;
}

void fake_media_cleanup(struct fake_media *media)
{
    for (size_t q = 0; q < media->quality_count; q++)
        quality_cleanup(&media->qualities[q]);
    free(media->qualities);
    if (media->audio_only)
        quality_cleanup(media->audio_only);
    free(media->audio_only);
    free(media->name);
}
