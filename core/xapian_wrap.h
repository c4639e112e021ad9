/* xapian_wrap.h - the C face of Xapian; the only C++ lives in xapian_wrap.cc.
 *
 * Every exported function catches Xapian::Error, std::bad_alloc and (...):
 * no exception crosses into C. Functions returning ss_status hand back a
 * malloc'd message through errmsg (see status.h). Constructors that can only
 * fail for lack of memory return NULL instead.
 *
 * Threads: a handle may be used by one thread at a time. Give each worker
 * thread its own ss_db (Xapian database objects are not thread-safe).
 *
 * Ownership:
 *   - every *_create / *_open result is freed with the matching *_destroy;
 *     all *_destroy functions accept NULL.
 *   - strings returned through `char **` are malloc'd; caller free()s them.
 *   - `const char *` returned by accessors are borrowed: valid until the
 *     owning handle is destroyed (noted per function).
 */
#ifndef SS_XAPIAN_WRAP_H
#define SS_XAPIAN_WRAP_H

#include <stddef.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ss_writer ss_writer;   /* a writable index */
typedef struct ss_doc ss_doc;         /* a document being built */
typedef struct ss_db ss_db;           /* a read-only index */
typedef struct ss_query ss_query;     /* an immutable query tree */
typedef struct ss_results ss_results; /* one page of ranked results */
typedef struct ss_stemmer ss_stemmer; /* a Snowball stemmer */

/* ---------------------------------------------------------------- stemmer */

/* lang: ISO 639-1 code ("en", "fr", "nl", ...) or a Snowball name ("english").
 * SS_ERR_INVALID if Xapian has no stemmer for it. */
ss_status ss_stemmer_create(const char *lang, ss_stemmer **out, char **errmsg);
void ss_stemmer_destroy(ss_stemmer *st);

/* Stems `word` (len bytes, normalised lower-case UTF-8) into buf, always
 * NUL-terminated; *outlen gets the stem length. If the stem does not fit in
 * bufsz-1 bytes the word is copied unchanged (truncated to fit).
 * Not thread-safe: one stemmer per thread. */
ss_status ss_stemmer_stem(ss_stemmer *st, const char *word, size_t len,
                          char *buf, size_t bufsz, size_t *outlen);

/* -------------------------------------------------------------- documents */

ss_doc *ss_doc_create(void);
void ss_doc_destroy(ss_doc *doc);

/* Adds a term without position, increasing its within-document frequency. */
ss_status ss_doc_add_term(ss_doc *doc, const char *term, unsigned wdf_inc);
/* Adds a term at a position (for phrase search). */
ss_status ss_doc_add_posting(ss_doc *doc, const char *term, unsigned pos,
                             unsigned wdf_inc);
/* Adds a filter term: wdf 0, does not change document length. */
ss_status ss_doc_add_boolean_term(ss_doc *doc, const char *term);
/* Value slots hold sortable/collapsible bytes; val is copied. */
ss_status ss_doc_set_value(ss_doc *doc, unsigned slot, const char *val,
                           size_t len);
/* Opaque document data returned with results; data is copied. */
ss_status ss_doc_set_data(ss_doc *doc, const char *data, size_t len);

/* ----------------------------------------------------------------- writer */

/* Creates a new, empty index at path (overwriting one there). */
ss_status ss_writer_create(const char *path, ss_writer **out, char **errmsg);
/* Destroys without committing pending changes (they are discarded). */
void ss_writer_destroy(ss_writer *w);

ss_status ss_writer_add_document(ss_writer *w, const ss_doc *doc,
                                 unsigned *docid_out, char **errmsg);
/* Replaces the document indexed by unique term idterm, or adds it. */
ss_status ss_writer_replace_document(ss_writer *w, const char *idterm,
                                     const ss_doc *doc, char **errmsg);
/* term and synonym are index terms (already normalised/stemmed/prefixed);
 * a multi-word term joins its words with single spaces. */
ss_status ss_writer_add_synonym(ss_writer *w, const char *term,
                                const char *synonym, char **errmsg);
ss_status ss_writer_add_spelling(ss_writer *w, const char *word,
                                 unsigned freq_inc, char **errmsg);
ss_status ss_writer_set_metadata(ss_writer *w, const char *key,
                                 const char *value, char **errmsg);
ss_status ss_writer_commit(ss_writer *w, char **errmsg);

/* ------------------------------------------------------------------ reader */

/* Opens read-only. SS_ERR_NOT_FOUND if there is no index at path,
 * SS_ERR_CORRUPT if it cannot be read as one. */
ss_status ss_db_open(const char *path, ss_db **out, char **errmsg);
void ss_db_destroy(ss_db *db);

/* Moves to the newest committed revision; *changed (may be NULL) is set to
 * 1 if anything changed. */
ss_status ss_db_reopen(ss_db *db, int *changed, char **errmsg);

ss_status ss_db_doccount(ss_db *db, unsigned *out, char **errmsg);
/* Number of documents containing term (0 if none). */
ss_status ss_db_termfreq(ss_db *db, const char *term, unsigned *out,
                         char **errmsg);
/* *value gets a malloc'd copy ("" if the key is unset). */
ss_status ss_db_get_metadata(ss_db *db, const char *key, char **value,
                             char **errmsg);
/* *out gets a malloc'd suggestion, or NULL if none (still SS_OK). */
ss_status ss_db_spelling_suggestion(ss_db *db, const char *word,
                                    unsigned max_edit_distance, char **out,
                                    char **errmsg);
