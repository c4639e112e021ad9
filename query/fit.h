/* fit.h - how well a profile (ESCO skills, given or found in a CV) covers
 * occupations: what it has, what it lacks, and what to learn next.
 *
 * Each required skill s of an occupation weighs w(s) = idf(s) (rarity,
 * skillgraph.h) times 1 if essential, SS_FIT_W_OPTIONAL if optional.
 * Credit: 1 for a skill in the profile; SS_FIT_W_PARTIAL for one whose
 * broader or narrower skill (ESCO's skill hierarchy) is in the profile.
 *   coverage(o) = sum(credit * w) / sum(w)      over o's skills
 *   use(o)      = idf of the profile skills o lists / idf of the profile
 * One occupation: its coverage. Best fit over all occupations ranks by
 * coverage * use: an occupation that needs few skills is covered easily
 * by any large profile, but uses little of it. On full ESCO (profile = an
 * occupation's essential skills) this put the occupation first for
 * 2,920 of the 2,981 whose essential set is no other's, against 2,751 for
 * coverage alone (tests/e2e/career_check.py; README, fit).
 *
 * @note ss_fit_free() frees everything in an ss_fit (the struct may be on
 * the stack); skill and occupation numbers index the graph it was built
 * from, and span text offsets refer to the caller's text.
 */
#ifndef SS_FIT_H
#define SS_FIT_H

#include <jansson.h>

#include "search.h"
#include "skillgraph.h"

#define SS_FIT_W_OPTIONAL 0.25
#define SS_FIT_W_PARTIAL 0.5
#define SS_FIT_MAX_SKILLS 1000 /* skills in one profile */

typedef struct ss_fit_item {   /* one skill of the profile */
    uint32_t skill;
    int from_text;             /* 0: given by id */
    size_t start, end;         /* from_text: byte span in the text */
    double confidence;         /* from_text: the finder's; else 1 */
} ss_fit_item;

typedef enum ss_fit_state { SS_FIT_HAS, SS_FIT_PARTIAL, SS_FIT_LACKS } ss_fit_state;

typedef struct ss_fit_req_skill {
    uint32_t skill;
    int essential;
    ss_fit_state state;
    uint32_t via;              /* SS_FIT_PARTIAL: the profile skill */
    int via_broader;           /* 1: via is broader than skill */
} ss_fit_req_skill;

typedef struct ss_fit_occ {
    uint32_t occ;
    double coverage, use, score;
    ss_fit_req_skill *skills;  /* the occupation's list, essential first */
    size_t nskills;
} ss_fit_occ;

typedef struct ss_fit_gap {
    uint32_t skill;
    unsigned needed_by;        /* listed occupations lacking it (essential) */
} ss_fit_gap;

typedef struct ss_fit {
    ss_fit_item *profile;
    size_t nprofile;
    ss_fit_occ *occs;
    size_t nocc;
    ss_fit_gap *gaps;
    size_t ngaps;
} ss_fit;

/* Adds the skills of ids (ESCO ids or URIs) to f->profile, skipping
 * repeats. SS_ERR_NOT_FOUND names the first unknown id in *errmsg;
 * SS_ERR_INVALID past SS_FIT_MAX_SKILLS. */
ss_status ss_fit_add_ids(const ss_skillgraph *g, ss_fit *f,
                         const char *const *ids, size_t n, char **errmsg);

/* Adds the skills `match` finds in text (its exact-label finder), with
 * their spans. */
ss_status ss_fit_add_text(ss_searcher *s, const ss_skillgraph *g, ss_fit *f,
                          const char *text, size_t len, char **errmsg);

/* Fills f->occs: occ != 0 scores that occupation alone; occ == 0 ranks all
 * occupations and keeps the best limit (1..100), then f->gaps (at most
 * 10). SS_ERR_INVALID for an empty profile (message says so). */
ss_status ss_fit_run(const ss_skillgraph *g, ss_fit *f, uint32_t occ,
                     unsigned limit, char **errmsg);

void ss_fit_free(ss_fit *f);

/* {"profile": [...], "results": [...], "gaps": [...]} (README, fit).
 * text: the profile's text for span excerpts, or NULL. New reference;
 * NULL when out of memory. */
json_t *ss_fit_to_json(const ss_skillgraph *g, const ss_fit *f,
                       const char *text);

#endif
