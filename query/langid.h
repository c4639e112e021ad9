/* langid.h - the language of a short query, among the languages a server
 * has loaded (README, "Language identification").
 *
 * Methods, measured on ESCO labels the indexes never saw:
 *   - cld2: CLD2 (core/cld2_wrap.h), hinted with the loaded languages;
 *   - textcat: libexttextcat's n-gram profiles of the loaded languages
 *     (their distance, nearest wins);
 *   - coverage: the share of the query's words, analysed by each index's
 *     own analyser, that the index has (stop words of its language count),
 *     ties broken by how common the words are there, then the first
 *     language;
 *   - coverage+cld2, coverage+textcat: coverage decides, and the library
 *     breaks its ties when it names one of the tied languages.
 * SS_LANGID_DEFAULT is the one that measured best.
 *
 * Threads: an ss_langid borrows searchers, which are not thread-safe, so
 * it is used by one thread at a time: a server creates one per worker
 * thread over that thread's searchers (creation reads a few small n-gram
 * profiles). Searchers may be reloaded between guesses: every guess reads
 * their current generation.
 *
 * Ownership: ss_langid_create copies the language codes; the searchers
 * must outlive the ss_langid. Codes returned by a guess are borrowed from
 * it; *why is malloc'd (caller frees).
 */
#ifndef SS_LANGID_H
#define SS_LANGID_H

#include <stddef.h>

#include "../core/status.h"
#include "search.h"

typedef struct ss_langid ss_langid;

typedef enum ss_langid_method {
    SS_LANGID_CLD2 = 0,
    SS_LANGID_TEXTCAT,
    SS_LANGID_COVERAGE,
    SS_LANGID_COVERAGE_CLD2,
    SS_LANGID_COVERAGE_TEXTCAT,
    SS_LANGID_NMETHODS
} ss_langid_method;

/* the method that ships (best measured) */
#define SS_LANGID_DEFAULT SS_LANGID_COVERAGE_CLD2

/* "cld2", "textcat", "coverage", "coverage+cld2", "coverage+textcat". */
const char *ss_langid_method_name(ss_langid_method m);

/* langs[i] is the language of searchers[i] (n >= 1, codes of lang.h, each
 * once); the first is the default when nothing tells. textcat_dir: the
 * folder of libexttextcat's LANG.lm profiles (NULL: the Debian one); a
 * language without one is never textcat's answer. SS_ERR_INVALID for a
 * bad or repeated code. */
ss_status ss_langid_create(const char *const *langs,
                           ss_searcher *const *searchers, size_t n,
                           const char *textcat_dir, ss_langid **out,
                           char **errmsg);
void ss_langid_destroy(ss_langid *id);

/* The language of text (UTF-8, len bytes; 0: strlen) by method m: *lang
 * one of the loaded codes (borrowed from id), *why a short reason such as
 * "coverage: fr 3/3 words, en 1/3, nl 0/3" (malloc'd, caller frees; why
 * may be NULL). A text without words gets the first language.
 * SS_ERR_INVALID for invalid UTF-8. */
ss_status ss_langid_guess_with(ss_langid *id, ss_langid_method m,
                               const char *text, size_t len,
                               const char **lang, char **why, char **errmsg);

/* ss_langid_guess_with(SS_LANGID_DEFAULT). */
ss_status ss_langid_guess(ss_langid *id, const char *text, size_t len,
                          const char **lang, char **why, char **errmsg);

#endif
