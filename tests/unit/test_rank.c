/* Unit tests for the ranking's tables and shared pieces: the parameter
 * table and its override parser (query/params.c), the signal table
 * (query/signals.c) and skill propagation (query/propagate.c). Rankings
 * themselves are pinned by tests/golden and tested through the public API
 * in test_search.c and test_match.c. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../query/params.h"
#include "../../query/propagate.h"
#include "../../query/signals.h"

static void test_defaults(void **state)
{
    (void)state;
    ss_params p[2];
    assert_int_equal(ss_params_parse(NULL, p, NULL), SS_OK);
    assert_true(p[SS_KIND_OCC].w_label == 1.0);
    assert_true(p[SS_KIND_OCC].w_concept == 0.6);
    assert_true(p[SS_KIND_SKILL].w_concept == 1.5);
    assert_true(p[SS_KIND_OCC].depth == 50);
    assert_true(p[SS_KIND_SKILL].w_vec == 0);
    assert_true(p[SS_KIND_OCC].match_depth == 100);
    /* the process-wide copy is the same when nothing overrides it */
    ss_params q[2];
    assert_int_equal(ss_params_parse("", q, NULL), SS_OK);
    assert_memory_equal(p, q, sizeof p);
}

static void test_overrides(void **state)
{
    (void)state;
    ss_params p[2];
    assert_int_equal(ss_params_parse("w_label=2,occ.depth=70,skill.key=0.5"
                                     ",,w_body=-1e-1",
                                     p, NULL),
                     SS_OK);
    assert_true(p[SS_KIND_OCC].w_label == 2 && p[SS_KIND_SKILL].w_label == 2);
    assert_true(p[SS_KIND_OCC].depth == 70 && p[SS_KIND_SKILL].depth == 50);
    assert_true(p[SS_KIND_SKILL].key == 0.5 && p[SS_KIND_OCC].key == 1.0);
    assert_true(p[SS_KIND_OCC].w_body == -0.1);
}

static const struct {
    const char *spec, *says;
} bad[] = {
    {"nosuch=1", "unknown parameter 'nosuch'"},
    {"occ.nosuch=1", "unknown parameter 'nosuch'"},
    {"w_label", "'w_label' is not name=value"},
    {"w_label=", "w_label=: expected a number"},
    {"w_label=abc", "w_label=abc: expected a number"},
    {"w_label=1x", "w_label=1x: expected a number"},
    {"w_label=nan", "expected a number"},
    {"w_label=inf", "expected a number"},
    {"depth=2.5", "depth=2.5: expected a whole number"},
    {"depth=-1", "expected a whole number"},
    {"depth=1e9", "expected a whole number"},
    {"w_label=1,=2", "unknown parameter ''"},
};

static void test_bad_overrides(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ss_params p[2];
        char *err = NULL;
        assert_int_equal(ss_params_parse(bad[i].spec, p, &err),
                         SS_ERR_INVALID);
        assert_non_null(err);
        if (!strstr(err, bad[i].says))
            fail_msg("%s: got '%s', want '%s'", bad[i].spec, err,
                     bad[i].says);
        assert_non_null(strstr(err, "SKILLSEARCH_RANK"));
        free(err);
    }
}

