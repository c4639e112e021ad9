#include "rank.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/memindex.h"
#include "../core/schema.h"
#include "../core/terms.h"
#include "../synonyms/synonyms.h"
#include "labelvec.h"
#include "titles.h"

#define MAX_QTERMS 64 /* distinct words used from one query */
#define MAX_SPAN 6    /* longest query span looked up as a whole label */
#define MAX_PAIRS 128 /* tokens scanned for phrases, label keys, bigrams:
                         long texts must stay linear (match selects terms) */

static ss_rank_params defaults[2] = {
    /* occupations */
    {.w_label = 1.0, .w_concept = 0.6,
     .phrase = 0.6, .key = 1.0,
     .label_k1 = 1.2, .label_b = 0.75, .concept_k1 = 1.2, .concept_b = 0.75,
     .spell = 0.6, .head = 0.0, .norm_label = 1.3, .depth = 50,
     .w_skill = 0.45, .skill_opt = 0.5, .skill_min = 0.7, .skill_depth = 30,
     .bigram = 1.0, .synonym = 0.5, .seniority = 0.3,
     .w_vec = 4.0, .vec_unseen = 0.5, .vec_norm = 1, .vec_floor = 0.7,
     .vec_depth = 50},
    /* skills */
    {.w_label = 1.0, .w_concept = 1.5,
     .phrase = 0.6, .key = 1.0,
     .label_k1 = 1.2, .label_b = 0.75, .concept_k1 = 1.2, .concept_b = 0.75,
     .spell = 0.6, .head = 0.0, .norm_label = 1.0, .depth = 50,
     .bigram = 3.0, .synonym = 0.5, .seniority = 1.0},
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
            SET(w_skill) SET(skill_opt) SET(skill_min) SET(bigram) SET(synonym) SET(seniority)
            SET(w_vec) SET(vec_unseen) SET(vec_norm) SET(vec_floor)
#undef SET
            if (!strcmp(name, "depth"))
                p->depth = (unsigned)v;
            if (!strcmp(name, "skill_depth"))
                p->skill_depth = (unsigned)v;
            if (!strcmp(name, "vec_depth"))
                p->vec_depth = (unsigned)v;
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
    const ss_syn **syn; /* curated synonyms whose key is a span of the query */
    size_t nsyn;
    unsigned char *weak; /* per token: a seniority word (weighed down) */
} qwords;

static void qwords_free(qwords *w)
{
    ss_terms_free(&w->t);
    free(w->use);
    ss_strv_free(w->extra, w->nextra);
    free(w->suggestion);
    free(w->syn);
    free(w->weak);
}

/* 1 if terms a and b, adjacent, make a whole label ("contract engineer"). */
static int pair_is_label(const ss_memindex *labels, const char *a,
                         const char *b)
{
    char key[2 * SS_TERM_MAX + 8];
    if (snprintf(key, sizeof key, "%s%s %s", SS_PFX_LABELKEY, a, b) >=
        (int)sizeof key)
        return 0;
    return ss_memindex_lookup(labels, key).n > 0;
}

/* Job titles: noise words ("full time", "urgent", "m/f") are dropped like
 * stop words, unless a label holds them with a neighbour ("contract" of
 * "contract engineer"); seniority words ("senior", "trainee") are weighed
 * down; unless that would leave no word at all. */
