#include "suggest.h"

#include <stdlib.h>
#include <string.h>

#include "suggest_int.h"

/* ------------------------------------------------------------------ top k */

void ss_suggest_topk_offer(topk *t, const ss_suggest *sg, uint64_t rank,
                           uint32_t li)
{
    uint32_t ci = sg->l[li].concept;
    if (t->want && sg->c[ci].skill != t->want - 1)
        return;
    for (size_t i = 0; i < t->n; i++)
        if (sg->l[t->label[i]].concept == ci) {
            if (rank >= t->rank[i])
                return;
            memmove(&t->rank[i], &t->rank[i + 1],
                    (t->n - i - 1) * sizeof t->rank[0]);
            memmove(&t->label[i], &t->label[i + 1],
                    (t->n - i - 1) * sizeof t->label[0]);
            t->n--;
            break;
        }
    if (t->n == t->max && rank >= t->rank[t->n - 1])
        return;
    size_t pos = t->n < t->max ? t->n : t->n - 1;
    while (pos > 0 && t->rank[pos - 1] > rank) {
        t->rank[pos] = t->rank[pos - 1];
        t->label[pos] = t->label[pos - 1];
        pos--;
    }
    t->rank[pos] = rank;
    t->label[pos] = li;
    if (t->n < t->max)
        t->n++;
}

void ss_suggest_scan_range(const ss_suggest *sg, size_t lo, size_t hi,
                           topk *t)
{
    for (size_t i = lo; i < hi; i++)
        ss_suggest_topk_offer(t, sg, sg->k[i].rank, sg->k[i].label);
}

ss_status ss_suggest_build(sqlite3 *db, const char *lang, ss_suggest **out,
                           char **errmsg)
{
    ss_suggest *sg = calloc(1, sizeof *sg);
    if (!sg)
        return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    ss_status st = ss_analyzer_create(lang, NULL, &sg->an, errmsg);
    if (st == SS_OK)
        st = ss_suggest_load_table(
            sg, db, "SELECT uri, label, alt_labels FROM occupation", 0, errmsg);
    if (st == SS_OK)
        st = ss_suggest_load_table(
            sg, db, "SELECT uri, label, alt_labels FROM skill", 1, errmsg);
    if (st == SS_OK && (st = ss_suggest_build_keys(sg)) != SS_OK)
        ss_set_error(errmsg, st, "out of memory building suggestions");
    if (st != SS_OK) {
        ss_suggest_destroy(sg);
        return st;
    }
    *out = sg;
    return SS_OK;
}

void ss_suggest_destroy(ss_suggest *sg)
{
    if (!sg)
        return;
    for (size_t i = 0; i < sg->nc; i++) {
        free(sg->c[i].uri);
        free(sg->c[i].label);
    }
    for (size_t i = 0; i < sg->nl; i++) {
        free(sg->l[i].text);
        free(sg->l[i].norm);
    }
    for (size_t i = 0; i < sg->nw; i++) {
        free(sg->w[i].w);
        free(sg->w[i].cp);
    }
    for (size_t i = 0; i < sg->nhot; i++)
        free(sg->hot[i].prefix);
    free(sg->hot);
    free(sg->by2);
    free(sg->c);
    free(sg->l);
    free(sg->k);
    free(sg->w);
    ss_analyzer_destroy(sg->an);
    free(sg);
}

size_t ss_suggest_size(const ss_suggest *sg)
{
    return sg ? sg->nl : 0;
}

/* ---------------------------------------------------------------- lookup */

void ss_suggest_prefix_scan(const ss_suggest *sg, const char *q, topk *t)
{
    size_t lo = 0, hi = sg->nhot;
    while (lo < hi) { /* a hot prefix answers at once */
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(sg->hot[mid].prefix, q);
        /* hot answers mix both kinds: a filtered lookup scans the keys */
        if (c == 0 && t->max <= HOT_K && !t->want) {
            for (size_t i = 0; i < sg->hot[mid].n; i++)
                ss_suggest_topk_offer(t, sg, sg->hot[mid].rank[i],
                                      sg->hot[mid].label[i]);
            return;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t qlen = strlen(q);
    lo = 0, hi = sg->nk;
    while (lo < hi) { /* first key >= q */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(sg->k[mid].s, q) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (hi = lo; hi < sg->nk && strncmp(sg->k[hi].s, q, qlen) == 0; hi++)
        ;
    ss_suggest_scan_range(sg, lo, hi, t);
}

ss_status ss_suggest_lookup(const ss_suggest *sg, const char *q, size_t len,
                            ss_suggestion *out, size_t max, size_t *n)
{
    return ss_suggest_lookup_kind(sg, q, len, -1, out, max, n);
}

ss_status ss_suggest_lookup_kind(const ss_suggest *sg, const char *q,
                                 size_t len, int skill, ss_suggestion *out,
                                 size_t max, size_t *n)
{
    *n = 0;
    if (!ss_utf8_valid(q, len))
        return SS_ERR_INVALID;
    if (!sg || max == 0)
        return SS_OK;
    char *qn = NULL;
    ss_status st = ss_suggest_norm_words(sg->an, q, len, &qn);
    if (st != SS_OK)
        return st;
    topk t = {.max = max < MAX_RESULTS ? max : MAX_RESULTS,
              .want = (unsigned char)(skill < 0 ? 0 : 1 + !!skill)};
    if (*qn) {
        ss_suggest_prefix_scan(sg, qn, &t);
        if (t.n == 0)
            st = ss_suggest_typo_scan(sg, qn, &t);
    }
    free(qn);
    for (size_t i = 0; i < t.n; i++) {
        const label *l = &sg->l[t.label[i]];
        const concept *c = &sg->c[l->concept];
        out[i] = (ss_suggestion){l->text, c->label,
                                 c->skill ? "skill" : "occupation", c->uri,
                                 c->id};
    }
    *n = t.n;
    return st;
}
