/* rank.h - the ranking behind ss_searcher_search (see search.c).
 *
 * Internal to query/: callers outside use search.h.
 */
#ifndef SS_RANK_H
#define SS_RANK_H

#include <stddef.h>

#include "../core/memindex.h"
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
    double synonym;                      /* curated synonym expansions */
    double seniority;                    /* weight of seniority words */
    double w_vec;                        /* occupations: label-vector cosine */
    double vec_unseen;                   /* IDF of words in no label (x max) */
    double vec_norm;                     /* 1: text score / best before adding */
    double vec_floor;                    /* cosines below it count nothing */
    unsigned vec_depth;                  /* candidates taken by vector */
    unsigned depth;                      /* candidates taken from each run */
} ss_rank_params;

/* Defaults tuned on the dev sets; SKILLSEARCH_RANK="name=value,..."
 * overrides them (for tuning experiments only). */
const ss_rank_params *ss_rank_defaults(ss_kind kind);

/* Scratch space of one thread (score accumulators); reused per query. */
typedef struct ss_rank_ws ss_rank_ws;
ss_rank_ws *ss_rank_ws_create(void);
void ss_rank_ws_destroy(ss_rank_ws *ws);

typedef struct ss_rank_input {
    ss_db *db;                      /* spelling dictionary */
    ss_analyzer *a;
    const ss_memindex *labels;      /* labels.mix */
    const ss_memindex *concepts_ix; /* concepts.mix */
    const ss_concepts *concepts;
    const struct ss_synonyms *synonyms; /* curated, may be NULL */
    const struct ss_titles *titles;     /* job-title word lists, or NULL */
    const struct ss_labelvec *vectors;  /* occupation label vectors, or NULL */
    ss_rank_ws *ws;
    /* average document length of [from, to) of m (cached by the caller) */
    double (*avglen)(void *ctx, const ss_memindex *m, uint32_t from,
                     uint32_t to);
    void *avg_ctx;
    const char *text;
    size_t len;
    ss_kind kind;
    const char *isco;      /* NULL: no filter */
    const ss_rank_params *params; /* NULL: ss_rank_defaults(kind) */
    unsigned explain;      /* explain only the first N hits (0: all) */
    unsigned offset, limit;
    unsigned doccount;
} ss_rank_input;

/* The searcher's handles as a rank input (text, kind, paging unset). */
void ss_searcher_rank_input(ss_searcher *s, ss_rank_input *in);

/* Facet counts over every concept the query matched: occupations by ISCO
 * major group (index = the digit), skills by type (SS_FACET_KNOWLEDGE,
 * SS_FACET_SKILL). */
#define SS_FACET_KNOWLEDGE 10
#define SS_FACET_SKILL 11
#define SS_NFACETS 12

/* Fills out (hits, total estimate, suggestion), and facets (if not NULL,
 * SS_NFACETS counters). */
ss_status ss_rank(const ss_rank_input *in, ss_hits *out, unsigned *facets,
                  char **errmsg);

#endif
