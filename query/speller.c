/* speller.c - the spelling dictionary in memory (see speller.h). */
#include "speller.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* n-gram keys as Xapian's glass backend forms them: a type byte ('H'ead,
 * 'T'ail, 'B'ookend, 'M'iddle) and two or three bytes of the word, packed
 * into one integer; no key is 0, which marks an empty hash slot */
#define KEY2(t, a, b) ((uint32_t)(t) << 24 | (uint32_t)(uint8_t)(a) << 16 | \
                       (uint32_t)(uint8_t)(b) << 8)
#define KEY3(a, b, c) (KEY2('M', a, b) | (uint32_t)(uint8_t)(c))

/* the n-gram count a candidate needs: within this of the best so far */
#define SCORE_SLACK 2

typedef struct {
    uint32_t key, start, count;
} slot;

struct ss_speller {
    char *pool;        /* the words, NUL-terminated, back to back */
    uint32_t *off;     /* word i starts at pool + off[i]; byte order */
    unsigned *freq;
    uint16_t *cplen;   /* length in code points */
    size_t n, maxcp;
    slot *tab;         /* open addressing over n-gram keys */
    size_t mask;
    uint32_t *ids;     /* each key's words, ascending */
};

size_t ss_speller_words(const ss_speller *sp)
{
    return sp ? sp->n : 0;
}

void ss_speller_destroy(ss_speller *sp)
{
    if (!sp)
        return;
    free(sp->pool);
    free(sp->off);
    free(sp->freq);
    free(sp->cplen);
    free(sp->tab);
    free(sp->ids);
    free(sp);
}

/* Code points as Xapian's Utf8Iterator reads them: a byte that does not
 * start valid UTF-8 counts as one character. out may be NULL. */
static size_t decode(const char *s, size_t len, uint32_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &c);
        if (k <= 0) {
            c = (uint8_t)s[i];
            k = 1;
        }
        if (out)
            out[n] = (uint32_t)c;
        n++;
        i += (size_t)k;
    }
    return n;
}

static size_t hash_key(uint32_t key)
{
    return (size_t)(key * 2654435761u);
}

