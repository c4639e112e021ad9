/* test_speller.c - the in-memory speller answers as Xapian does, word for
 * word: on a small dictionary built here (every one- and two-edit variant
 * of every word), on the sample index, and, when SS_SPELLER_INDEX names a
 * Xapian database (tests/run.sh passes the full ESCO index's), on edits
 * of every word of that dictionary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../query/speller.h"
#include "sample_index.h"

typedef struct {
    size_t asked, suggested, differ;
} tally;

/* Compares the two answers for word; prints the first few differences. */
static void check(ss_db *db, const ss_speller *sp, const char *word,
                  tally *t)
{
    char *x = NULL, *m = NULL;
    assert_int_equal(ss_db_spelling_suggestion(db, word, 2, &x, NULL), SS_OK);
    assert_int_equal(ss_speller_suggest(sp, word, 2, &m), SS_OK);
    t->asked++;
    t->suggested += x != NULL;
    if ((x == NULL) != (m == NULL) || (x && strcmp(x, m))) {
        if (t->differ++ < 10)
            fprintf(stderr, "%s: xapian %s, speller %s\n", word,
                    x ? x : "(none)", m ? m : "(none)");
    }
    free(x);
    free(m);
}

/* One-edit variants of w (deletions, adjacent swaps, substitutions and
 * insertions from letters), each passed to fn; depth 2 recurses once. */
static void edits(const char *w, int depth,
                  void (*fn)(const char *, void *), void *ctx)
{
    static const char letters[] = "aeinorstlcé";
    size_t n = strlen(w);
    char buf[256];
    if (n + 3 >= sizeof buf)
        return;
    for (size_t i = 0; i < n; i++) { /* deletion */
        memcpy(buf, w, i);
        strcpy(buf + i, w + i + 1);
        fn(buf, ctx);
        if (depth > 1)
            edits(buf, depth - 1, fn, ctx);
    }
    for (size_t i = 0; i + 1 < n; i++) { /* swap */
        strcpy(buf, w);
        buf[i] = w[i + 1];
        buf[i + 1] = w[i];
        fn(buf, ctx);
        if (depth > 1)
            edits(buf, depth - 1, fn, ctx);
    }
    for (size_t i = 0; i <= n; i++) /* substitution and insertion */
        for (const char *l = letters; *l; l++) {
            size_t ll = (*l & 0x80) ? 2 : 1;
            if (i < n) {
                memcpy(buf, w, i);
                memcpy(buf + i, l, ll);
                strcpy(buf + i + ll, w + i + 1);
                fn(buf, ctx);
            }
            memcpy(buf, w, i);
            memcpy(buf + i, l, ll);
            strcpy(buf + i + ll, w + i);
            fn(buf, ctx);
            if (ll == 2)
                l++;
        }
}

typedef struct {
    ss_db *db;
    const ss_speller *sp;
    tally t;
} cmp_ctx;

static void cmp_one(const char *w, void *ctx)
{
    cmp_ctx *c = ctx;
    check(c->db, c->sp, w, &c->t);
}

/* ---------------------------------------------------- a small dictionary */

static const struct {
    const char *word;
    unsigned freq;
} WORDS[] = {
    {"cleanroom", 3}, {"bonding", 1}, {"banana", 2},   {"bandana", 1},
    {"welder", 5},    {"welding", 4}, {"wedding", 1},  {"café", 2},
    {"cafe", 1},      {"ab", 1},      {"abc", 2},      {"acb", 1},
    {"wire", 3},      {"wise", 3},    {"wiser", 1},    {"nursing", 6},
    {"nurse", 4},     {"purse", 1},   {"aaaa", 1},     {"aaaaaa", 2},
    {"experiment", 2}, {"experience", 1}, {"mississippi", 1},
};
#define NWORDS (sizeof WORDS / sizeof WORDS[0])

/* An index in tmpl (a mkdtemp template) whose spelling dictionary holds
 * the first n of WORDS; opened as *db, with its speller. */
