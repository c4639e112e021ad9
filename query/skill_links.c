/* skill_links.c - see skill_links.h. */
#include "skill_links.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/memindex.h"
#include "../core/terms.h"
#include "label_scan.h"
#include "sentences.h"
#include "titles.h"

_Static_assert(SS_SKILL_NFEAT_ == SS_SKILL_NFEAT,
               "match.h's SS_SKILL_NFEAT is the feature count");

const char *ss_skill_how_name(ss_skill_how h)
{
    static const char *const names[] = {"label", "alternative label",
                                        "hidden label", "sentence"};
    return h <= SS_HOW_SENTENCE ? names[h] : "label";
}

/* One skill in one sentence, with its evidence. */
typedef struct cand {
    uint32_t concept;
    size_t sent;       /* its sentence */
    size_t start, end; /* the label named, else the sentence */
    ss_skill_how how;
    uint16_t label;    /* the label named (index in the concept's labels) */
    int words;         /* of the label named */
    int rank;          /* in the ranker's top for the sentence, -1: not */
    double score;      /* the ranker's */
} cand;

/* A sentence after the label scan. */
typedef struct sent {
    size_t a, b;         /* byte span in the text given */
    size_t first, named; /* its candidates: v[first, first + named) */
    size_t words;        /* content words; 0: not for the ranker */
} sent;

typedef struct sent_ctx {
    const ss_rank_input *in;
    const ss_terms *t; /* the sentence's terms: a slice of the text's */
    size_t sent;
    cand *v;
    size_t n, cap;
} sent_ctx;

static ss_status add_cand(sent_ctx *c, cand x)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        cand *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return SS_ERR_NOMEM;
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = x;
    return SS_OK;
}

static ss_status label_found(void *ctx, uint32_t doc, size_t i, size_t j,
                             int words)
{
    sent_ctx *c = ctx;
    uint8_t kind = ss_memindex_kind(c->in->labels, doc);
    cand x = {.concept = ss_memindex_concept(c->in->labels, doc),
              .sent = c->sent,
              .start = c->t->tok.v[i].start,
              .end = c->t->tok.v[j - 1].end,
              .how = kind == 'p'   ? SS_HOW_PREFERRED
                     : kind == 'a' ? SS_HOW_ALTERNATIVE
                                   : SS_HOW_HIDDEN,
              .label = ss_memindex_label(c->in->labels, doc),
              .words = words,
              .rank = -1};
    return add_cand(c, x);
}

/* A boilerplate phrase of the language's titles file in t. */
static int boilerplate(const ss_titles *titles, const ss_terms *t)
{
    size_t to;
    for (size_t i = 0; titles && i < t->n; i++)
        if (ss_titles_phrase_at(titles, t, i, SS_TITLE_BOILERPLATE, 8, &to))
            return 1;
    return 0;
}

static double confidence(const ss_params *p, const double *f)
{
    double z = p->conf_bias + p->conf_pref * f[SS_FEAT_pref] +
               p->conf_alt * f[SS_FEAT_alt] +
               p->conf_hidden * f[SS_FEAT_hidden] +
               p->conf_word1 * f[SS_FEAT_word1] +
               p->conf_ranked * f[SS_FEAT_ranked] +
               p->conf_score * f[SS_FEAT_score] +
               p->conf_first * f[SS_FEAT_first] +
               p->conf_lrank * f[SS_FEAT_lrank];
    return 1.0 / (1.0 + exp(-z));
}

