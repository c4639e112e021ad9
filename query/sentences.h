/* sentences.h - a long text cut into sentences, for linking each to skills.
 *
 * A sentence ends at a line break, or at . ! ? ; followed by a space when
 * the character before is not a digit or a capital (so "3.5" and "e.g."
 * inside a word stay whole). Bullets and item numbers ("- ", "* ", "• ",
 * "1. ", "2) ") that open a line are left out of the span, as is the
 * white space around it. Empty sentences are skipped.
 *
 * Ownership: *out is malloc'd (free() it), also when *n is 0.
 */
#ifndef SS_SENTENCES_H
#define SS_SENTENCES_H

#include <stddef.h>

#include "../core/status.h"

typedef struct ss_sentence {
    size_t start, end; /* byte span [start,end) in the text */
} ss_sentence;

/* At most max sentences (the rest of a longer text is not split). */
ss_status ss_sentences_split(const char *text, size_t len, size_t max,
                             ss_sentence **out, size_t *n);

#endif
