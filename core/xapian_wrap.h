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
/* Adds a term at a position (for phrase search), increasing its
 * within-document frequency by wdf_inc. */
ss_status ss_doc_add_posting(ss_doc *doc, const char *term, unsigned pos,
                             unsigned wdf_inc);
/* Adds a filter term: wdf 0, does not change document length. */
ss_status ss_doc_add_boolean_term(ss_doc *doc, const char *term);

/* ----------------------------------------------------------------- writer */

/* Creates a new, empty index at path (overwriting one there). */
ss_status ss_writer_create(const char *path, ss_writer **out, char **errmsg);
/* Destroys without committing pending changes (they are discarded). */
void ss_writer_destroy(ss_writer *w);

ss_status ss_writer_add_document(ss_writer *w, const ss_doc *doc,
                                 unsigned *docid_out, char **errmsg);
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

ss_status ss_db_doccount(ss_db *db, unsigned *out, char **errmsg);
/* *value gets a malloc'd copy ("" if the key is unset). */
ss_status ss_db_get_metadata(ss_db *db, const char *key, char **value,
                             char **errmsg);
/* *out gets a malloc'd suggestion, or NULL if none (still SS_OK). */
ss_status ss_db_spelling_suggestion(ss_db *db, const char *word,
                                    unsigned max_edit_distance, char **out,
                                    char **errmsg);
/* The whole spelling dictionary, in byte order: *words gets a malloc'd
 * buffer of *n NUL-terminated words back to back (*bytes long), *freqs a
 * malloc'd array of their frequencies. The caller free()s both; NULL and 0
 * if the dictionary is empty. For query/speller.c, which answers as
 * ss_db_spelling_suggestion does without reading the B-tree per word. */
ss_status ss_db_spellings(ss_db *db, char **words, size_t *bytes,
                          unsigned **freqs, size_t *n, char **errmsg);
/* *list gets a malloc'd array of *n malloc'd strings: the synonyms stored
 * for key. Free with ss_strv_free(). */
ss_status ss_db_synonyms(ss_db *db, const char *key, char ***list, size_t *n,
                         char **errmsg);

void ss_strv_free(char **list, size_t n);

/* ----------------------------------------------------------------- queries */

/* Xapian QueryParser syntax for expert use (query/syntax.c): AND, OR, NOT,
 * NEAR, +/-, brackets, "phrases", word* wildcards and field:value. Free
 * text search never calls this. Words are joined by AND unless an
 * operator says otherwise. */
typedef struct ss_qp_field {
    const char *name;   /* as typed before ':' */
    const char *prefix; /* term prefix */
    /* NULL: a text field (its words are stemmed like the default field's).
     * Else a boolean filter: map(ctx, value, buf, bufsz) writes the term
     * after prefix into buf and returns 1, or writes a message into buf
     * and returns 0, which rejects the query with it. Filters of one field
     * are ORed, of different fields ANDed. */
    int (*map)(void *ctx, const char *value, char *buf, size_t bufsz);
    /* filters only: a term (prefix included) that filters the query when
     * it names this field nowhere, or NULL */
    const char *fallback;
} ss_qp_field;

typedef struct ss_qp_config {
    const char *default_prefix;   /* of words with no field */
    const ss_qp_field *fields;
    size_t nfields;
    /* Writes the index term of word (len bytes, lower-cased by the parser)
     * into buf, NUL-terminated, and returns its length (0: the word as
     * it is). Must not fail. */
    size_t (*stem)(void *ctx, const char *word, size_t len, char *buf,
                   size_t bufsz);
    int (*is_stop)(void *ctx, const char *word); /* may be NULL */
    void *ctx;
    const char *const *filters;   /* terms every hit must have */
    size_t nfilters;
    unsigned max_wildcard;        /* a word* reads its N most frequent
                                     expansions (0: 100) */
} ss_qp_config;

/* SS_ERR_BAD_QUERY with the parser's (or a map's) message for text it
 * rejects; other statuses mean a broken index or no memory. *out is freed
 * with ss_query_destroy. */
ss_status ss_query_parse(ss_db *db, const char *text, const ss_qp_config *cfg,
                         ss_query **out, char **errmsg);
void ss_query_destroy(ss_query *q);

/* ----------------------------------------------------------------- search */

typedef struct ss_search_opts {
    unsigned offset;
    unsigned limit;
    unsigned check_at_least;   /* for a better total estimate; 0 = default */
    int want_terms;            /* fill matched terms per hit */
} ss_search_opts;

/* Fills opts with defaults: offset 0, limit 10, want_terms 0. */
void ss_search_opts_init(ss_search_opts *opts);

/* Runs q, ranked by BM25. Retries internally on DatabaseModifiedError
 * (reopening db); SS_ERR_MODIFIED only if retries run out. Hits carry
 * docid and weight (no document reads). */
ss_status ss_db_search(ss_db *db, const ss_query *q,
                       const ss_search_opts *opts, ss_results **out,
                       char **errmsg);
void ss_results_destroy(ss_results *r);

size_t ss_results_count(const ss_results *r);
unsigned ss_results_estimate(const ss_results *r);
unsigned ss_results_docid(const ss_results *r, size_t i);
double ss_results_weight(const ss_results *r, size_t i);
/* Matched query terms for hit i (only if opts.want_terms; computed on first
 * call, so ask only for hits you show); borrowed array of borrowed strings,
 * valid until r is destroyed. Not thread-safe even on a const r. */
const char *const *ss_results_terms(const ss_results *r, size_t i,
                                    size_t *n);

#ifdef __cplusplus
}
#endif

#endif
