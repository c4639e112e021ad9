#include "labelvec.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

struct ss_labelvec {
    const ss_wordvec *wv;
    unsigned dims;
    size_t nocc;
    float *idf;      /* per word of wv; 0: in no occupation label */
    float idf_max;
    size_t *off;     /* occupation o's labels: rows off[o] .. off[o+1] */
    uint16_t *label; /* row -> index of its label in the occupation */
    /* rows quantised to int8 (a quarter of the bytes a query scans) and
     * padded to LANES; row r is q[r * pad ...], its cosine dot * scale[r] */
    unsigned pad;
    int8_t *q;
    float *scale;
};

#define LANES 16

unsigned ss_labelvec_dims(const ss_labelvec *lv) { return lv->dims; }

void ss_labelvec_destroy(ss_labelvec *lv)
{
    if (!lv)
        return;
    free(lv->idf);
    free(lv->off);
    free(lv->label);
    free(lv->q);
    free(lv->scale);
    free(lv);
}

/* Calls fn(ctx, token index, word index) for each token with a vector,
 * taking a compound whole when known, else its parts. */
static size_t each_word(const ss_wordvec *wv, const ss_tokens *t,
                        const float *weight,
                        void (*fn)(void *, size_t, size_t), void *ctx)
{
    size_t found = 0;
    int whole = 0; /* the last compound had a vector: skip its parts */
    for (size_t i = 0; i < t->n; i++) {
        const ss_token *tk = &t->v[i];
        int part = (tk->flags & SS_TOK_PART) != 0;
        if (part && whole)
            continue;
        if (!part)
            whole = 0;
        float w = weight ? weight[i] : !(tk->flags & SS_TOK_STOP);
        if (w <= 0 || (tk->flags & SS_TOK_NUMERIC))
            continue;
        long k = ss_wordvec_find(wv, tk->text, strlen(tk->text));
        if (k < 0)
            continue;
        whole = !part;
        found++;
        fn(ctx, i, (size_t)k);
    }
    return found;
}

/* Word ids of one text, appended to a growing array. */
typedef struct ids {
    uint32_t *v;
    size_t n, cap;
} ids;

static void push_id(void *ctx, size_t i, size_t k)
{
    (void)i;
    ids *d = ctx;
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 4096;
        uint32_t *v = realloc(d->v, cap * sizeof *v);
        if (!v)
            return; /* the word is left out; no crash on a full heap */
        d->v = v;
        d->cap = cap;
    }
    d->v[d->n++] = (uint32_t)k;
}

typedef struct sum_ctx {
    const ss_labelvec *lv;
    const float *weight;
    float unseen;
    float *acc;
} sum_ctx;

static void add_word(void *ctx, size_t i, size_t k)
{
    sum_ctx *c = ctx;
    float idf = c->lv->idf[k] > 0 ? c->lv->idf[k] : c->unseen;
    float w = c->weight ? c->weight[i] : 1.0f;
    ss_wordvec_add(c->lv->wv, k, w * idf, c->acc);
}

size_t ss_labelvec_embed(const ss_labelvec *lv, const ss_tokens *t,
                         const float *weight, float unseen, float *out)
{
    memset(out, 0, lv->dims * sizeof *out);
    sum_ctx c = {lv, weight, unseen * lv->idf_max, out};
    size_t n = each_word(lv->wv, t, weight, add_word, &c);
    return n && ss_vec_normalize(out, lv->dims) ? n : 0;
}

/* x (dims floats) as int8 in q; returns the factor back to floats */
static float quantise(const float *x, unsigned dims, int8_t *q)
{
    float mx = 0;
    for (unsigned j = 0; j < dims; j++)
        mx = fabsf(x[j]) > mx ? fabsf(x[j]) : mx;
    if (!(mx > 0))
        return 0;
    for (unsigned j = 0; j < dims; j++)
        q[j] = (int8_t)lrintf(x[j] * 127.0f / mx);
    return mx / 127.0f;
}

