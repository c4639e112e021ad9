#include "suggest.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/text.h"

#define MAX_RESULTS 50   /* lookup caps max here: top-k is a linear list */
#define MAX_WORD_CP 64   /* longer words are never typo candidates */
#define MAX_CANDIDATES 8 /* typo corrections tried per lookup */

typedef struct concept {
    char *uri;
    const char *id; /* into uri */
    char *label;
    unsigned char skill;
} concept;

typedef struct label {
    char *text;
    char *norm;
    uint32_t concept;
    unsigned char alt;
} label;

typedef struct key {
    const char *s; /* a word start inside a label's norm, to its end */
    uint32_t label;
    uint64_t rank; /* smaller is better, see ss_suggest_lookup */
} key;

typedef struct word {
    char *w;
    uint32_t *cp;
    size_t ncp;
    uint32_t freq;
} word;

/* Precomputed answers for prefixes shared by more than HOT_MIN keys, so
 * a lookup never scans more than HOT_MIN keys ("s" alone matches ~40k). */
#define HOT_MIN 256
#define HOT_K 10
typedef struct hot {
    char *prefix;
    uint64_t rank[HOT_K];
    uint32_t label[HOT_K];
    size_t n;
} hot;

struct ss_suggest {
    concept *c;
    size_t nc, capc;
    label *l;
    size_t nl, capl;
    key *k;
    size_t nk;
    hot *hot;
    size_t nhot, caphot;
    word *w;              /* unique words, sorted */
    size_t nw;
    size_t first[257];    /* w[first[b]..first[b+1]): first byte b */
    uint32_t *by2;        /* word indices grouped by their second letter's */
    size_t second[257];   /* first byte: by2[second[b]..second[b+1]) */
    ss_analyzer *an;      /* tokenises only: safe to share between threads */
};

/* ------------------------------------------------------------ normalising */

/* The words of s as the analyser cuts and normalises them (core/text.h),
 * joined by single spaces; malloc'd. A compound the analyser splits
 * ("self-employed", "host/hostess", "r&d") is read as its parts, so that
 * "host / hostess" or "customer/ord" typed meets it; one it keeps whole
 * (c++, .net, node.js) stays one word. */
static ss_status norm_words(const ss_analyzer *a, const char *s, size_t len,
                            char **out)
{
    ss_tokens t = {0};
    ss_status st = ss_analyzer_tokenize(a, s, len, &t);
    if (st != SS_OK)
        return st;
    size_t total = 1;
    for (size_t i = 0; i < t.n; i++)
        total += strlen(t.v[i].text) + 1;
    char *n = malloc(total), *w = n;
    if (!n) {
        ss_tokens_free(&t);
        return SS_ERR_NOMEM;
    }
    int use_parts = 0;
    for (size_t i = 0; i < t.n; i++) {
        const ss_token *tk = &t.v[i];
        if (!(tk->flags & SS_TOK_PART)) {
            use_parts = i + 1 < t.n && (t.v[i + 1].flags & SS_TOK_PART);
            if (use_parts)
                continue;
        } else if (!use_parts) {
            continue;
        }
        size_t l = strlen(tk->text);
        if (w != n)
            *w++ = ' ';
        memcpy(w, tk->text, l);
        w += l;
    }
    *w = '\0';
    ss_tokens_free(&t);
    *out = n;
    return SS_OK;
}

/* Code points of valid UTF-8 (as the normaliser produces); at most max. */
static size_t decode_cp(const char *s, uint32_t *cp, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p && n < max) {
        uint32_t c = *p;
        int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        c &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0x7F;
        p++;
        for (int i = 0; i < extra && (*p & 0xC0) == 0x80; i++)
            c = (c << 6) | (*p++ & 0x3F);
        cp[n++] = c;
    }
    return *p ? max + 1 : n;
}

/* ------------------------------------------------------------- building */

static void *grow(void *v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return v;
    size_t nc = *cap ? *cap * 2 : 1024;
    while (nc < need)
        nc *= 2;
    void *nv = realloc(v, nc * elem);
    if (nv)
        *cap = nc;
    return nv;
}

