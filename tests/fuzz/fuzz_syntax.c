/* fuzz_syntax.c - search --syntax (query/syntax.c: Xapian's QueryParser
 * through our wrapper) on the sample index. Any text may be rejected, but
 * only with SS_ERR_BAD_QUERY and a message; nothing else may fail. The
 * request options are derived from the input, as in fuzz_query.c. */
#include <stdlib.h>
#include <string.h>

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
    static const char *const isco[] = {NULL, NULL, NULL, "2", "2221", "9999"};
    if (size == 0)
        return 0;
    ss_search_req req = {
        .text = (const char *)data,
        .len = size,
        .kind = (size & 1) ? SS_KIND_SKILL : SS_KIND_OCC,
        .limit = 1 + data[0] % 20,
        .offset = (size >> 2) % 3 ? 0 : data[size - 1] % 30,
        .isco = isco[(size >> 3) % 6],
        .syntax = 1,
    };
    ss_hits h;
    char *err = NULL;
    ss_status st = ss_searcher_search(fz_searcher(), &req, &h, &err);
    if (st == SS_OK) {
        if (h.n > req.limit)
            abort();
        for (size_t i = 0; i < h.n; i++)
            if (!h.v[i].uri || !h.v[i].label || !h.v[i].type)
                abort();
        ss_hits_free(&h);
    } else if (st != SS_ERR_BAD_QUERY || !err || !*err) {
        abort(); /* a rejected query says why; nothing else may fail */
    }
    free(err);
    return 0;
}