static const slot *find(const ss_speller *sp, uint32_t key)
{
    if (!sp->tab)
        return NULL;
    for (size_t i = hash_key(key) & sp->mask;; i = (i + 1) & sp->mask) {
        if (sp->tab[i].key == key)
            return &sp->tab[i];
        if (!sp->tab[i].key)
            return NULL;
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Head, tail and (short words) bookend keys. */
static size_t edge_keys(const char *w, size_t len, uint32_t *k)
{
    size_t n = 0;
    k[n++] = KEY2('H', w[0], w[1]);
    k[n++] = KEY2('T', w[len - 2], w[len - 1]);
    if (len <= 4) /* short words: first and last letter too */
        k[n++] = KEY2('B', w[0], w[len - 1]);
    return n;
}

/* The keys a dictionary word is filed under; each once (Xapian toggles a
 * word in a list, so a repeated middle is stored once). */
static size_t word_keys(const char *w, size_t len, uint32_t *k)
{
    size_t n = edge_keys(w, len, k);
    for (size_t i = 0; len > 2 && i + 3 <= len; i++) {
        uint32_t m = KEY3(w[i], w[i + 1], w[i + 2]);
        size_t j = 0;
        while (j < n && k[j] != m)
            j++;
        if (j == n)
            k[n++] = m;
    }
    return n;
}

/* The lists a looked-up word reads, repeats included (each counts). */
static size_t query_keys(const char *w, size_t len, uint32_t *k)
{
    size_t n = edge_keys(w, len, k);
    if (len > 2) {
        for (size_t i = 0; i + 3 <= len; i++)
            k[n++] = KEY3(w[i], w[i + 1], w[i + 2]);
        if (len == 3) { /* the two single swaps of a three-letter word */
            k[n++] = KEY3(w[1], w[0], w[2]);
            k[n++] = KEY3(w[0], w[2], w[1]);
        }
    } else { /* a two-letter word, swapped */
        k[n++] = KEY2('H', w[1], w[0]);
        k[n++] = KEY2('T', w[1], w[0]);
    }
    return n;
}

static ss_status build_lists(ss_speller *sp)
{
    size_t npairs = 0, maxlen = 0;
    for (size_t i = 0; i < sp->n; i++) {
        size_t len = strlen(sp->pool + sp->off[i]);
        if (len > maxlen)
            maxlen = len;
        if (len >= 2)
            npairs += len + 1;
    }
    uint64_t *pairs = malloc((npairs ? npairs : 1) * sizeof *pairs);
    uint32_t *keys = malloc((maxlen + 3) * sizeof *keys);
    if (!pairs || !keys) {
        free(pairs);
        free(keys);
        return SS_ERR_NOMEM;
    }
    size_t np = 0;
    for (size_t i = 0; i < sp->n; i++) {
        const char *w = sp->pool + sp->off[i];
        size_t len = strlen(w);
        if (len < 2) /* Xapian files no n-gram a lookup could reach */
            continue;
        size_t nk = word_keys(w, len, keys);
        for (size_t j = 0; j < nk; j++)
            pairs[np++] = (uint64_t)keys[j] << 32 | i;
    }
    free(keys);
    qsort(pairs, np, sizeof *pairs, cmp_u64);
    size_t distinct = 0;
    for (size_t i = 0; i < np; i++)
        distinct += i == 0 || pairs[i] >> 32 != pairs[i - 1] >> 32;
    size_t cap = 16;
    while (cap < distinct * 2)
        cap *= 2;
    sp->tab = calloc(cap, sizeof *sp->tab);
    sp->ids = malloc((np ? np : 1) * sizeof *sp->ids);
    if (!sp->tab || !sp->ids) {
        free(pairs);
        return SS_ERR_NOMEM;
    }
    sp->mask = cap - 1;
    for (size_t i = 0; i < np;) {
        uint32_t key = (uint32_t)(pairs[i] >> 32);
        size_t j = i;
        for (; j < np && (uint32_t)(pairs[j] >> 32) == key; j++)
            sp->ids[j] = (uint32_t)pairs[j];
        size_t h = hash_key(key) & sp->mask;
        while (sp->tab[h].key)
            h = (h + 1) & sp->mask;
        sp->tab[h] = (slot){key, (uint32_t)i, (uint32_t)(j - i)};
        i = j;
    }
    free(pairs);
    return SS_OK;
}

ss_status ss_speller_build(ss_db *db, ss_speller **out, char **errmsg)
{
    *out = NULL;
    ss_speller *sp = calloc(1, sizeof *sp);
    if (!sp)
        return SS_ERR_NOMEM;
    size_t bytes = 0;
    ss_status st =
        ss_db_spellings(db, &sp->pool, &bytes, &sp->freq, &sp->n, errmsg);
    if (st != SS_OK || sp->n > UINT32_MAX || bytes > UINT32_MAX) {
        ss_speller_destroy(sp);
        return st != SS_OK ? st : SS_ERR_NOMEM;
    }
    if (sp->n) {
        sp->off = malloc(sp->n * sizeof *sp->off);
        sp->cplen = malloc(sp->n * sizeof *sp->cplen);
        if (!sp->off || !sp->cplen) {
            ss_speller_destroy(sp);
            return SS_ERR_NOMEM;
        }
    }
    int sorted = 1;
    for (size_t i = 0, at = 0; i < sp->n; i++) {
        sp->off[i] = (uint32_t)at;
        size_t len = strlen(sp->pool + at);
        size_t cp = decode(sp->pool + at, len, NULL);
        sp->cplen[i] = cp > UINT16_MAX ? UINT16_MAX : (uint16_t)cp;
        if (cp > sp->maxcp)
            sp->maxcp = cp;
        if (i && strcmp(sp->pool + sp->off[i - 1], sp->pool + at) >= 0)
            sorted = 0;
        at += len + 1;
    }
    if (!sorted) { /* Xapian lists in byte order; the rule depends on it */
        ss_speller_destroy(sp);
        return ss_set_error(errmsg, SS_ERR_CORRUPT,
                            "spelling dictionary is not in byte order");
    }
    if (sp->n && build_lists(sp) != SS_OK) {
        ss_speller_destroy(sp);
        return SS_ERR_NOMEM;
    }
    *out = sp;
    return SS_OK;
}

/* Edit distance between a and b where adjacent swaps count 1 (optimal
 * string alignment), if at most k; otherwise some value above k. Only the
 * band |i - j| <= k of the table is filled: a path leaving it costs more. */
static int distance_within(const uint32_t *a, int m, const uint32_t *b,
                           int n, int k, int *rows)
{
    if (abs(m - n) > k)
        return k + 1;
    const int inf = k + 1;
    int *pp = rows, *pv = rows + (n + 2), *cu = rows + 2 * (n + 2);
    for (int j = 0; j <= n; j++)
        pv[j] = j <= k ? j : inf;
    for (int i = 1; i <= m; i++) {
        int lo = i - k > 1 ? i - k : 1, hi = i + k < n ? i + k : n;
        if (i + k <= n)
            pv[i + k] = inf; /* outside the previous row's band */
        cu[lo - 1] = lo == 1 && i <= k ? i : inf;
        int best = cu[lo - 1];
        for (int j = lo; j <= hi; j++) {
            int v = pv[j - 1] + (a[i - 1] != b[j - 1]);
            if (pv[j] + 1 < v)
                v = pv[j] + 1;
            if (cu[j - 1] + 1 < v)
                v = cu[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cu[j] = v < inf ? v : inf;
            if (cu[j] < best)
                best = cu[j];
        }
        if (best > k)
            return inf;
        int *t = pp;
        pp = pv;
        pv = cu;
        cu = t;
    }
    return pv[n];
}

ss_status ss_speller_suggest(const ss_speller *sp, const char *word,
                             unsigned max_edit_distance, char **out)
{
    *out = NULL;
    size_t len = strlen(word);
    if (!sp || !sp->n || len <= 1 || max_edit_distance == 0)
        return SS_OK;
    if (max_edit_distance > len - 1)
        max_edit_distance = (unsigned)(len - 1);
    uint32_t *keys = malloc((len + 5) * sizeof *keys);
    uint32_t *wcp = malloc((len + 1) * sizeof *wcp);
    uint32_t *tcp = malloc((sp->maxcp + 1) * sizeof *tcp);
    int *rows = malloc(3 * (len + 2) * sizeof *rows);
    uint16_t *score = malloc(sp->n * sizeof *score);
    uint64_t *seen = calloc((sp->n + 63) / 64, sizeof *seen);
    ss_status st = SS_ERR_NOMEM;
    if (!keys || !wcp || !tcp || !rows || !score || !seen)
        goto done;
    st = SS_OK;
    size_t nk = query_keys(word, len, keys);
    for (size_t i = 0; i < nk; i++) {
        const slot *s = find(sp, keys[i]);
        for (uint32_t j = 0; s && j < s->count; j++) {
            uint32_t id = sp->ids[s->start + j];
            uint64_t bit = (uint64_t)1 << (id & 63);
            if (!(seen[id >> 6] & bit)) {
                seen[id >> 6] |= bit;
                score[id] = 0;
            }
            score[id]++;
        }
    }
    int n = (int)decode(word, len, wcp);
    unsigned best = 1, freq_best = 0, freq_exact = 0;
    int edist_best = (int)max_edit_distance;
    long result = -1;
    for (size_t wi = 0; wi < (sp->n + 63) / 64; wi++) {
        for (uint64_t bits = seen[wi]; bits; bits &= bits - 1) {
            size_t id = wi * 64 + (size_t)__builtin_ctzll(bits);
            if ((unsigned)score[id] + SCORE_SLACK < best)
                continue;
            if (score[id] > best)
                best = score[id];
            int m = sp->cplen[id];
            if (abs(m - n) > edist_best)
                continue;
            const char *t = sp->pool + sp->off[id];
            decode(t, strlen(t), tcp);
            int d = distance_within(tcp, m, wcp, n, edist_best, rows);
            if (d > edist_best)
                continue;
            if (d == 0) { /* the word itself: no fix if it is commoner */
                freq_exact = sp->freq[id];
                continue;
            }
            if (d < edist_best || sp->freq[id] > freq_best) {
                result = (long)id;
                edist_best = d;
                freq_best = sp->freq[id];
            }
        }
    }
    if (result >= 0 && freq_best >= freq_exact &&
        !(*out = strdup(sp->pool + sp->off[result])))
        st = SS_ERR_NOMEM;
done:
    free(keys);
    free(wcp);
    free(tcp);
    free(rows);
    free(score);
    free(seen);
    return st;
}
