#include "match.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/memindex.h"
#include "../core/schema.h"
#include "../core/terms.h"
#include "label_scan.h"
#include "skill_links.h"
#include "hits_json.h"
#include "propagate.h"
#include "rank.h"
#include "searcher.h"
#include "titles.h"

void ss_match_free(ss_match *m)
{
    if (!m)
        return;
    ss_hits_free(&m->hits);
    free(m->fusion);
    for (size_t i = 0; i < m->nskills; i++) {
        free(m->skills[i].uri);
        free(m->skills[i].label);
        free(m->skills[i].matched);
    }
    free(m->skills);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------- named occupations */

/* Occupations named in a text without a title line ("The Candidate
 * Experience Manager is in charge of..."): each label found adds to its
 * occupation, more for a preferred label, a longer one and an earlier
 * one, since ads name the job near the start. */
typedef struct mention_ctx {
    const ss_rank_input *in;
    const ss_params *p;
    const ss_terms *t;
    double *acc; /* per occupation */
} mention_ctx;

static ss_status mention_found(void *ctx, uint32_t doc, size_t i, size_t j,
                               int words)
{
    mention_ctx *c = ctx;
    (void)j;
    uint8_t kind = ss_memindex_kind(c->in->labels, doc);
    double w = (kind == 'p' ? 1.0 : kind == 'a' ? 0.8 : 0.5) *
               (words == 1 ? c->p->mention_word1 : 1.0) *
               (1.0 / (1.0 + (double)c->t->tok.v[i].pos /
                                 c->p->mention_decay));
    c->acc[ss_memindex_concept(c->in->labels, doc)] += w;
    return SS_OK;
}

static ss_status find_mentions(const ss_rank_input *in, const ss_params *p,
                               const ss_terms *t, double *acc)
{
    mention_ctx c = {in, p, t, acc};
    return ss_label_scan(in, t, 0,
                       ss_memindex_first_doc(in->labels,
                                             (uint32_t)in->concepts->nocc),
                       mention_found, &c);
}

/* --------------------------------------------------------- body terms */

typedef struct bterm {
    size_t tok;   /* first token with this term */
    double score;
} bterm;

static int cmp_bterm(const void *a, const void *b)
{
    const bterm *x = a, *y = b;
    return (x->score < y->score) - (x->score > y->score);
}

/* By term, then by position (so a run starts at the first occurrence). */
static int cmp_by_term(const void *a, const void *b, void *terms)
{
    const bterm *x = a, *y = b;
    const ss_terms *t = terms;
    int c = strcmp(t->term[x->tok], t->term[y->tok]);
    return c ? c : (x->tok > y->tok) - (x->tok < y->tok);
}

/* The body's most specific words, as a query text (malloc'd): tf x idf
 * over occupations, so words every ad has weigh nothing. t's token
 * offsets point into text. */
static char *body_query(const ss_rank_input *in, const ss_terms *t,
                        const char *text, unsigned keep)
{
    const ss_concepts *cs = in->concepts;
    bterm *v = calloc(t->n + 1, sizeof *v);
    size_t n = 0;
    char buf[SS_TERM_MAX + 8];
    double N = (double)cs->nocc;
    /* count each term: sort the usable tokens by term, then take runs */
    for (size_t i = 0; v && i < t->n; i++) {
        const ss_token *tk = &t->tok.v[i];
        if (!(tk->flags & (SS_TOK_STOP | SS_TOK_PART | SS_TOK_NUMERIC)) &&
            strlen(tk->text) >= 3)
            v[n++].tok = i;
    }
    if (v)
        qsort_r(v, n, sizeof *v, cmp_by_term, (void *)t);
    size_t m = 0;
    for (size_t i = 0; v && i < n;) {
        size_t j = i + 1;
        while (j < n && !strcmp(t->term[v[i].tok], t->term[v[j].tok]))
            j++;
        v[m].tok = v[i].tok;
        v[m++].score = (double)(j - i);
        i = j;
    }
    n = m;
    for (size_t j = 0; v && j < n; j++) {
        size_t df = 0;
        if (ss_term_prefixed(buf, sizeof buf, SS_PFX_TEXT, t->term[v[j].tok]))
            df = ss_postings_range(ss_memindex_lookup(in->concepts_ix, buf),
                                   0, (uint32_t)cs->nocc)
                     .n;
        v[j].score = df ? sqrt(v[j].score) * log(N / (double)df) : 0;
    }
    if (v)
        qsort(v, n, sizeof *v, cmp_bterm);
    size_t len = 0;
    for (size_t j = 0; v && j < n && j < keep && v[j].score > 0; j++)
        len += t->tok.v[v[j].tok].end - t->tok.v[v[j].tok].start + 1;
    char *q = malloc(len + 1), *p = q;
    for (size_t j = 0; q && j < n && j < keep && v[j].score > 0; j++) {
        const ss_token *tk = &t->tok.v[v[j].tok];
        memcpy(p, text + tk->start, tk->end - tk->start);
        p += tk->end - tk->start;
        *p++ = ' ';
    }
    if (q)
        *p = '\0';
    free(v);
    return q;
}

/* ------------------------------------------------------------- fusion */

const char *const ss_fusion_names[SS_FUSE_NFEAT] = {
    [SS_FUSE_TITLE] = "title",       [SS_FUSE_TITLE_RANK] = "title_rank",
    [SS_FUSE_BODY] = "body",         [SS_FUSE_BODY_RANK] = "body_rank",
    [SS_FUSE_SKILLS] = "skills",     [SS_FUSE_ESSENTIAL] = "essential_skills",
    [SS_FUSE_EXACT] = "exact_title", [SS_FUSE_NAMED] = "named"};

typedef struct fused {
    uint32_t concept;
    double t, b, k, m, score;
    int th, bh;       /* index in the title / body hits, -1 if absent */
    uint32_t skill;   /* the found skill that added most */
    int skill_ess;
    unsigned ess;     /* distinct essential skills of it found */
    int guarded;      /* lifted above a noisy body by its exact title */
} fused;

static int cmp_fused(const void *a, const void *b)
{
    const fused *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->concept > y->concept) - (x->concept < y->concept);
}

