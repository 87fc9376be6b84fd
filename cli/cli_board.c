/* Several downloads on one terminal: a line per running video under an overall line, redrawn
 * in place a few times a second. Only used when stdout is a terminal. */
#include "cli_i18n.h"
#include "cli_run.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TITLE_MAX 60
/* Redraws per second, at most: more is flicker, not information. */
#define DRAW_INTERVAL 0.2

struct cli_board_slot {
    struct cli_board *board;
    bool active;
    char title[TITLE_MAX * 4 + 1]; /* UTF-8: room for TITLE_MAX characters */
    struct rt_progress last;
    bool has_progress;
};

struct cli_board {
    FILE *out;
    pthread_mutex_t lock;
    struct cli_board_slot *slots;
    size_t slot_count;
    size_t total, finished;
    uint64_t finished_bytes;
    size_t drawn; /* lines on screen now */
    double last_draw;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct cli_board *cli_board_new(FILE *out, size_t slots, size_t total)
{
    struct cli_board *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->slots = calloc(slots, sizeof *b->slots);
    if (!b->slots) {
        free(b);
        return NULL;
    }
    b->out = out;
    b->slot_count = slots;
    b->total = total;
    for (size_t i = 0; i < slots; i++)
        b->slots[i].board = b;
    pthread_mutex_init(&b->lock, NULL);
    return b;
}

/* Copy at most TITLE_MAX characters of a UTF-8 title, cutting on a character boundary. */
static void short_title(const char *title, char *out, size_t size)
{
    size_t chars = 0, i = 0;
    while (title[i] && chars < TITLE_MAX && i + 4 < size) {
        size_t len = 1;
        while ((title[i + len] & 0xC0) == 0x80)
            len++;
        memcpy(out + i, title + i, len);
        i += len;
        chars++;
    }
    out[i] = '\0';
    if (title[i] && i + 4 < size)
        strcpy(out + i, "…");
}

/* Move back over what was drawn and clear it. Called with the lock held. */
static void erase(struct cli_board *b)
{
    if (b->drawn > 0)
        fprintf(b->out, "\033[%zuA\r\033[J", b->drawn);
    b->drawn = 0;
}

static void draw(struct cli_board *b)
{
    int width = cli_terminal_width(b->out);
    char line[512], size[32], speed[32];
    double total_speed = 0;
    uint64_t bytes = b->finished_bytes;
    size_t running = 0;
    for (size_t i = 0; i < b->slot_count; i++) {
        const struct cli_board_slot *s = &b->slots[i];
        if (!s->active)
            continue;
        running++;
        if (s->has_progress && s->last.phase == RT_PHASE_DOWNLOAD) {
            total_speed += s->last.speed;
            bytes += s->last.bytes_done;
        }
    }
    erase(b);
    cli_format_size((double)bytes, size, sizeof size);
    cli_format_size(total_speed, speed, sizeof speed);
    /* TRANSLATORS: videos finished, of how many (the plural follows this number), videos
     * downloading now, bytes saved, the speed of all together. */
    snprintf(line, sizeof line,
             ngettext("Overall: %zu of %zu video done, %zu running, %s, %s/s",
                      "Overall: %zu of %zu videos done, %zu running, %s, %s/s", b->total),
             b->finished, b->total, running, size, speed);
    /* Cut to the width, counting characters: a wrapped line could not be redrawn in place. */
    fprintf(b->out, "%.*s\n", cli_text_cut(line, width - 1), line);
    b->drawn = 1;
    for (size_t i = 0; i < b->slot_count; i++) {
        const struct cli_board_slot *s = &b->slots[i];
        if (!s->active)
            continue;
        char figures[256];
        double fraction;
        snprintf(figures, sizeof figures, "%s", _("starting"));
        if (s->has_progress && s->last.phase == RT_PHASE_DOWNLOAD)
            cli_progress_describe(&s->last, figures, sizeof figures, &fraction);
        else if (s->has_progress)
            snprintf(figures, sizeof figures, "%s", _("copying into the container"));
        snprintf(line, sizeof line, "  %s: %s", s->title, figures);
        fprintf(b->out, "%.*s\n", cli_text_cut(line, width - 1), line);
        b->drawn++;
    }
    fflush(b->out);
    b->last_draw = now_seconds();
}

void cli_board_free(struct cli_board *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    erase(b);
    fflush(b->out);
    pthread_mutex_unlock(&b->lock);
    pthread_mutex_destroy(&b->lock);
    free(b->slots);
    free(b);
}

void *cli_board_slot(struct cli_board *b, size_t slot)
{
    return b && slot < b->slot_count ? &b->slots[slot] : NULL;
}

void cli_board_start(struct cli_board *b, size_t slot, const char *title)
{
    if (!b || slot >= b->slot_count)
        return;
    pthread_mutex_lock(&b->lock);
    struct cli_board_slot *s = &b->slots[slot];
    s->active = true;
    s->has_progress = false;
    char shown[1024];
    rt_text_printable(title, shown, sizeof shown); /* the server's title: printable */
    short_title(shown, s->title, sizeof s->title);
    draw(b);
    pthread_mutex_unlock(&b->lock);
}

void cli_board_finish(struct cli_board *b, size_t slot, uint64_t bytes)
{
    if (!b || slot >= b->slot_count)
        return;
    pthread_mutex_lock(&b->lock);
    b->slots[slot].active = false;
    b->finished++;
    b->finished_bytes += bytes;
    draw(b);
    pthread_mutex_unlock(&b->lock);
}

void cli_board_progress(const struct rt_progress *progress, void *data)
{
    struct cli_board_slot *s = data;
    if (!s)
        return;
    struct cli_board *b = s->board;
    pthread_mutex_lock(&b->lock);
    s->last = *progress;
    s->has_progress = true;
    if (now_seconds() - b->last_draw >= DRAW_INTERVAL)
        draw(b);
    pthread_mutex_unlock(&b->lock);
}

void cli_board_print(struct cli_board *b, FILE *stream, const char *text)
{
    pthread_mutex_lock(&b->lock);
    erase(b);
    fflush(b->out);
    fputs(text, stream);
    fflush(stream);
    draw(b);
    pthread_mutex_unlock(&b->lock);
}
