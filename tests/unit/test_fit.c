/* Coverage scoring of query/fit.c on a hand-built skill graph:
 * occupation 1 needs skills 1 (essential) and 2 (optional); occupation 2
 * needs skill 3 (essential); skill 4 is narrower than skill 1. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../query/fit.h"
#include "../../query/similar.h"

static ss_sg_node OCC[3] = {{0}, {"o/a", "a", "3114", ""},
                            {"o/b", "b", "3115", ""}};
static ss_sg_node SKILL[5] = {{0},
                              {"s/one", "one", "", "cross-sector"},
                              {"s/two", "two", "", "transversal"},
                              {"s/three", "three", "", "sector-specific"},
                              {"s/four", "four", "", "sector-specific"}};
static uint32_t REQ_OFF[4] = {0, 0, 2, 3};
static uint32_t REQ[3] = {1 | SS_SG_ESSENTIAL, 2, 3 | SS_SG_ESSENTIAL};
static uint32_t NEED_OFF[6] = {0, 0, 1, 2, 3, 3};
static uint32_t NEED[3] = {1 | SS_SG_ESSENTIAL, 1, 2 | SS_SG_ESSENTIAL};
static double IDF[5] = {0, 2.0, 1.0, 3.0, 4.0};
static uint32_t HIER_OFF[6] = {0, 0, 1, 1, 1, 2};
static uint32_t HIER[2] = {4, 1 | SS_SG_BROADER};
static uint32_t BY_ID[4] = {4, 1, 3, 2}; /* four one three two */

static ss_skillgraph G = {3, 5, OCC, SKILL, REQ_OFF, REQ, NEED_OFF, NEED,
                          IDF, HIER_OFF, HIER, BY_ID, 4};

static void run(const char *const *ids, size_t n, uint32_t occ, ss_fit *f)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(ss_fit_add_ids(&G, f, ids, n, NULL), SS_OK);
    assert_int_equal(ss_fit_run(&G, f, occ, 10, NULL), SS_OK);
}

static void test_exact_and_weights(void **state)
{
    (void)state;
    ss_fit f;
    const char *ids[] = {"two"};
    run(ids, 1, 1, &f);
    /* optional skill 2 only: 0.25 * 1 / (2 + 0.25 * 1) */
    assert_true(fabs(f.occs[0].coverage - 0.25 / 2.25) < 1e-9);
    assert_int_equal(f.occs[0].skills[0].state, SS_FIT_LACKS);
    assert_int_equal(f.occs[0].skills[1].state, SS_FIT_HAS);
    ss_fit_free(&f);
    const char *ids2[] = {"one", "s/two", "one"}; /* a URI; a repeat */
    run(ids2, 3, 1, &f);
    assert_int_equal(f.nprofile, 2);
    assert_true(fabs(f.occs[0].coverage - 1.0) < 1e-9);
    ss_fit_free(&f);
}

static void test_hierarchy_is_partial(void **state)
{
    (void)state;
    ss_fit f;
    const char *ids[] = {"four"}; /* narrower than the required "one" */
    run(ids, 1, 1, &f);
    assert_true(fabs(f.occs[0].coverage - SS_FIT_W_PARTIAL * 2 / 2.25) <
                1e-9);
    const ss_fit_req_skill *r = &f.occs[0].skills[0];
    assert_int_equal(r->state, SS_FIT_PARTIAL);
    assert_int_equal(r->via, 4);
    assert_false(r->via_broader); /* four is narrower than one */
    ss_fit_free(&f);
}

static void test_best_fit_and_gaps(void **state)
{
    (void)state;
    ss_fit f;
    const char *ids[] = {"three", "two"};
    run(ids, 2, 0, &f);
    /* b: coverage 1, use 3/4; a: coverage .25/2.25, use 1/4 */
    assert_int_equal(f.nocc, 2);
    assert_int_equal(f.occs[0].occ, 2);
    assert_true(fabs(f.occs[0].score - 0.75) < 1e-9);
    assert_int_equal(f.ngaps, 1);
    assert_int_equal(f.gaps[0].skill, 1); /* a's essential "one" */
    assert_int_equal(f.gaps[0].needed_by, 1);
    json_t *o = ss_fit_to_json(&G, &f, NULL);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(o, "results"), 0),
                            "id")),
                        "b");
    json_decref(o);
    ss_fit_free(&f);
}

static void test_errors(void **state)
{
    (void)state;
    ss_fit f = {0};
    char *err = NULL;
    const char *ids[] = {"one", "nope"};
    assert_int_equal(ss_fit_add_ids(&G, &f, ids, 2, &err), SS_ERR_NOT_FOUND);
    assert_non_null(strstr(err, "'nope'"));
    free(err);
    err = NULL;
    ss_fit_free(&f);
    assert_int_equal(ss_fit_run(&G, &f, 0, 10, &err), SS_ERR_INVALID);
    assert_non_null(strstr(err, "empty profile"));
    free(err);
    ss_fit_free(&f);
    ss_fit_free(NULL);
}

static void test_similar(void **state)
{
    (void)state;
    ss_similar r;
    /* a and b share no essential skill */
    assert_int_equal(ss_similar_find(&G, 1, 10, &r), SS_OK);
    assert_int_equal(r.nhits, 0);
    ss_similar_free(&r);
    assert_int_equal(ss_similar_find(&G, 7, 10, &r), SS_ERR_INVALID);
    assert_int_equal(ss_isco_common("3114", "3115"), 3);
    assert_int_equal(ss_isco_common("", "3115"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_and_weights),
        cmocka_unit_test(test_hierarchy_is_partial),
        cmocka_unit_test(test_best_fit_and_gaps),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_similar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
