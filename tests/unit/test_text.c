/* test_text.c - normalisation and tokenisation (core/text.c).
 *
 * Most cases are data: tests/text/tokenize.test and tests/text/normalize.test
 * (format described at the top of each file). Run from the repo root, or set
 * SS_TEST_DIR to the tests/ folder; stop lists come from ../data/stop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/text.h"

static const char *test_dir(void)
{
    const char *d = getenv("SS_TEST_DIR");
    return d && *d ? d : "tests";
}

static char *path_in_tests(const char *rel)
{
    char *p = NULL;
    assert_true(asprintf(&p, "%s/%s", test_dir(), rel) > 0);
    return p;
}

static ss_analyzer *analyzer(const char *lang)
{
    char *stop = path_in_tests("../data/stop");
    ss_analyzer *a = NULL;
    char *err = NULL;
    ss_status st = ss_analyzer_create(lang, stop, &a, &err);
    if (st != SS_OK)
        fail_msg("analyzer %s: %s", lang, err ? err : ss_strerror(st));
    free(stop);
    return a;
}

/* ------------------------------------------------------ data-file reading */

/* Undoes the escapes allowed in input lines: \\ \t \n \xHH. */
static char *unescape(const char *s, size_t *len)
{
    char *o = malloc(strlen(s) + 1);
    assert_non_null(o);
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p != '\\' || !p[1]) {
            o[n++] = *p;
            continue;
        }
        p++;
        if (*p == 't')
            o[n++] = '\t';
        else if (*p == 'n')
            o[n++] = '\n';
        else if (*p == 'x' && p[1] && p[2]) {
            char hex[3] = {p[1], p[2], 0};
            o[n++] = (char)strtol(hex, NULL, 16);
            p += 2;
        } else
            o[n++] = *p;
    }
    o[n] = 0;
    *len = n;
    return o;
}

typedef struct block {
    char *line[4];
    size_t n;
    size_t lineno; /* of the first line */
} block;

/* Reads the next block of non-comment lines; 0 at end of file. */
static int next_block(FILE *f, block *b, size_t *lineno)
{
    char *l = NULL;
    size_t cap = 0;
    ssize_t got;
    b->n = 0;
    while ((got = getline(&l, &cap, f)) >= 0) {
        ++*lineno;
        while (got > 0 && (l[got - 1] == '\n' || l[got - 1] == '\r'))
            l[--got] = 0;
        if (l[0] == '#')
            continue;
        if (got == 0) {
            if (b->n)
                break;
            continue;
        }
        if (b->n == 0)
            b->lineno = *lineno;
        if (b->n < 4)
            b->line[b->n++] = strdup(l);
    }
    free(l);
    return b->n > 0;
}

static void block_free(block *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->line[i]);
    b->n = 0;
}

/* Analyzers by language, created on first use. */
typedef struct lang_cache {
    char lang[16];
    ss_analyzer *a;
} lang_cache;

static ss_analyzer *cached(lang_cache *c, size_t cap, const char *lang)
{
    for (size_t i = 0; i < cap; i++) {
        if (!c[i].a) {
            snprintf(c[i].lang, sizeof c[i].lang, "%s", lang);
            c[i].a = analyzer(lang);
            return c[i].a;
        }
        if (!strcmp(c[i].lang, lang))
            return c[i].a;
    }
    fail_msg("too many languages");
    return NULL;
}

static void cache_free(lang_cache *c, size_t cap)
{
    for (size_t i = 0; i < cap; i++)
        ss_analyzer_destroy(c[i].a);
}

/* "text@pos[:FLAGS]" per token, space separated; "-" for none.
 * Flags: N numeric, S symbol, P part, T stop word. */