/* *list gets a malloc'd array of *n malloc'd strings: the synonyms stored
 * for key. Free with ss_strv_free(). */
ss_status ss_db_synonyms(ss_db *db, const char *key, char ***list, size_t *n,
                         char **errmsg);
/* All keys starting with prefix that have synonyms, same ownership. */
ss_status ss_db_synonym_keys(ss_db *db, const char *prefix, char ***list,
                             size_t *n, char **errmsg);
/* All terms starting with prefix (e.g. for completion), at most max
 * (0 = no limit), with their term frequencies in *freqs (malloc'd, may be
 * NULL if not wanted). */
ss_status ss_db_allterms(ss_db *db, const char *prefix, size_t max,
                         char ***list, unsigned **freqs, size_t *n,
                         char **errmsg);
/* Data of a document by docid; malloc'd copy in *data (length *len). */
ss_status ss_db_get_data(ss_db *db, unsigned docid, char **data, size_t *len,
                         char **errmsg);

void ss_strv_free(char **list, size_t n);

/* ----------------------------------------------------------------- queries */

typedef enum ss_query_op {
    SS_OP_AND,
    SS_OP_OR,
    SS_OP_AND_NOT,
    SS_OP_AND_MAYBE,
    SS_OP_FILTER,      /* first subquery ranked, the rest only filter */
    SS_OP_ELITE_SET,   /* OR of the best `param` subqueries */
    SS_OP_SYNONYM,     /* OR, weighted as one term */
    SS_OP_MAX,         /* weight of the best matching subquery */
    SS_OP_PHRASE,      /* subqueries must be terms; window = param */
    SS_OP_NEAR
} ss_query_op;

/* All constructors return NULL only when out of memory, and propagate NULL
 * arguments as NULL, so a tree may be built without checking every step.
 * Queries do not own their subqueries: destroy each ss_query you create. */
ss_query *ss_query_term(const char *term, unsigned wqf, unsigned pos);
ss_query *ss_query_combine(ss_query_op op, ss_query *const *subs, size_t n,
                           unsigned param);
ss_query *ss_query_scale(const ss_query *q, double factor);
/* Matches every document; useful under FILTER. */
ss_query *ss_query_match_all(void);
void ss_query_destroy(ss_query *q);
/* 1 if the query matches nothing (e.g. OR of no terms). */
int ss_query_empty(const ss_query *q);
/* malloc'd human-readable form, for debugging/explain. */
char *ss_query_describe(const ss_query *q);

/* Xapian QueryParser syntax (AND, OR, NOT, "phrases", prefix:term) for
 * expert use. Free-text search must never call this. Field prefixes map
 * names to term prefixes: prefixes is an array of n {name, prefix} pairs.
 * SS_ERR_BAD_QUERY with the parser's message on a syntax error. */
typedef struct ss_field_prefix {
    const char *name;
    const char *prefix;
} ss_field_prefix;
ss_status ss_query_parse(ss_db *db, const char *text, const char *lang,
                         const ss_field_prefix *prefixes, size_t n,
                         ss_query **out, char **errmsg);

/* ----------------------------------------------------------------- search */

typedef struct ss_search_opts {
    unsigned offset;
    unsigned limit;
    unsigned check_at_least;   /* for a better total estimate; 0 = default */
    int collapse_slot;         /* -1: no collapsing */
    /* BM25 parameters; a negative value means Xapian's default. */
    double k1, k3, b, min_normlen;
    int want_terms;            /* fill matched terms per hit */
    int want_docs;             /* read data and values of each hit (1) */
} ss_search_opts;

/* Fills opts with defaults: offset 0, limit 10, collapse -1, BM25 defaults,
 * want_terms 0, want_docs 1. Without want_docs, hits have docid and weight
 * only (no document reads: much faster). */
void ss_search_opts_init(ss_search_opts *opts);

/* Runs q. Retries internally on DatabaseModifiedError (reopening db);
 * SS_ERR_MODIFIED only if retries run out. */
ss_status ss_db_search(ss_db *db, const ss_query *q,
                       const ss_search_opts *opts, ss_results **out,
                       char **errmsg);
void ss_results_destroy(ss_results *r);

size_t ss_results_count(const ss_results *r);
unsigned ss_results_estimate(const ss_results *r);
unsigned ss_results_docid(const ss_results *r, size_t i);
double ss_results_weight(const ss_results *r, size_t i);
/* Borrowed, valid until r is destroyed; *len may be NULL. */
const char *ss_results_data(const ss_results *r, size_t i, size_t *len);
/* Borrowed value bytes of slot for hit i ("" if unset). */
const char *ss_results_value(const ss_results *r, size_t i, unsigned slot,
                             size_t *len);
/* Matched query terms for hit i (only if opts.want_terms; computed on first
 * call, so ask only for hits you show); borrowed array of borrowed strings,
 * valid until r is destroyed. Not thread-safe even on a const r. */
const char *const *ss_results_terms(const ss_results *r, size_t i,
                                    size_t *n);

/* Relevance-feedback expansion: the best `max` terms (starting with
 * prefix, "" for any) from the given documents, with their weights.
 * Arrays are malloc'd (free terms with ss_strv_free, weights with free). */
ss_status ss_db_expand(ss_db *db, const unsigned *docids, size_t ndocs,
                       const char *prefix, size_t max, char ***terms,
                       double **weights, size_t *n, char **errmsg);

#ifdef __cplusplus
}
#endif

#endif
