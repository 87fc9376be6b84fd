/* Showing a video's formats as a table, and asking which one to save. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void cli_formats_print(FILE *out, const struct rt_video *video)
{
    char duration[32];
    cli_format_duration(video->duration, duration, sizeof duration);
    fprintf(out, "Formats of \"%s\" (%s, %s):\n", video->title, video->id, duration);
    fprintf(out, "  %2s  %-10s %12s %5s  %-24s %10s  %s\n", "#", "resolution", "bitrate", "fps",
            "codecs", "size", "mirrors");
    for (size_t i = 0; i < video->format_count; i++) {
        const struct rt_format *f = &video->formats[i];
        char size[32] = "?";
        char resolution[32];
        uint64_t estimate = rt_format_estimate_size(video, f);
        if (estimate > 0) {
            size[0] = '~';
            cli_format_size((double)estimate, size + 1, sizeof size - 1);
        }
        snprintf(resolution, sizeof resolution, "%dx%d", f->width, f->height);
        fprintf(out, "  %2zu  %-10s %6ld kbit/s %5.4g  %-24s %10s  %zu%s\n", i + 1, resolution,
                (f->bandwidth + 500) / 1000, f->frame_rate, f->codecs, size, f->mirror_count,
                i + 1 == video->format_count ? "  (best)" : "");
    }
}

bool cli_formats_ask(FILE *in, FILE *out, const struct rt_video *video, size_t *index)
{
    char line[64];
    cli_formats_print(out, video);
    for (int tries = 0; tries < 3; tries++) {
        fprintf(out, "Choose a format [1-%zu, Enter for %zu]: ", video->format_count,
                video->format_count);
        fflush(out);
        if (!fgets(line, sizeof line, in)) {
            fputc('\n', out);
            fputs("rutube-dl: no format chosen (end of input)\n", stderr);
            return false;
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0') {
            *index = video->format_count - 1;
            return true;
        }
        char *end;
        long n = strtol(line, &end, 10);
        if (end != line && *end == '\0' && n >= 1 && (size_t)n <= video->format_count) {
            *index = (size_t)n - 1;
            return true;
        }
        fprintf(out, "\"%s\" is not a number from 1 to %zu.\n", line, video->format_count);
    }
    fputs("rutube-dl: no format chosen\n", stderr);
    return false;
}

void cli_subs_print(FILE *out, const struct rt_video *video)
{
    if (video->caption_count == 0) {
        fprintf(out, "Video %s has no subtitles.\n", video->id);
        return;
    }
    fprintf(out, "Subtitles of \"%s\" (%s):\n", video->title, video->id);
    fprintf(out, "  %-8s %-20s %s\n", "language", "name", "address");
    for (size_t i = 0; i < video->caption_count; i++) {
        const struct rt_caption *c = &video->captions[i];
        fprintf(out, "  %-8s %-20s %s\n", c->lang, c->name, c->url);
    }
}
