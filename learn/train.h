/* train.h - trains the learned ranker (query/rerank.h) of one kind.
 *
 * Training queries come from labelled JSON lines ({"query": ...,
 * "gold": [URI, ...]}) and from ESCO itself: preferred labels as queries
 * for their concept, alternative and hidden labels with their own label
 * document left out (else every one would be an exact match). Each query
 * runs the fused ranking of the index; its first `depth` candidates with
 * their features (query/features.h, the code serving uses) are one group,
 * relevant where the concept is gold. Groups whose gold is not among the
 * candidates teach nothing and are dropped. XGBoost (LambdaMART,
 * rank:ndcg) learns on one thread with fixed seeds, so the same inputs
 * give the same model file, byte for byte.
 *
 * With `meaning` set it trains the title classifier instead, on the
 * same queries: fastText, supervised, one thread, a fixed seed.
 *
 * Ownership: everything in ss_train_opts is borrowed for the call.
 */
#ifndef SS_TRAIN_H
#define SS_TRAIN_H

#include <stddef.h>

#include "../core/fasttext_wrap.h"
#include "../core/progress.h"
#include "../query/search.h"

/* ESCO queries: labels, and (occupations) the labels of two of an
 * occupation's rarest essential skills, as a job seeker types what they
 * can do ("wire bonding cleanroom") */
enum { SS_TRAIN_PREFERRED = 1, SS_TRAIN_ALTERNATIVE = 2,
       SS_TRAIN_HIDDEN = 4, SS_TRAIN_SKILLS = 8 };

typedef struct ss_train_opts {
    ss_searcher *s;        /* an index built without a model */
    ss_kind kind;
    const char *const *files; /* labelled JSON lines */
    size_t nfiles;
    unsigned labels;       /* SS_TRAIN_* bits: ESCO labels as queries */
    unsigned label_every;  /* take every Nth ESCO label query (1: all) */
    double esco_weight;    /* weight of an ESCO query against a labelled
                              one (0: 1) */
    unsigned depth;        /* candidates per query */
    unsigned rounds;       /* boosting rounds */
    unsigned max_depth;    /* of each tree */
    int meaning;           /* 1: the title classifier (query/meaning.h)
                              instead: the same queries, each one line
                              of its words and its first gold concept,
                              in an order shuffled with a fixed seed */
    ss_ft_train_opts ft;   /* its fastText settings */
    const char *out;       /* model file written */
    ss_progress *progress; /* NULL: quiet */
} ss_train_opts;

typedef struct ss_train_stats {
    size_t queries, used, rows;  /* read, with gold among candidates, rows */
    double gold_at_1;            /* share of used queries whose gold is
                                    first before training */
    double seconds;
    double *gain;  /* rankers: each feature's share of the split gain
                      (ss_features order), malloc'd: the caller frees it,
                      also on error; NULL for the title classifier */
} ss_train_stats;

/* Errors name the file and line of a bad query, or XGBoost's message. */
ss_status ss_train(const ss_train_opts *o, ss_train_stats *stats,
                   char **errmsg);

#endif
