#include "rank.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/schema.h"
#include "../core/terms.h"

#define MAX_QTERMS 64 /* distinct words used from one query */
#define MAX_SPAN 6    /* longest query span looked up as a whole label */
#define MAX_PAIRS 128 /* tokens scanned for phrases, label keys, bigrams:
                         long texts must stay linear (match selects terms) */

static ss_rank_params defaults[2] = {
    /* occupations */
    {.w_label = 1.0, .w_concept = 0.6,
     .phrase = 0.6, .key = 1.0,
     .label_k1 = 1.2, .label_b = 0.75, .concept_k1 = 1.2, .concept_b = 0.5,
     .spell = 0.6, .head = 0.0, .norm_label = 1.0, .depth = 100,
     .w_skill = 0.45, .skill_opt = 0.5, .skill_min = 0.7, .skill_depth = 30,
     .bigram = 1.0},
    /* skills */
    {.w_label = 1.0, .w_concept = 1.5,
     .phrase = 0.6, .key = 1.0,
     .label_k1 = 1.2, .label_b = 0.75, .concept_k1 = 1.2, .concept_b = 0.5,
     .spell = 0.6, .head = 0.0, .norm_label = 1.0, .depth = 100,
     .bigram = 3.0},
};

/* SKILLSEARCH_RANK="w_label=1,key=2" (both kinds) or "skill.key=2". */
static void apply_overrides(void)
{
    const char *env = getenv("SKILLSEARCH_RANK");
    if (!env)
        return;
    char *copy = strdup(env), *save = NULL;
    for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL; tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            continue;
        *eq = '\0';
        double v = atof(eq + 1);
        int only = -1;
        const char *name = tok;
        if (!strncmp(name, "occ.", 4))
            only = 0, name += 4;
        else if (!strncmp(name, "skill.", 6))
            only = 1, name += 6;
        for (int k = 0; k < 2; k++) {
            if (only >= 0 && k != only)
                continue;
            ss_rank_params *p = &defaults[k];
#define SET(f) if (!strcmp(name, #f)) p->f = v;
            SET(w_label) SET(w_concept) SET(phrase) SET(key) SET(label_k1) SET(label_b)
            SET(concept_k1) SET(concept_b) SET(spell) SET(head) SET(norm_label)
            SET(w_skill) SET(skill_opt) SET(skill_min) SET(bigram)
#undef SET
            if (!strcmp(name, "depth"))
                p->depth = (unsigned)v;
            if (!strcmp(name, "skill_depth"))
                p->skill_depth = (unsigned)v;
        }
    }
    free(copy);
}

const ss_rank_params *ss_rank_defaults(ss_kind kind)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, apply_overrides);
    return &defaults[kind == SS_KIND_SKILL];
}

/* ----------------------------------------------------------- query build */

typedef struct qlist {
    ss_query **v;
    size_t n, cap;
    int oom;
} qlist;

