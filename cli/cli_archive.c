/* The download archive: which videos are done, kept in a file that yt-dlp can share. */
#include "cli_batch.h"
#include "cli_i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* How much of the file is read at a time when loading; a longer line is skipped whole. */
#define READ_CHUNK (64 * 1024)

struct cli_archive {
    pthread_mutex_t lock; /* guards everything below */
    char *path;
    bool existed; /* the file was there when loaded: no directory entry to make durable */
    int fd;       /* opened by the first cli_archive_add(); -1 before */
    /* A hash set of "<key> <id>" strings by open addressing: `capacity` is a power of two,
     * at most half used, NULL marks a free slot. */
    char **slots;
    size_t capacity, count;
};

/* FNV-1a: short keys, no adversary (the file is the user's own). */
static size_t hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3u;
    }
    return (size_t)h;
}

/* The slot holding `entry`, or the free slot where it belongs. */
static size_t slot_of(const struct cli_archive *a, const char *entry)
{
    size_t mask = a->capacity - 1;
    size_t i = hash(entry) & mask;
    while (a->slots[i] && strcmp(a->slots[i], entry) != 0)
        i = (i + 1) & mask;
    return i;
}

static bool has_entry(const struct cli_archive *a, const char *entry)
{
    return a->capacity && a->slots[slot_of(a, entry)];
}

/* Make room for one more entry, so that inserting it cannot fail. */
static bool reserve_one(struct cli_archive *a)
{
    if ((a->count + 1) * 2 <= a->capacity)
        return true;
    size_t old_capacity = a->capacity;
    char **old = a->slots;
    size_t capacity = old_capacity ? old_capacity * 2 : 64;
    char **slots = calloc(capacity, sizeof *slots);
    if (!slots)
        return false;
    a->slots = slots;
    a->capacity = capacity;
    for (size_t i = 0; i < old_capacity; i++)
        if (old[i])
            a->slots[slot_of(a, old[i])] = old[i];
    free(old);
    return true;
}

/* Insert `entry` (taking ownership) after reserve_one(); a duplicate is freed. */
static void insert(struct cli_archive *a, char *entry)
{
    size_t i = slot_of(a, entry);
    if (a->slots[i]) {
        free(entry);
        return;
    }
    a->slots[i] = entry;
    a->count++;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* A byte that may stand in a key or an id: not white space, not a control character. */
static bool is_word_byte(unsigned char c)
{
    return c > ' ' && c != 0x7f;
}

static bool is_word(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!is_word_byte((unsigned char)*s))
            return false;
    return true;
}

/* Whether [s, s + len) is "<key> <id>": two words and one space between them. */
static bool is_entry(const char *s, size_t len)
{
    size_t spaces = 0;
    if (len == 0 || len > CLI_ARCHIVE_MAX_LINE || s[0] == ' ' || s[len - 1] == ' ')
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ')
            spaces++;
        else if (!is_word_byte((unsigned char)s[i]))
            return false;
    }
    return spaces == 1;
}

/* Take one line of the file: trimmed as yt-dlp's line.strip() does, skipped unless an entry. */
static enum rt_code take_line(struct cli_archive *a, const char *s, size_t len)
{
    while (len && is_blank(*s)) {
        s++;
        len--;
    }
    while (len && is_blank(s[len - 1]))
        len--;
    if (!is_entry(s, len))
        return RT_OK;
    char *entry = strndup(s, len);
    if (!entry || !reserve_one(a)) {
        free(entry);
        return RT_E_NOMEM;
    }
    insert(a, entry);
    return RT_OK;
}

/* Take a lock on the whole file, as yt-dlp does around its reads and appends. A file system
 * without flock() only loses the guard against other processes: this process's threads are
 * serialised by the mutex, and one O_APPEND write keeps each line whole anyway. */
static void lock_file(int fd, int operation)
{
    while (flock(fd, operation) != 0 && errno == EINTR)
        ;
}

/* Read the file's entries in chunks, so that memory follows the entries, not the file. */
static enum rt_code load(struct cli_archive *a, char *error, size_t error_size)
{
    enum rt_code result = RT_OK;
    char *chunk = NULL;
    size_t have = 0, total = 0;
    bool skipping = false; /* inside a line longer than the chunk: not an entry */

