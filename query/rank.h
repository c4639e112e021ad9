/* rank.h - the ranking behind ss_searcher_search (see search.c).
 *
 * Internal to query/: callers outside use search.h.
 */
#ifndef SS_RANK_H
#define SS_RANK_H

#include <stddef.h>

#include "../core/docmap.h"
#include "../core/text.h"
#include "../core/xapian_wrap.h"
#include "concepts.h"
#include "search.h"

typedef struct ss_rank_params {
    double w_label, w_concept;           /* fusion of the runs */
    double phrase;                       /* label run: adjacent pair boost */
    double key;                          /* label run: whole-label boost */
    double label_k1, label_b;            /* BM25 of the label run */
    double concept_k1, concept_b;        /* BM25 of the concept run */
    double spell;                        /* weight of spelling corrections */
    double head;                         /* extra weight of the head noun */
    double norm_label;                   /* 0: label run / best label, 1: / max possible */
    double w_skill;                      /* occupations: weight of the skill run */
    double skill_opt;                    /* an optional skill counts this much */
    double skill_min;                    /* skills below this share of the best are ignored */
    unsigned skill_depth;                /* skills taken from the skill run */
    double bigram;                       /* concept run: adjacent pair weight */
    unsigned depth;                      /* candidates taken from each run */
} ss_rank_params;

/* Defaults tuned on the dev sets; SKILLSEARCH_RANK="name=value,..."
 * overrides them (for tuning experiments only). */
const ss_rank_params *ss_rank_defaults(ss_kind kind);

typedef struct ss_rank_input {
    ss_db *db;
    ss_analyzer *a;
    const ss_docmap *map;
    const ss_concepts *concepts;
    const char *text;
    size_t len;
    ss_kind kind;
    const char *isco;      /* NULL: no filter */
    unsigned offset, limit;
    unsigned doccount;
} ss_rank_input;

/* Fills out (hits, total estimate, suggestion). If concept_q is not NULL
 * it receives the concept-run query (caller destroys) for facet counts. */
ss_status ss_rank(const ss_rank_input *in, ss_hits *out,
                  ss_query **concept_q, char **errmsg);

#endif
