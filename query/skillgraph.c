#include "skillgraph.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hits_json.h"

static char *dup_col(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return strdup(s ? s : "");
}

static ss_status db_error(sqlite3 *cat, const char *what, char **errmsg)
{
    return ss_set_error(errmsg, SS_ERR_CORRUPT, "catalogue: %s: %s", what,
                        sqlite3_errmsg(cat));
}

static ss_status max_id(sqlite3 *cat, const char *table, size_t *n,
                        char **errmsg)
{
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) FROM %s", table);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(cat, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return db_error(cat, table, errmsg);
    }
    *n = (size_t)sqlite3_column_int64(st, 0) + 1;
    sqlite3_finalize(st);
    return SS_OK;
}

/* Fills nodes[id] from "SELECT id, uri, label, extra". */
static ss_status load_nodes(sqlite3 *cat, const char *sql, ss_sg_node *nodes,
                            size_t n, int extra_is_isco, char **errmsg)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(cat, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(cat, sql, errmsg);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        if (id <= 0 || (size_t)id >= n)
            continue;
        ss_sg_node *d = &nodes[id];
        char *extra = dup_col(st, 3);
        d->uri = dup_col(st, 1);
        d->label = dup_col(st, 2);
        d->isco = extra_is_isco ? extra : strdup("");
        d->reuse = extra_is_isco ? strdup("") : extra;
        if (!d->uri || !d->label || !d->isco || !d->reuse) {
            sqlite3_finalize(st);
            return SS_ERR_NOMEM;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SS_OK : db_error(cat, sql, errmsg);
}

typedef struct rel {
    uint32_t occ, skill; /* skill carries SS_SG_ESSENTIAL */
} rel;

/* CSR of rels keyed by key(r): off has n + 1 entries. */
static ss_status csr(const rel *r, size_t nr, size_t n, int by_occ,
                     uint32_t **off_out, uint32_t **val_out)
{
    uint32_t *off = calloc(n + 1, sizeof *off);
    uint32_t *val = malloc((nr ? nr : 1) * sizeof *val);
    if (!off || !val) {
        free(off);
        free(val);
        return SS_ERR_NOMEM;
    }
    for (size_t i = 0; i < nr; i++)
        off[(by_occ ? r[i].occ : SS_SG_ID(r[i].skill)) + 1]++;
    for (size_t i = 0; i < n; i++)
        off[i + 1] += off[i];
    uint32_t *fill = calloc(n, sizeof *fill);
    if (!fill) {
        free(off);
        free(val);
        return SS_ERR_NOMEM;
    }
    for (size_t i = 0; i < nr; i++) {
        uint32_t k = by_occ ? r[i].occ : SS_SG_ID(r[i].skill);
        uint32_t ess = r[i].skill & SS_SG_ESSENTIAL;
        val[off[k] + fill[k]++] = by_occ ? r[i].skill : (r[i].occ | ess);
    }
    free(fill);
    *off_out = off;
    *val_out = val;
    return SS_OK;
}

static ss_status load_rels(sqlite3 *cat, ss_skillgraph *g, char **errmsg)
{
    /* essential first within an occupation, then by skill number: the
     * order every list built from the graph starts from */
    static const char sql[] =
        "SELECT occupation_id, skill_id, essential FROM occupation_skill "
        "ORDER BY occupation_id, essential DESC, skill_id";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(cat, sql, -1, &st, NULL) != SQLITE_OK)
        return db_error(cat, "occupation_skill", errmsg);
    size_t n = 0, cap = 1024;
    rel *r = malloc(cap * sizeof *r);
    int rc = SQLITE_DONE;
    while (r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 o = sqlite3_column_int64(st, 0),
                      s = sqlite3_column_int64(st, 1);
        if (o <= 0 || (size_t)o >= g->nocc || !g->occ[o].uri || s <= 0 ||
            (size_t)s >= g->nskill || !g->skill[s].uri)
            continue; /* a relation to a concept the catalogue lacks */
        if (n == cap) {
            rel *nr = realloc(r, (cap *= 2) * sizeof *r);
            if (!nr) {
                free(r);
                r = NULL;
                break;
            }
            r = nr;
        }
        r[n].occ = (uint32_t)o;
        r[n++].skill =
            (uint32_t)s | (sqlite3_column_int(st, 2) ? SS_SG_ESSENTIAL : 0);
    }
    sqlite3_finalize(st);
    if (!r)
        return SS_ERR_NOMEM;
    if (rc != SQLITE_DONE) {
        free(r);
        return db_error(cat, "occupation_skill", errmsg);
    }
    ss_status s = csr(r, n, g->nocc, 1, &g->req_off, &g->req);
    if (s == SS_OK)
        s = csr(r, n, g->nskill, 0, &g->need_off, &g->need);
    free(r);
    if (s != SS_OK)
        return s;
    size_t nocc = 0;
    for (size_t o = 0; o < g->nocc; o++)
        nocc += g->occ[o].uri != NULL;
    if (!(g->idf = calloc(g->nskill, sizeof *g->idf)))
        return SS_ERR_NOMEM;
    for (size_t k = 0; k < g->nskill; k++)
        g->idf[k] = log((double)(nocc + 1) /
                        (double)(g->need_off[k + 1] - g->need_off[k] + 1)) +
                    1.0;
    return SS_OK;
}

static int by_id(const void *a, const void *b, void *ctx)
{
    const ss_skillgraph *g = ctx;
    return strcmp(ss_uri_id(g->skill[*(const uint32_t *)a].uri),
                  ss_uri_id(g->skill[*(const uint32_t *)b].uri));
}