static void mark_title_words(const ss_titles *titles,
                             const ss_memindex *labels, qwords *w)
{
    ss_terms *t = &w->t;
    unsigned *saved = malloc((t->n + 1) * sizeof *saved);
    w->weak = calloc(t->n + 1, 1);
    if (!saved || !w->weak) {
        free(saved);
        return;
    }
    for (size_t i = 0; i < t->n; i++)
        saved[i] = t->tok.v[i].flags;
    char key[2 * SS_TERM_MAX + 2];
    for (size_t i = 0; i < t->n; i++) {
        if (t->tok.v[i].flags & SS_TOK_PART)
            continue;
        size_t j = i + 1, prev = i; /* the next and the previous word */
        while (j < t->n && (t->tok.v[j].flags & SS_TOK_PART))
            j++;
        while (prev > 0 && (t->tok.v[prev - 1].flags & SS_TOK_PART))
            prev--;
        prev = prev > 0 ? prev - 1 : t->n;
        ss_title_kind k = SS_TITLE_NONE;
        if (j < t->n) {
            snprintf(key, sizeof key, "%s %s", t->term[i], t->term[j]);
            if ((k = ss_titles_get(titles, key)) == SS_TITLE_NOISE) {
                t->tok.v[i].flags |= SS_TOK_STOP;
                t->tok.v[j].flags |= SS_TOK_STOP;
                continue;
            }
        }
        if (k == SS_TITLE_SENIORITY) {
            w->weak[i] = w->weak[j] = 1;
            continue;
        }
        k = ss_titles_get(titles, t->term[i]);
        if (k == SS_TITLE_NOISE &&
            !(j < t->n && pair_is_label(labels, t->term[i], t->term[j])) &&
            !(prev < t->n && pair_is_label(labels, t->term[prev], t->term[i])))
            t->tok.v[i].flags |= SS_TOK_STOP;
        else if (k == SS_TITLE_SENIORITY)
            w->weak[i] = 1;
    }
    int any = 0;
    for (size_t i = 0; i < t->n; i++)
        any |= !(t->tok.v[i].flags & (SS_TOK_STOP | SS_TOK_PART)) &&
               !w->weak[i];
    if (!any) {
        for (size_t i = 0; i < t->n; i++)
            t->tok.v[i].flags = saved[i];
        memset(w->weak, 0, t->n);
    }
    free(saved);
}

/* Calls fn for every span [i,j) of the query that could be a label or a
 * synonym key: at most MAX_SPAN words, not splitting a compound, neither
 * starting nor ending on a stop word. */
static void for_spans(const qwords *w, void (*fn)(void *, const char *, size_t),
                      void *ctx)
{
    char key[SS_TERM_MAX + 8];
    for (size_t i = 0; i < w->t.n && i < MAX_PAIRS; i++) {
        if (w->t.tok.v[i].flags & (SS_TOK_PART | SS_TOK_STOP))
            continue;
        for (size_t j = i + 1; j <= w->t.n; j++) {
            if ((j < w->t.n && (w->t.tok.v[j].flags & SS_TOK_PART)) ||
                (w->t.tok.v[j - 1].flags & SS_TOK_STOP))
                continue;
            size_t words = ss_terms_key(&w->t, i, j, "", key, sizeof key);
            if (!words || words > MAX_SPAN)
                break;
            fn(ctx, key, words);
        }
    }
}

typedef struct syn_ctx {
    const ss_synonyms *table;
    qwords *w;
} syn_ctx;

static void find_synonym(void *ctx, const char *key, size_t words)
{
    (void)words;
    syn_ctx *c = ctx;
    const ss_syn *e = ss_synonyms_get(c->table, key);
    if (!e)
        return;
    for (size_t i = 0; i < c->w->nsyn; i++)
        if (c->w->syn[i] == e)
            return;
    const ss_syn **v = realloc(c->w->syn, (c->w->nsyn + 1) * sizeof *v);
    if (!v)
        return;
    c->w->syn = v;
    v[c->w->nsyn++] = e;
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
        if (!ss_term_prefixed(buf, sizeof buf, SS_PFX_WORD,
                              w->t.term[w->use[i]]) ||
            ss_memindex_lookup(in->labels, buf).n > 0)
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
    if (in->kind == SS_KIND_OCC && in->titles)
        mark_title_words(in->titles, in->labels, w);
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
    double N = ss_memindex_ndocs(in->labels);
    for (size_t i = 0; i < w->nuse; i++) {
        size_t df = 0;
        if (ss_term_prefixed(buf, sizeof buf, SS_PFX_WORD,
                             w->t.term[w->use[i]]) &&
            (df = ss_memindex_lookup(in->labels, buf).n) > 0)
            w->idf_sum += log(1.0 + (N - df + 0.5) / (df + 0.5));
    }
    /* the head of an English-style noun phrase is its last content word */
    for (size_t i = w->t.n; i-- > 0;)
        if (!(w->t.tok.v[i].flags & (SS_TOK_STOP | SS_TOK_PART |
                                      SS_TOK_NUMERIC))) {
            w->head = (int)i;
            break;
        }
    syn_ctx sc = {in->synonyms, w};
    if (in->synonyms)
        for_spans(w, find_synonym, &sc);
    const ss_rank_params *p = in->params ? in->params
                                         : ss_rank_defaults(in->kind);
    return p->spell > 0 ? correct_spelling(in, w) : SS_OK;
}

