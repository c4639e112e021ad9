/* suggest_int.h - internal to query/suggest*.c: the tables of an
 * ss_suggest (suggest.h) and the helpers its files share. suggest.c: the
 * public API, the top-k collector and the prefix lookup; suggest_build.c:
 * labels from the catalogue, normalising, keys, hot prefixes and words;
 * suggest_typo.c: the one-typo word matching.
 */
#ifndef SS_SUGGEST_INT_H
#define SS_SUGGEST_INT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/text.h"
#include "suggest.h"

#define MAX_RESULTS 50 /* lookup caps max here: top-k is a linear list */
#define MAX_WORD_CP 64 /* longer words are never typo candidates */

typedef struct concept {
    char *uri;
    const char *id; /* into uri */
    char *label;
    unsigned char skill;
} concept;

typedef struct label {
    char *text;
    char *norm;
    uint32_t concept;
    unsigned char alt;
} label;

typedef struct key {
    const char *s; /* a word start inside a label's norm, to its end */
    uint32_t label;
    uint64_t rank; /* smaller is better, see ss_suggest_lookup */
} key;

typedef struct word {
    char *w;
    uint32_t *cp;
    size_t ncp;
    uint32_t freq;
} word;

/* Precomputed answers for prefixes shared by more than HOT_MIN keys, so
 * a lookup never scans more than HOT_MIN keys ("s" alone matches ~40k). */
#define HOT_MIN 256
#define HOT_K 10
typedef struct hot {
    char *prefix;
    uint64_t rank[HOT_K];
    uint32_t label[HOT_K];
    size_t n;
} hot;

struct ss_suggest {
    concept *c;
    size_t nc, capc;
    label *l;
    size_t nl, capl;
    key *k;
    size_t nk;
    hot *hot;
    size_t nhot, caphot;
    word *w;              /* unique words, sorted */
    size_t nw;
    size_t first[257];    /* w[first[b]..first[b+1]): first byte b */
    uint32_t *by2;        /* word indices grouped by their second letter's */
    size_t second[257];   /* first byte: by2[second[b]..second[b+1]) */
    ss_analyzer *an;      /* tokenises only: safe to share between threads */
};

typedef struct topk {
    uint64_t rank[MAX_RESULTS];
    uint32_t label[MAX_RESULTS];
    size_t n, max;
    unsigned char want; /* 0: any concept; else only concept.skill == want-1 */
} topk;

/* ------------------------------------------------------ suggest_build.c */

/* The words of s as the analyser cuts and normalises them (core/text.h),
 * joined by single spaces; malloc'd. A compound the analyser splits
 * ("self-employed", "host/hostess", "r&d") is read as its parts, so that
 * "host / hostess" or "customer/ord" typed meets it; one it keeps whole
 * (c++, .net, node.js) stays one word. */
ss_status ss_suggest_norm_words(const ss_analyzer *a, const char *s,
                                size_t len, char **out);

/* Code points of valid UTF-8 (as the normaliser produces); at most max
 * (max + 1 if s has more). */
size_t ss_suggest_decode_cp(const char *s, uint32_t *cp, size_t max);

/* Byte that starts the second letter of w (0 if none). */
unsigned char ss_suggest_second_byte(const char *w);

/* Appends the concepts of one catalogue table (skill: 1 for the skill
 * table) and their labels; *errmsg names what failed. */
ss_status ss_suggest_load_table(ss_suggest *sg, sqlite3 *db, const char *sql,
                                int skill, char **errmsg);

/* Once every label is in: the sorted keys, the hot prefixes and the words.
 * Fails only with SS_ERR_NOMEM. */
ss_status ss_suggest_build_keys(ss_suggest *sg);

/* ------------------------------------------------------------ suggest.c */

/* Keeps the best max labels, one per concept. A concept evicted earlier can
 * come back only with a better rank than max others: the result is exact,
 * and merging the top k of sub-ranges gives the top k of their union. */
void ss_suggest_topk_offer(topk *t, const ss_suggest *sg, uint64_t rank,
                           uint32_t li);

/* Offers the keys k[lo..hi) to t. */
void ss_suggest_scan_range(const ss_suggest *sg, size_t lo, size_t hi,
                           topk *t);

/* Offers to t the labels with a word start that begins with q (normalised
 * as ss_suggest_norm_words does). */
void ss_suggest_prefix_scan(const ss_suggest *sg, const char *q, topk *t);

/* ------------------------------------------------------- suggest_typo.c */

/* One typo: fix the first unknown complete word, else the partial last
 * word, trying the most frequent close vocabulary words. */
ss_status ss_suggest_typo_scan(const ss_suggest *sg, const char *q, topk *t);

#endif
