/* label_scan.c - see label_scan.h. */
#include "label_scan.h"

#include "../core/memindex.h"
#include "../core/schema.h"

/* The best label document among postings (preferred before alternative
 * before hidden), or UINT32_MAX. */
static uint32_t best_label(const ss_memindex *m, ss_postings p)
{
    uint32_t best = UINT32_MAX;
    int rank = 9;
    for (size_t i = 0; i < p.n; i++) {
        uint8_t k = ss_memindex_kind(m, p.doc[i]);
        int r = k == 'p' ? 0 : k == 'a' ? 1 : 2;
        if (r < rank)
            rank = r, best = p.doc[i];
    }
    return best;
}

ss_status ss_label_scan(const ss_rank_input *in, const ss_terms *t,
                        uint32_t from, uint32_t to, ss_label_fn found_fn,
                        void *ctx)
{
    char key[SS_TERM_MAX + 8];
    for (size_t i = 0; i < t->n;) {
        const ss_token *tk = &t->tok.v[i];
        if (tk->flags & (SS_TOK_STOP | SS_TOK_PART)) {
            i++;
            continue;
        }
        uint32_t found = UINT32_MAX;
        size_t found_end = i;
        int found_words = 0;
        for (size_t j = i + 1; j <= t->n; j++) {
            if ((j < t->n && (t->tok.v[j].flags & SS_TOK_PART)) ||
                (t->tok.v[j - 1].flags & SS_TOK_STOP))
                continue;
            size_t words = ss_terms_key(t, i, j, SS_PFX_LABELKEY, key,
                                        sizeof key);
            if (!words || words > SS_SCAN_MAX_WORDS)
                break;
            ss_postings p = ss_postings_range(
                ss_memindex_lookup(in->labels, key), from, to);
            uint32_t d = best_label(in->labels, p);
            if (d != UINT32_MAX) {
                found = d;
                found_end = j;
                found_words = (int)words;
            }
        }
        if (found == UINT32_MAX) {
            i++;
            continue;
        }
        ss_status st = found_fn(ctx, found, i, found_end, found_words);
        if (st != SS_OK)
            return st;
        i = found_end;
    }
    return SS_OK;
}
