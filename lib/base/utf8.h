/* UTF-8 as the library reads text from outside: one character at a time, strictly. */
#ifndef RT_LIB_BASE_UTF8_H
#define RT_LIB_BASE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * The character at `p` (at most `left` bytes, `left` > 0): its length, with its code point in
 * `*code`; 0 when the bytes are not a whole, shortest-form sequence of a valid code point
 * (overlong forms, surrogates, values past U+10FFFF, a sequence cut short). `*code` is left
 * alone then.
 */
size_t rt__utf8_decode(const unsigned char *p, size_t left, uint32_t *code);

#endif
