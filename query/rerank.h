/* rerank.h - the learned ranker: a gradient-boosted tree model (XGBoost,
 * LambdaMART objective) that reorders the first candidates of a ranking
 * from their features (features.h). Trained by `skillsearch train`
 * (learn/), stored in data/models/ and copied into each index generation.
 *
 * Ownership: ss_reranker_open gives a handle that ss_reranker_destroy
 * frees (NULL ok). Not thread-safe: a searcher (one per thread) opens its
 * own.
 */
#ifndef SS_RERANK_H
#define SS_RERANK_H

#include <stddef.h>

#include "../core/status.h"

typedef struct ss_reranker ss_reranker;

/* SS_ERR_NOT_FOUND if path does not exist; SS_ERR_CORRUPT (naming path)
 * if it is not a model, or one trained on other features. */
ss_status ss_reranker_open(const char *path, ss_reranker **out,
                           char **errmsg);
void ss_reranker_destroy(ss_reranker *m);

/* out[i] = the model's score of row i of X (n rows of ss_nfeatures). */
ss_status ss_reranker_score(ss_reranker *m, const float *X, size_t n,
                            float *out, char **errmsg);

#endif
