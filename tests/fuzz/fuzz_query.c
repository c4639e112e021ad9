/* fuzz_query.c - free text -> analysed query -> ranked search on the
 * sample index. The request options are derived from the input so that
 * plain-text seeds stay plain text. */
#include <stdlib.h>
#include <string.h>

#include "../../core/text.h"
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
    static const char *const isco[] = {NULL, NULL, "2", "215", "2152",
                                       "9999"};
    if (size == 0)
        return 0;
    ss_search_req req = {
        .text = (const char *)data,
        .len = size,
        .kind = (size & 1) ? SS_KIND_SKILL : SS_KIND_OCC,
        .facets = (size >> 1) & 1,
        .limit = 1 + data[0] % 20,
        .offset = (size >> 2) % 3 ? 0 : data[size - 1] % 30,
        .isco = isco[(size >> 3) % 6],
    };
    ss_hits h;
    char *err = NULL;
    ss_status st = ss_searcher_search(fz_searcher(), &req, &h, &err);
    if (st == SS_OK) {
        if (h.n > req.limit)
            abort();
        for (size_t i = 0; i < h.n; i++)
            if (!h.v[i].uri || !h.v[i].label)
                abort();
        ss_hits_free(&h);
    } else if (st != SS_ERR_INVALID || ss_utf8_valid(req.text, size)) {
        abort(); /* only invalid UTF-8 may fail */
    }
    free(err);
    return 0;
}
