/* Giving finished files their names: the one place that decides whether a file is in the way. */
#ifndef RT_LIB_OUTPUT_PUBLISH_H
#define RT_LIB_OUTPUT_PUBLISH_H

#include "rutube/rutube.h"

#include <stdbool.h>

/* mkdir -p: every missing folder of `dir` on the way. Errors: RT_E_IO (also when `dir` is a
 * file), RT_E_DISK_FULL, RT_E_NOMEM. */
enum rt_code rt__publish_make_dirs(const char *dir, struct rt_error *err);

/* Whether `path` may be written: RT_OK when nothing is there or `overwrite` is set, else
 * RT_E_EXISTS ("PATH already exists"). A dangling symbolic link counts as something there. */
enum rt_code rt__publish_check(const char *path, bool overwrite, struct rt_error *err);

/*
 * Rename the finished `from` to `path`. Without `overwrite` it never replaces a file that
 * appeared meanwhile (RENAME_NOREPLACE, or a hard link where the file system lacks it): that
 * is RT_E_EXISTS, and `from` stays. Errors: RT_E_EXISTS, RT_E_IO, RT_E_DISK_FULL.
 */
enum rt_code rt__publish(const char *from, const char *path, bool overwrite, struct rt_error *err);

#endif
