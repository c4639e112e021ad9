#include "analyse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/schema.h"
#include "speller.h"
#include "titles.h"

void ss_qwords_free(ss_qwords *w)
{
    ss_terms_free(&w->t);
    free(w->use);
    ss_strv_free(w->extra, w->nextra);
    ss_strv_free(w->fixed, w->nextra);
    free(w->fixed_tok);
    free(w->suggestion);
    free(w->syn);
    free(w->weak);
    memset(w, 0, sizeof *w);
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
 * down; unless that would leave no word at all, or the title is a whole
 * label ("special educational needs assistant": "needs" stays). */
static ss_status mark_title_words(const ss_titles *titles,
                                  const ss_memindex *labels, ss_qwords *w)
{
    ss_terms *t = &w->t;
    char whole[SS_TERM_MAX + 8];
    if (ss_terms_key(t, 0, t->n, SS_PFX_LABELKEY, whole, sizeof whole) &&
        ss_memindex_lookup(labels, whole).n > 0)
        return SS_OK;
    unsigned *saved = malloc((t->n + 1) * sizeof *saved);
    w->weak = calloc(t->n + 1, 1);
    if (!saved || !w->weak) {
        free(saved);
        return SS_ERR_NOMEM;
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
    return SS_OK;
}

ss_status ss_qwords_spans(const ss_qwords *w,
                          ss_status (*fn)(void *, const char *, size_t),
                          void *ctx)
{
    char key[SS_TERM_MAX + 8];
    for (size_t i = 0; i < w->t.n && i < SS_MAX_PAIRS; i++) {
        if (w->t.tok.v[i].flags & (SS_TOK_PART | SS_TOK_STOP))
            continue;
        for (size_t j = i + 1; j <= w->t.n; j++) {
            if ((j < w->t.n && (w->t.tok.v[j].flags & SS_TOK_PART)) ||
                (w->t.tok.v[j - 1].flags & SS_TOK_STOP))
                continue;
            size_t words = ss_terms_key(&w->t, i, j, "", key, sizeof key);
            if (!words || words > SS_MAX_SPAN)
                break;
            ss_status st = fn(ctx, key, words);
            if (st != SS_OK)
                return st;
        }
    }
    return SS_OK;
}

typedef struct syn_ctx {
    const ss_synonyms *table;
    ss_qwords *w;
} syn_ctx;

static ss_status find_synonym(void *ctx, const char *key, size_t words)
{
    (void)words;
    syn_ctx *c = ctx;
    const ss_syn *e = ss_synonyms_get(c->table, key);
    if (!e)
        return SS_OK;
    for (size_t i = 0; i < c->w->nsyn; i++)
        if (c->w->syn[i] == e)
            return SS_OK;
    const ss_syn **v = realloc(c->w->syn, (c->w->nsyn + 1) * sizeof *v);
    if (!v)
        return SS_ERR_NOMEM;
    c->w->syn = v;
    v[c->w->nsyn++] = e;
    return SS_OK;
}

static int usable(const ss_token *tk, int allow_stop)
{
    return allow_stop || !(tk->flags & SS_TOK_STOP);
}

/* Appends a correction: its stem (searched), the word (shown), the token. */
static ss_status push_fix(const ss_rank_input *in, ss_qwords *w,
                          size_t tok, const char *sugg)
{
    char stem[SS_TERM_MAX];
    size_t sl = 0;
    if (ss_analyzer_stem(in->a, sugg, stem, sizeof stem, &sl) != SS_OK)
        return SS_OK; /* a guess the analyser cannot stem is no guess */
    size_t n = w->nextra + 1;
    char **e = realloc(w->extra, n * sizeof *e);
    if (e)
        w->extra = e;
    char **f = realloc(w->fixed, n * sizeof *f);
    if (f)
        w->fixed = f;
    size_t *t = realloc(w->fixed_tok, n * sizeof *t);
    if (t)
        w->fixed_tok = t;
    if (!e || !f || !t)
        return SS_ERR_NOMEM;
    e[w->nextra] = strdup(stem);
    f[w->nextra] = strdup(sugg);
    t[w->nextra] = tok;
    if (!e[w->nextra] || !f[w->nextra]) {
        free(e[w->nextra]);
        free(f[w->nextra]);
        return SS_ERR_NOMEM;
    }
    w->nextra++;
    return SS_OK;
}

/* The typed text with every correction put in place of its word. */
static ss_status corrected_text(const ss_rank_input *in, ss_qwords *w)
{
    size_t len = in->len + 1;
    for (size_t i = 0; i < w->nextra; i++)
        len += strlen(w->fixed[i]);
    char *s = malloc(len), *p = s;
    if (!s)
        return SS_ERR_NOMEM;
    size_t copied = 0;
    for (size_t i = 0; i < w->nextra; i++) {
        const ss_token *tk = &w->t.tok.v[w->fixed_tok[i]];
        memcpy(p, in->text + copied, tk->start - copied);
        p += tk->start - copied;
        p = stpcpy(p, w->fixed[i]);
        copied = tk->end;
    }
    memcpy(p, in->text + copied, in->len - copied);
    p[in->len - copied] = '\0';
    w->suggestion = s;
    return SS_OK;
}

/* Spelling: words no label contains get the dictionary's best guess. */
static ss_status correct_spelling(const ss_rank_input *in, ss_qwords *w)
{
    char buf[SS_TERM_MAX + 8];
    ss_status st = SS_OK;
    for (size_t i = 0; st == SS_OK && i < w->nuse; i++) {
        const ss_token *tk = &w->t.tok.v[w->use[i]];
        if (tk->flags & (SS_TOK_SYMBOL | SS_TOK_NUMERIC | SS_TOK_PART) ||
            strlen(tk->text) < 4)
            continue;
        if (!ss_term_prefixed(buf, sizeof buf, SS_PFX_WORD,
                              w->t.term[w->use[i]]) ||
            ss_memindex_lookup(in->labels, buf).n > 0)
            continue;
        char *sugg = NULL;
        if (ss_speller_suggest(in->speller, tk->text, 2, &sugg) != SS_OK ||
            !sugg)
            continue;
        st = push_fix(in, w, w->use[i], sugg);
        free(sugg);
    }
    if (st == SS_OK && w->nextra)
        st = corrected_text(in, w);
    return st;
}

ss_status ss_qwords_analyse(const ss_rank_input *in, const ss_params *p,
                            ss_qwords *w, char **errmsg)
{
    memset(w, 0, sizeof *w);
    w->head = -1;
    ss_status st = ss_terms_add(in->a, in->text, in->len, &w->t);
    if (st == SS_ERR_INVALID)
        return ss_set_error(errmsg, st, "query is not valid UTF-8");
    if (st != SS_OK)
        return st;
    if (in->kind == SS_KIND_OCC && in->titles &&
        mark_title_words(in->titles, in->labels, w) != SS_OK)
        return SS_ERR_NOMEM;
    int any = 0;
    for (size_t i = 0; i < w->t.n; i++)
        any |= !(w->t.tok.v[i].flags & SS_TOK_STOP);
    w->use = malloc((w->t.n + 1) * sizeof *w->use);
    if (!w->use)
        return SS_ERR_NOMEM;
    for (size_t i = 0; i < w->t.n && w->nuse < SS_MAX_QTERMS; i++) {
        if (!usable(&w->t.tok.v[i], !any))
            continue;
        int dup = 0;
        for (size_t j = 0; j < w->nuse && !dup; j++)
            dup = !strcmp(w->t.term[w->use[j]], w->t.term[i]);
        if (!dup)
            w->use[w->nuse++] = i;
    }
    /* what a label holding exactly the query's words would score: the
     * label pass is measured against it, so labels covering only a common
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
        st = ss_qwords_spans(w, find_synonym, &sc);
    if (st == SS_OK && p->spell > 0)
        st = correct_spelling(in, w);
    return st;
}
