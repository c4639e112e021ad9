/* search.h - free-text search over an index, shared by the CLI and server.
 *
 * A searcher bundles what one thread needs: a read-only Xapian handle, an
 * analyzer for the index language, and the catalogue. It is not thread-safe:
 * give each worker thread its own (ss_searcher_open per thread).
 *
 * Free text is never a syntax error: words are analysed exactly as at index
 * time and combined by the ranking (rank.h). The opt-in boolean syntax
 * (req.syntax) is syntax.h's.
 */
#ifndef SS_SEARCH_H
#define SS_SEARCH_H

#include <stddef.h>

#include "../core/concepts.h"
#include "../core/status.h"

typedef struct ss_searcher ss_searcher;

/* index: the INDEX path (symlink or directory). datadir: the folder with
 * stop/ and synonyms/ (NULL: $SKILLSEARCH_DATA, else "data" beside the
 * binary's cwd). */
ss_status ss_searcher_open(const char *index, const char *datadir,
                           ss_searcher **out, char **errmsg);
void ss_searcher_destroy(ss_searcher *s);

/* Reopens if INDEX now points at a new generation; *changed set to 1 then.
 * On failure the searcher keeps serving the generation it had. */
ss_status ss_searcher_reload(ss_searcher *s, int *changed, char **errmsg);

/* Borrowed, valid until the searcher is destroyed or reloaded. */
const char *ss_searcher_lang(const ss_searcher *s);
const char *ss_searcher_generation(const ss_searcher *s);
unsigned ss_searcher_doccount(const ss_searcher *s);
/* Occupations and skills in the generation (a download may have no
 * skills, e.g. ESCO's French folder). */
void ss_searcher_counts(const ss_searcher *s, size_t *occupations,
                        size_t *skills);
/* Why a learned ranker in the index could not be loaded (its file is
 * damaged or of other features), or NULL; search then keeps the fused
 * order. Borrowed like the above. */
const char *ss_searcher_model_error(const ss_searcher *s);

/* The catalogue handle, borrowed like the above. */
typedef struct sqlite3 sqlite3;
sqlite3 *ss_searcher_catalog(ss_searcher *s);

/* ESCO's occupation/skill relations (skillgraph.h), loaded from the
 * catalogue on the first call and kept until the searcher is destroyed or
 * reloads a new generation; borrowed until then. Not thread-safe, like
 * every searcher call. SS_ERR_CORRUPT: the catalogue lacks a table. */
typedef struct ss_skillgraph ss_skillgraph;
ss_status ss_searcher_skillgraph(ss_searcher *s, const ss_skillgraph **out,
                                 char **errmsg);

typedef enum ss_kind { SS_KIND_OCC = 0, SS_KIND_SKILL = 1 } ss_kind;

/* 1 if v is an ISCO prefix filter: 1 to 4 digits. */
int ss_isco_valid(const char *v);

/* 1 if searches of kind are reordered by a learned ranker. */
int ss_searcher_has_model(const ss_searcher *s, ss_kind kind);

typedef struct ss_search_req {
    const char *text;   /* free text, UTF-8 */
    size_t len;         /* bytes of text (0: strlen) */
    ss_kind kind;
    unsigned offset;
    unsigned limit;     /* 0: 10 */
    const char *isco;   /* ISCO prefix filter ("3", "311", ...) or NULL */
    char skilltype;     /* skills: a code of ss_skill_types, 0: any */
    char reuse;         /* skills: a code of ss_reuse_levels, 0: any */
    int facets;         /* 1: fill per-group counts */
    int syntax;         /* 1: text is a boolean query (syntax.h), else
                           free text */
} ss_search_req;

typedef struct ss_hit {
    char *uri;
    char *label;
    char *type;        /* "occupation" or "skill" */
    char *isco;        /* occupations: 4-digit group; skills: "" */
    double score;
    char **matched;    /* the query words that matched, as typed */
    size_t nmatched;
    char **reasons;    /* short explanations: "label: ...", "synonym: ...",
                          "essential skill: ..." */
    size_t nreasons;
    unsigned ordinal;  /* concept number within this index generation */
} ss_hit;

typedef struct ss_facet {
    const char *dim;   /* static: "isco", "skill_type" or "reuse" */
    char *key;         /* ISCO major group "1".."9","0", skill type or
                          reuse level */
    char *label;
    unsigned count;
} ss_facet;

typedef struct ss_hits {
    ss_hit *v;
    size_t n;
    unsigned total_estimate;
    char *suggestion;  /* "did you mean", or NULL */
    ss_facet *facets;
    size_t nfacets;
} ss_hits;

/* out is filled (caller frees with ss_hits_free). SS_ERR_INVALID for text
 * that is not valid UTF-8; an empty or all-punctuation query gives 0 hits.
 * With req->syntax, SS_ERR_BAD_QUERY for text the syntax rejects (see
 * syntax.h). */
ss_status ss_searcher_search(ss_searcher *s, const ss_search_req *req,
                             ss_hits *out, char **errmsg);
void ss_hits_free(ss_hits *h); /* frees contents; h may be on the stack */

#endif
