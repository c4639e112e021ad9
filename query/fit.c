#include "fit.h"

#include <stdlib.h>
#include <string.h>

#include "hits_json.h"
#include "match.h"

static ss_status add_item(ss_fit *f, ss_fit_item it, char **errmsg)
{
    for (size_t i = 0; i < f->nprofile; i++)
        if (f->profile[i].skill == it.skill)
            return SS_OK;
    if (f->nprofile >= SS_FIT_MAX_SKILLS)
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "a profile holds at most %d skills",
                            SS_FIT_MAX_SKILLS);
    ss_fit_item *p = realloc(f->profile, (f->nprofile + 1) * sizeof *p);
    if (!p)
        return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    f->profile = p;
    p[f->nprofile++] = it;
    return SS_OK;
}

ss_status ss_fit_add_ids(const ss_skillgraph *g, ss_fit *f,
                         const char *const *ids, size_t n, char **errmsg)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t k = ss_skillgraph_find_skill(g, ids[i]);
        if (!k)
            return ss_set_error(errmsg, SS_ERR_NOT_FOUND,
                                "no skill with id '%.200s'", ids[i]);
        ss_status st = add_item(f, (ss_fit_item){k, 0, 0, 0, 1.0}, errmsg);
        if (st != SS_OK)
            return st;
    }
    return SS_OK;
}

ss_status ss_fit_add_text(ss_searcher *s, const ss_skillgraph *g, ss_fit *f,
                          const char *text, size_t len, char **errmsg)
{
    ss_match m = {0};
    /* an empty title: the whole text is body, every line searched */
    ss_match_req req = {.text = text, .len = len, .title = "", .limit = 1};
    ss_status st = ss_searcher_match(s, &req, &m, errmsg);
    for (size_t i = 0; st == SS_OK && i < m.nskills; i++) {
        /* a profile holds what the text names, not the ranker's guesses
         * of what a sentence implies */
        if (m.skills[i].how == SS_HOW_SENTENCE)
            continue;
        uint32_t k = ss_skillgraph_find_skill(g, m.skills[i].uri);
        if (k)
            st = add_item(f,
                          (ss_fit_item){k, 1, m.skills[i].start,
                                        m.skills[i].end,
                                        m.skills[i].confidence},
                          errmsg);
    }
    ss_match_free(&m);
    return st;
}

/* Per call: which skills the profile has, and which it reaches through
 * the hierarchy (near[k]: the profile skill, flag SS_SG_BROADER when that
 * skill is broader than k). */
typedef struct marks {
    uint8_t *has;
    uint32_t *near;
} marks;

static ss_status mark(const ss_skillgraph *g, const ss_fit *f, marks *m)
{
    m->has = calloc(g->nskill, 1);
    m->near = calloc(g->nskill, sizeof *m->near);
    if (!m->has || !m->near)
        return SS_ERR_NOMEM;
    for (size_t i = 0; i < f->nprofile; i++)
        m->has[f->profile[i].skill] = 1;
    for (size_t i = 0; i < f->nprofile; i++) {
        uint32_t p = f->profile[i].skill;
        for (uint32_t j = g->hier_off[p]; j < g->hier_off[p + 1]; j++) {
            uint32_t k = SS_SG_ID(g->hier[j]);
            /* hier[j] broader than p means p is narrower than k */
            if (!m->has[k] && !m->near[k])
                m->near[k] = p | (g->hier[j] & SS_SG_BROADER ? 0
                                                             : SS_SG_BROADER);
        }
    }
    return SS_OK;
}

static double req_weight(const ss_skillgraph *g, uint32_t e)
{
    return g->idf[SS_SG_ID(e)] * (e & SS_SG_ESSENTIAL ? 1.0
                                                      : SS_FIT_W_OPTIONAL);
}