/* ------------------------------------------------------------ weighted terms */

/* A query for the in-memory index: terms with weights. */
typedef struct wlist {
    char **t;
    double *w;
    size_t n, cap;
} wlist;

static void wl_free(wlist *l)
{
    ss_strv_free(l->t, l->n);
    free(l->w);
    memset(l, 0, sizeof *l);
}

static void wl_add(wlist *l, const char *prefix, const char *term, double w)
{
    char buf[SS_TERM_MAX + 8];
    /* a term listed twice scores twice: the same as adding the weights */
    if (w <= 0 || !ss_term_prefixed(buf, sizeof buf, prefix, term))
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        char **t = realloc(l->t, cap * sizeof *t);
        if (t)
            l->t = t;
        double *ww = realloc(l->w, cap * sizeof *ww);
        if (ww)
            l->w = ww;
        if (!t || !ww)
            return;
        l->cap = cap;
    }
    if ((l->t[l->n] = strdup(buf)))
        l->w[l->n++] = w;
}

/* Adjacent word pairs of the query, as bigram terms. */
static void add_bigrams(wlist *l, const qwords *w, double weight)
{
    char buf[SS_TERM_MAX + 8];
    for (size_t i = 0; weight > 0 && i < w->t.n && i < MAX_PAIRS; i++) {
        size_t j = ss_terms_next_pair(&w->t, i);
        if (j < w->t.n && snprintf(buf, sizeof buf, "%s %s", w->t.term[i],
                                   w->t.term[j]) < SS_TERM_MAX)
            wl_add(l, SS_PFX_BIGRAM, buf, weight);
    }
}

/* Weight of used word i: the head noun counts more, seniority less. */
static double word_weight(const ss_rank_params *p, const qwords *w, size_t i)
{
    size_t t = w->use[i];
    if (w->weak && w->weak[t])
        return p->seniority;
    return (int)t == w->head ? 1.0 + p->head : 1.0;
}

typedef struct key_ctx {
    wlist *l;
    double weight;
} key_ctx;

static void add_key(void *ctx, const char *key, size_t words)
{
    key_ctx *k = ctx;
    wl_add(k->l, SS_PFX_LABELKEY, key, k->weight * (double)words);
}

static size_t key_words(const char *key)
{
    size_t n = 1;
    for (; *key; key++)
        n += *key == ' ';
    return n;
}

/* Each word of an analysed key, behind prefix. */
static void add_words(wlist *l, const char *prefix, const char *key,
                      double weight)
{
    char word[SS_TERM_MAX + 8];
    while (*key) {
        size_t n = strcspn(key, " ");
        if (n < sizeof word) {
            memcpy(word, key, n);
            word[n] = '\0';
            wl_add(l, prefix, word, weight);
        }
        key += n + (key[n] == ' ');
    }
}

static void label_terms(const ss_rank_params *p, const qwords *w, wlist *l)
{
    for (size_t i = 0; i < w->nuse; i++)
        wl_add(l, SS_PFX_WORD, w->t.term[w->use[i]], word_weight(p, w, i));
    for (size_t i = 0; i < w->nextra; i++)
        wl_add(l, SS_PFX_WORD, w->extra[i], p->spell);
    add_bigrams(l, w, p->phrase);
    /* any span of the query that is a whole label */
    if (p->key > 0) {
        key_ctx kc = {l, p->key};
        for_spans(w, add_key, &kc);
    }
    /* curated synonyms: their words, and their whole forms as labels */
    for (size_t i = 0; i < w->nsyn; i++)
        for (size_t k = 0; k < w->syn[i]->n; k++) {
            add_words(l, SS_PFX_WORD, w->syn[i]->to[k], p->synonym);
            wl_add(l, SS_PFX_LABELKEY, w->syn[i]->to[k],
                   p->key * p->synonym * (double)key_words(w->syn[i]->to[k]));
        }
}

