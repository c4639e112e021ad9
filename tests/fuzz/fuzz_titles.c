/* fuzz_titles.c - the job-ad phrase lists at work on any text: a title
 * declared in a field ("Position: ..."), and spans of running text looked
 * up as phrases. The input has no NUL at its end, as an HTTP body. */
#include <stdlib.h>
#include <string.h>

#include "../../core/terms.h"
#include "../../query/titles.h"
#include "common.h"

static ss_analyzer *g_en;
static ss_titles *g_titles;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (ss_analyzer_create("en", fz_path("data/stop"), &g_en, NULL) != SS_OK ||
        ss_titles_load(fz_path("data/titles"), g_en, &g_titles, NULL) != SS_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    ss_terms t = {0};
    if (ss_terms_add(g_en, s, size, &t) == SS_OK) {
        size_t a = 0, e = 0;
        if (ss_titles_declared(g_titles, &t, s, size, &a, &e) &&
            !(a < e && e <= size))
            abort(); /* a declared title is a non-empty span of the text */
        char key[2 * SS_TERM_MAX + 2];
        for (size_t i = 0; i < t.n && i < 64; i++) {
            int longer = 1;
            for (size_t j = i + 1; j <= t.n && j <= i + 8 && longer; j++)
                if (ss_terms_key(&t, i, j, "", key, sizeof key))
                    (void)ss_titles_kinds(g_titles, key, &longer);
        }
    }
    ss_terms_free(&t);
    return 0;
}