static ss_status push(const ss_rank_input *in, const ss_params *p,
                      const cand *x, ss_match *out, size_t *cap)
{
    if (out->nskills == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        ss_skill_span *v = realloc(out->skills, c * sizeof *v);
        if (!v)
            return SS_ERR_NOMEM;
        out->skills = v;
        *cap = c;
    }
    const ss_concept_info *ci = &in->concepts->v[x->concept];
    ss_skill_span *sp = &out->skills[out->nskills];
    memset(sp, 0, sizeof *sp);
    double *f = sp->feat;
    f[SS_FEAT_pref] = x->how == SS_HOW_PREFERRED;
    f[SS_FEAT_alt] = x->how == SS_HOW_ALTERNATIVE;
    f[SS_FEAT_hidden] = x->how == SS_HOW_HIDDEN;
    f[SS_FEAT_word1] = x->how != SS_HOW_SENTENCE && x->words == 1;
    f[SS_FEAT_ranked] = x->rank >= 0;
    f[SS_FEAT_score] = x->rank >= 0 ? x->score : 0;
    f[SS_FEAT_first] = x->rank == 0;
    f[SS_FEAT_lrank] = log(1.0 + (x->rank >= 0 ? x->rank : SS_LINK_TOP));
    sp->start = x->start;
    sp->end = x->end;
    sp->ordinal = x->concept;
    sp->how = x->how;
    sp->confidence = confidence(p, f);
    /* one word labels ("management") are often generic */
    sp->weight = x->how == SS_HOW_SENTENCE
                     ? p->w_sentence_skill * sp->confidence
                     : (x->how == SS_HOW_PREFERRED    ? 1.0
                        : x->how == SS_HOW_ALTERNATIVE ? 0.8
                                                       : 0.6) *
                           (x->words == 1 ? 0.7 : 1.0);
    sp->uri = strdup(ci->uri);
    sp->label = strdup(ci->labels[0]);
    sp->matched = strdup(x->label < ci->nlabels ? ci->labels[x->label]
                                                : ci->labels[0]);
    if (!sp->uri || !sp->label || !sp->matched) {
        free(sp->uri), free(sp->label), free(sp->matched);
        return SS_ERR_NOMEM;
    }
    out->nskills++;
    return SS_OK;
}

/* The terms of all with tokens inside [a, b), from *k on: a view that
 * borrows all's arrays (never freed). Tokens do not cross a sentence
 * end, so this is what analysing the sentence alone gives, but for
 * token positions, which nothing here reads. */
static ss_terms slice(const ss_terms *all, size_t a, size_t b, size_t *k)
{
    while (*k < all->n && all->tok.v[*k].start < a)
        (*k)++;
    size_t from = *k;
    while (*k < all->n && all->tok.v[*k].end <= b)
        (*k)++;
    if (*k == from) /* none: all's arrays may be NULL, and NULL + 0 is UB */
        return (ss_terms){0};
    return (ss_terms){.tok = {.v = all->tok.v + from, .n = *k - from},
                      .term = all->term + from,
                      .n = *k - from};
}

/* Pass 1: the labels one sentence names (boilerplate keeps only clear
 * ones); fills *se. */
static ss_status scan_sentence(const ss_rank_input *in, const ss_terms *t,
                               size_t a, size_t b, size_t i, sent_ctx *c,
                               sent *se)
{
    ss_status st = SS_OK;
    *se = (sent){.a = a, .b = b, .first = c->n};
    for (size_t k = 0; k < t->n; k++)
        se->words += !(t->tok.v[k].flags & (SS_TOK_STOP | SS_TOK_PART |
                                            SS_TOK_NUMERIC));
    c->t = t;
    c->sent = i;
    const ss_concepts *cs = in->concepts;
    if (st == SS_OK && se->words)
        st = ss_label_scan(
            in, t, ss_memindex_first_doc(in->labels, (uint32_t)cs->nocc),
            ss_memindex_ndocs(in->labels), label_found, c);
    if (st == SS_OK && se->words && boilerplate(in->titles, t)) {
        /* boilerplate names no skill, unless clearly: a preferred label
         * of two words or more; and the ranker is not asked */
        size_t k = se->first;
        for (size_t j = se->first; j < c->n; j++)
            if (c->v[j].how == SS_HOW_PREFERRED && c->v[j].words >= 2)
                c->v[k++] = c->v[j];
        c->n = k;
        se->words = 0;
    }
    se->named = c->n - se->first;
    return st;
}

