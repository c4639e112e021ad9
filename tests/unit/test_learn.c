/* Unit tests for the learned ranker: the feature table and its values
 * (query/features.c), training (learn/train.c: deterministic), model
 * loading and its errors (query/rerank.c), and search with a model in the
 * index, or a damaged one (fallback to the fused order). On the sample
 * index, built once without word vectors. */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xgboost/c_api.h>

#include "sample_index.h"
#include "../../core/schema.h"
#include "../../learn/train.h"
#include "../../query/features.h"
#include "../../query/rerank.h"
#include "../../query/searcher.h"

static void write_file(const char *path, const char *text)
{
    assert_int_equal(sample_write_file(path, text, strlen(text)), 0);
}

static void test_feature_table(void **state)
{
    (void)state;
    assert_true(ss_nfeatures >= 10);
    char *names = ss_features_names();
    assert_non_null(names);
    size_t len = 0;
    for (size_t i = 0; i < ss_nfeatures; i++) {
        assert_non_null(ss_features[i].fn);
        assert_non_null(strstr(names, ss_features[i].name));
        len += strlen(ss_features[i].name) + (i > 0);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(ss_features[i].name,
                                    ss_features[j].name);
    }
    assert_int_equal(strlen(names), len);
    free(names);
}

static size_t feature(const char *name)
{
    for (size_t i = 0; i < ss_nfeatures; i++)
        if (!strcmp(ss_features[i].name, name))
            return i;
    fail_msg("no feature %s", name);
    return 0;
}

/* Features of the fused order for text: concepts and rows (caller frees). */
static size_t features_of(const char *text, ss_kind kind, uint32_t **c,
                          float **X)
{
    ss_rank_input in;
    ss_searcher_rank_input(g_si.s, &in);
    in.text = text;
    in.len = strlen(text);
    in.kind = kind;
    size_t n = 0;
    assert_int_equal(ss_rank_features(&in, 10, c, X, &n, NULL), SS_OK);
    return n;
}

static void test_feature_values(void **state)
{
    (void)state;
    uint32_t *c;
    float *X;
    size_t n = features_of("baker", SS_KIND_OCC, &c, &X);
    assert_true(n >= 1);
    ss_rank_input in;
    ss_searcher_rank_input(g_si.s, &in);
    /* an exact preferred label: covered, nothing missing, head noun in */
    assert_string_equal(in.concepts->v[c[0]].labels[0], "baker");
    assert_true(X[feature("exact")] == 1);
    assert_true(X[feature("label_kind")] == 1);
    assert_true(X[feature("cover")] == 1);
    assert_true(X[feature("missing")] == 0);
    assert_true(X[feature("head")] == 1);
    assert_true(X[feature("q_words")] == 1);
    assert_true(X[feature("score")] == 1);
    for (size_t i = 1; i < n; i++) {
        /* ranks grow, relative scores do not */
        assert_true(X[i * ss_nfeatures + feature("rank")] >
                    X[(i - 1) * ss_nfeatures + feature("rank")]);
        assert_true(X[i * ss_nfeatures + feature("score")] <=
                    X[(i - 1) * ss_nfeatures + feature("score")]);
    }
    free(c);
    free(X);
    /* two words, one in the label: half covered, not exact */
    n = features_of("baker urgent", SS_KIND_OCC, &c, &X);
    assert_true(n >= 1);
    assert_true(X[feature("exact")] == 0 || X[feature("q_words")] == 1);
    free(c);
    free(X);
    /* text_cover: one skill's text holds "wire bonding", another's
     * "cleanroom"; the occupation needing both has the whole query */
    n = features_of("wire bonding cleanroom", SS_KIND_OCC, &c, &X);
    int whole = 0, part = 0;
    for (size_t i = 0; i < n; i++) {
        float tc = X[i * ss_nfeatures + feature("text_cover")];
        assert_true(tc >= 0 && tc <= 1.0001f);
        if (!strcmp(in.concepts->v[c[i]].labels[0],
                    "microsystem engineering technician"))
            whole = tc > 0.999f;
        part |= tc < 0.999f;
    }
    assert_true(whole);
    assert_true(part);
    free(c);
    free(X);
    /* nothing searchable: no rows */
    n = features_of("!!!", SS_KIND_OCC, &c, &X);
    assert_int_equal(n, 0);
    assert_null(c);
    assert_null(X);
}

