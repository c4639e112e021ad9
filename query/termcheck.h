/* termcheck.h - what the search side makes of a term, for `skillsearch
 * synonyms check`: its analysed key, curated synonyms of it and of its
 * words, the ESCO labels it is an alternative label of, and the spelling
 * corrections an occupation search would apply (the same analysis as
 * search: analyse.h).
 *
 * Ownership: ss_term_check_free() frees what the struct owns (it may live
 * on the stack); ss_syn entries are borrowed from the searcher, valid
 * until it is reloaded or destroyed.
 */
#ifndef SS_TERMCHECK_H
#define SS_TERMCHECK_H

#include <stddef.h>

#include "../synonyms/synonyms.h"
#include "search.h"

typedef struct ss_term_check {
    char *key;               /* analysed key; "" if no searchable words */
    const ss_syn *curated;   /* the curated group of the whole term */
    const ss_syn **words;    /* curated groups of single words */
    size_t nwords;
    char **esco;             /* labels the term is an alternative label of */
    size_t nesco;
    char **typed, **fixed;   /* spelling: typed[i] is searched as fixed[i] */
    size_t nfixed;
} ss_term_check;

/* SS_ERR_INVALID (with a message) when term is not valid UTF-8. */
ss_status ss_searcher_check_term(ss_searcher *s, const char *term,
                                 ss_term_check *out, char **errmsg);
void ss_term_check_free(ss_term_check *c);

/* The curated table of the searcher (borrowed like the entries above). */
const ss_synonyms *ss_searcher_synonyms(ss_searcher *s);

#endif
