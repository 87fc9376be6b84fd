/* Making text safe as a file name or a part of one. */
#ifndef RT_LIB_NAME_H
#define RT_LIB_NAME_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Write `text` made safe for a file name into `out` (NUL-terminated), at most `limit` bytes
 * (not counting the NUL; `out` has room for limit + 1), cut on a character boundary.
 * Plain mode keeps every character a Linux file system allows: '/' becomes '_', control
 * characters and white space runs one space, invisible direction overrides go, invalid UTF-8
 * becomes '_', and leading dots, dashes and spaces and trailing dots and spaces are dropped.
 * `ascii` mode transliterates Cyrillic and Latin accents ("Пальцы" -> "Paltsy") and turns
 * every run of anything but ASCII letters and digits into one '_', trimmed at both ends.
 * Returns the length; 0 means nothing usable was left (the caller picks a fallback).
 */
size_t rt__name_clean(const char *text, bool ascii, char *out, size_t limit);

/* Whether `name` (length `len`) is a device name Windows reserves (CON, NUL, COM1...). */
bool rt__name_is_reserved(const char *name, size_t len);

#endif
