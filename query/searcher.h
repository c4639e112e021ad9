/* searcher.h - a searcher's handles as a rank input, for the rankings that
 * run on it (search.c, match.c).
 *
 * Internal to query/. Everything in *in is borrowed from s, valid until s
 * is reloaded or destroyed.
 */
#ifndef SS_SEARCHER_H
#define SS_SEARCHER_H

#include "rank.h"

/* The searcher's handles as a rank input (text, kind, paging unset). */
void ss_searcher_rank_input(ss_searcher *s, ss_rank_input *in);

#endif
