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
#include "../core/text.h"

typedef struct ss_titles ss_titles;

typedef enum ss_title_kind {
    SS_TITLE_NONE = 0,
    SS_TITLE_NOISE,     /* dropped from occupation queries */
    SS_TITLE_SENIORITY, /* weighed down in occupation queries */
    SS_TITLE_BOILERPLATE /* a sentence holding it names no skill */
} ss_title_kind;

/* Bad lines are errors naming file and line. */
ss_status ss_titles_load(const char *dir, ss_analyzer *a, ss_titles **out,
                         char **errmsg);
void ss_titles_destroy(ss_titles *t);
ss_title_kind ss_titles_get(const ss_titles *t, const char *key);
/* ss_titles_get, and *longer = 1 when some phrase starts with key's words
 * and goes on: a scan can stop extending a span when it is 0. */
ss_title_kind ss_titles_lookup(const ss_titles *t, const char *key,
                               int *longer);

#endif
