/* Sized option structs: what a program's struct holds, read without reading past it. */
#include "base/abi.h"

#include <string.h>

void rt__options_init(void *opts, size_t size, const void *defaults, size_t defaults_size)
{
    if (!opts)
        return;
    memset(opts, 0, size);
    memcpy(opts, defaults, size < defaults_size ? size : defaults_size);
    if (size >= sizeof(size_t))
        memcpy(opts, &size, sizeof size);
}

bool rt__options_take(void *out, size_t out_size, const void *given)
{
    if (!given)
        return true;
    size_t size;
    memcpy(&size, given, sizeof size);
    /* The size alone, or a struct bigger than any the library could have handed out sizes
     * for (4 KiB is far beyond every option struct): not set by an init. */
    if (size <= sizeof size || size > 4096)
        return false;
    memcpy(out, given, size < out_size ? size : out_size);
    memcpy(out, &out_size, sizeof out_size);
    return true;
}