static void concept_terms(const ss_rank_params *p, const qwords *w,
                          wlist *l)
{
    for (size_t i = 0; i < w->nuse; i++)
        wl_add(l, SS_PFX_TEXT, w->t.term[w->use[i]], word_weight(p, w, i));
    for (size_t i = 0; i < w->nextra; i++)
        wl_add(l, SS_PFX_TEXT, w->extra[i], p->spell);
    for (size_t i = 0; i < w->nsyn; i++)
        for (size_t k = 0; k < w->syn[i]->n; k++)
            add_words(l, SS_PFX_TEXT, w->syn[i]->to[k], p->synonym);
    add_bigrams(l, w, p->bigram);
}

/* ------------------------------------------------------------- scoring */

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

/* One hit of a run: a concept, its score, and the document behind it. */
typedef struct hit {
    uint32_t concept, doc;
    double w;
} hit;

typedef struct hits {
    hit *v;
    size_t n;
    size_t matched; /* concepts that matched at all */
} hits;

static int cmp_hit(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return (x->concept > y->concept) - (x->concept < y->concept);
}

static int isco_ok(const ss_rank_input *in, uint32_t concept)
{
    return !in->isco || !*in->isco ||
           !strncmp(in->concepts->v[concept].isco, in->isco,
                    strlen(in->isco));
}