static ss_status train(const char *out, unsigned labels, ss_kind kind)
{
    ss_train_opts o = {.s = g_si.s, .kind = kind, .labels = labels,
                       .label_every = 1, .depth = 10, .rounds = 8,
                       .max_depth = 3, .out = out};
    ss_train_stats st;
    char *err = NULL;
    ss_status rc = ss_train(&o, &st, &err);
    if (rc != SS_OK)
        fprintf(stderr, "train: %s\n", err ? err : "?");
    /* importances: shares of the split gain, summing to 1 */
    double sum = 0;
    for (size_t f = 0; rc == SS_OK && f < ss_nfeatures; f++) {
        assert_true(st.gain[f] >= 0);
        sum += st.gain[f];
    }
    if (rc == SS_OK)
        assert_true(fabs(sum - 1) < 1e-6);
    free(st.gain);
    free(err);
    return rc;
}

static void test_train_deterministic(void **state)
{
    (void)state;
    char *a = sample_path(&g_si, "a.model"), *b = sample_path(&g_si, "b.model");
    unsigned all = SS_TRAIN_PREFERRED | SS_TRAIN_ALTERNATIVE | SS_TRAIN_SKILLS;
    assert_int_equal(train(a, all, SS_KIND_OCC), SS_OK);
    assert_int_equal(train(b, all, SS_KIND_OCC), SS_OK);
    size_t la = 0, lb = 0;
    char *ma = sample_read_file(a, &la), *mb = sample_read_file(b, &lb);
    assert_non_null(ma);
    assert_non_null(mb);
    assert_true(la > 100);
    assert_int_equal(la, lb);
    assert_memory_equal(ma, mb, la);
    free(ma);
    free(mb);
    free(a);
    free(b);
}

static void test_train_errors(void **state)
{
    (void)state;
    char *q = sample_path(&g_si, "bad.jsonl"), *out = sample_path(&g_si, "x");
    write_file(q, "{\"query\": \"baker\", \"gold\": []}\n\nnot json\n");
    const char *files[] = {q};
    ss_train_opts o = {.s = g_si.s, .files = files, .nfiles = 1,
                       .depth = 10, .rounds = 2, .out = out};
    ss_train_stats st;
    char *err = NULL;
    assert_int_equal(ss_train(&o, &st, &err), SS_ERR_INVALID);
    assert_non_null(err);
    assert_non_null(strstr(err, "bad.jsonl:3"));
    free(st.gain);
    free(err);
    err = NULL;
    /* gold of the other kind, or unknown: nothing to learn from */
    write_file(q, "{\"query\": \"baker\", \"gold\": [\"urn:none\"]}\n");
    assert_int_equal(ss_train(&o, &st, &err), SS_ERR_INVALID);
    assert_non_null(strstr(err, "no training query"));
    free(st.gain);
    free(err);
    assert_int_equal(access(out, F_OK), -1);
    free(q);
    free(out);
}

static void test_model_load_errors(void **state)
{
    (void)state;
    ss_reranker *m = NULL;
    char *err = NULL;
    char *p = sample_path(&g_si, "none.model");
    assert_int_equal(ss_reranker_open(p, &m, &err), SS_ERR_NOT_FOUND);
    assert_null(m);
    free(err);
    err = NULL;
    write_file(p, "this is not a model\n");
    assert_int_equal(ss_reranker_open(p, &m, &err), SS_ERR_CORRUPT);
    assert_non_null(strstr(err, "none.model"));
    free(err);
    err = NULL;
    /* a real model, trained on something else */
    float X[8] = {0, 1, 1, 0, 0, 0, 1, 1}, y[4] = {0, 1, 0, 1};
    DMatrixHandle d;
    BoosterHandle b;
    assert_int_equal(XGDMatrixCreateFromMat(X, 4, 2, -1, &d), 0);
    assert_int_equal(XGDMatrixSetFloatInfo(d, "label", y, 4), 0);
    assert_int_equal(XGBoosterCreate(&d, 1, &b), 0);
    assert_int_equal(XGBoosterUpdateOneIter(b, 0, d), 0);
    assert_int_equal(XGBoosterSaveModel(b, p), 0);
    XGBoosterFree(b);
    XGDMatrixFree(d);
    assert_int_equal(ss_reranker_open(p, &m, &err), SS_ERR_CORRUPT);
    assert_non_null(strstr(err, "trained on other features"));
    free(err);
    ss_reranker_destroy(NULL);
    free(p);
}

