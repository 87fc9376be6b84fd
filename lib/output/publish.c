/* Finished files into place: folders made, nothing replaced unless asked. */
#include "output/publish.h"
#include "base/i18n.h"

#include "base/errors.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum rt_code rt__publish_make_dirs(const char *dir, struct rt_error *err)
{
    char *path = strdup(dir);
    if (!path)
        return rt__fail(err, RT_E_NOMEM, NULL);
    enum rt_code result = RT_OK;
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            result = rt__io_error(errno, N_("creating the folder"), path, err);
            break;
        }
        *p = saved;
        if (!saved)
            break;
    }
    struct stat st;
    if (result == RT_OK && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        result = rt__fail(err, RT_E_IO, _("%s is not a folder"), dir);
    free(path);
    return result;
}

enum rt_code rt__publish_check(const char *path, bool overwrite, struct rt_error *err)
{
    struct stat st;
    if (!overwrite && lstat(path, &st) == 0)
        return rt__fail(err, RT_E_EXISTS, _("%s already exists"), path);
    return RT_OK;
}

static enum rt_code appeared(const char *from, const char *path, struct rt_error *err)
{
    return rt__fail(err, RT_E_EXISTS,
                    _("%s appeared while downloading; the download is kept as %s"), path, from);
}

enum rt_code rt__publish(const char *from, const char *path, bool overwrite, struct rt_error *err)
{
    if (overwrite) {
        if (rename(from, path) != 0)
            return rt__io_error(errno, N_("renaming to"), path, err);
        return RT_OK;
    }
    if (renameat2(AT_FDCWD, from, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
        return RT_OK;
    if (errno == EEXIST)
        return appeared(from, path, err);
    if (errno != EINVAL && errno != ENOSYS)
        return rt__io_error(errno, N_("renaming to"), path, err);
    /* No RENAME_NOREPLACE on this file system: a hard link fails on an existing name too. */
    if (link(from, path) != 0) {
        if (errno == EEXIST)
            return appeared(from, path, err);
        return rt__io_error(errno, N_("renaming to"), path, err);
    }
    unlink(from);
    return RT_OK;
}
