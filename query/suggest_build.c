/* suggest_build.c - an ss_suggest's tables from the catalogue
 * (suggest_int.h). */
#include "suggest_int.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ normalising */

ss_status ss_suggest_norm_words(const ss_analyzer *a, const char *s,
                                size_t len, char **out)
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

size_t ss_suggest_decode_cp(const char *s, uint32_t *cp, size_t max)
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
    ss_status st = ss_suggest_norm_words(sg->an, text, len, &l->norm);
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

ss_status ss_suggest_load_table(ss_suggest *sg, sqlite3 *db, const char *sql,
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
        ss_suggest_scan_range(sg, lo, hi, &t);
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

unsigned char ss_suggest_second_byte(const char *w)
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
        size_t n = ss_suggest_decode_cp(w->w, tmp, MAX_WORD_CP);
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
        count[ss_suggest_second_byte(sg->w[i].w) + 1]++;
    }
    for (int b = 1; b < 257; b++) {
        sg->first[b] += sg->first[b - 1];
        count[b] += count[b - 1];
    }
    memcpy(sg->second, count, sizeof count);
    if (!(sg->by2 = malloc((sg->nw ? sg->nw : 1) * sizeof *sg->by2)))
        return SS_ERR_NOMEM;
    for (size_t i = 0; i < sg->nw; i++)
        sg->by2[count[ss_suggest_second_byte(sg->w[i].w)]++] = (uint32_t)i;
    return SS_OK;
}

ss_status ss_suggest_build_keys(ss_suggest *sg)
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
