/* rank.h - the ranking behind ss_searcher_search (search.c) and
 * ss_searcher_match (match.c): a query is analysed (analyse.c), each
 * signal's pass finds and scores candidates (signals.c, over bm25.c), the
 * signals are fused (rank.c) and the shown hits explained (explain.c).
 *
 * Internal to query/: callers outside use search.h and match.h.
 */
#ifndef SS_RANK_H
#define SS_RANK_H

#include <stddef.h>

#include "../core/concepts.h"
#include "../core/memindex.h"
#include "../core/text.h"
#include "../core/xapian_wrap.h"
#include "params.h"
#include "search.h"

/* Scratch space of one thread (score accumulators); reused per query.
 * Destroy accepts NULL. */
typedef struct ss_rank_ws ss_rank_ws;
ss_rank_ws *ss_rank_ws_create(void);
void ss_rank_ws_destroy(ss_rank_ws *ws);

/* Everything a ranking reads; all borrowed for the call. */
typedef struct ss_rank_input {
    ss_db *db;                      /* the Xapian index */
    const struct ss_speller *speller; /* its spelling dictionary */
    ss_analyzer *a;
    const ss_memindex *labels;      /* labels.mix */
    const ss_memindex *concepts_ix; /* concepts.mix */
    const ss_concepts *concepts;
    const struct ss_synonyms *synonyms; /* curated, may be NULL */
    const struct ss_titles *titles;     /* job-title word lists, or NULL */
    const struct ss_labelvec *vectors;  /* occupation label vectors, or NULL */
    struct ss_reranker *model[2];       /* learned ranker per kind, or NULL:
                                           the fused order stands */
    const struct ss_meaning *meaning;   /* title classifier, or NULL */
    ss_rank_ws *ws;
    /* average document length of [from, to) of m (cached by the caller) */
    double (*avglen)(void *ctx, const ss_memindex *m, uint32_t from,
                     uint32_t to);
    void *avg_ctx;
    const char *text;
    size_t len;
    ss_kind kind;
    const char *isco;      /* NULL: no filter */
    char skilltype, reuse; /* skill searches: a code of ss_skill_types /
                              ss_reuse_levels (concepts.h), 0: no filter */
    const ss_params *params; /* NULL: ss_params_get(kind) */
    const uint32_t *exclude; /* a label document to leave out (training
                                on ESCO's own labels), or NULL */
    unsigned explain;      /* explain only the first N hits (0: all) */
    uint32_t max_postings; /* BM25 skips a query term in more documents
                              (common words cost most and weigh least in
                              a sentence); 0: no limit */
    int lean;              /* 1: passes of weight 0 are not run (their
                              signal is 0); a learned model must then not
                              read them */
    unsigned offset, limit;
} ss_rank_input;

/* Facet counts over every concept the query matched: occupations by ISCO
 * major group (index = the digit), skills by type (SS_FACET_TYPE + the
 * row of ss_skill_types) and by reuse level (SS_FACET_REUSE + the row of
 * ss_reuse_levels). Each skill facet counts the skills that pass the
 * other filter, so that a chosen value still shows its alternatives. */
#define SS_FACET_TYPE 10
#define SS_FACET_REUSE (SS_FACET_TYPE + SS_NTYPES)
#define SS_NFACETS (SS_FACET_REUSE + SS_NREUSE)

/* Fills out (hits, total estimate, suggestion), and facets (if not NULL,
 * SS_NFACETS counters). */
ss_status ss_rank(const ss_rank_input *in, ss_hits *out, unsigned *facets,
                  char **errmsg);

/* For training the learned ranker: the first k candidates of the fused
 * order of in->kind (no model applied), their concept ordinals and their
 * features (*X: *n rows of ss_nfeatures). Both malloc'd (caller frees);
 * *n is 0 for a query with no searchable words. */
ss_status ss_rank_features(const ss_rank_input *in, size_t k,
                           uint32_t **concepts, float **X, size_t *n,
                           char **errmsg);

#endif
