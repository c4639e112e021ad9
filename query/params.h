/* params.h - every ranking parameter of search and match, in one table.
 *
 * A parameter is one row of SS_PARAMS: its name, whether it is a count,
 * its value for occupation and for skill rankings, and what it does. The
 * row gives the struct field, the defaults and the override name at once.
 * SKILLSEARCH_RANK="name=value,occ.name=value,skill.name=value" overrides
 * them for tuning experiments; it is parsed once per process, and an
 * unknown name or a malformed value is an error naming it.
 *
 * Internal to query/.
 */
#ifndef SS_PARAMS_H
#define SS_PARAMS_H

#include "../core/status.h"
#include "search.h"

/* X(name, count?, occupations, skills, what it does) */
#define SS_PARAMS(X)                                                          \
    /* fusion of the passes (signals.c) */                                    \
    X(w_label, 0, 1.0, 1.0, "weight of the label pass")                       \
    X(w_concept, 0, 0.6, 1.5, "weight of the concept pass")                   \
    X(w_skill, 0, 0.45, 0, "occupations: weight of the skill pass")           \
    X(w_vec, 0, 4.0, 0, "occupations: weight of the label-vector cosine")     \
    X(w_exact, 0, 3.0, 1.0, "the whole query is the preferred label")        \
    X(w_meaning, 0, 1.25, 0, "occupations: weight of the title classifier, " \
      "added to the learned ranker's order")                                  \
    X(meaning_depth, 1, 20, 0, "candidates the title classifier adds")       \
    /* query terms (signals.c) */                                             \
    X(phrase, 0, 0.6, 0.6, "label pass: adjacent word pair")                  \
    X(key, 0, 1.0, 1.0, "label pass: a query span that is a whole label")     \
    X(bigram, 0, 1.0, 3.0, "concept pass: adjacent word pair")                \
    X(spell, 0, 0.6, 0.6, "spelling corrections (0: none)")                   \
    X(head, 0, 0, 0, "extra weight of the head noun")                         \
    X(synonym, 0, 0.5, 0.5, "curated synonym expansions")                     \
    X(seniority, 0, 0.3, 1.0, "seniority words (senior, trainee, ...)")       \
    /* BM25 (bm25.c) */                                                       \
    X(label_k1, 0, 1.2, 1.2, "BM25 k1 of the label pass")                     \
    X(label_b, 0, 0.75, 0.75, "BM25 b of the label pass")                     \
    X(concept_k1, 0, 1.2, 1.2, "BM25 k1 of the concept pass")                 \
    X(concept_b, 0, 0.75, 0.75, "BM25 b of the concept pass")                 \
    X(norm_label, 0, 1.3, 1.0,                                                \
      "label pass / max(best, this x a label of exactly the query)")          \
    X(depth, 1, 50, 50, "candidates taken from each pass")                    \
    X(rerank_depth, 1, 10, 30, "candidates the learned ranker reorders")      \
    X(w_model, 0, 5, 0.3, "learned ranker: weight of its score against "   \
      "the fused score over the best")                                        \
    /* skills -> occupations (propagate.c) */                                 \
    X(skill_opt, 0, 0.5, 0, "an optional skill counts this much")             \
    X(skill_min, 0, 0.7, 0, "skills under this share of the best: ignored")   \
    X(skill_depth, 1, 30, 0, "skills taken from the skill ranking")           \
    /* word vectors (labelvec.c) */                                           \
    X(vec_unseen, 0, 0.5, 0, "IDF of words in no label, x the highest")       \
    X(vec_norm, 0, 1, 0, "1: text score / best before adding the cosine")     \
    X(vec_floor, 0, 0.7, 0, "cosines below it count nothing")                 \
    X(vec_depth, 1, 50, 0, "candidates taken by vector")                      \
    /* job ads and CVs (match.c) */                                           \
    X(w_title, 0, 1.0, 0, "match: weight of the title ranking")               \
    X(w_body, 0, 0.6, 0, "match: weight of the body ranking")                 \
    X(w_skills, 0, 0.4, 0, "match: weight of the skills found")               \
    X(body_terms, 1, 60, 0, "match: words kept from the body")                \
    X(w_mention, 0, 1.0, 0, "match, untitled: weight of occupations named")  \
    X(mention_decay, 0, 40, 0, "match, untitled: words after which a named " \
      "occupation counts half")                                               \
    X(mention_word1, 0, 0.3, 0, "match, untitled: a one-word label counts " \
      "this much")                                                            \
    X(w_opening, 0, 0.6, 0, "match, untitled: weight of the opening words " \
      "searched as a title")                                                  \
    X(opening_words, 1, 12, 0, "match, untitled: opening words taken")      \
    X(untitled_w_body, 0, 0.8, 0, "match, untitled: weight of the body "    \
      "ranking")                                                              \
    X(match_depth, 1, 100, 0, "match: candidates taken from each ranking")    \
    X(body_w_label, 0, 0.3, 0, "match: body's label pass weight")             \
    X(body_w_concept, 0, 0.6, 0, "match: body's concept pass weight")         \
    X(body_w_skill, 0, 0.45, 0, "match: body's skill pass weight")            \
    X(title_w_vec, 0, 4.0, 0, "match: title's label-vector weight")           \
    X(title_w_meaning, 0, 2.0, 0, "match: title's title-classifier weight") \
    X(title_guard_skills, 0, 3, 0, "match: essential skills found that let " \
      "another occupation outrank the one the title names exactly")          \
    /* confidence of a skill found in text (skill_links.h): logistic          \
     * weights fitted by learn/skill_confidence.py */                         \
    X(conf_bias, 0, -1.2271, 0, "skill confidence: bias")                     \
    X(conf_pref, 0, 1.7499, 0, "skill confidence: a preferred label named")   \
    X(conf_alt, 0, -0.6940, 0, "skill confidence: an alternative label named") \
    X(conf_hidden, 0, -1.5178, 0, "skill confidence: a hidden label named")   \
    X(conf_word1, 0, 0.4055, 0, "skill confidence: a one-word label")         \
    X(conf_ranked, 0, -0.2784, 0, "skill confidence: ranked for its sentence") \
    X(conf_score, 0, 0.8036, 0, "skill confidence: the ranker's score")       \
    X(conf_first, 0, 0.0272, 0, "skill confidence: the ranker's first")      \
    X(conf_lrank, 0, -0.6661, 0, "skill confidence: log(1 + rank)")           \
    X(link_sentences, 1, 3, 0, "sentence -> skills: sentences the ranker "   \
      "reads (beyond, only labels named count; 0: none)")                     \
    X(link_w_concept, 0, 0, 0, "sentence -> skills: concept pass weight")  \
    X(link_depth, 1, 20, 0, "sentence -> skills: candidates per pass")      \
    X(link_max_postings, 1, 1500, 0, "sentence -> skills: words in more "    \
      "label documents are skipped")                                          \
    X(w_sentence_skill, 0, 1, 0, "match: a skill linked to a sentence alone " \
      "adds this x its confidence to occupations (a named label: 1)")         \
    X(body_w_vec, 0, 0, 0, "match: body's label-vector weight")

typedef struct ss_params {
#define SS_PARAM_FIELD(name, count, occ, skill, what) double name;
    SS_PARAMS(SS_PARAM_FIELD)
#undef SS_PARAM_FIELD
} ss_params;

/* Parses spec ("name=value,...", NULL or "" for none) over the defaults
 * into out[SS_KIND_OCC] and out[SS_KIND_SKILL]. SS_ERR_INVALID naming the
 * item for an unknown name, a value that is not a finite number, or a
 * count that is not a whole number in 0..100000. */
ss_status ss_params_parse(const char *spec, ss_params out[2], char **errmsg);

/* Parses SKILLSEARCH_RANK the first time (thread-safe); later calls give
 * the same status and message. */
ss_status ss_params_init(char **errmsg);

/* The parameters of kind: after a successful ss_params_init, with the
 * overrides; otherwise the defaults. Static, never to be freed. */
const ss_params *ss_params_get(ss_kind kind);

#endif
