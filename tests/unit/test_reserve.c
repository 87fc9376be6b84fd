/* Unit tests for lib/base/reserve.c: room taken ahead of a file's writes, given back at its end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

#include <cmocka.h>

#include "base/reserve.h"

#define MIB (1u << 20)

static int temp_file(char *path)
{
    strcpy(path, "/tmp/rt-reserve-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    return fd;
}

/* A new file with room taken up to `end`; the case is skipped where /tmp's file system
 * cannot take room (there is nothing to see). */
static int file_with_room(char *path, struct rt__reserve *r, uint64_t end)
{
    int fd = temp_file(path);
    rt__reserve_ahead(r, fd, end);
    if (r->given_up) {
        close(fd);
        unlink(path);
        skip();
    }
    return fd;
}

/* The disk space the file holds, and its size. */
static uint64_t allocated(int fd, uint64_t *size)
{
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    *size = (uint64_t)st.st_size;
    return (uint64_t)st.st_blocks * 512;
}

static void write_bytes(int fd, uint64_t at, size_t len)
{
    char *data = malloc(len);
    assert_non_null(data);
    memset(data, 'x', len);
    assert_int_equal(pwrite(fd, data, len, (off_t)at), (ssize_t)len);
    free(data);
}

static void reserve_takes_room_ahead_and_gives_it_back(void **state)
{
    char path[32];
    struct rt__reserve r = {0};
    int fd = file_with_room(path, &r, MIB);
    uint64_t size;
    assert_true(allocated(fd, &size) >= 2 * MIB); /* room beyond the megabyte asked for */
    assert_int_equal(size, 0);                    /* ...and the size says nothing of it */
    uint64_t end = r.end;
    rt__reserve_ahead(&r, fd, MIB / 2); /* inside what is taken: no call */
    assert_int_equal(r.end, end);
    write_bytes(fd, 0, MIB);
    assert_int_equal(rt__reserve_release(&r, fd, MIB), 0);
    assert_true(allocated(fd, &size) <= MIB + 64 * 1024);
    assert_int_equal(size, MIB);
    assert_false(r.taken);
    close(fd);
    unlink(path);
}

/* A write past what was taken takes the gap too, and the room goes on from there. */
static void reserve_grows_past_a_jump(void **state)
{
    char path[32];
    struct rt__reserve r = {0};
    int fd = file_with_room(path, &r, 1);
    uint64_t first = r.end, size;
    rt__reserve_ahead(&r, fd, first + 3 * MIB);
    assert_true(r.end > first + 3 * MIB);
    assert_true(allocated(fd, &size) >= first + 3 * MIB);
    write_bytes(fd, 0, 4096);
    assert_int_equal(rt__reserve_release(&r, fd, 4096), 0);
    assert_true(allocated(fd, &size) <= 64 * 1024);
    close(fd);
    unlink(path);
}

/* What cannot hold room (a device) is written as before: nothing taken, nothing to give back. */
static void reserve_gives_up_where_it_cannot(void **state)
{
    int fd = open("/dev/null", O_WRONLY);
    assert_true(fd >= 0);
    struct rt__reserve r = {0};
    rt__reserve_ahead(&r, fd, MIB);
    assert_true(r.given_up);
    assert_false(r.taken);
    assert_int_equal(r.end, 0);
    rt__reserve_ahead(&r, fd, 2 * MIB); /* not asked again */
    assert_int_equal(r.end, 0);
    assert_int_equal(rt__reserve_release(&r, fd, 0), 0);
    close(fd);
}

/* A cut file (the sink's cut back to its prefix) holds nothing beyond: the room starts again. */
static void reserve_starts_again_after_a_cut(void **state)
{
    char path[32];
    struct rt__reserve r = {0};
    int fd = file_with_room(path, &r, MIB);
    write_bytes(fd, 0, 8192);
    assert_int_equal(ftruncate(fd, 4096), 0);
    rt__reserve_truncated(&r, 4096);
    assert_false(r.taken);
    assert_int_equal(r.end, 4096);
    rt__reserve_ahead(&r, fd, 8192);
    assert_true(r.taken);
    assert_true(r.end > 8192);
    close(fd);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reserve_takes_room_ahead_and_gives_it_back),
        cmocka_unit_test(reserve_grows_past_a_jump),
        cmocka_unit_test(reserve_gives_up_where_it_cannot),
        cmocka_unit_test(reserve_starts_again_after_a_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
