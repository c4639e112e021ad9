/* memindex.h - a compact inverted index for the ranking hot path.
 *
 * Xapian holds the full index (concept documents, spelling, metadata); this
 * file holds the same terms again as flat sorted arrays that are mmap'd and
 * scored in memory, because one query runs several BM25 passes (labels,
 * concepts, skills) and Xapian's per-search overhead (B-tree reads through
 * pread, ~0.4 ms a search here) dominated the latency.
 *
 * A memindex has documents 0..ndocs-1, each with a length and a concept
 * ordinal, and terms with posting lists sorted by document. Documents of
 * occupations come before documents of skills, so a kind is a docid range.
 *
 * Ownership: the builder owns everything until ss_memindex_builder_write();
 * ss_memindex_open() maps a file, ss_memindex_close() unmaps (NULL ok).
 * Borrowed pointers from lookups live until close.
 */
#ifndef SS_MEMINDEX_H
#define SS_MEMINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

typedef struct ss_memindex_builder ss_memindex_builder;
typedef struct ss_memindex ss_memindex;

ss_memindex_builder *ss_memindex_builder_create(void);
void ss_memindex_builder_destroy(ss_memindex_builder *b);

/* Starts document number `ndocs so far`; returns its id. len is its length
 * for BM25 (sum of tf), concept the concept ordinal, label the label's
 * number within the concept (0 preferred, then alternative, hidden) and
 * kind 'p', 'a', 'h' (labels) or 'c' (concepts). Documents must be added in docid order with terms after. */
ss_status ss_memindex_builder_doc(ss_memindex_builder *b, uint32_t concept,
                                  uint16_t label, uint8_t kind,
                                  uint32_t *docid);
/* Adds tf to term in the current document (its length grows by tf unless
 * nolen is set: bigrams and keys do not lengthen a document). */
ss_status ss_memindex_builder_term(ss_memindex_builder *b, const char *term,
                                   unsigned tf, int nolen);
ss_status ss_memindex_builder_write(ss_memindex_builder *b, const char *path,
                                    char **errmsg);

ss_status ss_memindex_open(const char *path, ss_memindex **out,
                           char **errmsg);
void ss_memindex_close(ss_memindex *m);

typedef struct ss_postings {
    const uint32_t *doc; /* sorted ascending */
    const uint16_t *tf;
    size_t n;
} ss_postings;

/* Postings of term (empty if absent). */
ss_postings ss_memindex_lookup(const ss_memindex *m, const char *term);
/* Restricts p to documents in [from, to). */
ss_postings ss_postings_range(ss_postings p, uint32_t from, uint32_t to);
/* 1 if doc is in p (binary search). */
int ss_postings_has(ss_postings p, uint32_t doc);

uint32_t ss_memindex_ndocs(const ss_memindex *m);
uint32_t ss_memindex_doclen(const ss_memindex *m, uint32_t doc);
uint32_t ss_memindex_concept(const ss_memindex *m, uint32_t doc);
uint16_t ss_memindex_label(const ss_memindex *m, uint32_t doc);
uint8_t ss_memindex_kind(const ss_memindex *m, uint32_t doc);
/* First document whose concept ordinal is >= concept (kind boundaries). */
uint32_t ss_memindex_first_doc(const ss_memindex *m, uint32_t concept);
/* Average length of documents [from, to). */
double ss_memindex_avglen(const ss_memindex *m, uint32_t from, uint32_t to);

#endif