static void walk_matches(const char *path);

/* Trees deeper than rerank.c pads to: refused, naming the limit. */
static void test_model_too_deep(void **state)
{
    (void)state;
    char *p = sample_path(&g_si, "deep.model"), *err = NULL;
    enum { ROWS = 4096 };
    float *X = calloc((size_t)ROWS * ss_nfeatures, sizeof *X), y[ROWS];
    assert_non_null(X);
    for (size_t i = 0; i < ROWS; i++) { /* 4096 values: 12 levels of splits */
        for (size_t f = 0; f < ss_nfeatures; f++)
            X[i * ss_nfeatures + f] = (float)((i >> (f % 12)) & 1);
        y[i] = (float)i;
    }
    DMatrixHandle d;
    BoosterHandle b;
    assert_int_equal(XGDMatrixCreateFromMat(X, ROWS, ss_nfeatures, NAN, &d),
                     0);
    assert_int_equal(XGDMatrixSetFloatInfo(d, "label", y, ROWS), 0);
    assert_int_equal(XGBoosterCreate(&d, 1, &b), 0);
    assert_int_equal(XGBoosterSetParam(b, "max_depth", "12"), 0);
    assert_int_equal(XGBoosterSetParam(b, "min_child_weight", "0"), 0);
    char *names = ss_features_names();
    assert_int_equal(XGBoosterSetAttr(b, "features", names), 0);
    assert_int_equal(XGBoosterUpdateOneIter(b, 0, d), 0);
    assert_int_equal(XGBoosterSaveModel(b, p), 0);
    XGBoosterFree(b);
    XGDMatrixFree(d);
    ss_reranker *m = NULL;
    assert_int_equal(ss_reranker_open(p, &m, &err), SS_ERR_CORRUPT);
    assert_null(m);
    assert_non_null(strstr(err, "at most 10 deep"));
    free(err);
    free(names);
    free(X);
    free(p);
}

/* The tree walk of rerank.c gives XGBoost's own predictions: for a model
 * trained on the sample and for the shipped ones (trees of uneven depth,
 * padded to complete ones). */
static void test_walk_matches_xgboost(void **state)
{
    (void)state;
    char *paths[3] = {sample_path(&g_si, "a.model"),
                      strdup("data/models/en-occupation.model"),
                      strdup("data/models/en-skill.model")};
    for (int k = 0; k < 3; k++)
        walk_matches(paths[k]);
    for (int k = 0; k < 3; k++)
        free(paths[k]);
}

static void walk_matches(const char *path)
{
    ss_reranker *m = NULL;
    assert_int_equal(ss_reranker_open(path, &m, NULL), SS_OK);
    BoosterHandle b;
    assert_int_equal(XGBoosterCreate(NULL, 0, &b), 0);
    assert_int_equal(XGBoosterLoadModel(b, path), 0);
    static const char *const queries[] = {"baker", "nurse in a hospital",
                                          "wire bonding cleanroom",
                                          "senior software developer",
                                          "teacher", "cook"};
    size_t checked = 0;
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        uint32_t *c;
        float *X, ours[64];
        size_t n = features_of(queries[q], SS_KIND_OCC, &c, &X);
        assert_int_equal(ss_reranker_score(m, X, n, ours, NULL), SS_OK);
        DMatrixHandle d;
        bst_ulong len = 0;
        const float *theirs = NULL;
        assert_int_equal(XGDMatrixCreateFromMat(X, n, ss_nfeatures, NAN, &d),
                         0);
        assert_int_equal(XGBoosterPredict(b, d, 0, 0, 0, &len, &theirs), 0);
        assert_int_equal(len, n);
        for (size_t i = 0; i < n; i++, checked++)
            if (fabsf(ours[i] - theirs[i]) > 1e-4f)
                fail_msg("%s row %zu: %g against XGBoost's %g", queries[q], i,
                         ours[i], theirs[i]);
        XGDMatrixFree(d);
        free(c);
        free(X);
    }
    assert_true(checked > 10);
    XGBoosterFree(b);
    ss_reranker_destroy(m);
}

