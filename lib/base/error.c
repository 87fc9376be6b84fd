/* The library's one error type: codes, their fixed texts, and recording the first failure. */
#include "base/errors.h"
#include "base/i18n.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The texts of RT_ERRNO_MAP (rutube.h) written out, so xgettext finds them for po/; a unit
 * test (test_error) holds the two lists together. */
static const char *const code_texts[] = {
    [RT_OK] = N_("success"),
    [RT_E_USAGE] = N_("invalid argument"),
    [RT_E_BAD_URL] = N_("not a RuTube video address"),
    [RT_E_UNSUPPORTED] = N_("this kind of RuTube address is not supported yet"),
    [RT_E_NOT_FOUND] = N_("video not found"),
    [RT_E_PRIVATE] = N_("private video: the address needs its access key (?p=...)"),
    [RT_E_GEO_BLOCKED] = N_("video is blocked in this region"),
    [RT_E_UNAVAILABLE] = N_("video is unavailable"),
    [RT_E_FORBIDDEN] = N_("RuTube refused the request"),
    [RT_E_NETWORK] = N_("network error"),
    [RT_E_HTTP] = N_("server error"),
    [RT_E_BAD_RESPONSE] = N_("unexpected answer from RuTube"),
    [RT_E_BAD_PLAYLIST] = N_("malformed playlist"),
    [RT_E_NO_FORMAT] = N_("requested quality is not available"),
    [RT_E_EXISTS] = N_("file already exists"),
    [RT_E_IO] = N_("file error"),
    [RT_E_DISK_FULL] = N_("disk full"),
    [RT_E_REMUX] = N_("remux failed"),
    [RT_E_NOMEM] = N_("out of memory"),
    [RT_E_CANCELLED] = N_("cancelled"),
};
_Static_assert(sizeof code_texts / sizeof code_texts[0] == RT_CODE_COUNT,
               "a code without a text in code_texts");

#define RT_CODE_NAME(name, msg) #name,
static const char *const code_names[] = {RT_ERRNO_MAP(RT_CODE_NAME)};
#undef RT_CODE_NAME

const char *rt_strerror(enum rt_code code)
{
    if ((unsigned)code >= RT_CODE_COUNT)
        return _("unknown error");
    return _(code_texts[code]);
}

const char *rt_code_name(enum rt_code code)
{
    if ((unsigned)code >= RT_CODE_COUNT)
        return "UNKNOWN";
    return code_names[code];
}

void rt_error_clear(struct rt_error *err)
{
    if (!err)
        return;
    err->code = RT_OK;
    err->message[0] = '\0';
    err->message[RT_ERROR_MESSAGE_SIZE - 1] = '\0'; /* where the reason begins: see below */
}

/*
 * The message is a string in message[0 .. RT_ERROR_MESSAGE_SIZE - 2]; the last byte is ours:
 * where the reason begins after the subject rt__error_about() put in front (0: no subject).
 * A struct rt_error is the caller's and its size is fixed since 0.1.0, so this is where the
 * split can live without a new field. rt_error_reason() checks the mark before it trusts it.
 */
#define TEXT_SIZE   (RT_ERROR_MESSAGE_SIZE - 1)
#define REASON_MARK (RT_ERROR_MESSAGE_SIZE - 1)

/* After vsnprintf cut `text` (of `size` bytes) short: drop a UTF-8 sequence it cut in two,
 * so that terminals and JSON consumers see valid text. */
static void drop_broken_tail(char *text)
{
    size_t len = strlen(text);
    size_t keep = len;
    while (keep > 0 && ((unsigned char)text[keep - 1] & 0xC0) == 0x80)
        keep--;
    if (keep > 0 && ((unsigned char)text[keep - 1] & 0x80)) {
        unsigned char lead = (unsigned char)text[keep - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (len - (keep - 1) < need)
            text[keep - 1] = '\0';
    }
}

/* printf into `out` of `size` bytes, cut on a character boundary when it does not fit. */
static void format_text(char *out, size_t size, const char *fmt, va_list ap)
{
    int n = vsnprintf(out, size, fmt, ap);
    if (n >= (int)size)
        drop_broken_tail(out);
}

enum rt_code rt__fail(struct rt_error *err, enum rt_code code, const char *fmt, ...)
{
    if (!err || err->code != RT_OK)
        return code;
    err->code = code;
    err->message[REASON_MARK] = '\0';
    if (!fmt) {
        snprintf(err->message, TEXT_SIZE, "%s", rt_strerror(code));
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    format_text(err->message, TEXT_SIZE, fmt, ap);
    va_end(ap);
    return code;
}

void rt__error_append(struct rt_error *err, const char *fmt, ...)
{
    if (!err || err->code == RT_OK)
        return;
    size_t len = strlen(err->message);
    if (len + 1 >= TEXT_SIZE)
        return;
    va_list ap;
    va_start(ap, fmt);
    format_text(err->message + len, TEXT_SIZE - len, fmt, ap);
    va_end(ap);
}

/* Copy `text` into `out` of `size` bytes, cut on a character boundary when it does not fit. */
static void copy_text(char *out, size_t size, const char *text)
{
    size_t len = strlen(text);
    if (len >= size) {
        memcpy(out, text, size - 1);
        out[size - 1] = '\0';
        drop_broken_tail(out);
        return;
    }
    memcpy(out, text, len + 1);
}

void rt__error_about(struct rt_error *err, const char *fmt, ...)
{
    if (!err || err->code == RT_OK || err->message[REASON_MARK] != '\0')
        return;
    char subject[160], reason[RT_ERROR_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    format_text(subject, sizeof subject, fmt, ap);
    va_end(ap);
    copy_text(reason, sizeof reason, err->message[0] ? err->message : rt_strerror(err->code));
    /* Not translated: rt_error_reason() looks for this ": " (the subject is translated). */
    size_t at = strlen(subject) + 2;
    if (at > 255 || at + 1 >= TEXT_SIZE)
        return; /* no room to name it: the reason stays alone */
    memcpy(err->message, subject, at - 2);
    memcpy(err->message + at - 2, ": ", 2);
    copy_text(err->message + at, TEXT_SIZE - at, reason);
    err->message[REASON_MARK] = (char)at;
}

enum rt_code rt__io_error(int errnum, const char *doing, const char *path, struct rt_error *err)
{
    if (errnum == ENOSPC || errnum == EDQUOT)
        return rt__fail(err, RT_E_DISK_FULL, _("disk full while %s %s"), _(doing), path);
    if (errnum == EFBIG)
        return rt__fail(err, RT_E_DISK_FULL, _("file size limit reached while %s %s"), _(doing),
                        path);
    return rt__fail(err, RT_E_IO, _("error while %s %s: %s"), _(doing), path, strerror(errnum));
}

const char *rt_error_reason(const struct rt_error *err)
{
    if (!err || err->code == RT_OK)
        return "";
    if (!err->message[0])
        return rt_strerror(err->code);
    size_t at = (unsigned char)err->message[REASON_MARK];
    size_t len = strnlen(err->message, TEXT_SIZE);
    /* The mark is trusted only where it points just past the ": " after a subject. */
    if (at >= 3 && at < len && err->message[at - 1] == ' ' && err->message[at - 2] == ':')
        return err->message + at;
    return err->message;
}
