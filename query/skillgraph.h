/* skillgraph.h - ESCO's occupation/skill relations in memory, for the
 * career features (similar occupations, profile fit).
 *
 * Loaded from the catalogue once per index generation (the searcher holds
 * it, see ss_searcher_skillgraph()). Occupations and skills are numbered
 * by their catalogue rowid; a number whose uri is NULL does not exist.
 * The struct is read-only after load, so threads may share it.
 *
 * Rarity: idf(s) = ln((N + 1) / (n_s + 1)) + 1, N occupations, n_s the
 * occupations that need s (essential or optional), so a skill every
 * occupation lists weighs about 1 and a skill of one occupation about
 * ln(N) + 1.
 *
 * @note ss_skillgraph_destroy() frees everything; every string in it is
 * borrowed for the graph's lifetime.
 */
#ifndef SS_SKILLGRAPH_H
#define SS_SKILLGRAPH_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/status.h"

#define SS_SG_ESSENTIAL 0x80000000u /* flag on a relation entry */
#define SS_SG_BROADER 0x80000000u   /* flag on a hierarchy entry */
#define SS_SG_ID(e) ((e) & ~SS_SG_ESSENTIAL)

typedef struct ss_sg_node {
    const char *uri;   /* NULL: no concept with this number */
    const char *label;
    const char *isco;  /* occupations: ISCO code ("" unknown); skills: "" */
    const char *reuse; /* skills: reuse level ("" unknown); occupations: "" */
} ss_sg_node;

typedef struct ss_skillgraph {
    size_t nocc, nskill;       /* array sizes (largest rowid + 1) */
    ss_sg_node *occ, *skill;
    /* occupation o's skills: req[req_off[o] .. req_off[o+1]), entries are
     * skill numbers with SS_SG_ESSENTIAL set for essential ones */
    uint32_t *req_off, *req;
    /* skill s's occupations, same encoding */
    uint32_t *need_off, *need;
    double *idf;               /* per skill */
    /* skill s's broader and narrower skills (skill_broader rows between
     * two skills): hier[hier_off[s] .. hier_off[s+1]), SS_SG_BROADER set
     * on the broader ones */
    uint32_t *hier_off, *hier;
    uint32_t *skill_by_id;     /* skill numbers sorted by ESCO id */
    size_t nskill_by_id;
} ss_skillgraph;

/* Reads the occupation, skill, occupation_skill and skill_broader tables.
 * SS_ERR_CORRUPT when a table is missing or unreadable (message names it);
 * SS_ERR_NOMEM. On success *out is new; free with ss_skillgraph_destroy(). */
ss_status ss_skillgraph_load(sqlite3 *cat, ss_skillgraph **out,
                             char **errmsg);
void ss_skillgraph_destroy(ss_skillgraph *g); /* NULL is fine */

/* The occupation's number for an ESCO id (last URI segment) or full URI;
 * 0 when there is none. Linear in the occupations (~3,000: microseconds). */
uint32_t ss_skillgraph_find_occ(const ss_skillgraph *g, const char *id);

/* The skill's number for an ESCO id or full URI; 0 when there is none.
 * O(log n). */
uint32_t ss_skillgraph_find_skill(const ss_skillgraph *g, const char *id);

/* Digits the two ISCO codes share from the start (0..4). */
unsigned ss_isco_common(const char *a, const char *b);

#endif
