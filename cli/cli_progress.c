/* The progress display: one line redrawn in place on a terminal, plain 10% steps elsewhere. */
#include "cli.h"
#include "cli_i18n.h"

#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

void cli_format_size(double bytes, char *out, size_t size)
{
    /* TRANSLATORS: units of size: bytes, kibibytes (1024 bytes), mebibytes... */
    static const char *const units[] = {N_("B"), N_("KiB"), N_("MiB"), N_("GiB"), N_("TiB")};
    size_t u = 0;
    while (bytes >= 1024 && u + 1 < sizeof units / sizeof units[0]) {
        bytes /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(out, size, "%.0f %s", bytes, _(units[u]));
    else
        snprintf(out, size, "%.1f %s", bytes, _(units[u]));
}

void cli_format_duration(double seconds, char *out, size_t size)
{
    if (seconds < 0 || seconds > 1e7) {
        snprintf(out, size, "--:--");
        return;
    }
    long s = (long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(out, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, size, "%ld:%02ld", s / 60, s % 60);
}

void cli_progress_init(struct cli_progress *p, FILE *out, bool quiet)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->quiet = quiet;
    p->is_tty = isatty(fileno(out));
    p->last_tenth = -1;
}

int cli_terminal_width(FILE *out)
{
    struct winsize ws;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* The figures of one progress line: percent, sizes, speed, ETA, segments. */
/* A live recording has no end to measure against: the media time recorded, and the bytes. */
static void describe_live(const struct rt_progress *pr, char *out, size_t size)
{
    char recorded[32], done[32], speed[32];
    cli_format_duration(pr->recorded, recorded, sizeof recorded);
    cli_format_size((double)pr->bytes_done, done, sizeof done);
    cli_format_size(pr->speed, speed, sizeof speed);
    /* TRANSLATORS: a live recording: media time recorded, bytes, speed, segments so far. */
    snprintf(out, size, _("[live] %s recorded  %s  %s/s  segments %zu  (Ctrl-C ends it)"), recorded,
             done, speed, pr->segments_done);
}

void cli_progress_describe(const struct rt_progress *pr, char *out, size_t size, double *fraction)
{
    char done[32], total[32], speed[32], eta[32];
    if (pr->live) {
        *fraction = 0;
        describe_live(pr, out, size);
        return;
    }
    *fraction = pr->bytes_expected ? (double)pr->bytes_done / (double)pr->bytes_expected : 0;
    if (pr->segments_done == pr->segments_total)
        *fraction = 1;
    if (*fraction > 1)
        *fraction = 1;
    cli_format_size((double)pr->bytes_done, done, sizeof done);
    cli_format_size((double)pr->bytes_expected, total, sizeof total);
    cli_format_size(pr->speed, speed, sizeof speed);
    if (pr->speed > 0 && pr->bytes_expected > pr->bytes_done)
        cli_format_duration((double)(pr->bytes_expected - pr->bytes_done) / pr->speed, eta,
                            sizeof eta);
    else if (pr->segments_done == pr->segments_total)
        snprintf(eta, sizeof eta, "0:00");
    else
        snprintf(eta, sizeof eta, "--:--");
    /* TRANSLATORS: percent done, size done / size expected, speed per second, time left,
     * segments done / segments in all. Keep it short: it shares a terminal line with a bar. */
    snprintf(out, size, _("%5.1f%%  %s / %s  %s/s  ETA %s  segments %zu/%zu"), *fraction * 100,
             done, total, speed, eta, pr->segments_done, pr->segments_total);
}

/* The remux line: how much of the downloaded stream was copied into the container. */
static void describe_remux(const struct cli_progress *p, const struct rt_progress *pr, char *out,
                           size_t size, double *fraction)
{
    char total[32];
    *fraction = pr->bytes_expected ? (double)pr->bytes_done / (double)pr->bytes_expected : 1;
    if (*fraction > 1)
        *fraction = 1;
    cli_format_size((double)pr->bytes_expected, total, sizeof total);
    if (p->audio_only)
        /* TRANSLATORS: percent done, the size of the stream, the audio format ("MP3"). */
        snprintf(out, size, _("%5.1f%%  writing the audio of %s as %s"), *fraction * 100, total,
                 p->container);
    else
        /* TRANSLATORS: percent done, the size of the stream, the container ("MP4"). */
        snprintf(out, size, _("%5.1f%%  copying %s into %s"), *fraction * 100, total, p->container);
}

void cli_progress_update(const struct rt_progress *pr, void *data)
{
    struct cli_progress *p = data;
    char text[256];
    double fraction;
    if (p->quiet)
        return;
    if (pr->phase != p->phase) {
        p->phase = pr->phase;
        p->last_tenth = -1;
    }
    if (pr->phase == RT_PHASE_REMUX) {
        describe_remux(p, pr, text, sizeof text, &fraction);
        if (!p->is_tty) {
            /* One line in a log: the copy takes seconds, not minutes. */
            if (p->last_tenth < 0) {
                p->last_tenth = 0;
                if (p->audio_only)
                    fprintf(p->out, _("[remux] writing the audio as %s\n"), p->container);
                else
                    fprintf(p->out, _("[remux] copying the streams into %s\n"), p->container);
                fflush(p->out);
            }
            return;
        }
    } else {
        cli_progress_describe(pr, text, sizeof text, &fraction);
    }

    if (!p->is_tty && pr->live) {
        /* Logs get a line a minute of media recorded. */
        int minute = (int)(pr->recorded / 60);
        if (minute > p->last_tenth) {
            p->last_tenth = minute;
            fprintf(p->out, "%s\n", text);
            fflush(p->out);
        }
        return;
    }
    if (!p->is_tty) {
        /* Logs get a plain line per 10% step, nothing redrawn. */
        int tenth = (int)(fraction * 10);
        if (tenth > p->last_tenth && (tenth > 0 || pr->segments_done == pr->segments_total)) {
            p->last_tenth = tenth;
            fprintf(p->out, "[download] %s\n", text);
            fflush(p->out);
        }
        return;
    }
    /* A bar when the terminal is wide enough; never wider than the terminal, since a wrapped
     * line cannot be redrawn with \r. */
    int width = cli_terminal_width(p->out);
    int text_len = (int)cli_text_chars(text);
    int bar = width - text_len - 4;
    if (bar > 40)
        bar = 40;
    fputs("\r\033[K", p->out);
    if (bar >= 10 && !pr->live) {
        int filled = (int)(fraction * bar);
        fputc('[', p->out);
        for (int i = 0; i < bar; i++)
            fputc(i < filled ? '#' : '.', p->out);
        fputs("] ", p->out);
    }
    fprintf(p->out, "%.*s", cli_text_cut(text, width - 1), text);
    fflush(p->out);
    p->drawn = true;
}

void cli_progress_clear(struct cli_progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
        p->drawn = false;
    }
}