/* The best `depth` entries of all (sorted), via a bounded min-heap. */
static void keep_top(hits *all, size_t depth)
{
    if (all->n > depth * 4) {
        /* partial selection: heap of the depth best */
        hit *h = all->v;
        size_t n = 0;
        for (size_t i = 0; i < all->n; i++) {
            hit x = all->v[i];
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
                    const hit *mv = &x;
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

/* BM25 of the weighted terms over documents [from, to) of m. Label spaces
 * are collapsed to the best label per concept. */
static ss_status score(const ss_rank_input *in, const ss_memindex *m,
                       uint32_t from, uint32_t to, const wlist *q, double k1,
                       double b, int collapse, size_t depth, unsigned *facets,
                       hits *out)
{
    ss_rank_ws *ws = in->ws;
    memset(out, 0, sizeof *out);
    if (ws_fit(ws, ss_memindex_ndocs(m), in->concepts->n) < 0)
        return SS_ERR_NOMEM;
    double N = to > from ? to - from : 1;
    double avg = in->avglen(in->avg_ctx, m, from, to);
    ws->nt = 0;
    for (size_t i = 0; i < q->n; i++) {
        ss_postings p = ss_postings_range(ss_memindex_lookup(m, q->t[i]),
                                          from, to);
        if (!p.n)
            continue;
        double idf = log(1.0 + (N - p.n + 0.5) / (p.n + 0.5)) * q->w[i];
        for (size_t j = 0; j < p.n; j++) {
            uint32_t d = p.doc[j];
            double tf = p.tf[j];
            double K = k1 * (1 - b + b * ss_memindex_doclen(m, d) / avg);
            if (ws->acc[d] == 0)
                ws->touched[ws->nt++] = d;
            ws->acc[d] += (float)(idf * tf * (k1 + 1) / (tf + K));
        }
    }
    hits all = {0};
    all.v = malloc((ws->nt + 1) * sizeof *all.v);
    if (!all.v) {
        for (size_t i = 0; i < ws->nt; i++)
            ws->acc[ws->touched[i]] = 0;
        return SS_ERR_NOMEM;
    }
    ws->nct = 0;
    for (size_t i = 0; i < ws->nt; i++) {
        uint32_t d = ws->touched[i];
        float w = ws->acc[d];
        ws->acc[d] = 0;
        uint32_t c = ss_memindex_concept(m, d);
        if (c >= in->concepts->n || !isco_ok(in, c))
            continue;
        if (!collapse) {
            all.v[all.n++] = (hit){c, d, w};
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
        all.v[all.n++] = (hit){c, ws->bestdoc[c], ws->best[c]};
        ws->best[c] = 0;
    }
    all.matched = all.n;
    for (size_t i = 0; facets && i < all.n; i++) {
        const ss_concept_info *ci = &in->concepts->v[all.v[i].concept];
        if (ci->isco[0] >= '0' && ci->isco[0] <= '9')
            facets[ci->isco[0] - '0']++;
        else if (ci->stype)
            facets[ci->stype == 'k' ? SS_FACET_KNOWLEDGE : SS_FACET_SKILL]++;
    }
    keep_top(&all, depth);
    *out = all;
    return SS_OK;
}

/* ------------------------------------------------------------ fusion */

typedef struct cand {
    uint32_t concept;
    uint32_t ldoc;    /* best label document (label run) */
    double ls, cs, ks, score;
    int li, ci;       /* 1 if found by the label / concept run */
    uint32_t skill;   /* skill run: the skill that added most, if ks > 0 */
    int skill_ess;
    double vs;        /* label-vector cosine (occupations, with vectors) */
    uint16_t vlabel;  /* the label behind vs */
    int vi;           /* 1 if among the vector run's best */
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
/* Explains hit h: the label that matched, the skill that counted, and the
 * typed words found in the concept. */
static void explain(const ss_rank_input *in, const qwords *w, const cand *c,
                    ss_hit *h)
{
    const ss_concept_info *ci = &in->concepts->v[c->concept];
    if (c->li) {
        uint16_t li = ss_memindex_label(in->labels, c->ldoc);
        uint8_t kind = ss_memindex_kind(in->labels, c->ldoc);
        const char *what = kind == 'a'   ? "alternative label"
                           : kind == 'h' ? "hidden label"
                                         : "label";
        char *r = NULL;
        if (li < ci->nlabels &&
            asprintf(&r, "%s: %s", what, ci->labels[li]) >= 0)
            strv_push(&h->reasons, &h->nreasons, r);
    }
    if (c->vi && c->vlabel < ci->nlabels && (!c->li || c->vs >= 0.9)) {
        char *r = NULL;
        if (asprintf(&r, "similar meaning: %s (%.2f)", ci->labels[c->vlabel],
                     c->vs) >= 0)
            strv_push(&h->reasons, &h->nreasons, r);
    }
    if (c->ks > 0 && c->skill < in->concepts->n) {
        char *r = NULL;
        if (asprintf(&r, "%s skill: %s", c->skill_ess ? "essential" : "optional",
                     in->concepts->v[c->skill].labels[0]) >= 0)
            strv_push(&h->reasons, &h->nreasons, r);
    }
    char buf[SS_TERM_MAX + 8];
    for (size_t i = 0; i < w->t.n; i++) {
        const ss_token *tk = &w->t.tok.v[i];
        if ((tk->flags & SS_TOK_STOP) ||
            !ss_term_prefixed(buf, sizeof buf, SS_PFX_TEXT, w->t.term[i]) ||
            !ss_postings_has(ss_memindex_lookup(in->concepts_ix, buf),
                             c->concept))
            continue;
        strv_push(&h->matched, &h->nmatched,
                  dupn(in->text + tk->start, tk->end - tk->start));
    }
    for (size_t i = 0; i < w->nsyn; i++)
        for (size_t k = 0; k < w->syn[i]->n; k++) {
            char first[SS_TERM_MAX];
            size_t n = strcspn(w->syn[i]->to[k], " ");
            if (n >= sizeof first - 2)
                continue;
            snprintf(first, sizeof first, "%s%.*s", SS_PFX_TEXT, (int)n,
                     w->syn[i]->to[k]);
            char *r = NULL;
            if (ss_postings_has(ss_memindex_lookup(in->concepts_ix, first),
                                c->concept) &&
                asprintf(&r, "synonym: %s -> %s", w->syn[i]->text,
                         w->syn[i]->to_text[k]) >= 0)
                strv_push(&h->reasons, &h->nreasons, r);
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
    unsigned estimate;
} ranked;

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
            if (!isco_ok(in, o))
                continue;
            double add = s * idf * (ess ? 1.0 : p->skill_opt);
            if (acc[o] == 0) {
                memset(&c[n], 0, sizeof c[n]);
                c[n++].concept = o;
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

/* The vector run: every occupation's best label cosine with the query
 * (sim, label: nocc entries, caller frees), and the vec_depth best
 * appended to c as candidates. 0 if there are no vectors or no word of
 * the query has one. */
static int vector_run(const ss_rank_input *in, const ss_rank_params *p,
                      const qwords *w, float **sim, uint16_t **label,
                      cand *c, size_t *n)
{
    *sim = NULL;
    *label = NULL;
    const ss_labelvec *lv = in->vectors;
    if (!lv || p->w_vec <= 0)
        return 0;
    size_t nocc = in->concepts->nocc, nt = w->t.n;
    unsigned d = ss_labelvec_dims(lv);
    float *q = calloc(d, sizeof *q), *tw = calloc(nt + 1, sizeof *tw);
    *sim = calloc(nocc + 1, sizeof **sim);
    *label = calloc(nocc + 1, sizeof **label);
    int ok = q && tw && *sim && *label;
    /* the words the text runs use, seniority words weighed down */
    for (size_t k = 0; ok && k < w->nuse; k++) {
        size_t i = w->use[k];
        tw[i] = w->weak && w->weak[i] ? (float)p->seniority : 1.0f;
        /* a compound's parts follow it and share its fate */
        for (size_t j = i + 1; j < nt && (w->t.tok.v[j].flags & SS_TOK_PART);
             j++)
            tw[j] = tw[i];
    }
    ok = ok && ss_labelvec_embed(lv, &w->t.tok, tw, (float)p->vec_unseen, q);
    if (ok) {
        ss_labelvec_similar(lv, q, *sim, *label);
        /* the vec_depth best by a partial selection over nocc */
        size_t first = *n;
        for (uint32_t o = 0; p->vec_depth > 0 && o < nocc; o++) {
            if ((*sim)[o] <= p->vec_floor || !isco_ok(in, o))
                continue;
            size_t k = *n - first;
            if (k == p->vec_depth &&
                (*sim)[o] <= (*sim)[c[*n - 1].concept])
                continue;
            if (k < p->vec_depth)
                (*n)++;
            size_t j = *n - 1;
            while (j > first && (*sim)[c[j - 1].concept] < (*sim)[o]) {
                c[j] = c[j - 1];
                j--;
            }
            memset(&c[j], 0, sizeof c[j]);
            c[j].concept = o;
            c[j].vi = 1;
        }
    }
    free(q);
    free(tw);
    if (!ok) {
        free(*sim);
        free(*label);
        *sim = NULL;
        *label = NULL;
    }
    return ok;
}

/* Label run + concept run (+ skills, for occupations), fused and sorted. */
static ss_status rank_kind(const ss_rank_input *in, ss_kind kind,
                           const qwords *w, unsigned depth, const ranked *sk,
                           ranked *out, unsigned *facets)
{
    memset(out, 0, sizeof *out);
    const ss_rank_params *p = in->params && kind == in->kind
                                  ? in->params
                                  : ss_rank_defaults(kind);
    const ss_concepts *cs = in->concepts;
    int occ = kind == SS_KIND_OCC;
    /* documents of occupations come first in both spaces */
    uint32_t lsplit = ss_memindex_first_doc(in->labels, (uint32_t)cs->nocc);
    uint32_t lfrom = occ ? 0 : lsplit,
             lto = occ ? lsplit : ss_memindex_ndocs(in->labels);
    uint32_t cfrom = occ ? 0 : (uint32_t)cs->nocc,
             cto = occ ? (uint32_t)cs->nocc : (uint32_t)cs->n;
    wlist lq = {0}, cq = {0};
    label_terms(p, w, &lq);
    concept_terms(p, w, &cq);
    hits lh = {0}, ch = {0};
    ss_status st = score(in, in->labels, lfrom, lto, &lq, p->label_k1,
                         p->label_b, 1, depth, NULL, &lh);
    if (st == SS_OK)
        st = score(in, in->concepts_ix, cfrom, cto, &cq, p->concept_k1,
                   p->concept_b, 0, depth, facets, &ch);
    wl_free(&lq);
    wl_free(&cq);
    size_t nk = sk && sk->n ? cs->nocc : 0;
    size_t nv = occ && in->vectors ? p->vec_depth : 0;
    cand *c = st == SS_OK ? calloc(lh.n + ch.n + nk + nv + 1, sizeof *c)
                          : NULL;
    if (st == SS_OK && !c)
        st = SS_ERR_NOMEM;
    if (st != SS_OK) {
        free(lh.v);
        free(ch.v);
        return st;
    }
    double maxl = lh.n ? lh.v[0].w : 0, maxc = ch.n ? ch.v[0].w : 0;
    /* label run: against what a label made of the query's words would
     * score, so a label sharing one common word of a long query counts
     * little */
    if (p->norm_label > 0 && p->norm_label * w->idf_sum > maxl)
        maxl = p->norm_label * w->idf_sum;
    size_t n = 0;
    for (size_t i = 0; i < lh.n; i++, n++) {
        c[n].concept = lh.v[i].concept;
        c[n].ldoc = lh.v[i].doc;
        c[n].ls = lh.v[i].w / (maxl > 0 ? maxl : 1);
        c[n].li = 1;
    }
    for (size_t i = 0; i < ch.n; i++, n++) {
        c[n].concept = ch.v[i].concept;
        c[n].cs = ch.v[i].w / (maxc > 0 ? maxc : 1);
        c[n].ci = 1;
    }
    out->estimate = (unsigned)(ch.matched > lh.matched ? ch.matched
                                                       : lh.matched);
    free(lh.v);
    free(ch.v);
    if (nk)
        n = skill_candidates(in, p, sk, c, n);
    float *sim = NULL;
    uint16_t *slabel = NULL;
    int vec = occ && vector_run(in, p, w, &sim, &slabel, c, &n);
    /* merge the entries of a concept */
    qsort(c, n, sizeof *c, cmp_concept);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && c[m - 1].concept == c[i].concept) {
            cand *d = &c[m - 1];
            if (c[i].li)
                d->li = 1, d->ls = c[i].ls, d->ldoc = c[i].ldoc;
            if (c[i].ci)
                d->ci = 1, d->cs = c[i].cs;
            if (c[i].ks > 0)
                d->ks = c[i].ks, d->skill = c[i].skill,
                d->skill_ess = c[i].skill_ess;
            d->vi |= c[i].vi;
            continue;
        }
        c[m++] = c[i];
    }
    double top = 0;
    for (size_t i = 0; i < m; i++) {
        c[i].score = p->w_label * c[i].ls + p->w_concept * c[i].cs +
                     p->w_skill * c[i].ks;
        top = c[i].score > top ? c[i].score : top;
    }
    /* fusion with the vector run: the text score relative to the best
     * (vec_norm), plus the cosine above a floor */
    for (size_t i = 0; vec && i < m; i++) {
        cand *d = &c[i];
        d->vs = sim[d->concept];
        d->vlabel = slabel[d->concept];
        if (p->vec_norm > 0 && top > 0)
            d->score /= top;
        if (d->vs > p->vec_floor)
            d->score += p->w_vec * (d->vs - p->vec_floor);
    }
    free(sim);
    free(slabel);
    qsort(c, m, sizeof *c, cmp_score);
    out->c = c;
    out->n = m;
    if (out->estimate < m)
        out->estimate = (unsigned)m;
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
        h->ordinal = r->c[i].concept;
        if (!h->uri || !h->label || !h->isco || !h->type)
            return SS_ERR_NOMEM;
        if (!in->explain || i - from < in->explain)
            explain(in, w, &r->c[i], h);
    }
    return SS_OK;
}

ss_status ss_rank(const ss_rank_input *in, ss_hits *out, unsigned *facets,
                  char **errmsg)
{
    memset(out, 0, sizeof *out);
    if (in->isco)
        for (const char *c = in->isco; *c; c++)
            if (!isdigit((unsigned char)*c) || c - in->isco >= 4)
                return ss_set_error(errmsg, SS_ERR_INVALID,
                                    "isco filter must be 1 to 4 digits");
    const ss_rank_params *p = in->params ? in->params
                                         : ss_rank_defaults(in->kind);
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
                       NULL);
    if (st == SS_OK)
        st = rank_kind(in, in->kind, &w, depth, &sk, &r, facets);
    if (st == SS_OK)
        st = emit(in, &w, &r, out);
    if (st == SS_OK && w.suggestion) {
        out->suggestion = w.suggestion;
        w.suggestion = NULL;
    }
    free(sk.c);
    free(r.c);
    qwords_free(&w);
    return st;
}
