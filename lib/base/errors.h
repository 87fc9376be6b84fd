/* Recording a failure in a caller's struct rt_error, inside the library. */
#ifndef RT_LIB_ERRORS_H
#define RT_LIB_ERRORS_H

#include "rutube/rutube.h"

/*
 * Record `code` with a printf-style message in `err` (which may be NULL) unless a failure is
 * already recorded there: the first place that sees a failure knows it best. Returns `code`,
 * so a failing path can end with `return rt__fail(err, RT_E_IO, "...", ...)`.
 * A NULL `fmt` records rt_strerror(code). The message is the reason alone ("segment 17 of
 * 240 failed ..."): what it is about is named once, by the public call, with rt__error_about().
 */
enum rt_code rt__fail(struct rt_error *err, enum rt_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Add printf-style text to the end of the failure recorded in `err` (nothing when none is,
 * or `err` is NULL): "; 5 of 15 segments are kept in ...". */
void rt__error_append(struct rt_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Name what the failure in `err` is about, in front of its reason: "video 2ce7...: segment 17
 * of 240 failed ...". Only a public call does this, once, on its way out; it does nothing
 * when `err` is NULL, holds no failure or names its subject already. rt_error_reason() gives
 * the reason back without the subject.
 */
void rt__error_about(struct rt_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* An errno from working on `path` as the library's code, recorded with a sentence: "disk full
 * while writing PATH". `doing` is an N_() marked verb ("writing"), translated here. */
enum rt_code rt__io_error(int errnum, const char *doing, const char *path, struct rt_error *err);

/* Whether `err` already holds a failure. */
static inline int rt__failed(const struct rt_error *err)
{
    return err && err->code != RT_OK;
}

#endif
