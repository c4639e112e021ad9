/* Coverage scoring of query/fit.c on a hand-built skill graph:
 * occupation 1 needs skills 1 (essential) and 2 (optional); occupation 2
 * needs skill 3 (essential); skill 4 is narrower than skill 1, skill 5
 * broader than skill 3. Similar occupations' tie-break on a second graph
 * (G2, below). */
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
static ss_sg_node SKILL[6] = {{0},
                              {"s/one", "one", "", "cross-sector"},
                              {"s/two", "two", "", "transversal"},
                              {"s/three", "three", "", "sector-specific"},
                              {"s/four", "four", "", "sector-specific"},
                              {"s/five", "five", "", "cross-sector"}};
static uint32_t REQ_OFF[4] = {0, 0, 2, 3};
static uint32_t REQ[3] = {1 | SS_SG_ESSENTIAL, 2, 3 | SS_SG_ESSENTIAL};
static uint32_t NEED_OFF[7] = {0, 0, 1, 2, 3, 3, 3};
static uint32_t NEED[3] = {1 | SS_SG_ESSENTIAL, 1, 2 | SS_SG_ESSENTIAL};
static double IDF[6] = {0, 2.0, 1.0, 3.0, 4.0, 5.0};
/* 1: narrower 4; 3: broader 5; 4: broader 1; 5: narrower 3 */
static uint32_t HIER_OFF[7] = {0, 0, 1, 1, 2, 3, 4};
static uint32_t HIER[4] = {4, 5 | SS_SG_BROADER, 1 | SS_SG_BROADER, 3};
static uint32_t BY_ID[5] = {5, 4, 1, 3, 2}; /* five four one three two */

static ss_skillgraph G = {3, 6, OCC, SKILL, REQ_OFF, REQ, NEED_OFF, NEED,
                          IDF, HIER_OFF, HIER, BY_ID, 5};

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

static void test_hierarchy_via_broader(void **state)
{
    (void)state;
    ss_fit f;
    const char *ids[] = {"five"}; /* broader than b's essential "three" */
    run(ids, 1, 2, &f);
    assert_true(fabs(f.occs[0].coverage - SS_FIT_W_PARTIAL) < 1e-9);
    const ss_fit_req_skill *r = &f.occs[0].skills[0];
    assert_int_equal(r->skill, 3);
    assert_int_equal(r->state, SS_FIT_PARTIAL);
    assert_int_equal(r->via, 5);
    assert_true(r->via_broader);
    /* the JSON says how: {"status":"partial","via":{"id":"five",
     * "how":"broader"}} */
    json_t *o = ss_fit_to_json(&G, &f, NULL);
    json_t *sk = json_array_get(
        json_object_get(json_array_get(json_object_get(o, "results"), 0),
                        "skills"),
        0);
    assert_string_equal(json_string_value(json_object_get(sk, "status")),
                        "partial");
    json_t *via = json_object_get(sk, "via");
    assert_string_equal(json_string_value(json_object_get(via, "id")),
                        "five");
    assert_string_equal(json_string_value(json_object_get(via, "how")),
                        "broader");
    json_decref(o);
    ss_fit_free(&f);
    /* the profile has the skill itself too: full credit, no "via" */
    const char *both[] = {"five", "three"};
    run(both, 2, 2, &f);
    assert_int_equal(f.occs[0].skills[0].state, SS_FIT_HAS);
    assert_true(fabs(f.occs[0].coverage - 1.0) < 1e-9);
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

/* G2: x (ISCO 3114) needs skills 1 and 2; alpha (2152), beta (3121) and
 * gamma (3113) need skill 1 only, so they tie on score; delta (9111)
 * needs both. Labels sort alpha < beta < gamma, the opposite of their
 * ISCO closeness to x. */
static ss_sg_node OCC2[6] = {{0},
                             {"o/x", "x", "3114", ""},
                             {"o/alpha", "alpha", "2152", ""},
                             {"o/beta", "beta", "3121", ""},
                             {"o/gamma", "gamma", "3113", ""},
                             {"o/delta", "delta", "9111", ""}};
static ss_sg_node SKILL2[3] = {{0},
                               {"s/one", "one", "", "cross-sector"},
                               {"s/two", "two", "", "cross-sector"}};
#define E_ SS_SG_ESSENTIAL
static uint32_t REQ_OFF2[7] = {0, 0, 2, 3, 4, 5, 7};
static uint32_t REQ2[7] = {1 | E_, 2 | E_, 1 | E_, 1 | E_,
                           1 | E_, 1 | E_, 2 | E_};
static uint32_t NEED_OFF2[4] = {0, 0, 5, 7};
static uint32_t NEED2[7] = {1 | E_, 2 | E_, 3 | E_, 4 | E_,
                            5 | E_, 1 | E_, 5 | E_};
#undef E_
static double IDF2[3] = {0, 1.0, 2.0};
static uint32_t HIER_OFF2[4] = {0, 0, 0, 0};
static uint32_t HIER2[1] = {0};
static uint32_t BY_ID2[2] = {1, 2};

static ss_skillgraph G2 = {6, 3, OCC2, SKILL2, REQ_OFF2, REQ2, NEED_OFF2,
                           NEED2, IDF2, HIER_OFF2, HIER2, BY_ID2, 2};

static void test_similar_isco_tie_break(void **state)
{
    (void)state;
    ss_similar r;
    assert_int_equal(ss_similar_find(&G2, 1, 10, &r), SS_OK);
    assert_int_equal(r.nhits, 4);
    /* the higher score first, whatever its ISCO group */
    assert_int_equal(r.hits[0].occ, 5);
    assert_true(fabs(r.hits[0].score - 3.0) < 1e-9);
    /* equal scores: the longer common ISCO prefix first, not the label */
    const uint32_t order[] = {4, 3, 2};     /* gamma, beta, alpha */
    const unsigned common[] = {3, 2, 0};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(r.hits[i + 1].occ, order[i]);
        assert_true(fabs(r.hits[i + 1].score - 1.0) < 1e-9);
        assert_int_equal(r.hits[i + 1].isco_common, common[i]);
    }
    /* each lists the shared essential skill; gamma has none to learn */
    assert_int_equal(r.hits[1].nshared, 1);
    assert_int_equal(r.hits[1].shared[0], 1);
    assert_int_equal(r.hits[1].nto_learn, 0);
    ss_similar_free(&r);
    /* the limit keeps the first of that order */
    assert_int_equal(ss_similar_find(&G2, 1, 2, &r), SS_OK);
    assert_int_equal(r.nhits, 2);
    assert_int_equal(r.hits[1].occ, 4);
    ss_similar_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_and_weights),
        cmocka_unit_test(test_hierarchy_is_partial),
        cmocka_unit_test(test_hierarchy_via_broader),
        cmocka_unit_test(test_best_fit_and_gaps),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_similar),
        cmocka_unit_test(test_similar_isco_tie_break),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
