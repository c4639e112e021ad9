/* suggest_typo.c - one-typo word matching for ss_suggest_lookup. */
#include "suggest_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_CANDIDATES 8 /* typo corrections tried per lookup */

/* Edit distance <= 1 (with adjacent swaps) between a and b; if prefix, b
 * only needs to start with something that close to a. One edit can always
 * be placed at the first mismatch, so checking there is enough. */
static int cp_eq(const uint32_t *a, const uint32_t *b, size_t n)
{
    return n == 0 || memcmp(a, b, n * sizeof *a) == 0;
}

static int within_one(const uint32_t *a, size_t m, const uint32_t *b,
                      size_t n, int prefix)
{
    if (!prefix && (m > n + 1 || n > m + 1))
        return 0;
    size_t i = 0;
    while (i < m && i < n && a[i] == b[i])
        i++;
    if (i == m)
        return prefix || n <= m + 1;
    /* a[i] is unmatched: substitute, delete from a, insert into a, swap */
    size_t ra = m - i - 1; /* a's rest after i */
    if (prefix) {
        if (n >= i + 1 + ra && cp_eq(a + i + 1, b + i + 1, ra))
            return 1;
        if (n >= i + ra && cp_eq(a + i + 1, b + i, ra))
            return 1;
        if (n >= i + 1 + ra + 1 && cp_eq(a + i, b + i + 1, ra + 1))
            return 1;
        return ra >= 1 && n >= i + 2 + ra - 1 && a[i] == b[i + 1] &&
               a[i + 1] == b[i] && cp_eq(a + i + 2, b + i + 2, ra - 1);
    }
    if (m == n)
        return cp_eq(a + i + 1, b + i + 1, ra) ||
               (ra >= 1 && a[i] == b[i + 1] && a[i + 1] == b[i] &&
                cp_eq(a + i + 2, b + i + 2, ra - 1));
    if (m == n + 1)
        return cp_eq(a + i + 1, b + i, ra);
    return i < n && cp_eq(a + i, b + i + 1, ra + 1);
}

static int known_word(const ss_suggest *sg, const char *w, size_t len)
{
    size_t lo = 0, hi = sg->nw;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(sg->w[mid].w, w, len);
        if (c == 0 && sg->w[mid].w[len])
            c = 1;
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

ss_status ss_suggest_typo_scan(const ss_suggest *sg, const char *q, topk *t)
{
    const char *ws = q, *sp;
    while ((sp = strchr(ws, ' ')) && known_word(sg, ws, (size_t)(sp - ws)))
        ws = sp + 1;
    int prefix = sp == NULL;
    size_t wl = sp ? (size_t)(sp - ws) : strlen(ws);
    char *typed = strndup(ws, wl);
    if (!typed)
        return SS_ERR_NOMEM;
    uint32_t cp[MAX_WORD_CP];
    size_t ncp = ss_suggest_decode_cp(typed, cp, MAX_WORD_CP);
    free(typed);
    if (ncp < 3 || ncp > MAX_WORD_CP)
        return SS_OK;

    /* One edit leaves the first or second letter in place (or swaps
     * them), so a candidate starts with typed[0] or typed[1], or has one
     * of them second. Scan only those groups of the vocabulary. */
    unsigned char b0 = (unsigned char)ws[0];
    unsigned char b1 = ss_suggest_second_byte(ws);
    struct {
        const size_t *off;
        unsigned char b;
    } groups[4] = {{sg->first, b0}, {sg->first, b1}, {sg->second, b0},
                   {sg->second, b1}};
    size_t cand[MAX_CANDIDATES], ncand = 0;
    for (int g = 0; g < 4; g++) {
        if (g % 2 && b1 == b0)
            continue;
        for (size_t j = groups[g].off[groups[g].b];
             j < groups[g].off[groups[g].b + 1]; j++) {
            size_t i = g < 2 ? j : sg->by2[j];
            const word *w = &sg->w[i];
            if (!w->cp || !within_one(cp, ncp, w->cp, w->ncp, prefix))
                continue;
            if (prefix && w->ncp >= ncp && cp_eq(cp, w->cp, ncp))
                continue; /* no typo: already tried by ss_suggest_prefix_scan */
            int dup = 0;
            for (size_t k = 0; k < ncand; k++)
                dup |= cand[k] == i;
            if (dup)
                continue;
            size_t pos = ncand < MAX_CANDIDATES ? ncand++ : MAX_CANDIDATES;
            while (pos > 0 && sg->w[cand[pos - 1]].freq < w->freq) {
                if (pos < MAX_CANDIDATES)
                    cand[pos] = cand[pos - 1];
                pos--;
            }
            if (pos < MAX_CANDIDATES)
                cand[pos] = i;
        }
    }
    size_t before = (size_t)(ws - q), qlen = strlen(q);
    for (size_t c = 0; c < ncand; c++) {
        const char *rep = sg->w[cand[c]].w;
        size_t rl = strlen(rep);
        char *fixed = malloc(qlen - wl + rl + 1);
        if (!fixed)
            return SS_ERR_NOMEM;
        memcpy(fixed, q, before);
        memcpy(fixed + before, rep, rl);
        strcpy(fixed + before + rl, q + before + wl);
        ss_suggest_prefix_scan(sg, fixed, t);
        free(fixed);
    }
    return SS_OK;
}
