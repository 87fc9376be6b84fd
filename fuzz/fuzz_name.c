/* Fuzz target for hostile titles: as file names (rt_filename_from_title(), templates) and as
 * text shown on a terminal (rt_text_printable()). */
#include "fuzz.h"

#include "rutube/rutube.h"

#define ID "2ce725b3dc1a243f8456458975ecd872"

/*
 * Input layout, so that one input drives both functions:
 *   byte 0   bit 0: restrict_ascii; bits 1-3: the output buffer's size; bit 4: no format;
 *            bits 5-7: the extension;
 *   then up to 8 fields separated by NUL bytes: title, template, author, author_id, id,
 *   published, duration (read with strtod), resolution ("WxH", read with sscanf).
 * Missing fields are empty; an empty template means the default one.
 */
enum { TITLE, TEMPLATE, AUTHOR, AUTHOR_ID, VIDEO_ID, PUBLISHED, DURATION, RESOLUTION, FIELDS };

static const size_t sizes[8] = {4096, 1024, 256, RT_FILENAME_MAX + 1, RT_FILENAME_MAX, 64, 34, 2};
static const char *const exts[8] = {"mp4", "mkv", "ts", "", "info.json", "ru.vtt", "jpg", "mp4"};

/* Characters that must never reach a name: bidi overrides and isolates, zero-width ones, the
 * BOM and the soft hyphen. */
