/* titles.h - phrases of job ads (data/titles/, the file the language's
 * row of lang.h names): job-title noise and seniority words, and the
 * boilerplate of ad bodies.
 *
 * Lines are "noise<TAB>term", "seniority<TAB>term" or
 * "boilerplate<TAB>phrase"; '#' comments. Terms are analysed like queries,
 * so the lookups take analysed keys (stems joined by spaces, see
 * ss_terms_key): noise and seniority terms keep their stop words ("part
 * time"), boilerplate phrases drop them, as a sentence's keys do. No file
 * gives empty lists.
 *
 * Ownership: ss_titles_destroy() frees the table (NULL ok). Read-only after
 * loading: share it across threads.
 */
#ifndef SS_TITLES_H
#define SS_TITLES_H

#include "../core/status.h"
#include "../core/terms.h"
#include "../core/text.h"

typedef struct ss_titles ss_titles;

typedef enum ss_title_kind {
    SS_TITLE_NONE = 0,
    SS_TITLE_NOISE,     /* dropped from occupation queries */
    SS_TITLE_SENIORITY, /* weighed down in occupation queries */
    SS_TITLE_BOILERPLATE, /* a sentence holding it names no skill */
    SS_TITLE_MARKER,    /* "position": the title a field of an ad declares */
    SS_TITLE_FIELD      /* "duty station": a field label, ends that title */
} ss_title_kind;
#define SS_TITLE_BIT(kind) (1u << (kind))

/* Bad lines are errors naming file and line. */
ss_status ss_titles_load(const char *dir, ss_analyzer *a, ss_titles **out,
                         char **errmsg);
void ss_titles_destroy(ss_titles *t);
/* The kind of key; a key of several kinds gives the first of the enum. */
ss_title_kind ss_titles_get(const ss_titles *t, const char *key);
/* All the kinds of key, as SS_TITLE_BIT()s; *longer (if not NULL) = 1 when
 * some phrase starts with key's words and goes on: a scan can stop
 * extending a span when it is 0. */
unsigned ss_titles_kinds(const ss_titles *t, const char *key, int *longer);
/* Whether a phrase of kind starts at term i of w: its spans of up to max
 * terms, looked up until no phrase goes on from their words; *to: the end
 * of the longest found. A stop word or a compound's part starts none. */
int ss_titles_phrase_at(const ss_titles *t, const ss_terms *w, size_t i,
                        ss_title_kind kind, size_t max, size_t *to);

/* A title declared in a field of the text ("Position: Amharic Teacher
 * Salary: ..."): the first marker phrase followed by a colon, then its
 * words up to a field label, another label's colon, a line or sentence
 * end, a bracket, comma, bullet or dash, or SS_DECLARED_MAX_WORDS words;
 * it must hold a word that is neither a stop word nor a number, and not
 * start with a stop word. w: the terms of text[0, len). Returns 1 and the
 * byte span [*start, *end) of text, else 0. */
#define SS_DECLARED_MAX_WORDS 8
int ss_titles_declared(const ss_titles *t, const ss_terms *w,
                       const char *text, size_t len, size_t *start,
                       size_t *end);
#endif
