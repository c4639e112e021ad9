#include "bm25.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/terms.h"

void ss_wlist_free(ss_wlist *l)
{
    ss_strv_free(l->t, l->n);
    free(l->w);
    memset(l, 0, sizeof *l);
}

ss_status ss_wlist_add(ss_wlist *l, const char *prefix, const char *term,
                       double w)
{
    char buf[SS_TERM_MAX + 8];
    if (w <= 0 || !ss_term_prefixed(buf, sizeof buf, prefix, term))
        return SS_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        char **t = realloc(l->t, cap * sizeof *t);
        if (t)
            l->t = t;
        double *ww = realloc(l->w, cap * sizeof *ww);
        if (ww)
            l->w = ww;
        if (!t || !ww)
            return SS_ERR_NOMEM;
        l->cap = cap;
    }
    if (!(l->t[l->n] = strdup(buf)))
        return SS_ERR_NOMEM;
    l->w[l->n++] = w;
    return SS_OK;
}

struct ss_rank_ws {
    float *acc;        /* per document of the space being scored */
    uint32_t *touched; /* documents with acc != 0 */
    size_t nt, cap;
    float *best;       /* per concept: best label score */
    uint32_t *bestdoc;
    uint32_t *ctouched;
    size_t nct, ccap;
};

ss_rank_ws *ss_rank_ws_create(void) { return calloc(1, sizeof(ss_rank_ws)); }

void ss_rank_ws_destroy(ss_rank_ws *ws)
{
    if (!ws)
        return;
    free(ws->acc);
    free(ws->touched);
    free(ws->best);
    free(ws->bestdoc);
    free(ws->ctouched);
    free(ws);
}

static int ws_fit(ss_rank_ws *ws, size_t ndocs, size_t nconcepts)
{
    if (ndocs > ws->cap) {
        free(ws->acc);
        free(ws->touched);
        ws->acc = calloc(ndocs, sizeof *ws->acc);
        ws->touched = malloc(ndocs * sizeof *ws->touched);
        ws->cap = ws->acc && ws->touched ? ndocs : 0;
        if (!ws->cap)
            return -1;
    }
    if (nconcepts > ws->ccap) {
        free(ws->best);
        free(ws->bestdoc);
        free(ws->ctouched);
        ws->best = calloc(nconcepts, sizeof *ws->best);
        ws->bestdoc = malloc(nconcepts * sizeof *ws->bestdoc);
        ws->ctouched = malloc(nconcepts * sizeof *ws->ctouched);
        ws->ccap = ws->best && ws->bestdoc && ws->ctouched ? nconcepts : 0;
        if (!ws->ccap)
            return -1;
    }
    return 0;
}


static int cmp_hit(const void *a, const void *b)
{
    const ss_bm25_hit *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return (x->concept > y->concept) - (x->concept < y->concept);
}

int ss_isco_ok(const ss_rank_input *in, uint32_t concept)
{
    return !in->isco || !*in->isco ||
           !strncmp(in->concepts->v[concept].isco, in->isco,
                    strlen(in->isco));
}

static int row_of(const ss_skill_value *t, char code)
{
    for (int i = 0; code && t[i].name; i++)
        if (t[i].code == code)
            return i;
    return -1;
}

/* Counts the facets of every hit and drops the skills that fail the
 * skill filters; a skill facet counts the hits passing the other one. */
static void filter_and_count(const ss_rank_input *in, ss_bm25_hits *all,
                             unsigned *facets)
{
    int filter = in->kind == SS_KIND_SKILL && (in->skilltype || in->reuse);
    if (!filter && !facets)
        return; /* the common case: nothing to count or drop */
    size_t m = 0;
    for (size_t i = 0; i < all->n; i++) {
        const ss_concept_info *ci = &in->concepts->v[all->v[i].concept];
        int type_ok = !filter || !in->skilltype || ci->stype == in->skilltype;
        int reuse_ok = !filter || !in->reuse || ci->reuse == in->reuse;
        if (facets && ci->isco[0] >= '0' && ci->isco[0] <= '9')
            facets[ci->isco[0] - '0']++;
        else if (facets) {
            int t = row_of(ss_skill_types, ci->stype);
            int r = row_of(ss_reuse_levels, ci->reuse);
            if (t >= 0 && reuse_ok)
                facets[SS_FACET_TYPE + t]++;
            if (r >= 0 && type_ok)
                facets[SS_FACET_REUSE + r]++;
        }
        if (type_ok && reuse_ok)
            all->v[m++] = all->v[i];
    }
    all->n = m;
}

