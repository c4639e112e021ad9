#include "wordvec.h"

#include <errno.h>
#include <float.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/mapfile.h"
#include "../core/text.h"

static const char MAGIC[8] = {'S', 'S', 'W', 'V', 'E', 'C', '0', '1'};

typedef struct header {
    char magic[8];
    uint32_t dims, nwords;
    uint64_t size;
} header;

struct ss_wordvec {
    void *map;
    size_t size;
    unsigned dims;
    size_t n;
    const uint32_t *offs;
    const char *str;
    const float *scale;
    const int8_t *q;
};

static uint64_t pad8(uint64_t n) { return (n + 7) & ~(uint64_t)7; }

ss_status ss_wordvec_open(const char *path, ss_wordvec **out, char **errmsg)
{
    *out = NULL;
    void *map;
    size_t size;
    ss_status st = ss_file_map(path, sizeof(header), &map, &size, errmsg);
    if (st == SS_ERR_CORRUPT) {
        if (errmsg) {
            free(*errmsg);
            *errmsg = NULL;
        }
        return ss_set_error(errmsg, SS_ERR_CORRUPT,
                            "%s: not a skillsearch word-vector file", path);
    }
    if (st != SS_OK)
        return st;
    ss_wordvec *v = calloc(1, sizeof *v);
    if (!v) {
        ss_file_unmap(map, size);
        return SS_ERR_NOMEM;
    }
    v->map = map;
    v->size = size;
    const header *h = map;
    int ok = !memcmp(h->magic, MAGIC, sizeof MAGIC) && h->dims > 0 &&
             h->dims <= SS_WORDVEC_MAX_DIMS && h->nwords < (1u << 28) &&
             h->size == v->size;
    uint64_t at = pad8(sizeof *h), strbytes = 0;
    if (ok) {
        v->dims = h->dims;
        v->n = h->nwords;
        v->offs = (const uint32_t *)((const char *)map + at);
        at += pad8(((uint64_t)v->n + 1) * 4);
        ok = at <= v->size;
    }
    if (ok) {
        strbytes = v->offs[v->n];
        v->str = (const char *)map + at;
        at += pad8(strbytes);
        v->scale = (const float *)((const char *)map + at);
        at += pad8((uint64_t)v->n * 4);
        v->q = (const int8_t *)((const char *)map + at);
        at += (uint64_t)v->n * v->dims;
        ok = at <= v->size;
    }
    /* offsets must rise, or lookups would read outside the strings */
    for (size_t i = 0; ok && i < v->n; i++)
        ok = v->offs[i] <= v->offs[i + 1];
    if (!ok) {
        ss_wordvec_destroy(v);
        return ss_set_error(errmsg, SS_ERR_CORRUPT,
                            "%s: not a skillsearch word-vector file (or "
                            "truncated)",
                            path);
    }
    *out = v;
    return SS_OK;
}

void ss_wordvec_destroy(ss_wordvec *v)
{
    if (!v)
        return;
    ss_file_unmap(v->map, v->size);
    free(v);
}

unsigned ss_wordvec_dims(const ss_wordvec *v) { return v->dims; }
size_t ss_wordvec_count(const ss_wordvec *v) { return v->n; }

const char *ss_wordvec_word(const ss_wordvec *v, size_t i, size_t *len)
{
    *len = v->offs[i + 1] - v->offs[i];
    return v->str + v->offs[i];
}

static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an > bn) - (an < bn);
}

long ss_wordvec_find(const ss_wordvec *v, const char *w, size_t len)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, n;
        const char *s = ss_wordvec_word(v, mid, &n);
        int c = cmp_bytes(s, n, w, len);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

void ss_wordvec_add(const ss_wordvec *v, size_t i, float weight, float *acc)
{
    const int8_t *q = v->q + i * v->dims;
    float f = weight * v->scale[i];
    for (unsigned j = 0; j < v->dims; j++)
        acc[j] += f * (float)q[j];
}

float ss_vec_cosine(const float *a, const float *b, unsigned dims)
{
    float ab = 0, aa = 0, bb = 0;
    for (unsigned j = 0; j < dims; j++)
        ab += a[j] * b[j], aa += a[j] * a[j], bb += b[j] * b[j];
    return aa > 0 && bb > 0 ? ab / sqrtf(aa * bb) : 0;
}

