/* suggest.h - label completion for the search box (GET /suggest).
 *
 * Built once per index generation from the catalogue: every preferred and
 * alternative label of every occupation and skill is cut into words by the
 * index language's analyser (core/text.h, the tokeniser and normaliser of
 * indexing and search, without stemming) and indexed at each of its word
 * starts in one sorted array, so a lookup is a binary search for the typed
 * prefix, read the same way ("microsys" -> "microsystem engineer", "eng" ->
 * "civil engineer", "c++ dev" -> "C++ developer").
 * When nothing matches, one typo is tolerated: the first unknown word (or
 * the partial last word) is replaced by vocabulary words within edit
 * distance 1 (insert, delete, substitute or swap two neighbours).
 *
 * Ranking: preferred labels before alternative ones, occupations before
 * skills, matches at the label's start before matches inside it, shorter
 * labels first. One suggestion per concept.
 *
 * An ss_suggest is immutable after ss_suggest_build: lookups from any
 * number of threads are safe.
 */
#ifndef SS_SUGGEST_H
#define SS_SUGGEST_H

#include <stddef.h>

#include "../core/status.h"

typedef struct ss_suggest ss_suggest;

typedef struct sqlite3 sqlite3;

/* catalog: an open catalogue (indexer/catalog.h tables);
 * only read during the call. lang: the index's language (ss_searcher_lang);
 * SS_ERR_INVALID when the analyser does not know it. */
ss_status ss_suggest_build(sqlite3 *catalog, const char *lang, ss_suggest **out,
                           char **errmsg);
void ss_suggest_destroy(ss_suggest *sg);

/* Number of labels indexed. */
size_t ss_suggest_size(const ss_suggest *sg);

/* All strings borrowed from sg, valid until ss_suggest_destroy. */
typedef struct ss_suggestion {
    const char *label;     /* the label that matched (may be an alt label) */
    const char *preferred; /* the concept's preferred label */
    const char *type;      /* "occupation" or "skill" */
    const char *uri;
    const char *id;        /* last URI segment */
} ss_suggestion;

/* Fills out[0..*n) with at most max suggestions for the typed text q
 * (len bytes). SS_ERR_INVALID if q is not valid UTF-8. An empty or
 * all-punctuation q gives *n = 0. */
ss_status ss_suggest_lookup(const ss_suggest *sg, const char *q, size_t len,
                            ss_suggestion *out, size_t max, size_t *n);

/* ss_suggest_lookup limited to one kind: skill 0 for occupations only, 1
 * for skills only (a skill picker), -1 for both. Occupations rank first,
 * so filtering the mixed list afterwards would often leave no skill. */
ss_status ss_suggest_lookup_kind(const ss_suggest *sg, const char *q,
                                 size_t len, int skill, ss_suggestion *out,
                                 size_t max, size_t *n);

#endif