ss_status ss_labelvec_build(const ss_wordvec *wv, const ss_analyzer *a,
                            const ss_concepts *cs, ss_labelvec **out,
                            char **errmsg)
{
    (void)errmsg;
    *out = NULL;
    ss_labelvec *lv = calloc(1, sizeof *lv);
    if (!lv)
        return SS_ERR_NOMEM;
    lv->wv = wv;
    lv->dims = ss_wordvec_dims(wv);
    lv->nocc = cs->nocc;
    size_t nw = ss_wordvec_count(wv), nlab = 0;
    for (size_t o = 0; o < cs->nocc; o++)
        nlab += cs->v[o].nlabels;
    lv->idf = calloc(nw + 1, sizeof *lv->idf);
    lv->off = calloc(cs->nocc + 1, sizeof *lv->off);
    lv->pad = (lv->dims + LANES - 1) / LANES * LANES;
    lv->label = calloc(nlab + 1, sizeof *lv->label);
    lv->q = calloc(nlab * lv->pad + 1, 1);
    lv->scale = calloc(nlab + 1, sizeof *lv->scale);
    uint32_t *seen = calloc(nw + 1, sizeof *seen);
    size_t *ioff = calloc(nlab + 1, sizeof *ioff);
    float *x = calloc(lv->dims, sizeof *x);
    ids w = {0};
    if (!lv->idf || !lv->off || !lv->label || !lv->q || !lv->scale ||
        !seen || !ioff || !x) {
        free(seen);
        free(ioff);
        free(x);
        ss_labelvec_destroy(lv);
        return SS_ERR_NOMEM;
    }
    /* labels are analysed once into word ids: their document frequencies
     * come first, the vectors need every word's IDF */
    size_t i = 0;
    for (size_t o = 0; o < cs->nocc; o++) {
        for (size_t l = 0; l < cs->v[o].nlabels; l++, i++) {
            const char *s = cs->v[o].labels[l];
            ss_tokens t = {0};
            ioff[i] = w.n;
            /* invalid UTF-8 cannot come from the catalogue; such a label
             * would just stay without a vector */
            if (ss_analyzer_tokenize(a, s, strlen(s), &t) == SS_OK)
                each_word(wv, &t, NULL, push_id, &w);
            ss_tokens_free(&t);
            for (size_t j = ioff[i]; j < w.n; j++)
                if (seen[w.v[j]] != o + 1) {
                    seen[w.v[j]] = (uint32_t)o + 1;
                    lv->idf[w.v[j]] += 1;
                }
        }
    }
    ioff[nlab] = w.n;
    double N = (double)cs->nocc + 1;
    lv->idf_max = (float)log(N);
    for (size_t k = 0; k < nw; k++)
        if (lv->idf[k] > 0)
            lv->idf[k] = (float)log(N / (lv->idf[k] + 1.0)) + 1e-3f;
    /* rows: labels with a vector, each distinct once per occupation
     * (gendered forms often differ only in words without vectors) */
    size_t row = 0;
    i = 0;
    for (size_t o = 0; o < cs->nocc; o++) {
        size_t first = row;
        for (size_t l = 0; l < cs->v[o].nlabels; l++, i++) {
            memset(x, 0, lv->dims * sizeof *x);
            for (size_t j = ioff[i]; j < ioff[i + 1]; j++)
                ss_wordvec_add(wv, w.v[j], lv->idf[w.v[j]], x);
            int8_t *q = lv->q + row * lv->pad;
            if (!ss_vec_normalize(x, lv->dims))
                continue;
            lv->scale[row] = quantise(x, lv->dims, q);
            int dup = 0;
            for (size_t r = first; r < row && !dup; r++)
                dup = !memcmp(lv->q + r * lv->pad, q, lv->pad);
            if (!dup)
                lv->label[row++] = (uint16_t)l;
            else
                memset(q, 0, lv->pad);
        }
        lv->off[o] = first;
    }
    lv->off[cs->nocc] = row;
    free(w.v);
    free(x);
    free(ioff);
    free(seen);
    *out = lv;
    return SS_OK;
}

/* int8 dot product over pad (a multiple of LANES) components */
#if defined(__SSE2__)
static int32_t dot8(const int8_t *a, const int8_t *b, unsigned pad)
{
    __m128i acc = _mm_setzero_si128();
    for (unsigned j = 0; j < pad; j += LANES) {
        __m128i x = _mm_loadu_si128((const __m128i *)(a + j));
        __m128i y = _mm_loadu_si128((const __m128i *)(b + j));
        /* sign-extend bytes to 16 bits: unpack with itself, shift back */
        __m128i xl = _mm_srai_epi16(_mm_unpacklo_epi8(x, x), 8);
        __m128i xh = _mm_srai_epi16(_mm_unpackhi_epi8(x, x), 8);
        __m128i yl = _mm_srai_epi16(_mm_unpacklo_epi8(y, y), 8);
        __m128i yh = _mm_srai_epi16(_mm_unpackhi_epi8(y, y), 8);
        acc = _mm_add_epi32(acc, _mm_madd_epi16(xl, yl));
        acc = _mm_add_epi32(acc, _mm_madd_epi16(xh, yh));
    }
    int32_t v[4];
    _mm_storeu_si128((__m128i *)v, acc);
    return v[0] + v[1] + v[2] + v[3];
}
#else
static int32_t dot8(const int8_t *a, const int8_t *b, unsigned pad)
{
    int32_t s = 0;
    for (unsigned j = 0; j < pad; j++)
        s += (int32_t)a[j] * (int32_t)b[j];
    return s;
}
#endif

