/* terms.h - text -> index terms (tokenise, normalise, stem), the one path
 * used by both the indexer and the query side so they cannot drift apart.
 *
 * Ownership: ss_terms owns each term string and the token array it was made
 * from; free with ss_terms_free() (the struct itself may live on the stack).
 */
#ifndef SS_TERMS_H
#define SS_TERMS_H

#include <stddef.h>

#include "status.h"
#include "text.h"

typedef struct ss_terms {
    ss_tokens tok;   /* tok.v[i] is the token behind term[i] */
    char **term;     /* stemmed term, or the token itself for SYMBOL/NUMERIC */
    size_t n, cap;
} ss_terms;

/* Appends the terms of text to out. SS_ERR_INVALID for invalid UTF-8. */
ss_status ss_terms_add(ss_analyzer *a, const char *text, size_t len,
                       ss_terms *out);
void ss_terms_free(ss_terms *t);

/* Writes prefix + term into buf (NUL-terminated); returns 0 if it does not
 * fit. Xapian terms are limited to 245 bytes. */
int ss_term_prefixed(char *buf, size_t bufsz, const char *prefix,
                     const char *term);

/* The key of the words terms[from..to): its non-stop, non-part terms joined
 * by single spaces, behind prefix. A label document carries the key of its
 * whole label, so the query side can look up any span of the query the same
 * way. Returns the number of words in the key (0: empty or too long). */
size_t ss_terms_key(const ss_terms *t, size_t from, size_t to,
                    const char *prefix, char *buf, size_t bufsz);

/* Index of the next word after i that can pair with it in a bigram
 * (skipping parts of compounds), or t->n if none. Stop words break
 * pairs: returns t->n when i or the next word is a stop word. */
size_t ss_terms_next_pair(const ss_terms *t, size_t i);

/* The bigram term of word i and the word it pairs with (ss_terms_next_pair)
 * behind prefix, into buf: what the indexer writes and the query side
 * looks up. Returns 0 when i pairs with nothing or the term would be
 * longer than SS_TERM_MAX. */
int ss_terms_bigram(const ss_terms *t, size_t i, const char *prefix,
                    char *buf, size_t bufsz);

#define SS_TERM_MAX 240

#endif
