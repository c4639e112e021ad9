/* text.c - normalisation (utf8proc) and the tokeniser shared by indexer and
 * query side. See text.h for the contract. */
#include "text.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "linefile.h"
#include "xapian_wrap.h"

/* Longer normalised tokens are dropped: they are garbage for search (hashes,
 * URLs, glued text) and must stay well under Xapian's 245-byte term limit. */
#define TOK_MAX 64
/* Spans longer than this cannot normalise to TOK_MAX bytes in practice;
 * skip normalising them at all. */
#define SPAN_MAX (TOK_MAX * 16)

/* ------------------------------------------------------------------ UTF-8 */

/* Decodes the code point at s[*i], advancing *i; -1 if invalid (overlong,
 * surrogate, > U+10FFFF, truncated, NUL). */
static int32_t u8_next(const unsigned char *s, size_t len, size_t *i)
{
    size_t p = *i;
    unsigned c = s[p];
    if (c < 0x80) {
        *i = p + 1;
        return c ? (int32_t)c : -1;
    }
    size_t n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1; cp = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2; cp = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3; cp = c & 0x07; min = 0x10000;
    } else {
        return -1;
    }
    if (len - p - 1 < n)
        return -1;
    for (size_t k = 1; k <= n; k++) {
        unsigned d = s[p + k];
        if ((d & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *i = p + n + 1;
    return (int32_t)cp;
}

int ss_utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    if (!s)
        return len == 0;
    while (i < len) {
        if (u[i] >= 0x01 && u[i] < 0x80) { /* ASCII fast path */
            i++;
            continue;
        }
        if (u8_next(u, len, &i) < 0)
            return 0;
    }
    return 1;
}

void ss_utf8_repair(char *s)
{
    unsigned char *u = (unsigned char *)s;
    size_t len = strlen(s), i = 0;
    while (i < len)
        if (u8_next(u, len, &i) < 0)
            u[i++] = '?';
}

/* ---------------------------------------------------------- normalisation */

/* Bases whose combining marks are decoration when folding accents. Only
 * Latin: in Cyrillic, Greek, Arabic... a mark can make a letter of its own
 * (й is not и), so those are never touched. */
static int latin_base(int32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
           (c >= 0x250 && c <= 0x2AF) ||   /* IPA extensions */
           (c >= 0x1E00 && c <= 0x1EFF) || /* Latin Extended Additional */
           (c >= 0x2C60 && c <= 0x2C7F) || (c >= 0xA720 && c <= 0xA7FF) ||
           (c >= 0xAB30 && c <= 0xAB6F);
}

static int is_mark(int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_MC ||
           k == UTF8PROC_CATEGORY_ME;
}

/* Latin letters without a decomposition that people also type plainly
 * (oeuvre, Soren, Lodz); only applied when folding accents. */
static const char *latin_fold(int32_t c)
{
    switch (c) {
    case 0x153: return "oe"; /* œ */
    case 0xE6: return "ae";  /* æ */
    case 0xF8: return "o";   /* ø */
    case 0x142: return "l";  /* ł */
    case 0x111: return "d";  /* đ */
    default: return NULL;
    }
}

/* Normalises already-validated UTF-8. */
static ss_status normalize(const char *in, size_t len, int strip, char **out,
                           size_t *outlen)
{
    const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPAT |
                                   UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD |
                                   UTF8PROC_IGNORE;
    utf8proc_ssize_t cap = (utf8proc_ssize_t)len + 8, n;
    utf8proc_int32_t *buf = NULL;
    for (;;) {
        /* +1: utf8proc_reencode writes a NUL after up to 4 bytes per cp. */
        utf8proc_int32_t *nb = realloc(buf, ((size_t)cap + 1) * sizeof *nb);
        if (!nb) {
            free(buf);
            return SS_ERR_NOMEM;
        }
        buf = nb;
        n = utf8proc_decompose((const utf8proc_uint8_t *)in,
                               (utf8proc_ssize_t)len, buf, cap, opts);
        if (n < 0) {
            free(buf);
            return n == UTF8PROC_ERROR_NOMEM ? SS_ERR_NOMEM : SS_ERR_INVALID;
        }
        if (n <= cap)
            break;
        cap = n;
    }
    if (strip) {
        /* Drop marks on Latin bases; fold the few undecomposable letters.
         * Output never exceeds 2 code points per input code point. */
        utf8proc_int32_t *sb = malloc(((size_t)n * 2 + 1) * sizeof *sb);
        if (!sb) {
            free(buf);
            return SS_ERR_NOMEM;
        }
        utf8proc_ssize_t m = 0;
        int latin = 0;
        for (utf8proc_ssize_t k = 0; k < n; k++) {
            int32_t c = buf[k];
            if (is_mark(c)) {
                if (!latin)
                    sb[m++] = c;
                continue;
            }
            latin = latin_base(c);
            const char *f = latin_fold(c);
            if (f) {
                while (*f)
                    sb[m++] = (unsigned char)*f++;
            } else {
                sb[m++] = c;
            }
        }
        free(buf);
        buf = sb;
        n = m;
    }
    utf8proc_ssize_t bytes =
        utf8proc_reencode(buf, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (bytes < 0) {
        free(buf);
        return SS_ERR_INVALID;
    }
    *out = (char *)buf;
    if (outlen)
        *outlen = (size_t)bytes;
    return SS_OK;
}

ss_status ss_text_normalize(const char *in, size_t len, int strip_accents,
                            char **out, size_t *outlen)
{
    if (!out || (!in && len))
        return SS_ERR_INVALID;
    if (!ss_utf8_valid(in, len))
        return SS_ERR_INVALID;
    return normalize(in ? in : "", len, strip_accents, out, outlen);
}

/* --------------------------------------------------------------- analyzer */

struct ss_analyzer {
    const ss_lang *lang;
    ss_stemmer *stemmer;
    char **stop; /* sorted, unique */
    size_t nstop;
    /* word -> stem memo: a vocabulary is small and Snowball is not free */
    struct stem_memo {
        char *word, *stem;
    } *memo;
    size_t nmemo, memocap;
};

#define STEM_MEMO_MAX (1u << 17) /* slots; half may fill */

static int in_list(const char *const *l, const char *w)
{
    for (; l && *l; l++)
        if (strcmp(*l, w) == 0)
            return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int ss_analyzer_is_stopword(const ss_analyzer *a, const char *tok)
{
    if (!a || !tok || !a->nstop)
        return 0;
    return bsearch(&tok, a->stop, a->nstop, sizeof *a->stop, cmp_str) != NULL;
}

static ss_status add_stop(ss_analyzer *a, size_t *cap, char *w)
{
    if (a->nstop == *cap) {
        size_t nc = *cap ? *cap * 2 : 128;
        char **v = realloc(a->stop, nc * sizeof *v);
        if (!v)
            return SS_ERR_NOMEM;
        a->stop = v;
        *cap = nc;
    }
    a->stop[a->nstop++] = w;
    return SS_OK;
}

typedef struct stop_ctx {
    ss_analyzer *a;
    size_t cap;
} stop_ctx;

static ss_status stop_line(void *ctx, char *line, const char *path,
                           unsigned long lineno, char **errmsg)
{
    (void)path, (void)lineno, (void)errmsg;
    stop_ctx *c = ctx;
    size_t b = strspn(line, " \t"), l = strlen(line);
    while (l > b && strchr(" \t", line[l - 1]))
        l--;
    if (l == b)
        return SS_OK;
    char *w = NULL;
    ss_status st =
        normalize(line + b, l - b, c->a->lang->strip_accents, &w, NULL);
    if (st == SS_OK && (st = add_stop(c->a, &c->cap, w)) != SS_OK)
        free(w);
    return st;
}

/* Reads the row's stop list from dir, if it has one. */
static ss_status load_stop(ss_analyzer *a, const char *dir, char **errmsg)
{
    stop_ctx c = {a, 0};
    ss_status st = ss_linefile_read_in(dir, a->lang->stop, stop_line, &c,
                                       errmsg);
    if (st == SS_ERR_NOMEM)
        ss_set_error(errmsg, st, "out of memory reading %s/%s", dir,
                     a->lang->stop);
    if (st != SS_OK)
        return st;
    if (a->nstop > 1) /* a->stop is NULL for a missing or empty list */
        qsort(a->stop, a->nstop, sizeof *a->stop, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < a->nstop; i++) {
        if (u && strcmp(a->stop[u - 1], a->stop[i]) == 0)
            free(a->stop[i]);
        else
            a->stop[u++] = a->stop[i];
    }
    a->nstop = u;
    return SS_OK;
}

ss_status ss_analyzer_create(const char *lang, const char *stopdir,
                             ss_analyzer **out, char **errmsg)
{
    if (!out)
        return SS_ERR_INVALID;
    *out = NULL;
    const ss_lang *row;
    ss_status st = ss_lang_get(lang, &row, errmsg);
    if (st != SS_OK)
        return st;
    ss_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return ss_set_error(errmsg, SS_ERR_NOMEM, "out of memory");
    a->lang = row;
    st = ss_stemmer_create(row->stemmer, &a->stemmer, NULL);
    if (st != SS_OK) {
        ss_analyzer_destroy(a);
        if (st == SS_ERR_INVALID)
            return ss_set_error(errmsg, st,
                                "no stemmer '%s' for language '%s' in this "
                                "Xapian", row->stemmer, lang);
        return ss_set_error(errmsg, st, "cannot create stemmer for '%s': %s",
                            lang, ss_strerror(st));
    }
    if (stopdir && (st = load_stop(a, stopdir, errmsg)) != SS_OK) {
        ss_analyzer_destroy(a);
        return st;
    }
    *out = a;
    return SS_OK;
}

void ss_analyzer_destroy(ss_analyzer *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nstop; i++)
        free(a->stop[i]);
    free(a->stop);
    for (size_t i = 0; i < a->memocap; i++) {
        free(a->memo[i].word);
        free(a->memo[i].stem);
    }
    free(a->memo);
    ss_stemmer_destroy(a->stemmer);
    free(a);
}

const char *ss_analyzer_lang(const ss_analyzer *a)
{
    return a ? a->lang->code : NULL;
}

const ss_lang *ss_analyzer_language(const ss_analyzer *a)
{
    return a ? a->lang : NULL;
}

int ss_analyzer_strips_accents(const ss_analyzer *a)
{
    return a ? a->lang->strip_accents : 0;
}

ss_status ss_analyzer_stem(ss_analyzer *a, const char *tok, char *buf,
                           size_t bufsz, size_t *outlen)
{
    if (!a || !tok || !buf || !bufsz)
        return SS_ERR_INVALID;
    if (!a->memo && (a->memo = calloc(STEM_MEMO_MAX, sizeof *a->memo)))
        a->memocap = STEM_MEMO_MAX;
    size_t h = 5381, len = strlen(tok);
    for (size_t i = 0; i < len; i++)
        h = h * 33 + (unsigned char)tok[i];
    struct stem_memo *m = NULL;
    for (size_t i = 0; a->memocap && i < a->memocap; i++) {
        m = &a->memo[(h + i) & (a->memocap - 1)];
        if (!m->word || !strcmp(m->word, tok))
            break;
    }
    if (m && m->word) {
        size_t l = strlen(m->stem);
        if (l < bufsz) {
            memcpy(buf, m->stem, l + 1);
            if (outlen)
                *outlen = l;
            return SS_OK;
        }
    }
    ss_status st = ss_stemmer_stem(a->stemmer, tok, len, buf, bufsz, outlen);
    if (st == SS_OK && m && !m->word && a->nmemo < a->memocap / 2) {
        m->word = strdup(tok);
        m->stem = strdup(buf);
        if (!m->word || !m->stem) {
            free(m->word);
            free(m->stem);
            m->word = m->stem = NULL;
        } else {
            a->nmemo++;
        }
    }
    return st;
}

/* -------------------------------------------------------------- tokeniser */

void ss_tokens_free(ss_tokens *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].text);
    free(t->v);
    memset(t, 0, sizeof *t);
}

