#include "memindex.h"

#include "mapfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char MAGIC[8] = {'S', 'S', 'M', 'E', 'M', 'I', 'X', '2'};

/* ------------------------------------------------------------- builder */

typedef struct bterm {
    char *s;
    uint64_t h;
    uint32_t *doc;
    uint16_t *tf;
    size_t n, cap;
} bterm;

struct ss_memindex_builder {
    uint32_t *len, *concept;
    uint16_t *label;
    uint8_t *kind;
    size_t ndocs, dcap;
    bterm *terms;
    size_t nterms, tcap;
    uint32_t *slots; /* open addressing: term index + 1, 0 empty */
    size_t nslots;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

ss_memindex_builder *ss_memindex_builder_create(void)
{
    ss_memindex_builder *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->nslots = 1u << 16;
    b->slots = calloc(b->nslots, sizeof *b->slots);
    if (!b->slots) {
        free(b);
        return NULL;
    }
    return b;
}

void ss_memindex_builder_destroy(ss_memindex_builder *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->nterms; i++) {
        free(b->terms[i].s);
        free(b->terms[i].doc);
        free(b->terms[i].tf);
    }
    free(b->terms);
    free(b->slots);
    free(b->len);
    free(b->concept);
    free(b->label);
    free(b->kind);
    free(b);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

ss_status ss_memindex_builder_doc(ss_memindex_builder *b, uint32_t concept,
                                  uint16_t label, uint8_t kind,
                                  uint32_t *docid)
{
    size_t cap = b->dcap;
    if (b->ndocs == b->dcap) {
        size_t c = cap;
        if (grow((void **)&b->len, &c, b->ndocs + 1, sizeof *b->len))
            return SS_ERR_NOMEM;
        c = cap;
        if (grow((void **)&b->concept, &c, b->ndocs + 1, sizeof *b->concept))
            return SS_ERR_NOMEM;
        c = cap;
        if (grow((void **)&b->label, &c, b->ndocs + 1, sizeof *b->label))
            return SS_ERR_NOMEM;
        c = cap;
        if (grow((void **)&b->kind, &c, b->ndocs + 1, sizeof *b->kind))
            return SS_ERR_NOMEM;
        b->dcap = c;
    }
    b->len[b->ndocs] = 0;
    b->concept[b->ndocs] = concept;
    b->label[b->ndocs] = label;
    b->kind[b->ndocs] = kind;
    if (docid)
        *docid = (uint32_t)b->ndocs;
    b->ndocs++;
    return SS_OK;
}

static ss_status rehash(ss_memindex_builder *b)
{
    size_t n = b->nslots * 2;
    uint32_t *s = calloc(n, sizeof *s);
    if (!s)
        return SS_ERR_NOMEM;
    for (size_t i = 0; i < b->nterms; i++) {
        size_t h = b->terms[i].h & (n - 1);
        while (s[h])
            h = (h + 1) & (n - 1);
        s[h] = (uint32_t)i + 1;
    }
    free(b->slots);
    b->slots = s;
    b->nslots = n;
    return SS_OK;
}

ss_status ss_memindex_builder_term(ss_memindex_builder *b, const char *term,
                                   unsigned tf, int nolen)
{
    if (!b->ndocs || !tf)
        return SS_ERR_INVALID;
    uint32_t doc = (uint32_t)b->ndocs - 1;
    if (!nolen)
        b->len[doc] += tf;
    uint64_t hv = hash(term);
    size_t h = hv & (b->nslots - 1);
    while (b->slots[h] && (b->terms[b->slots[h] - 1].h != hv ||
                           strcmp(b->terms[b->slots[h] - 1].s, term) != 0))
        h = (h + 1) & (b->nslots - 1);
    bterm *t;
    if (b->slots[h]) {
        t = &b->terms[b->slots[h] - 1];
    } else {
        if (grow((void **)&b->terms, &b->tcap, b->nterms + 1, sizeof *b->terms))
            return SS_ERR_NOMEM;
        t = &b->terms[b->nterms];
        memset(t, 0, sizeof *t);
        if (!(t->s = strdup(term)))
            return SS_ERR_NOMEM;
        t->h = hv;
        b->slots[h] = (uint32_t)++b->nterms;
        if (b->nterms * 2 > b->nslots && rehash(b) != SS_OK)
            return SS_ERR_NOMEM;
    }
    if (t->n && t->doc[t->n - 1] == doc) {
        unsigned v = t->tf[t->n - 1] + tf;
        t->tf[t->n - 1] = (uint16_t)(v > 65535 ? 65535 : v);
        return SS_OK;
    }
    size_t c = t->cap;
    if (grow((void **)&t->doc, &c, t->n + 1, sizeof *t->doc))
        return SS_ERR_NOMEM;
    c = t->cap;
    if (grow((void **)&t->tf, &c, t->n + 1, sizeof *t->tf))
        return SS_ERR_NOMEM;
    t->cap = c;
    t->doc[t->n] = doc;
    t->tf[t->n++] = (uint16_t)(tf > 65535 ? 65535 : tf);
    return SS_OK;
}

typedef struct header {
    char magic[8];
    uint64_t ndocs, nterms, strbytes, npost;
    uint64_t nslots; /* hash table of the term dictionary, a power of 2 */
} header;

static int cmp_term(const void *a, const void *b, void *terms)
{
    const bterm *t = terms;
    return strcmp(t[*(const uint32_t *)a].s, t[*(const uint32_t *)b].s);
}

static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

/* Zero bytes after n written bytes, up to the next 8-byte boundary. */
static int pad(FILE *f, size_t n)
{
    static const char zero[8];
    return fwrite(zero, 1, pad8(n) - n, f) == pad8(n) - n ? 0 : -1;
}

static int put(FILE *f, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, f) != n)
        return -1;
    return pad(f, n);
}

