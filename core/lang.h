/* lang.h - the languages skillsearch indexes and searches, one row each.
 *
 * Every per-language decision comes from a row: the stemmer, accent
 * folding, the apostrophe rules, and which stop list, job-title list and
 * curated-synonym file to read. Adding a language is one row in lang.c plus
 * the files the row names under data/ (see README, "How to add a
 * language").
 *
 * Ownership: rows and everything they point to are static; pointers stay
 * valid for the life of the program.
 */
#ifndef SS_LANG_H
#define SS_LANG_H

#include <stddef.h>

#include "status.h"

/* The language of `index` without --lang, and of indexes too old to record
 * theirs. */
#define SS_LANG_DEFAULT "en"

typedef struct ss_lang {
    const char *code;    /* ISO 639-1, as in ESCO file names: "en" */
    const char *stemmer; /* Snowball stemmer name as Xapian knows it */
    /* Fold accents on Latin letters (users type "resume" for "résumé").
     * Marks on other scripts are never folded: й is not и. */
    int strip_accents;
    /* Words dropped before an apostrophe (l'électricien); NULL-terminated,
     * NULL for none. */
    const char *const *elide;
    /* Words dropped after an apostrophe besides the possessive "s", which
     * every language drops (manager's, Dutch auto's); NULL for none. */
    const char *const *clitics;
    /* File names inside data/stop/, data/titles/ and data/synonyms/; NULL
     * for none. */
    const char *stop, *titles, *synonyms;
} ss_lang;

/* The row for code, or NULL. */
const ss_lang *ss_lang_find(const char *code);

/* The row for code; SS_ERR_INVALID with a message listing the supported
 * codes if there is none. */
ss_status ss_lang_get(const char *code, const ss_lang **out, char **errmsg);

/* All rows, sorted by code; *n gets their number. */
const ss_lang *ss_lang_all(size_t *n);

#endif
