/* search.c - the searcher: everything one thread opens from an index
 * generation (Xapian database, catalogue, posting arrays, synonyms, title
 * lists, shared label vectors), reloaded when INDEX points at a new one;
 * ss_searcher_search hands the query to the ranking (rank.h).
 */
#include "search.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/paths.h"
#include "../core/schema.h"
#include "../core/terms.h"
#include "../core/xapian_wrap.h"
#include "../core/memindex.h"
#include "../synonyms/synonyms.h"
#include "../core/concepts.h"
#include "../core/lang.h"
#include "../synonyms/labelvec.h"
#include "match.h"
#include "meaning.h"
#include "rerank.h"
#include "skillgraph.h"
#include "speller.h"
#include "searcher.h"
#include "titles.h"
#include "syntax.h"

/* Everything opened from one index generation. */
typedef struct parts {
    ss_db *db;
    ss_speller *speller; /* db's spelling dictionary, in memory */
    sqlite3 *cat;
    ss_analyzer *a;
    char *lang;
    ss_memindex *labels, *cix;
    ss_synonyms *syn;
    ss_titles *titles;
    ss_concepts concepts;
    const ss_labelvec *vec; /* optional (NULL: no vectors in the index) */
    ss_reranker *model[2];  /* optional learned rankers, per kind */
    ss_meaning *meaning;    /* optional title classifier */
    char *model_err;        /* why a model in the index was not loaded */
    ss_skillgraph *graph;   /* built on first use (career features) */
    unsigned doccount;
    /* average lengths per document range, computed once per generation */
    struct {
        const ss_memindex *m;
        uint32_t from, to;
        double avg;
    } avg[8];
    size_t navg;
} parts;

struct ss_searcher {
    char *index;
    char *gen;        /* readlink(index), "" for a plain directory */
    char *datadir;
    parts p;
    ss_rank_ws *ws;
    char *isco_label[10]; /* major group labels, for facets */
};

static double cached_avglen(void *ctx, const ss_memindex *m, uint32_t from,
                            uint32_t to)
{
    parts *p = ctx;
    for (size_t i = 0; i < p->navg; i++)
        if (p->avg[i].m == m && p->avg[i].from == from && p->avg[i].to == to)
            return p->avg[i].avg;
    double a = ss_memindex_avglen(m, from, to);
    if (p->navg < sizeof p->avg / sizeof p->avg[0]) {
        p->avg[p->navg].m = m;
        p->avg[p->navg].from = from;
        p->avg[p->navg].to = to;
        p->avg[p->navg++].avg = a;
    }
    return a;
}

static char *read_gen(const char *index)
{
    char buf[PATH_MAX];
    ssize_t n = readlink(index, buf, sizeof buf - 1);
    if (n < 0)
        return strdup("");
    buf[n] = '\0';
    return strdup(buf);
}

static void close_parts(parts *p)
{
    ss_db_destroy(p->db);
    ss_speller_destroy(p->speller);
    sqlite3_close(p->cat);
    ss_analyzer_destroy(p->a);
    free(p->lang);
    ss_memindex_close(p->labels);
    ss_memindex_close(p->cix);
    ss_synonyms_destroy(p->syn);
    ss_titles_destroy(p->titles);
    ss_concepts_free(&p->concepts);
    ss_labelvec_release(p->vec);
    ss_reranker_destroy(p->model[0]);
    ss_reranker_destroy(p->model[1]);
    ss_meaning_destroy(p->meaning);
    free(p->model_err);
    ss_skillgraph_destroy(p->graph);
    memset(p, 0, sizeof *p);
}

/* A model that does not load leaves the order without it and says why
 * (the first such message is kept); only want of memory stops the open.
 * Takes merr. */
static ss_status model_opened(parts *p, ss_status ms, char *merr)
{
    if (ms == SS_OK || ms == SS_ERR_NOMEM || p->model_err) {
        free(merr);
        return ms == SS_ERR_NOMEM ? ms : SS_OK;
    }
    p->model_err = merr ? merr : strdup(ss_strerror(ms));
    return SS_OK;
}

