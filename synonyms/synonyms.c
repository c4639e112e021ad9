#include "synonyms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/linefile.h"
#include "../core/terms.h"

typedef struct entry {
    char *key, *text, *source;
    char **to, **to_text;
    size_t n;
} entry;

struct ss_synonyms {
    entry *v;    /* sorted by key */
    size_t n, cap;
    ss_syn *pub; /* the public views of v, same order */
};

void ss_synonyms_destroy(ss_synonyms *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        entry *e = &s->v[i];
        free(e->key);
        free(e->text);
        free(e->source);
        for (size_t j = 0; j < e->n; j++) {
            free(e->to[j]);
            free(e->to_text[j]);
        }
        free(e->to);
        free(e->to_text);
    }
    free(s->v);
    free(s->pub);
    free(s);
}

/* The analysed key of a term into *key, malloc'd ("" when it has no words
 * or is not UTF-8). */
static ss_status term_key(ss_analyzer *a, const char *term, char **key)
{
    ss_terms t = {0};
    char buf[SS_TERM_MAX + 8] = "";
    ss_status st = ss_terms_add(a, term, strlen(term), &t);
    if (st != SS_OK || !ss_terms_key(&t, 0, t.n, "", buf, sizeof buf))
        buf[0] = '\0';
    ss_terms_free(&t);
    if (st == SS_ERR_NOMEM || !(*key = strdup(buf)))
        return SS_ERR_NOMEM;
    return SS_OK;
}

static entry *find_or_add(ss_synonyms *s, const char *key, const char *text,
                          const char *source)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i].key, key))
            return &s->v[i];
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        entry *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return NULL;
        s->v = v;
        s->cap = cap;
    }
    entry *e = &s->v[s->n];
    memset(e, 0, sizeof *e);
    e->key = strdup(key);
    e->text = strdup(text);
    e->source = strdup(source);
    if (!e->key || !e->text || !e->source) {
        free(e->key), free(e->text), free(e->source);
        return NULL;
    }
    s->n++;
    return e;
}

static int add_to(entry *e, const char *key, const char *text)
{
    if (!strcmp(e->key, key))
        return 0;
    for (size_t i = 0; i < e->n; i++)
        if (!strcmp(e->to[i], key))
            return 0;
    char **to = realloc(e->to, (e->n + 1) * sizeof *to);
    if (to)
        e->to = to;
    char **tt = realloc(e->to_text, (e->n + 1) * sizeof *tt);
    if (tt)
        e->to_text = tt;
    if (!to || !tt)
        return -1;
    e->to[e->n] = strdup(key);
    e->to_text[e->n] = strdup(text);
    if (!e->to[e->n] || !e->to_text[e->n]) {
        free(e->to[e->n]), free(e->to_text[e->n]);
        return -1;
    }
    e->n++;
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->key, ((const entry *)b)->key);
}

typedef struct load_ctx {
    ss_synonyms *s;
    ss_analyzer *a;
} load_ctx;

/* One line: tab-separated terms, all equivalent. */
static ss_status parse_line(void *ctx, char *line, const char *path,
                            unsigned long lineno, char **errmsg)
{
    ss_synonyms *s = ((load_ctx *)ctx)->s;
    ss_analyzer *a = ((load_ctx *)ctx)->a;
    char *terms[32], *keys[32];
    size_t n = 0;
    for (char *save = NULL, *t = strtok_r(line, "\t\r\n", &save); t;
         t = strtok_r(NULL, "\t\r\n", &save)) {
        while (*t == ' ')
            t++;
        size_t l = strlen(t);
        while (l && t[l - 1] == ' ')
            t[--l] = '\0';
        if (!*t)
            continue;
        if (n == 32)
            return ss_set_error(errmsg, SS_ERR_INVALID,
                                "%s:%lu: more than 32 terms", path, lineno);
        terms[n++] = t;
    }
    if (n == 0)
        return SS_OK;
    if (n == 1)
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "%s:%lu: '%s' has no synonym (separate terms "
                            "with a tab)", path, lineno, terms[0]);
    ss_status st = SS_OK;
    for (size_t i = 0; i < n; i++) {
        if ((st = term_key(a, terms[i], &keys[i])) != SS_OK) {
            n = i;
            break;
        }
        if (!*keys[i]) {
            st = ss_set_error(errmsg, SS_ERR_INVALID,
                              "%s:%lu: '%s' has no searchable words", path,
                              lineno, terms[i]);
            free(keys[i]);
            n = i;
            break;
        }
    }
    char source[512];
    snprintf(source, sizeof source, "%s:%lu", path, lineno);
    for (size_t i = 0; st == SS_OK && i < n; i++) {
        entry *e = find_or_add(s, keys[i], terms[i], source);
        if (!e) {
            st = SS_ERR_NOMEM;
            break;
        }
        for (size_t j = 0; j < n; j++)
            if (j != i && add_to(e, keys[j], terms[j]) < 0)
                st = SS_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    return st;
}

