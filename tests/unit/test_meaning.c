/* Unit tests for the title classifier: the fastText wrapper
 * (core/fasttext_wrap.cc: training, determinism, load errors, no
 * exception into C), the model's input line (query/meaning.c, shared by
 * training and serving), training through learn/train.c, and search with
 * the classifier in the index, or a damaged one (the order without it).
 * On the sample index, built once without word vectors. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sample_index.h"
#include "../../core/fasttext_wrap.h"
#include "../../core/schema.h"
#include "../../learn/train.h"
#include "../../query/meaning.h"
#include "../../query/searcher.h"

static void write_bytes(const char *path, const char *b, size_t n)
{
    assert_int_equal(sample_write_file(path, b, n), 0);
}

/* Small and quick: the sample has a few dozen occupations. */
static const ss_ft_train_opts small = {.dim = 16, .epoch = 30, .lr = 0.5,
                                       .bucket = 20000, .minn = 3,
                                       .maxn = 5, .word_ngrams = 2,
                                       .cutoff = 0};

static ss_status train(const char *out, int cutoff)
{
    ss_train_opts o = {.s = g_si.s, .kind = SS_KIND_OCC,
                       .labels = SS_TRAIN_PREFERRED | SS_TRAIN_ALTERNATIVE |
                                 SS_TRAIN_HIDDEN,
                       .label_every = 1, .meaning = 1, .ft = small,
                       .out = out};
    o.ft.cutoff = cutoff;
    ss_train_stats st;
    char *err = NULL;
    ss_status rc = ss_train(&o, &st, &err);
    if (rc != SS_OK)
        fprintf(stderr, "train: %s\n", err ? err : "?");
    else
        assert_true(st.used > 20);
    assert_null(st.gain);
    free(err);
    return rc;
}

static char *line_of(const char *text)
{
    ss_rank_input in;
    ss_searcher_rank_input(g_si.s, &in);
    ss_tokens tok = {0};
    assert_int_equal(ss_analyzer_tokenize(in.a, text, strlen(text), &tok),
                     SS_OK);
    char *l = ss_meaning_line(&tok);
    ss_tokens_free(&tok);
    assert_non_null(l);
    return l;
}

/* Normalised words, no compound parts, blanks only between words: the
 * same line in training and at query time. */
static void test_line(void **state)
{
    (void)state;
    char *l = line_of("  Senior BAKER  (m/f) ");
    assert_null(strchr(l, 'B'));
    assert_non_null(strstr(l, "senior baker"));
    assert_true(l[0] != ' ' && l[strlen(l) - 1] != ' ');
    assert_null(strstr(l, "  "));
    free(l);
    l = line_of("e-mail Café");
    /* "e-mail" is one word here, its parts "e" and "mail" are not */
    assert_null(strstr(l, " mail"));
    assert_non_null(strstr(l, "caf"));
    free(l);
    l = line_of("");
    assert_string_equal(l, "");
    free(l);
    char *lab = ss_meaning_label("http://data.europa.eu/esco/occupation/ab-1");
    assert_string_equal(lab, "__label__ab-1");
    free(lab);
}

static void test_train_deterministic(void **state)
{
    (void)state;
    char *a = sample_path(&g_si, "a.ftz"), *b = sample_path(&g_si, "b.ftz");
    assert_int_equal(train(a, 0), SS_OK);
    assert_int_equal(train(b, 0), SS_OK);
    size_t la = 0, lb = 0;
    char *ma = sample_read_file(a, &la), *mb = sample_read_file(b, &lb);
    assert_non_null(ma);
    assert_non_null(mb);
    assert_true(la > 1000);
    assert_int_equal(la, lb);
    assert_memory_equal(ma, mb, la);
    /* the training text is not left behind */
    char *txt = NULL;
    assert_true(asprintf(&txt, "%s.train.txt", a) > 0);
    assert_int_equal(access(txt, F_OK), -1);
    free(txt);
    free(ma);
    free(mb);
    free(a);
    free(b);
}

