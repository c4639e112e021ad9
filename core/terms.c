#include "terms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ss_status ss_terms_add(ss_analyzer *a, const char *text, size_t len,
                       ss_terms *out)
{
    size_t first = out->tok.n;
    ss_status st = ss_analyzer_tokenize(a, text, len, &out->tok);
    if (st != SS_OK)
        return st;
    if (out->tok.n > out->cap) {
        size_t cap = out->cap ? out->cap : 16;
        while (cap < out->tok.n)
            cap *= 2;
        char **t = realloc(out->term, cap * sizeof *t);
        if (!t)
            return SS_ERR_NOMEM;
        out->term = t;
        out->cap = cap;
    }
    char buf[SS_TERM_MAX + 16];
    for (size_t i = first; i < out->tok.n; i++) {
        const ss_token *tk = &out->tok.v[i];
        const char *src = tk->text;
        ss_status sst = SS_OK;
        if (!(tk->flags & (SS_TOK_SYMBOL | SS_TOK_NUMERIC))) {
            size_t l = 0;
            sst = ss_analyzer_stem(a, tk->text, buf, sizeof buf, &l);
            if (sst == SS_OK && l > 0)
                src = buf;
        }
        /* a word the stemmer cannot handle is kept as it is, but an
         * unstemmed term for want of memory would silently miss matches */
        if (sst == SS_ERR_NOMEM || !(out->term[i] = strdup(src))) {
            out->n = i;
            return SS_ERR_NOMEM;
        }
    }
    out->n = out->tok.n;
    return SS_OK;
}

void ss_terms_free(ss_terms *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->term[i]);
    free(t->term);
    ss_tokens_free(&t->tok);
    memset(t, 0, sizeof *t);
}

/* Joins parts into buf like snprintf would (truncated, NUL-terminated);
 * the full length. Not snprintf: it takes a tenth of a long query's time. */
static size_t join(char *buf, size_t bufsz, const char *const *parts,
                   size_t nparts)
{
    size_t n = 0;
    for (size_t i = 0; i < nparts; i++) {
        size_t l = strlen(parts[i]);
        if (n < bufsz)
            memcpy(buf + n, parts[i], n + l < bufsz ? l : bufsz - n);
        n += l;
    }
    if (bufsz)
        buf[n < bufsz ? n : bufsz - 1] = '\0';
    return n;
}

int ss_term_prefixed(char *buf, size_t bufsz, const char *prefix,
                     const char *term)
{
    const char *parts[] = {prefix, term};
    size_t n = join(buf, bufsz, parts, 2);
    return n > 0 && n < bufsz && n <= SS_TERM_MAX;
}

size_t ss_terms_key(const ss_terms *t, size_t from, size_t to,
                    const char *prefix, char *buf, size_t bufsz)
{
    size_t len = strlen(prefix), words = 0;
    if (len + 1 > bufsz)
        return 0;
    memcpy(buf, prefix, len);
    for (size_t i = from; i < to && i < t->n; i++) {
        if (t->tok.v[i].flags & (SS_TOK_PART | SS_TOK_STOP))
            continue;
        size_t l = strlen(t->term[i]);
        if (len + (words ? 1 : 0) + l + 1 > bufsz || len + l + 1 > SS_TERM_MAX)
            return 0;
        if (words)
            buf[len++] = ' ';
        memcpy(buf + len, t->term[i], l);
        len += l;
        words++;
    }
    buf[len] = '\0';
    return words;
}

size_t ss_terms_next_pair(const ss_terms *t, size_t i)
{
    if (i >= t->n || (t->tok.v[i].flags & (SS_TOK_STOP | SS_TOK_PART)))
        return t->n;
    for (size_t j = i + 1; j < t->n; j++) {
        unsigned f = t->tok.v[j].flags;
        if (f & SS_TOK_PART)
            continue;
        return (f & SS_TOK_STOP) ? t->n : j;
    }
    return t->n;
}

int ss_terms_bigram(const ss_terms *t, size_t i, const char *prefix,
                    char *buf, size_t bufsz)
{
    size_t j = ss_terms_next_pair(t, i);
    if (j >= t->n)
        return 0;
    const char *parts[] = {prefix, t->term[i], " ", t->term[j]};
    size_t n = join(buf, bufsz, parts, 4);
    return n > 0 && n < bufsz && n < SS_TERM_MAX;
}
