/* signals.h - the ranking signals: one row each in ss_signals[], with the
 * pass that finds and scores candidates, its weight parameter (params.h)
 * and how a hit found by it is explained (explain.c).
 *
 * score = sum of weight x value over the SS_STAGE_FUSE signals; when an
 * SS_STAGE_NORM signal is active, that sum is divided by its best over
 * the candidates and the SS_STAGE_NORM signals are added. SS_STAGE_MODEL
 * signals are added to the order the learned ranker leaves (ss_rank),
 * which they must not feed: their candidates join it there.
 * Adding a signal: a row here, its pass (and fill, if its value is known
 * only once every candidate is in), its explain function and its weight
 * in SS_PARAMS.
 *
 * Internal to query/. Ownership: ss_cands_free() frees the array; the
 * pass context borrows everything it points to for one ranking.
 */
#ifndef SS_SIGNALS_H
#define SS_SIGNALS_H

#include <stddef.h>
#include <stdint.h>

#include "analyse.h"
#include "rank.h"

/* Table order is explanation order; passes run in table order, stage
 * by stage. */
enum {
    SS_SIG_LABEL,
    SS_SIG_CONCEPT,
    SS_SIG_VECTOR,
    SS_SIG_SKILL,
    SS_SIG_EXACT,
    SS_SIG_MEANING,
    SS_NSIG
};

enum { SS_STAGE_FUSE, SS_STAGE_NORM, SS_STAGE_MODEL };

typedef struct ss_cand {
    uint32_t concept;
    unsigned found;        /* bit (1 << signal) per pass that found it */
    double sig[SS_NSIG];   /* each signal's value */
    uint32_t ev[SS_NSIG];  /* each signal's evidence: label document
                              (label), label index (vector), skill |
                              SS_NEED_ESSENTIAL (skill) */
    float cosine;          /* vector: the best label cosine */
    double score;
} ss_cand;

typedef struct ss_cands {
    ss_cand *v;
    size_t n, cap;
} ss_cands;

/* A new zeroed candidate for concept, found by signal sig; NULL: no
 * memory. The pointer is valid until the next add. */
ss_cand *ss_cands_add(ss_cands *c, uint32_t concept, int sig);
void ss_cands_free(ss_cands *c);

/* A ranking of one kind: candidates sorted by score. */
typedef struct ss_ranked {
    ss_cand *c;
    size_t n;
    unsigned estimate;
} ss_ranked;

typedef struct ss_pass_ctx {
    const ss_rank_input *in;
    const ss_params *p;
    const ss_qwords *w;
    ss_kind kind;
    unsigned depth;           /* candidates per pass */
    const ss_ranked *skills;  /* occupations: the skill ranking, or NULL */
    unsigned *facets;         /* NULL: not wanted */
    unsigned estimate;        /* most concepts any pass matched */
    float *sim;               /* vector: cosine per occupation */
    uint16_t *slabel;         /* vector: its label */
} ss_pass_ctx;

typedef struct ss_signal {
    const char *name;
    size_t weight;   /* offsetof(ss_params, the signal's weight) */
    int stage;       /* SS_STAGE_*: when it is added */
    /* appends the candidates it finds, with their value; *active = 0
     * when the signal has nothing to say about this query */
    ss_status (*pass)(ss_pass_ctx *ctx, ss_cands *out, int *active);
    /* once candidates are merged: the value of every one (NULL: the pass
     * set it) */
    void (*fill)(const ss_pass_ctx *ctx, ss_cand *c);
    /* appends the reasons for hit h found by this signal */
    ss_status (*explain)(const ss_rank_input *in, const ss_cand *c,
                         ss_hit *h);
} ss_signal;

extern const ss_signal ss_signals[SS_NSIG];

/* Frees what the passes of ctx kept for fill. */
void ss_pass_ctx_free(ss_pass_ctx *ctx);

#endif