static void qpush(qlist *l, ss_query *q)
{
    if (!q) {
        l->oom = 1;
        return;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        ss_query **v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            ss_query_destroy(q);
            l->oom = 1;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = q;
}

static void qpush_scaled(qlist *l, ss_query *q, double w)
{
    if (w == 1.0) {
        qpush(l, q);
        return;
    }
    ss_query *s = ss_query_scale(q, w);
    ss_query_destroy(q);
    qpush(l, s);
}

/* Consumes l; returns the combination (NULL when out of memory). */
static ss_query *qcombine(qlist *l, ss_query_op op, unsigned param)
{
    ss_query *q = l->oom ? NULL : ss_query_combine(op, l->v, l->n, param);
    for (size_t i = 0; i < l->n; i++)
        ss_query_destroy(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
    return q;
}

static ss_query *prefixed_term(const char *prefix, const char *term)
{
    char buf[SS_TERM_MAX + 8];
    if (!ss_term_prefixed(buf, sizeof buf, prefix, term))
        return ss_query_combine(SS_OP_OR, NULL, 0, 0); /* matches nothing */
    return ss_query_term(buf, 1, 0);
}

/* The query's words after analysis. */
typedef struct qwords {
    ss_terms t;
    size_t *use;     /* indices into t of distinct terms to search for */
    size_t nuse;
    char **extra;    /* spelling corrections (stems), searched at lower weight */
    size_t nextra;
    char *suggestion;
    int head;        /* index in t of the head word, -1 if none */
    double idf_sum;  /* BM25 idf of the used words in label documents */
} qwords;

static void qwords_free(qwords *w)
{
    ss_terms_free(&w->t);
    free(w->use);
    ss_strv_free(w->extra, w->nextra);
    free(w->suggestion);
}

static int usable(const ss_token *tk, int allow_stop)
{
    return allow_stop || !(tk->flags & SS_TOK_STOP);
}

/* Spelling: words no label contains get the dictionary's best guess. */
static ss_status correct_spelling(const ss_rank_input *in, qwords *w)
{
    char buf[SS_TERM_MAX + 8];
    size_t cap = 0;
    char *fixed = NULL; /* the query text with corrections applied */
    size_t flen = 0, copied = 0;
    for (size_t i = 0; i < w->nuse; i++) {
        const ss_token *tk = &w->t.tok.v[w->use[i]];
        if (tk->flags & (SS_TOK_SYMBOL | SS_TOK_NUMERIC | SS_TOK_PART) ||
            strlen(tk->text) < 4)
            continue;
        unsigned tf = 0;
        if (!ss_term_prefixed(buf, sizeof buf, SS_PFX_WORD,
                              w->t.term[w->use[i]]) ||
            ss_db_termfreq(in->db, buf, &tf, NULL) != SS_OK || tf > 0)
            continue;
        char *sugg = NULL;
        if (ss_db_spelling_suggestion(in->db, tk->text, 2, &sugg, NULL) !=
                SS_OK ||
            !sugg)
            continue;
        char stem[SS_TERM_MAX];
        size_t sl = 0;
        if (ss_analyzer_stem(in->a, sugg, stem, sizeof stem, &sl) == SS_OK) {
            char **e = realloc(w->extra, (w->nextra + 1) * sizeof *e);
            if (e) {
                w->extra = e;
                e[w->nextra] = strdup(stem);
                if (e[w->nextra])
                    w->nextra++;
            }
        }
        /* rebuild the typed text around the corrected word */
        size_t need = flen + (tk->start - copied) + strlen(sugg) + 1;
        if (need > cap) {
            cap = need * 2;
            char *f = realloc(fixed, cap);
            if (!f) {
                free(sugg);
                break;
            }
            fixed = f;
        }
        memcpy(fixed + flen, in->text + copied, tk->start - copied);
        flen += tk->start - copied;
        memcpy(fixed + flen, sugg, strlen(sugg));
        flen += strlen(sugg);
        fixed[flen] = '\0';
        copied = tk->end;
        free(sugg);
    }
    if (fixed) {
        size_t rest = in->len - copied;
        char *f = realloc(fixed, flen + rest + 1);
        if (f) {
            memcpy(f + flen, in->text + copied, rest);
            f[flen + rest] = '\0';
            w->suggestion = f;
        } else {
            free(fixed);
        }
    }
    return SS_OK;
}

static ss_status analyse(const ss_rank_input *in, qwords *w, char **errmsg)
{
    memset(w, 0, sizeof *w);
    w->head = -1;
    ss_status st = ss_terms_add(in->a, in->text, in->len, &w->t);
    if (st == SS_ERR_INVALID)
        return ss_set_error(errmsg, st, "query is not valid UTF-8");
    if (st != SS_OK)
        return st;
    int any = 0;
    for (size_t i = 0; i < w->t.n; i++)
        any |= !(w->t.tok.v[i].flags & SS_TOK_STOP);
    w->use = malloc((w->t.n + 1) * sizeof *w->use);
    if (!w->use)
        return SS_ERR_NOMEM;
    for (size_t i = 0; i < w->t.n && w->nuse < MAX_QTERMS; i++) {
        if (!usable(&w->t.tok.v[i], !any))
            continue;
        int dup = 0;
        for (size_t j = 0; j < w->nuse && !dup; j++)
            dup = !strcmp(w->t.term[w->use[j]], w->t.term[i]);
        if (!dup)
            w->use[w->nuse++] = i;
    }
    /* what a label holding exactly the query's words would score: the
     * label run is measured against it, so labels covering only a common
     * word of a longer query do not outrank better evidence */
    char buf[SS_TERM_MAX + 8];
    for (size_t i = 0; i < w->nuse; i++) {
        unsigned tf = 0;
        if (ss_term_prefixed(buf, sizeof buf, SS_PFX_WORD,
                             w->t.term[w->use[i]]) &&
            ss_db_termfreq(in->db, buf, &tf, NULL) == SS_OK && tf > 0) {
            double N = in->doccount ? in->doccount : 1;
            double idf = log((N - tf + 0.5) / (tf + 0.5));
            w->idf_sum += idf > 0 ? idf : 0;
        }
    }
    /* the head of an English-style noun phrase is its last content word */
    for (size_t i = w->t.n; i-- > 0;)
        if (!(w->t.tok.v[i].flags & (SS_TOK_STOP | SS_TOK_PART |
                                      SS_TOK_NUMERIC))) {
            w->head = (int)i;
            break;
        }
    return correct_spelling(in, w);
}

static ss_query *filter_by(ss_query *q, const char *type, const char *isco)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s%s", SS_PFX_TYPE, type);
    ss_query *f[3] = {q, ss_query_term(buf, 1, 0), NULL};
    size_t n = 2;
    if (isco && *isco) {
        snprintf(buf, sizeof buf, "%s%s", SS_PFX_ISCO, isco);
        f[n++] = ss_query_term(buf, 1, 0);
    }
    ss_query *r = ss_query_combine(SS_OP_FILTER, f, n, 0);
    for (size_t i = 1; i < n; i++)
        ss_query_destroy(f[i]);
    return r;
}

static ss_query *build_label_query(const ss_rank_input *in,
                                   const ss_rank_params *p, const qwords *w,
                                   const char *type, const char *isco)
{
    qlist l = {0};
    for (size_t i = 0; i < w->nuse; i++) {
        double wt = (int)w->use[i] == w->head ? 1.0 + p->head : 1.0;
        qpush_scaled(&l, prefixed_term(SS_PFX_WORD, w->t.term[w->use[i]]),
                     wt);
    }
    for (size_t i = 0; i < w->nextra; i++)
        qpush_scaled(&l, prefixed_term(SS_PFX_WORD, w->extra[i]), p->spell);
    /* adjacent words in the order typed */
    size_t prev = (size_t)-1;
    for (size_t i = 0; p->phrase > 0 && i < w->t.n && i < MAX_PAIRS; i++) {
        const ss_token *tk = &w->t.tok.v[i];
        if (tk->flags & (SS_TOK_PART | SS_TOK_STOP))
            continue;
        if (prev != (size_t)-1) {
            ss_query *pair[2] = {
                prefixed_term(SS_PFX_WORD, w->t.term[prev]),
                prefixed_term(SS_PFX_WORD, w->t.term[i])};
            qpush_scaled(&l, ss_query_combine(SS_OP_PHRASE, pair, 2, 3),
                         p->phrase);
            ss_query_destroy(pair[0]);
            ss_query_destroy(pair[1]);
        }
        prev = i;
    }
    /* any span of the query that is a whole label */
    char key[SS_TERM_MAX + 8];
    for (size_t i = 0; p->key > 0 && i < w->t.n && i < MAX_PAIRS; i++) {
        if (w->t.tok.v[i].flags & (SS_TOK_PART | SS_TOK_STOP))
            continue;
        for (size_t j = i + 1; j <= w->t.n; j++) {
            size_t words = ss_terms_key(&w->t, i, j, SS_PFX_LABELKEY, key,
                                        sizeof key);
            if (!words || words > MAX_SPAN)
                break;
            if (j < w->t.n &&
                (w->t.tok.v[j].flags & (SS_TOK_PART | SS_TOK_STOP)))
                continue;
            qpush_scaled(&l, ss_query_term(key, 1, 0),
                         p->key * (double)words);
        }
    }
    (void)in;
    ss_query *q = qcombine(&l, SS_OP_OR, 0);
    ss_query *f = filter_by(q, type, isco);
    ss_query_destroy(q);
    return f;
}

static ss_query *build_concept_query(const ss_rank_input *in,
                                     const ss_rank_params *p,
                                     const qwords *w)
{
    (void)p;
    qlist all = {0};
    for (size_t i = 0; i < w->nuse; i++)
        qpush(&all, prefixed_term(SS_PFX_TEXT, w->t.term[w->use[i]]));
    for (size_t i = 0; i < w->nextra; i++)
        qpush_scaled(&all, prefixed_term(SS_PFX_TEXT, w->extra[i]),
                     p->spell);
    char buf[SS_TERM_MAX + 8];
    for (size_t i = 0; p->bigram > 0 && i < w->t.n && i < MAX_PAIRS; i++) {
        size_t j = ss_terms_next_pair(&w->t, i);
        if (j < w->t.n &&
            snprintf(buf, sizeof buf, "%s%s %s", SS_PFX_BIGRAM, w->t.term[i],
                     w->t.term[j]) < SS_TERM_MAX)
            qpush_scaled(&all, ss_query_term(buf, 1, 0), p->bigram);
    }
    (void)in;
    return qcombine(&all, SS_OP_OR, 0);
}

/* ------------------------------------------------------------ fusion */

typedef struct cand {
    uint32_t concept;
    uint16_t label;   /* best label (label run) */
    uint8_t kind;     /* its kind: 'p', 'a', 'h' */
    double ls, cs, ks, score;
    int li, ci;       /* index in the label / concept page, -1 if absent */
    uint32_t skill;   /* skill run: the skill that added most, if ks > 0 */
    int skill_ess;
} cand;

static int cmp_concept(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return (x->concept > y->concept) - (x->concept < y->concept);
}

static int cmp_score(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return cmp_concept(a, b);
}

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int strv_has(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s))
            return 1;
    return 0;
}