/* Occupations o0 .. o1-1, one row at a time. */
static void similar_scalar(const ss_labelvec *lv, const int8_t *qq, float qs,
                           size_t o0, size_t o1, float *sim, uint16_t *label)
{
    for (size_t o = o0; o < o1; o++) {
        float best = 0;
        uint16_t bl = 0;
        for (size_t r = lv->off[o]; r < lv->off[o + 1]; r++) {
            float c = (float)dot8(qq, lv->q + r * lv->pad, lv->pad) *
                      lv->scale[r] * qs;
            if (c > best)
                best = c, bl = lv->label[r];
        }
        sim[o] = best;
        label[o] = bl;
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
/* Rows r .. r+7 dotted with the query, as 8 int32 sums. */
__attribute__((target("avx2"))) static inline __m256i
dot8_rows(const int8_t *rows, unsigned pad, const __m256i *q16,
          unsigned steps)
{
    /* eight named accumulators: an array would live on the stack */
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0,
            a4 = a0, a5 = a0, a6 = a0, a7 = a0;
#define SS_ROW(i, acc)                                                        \
    acc = _mm256_add_epi32(                                                  \
        acc, _mm256_madd_epi16(_mm256_cvtepi8_epi16(_mm_loadu_si128(         \
                                   (const __m128i *)(p + (i) * pad))),       \
                               qk))
    for (unsigned k = 0; k < steps; k++) {
        const int8_t *p = rows + k * LANES;
        __m256i qk = q16[k];
        SS_ROW(0, a0); SS_ROW(1, a1); SS_ROW(2, a2); SS_ROW(3, a3);
        SS_ROW(4, a4); SS_ROW(5, a5); SS_ROW(6, a6); SS_ROW(7, a7);
    }
#undef SS_ROW
    /* one horizontal sum for 8 rows instead of one per row */
    __m256i a = _mm256_hadd_epi32(a0, a1), b = _mm256_hadd_epi32(a2, a3);
    __m256i c = _mm256_hadd_epi32(a4, a5), d = _mm256_hadd_epi32(a6, a7);
    a = _mm256_hadd_epi32(a, b);
    c = _mm256_hadd_epi32(c, d);
    return _mm256_add_epi32(_mm256_permute2x128_si256(a, c, 0x20),
                            _mm256_permute2x128_si256(a, c, 0x31));
}

/* The same scan with AVX2 (16 products a step, 8 rows at once), chosen at
 * run time: the scan is most of an occupation query's time. The rows of a
 * run of whole occupations are scored into dots[], then each occupation
 * takes its best; the arithmetic is the scalar path's, so results are
 * identical. */
__attribute__((target("avx2"))) static void
similar_avx2(const ss_labelvec *lv, const int8_t *qq, float qs, float *sim,
             uint16_t *label)
{
    enum { CHUNK = 1024 };
    __m256i q16[SS_WORDVEC_MAX_DIMS / LANES + 1];
    float dots[CHUNK];
    unsigned steps = lv->pad / LANES;
    for (unsigned k = 0; k < steps; k++)
        q16[k] = _mm256_cvtepi8_epi16(
            _mm_loadu_si128((const __m128i *)(qq + k * LANES)));
    __m256 vqs = _mm256_set1_ps(qs);
    const size_t *off = lv->off;
    for (size_t o = 0, o1; o < lv->nocc; o = o1) {
        size_t r0 = off[o];
        for (o1 = o; o1 < lv->nocc && off[o1 + 1] - r0 <= CHUNK; o1++)
            ;
        if (o1 == o) { /* more labels than a chunk holds */
            similar_scalar(lv, qq, qs, o, ++o1, sim, label);
            continue;
        }
        size_t n = off[o1] - r0, k = 0;
        for (; k + 8 <= n; k += 8) {
            __m256i d = dot8_rows(lv->q + (r0 + k) * lv->pad, lv->pad, q16,
                                  steps);
            __m256 c = _mm256_mul_ps(
                _mm256_mul_ps(_mm256_cvtepi32_ps(d),
                              _mm256_loadu_ps(lv->scale + r0 + k)),
                vqs);
            _mm256_storeu_ps(dots + k, c);
        }
        for (; k < n; k++)
            dots[k] = (float)dot8(qq, lv->q + (r0 + k) * lv->pad, lv->pad) *
                      lv->scale[r0 + k] * qs;
        for (size_t p = o; p < o1; p++) {
            /* branch-free: which label wins is data, not predictable */
            float best = 0;
            size_t br = SIZE_MAX;
            for (size_t r = off[p]; r < off[p + 1]; r++) {
                float d = dots[r - r0];
                int gt = d > best;
                best = gt ? d : best;
                br = gt ? r : br;
            }
            sim[p] = best;
            label[p] = br == SIZE_MAX ? 0 : lv->label[br];
        }
    }
}
#endif

void ss_labelvec_similar(const ss_labelvec *lv, const float *q, float *sim,
                         uint16_t *label)
{
    int8_t qq[SS_WORDVEC_MAX_DIMS + LANES] = {0};
    float qs = quantise(q, lv->dims, qq);
#if defined(__x86_64__) && defined(__GNUC__)
    if (__builtin_cpu_supports("avx2")) {
        similar_avx2(lv, qq, qs, sim, label);
        return;
    }
#endif
    similar_scalar(lv, qq, qs, 0, lv->nocc, sim, label);
}

/* ------------------------------------------------- one per generation */

typedef struct shared_vec {
    dev_t dev[2];
    ino_t ino[2];
    ss_wordvec *wv;
    ss_labelvec *lv;
    unsigned refs;
    struct shared_vec *next;
} shared_vec;

static pthread_mutex_t vec_mu = PTHREAD_MUTEX_INITIALIZER;
static shared_vec *vec_list;

void ss_labelvec_release(const ss_labelvec *lv)
{
    if (!lv)
        return;
    pthread_mutex_lock(&vec_mu);
    shared_vec *v = NULL;
    for (shared_vec **pp = &vec_list; *pp; pp = &(*pp)->next)
        if ((*pp)->lv == lv) {
            v = *pp;
            if (--v->refs == 0)
                *pp = v->next;
            else
                v = NULL;
            break;
        }
    pthread_mutex_unlock(&vec_mu);
    if (v) {
        ss_labelvec_destroy(v->lv);
        ss_wordvec_destroy(v->wv);
        free(v);
    }
}

ss_status ss_labelvec_acquire(const char *path, const char *key,
                              const ss_analyzer *a, const ss_concepts *cs,
                              const ss_labelvec **out, char **errmsg)
{
    *out = NULL;
    struct stat sa, sb;
    if (stat(path, &sa) != 0 || stat(key, &sb) != 0)
        return ss_set_error(errmsg, SS_ERR_IO, "%s: %s", path,
                            strerror(errno));
    pthread_mutex_lock(&vec_mu);
    shared_vec *v = vec_list;
    while (v && !(v->dev[0] == sa.st_dev && v->ino[0] == sa.st_ino &&
                  v->dev[1] == sb.st_dev && v->ino[1] == sb.st_ino))
        v = v->next;
    ss_status st = SS_OK;
    if (!v) {
        /* built under the lock: a second opener waits rather than
         * building the same vectors again */
        v = calloc(1, sizeof *v);
        st = v ? ss_wordvec_open(path, &v->wv, errmsg) : SS_ERR_NOMEM;
        if (st == SS_OK)
            st = ss_labelvec_build(v->wv, a, cs, &v->lv, errmsg);
        if (st == SS_OK) {
            v->dev[0] = sa.st_dev, v->ino[0] = sa.st_ino;
            v->dev[1] = sb.st_dev, v->ino[1] = sb.st_ino;
            v->next = vec_list;
            vec_list = v;
        } else if (v) {
            ss_wordvec_destroy(v->wv);
            free(v);
            v = NULL;
        }
    }
    if (v) {
        v->refs++;
        *out = v->lv;
    }
    pthread_mutex_unlock(&vec_mu);
    return st;
}
