/* index_build.h - ESCO concepts -> the index (layout in schema.h).
 *
 * For every occupation and skill it writes one concept document (all fields
 * as T terms, labels and skills also as L and S terms, filters as boolean
 * terms; Xapian and concepts.mix) and one label document per preferred,
 * alternative and hidden label (labels.mix: collapsed per concept at query
 * time, so the best-matching label wins and short exact labels are not
 * drowned by long descriptions).
 */
#ifndef SS_INDEX_BUILD_H
#define SS_INDEX_BUILD_H

#include "../core/progress.h"
#include "../core/status.h"
#include "../core/text.h"
#include "esco.h"

typedef struct ss_build_stats {
    unsigned occ_docs, skill_docs, label_docs;
    unsigned synonyms, spellings;
} ss_build_stats;

/* Builds gendir/xapian (the database) and gendir/labels.mix and
 * concepts.mix (memindex.h), with the layout of schema.h. datadir has
 * stop/ and synonyms/ (the files a's language row names; may be absent).
 * p may be NULL. */
ss_status ss_index_build(const char *gendir, const ss_esco *e, ss_analyzer *a,
                         const char *datadir, ss_progress *p,
                         ss_build_stats *stats, char **errmsg);


#endif
