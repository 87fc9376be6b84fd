/* Showing a video's formats as a table, and asking which one to save. */
#include "cli.h"
#include "cli_i18n.h"

#include <stdlib.h>
#include <string.h>

/* The table's columns: heading, width in characters, right-aligned. The headings are
 * translated, so they are padded by characters, not by printf's bytes. */
struct column {
    const char *heading;
    int width;
    bool right;
};

static const struct column format_columns[] = {
    {N_("resolution"), 10, false}, {N_("codec"), 6, false},   {N_("bitrate"), 12, true},
    {N_("fps"), 5, true},          {N_("codecs"), 24, false}, {N_("size"), 10, true},
    {N_("mirrors"), 0, false},
};

/* One cell and the space after it ("  " before the codecs and the mirrors, as the rows). */
static void print_cell(FILE *out, const struct column *c, const char *text, const char *gap)
{
    cli_text_pad(out, text, c->width, c->right);
    fputs(gap, out);
}

void cli_formats_print(FILE *out, const struct rt_video *video)
{
    char duration[32];
    const struct column *c = format_columns;
    cli_format_duration(video->duration, duration, sizeof duration);
    /* TRANSLATORS: the title, the video's id, its length ("1:02:03"). */
    char title[1024], codecs[256];
    rt_text_printable(video->title, title, sizeof title);
    fprintf(out, _("Formats of \"%s\" (%s, %s):\n"), title, video->id, duration);
    fprintf(out, "  %2s  ", "#");
    print_cell(out, &c[0], _(c[0].heading), " ");
    print_cell(out, &c[1], _(c[1].heading), " ");
    print_cell(out, &c[2], _(c[2].heading), " ");
    print_cell(out, &c[3], _(c[3].heading), "  ");
    print_cell(out, &c[4], _(c[4].heading), " ");
    print_cell(out, &c[5], _(c[5].heading), "  ");
    print_cell(out, &c[6], _(c[6].heading), "\n");
    for (size_t i = 0; i < video->format_count; i++) {
        const struct rt_format *f = &video->formats[i];
        char size[32] = "?";
        char resolution[32], bitrate[32], fps[16], mirrors[32];
        uint64_t estimate = rt_format_estimate_size(video, f);
        if (estimate > 0) {
            size[0] = '~';
            cli_format_size((double)estimate, size + 1, sizeof size - 1);
        }
        snprintf(resolution, sizeof resolution, "%dx%d", f->width, f->height);
        /* TRANSLATORS: a bit rate in kilobits per second. */
        snprintf(bitrate, sizeof bitrate, _("%ld kbit/s"), (f->bandwidth + 500) / 1000);
        snprintf(fps, sizeof fps, "%.4g", f->frame_rate);
        if (i + 1 == video->format_count)
            /* TRANSLATORS: the mirrors column of the best format: "3  (best)". */
            snprintf(mirrors, sizeof mirrors, _("%zu  (best)"), f->mirror_count);
        else
            snprintf(mirrors, sizeof mirrors, "%zu", f->mirror_count);
        fprintf(out, "  %2zu  ", i + 1);
        print_cell(out, &c[0], resolution, " ");
        print_cell(out, &c[1], rt_codec_name(rt_format_codec(f)), " ");
        print_cell(out, &c[2], bitrate, " ");
        print_cell(out, &c[3], fps, "  ");
        rt_text_printable(f->codecs, codecs, sizeof codecs); /* the master's words */
        print_cell(out, &c[4], codecs, " ");
        print_cell(out, &c[5], size, "  ");
        print_cell(out, &c[6], mirrors, "\n");
    }
}

bool cli_formats_ask(FILE *in, FILE *out, const struct rt_video *video, size_t *index)
{
    char line[64];
    cli_formats_print(out, video);
    for (int tries = 0; tries < 3; tries++) {
        /* TRANSLATORS: the prompt after the formats table: the range of numbers, then the
         * number an empty answer (Enter) chooses, the best. */
        fprintf(out, _("Choose a format [1-%zu, Enter for %zu]: "), video->format_count,
                video->format_count);
        fflush(out);
        if (!fgets(line, sizeof line, in)) {
            fputc('\n', out);
            cli_complain("%s", _("no format chosen (end of input)"));
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
        fprintf(out, _("\"%s\" is not a number from 1 to %zu.\n"), line, video->format_count);
    }
    cli_complain("%s", _("no format chosen"));
    return false;
}

void cli_subs_print(FILE *out, const struct rt_video *video)
{
    if (video->caption_count == 0) {
        fprintf(out, _("Video %s has no subtitles."), video->id);
        fputc('\n', out);
        return;
    }
    char title[1024], name[512], url[2048];
    rt_text_printable(video->title, title, sizeof title);
    /* TRANSLATORS: the title, the video's id. */
    fprintf(out, _("Subtitles of \"%s\" (%s):\n"), title, video->id);
    fputs("  ", out);
    /* TRANSLATORS: the headings of the subtitles' table: a language code ("ru"), the track's
     * name, its address. */
    cli_text_pad(out, _("language"), 8, false);
    fputc(' ', out);
    cli_text_pad(out, _("name"), 20, false);
    fputc(' ', out);
    /* TRANSLATORS: the subtitles' format column: "vtt" or "srt", as RuTube states it. */
    cli_text_pad(out, _("format"), 6, false);
    fprintf(out, " %s\n", _("address"));
    for (size_t i = 0; i < video->caption_count; i++) {
        const struct rt_caption *c = &video->captions[i];
        const char *format = video->caption_formats ? video->caption_formats[i] : "";
        fputs("  ", out);
        cli_text_pad(out, c->lang, 8, false);
        fputc(' ', out);
        rt_text_printable(c->name, name, sizeof name);
        rt_text_printable(c->url, url, sizeof url);
        cli_text_pad(out, name, 20, false);
        fputc(' ', out);
        cli_text_pad(out, *format ? format : "?", 6, false);
        fprintf(out, " %s\n", url);
    }
}