ss_status ss_memindex_builder_write(ss_memindex_builder *b, const char *path,
                                    char **errmsg)
{
    uint32_t *order = malloc((b->nterms + 1) * sizeof *order);
    uint64_t *stroff = malloc((b->nterms + 1) * sizeof *stroff);
    uint64_t *postoff = malloc((b->nterms + 1) * sizeof *postoff);
    if (!order || !stroff || !postoff) {
        free(order), free(stroff), free(postoff);
        return SS_ERR_NOMEM;
    }
    for (size_t i = 0; i < b->nterms; i++)
        order[i] = (uint32_t)i;
    /* two builders are written at once (labels and concepts threads) */
    qsort_r(order, b->nterms, sizeof *order, cmp_term, b->terms);
    header h = {.ndocs = b->ndocs, .nterms = b->nterms};
    memcpy(h.magic, MAGIC, sizeof MAGIC);
    for (size_t i = 0; i < b->nterms; i++) {
        const bterm *t = &b->terms[order[i]];
        stroff[i] = h.strbytes;
        postoff[i] = h.npost;
        h.strbytes += strlen(t->s) + 1;
        h.npost += t->n;
    }
    stroff[b->nterms] = h.strbytes;
    postoff[b->nterms] = h.npost;
    /* lookups hash instead of binary-searching 500k strings */
    h.nslots = 1;
    while (h.nslots < 2 * (uint64_t)b->nterms + 2)
        h.nslots *= 2;
    uint32_t *slots = calloc(h.nslots, sizeof *slots);
    if (!slots) {
        free(order), free(stroff), free(postoff);
        return SS_ERR_NOMEM;
    }
    for (size_t i = 0; i < b->nterms; i++) {
        uint64_t k = b->terms[order[i]].h & (h.nslots - 1);
        while (slots[k])
            k = (k + 1) & (h.nslots - 1);
        slots[k] = (uint32_t)i + 1;
    }

    FILE *f = fopen(path, "wb");
    int bad = !f;
    if (!bad)
        bad = put(f, &h, sizeof h) || put(f, b->len, b->ndocs * 4) ||
              put(f, b->concept, b->ndocs * 4) ||
              put(f, b->label, b->ndocs * 2) || put(f, b->kind, b->ndocs) ||
              put(f, stroff, (b->nterms + 1) * 8) ||
              put(f, postoff, (b->nterms + 1) * 8);
    for (size_t i = 0; !bad && i < b->nterms; i++) {
        const char *s = b->terms[order[i]].s;
        bad = fwrite(s, 1, strlen(s) + 1, f) != strlen(s) + 1;
    }
    if (!bad)
        bad = pad(f, h.strbytes);
    for (size_t i = 0; !bad && i < b->nterms; i++) {
        const bterm *t = &b->terms[order[i]];
        bad = fwrite(t->doc, 4, t->n, f) != t->n;
    }
    if (!bad)
        bad = pad(f, h.npost * 4);
    for (size_t i = 0; !bad && i < b->nterms; i++) {
        const bterm *t = &b->terms[order[i]];
        bad = fwrite(t->tf, 2, t->n, f) != t->n;
    }
    if (!bad)
        bad = pad(f, h.npost * 2) || put(f, slots, h.nslots * 4);
    free(slots);
    if (f && fclose(f) != 0)
        bad = 1;
    free(order);
    free(stroff);
    free(postoff);
    if (bad)
        return ss_set_error(errmsg, SS_ERR_IO, "%s: write failed: %s", path,
                            strerror(errno));
    return SS_OK;
}