/* Pass 2: the ranker's top for one sentence, merged with what it names. */
static ss_status rank_sentence(const ss_rank_input *in, const ss_params *p,
                               const char *text, size_t i, const sent *se,
                               sent_ctx *c, char **errmsg)
{
    ss_rank_input r = *in;
    ss_params sp = *ss_params_get(SS_KIND_SKILL);
    /* a sentence's words are what was meant; guessing spellings, the
     * concept texts and the learned model would each cost more than they
     * find in a sentence (README: skills found) */
    sp.spell = 0;
    sp.w_concept = p->link_w_concept;
    sp.depth = p->link_depth;
    r.model[SS_KIND_SKILL] = NULL;
    r.lean = 1;
    r.max_postings = (uint32_t)p->link_max_postings;
    r.kind = SS_KIND_SKILL;
    r.params = &sp;
    r.isco = NULL;
    r.skilltype = r.reuse = 0;
    r.exclude = NULL;
    r.explain = 1;
    r.offset = 0;
    r.limit = SS_LINK_TOP;
    r.text = text + se->a;
    r.len = se->b - se->a;
    ss_hits h = {0};
    ss_status st = ss_rank(&r, &h, NULL, errmsg);
    size_t e = se->b; /* the sentence without its closing mark */
    while (e > se->a && ispunct((unsigned char)text[e - 1]))
        e--;
    for (size_t k = 0; st == SS_OK && k < h.n; k++) {
        int seen = 0;
        for (size_t j = se->first; j < se->first + se->named; j++)
            if (c->v[j].concept == h.v[k].ordinal) {
                c->v[j].rank = (int)k;
                c->v[j].score = h.v[k].score;
                seen = 1;
            }
        if (!seen && e > se->a)
            st = add_cand(c, (cand){.concept = h.v[k].ordinal,
                                    .sent = i,
                                    .start = se->a,
                                    .end = e,
                                    .how = SS_HOW_SENTENCE,
                                    .rank = (int)k,
                                    .score = h.v[k].score});
    }
    ss_hits_free(&h);
    return st;
}

/* Sentences that name a skill first (the ranker confirms or doubts what
 * they name), then the others, each group in text order. */
static int cmp_for_ranker(const void *x, const void *y)
{
    const sent *a = *(const sent *const *)x, *b = *(const sent *const *)y;
    if ((a->named > 0) != (b->named > 0))
        return a->named > 0 ? -1 : 1;
    return (a->a > b->a) - (a->a < b->a);
}

/* Output order: by sentence, what it names left to right, then its links. */
static int cmp_out(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->sent != b->sent)
        return a->sent < b->sent ? -1 : 1;
    int sa = a->how == SS_HOW_SENTENCE, sb = b->how == SS_HOW_SENTENCE;
    if (sa != sb)
        return sa - sb;
    if (!sa && a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->rank - b->rank;
}

ss_status ss_skills_link(const ss_rank_input *in, const ss_params *p,
                         const char *text, size_t len, const ss_terms *t,
                         ss_match *out, size_t *cap, char **errmsg)
{
    ss_sentence *sv = NULL;
    size_t ns = 0;
    ss_status st = ss_sentences_split(text, len, SIZE_MAX, &sv, &ns);
    sent *se = st == SS_OK ? calloc(ns + 1, sizeof *se) : NULL;
    const sent **order = st == SS_OK ? calloc(ns + 1, sizeof *order) : NULL;
    if (st == SS_OK && (!se || !order))
        st = SS_ERR_NOMEM;
    sent_ctx c = {.in = in};
    size_t nr = 0, k = 0;
    for (size_t i = 0; st == SS_OK && i < ns; i++) {
        ss_terms st_i = slice(t, sv[i].start, sv[i].end, &k);
        st = scan_sentence(in, &st_i, sv[i].start, sv[i].end, i, &c, &se[i]);
        /* one word is too little for the ranker to go on */
        if (se[i].words >= 2)
            order[nr++] = &se[i];
    }
    if (st == SS_OK && nr > (size_t)p->link_sentences) {
        qsort(order, nr, sizeof *order, cmp_for_ranker);
        nr = (size_t)p->link_sentences;
    }
    for (size_t k = 0; st == SS_OK && k < nr; k++)
        st = rank_sentence(in, p, text, (size_t)(order[k] - se), order[k],
                           &c, errmsg);
    if (st == SS_OK && c.n)
        qsort(c.v, c.n, sizeof *c.v, cmp_out);
    for (size_t i = 0; st == SS_OK && i < c.n; i++)
        st = push(in, p, &c.v[i], out, cap);
    free(c.v);
    free(order);
    free(se);
    free(sv);
    return st;
}
