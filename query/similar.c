#include "similar.h"

#include <stdlib.h>
#include <string.h>

#include "hits_json.h"

typedef struct cand {
    uint32_t occ;
    double score;
    unsigned common;
    const char *label;
} cand;

static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->common != y->common)
        return x->common > y->common ? -1 : 1;
    int c = strcmp(x->label, y->label);
    return c ? c : (x->occ < y->occ ? -1 : x->occ > y->occ);
}

static int by_rarity(const void *a, const void *b, void *ctx)
{
    const double *idf = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (idf[x] != idf[y])
        return idf[x] > idf[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Does occupation o list skill k as essential? Its list is short. */
static int has_essential(const ss_skillgraph *g, uint32_t o, uint32_t k)
{
    for (uint32_t i = g->req_off[o]; i < g->req_off[o + 1]; i++)
        if (g->req[i] == (k | SS_SG_ESSENTIAL))
            return 1;
    return 0;
}

static ss_status fill_lists(const ss_skillgraph *g, uint32_t from,
                            ss_similar_hit *h)
{
    size_t n = g->req_off[h->occ + 1] - g->req_off[h->occ];
    h->shared = malloc((n ? n : 1) * sizeof *h->shared);
    h->to_learn = malloc((n ? n : 1) * sizeof *h->to_learn);
    if (!h->shared || !h->to_learn)
        return SS_ERR_NOMEM;
    for (uint32_t i = g->req_off[h->occ]; i < g->req_off[h->occ + 1]; i++) {
        if (!(g->req[i] & SS_SG_ESSENTIAL))
            continue;
        uint32_t k = SS_SG_ID(g->req[i]);
        if (has_essential(g, from, k))
            h->shared[h->nshared++] = k;
        else
            h->to_learn[h->nto_learn++] = k;
    }
    qsort_r(h->shared, h->nshared, sizeof *h->shared, by_rarity, g->idf);
    qsort_r(h->to_learn, h->nto_learn, sizeof *h->to_learn, by_rarity,
            g->idf);
    return SS_OK;
}

ss_status ss_similar_find(const ss_skillgraph *g, uint32_t occ,
                          unsigned limit, ss_similar *out)
{
    memset(out, 0, sizeof *out);
    if (occ == 0 || occ >= g->nocc || !g->occ[occ].uri)
        return SS_ERR_INVALID;
    out->occ = occ;
    double *score = calloc(g->nocc, sizeof *score);
    cand *c = malloc(g->nocc * sizeof *c);
    if (!score || !c) {
        free(score);
        free(c);
        return SS_ERR_NOMEM;
    }
    for (uint32_t i = g->req_off[occ]; i < g->req_off[occ + 1]; i++) {
        if (!(g->req[i] & SS_SG_ESSENTIAL))
            continue;
        uint32_t k = SS_SG_ID(g->req[i]);
        for (uint32_t j = g->need_off[k]; j < g->need_off[k + 1]; j++)
            if (g->need[j] & SS_SG_ESSENTIAL)
                score[SS_SG_ID(g->need[j])] += g->idf[k];
    }
    size_t nc = 0;
    for (uint32_t o = 1; o < g->nocc; o++)
        if (o != occ && score[o] > 0)
            c[nc++] = (cand){o, score[o],
                             ss_isco_common(g->occ[o].isco, g->occ[occ].isco),
                             g->occ[o].label};
    free(score);
    if (nc)
        qsort(c, nc, sizeof *c, cand_cmp);
    if (limit == 0)
        limit = 10;
    size_t n = nc < limit ? nc : limit;
    ss_status st = SS_OK;
    if (n && !(out->hits = calloc(n, sizeof *out->hits)))
        st = SS_ERR_NOMEM;
    for (size_t i = 0; st == SS_OK && i < n; i++) {
        ss_similar_hit *h = &out->hits[out->nhits++];
        h->occ = c[i].occ;
        h->score = c[i].score;
        h->isco_common = c[i].common;
        st = fill_lists(g, occ, h);
    }
    free(c);
    if (st != SS_OK)
        ss_similar_free(out);
    return st;
}

void ss_similar_free(ss_similar *r)
{
    for (size_t i = 0; r && i < r->nhits; i++) {
        free(r->hits[i].shared);
        free(r->hits[i].to_learn);
    }
    if (r) {
        free(r->hits);
        r->hits = NULL;
        r->nhits = 0;
    }
}

static json_t *node_json(const ss_sg_node *n)
{
    return json_pack("{s:s, s:s, s:s}", "uri", n->uri, "id",
                     ss_uri_id(n->uri), "label", n->label);
}

static json_t *skills_json(const ss_skillgraph *g, const uint32_t *k,
                           size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, node_json(&g->skill[k[i]])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

json_t *ss_similar_to_json(const ss_skillgraph *g, const ss_similar *r)
{
    const ss_sg_node *o = &g->occ[r->occ];
    json_t *res = json_array();
    json_t *out = json_pack("{s:{s:s, s:s, s:s, s:s}, s:o}", "occupation",
                            "uri", o->uri, "id", ss_uri_id(o->uri), "label",
                            o->label, "isco", o->isco, "results", res);
    for (size_t i = 0; out && i < r->nhits; i++) {
        const ss_similar_hit *h = &r->hits[i];
        const ss_sg_node *n = &g->occ[h->occ];
        json_t *hit = json_pack(
            "{s:s, s:s, s:s, s:s, s:f, s:i, s:o, s:o}", "uri", n->uri, "id",
            ss_uri_id(n->uri), "label", n->label, "isco", n->isco, "score",
            h->score, "isco_common", (int)h->isco_common, "shared",
            skills_json(g, h->shared, h->nshared), "to_learn",
            skills_json(g, h->to_learn, h->nto_learn));
        if (json_array_append_new(res, hit) != 0 || !hit) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}