/* --------------------------------------------------------------- reader */

struct ss_memindex {
    void *map;
    size_t size;
    uint64_t ndocs, nterms;
    const uint32_t *len, *concept;
    const uint16_t *label;
    const uint8_t *kind;
    const uint64_t *stroff, *postoff;
    const char *str;
    const uint32_t *pdoc;
    const uint16_t *ptf;
    const uint32_t *slots;
    uint64_t nslots;
};

ss_status ss_memindex_open(const char *path, ss_memindex **out,
                           char **errmsg)
{
    *out = NULL;
    void *map;
    size_t size;
    ss_status st = ss_file_map(path, sizeof(header), &map, &size, errmsg);
    if (st != SS_OK)
        return st;
    ss_memindex *m = calloc(1, sizeof *m);
    if (!m) {
        ss_file_unmap(map, size);
        return SS_ERR_NOMEM;
    }
    m->map = map;
    m->size = size;
    const header *h = map;
    const char *p = (const char *)map + pad8(sizeof *h);
    m->ndocs = h->ndocs;
    m->nterms = h->nterms;
    /* sizes in a header of our own format: still checked, since a
     * truncated or foreign file must be an error, not a crash */
    uint64_t need = pad8(sizeof *h) + pad8(h->ndocs * 4) * 2 +
                    pad8(h->ndocs * 2) + pad8(h->ndocs) +
                    pad8((h->nterms + 1) * 8) * 2 + pad8(h->strbytes) +
                    pad8(h->npost * 4) + pad8(h->npost * 2) + h->nslots * 4;
    if (memcmp(h->magic, MAGIC, sizeof MAGIC) != 0 || h->ndocs > (1u << 30) ||
        h->nterms > (1u << 30) || h->npost > (1ull << 34) ||
        h->nslots > (1ull << 32) || (h->nslots & (h->nslots - 1)) ||
        h->nslots <= h->nterms || need > m->size) {
        ss_memindex_close(m);
        return ss_set_error(errmsg, SS_ERR_CORRUPT,
                            "%s: not a skillsearch memindex", path);
    }
    m->len = (const uint32_t *)p, p += pad8(h->ndocs * 4);
    m->concept = (const uint32_t *)p, p += pad8(h->ndocs * 4);
    m->label = (const uint16_t *)p, p += pad8(h->ndocs * 2);
    m->kind = (const uint8_t *)p, p += pad8(h->ndocs);
    m->stroff = (const uint64_t *)p, p += pad8((h->nterms + 1) * 8);
    m->postoff = (const uint64_t *)p, p += pad8((h->nterms + 1) * 8);
    m->str = p, p += pad8(h->strbytes);
    m->pdoc = (const uint32_t *)p, p += pad8(h->npost * 4);
    m->ptf = (const uint16_t *)p, p += pad8(h->npost * 2);
    m->slots = (const uint32_t *)p;
    m->nslots = h->nslots;
    if (m->stroff[h->nterms] != h->strbytes ||
        m->postoff[h->nterms] != h->npost ||
        (h->strbytes && m->str[h->strbytes - 1] != '\0')) {
        ss_memindex_close(m);
        return ss_set_error(errmsg, SS_ERR_CORRUPT, "%s: damaged", path);
    }
    *out = m;
    return SS_OK;
}

