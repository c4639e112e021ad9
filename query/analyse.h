/* analyse.h - what a query says, before any scoring: its words after
 * analysis (core/terms.h, the indexer's path), which of them to search
 * for, title noise and seniority words, the head noun, curated synonyms of
 * its spans, and spelling corrections of words no label has.
 *
 * Internal to query/. Ownership: ss_qwords_free() frees everything in a
 * ss_qwords (the struct may live on the stack); synonym entries are
 * borrowed from the table in the rank input.
 */
#ifndef SS_ANALYSE_H
#define SS_ANALYSE_H

#include <stddef.h>

#include "../core/terms.h"
#include "../synonyms/synonyms.h"
#include "rank.h"

#define SS_MAX_QTERMS 64 /* distinct words used from one query */
#define SS_MAX_SPAN 6    /* longest query span looked up as a whole label */
#define SS_MAX_PAIRS 128 /* tokens scanned for phrases, label keys, bigrams:
                            long texts must stay linear (match selects
                            terms) */

typedef struct ss_qwords {
    ss_terms t;
    size_t *use;     /* indices into t of distinct terms to search for */
    size_t nuse;
    char **extra;    /* spelling corrections (stems), searched at lower weight */
    char **fixed;    /* extra[i] as the dictionary spells it */
    size_t *fixed_tok; /* the token extra[i] corrects */
    size_t nextra;
    char *suggestion; /* the text with the corrections applied, or NULL */
    int head;        /* index in t of the head word, -1 if none */
    double idf_sum;  /* BM25 idf of the used words in label documents */
    const ss_syn **syn; /* curated synonyms whose key is a span of the query */
    size_t nsyn;
    unsigned char *weak; /* per token: a seniority word (weighed down) */
} ss_qwords;

/* Analyses in->text for in->kind with params p (spell, titles). Fails
 * only for invalid UTF-8 (SS_ERR_INVALID, with a message) or memory. */
ss_status ss_qwords_analyse(const ss_rank_input *in, const ss_params *p,
                            ss_qwords *w, char **errmsg);
void ss_qwords_free(ss_qwords *w);

/* Calls fn for every span of the query that could be a label or a synonym
 * key (at most SS_MAX_SPAN words, not splitting a compound, neither
 * starting nor ending on a stop word); fn gets the span's analysed key
 * (borrowed for the call) and its word count, and may fail. */
ss_status ss_qwords_spans(const ss_qwords *w,
                          ss_status (*fn)(void *, const char *, size_t),
                          void *ctx);

#endif
