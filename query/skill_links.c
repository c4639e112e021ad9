/* skill_links.c - see skill_links.h. */
#include "skill_links.h"

#include <ctype.h>
#include <math.h>
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
    size_t start, end; /* the label named, else the sentence */
    ss_skill_how how;
    uint16_t label;    /* the label named (index in the concept's labels) */
    int words;         /* of the label named */
    int rank;          /* in the ranker's top for the sentence, -1: not */
    double score;      /* the ranker's */
} cand;

typedef struct sent_ctx {
    const ss_rank_input *in;
    const ss_terms *t;
    size_t base; /* byte offset of the sentence in the text given */
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
              .start = c->base + c->t->tok.v[i].start,
              .end = c->base + c->t->tok.v[j - 1].end,
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
    char key[2 * SS_TERM_MAX + 2];
    for (size_t i = 0; titles && i < t->n; i++) {
        if (t->tok.v[i].flags & (SS_TOK_STOP | SS_TOK_PART))
            continue;
        for (size_t j = i + 1; j <= t->n && j <= i + 8; j++)
            if (ss_terms_key(t, i, j, "", key, sizeof key) &&
                ss_titles_get(titles, key) == SS_TITLE_BOILERPLATE)
                return 1;
    }
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

/* The skills of one sentence text[a, b). */
static ss_status link_sentence(const ss_rank_input *in, const ss_params *p,
                               const char *text, size_t a, size_t b,
                               size_t offset, sent_ctx *c, ss_match *out,
                               size_t *cap, char **errmsg)
{
    ss_terms t = {0};
    ss_status st = ss_terms_add(in->a, text + a, b - a, &t);
    if (st != SS_OK) {
        ss_terms_free(&t);
        return st;
    }
    c->t = &t;
    c->base = offset + a;
    c->n = 0;
    size_t words = 0;
    for (size_t i = 0; i < t.n; i++)
        words += !(t.tok.v[i].flags & (SS_TOK_STOP | SS_TOK_PART |
                                       SS_TOK_NUMERIC));
    if (!words) {
        ss_terms_free(&t);
        return SS_OK;
    }
    const ss_concepts *cs = in->concepts;
    st = ss_label_scan(in, &t,
                       ss_memindex_first_doc(in->labels, (uint32_t)cs->nocc),
                       ss_memindex_ndocs(in->labels), label_found, c);
    if (st == SS_OK && boilerplate(in->titles, &t)) {
        /* boilerplate names no skill, unless clearly: a preferred label
         * of two words or more */
        size_t k = 0;
        for (size_t i = 0; i < c->n; i++)
            if (c->v[i].how == SS_HOW_PREFERRED && c->v[i].words >= 2)
                c->v[k++] = c->v[i];
        c->n = k;
        words = 0; /* and the ranker is not asked */
    }
    size_t named = c->n;
    /* one word is too little for the ranker to go on */
    if (st == SS_OK && words >= 2) {
        ss_rank_input r = *in;
        ss_params sp = *ss_params_get(SS_KIND_SKILL);
        sp.spell = 0; /* a sentence's words are what was meant; and
                         guessing spellings would take most of the time */
        r.kind = SS_KIND_SKILL;
        r.params = &sp;
        r.isco = NULL;
        r.skilltype = r.reuse = 0;
        r.exclude = NULL;
        r.explain = 1;
        r.offset = 0;
        r.limit = SS_LINK_TOP;
        r.text = text + a;
        r.len = b - a;
        ss_hits h = {0};
        st = ss_rank(&r, &h, NULL, errmsg);
        for (size_t k = 0; st == SS_OK && k < h.n; k++) {
            int seen = 0;
            for (size_t i = 0; i < named; i++)
                if (c->v[i].concept == h.v[k].ordinal) {
                    c->v[i].rank = (int)k;
                    c->v[i].score = h.v[k].score;
                    seen = 1;
                }
            size_t e = b; /* the sentence without its closing mark */
            while (e > a && ispunct((unsigned char)text[e - 1]))
                e--;
            if (!seen && e > a)
                st = add_cand(c, (cand){.concept = h.v[k].ordinal,
                                        .start = offset + a,
                                        .end = offset + e,
                                        .how = SS_HOW_SENTENCE,
                                        .rank = (int)k,
                                        .score = h.v[k].score});
        }
        ss_hits_free(&h);
    }
    for (size_t i = 0; st == SS_OK && i < c->n; i++)
        st = push(in, p, &c->v[i], out, cap);
    ss_terms_free(&t);
    return st;
}

ss_status ss_skills_link(const ss_rank_input *in, const ss_params *p,
                         const char *text, size_t len, size_t offset,
                         ss_match *out, size_t *cap, char **errmsg)
{
    ss_sentence *sv = NULL;
    size_t ns = 0;
    ss_status st = ss_sentences_split(text, len, SS_LINK_MAX_SENTENCES, &sv,
                                      &ns);
    sent_ctx c = {.in = in};
    for (size_t i = 0; st == SS_OK && i < ns; i++)
        st = link_sentence(in, p, text, sv[i].start, sv[i].end, offset, &c,
                           out, cap, errmsg);
    free(c.v);
    free(sv);
    return st;
}
