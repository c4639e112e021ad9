/* meaning.h - the title classifier: a supervised fastText model trained
 * on labelled job titles and ESCO's own labels (text -> occupation),
 * whose probabilities add to the learned ranker's order and whose best
 * guesses join the candidates, for titles that share no word with the
 * right label. Trained by `skillsearch train --meaning` (learn/),
 * stored in data/models/ and copied into each index generation.
 *
 * Training and serving build the model's input with the same function,
 * ss_meaning_line, so the two cannot drift apart.
 *
 * Ownership: ss_meaning_open gives a handle that ss_meaning_destroy frees
 * (NULL ok); it borrows concepts, which must outlive it. A handle is only
 * read after opening, so threads may share one.
 */
#ifndef SS_MEANING_H
#define SS_MEANING_H

#include <stddef.h>
#include <stdint.h>

#include "../core/concepts.h"
#include "../core/status.h"
#include "../core/text.h"

typedef struct ss_meaning ss_meaning;

/* Loads the model at path and maps its labels (ESCO concept ids, the last
 * segment of the URI) to the concepts of the index. SS_ERR_NOT_FOUND if
 * path does not exist; SS_ERR_CORRUPT (naming path) if it is not a
 * fastText model or names no concept of the index. */
ss_status ss_meaning_open(const char *path, const ss_concepts *concepts,
                          ss_meaning **out, char **errmsg);
void ss_meaning_destroy(ss_meaning *m);

/* The k most probable concepts for the analysed text: concept[i] (an
 * ordinal of concepts) and prob[i], most probable first; *n of them
 * (labels the index lacks are skipped). */
ss_status ss_meaning_predict(const ss_meaning *m, const ss_tokens *tok,
                             size_t k, uint32_t *concept, float *prob,
                             size_t *n, char **errmsg);

/* The model's input for tok: its normalised words (compound parts
 * aside), space-separated, as a malloc'd string; NULL: no memory. */
char *ss_meaning_line(const ss_tokens *tok);

/* The label a training line names for concept uri ("__label__" + the
 * URI's last segment), as a malloc'd string; NULL: no memory. */
char *ss_meaning_label(const char *uri);

#endif