void ss_memindex_close(ss_memindex *m)
{
    if (!m)
        return;
    ss_file_unmap(m->map, m->size);
    free(m);
}

ss_postings ss_memindex_lookup(const ss_memindex *m, const char *term)
{
    ss_postings p = {0};
    uint64_t k = hash(term) & (m->nslots - 1);
    for (uint64_t probes = 0; probes < m->nslots;
         probes++, k = (k + 1) & (m->nslots - 1)) {
        uint32_t id = m->slots[k];
        if (!id || id > m->nterms)
            return p;
        uint64_t so = m->stroff[id - 1];
        if (so >= m->stroff[m->nterms] || strcmp(m->str + so, term) != 0)
            continue;
        uint64_t a = m->postoff[id - 1], b = m->postoff[id];
        if (a > b || b > m->postoff[m->nterms])
            return p;
        p.doc = m->pdoc + a;
        p.tf = m->ptf + a;
        p.n = (size_t)(b - a);
        return p;
    }
    return p;
}

static size_t lower(ss_postings p, uint32_t doc)
{
    size_t lo = 0, hi = p.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p.doc[mid] < doc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

ss_postings ss_postings_range(ss_postings p, uint32_t from, uint32_t to)
{
    if (!p.n) /* doc may be NULL: even NULL + 0 is undefined */
        return (ss_postings){NULL, NULL, 0};
    size_t a = lower(p, from), b = lower(p, to);
    return (ss_postings){p.doc + a, p.tf + a, b > a ? b - a : 0};
}

int ss_postings_has(ss_postings p, uint32_t doc)
{
    size_t i = lower(p, doc);
    return i < p.n && p.doc[i] == doc;
}

uint32_t ss_memindex_ndocs(const ss_memindex *m) { return (uint32_t)m->ndocs; }

uint32_t ss_memindex_doclen(const ss_memindex *m, uint32_t doc)
{
    return doc < m->ndocs ? m->len[doc] : 0;
}

uint32_t ss_memindex_concept(const ss_memindex *m, uint32_t doc)
{
    return doc < m->ndocs ? m->concept[doc] : UINT32_MAX;
}

uint16_t ss_memindex_label(const ss_memindex *m, uint32_t doc)
{
    return doc < m->ndocs ? m->label[doc] : 0;
}

uint8_t ss_memindex_kind(const ss_memindex *m, uint32_t doc)
{
    return doc < m->ndocs ? m->kind[doc] : 0;
}

uint32_t ss_memindex_first_doc(const ss_memindex *m, uint32_t concept)
{
    size_t lo = 0, hi = m->ndocs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->concept[mid] < concept)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

double ss_memindex_avglen(const ss_memindex *m, uint32_t from, uint32_t to)
{
    if (to > m->ndocs)
        to = (uint32_t)m->ndocs;
    if (from >= to)
        return 1;
    double sum = 0;
    for (uint32_t d = from; d < to; d++)
        sum += m->len[d];
    return sum / (to - from) > 0 ? sum / (to - from) : 1;
}