static void strv_push(char ***v, size_t *n, char *s)
{
    if (!s)
        return;
    if (strv_has(*v, *n, s)) {
        free(s);
        return;
    }
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) {
        free(s);
        return;
    }
    *v = nv;
    nv[(*n)++] = s;
}

/* Explains hit h: the typed words behind its matched terms, and which
 * fields they matched. */
static void explain(const ss_rank_input *in, const qwords *w,
                    const ss_results *lr, const ss_results *cr,
                    const cand *c, ss_hit *h)
{
    const ss_concept_info *ci = &in->concepts->v[c->concept];
    if (c->li >= 0 && c->label < ci->nlabels && c->li < (int)ss_results_count(lr)) {
        const char *what = c->kind == 'a'   ? "alternative label"
                           : c->kind == 'h' ? "hidden label"
                                            : "label";
        char *r = NULL;
        if (asprintf(&r, "%s: %s", what, ci->labels[c->label]) >= 0)
            strv_push(&h->reasons, &h->nreasons, r);
    }
    if (c->ks > 0 && c->skill < in->concepts->n) {
        char *r = NULL;
        if (asprintf(&r, "%s skill: %s", c->skill_ess ? "essential" : "optional",
                     in->concepts->v[c->skill].labels[0]) >= 0)
            strv_push(&h->reasons, &h->nreasons, r);
    }
    const ss_results *src = c->ci >= 0 ? cr : lr;
    int idx = c->ci >= 0 ? c->ci : c->li;
    size_t nt = 0;
    const char *const *terms = src ? ss_results_terms(src, (size_t)idx, &nt)
                                   : NULL;
    for (size_t k = 0; k < nt; k++) {
        const char *t = terms[k];
        if (!t[0] || t[0] == 'X' || t[0] == 'Q')
            continue;
        for (size_t i = 0; i < w->t.n; i++) {
            if (strcmp(w->t.term[i], t + 1) != 0)
                continue;
            const ss_token *tk = &w->t.tok.v[i];
            strv_push(&h->matched, &h->nmatched,
                      dupn(in->text + tk->start, tk->end - tk->start));
            break;
        }
    }
    if (w->suggestion) {
        char *r = NULL;
        if (asprintf(&r, "spelling: %s", w->suggestion) >= 0)
            strv_push(&h->reasons, &h->nreasons, r);
    }
}

