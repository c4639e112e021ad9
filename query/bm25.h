/* bm25.h - BM25 over the mmap'd posting arrays (core/memindex.h): weighted
 * term lists in, the best documents (or concepts) out.
 *
 * Internal to query/. Ownership: an ss_wlist owns its terms
 * (ss_wlist_free); ss_bm25_hits.v is malloc'd (caller frees). The
 * workspace is per thread and reused by every query.
 */
#ifndef SS_BM25_H
#define SS_BM25_H

#include <stddef.h>
#include <stdint.h>

#include "../core/memindex.h"
#include "rank.h"

/* A query for the in-memory index: prefixed terms with weights. A term
 * listed twice scores twice: the same as adding the weights. */
typedef struct ss_wlist {
    char **t;
    double *w;
    size_t n, cap;
} ss_wlist;

void ss_wlist_free(ss_wlist *l);
/* Adds prefix + term with weight w; a weight <= 0, or a term too long to
 * be indexed, adds nothing (SS_OK). SS_ERR_NOMEM leaves l as it was. */
ss_status ss_wlist_add(ss_wlist *l, const char *prefix, const char *term,
                       double w);

/* One hit of a pass: a concept, its score, and the document behind it. */
typedef struct ss_bm25_hit {
    uint32_t concept, doc;
    double w;
} ss_bm25_hit;

typedef struct ss_bm25_hits {
    ss_bm25_hit *v;
    size_t n;
    size_t matched; /* concepts that matched at all */
} ss_bm25_hits;

/* 1 if concept passes the rank input's ISCO prefix filter. */
int ss_isco_ok(const ss_rank_input *in, uint32_t concept);

/* BM25 (k1, b) of q over documents [from, to) of m, the best `depth`
 * sorted by score then concept. collapse: label spaces, where a concept
 * has several documents, keep each concept's best. facets (if not NULL,
 * SS_NFACETS counters) count every concept that matched. */
ss_status ss_bm25_score(const ss_rank_input *in, const ss_memindex *m,
                        uint32_t from, uint32_t to, const ss_wlist *q,
                        double k1, double b, int collapse, size_t depth,
                        unsigned *facets, ss_bm25_hits *out);

#endif
