/* fuzz_query.c - free text -> analysed query -> ranked search on the
 * sample index (fz_search in common.c). fuzz_syntax.c builds this target
 * again with FZ_SYNTAX 1. */
#include "common.h"

#ifndef FZ_SYNTAX
#define FZ_SYNTAX 0
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_searcher();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_search(data, size, FZ_SYNTAX);
    return 0;
}