/* A ranking of one kind, before it becomes ss_hits. */
typedef struct ranked {
    cand *c;
    size_t n;
    ss_results *lr, *cr; /* kept for explanations */
    unsigned estimate;
} ranked;

static void ranked_free(ranked *r)
{
    free(r->c);
    ss_results_destroy(r->lr);
    ss_results_destroy(r->cr);
    memset(r, 0, sizeof *r);
}

/* Occupations scored by the skills the query names: each skill found
 * (relative to the best one) adds to the occupations needing it, more when
 * essential and when few occupations need it. Appends to c. */
static size_t skill_candidates(const ss_rank_input *in,
                               const ss_rank_params *p, const ranked *sk,
                               cand *c, size_t n)
{
    const ss_concepts *cs = in->concepts;
    double *acc = calloc(cs->nocc + 1, sizeof *acc);
    double *bestv = calloc(cs->nocc + 1, sizeof *bestv);
    uint32_t *best = calloc(cs->nocc + 1, sizeof *best);
    size_t first = n;
    double top = sk->n ? sk->c[0].score : 0;
    for (size_t i = 0; acc && bestv && best && top > 0 && i < sk->n &&
                       i < p->skill_depth;
         i++) {
        double s = sk->c[i].score / top;
        if (s < p->skill_min)
            break;
        uint32_t sc = sk->c[i].concept;
        if (sc < cs->nocc || sc >= cs->n)
            continue;
        size_t k = sc - cs->nocc;
        size_t from = cs->need_off[k], to = cs->need_off[k + 1];
        if (to == from)
            continue;
        double idf = log(1.0 + (double)cs->nocc / (double)(to - from));
        for (size_t j = from; j < to; j++) {
            uint32_t o = cs->need[j] & ~SS_NEED_ESSENTIAL;
            int ess = (cs->need[j] & SS_NEED_ESSENTIAL) != 0;
            if (in->isco &&
                strncmp(cs->v[o].isco, in->isco, strlen(in->isco)) != 0)
                continue;
            double add = s * idf * (ess ? 1.0 : p->skill_opt);
            if (acc[o] == 0) {
                c[n].concept = o;
                c[n].li = c[n].ci = -1;
                n++;
            }
            acc[o] += add;
            if (add > bestv[o]) {
                bestv[o] = add;
                best[o] = sc | (ess ? SS_NEED_ESSENTIAL : 0);
            }
        }
    }
    double maxk = 0;
    for (size_t i = first; i < n; i++)
        if (acc[c[i].concept] > maxk)
            maxk = acc[c[i].concept];
    for (size_t i = first; i < n; i++) {
        uint32_t o = c[i].concept;
        c[i].ks = acc[o] / maxk;
        c[i].skill = best[o] & ~SS_NEED_ESSENTIAL;
        c[i].skill_ess = (best[o] & SS_NEED_ESSENTIAL) != 0;
    }
    free(acc);
    free(bestv);
    free(best);
    return n;
}

