#include "propagate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

ss_status ss_propagation_init(ss_propagation *p, size_t nocc)
{
    memset(p, 0, sizeof *p);
    p->acc = calloc(nocc + 1, sizeof *p->acc);
    p->bestv = calloc(nocc + 1, sizeof *p->bestv);
    p->best = calloc(nocc + 1, sizeof *p->best);
    p->touched = malloc((nocc + 1) * sizeof *p->touched);
    if (!p->acc || !p->bestv || !p->best || !p->touched) {
        ss_propagation_free(p);
        return SS_ERR_NOMEM;
    }
    return SS_OK;
}

void ss_propagation_free(ss_propagation *p)
{
    free(p->acc);
    free(p->bestv);
    free(p->best);
    free(p->touched);
    memset(p, 0, sizeof *p);
}

void ss_propagate_skill(ss_propagation *p, const ss_concepts *cs,
                        uint32_t skill, double s, double opt,
                        int (*keep)(const void *ctx, uint32_t occ),
                        const void *ctx)
{
    if (skill < cs->nocc || skill >= cs->n)
        return;
    size_t k = skill - cs->nocc;
    size_t from = cs->need_off[k], to = cs->need_off[k + 1];
    if (to == from)
        return;
    double idf = log(1.0 + (double)cs->nocc / (double)(to - from));
    for (size_t j = from; j < to; j++) {
        uint32_t o = cs->need[j] & ~SS_NEED_ESSENTIAL;
        int ess = (cs->need[j] & SS_NEED_ESSENTIAL) != 0;
        if (keep && !keep(ctx, o))
            continue;
        double add = s * idf * (ess ? 1.0 : opt);
        if (p->acc[o] == 0)
            p->touched[p->ntouched++] = o;
        p->acc[o] += add;
        if (p->acc[o] > p->max)
            p->max = p->acc[o];
        if (add > p->bestv[o]) {
            p->bestv[o] = add;
            p->best[o] = skill | (ess ? SS_NEED_ESSENTIAL : 0);
        }
    }
}