/* The best `depth` entries of all (sorted), via a bounded min-heap. */
static void keep_top(ss_bm25_hits *all, size_t depth)
{
    if (all->n > depth * 4) {
        /* partial selection: heap of the depth best */
        ss_bm25_hit *h = all->v;
        size_t n = 0;
        for (size_t i = 0; i < all->n; i++) {
            ss_bm25_hit x = all->v[i];
            if (n < depth) {
                size_t c = n++;
                while (c > 0 && cmp_hit(&h[(c - 1) / 2], &x) < 0) {
                    h[c] = h[(c - 1) / 2];
                    c = (c - 1) / 2;
                }
                h[c] = x;
            } else if (cmp_hit(&x, &h[0]) < 0) {
                size_t c = 0;
                for (;;) {
                    size_t l = 2 * c + 1, r = l + 1, m = c;
                    const ss_bm25_hit *mv = &x;
                    if (l < n && cmp_hit(&h[l], mv) > 0)
                        m = l, mv = &h[l];
                    if (r < n && cmp_hit(&h[r], mv) > 0)
                        m = r;
                    if (m == c)
                        break;
                    h[c] = h[m];
                    c = m;
                }
                h[c] = x;
            }
        }
        all->n = n;
    }
    qsort(all->v, all->n, sizeof *all->v, cmp_hit);
    if (all->n > depth)
        all->n = depth;
}

ss_status ss_bm25_score(const ss_rank_input *in, const ss_memindex *m,
                        uint32_t from, uint32_t to, const ss_wlist *q,
                        double k1, double b, int collapse, size_t depth,
                        unsigned *facets, ss_bm25_hits *out)
{
    ss_rank_ws *ws = in->ws;
    memset(out, 0, sizeof *out);
    if (ws_fit(ws, ss_memindex_ndocs(m), in->concepts->n) < 0)
        return SS_ERR_NOMEM;
    double N = to > from ? to - from : 1;
    double avg = in->avglen(in->avg_ctx, m, from, to);
    ws->nt = 0;
    const uint32_t *skip = m == in->labels ? in->exclude : NULL;
    for (size_t i = 0; i < q->n; i++) {
        ss_postings p = ss_postings_range(ss_memindex_lookup(m, q->t[i]),
                                          from, to);
        if (!p.n || (in->max_postings && p.n > in->max_postings))
            continue;
        double idf = log(1.0 + (N - p.n + 0.5) / (p.n + 0.5)) * q->w[i];
        for (size_t j = 0; j < p.n; j++) {
            uint32_t d = p.doc[j];
            if (skip && d == *skip)
                continue;
            double tf = p.tf[j];
            double K = k1 * (1 - b + b * ss_memindex_doclen(m, d) / avg);
            if (ws->acc[d] == 0)
                ws->touched[ws->nt++] = d;
            ws->acc[d] += (float)(idf * tf * (k1 + 1) / (tf + K));
        }
    }
    ss_bm25_hits all = {0};
    all.v = malloc((ws->nt + 1) * sizeof *all.v);
    if (!all.v) {
        for (size_t i = 0; i < ws->nt; i++)
            ws->acc[ws->touched[i]] = 0;
        return SS_ERR_NOMEM;
    }
    ws->nct = 0;
    int isco = in->isco && *in->isco; /* the call costs, per document */
    for (size_t i = 0; i < ws->nt; i++) {
        uint32_t d = ws->touched[i];
        float w = ws->acc[d];
        ws->acc[d] = 0;
        uint32_t c = ss_memindex_concept(m, d);
        if (c >= in->concepts->n || (isco && !ss_isco_ok(in, c)))
            continue;
        if (!collapse) {
            all.v[all.n++] = (ss_bm25_hit){c, d, w};
            continue;
        }
        if (ws->best[c] == 0)
            ws->ctouched[ws->nct++] = c;
        if (w > ws->best[c]) {
            ws->best[c] = w;
            ws->bestdoc[c] = d;
        }
    }
    for (size_t i = 0; i < ws->nct; i++) {
        uint32_t c = ws->ctouched[i];
        all.v[all.n++] = (ss_bm25_hit){c, ws->bestdoc[c], ws->best[c]};
        ws->best[c] = 0;
    }
    filter_and_count(in, &all, facets);
    all.matched = all.n;
    keep_top(&all, depth);
    *out = all;
    return SS_OK;
}