enum { K_WORD = 1, K_LETTER = 2, K_DIGIT = 4, K_SPACE = 8, K_UPPER = 16,
       K_LOWER = 32 };

typedef struct ucp {
    int32_t cp;
    unsigned kind;
    size_t off; /* byte offset of the code point in the input */
} ucp;

static unsigned classify(int32_t c)
{
    if (c < 0x80) { /* ASCII fast path */
        if (c >= 'a' && c <= 'z')
            return K_WORD | K_LETTER | K_LOWER;
        if (c >= 'A' && c <= 'Z')
            return K_WORD | K_LETTER | K_UPPER;
        if (c >= '0' && c <= '9')
            return K_WORD | K_DIGIT;
        return (c == ' ' || (c >= '\t' && c <= '\r')) ? K_SPACE : 0;
    }
    /* Soft hyphen and zero-width (non-)joiners sit inside words; the
     * normaliser removes them (UTF8PROC_IGNORE). */
    if (c == 0xAD || c == 0x200C || c == 0x200D)
        return K_WORD;
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU:
        return K_WORD | K_LETTER | K_UPPER;
    case UTF8PROC_CATEGORY_LL:
        return K_WORD | K_LETTER | K_LOWER;
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return K_WORD | K_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return K_WORD;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return K_WORD | K_DIGIT;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return K_SPACE;
    default:
        return 0;
    }
}