static char *format_tokens(const ss_tokens *t)
{
    char *buf = NULL;
    size_t sz = 0;
    FILE *m = open_memstream(&buf, &sz);
    assert_non_null(m);
    if (t->n == 0)
        fputs("-", m);
    for (size_t i = 0; i < t->n; i++) {
        const ss_token *k = &t->v[i];
        fprintf(m, "%s%s@%u", i ? " " : "", k->text, k->pos);
        if (k->flags) {
            fputc(':', m);
            if (k->flags & SS_TOK_NUMERIC)
                fputc('N', m);
            if (k->flags & SS_TOK_SYMBOL)
                fputc('S', m);
            if (k->flags & SS_TOK_PART)
                fputc('P', m);
            if (k->flags & SS_TOK_STOP)
                fputc('T', m);
        }
    }
    fclose(m);
    return buf;
}

static FILE *open_data(const char *rel)
{
    char *p = path_in_tests(rel);
    FILE *f = fopen(p, "r");
    if (!f)
        fail_msg("cannot open %s (run from the repo root or set SS_TEST_DIR)",
                 p);
    free(p);
    return f;
}

/* ------------------------------------------------------ data-driven tests */

static void test_tokenize_file(void **state)
{
    (void)state;
    FILE *f = open_data("text/tokenize.test");
    lang_cache cache[8] = {0};
    block b;
    size_t lineno = 0, cases = 0, failed = 0;
    while (next_block(f, &b, &lineno)) {
        if (b.n != 3)
            fail_msg("tokenize.test:%zu: want 3 lines (lang, input, "
                     "expected), got %zu", b.lineno, b.n);
        ss_analyzer *a = cached(cache, 8, b.line[0]);
        size_t len;
        char *in = unescape(b.line[1], &len);
        ss_tokens t = {0};
        ss_status st = ss_analyzer_tokenize(a, in, len, &t);
        char *got = st == SS_OK ? format_tokens(&t) : strdup("(error)");
        /* every span must lie inside the input */
        for (size_t i = 0; i < t.n; i++)
            assert_true(t.v[i].start < t.v[i].end && t.v[i].end <= len);
        if (strcmp(got, b.line[2]) != 0) {
            print_error("tokenize.test:%zu: [%s] %s\n  want: %s\n  got:  %s\n",
                        b.lineno, b.line[0], b.line[1], b.line[2], got);
            failed++;
        }
        cases++;
        free(got);
        free(in);
        ss_tokens_free(&t);
        block_free(&b);
    }
    fclose(f);
    cache_free(cache, 8);
    assert_true(cases > 20);
    assert_int_equal(failed, 0);
}

static void test_normalize_file(void **state)
{
    (void)state;
    FILE *f = open_data("text/normalize.test");
    lang_cache cache[8] = {0};
    block b;
    size_t lineno = 0, cases = 0, failed = 0;
    while (next_block(f, &b, &lineno)) {
        if (b.n != 3)
            fail_msg("normalize.test:%zu: want 3 lines (mode, input, "
                     "expected), got %zu", b.lineno, b.n);
        int strip;
        if (!strcmp(b.line[0], "strip"))
            strip = 1;
        else if (!strcmp(b.line[0], "keep"))
            strip = 0;
        else
            strip = ss_analyzer_strips_accents(cached(cache, 8, b.line[0]));
        size_t len, wlen;
        char *in = unescape(b.line[1], &len);
        char *want = unescape(b.line[2], &wlen);
        char *out = NULL;
        size_t outlen = 0;
        ss_status st = ss_text_normalize(in, len, strip, &out, &outlen);
        if (st != SS_OK || outlen != wlen || memcmp(out, want, wlen) != 0 ||
            out[outlen] != 0) {
            print_error("normalize.test:%zu: [%s] %s\n  want: %s\n  got:  %s\n",
                        b.lineno, b.line[0], b.line[1], b.line[2],
                        st == SS_OK ? out : ss_strerror(st));
            failed++;
        }
        cases++;
        free(out);
        free(in);
        free(want);
        block_free(&b);
    }
    fclose(f);
    cache_free(cache, 8);
    assert_true(cases > 10);
    assert_int_equal(failed, 0);
}

/* ------------------------------------------------------------ plain tests */