/* The fused order: the learned ranker, trained on titles, gained job ads
 * 0.005 MRR for 0.2 ms of the 3 ms an ad may take (README). */
static ss_status rank_text(ss_rank_input in, const char *text, size_t len,
                           unsigned depth, const ss_params *rp,
                           ss_hits *out, char **errmsg)
{
    in.params = rp;
    in.model[SS_KIND_OCC] = NULL;
    in.explain = 10; /* the fused list shows few; explaining costs lookups */
    in.text = text;
    in.len = len;
    in.kind = SS_KIND_OCC;
    in.offset = 0;
    in.limit = depth;
    return ss_rank(&in, out, NULL, errmsg);
}

static char **copy_strv(char *const *v, size_t n)
{
    char **c = calloc(n + 1, sizeof *c);
    for (size_t i = 0; c && i < n; i++)
        c[i] = strdup(v[i]);
    return c;
}

/* Moves the best `limit` entries of f[0, n) with a positive score to its
 * front, in cmp_fused order; returns how many. Few are asked for, so
 * insertion into the kept ones beats sorting all occupations. */
static size_t top_fused(fused *f, size_t n, size_t limit)
{
    size_t k = 0;
    if (limit > 64) {
        for (size_t o = 0; o < n; o++)
            if (f[o].score > 0)
                f[k++] = f[o];
        qsort(f, k, sizeof *f, cmp_fused);
        return k < limit ? k : limit;
    }
    for (size_t o = 0; o < n; o++) {
        /* f[0, k) are kept, in order; k <= o, so f[k] is free to take */
        fused x = f[o];
        if (!(x.score > 0) || (k == limit && cmp_fused(&x, &f[k - 1]) >= 0))
            continue;
        size_t j = k < limit ? k++ : k - 1;
        for (; j > 0 && cmp_fused(&x, &f[j - 1]) < 0; j--)
            f[j] = f[j - 1];
        f[j] = x;
    }
    return k;
}

