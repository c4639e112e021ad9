#include "features.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/schema.h"

/* The candidate's best label document, or UINT32_MAX. */
static uint32_t label_doc(const ss_cand *c)
{
    return c->found & (1u << SS_SIG_LABEL) ? c->ev[SS_SIG_LABEL]
                                           : UINT32_MAX;
}

/* Used query words in the best label, and their idf. */
static size_t covered(const ss_feat_query *q, const ss_cand *c, double *idf)
{
    uint32_t d = label_doc(c);
    size_t n = 0;
    double s = 0;
    for (size_t i = 0; d != UINT32_MAX && i < q->w->nuse; i++)
        if (ss_postings_has(q->words[i], d)) {
            n++;
            s += q->idf[i];
        }
    if (idf)
        *idf = s;
    return n;
}

static float f_score(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    (void)rank;
    return q->top > 0 ? (float)(c->score / q->top) : 0;
}

static float f_rank(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    (void)q, (void)c;
    return (float)log2(2.0 + (double)rank);
}

#define SIGNAL_FEATURE(fname, which)                                            \
    static float fname(const ss_feat_query *q, size_t rank,                   \
                       const ss_cand *c)                                      \
    {                                                                         \
        (void)q, (void)rank;                                                  \
        return (float)c->sig[which];                                            \
    }
SIGNAL_FEATURE(f_label, SS_SIG_LABEL)
SIGNAL_FEATURE(f_concept, SS_SIG_CONCEPT)
SIGNAL_FEATURE(f_skill, SS_SIG_SKILL)

static float f_cosine(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    (void)q, (void)rank;
    return c->cosine;
}

static float f_found(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    (void)q, (void)rank;
    return (float)c->found;
}

/* 1 preferred, 2 alternative, 3 hidden, 0 no label matched */
static float f_label_kind(const ss_feat_query *q, size_t rank,
                          const ss_cand *c)
{
    (void)rank;
    uint32_t d = label_doc(c);
    if (d == UINT32_MAX)
        return 0;
    uint8_t k = ss_memindex_kind(q->in->labels, d);
    return k == 'p' ? 1 : k == 'a' ? 2 : 3;
}

static float f_cover(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    (void)rank;
    return q->w->nuse ? (float)covered(q, c, NULL) / (float)q->w->nuse : 0;
}

static float f_cover_idf(const ss_feat_query *q, size_t rank,
                         const ss_cand *c)
{
    (void)rank;
    double s = 0;
    covered(q, c, &s);
    return q->w->idf_sum > 0 ? (float)(s / q->w->idf_sum) : 0;
}

static float f_label_len(const ss_feat_query *q, size_t rank,
                         const ss_cand *c)
{
    (void)rank;
    uint32_t d = label_doc(c);
    return d == UINT32_MAX ? 0
                           : (float)ss_memindex_doclen(q->in->labels, d);
}

/* label words the query lacks */
static float f_missing(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    float len = f_label_len(q, rank, c);
    float n = (float)covered(q, c, NULL);
    return len > n ? len - n : 0;
}

static float f_exact(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    float len = f_label_len(q, rank, c);
    size_t n = covered(q, c, NULL);
    return len > 0 && n == q->w->nuse && (float)n >= len;
}

static float f_head(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    (void)rank;
    uint32_t d = label_doc(c);
    return d != UINT32_MAX && ss_postings_has(q->head, d);
}

static float f_qwords(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    (void)rank, (void)c;
    return (float)q->w->nuse;
}

static float f_qweak(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    (void)rank, (void)c;
    size_t n = 0;
    for (size_t i = 0; q->w->weak && i < q->w->t.n; i++)
        n += q->w->weak[i];
    return (float)n;
}

static float f_spelled(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    (void)rank, (void)c;
    return (float)q->w->nextra;
}

static float f_synonyms(const ss_feat_query *q, size_t rank,
                        const ss_cand *c)
{
    (void)rank, (void)c;
    return (float)q->w->nsyn;
}

static float f_punct(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    (void)rank, (void)c;
    return (float)q->punct;
}

static float f_best_cover(const ss_feat_query *q, size_t rank,
                          const ss_cand *c)
{
    (void)rank, (void)c;
    return q->best_cover;
}

static float f_skill_cover(const ss_feat_query *q, size_t rank,
                           const ss_cand *c)
{
    (void)rank, (void)c;
    return q->skill_cover;
}

/* Idf share of the query's words that the candidate's own text or the
 * text of a best skill it needs holds: is the whole query explained?
 * ("wire bonding cleanroom": one skill's description, another's label) */
static float f_text_cover(const ss_feat_query *q, size_t rank,
                          const ss_cand *c)
{
    (void)rank;
    const ss_concepts *cs = q->in->concepts;
    uint64_t m = 0;
    for (size_t i = 0; i < q->w->nuse && i < 64; i++)
        if (ss_postings_has(q->text[i], c->concept))
            m |= (uint64_t)1 << i;
    for (size_t j = 0; j < q->nskill && c->concept < cs->nocc; j++) {
        if (!(q->skill_mask[j] & ~m))
            continue;
        size_t k = q->skills->c[j].concept - cs->nocc;
        for (size_t e = cs->need_off[k]; e < cs->need_off[k + 1]; e++)
            if ((cs->need[e] & ~SS_NEED_ESSENTIAL) == c->concept) {
                m |= q->skill_mask[j];
                break;
            }
    }
    double s = 0, all = 0;
    for (size_t i = 0; i < q->w->nuse && i < 64; i++) {
        all += q->idf[i];
        s += (m >> i & 1) ? q->idf[i] : 0;
    }
    return all > 0 ? (float)(s / all) : 0;
}

