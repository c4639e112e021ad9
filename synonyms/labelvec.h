/* labelvec.h - occupation labels as static word vectors, for matching by
 * meaning: "coder" finds software developer though no label says it.
 *
 * A text's vector is the IDF-weighted mean of its words' vectors; IDF is
 * over occupations (a word in the labels of few occupations tells more).
 * An occupation's similarity to a query is the best cosine over all its
 * labels (preferred, alternative, hidden).
 *
 * Ownership: ss_labelvec_build() borrows wv, which must outlive the
 * result; ss_labelvec_destroy() frees it (NULL ok). Read-only after
 * building: share it across threads.
 */
#ifndef SS_LABELVEC_H
#define SS_LABELVEC_H

#include <stddef.h>
#include <stdint.h>

#include "../core/text.h"
#include "wordvec.h"
#include "../core/concepts.h"

typedef struct ss_labelvec ss_labelvec;

ss_status ss_labelvec_build(const ss_wordvec *wv, const ss_analyzer *a,
                            const ss_concepts *cs, ss_labelvec **out,
                            char **errmsg);
void ss_labelvec_destroy(ss_labelvec *lv);

/* The label vectors of one index generation, shared by every searcher of
 * it (the server opens one per thread): built from the word-vector file
 * at path on the first call, counted, freed by the last release. A
 * generation is known by the identities of path and of key (a file of
 * the generation, e.g. its catalogue), since one vector file is
 * hard-linked into many generations. Release accepts NULL. */
ss_status ss_labelvec_acquire(const char *path, const char *key,
                              const ss_analyzer *a, const ss_concepts *cs,
                              const ss_labelvec **out, char **errmsg);
void ss_labelvec_release(const ss_labelvec *lv);

unsigned ss_labelvec_dims(const ss_labelvec *lv);

/* Vector of tokens (out: dims floats, unit length). weight[i] scales token
 * i (0 skips it; NULL: stop words 0, others 1). A compound (C++, e-mail)
 * counts as a whole if the vectors know it, else by its parts. A word in
 * no occupation label gets unseen times the highest IDF. Returns the
 * number of tokens that had a vector (0: out is all zero). */
size_t ss_labelvec_embed(const ss_labelvec *lv, const ss_tokens *t,
                         const float *weight, float unseen, float *out);

/* For every occupation o < nocc: sim[o] = best cosine of q (unit length)
 * with its labels, label[o] = which label (index into its labels). */
void ss_labelvec_similar(const ss_labelvec *lv, const float *q, float *sim,
                         uint16_t *label);

#endif