static int is_apos(int32_t c)
{
    return c == '\'' || c == 0x2019;
}

/* Separators of compound parts: ASCII hyphen-minus, U+2010 hyphen, U+2011
 * non-breaking hyphen, slash, ampersand. */
static int is_part_sep(int32_t c)
{
    return c == '-' || c == 0x2010 || c == 0x2011 || c == '/' || c == '&';
}

static int is_hyphen(int32_t c)
{
    return c == '-' || c == 0x2010 || c == 0x2011;
}

/* A '.' starting a token (.NET) must follow a space, the start or an
 * opening bracket/quote/slash, so "...and" or "end.Next" do not qualify. */
static int dot_lead_ok(const ucp *u, size_t i)
{
    if (i == 0 || (u[i - 1].kind & K_SPACE))
        return 1;
    int32_t c = u[i - 1].cp;
    return c == '(' || c == '[' || c == '{' || c == '"' || c == '/' ||
           c == 0x201C || c == 0xAB;
}

/* u[j] is a '.' between words: lower.Upper-lower reads as two sentences
 * (u[j + 2] exists: the decoded array ends with a sentinel). */
static int sentence_dot(const ucp *u, size_t j)
{
    return (u[j - 1].kind & K_LOWER) && (u[j + 1].kind & K_UPPER) &&
           (u[j + 2].kind & K_LOWER);
}

