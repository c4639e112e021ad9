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

/* How a skill was found: its label named (which kind), or its sentence
 * linked by the skill ranker. */
typedef enum ss_skill_how {
    SS_HOW_PREFERRED,
    SS_HOW_ALTERNATIVE,
    SS_HOW_HIDDEN,
    SS_HOW_SENTENCE
} ss_skill_how;

#define SS_SKILL_NFEAT 8 /* skill_links.h: SS_SKILL_FEATURES */

typedef struct ss_skill_span {
    size_t start, end; /* byte span [start,end) in the text: the label
                          named, or the sentence */
    char *uri;
    char *label;       /* the skill's preferred label */
    char *matched;     /* the ESCO label named (may be an alt label); the
                          preferred label for a sentence */
    double confidence; /* 0..1, calibrated (skill_links.h) */
    double weight;     /* what it adds to the occupations that need it */
    ss_skill_how how;
    double feat[SS_SKILL_NFEAT]; /* what the confidence was computed from */
    unsigned ordinal;  /* concept number within this index generation */
} ss_skill_span;

/* "label", "alternative label", "hidden label" or "sentence"; static. */
const char *ss_skill_how_name(ss_skill_how h);

/* What a document is. Titled: its first line names the job and is
 * searched as a job title, the rest as the body. Untitled (task lists, CV
 * sections, an ad without its title line): the whole text is the body,
 * and the occupations it names stand in for the title. A text decided
 * untitled (not forced) that declares its title in a field ("Position:
 * Cook", ss_titles_declared) is read as titled, the whole text its body. */
typedef enum ss_read_as {
    SS_READ_AUTO = 0, /* decide with ss_match_read_as() */
    SS_READ_TITLED,
    SS_READ_UNTITLED
} ss_read_as;

/* Titles longer than this are taken for sentences. */
#define SS_TITLE_MAX_WORDS 12

/* The words (runs of non-space bytes) of t[0, len), counted up to max + 1:
 * enough to tell "more than max". */
size_t ss_count_words(const char *t, size_t len, size_t max);

/* Titled when the first non-blank line has at most SS_TITLE_MAX_WORDS
 * words, starts with no bullet or item number, ends with no . ! ? ; :
 * and holds no sentence break; else untitled. */
ss_read_as ss_match_read_as(const char *text, size_t len);
/* "titled" or "untitled"; static. */
const char *ss_read_as_name(ss_read_as r);
/* "titled", "untitled" or "auto" into *out; -1 for anything else. */
int ss_read_as_parse(const char *name, ss_read_as *out);
/* A confidence threshold: a decimal number in [0,1] into *out; -1 for
 * anything else. One parser for the CLI and the API. */
int ss_min_confidence_parse(const char *s, double *out);

/* What fuse() weighed for each occupation (with --features): the title,
 * body and skill scores, each normalised to its best, the title and body
 * ranks (-1: not ranked there), the distinct essential skills found, 1
 * when the title is its preferred label, and the named-occupation score
 * (untitled). Names: ss_fusion_names. */
enum {
    SS_FUSE_TITLE, SS_FUSE_TITLE_RANK, SS_FUSE_BODY, SS_FUSE_BODY_RANK,
    SS_FUSE_SKILLS, SS_FUSE_ESSENTIAL, SS_FUSE_EXACT, SS_FUSE_NAMED,
    SS_FUSE_NFEAT
};
extern const char *const ss_fusion_names[SS_FUSE_NFEAT];

typedef struct ss_match {
    ss_hits hits;
    double (*fusion)[SS_FUSE_NFEAT]; /* one row per hit, or NULL */
    ss_skill_span *skills;
    size_t nskills;
    ss_read_as read_as; /* how the text was read */
    size_t title_start, title_end; /* the title read from the text (its
                                      first line, or declared in a field);
                                      equal when none or given */
} ss_match;

typedef struct ss_match_req {
    const char *text;  /* the ad or CV, UTF-8 */
    size_t len;        /* 0: strlen */
    const char *title; /* NULL: decided by read_as */
    ss_read_as read_as; /* forces the reading; ignored when title is set */
    unsigned limit;    /* 0: 10 */
    double min_confidence; /* skills found under it are dropped, and add
                              nothing to the occupations (0: keep all) */
} ss_match_req;

/* The threshold the CLI and the API apply when the caller sets none (as
 * Lightcast's and Textkernel's confidenceThreshold). */
#define SS_MIN_CONFIDENCE_DEFAULT 0.5

ss_status ss_searcher_match(ss_searcher *s, const ss_match_req *req,
                            ss_match *out, char **errmsg);
void ss_match_free(ss_match *m);

/* {"results": [...], "skills": [{"uri","id","label","matched","start",
 * "end","text","confidence","how"}], "read_as": ...}; text is the span as
 * written. features: each skill also gets "features", the values its
 * confidence was computed from (learn/skill_confidence.py), and each
 * result "fusion", what its score was fused from (learn/fusion_kfold.py).
 * New ref. */
json_t *ss_match_to_json(const ss_match *m, const char *text, int features);

#endif
