/* concepts.h - what ranking needs to know of every concept, in memory:
 * URI, preferred label, ISCO group and all labels, loaded once from the
 * catalogue so that ranking never reads Xapian documents.
 *
 * Ordinals are the indexer's concept numbers, also stored with every
 * document of the posting arrays (memindex.h): occupations 0..nocc-1 in
 * catalogue id order, then skills; Xapian document k+1 is ordinal k
 * (schema.h).
 * Ownership: ss_concepts_free() frees everything; strings are borrowed by
 * callers until then.
 */
#ifndef SS_CONCEPTS_H
#define SS_CONCEPTS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/status.h"

typedef struct ss_concept_info {
    const char *uri;
    const char *isco;      /* "" for skills */
    char stype;            /* skills: 'k' knowledge, 's' skill/competence,
                              0 unknown; occupations 0 */
    char reuse;            /* skills: a code of ss_reuse_levels, 0 unknown;
                              occupations 0 */
    const char **labels;   /* [0] preferred, then alt, then hidden */
    size_t nlabels;
    char *block;           /* owns the strings above */
} ss_concept_info;

typedef struct ss_concepts {
    ss_concept_info *v;
    size_t n, nocc;
    /* occupations needing each skill (CSR): for skill k (0-based among
     * skills), need[need_off[k] .. need_off[k+1]) are occupation
     * ordinals, with bit 31 set for essential */
    size_t *need_off;
    uint32_t *need;
} ss_concepts;

#define SS_NEED_ESSENTIAL 0x80000000u

/* The values of a skill filter as ESCO spells them, with the code a
 * concept carries (stype, reuse) and the other names users may type. */
typedef struct ss_skill_value {
    const char *name;    /* ESCO's value: "knowledge", "cross-sector" */
    char code;
    const char *aliases; /* "|"-separated, or "" */
} ss_skill_value;

/* Both tables end with {NULL, 0, NULL}; SS_NTYPES / SS_NREUSE entries. */
#define SS_NTYPES 2
#define SS_NREUSE 4
extern const ss_skill_value ss_skill_types[SS_NTYPES + 1];
extern const ss_skill_value ss_reuse_levels[SS_NREUSE + 1];

/* The entry of table whose name or alias is v (case-insensitive), or NULL.
 * The pointer is static. */
const ss_skill_value *ss_skill_value_find(const ss_skill_value *table,
                                          const char *v);

/* "name1, name2, ..." of table with the aliases, for error messages;
 * truncated to fit buf. */
void ss_skill_value_names(const ss_skill_value *table, char *buf,
                          size_t bufsz);

ss_status ss_concepts_load(sqlite3 *cat, ss_concepts *out, char **errmsg);
void ss_concepts_free(ss_concepts *c);

#endif
