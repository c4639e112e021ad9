/* match.h - job ads and CVs -> occupations, with the skills found in them.
 *
 * Long text needs its own strategy: the title (first line, or given) is
 * searched as a job title; the body is reduced to its most specific words
 * (tf x idf over occupations, so company blurbs and "equal opportunity
 * employer" boilerplate fall away) and searched as one query; ESCO skill
 * labels found verbatim (normalised, stemmed, longest first) score the
 * occupations that need them. The three rankings are fused:
 *   score = w_title * title + w_body * body + w_skills * skills
 * each normalised to its best (weights tuned on jobads_dev, see match.c).
 *
 * Ownership: ss_match_free() frees everything in an ss_match; the struct
 * itself may live on the stack. Same threading rule as search.h: one
 * searcher per thread.
 */
#ifndef SS_MATCH_H
#define SS_MATCH_H

#include <jansson.h>
#include <stddef.h>

#include "search.h"

typedef struct ss_skill_span {
    size_t start, end; /* byte span [start,end) in the text */
    char *uri;
    char *label;       /* the skill's preferred label */
    char *matched;     /* the ESCO label that matched (may be an alt label) */
    double confidence; /* 0..1: preferred 1, alternative .8, hidden .6,
                          lower for one-word generic labels */
    unsigned ordinal;  /* concept number within this index generation */
} ss_skill_span;

typedef struct ss_match {
    ss_hits hits;
    ss_skill_span *skills;
    size_t nskills;
} ss_match;

typedef struct ss_match_req {
    const char *text;  /* the ad or CV, UTF-8 */
    size_t len;        /* 0: strlen */
    const char *title; /* NULL: the first line of text is the title */
    unsigned limit;    /* 0: 10 */
} ss_match_req;

ss_status ss_searcher_match(ss_searcher *s, const ss_match_req *req,
                            ss_match *out, char **errmsg);
void ss_match_free(ss_match *m);

/* {"results": [...], "skills": [{"uri","id","label","matched","start",
 * "end","text","confidence"}]}; text is the span as written. New ref. */
json_t *ss_match_to_json(const ss_match *m, const char *text);

#endif