static ss_status add_label(ss_suggest *sg, const char *text, size_t len,
                           uint32_t ci, int alt)
{
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\r'))
        len--;
    while (len && *text == ' ')
        text++, len--;
    if (!len)
        return SS_OK;
    label *nl = grow(sg->l, &sg->capl, sg->nl + 1, sizeof *nl);
    if (!nl)
        return SS_ERR_NOMEM;
    sg->l = nl;
    label *l = &sg->l[sg->nl];
    l->text = strndup(text, len);
    if (!l->text)
        return SS_ERR_NOMEM;
    ss_status st = norm_words(sg->an, text, len, &l->norm);
    if (st == SS_ERR_INVALID) { /* skip a bad label, keep the rest */
        free(l->text);
        return SS_OK;
    }
    if (st != SS_OK) {
        free(l->text);
        return st;
    }
    if (!*l->norm) {
        free(l->text);
        free(l->norm);
        return SS_OK;
    }
    l->concept = ci;
    l->alt = (unsigned char)alt;
    sg->nl++;
    return SS_OK;
}

static ss_status load_table(ss_suggest *sg, sqlite3 *db, const char *sql,
                            int skill, char **errmsg)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return ss_set_error(errmsg, SS_ERR_CORRUPT, "catalogue: %s",
                            sqlite3_errmsg(db));
    ss_status st = SS_OK;
    int rc;
    while (st == SS_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *uri = (const char *)sqlite3_column_text(stmt, 0);
        const char *lab = (const char *)sqlite3_column_text(stmt, 1);
        const char *alts = (const char *)sqlite3_column_text(stmt, 2);
        if (!uri || !lab)
            continue;
        concept *nc = grow(sg->c, &sg->capc, sg->nc + 1, sizeof *nc);
        if (!nc) {
            st = SS_ERR_NOMEM;
            break;
        }
        sg->c = nc;
        concept *c = &sg->c[sg->nc];
        c->uri = strdup(uri);
        c->label = strdup(lab);
        if (!c->uri || !c->label) {
            free(c->uri);
            free(c->label);
            st = SS_ERR_NOMEM;
            break;
        }
        const char *slash = strrchr(c->uri, '/');
        c->id = slash ? slash + 1 : c->uri;
        c->skill = (unsigned char)skill;
        uint32_t ci = (uint32_t)sg->nc++;
        st = add_label(sg, lab, strlen(lab), ci, 0);
        for (const char *a = alts; st == SS_OK && a && *a;) {
            const char *nl = strchr(a, '\n');
            size_t n = nl ? (size_t)(nl - a) : strlen(a);
            st = add_label(sg, a, n, ci, 1);
            a = nl ? nl + 1 : a + n;
        }
    }
    if (st == SS_OK && rc != SQLITE_DONE)
        st = ss_set_error(errmsg, SS_ERR_CORRUPT, "catalogue: %s",
                          sqlite3_errmsg(db));
    else if (st == SS_ERR_NOMEM)
        ss_set_error(errmsg, st, "out of memory building suggestions");
    sqlite3_finalize(stmt);
    return st;
}

static int cmp_key(const void *a, const void *b)
{
    const key *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : (x->label > y->label) - (x->label < y->label);
}

/* ------------------------------------------------------------------ top k */

typedef struct topk {
    uint64_t rank[MAX_RESULTS];
    uint32_t label[MAX_RESULTS];
    size_t n, max;
} topk;

/* Keeps the best max labels, one per concept. A concept evicted earlier can
 * come back only with a better rank than max others: the result is exact,
 * and merging the top k of sub-ranges gives the top k of their union. */
