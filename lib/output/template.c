/* Output templates: "%(title)s.%(ext)s" and friends, expanded with file-name-safe values. */
#include "base/errors.h"
#include "base/i18n.h"
#include "output/name.h"

#include <stdio.h>
#include <string.h>

/* Longest value of a field other than the title, in bytes. */
#define FIELD_MAX 100

struct expansion {
    const struct rt_video *video;
    const struct rt_format *format;
    const char *ext;
    bool ascii;
    size_t title_limit; /* bytes each title may take, at most RT_FILENAME_MAX (the buffer) */
    size_t title_len;   /* bytes the longest title written took */
    size_t title_count; /* titles in the last path part */
};

/* "2024-10-29T12:00:00" -> "20241029"; false when `iso` does not start with a date. */
static bool upload_date(const char *iso, char out[9])
{
    if (!iso || strlen(iso) < 10 || iso[4] != '-' || iso[7] != '-')
        return false;
    const char *digits[] = {iso, iso + 5, iso + 8};
    size_t lengths[] = {4, 2, 2};
    size_t k = 0;
    for (size_t part = 0; part < 3; part++) {
        for (size_t i = 0; i < lengths[part]; i++) {
            char c = digits[part][i];
            if (c < '0' || c > '9')
                return false;
            out[k++] = c;
        }
    }
    out[8] = '\0';
    return true;
}

/* The raw text of field `name` (before cleaning) into `raw`, or false for an unknown name. */
static bool raw_value(const struct expansion *x, const char *name, size_t name_len, char *raw,
                      size_t size, bool *is_title)
{
    const struct rt_video *v = x->video;
    const struct rt_format *f = x->format;
    char date[9];
#define IS(word) (name_len == strlen(word) && memcmp(name, word, name_len) == 0)
    *is_title = false;
    raw[0] = '\0';
    if (IS("title")) {
        *is_title = true;
        snprintf(raw, size, "%s", v->title ? v->title : "");
    } else if (IS("id")) {
        snprintf(raw, size, "%s", v->id ? v->id : "");
    } else if (IS("author") || IS("uploader")) {
        snprintf(raw, size, "%s", v->author ? v->author : "");
    } else if (IS("author_id") || IS("uploader_id")) {
        snprintf(raw, size, "%s", v->author_id ? v->author_id : "");
    } else if (IS("height")) {
        if (f && f->height > 0)
            snprintf(raw, size, "%d", f->height);
    } else if (IS("width")) {
        if (f && f->width > 0)
            snprintf(raw, size, "%d", f->width);
    } else if (IS("resolution")) {
        if (f && f->width > 0)
            snprintf(raw, size, "%dx%d", f->width, f->height);
    } else if (IS("upload_date")) {
        if (upload_date(v->published, date))
            snprintf(raw, size, "%s", date);
    } else if (IS("duration")) {
        if (v->duration > 0)
            snprintf(raw, size, "%.0f", v->duration);
    } else if (IS("ext")) {
        snprintf(raw, size, "%s", x->ext ? x->ext : "");
    } else {
        return false;
    }
#undef IS
    return true;
}

static bool append(char *out, size_t size, size_t *len, const char *text, size_t n)
{
    if (*len + n + 1 > size)
        return false;
    memcpy(out + *len, text, n);
    *len += n;
    out[*len] = '\0';
    return true;
}

