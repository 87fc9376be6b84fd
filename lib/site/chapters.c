/*
 * A video's chapters from its description: RuTube has none of its own, so the timestamps at
 * the start of the description's lines are its chapters, read as yt-dlp reads them (the rules
 * are in rutube.h at rt_chapters_from_description()). A convention of the site's text, so it
 * lives with the rest of what rutube.ru's answers mean; the list it makes is plain data
 * (struct rt_chapter) that the media and output rooms take as it is.
 */
#include "rutube/rutube.h"

#include "base/utf8.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Timestamped lines read from one description: far more than a table of contents has, and a
 * bound on the work a hostile one can ask for. */
#define MAX_MARKS 1024
/* Longest hour count read: 999999 hours is past any video, and stays exact in a double. */
#define MAX_HOUR_DIGITS 6
#define UNTITLED        "<Untitled Chapter 1>"

/* A timestamped line: when, and its title as written (a piece of the description). */
struct mark {
    double start;
    const unsigned char *title;
    size_t title_len;
    size_t order; /* the line's place, so that sorting keeps equal times in description order */
};

/* ---- characters ---- */

/* The character at `p` and its length; a byte that is not UTF-8 reads as U+FFFD. */
static size_t next_char(const unsigned char *p, size_t left, uint32_t *code)
{
    size_t n = rt__utf8_decode(p, left, code);
    if (n == 0) {
        *code = 0xFFFD;
        n = 1;
    }
    return n;
}