static void topk_offer(topk *t, const ss_suggest *sg, uint64_t rank,
                       uint32_t li)
{
    uint32_t ci = sg->l[li].concept;
    for (size_t i = 0; i < t->n; i++)
        if (sg->l[t->label[i]].concept == ci) {
            if (rank >= t->rank[i])
                return;
            memmove(&t->rank[i], &t->rank[i + 1],
                    (t->n - i - 1) * sizeof t->rank[0]);
            memmove(&t->label[i], &t->label[i + 1],
                    (t->n - i - 1) * sizeof t->label[0]);
            t->n--;
            break;
        }
    if (t->n == t->max && rank >= t->rank[t->n - 1])
        return;
    size_t pos = t->n < t->max ? t->n : t->n - 1;
    while (pos > 0 && t->rank[pos - 1] > rank) {
        t->rank[pos] = t->rank[pos - 1];
        t->label[pos] = t->label[pos - 1];
        pos--;
    }
    t->rank[pos] = rank;
    t->label[pos] = li;
    if (t->n < t->max)
        t->n++;
}

static void scan_range(const ss_suggest *sg, size_t lo, size_t hi, topk *t)
{
    for (size_t i = lo; i < hi; i++)
        topk_offer(t, sg, sg->k[i].rank, sg->k[i].label);
}

/* --------------------------------------------------------------- building */

/* rank = alt | skill | inside-label | length | alphabetical ordinal:
 * integer order is the ranking order. */
static uint64_t make_rank(const ss_suggest *sg, const label *l, int inside,
                          uint64_t ordinal)
{
    uint64_t len = strlen(l->text);
    if (len > 0xFFFFF)
        len = 0xFFFFF;
    return (uint64_t)l->alt << 63 | (uint64_t)sg->c[l->concept].skill << 62 |
           (uint64_t)(inside != 0) << 61 | len << 40 |
           (ordinal & 0xFFFFFFFFFFull);
}

/* Depth-first over the sorted keys as a trie: emits hot prefixes in
 * sorted order. */
static ss_status hot_walk(ss_suggest *sg, size_t plen, size_t lo, size_t hi)
{
    if (hi - lo <= HOT_MIN)
        return SS_OK;
    if (plen > 0) {
        hot *nh = grow(sg->hot, &sg->caphot, sg->nhot + 1, sizeof *nh);
        if (!nh)
            return SS_ERR_NOMEM;
        sg->hot = nh;
        topk t = {.max = HOT_K};
        scan_range(sg, lo, hi, &t);
        hot *h = &sg->hot[sg->nhot];
        if (!(h->prefix = strndup(sg->k[lo].s, plen)))
            return SS_ERR_NOMEM;
        memcpy(h->rank, t.rank, sizeof h->rank);
        memcpy(h->label, t.label, sizeof h->label);
        h->n = t.n;
        sg->nhot++;
    }
    size_t i = lo;
    while (i < hi && sg->k[i].s[plen] == '\0') /* the prefix itself */
        i++;
    while (i < hi) {
        char b = sg->k[i].s[plen];
        size_t j = i + 1;
        while (j < hi && sg->k[j].s[plen] == b)
            j++;
        ss_status st = hot_walk(sg, plen + 1, i, j);
        if (st != SS_OK)
            return st;
        i = j;
    }
    return SS_OK;
}

/* Byte that starts the second letter of w (0 if none). */
static unsigned char second_byte(const char *w)
{
    unsigned char c = (unsigned char)w[0];
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return strnlen(w, n) == n ? (unsigned char)w[n] : 0;
}

/* Unique words from the sorted keys: a key's first word sorts like the key
 * because ' ' is below every byte a word can hold. */