static ss_status run(const ss_rank_input *in, const ss_query *q,
                     unsigned depth, int collapse, double k1, double b,
                     ss_results **r, char **errmsg)
{
    ss_search_opts o;
    ss_search_opts_init(&o);
    o.limit = depth;
    o.collapse_slot = collapse;
    o.k1 = k1;
    o.b = b;
    o.want_terms = 1;
    o.want_docs = 0;
    return ss_db_search(in->db, q, &o, r, errmsg);
}

/* Label run + concept run (+ skills, for occupations), fused and sorted. */
static ss_status rank_kind(const ss_rank_input *in, ss_kind kind,
                           const qwords *w, unsigned depth, const ranked *sk,
                           ranked *out, ss_query **concept_q, char **errmsg)
{
    memset(out, 0, sizeof *out);
    const ss_rank_params *p = ss_rank_defaults(kind);
    int occ = kind == SS_KIND_OCC;
    const char *isco = occ ? in->isco : NULL;
    ss_query *lq = build_label_query(
        in, p, w, occ ? SS_TYPE_OCCLABEL : SS_TYPE_SKLABEL, isco);
    ss_query *cq0 = build_concept_query(in, p, w);
    ss_query *cq = filter_by(cq0, occ ? SS_TYPE_OCC : SS_TYPE_SKILL, isco);
    ss_query_destroy(cq0);
    ss_status st = lq && cq ? SS_OK : SS_ERR_NOMEM;
    if (st == SS_OK)
        st = run(in, lq, depth, SS_SLOT_CONCEPT, p->label_k1, p->label_b,
                 &out->lr, errmsg);
    if (st == SS_OK)
        st = run(in, cq, depth, -1, p->concept_k1, p->concept_b, &out->cr,
                 errmsg);
    ss_query_destroy(lq);
    if (concept_q && st == SS_OK)
        *concept_q = cq;
    else
        ss_query_destroy(cq);
    if (st != SS_OK)
        return st;

    const ss_results *lr = out->lr, *cr = out->cr;
    size_t nl = ss_results_count(lr), nc = ss_results_count(cr);
    size_t nk = sk && sk->n ? in->concepts->nocc : 0;
    cand *c = calloc(nl + nc + nk + 1, sizeof *c);
    if (!c)
        return SS_ERR_NOMEM;
    double maxl = 0, maxc = 0;
    for (size_t i = 0; i < nl; i++)
        if (ss_results_weight(lr, i) > maxl)
            maxl = ss_results_weight(lr, i);
    for (size_t i = 0; i < nc; i++)
        if (ss_results_weight(cr, i) > maxc)
            maxc = ss_results_weight(cr, i);
    /* label run: against the best any label could score, so a query that
     * no label covers well leans on the other runs */
    if (p->norm_label > 0 && p->norm_label * w->idf_sum > maxl)
        maxl = p->norm_label * w->idf_sum;
    size_t n = 0;
    for (size_t i = 0; i < nl; i++) {
        const ss_docmap_entry *e =
            ss_docmap_get(in->map, ss_results_docid(lr, i));
        if (!e || e->concept >= in->concepts->n)
            continue;
        c[n].concept = e->concept;
        c[n].label = e->label;
        c[n].kind = e->kind;
        c[n].ls = ss_results_weight(lr, i) / (maxl > 0 ? maxl : 1);
        c[n].li = (int)i;
        c[n++].ci = -1;
    }
    for (size_t i = 0; i < nc; i++) {
        const ss_docmap_entry *e =
            ss_docmap_get(in->map, ss_results_docid(cr, i));
        if (!e || e->concept >= in->concepts->n)
            continue;
        c[n].concept = e->concept;
        c[n].cs = ss_results_weight(cr, i) / (maxc > 0 ? maxc : 1);
        c[n].li = -1;
        c[n++].ci = (int)i;
    }
    if (nk)
        n = skill_candidates(in, p, sk, c, n);
    /* merge the entries of a concept */
    qsort(c, n, sizeof *c, cmp_concept);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && c[m - 1].concept == c[i].concept) {
            cand *d = &c[m - 1];
            if (c[i].li >= 0)
                d->li = c[i].li, d->ls = c[i].ls, d->label = c[i].label,
                d->kind = c[i].kind;
            if (c[i].ci >= 0)
                d->ci = c[i].ci, d->cs = c[i].cs;
            if (c[i].ks > 0)
                d->ks = c[i].ks, d->skill = c[i].skill,
                d->skill_ess = c[i].skill_ess;
            continue;
        }
        c[m++] = c[i];
    }
    for (size_t i = 0; i < m; i++)
        c[i].score = p->w_label * c[i].ls + p->w_concept * c[i].cs +
                     p->w_skill * c[i].ks;
    qsort(c, m, sizeof *c, cmp_score);
    out->c = c;
    out->n = m;
    unsigned est = ss_results_estimate(cr);
    out->estimate = est > m ? est : (unsigned)m;
    return SS_OK;
}