static uint32_t skill_by_uri(const ss_skillgraph *g, const char *uri)
{
    uint32_t k = ss_skillgraph_find_skill(g, ss_uri_id(uri));
    return k && strcmp(g->skill[k].uri, uri) == 0 ? k : 0;
}

/* The id index, then the skill-to-skill hierarchy in both directions. */
static ss_status load_hierarchy(sqlite3 *cat, ss_skillgraph *g,
                                char **errmsg)
{
    if (!(g->skill_by_id = malloc(g->nskill * sizeof *g->skill_by_id)))
        return SS_ERR_NOMEM;
    for (uint32_t k = 1; k < g->nskill; k++)
        if (g->skill[k].uri)
            g->skill_by_id[g->nskill_by_id++] = k;
    qsort_r(g->skill_by_id, g->nskill_by_id, sizeof *g->skill_by_id, by_id,
            g);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(cat,
                           "SELECT uri, broader_uri FROM skill_broader "
                           "ORDER BY uri, broader_uri",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(cat, "skill_broader", errmsg);
    size_t n = 0, cap = 256;
    rel *r = malloc(cap * sizeof *r); /* occ: the key skill */
    int rc = SQLITE_DONE;
    while (r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *u = (const char *)sqlite3_column_text(st, 0);
        const char *b = (const char *)sqlite3_column_text(st, 1);
        uint32_t nk = u ? skill_by_uri(g, u) : 0;
        uint32_t bk = b ? skill_by_uri(g, b) : 0;
        if (!nk || !bk || nk == bk)
            continue; /* a group, or a skill the catalogue lacks */
        if (n + 2 > cap) {
            rel *nr = realloc(r, (cap *= 2) * sizeof *r);
            if (!nr) {
                free(r);
                r = NULL;
                break;
            }
            r = nr;
        }
        r[n++] = (rel){nk, bk | SS_SG_BROADER};
        r[n++] = (rel){bk, nk};
    }
    sqlite3_finalize(st);
    if (!r)
        return SS_ERR_NOMEM;
    if (rc != SQLITE_DONE) {
        free(r);
        return db_error(cat, "skill_broader", errmsg);
    }
    /* csr() keys by occ and stores skill, flags and all */
    ss_status s = csr(r, n, g->nskill, 1, &g->hier_off, &g->hier);
    free(r);
    return s;
}

uint32_t ss_skillgraph_find_skill(const ss_skillgraph *g, const char *id)
{
    if (strchr(id, '/'))
        return skill_by_uri(g, id);
    size_t lo = 0, hi = g->nskill_by_id;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ss_uri_id(g->skill[g->skill_by_id[mid]].uri), id);
        if (c == 0)
            return g->skill_by_id[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

ss_status ss_skillgraph_load(sqlite3 *cat, ss_skillgraph **out,
                             char **errmsg)
{
    ss_skillgraph *g = calloc(1, sizeof *g);
    if (!g)
        return SS_ERR_NOMEM;
    ss_status s = max_id(cat, "occupation", &g->nocc, errmsg);
    if (s == SS_OK)
        s = max_id(cat, "skill", &g->nskill, errmsg);
    if (s == SS_OK && (!(g->occ = calloc(g->nocc, sizeof *g->occ)) ||
                       !(g->skill = calloc(g->nskill, sizeof *g->skill))))
        s = SS_ERR_NOMEM;
    if (s == SS_OK)
        s = load_nodes(cat, "SELECT id, uri, label, isco FROM occupation",
                       g->occ, g->nocc, 1, errmsg);
    if (s == SS_OK)
        s = load_nodes(cat,
                       "SELECT id, uri, label, reuse_level FROM skill",
                       g->skill, g->nskill, 0, errmsg);
    if (s == SS_OK)
        s = load_rels(cat, g, errmsg);
    if (s == SS_OK)
        s = load_hierarchy(cat, g, errmsg);
    if (s != SS_OK) {
        ss_skillgraph_destroy(g);
        return s == SS_ERR_NOMEM ? ss_set_error(errmsg, s, "out of memory")
                                 : s;
    }
    *out = g;
    return SS_OK;
}

static void free_nodes(ss_sg_node *n, size_t count)
{
    for (size_t i = 0; n && i < count; i++) {
        free((char *)n[i].uri);
        free((char *)n[i].label);
        free((char *)n[i].isco);
        free((char *)n[i].reuse);
    }
    free(n);
}

void ss_skillgraph_destroy(ss_skillgraph *g)
{
    if (!g)
        return;
    free_nodes(g->occ, g->nocc);
    free_nodes(g->skill, g->nskill);
    free(g->req_off);
    free(g->req);
    free(g->need_off);
    free(g->need);
    free(g->idf);
    free(g->hier_off);
    free(g->hier);
    free(g->skill_by_id);
    free(g);
}

uint32_t ss_skillgraph_find_occ(const ss_skillgraph *g, const char *id)
{
    for (size_t o = 1; o < g->nocc; o++)
        if (g->occ[o].uri && (strcmp(ss_uri_id(g->occ[o].uri), id) == 0 ||
                              strcmp(g->occ[o].uri, id) == 0))
            return (uint32_t)o;
    return 0;
}

unsigned ss_isco_common(const char *a, const char *b)
{
    unsigned n = 0;
    while (n < 4 && a[n] && a[n] == b[n])
        n++;
    return n;
}
