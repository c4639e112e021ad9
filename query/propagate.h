/* propagate.h - skills found -> the occupations that need them.
 *
 * A skill found with strength s adds s x log(1 + occupations / occupations
 * needing it) x (1 if essential, else opt) to each occupation needing it,
 * so transversal skills count little. Used by the skill signal of search
 * (skills the query names) and by match (skills found in a text).
 *
 * Ownership: ss_propagation_free() frees the arrays (the struct may live
 * on the stack).
 */
#ifndef SS_PROPAGATE_H
#define SS_PROPAGATE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/concepts.h"

typedef struct ss_propagation {
    double *acc;       /* per occupation: the sum of what skills added */
    double *bestv;     /* per occupation: the largest single addition */
    uint32_t *best;    /* its skill, | SS_NEED_ESSENTIAL if essential */
    uint32_t *touched; /* occupations reached, in the order first reached */
    size_t ntouched;
    double max;        /* the largest acc */
} ss_propagation;

ss_status ss_propagation_init(ss_propagation *p, size_t nocc);
void ss_propagation_free(ss_propagation *p);

/* Adds skill (a concept ordinal; anything else is ignored) with strength
 * s. keep (NULL: every occupation) filters the occupations reached. */
void ss_propagate_skill(ss_propagation *p, const ss_concepts *cs,
                        uint32_t skill, double s, double opt,
                        int (*keep)(const void *ctx, uint32_t occ),
                        const void *ctx);

#endif
