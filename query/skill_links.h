/* skill_links.h - the ESCO skills a text asks for, each with a calibrated
 * confidence.
 *
 * The text is cut into sentences (sentences.h). In each, two kinds of
 * evidence are gathered per skill:
 *   - a label named verbatim (label_scan.h): preferred, alternative or
 *     hidden, and how many words;
 *   - the skill ranker's top SS_LINK_TOP for the sentence, the same ranking
 *     as `search --type skill` (a paraphrase, or a skill only implied).
 * A skill's confidence is a logistic function of the features below, with
 * weights fitted by learn/skill_confidence.py on the skills dev sets by
 * 5-fold cross-validation (README: the reliability table), so that skills
 * found at confidence >= c are right about c of the time.
 *
 * A sentence holding a boilerplate phrase ("boilerplate" lines of the
 * language's data/titles/ file: "equal opportunity employer", benefits,
 * "proven track record") yields no skill.
 */
#ifndef SS_SKILL_LINKS_H
#define SS_SKILL_LINKS_H

#include <stddef.h>

#include "../core/terms.h"
#include "match.h"
#include "params.h"
#include "rank.h"

#define SS_LINK_TOP 5          /* ranked skills taken per sentence */

/* The features, in the order of ss_skill_span.feat: name, what. */
#define SS_SKILL_FEATURES(X)                                              \
    X(pref, "a preferred label is named")                                 \
    X(alt, "an alternative label is named")                               \
    X(hidden, "a hidden label is named")                                  \
    X(word1, "the label named is one word")                               \
    X(ranked, "the skill ranker has it in its top 5 for the sentence")   \
    X(score, "the ranker's score, 0 when not ranked")                     \
    X(first, "the ranker's first for the sentence")                       \
    X(lrank, "log(1 + its rank), log(1 + 5) when not ranked")

enum {
#define SS_FEAT_ENUM(name, what) SS_FEAT_##name,
    SS_SKILL_FEATURES(SS_FEAT_ENUM)
#undef SS_FEAT_ENUM
    SS_SKILL_NFEAT_
};

/* Appends the skills of text[0, len) to out->skills, left to right by
 * sentence; *cap is out->skills' capacity. t: the terms of that text
 * (ss_terms_add), borrowed for the call, so a text is analysed once. p
 * holds the confidence weights. A skill found by the ranker alone has its
 * sentence as its span. */
ss_status ss_skills_link(const ss_rank_input *in, const ss_params *p,
                         const char *text, size_t len, const ss_terms *t,
                         ss_match *out, size_t *cap, char **errmsg);

#endif