/* What Python's \s matches, but the line breaks (a line never holds them). */
static bool is_blank(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || (c >= 0x1C && c <= 0x1F) ||
           c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

static bool is_control(uint32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

/*
 * Python's \w, as near as a few ranges go: ASCII letters, digits and '_', and every character
 * past ASCII but punctuation, symbols, spaces, marks and emoji. So Cyrillic and every other
 * script's letters are word characters, and "—", "«", "•", "▶" or "🎬" are not.
 */
static bool is_word(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '_';
    if (c <= 0xBF) /* Latin-1's punctuation and signs, but its letters and digits */
        return c == 0xAA || c == 0xB2 || c == 0xB3 || c == 0xB5 || c == 0xB9 || c == 0xBA ||
               (c >= 0xBC && c <= 0xBE);
    static const struct {
        uint32_t first, last;
    } not_word[] = {
        {0xD7, 0xD7},       {0xF7, 0xF7},     {0x0300, 0x036F},   {0x2000, 0x206F},
        {0x20A0, 0x214F},   {0x2190, 0x245F}, {0x2500, 0x2775},   {0x2794, 0x2BFF},
        {0x2E00, 0x2E7F},   {0x3000, 0x3004}, {0x3008, 0x303F},   {0xFE00, 0xFE6F},
        {0xFEFF, 0xFEFF},   {0xFF00, 0xFF0F}, {0xFF1A, 0xFF20},   {0xFF3B, 0xFF40},
        {0xFF5B, 0xFF65},   {0xFFF0, 0xFFFF}, {0x1F000, 0x1FBFF}, {0xE0000, 0xE007F},
        {0xE0100, 0xE01EF},
    };
    for (size_t i = 0; i < sizeof not_word / sizeof not_word[0]; i++)
        if (c >= not_word[i].first && c <= not_word[i].last)
            return false;
    return true;
}

/* What may stand before a line's timestamp: blanks, bullets, dashes, opening brackets,
 * arrows, emoji. Not what makes the number something else: "#1:30", "$12:50", "№ 2:15",
 * "1.12:30", a minus sign. */
static bool is_lead(uint32_t c)
{
    if (is_blank(c))
        return true;
    if (c < 0x80)
        return c != 0 && strchr("-*>([{|", (int)c) != NULL;
    return !is_word(c) && !is_control(c) && c != 0x2116 && c != 0x2212 &&
           !(c >= 0x20A0 && c <= 0x20CF);
}

/* ---- one line ---- */

static size_t count_digits(const unsigned char *p, size_t len)
{
    size_t n = 0;
    while (n < len && p[n] >= '0' && p[n] <= '9')
        n++;
    return n;
}

static double number(const unsigned char *p, size_t n)
{
    double v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    return v;
}

/*
 * A timestamp at the start of p[0..len): H:MM:SS (hours of any length, minutes of one or two
 * digits under 60), MM:SS or M:SS, seconds two digits under 60, not followed by a letter or
 * digit ("0:00h" is not one). Its length, with the time in `*seconds`; 0 when there is none.
 */
static size_t read_time(const unsigned char *p, size_t len, double *seconds)
{
    size_t a = count_digits(p, len);
    if (a == 0 || a >= len || p[a] != ':')
        return 0;
    size_t b = count_digits(p + a + 1, len - a - 1);
    size_t end = a + 1 + b;
    size_t c = end < len && p[end] == ':' ? count_digits(p + end + 1, len - end - 1) : 0;
    double hours = 0, minutes, secs;
    if (c > 0) {
        /* Three groups must be H:MM:SS: "12:34:5" is not a time followed by ":5". */
        if (a > MAX_HOUR_DIGITS || b == 0 || b > 2 || c != 2)
            return 0;
        hours = number(p, a);
        minutes = number(p + a + 1, b);
        secs = number(p + end + 1, c);
        end += 1 + c;
        if (minutes >= 60)
            return 0;
    } else {
        if (a > 2 || b != 2)
            return 0;
        minutes = number(p, a);
        secs = number(p + a + 1, b);
    }
    if (secs >= 60)
        return 0;
    uint32_t next;
    if (end < len && (next_char(p + end, len - end, &next), is_word(next)))
        return 0;
    *seconds = hours * 3600 + minutes * 60 + secs;
    return end;
}

/* Whether p[0..len) holds anything a title shows: a character that is not blank or control. */
static bool has_visible(const unsigned char *p, size_t len)
{
    for (size_t at = 0; at < len;) {
        uint32_t c;
        at += next_char(p + at, len - at, &c);
        if (!is_blank(c) && !is_control(c))
            return true;
    }
    return false;
}

/* The line without the blanks at its end (a CRLF's CR included: it is a blank to Python). */
static size_t trim_end(const unsigned char *p, size_t len)
{
    size_t keep = 0;
    for (size_t at = 0; at < len;) {
        uint32_t c;
        at += next_char(p + at, len - at, &c);
        if (!is_blank(c))
            keep = at;
    }
    return keep;
}

/*
 * "0:00 Вступление": lead, timestamp, separators (characters that are neither letters nor
 * digits) ending in a blank, the title. As in yt-dlp's expression, the title starts after the
 * last blank of the separators: "0:00 - «Начало»" has the title "«Начало»".
 */
static bool read_leading(const unsigned char *p, size_t len, struct mark *m)
{
    uint32_t c;
    size_t at = 0;
    while (at < len) {
        size_t n = next_char(p + at, len - at, &c);
        if (!is_lead(c))
            break;
        at += n;
    }
    size_t n = read_time(p + at, len - at, &m->start);
    if (n == 0)
        return false;
    at += n;
    size_t title = 0;
    while (at < len) {
        size_t step = next_char(p + at, len - at, &c);
        if (is_word(c))
            break;
        at += step;
        if (is_blank(c) && at < len)
            title = at;
    }
    if (title == 0 || !has_visible(p + title, len - title))
        return false;
    m->title = p + title;
    m->title_len = len - title;
    return true;
}

/* "Вступление - 0:00": a title ending in a letter or digit, separators, a blank, a timestamp
 * that ends the line. */
static bool read_trailing(const unsigned char *p, size_t len, struct mark *m)
{
    uint32_t c;
    size_t start = 0, at = 0, word_end = 0, after_blank = 0;
    while (start < len) {
        size_t n = next_char(p + start, len - start, &c);
        if (!is_blank(c))
            break;
        start += n;
    }
    /* The last blank, and the end of the last word character before it. */
    size_t last_word_end = 0;
    for (at = start; at < len;) {
        size_t n = next_char(p + at, len - at, &c);
        if (is_blank(c)) {
            after_blank = at + n;
            word_end = last_word_end;
        } else if (is_word(c)) {
            last_word_end = at + n;
        }
        at += n;
    }
    if (after_blank == 0 || word_end <= start)
        return false;
    if (read_time(p + after_blank, len - after_blank, &m->start) != len - after_blank)
        return false;
    m->title = p + start;
    m->title_len = word_end - start;
    return true;
}

/* ---- the description ---- */

/* Every timestamped line of one shape, up to MAX_MARKS. */
static size_t find_marks(const unsigned char *text, bool leading, struct mark *marks)
{
    size_t count = 0, order = 0;
    const unsigned char *p = text;
    while (*p && count < MAX_MARKS) {
        size_t len = strcspn((const char *)p, "\r\n");
        size_t used = trim_end(p, len);
        struct mark m = {0};
        if (used > 0 && (leading ? read_leading(p, used, &m) : read_trailing(p, used, &m))) {
            m.order = order;
            marks[count++] = m;
        }
        order++;
        p += len;
        if (*p)
            p++;
    }
    return count;
}

static int by_time(const void *a, const void *b)
{
    const struct mark *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* In time order, each time once (its first line), only those before `duration`. */
static size_t keep_valid(struct mark *marks, size_t count, double duration)
{
    qsort(marks, count, sizeof *marks, by_time);
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        if (marks[i].start >= duration)
            break;
        if (kept > 0 && marks[i].start == marks[kept - 1].start)
            continue;
        marks[kept++] = marks[i];
    }
    return kept;
}

/*
 * A title as it goes into a file: UTF-8 (a byte that is not becomes U+FFFD), control
 * characters as spaces, blanks at either end dropped, at most RT_CHAPTER_TITLE_MAX bytes cut
 * between characters. Written into `out` (room for RT_CHAPTER_TITLE_MAX + 1) when not NULL;
 * returns the length.
 */
static size_t clean_title(const unsigned char *p, size_t len, char *out)
{
    char buf[RT_CHAPTER_TITLE_MAX + 1];
    size_t n = 0, visible_end = 0;
    for (size_t at = 0; at < len;) {
        uint32_t c;
        size_t raw = rt__utf8_decode(p + at, len - at, &c);
        const void *bytes = p + at;
        size_t size = raw;
        if (raw == 0) {
            bytes = "\xEF\xBF\xBD";
            size = 3;
            raw = 1;
            c = 0xFFFD;
        } else if (is_control(c)) {
            bytes = " ";
            size = 1;
            c = ' ';
        }
        at += raw;
        if (n == 0 && is_blank(c))
            continue;
        if (n + size > RT_CHAPTER_TITLE_MAX)
            break;
        memcpy(buf + n, bytes, size);
        n += size;
        if (!is_blank(c))
            visible_end = n;
    }
    if (out) {
        memcpy(out, buf, visible_end);
        out[visible_end] = '\0';
    }
    return visible_end;
}

/* The chapters from the kept marks: one block, the array first, the titles after it. */
static enum rt_code build(const struct mark *marks, size_t kept, double duration,
                          struct rt_chapter **out, size_t *count)
{
    bool untitled = marks[0].start > 0;
    size_t total = kept + untitled;
    if (total > RT_CHAPTERS_MAX)
        total = RT_CHAPTERS_MAX;
    /* marks[i - untitled] is chapter i's; the first not kept, if any, ends the last. */
    size_t bytes = total * sizeof **out;
    for (size_t i = 0; i < total; i++)
        bytes += 1 + (untitled && i == 0 ? strlen(UNTITLED)
                                         : clean_title(marks[i - untitled].title,
                                                       marks[i - untitled].title_len, NULL));
    struct rt_chapter *chapters = malloc(bytes);
    if (!chapters)
        return RT_E_NOMEM;
    char *text = (char *)(chapters + total);
    for (size_t i = 0; i < total; i++) {
        const struct mark *m = untitled && i == 0 ? NULL : &marks[i - untitled];
        chapters[i].start = m ? m->start : 0;
        chapters[i].title = text;
        if (m) {
            text += clean_title(m->title, m->title_len, text) + 1;
        } else {
            memcpy(text, UNTITLED, sizeof UNTITLED);
            text += sizeof UNTITLED;
        }
    }
    for (size_t i = 0; i + 1 < total; i++)
        chapters[i].end = chapters[i + 1].start;
    size_t next = total - untitled; /* the mark after the last chapter's */
    chapters[total - 1].end = next < kept ? marks[next].start : duration;
    *out = chapters;
    *count = total;
    return RT_OK;
}

enum rt_code rt_chapters_from_description(const char *description, double duration,
                                          struct rt_chapter **out, size_t *count)
{
    if (!out || !count)
        return RT_E_USAGE;
    *out = NULL;
    *count = 0;
    if (!description || !*description || !isfinite(duration) || duration <= 0)
        return RT_OK;
    struct mark *marks = malloc(MAX_MARKS * sizeof *marks);
    if (!marks)
        return RT_E_NOMEM;
    const unsigned char *text = (const unsigned char *)description;
    /* Timestamps starting lines; only when they give no list, timestamps ending them. */
    size_t kept = keep_valid(marks, find_marks(text, true, marks), duration);
    if (kept < 2)
        kept = keep_valid(marks, find_marks(text, false, marks), duration);
    enum rt_code result = kept >= 2 ? build(marks, kept, duration, out, count) : RT_OK;
    free(marks);
    return result;
}

void rt_chapters_free(struct rt_chapter *chapters)
{
    free(chapters);
}
