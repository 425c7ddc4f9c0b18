/* entry.c - libFuzzer's entry point for one target of fuzz.h, chosen at
 * compile time with -DFUZZ_TARGET=fuzz_NAME (see the Makefile's `fuzz`). */
#include <stdlib.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (FUZZ_TARGET(data, size))
        abort(); /* a failed property: libFuzzer saves the input */
    return 0;
}
