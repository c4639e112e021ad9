/* fuzz_text.c - normaliser and tokeniser (en and fr analyzers). */
#include <stdlib.h>
#include <string.h>

#include "../../core/text.h"
#include "common.h"

static ss_analyzer *g_en, *g_fr;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *stop = fz_path("data/stop");
    if (ss_analyzer_create("en", stop, &g_en, NULL) != SS_OK ||
        ss_analyzer_create("fr", stop, &g_fr, NULL) != SS_OK)
        abort();
    return 0;
}

static void tokenize(ss_analyzer *a, const char *s, size_t n, int valid)
{
    ss_tokens t = {0};
    ss_status st = ss_analyzer_tokenize(a, s, n, &t);
    if ((st == SS_OK) != valid) /* fails exactly on invalid UTF-8 */
        abort();
    for (size_t i = 0; i < t.n; i++) {
        const ss_token *k = &t.v[i];
        if (k->start > k->end || k->end > n || !k->text[0])
            abort();
        if (!(k->flags & (SS_TOK_SYMBOL | SS_TOK_NUMERIC))) {
            char buf[256];
            size_t len;
            (void)ss_analyzer_stem(a, k->text, buf, sizeof buf, &len);
        }
        (void)ss_analyzer_is_stopword(a, k->text);
    }
    ss_tokens_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    int valid = ss_utf8_valid(s, size);
    for (int strip = 0; strip < 2; strip++) {
        char *out = NULL;
        size_t len = 0;
        ss_status st = ss_text_normalize(s, size, strip, &out, &len);
        if (st == SS_OK) {
            if (!ss_utf8_valid(out, len) || strlen(out) != len)
                abort(); /* normalised text is valid, NUL-free UTF-8 */
        } else if (valid && st == SS_ERR_INVALID) {
            abort();
        }
        free(out);
    }
    tokenize(g_en, s, size, valid);
    tokenize(g_fr, s, size, valid);
    return 0;
}
