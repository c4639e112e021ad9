#include <stdio.h>
#include "signals.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/schema.h"
#include "../synonyms/labelvec.h"
#include "bm25.h"
#include "explain.h"
#include "meaning.h"
#include "propagate.h"

ss_cand *ss_cands_add(ss_cands *c, uint32_t concept, int sig)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 128;
        ss_cand *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return NULL;
        c->v = v;
        c->cap = cap;
    }
    ss_cand *x = &c->v[c->n++];
    memset(x, 0, sizeof *x);
    x->concept = concept;
    x->found = 1u << sig;
    return x;
}

void ss_cands_free(ss_cands *c)
{
    free(c->v);
    memset(c, 0, sizeof *c);
}

void ss_pass_ctx_free(ss_pass_ctx *ctx)
{
    free(ctx->sim);
    free(ctx->slabel);
    ctx->sim = NULL;
    ctx->slabel = NULL;
}

/* ------------------------------------------------------- query terms */

/* Weight of used word i: the head noun counts more, seniority less. */
static double word_weight(const ss_params *p, const ss_qwords *w, size_t i)
{
    size_t t = w->use[i];
    if (w->weak && w->weak[t])
        return p->seniority;
    return (int)t == w->head ? 1.0 + p->head : 1.0;
}

/* Adjacent word pairs of the query, as bigram terms. */
static ss_status add_bigrams(ss_wlist *l, const ss_qwords *w, double weight)
{
    char buf[SS_TERM_MAX + 8];
    ss_status st = SS_OK;
    for (size_t i = 0; st == SS_OK && weight > 0 && i < w->t.n &&
                       i < SS_MAX_PAIRS;
         i++)
        if (ss_terms_bigram(&w->t, i, "", buf, sizeof buf))
            st = ss_wlist_add(l, SS_PFX_BIGRAM, buf, weight);
    return st;
}

typedef struct key_ctx {
    ss_wlist *l;
    double weight;
} key_ctx;

static ss_status add_key(void *ctx, const char *key, size_t words)
{
    key_ctx *k = ctx;
    return ss_wlist_add(k->l, SS_PFX_LABELKEY, key, k->weight * (double)words);
}

static size_t key_words(const char *key)
{
    size_t n = 1;
    for (; *key; key++)
        n += *key == ' ';
    return n;
}

/* Each word of an analysed key, behind prefix. */
static ss_status add_words(ss_wlist *l, const char *prefix, const char *key,
                           double weight)
{
    char word[SS_TERM_MAX + 8];
    ss_status st = SS_OK;
    while (st == SS_OK && *key) {
        size_t n = strcspn(key, " ");
        if (n < sizeof word) {
            memcpy(word, key, n);
            word[n] = '\0';
            st = ss_wlist_add(l, prefix, word, weight);
        }
        key += n + (key[n] == ' ');
    }
    return st;
}

/* The typed words, spelling corrections and curated synonyms' words. */
static ss_status word_terms(const ss_params *p, const ss_qwords *w,
                            const char *prefix, ss_wlist *l)
{
    ss_status st = SS_OK;
    for (size_t i = 0; st == SS_OK && i < w->nuse; i++)
        st = ss_wlist_add(l, prefix, w->t.term[w->use[i]],
                          word_weight(p, w, i));
    for (size_t i = 0; st == SS_OK && i < w->nextra; i++)
        st = ss_wlist_add(l, prefix, w->extra[i], p->spell);
    return st;
}

static ss_status synonym_words(const ss_params *p, const ss_qwords *w,
                               const char *prefix, int whole, ss_wlist *l)
{
    ss_status st = SS_OK;
    for (size_t i = 0; st == SS_OK && i < w->nsyn; i++)
        for (size_t k = 0; st == SS_OK && k < w->syn[i]->n; k++) {
            const char *to = w->syn[i]->to[k];
            st = add_words(l, prefix, to, p->synonym);
            /* and the whole form, as a label */
            if (st == SS_OK && whole)
                st = ss_wlist_add(l, SS_PFX_LABELKEY, to,
                                  p->key * p->synonym *
                                      (double)key_words(to));
        }
    return st;
}