static void test_signal_table(void **state)
{
    (void)state;
    for (int i = 0; i < SS_NSIG; i++) {
        const ss_signal *s = &ss_signals[i];
        assert_non_null(s->name);
        assert_non_null(s->pass);
        assert_true(s->weight + sizeof(double) <= sizeof(ss_params));
        assert_int_equal(s->weight % sizeof(double), 0);
        for (int j = 0; j < i; j++) {
            assert_string_not_equal(s->name, ss_signals[j].name);
            assert_int_not_equal(s->weight, ss_signals[j].weight);
        }
    }
    /* the label-vector signal needs every candidate before its value */
    assert_int_equal(ss_signals[SS_SIG_VECTOR].stage, SS_STAGE_NORM);
    assert_non_null(ss_signals[SS_SIG_VECTOR].fill);
    /* the learned ranker must not read what comes after it */
    assert_int_equal(ss_signals[SS_SIG_MEANING].stage, SS_STAGE_MODEL);
    assert_int_equal(ss_signals[SS_SIG_EXACT].stage, SS_STAGE_MODEL);
    for (int i = 0; i < SS_NSIG; i++)
        assert_true(ss_signals[i].stage >= SS_STAGE_FUSE &&
                    ss_signals[i].stage <= SS_STAGE_MODEL);
    assert_int_equal(ss_signals[SS_SIG_LABEL].weight,
                     offsetof(ss_params, w_label));
}

static void test_cands(void **state)
{
    (void)state;
    ss_cands c = {0};
    for (uint32_t i = 0; i < 1000; i++) {
        ss_cand *x = ss_cands_add(&c, i, SS_SIG_SKILL);
        assert_non_null(x);
        assert_int_equal(x->found, 1u << SS_SIG_SKILL);
        assert_true(x->score == 0 && x->sig[SS_SIG_LABEL] == 0);
    }
    assert_int_equal(c.n, 1000);
    assert_int_equal(c.v[999].concept, 999);
    ss_cands_free(&c);
    ss_cands_free(&c);
}

/* Two occupations (0, 1) and two skills (2, 3): skill 2 is essential for
 * occupation 0 and optional for 1; skill 3 is essential for 1 only. */
static size_t need_off[] = {0, 2, 3};
static uint32_t need[] = {0 | SS_NEED_ESSENTIAL, 1, 1 | SS_NEED_ESSENTIAL};

static int only_one(const void *ctx, uint32_t occ)
{
    (void)ctx;
    return occ == 1;
}

static void test_propagate(void **state)
{
    (void)state;
    ss_concepts cs = {.n = 4, .nocc = 2, .need_off = need_off, .need = need};
    ss_propagation p;
    assert_int_equal(ss_propagation_init(&p, cs.nocc), SS_OK);
    ss_propagate_skill(&p, &cs, 2, 1.0, 0.5, NULL, NULL);
    ss_propagate_skill(&p, &cs, 3, 0.5, 0.5, NULL, NULL);
    ss_propagate_skill(&p, &cs, 0, 1.0, 0.5, NULL, NULL); /* no skill */
    ss_propagate_skill(&p, &cs, 9, 1.0, 0.5, NULL, NULL); /* out of range */
    double idf2 = log(1.0 + 2.0 / 2.0), idf3 = log(1.0 + 2.0 / 1.0);
    assert_int_equal(p.ntouched, 2);
    assert_int_equal(p.touched[0], 0);
    assert_int_equal(p.touched[1], 1);
    assert_true(fabs(p.acc[0] - idf2) < 1e-12);
    assert_true(fabs(p.acc[1] - (0.5 * idf2 + 0.5 * idf3)) < 1e-12);
    /* occupation 1's biggest single addition is the essential skill 3 */
    assert_int_equal(p.best[1], 3 | SS_NEED_ESSENTIAL);
    assert_int_equal(p.best[0], 2 | SS_NEED_ESSENTIAL);
    assert_true(p.max == (p.acc[0] > p.acc[1] ? p.acc[0] : p.acc[1]));
    ss_propagation_free(&p);

    assert_int_equal(ss_propagation_init(&p, cs.nocc), SS_OK);
    ss_propagate_skill(&p, &cs, 2, 1.0, 0.5, only_one, NULL);
    assert_int_equal(p.ntouched, 1);
    assert_int_equal(p.touched[0], 1);
    assert_true(p.acc[0] == 0);
    assert_int_equal(p.best[1], 2);
    ss_propagation_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_bad_overrides),
        cmocka_unit_test(test_signal_table),
        cmocka_unit_test(test_cands),
        cmocka_unit_test(test_propagate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
