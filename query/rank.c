/* rank.c - fusion: each signal's pass (signals.c) adds candidates, the
 * entries of a concept merge, and the weighted sum orders them. */
#include "rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyse.h"
#include "explain.h"
#include "features.h"
#include "rerank.h"
#include "signals.h"

static int cmp_concept(const void *a, const void *b)
{
    const ss_cand *x = a, *y = b;
    return (x->concept > y->concept) - (x->concept < y->concept);
}

static int cmp_score(const void *a, const void *b)
{
    const ss_cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return cmp_concept(a, b);
}

/* One entry per concept, with what each pass found. */
static size_t merge(ss_cand *c, size_t n)
{
    if (n == 0)
        return 0; /* c may be NULL: no pass found anything */
    qsort(c, n, sizeof *c, cmp_concept);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m == 0 || c[m - 1].concept != c[i].concept) {
            c[m++] = c[i];
            continue;
        }
        ss_cand *d = &c[m - 1];
        for (int s = 0; s < SS_NSIG; s++)
            if (c[i].found & (1u << s)) {
                d->sig[s] = c[i].sig[s];
                d->ev[s] = c[i].ev[s];
            }
        d->found |= c[i].found;
    }
    return m;
}

static double weight(const ss_params *p, const ss_signal *s)
{
    return *(const double *)((const char *)p + s->weight);
}

/* Every signal of kind, fused and sorted. */
static ss_status rank_kind(const ss_rank_input *in, ss_kind kind,
                           const ss_qwords *w, unsigned depth,
                           const ss_ranked *skills, ss_ranked *out,
                           unsigned *facets)
{
    memset(out, 0, sizeof *out);
    ss_pass_ctx x = {
        .in = in,
        .p = in->params && kind == in->kind ? in->params
                                            : ss_params_get(kind),
        .w = w,
        .kind = kind,
        .depth = depth,
        .skills = skills,
        .facets = facets,
    };
    ss_cands c = {0};
    int active[SS_NSIG] = {0}, post = 0;
    ss_status st = SS_OK;
    /* signals added after normalisation need every candidate in */
    for (int round = SS_STAGE_FUSE; round <= SS_STAGE_NORM; round++)
        for (int s = 0; st == SS_OK && s < SS_NSIG; s++)
            if (ss_signals[s].stage == round &&
                !(x.in->lean && weight(x.p, &ss_signals[s]) == 0)) {
                st = ss_signals[s].pass(&x, &c, &active[s]);
                post |= round && active[s];
            }
    if (st != SS_OK) {
        ss_pass_ctx_free(&x);
        ss_cands_free(&c);
        return st;
    }
    size_t m = merge(c.v, c.n);
    double top = 0;
    for (size_t i = 0; i < m; i++) {
        ss_cand *d = &c.v[i];
        for (int s = 0; s < SS_NSIG; s++)
            if (ss_signals[s].stage == SS_STAGE_FUSE)
                d->score += weight(x.p, &ss_signals[s]) * d->sig[s];
        top = d->score > top ? d->score : top;
    }
    /* the text score relative to its best, plus the SS_STAGE_NORM ones */
    for (size_t i = 0; post && i < m; i++) {
        ss_cand *d = &c.v[i];
        if (x.p->vec_norm > 0 && top > 0)
            d->score /= top;
        for (int s = 0; s < SS_NSIG; s++) {
            if (ss_signals[s].stage != SS_STAGE_NORM || !active[s])
                continue;
            if (ss_signals[s].fill)
                ss_signals[s].fill(&x, d);
            if (d->sig[s] != 0)
                d->score += weight(x.p, &ss_signals[s]) * d->sig[s];
        }
    }
    ss_pass_ctx_free(&x);
    if (m)
        qsort(c.v, m, sizeof *c.v, cmp_score);
    out->c = c.v;
    out->n = m;
    out->estimate = x.estimate > m ? x.estimate : (unsigned)m;
    return SS_OK;
}

/* The learned ranker reorders the first k candidates; their score
 * becomes exp(blend - best blend), so the best is 1 and scores stay
 * positive for callers that fuse rankings (match.c). The rest keep their
 * fused order and proportions, below the lowest reordered one. */