/* The occupation whose preferred label is the whole title but for noise
 * and seniority words ("Senior Electrician (m/f)" -> electrician), or
 * UINT32_MAX. */
typedef struct exact_ctx {
    const ss_rank_input *in;
    size_t need; /* the title's words that count */
    uint32_t occ;
} exact_ctx;

static ss_status exact_found(void *ctx, uint32_t doc, size_t i, size_t j,
                             int words)
{
    exact_ctx *c = ctx;
    (void)i, (void)j;
    /* a preferred label: alternative ones are often shared or looser
     * ("lecturer"); with them, jobads_dev lost as many ads as it won */
    if ((size_t)words == c->need && c->occ == UINT32_MAX &&
        ss_memindex_kind(c->in->labels, doc) == 'p')
        c->occ = ss_memindex_concept(c->in->labels, doc);
    return SS_OK;
}

static ss_status exact_title(const ss_rank_input *in, const char *title,
                             size_t len, uint32_t *occ)
{
    ss_terms t = {0};
    exact_ctx c = {in, 0, UINT32_MAX};
    ss_status st = ss_terms_add(in->a, title, len, &t);
    for (size_t i = 0; st == SS_OK && i < t.n; i++) {
        ss_title_kind k = ss_titles_get(in->titles, t.term[i]);
        c.need += !(t.tok.v[i].flags & (SS_TOK_STOP | SS_TOK_PART)) &&
                  k != SS_TITLE_NOISE && k != SS_TITLE_SENIORITY;
    }
    if (st == SS_OK && c.need)
        st = ss_label_scan(in, &t, 0,
                           ss_memindex_first_doc(in->labels,
                                                 (uint32_t)in->concepts->nocc),
                           exact_found, &c);
    ss_terms_free(&t);
    *occ = c.occ;
    return st;
}

/* A clear title resists a noisy body: the occupation the title names
 * exactly goes above every other whose body evidence is not several of
 * its essential skills (title_guard_skills; 0: off). */
static void guard_title(const ss_params *p, fused *f, size_t nocc,
                        uint32_t exact)
{
    if (exact >= nocc || p->title_guard_skills <= 0)
        return;
    double weak = 0;
    for (size_t o = 0; o < nocc; o++)
        if (o != exact && f[o].ess < (unsigned)p->title_guard_skills &&
            f[o].score > weak)
            weak = f[o].score;
    if (f[exact].score <= weak) {
        f[exact].score = weak + 1e-6;
        f[exact].guarded = 1;
    }
}

/* mention: per-occupation scores standing in for the title ranking
 * (untitled text), or NULL. exact: the occupation the title names
 * (exact_title), or UINT32_MAX. */