static void dictionary(char *tmpl, size_t n, ss_db **db, ss_speller **sp)
{
    char path[64], *err = NULL;
    assert_non_null(mkdtemp(tmpl));
    snprintf(path, sizeof path, "%s/x", tmpl);
    ss_writer *w = NULL;
    assert_int_equal(ss_writer_create(path, &w, &err), SS_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(
            ss_writer_add_spelling(w, WORDS[i].word, WORDS[i].freq, &err),
            SS_OK);
    assert_int_equal(ss_writer_commit(w, &err), SS_OK);
    ss_writer_destroy(w);
    assert_int_equal(ss_db_open(path, db, &err), SS_OK);
    assert_int_equal(ss_speller_build(*db, sp, &err), SS_OK);
    assert_int_equal(ss_speller_words(*sp), n);
}

static void test_small_dictionary(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/ss-speller.XXXXXX";
    ss_db *db = NULL;
    ss_speller *sp = NULL;
    dictionary(tmpl, NWORDS, &db, &sp);

    cmp_ctx c = {db, sp, {0}};
    for (size_t i = 0; i < NWORDS; i++) {
        check(db, sp, WORDS[i].word, &c.t);
        edits(WORDS[i].word, 2, cmp_one, &c);
    }
    static const char *const odd[] = {"", "a", "zz", "qqqqqq", "wwire",
                                      "cleanroooom", "caf\xc3", "ba"};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
        check(db, sp, odd[i], &c.t);
    fprintf(stderr, "small dictionary: %zu words asked, %zu suggested, "
                    "%zu differ\n", c.t.asked, c.t.suggested, c.t.differ);
    assert_true(c.t.suggested > 1000);
    assert_int_equal(c.t.differ, 0);

    /* a concrete answer, and the limits of the argument */
    char *s = NULL;
    assert_int_equal(ss_speller_suggest(sp, "weldr", 2, &s), SS_OK);
    assert_string_equal(s, "welder");
    free(s);
    assert_int_equal(ss_speller_suggest(sp, "weldr", 0, &s), SS_OK);
    assert_null(s);
    assert_int_equal(ss_speller_suggest(sp, "zzzzzzzz", 2, &s), SS_OK);
    assert_null(s);
    ss_speller_destroy(sp);
    ss_speller_destroy(NULL);
    ss_db_destroy(db);
    assert_int_equal(nftw(tmpl, sample_rm, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void test_empty_dictionary(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/ss-speller.XXXXXX";
    ss_db *db = NULL;
    ss_speller *sp = NULL;
    dictionary(tmpl, 0, &db, &sp);
    char *s = NULL;
    assert_int_equal(ss_speller_suggest(sp, "welder", 2, &s), SS_OK);
    assert_null(s);
    ss_speller_destroy(sp);
    ss_db_destroy(db);
    assert_int_equal(nftw(tmpl, sample_rm, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* Every word of db's dictionary, and its one-edit variants (every
 * step-th word only, for a large dictionary), asked of both. */
static tally compare_dictionary(const char *path, size_t step)
{
    char *err = NULL, *pool = NULL;
    unsigned *freq = NULL;
    size_t bytes = 0, n = 0;
    ss_db *db = NULL;
    ss_speller *sp = NULL;
    assert_int_equal(ss_db_open(path, &db, &err), SS_OK);
    assert_int_equal(ss_speller_build(db, &sp, &err), SS_OK);
    assert_int_equal(ss_db_spellings(db, &pool, &bytes, &freq, &n, &err),
                     SS_OK);
    assert_int_equal(ss_speller_words(sp), n);
    cmp_ctx c = {db, sp, {0}};
    const char *wd = pool;
    for (size_t i = 0; i < n; i++, wd += strlen(wd) + 1) {
        if (i % step)
            continue;
        check(db, sp, wd, &c.t);
        edits(wd, 1, cmp_one, &c);
    }
    free(pool);
    free(freq);
    ss_speller_destroy(sp);
    ss_db_destroy(db);
    return c.t;
}

static void test_sample_dictionary(void **state)
{
    (void)state;
    char *path = NULL;
    assert_true(asprintf(&path, "%s/xapian", g_si.index) > 0);
    tally t = compare_dictionary(path, 1);
    fprintf(stderr, "sample dictionary: %zu words asked, %zu suggested, "
                    "%zu differ\n", t.asked, t.suggested, t.differ);
    assert_true(t.suggested > 1000);
    assert_int_equal(t.differ, 0);
    free(path);
}

static void test_given_dictionary(void **state)
{
    (void)state;
    const char *path = getenv("SS_SPELLER_INDEX");
    if (!path || !*path)
        skip();
    tally t = compare_dictionary(path, 25); /* about 130,000 words */
    fprintf(stderr, "%s: %zu words asked, %zu suggested, %zu differ\n", path,
            t.asked, t.suggested, t.differ);
    assert_int_equal(t.differ, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_dictionary),
        cmocka_unit_test(test_empty_dictionary),
        cmocka_unit_test(test_sample_dictionary),
        cmocka_unit_test(test_given_dictionary),
    };
    return cmocka_run_group_tests(tests, sample_group_setup,
                                  sample_group_teardown);
}
