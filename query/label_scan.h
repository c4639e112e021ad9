/* label_scan.h - ESCO labels named in a text, longest match first.
 *
 * Walks the terms of a text left to right; at each word, the longest run
 * of up to SS_SCAN_MAX_WORDS words whose whole-label key (ss_terms_key)
 * is a label of a concept in a document range of labels.mix is reported,
 * and the walk goes on after it. A run neither splits a compound nor ends
 * on a stop word. Among the labels with that key, a preferred one is
 * reported before an alternative before a hidden one.
 */
#ifndef SS_LABEL_SCAN_H
#define SS_LABEL_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "../core/terms.h"
#include "rank.h"

#define SS_SCAN_MAX_WORDS 6

/* One label found: its labels.mix document and the terms [i, j) of t it
 * covers, words long. A status other than SS_OK stops the scan. */
typedef ss_status (*ss_label_fn)(void *ctx, uint32_t doc, size_t i, size_t j,
                                 int words);

/* Labels of the documents [from, to) of in->labels named in t. */
ss_status ss_label_scan(const ss_rank_input *in, const ss_terms *t,
                        uint32_t from, uint32_t to, ss_label_fn found,
                        void *ctx);

#endif