static ss_status fuse(const ss_rank_input *in, const ss_params *p,
                      const ss_hits *th, const ss_hits *bh,
                      const double *mention, ss_match *m,
                      uint32_t exact, unsigned limit, ss_hits *out)
{
    const ss_concepts *cs = in->concepts;
    fused *f = calloc(cs->nocc + 1, sizeof *f);
    ss_propagation pr;
    if (!f || ss_propagation_init(&pr, cs->nocc) != SS_OK) {
        free(f);
        return SS_ERR_NOMEM;
    }
    for (size_t o = 0; o < cs->nocc; o++) {
        f[o].concept = (uint32_t)o;
        f[o].th = f[o].bh = -1;
    }
    double mt = th->n ? th->v[0].score : 0, mb = bh->n ? bh->v[0].score : 0;
    if (mention) {
        double mm = 0;
        for (size_t o = 0; o < cs->nocc; o++)
            mm = mention[o] > mm ? mention[o] : mm;
        for (size_t o = 0; mm > 0 && o < cs->nocc; o++)
            f[o].m = mention[o] / mm;
    }
    for (size_t i = 0; i < th->n; i++)
        if (th->v[i].ordinal < cs->nocc) {
            f[th->v[i].ordinal].t = th->v[i].score / mt;
            f[th->v[i].ordinal].th = (int)i;
        }
    for (size_t i = 0; i < bh->n; i++)
        if (bh->v[i].ordinal < cs->nocc) {
            f[bh->v[i].ordinal].b = bh->v[i].score / mb;
            f[bh->v[i].ordinal].bh = (int)i;
        }
    /* each skill found once, at its best evidence; the evidence weight,
     * not the confidence, since a skill named verbatim says more about
     * the occupation than about being the sentence's very point */
    size_t *best = m->nskills ? malloc(cs->n * sizeof *best) : NULL;
    if (m->nskills && !best) {
        free(f);
        ss_propagation_free(&pr);
        return SS_ERR_NOMEM;
    }
    for (size_t i = 0; i < m->nskills; i++)
        best[m->skills[i].ordinal] = SIZE_MAX;
    for (size_t i = 0; i < m->nskills; i++) { /* the first of the heaviest */
        size_t *b = &best[m->skills[i].ordinal];
        if (*b == SIZE_MAX || m->skills[i].weight > m->skills[*b].weight)
            *b = i;
    }
    for (size_t i = 0; i < m->nskills; i++) {
        uint32_t sk = m->skills[i].ordinal;
        if (best[sk] != i || !(m->skills[i].weight > 0) || sk < cs->nocc ||
            sk >= cs->n)
            continue; /* (ss_propagate_skill ignores non-skills too) */
        ss_propagate_skill(&pr, cs, sk, m->skills[i].weight, p->skill_opt,
                           NULL, NULL);
        for (size_t k = cs->need_off[sk - cs->nocc];
             k < cs->need_off[sk - cs->nocc + 1]; k++)
            if (cs->need[k] & SS_NEED_ESSENTIAL)
                f[cs->need[k] & ~SS_NEED_ESSENTIAL].ess++;
    }
    free(best);
    double mk = pr.max;
    for (size_t i = 0; i < pr.ntouched; i++) {
        uint32_t o = pr.touched[i];
        f[o].k = pr.acc[o];
        f[o].skill = pr.best[o] & ~SS_NEED_ESSENTIAL;
        f[o].skill_ess = (pr.best[o] & SS_NEED_ESSENTIAL) != 0;
    }
    ss_propagation_free(&pr);
    /* untitled: the named occupations, and the opening words as a weak
     * title */
    double wt = mention ? p->w_opening : p->w_title;
    double wb = mention ? p->untitled_w_body : p->w_body;
    for (size_t o = 0; o < cs->nocc; o++)
        f[o].score = wt * f[o].t + p->w_mention * f[o].m + wb * f[o].b +
                     (mk > 0 ? p->w_skills * f[o].k / mk : 0);
    guard_title(p, f, cs->nocc, exact);
    unsigned matched = 0;
    for (size_t o = 0; o < cs->nocc; o++)
        matched += f[o].score > 0;
    size_t n = top_fused(f, cs->nocc, limit);
    out->v = calloc(n + 1, sizeof *out->v);
    m->fusion = calloc(n + 1, sizeof *m->fusion);
    if (!out->v || !m->fusion) {
        free(f);
        return SS_ERR_NOMEM;
    }
    out->total_estimate = matched;
    for (size_t i = 0; i < n; i++) {
        double *fr = m->fusion[i];
        fr[SS_FUSE_TITLE] = f[i].t;
        fr[SS_FUSE_TITLE_RANK] = f[i].th;
        fr[SS_FUSE_BODY] = f[i].b;
        fr[SS_FUSE_BODY_RANK] = f[i].bh;
        fr[SS_FUSE_SKILLS] = mk > 0 ? f[i].k / mk : 0;
        fr[SS_FUSE_ESSENTIAL] = f[i].ess;
        fr[SS_FUSE_EXACT] = f[i].concept == exact;
        fr[SS_FUSE_NAMED] = f[i].m;
        ss_hit *h = &out->v[out->n++];
        const ss_concept_info *ci = &cs->v[f[i].concept];
        const ss_hit *src = f[i].th >= 0   ? &th->v[f[i].th]
                            : f[i].bh >= 0 ? &bh->v[f[i].bh]
                                           : NULL;
        h->uri = strdup(ci->uri);
        h->label = strdup(ci->labels[0]);
        h->isco = strdup(ci->isco);
        h->type = strdup("occupation");
        h->score = f[i].score;
        h->ordinal = f[i].concept;
        if (src) {
            h->matched = copy_strv(src->matched, src->nmatched);
            h->nmatched = h->matched ? src->nmatched : 0;
            h->reasons = copy_strv(src->reasons, src->nreasons);
            h->nreasons = h->reasons ? src->nreasons : 0;
        }
        if (f[i].guarded) {
            char **v = realloc(h->reasons, (h->nreasons + 1) * sizeof *v);
            if (v) {
                h->reasons = v;
                v[h->nreasons] = strdup("the title is its label");
                h->nreasons += v[h->nreasons] != NULL;
            }
        }
        if (f[i].k > 0) {
            char *r = NULL;
            char **v = realloc(h->reasons, (h->nreasons + 1) * sizeof *v);
            if (v && asprintf(&r, "%s skill found: %s",
                              f[i].skill_ess ? "essential" : "optional",
                              cs->v[f[i].skill].labels[0]) >= 0) {
                v[h->nreasons++] = r;
            }
            if (v)
                h->reasons = v;
        }
        if (!h->uri || !h->label || !h->isco || !h->type) {
            free(f);
            return SS_ERR_NOMEM;
        }
    }
    free(f);
    return SS_OK;
}

