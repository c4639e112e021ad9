/* explain.h - why a hit was found: the label that matched, the skill that
 * counted, the similar label, the words found in the concept, the
 * synonyms and spelling used. Each signal's row (signals.h) names its
 * explain function; ss_explain_hit runs them in table order, then adds
 * what the query analysis did.
 *
 * Internal to query/. Reasons and matched words are malloc'd into the hit
 * (freed by ss_hits_free).
 */
#ifndef SS_EXPLAIN_H
#define SS_EXPLAIN_H

#include "analyse.h"
#include "signals.h"

ss_status ss_explain_label(const ss_rank_input *in, const ss_cand *c,
                           ss_hit *h);
ss_status ss_explain_vector(const ss_rank_input *in, const ss_cand *c,
                            ss_hit *h);
ss_status ss_explain_exact(const ss_rank_input *in, const ss_cand *c,
                           ss_hit *h);
ss_status ss_explain_meaning(const ss_rank_input *in, const ss_cand *c,
                             ss_hit *h);
ss_status ss_explain_skill(const ss_rank_input *in, const ss_cand *c,
                           ss_hit *h);

ss_status ss_explain_hit(const ss_rank_input *in, const ss_qwords *w,
                         const ss_cand *c, ss_hit *h);

#endif