static size_t find_root(size_t *up, size_t i)
{
    while (up[i] != i)
        i = up[i] = up[up[i]];
    return i;
}

/* Lines that share a term describe one group ("store keeper" =
 * storekeeper, storekeeper = inventory coordinator): every term of the
 * joined group expands to all the others. Needs s->v sorted. */
static ss_status join_groups(ss_synonyms *s)
{
    size_t *up = malloc(s->n * sizeof *up);
    if (!up)
        return SS_ERR_NOMEM;
    for (size_t i = 0; i < s->n; i++)
        up[i] = i;
    for (size_t i = 0; i < s->n; i++)
        for (size_t j = 0; j < s->v[i].n; j++) {
            const ss_syn *o = ss_synonyms_get(s, s->v[i].to[j]);
            if (o)
                up[find_root(up, i)] = find_root(up, (size_t)(o - s->pub));
        }
    ss_status st = SS_OK;
    for (size_t i = 0; st == SS_OK && i < s->n; i++)
        for (size_t j = 0; st == SS_OK && j < s->n; j++)
            if (j != i && find_root(up, i) == find_root(up, j) &&
                add_to(&s->v[i], s->v[j].key, s->v[j].text) < 0)
                st = SS_ERR_NOMEM;
    free(up);
    return st;
}

ss_status ss_synonyms_load(const char *dir, ss_analyzer *a,
                           ss_synonyms **out, char **errmsg)
{
    *out = NULL;
    ss_synonyms *s = calloc(1, sizeof *s);
    if (!s)
        return SS_ERR_NOMEM;
    load_ctx lc = {s, a};
    ss_status st = ss_linefile_read_in(
        dir, ss_analyzer_language(a)->synonyms, parse_line, &lc, errmsg);
    if (st == SS_OK && s->n) {
        qsort(s->v, s->n, sizeof *s->v, cmp_entry);
        s->pub = calloc(s->n, sizeof *s->pub);
        if (!s->pub)
            st = SS_ERR_NOMEM;
        for (size_t i = 0; st == SS_OK && i < s->n; i++)
            s->pub[i] = (ss_syn){s->v[i].key,
                                 s->v[i].text,
                                 (const char **)s->v[i].to,
                                 (const char **)s->v[i].to_text,
                                 s->v[i].n,
                                 s->v[i].source};
        if (st == SS_OK)
            st = join_groups(s);
        /* join_groups may have moved the expansion arrays */
        for (size_t i = 0; st == SS_OK && i < s->n; i++) {
            s->pub[i].to = (const char **)s->v[i].to;
            s->pub[i].to_text = (const char **)s->v[i].to_text;
            s->pub[i].n = s->v[i].n;
        }
    }
    if (st != SS_OK) {
        ss_synonyms_destroy(s);
        return st;
    }
    *out = s;
    return SS_OK;
}

const ss_syn *ss_synonyms_get(const ss_synonyms *s, const char *key)
{
    size_t lo = 0, hi = s ? s->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->v[mid].key, key);
        if (!c)
            return &s->pub[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

size_t ss_synonyms_count(const ss_synonyms *s) { return s ? s->n : 0; }

const ss_syn *ss_synonyms_at(const ss_synonyms *s, size_t i)
{
    return s && i < s->n ? &s->pub[i] : NULL;
}

ss_status ss_synonyms_write(const ss_synonyms *s, ss_writer *w,
                            char **errmsg)
{
    char key[SS_TERM_MAX + 8];
    ss_status st = SS_OK;
    for (size_t i = 0; st == SS_OK && s && i < s->n; i++)
        for (size_t j = 0; st == SS_OK && j < s->v[i].n; j++)
            if (snprintf(key, sizeof key, "%s%s", SS_SYN_CURATED,
                         s->v[i].key) < SS_TERM_MAX)
                st = ss_writer_add_synonym(w, key, s->v[i].to[j], errmsg);
    return st;
}