typedef struct group {
    size_t a, b;      /* code point range [a,b) */
    int32_t sep;      /* separator before this group (0 for the first) */
    unsigned flags;   /* NUMERIC or SYMBOL of the group on its own */
} group;

typedef struct tokctx {
    const ss_analyzer *an;
    const char *text;
    const ucp *u;
    ss_tokens *out;
    group *g;
    size_t gcap;
    char *cbuf; /* compound text being built */
    size_t ccap;
} tokctx;

/* Appends a token made of the original bytes src[0..n) (normalised here).
 * *added is 0 if the token normalised to nothing or was too long. */
static ss_status emit(tokctx *c, const char *src, size_t n, size_t start,
                      size_t end, unsigned pos, unsigned flags, int *added)
{
    *added = 0;
    if (n > SPAN_MAX)
        return SS_OK;
    char *t = NULL;
    size_t tl = 0;
    ss_status st = normalize(src, n, c->an->lang->strip_accents, &t, &tl);
    if (st != SS_OK)
        return st;
    if (tl == 0 || tl > TOK_MAX) {
        free(t);
        return SS_OK;
    }
    ss_tokens *o = c->out;
    if (o->n == o->cap) {
        size_t nc = o->cap ? o->cap * 2 : 32;
        ss_token *v = realloc(o->v, nc * sizeof *v);
        if (!v) {
            free(t);
            return SS_ERR_NOMEM;
        }
        o->v = v;
        o->cap = nc;
    }
    if (ss_analyzer_is_stopword(c->an, t))
        flags |= SS_TOK_STOP;
    o->v[o->n++] = (ss_token){t, start, end, pos, flags};
    *added = 1;
    return SS_OK;
}