/* coverage and use of o, and (lists != 0) its skill list */
static ss_status score_occ(const ss_skillgraph *g, const marks *m,
                           double profile_idf, uint32_t o, int lists,
                           ss_fit_occ *out)
{
    double total = 0, got = 0, used = 0;
    size_t n = g->req_off[o + 1] - g->req_off[o];
    memset(out, 0, sizeof *out);
    out->occ = o;
    if (lists && n && !(out->skills = calloc(n, sizeof *out->skills)))
        return SS_ERR_NOMEM;
    for (uint32_t i = g->req_off[o]; i < g->req_off[o + 1]; i++) {
        uint32_t k = SS_SG_ID(g->req[i]);
        double w = req_weight(g, g->req[i]);
        ss_fit_req_skill r = {k, (g->req[i] & SS_SG_ESSENTIAL) != 0,
                              SS_FIT_LACKS, 0, 0};
        total += w;
        if (m->has[k]) {
            got += w;
            used += g->idf[k];
            r.state = SS_FIT_HAS;
        } else if (m->near[k]) {
            got += SS_FIT_W_PARTIAL * w;
            r.state = SS_FIT_PARTIAL;
            r.via = SS_SG_ID(m->near[k]);
            r.via_broader = (m->near[k] & SS_SG_BROADER) != 0;
        }
        if (lists)
            out->skills[out->nskills++] = r;
    }
    out->coverage = total > 0 ? got / total : 0;
    out->use = profile_idf > 0 ? used / profile_idf : 0;
    out->score = out->coverage * out->use;
    return SS_OK;
}

static int by_score(const void *a, const void *b)
{
    const ss_fit_occ *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->coverage != y->coverage)
        return x->coverage > y->coverage ? -1 : 1;
    return x->occ < y->occ ? -1 : x->occ > y->occ;
}

static int by_need(const void *a, const void *b, void *ctx)
{
    const double *idf = ctx;
    const ss_fit_gap *x = a, *y = b;
    if (x->needed_by != y->needed_by)
        return x->needed_by > y->needed_by ? -1 : 1;
    if (idf[x->skill] != idf[y->skill])
        return idf[x->skill] > idf[y->skill] ? -1 : 1;
    return x->skill < y->skill ? -1 : x->skill > y->skill;
}

/* The essential skills the listed occupations lack, by how many need them. */
static ss_status gaps(const ss_skillgraph *g, ss_fit *f)
{
    unsigned *count = calloc(g->nskill, sizeof *count);
    ss_fit_gap *v = NULL;
    size_t n = 0;
    if (!count)
        return SS_ERR_NOMEM;
    for (size_t i = 0; i < f->nocc; i++)
        for (size_t j = 0; j < f->occs[i].nskills; j++) {
            const ss_fit_req_skill *r = &f->occs[i].skills[j];
            if (r->essential && r->state == SS_FIT_LACKS && !count[r->skill]++)
                n++;
        }
    if (n && !(v = malloc(n * sizeof *v))) {
        free(count);
        return SS_ERR_NOMEM;
    }
    size_t k = 0;
    for (uint32_t s = 1; s < g->nskill && k < n; s++)
        if (count[s])
            v[k++] = (ss_fit_gap){s, count[s]};
    free(count);
    if (n)
        qsort_r(v, n, sizeof *v, by_need, g->idf);
    f->gaps = v;
    f->ngaps = n < 10 ? n : 10;
    return SS_OK;
}

ss_status ss_fit_run(const ss_skillgraph *g, ss_fit *f, uint32_t occ,
                     unsigned limit, char **errmsg)
{
    if (!f->nprofile)
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "empty profile: no skill given, and none found "
                            "in the text");
    marks m = {0};
    ss_status st = mark(g, f, &m);
    double pidf = 0;
    for (size_t i = 0; i < f->nprofile; i++)
        pidf += g->idf[f->profile[i].skill];
    if (st == SS_OK && occ) {
        if (!(f->occs = calloc(1, sizeof *f->occs)))
            st = SS_ERR_NOMEM;
        else if ((st = score_occ(g, &m, pidf, occ, 1, f->occs)) == SS_OK)
            f->nocc = 1;
    } else if (st == SS_OK) {
        ss_fit_occ *all = calloc(g->nocc, sizeof *all);
        size_t n = 0;
        if (!all)
            st = SS_ERR_NOMEM;
        for (uint32_t o = 1; st == SS_OK && o < g->nocc; o++)
            if (g->occ[o].uri && g->req_off[o + 1] > g->req_off[o] &&
                score_occ(g, &m, pidf, o, 0, &all[n]) == SS_OK &&
                all[n].score > 0)
                n++;
        if (st == SS_OK && n)
            qsort(all, n, sizeof *all, by_score);
        if (limit == 0)
            limit = 10;
        size_t keep = n < limit ? n : limit;
        if (st == SS_OK && keep && !(f->occs = calloc(keep, sizeof *f->occs)))
            st = SS_ERR_NOMEM;
        for (size_t i = 0; st == SS_OK && i < keep; i++)
            if ((st = score_occ(g, &m, pidf, all[i].occ, 1,
                                &f->occs[i])) == SS_OK)
                f->nocc++;
        free(all);
        if (st == SS_OK)
            st = gaps(g, f);
    }
    free(m.has);
    free(m.near);
    return st == SS_ERR_NOMEM ? ss_set_error(errmsg, st, "out of memory") : st;
}