static void test_quantized(void **state)
{
    (void)state;
    char *q = sample_path(&g_si, "q.ftz"), *a = sample_path(&g_si, "a.ftz");
    assert_int_equal(train(q, 1000), SS_OK);
    size_t lq = 0, la = 0;
    char *mq = sample_read_file(q, &lq), *ma = sample_read_file(a, &la);
    assert_true(lq > 0 && lq < la);
    /* a model whose labels are no concept of the index */
    ss_meaning *m = NULL;
    ss_concepts none = {0};
    char *err = NULL;
    assert_int_equal(ss_meaning_open(q, &none, &m, &err), SS_ERR_CORRUPT);
    assert_non_null(strstr(err, "no concept"));
    assert_null(m);
    free(err);
    free(mq);
    free(ma);
    free(q);
    free(a);
}

static const ss_concepts *concepts(void)
{
    ss_rank_input in;
    ss_searcher_rank_input(g_si.s, &in);
    return in.concepts;
}

/* Trained on the sample's own labels, it names the occupation a label
 * belongs to, even misspelt (subword n-grams). */
static void test_predict(void **state)
{
    (void)state;
    char *a = sample_path(&g_si, "a.ftz");
    ss_meaning *m = NULL;
    char *err = NULL;
    assert_int_equal(ss_meaning_open(a, concepts(), &m, &err), SS_OK);
    static const char *const q[] = {"baker", "bakr", "software developer"};
    static const char *const want[] = {"baker", "baker",
                                       "software developer"};
    for (size_t i = 0; i < 3; i++) {
        ss_rank_input in;
        ss_searcher_rank_input(g_si.s, &in);
        ss_tokens tok = {0};
        assert_int_equal(
            ss_analyzer_tokenize(in.a, q[i], strlen(q[i]), &tok), SS_OK);
        uint32_t c[5];
        float p[5];
        size_t n = 0;
        assert_int_equal(ss_meaning_predict(m, &tok, 5, c, p, &n, &err),
                         SS_OK);
        assert_true(n >= 1 && n <= 5);
        for (size_t j = 1; j < n; j++)
            assert_true(p[j] <= p[j - 1]);
        assert_true(p[0] > 0 && p[0] <= 1);
        if (strcmp(concepts()->v[c[0]].labels[0], want[i]))
            fail_msg("%s -> %s", q[i], concepts()->v[c[0]].labels[0]);
        ss_tokens_free(&tok);
    }
    /* nothing to read: nothing predicted, no error */
    ss_tokens none = {0};
    uint32_t c[2];
    float p[2];
    size_t n = 9;
    assert_int_equal(ss_meaning_predict(m, &none, 2, c, p, &n, &err), SS_OK);
    assert_int_equal(n, 0);
    ss_meaning_destroy(m);
    ss_meaning_destroy(NULL);
    free(a);
}

static void test_load_errors(void **state)
{
    (void)state;
    ss_ft *ft = NULL;
    char *err = NULL;
    char *p = sample_path(&g_si, "none.ftz");
    assert_int_equal(ss_ft_open(p, &ft, &err), SS_ERR_NOT_FOUND);
    assert_null(ft);
    free(err);
    err = NULL;
    write_bytes(p, "not a model\n", 12);
    assert_int_equal(ss_ft_open(p, &ft, &err), SS_ERR_CORRUPT);
    assert_non_null(strstr(err, "none.ftz"));
    free(err);
    err = NULL;
    /* a real model cut short */
    char *a = sample_path(&g_si, "a.ftz");
    size_t len = 0;
    char *m = sample_read_file(a, &len);
    assert_non_null(m);
    write_bytes(p, m, len / 2);
    assert_int_equal(ss_ft_open(p, &ft, &err), SS_ERR_CORRUPT);
    assert_null(ft);
    free(err);
    err = NULL;
    ss_meaning *me = NULL;
    assert_int_equal(ss_meaning_open(p, concepts(), &me, &err),
                     SS_ERR_CORRUPT);
    assert_null(me);
    free(err);
    ss_ft_destroy(NULL);
    free(m);
    free(a);
    free(p);
}

