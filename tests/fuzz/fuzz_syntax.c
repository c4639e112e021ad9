/* fuzz_syntax.c - search --syntax (query/syntax.c: Xapian's QueryParser
 * through our wrapper) on the sample index. Any text may be rejected, but
 * only with SS_ERR_BAD_QUERY and a message; nothing else may fail. */
#include <stdlib.h>

#include "common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_searcher();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    ss_search_req req = fz_search_req(data, size);
    req.syntax = 1;
    ss_hits h;
    char *err = NULL;
    ss_status st = ss_searcher_search(fz_searcher(), &req, &h, &err);
    if (st == SS_OK)
        fz_check_hits(&h, req.limit);
    else if (st != SS_ERR_BAD_QUERY || !err || !*err)
        abort(); /* a rejected query says why; nothing else may fail */
    free(err);
    return 0;
}
