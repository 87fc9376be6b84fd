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
 * A public function with an older version kept for older programs is written twice under
 * other C names, each bound to its symbol: RT__OLD_SYMBOL to `name@version`, the one a program
 * built against that older header calls (the version a string: "LIBRUTUBE_0"), and
 * RT__CURRENT_SYMBOL to `name@@version`, the default every program built now gets (also from
 * librutube.a). lib/librutube.map lists `name` in both nodes. (GCC's "@@@", which would keep the
 * C name, leaves a duplicate definition behind with clang's assembler.)
 */
#define RT__OLD_SYMBOL(impl, name, version)     __asm__(".symver " #impl ", " #name "@" version)
#define RT__CURRENT_SYMBOL(impl, name, version) __asm__(".symver " #impl ", " #name "@@" version)
/* Both functions must be visible for the bindings to export them. */
#define RT__EXPORTED __attribute__((visibility("default")))

#endif