/* Training input it cannot use is an error naming what is wrong. */
static void test_train_errors(void **state)
{
    (void)state;
    char *err = NULL, *out = sample_path(&g_si, "x.ftz");
    ss_ft_train_opts o = small;
    assert_int_equal(ss_ft_train("/nonexistent/train.txt", out, &o, &err),
                     SS_ERR_NOT_FOUND);
    assert_non_null(strstr(err, "/nonexistent/train.txt"));
    free(err);
    err = NULL;
    /* no labels in it: fastText's own exception, caught */
    char *in = sample_path(&g_si, "nolabels.txt");
    write_bytes(in, "just words\nmore words\n", 22);
    assert_int_equal(ss_ft_train(in, out, &o, &err), SS_ERR_INVALID);
    assert_non_null(strstr(err, "no line names a label"));
    assert_non_null(err);
    free(err);
    free(in);
    free(out);
}

static void search_top(ss_searcher *s, const char *q, char *label,
                       size_t cap, int *reason)
{
    ss_search_req r = {.text = q, .kind = SS_KIND_OCC, .limit = 10};
    ss_hits h;
    assert_int_equal(ss_searcher_search(s, &r, &h, NULL), SS_OK);
    assert_true(h.n >= 1);
    snprintf(label, cap, "%s", h.v[0].label);
    *reason = 0;
    for (size_t i = 0; i < h.v[0].nreasons; i++)
        *reason |= strstr(h.v[0].reasons[i], "titles like it") != NULL;
    ss_hits_free(&h);
}

static void test_in_index(void **state)
{
    (void)state;
    char gen[PATH_MAX], *dst = NULL, *src = sample_path(&g_si, "a.ftz");
    assert_non_null(realpath(g_si.index, gen));
    assert_true(asprintf(&dst, "%s/%s", gen, SS_FILE_MEANING_OCC) > 0);
    char before[256], after[256];
    int why = 0;
    search_top(g_si.s, "bakr", before, sizeof before, &why);
    assert_false(why);
    /* damaged: the searcher opens, says why, ranks as without it */
    write_bytes(dst, "garbage", 7);
    ss_searcher *s = NULL;
    char *err = NULL;
    assert_int_equal(ss_searcher_open(g_si.index, SAMPLE_DATA, &s, &err),
                     SS_OK);
    assert_non_null(ss_searcher_model_error(s));
    assert_non_null(strstr(ss_searcher_model_error(s), SS_FILE_MEANING_OCC));
    search_top(s, "bakr", after, sizeof after, &why);
    assert_string_equal(before, after);
    ss_searcher_destroy(s);
    /* sound: it adds its guesses, and says so */
    size_t len = 0;
    char *m = sample_read_file(src, &len);
    write_bytes(dst, m, len);
    free(m);
    assert_int_equal(ss_searcher_open(g_si.index, SAMPLE_DATA, &s, &err),
                     SS_OK);
    assert_null(ss_searcher_model_error(s));
    ss_search_req r = {.text = "baker", .kind = SS_KIND_OCC, .limit = 10};
    ss_hits h;
    assert_int_equal(ss_searcher_search(s, &r, &h, NULL), SS_OK);
    assert_true(h.n >= 1);
    assert_string_equal(h.v[0].label, "baker");
    int said = 0;
    for (size_t i = 0; i < h.v[0].nreasons; i++)
        said |= strstr(h.v[0].reasons[i], "titles like it") != NULL;
    assert_true(said);
    ss_hits_free(&h);
    ss_searcher_destroy(s);
    unlink(dst);
    free(dst);
    free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line),
        cmocka_unit_test(test_train_deterministic),
        cmocka_unit_test(test_quantized),
        cmocka_unit_test(test_predict),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_train_errors),
        cmocka_unit_test(test_in_index),
    };
    return cmocka_run_group_tests(tests, sample_group_setup,
                                  sample_group_teardown);
}
