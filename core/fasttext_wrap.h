/* fasttext_wrap.h - the C face of fastText (libfasttext), for its
 * supervised classifier: text -> the labels it was trained on, with a
 * probability each. The only C++ for it lives in fasttext_wrap.cc.
 *
 * No exception crosses into C: every call catches them and returns
 * SS_ERR_INTERNAL (or SS_ERR_NOMEM, SS_ERR_CORRUPT for a file fastText
 * cannot read) with a malloc'd message (status.h).
 *
 * Threads: a handle is only read by ss_ft_predict (fastText keeps its
 * scratch state per call), so one handle serves any number of threads.
 *
 * Ownership: ss_ft_open's handle is freed with ss_ft_destroy (NULL ok);
 * ss_ft_label's string is borrowed and lives as long as the handle.
 */
#ifndef SS_FASTTEXT_WRAP_H
#define SS_FASTTEXT_WRAP_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ss_ft ss_ft;

/* Loads a model (.bin or quantized .ftz). SS_ERR_NOT_FOUND when path does
 * not exist, SS_ERR_CORRUPT when it is not a fastText model. */
ss_status ss_ft_open(const char *path, ss_ft **out, char **errmsg);
void ss_ft_destroy(ss_ft *ft);

size_t ss_ft_nlabels(const ss_ft *ft);
/* Label i as trained, without fastText's "__label__" prefix. */
const char *ss_ft_label(const ss_ft *ft, size_t i);

/* The k most probable labels for text (words separated by blanks, one
 * line): label[i] (for ss_ft_label) and prob[i], most probable first;
 * *n of them. */
ss_status ss_ft_predict(const ss_ft *ft, const char *text, size_t k,
                        uint32_t *label, float *prob, size_t *n,
                        char **errmsg);

/* Supervised training (softmax loss, one thread, fixed seed: the same
 * input gives the same model), then product quantization into a small
 * .ftz when cutoff > 0 (the cutoff most useful words and n-grams kept).
 * input: one example a line, "__label__X word word ...". */
typedef struct ss_ft_train_opts {
    int dim, epoch, bucket, minn, maxn, word_ngrams, cutoff;
    double lr;
    /* NULL, or called now and then with the share of training done (0..1,
     * quantization's retraining included) */
    void (*progress)(void *ctx, double done);
    void *ctx;
} ss_ft_train_opts;

ss_status ss_ft_train(const char *input, const char *out_path,
                      const ss_ft_train_opts *o, char **errmsg);

#ifdef __cplusplus
}
#endif

#endif