    int fd = open(a->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return RT_OK;
        snprintf(error, error_size, _("cannot read the download archive %s: %s"), a->path,
                 strerror(errno));
        return RT_E_IO;
    }
    a->existed = true;
    chunk = malloc(READ_CHUNK);
    if (!chunk) {
        result = RT_E_NOMEM;
        goto out;
    }
    lock_file(fd, LOCK_SH);
    for (;;) {
        ssize_t got = read(fd, chunk + have, READ_CHUNK - have);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            snprintf(error, error_size, _("cannot read the download archive %s: %s"), a->path,
                     strerror(errno));
            result = RT_E_IO;
            goto out;
        }
        if (got == 0) {
            /* The last line counts without its newline, as it does for yt-dlp. */
            if (!skipping)
                result = take_line(a, chunk, have);
            goto out;
        }
        /* A cap, though memory follows the entries: /dev/zero or a FIFO that never ends
         * would keep the run waiting for ever. */
        total += (size_t)got;
        if (total > CLI_ARCHIVE_MAX_SIZE) {
            snprintf(error, error_size,
                     _("the download archive %s is larger than %zu MiB: it cannot be one"), a->path,
                     CLI_ARCHIVE_MAX_SIZE / (1024 * 1024));
            result = RT_E_USAGE;
            goto out;
        }
        have += (size_t)got;
        size_t start = 0;
        char *newline;
        while ((newline = memchr(chunk + start, '\n', have - start)) != NULL) {
            size_t end = (size_t)(newline - chunk);
            if (!skipping && (result = take_line(a, chunk + start, end - start)) != RT_OK)
                goto out;
            skipping = false;
            start = end + 1;
        }
        memmove(chunk, chunk + start, have - start);
        have -= start;
        if (have == READ_CHUNK) {
            skipping = true;
            have = 0;
        }
    }
out:
    if (result == RT_E_NOMEM)
        snprintf(error, error_size, _("out of memory loading the download archive %s"), a->path);
    free(chunk);
    close(fd); /* releases the lock */
    return result;
}

enum rt_code cli_archive_new(const char *path, struct cli_archive **out, char *error,
                             size_t error_size)
{
    enum rt_code result;
    *out = NULL;
    if (error && error_size)
        error[0] = '\0';
    struct cli_archive *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(error, error_size, _("out of memory loading the download archive %s"), path);
        return RT_E_NOMEM;
    }
    a->fd = -1;
    a->path = strdup(path);
    if (!a->path || pthread_mutex_init(&a->lock, NULL) != 0) {
        free(a->path);
        free(a);
        snprintf(error, error_size, _("out of memory loading the download archive %s"), path);
        return RT_E_NOMEM;
    }
    result = load(a, error, error_size);
    if (result != RT_OK) {
        cli_archive_free(a);
        return result;
    }
    *out = a;
    return RT_OK;
}

bool cli_archive_contains(struct cli_archive *archive, const char *key, const char *id)
{
    char entry[CLI_ARCHIVE_MAX_LINE + 1];
    int n = snprintf(entry, sizeof entry, "%s %s", key, id);
    if (n < 0 || (size_t)n > CLI_ARCHIVE_MAX_LINE)
        return false; /* too long to have been loaded or added */
    pthread_mutex_lock(&archive->lock);
    bool found = has_entry(archive, entry);
    pthread_mutex_unlock(&archive->lock);
    return found;
}

/* Make the new file's name durable too, so a crash cannot leave entries in a file that has no
 * name. Best effort: some file systems refuse fsync() on a directory, and losing the archive
 * after a crash means downloading again, not a corrupt file. */
