/* What keeps programs working across versions: sized option structs, and older symbols. */
#ifndef RT_LIB_BASE_ABI_H
#define RT_LIB_BASE_ABI_H

#include <stdbool.h>
#include <stddef.h>

/*
 * An `_options_init_size()`: fill the caller's `size` bytes at `opts` from the library's
 * `defaults` (of `defaults_size` bytes, its own sizeof), zeros past them, and the caller's
 * size into the first field. Every option struct starts with `size_t size`.
 */
void rt__options_init(void *opts, size_t size, const void *defaults, size_t defaults_size);

/*
 * Take the caller's options: `out` (of `out_size` bytes) holds the defaults; the fields the
 * caller's struct has (its first field says its size) are copied over them, those it lacks
 * keep them. NULL `given` keeps every default. False when `given` does not say a size its
 * fields could have: it was not filled by its `_options_init`.
 */
bool rt__options_take(void *out, size_t out_size, const void *given);

/*
 * Bind the function `impl` to the symbol `name@version` (the version a string: "LIBRUTUBE_0"),
 * the one a program built against that older header calls (lib/librutube.map lists `name` in
 * that node too), or the current `name` itself as the default `name@@version`. Programs
 * linking librutube.a see only the current names.
 */
#define RT__OLD_SYMBOL(impl, name, version) __asm__(".symver " #impl ", " #name "@" version)
#define RT__CURRENT_SYMBOL(name, version)   __asm__(".symver " #name ", " #name "@@@" version)
/* An old symbol's function must be visible for the binding to export it. */
#define RT__EXPORTED __attribute__((visibility("default")))

#endif
