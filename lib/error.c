/* The library's one error type: codes, their fixed texts, and recording the first failure. */
#include "errors.h"
#include "i18n.h"

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
}

enum rt_code rt__fail(struct rt_error *err, enum rt_code code, const char *fmt, ...)
{
    if (!err || err->code != RT_OK)
        return code;
    err->code = code;
    if (!fmt) {
        snprintf(err->message, sizeof err->message, "%s", rt_strerror(code));
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    /* A message cut by vsnprintf may end inside a UTF-8 sequence; drop the broken tail so
     * terminals and JSON consumers see valid text. */
    if (n >= (int)sizeof err->message) {
        size_t len = strlen(err->message);
        size_t keep = len;
        while (keep > 0 && ((unsigned char)err->message[keep - 1] & 0xC0) == 0x80)
            keep--;
        if (keep > 0 && ((unsigned char)err->message[keep - 1] & 0x80)) {
            unsigned char lead = (unsigned char)err->message[keep - 1];
            size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (len - (keep - 1) < need)
                err->message[keep - 1] = '\0';
        }
    }
    return code;
}