static void test_utf8_valid(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n;
        int ok;
    } c[] = {
        {"", 0, 1},
        {"abc", 3, 1},
        {"\xc3\xa9", 2, 1},                 /* é */
        {"\xf4\x8f\xbf\xbf", 4, 1},         /* U+10FFFF */
        {"a\0b", 3, 0},                     /* NUL */
        {"\xc0\xaf", 2, 0},                 /* overlong '/' */
        {"\xe0\x80\xaf", 3, 0},             /* overlong, 3 bytes */
        {"\xf0\x80\x80\xaf", 4, 0},         /* overlong, 4 bytes */
        {"\xed\xa0\x80", 3, 0},             /* surrogate U+D800 */
        {"\xf4\x90\x80\x80", 4, 0},         /* U+110000 */
        {"\xc3", 1, 0},                     /* truncated */
        {"\xe2\x82", 2, 0},                 /* truncated */
        {"\x80", 1, 0},                     /* lone continuation */
        {"\xff", 1, 0},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        if (ss_utf8_valid(c[i].s, c[i].n) != c[i].ok)
            fail_msg("case %zu: want %d", i, c[i].ok);
}

static void test_invalid_utf8_rejected(void **state)
{
    (void)state;
    ss_analyzer *a = analyzer("en");
    ss_tokens t = {0};
    assert_int_equal(ss_analyzer_tokenize(a, "first words", 11, &t), SS_OK);
    size_t n = t.n;
    assert_int_equal(ss_analyzer_tokenize(a, "ok \xc0\xaf bad", 10, &t),
                     SS_ERR_INVALID);
    assert_int_equal(t.n, n); /* untouched */
    assert_int_equal(ss_analyzer_tokenize(a, "nul\0here", 8, &t),
                     SS_ERR_INVALID);
    assert_int_equal(t.n, n);
    char *out = (char *)"sentinel";
    assert_int_equal(ss_text_normalize("\xed\xa0\x80", 3, 0, &out, NULL),
                     SS_ERR_INVALID);
    assert_string_equal(out, "sentinel");
    ss_tokens_free(&t);
    ss_analyzer_destroy(a);
}

static void test_spans_point_into_original(void **state)
{
    (void)state;
    ss_analyzer *a = analyzer("fr");
    const char *in = "Un Électricien, l\xe2\x80\x99ÉLECTRICIEN C++";
    ss_tokens t = {0};
    assert_int_equal(ss_analyzer_tokenize(a, in, strlen(in), &t), SS_OK);
    assert_int_equal(t.n, 4);
    assert_string_equal(t.v[1].text, "electricien");
    assert_int_equal(t.v[1].start, 3);
    assert_int_equal(t.v[1].end, 3 + strlen("Électricien"));
    assert_memory_equal(in + t.v[1].start, "Électricien",
                        t.v[1].end - t.v[1].start);
    /* the elided l’ is not part of the span */
    assert_string_equal(t.v[2].text, "electricien");
    assert_memory_equal(in + t.v[2].start, "ÉLECTRICIEN",
                        t.v[2].end - t.v[2].start);
    assert_int_equal(t.v[2].pos, 2);
    assert_string_equal(t.v[3].text, "c++");
    assert_int_equal(t.v[3].end, strlen(in));
    assert_int_equal(t.v[3].flags, SS_TOK_SYMBOL);
    ss_tokens_free(&t);
    ss_analyzer_destroy(a);
}

static void test_positions_continue(void **state)
{
    (void)state;
    ss_analyzer *a = analyzer("en");
    ss_tokens t = {0};
    assert_int_equal(ss_analyzer_tokenize(a, "CAD/CAM", 7, &t), SS_OK);
    assert_int_equal(ss_analyzer_tokenize(a, "operator", 8, &t), SS_OK);
    assert_int_equal(t.n, 4);
    assert_int_equal(t.v[3].pos, 2);
    ss_tokens_free(&t);
    ss_analyzer_destroy(a);
}