/* One pass over the template. Returns RT_OK, or RT_E_USAGE with the reason in `err`. */
static enum rt_code expand(const char *tpl, struct expansion *x, char *out, size_t size,
                           struct rt_error *err)
{
    size_t len = 0;
    char raw[4096], clean[RT_FILENAME_MAX + 1];
    out[0] = '\0';
    x->title_len = 0;
    x->title_count = 0;
    for (const char *p = tpl; *p;) {
        if (*p != '%') {
            size_t n = strcspn(p, "%");
            if (!append(out, size, &len, p, n))
                return rt__fail(err, RT_E_USAGE, _("the output name is too long"));
            if (memchr(p, '/', n))
                x->title_count = 0; /* a new path part begins */
            p += n;
            continue;
        }
        if (p[1] == '%') {
            if (!append(out, size, &len, "%", 1))
                return rt__fail(err, RT_E_USAGE, _("the output name is too long"));
            p += 2;
            continue;
        }
        const char *close = p[1] == '(' ? strchr(p + 2, ')') : NULL;
        if (!close || (close[1] != 's' && close[1] != 'd'))
            return rt__fail(err, RT_E_USAGE,
                            _("the output template has a '%%' that is not %%(field)s or %%%%: "
                              "\"%.80s\""),
                            p);
        const char *name = p + 2;
        size_t name_len = (size_t)(close - name);
        bool is_title;
        if (!raw_value(x, name, name_len, raw, sizeof raw, &is_title))
            return rt__fail(err, RT_E_USAGE,
                            _("the output template names an unknown field \"%.*s\" (known: title, "
                              "id, author, author_id, height, width, resolution, upload_date, "
                              "duration, ext)"),
                            (int)(name_len > 40 ? 40 : name_len), name);
        size_t limit = is_title ? x->title_limit : FIELD_MAX;
        size_t n = rt__name_clean(raw, x->ascii, clean, limit);
        if (n == 0) {
            /* An empty title falls back to the id; anything else missing reads "NA". */
            const char *fallback = is_title && x->video->id ? x->video->id : "NA";
            n = rt__name_clean(fallback, x->ascii, clean, limit);
            if (n == 0)
                n = rt__name_clean("NA", false, clean, limit);
        }
        if (is_title && n > x->title_len)
            x->title_len = n;
        if (is_title)
            x->title_count++;
        if (!append(out, size, &len, clean, n))
            return rt__fail(err, RT_E_USAGE, _("the output name is too long"));
        p = close + 2;
    }
    return RT_OK;
}

/* Windows reserves device names whatever the extension ("CON.mp4" too): such a file cannot
 * be copied to a USB stick. Insert '_' after the stem of the last part. */
static void avoid_reserved_name(char *out, size_t size)
{
    char *last = strrchr(out, '/');
    last = last ? last + 1 : out;
    size_t stem = strcspn(last, ".");
    if (!rt__name_is_reserved(last, stem) || strlen(out) + 2 > size)
        return;
    memmove(last + stem + 1, last + stem, strlen(last + stem) + 1);
    last[stem] = '_';
}

static size_t last_part_length(const char *path)
{
    const char *slash = strrchr(path, '/');
    return strlen(slash ? slash + 1 : path);
}

/* Every part between slashes must name something: no empty file name at the end. */
static bool usable_path(const char *path)
{
    size_t n = strlen(path);
    if (n == 0 || path[n - 1] == '/')
        return false;
    const char *last = strrchr(path, '/');
    last = last ? last + 1 : path;
    return strcmp(last, ".") != 0 && strcmp(last, "..") != 0;
}

enum rt_code rt_filename_from_template(const char *template_text, const struct rt_video *video,
                                       const struct rt_format *format, const char *ext,
                                       bool restrict_ascii, char *out, size_t size,
                                       struct rt_error *err)
{
    if (!video || !out || size < 2)
        return rt__fail(err, RT_E_USAGE, _("no room for a file name"));
    const char *tpl = template_text && *template_text ? template_text : RT_DEFAULT_TEMPLATE;
    struct expansion x = {video, format, ext, restrict_ascii, RT_FILENAME_MAX, 0, 0};
    /*
     * Too long a file name: shorten the title by what is too much and expand again. The title
     * may appear more than once, and in folders too, so a second round may be needed; each
     * round lowers the limit, so this ends.
     */
    size_t last = 0;
    for (int round = 0; round < 8; round++) {
        enum rt_code result = expand(tpl, &x, out, size, err);
        if (result != RT_OK)
            return result;
        avoid_reserved_name(out, size);
        last = last_part_length(out);
        size_t over = last > RT_FILENAME_MAX ? last - RT_FILENAME_MAX : 0;
        if (over == 0 || x.title_count == 0)
            break;
        /* Each title in the file name gives up its share. One shortened to nothing would
         * leave an empty name: too long is too long then. */
        size_t share = (over + x.title_count - 1) / x.title_count;
        if (x.title_len <= share)
            break;
        x.title_limit = x.title_len - share;
    }
    if (last > RT_FILENAME_MAX)
        return rt__fail(err, RT_E_USAGE,
                        _("the output template makes a file name longer than %d bytes"),
                        RT_FILENAME_MAX);
    if (!usable_path(out))
        return rt__fail(err, RT_E_USAGE, _("the output template \"%.80s\" makes no file name"),
                        tpl);
    return RT_OK;
}
