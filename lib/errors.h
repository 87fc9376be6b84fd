/* Recording a failure in a caller's struct rt_error, inside the library. */
#ifndef RT_LIB_ERRORS_H
#define RT_LIB_ERRORS_H

#include "rutube/rutube.h"

/*
 * Record `code` with a printf-style message in `err` (which may be NULL) unless a failure is
 * already recorded there: the first place that sees a failure knows it best. Returns `code`,
 * so a failing path can end with `return rt__fail(err, RT_E_IO, "...", ...)`.
 * A NULL `fmt` records rt_strerror(code).
 */
enum rt_code rt__fail(struct rt_error *err, enum rt_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether `err` already holds a failure. */
static inline int rt__failed(const struct rt_error *err)
{
    return err && err->code != RT_OK;
}

#endif
