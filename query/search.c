/* search.c - ranking of free text against occupations and skills.
 *
 * Two Xapian runs are fused per query:
 *   label run   - against one small document per label (preferred, alt,
 *                 hidden), collapsed per concept: the best label wins. It
 *                 rewards labels the query covers well, and whole labels or
 *                 phrases found verbatim in the query (label keys).
 *   concept run - against one document per concept with every field under
 *                 its own prefix, each field weighted (labels far above
 *                 descriptions), so descriptions and skills still count.
 * score = W_LABEL * label/max(label) + W_CONCEPT * concept/max(concept)
 * Both runs share the analyser of the indexer (core/terms.h).
 */
#include "search.h"

#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/paths.h"
#include "../core/schema.h"
#include "../core/terms.h"
#include "../core/xapian_wrap.h"
#include "../core/docmap.h"
#include "concepts.h"
#include "rank.h"

/* Everything opened from one index generation. */
typedef struct parts {
    ss_db *db;
    sqlite3 *cat;
    ss_analyzer *a;
    char *lang;
    ss_docmap map;
    ss_concepts concepts;
    unsigned doccount;
} parts;

struct ss_searcher {
    char *index;
    char *gen;        /* readlink(index), "" for a plain directory */
    char *datadir;
    parts p;
    char *isco_label[10]; /* major group labels, for facets */
};

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
    sqlite3_close(p->cat);
    ss_analyzer_destroy(p->a);
    free(p->lang);
    ss_docmap_free(&p->map);
    ss_concepts_free(&p->concepts);
    memset(p, 0, sizeof *p);
}

static ss_status open_parts(const ss_searcher *s, parts *p, char **errmsg)
{
    char *path = NULL, *stop = NULL;
    memset(p, 0, sizeof *p);
    if (asprintf(&path, "%s/xapian", s->index) < 0)
        return SS_ERR_NOMEM;
    ss_status st = ss_db_open(path, &p->db, errmsg);
    free(path);
    path = NULL;
    if (st == SS_OK)
        st = ss_db_doccount(p->db, &p->doccount, errmsg);
    if (st == SS_OK)
        st = ss_db_get_metadata(p->db, SS_META_LANG, &p->lang, errmsg);
    if (st == SS_OK && !*p->lang) {
        free(p->lang);
        p->lang = strdup("en");
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
    if (st == SS_OK && asprintf(&path, "%s/docmap.bin", s->index) < 0)
        st = SS_ERR_NOMEM;
    if (st == SS_OK)
        st = ss_docmap_read(&p->map, path, errmsg);
    if (st == SS_OK && asprintf(&stop, "%s/stop", s->datadir) < 0)
        st = SS_ERR_NOMEM;
    if (st == SS_OK)
        st = ss_analyzer_create(p->lang, stop, &p->a, errmsg);
    free(path);
    free(stop);
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
    ss_searcher *s = calloc(1, sizeof *s);
    if (!s)
        return SS_ERR_NOMEM;
    s->index = strdup(index);
    s->datadir = ss_data_dir(datadir);
    s->gen = read_gen(index);
    if (!s->index || !s->datadir || !s->gen) {
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

void ss_searcher_destroy(ss_searcher *s)
{
    if (!s)
        return;
    close_parts(&s->p);
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
void *ss_searcher_catalog(ss_searcher *s) { return s->p.cat; }

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

static ss_status add_facet(ss_hits *h, const char *key, const char *label,
                           unsigned count)
{
    ss_facet *f = realloc(h->facets, (h->nfacets + 1) * sizeof *f);
    if (!f)
        return SS_ERR_NOMEM;
    h->facets = f;
    f[h->nfacets].key = strdup(key);
    f[h->nfacets].label = strdup(label ? label : key);
    f[h->nfacets].count = count;
    h->nfacets++;
    return SS_OK;
}

/* Exact match counts for each group of the ranked query. */
static ss_status fill_facets(ss_searcher *s, const ss_query *q, ss_kind kind,
                             ss_hits *h, char **errmsg)
{
    static const char *sktypes[] = {"knowledge", "skill/competence"};
    size_t n = kind == SS_KIND_OCC ? 10 : 2;
    ss_search_opts o;
    ss_search_opts_init(&o);
    o.limit = 0;
    o.check_at_least = s->p.doccount;
    for (size_t i = 0; i < n; i++) {
        char term[64], key[32];
        if (kind == SS_KIND_OCC) {
            snprintf(key, sizeof key, "%zu", (i + 1) % 10);
            snprintf(term, sizeof term, "%s%s", SS_PFX_ISCO, key);
        } else {
            snprintf(key, sizeof key, "%s", sktypes[i]);
            snprintf(term, sizeof term, "%s%s", SS_PFX_SKTYPE, key);
        }
        ss_query *t = ss_query_term(term, 1, 0);
        ss_query *pair[2] = {(ss_query *)q, t};
        ss_query *f = ss_query_combine(SS_OP_FILTER, pair, 2, 0);
        ss_results *r = NULL;
        ss_status st = f ? ss_db_search(s->p.db, f, &o, &r, errmsg)
                         : SS_ERR_NOMEM;
        unsigned cnt = st == SS_OK ? ss_results_estimate(r) : 0;
        ss_results_destroy(r);
        ss_query_destroy(t);
        ss_query_destroy(f);
        if (st != SS_OK)
            return st;
        if (cnt && add_facet(h,
                             key,
                             kind == SS_KIND_OCC
                                 ? s->isco_label[key[0] - '0']
                                 : key,
                             cnt) != SS_OK)
            return SS_ERR_NOMEM;
    }
    return SS_OK;
}

ss_status ss_searcher_search(ss_searcher *s, const ss_search_req *req,
                             ss_hits *out, char **errmsg)
{
    memset(out, 0, sizeof *out);
    size_t len = req->len ? req->len : strlen(req->text);
    ss_rank_input in = {
        .db = s->p.db,
        .a = s->p.a,
        .map = &s->p.map,
        .concepts = &s->p.concepts,
        .text = req->text,
        .len = len,
        .kind = req->kind,
        .isco = req->isco,
        .offset = req->offset,
        .limit = req->limit ? req->limit : 10,
        .doccount = s->p.doccount,
    };
    ss_query *concept_q = NULL;
    ss_status st = ss_rank(&in, out, req->facets ? &concept_q : NULL, errmsg);
    if (st == SS_OK && req->facets && concept_q)
        st = fill_facets(s, concept_q, req->kind, out, errmsg);
    ss_query_destroy(concept_q);
    if (st != SS_OK)
        ss_hits_free(out);
    return st;
}