static ss_status open_parts(const ss_searcher *s, parts *p, char **errmsg)
{
    char *path = NULL, *stop = NULL, *cat = NULL;
    memset(p, 0, sizeof *p);
    if (asprintf(&path, "%s/xapian", s->index) < 0)
        return SS_ERR_NOMEM;
    ss_status st = ss_db_open(path, &p->db, errmsg);
    free(path);
    path = NULL;
    if (st == SS_OK)
        st = ss_db_doccount(p->db, &p->doccount, errmsg);
    if (st == SS_OK)
        st = ss_speller_build(p->db, &p->speller, errmsg);
    if (st == SS_OK)
        st = ss_db_get_metadata(p->db, SS_META_LANG, &p->lang, errmsg);
    if (st == SS_OK && !*p->lang) {
        free(p->lang);
        if (!(p->lang = strdup(SS_LANG_DEFAULT)))
            st = SS_ERR_NOMEM;
    }
    if (st == SS_OK && asprintf(&path, "%s/catalog.sqlite", s->index) < 0)
        st = SS_ERR_NOMEM;
    if (st == SS_OK &&
        sqlite3_open_v2(path, &p->cat,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        st = ss_set_error(errmsg, SS_ERR_CORRUPT, "%s: %s", path,
                          p->cat ? sqlite3_errmsg(p->cat) : "cannot open");
    if (st == SS_OK)
        st = ss_concepts_load(p->cat, &p->concepts, errmsg);
    free(path);
    path = NULL;
    if (st == SS_OK && asprintf(&path, "%s/" SS_FILE_LABELS, s->index) < 0)
        st = SS_ERR_NOMEM;
    if (st == SS_OK)
        st = ss_memindex_open(path, &p->labels, errmsg);
    free(path);
    path = NULL;
    if (st == SS_OK && asprintf(&path, "%s/" SS_FILE_CONCEPTS, s->index) < 0)
        st = SS_ERR_NOMEM;
    if (st == SS_OK)
        st = ss_memindex_open(path, &p->cix, errmsg);
    if (st == SS_OK && asprintf(&stop, "%s/stop", s->datadir) < 0)
        st = SS_ERR_NOMEM;
    if (st == SS_OK)
        st = ss_analyzer_create(p->lang, stop, &p->a, errmsg);
    free(path);
    free(stop);
    path = NULL;
    if (st == SS_OK && asprintf(&path, "%s/synonyms", s->datadir) < 0)
        st = SS_ERR_NOMEM;
    if (st == SS_OK)
        st = ss_synonyms_load(path, p->a, &p->syn, errmsg);
    free(path);
    path = NULL;
    if (st == SS_OK && asprintf(&path, "%s/titles", s->datadir) < 0)
        st = SS_ERR_NOMEM;
    if (st == SS_OK)
        st = ss_titles_load(path, p->a, &p->titles, errmsg);
    free(path);
    path = NULL;
    if (st == SS_OK && asprintf(&path, "%s/" SS_FILE_WORDVEC, s->index) < 0)
        st = SS_ERR_NOMEM;
    /* vectors are optional; a damaged file is still an error */
    if (st == SS_OK && access(path, F_OK) == 0 &&
        asprintf(&cat, "%s/catalog.sqlite", s->index) < 0)
        st = SS_ERR_NOMEM;
    if (st == SS_OK && cat)
        st = ss_labelvec_acquire(path, cat, p->a, &p->concepts, &p->vec,
                                 errmsg);
    free(cat);
    free(path);
    /* models are optional too; a damaged one leaves the fused order and
     * says why (ss_searcher_model_error) rather than taking search down */
    static const char *const models[2] = {SS_FILE_MODEL_OCC,
                                          SS_FILE_MODEL_SKILL};
    for (int k = 0; st == SS_OK && k < 2; k++) {
        path = NULL;
        if (asprintf(&path, "%s/%s", s->index, models[k]) < 0)
            st = SS_ERR_NOMEM;
        else if (access(path, F_OK) == 0) {
            char *merr = NULL;
            ss_status ms = ss_reranker_open(path, &p->model[k], &merr);
            st = model_opened(p, ms, merr);
        }
        free(path);
    }
    path = NULL;
    if (st == SS_OK &&
        asprintf(&path, "%s/" SS_FILE_MEANING_OCC, s->index) < 0)
        st = SS_ERR_NOMEM;
    else if (st == SS_OK && access(path, F_OK) == 0) {
        char *merr = NULL;
        ss_status ms = ss_meaning_open(path, &p->concepts, &p->meaning, &merr);
        st = model_opened(p, ms, merr);
    }
    free(path);
    if (st != SS_OK)
        close_parts(p);
    return st;
}

static void load_isco_labels(ss_searcher *s)
{
    for (int i = 0; i < 10; i++) {
        free(s->isco_label[i]);
        s->isco_label[i] = NULL;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->p.cat,
                           "SELECT code, label FROM isco_group"
                           " WHERE length(code) = 1",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        const char *label = (const char *)sqlite3_column_text(st, 1);
        if (code && code[0] >= '0' && code[0] <= '9' && label)
            s->isco_label[code[0] - '0'] = strdup(label);
    }
    sqlite3_finalize(st);
}

ss_status ss_searcher_open(const char *index, const char *datadir,
                           ss_searcher **out, char **errmsg)
{
    *out = NULL;
    /* a bad SKILLSEARCH_RANK fails every open, naming the item */
    ss_status pst = ss_params_init(errmsg);
    if (pst != SS_OK)
        return pst;
    ss_searcher *s = calloc(1, sizeof *s);
    if (!s)
        return SS_ERR_NOMEM;
    s->index = strdup(index);
    s->datadir = ss_data_dir(datadir);
    s->gen = read_gen(index);
    s->ws = ss_rank_ws_create();
    if (!s->index || !s->datadir || !s->gen || !s->ws) {
        ss_searcher_destroy(s);
        return SS_ERR_NOMEM;
    }
    ss_status st = open_parts(s, &s->p, errmsg);
    if (st != SS_OK) {
        ss_searcher_destroy(s);
        return st;
    }
    load_isco_labels(s);
    *out = s;
    return SS_OK;
}

ss_status ss_searcher_skillgraph(ss_searcher *s, const ss_skillgraph **out,
                                 char **errmsg)
{
    if (!s->p.graph) {
        ss_status st = ss_skillgraph_load(s->p.cat, &s->p.graph, errmsg);
        if (st != SS_OK)
            return st;
    }
    *out = s->p.graph;
    return SS_OK;
}

void ss_searcher_destroy(ss_searcher *s)
{
    if (!s)
        return;
    close_parts(&s->p);
    ss_rank_ws_destroy(s->ws);
    for (int i = 0; i < 10; i++)
        free(s->isco_label[i]);
    free(s->index);
    free(s->gen);
    free(s->datadir);
    free(s);
}

ss_status ss_searcher_reload(ss_searcher *s, int *changed, char **errmsg)
{
    if (changed)
        *changed = 0;
    char *gen = read_gen(s->index);
    if (!gen)
        return SS_ERR_NOMEM;
    if (!strcmp(gen, s->gen)) {
        free(gen);
        return SS_OK;
    }
    parts np;
    ss_status st = open_parts(s, &np, errmsg);
    if (st != SS_OK) {
        free(gen);
        return st;
    }
    close_parts(&s->p);
    s->p = np;
    free(s->gen);
    s->gen = gen;
    load_isco_labels(s);
    if (changed)
        *changed = 1;
    return SS_OK;
}

const char *ss_searcher_lang(const ss_searcher *s) { return s->p.lang; }
const char *ss_searcher_generation(const ss_searcher *s) { return s->gen; }
unsigned ss_searcher_doccount(const ss_searcher *s) { return s->p.doccount; }
void ss_searcher_counts(const ss_searcher *s, size_t *occupations,
                        size_t *skills)
{
    *occupations = s->p.concepts.nocc;
    *skills = s->p.concepts.n - s->p.concepts.nocc;
}
int ss_isco_valid(const char *v)
{
    size_t n = strspn(v, "0123456789");
    return n >= 1 && n <= 4 && !v[n];
}

const char *ss_searcher_model_error(const ss_searcher *s)
{
    return s->p.model_err;
}
int ss_searcher_has_model(const ss_searcher *s, ss_kind kind)
{
    return s->p.model[kind == SS_KIND_SKILL] != NULL;
}
sqlite3 *ss_searcher_catalog(ss_searcher *s) { return s->p.cat; }

/* ------------------------------------------------------------ results */

void ss_hits_free(ss_hits *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        ss_hit *x = &h->v[i];
        free(x->uri);
        free(x->label);
        free(x->type);
        free(x->isco);
        ss_strv_free(x->matched, x->nmatched);
        ss_strv_free(x->reasons, x->nreasons);
    }
    free(h->v);
    for (size_t i = 0; i < h->nfacets; i++) {
        free(h->facets[i].key);
        free(h->facets[i].label);
    }
    free(h->facets);
    free(h->suggestion);
    memset(h, 0, sizeof *h);
}

static ss_status add_facet(ss_hits *h, const char *dim, const char *key,
                           const char *label,
                           unsigned count)
{
    ss_facet *f = realloc(h->facets, (h->nfacets + 1) * sizeof *f);
    if (!f)
        return SS_ERR_NOMEM;
    h->facets = f;
    f[h->nfacets].dim = dim;
    f[h->nfacets].key = strdup(key);
    f[h->nfacets].label = strdup(label ? label : key);
    f[h->nfacets].count = count;
    h->nfacets++;
    return SS_OK;
}

/* Facet entries from the counters of ss_rank, in key order. */
static ss_status fill_facets(ss_searcher *s, const unsigned *counts,
                             ss_kind kind, ss_hits *h)
{
    for (int i = 1; kind == SS_KIND_OCC && i <= 10; i++) {
        int d = i % 10; /* 1..9, then 0 (armed forces) */
        char key[2] = {(char)('0' + d), 0};
        if (counts[d] &&
            add_facet(h, "isco", key, s->isco_label[d], counts[d]) != SS_OK)
            return SS_ERR_NOMEM;
    }
    for (int i = 0; kind == SS_KIND_SKILL && i < SS_NTYPES; i++)
        if (counts[SS_FACET_TYPE + i] &&
            add_facet(h, "skill_type", ss_skill_types[i].name, NULL,
                      counts[SS_FACET_TYPE + i]) != SS_OK)
            return SS_ERR_NOMEM;
    for (int i = 0; kind == SS_KIND_SKILL && i < SS_NREUSE; i++)
        if (counts[SS_FACET_REUSE + i] &&
            add_facet(h, "reuse", ss_reuse_levels[i].name, NULL,
                      counts[SS_FACET_REUSE + i]) != SS_OK)
            return SS_ERR_NOMEM;
    return SS_OK;
}

void ss_searcher_rank_input(ss_searcher *s, ss_rank_input *in)
{
    *in = (ss_rank_input){
        .db = s->p.db,
        .speller = s->p.speller,
        .a = s->p.a,
        .labels = s->p.labels,
        .concepts_ix = s->p.cix,
        .concepts = &s->p.concepts,
        .synonyms = s->p.syn,
        .titles = s->p.titles,
        .vectors = s->p.vec,
        .model = {s->p.model[0], s->p.model[1]},
        .meaning = s->p.meaning,
        .ws = s->ws,
        .avglen = cached_avglen,
        .avg_ctx = &s->p,
        .limit = 10,
    };
}

static int long_text(const char *t, size_t len)
{
    return ss_count_words(t, len, SS_TITLE_MAX_WORDS) > SS_TITLE_MAX_WORDS;
}

/* A pasted ad or CV section is read the way `match` reads it (titled or
 * untitled), not as one long job title. The ISCO filter and facets apply
 * to match's first SS_LONG_DEPTH occupations. */
#define SS_LONG_DEPTH 100
static ss_status search_long(ss_searcher *s, const ss_search_req *req,
                             size_t len, ss_hits *out, char **errmsg)
{
    ss_match m;
    ss_match_req mr = {.text = req->text, .len = len, .limit = SS_LONG_DEPTH,
                       .min_confidence = SS_MIN_CONFIDENCE_DEFAULT};
    ss_status st = ss_searcher_match(s, &mr, &m, errmsg);
    if (st != SS_OK)
        return st;
    ss_hits *h = &m.hits, drop = {0};
    if (!(drop.v = calloc(h->n + 1, sizeof *drop.v))) {
        ss_match_free(&m);
        return SS_ERR_NOMEM;
    }
    unsigned counts[SS_NFACETS] = {0}, limit = req->limit ? req->limit : 10;
    size_t k = 0, pass = 0, plen = req->isco ? strlen(req->isco) : 0;
    for (size_t i = 0; i < h->n; i++) { /* compacts in place: k <= i */
        ss_hit *x = &h->v[i];
        if (isdigit((unsigned char)x->isco[0]))
            counts[x->isco[0] - '0']++;
        if ((!plen || !strncmp(x->isco, req->isco, plen)) &&
            pass++ >= req->offset && k < limit)
            h->v[k++] = *x;
        else
            drop.v[drop.n++] = *x;
    }
    h->n = k;
    h->total_estimate = (unsigned)pass;
    ss_hits_free(&drop);
    *out = *h;
    m.hits = (ss_hits){0};
    ss_match_free(&m);
    if (req->facets && (st = fill_facets(s, counts, SS_KIND_OCC, out)) != SS_OK)
        ss_hits_free(out);
    return st;
}

ss_status ss_searcher_search(ss_searcher *s, const ss_search_req *req,
                             ss_hits *out, char **errmsg)
{
    if (req->syntax)
        return ss_syntax_search(s, req, out, errmsg);
    size_t len = req->len ? req->len : strlen(req->text);
    if (req->kind == SS_KIND_OCC && long_text(req->text, len))
        return search_long(s, req, len, out, errmsg);
    memset(out, 0, sizeof *out);
    ss_rank_input in;
    ss_searcher_rank_input(s, &in);
    in.text = req->text;
    in.len = req->len ? req->len : strlen(req->text);
    in.kind = req->kind;
    in.isco = req->isco;
    in.skilltype = req->skilltype;
    in.reuse = req->reuse;
    in.offset = req->offset;
    in.limit = req->limit ? req->limit : 10;
    unsigned counts[SS_NFACETS] = {0};
    ss_status st = ss_rank(&in, out, req->facets ? counts : NULL, errmsg);
    if (st == SS_OK && req->facets)
        st = fill_facets(s, counts, req->kind, out);
    if (st != SS_OK)
        ss_hits_free(out);
    return st;
}
