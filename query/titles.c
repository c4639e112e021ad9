#include "titles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/linefile.h"
#include "../core/terms.h"

typedef struct tword {
    char *key;
    ss_title_kind kind;
} tword;

struct ss_titles {
    tword *v; /* sorted by key */
    size_t n, cap;
};

void ss_titles_destroy(ss_titles *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].key);
    free(t->v);
    free(t);
}

static int cmp_tword(const void *a, const void *b)
{
    return strcmp(((const tword *)a)->key, ((const tword *)b)->key);
}

static ss_status add(ss_titles *t, ss_analyzer *a, ss_title_kind kind,
                     const char *term, const char *path, unsigned long line,
                     char **errmsg)
{
    ss_terms terms = {0};
    char key[SS_TERM_MAX + 8];
    size_t words = 0;
    /* stop words count here: "m/f" or "part time" are noise as a whole;
     * not in boilerplate, matched against sentences' content words */
    ss_status st = ss_terms_add(a, term, strlen(term), &terms);
    if (st == SS_OK) {
        for (size_t i = 0; kind != SS_TITLE_BOILERPLATE && i < terms.n; i++)
            terms.tok.v[i].flags &= ~(unsigned)SS_TOK_STOP;
        words = ss_terms_key(&terms, 0, terms.n, "", key, sizeof key);
    }
    ss_terms_free(&terms);
    if (st == SS_ERR_NOMEM)
        return st;
    if (!words)
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "%s:%lu: '%s' has no searchable words", path,
                            line, term);
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        tword *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return SS_ERR_NOMEM;
        t->v = v;
        t->cap = cap;
    }
    if (!(t->v[t->n].key = strdup(key)))
        return SS_ERR_NOMEM;
    t->v[t->n++].kind = kind;
    return SS_OK;
}

typedef struct load_ctx {
    ss_titles *t;
    ss_analyzer *a;
} load_ctx;

/* "KIND<TAB>term" */
static ss_status parse_line(void *ctx, char *line, const char *path,
                            unsigned long lineno, char **errmsg)
{
    load_ctx *lc = ctx;
    if (!line[strspn(line, " \t")])
        return SS_OK;
    char *tab = strchr(line, '\t');
    if (!tab)
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "%s:%lu: expected KIND<TAB>term", path, lineno);
    *tab = '\0';
    ss_title_kind kind = !strcmp(line, "noise")         ? SS_TITLE_NOISE
                         : !strcmp(line, "seniority")   ? SS_TITLE_SENIORITY
                         : !strcmp(line, "boilerplate") ? SS_TITLE_BOILERPLATE
                                                        : SS_TITLE_NONE;
    if (kind == SS_TITLE_NONE)
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "%s:%lu: kind '%s' is not noise, seniority or "
                            "boilerplate",
                            path, lineno, line);
    return add(lc->t, lc->a, kind, tab + 1, path, lineno, errmsg);
}

ss_status ss_titles_load(const char *dir, ss_analyzer *a, ss_titles **out,
                         char **errmsg)
{
    *out = NULL;
    ss_titles *t = calloc(1, sizeof *t);
    if (!t)
        return SS_ERR_NOMEM;
    load_ctx lc = {t, a};
    ss_status st = ss_linefile_read_in(dir, ss_analyzer_language(a)->titles,
                                       parse_line, &lc, errmsg);
    if (st != SS_OK) {
        ss_titles_destroy(t);
        return st;
    }
    if (t->n)
        qsort(t->v, t->n, sizeof *t->v, cmp_tword);
    *out = t;
    return SS_OK;
}

ss_title_kind ss_titles_lookup(const ss_titles *t, const char *key,
                               int *longer)
{
    size_t lo = 0, hi = t ? t->n : 0, n = strlen(key);
    while (lo < hi) { /* the first entry >= key */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->v[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    ss_title_kind kind = SS_TITLE_NONE;
    if (t && lo < t->n && !strcmp(t->v[lo].key, key))
        kind = t->v[lo].kind;
    while (t && lo < t->n && !strcmp(t->v[lo].key, key))
        lo++; /* two lines may analyse to one key */
    /* ' ' sorts before every other byte of a key, so a phrase going on
     * from key's words comes right after key */
    if (longer)
        *longer = t && lo < t->n && !strncmp(t->v[lo].key, key, n) &&
                  t->v[lo].key[n] == ' ';
    return kind;
}

ss_title_kind ss_titles_get(const ss_titles *t, const char *key)
{
    return ss_titles_lookup(t, key, NULL);
}