int ss_vec_normalize(float *a, unsigned dims)
{
    float aa = 0;
    for (unsigned j = 0; j < dims; j++)
        aa += a[j] * a[j];
    if (!(aa > 0))
        return 0;
    float f = 1.0f / sqrtf(aa);
    for (unsigned j = 0; j < dims; j++)
        a[j] *= f;
    return 1;
}

/* ------------------------------------------------------------ writing */

typedef struct entry {
    const char *w;
    size_t len, src;
} entry;

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = cmp_bytes(x->w, x->len, y->w, y->len);
    return c ? c : (x->src > y->src) - (x->src < y->src);
}

static int put(FILE *f, const void *p, size_t n)
{
    static const char zero[8];
    size_t pad = (size_t)(pad8(n) - n);
    return fwrite(p, 1, n, f) == n && fwrite(zero, 1, pad, f) == pad;
}

ss_status ss_wordvec_write(const char *path, unsigned dims,
                           const char *const *words, const float *vec,
                           size_t n, char **errmsg)
{
    if (dims == 0 || dims > SS_WORDVEC_MAX_DIMS)
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "%s: %u dimensions (1 to %d allowed)", path, dims,
                            SS_WORDVEC_MAX_DIMS);
    entry *e = malloc((n + 1) * sizeof *e);
    if (!e)
        return SS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        e[i] = (entry){words[i], strlen(words[i]), i};
    qsort(e, n, sizeof *e, cmp_entry);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (e[i].len > 0 && (m == 0 || cmp_bytes(e[m - 1].w, e[m - 1].len,
                                                  e[i].w, e[i].len)))
            e[m++] = e[i];
    uint32_t *offs = malloc((m + 1) * sizeof *offs);
    float *scale = malloc((m + 1) * sizeof *scale);
    int8_t *q = malloc((m + 1) * (size_t)dims);
    uint64_t strbytes = 0;
    for (size_t i = 0; offs && i < m; i++) {
        offs[i] = (uint32_t)strbytes;
        strbytes += e[i].len;
    }
    char *tmp = NULL;
    ss_status st = SS_OK;
    if (!offs || !scale || !q || asprintf(&tmp, "%s.tmp", path) < 0) {
        tmp = NULL;
        st = SS_ERR_NOMEM;
    } else if (strbytes >= UINT32_MAX) {
        st = ss_set_error(errmsg, SS_ERR_INVALID, "%s: too many words", path);
    }
    if (st == SS_OK) {
        offs[m] = (uint32_t)strbytes;
        for (size_t i = 0; i < m; i++) {
            /* per-word scale keeps rare words' small vectors precise */
            const float *x = vec + e[i].src * dims;
            float mx = 0;
            for (unsigned j = 0; j < dims; j++)
                mx = fabsf(x[j]) > mx ? fabsf(x[j]) : mx;
            scale[i] = mx > 0 ? mx / 127.0f : 1.0f;
            for (unsigned j = 0; j < dims; j++)
                q[i * dims + j] = (int8_t)lrintf(x[j] / scale[i]);
        }
        header h = {{0}, dims, (uint32_t)m, 0};
        memcpy(h.magic, MAGIC, sizeof MAGIC);
        h.size = pad8(sizeof h) + pad8((m + 1) * 4) + pad8(strbytes) +
                 pad8(m * 4) + (uint64_t)m * dims;
        FILE *f = fopen(tmp, "wb");
        int ok = f && put(f, &h, sizeof h) && put(f, offs, (m + 1) * 4);
        for (size_t i = 0; ok && i < m; i++)
            ok = fwrite(e[i].w, 1, e[i].len, f) == e[i].len;
        static const char zero[8];
        ok = ok && fwrite(zero, 1, pad8(strbytes) - strbytes, f) ==
                       pad8(strbytes) - strbytes;
        ok = ok && put(f, scale, m * 4) && fwrite(q, 1, m * dims, f) == m * dims;
        int err = errno;
        if (f && fclose(f) != 0 && ok)
            ok = 0, err = errno;
        if (!ok || rename(tmp, path) != 0) {
            st = ss_set_error(errmsg, SS_ERR_IO, "%s: %s", ok ? path : tmp,
                              strerror(ok ? errno : err));
            unlink(tmp);
        }
    }
    free(tmp);
    free(e);
    free(offs);
    free(scale);
    free(q);
    return st;
}