static void sync_directory(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    char *slash = strrchr(copy, '/');
    const char *dir = ".";
    if (slash) {
        slash[slash == copy ? 1 : 0] = '\0';
        dir = copy;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(copy);
}

/* Append `line` to the open file under its lock; `line` starts with '\n', which is written
 * only when the file does not already end in one. `*written` tells whether the whole line is
 * in the file, even when a later step failed. */
static enum rt_code append(struct cli_archive *a, const char *line, size_t len, bool *written,
                           char *error, size_t error_size)
{
    enum rt_code result = RT_OK;
    struct stat st;
    char last = '\n';

    *written = false;
    lock_file(a->fd, LOCK_EX);
    if (fstat(a->fd, &st) != 0)
        goto io_error;
    if (st.st_size > 0) {
        ssize_t got;
        while ((got = pread(a->fd, &last, 1, st.st_size - 1)) < 0 && errno == EINTR)
            ;
        if (got < 0)
            goto io_error;
    }
    if (last == '\n') {
        line++;
        len--;
    }
    ssize_t wrote;
    while ((wrote = write(a->fd, line, len)) < 0 && errno == EINTR)
        ;
    if (wrote < 0) {
        result = errno == ENOSPC || errno == EDQUOT ? RT_E_DISK_FULL : RT_E_IO;
        snprintf(error, error_size, _("cannot write to the download archive %s: %s"), a->path,
                 strerror(errno));
        goto out;
    }
    if ((size_t)wrote < len) {
        /* Cut the half line off again, so that the next run does not read it. The lock keeps
         * yt-dlp from appending after it meanwhile. */
        if (ftruncate(a->fd, st.st_size) != 0) {
            /* Nothing more to try: the next append starts with a newline, and loading skips
             * a fragment that is not "<key> <id>". */
        }
        snprintf(error, error_size,
                 /* TRANSLATORS: the plural follows the bytes to write, the second number. */
                 ngettext("cannot write to the download archive %s: only %zd of %zu byte fit "
                          "(disk full?)",
                          "cannot write to the download archive %s: only %zd of %zu bytes fit "
                          "(disk full?)",
                          len),
                 a->path, wrote, len);
        result = RT_E_DISK_FULL;
        goto out;
    }
    *written = true;
    if (fsync(a->fd) != 0)
        goto io_error;
    goto out;

io_error:
    snprintf(error, error_size, _("cannot write to the download archive %s: %s"), a->path,
             strerror(errno));
    result = RT_E_IO;
out:
    flock(a->fd, LOCK_UN);
    return result;
}

enum rt_code cli_archive_add(struct cli_archive *archive, const char *key, const char *id,
                             char *error, size_t error_size)
{
    /* '\n' (when the file lacks its last newline), the entry, '\n', NUL. */
    char line[CLI_ARCHIVE_MAX_LINE + 3];
    enum rt_code result = RT_OK;
    char *entry = NULL;

    if (error && error_size)
        error[0] = '\0';
    if (!is_word(key) || !is_word(id)) {
        snprintf(error, error_size,
                 _("a download archive entry cannot be empty or hold spaces or control characters: "
                   "\"%s %s\""),
                 key, id);
        return RT_E_USAGE;
    }
    int n = snprintf(line, sizeof line, "\n%s %s\n", key, id);
    if (n < 0 || (size_t)n > CLI_ARCHIVE_MAX_LINE + 2) {
        snprintf(error, error_size,
                 ngettext("a download archive entry cannot be longer than %d byte: \"%s %s\"",
                          "a download archive entry cannot be longer than %d bytes: \"%s %s\"",
                          CLI_ARCHIVE_MAX_LINE),
                 CLI_ARCHIVE_MAX_LINE, key, id);
        return RT_E_USAGE;
    }
    entry = strndup(line + 1, (size_t)n - 2);
    if (!entry) {
        snprintf(error, error_size, _("out of memory adding to the download archive %s"),
                 archive->path);
        return RT_E_NOMEM;
    }

    pthread_mutex_lock(&archive->lock);
    if (has_entry(archive, entry))
        goto out;
    /* Room first: once the line is in the file, the entry must go into the set too. */
    if (!reserve_one(archive)) {
        snprintf(error, error_size, _("out of memory adding to the download archive %s"),
                 archive->path);
        result = RT_E_NOMEM;
        goto out;
    }
    if (archive->fd < 0) {
        archive->fd = open(archive->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
        if (archive->fd < 0) {
            snprintf(error, error_size, _("cannot write to the download archive %s: %s"),
                     archive->path, strerror(errno));
            result = RT_E_IO;
            goto out;
        }
        if (!archive->existed)
            sync_directory(archive->path);
    }
    bool written;
    result = append(archive, line, (size_t)n, &written, error, error_size);
    /* A failed fsync() leaves the line written but maybe not durable: the video is done, so
     * it goes into the set all the same and is not written twice. */
    if (written) {
        insert(archive, entry);
        entry = NULL;
    }
out:
    pthread_mutex_unlock(&archive->lock);
    free(entry);
    return result;
}

size_t cli_archive_count(struct cli_archive *archive)
{
    pthread_mutex_lock(&archive->lock);
    size_t count = archive->count;
    pthread_mutex_unlock(&archive->lock);
    return count;
}

void cli_archive_free(struct cli_archive *archive)
{
    if (!archive)
        return;
    if (archive->fd >= 0)
        close(archive->fd);
    for (size_t i = 0; i < archive->capacity; i++)
        free(archive->slots[i]);
    free(archive->slots);
    free(archive->path);
    pthread_mutex_destroy(&archive->lock);
    free(archive);
}
