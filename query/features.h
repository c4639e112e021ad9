/* features.h - what the learned ranker sees of each (query, candidate)
 * pair: one row per feature in ss_features[], with the function that
 * computes it. Training (learn/) and serving (rerank.c) call the same
 * ss_features_fill, so the two cannot drift apart; the names are stored
 * in every model and checked when it is loaded.
 *
 * Internal to query/ and learn/.
 */
#ifndef SS_FEATURES_H
#define SS_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "analyse.h"
#include "signals.h"

/* skills of the skill ranking whose text text_cover reads */
#define SS_FEAT_SKILLS 10

/* What every feature of one query may read, computed once per query. */
typedef struct ss_feat_query {
    const ss_rank_input *in;
    const ss_qwords *w;
    const ss_ranked *r;
    const ss_ranked *skills; /* occupations: the skill ranking, or NULL */
    ss_postings *words;  /* label postings of each used word (w->use) */
    ss_postings *text;   /* concept-text postings of each used word */
    double *idf;         /* their idf in the label space */
    uint64_t skill_mask[SS_FEAT_SKILLS]; /* used words in each best
                                            skill's text */
    size_t nskill;
    ss_postings head;    /* label postings of the head word */
    double top;          /* the first candidate's score */
    unsigned punct;      /* the text has list syntax: , ( / & */
    float best_cover;    /* the best share of the query any candidate's
                            label covers: does a label say it all? */
    float skill_cover;   /* ... that the best skills' labels cover: is it
                            a list of skills? */
} ss_feat_query;

typedef struct ss_feature {
    const char *name;
    float (*fn)(const ss_feat_query *q, size_t rank, const ss_cand *c);
} ss_feature;

extern const ss_feature ss_features[];
extern const size_t ss_nfeatures;

/* Fills X (n rows of ss_nfeatures floats) for the first n candidates of
 * r. SS_ERR_NOMEM only. */
ss_status ss_features_fill(const ss_rank_input *in, const ss_qwords *w,
                           const ss_ranked *r, const ss_ranked *skills,
                           size_t n, float *X);

/* "name,name,..." of the table (malloc'd), as stored in a model. */
char *ss_features_names(void);

#endif
