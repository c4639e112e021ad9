/* meaning.c - see meaning.h. */
#include "meaning.h"

#include <stdlib.h>
#include <string.h>

#include "../core/fasttext_wrap.h"

struct ss_meaning {
    ss_ft *ft;
    uint32_t *concept; /* per model label: concept ordinal, or UINT32_MAX */
};

static const char *last_segment(const char *uri)
{
    const char *s = strrchr(uri, '/');
    return s ? s + 1 : uri;
}

typedef struct key_ord {
    const char *key;
    uint32_t ord;
} key_ord;

static int cmp_key(const void *a, const void *b)
{
    return strcmp(((const key_ord *)a)->key, ((const key_ord *)b)->key);
}

ss_status ss_meaning_open(const char *path, const ss_concepts *concepts,
                          ss_meaning **out, char **errmsg)
{
    *out = NULL;
    ss_meaning *m = calloc(1, sizeof *m);
    if (!m)
        return SS_ERR_NOMEM;
    ss_status st = ss_ft_open(path, &m->ft, errmsg);
    size_t nl = st == SS_OK ? ss_ft_nlabels(m->ft) : 0;
    key_ord *keys = NULL;
    if (st == SS_OK) {
        m->concept = malloc((nl + 1) * sizeof *m->concept);
        keys = malloc((concepts->n + 1) * sizeof *keys);
        if (!m->concept || !keys)
            st = SS_ERR_NOMEM;
    }
    size_t mapped = 0;
    if (st == SS_OK) {
        for (size_t i = 0; i < concepts->n; i++)
            keys[i] = (key_ord){last_segment(concepts->v[i].uri),
                                (uint32_t)i};
        qsort(keys, concepts->n, sizeof *keys, cmp_key);
        for (size_t i = 0; i < nl; i++) {
            key_ord k = {ss_ft_label(m->ft, i), 0};
            const key_ord *f =
                bsearch(&k, keys, concepts->n, sizeof *keys, cmp_key);
            m->concept[i] = f ? f->ord : UINT32_MAX;
            mapped += f != NULL;
        }
        if (!mapped)
            st = ss_set_error(errmsg, SS_ERR_CORRUPT,
                              "%s: its labels name no concept of the index",
                              path);
    }
    free(keys);
    if (st != SS_OK) {
        ss_meaning_destroy(m);
        return st;
    }
    *out = m;
    return SS_OK;
}

void ss_meaning_destroy(ss_meaning *m)
{
    if (!m)
        return;
    ss_ft_destroy(m->ft);
    free(m->concept);
    free(m);
}

ss_status ss_meaning_predict(const ss_meaning *m, const ss_tokens *tok,
                             size_t k, uint32_t *concept, float *prob,
                             size_t *n, char **errmsg)
{
    *n = 0;
    char *line = ss_meaning_line(tok);
    uint32_t *lab = malloc((k + 1) * sizeof *lab);
    if (!line || !lab) {
        free(line);
        free(lab);
        return SS_ERR_NOMEM;
    }
    size_t got = 0;
    ss_status st = ss_ft_predict(m->ft, line, k, lab, prob, &got, errmsg);
    for (size_t i = 0; st == SS_OK && i < got; i++)
        if (m->concept[lab[i]] != UINT32_MAX) {
            prob[*n] = prob[i];
            concept[(*n)++] = m->concept[lab[i]];
        }
    free(line);
    free(lab);
    return st;
}

char *ss_meaning_line(const ss_tokens *tok)
{
    size_t len = 1;
    for (size_t i = 0; i < tok->n; i++)
        len += strlen(tok->v[i].text) + 1;
    char *s = malloc(len), *p = s;
    for (size_t i = 0; s && i < tok->n; i++) {
        const char *w = tok->v[i].text;
        if ((tok->v[i].flags & SS_TOK_PART) || !*w)
            continue;
        if (p > s)
            *p++ = ' ';
        /* fastText splits on blanks: a token never holds one, but a
         * control character would end its line */
        for (; *w; w++)
            *p++ = (unsigned char)*w < 0x20 ? '_' : *w;
    }
    if (s)
        *p = '\0';
    return s;
}

char *ss_meaning_label(const char *uri)
{
    const char *k = last_segment(uri);
    char *s = malloc(strlen(k) + sizeof "__label__");
    if (s)
        strcpy(stpcpy(s, "__label__"), k);
    return s;
}