static ss_status build_words(ss_suggest *sg)
{
    size_t cap = 0;
    for (size_t i = 0; i < sg->nk; i++) {
        const char *s = sg->k[i].s;
        size_t wl = strcspn(s, " ");
        word *last = sg->nw ? &sg->w[sg->nw - 1] : NULL;
        if (last && strlen(last->w) == wl && memcmp(last->w, s, wl) == 0) {
            last->freq++;
            continue;
        }
        word *nw = grow(sg->w, &cap, sg->nw + 1, sizeof *nw);
        if (!nw)
            return SS_ERR_NOMEM;
        sg->w = nw;
        word *w = &sg->w[sg->nw];
        *w = (word){strndup(s, wl), NULL, 0, 1};
        if (!w->w)
            return SS_ERR_NOMEM;
        sg->nw++;
        uint32_t tmp[MAX_WORD_CP];
        size_t n = decode_cp(w->w, tmp, MAX_WORD_CP);
        if (n > MAX_WORD_CP)
            continue;
        if (!(w->cp = malloc((n ? n : 1) * sizeof *tmp)))
            return SS_ERR_NOMEM;
        memcpy(w->cp, tmp, n * sizeof *tmp);
        w->ncp = n;
    }
    /* Offsets by first byte; word indices counting-sorted by second. */
    size_t count[257] = {0};
    for (size_t i = 0; i < sg->nw; i++) {
        sg->first[(unsigned char)sg->w[i].w[0] + 1]++;
        count[second_byte(sg->w[i].w) + 1]++;
    }
    for (int b = 1; b < 257; b++) {
        sg->first[b] += sg->first[b - 1];
        count[b] += count[b - 1];
    }
    memcpy(sg->second, count, sizeof count);
    if (!(sg->by2 = malloc((sg->nw ? sg->nw : 1) * sizeof *sg->by2)))
        return SS_ERR_NOMEM;
    for (size_t i = 0; i < sg->nw; i++)
        sg->by2[count[second_byte(sg->w[i].w)]++] = (uint32_t)i;
    return SS_OK;
}

static ss_status build_keys(ss_suggest *sg)
{
    size_t nk = 0;
    for (size_t i = 0; i < sg->nl; i++) {
        nk++;
        for (const char *p = sg->l[i].norm; *p; p++)
            nk += *p == ' ';
    }
    sg->k = malloc((nk ? nk : 1) * sizeof *sg->k);
    uint32_t *ordinal = malloc((sg->nl ? sg->nl : 1) * sizeof *ordinal);
    if (!sg->k || !ordinal) {
        free(ordinal);
        return SS_ERR_NOMEM;
    }
    for (size_t li = 0; li < sg->nl; li++)
        for (const char *p = sg->l[li].norm;; p++) {
            sg->k[sg->nk++] = (key){p, (uint32_t)li, p != sg->l[li].norm};
            if (!(p = strchr(p, ' ')))
                break;
        }
    qsort(sg->k, sg->nk, sizeof *sg->k, cmp_key);
    /* Keys at a label's start, in key order, are the labels sorted. */
    uint32_t next = 0;
    for (size_t i = 0; i < sg->nk; i++)
        if (!sg->k[i].rank)
            ordinal[sg->k[i].label] = next++;
    for (size_t i = 0; i < sg->nk; i++) {
        key *k = &sg->k[i];
        k->rank = make_rank(sg, &sg->l[k->label], k->rank != 0,
                            ordinal[k->label]);
    }
    free(ordinal);
    ss_status st = hot_walk(sg, 0, 0, sg->nk);
    return st == SS_OK ? build_words(sg) : st;
}

ss_status ss_suggest_build(sqlite3 *db, const char *lang, ss_suggest **out,
                           char **errmsg)
{
    ss_suggest *sg = calloc(1, sizeof *sg);
    if (!sg)
        return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    ss_status st = ss_analyzer_create(lang, NULL, &sg->an, errmsg);
    if (st == SS_OK)
        st = load_table(sg, db,
                        "SELECT uri, label, alt_labels FROM occupation", 0,
                        errmsg);
    if (st == SS_OK)
        st = load_table(sg, db, "SELECT uri, label, alt_labels FROM skill", 1,
                        errmsg);
    if (st == SS_OK && (st = build_keys(sg)) != SS_OK)
        ss_set_error(errmsg, st, "out of memory building suggestions");
    if (st != SS_OK) {
        ss_suggest_destroy(sg);
        return st;
    }
    *out = sg;
    return SS_OK;
}