static void test_stop_flags(void **state)
{
    (void)state;
    ss_analyzer *a = analyzer("en");
    assert_true(ss_analyzer_is_stopword(a, "the"));
    assert_true(ss_analyzer_is_stopword(a, "and"));
    assert_false(ss_analyzer_is_stopword(a, "manager"));
    assert_false(ss_analyzer_is_stopword(a, "it")); /* IT */
    ss_tokens t = {0};
    const char *in = "The Head of IT";
    assert_int_equal(ss_analyzer_tokenize(a, in, strlen(in), &t), SS_OK);
    assert_int_equal(t.n, 4);
    assert_int_equal(t.v[0].flags, SS_TOK_STOP);
    assert_int_equal(t.v[1].flags, 0);
    assert_int_equal(t.v[2].flags, SS_TOK_STOP);
    assert_int_equal(t.v[3].flags, 0);
    ss_tokens_free(&t);
    ss_analyzer_destroy(a);

    /* no stop list at all: nothing is a stop word */
    char *err = NULL;
    assert_int_equal(ss_analyzer_create("en", NULL, &a, &err), SS_OK);
    assert_false(ss_analyzer_is_stopword(a, "the"));
    ss_analyzer_destroy(a);
}

static void test_token_length_limit(void **state)
{
    (void)state;
    ss_analyzer *a = analyzer("en");
    char in[200];
    memset(in, 'x', 64);
    strcpy(in + 64, " ok");
    ss_tokens t = {0};
    assert_int_equal(ss_analyzer_tokenize(a, in, strlen(in), &t), SS_OK);
    assert_int_equal(t.n, 2);
    assert_int_equal(strlen(t.v[0].text), 64);
    ss_tokens_free(&t);

    memset(in, 'x', 65);
    strcpy(in + 65, " ok");
    assert_int_equal(ss_analyzer_tokenize(a, in, strlen(in), &t), SS_OK);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.v[0].text, "ok");
    assert_int_equal(t.v[0].pos, 1); /* the dropped word kept its slot */
    ss_tokens_free(&t);
    ss_analyzer_destroy(a);
}

static void test_empty_and_punctuation(void **state)
{
    (void)state;
    ss_analyzer *a = analyzer("en");
    ss_tokens t = {0};
    assert_int_equal(ss_analyzer_tokenize(a, "", 0, &t), SS_OK);
    assert_int_equal(ss_analyzer_tokenize(a, NULL, 0, &t), SS_OK);
    const char *p = " ,.;:!?-/&'+#()[]{}\"…–— \t\n...--//";
    assert_int_equal(ss_analyzer_tokenize(a, p, strlen(p), &t), SS_OK);
    assert_int_equal(t.n, 0);
    ss_tokens_free(&t);
    ss_analyzer_destroy(a);
}

static void test_large_input(void **state)
{
    (void)state;
    ss_analyzer *a = analyzer("en");
    const char *words[] = {"C++ ", "e-mail ", "Électricien ", "node.js, ",
                           "the ", "24/7 ", "R&D ", "l'x ", "\xe2\x80\x94 "};
    size_t cap = (1u << 20) + 64, n = 0, k = 0;
    char *in = malloc(cap);
    assert_non_null(in);
    while (n < (1u << 20)) {
        const char *w = words[k++ % 9];
        memcpy(in + n, w, strlen(w));
        n += strlen(w);
    }
    ss_tokens t = {0};
    assert_int_equal(ss_analyzer_tokenize(a, in, n, &t), SS_OK);
    assert_true(t.n > 100000);
    for (size_t i = 1; i < t.n; i++)
        assert_true(t.v[i].pos >= t.v[i - 1].pos);
    ss_tokens_free(&t);

    /* one 1 MB word: dropped, no blow-up */
    n = 1u << 20;
    memset(in, 'a', n);
    assert_int_equal(ss_analyzer_tokenize(a, in, n, &t), SS_OK);
    assert_int_equal(t.n, 0);
    /* 1 MB of a/b/a/b... : a compound with half a million parts */
    for (size_t i = 0; i < n; i++)
        in[i] = (i & 1) ? '/' : 'a';
    assert_int_equal(ss_analyzer_tokenize(a, in, n - 1, &t), SS_OK);
    assert_int_equal(t.n, n / 2);
    ss_tokens_free(&t);
    free(in);
    ss_analyzer_destroy(a);
}