static ss_status label_terms(const ss_params *p, const ss_qwords *w,
                             ss_wlist *l)
{
    ss_status st = word_terms(p, w, SS_PFX_WORD, l);
    if (st == SS_OK)
        st = add_bigrams(l, w, p->phrase);
    /* any span of the query that is a whole label */
    key_ctx kc = {l, p->key};
    if (st == SS_OK && p->key > 0)
        st = ss_qwords_spans(w, add_key, &kc);
    if (st == SS_OK)
        st = synonym_words(p, w, SS_PFX_WORD, 1, l);
    return st;
}

static ss_status concept_terms(const ss_params *p, const ss_qwords *w,
                               ss_wlist *l)
{
    ss_status st = word_terms(p, w, SS_PFX_TEXT, l);
    if (st == SS_OK)
        st = synonym_words(p, w, SS_PFX_TEXT, 0, l);
    if (st == SS_OK)
        st = add_bigrams(l, w, p->bigram);
    return st;
}

/* ------------------------------------------------------------ passes */

static void note_matched(ss_pass_ctx *x, size_t matched)
{
    if (matched > x->estimate)
        x->estimate = (unsigned)matched;
}

/* One BM25 pass over [from, to) of m; each hit's value is its score over
 * max (or over its best, if max is 0). */
static ss_status bm25_pass(ss_pass_ctx *x, int sig, const ss_memindex *m,
                           uint32_t from, uint32_t to, const ss_wlist *q,
                           double k1, double b, int collapse, double max,
                           unsigned *facets, ss_cands *out)
{
    ss_bm25_hits h = {0};
    ss_status st = ss_bm25_score(x->in, m, from, to, q, k1, b, collapse,
                                 x->depth, facets, &h);
    if (st != SS_OK)
        return st;
    if (h.n && h.v[0].w > max)
        max = h.v[0].w;
    for (size_t i = 0; i < h.n; i++) {
        ss_cand *c = ss_cands_add(out, h.v[i].concept, sig);
        if (!c) {
            st = SS_ERR_NOMEM;
            break;
        }
        c->sig[sig] = h.v[i].w / (max > 0 ? max : 1);
        c->ev[sig] = h.v[i].doc;
    }
    note_matched(x, h.matched);
    free(h.v);
    return st;
}

/* Labels: one small document per preferred, alternative and hidden label,
 * the best label per concept. Measured against what a label made of
 * exactly the query's words would score, so a label sharing one common
 * word of a long query counts little. */
static ss_status label_pass(ss_pass_ctx *x, ss_cands *out, int *active)
{
    const ss_rank_input *in = x->in;
    const ss_params *p = x->p;
    /* documents of occupations come first */
    uint32_t split = ss_memindex_first_doc(in->labels,
                                           (uint32_t)in->concepts->nocc);
    int occ = x->kind == SS_KIND_OCC;
    ss_wlist q = {0};
    ss_status st = label_terms(p, x->w, &q);
    double max = p->norm_label > 0 ? p->norm_label * x->w->idf_sum : 0;
    if (st == SS_OK)
        st = bm25_pass(x, SS_SIG_LABEL, in->labels, occ ? 0 : split,
                       occ ? split : ss_memindex_ndocs(in->labels), &q,
                       p->label_k1, p->label_b, 1, max, NULL, out);
    ss_wlist_free(&q);
    *active = 1;
    return st;
}

/* Concepts: one document per concept with every field, weighted. */
static ss_status concept_pass(ss_pass_ctx *x, ss_cands *out, int *active)
{
    const ss_rank_input *in = x->in;
    const ss_params *p = x->p;
    uint32_t nocc = (uint32_t)in->concepts->nocc;
    int occ = x->kind == SS_KIND_OCC;
    ss_wlist q = {0};
    ss_status st = concept_terms(p, x->w, &q);
    if (st == SS_OK)
        st = bm25_pass(x, SS_SIG_CONCEPT, in->concepts_ix, occ ? 0 : nocc,
                       occ ? nocc : (uint32_t)in->concepts->n, &q,
                       p->concept_k1, p->concept_b, 0, 0, x->facets, out);
    ss_wlist_free(&q);
    *active = 1;
    return st;
}

static int keep_isco(const void *in, uint32_t occ)
{
    return ss_isco_ok(in, occ);
}

/* Occupations by the skills the query names: each skill ranked near the
 * best adds to the occupations needing it (propagate.h). */
