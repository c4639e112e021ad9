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
    if (size == 0)
        return 0;
    ss_search_req req = fz_search_req(data, size);
    ss_hits h;
    char *err = NULL;
    ss_status st = ss_searcher_search(fz_searcher(), &req, &h, &err);
    if (st == SS_OK)
        fz_check_hits(&h, req.limit);
    else if (st != SS_ERR_INVALID || ss_utf8_valid(req.text, size))
        abort(); /* only invalid UTF-8 may fail */
    free(err);
    return 0;
}
