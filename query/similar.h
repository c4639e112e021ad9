/* similar.h - occupations that share essential skills with one occupation.
 *
 * score(X, Y) = sum of idf(s) over the essential skills s that X and Y
 * both list as essential (rarity from skillgraph.h), so sharing a rare
 * skill counts more than sharing "communication". Ties go to the longer
 * common ISCO prefix, then to the label. Each result lists the shared
 * skills and the essential skills of Y that X lacks ("to move from X to
 * Y, learn ..."), rarest first.
 *
 * Measured on full ESCO en: 42.4% of top-5 neighbours share the ISCO unit
 * group (random pick 0.6%); normalising by the skill counts (cosine 42.0%,
 * weighted Jaccard 42.3%) did not help.
 *
 * @note ss_similar_free() frees the arrays; the struct may live on the
 * stack. Skill and occupation numbers index the graph's arrays, so a
 * result is read with the graph it came from.
 */
#ifndef SS_SIMILAR_H
#define SS_SIMILAR_H

#include <jansson.h>

#include "skillgraph.h"

typedef struct ss_similar_hit {
    uint32_t occ;
    double score;
    unsigned isco_common; /* ISCO digits shared with the given occupation */
    uint32_t *shared, *to_learn; /* skill numbers */
    size_t nshared, nto_learn;
} ss_similar_hit;

typedef struct ss_similar {
    uint32_t occ; /* the given occupation */
    ss_similar_hit *hits;
    size_t nhits;
} ss_similar;

/* Up to limit (1..100) occupations most like occ; none when occ has no
 * essential skill. SS_ERR_INVALID for an occ not in g; SS_ERR_NOMEM. */
ss_status ss_similar_find(const ss_skillgraph *g, uint32_t occ,
                          unsigned limit, ss_similar *out);
void ss_similar_free(ss_similar *r);

/* {"occupation": {...}, "results": [{"uri","id","label","isco","score",
 * "isco_common","shared":[{"uri","id","label"}],"to_learn":[...]}]}.
 * New reference; NULL when out of memory. */
json_t *ss_similar_to_json(const ss_skillgraph *g, const ss_similar *r);

#endif