static ss_status skill_pass(ss_pass_ctx *x, ss_cands *out, int *active)
{
    const ss_ranked *sk = x->skills;
    const ss_params *p = x->p;
    const ss_concepts *cs = x->in->concepts;
    *active = sk && sk->n;
    if (!*active)
        return SS_OK;
    ss_propagation pr;
    ss_status st = ss_propagation_init(&pr, cs->nocc);
    if (st != SS_OK)
        return st;
    double top = sk->c[0].score;
    for (size_t i = 0; top > 0 && i < sk->n && i < (size_t)p->skill_depth;
         i++) {
        double s = sk->c[i].score / top;
        if (s < p->skill_min)
            break;
        ss_propagate_skill(&pr, cs, sk->c[i].concept, s, p->skill_opt,
                           keep_isco, x->in);
    }
    for (size_t i = 0; i < pr.ntouched; i++) {
        uint32_t o = pr.touched[i];
        ss_cand *c = ss_cands_add(out, o, SS_SIG_SKILL);
        if (!c) {
            st = SS_ERR_NOMEM;
            break;
        }
        c->sig[SS_SIG_SKILL] = pr.acc[o] / pr.max;
        c->ev[SS_SIG_SKILL] = pr.best[o];
    }
    ss_propagation_free(&pr);
    return st;
}

/* Occupations by meaning: every occupation's best label cosine with the
 * query (kept for fill), and the vec_depth best as candidates. Inactive
 * without vectors, for skills, or when no word has a vector. */
static ss_status vector_pass(ss_pass_ctx *x, ss_cands *out, int *active)
{
    const ss_rank_input *in = x->in;
    const ss_params *p = x->p;
    const ss_labelvec *lv = in->vectors;
    const ss_qwords *w = x->w;
    *active = 0;
    if (!lv || x->kind != SS_KIND_OCC || p->w_vec <= 0)
        return SS_OK;
    size_t nocc = in->concepts->nocc, nt = w->t.n;
    size_t depth = (size_t)p->vec_depth;
    unsigned d = ss_labelvec_dims(lv);
    float *q = calloc(d, sizeof *q), *tw = calloc(nt + 1, sizeof *tw);
    uint32_t *best = malloc((depth + 1) * sizeof *best);
    x->sim = calloc(nocc + 1, sizeof *x->sim);
    x->slabel = calloc(nocc + 1, sizeof *x->slabel);
    ss_status st = q && tw && best && x->sim && x->slabel ? SS_OK
                                                         : SS_ERR_NOMEM;
    /* the words the text passes use, seniority words weighed down */
    for (size_t k = 0; st == SS_OK && k < w->nuse; k++) {
        size_t i = w->use[k];
        tw[i] = w->weak && w->weak[i] ? (float)p->seniority : 1.0f;
        /* a compound's parts follow it and share its fate */
        for (size_t j = i + 1; j < nt && (w->t.tok.v[j].flags & SS_TOK_PART);
             j++)
            tw[j] = tw[i];
    }
    if (st == SS_OK &&
        ss_labelvec_embed(lv, &w->t.tok, tw, (float)p->vec_unseen, q)) {
        *active = 1;
        ss_labelvec_similar(lv, q, x->sim, x->slabel);
        /* the depth best by insertion; the first reached wins a tie */
        const float *sim = x->sim;
        size_t n = 0;
        for (uint32_t o = 0; depth > 0 && o < nocc; o++) {
            if (sim[o] <= p->vec_floor || !ss_isco_ok(in, o))
                continue;
            if (n == depth && sim[o] <= sim[best[n - 1]])
                continue;
            if (n < depth)
                n++;
            size_t j = n - 1;
            while (j > 0 && sim[best[j - 1]] < sim[o]) {
                best[j] = best[j - 1];
                j--;
            }
            best[j] = o;
        }
        for (size_t i = 0; i < n; i++)
            if (!ss_cands_add(out, best[i], SS_SIG_VECTOR)) {
                st = SS_ERR_NOMEM;
                break;
            }
    }
    free(q);
    free(tw);
    free(best);
    if (!*active)
        ss_pass_ctx_free(x);
    return st;
}

static void vector_fill(const ss_pass_ctx *x, ss_cand *c)
{
    c->cosine = x->sim[c->concept];
    c->ev[SS_SIG_VECTOR] = x->slabel[c->concept];
    c->sig[SS_SIG_VECTOR] = c->cosine > x->p->vec_floor
                                ? c->cosine - x->p->vec_floor
                                : 0;
}