void ss_fit_free(ss_fit *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nocc; i++)
        free(f->occs[i].skills);
    free(f->occs);
    free(f->profile);
    free(f->gaps);
    memset(f, 0, sizeof *f);
}

static json_t *skill_ref(const ss_skillgraph *g, uint32_t k)
{
    const ss_sg_node *n = &g->skill[k];
    return json_pack("{s:s, s:s, s:s}", "uri", n->uri, "id",
                     ss_uri_id(n->uri), "label", n->label);
}

static const char *const STATE[] = {"has", "partial", "lacks"};

static json_t *occ_json(const ss_skillgraph *g, const ss_fit_occ *o)
{
    const ss_sg_node *n = &g->occ[o->occ];
    json_int_t cnt[2][3] = {{0}};
    json_t *skills = json_array();
    for (size_t i = 0; skills && i < o->nskills; i++) {
        const ss_fit_req_skill *r = &o->skills[i];
        cnt[r->essential][r->state]++;
        json_t *e = skill_ref(g, r->skill);
        int ok = e && json_object_set_new(e, "relation",
                                          json_string(r->essential
                                                          ? "essential"
                                                          : "optional")) == 0 &&
                 json_object_set_new(e, "status",
                                     json_string(STATE[r->state])) == 0 &&
                 json_object_set_new(e, "reuse_level",
                                     json_string(g->skill[r->skill].reuse)) ==
                     0;
        if (ok && r->state == SS_FIT_PARTIAL) {
            json_t *via = skill_ref(g, r->via);
            ok = via &&
                 json_object_set_new(via, "how",
                                     json_string(r->via_broader
                                                     ? "broader"
                                                     : "narrower")) == 0 &&
                 json_object_set_new(e, "via", via) == 0;
        }
        if (!ok || json_array_append_new(skills, e) != 0) {
            json_decref(skills);
            skills = NULL;
        }
    }
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:f, s:f, s:f, s:{s:I, s:I, s:I}, "
        "s:{s:I, s:I, s:I}, s:o}",
        "uri", n->uri, "id", ss_uri_id(n->uri), "label", n->label, "isco",
        n->isco, "coverage", o->coverage, "use", o->use, "score", o->score,
        "essential", "has", cnt[1][0], "partial", cnt[1][1], "lacks",
        cnt[1][2], "optional", "has", cnt[0][0], "partial", cnt[0][1],
        "lacks", cnt[0][2], "skills", skills);
}

json_t *ss_fit_to_json(const ss_skillgraph *g, const ss_fit *f,
                       const char *text)
{
    json_t *prof = json_array(), *res = json_array(), *gap = json_array();
    json_t *out = json_pack("{s:o, s:o, s:o}", "profile", prof, "results",
                            res, "gaps", gap);
    int ok = out != NULL;
    for (size_t i = 0; ok && i < f->nprofile; i++) {
        const ss_fit_item *it = &f->profile[i];
        json_t *e = skill_ref(g, it->skill);
        ok = e && json_object_set_new(e, "how",
                                      json_string(it->from_text ? "text"
                                                                : "given")) == 0;
        if (ok && it->from_text)
            ok = json_object_set_new(e, "start",
                                     json_integer((json_int_t)it->start)) ==
                     0 &&
                 json_object_set_new(e, "end",
                                     json_integer((json_int_t)it->end)) == 0 &&
                 json_object_set_new(e, "confidence",
                                     json_real(it->confidence)) == 0 &&
                 (!text ||
                  json_object_set_new(
                      e, "text",
                      json_stringn(text + it->start, it->end - it->start)) ==
                      0);
        ok = ok && json_array_append_new(prof, e) == 0;
    }
    for (size_t i = 0; ok && i < f->nocc; i++)
        ok = json_array_append_new(res, occ_json(g, &f->occs[i])) == 0 &&
             json_array_size(res) == i + 1;
    for (size_t i = 0; ok && i < f->ngaps; i++) {
        json_t *e = skill_ref(g, f->gaps[i].skill);
        ok = e &&
             json_object_set_new(e, "needed_by",
                                 json_integer(f->gaps[i].needed_by)) == 0 &&
             json_array_append_new(gap, e) == 0;
    }
    if (!ok) {
        json_decref(out);
        return NULL;
    }
    return out;
}
