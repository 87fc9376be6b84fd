/* The library's one error type: codes, their fixed texts, and recording the first failure. */
#include "errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define RT_CODE_TEXT(name, msg) msg,
static const char *const code_texts[] = {RT_ERRNO_MAP(RT_CODE_TEXT)};
#undef RT_CODE_TEXT

#define RT_CODE_NAME(name, msg) #name,
static const char *const code_names[] = {RT_ERRNO_MAP(RT_CODE_NAME)};
#undef RT_CODE_NAME

const char *rt_strerror(enum rt_code code)
{
    if ((unsigned)code >= RT_CODE_COUNT)
        return "unknown error";
    return code_texts[code];
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