void ss_suggest_destroy(ss_suggest *sg)
{
    if (!sg)
        return;
    for (size_t i = 0; i < sg->nc; i++) {
        free(sg->c[i].uri);
        free(sg->c[i].label);
    }
    for (size_t i = 0; i < sg->nl; i++) {
        free(sg->l[i].text);
        free(sg->l[i].norm);
    }
    for (size_t i = 0; i < sg->nw; i++) {
        free(sg->w[i].w);
        free(sg->w[i].cp);
    }
    for (size_t i = 0; i < sg->nhot; i++)
        free(sg->hot[i].prefix);
    free(sg->hot);
    free(sg->by2);
    free(sg->c);
    free(sg->l);
    free(sg->k);
    free(sg->w);
    ss_analyzer_destroy(sg->an);
    free(sg);
}

size_t ss_suggest_size(const ss_suggest *sg)
{
    return sg ? sg->nl : 0;
}

/* ---------------------------------------------------------------- lookup */

static void prefix_scan(const ss_suggest *sg, const char *q, topk *t)
{
    size_t lo = 0, hi = sg->nhot;
    while (lo < hi) { /* a hot prefix answers at once */
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(sg->hot[mid].prefix, q);
        if (c == 0 && t->max <= HOT_K) {
            for (size_t i = 0; i < sg->hot[mid].n; i++)
                topk_offer(t, sg, sg->hot[mid].rank[i], sg->hot[mid].label[i]);
            return;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t qlen = strlen(q);
    lo = 0, hi = sg->nk;
    while (lo < hi) { /* first key >= q */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(sg->k[mid].s, q) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (hi = lo; hi < sg->nk && strncmp(sg->k[hi].s, q, qlen) == 0; hi++)
        ;
    scan_range(sg, lo, hi, t);
}

/* Edit distance <= 1 (with adjacent swaps) between a and b; if prefix, b
 * only needs to start with something that close to a. One edit can always
 * be placed at the first mismatch, so checking there is enough. */
static int cp_eq(const uint32_t *a, const uint32_t *b, size_t n)
{
    return n == 0 || memcmp(a, b, n * sizeof *a) == 0;
}

static int within_one(const uint32_t *a, size_t m, const uint32_t *b,
                      size_t n, int prefix)
{
    if (!prefix && (m > n + 1 || n > m + 1))
        return 0;
    size_t i = 0;
    while (i < m && i < n && a[i] == b[i])
        i++;
    if (i == m)
        return prefix || n <= m + 1;
    /* a[i] is unmatched: substitute, delete from a, insert into a, swap */
    size_t ra = m - i - 1; /* a's rest after i */
    if (prefix) {
        if (n >= i + 1 + ra && cp_eq(a + i + 1, b + i + 1, ra))
            return 1;
        if (n >= i + ra && cp_eq(a + i + 1, b + i, ra))
            return 1;
        if (n >= i + 1 + ra + 1 && cp_eq(a + i, b + i + 1, ra + 1))
            return 1;
        return ra >= 1 && n >= i + 2 + ra - 1 && a[i] == b[i + 1] &&
               a[i + 1] == b[i] && cp_eq(a + i + 2, b + i + 2, ra - 1);
    }
    if (m == n)
        return cp_eq(a + i + 1, b + i + 1, ra) ||
               (ra >= 1 && a[i] == b[i + 1] && a[i + 1] == b[i] &&
                cp_eq(a + i + 2, b + i + 2, ra - 1));
    if (m == n + 1)
        return cp_eq(a + i + 1, b + i, ra);
    return i < n && cp_eq(a + i, b + i + 1, ra + 1);
}

static int known_word(const ss_suggest *sg, const char *w, size_t len)
{
    size_t lo = 0, hi = sg->nw;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(sg->w[mid].w, w, len);
        if (c == 0 && sg->w[mid].w[len])
            c = 1;
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* One typo: fix the first unknown complete word, else the partial last
 * word, trying the most frequent close vocabulary words. */
static ss_status typo_scan(const ss_suggest *sg, const char *q, topk *t)
{
    const char *ws = q, *sp;
    while ((sp = strchr(ws, ' ')) && known_word(sg, ws, (size_t)(sp - ws)))
        ws = sp + 1;
    int prefix = sp == NULL;
    size_t wl = sp ? (size_t)(sp - ws) : strlen(ws);
    char *typed = strndup(ws, wl);
    if (!typed)
        return SS_ERR_NOMEM;
    uint32_t cp[MAX_WORD_CP];
    size_t ncp = decode_cp(typed, cp, MAX_WORD_CP);
    free(typed);
    if (ncp < 3 || ncp > MAX_WORD_CP)
        return SS_OK;

    /* One edit leaves the first or second letter in place (or swaps
     * them), so a candidate starts with typed[0] or typed[1], or has one
     * of them second. Scan only those groups of the vocabulary. */
    unsigned char b0 = (unsigned char)ws[0], b1 = second_byte(ws);
    struct {
        const size_t *off;
        unsigned char b;
    } groups[4] = {{sg->first, b0}, {sg->first, b1}, {sg->second, b0},
                   {sg->second, b1}};
    size_t cand[MAX_CANDIDATES], ncand = 0;
    for (int g = 0; g < 4; g++) {
        if (g % 2 && b1 == b0)
            continue;
        for (size_t j = groups[g].off[groups[g].b];
             j < groups[g].off[groups[g].b + 1]; j++) {
            size_t i = g < 2 ? j : sg->by2[j];
            const word *w = &sg->w[i];
            if (!w->cp || !within_one(cp, ncp, w->cp, w->ncp, prefix))
                continue;
            if (prefix && w->ncp >= ncp && cp_eq(cp, w->cp, ncp))
                continue; /* no typo: already tried by prefix_scan */
            int dup = 0;
            for (size_t k = 0; k < ncand; k++)
                dup |= cand[k] == i;
            if (dup)
                continue;
            size_t pos = ncand < MAX_CANDIDATES ? ncand++ : MAX_CANDIDATES;
            while (pos > 0 && sg->w[cand[pos - 1]].freq < w->freq) {
                if (pos < MAX_CANDIDATES)
                    cand[pos] = cand[pos - 1];
                pos--;
            }
            if (pos < MAX_CANDIDATES)
                cand[pos] = i;
        }
    }
    size_t before = (size_t)(ws - q), qlen = strlen(q);
    for (size_t c = 0; c < ncand; c++) {
        const char *rep = sg->w[cand[c]].w;
        size_t rl = strlen(rep);
        char *fixed = malloc(qlen - wl + rl + 1);
        if (!fixed)
            return SS_ERR_NOMEM;
        memcpy(fixed, q, before);
        memcpy(fixed + before, rep, rl);
        strcpy(fixed + before + rl, q + before + wl);
        prefix_scan(sg, fixed, t);
        free(fixed);
    }
    return SS_OK;
}

ss_status ss_suggest_lookup(const ss_suggest *sg, const char *q, size_t len,
                            ss_suggestion *out, size_t max, size_t *n)
{
    *n = 0;
    if (!ss_utf8_valid(q, len))
        return SS_ERR_INVALID;
    if (!sg || max == 0)
        return SS_OK;
    char *qn = NULL;
    ss_status st = norm_words(sg->an, q, len, &qn);
    if (st != SS_OK)
        return st;
    topk t = {.max = max < MAX_RESULTS ? max : MAX_RESULTS};
    if (*qn) {
        prefix_scan(sg, qn, &t);
        if (t.n == 0)
            st = typo_scan(sg, qn, &t);
    }
    free(qn);
    for (size_t i = 0; i < t.n; i++) {
        const label *l = &sg->l[t.label[i]];
        const concept *c = &sg->c[l->concept];
        out[i] = (ss_suggestion){l->text, c->label,
                                 c->skill ? "skill" : "occupation", c->uri,
                                 c->id};
    }
    *n = t.n;
    return st;
}
