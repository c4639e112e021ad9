#include "langs.h"

#include "../query/langid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void ss_langs_list(const char *const *codes, size_t n, char *buf,
                   size_t size)
{
    size_t at = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < n && at < size; i++) {
        int k = snprintf(buf + at, size - at, "%s%s", i ? ", " : "",
                         *codes[i] ? codes[i] : "(not loaded yet)");
        if (k < 0)
            break;
        at += (size_t)k;
    }
}

int ss_langs_find(const char *const *codes, size_t n, const char *s,
                  size_t len)
{
    size_t primary = 0; /* the language subtag: "fr" of "fr-BE" */
    while (primary < len && s[primary] != '-' && s[primary] != '_')
        primary++;
    for (size_t i = 0; i < n; i++)
        if (*codes[i] && strlen(codes[i]) == primary &&
            strncasecmp(codes[i], s, primary) == 0)
            return (int)i;
    return -1;
}

/* Accept-Language: "fr-BE, fr;q=0.9, en;q=0.8, *;q=0.1". The served
 * language of the highest q wins; equal q: the one listed first. q=0 means
 * "not this one". "*" is the default. */
static int pick_accept(const char *const *codes, size_t n, const char *h)
{
    int best = -1;
    double best_q = 0;
    while (h && *h) {
        h += strspn(h, " \t,");
        size_t tl = strcspn(h, ",; \t");
        const char *tag = h, *end = h + strcspn(h, ",");
        double q = 1;
        const char *qp = memchr(h, ';', (size_t)(end - h));
        while (qp && qp < end) {
            qp += 1 + strspn(qp + 1, " \t");
            if ((qp[0] == 'q' || qp[0] == 'Q') && qp[1] == '=') {
                char *e;
                q = strtod(qp + 2, &e);
                if (e == qp + 2 || q < 0 || q > 1)
                    q = 0; /* malformed: ignore the entry */
            }
            qp = memchr(qp, ';', (size_t)(end - qp));
        }
        int slot = tl == 1 && tag[0] == '*' ? 0
                                            : ss_langs_find(codes, n, tag, tl);
        if (tl && slot >= 0 && q > best_q)
            best = slot, best_q = q;
        h = *end ? end + 1 : end;
    }
    return best;
}

int ss_langs_pick(const char *const *codes, size_t n, const char *lang,
                  size_t len, const char *accept, size_t *slot, char *why,
                  size_t whysize)
{
    char served[256];
    if (lang) {
        int i = strlen(lang) == len && len <= 16
                    ? ss_langs_find(codes, n, lang, len)
                    : -1;
        if (i < 0 && n == 1 && !*codes[0]) {
            *slot = 0; /* one index, language not known yet: it answers
                          (503 until loaded) */
            return 1;
        }
        if (i >= 0) {
            *slot = (size_t)i;
            return 1;
        }
        if (len == 4 && strcmp(lang, "auto") == 0)
            return 2;
        ss_langs_list(codes, n, served, sizeof served);
        snprintf(why, whysize,
                 "language '%.16s' is not served here; served "
                 "languages: %s", strlen(lang) == len ? lang : "?",
                 served);
        return 0;
    }
    int i = accept ? pick_accept(codes, n, accept) : -1;
    *slot = i >= 0 ? (size_t)i : 0;
    return 1;
}

int ss_langs_identify(const char *const *codes,
                      struct ss_searcher *const *searchers, size_t n,
                      const char *text, size_t len, size_t *slot,
                      char **why)
{
    const char *lc[SS_LANGS_MAX];
    ss_searcher *sv[SS_LANGS_MAX];
    size_t idx[SS_LANGS_MAX], m = 0;
    *why = NULL;
    for (size_t i = 0; i < n && i < SS_LANGS_MAX; i++)
        if (searchers[i] && *codes[i]) {
            lc[m] = codes[i];
            sv[m] = searchers[i];
            idx[m++] = i;
        }
    if (m == 0) {
        *why = strdup("lang=auto: no index is loaded yet");
        return 0;
    }
    /* one identifier per request: it borrows this thread's searchers,
     * and making one costs microseconds next to a search */
    ss_langid *id = NULL;
    const char *found = NULL;
    *slot = idx[0];
    ss_status st = ss_langid_create(lc, sv, m, NULL, &id, why);
    if (st == SS_OK)
        st = ss_langid_guess(id, text, len, &found, why, why);
    for (size_t k = 0; st == SS_OK && k < m; k++)
        if (strcmp(found, lc[k]) == 0)
            *slot = idx[k];
    ss_langid_destroy(id);
    if (st != SS_OK && !*why && asprintf(why, "lang=auto: %s",
                                         ss_strerror(st)) < 0)
        *why = NULL;
    return st == SS_OK;
}