/* The first non-blank line of text: *start and *end byte offsets. */
static void first_line(const char *text, size_t len, size_t *start,
                       size_t *end)
{
    size_t i = 0;
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    const char *nl = memchr(text + i, '\n', len - i);
    size_t e = nl ? (size_t)(nl - text) : len;
    *start = i;
    while (e > i && isspace((unsigned char)text[e - 1]))
        e--;
    *end = e;
}

size_t ss_count_words(const char *t, size_t len, size_t max)
{
    size_t words = 0;
    for (size_t i = 0; i < len && words <= max; i++)
        words += !isspace((unsigned char)t[i]) &&
                 (i == 0 || isspace((unsigned char)t[i - 1]));
    return words;
}

ss_read_as ss_match_read_as(const char *text, size_t len)
{
    size_t a, b;
    first_line(text, len, &a, &b);
    if (a == b)
        return SS_READ_UNTITLED;
    const char *l = text + a;
    size_t n = b - a;
    if (ss_count_words(l, n, SS_TITLE_MAX_WORDS) > SS_TITLE_MAX_WORDS)
        return SS_READ_UNTITLED;
    /* a bullet or a numbered item starts a list, not a title */
    if (strchr("-*+>", l[0]) || !strncmp(l, "\xe2\x80\xa2", 3) ||
        (isdigit((unsigned char)l[0]) && n > 1 && strchr(".)", l[1])))
        return SS_READ_UNTITLED;
    /* a sentence or a heading ("Responsibilities:") ends with a mark */
    if (strchr(".!?;:", l[n - 1]))
        return SS_READ_UNTITLED;
    for (size_t i = 0; i + 1 < n; i++)
        if (strchr(".!?;", l[i]) && l[i + 1] == ' ' && i > 0 &&
            islower((unsigned char)l[i - 1]))
            return SS_READ_UNTITLED;
    return SS_READ_TITLED;
}

const char *ss_read_as_name(ss_read_as r)
{
    return r == SS_READ_UNTITLED ? "untitled" : "titled";
}

int ss_read_as_parse(const char *name, ss_read_as *out)
{
    static const char *const names[] = {"auto", "titled", "untitled"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(name, names[i])) {
            *out = (ss_read_as)i;
            return 0;
        }
    return -1;
}