/* ------------------------------------------------------------ import */

ss_status ss_wordvec_import_wink(const char *json_path, const char *path,
                                 size_t max_words, size_t *kept,
                                 char **errmsg)
{
    *kept = 0;
    json_error_t jerr;
    json_t *root = json_load_file(json_path, 0, &jerr);
    if (!root)
        return ss_set_error(errmsg, SS_ERR_INVALID, "%s:%d:%d: %s",
                            json_path, jerr.line, jerr.column, jerr.text);
    json_t *jd = json_object_get(root, "dimensions");
    json_t *words = json_object_get(root, "words");
    json_t *vecs = json_object_get(root, "vectors");
    json_int_t dims = json_is_integer(jd) ? json_integer_value(jd) : 0;
    if (dims <= 0 || dims > SS_WORDVEC_MAX_DIMS || !json_is_array(words) ||
        !json_is_object(vecs)) {
        json_decref(root);
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "%s: not a wink embeddings file (needs "
                            "\"dimensions\", \"words\" and \"vectors\")",
                            json_path);
    }
    size_t n = json_array_size(words);
    if (max_words && n > max_words)
        n = max_words;
    char **w = calloc(n + 1, sizeof *w);
    float *vec = malloc((n + 1) * (size_t)dims * sizeof *vec);
    ss_status st = w && vec ? SS_OK : SS_ERR_NOMEM;
    size_t m = 0;
    for (size_t i = 0; st == SS_OK && i < n; i++) {
        const char *word = json_string_value(json_array_get(words, i));
        json_t *a = word ? json_object_get(vecs, word) : NULL;
        if (!word || !json_is_array(a) ||
            json_array_size(a) < (size_t)dims) {
            st = ss_set_error(errmsg, SS_ERR_INVALID,
                              "%s: words[%zu]: no vector of %d numbers",
                              json_path, i, (int)dims);
            break;
        }
        char *norm = NULL;
        /* the vocabulary must meet our tokens: same normalisation */
        if (ss_text_normalize(word, strlen(word), 1, &norm, NULL) != SS_OK)
            continue; /* not valid UTF-8: no query can reach it */
        for (json_int_t j = 0; j < dims; j++) {
            json_t *x = json_array_get(a, (size_t)j);
            if (!json_is_number(x)) {
                st = ss_set_error(errmsg, SS_ERR_INVALID,
                                  "%s: vectors[\"%s\"][%d]: not a number",
                                  json_path, word, (int)j);
                break;
            }
            double d = json_number_value(x);
            /* past float range it would be inf, the word's vector NaN */
            if (!(fabs(d) <= FLT_MAX)) {
                st = ss_set_error(errmsg, SS_ERR_INVALID,
                                  "%s: vectors[\"%s\"][%d]: %g is out of "
                                  "range",
                                  json_path, word, (int)j, d);
                break;
            }
            vec[m * (size_t)dims + (size_t)j] = (float)d;
        }
        if (st == SS_OK)
            w[m++] = norm;
        else
            free(norm);
    }
    json_decref(root);
    if (st == SS_OK && m == 0)
        st = ss_set_error(errmsg, SS_ERR_INVALID, "%s: no words", json_path);
    if (st == SS_OK)
        st = ss_wordvec_write(path, (unsigned)dims, (const char *const *)w,
                              vec, m, errmsg);
    ss_wordvec *v = NULL;
    /* words equal after normalisation were merged: count what is there */
    if (st == SS_OK && (st = ss_wordvec_open(path, &v, errmsg)) == SS_OK)
        *kept = ss_wordvec_count(v);
    ss_wordvec_destroy(v);
    for (size_t i = 0; w && i < m; i++)
        free(w[i]);
    free(w);
    free(vec);
    return st;
}