static ss_status emit(const ss_rank_input *in, const qwords *w,
                      const ranked *r, ss_hits *out)
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
        if (!h->uri || !h->label || !h->isco || !h->type)
            return SS_ERR_NOMEM;
        explain(in, w, r->lr, r->cr, &r->c[i], h);
    }
    return SS_OK;
}

ss_status ss_rank(const ss_rank_input *in, ss_hits *out, ss_query **concept_q,
                  char **errmsg)
{
    memset(out, 0, sizeof *out);
    if (concept_q)
        *concept_q = NULL;
    if (in->isco)
        for (const char *c = in->isco; *c; c++)
            if (!isdigit((unsigned char)*c) || c - in->isco >= 4)
                return ss_set_error(errmsg, SS_ERR_INVALID,
                                    "isco filter must be 1 to 4 digits");
    const ss_rank_params *p = ss_rank_defaults(in->kind);
    qwords w;
    ss_status st = analyse(in, &w, errmsg);
    if (st != SS_OK || (w.nuse == 0 && w.nextra == 0)) {
        qwords_free(&w);
        return st;
    }
    unsigned depth = p->depth;
    if (in->offset + in->limit > depth)
        depth = in->offset + in->limit;
    ranked sk = {0}, r = {0};
    /* occupations also count the skills the query names */
    if (in->kind == SS_KIND_OCC && p->w_skill > 0)
        st = rank_kind(in, SS_KIND_SKILL, &w, p->skill_depth, NULL, &sk,
                       NULL, errmsg);
    if (st == SS_OK)
        st = rank_kind(in, in->kind, &w, depth, &sk, &r, concept_q, errmsg);
    if (st == SS_OK)
        st = emit(in, &w, &r, out);
    if (st == SS_OK && w.suggestion) {
        out->suggestion = w.suggestion;
        w.suggestion = NULL;
    }
    ranked_free(&sk);
    ranked_free(&r);
    qwords_free(&w);
    return st;
}