/* The whole query is a preferred label: ESCO gives many concepts another
 * one's preferred label as an alternative ("teaching physics" under
 * teach chemistry), and titles in training data name other occupations
 * ("welder" for spot welder): the concept whose own name was typed comes
 * first. Added after the learned ranker and the title classifier, so
 * that neither outvotes it (w_exact > w_meaning). 1 when the label is the
 * query as typed (ASCII case and outer blanks aside), 0.5 when only the
 * stems agree, so that of two labels stemmed alike ("trim excess
 * material(s)") the typed one wins. */
static int same_text(const ss_rank_input *in, const char *label)
{
    const char *q = in->text, *e = in->text + in->len;
    while (q < e && isspace((unsigned char)*q))
        q++;
    while (e > q && isspace((unsigned char)e[-1]))
        e--;
    size_t n = (size_t)(e - q);
    return strlen(label) == n && strncasecmp(q, label, n) == 0;
}

static ss_status exact_pass(ss_pass_ctx *x, ss_cands *out, int *active)
{
    const ss_rank_input *in = x->in;
    const ss_terms *t = &x->w->t;
    char buf[SS_TERM_MAX + 8];
    *active = 0;
    if (x->p->w_exact <= 0 ||
        !ss_terms_key(t, 0, t->n, SS_PFX_LABELKEY, buf, sizeof buf))
        return SS_OK;
    int occ = x->kind == SS_KIND_OCC;
    ss_postings k = ss_memindex_lookup(in->labels, buf);
    for (size_t i = 0; i < k.n; i++) {
        uint32_t d = k.doc[i], c = ss_memindex_concept(in->labels, d);
        if (ss_memindex_kind(in->labels, d) != 'p' ||
            c >= in->concepts->n || (c < in->concepts->nocc) != occ ||
            (occ && !ss_isco_ok(in, c)))
            continue;
        ss_cand *e = ss_cands_add(out, c, SS_SIG_EXACT);
        if (!e)
            return SS_ERR_NOMEM;
        e->sig[SS_SIG_EXACT] =
            same_text(in, in->concepts->v[c].labels[0]) ? 1 : 0.5;
        *active = 1;
    }
    return SS_OK;
}

/* Occupations the title classifier names (meaning.h), with its
 * probability; after the learned ranker, which it does not feed. */
static ss_status meaning_pass(ss_pass_ctx *x, ss_cands *out, int *active)
{
    const ss_rank_input *in = x->in;
    size_t k = (size_t)x->p->meaning_depth, n = 0;
    *active = 0;
    if (!in->meaning || x->kind != SS_KIND_OCC || x->p->w_meaning <= 0)
        return SS_OK;
    uint32_t *c = malloc((k + 1) * sizeof *c);
    float *prob = malloc((k + 1) * sizeof *prob);
    ss_status st = c && prob ? ss_meaning_predict(in->meaning, &x->w->t.tok,
                                                  k, c, prob, &n, NULL)
                             : SS_ERR_NOMEM;
    for (size_t i = 0; st == SS_OK && i < n; i++) {
        if (!ss_isco_ok(in, c[i]))
            continue;
        ss_cand *d = ss_cands_add(out, c[i], SS_SIG_MEANING);
        if (!d)
            st = SS_ERR_NOMEM;
        else
            d->sig[SS_SIG_MEANING] = prob[i];
    }
    *active = n > 0;
    free(c);
    free(prob);
    return st;
}

const ss_signal ss_signals[SS_NSIG] = {
    [SS_SIG_LABEL] = {"label", offsetof(ss_params, w_label), SS_STAGE_FUSE,
                      label_pass,
                      NULL, ss_explain_label},
    [SS_SIG_CONCEPT] = {"concept", offsetof(ss_params, w_concept),
                        SS_STAGE_FUSE, concept_pass, NULL, NULL},
    [SS_SIG_VECTOR] = {"vector", offsetof(ss_params, w_vec), SS_STAGE_NORM,
                       vector_pass, vector_fill, ss_explain_vector},
    [SS_SIG_SKILL] = {"skill", offsetof(ss_params, w_skill), SS_STAGE_FUSE,
                      skill_pass, NULL, ss_explain_skill},
    /* explained by the label it names (ss_explain_label) */
    [SS_SIG_EXACT] = {"exact", offsetof(ss_params, w_exact),
                      SS_STAGE_MODEL, exact_pass, NULL, ss_explain_exact},
    [SS_SIG_MEANING] = {"meaning", offsetof(ss_params, w_meaning),
                        SS_STAGE_MODEL, meaning_pass, NULL,
                        ss_explain_meaning},
};