static ss_status rerank(const ss_rank_input *in, const ss_params *p,
                        ss_reranker *m, const ss_qwords *w,
                        const ss_ranked *sk, size_t k, ss_ranked *r,
                        char **errmsg)
{
    if (k > r->n)
        k = r->n;
    if (k == 0)
        return SS_OK;
    float *X = malloc(k * ss_nfeatures * sizeof *X);
    float *y = malloc(k * sizeof *y);
    ss_status st = X && y ? ss_features_fill(in, w, r, sk, k, X) : SS_ERR_NOMEM;
    if (st == SS_OK)
        st = ss_reranker_score(m, X, k, y, errmsg);
    if (st == SS_OK) {
        /* the model's word against the fused order's (w_model) */
        double top = r->c[0].score > 0 ? r->c[0].score : 1;
        double last = r->c[k - 1].score, low = 1;
        for (size_t i = 0; i < k; i++)
            y[i] = (float)(p->w_model * y[i] + r->c[i].score / top);
        float best = y[0];
        for (size_t i = 1; i < k; i++)
            best = y[i] > best ? y[i] : best;
        for (size_t i = 0; i < k; i++) {
            r->c[i].score = exp((double)y[i] - (double)best);
            low = r->c[i].score < low ? r->c[i].score : low;
        }
        for (size_t i = k; i < r->n; i++)
            r->c[i].score = last > 0 ? low * r->c[i].score / last : 0;
        qsort(r->c, k, sizeof *r->c, cmp_score);
    }
    free(X);
    free(y);
    return st;
}

/* The SS_STAGE_MODEL signals, on the order the learned ranker left:
 * each adds weight x value to the candidates it names, and those not yet
 * in r join it. The first score stays what it was (1 after the learned
 * ranker), the rest in proportion. */
static ss_status after_model(const ss_rank_input *in, const ss_params *p,
                             const ss_qwords *w, ss_ranked *r)
{
    ss_pass_ctx x = {.in = in, .p = p, .w = w, .kind = in->kind};
    ss_status st = SS_OK;
    double top = r->n ? r->c[0].score : 0;
    int changed = 0;
    for (int s = 0; st == SS_OK && s < SS_NSIG; s++) {
        if (ss_signals[s].stage != SS_STAGE_MODEL || weight(p, &ss_signals[s]) <= 0)
            continue;
        ss_cands c = {0};
        int active = 0;
        st = ss_signals[s].pass(&x, &c, &active);
        size_t n0 = r->n;
        if (st == SS_OK && c.n) {
            ss_cand *v = realloc(r->c, (r->n + c.n) * sizeof *v);
            if (!v)
                st = SS_ERR_NOMEM;
            else
                r->c = v;
        }
        for (size_t j = 0; st == SS_OK && j < c.n; j++) {
            ss_cand *d = NULL;
            for (size_t i = 0; i < n0 && !d; i++)
                if (r->c[i].concept == c.v[j].concept)
                    d = &r->c[i];
            if (!d) {
                d = &r->c[r->n++];
                *d = c.v[j];
                d->score = 0;
            }
            d->found |= 1u << s;
            d->sig[s] = c.v[j].sig[s];
            d->score += weight(p, &ss_signals[s]) * d->sig[s];
        }
        if (st == SS_OK && c.n)
            qsort(r->c, r->n, sizeof *r->c, cmp_score);
        changed |= c.n > 0;
        ss_cands_free(&c);
    }
    if (top <= 0)
        top = 1; /* a ranking the stage started */
    for (size_t i = 0; changed && r->n && r->c[0].score > 0 && i < r->n; i++)
        r->c[i].score *= top / r->c[0].score;
    return st;
}

static ss_status emit(const ss_rank_input *in, const ss_qwords *w,
                      const ss_ranked *r, ss_hits *out)
{
    out->total_estimate = r->estimate;
    size_t from = in->offset < r->n ? in->offset : r->n;
    size_t to = from + in->limit < r->n ? from + in->limit : r->n;
    out->v = calloc(to - from + 1, sizeof *out->v);
    if (!out->v)
        return SS_ERR_NOMEM;
    for (size_t i = from; i < to; i++) {
        ss_hit *h = &out->v[out->n++];
        const ss_concept_info *ci = &in->concepts->v[r->c[i].concept];
        h->uri = strdup(ci->uri);
        h->label = strdup(ci->labels[0]);
        h->isco = strdup(ci->isco);
        h->type = strdup(in->kind == SS_KIND_OCC ? "occupation" : "skill");
        h->score = r->c[i].score;
        h->ordinal = r->c[i].concept;
        if (!h->uri || !h->label || !h->isco || !h->type)
            return SS_ERR_NOMEM;
        if (!in->explain || i - from < in->explain) {
            ss_status st = ss_explain_hit(in, w, &r->c[i], h);
            if (st != SS_OK)
                return st;
        }
    }
    return SS_OK;
}