static void test_unknown_language(void **state)
{
    (void)state;
    ss_analyzer *a = (ss_analyzer *)1;
    char *err = NULL;
    assert_int_equal(ss_analyzer_create("xx", NULL, &a, &err),
                     SS_ERR_INVALID);
    assert_null(a);
    assert_non_null(err);
    assert_non_null(strstr(err, "xx"));
    free(err);
    err = NULL;
    assert_int_equal(ss_analyzer_create("../en", NULL, &a, &err),
                     SS_ERR_INVALID);
    assert_non_null(err);
    free(err);
}

static void test_analyzer_settings(void **state)
{
    (void)state;
    static const struct {
        const char *lang;
        int strip;
    } c[] = {{"en", 1}, {"fr", 1}, {"nl", 1}, {"de", 1},
             {"ru", 0}, {"sv", 0}, {"fi", 0}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        ss_analyzer *a = analyzer(c[i].lang);
        assert_string_equal(ss_analyzer_lang(a), c[i].lang);
        if (ss_analyzer_strips_accents(a) != c[i].strip)
            fail_msg("%s: strip %d", c[i].lang, c[i].strip);
        ss_analyzer_destroy(a);
    }
    ss_analyzer_destroy(NULL);
}

/* Stems of the non-stop tokens of text, space separated. */
static char *stems(ss_analyzer *a, const char *text)
{
    ss_tokens t = {0};
    assert_int_equal(ss_analyzer_tokenize(a, text, strlen(text), &t), SS_OK);
    char *s = calloc(1, 512);
    assert_non_null(s);
    for (size_t i = 0; i < t.n; i++) {
        char buf[128];
        size_t l = 0;
        assert_int_equal(ss_analyzer_stem(a, t.v[i].text, buf, sizeof buf, &l),
                         SS_OK);
        assert_int_equal(l, strlen(buf));
        if (i)
            strcat(s, " ");
        strcat(s, buf);
    }
    ss_tokens_free(&t);
    return s;
}

static void test_stemming(void **state)
{
    (void)state;
    ss_analyzer *a = analyzer("en");
    char *x = stems(a, "chief executives"), *y = stems(a, "Chief Executive");
    assert_string_equal(x, y);
    free(x);
    free(y);
    x = stems(a, "managing");
    y = stems(a, "manage");
    assert_string_equal(x, y);
    free(x);
    free(y);
    ss_analyzer_destroy(a);

    a = analyzer("fr");
    x = stems(a, "électriciens");
    y = stems(a, "electricien");
    assert_string_equal(x, y);
    free(x);
    free(y);
    ss_analyzer_destroy(a);
}

static void test_stop_list_entries_normalised(void **state)
{
    (void)state;
    /* fr.txt lists "à" and "où": stored accent-folded like tokens */
    ss_analyzer *a = analyzer("fr");
    assert_true(ss_analyzer_is_stopword(a, "a"));
    assert_true(ss_analyzer_is_stopword(a, "ou"));
    assert_true(ss_analyzer_is_stopword(a, "etre"));
    assert_false(ss_analyzer_is_stopword(a, "electricien"));
    ss_analyzer_destroy(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokenize_file),
        cmocka_unit_test(test_normalize_file),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_invalid_utf8_rejected),
        cmocka_unit_test(test_spans_point_into_original),
        cmocka_unit_test(test_positions_continue),
        cmocka_unit_test(test_stop_flags),
        cmocka_unit_test(test_token_length_limit),
        cmocka_unit_test(test_empty_and_punctuation),
        cmocka_unit_test(test_large_input),
        cmocka_unit_test(test_unknown_language),
        cmocka_unit_test(test_analyzer_settings),
        cmocka_unit_test(test_stemming),
        cmocka_unit_test(test_stop_list_entries_normalised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
