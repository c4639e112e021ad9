/* speller.h - the index's spelling dictionary held in memory.
 *
 * Xapian's get_spelling_suggestion reads a compressed B-tree for every
 * n-gram of every word it is asked about: about 40% of a skill sentence's
 * query time. This holds the same dictionary (words, frequencies and the
 * head/tail/bookend/middle n-gram lists Xapian's glass backend keeps) in
 * arrays, and answers with the same rule: candidates in byte order, kept
 * while their n-gram count is within 2 of the best seen so far, then the
 * smallest edit distance (adjacent swaps count 1) with the highest
 * frequency, and no suggestion where the word itself is commoner.
 * tests/unit/test_speller.c checks the answers against Xapian's word for
 * word on the sample index.
 *
 * Ownership: ss_speller_build's result is freed with ss_speller_destroy
 * (NULL accepted). It copies what it needs; the ss_db may be closed after.
 * A built speller is read-only: threads may share it.
 */
#ifndef SS_SPELLER_H
#define SS_SPELLER_H

#include "../core/status.h"
#include "../core/xapian_wrap.h"

typedef struct ss_speller ss_speller;

/* An empty dictionary gives a speller that never suggests. */
ss_status ss_speller_build(ss_db *db, ss_speller **out, char **errmsg);
void ss_speller_destroy(ss_speller *sp);

/* Number of words in the dictionary. */
size_t ss_speller_words(const ss_speller *sp);

/* *out gets a malloc'd suggestion for word, or NULL if none (still SS_OK):
 * the answer ss_db_spelling_suggestion(db, word, max_edit_distance) gives
 * on the index the speller was built from. SS_ERR_NOMEM only. */
ss_status ss_speller_suggest(const ss_speller *sp, const char *word,
                             unsigned max_edit_distance, char **out);

#endif
