/* Reading recorded answers from tests/data for the unit tests. */
#ifndef RT_TEST_FIXTURE_H
#define RT_TEST_FIXTURE_H

#include <stddef.h>

/* The whole file tests/data/<name>, NUL-terminated; fails the test when missing. Caller frees. */
char *fixture_read(const char *name, size_t *len);

#endif