static unsigned group_flags(const ucp *u, size_t a, size_t b)
{
    int numeric = 1, sym = 0;
    for (size_t i = a; i < b; i++) {
        int32_t ch = u[i].cp;
        if (ch == '.' || ch == '+' || ch == '#')
            sym = 1;
        if (!(u[i].kind & K_DIGIT) && ch != '.' && ch != ',')
            numeric = 0;
    }
    if (numeric)
        return SS_TOK_NUMERIC;
    return sym ? SS_TOK_SYMBOL : 0;
}

/* Scans the compound starting at i into c->g; returns its end index. */
static ss_status scan(tokctx *c, size_t i, size_t n, size_t *ng,
                      size_t *endp)
{
    const ucp *u = c->u;
    size_t j = i, a = i, k = 0;
    int32_t sep = 0;
    if (u[j].cp == '.')
        j++; /* leading dot: .NET */
    for (;;) {
        while (j < n && (u[j].kind & K_WORD))
            j++;
        /* '.' between alphanumerics stays inside: node.js, 2.5, ASP.NET,
         * but not a sentence end missing its space: "undamaged.This";
         * ',' only between digits: 1,000 */
        if (j + 1 < n && (u[j + 1].kind & K_WORD) &&
            (u[j - 1].kind & K_WORD) &&
            ((u[j].cp == '.' && !sentence_dot(u, j)) ||
             (u[j].cp == ',' && (u[j - 1].kind & K_DIGIT) &&
              (u[j + 1].kind & K_DIGIT)))) {
            j++;
            continue;
        }
        /* '+'/'#' suffix after a letter, ending the word: C++, C#, F# */
        if (j < n && (u[j - 1].kind & K_LETTER) &&
            (u[j].cp == '+' || u[j].cp == '#')) {
            size_t s = j + 1;
            if (u[j].cp == '+' && s < n && u[s].cp == '+')
                s++;
            if (s >= n || !((u[s].kind & K_WORD) || u[s].cp == '+' ||
                            u[s].cp == '#'))
                j = s;
        }
        if (k == c->gcap) {
            size_t nc = c->gcap ? c->gcap * 2 : 8;
            group *g = realloc(c->g, nc * sizeof *g);
            if (!g)
                return SS_ERR_NOMEM;
            c->g = g;
            c->gcap = nc;
        }
        c->g[k++] = (group){a, j, sep, group_flags(u, a, j)};
        if (j + 1 < n && is_part_sep(u[j].cp) && (u[j + 1].kind & K_WORD)) {
            sep = u[j].cp;
            a = ++j;
            continue;
        }
        break;
    }
    *ng = k;
    *endp = j;
    return SS_OK;
}

static ss_status emit_compound(tokctx *c, size_t ng, unsigned *pos)
{
    const ucp *u = c->u;
    const group *g = c->g;
    size_t start = u[g[0].a].off, end = u[g[ng - 1].b].off;
    /* Build the compound's text from the original bytes: hyphens vanish
     * (e-mail -> email) except between digits (x86-64, 2-3); '/' and '&'
     * stay (cad/cam, r&d). */
    if (c->ccap < end - start + 1) {
        char *nb = realloc(c->cbuf, end - start + 1);
        if (!nb)
            return SS_ERR_NOMEM;
        c->cbuf = nb;
        c->ccap = end - start + 1;
    }
    size_t cl = 0;
    unsigned flags = 0;
    for (size_t k = 0; k < ng; k++) {
        if (k) {
            int keep = !is_hyphen(g[k].sep) ||
                       ((u[g[k - 1].b - 1].kind & K_DIGIT) &&
                        (u[g[k].a].kind & K_DIGIT));
            if (keep) {
                c->cbuf[cl++] = is_hyphen(g[k].sep) ? '-' : (char)g[k].sep;
                flags |= SS_TOK_SYMBOL;
            }
        }
        size_t gs = u[g[k].a].off, ge = u[g[k].b].off;
        memcpy(c->cbuf + cl, c->text + gs, ge - gs);
        cl += ge - gs;
        flags |= g[k].flags & SS_TOK_SYMBOL;
    }
    /* A compound without kept symbols (email, cleanroom) is a plain word
     * and gets stemmed like one. */
    int added;
    ss_status st = emit(c, c->cbuf, cl, start, end, *pos, flags, &added);
    for (size_t k = 0; st == SS_OK && k < ng; k++) {
        size_t gs = u[g[k].a].off, ge = u[g[k].b].off;
        st = emit(c, c->text + gs, ge - gs, gs, ge, *pos + (unsigned)k,
                  SS_TOK_PART | g[k].flags, &added);
    }
    *pos += (unsigned)ng;
    return st;
}