static float f_nlabels(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    (void)rank;
    return (float)q->in->concepts->v[c->concept].nlabels;
}

/* occupations: ISCO level of detail known; skills: how many occupations
 * need it (log) - both say how general the concept is */
static float f_general(const ss_feat_query *q, size_t rank, const ss_cand *c)
{
    (void)rank;
    const ss_concepts *cs = q->in->concepts;
    if (c->concept < cs->nocc)
        return (float)strlen(cs->v[c->concept].isco);
    size_t k = c->concept - cs->nocc;
    return (float)log1p((double)(cs->need_off[k + 1] - cs->need_off[k]));
}

static float f_essential(const ss_feat_query *q, size_t rank,
                         const ss_cand *c)
{
    (void)q, (void)rank;
    return (c->found & (1u << SS_SIG_SKILL)) &&
           (c->ev[SS_SIG_SKILL] & SS_NEED_ESSENTIAL);
}

const ss_feature ss_features[] = {
    {"score", f_score},         {"rank", f_rank},
    {"label", f_label},         {"concept", f_concept},
    {"skill", f_skill},         {"cosine", f_cosine},
    {"found", f_found},         {"label_kind", f_label_kind},
    {"cover", f_cover},         {"cover_idf", f_cover_idf},
    {"label_len", f_label_len}, {"missing", f_missing},
    {"exact", f_exact},         {"head", f_head},
    {"q_words", f_qwords},      {"q_seniority", f_qweak},
    {"spelled", f_spelled},     {"synonyms", f_synonyms},
    {"punct", f_punct},         {"nlabels", f_nlabels},
    {"general", f_general},     {"essential", f_essential},
    {"best_cover", f_best_cover}, {"skill_cover", f_skill_cover},
    {"text_cover", f_text_cover},
};
const size_t ss_nfeatures = sizeof ss_features / sizeof ss_features[0];

/* Query words covered by the labels of the best skills, as a share. */
static float skills_cover(const ss_feat_query *q)
{
    const ss_ranked *sk = q->skills;
    size_t hit = 0;
    for (size_t i = 0; sk && i < q->w->nuse; i++)
        for (size_t j = 0; j < sk->n && j < 5; j++) {
            const ss_cand *c = &sk->c[j];
            if ((c->found & (1u << SS_SIG_LABEL)) &&
                ss_postings_has(q->words[i], c->ev[SS_SIG_LABEL])) {
                hit++;
                break;
            }
        }
    return q->w->nuse ? (float)hit / (float)q->w->nuse : 0;
}

ss_status ss_features_fill(const ss_rank_input *in, const ss_qwords *w,
                           const ss_ranked *r, const ss_ranked *skills,
                           size_t n, float *X)
{
    ss_feat_query q = {.in = in, .w = w, .r = r, .skills = skills,
                       .top = r->n ? r->c[0].score : 0};
    q.words = calloc(w->nuse + 1, sizeof *q.words);
    q.text = calloc(w->nuse + 1, sizeof *q.text);
    q.idf = calloc(w->nuse + 1, sizeof *q.idf);
    if (!q.words || !q.text || !q.idf) {
        free(q.words);
        free(q.text);
        free(q.idf);
        return SS_ERR_NOMEM;
    }
    char buf[SS_TERM_MAX + 8];
    double N = ss_memindex_ndocs(in->labels);
    for (size_t i = 0; i < w->nuse; i++)
        if (ss_term_prefixed(buf, sizeof buf, SS_PFX_WORD,
                             w->t.term[w->use[i]])) {
            q.words[i] = ss_memindex_lookup(in->labels, buf);
            double df = (double)q.words[i].n;
            q.idf[i] = df > 0 ? log(1.0 + (N - df + 0.5) / (df + 0.5)) : 0;
            if (ss_term_prefixed(buf, sizeof buf, SS_PFX_TEXT,
                                 w->t.term[w->use[i]]))
                q.text[i] = ss_memindex_lookup(in->concepts_ix, buf);
        }
    /* the best skills, as the skill pass takes them, and the query words
     * each one's text holds */
    for (size_t j = 0; skills && j < skills->n && j < SS_FEAT_SKILLS &&
                       skills->c[j].score >= 0.7 * skills->c[0].score;
         j++, q.nskill++)
        for (size_t i = 0; i < w->nuse && i < 64; i++)
            if (ss_postings_has(q.text[i], skills->c[j].concept))
                q.skill_mask[j] |= (uint64_t)1 << i;
    if (w->head >= 0 &&
        ss_term_prefixed(buf, sizeof buf, SS_PFX_WORD, w->t.term[w->head]))
        q.head = ss_memindex_lookup(in->labels, buf);
    for (size_t i = 0; i < in->len; i++)
        q.punct += strchr(",(/&", in->text[i]) != NULL && in->text[i];
    for (size_t i = 0; i < n && i < r->n; i++) {
        float cv = f_cover(&q, i, &r->c[i]);
        q.best_cover = cv > q.best_cover ? cv : q.best_cover;
    }
    q.skill_cover = skills_cover(&q);
    for (size_t i = 0; i < n && i < r->n; i++)
        for (size_t f = 0; f < ss_nfeatures; f++)
            X[i * ss_nfeatures + f] = ss_features[f].fn(&q, i, &r->c[i]);
    free(q.words);
    free(q.text);
    free(q.idf);
    return SS_OK;
}

char *ss_features_names(void)
{
    size_t len = 1;
    for (size_t f = 0; f < ss_nfeatures; f++)
        len += strlen(ss_features[f].name) + 1;
    char *s = malloc(len), *p = s;
    for (size_t f = 0; s && f < ss_nfeatures; f++)
        p = stpcpy(stpcpy(p, f ? "," : ""), ss_features[f].name);
    return s;
}
