#include "titles.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/linefile.h"
#include "../core/terms.h"

typedef struct tword {
    char *key;
    unsigned kinds; /* SS_TITLE_BIT()s: one key may be of several kinds */
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
     * not in the phrases found in running text (boilerplate, markers and
     * fields), matched on content words */
    int content = kind == SS_TITLE_BOILERPLATE || kind == SS_TITLE_MARKER ||
                  kind == SS_TITLE_FIELD;
    ss_status st = ss_terms_add(a, term, strlen(term), &terms);
    if (st == SS_OK) {
        for (size_t i = 0; !content && i < terms.n; i++)
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
    t->v[t->n++].kinds = SS_TITLE_BIT(kind);
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
                         : !strcmp(line, "marker")      ? SS_TITLE_MARKER
                         : !strcmp(line, "field")       ? SS_TITLE_FIELD
                                                        : SS_TITLE_NONE;
    if (kind == SS_TITLE_NONE)
        return ss_set_error(errmsg, SS_ERR_INVALID,
                            "%s:%lu: kind '%s' is not noise, seniority, "
                            "boilerplate, marker or field",
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
    size_t m = 0; /* one entry per key, with all its kinds */
    for (size_t i = 0; i < t->n; i++) {
        if (m && !strcmp(t->v[m - 1].key, t->v[i].key)) {
            t->v[m - 1].kinds |= t->v[i].kinds;
            free(t->v[i].key);
        } else {
            t->v[m++] = t->v[i];
        }
    }
    t->n = m;
    *out = t;
    return SS_OK;
}

unsigned ss_titles_kinds(const ss_titles *t, const char *key, int *longer)
{
    size_t lo = 0, hi = t ? t->n : 0, n = strlen(key);
    while (lo < hi) { /* the first entry >= key */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->v[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    unsigned kinds = 0;
    if (t && lo < t->n && !strcmp(t->v[lo].key, key))
        kinds = t->v[lo++].kinds;
    /* ' ' sorts before every other byte of a key, so a phrase going on
     * from key's words comes right after key */
    if (longer)
        *longer = t && lo < t->n && !strncmp(t->v[lo].key, key, n) &&
                  t->v[lo].key[n] == ' ';
    return kinds;
}

ss_title_kind ss_titles_get(const ss_titles *t, const char *key)
{
    unsigned kinds = ss_titles_kinds(t, key, NULL);
    for (ss_title_kind k = SS_TITLE_NOISE; k <= SS_TITLE_FIELD; k++)
        if (kinds & SS_TITLE_BIT(k))
            return k;
    return SS_TITLE_NONE;
}

/* ---------------------------------------------------- declared titles */

/* The bytes between two tokens hold one of these: the title ends. */
static int breaks(const char *gap, size_t n)
{
    static const char *const marks[] = {"\n", ":", "(", "[", "]", ";", "|",
                                        ",", ".",
                                        "!", "?", " - ",
                                        "\xe2\x80\xa2", /* bullet */
                                        "\xc2\xb7",      /* middle dot */
                                        "\xe2\x80\x93", /* en dash */
                                        "\xe2\x80\x94", /* em dash */
                                        "\xef\xbc\x9a"}; /* full-width : */
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
        if (memmem(gap, n, marks[i], strlen(marks[i])))
            return 1;
    return 0;
}

/* The bytes of blanks opening s[0, n): spaces, tabs and the no-break
 * spaces French puts before a colon. The text need not end in a NUL. */
static size_t blanks(const char *s, size_t n)
{
    size_t i = 0;
    for (;;) {
        if (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        else if (i + 2 <= n && !memcmp(s + i, "\xc2\xa0", 2))
            i += 2; /* U+00A0 */
        else if (i + 3 <= n && !memcmp(s + i, "\xe2\x80\xaf", 3))
            i += 3; /* U+202F */
        else
            return i;
    }
}

/* A word its stem took an s from: "positions". */
static int plural(const ss_token *tk, const char *term)
{
    size_t n = strlen(tk->text);
    return n > 1 && tk->text[n - 1] == 's' && strlen(term) < n;
}

/* The bytes after token i, up to the next token or the end. */
static const char *gap_after(const ss_terms *w, const char *text, size_t len,
                             size_t i, size_t *n)
{
    size_t e = w->tok.v[i].end;
    size_t b = i + 1 < w->n ? w->tok.v[i + 1].start : len;
    *n = b > e ? b - e : 0;
    return text + e;
}

int ss_titles_phrase_at(const ss_titles *t, const ss_terms *w, size_t i,
                        ss_title_kind kind, size_t max, size_t *to)
{
    char key[2 * SS_TERM_MAX + 2];
    int longer = 1, found = 0;
    if (w->tok.v[i].flags & (SS_TOK_STOP | SS_TOK_PART))
        return 0;
    for (size_t j = i + 1; j <= w->n && j <= i + max && longer; j++)
        if (ss_terms_key(w, i, j, "", key, sizeof key) &&
            (ss_titles_kinds(t, key, &longer) & SS_TITLE_BIT(kind)))
            found = 1, *to = j;
    return found;
}

int ss_titles_declared(const ss_titles *t, const ss_terms *w,
                       const char *text, size_t len, size_t *start,
                       size_t *end)
{
    for (size_t i = 0; t && i < w->n; i++) {
        size_t k, gn;
        if (!ss_titles_phrase_at(t, w, i, SS_TITLE_MARKER, 4, &k) || k >= w->n)
            continue;
        const char *gap = gap_after(w, text, len, k - 1, &gn);
        size_t sp = blanks(gap, gn);
        if (sp >= gn || gap[sp] != ':' ||
            plural(&w->tok.v[k - 1], w->term[k - 1]))
            continue; /* "positions:" lists them */
        size_t lead = sp + 1; /* "Job Title: - Tour ...", dashes too */
        for (;;) {
            if (lead < gn && strchr(" \t-", gap[lead]) && gap[lead])
                lead++;
            else if (lead + 3 <= gn && !memcmp(gap + lead, "\xe2\x80\x93", 3))
                lead += 3;
            else
                break;
        }
        if (breaks(gap + lead, gn - lead))
            continue; /* "Position: [REDACTED] ..." */
        /* the words after the colon, up to what ends a title */
        size_t last = SIZE_MAX, words = 0, content = 0;
        for (size_t m = k; m < w->n && words < SS_DECLARED_MAX_WORDS; m++) {
            const ss_token *tk = &w->tok.v[m];
            size_t to;
            if (m == k && (tk->flags & (SS_TOK_STOP | SS_TOK_NUMERIC)))
                break; /* "Position: To manage ...": a sentence */
            if (m > k && ss_titles_phrase_at(t, w, m, SS_TITLE_FIELD, 4, &to))
                break; /* "... Duty Station" */
            const char *g = gap_after(w, text, len, m, &gn);
            sp = blanks(g, gn);
            if (sp < gn && g[sp] == ':')
                break; /* a field's own label */
            if (!(tk->flags & SS_TOK_PART))
                words++;
            if (!(tk->flags & (SS_TOK_STOP | SS_TOK_NUMERIC)))
                content++, last = m; /* no trailing stop word */
            if (breaks(g, gn))
                break;
        }
        if (content) {
            *start = w->tok.v[k].start;
            *end = w->tok.v[last].end;
            return 1;
        }
    }
    return 0;
}
