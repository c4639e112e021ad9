/* fuzz_wordvec.c - word-vector files (synonyms/wordvec.c) from any bytes:
 * opening must refuse what is not whole and ours, and whatever it accepts
 * must be safe to look words up in; the same bytes as wink JSON go
 * through the importer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../synonyms/wordvec.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char file[512], out[512];
    if (!file[0]) {
        snprintf(file, sizeof file, "%s/in.bin", fz_tmpdir());
        snprintf(out, sizeof out, "%s/out.ssvec", fz_tmpdir());
    }
    fz_write_file(file, data, size);
    ss_wordvec *v = NULL;
    char *err = NULL;
    if (ss_wordvec_open(file, &v, &err) == SS_OK) {
        float acc[SS_WORDVEC_MAX_DIMS] = {0};
        size_t n = ss_wordvec_count(v);
        for (size_t i = 0; i < n && i < 64; i++) {
            size_t len;
            const char *w = ss_wordvec_word(v, i, &len);
            (void)ss_wordvec_find(v, w, len);
            ss_wordvec_add(v, i, 1, acc);
        }
        (void)ss_wordvec_find(v, "engineer", 8);
        ss_wordvec_destroy(v);
    } else if (!err) {
        abort(); /* every refusal says why */
    }
    free(err);
    err = NULL;
    size_t kept = 0;
    if (ss_wordvec_import_wink(file, out, 0, &kept, &err) != SS_OK && !err)
        abort();
    free(err);
    return 0;
}
