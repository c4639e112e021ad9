/* sentences.c - see sentences.h. */
#include "sentences.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of a bullet or item number opening text at i, else 0. */
static size_t bullet(const char *t, size_t i, size_t len)
{
    if (i + 1 < len && strchr("-*+>", t[i]) && t[i + 1] == ' ')
        return 2;
    if (i + 3 < len && !memcmp(t + i, "\xe2\x80\xa2", 3)) /* U+2022 */
        return 3 + (t[i + 3] == ' ');
    size_t d = i;
    while (d < len && d - i < 3 && isdigit((unsigned char)t[d]))
        d++;
    if (d > i && d + 1 < len && strchr(".)", t[d]) && t[d + 1] == ' ')
        return d + 2 - i;
    return 0;
}

static int push(ss_sentence **v, size_t *n, size_t *cap, const char *t,
                size_t a, size_t b)
{
    while (a < b && isspace((unsigned char)t[a]))
        a++;
    while (b > a && isspace((unsigned char)t[b - 1]))
        b--;
    if (a == b)
        return 0;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        ss_sentence *nv = realloc(*v, c * sizeof *nv);
        if (!nv)
            return -1;
        *v = nv;
        *cap = c;
    }
    (*v)[(*n)++] = (ss_sentence){a, b};
    return 0;
}

ss_status ss_sentences_split(const char *t, size_t len, size_t max,
                             ss_sentence **out, size_t *n)
{
    ss_sentence *v = malloc(sizeof *v);
    size_t cap = 1, k = 0, start = 0;
    int line_start = 1;
    if (!v)
        return SS_ERR_NOMEM;
    for (size_t i = 0; i < len && k < max; i++) {
        if (line_start) {
            while (i < len && (t[i] == ' ' || t[i] == '\t'))
                i++;
            start = i + bullet(t, i, len);
            i = start;
            line_start = 0;
            if (i >= len)
                break;
        }
        char c = t[i];
        int end_line = c == '\n';
        int end_mark = strchr(".!?;", c) && i + 1 < len &&
                       isspace((unsigned char)t[i + 1]) && i > start &&
                       !isdigit((unsigned char)t[i - 1]) &&
                       !isupper((unsigned char)t[i - 1]);
        if (end_line || end_mark) {
            if (push(&v, &k, &cap, t, start, end_mark ? i + 1 : i)) {
                free(v);
                return SS_ERR_NOMEM;
            }
            start = i + 1;
            line_start = end_line;
        }
    }
    if (k < max && start < len && push(&v, &k, &cap, t, start, len)) {
        free(v);
        return SS_ERR_NOMEM;
    }
    *out = v;
    *n = k;
    return SS_OK;
}
