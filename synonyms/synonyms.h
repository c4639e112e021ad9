/* synonyms.h - curated synonyms: abbreviations, spelling variants, UK/US
 * spellings and everyday job words (data/synonyms/, the file the
 * language's row of lang.h names).
 *
 * File format: one group of equivalent terms per line, separated by tabs;
 * '#' starts a comment. Every term of a group expands to the others;
 * lines that share a term join into one group.
 * Terms may be several words; they are analysed like queries (normalised,
 * stemmed, stop words dropped), so "Clean-rooms" and "clean room" meet.
 *
 *   # abbreviation     expansion
 *   mems	microelectromechanical systems
 *   clean room	cleanroom
 *
 * ESCO's own alternative and hidden labels need no table here: every label
 * is indexed as a document of its own (labels.mix), and the indexer stores
 * them in Xapian's synonym table too (keys prefixed SS_SYN_ESCO).
 *
 * Ownership: ss_synonyms_load() returns a table freed by
 * ss_synonyms_destroy() (NULL ok); entries and their strings are borrowed
 * until then. The table is read-only after loading: share it across threads.
 */
#ifndef SS_SYNONYMS_H
#define SS_SYNONYMS_H

#include <stddef.h>

#include "../core/status.h"
#include "../core/text.h"
#include "../core/xapian_wrap.h"

typedef struct ss_synonyms ss_synonyms;

typedef struct ss_syn {
    const char *key;        /* analysed key (stems joined by spaces) */
    const char *text;       /* the term as written in the file */
    const char **to;        /* analysed keys of its expansions */
    const char **to_text;   /* the expansions as written */
    size_t n;
    const char *source;     /* "FILE:LINE" */
} ss_syn;

/* Reads the file the analyzer's language row names in dir (no file gives
 * an empty table). A line with fewer than two terms, or a term with no
 * words, is an error naming file and line. */
ss_status ss_synonyms_load(const char *dir, ss_analyzer *a,
                           ss_synonyms **out, char **errmsg);
void ss_synonyms_destroy(ss_synonyms *s);

/* The entry for an analysed key, or NULL. */
const ss_syn *ss_synonyms_get(const ss_synonyms *s, const char *key);
size_t ss_synonyms_count(const ss_synonyms *s);
/* Entry i (0 <= i < count), in key order. */
const ss_syn *ss_synonyms_at(const ss_synonyms *s, size_t i);

/* Stores the table in the index's synonym table (keys prefixed
 * SS_SYN_CURATED), so an index records the synonyms it was built with. */
ss_status ss_synonyms_write(const ss_synonyms *s, ss_writer *w,
                            char **errmsg);

#define SS_SYN_CURATED "C:"
#define SS_SYN_ESCO "E:"

#endif