static bool has_invisible(const char *s)
{
    static const char *const bad[] = {
        "\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D", "\xE2\x80\x8E", "\xE2\x80\x8F",
        "\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x80\xAE",
        "\xE2\x81\xA0", "\xE2\x81\xA6", "\xE2\x81\xA7", "\xE2\x81\xA8", "\xE2\x81\xA9",
        "\xEF\xBB\xBF", "\xC2\xAD"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (strstr(s, bad[i]))
            return true;
    return false;
}

static size_t count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

static int clamp_int(long v)
{
    return v < -2147483647L ? -2147483647 : v > 2147483647L ? 2147483647 : (int)v;
}

static void fuzz_title(const char *title, const char *ext, size_t size)
{
    char *out = malloc(size); /* exactly `size` bytes: one more written is an ASan report */
    if (!out)
        abort();
    enum rt_code result = rt_filename_from_title(title, ID, ext, out, size);
    size_t ext_len = strlen(ext) + (*ext ? 1 : 0);
    size_t limit = size - 1 < RT_FILENAME_MAX ? size - 1 : RT_FILENAME_MAX;
    FUZZ_CHECK(result == (limit >= ext_len + 33 ? RT_OK : RT_E_USAGE));
    if (result == RT_OK) {
        size_t n = strlen(out);
        FUZZ_CHECK(n < size && n <= RT_FILENAME_MAX);
        FUZZ_CHECK(fuzz_is_utf8(out, n));
        FUZZ_CHECK(!strchr(out, '/') && !fuzz_has_control(out) && !has_invisible(out));
        FUZZ_CHECK(out[0] != '.' && out[0] != '-' && out[0] != ' ');
        FUZZ_CHECK(n > ext_len &&
                   (!*ext || (out[n - ext_len] == '.' && strcmp(out + n - ext_len + 1, ext) == 0)));
    }
    free(out);
}

/* C1 controls (U+0080..U+009F) and the marks that reorder text, as UTF-8: none may be shown. */
static bool has_active_mark(const char *s)
{
    static const char *const bad[] = {"\xE2\x80\x8E", "\xE2\x80\x8F", "\xE2\x80\xAA",
                                      "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD",
                                      "\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA7",
                                      "\xE2\x81\xA8", "\xE2\x81\xA9", "\xD8\x9C"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (strstr(s, bad[i]))
            return true;
    for (const unsigned char *p = (const unsigned char *)s; p[0] && p[1]; p++)
        if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            return true;
    return false;
}

/* What a terminal is shown: valid UTF-8 with nothing it would act on, within the buffer. */
static void fuzz_shown(const char *title, size_t size)
{
    char *out = malloc(size);
    if (!out)
        abort();
    size_t n = rt_text_printable(title, out, size);
    FUZZ_CHECK(n == strlen(out) && n < size);
    FUZZ_CHECK(fuzz_is_utf8(out, n));
    FUZZ_CHECK(!fuzz_has_control(out) && !has_active_mark(out));
    /* Every character becomes itself, a space or a longer escape: nothing shrinks, so a
     * shorter result is a cut, which only a small buffer may make. */
    if (size > 4 * strlen(title))
        FUZZ_CHECK(n >= strlen(title));
    free(out);
}

/* Each '/'-separated part of `out` against the template part it came from. */
static void check_parts(const char *tpl, const char *out)
{
    while (true) {
        size_t tn = strcspn(tpl, "/"), on = strcspn(out, "/");
        bool last = out[on] == '\0';
        FUZZ_CHECK(last == (tpl[tn] == '\0'));
        bool has_field = memmem(tpl, tn, "%(", 2) != NULL;
        if (has_field || last) {
            /* A part a field made (and the file name itself) always names something. */
            FUZZ_CHECK(on > 0);
            FUZZ_CHECK(!(on == 1 && out[0] == '.') && !(on == 2 && out[0] == '.' && out[1] == '.'));
        }
        if (last) {
            FUZZ_CHECK(on <= RT_FILENAME_MAX);
            return;
        }
        tpl += tn + 1;
        out += on + 1;
    }
}

static void fuzz_template(const char *tpl, const struct rt_video *video,
                          const struct rt_format *format, const char *ext, bool ascii, size_t size)
{
    char *out = malloc(size);
    if (!out)
        abort();
    struct rt_error err = {0};
    enum rt_code result =
        rt_filename_from_template(tpl, video, format, ext, ascii, out, size, &err);
    if (result != RT_OK) {
        FUZZ_CHECK(result == RT_E_USAGE);
        FUZZ_CHECK_ERROR(err, result);
        free(out);
        return;
    }
    const char *used = *tpl ? tpl : RT_DEFAULT_TEMPLATE;
    size_t n = strlen(out);
    FUZZ_CHECK(n < size);
    /* Only the template makes folders: a field never adds a '/'. */
    FUZZ_CHECK(count_char(out, '/') == count_char(used, '/'));
    check_parts(used, out);
    /* Fields are cleaned: whatever is wrong in the name came from the template itself. */
    if (fuzz_is_utf8(used, strlen(used)))
        FUZZ_CHECK(fuzz_is_utf8(out, n));
    if (!fuzz_has_control(used))
        FUZZ_CHECK(!fuzz_has_control(out));
    if (!has_invisible(used))
        FUZZ_CHECK(!has_invisible(out));
    if (ascii && is_ascii(used))
        FUZZ_CHECK(is_ascii(out));
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint8_t flags = data[0];
    char *fields = fuzz_cstring(data + 1, size - 1);
    const char *field[FIELDS];
    const char *p = fields, *end = fields + size - 1;
    for (size_t i = 0; i < FIELDS; i++) {
        field[i] = p < end ? p : "";
        if (p < end)
            p += strlen(p) + 1;
    }

    bool ascii = flags & 1;
    size_t out_size = sizes[(flags >> 1) & 7];
    const char *ext = exts[(flags >> 5) & 7];
    struct rt_video video;
    memset(&video, 0, sizeof video);
    video.title = (char *)field[TITLE];
    video.author = (char *)field[AUTHOR];
    video.author_id = (char *)field[AUTHOR_ID];
    video.id = (char *)field[VIDEO_ID];
    video.published = (char *)field[PUBLISHED];
    video.duration = strtod(field[DURATION], NULL);
    struct rt_format format = {1280, 712, 4166000, 25, (char *)"", NULL, 0, false};
    if (*field[RESOLUTION]) {
        char *x;
        format.width = clamp_int(strtol(field[RESOLUTION], &x, 10));
        format.height = *x == 'x' ? clamp_int(strtol(x + 1, NULL, 10)) : 0;
    }

    fuzz_title(field[TITLE], ext, out_size);
    fuzz_shown(field[TITLE], out_size);
    fuzz_template(field[TEMPLATE], &video, flags & 16 ? NULL : &format, ext, ascii, out_size);
    free(fields);
    return 0;
}