int ss_min_confidence_parse(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || isspace((unsigned char)*s) || !(v >= 0) ||
        v > 1)
        return -1;
    *out = v;
    return 0;
}

ss_status ss_searcher_match(ss_searcher *s, const ss_match_req *req,
                            ss_match *out, char **errmsg)
{
    memset(out, 0, sizeof *out);
    const ss_params *p = ss_params_get(SS_KIND_OCC);
    size_t len = req->len ? req->len : strlen(req->text);
    const char *title = req->title;
    size_t tlen = title ? strlen(title) : 0, boff = 0;
    out->read_as = req->title      ? SS_READ_TITLED
                   : req->read_as ? req->read_as
                                  : ss_match_read_as(req->text, len);
    if (!title && out->read_as == SS_READ_TITLED) {
        size_t a, e;
        first_line(req->text, len, &a, &e);
        const char *nl = memchr(req->text + a, '\n', len - a);
        title = req->text + a;
        tlen = e - a;
        boff = nl ? (size_t)(nl - req->text) + 1 : len;
    }
    ss_rank_input in;
    ss_searcher_rank_input(s, &in);
    ss_params bp = *p;
    bp.w_label = p->body_w_label;
    bp.w_concept = p->body_w_concept;
    bp.w_skill = p->body_w_skill;
    bp.w_vec = p->body_w_vec;
    bp.w_meaning = 0; /* trained on titles, not on prose */
    bp.w_exact = 0;
    ss_params tp = *p;
    tp.w_vec = p->title_w_vec;
    tp.w_meaning = p->title_w_meaning;
    tp.w_exact = 0; /* the title guard below weighs an exact title */
    /* the body query's words are not in text order: no pairs, no whole
     * labels; and they all occur in concept text: no spelling guesses */
    bp.bigram = 0;
    bp.phrase = 0;
    bp.key = 0;
    bp.spell = 0;
    /* the text is analysed once: the body and each sentence are slices */
    ss_terms all = {0};
    ss_status st = ss_terms_add(in.a, req->text, len, &all);
    if (st == SS_ERR_INVALID)
        st = ss_set_error(errmsg, st, "text is not valid UTF-8");
    /* no title line, but a field declaring one ("Position: ..."): titled,
     * the whole text its body. Not when the caller said untitled. */
    size_t da, de;
    if (st == SS_OK && !title && out->read_as == SS_READ_UNTITLED &&
        req->read_as != SS_READ_UNTITLED &&
        ss_titles_declared(in.titles, &all, req->text, len, &da, &de)) {
        out->read_as = SS_READ_TITLED;
        title = req->text + da;
        tlen = de - da;
    }
    if (title && !req->title) {
        out->title_start = (size_t)(title - req->text);
        out->title_end = out->title_start + tlen;
    }
    size_t b0 = 0;
    while (b0 < all.n && all.tok.v[b0].start < boff)
        b0++;
    /* no tokens: no arrays either, and NULL + 0 is undefined in C */
    const ss_terms bt = all.n ? (ss_terms){.tok = {.v = all.tok.v + b0,
                                                   .n = all.n - b0},
                                           .term = all.term + b0,
                                           .n = all.n - b0}
                              : (ss_terms){0};
    ss_hits th = {0}, bh = {0};
    char *bq = NULL;
    size_t cap = 0; /* of out->skills */
    if (st == SS_OK && tlen)
        st = rank_text(in, title, tlen, (unsigned)p->match_depth, &tp, &th,
                       errmsg);
    if (st == SS_OK &&
        (bq = body_query(&in, &bt, req->text, (unsigned)p->body_terms)) &&
        *bq)
        st = rank_text(in, bq, strlen(bq), (unsigned)p->match_depth, &bp, &bh,
                       errmsg);
    /* untitled: the opening words, up to a sentence end, as a weak title */
    if (!title && out->read_as == SS_READ_UNTITLED && p->w_opening > 0) {
        size_t a, e;
        first_line(req->text, len, &a, &e);
        size_t words = 0, i = a;
        for (; i < e && words < (size_t)p->opening_words; i++) {
            if (strchr(".!?;:", req->text[i]))
                break;
            words += !isspace((unsigned char)req->text[i]) &&
                     (i == a || isspace((unsigned char)req->text[i - 1]));
        }
        while (i > a && !isspace((unsigned char)req->text[i - 1]) &&
               words >= (size_t)p->opening_words)
            i--; /* no half word */
        ss_params op = tp;
        op.spell = 0; /* a sentence's words are no misspelt title */
        op.w_meaning = 0;
        if (i > a)
            st = rank_text(in, req->text + a, i - a,
                           (unsigned)p->match_depth, &op, &th, errmsg);
    }
    uint32_t exact = UINT32_MAX;
    if (st == SS_OK && title && tlen)
        st = exact_title(&in, title, tlen, &exact);
    double *mention = NULL;
    if (st == SS_OK && out->read_as == SS_READ_UNTITLED && !req->title) {
        mention = calloc(in.concepts->nocc + 1, sizeof *mention);
        st = mention ? find_mentions(&in, p, &bt, mention) : SS_ERR_NOMEM;
    }
    if (st == SS_OK)
        st = ss_skills_link(&in, p, req->text, len, &all, out, &cap, errmsg);
    if (st == SS_OK && req->min_confidence > 0) {
        size_t k = 0;
        for (size_t i = 0; i < out->nskills; i++) {
            ss_skill_span *sp = &out->skills[i];
            if (sp->confidence >= req->min_confidence - 1e-9) {
                out->skills[k++] = *sp;
            } else {
                free(sp->uri), free(sp->label), free(sp->matched);
            }
        }
        out->nskills = k;
    }
    if (st == SS_OK)
        st = fuse(&in, p, &th, &bh, mention, out, exact,
                  req->limit ? req->limit : 10, &out->hits);
    free(mention);
    free(bq);
    ss_hits_free(&th);
    ss_hits_free(&bh);
    ss_terms_free(&all);
    if (st != SS_OK)
        ss_match_free(out);
    return st;
}

