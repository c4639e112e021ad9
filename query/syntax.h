/* syntax.h - the opt-in boolean query mode (`search --syntax`,
 * `/search?syntax=1`): recruiter-style queries read by Xapian's
 * QueryParser against the Xapian concept documents (schema.h).
 *
 *   nurse AND (pediatric OR paediatric) NOT manager
 *   "software developer" label:engineer skill:"project management"
 *   isco:25 type:skill skilltype:knowledge reuse:transversal
 *
 * Words with no field match labels, skill labels (occupations) and
 * descriptions; a phrase matches within one label or skill label. Words
 * are analysed like free text (core/terms.h). `type:` overrides the
 * request's kind.
 */
#ifndef SS_SYNTAX_H
#define SS_SYNTAX_H

#include "search.h"

/* Longest query (bytes) and deepest bracket nesting accepted. */
#define SS_SYNTAX_MAX_BYTES 4096
#define SS_SYNTAX_MAX_DEPTH 32

/* Runs req->text as a query in this syntax (req->syntax is not looked
 * at). out is filled as by ss_searcher_search (no facets, no
 * suggestion). SS_ERR_BAD_QUERY with a message naming the problem for
 * anything wrong with the text (parser errors, unknown fields or filter
 * values, invalid UTF-8, too long or too deeply nested); other statuses
 * are failures of the index. */
ss_status ss_syntax_search(ss_searcher *s, const ss_search_req *req,
                           ss_hits *out, char **errmsg);

#endif
