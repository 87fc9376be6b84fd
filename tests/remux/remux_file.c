/*
 * remux-file [--libavformat] [--fragmented] [--mkv] [--chapters TEXT] [--cover IMAGE] IN OUT
 * DURATION: one
 * rt__mux_run() on a file, as a download ends with, so that test_remux.sh can set librutube's
 * own TS -> MP4 path beside libavformat's on the same input, and bench/ can time a remux alone.
 * IN is MPEG-TS, or with --fragmented an init section and fMP4 fragments (as RuTube's AV1
 * renditions come); OUT is an MP4, or Matroska with --mkv. With --chapters, TEXT is read as a
 * video's description (rt_chapters_from_description() with DURATION) and its chapters go into
 * the file. With --cover, IMAGE's bytes (a thumbnail) are its cover. Prints the library's log to
 * stderr; exit 0 on success.
 */
#include "media/mux.h"
#include "output/tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void log_line(enum rt_log_level level, const char *message, void *data)
{
    (void)level;
    (void)data;
    fprintf(stderr, "remux-file: %s\n", message);
}

int main(int argc, char **argv)
{
    int first = 1;
    bool general = false, fragmented = false, mkv = false;
    const char *description = NULL, *cover_path = NULL;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
        if (strcmp(argv[first], "--libavformat") == 0)
            general = true;
        else if (strcmp(argv[first], "--fragmented") == 0)
            fragmented = true;
        else if (strcmp(argv[first], "--mkv") == 0)
            mkv = true;
        else if (strcmp(argv[first], "--chapters") == 0 && first + 1 < argc)
            description = argv[++first];
        else if (strcmp(argv[first], "--cover") == 0 && first + 1 < argc)
            cover_path = argv[++first];
        else
            break;
    }
    if (argc - first != 3) {
        fprintf(stderr,
                "usage: remux-file [--libavformat] [--fragmented] [--mkv] [--chapters TEXT] "
                "[--cover IMAGE] IN OUT DURATION\n");
        return 2;
    }
    static unsigned char cover[1 << 20];
    size_t cover_len = 0;
    if (cover_path) {
        FILE *f = fopen(cover_path, "rb");
        if (!f) {
            perror(cover_path);
            return 1;
        }
        cover_len = fread(cover, 1, sizeof cover, f);
        fclose(f);
    }
    enum rt_container container = mkv ? RT_CONTAINER_MKV : RT_CONTAINER_MP4;
    struct rt_client_options options;
    rt_client_options_init(&options);
    options.log = log_line;
    struct rt_client *client = NULL;
    struct rt_error err = {0};
    if (rt_client_new(&options, &client, &err) != RT_OK) {
        fprintf(stderr, "remux-file: %s\n", err.message);
        return 1;
    }
    struct rt_video video = {
        .id = "2ce725b3dc1a243f8456458975ecd872",
        .title = "Пальцы | Трейлер",
        .author = "PREMIER",
        .published = "2024-10-30T12:00:00",
        .description = "Смотрите\nна RuTube",
        .page_url = "https://rutube.ru/video/2ce725b3dc1a243f8456458975ecd872/",
    };
    struct rt_chapter *chapters = NULL;
    size_t chapter_count = 0;
    if (rt_chapters_from_description(description, atof(argv[first + 2]), &chapters,
                                     &chapter_count) != RT_OK) {
        fprintf(stderr, "remux-file: out of memory\n");
        return 1;
    }
    struct rt__mux_tag tags[RT__MUX_TAGS];
    char date[11];
    struct rt__mux_job job = {
        .input = argv[first],
        .output = argv[first + 1],
        .fragmented = fragmented,
        .container = container,
        .tags = tags,
        .tag_count = rt__tags_for_video(&video, container, date, tags),
        .chapters = chapters,
        .chapter_count = chapter_count,
        .cover = cover_len ? cover : NULL,
        .cover_len = cover_len,
        .expected_duration = atof(argv[first + 2]),
        .general_only = general,
        .client = client,
    };
    enum rt_code result = rt__mux_run(&job, &err);
    if (result != RT_OK)
        fprintf(stderr, "remux-file: %s\n", err.message);
    rt_chapters_free(chapters);
    rt_client_free(client);
    return result == RT_OK ? 0 : 1;
}