json_t *ss_match_to_json(const ss_match *m, const char *text, int features)
{
    json_t *skills = json_array();
    for (size_t i = 0; skills && i < m->nskills; i++) {
        const ss_skill_span *sp = &m->skills[i];
        double conf = round(sp->confidence * 100.0) / 100.0;
        json_t *o = json_pack(
            "{s:s, s:s, s:s, s:s, s:I, s:I, s:s%, s:f, s:s}", "uri", sp->uri,
            "id", ss_uri_id(sp->uri), "label", sp->label, "matched",
            sp->matched, "start", (json_int_t)sp->start, "end",
            (json_int_t)sp->end, "text", text + sp->start,
            sp->end - sp->start, "confidence", conf, "how",
            ss_skill_how_name(sp->how));
        if (o && features) {
            json_t *f = json_array();
            for (size_t k = 0; f && k < SS_SKILL_NFEAT; k++)
                json_array_append_new(f, json_real(sp->feat[k]));
            json_object_set_new(o, "features", f);
        }
        json_array_append_new(skills, o);
    }
    json_t *results = ss_hits_to_json(&m->hits);
    for (size_t i = 0; features && m->fusion && i < json_array_size(results);
         i++) {
        json_t *f = json_object();
        for (size_t k = 0; f && k < SS_FUSE_NFEAT; k++)
            json_object_set_new(f, ss_fusion_names[k],
                                json_real(m->fusion[i][k]));
        json_object_set_new(json_array_get(results, i), "fusion", f);
    }
    json_t *o = json_pack("{s:o, s:o, s:s}", "results", results, "skills",
                          skills,
                          "read_as", ss_read_as_name(m->read_as));
    if (o && m->title_end > m->title_start) /* where the title was read */
        json_object_set_new(
            o, "title",
            json_pack("{s:I, s:I, s:s%}", "start", (json_int_t)m->title_start,
                      "end", (json_int_t)m->title_end, "text",
                      text + m->title_start, m->title_end - m->title_start));
    return o;
}