/* A single group next to an apostrophe: l'électricien drops the "l",
 * manager's drops the "s". Sets *drop to 1 if the group is to go. */
static ss_status apostrophe_drop(tokctx *c, const group *g, int before,
                                 int after, int *drop)
{
    *drop = 0;
    const ss_lang *l = c->an->lang;
    if (g->flags || !((before && l->elide) || after))
        return SS_OK;
    size_t gs = c->u[g->a].off, ge = c->u[g->b].off;
    if (ge - gs > 16) /* longer than any list entry */
        return SS_OK;
    char *t = NULL;
    ss_status st =
        normalize(c->text + gs, ge - gs, l->strip_accents, &t, NULL);
    if (st != SS_OK)
        return st;
    *drop = (before && in_list(l->elide, t)) ||
            (after && (!strcmp(t, "s") || in_list(l->clitics, t)));
    free(t);
    return SS_OK;
}

static ss_status tokenize(tokctx *c, size_t n, unsigned pos)
{
    const ucp *u = c->u;
    size_t i = 0;
    while (i < n) {
        int lead_dot = u[i].cp == '.' && i + 1 < n &&
                       (u[i + 1].kind & K_LETTER) && dot_lead_ok(u, i);
        if (!(u[i].kind & K_WORD) && !lead_dot) {
            i++;
            continue;
        }
        size_t ng, j;
        ss_status st = scan(c, i, n, &ng, &j);
        if (st != SS_OK)
            return st;
        if (ng > 1) {
            st = emit_compound(c, ng, &pos);
        } else {
            /* Apostrophes split words; only word-apostrophe-word counts. */
            int after = i >= 2 && is_apos(u[i - 1].cp) &&
                        (u[i - 2].kind & K_WORD);
            int before = j + 1 < n && is_apos(u[j].cp) &&
                         (u[j + 1].kind & K_WORD) &&
                         (u[j - 1].kind & K_WORD);
            int drop, added;
            st = apostrophe_drop(c, &c->g[0], before, after, &drop);
            if (st == SS_OK && !drop) {
                size_t s = u[i].off, e = u[j].off;
                st = emit(c, c->text + s, e - s, s, e, pos, c->g[0].flags,
                          &added);
                /* Too-long tokens keep their position so that phrases do
                 * not match across them; empty ones (only ignorables) not. */
                if (added || e - s > TOK_MAX)
                    pos++;
            }
        }
        if (st != SS_OK)
            return st;
        i = j;
    }
    return SS_OK;
}

ss_status ss_analyzer_tokenize(const ss_analyzer *a, const char *text,
                               size_t len, ss_tokens *out)
{
    if (!a || !out || (!text && len))
        return SS_ERR_INVALID;
    if (!ss_utf8_valid(text, len))
        return SS_ERR_INVALID;
    if (len == 0)
        return SS_OK;
    /* Decode once: one entry per code point plus a sentinel at len. */
    ucp *u = malloc((len + 1) * sizeof *u);
    if (!u)
        return SS_ERR_NOMEM;
    const unsigned char *s = (const unsigned char *)text;
    size_t n = 0, i = 0;
    while (i < len) {
        size_t off = i;
        int32_t cp = u8_next(s, len, &i);
        u[n++] = (ucp){cp, classify(cp), off};
    }
    u[n] = (ucp){0, 0, len};

    size_t first = out->n;
    unsigned pos = first ? out->v[first - 1].pos + 1 : 0;
    tokctx c = {.an = a, .text = text, .u = u, .out = out};
    ss_status st = tokenize(&c, n, pos);
    free(u);
    free(c.g);
    free(c.cbuf);
    if (st != SS_OK) { /* leave out as it was */
        for (size_t k = first; k < out->n; k++)
            free(out->v[k].text);
        out->n = first;
    }
    return st;
}