/* What a query goes through before any model: its analysis, the skill
 * ranking (occupations) and the fused ranking of its kind. */
typedef struct stage {
    ss_qwords w;
    ss_ranked sk, r;
} stage;

static int no_words(const stage *g)
{
    return g->w.nuse == 0 && g->w.nextra == 0;
}

static void stage_free(stage *g)
{
    free(g->sk.c);
    free(g->r.c);
    ss_qwords_free(&g->w);
}

/* SS_OK with g->r empty when the query has no searchable words. */
static ss_status first_stage(const ss_rank_input *in, const ss_params *p,
                             unsigned depth, unsigned *facets, stage *g,
                             char **errmsg)
{
    memset(g, 0, sizeof *g);
    ss_status st = ss_qwords_analyse(in, p, &g->w, errmsg);
    if (st != SS_OK || no_words(g))
        return st;
    /* occupations also count the skills the query names */
    if (in->kind == SS_KIND_OCC && p->w_skill > 0)
        st = rank_kind(in, SS_KIND_SKILL, &g->w, (unsigned)p->skill_depth,
                       NULL, &g->sk, NULL);
    if (st == SS_OK)
        st = rank_kind(in, in->kind, &g->w, depth, &g->sk, &g->r, facets);
    return st;
}

ss_status ss_rank(const ss_rank_input *in, ss_hits *out, unsigned *facets,
                  char **errmsg)
{
    memset(out, 0, sizeof *out);
    if (in->isco && *in->isco && !ss_isco_valid(in->isco))
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "isco filter must be 1 to 4 digits");
    const ss_params *p = in->params ? in->params : ss_params_get(in->kind);
    unsigned depth = (unsigned)p->depth;
    if (in->offset + in->limit > depth)
        depth = in->offset + in->limit;
    stage g;
    ss_status st = first_stage(in, p, depth, facets, &g, errmsg);
    if (st != SS_OK || no_words(&g)) {
        stage_free(&g);
        return st;
    }
    ss_reranker *m = in->model[in->kind == SS_KIND_SKILL];
    if (m)
        st = rerank(in, p, m, &g.w, &g.sk, (size_t)p->rerank_depth, &g.r,
                    errmsg);
    if (st == SS_OK)
        st = after_model(in, p, &g.w, &g.r);
    if (st == SS_OK)
        st = emit(in, &g.w, &g.r, out);
    if (st == SS_OK && g.w.suggestion) {
        out->suggestion = g.w.suggestion;
        g.w.suggestion = NULL;
    }
    stage_free(&g);
    return st;
}

ss_status ss_rank_features(const ss_rank_input *in, size_t k,
                           uint32_t **concepts, float **X, size_t *n,
                           char **errmsg)
{
    *concepts = NULL;
    *X = NULL;
    *n = 0;
    const ss_params *p = in->params ? in->params : ss_params_get(in->kind);
    unsigned depth = (unsigned)p->depth > k ? (unsigned)p->depth
                                            : (unsigned)k;
    stage g;
    ss_status st = first_stage(in, p, depth, NULL, &g, errmsg);
    size_t m = g.r.n < k ? g.r.n : k;
    if (st == SS_OK && m) {
        *concepts = malloc(m * sizeof **concepts);
        *X = malloc(m * ss_nfeatures * sizeof **X);
        st = *concepts && *X ? ss_features_fill(in, &g.w, &g.r, &g.sk, m, *X)
                             : SS_ERR_NOMEM;
        for (size_t i = 0; st == SS_OK && i < m; i++)
            (*concepts)[i] = g.r.c[i].concept;
    }
    if (st == SS_OK)
        *n = m;
    else {
        free(*concepts);
        free(*X);
        *concepts = NULL;
        *X = NULL;
    }
    stage_free(&g);
    return st;
}