static void search_ids(ss_searcher *s, const char *q, ss_kind kind,
                       char *out, size_t cap)
{
    ss_search_req r = {.text = q, .kind = kind, .limit = 10};
    ss_hits h;
    assert_int_equal(ss_searcher_search(s, &r, &h, NULL), SS_OK);
    out[0] = '\0';
    for (size_t i = 0; i < h.n; i++) {
        strncat(out, h.v[i].uri, cap - strlen(out) - 2);
        strcat(out, " ");
        assert_true(h.v[i].score > 0 && h.v[i].score <= 1.0 + 1e-9);
    }
    ss_hits_free(&h);
}

static void test_model_in_index(void **state)
{
    (void)state;
    char gen[PATH_MAX], *dst = NULL, *src = sample_path(&g_si, "a.model");
    assert_non_null(realpath(g_si.index, gen));
    static char before[8192], after[8192];
    search_ids(g_si.s, "bakery", SS_KIND_SKILL, before, sizeof before);
    /* a damaged skill model: the searcher opens, says why, keeps order */
    assert_true(asprintf(&dst, "%s/%s", gen, SS_FILE_MODEL_SKILL) > 0);
    write_file(dst, "{ not a model");
    ss_searcher *s = NULL;
    char *err = NULL;
    assert_int_equal(ss_searcher_open(g_si.index, SAMPLE_DATA, &s, &err),
                     SS_OK);
    assert_non_null(ss_searcher_model_error(s));
    assert_non_null(strstr(ss_searcher_model_error(s), SS_FILE_MODEL_SKILL));
    assert_false(ss_searcher_has_model(s, SS_KIND_SKILL));
    search_ids(s, "bakery", SS_KIND_SKILL, after, sizeof after);
    assert_string_equal(before, after);
    ss_searcher_destroy(s);
    unlink(dst);
    free(dst);
    /* an occupation model: loaded and used, exact labels stay first */
    assert_true(asprintf(&dst, "%s/%s", gen, SS_FILE_MODEL_OCC) > 0);
    size_t len = 0;
    char *m = sample_read_file(src, &len);
    assert_non_null(m);
    assert_int_equal(sample_write_file(dst, m, len), 0);
    free(m);
    assert_int_equal(ss_searcher_open(g_si.index, SAMPLE_DATA, &s, &err),
                     SS_OK);
    assert_null(ss_searcher_model_error(s));
    assert_true(ss_searcher_has_model(s, SS_KIND_OCC));
    assert_false(ss_searcher_has_model(s, SS_KIND_SKILL));
    ss_search_req r = {.text = "baker", .limit = 5};
    ss_hits h;
    assert_int_equal(ss_searcher_search(s, &r, &h, NULL), SS_OK);
    assert_true(h.n >= 1);
    assert_string_equal(h.v[0].label, "baker");
    if (h.v[0].score != 1.0)
        fail_msg("top score %.17g", h.v[0].score);
    ss_hits_free(&h);
    ss_searcher_destroy(s);
    unlink(dst);
    free(dst);
    free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feature_table),
        cmocka_unit_test(test_feature_values),
        cmocka_unit_test(test_train_deterministic),
        cmocka_unit_test(test_train_errors),
        cmocka_unit_test(test_model_load_errors),
        cmocka_unit_test(test_walk_matches_xgboost),
        cmocka_unit_test(test_model_too_deep),
        cmocka_unit_test(test_model_in_index),
    };
    return cmocka_run_group_tests(tests, sample_group_setup,
                                  sample_group_teardown);
}
